"""A list numbered inside an item cell (１ 氏名 ２ 住所, ①氏名②住所) is read as items, never as legend
codes, even in a report whose legend (凡例) has number codes; codes of such a legend are read
through it where the cell is written in codes only.

Each report is written by hand; the items expected are read by hand from its text."""

from __future__ import annotations

import pytest

from ketsugo.read.items import split_items
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t結合開始日"
NUMBER_LEGEND = "凡例\n番号\t項目名\n1\t生年月日\n2\t性別\n3\t個人番号"


def _report(cells: list[str], after: str = "") -> Report:
    lines = ["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", HEADER]
    lines += [
        f"{n}\t市民課\t業務{n}\t{cell}\t－\t株式会社テスト{n}\t令和7年8月1日"
        for n, cell in enumerate(cells, 1)
    ]
    return parse_report("\n".join([*lines, "", after, ""]), "numbered.txt", lenient=True)


def _names(report: Report, number: int) -> list[str]:
    return [i.name for i in next(c for c in report.connections if c.number == number).items.items]


@pytest.mark.parametrize(
    ("cell", "names", "markers"),
    [
        ("１ 氏名 ２ 住所", ["氏名", "住所"], ["１", "２"]),
        ("1 氏名、2 住所、3 生年月日", ["氏名", "住所", "生年月日"], ["1", "2", "3"]),
        ("①氏名②住所③生年月日", ["氏名", "住所", "生年月日"], ["①", "②", "③"]),
        ("① 氏名 ② 住所", ["氏名", "住所"], ["①", "②"]),
        # no numbering from 1: the numbers are left as they are written
        ("氏名 住所 生年月日", ["氏名", "住所", "生年月日"], ["", "", ""]),
    ],
)
def test_a_numbered_list_in_a_cell_is_read_as_its_items(
    cell: str, names: list[str], markers: list[str]
) -> None:
    items = split_items(cell).items
    assert [i.name for i in items] == names
    assert [i.marker for i in items] == markers


def test_a_numbered_list_is_no_codes_of_a_number_legend() -> None:
    report = _report(["１ 氏名 ２ 住所", "①氏名②住所", "1、3", "1～2"], after=NUMBER_LEGEND)
    assert _names(report, 1) == ["氏名", "住所"]  # not 生年月日, 氏名, 性別, 住所
    assert _names(report, 2) == ["氏名", "住所"]
    assert _names(report, 3) == ["生年月日", "個人番号"]  # codes only: the legend the report defines
    assert _names(report, 4) == ["生年月日", "性別"]


def test_a_numbered_list_without_any_legend() -> None:
    report = _report(["１ 氏名 ２ 住所"])
    assert _names(report, 1) == ["氏名", "住所"]
    assert not [i for i in report.issues if "legend" in i.message]
