"""Tables giving one value per line (read/stacked.py): a second header line, and a row continued
by lines repeating its number (or leaving it blank). Made-up reports; each expectation read off the
text by hand."""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report

T = "\t"
HEAD = [
    "テスト市 外部電子計算機との結合の状況（令和3年度）",
    "",
    "(2) 新たに結合したもの",
    "",
]


def _report(*rows: list[str]) -> str:
    return "\n".join([*HEAD, *(T.join(r) for r in rows), ""])


UPPER = ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "", "開始日"]
LOWER = ["", "", "", "", "名称", "所在地", ""]


def test_a_second_header_line_names_the_columns_under_a_merged_cell() -> None:
    text = _report(
        UPPER,
        LOWER,
        ["1", "市民課", "証明書交付", "氏名、住所", "株式会社テスト", "東京都港区1-1", "令和3年7月1日"],
    )
    report = parse_report(text, "t.txt")
    (row,) = report.connections
    assert row.counterparties_as_written == "株式会社テスト"
    assert [(c.header, c.text) for c in row.extra_cells] == [("所在地", "東京都港区1-1")]
    assert any("header row continued on line 6" in i.message for i in report.issues)


def test_a_number_repeated_line_by_line_is_one_row() -> None:
    text = _report(
        ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"],
        ["1", "市民課", "証明書交付", "氏名", "株式会社テスト", "令和3年7月1日"],
        ["1", "", "", "住所", "", ""],
        ["", "", "", "生年月日", "", ""],  # the No. left blank: the same row
        ["2", "税務課", "課税", "納税者氏名", "株式会社テスト", "令和3年8月1日"],
    )
    report = parse_report(text, "t.txt")
    first, second = report.connections
    assert [i.name for i in first.items.items] == ["氏名", "住所", "生年月日"]
    assert second.number == 2 and [i.name for i in second.items.items] == ["納税者氏名"]


def test_a_second_party_with_its_own_date_keeps_the_earliest_and_says_so() -> None:
    text = _report(
        ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"],
        ["1", "収納課", "収納", "納付額", "株式会社いち", "令和3年10月1日"],
        ["1", "", "", "", "株式会社に", "令和3年4月1日"],
    )
    report = parse_report(text, "t.txt")
    (row,) = report.connections
    assert row.counterparties_as_written == "株式会社いち、株式会社に"
    assert row.start_date is not None and row.start_date.isoformat() == "2021-04-01"
    assert row.start_date_as_written == "令和3年10月1日、令和3年4月1日"  # kept as written
    assert any("2021-10-01" in i.message and i.severity == "warning" for i in report.issues)


@pytest.mark.parametrize(
    ("cell", "start"),
    [
        ("令和3年4月1日（A社）令和3年10月1日（B社）", "2021-04-01"),
        ("R3.10.1/R3.4.1", "2021-04-01"),
        # a date in brackets names another event (the approval), not a second start
        ("令和3年4月1日（令和3年3月25日承認）", "2021-04-01"),
    ],
)
def test_several_dates_in_one_cell_give_the_earliest_start(cell: str, start: str) -> None:
    text = _report(
        ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"],
        ["1", "収納課", "収納", "納付額", "株式会社いち、株式会社に", cell],
    )
    report = parse_report(text, "t.txt")
    (row,) = report.connections
    assert row.start_date is not None and row.start_date.isoformat() == start
    warned = any("dates in one cell" in i.message for i in report.issues)
    assert warned is ("承認" not in cell)
    assert row.start_date_as_written == cell
    # the note is what follows the first date, never starting with the mark between two dates
    assert row.start_date_note is not None and row.start_date_note[:1] not in ("、", "/", "／", " ")


def test_the_note_of_two_dates_joined_by_a_comma() -> None:
    text = _report(
        ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"],
        ["1", "収納課", "収納", "納付額", "株式会社いち、株式会社に", "令和3年4月1日、令和3年10月1日"],
    )
    (row,) = parse_report(text, "t.txt").connections
    assert (row.start_date_note, row.start_date_as_written) == (
        "令和3年10月1日",
        "令和3年4月1日、令和3年10月1日",
    )


def test_several_end_dates_give_the_latest() -> None:
    text = "\n".join(
        [
            *HEAD[:2],
            "(3) 結合を終了したもの",
            "",
            T.join(["No.", "担当課", "結合の相手方", "終了日"]),
            T.join(["1", "収納課", "株式会社いち、株式会社に", "令和3年9月30日、令和4年3月31日"]),
            "",
        ]
    )
    (row,) = parse_report(text, "t.txt", lenient=True).connections
    assert row.end_date is not None and row.end_date.isoformat() == "2022-03-31"


@pytest.mark.parametrize(
    "again",
    [
        ["1", "税務課", "課税", "氏名", "株式会社テスト", "令和3年7月1日"],  # another row
        ["1", "市民課", "証明書交付", "住所", "株式会社テスト", "令和3年7月1日"],  # a row copied twice
    ],
)
def test_a_repeated_number_with_its_own_business_is_still_a_duplicate(again: list[str]) -> None:
    text = _report(
        ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"],
        ["1", "市民課", "証明書交付", "氏名", "株式会社テスト", "令和3年7月1日"],
        again,
    )
    with pytest.raises(InputError, match="duplicate connection number 1"):
        parse_report(text, "t.txt")
