"""A note explaining ※-marked items speaks for its own table only (review9): the 特定個人情報
column missing from another section's table stays unknown, its warning stays a warning. Made-up
report; expectations read off the text by hand."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

T = "\t"
LINES = [
    "テスト市 外部電子計算機との結合の状況（令和4年度）",
    "",
    "(2) 新たに結合したもの",
    "",
    T.join(["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"]),  # line 5, no column
    T.join(["1", "市民課", "証明", "氏名、個人番号", "株式会社テスト", "令和4年10月1日"]),
    "",
    "(3) 結合を終了したもの",
    "",
    T.join(["No.", "担当課", "業務名", "記録項目", "結合の相手方", "終了日"]),
    T.join(["1", "市民課", "証明", "氏名、個人番号※", "株式会社テスト", "令和4年10月1日"]),
    "※印を付した項目は特定個人情報です。",  # line 12: a note of section (3)'s table
    "",
]


def test_a_note_of_the_ended_table_does_not_answer_for_the_new_one() -> None:
    report = parse_report("\n".join(LINES), "t.txt", lenient=True)
    new, ended = report.connections
    assert new.specific_personal_information is None  # section (2) says nothing of it
    assert ended.specific_personal_information is True  # 個人番号※, explained at line 12
    at_header = [i for i in report.issues if i.line == 5 and i.field == "特定個人情報の有無"]
    assert [(i.severity, i.message) for i in at_header] == [
        ("warning", "column 特定個人情報の有無 not in the header: its values are unknown")
    ]
