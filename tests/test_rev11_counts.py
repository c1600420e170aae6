"""A count line under a connection table (計 N件, 合計 N件) compared with the rows read above it.

Each report is written by hand; the counts expected are counted by hand from its rows."""

from __future__ import annotations

from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t結合開始日"


def _row(n: int) -> str:
    return f"{n}\t市民課\t業務{n}\t氏名、住所\t－\t株式会社テスト{n}\t令和7年8月1日"


def _report(*lines: str) -> Report:
    text = "\n".join(["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", *lines, ""])
    return parse_report(text, "counts.txt", lenient=True)


def _count_warnings(report: Report) -> list[tuple[int, str]]:
    return [
        (i.line, i.message)
        for i in report.issues
        if i.severity == "warning" and i.message.startswith("the count line")
    ]


def test_a_count_that_agrees_is_no_warning() -> None:
    report = _report(HEADER, _row(1), _row(2), _row(3), "計\t3件")
    assert [c.number for c in report.connections] == [1, 2, 3]
    assert _count_warnings(report) == []


def test_a_count_line_naming_more_rows_than_were_read_is_warned() -> None:
    # three rows are written, the count says four: a row is missing (lost in the copy)
    report = _report(HEADER, _row(1), _row(2), _row(3), "合計　4件")
    warnings = _count_warnings(report)
    assert len(warnings) == 1
    line, message = warnings[0]
    assert line == 7
    assert "「合計 4件」" in message and "says 4 row(s)" in message and "3 row(s) were read" in message


def test_a_table_split_over_pages_is_counted_whole() -> None:
    # the header repeated on the next page; one count at the table's end counts both pages
    report = _report(HEADER, _row(1), _row(2), "", HEADER, _row(3), "計\t3件")
    assert [c.number for c in report.connections] == [1, 2, 3]
    assert _count_warnings(report) == []


def test_per_agency_counts_and_a_grand_total() -> None:
    # 【市長】 two rows 計 2件, 【教育委員会】 one row 計 1件, then 合計 3件: all agree
    lines = [
        "【市長】",
        HEADER,
        _row(1),
        _row(2),
        "計\t2件",
        "【教育委員会】",
        HEADER,
        _row(3),
        "計\t1件",
        "合計\t3件",
    ]
    assert _count_warnings(_report(*lines)) == []
    # the second agency's count is wrong (2 for 1 row); the total (3) is right
    lines[8] = "計\t2件"
    warnings = _count_warnings(_report(*lines))
    assert [line for line, _ in warnings] == [11]
    assert "says 2 row(s), but 1 row(s)" in warnings[0][1]


def test_a_plain_count_under_subtotals_counts_the_whole_section() -> None:
    # 計 under the per-agency 計 lines (no row between): the section's total
    lines = [HEADER, _row(1), _row(2), "計\t2件", HEADER, _row(3), "計\t1件", "計\t3件"]
    assert _count_warnings(_report(*lines)) == []


def test_a_count_over_the_table_counts_the_rows_below_it() -> None:
    assert _count_warnings(_report("件数\t2件", HEADER, _row(1), _row(2))) == []
    warnings = _count_warnings(_report("件数\t3件", HEADER, _row(1), _row(2)))
    assert len(warnings) == 1 and "2 row(s) were read below it" in warnings[0][1]


def test_an_agencys_count_line_is_a_count_line_not_a_bad_row() -> None:
    # 「市長部局　計 | 1件」 and 「教育委員会 | 計 | 2件」 under each agency's rows: counts, not rows without a No.
    lines = [HEADER, _row(1), "市長部局　計\t1件", _row(2), _row(3), "教育委員会\t計\t2件", "合計　3件"]
    report = _report(*lines)
    assert [c.number for c in report.connections] == [1, 2, 3]
    assert not [i for i in report.issues if i.severity == "error"]
    assert _count_warnings(report) == []
    lines[5] = "教育委員会\t計\t3件"  # one row too many said: its rows are two
    warnings = _count_warnings(_report(*lines))
    assert len(warnings) == 1 and warnings[0][0] == 8 and "「教育委員会 計 3件」" in warnings[0][1]
