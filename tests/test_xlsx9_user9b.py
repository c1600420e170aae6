"""The user9b case (tests/cases/user9b/kirishima-2023: a made-up 霧島市 FY2023 report published as
Excel with a two-level header, and as text copied out of it; expected.toml and NOTES.md written by
hand before ketsugo was run), for what xlsx9 fixed: a merged upper header cell read as a careful
reader reads it (the sub-column's own name first), a blank last cell of a row kept, and a 法令
column of its own read into the cited statutes. Expectations read by hand from report.txt."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report
from ketsugo.read.legal import parse_legal_basis, with_statutes
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import source_text
from ketsugo.read.sources.tables import Row, Span, Table, to_text
from ketsugo.read.stacked import merged_header

CASE = Path(__file__).parent / "cases" / "user9b" / "kirishima-2023"
CODE = "462187"


@pytest.fixture(scope="module")
def expected() -> dict:  # type: ignore[type-arg]
    with (CASE / "expected.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("form", ["xlsx", "txt"])
def test_the_published_workbook_builds_strictly_as_its_text_does(form: str, expected: dict) -> None:  # type: ignore[type-arg]
    built = build_report(metadata_from_options(CASE / f"report.{form}", CODE, None), reference())
    read = {(c.status, c.number) for c in built.report.connections}
    # row 8 区分 継続: a continuing connection since csv12 (expected.toml lists new and ended rows)
    assert read == {(row["status"], row["number"]) for row in expected["connection"]} | {("continuing", 8)}
    messages = [i.message for i in built.report.issues]
    assert not [m for m in messages if "too few fields" in m or "a second column" in m]


@pytest.mark.parametrize("form", ["xlsx", "txt"])
def test_the_statutes_column_gives_the_cited_statutes(form: str, expected: dict) -> None:  # type: ignore[type-arg]
    built = build_report(metadata_from_options(CASE / f"report.{form}", CODE, None), reference())
    read = {(c.status, c.number): c for c in built.report.connections}
    for row in expected["connection"]:
        basis = read[(row["status"], row["number"])].legal_basis
        cited = [
            {"law": s.law_name, "article": s.article, "paragraph": s.paragraph}
            for s in (basis.statutes if basis else ())
        ]
        wanted = [
            {"law": s["law"], "article": s.get("article", ""), "paragraph": s.get("paragraph", 0)}
            for s in row["statutes"]
        ]
        assert cited == wanted, (form, row["number"])
    # the council column is still read beside it: No.1 令和5年度第1回審議会承認
    first = read[("new", 1)].legal_basis
    assert first is not None and first.decision is not None
    assert (first.decision.fiscal_year, first.decision.meeting) == (2023, 1)


def test_the_workbook_header_names_each_column_once() -> None:
    text = source_text((CASE / "report.xlsx").read_bytes(), "report.xlsx").text
    report = parse_report(text, "report.xlsx")
    first = next(c for c in report.connections if c.number == 1)
    by_field = {c.field: c.text for c in first.cells if c.field}
    assert by_field["counterparties"] == "地方公共団体情報システム機構"  # 名称 under 結合の相手方
    assert by_field["statutes"] == "住民基本台帳法第12条の4"  # 法令 under 根拠
    assert by_field["end_date"] == ""  # the blank last cell: a field left blank
    # 提供方法 under 結合の相手方 names no field by itself: a column of its own, kept as written
    assert [(c.header, c.text) for c in first.extra_cells] == [("提供方法", "LGWAN")]


def test_a_grouped_header_cell_names_only_the_columns_saying_nothing_alone() -> None:
    header = ("No.", "担当課", "記録項目", "結合の相手方", "", "根拠", "", "結合の期間", "")
    lower = ("", "", "", "名称", "所在地", "審議会", "法令", "開始", "終了")
    spans = [Span(0, c, 2, 1) for c in (0, 1, 2)] + [Span(0, 3, 1, 2), Span(0, 5, 1, 2), Span(0, 7, 1, 2)]
    row = ("1", "総務課", "氏名", "甲株式会社", "東京都", "承認", "番号法", "R5.4.1", "")
    table = Table([Row(header, "r1"), Row(lower, "r2"), Row(row, "r3")], spans)
    text, _ = to_text([table])
    assert text.splitlines() == [
        # 根拠 法令 (根拠法令) names the statutes as 法令 does: both kept
        "No.\t担当課\t記録項目\t結合の相手方 名称\t所在地\t根拠 審議会\t根拠 法令\t結合の期間 開始\t結合の期間 終了",
        "1\t総務課\t氏名\t甲株式会社\t東京都\t承認\t番号法\tR5.4.1\t",  # the blank 終了 kept
    ]


def test_a_row_keeps_no_empty_cells_beyond_its_header() -> None:
    header = ("No.", "担当課", "記録項目", "相手方", "開始年月日")
    table = Table([Row(header, "r1"), Row(("1", "総務課", "", "", "", "", ""), "r2")])
    text, _ = to_text([table, Table([Row(("A", "B", "", ""), "t2")])])
    assert text.splitlines() == ["No.\t担当課\t記録項目\t相手方\t開始年月日", "1\t総務課\t\t\t", "", "A\tB"]


def test_the_text_form_two_header_lines_name_a_statutes_column_by_itself() -> None:
    # the pair would name the council column (審議会 is the longest name in it): 法令 decides
    upper, lower = ["No.", "根拠（審議会・法令）", ""], ["", "法令", "審議会"]
    assert merged_header(upper, lower) == ["No.", "法令", "審議会"]
    # the group names a sub-column that says nothing by itself, as before
    assert merged_header(["結合の相手方", ""], ["名称", "所在地"]) == ["結合の相手方 名称", "所在地"]


@pytest.mark.parametrize(
    ("cell", "laws"),
    [
        ("生活保護法第29条", [("生活保護法", "29", 0)]),
        ("予防接種法", [("予防接種法", "", 0)]),
        (
            "住民基本台帳法第30条の6、地方税法第321条の4第1項",
            [("住民基本台帳法", "30の6", 0), ("地方税法", "321の4", 1)],
        ),
        ("（住民基本台帳法第12条の4）", [("住民基本台帳法", "12の4", 0)]),
        ("該当なし", []),
        ("－", []),
        ("", []),
    ],
)
def test_a_statutes_cell_is_a_list_of_citations(cell: str, laws: list[tuple[str, str, int]]) -> None:
    basis, remarks = with_statutes(None, cell)
    assert [(s.law_name, s.article, s.paragraph) for s in basis.statutes] == laws
    assert [s.position for s in basis.statutes] == list(range(1, len(laws) + 1))
    assert remarks == ()
    assert basis.as_written == cell  # without a council column, the statutes cell is the legal basis


def test_statutes_join_the_council_cells_own_once() -> None:
    council = parse_legal_basis("令和2年度第4回審議会承認（予防接種法第6条第1項）")
    basis, remarks = with_statutes(council, "予防接種法第6条第1項、地方自治法第245条の9、別紙参照")
    assert basis.as_written == council.as_written and basis.decision == council.decision
    assert [(s.law_name, s.article, s.position) for s in basis.statutes] == [
        ("予防接種法", "6", 1),
        ("地方自治法", "245の9", 2),
    ]
    assert len(remarks) == 1 and "別紙参照" in remarks[0]  # named, kept only as written


def test_a_statutes_column_alone_giving_a_council_decision_is_read_as_a_legal_basis_cell() -> None:
    basis, _ = with_statutes(None, "令和2年度第1回審議会承認（住民基本台帳法第30条の6）")
    assert basis.decision is not None and (basis.decision.fiscal_year, basis.decision.meeting) == (2020, 1)
    assert [(s.law_name, s.article) for s in basis.statutes] == [("住民基本台帳法", "30の6")]


def test_a_statutes_column_alone_is_the_legal_basis_without_a_warning() -> None:
    text = (
        "(2) 新たに結合したもの\n"
        "No.\t担当課\t業務名\t記録項目\t結合の相手方\t根拠法令\t開始年月日\n"
        "1\t市民課\t住民票事務\t氏名\t地方公共団体情報システム機構\t住民基本台帳法第30条の6\t令和5年4月1日\n"
    )
    report = parse_report(text, "r.txt", lenient=True)
    (row,) = report.connections
    assert row.legal_basis is not None and row.legal_basis.as_written == "住民基本台帳法第30条の6"
    assert [s.law_name for s in row.legal_basis.statutes] == ["住民基本台帳法"]
    assert not [i for i in report.issues if "条例根拠" in i.message or "根拠法令" in i.field]


def test_a_web_page_two_level_header_reads_as_the_workbook() -> None:
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h2>(2) 新たに結合したもの</h2>
    <table><tr><th rowspan="2">No.</th><th rowspan="2">担当課</th><th rowspan="2">業務名</th>
    <th rowspan="2">記録項目</th><th colspan="2">結合の相手方</th><th colspan="2">根拠</th>
    <th colspan="2">結合の期間</th></tr>
    <tr><th>名称</th><th>提供方法</th><th>審議会</th><th>法令</th><th>開始年月日</th><th>終了年月日</th></tr>
    <tr><td>1</td><td>市民課</td><td>住民票事務</td><td>氏名</td><td>地方公共団体情報システム機構</td>
    <td>専用回線</td><td>該当なし</td><td>住民基本台帳法第30条の6</td><td>令和5年4月1日</td><td></td></tr>
    </table></body></html>"""
    text = source_text(page.encode(), "page.html").text
    report = parse_report(text, "page.html")  # strict: no second column, no row too short
    (row,) = report.connections
    assert row.counterparties_as_written == "地方公共団体情報システム機構"
    assert row.legal_basis is not None
    assert [(s.law_name, s.article) for s in row.legal_basis.statutes] == [("住民基本台帳法", "30の6")]
    assert row.start_date is not None and row.start_date.isoformat() == "2023-04-01"
    assert row.end_date_as_written == ""
