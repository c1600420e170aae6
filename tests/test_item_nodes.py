"""One data-item node per distinct item of a report (issue 11, docs/model.md DataItem).

The bundled report (data/reports/shinjuku-2020-gaibu-ketsugo.txt) writes the same items cell in
No.1 and No.2 (lines 21 and 22): ①給付対象者情報（住民番号、カナ氏名、漢字氏名、続柄、生年月日、郵便番号、
住所、世帯番号、世帯主漢字氏名、漢字方書） ②給付申請状況（発送年月日、あて名、返戻年月日、再発送年月日、
あて名、受理年月日、…）. The values below are read off those lines by hand.
"""

from __future__ import annotations

import pytest

import ketsugo

NO_1_FIRST_ITEMS = [
    "住民番号",
    "カナ氏名",
    "漢字氏名",
    "続柄",
    "生年月日",
    "郵便番号",
    "住所",
    "世帯番号",
    "世帯主漢字氏名",
    "漢字方書",
    "発送年月日",
    "あて名",
    "返戻年月日",
    "再発送年月日",
    "あて名",
    "受理年月日",
]

# an item's position in its row: 1 + the keys (12 hex digits and a space) before its own
POSITION = (
    'BIND(xsd:integer(STRLEN(STRBEFORE(?order, STRAFTER(STR(?item), "/item/"))) / 13) + 1 AS ?position)'
)


@pytest.fixture(scope="module")
def graph() -> ketsugo.KnowledgeGraph:
    return ketsugo.build()


def _items(graph: ketsugo.KnowledgeGraph, number: int) -> list[tuple[int, str, str]]:
    rows = graph.sparql(
        f"""SELECT ?position ?written ?item WHERE {{
             ?c kg:connectionNumber {number} ; kg:status kg:NewConnection ; kg:hasDataItem ?item ;
                kg:itemOrder ?order .
             ?item kg:asWritten ?written .
             {POSITION}
           }} ORDER BY ?position"""
    )
    return [(int(r["position"]), str(r["written"]), str(r["item"])) for r in rows]


def test_the_order_of_the_items_is_the_cells(graph: ketsugo.KnowledgeGraph) -> None:
    items = _items(graph, 1)
    assert [p for p, _, _ in items] == list(range(1, len(items) + 1))
    assert [w for _, w, _ in items][: len(NO_1_FIRST_ITEMS)] == NO_1_FIRST_ITEMS


def test_two_rows_writing_the_same_items_link_the_same_nodes(graph: ketsugo.KnowledgeGraph) -> None:
    one, two = _items(graph, 1), _items(graph, 2)
    assert len(one) >= len(NO_1_FIRST_ITEMS)
    assert [i for _, _, i in one] == [i for _, _, i in two]
    assert all("/report/131041/2020/item/" in i for _, _, i in one)  # a node of the report, not of a row


def test_an_item_written_twice_in_one_cell_is_two_nodes(graph: ketsugo.KnowledgeGraph) -> None:
    """あて名 stands twice under ②給付申請状況 in No.1 (12th and 15th): the row keeps both."""
    named = [(p, i) for p, w, i in _items(graph, 1) if w == "あて名"]
    assert [p for p, _ in named] == [12, 15]
    assert len({i for _, i in named}) == 2


def test_each_distinct_item_is_written_once(graph: ketsugo.KnowledgeGraph) -> None:
    """住民番号 under ①給付対象者情報 (No.1 and No.2): one node, its text once, linked from both rows."""
    rows = graph.sparql(
        """SELECT ?item (COUNT(DISTINCT ?c) AS ?rows) WHERE {
             ?item kg:asWritten "住民番号"@ja ; kg:groupHeading "給付対象者情報"@ja .
             ?c kg:hasDataItem ?item .
           } GROUP BY ?item"""
    )
    assert [int(r["rows"]) for r in rows] == [2]


def test_one_property_per_fact(graph: ketsugo.KnowledgeGraph) -> None:
    """kg:inReport and kg:department are written; their DPV / PROV super-properties are the
    ontology's axioms, not repeated per connection."""
    said = graph.sparql(
        """SELECT ?p (COUNT(*) AS ?n) WHERE {
             GRAPH ?g { ?c ?p ?o } VALUES ?p { prov:wasDerivedFrom dpv:hasOrganisationalUnit kg:inReport kg:department }
           } GROUP BY ?p"""
    )
    counts = {str(r["p"]).rsplit("#", 1)[-1]: int(r["n"]) for r in said}
    assert set(counts) == {"inReport", "department"}
    axioms = graph.sparql(
        """SELECT ?sub ?super WHERE {
             VALUES (?sub ?super) { (kg:inReport prov:wasDerivedFrom) (kg:department dpv:hasOrganisationalUnit) }
             ?sub rdfs:subPropertyOf ?super }"""
    )
    assert len(axioms) == 2


def test_unmapped_items_are_counted_per_row(graph: ketsugo.KnowledgeGraph) -> None:
    """An item no category matches is one node, but each row naming it counts (the build summary):
    No.4 and No.18 both write 納付内容カナ(…、年度、…) (lines 26 and 52), and 年度 says nothing
    of a person: one node, counted for each row."""
    from ketsugo.graph.reference import reference
    from ketsugo.pipeline import build_report
    from ketsugo.read.metadata import bundled_reports

    rows = graph.sparql(
        """SELECT DISTINCT ?item WHERE { ?c kg:hasDataItem ?item . ?item kg:asWritten "年度"@ja }"""
    )
    assert len(rows) == 1
    (meta,) = bundled_reports()
    unmapped = build_report(meta, reference()).result.unmapped_items
    assert [(number, status) for number, written, status in unmapped if written == "年度"] == [
        (4, "new"),
        (18, "new"),
    ]


def test_two_items_with_one_digest_stay_two_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were two items of a report to share a digest, the later is keyed apart, never merged."""
    from ketsugo.graph import quads
    from ketsugo.graph.reference import reference
    from ketsugo.pipeline import build_report
    from ketsugo.read.metadata import bundled_reports

    (meta,) = bundled_reports()

    def item_nodes() -> int:
        lines = build_report(meta, reference()).result.nquads().decode().splitlines()
        return len({line.split(" ", 1)[0] for line in lines if "/item/" in line.split(" ", 1)[0]})

    distinct = item_nodes()
    real = quads.item_key
    monkeypatch.setattr(quads, "item_key", lambda said: "0" * 12 if len(said) == 10 else real(said))
    assert item_nodes() == distinct
