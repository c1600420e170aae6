"""特定個人情報 given by a mark in the 備考 column, which a note under the table opens with and
explains (※１ 特定個人情報を含むもの。): a row carrying the mark involves it, a row without it does
not (user19/aizuwakamatsu-2022). Made-up report; expectations read off the text by hand."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

T = "\t"
HEAD = T.join(["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日", "備考"])


def _report(notes: list[str], marks: tuple[str, str, str] = ("※１", "", "※１０")) -> list:
    lines = [
        "テスト市 外部電子計算機との結合の状況（令和4年度）",
        "",
        "(2) 新たに結合したもの",
        "",
        HEAD,
        T.join(["1", "市民課", "証明", "氏名、住所", "株式会社テスト", "令和4年10月1日", marks[0]]),
        T.join(["2", "税務課", "申告", "氏名、所得", "株式会社テスト", "令和4年11月1日", marks[1]]),
        T.join(["3", "税務課", "照会", "氏名", "株式会社テスト", "令和4年12月1日", marks[2]]),
        *notes,
        "",
    ]
    return parse_report("\n".join(lines), "t.txt", lenient=True).connections


def test_a_remarks_mark_explained_as_specific_gives_the_flag() -> None:
    rows = _report(["※１　特定個人情報を含むもの。", "※１０　ＬＧＷＡＮ－ＡＳＰを利用するもの。"])
    # ※１ on No.1; none on No.2; ※１０ (another note) is no ※１
    assert [r.specific_personal_information for r in rows] == [True, False, False]


def test_a_mark_whose_note_says_something_else_gives_nothing() -> None:
    rows = _report(["※１　ＬＧＷＡＮ－ＡＳＰを利用するもの。"])
    assert [r.specific_personal_information for r in rows] == [None, None, None]


def test_a_note_no_row_carries_gives_nothing() -> None:
    rows = _report(["※２　特定個人情報を含むもの。"], ("※１", "", ""))
    assert [r.specific_personal_information for r in rows] == [None, None, None]
