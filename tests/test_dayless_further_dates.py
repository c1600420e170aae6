"""A day-less start or end cell that gives a second date (a range, or one date per party) is read
at its first date's precision, with a warning: the rest was kept only as the date's note, with no
finding (review9). Made-up rows; each expectation read off the text by hand."""

from __future__ import annotations

import pytest

from ketsugo.read.eras import EraDateError, parse_date_cell
from ketsugo.read.parser import parse_report

T = "\t"
HEAD = ["テスト市 外部電子計算機との結合の状況（令和4年度）", "", "(2) 新たに結合したもの", ""]
HEADER = ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"]


def _issues(cell: str) -> list[str]:
    row = ["1", "市民課", "証明書交付", "氏名、住所", "株式会社テスト", cell]
    text = "\n".join([*HEAD, T.join(HEADER), T.join(row), ""])
    report = parse_report(text, "t.txt", lenient=True)
    return [i.message for i in report.issues if i.severity == "warning" and i.field == "開始日"]


@pytest.mark.parametrize(
    ("cell", "dates"),
    [
        ("令和4年10月～令和5年3月", "2022-10, 2023-03"),  # a range of months
        ("令和4年10月、令和5年1月", "2022-10, 2023-01"),  # one month per party
        ("令和4年度中〜令和5年度", "2022年度, 2023年度"),  # a range of fiscal years
        ("令和4年10月1日、令和4年12月", "2022-10-01, 2022-12"),  # a day, then a month
        ("令和4年12月、令和4年10月1日", "2022-12, 2022-10-01"),  # a month, then an earlier day
    ],
)
def test_a_second_date_in_a_dayless_cell_is_warned(cell: str, dates: str) -> None:
    warned = [m for m in _issues(cell) if "dates in one cell" in m]
    assert len(warned) == 1, _issues(cell)
    assert dates in warned[0]


@pytest.mark.parametrize("cell", ["令和4年10月", "令和4年12月中", "令和5年2月（予定）", "令和4年度"])
def test_one_dayless_date_is_no_warning(cell: str) -> None:
    assert not [m for m in _issues(cell) if "dates in one cell" in m]


@pytest.mark.parametrize(
    ("cell", "iso", "qualifier"),
    [
        ("R4.10.（予定）", "2022-10", "planned"),  # the dot that ends an abbreviated month, then a remark
        ("R4.10.", "2022-10", ""),
        ("Ｒ４．１０．", "2022-10", ""),
    ],
)
def test_a_month_closed_by_a_dot_is_a_month(cell: str, iso: str, qualifier: str) -> None:
    """R4.10. is October 2022 written with the dot abbreviations end with; nothing follows that could
    be the day it lacks (R4.10.1 is a day, R2. 6.<control> 1 stays unread)."""
    read = parse_date_cell(cell)
    assert (read.precision, read.iso, read.qualifier) == ("month", iso, qualifier)


@pytest.mark.parametrize("cell", ["R4.10.\x011", "R4.10.-", "R4.10.."])
def test_a_dot_before_what_may_be_a_day_is_still_no_date(cell: str) -> None:
    with pytest.raises(EraDateError):
        parse_date_cell(cell)
