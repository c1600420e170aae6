"""Note marks in cells: a mark before a value (※株式会社Ａ), and a mark on an item or a value
linked to the note under the table it points to (（注）…, ※1 …).

Each report is written by hand; the values expected are read by hand from its text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report
from ketsugo.read.items import split_items
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Connection, Report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t結合開始日"


def _report(rows: list[tuple[str, str]], *notes: str) -> Report:
    """A table of new connections, one row per (items, parties), and notes under it."""
    lines = ["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", HEADER]
    lines += [
        f"{n}\t市民課\t業務{n}\t{items}\t－\t{parties}\t令和7年8月1日"
        for n, (items, parties) in enumerate(rows, 1)
    ]
    return parse_report("\n".join([*lines, *notes, ""]), "marks.txt", lenient=True)


def _row(report: Report, number: int) -> Connection:
    return next(c for c in report.connections if c.number == number)


def _infos(report: Report, line: int, field: str) -> list[str]:
    return [i.message for i in report.issues if i.line == line and i.field == field and i.severity == "info"]


# --- a mark before the value ---------------------------------------------------------------------


def test_a_mark_before_a_party_is_no_part_of_its_name() -> None:
    report = _report(
        [("氏名、住所", "※株式会社Ａ"), ("氏名", "株式会社Ｂ、＊1株式会社Ｃ"), ("氏名", "（注）株式会社Ｄ")],
        "※ 再委託先を含む",
        "＊1 令和8年3月末で終了予定",
        "（注）国外に所在する事業者",
    )
    assert _row(report, 1).counterparties_as_written == "株式会社Ａ"
    assert _row(report, 2).counterparties_as_written == "株式会社Ｂ、株式会社Ｃ"
    assert _row(report, 3).counterparties_as_written == "株式会社Ｄ"
    # the mark is kept with the cell as written, and points to its note
    (first,) = _infos(report, 4, "結合の相手方")
    assert "mark ※ before the value" in first and "line 7: ※ 再委託先を含む" in first
    (second,) = _infos(report, 5, "結合の相手方")
    assert "*1" in second and "line 8: ＊1 令和8年3月末で終了予定" in second
    (third,) = _infos(report, 6, "結合の相手方")
    assert "line 9: （注）国外に所在する事業者" in third


def test_a_mark_before_a_party_reaches_the_graph_without_it(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    lines = ["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", HEADER]
    lines += ["1\t市民課\t業務1\t氏名\t－\t※株式会社Ａ\t令和7年8月1日", "※ 再委託先を含む", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    built = build_report(metadata_from_options(path, "131041", 2025), reference(), lenient=True)
    recipients = {str(o) for _, p, o in built.result.graph if str(p).endswith("#hasRecipient")}
    assert recipients == {"https://w3id.org/ketsugo/id/org/name/株式会社a"}  # a company by its legal form


def test_a_mark_inside_a_value_or_a_date_is_left_alone() -> None:
    report = _report([("氏名", "株式会社Ａ ※再委託あり")])
    assert _row(report, 1).counterparties_as_written == "株式会社Ａ ※再委託あり"


# --- a mark on an item linked to its note ----------------------------------------------------------


def test_an_items_mark_is_linked_to_its_note_under_the_table() -> None:
    report = _report(
        [("氏名、住所（注）", "株式会社Ａ"), ("氏名、個人番号※1", "株式会社Ｂ"), ("氏名※2", "株式会社Ｃ")],
        "（注）住民票上の住所に限る",
        "※1 特定個人情報を含む",
    )
    one, two, three = (_row(report, n) for n in (1, 2, 3))
    assert [i.name for i in one.items.items] == ["氏名", "住所"]  # （注） is no part of the name
    assert one.items.items[1].footnote == "注"
    assert one.items.note == "（注）住民票上の住所に限る"
    assert [i.name for i in two.items.items] == ["氏名", "個人番号"]
    assert two.items.note == "※1 特定個人情報を含む"
    assert three.items.note == ""  # no note opens with ※2
    (said,) = [m for m in _infos(report, 6, "記録項目") if "※2" in m]
    assert "no note under the table opens with it" in said


def test_a_cells_own_note_comes_first() -> None:
    report = _report([("氏名※1、住所　※転出者を除く", "株式会社Ａ")], "※1 旧姓を含む")
    assert _row(report, 1).items.note == "※転出者を除く ※1 旧姓を含む"


@pytest.mark.parametrize(
    ("cell", "items", "note"),
    [
        ("氏名、※個人番号", [("氏名", ""), ("個人番号", "※")], ""),
        ("※個人番号、氏名、住所", [("個人番号", "※"), ("氏名", ""), ("住所", "")], ""),
        ("＊1個人番号、氏名", [("個人番号", "*1"), ("氏名", "")], ""),
        # a note, not a mark: a sentence, or a space after the mark (rule 1)
        ("※個人番号を含む", [], "※個人番号を含む"),
        ("※ 氏名、住所", [], "※ 氏名、住所"),
    ],
)
def test_a_mark_before_an_item_is_its_footnote(cell: str, items: list[tuple[str, str]], note: str) -> None:
    read = split_items(cell)
    assert [(i.name, i.footnote) for i in read.items] == items
    assert read.note == note


def test_of_several_notes_opening_with_the_mark_the_one_explaining_it_is_linked() -> None:
    report = _report(
        [("氏名、個人番号※", "株式会社Ａ")],
        "※　提供する項目は本市から相手方に提供するものです。",
        "※　※印を付した項目は特定個人情報です。",
    )
    assert _row(report, 1).items.note == "※　※印を付した項目は特定個人情報です。"


def test_a_mark_on_a_date_keeps_its_note_as_the_dates_note() -> None:
    lines = ["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", HEADER]
    lines += [
        "1\t市民課\t業務1\t氏名\t－\t株式会社Ａ\t令和7年8月1日※2",
        "2\t市民課\t業務2\t氏名\t－\t株式会社Ｂ\t令和7年9月1日（記載漏れ）※2",
        "※2 システム改修のため開始日を延期",
        "",
    ]
    report = parse_report("\n".join(lines), "dates.txt", lenient=True)
    one, two = report.connections
    assert one.start_date_as_written == "令和7年8月1日" and str(one.start_date) == "2025-08-01"
    assert one.start_date_note == "※2 システム改修のため開始日を延期"
    assert two.start_date_note == "(記載漏れ) ※2 システム改修のため開始日を延期"
