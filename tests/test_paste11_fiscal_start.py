"""A start written as the start of a fiscal year (令和5年度当初; tests/cases/user11 NOTES cause 4):
read as that fiscal year — the report writes no month, and April is not assumed — with an info
saying so, where it used to pass without a word. 年度中 stays the year without one; 年度末 is an
approximate date, as before."""

from __future__ import annotations

from ketsugo.read.eras import parse_date_cell
from ketsugo.read.parser import parse_report


def test_the_start_of_a_fiscal_year_is_the_year_with_its_word() -> None:
    read = parse_date_cell("令和5年度当初")
    assert (read.precision, read.year, read.month, read.note) == ("fiscal-year", 2023, None, "")
    assert (read.qualifier, read.word) == ("fiscal-year-start", "当初")
    assert parse_date_cell("令和5年度中").qualifier == "within"
    assert parse_date_cell("令和5年度末").qualifier == "approximate"
    assert parse_date_cell("令和5年10月当初").qualifier == "within"  # a month: no fiscal year's start


def test_an_info_says_the_month_is_not_assumed() -> None:
    text = "\n".join(
        [
            "令和5年度 外部結合の状況",
            "2. 新たに開始した結合",
            "No.\t所管課\t事務の名称\t結合先\t記録項目\t開始時期",
            "1\t生活福祉課\t生活保護システムのクラウド移行\t株式会社いわて電算\t世帯員の氏名\t令和5年度当初",
            "",
        ]
    )
    report = parse_report(text, "r.txt", fiscal_year=2023)
    (row,) = report.connections
    assert row.start_date is None and row.start_period is not None
    assert (row.start_period.precision, row.start_period.year) == ("fiscal-year", 2023)
    (info,) = [i for i in report.issues if "start of a fiscal year" in i.message]
    assert (info.line, info.severity, info.field) == (4, "info", "開始時期")
    assert "no month" in info.message
