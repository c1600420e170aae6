"""Legends (凡例) of item codes (docs/items.md rule 14) and change remarks after an item (rule 15).

Every report here is written by hand; the expected items are read from its legend by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report
from ketsugo.read.items import split_items
from ketsugo.read.legend import LegendEntry, legend_of, read_items
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t結合開始日"


def _report(rows: list[str], *, before: str = "", after: str = "") -> str:
    """A report of one table of new connections, with text before and after it."""
    lines = ["令和7年度　外部結合の状況", before, "(2) 新たに外部結合を開始したもの", HEADER]
    lines += [
        f"{n}\t市民課\t業務{n}\t{cell}\t－\t株式会社テスト{n}\t令和7年8月1日"
        for n, cell in enumerate(rows, 1)
    ]
    return "\n".join([*lines, "", after, ""])


# Two tables side by side after the report's tables: A…D on the left, E…H on the right.
SIDE_BY_SIDE = """記録項目の凡例
記号\t項目名\t\t記号\t項目名
A\t氏名\t\tE\t住所
B\tカナ氏名\t\tF\t電話番号
C\t生年月日\t\tG\t個人番号
D\t性別\t\tH\t口座情報"""


def _parse(text: str) -> Report:
    return parse_report(text, "legend.txt", lenient=True)


def _names(report: Report, number: int) -> list[str]:
    row = next(c for c in report.connections if c.number == number)
    return [i.name for i in row.items.items]


def test_a_legend_after_the_tables_turns_codes_into_item_names() -> None:
    cells = ["A,C,E", "A～D,G", "A〜C", "Ａ－Ｃ、H", "B・F", "A,B,その他", "A,C,E,H等", "E-H"]
    report = _parse(_report(cells, after=SIDE_BY_SIDE))
    assert _names(report, 1) == ["氏名", "生年月日", "住所"]
    assert _names(report, 2) == [
        "氏名",
        "カナ氏名",
        "生年月日",
        "性別",
        "個人番号",
    ]  # A～D in the legend's order
    assert _names(report, 3) == ["氏名", "カナ氏名", "生年月日"]
    assert _names(report, 4) == ["氏名", "カナ氏名", "生年月日", "口座情報"]
    assert _names(report, 5) == ["カナ氏名", "電話番号"]
    assert _names(report, 6) == ["氏名", "カナ氏名", "その他"]
    assert _names(report, 7) == ["氏名", "生年月日", "住所", "口座情報"]
    assert _names(report, 8) == ["住所", "電話番号", "個人番号", "口座情報"]  # down the right-hand table
    seventh = next(c for c in report.connections if c.number == 7)
    assert seventh.items.open_ended and seventh.items_as_written == "A,C,E,H等"
    first = next(c for c in report.connections if c.number == 1).items.items
    assert [(i.as_written, i.legend_code) for i in first] == [("氏名", "A"), ("生年月日", "C"), ("住所", "E")]
    assert [i.legend_code for i in next(c for c in report.connections if c.number == 6).items.items] == [
        "A",
        "B",
        "",
    ]


def test_a_legend_name_is_read_as_if_written_in_the_cell() -> None:
    legend = (
        "凡例\n記号\t項目名\nA\t4情報（氏名・生年月日・性別・住所）\nB\t電話番号、メールアドレス\nC\t個人番号"
    )
    report = _parse(_report(["A,C", "B"], after=legend))
    assert _names(report, 1) == ["氏名", "生年月日", "性別", "住所", "個人番号"]
    assert _names(report, 2) == ["電話番号", "メールアドレス"]
    first = next(c for c in report.connections if c.number == 1).items.items
    assert [i.legend_code for i in first] == ["A", "A", "A", "A", "C"] and first[0].group == "4情報"


def test_the_legend_is_no_connection_row_and_is_kept_with_an_info() -> None:
    report = _parse(_report(["A,C"], after=SIDE_BY_SIDE))
    assert not [i for i in report.issues if i.severity == "error"]
    assert not [i for i in report.issues if i.severity == "warning" and i.line > 6]
    infos = [i for i in report.issues if "凡例" in i.message and i.severity == "info"]
    assert len(infos) == 1 and "8 item codes" in infos[0].message
    kept = [line for _, line in report.unread_lines]
    assert "A\t氏名\t\tE\t住所" in kept and "記録項目の凡例" in kept
    assert [c.number for c in report.connections] == [1]


def test_a_legend_before_the_tables_written_in_one_line() -> None:
    report = _parse(_report(["ア、ウ", "ア～ウ"], before="凡例：ア 氏名、イ 住所、ウ 生年月日"))
    assert _names(report, 1) == ["氏名", "生年月日"]
    assert _names(report, 2) == ["氏名", "住所", "生年月日"]
    assert not [i for i in report.issues if i.severity == "error" or (i.line == 2 and i.severity != "info")]


def test_a_legend_of_circled_numbers_along_its_rows() -> None:
    legend = "項目の記号\n①\t氏名\t②\t住所\t③\t生年月日\n④\t性別\t⑤\t個人番号"
    report = _parse(_report(["①、③、⑤", "②～④"], after=legend))
    assert _names(report, 1) == ["氏名", "生年月日", "個人番号"]
    assert _names(report, 2) == ["住所", "生年月日", "性別"]


def test_a_code_not_in_the_legend_is_kept_with_a_warning() -> None:
    report = _parse(_report(["A,C,Q", "A～Z"], after=SIDE_BY_SIDE))
    assert _names(report, 1) == ["氏名", "生年月日", "Q"]
    assert _names(report, 2) == ["A～Z"]
    warnings = [i for i in report.issues if i.severity == "warning"]
    assert any("code Q" in w.message and "A,C,Q" in w.message for w in warnings)
    assert any("code Z" in w.message and "A～Z" in w.message for w in warnings)


def test_a_legend_giving_a_code_twice_is_warned_about() -> None:
    legend = "凡例\n記号\t項目名\nA\t氏名\nB\t住所\nA\t生年月日"
    report = _parse(_report(["A,B"], after=legend))
    assert _names(report, 1) == ["氏名", "住所"]
    assert any("code A twice" in i.message and i.severity == "warning" for i in report.issues)


def test_bare_letters_without_a_legend_suggest_one_is_missing() -> None:
    report = _parse(_report(["A,C,E", "氏名、住所"]))
    assert _names(report, 1) == ["A", "C", "E"]
    warnings = [i for i in report.issues if i.severity == "warning" and "凡例" in i.message]
    assert len(warnings) == 1 and warnings[0].as_written == "A,C,E"


def test_a_mention_of_the_legend_is_no_legend() -> None:
    report = _parse(
        _report(["A,C"], after="※記録項目欄の記号は、「凡例」シートのとおり。\n※○は特定個人情報を含む。")
    )
    assert _names(report, 1) == ["A", "C"]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("ＩＤ、Eメール", ["ＩＤ", "Eメール"]),  # names that hold a letter of the legend
        ("氏名、住所、区分A", ["氏名", "住所", "区分A"]),
        ("氏名・住所・生年月日", ["氏名", "住所", "生年月日"]),
    ],
)
def test_written_names_are_not_read_as_codes(cell: str, names: list[str]) -> None:
    legend = legend_of(
        [LegendEntry(c, n, 1) for c, n in (("A", "氏名"), ("D", "電話"), ("E", "住所"), ("I", "ID"))]
    )
    read = read_items(cell, legend)
    assert [i.name for i in read.items] == names
    assert not any(i.legend_code for i in read.items) and not read.remarks


def test_codes_read_through_the_legend_have_their_categories(tmp_path: Path) -> None:
    report = tmp_path / "legend.txt"
    report.write_text(_report(["A,C,G", "B～D"], after=SIDE_BY_SIDE), encoding="utf-8")
    built = build_report(metadata_from_options(report, "131041", None), reference(), lenient=True)
    quads = "\n".join(str(q) for q in built.result.graph)
    assert "legendCode" in quads and "my-number" in quads and "date-of-birth" in quads
    assert not built.result.unmapped_items or all(i[1] not in "ABCDG" for i in built.result.unmapped_items)


# --- rule 15: a change remark after an item ------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "name", "note"),
    [
        ("個人番号（追加）", "個人番号", "（追加）"),
        ("個人番号(新規)", "個人番号", "(新規)"),
        ("口座番号（変更）", "口座番号", "（変更）"),
        ("個人番号（マイナンバー）", "個人番号（マイナンバー）", ""),
    ],
)
def test_a_change_remark_is_the_items_note(cell: str, name: str, note: str) -> None:
    item = split_items(f"氏名、{cell}").items[1]
    assert (item.name, item.note, item.as_written) == (name, note, cell)


@pytest.mark.parametrize(
    ("legend", "cells", "names"),
    [
        # numbers, one pair a line written together with a colon
        (
            "記録項目一覧\n1：氏名\n2：住所\n3：生年月日\n4：個人番号",
            ["1,3", "2～4"],
            [["氏名", "生年月日"], ["住所", "生年月日", "個人番号"]],
        ),
        # bracketed numbers, pairs on one line after the title
        ("項目の記号\n(1) 氏名　(2) 住所　(3) 性別", ["(1)、(3)"], [["氏名", "性別"]]),
        # a full-width legend, half-width cells (and the other way round)
        (
            "凡例\n記号\t項目名\nＡ\t氏名\nＢ\t住所\nＣ\t電話番号",
            ["A,C", "Ａ～Ｃ"],
            [["氏名", "電話番号"], ["氏名", "住所", "電話番号"]],
        ),
    ],
)
def test_legends_of_other_codes(legend: str, cells: list[str], names: list[list[str]]) -> None:
    report = _parse(_report(cells, after=legend))
    assert [_names(report, n) for n in range(1, len(cells) + 1)] == names
    assert not [i for i in report.issues if i.severity == "error"]


# --- the user10 case: a legend on the last sheet (tests/cases/user10/shizuoka-2025) -------------

CASE = Path(__file__).parent / "cases" / "user10" / "shizuoka-2025"


@pytest.mark.parametrize("form", ["report.txt", "report.xlsx"])
def test_the_user10_item_lists_are_the_legends_names(form: str) -> None:
    """Every item list of the case as expected.toml (written by hand before ketsugo ran) has it,
    in both forms; the legend rows are no connection rows."""
    from ketsugo.read.sources import read_source

    with (CASE / "expected.toml").open("rb") as handle:
        expected = tomllib.load(handle)
    decoded = read_source(CASE / form, None)
    report = parse_report(decoded.text, form, lenient=True)
    got = {(c.status, c.number): [i.name for i in c.items.items] for c in report.connections}
    got |= {("changed", c.number): [i.name for i in c.items.items] for c in report.changes}
    wanted = {(c["status"], c["number"]): c["items"] for c in expected["connection"]}
    wanted |= {("changed", c["number"]): c["items"] for c in expected["change"]}
    assert got == wanted
    legend_rows = [i for i in report.issues if i.as_written.startswith(("A\t氏名", "記号\t項目名"))]
    assert [i.severity for i in legend_rows] == []
    assert sum("凡例" in i.message and i.severity == "info" for i in report.issues) == 1


def test_item_columns_split_by_direction_are_read_through_the_legend() -> None:
    """提供する個人情報 / 受領する個人情報 (read/directed.py) with legend codes: each column's codes are
    the legend's names, as in a one-column cell (they stayed the letters A, C …). Read by hand from
    the legend SIDE_BY_SIDE."""
    header = "No.\t担当課\t業務名\t提供する個人情報\t受領する個人情報\t特定個人情報\t結合の相手方\t結合開始日"
    rows = [
        "1\t市民課\t業務1\tA,C,E\t－\t－\t株式会社テスト1\t令和7年8月1日",
        "2\t市民課\t業務2\t－\tA～C\t－\t株式会社テスト2\t令和7年8月1日",
        "3\t市民課\t業務3\tG\tA,H\t○\t株式会社テスト3\t令和7年8月1日",
    ]
    text = "\n".join(
        ["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", header, *rows, "", SIDE_BY_SIDE, ""]
    )
    report = _parse(text)
    assert _names(report, 1) == ["氏名", "生年月日", "住所"]
    assert _names(report, 2) == ["氏名", "カナ氏名", "生年月日"]
    assert _names(report, 3) == ["個人番号", "氏名", "口座情報"]
    directions = {c.number: c.direction for c in report.connections}
    assert directions == {1: "to_party", 2: "from_party", 3: "both"}


def test_codes_joined_to_a_name_by_oyobi_are_split() -> None:
    """「A、B及び個人番号」: codes and a written name joined by 及び (rule 2d) — 氏名, カナ氏名, 個人番号,
    read by hand from SIDE_BY_SIDE. The piece 「B及び個人番号」 was kept as one item named so."""
    report = _parse(_report(["A、B及び個人番号", "C並びにE"], after=SIDE_BY_SIDE))
    assert _names(report, 1) == ["氏名", "カナ氏名", "個人番号"]
    assert _names(report, 2) == ["生年月日", "住所"]
