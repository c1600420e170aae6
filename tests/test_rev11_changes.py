"""A value marked as the one before a change (（変更前）) is the old value: it no longer flows, so it
is no item or party of the connection (a warning keeps it); the value marked （変更後） is the one
that flows now, its remark no part of its name.

Each report is written by hand; the items and parties expected are read by hand from its text."""

from __future__ import annotations

from ketsugo.read.legend import LegendEntry, legend_of, read_items
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Connection, Report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t結合開始日"


def _report(rows: list[tuple[str, str]]) -> Report:
    lines = ["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", HEADER]
    lines += [
        f"{n}\t市民課\t業務{n}\t{items}\t－\t{parties}\t令和7年8月1日"
        for n, (items, parties) in enumerate(rows, 1)
    ]
    return parse_report("\n".join([*lines, ""]), "changes.txt", lenient=True)


def _row(report: Report, number: int) -> Connection:
    return next(c for c in report.connections if c.number == number)


def _warnings(report: Report, line: int, field: str) -> list[str]:
    return [
        i.message for i in report.issues if i.line == line and i.field == field and i.severity == "warning"
    ]


def test_an_old_item_is_no_item_and_the_new_one_is() -> None:
    report = _report([("氏名、住所（変更前）、住所（変更後）、電話番号", "株式会社Ａ")])
    row = _row(report, 1)
    assert [i.name for i in row.items.items] == ["氏名", "住所", "電話番号"]
    assert [i.position for i in row.items.items] == [1, 2, 3]
    assert row.items.items[1].note == "（変更後）"
    assert row.items_as_written == "氏名、住所（変更前）、住所（変更後）、電話番号"  # the cell as written
    (said,) = [m for m in _warnings(report, 4, "記録項目") if "住所（変更前）" in m]
    assert "before the change" in said


def test_an_old_party_is_no_party_and_the_new_one_is() -> None:
    report = _report(
        [
            ("氏名", "株式会社Ａ（変更前）、株式会社Ｂ（変更後）"),
            ("氏名", "株式会社Ｃ（旧）／株式会社Ｄ（新）"),
        ]
    )
    assert _row(report, 1).counterparties_as_written == "株式会社Ｂ"
    assert _row(report, 2).counterparties_as_written == "株式会社Ｄ"
    (said,) = _warnings(report, 4, "結合の相手方")
    assert "株式会社Ａ（変更前）" in said and "read as 株式会社Ｂ" in said
    (said,) = _warnings(report, 5, "結合の相手方")
    assert "株式会社Ｃ（旧）" in said


def test_a_party_of_old_values_only_is_kept_with_a_warning() -> None:
    report = _report([("氏名", "株式会社Ａ（変更前）")])
    assert _row(report, 1).counterparties_as_written == "株式会社Ａ（変更前）"
    (said,) = _warnings(report, 4, "結合の相手方")
    assert "every value is marked as the one before a change" in said


def test_a_code_marked_old_is_no_item_either() -> None:
    legend = legend_of(
        [LegendEntry("A", "氏名", 1), LegendEntry("B", "住所", 1), LegendEntry("C", "電話番号", 1)]
    )
    items = read_items("A、B（変更前）、C", legend)
    assert [i.name for i in items.items] == ["氏名", "電話番号"]
    assert any("before the change" in r for r in items.remarks)
