"""Subcontractors in brackets that the first reading got wrong without a finding (this session's
review): a nested bracket (再委託先：B（再々委託先：C）), a party named as its own subcontractor, and a
bracket never closed. What each test expects was read from the cells by hand before ketsugo was run:
株式会社A（再委託先：株式会社B（再々委託先：株式会社C）） is three parties, B A's subcontractor and C B's;
株式会社A（再委託先：株式会社A） is one party, A, and a warning; 株式会社D（再委託先：株式会社E is D and
its subcontractor E, read as if the bracket closed at the cell's end, and a warning; 株式会社A、
株式会社Bに再委託 is A and its subcontractor B.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Literal

from ketsugo.graph.quads import build_graph
from ketsugo.graph.reference import reference
from ketsugo.graph.resolve import Registry
from ketsugo.graph.vocab import KG
from ketsugo.paths import REFERENCE_DIR
from ketsugo.read.metadata import ReportMetadata
from ketsugo.read.parser import parse_report

HEADER = (
    "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t"
    "外部結合に係る個人情報記録の項目\t特定個人情報の有無\t条例根拠\t結合の相手方\t結合の開始年月日"
)
PREFIX = "外部電子計算機との結合の状況（令和2年度）\n\n(2) 新たに外部計算機との結合を行った外部結合の内訳\n\n"
META = ReportMetadata(
    path=Path("t.txt"), municipality_code="131041", municipality_name="新宿区", fiscal_year=2020
)


@cache
def registry() -> Registry:
    graph = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return Registry.from_graph(graph)


def parties(cell: str) -> list[tuple[str, str, int | None]]:
    """(as written, the organisation's key (the IRI's last part), its contractor's index)."""
    found, _ = registry().counterparties(cell)
    return [(m.as_written, str(m.organisation).rsplit("/", 1)[-1], m.contractor) for m in found]


def test_a_nested_bracket_gives_the_subcontractors_own_subcontractor() -> None:
    assert parties("株式会社A（再委託先：株式会社B（再々委託先：株式会社C））") == [
        ("株式会社A（再委託先：株式会社B（再々委託先：株式会社C））", "株式会社a", None),
        ("再委託先：株式会社B（再々委託先：株式会社C）", "株式会社b", 0),
        ("再々委託先：株式会社C", "株式会社c", 1),
    ]
    assert registry().counterparty_warnings("株式会社A（再委託先：株式会社B（再々委託先：株式会社C））") == []


def test_a_party_is_never_its_own_subcontractor() -> None:
    cell = "株式会社A（再委託先：株式会社A）"
    assert parties(cell) == [(cell, "株式会社a", None)]
    (warning,) = registry().counterparty_warnings(cell)
    assert "own subcontractor" in warning and "再委託先：株式会社A" in warning


def test_an_unclosed_bracket_is_read_as_closed_at_the_cells_end_with_a_warning() -> None:
    cell = "株式会社D（再委託先：株式会社E"
    assert parties(cell) == [(cell, "株式会社d", None), ("再委託先：株式会社E", "株式会社e", 0)]
    (warning,) = registry().counterparty_warnings(cell)
    assert "unclosed bracket" in warning and cell in warning


def test_an_unclosed_bracket_that_names_no_subcontractor_is_as_before() -> None:
    assert registry().counterparty_warnings("株式会社D（東京都") == []


def test_a_subcontract_in_a_piece_of_its_own_names_the_party_before_it() -> None:
    # read by hand: 株式会社A、株式会社Bに再委託 is A, which subcontracts to B (B's name without に再委託)
    assert parties("株式会社A、株式会社Bに再委託") == [
        ("株式会社A", "株式会社a", None),
        ("株式会社Bに再委託", "株式会社b", 0),
    ]
    assert parties("株式会社A、再委託先：株式会社B") == [
        ("株式会社A", "株式会社a", None),
        ("再委託先：株式会社B", "株式会社b", 0),
    ]
    assert registry().counterparty_warnings("株式会社A、株式会社Bに再委託") == []


def test_a_subcontract_after_several_parties_is_a_party_and_a_warning() -> None:
    # whose subcontractor B is (A's or C's) is not written: B is a party of its own, with a warning
    cell = "株式会社A、株式会社C、株式会社Bに再委託"
    assert parties(cell) == [
        ("株式会社A", "株式会社a", None),
        ("株式会社C", "株式会社c", None),
        ("株式会社Bに再委託", "株式会社b", None),
    ]
    (warning,) = registry().counterparty_warnings(cell)
    assert "contractor is not clear" in warning and "株式会社Bに再委託" in warning


def test_the_warnings_reach_the_build_and_the_chain_the_graph() -> None:
    rows = [
        ["1", "総務課", "業務", "理由", "区民", "氏名", "", "条例", cell, "R2.5.15"]
        for cell in (
            "株式会社A（再委託先：株式会社B（再々委託先：株式会社C））",
            "株式会社A（再委託先：株式会社A）",
            "株式会社D（再委託先：株式会社E",
        )
    ]
    for number, row in enumerate(rows, start=1):
        row[0] = str(number)
    text = PREFIX + HEADER + "\n" + "\n".join("\t".join(r) for r in rows) + "\n"
    result = build_graph(parse_report(text, "t.txt", lenient=True), META, reference())
    graph = result.graph
    labels = {}
    for number in (1, 2, 3):
        (c,) = graph.subjects(KG.connectionNumber, Literal(number))
        labels[number] = sorted(
            (
                str(graph.value(s, KG.contractor)).rsplit("/", 1)[-1],
                str(graph.value(s, KG.subcontractor)).rsplit("/", 1)[-1],
            )
            for s in graph.objects(c, KG.subcontracting)
        )
    assert labels == {
        1: [("株式会社a", "株式会社b"), ("株式会社b", "株式会社c")],
        2: [],
        3: [("株式会社d", "株式会社e")],
    }
    warned = sorted(
        (i.severity, i.message.split(":")[0])
        for i in result.warnings
        if "subcontractor" in i.message or "bracket" in i.message
    )
    assert warned == [
        ("warning", "a party named as its own subcontractor, kept once"),
        ("warning", "unclosed bracket, read as closed at the end of the cell"),
    ]
