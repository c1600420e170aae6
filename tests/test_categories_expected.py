"""Personal-data categories per connection against a hand-labelled expectation.

tests/expected/shinjuku-2020-categories.toml was written by reading the report and the category
definitions (ontology/categories.ttl), not by running the matcher. For each connection:

- every ``must`` slug is carried: some category of the connection is that category or narrower than it
  (its skos:broader chain, read from the reference graph, reaches the slug);
- no ``must_not`` slug is carried in the same sense.

A connection's categories are the objects of dpv:hasPersonalData on the connection, together with the
kg:hasCategory values of its items (kg:hasDataItem).
"""

from __future__ import annotations

import tomllib
from functools import cache

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from ketsugo.graph.reference import reference
from ketsugo.paths import ROOT
from ketsugo.pipeline import build_report
from ketsugo.read.metadata import bundled_reports

EXPECTED = ROOT / "tests" / "expected" / "shinjuku-2020-categories.toml"
KG = Namespace("https://w3id.org/ketsugo#")
KGC = Namespace("https://w3id.org/ketsugo/id/category/")
DPV = Namespace("https://w3id.org/dpv#")
CONNECTION = "https://w3id.org/ketsugo/id/131041/2020/connection/{n}"


def _rows() -> list[dict]:
    with EXPECTED.open("rb") as handle:
        return tomllib.load(handle)["connection"]


@cache
def _reference_graph() -> Graph:
    return reference().graph


@cache
def _report_graph() -> Graph:
    one = build_report(bundled_reports()[0], reference())
    return one.result.graph


def _slug(category: URIRef) -> str:
    text = str(category)
    assert text.startswith(str(KGC)), f"not a ketsugo category: {text}"
    return text.removeprefix(str(KGC))


def _self_and_broader(category: URIRef) -> set[str]:
    """The slug of ``category`` and of every concept above it along skos:broader."""
    ref = _reference_graph()
    seen: set[URIRef] = set()
    todo = [category]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(o for o in ref.objects(node, SKOS.broader) if isinstance(o, URIRef))
    return {_slug(node) for node in seen}


def _items(graph: Graph, connection: URIRef) -> set[URIRef]:
    """The connection's data items (kg:hasDataItem, followed transitively in case items nest)."""
    found: set[URIRef] = set()
    todo = [connection]
    while todo:
        node = todo.pop()
        for item in graph.objects(node, KG.hasDataItem):
            if isinstance(item, URIRef) and item not in found:
                found.add(item)
                todo.append(item)
    return found


def _categories(number: int) -> set[URIRef]:
    graph = _report_graph()
    connection = URIRef(CONNECTION.format(n=number))
    assert (connection, None, None) in graph, f"connection {number} missing from the graph"
    categories = {o for o in graph.objects(connection, DPV.hasPersonalData) if isinstance(o, URIRef)}
    for item in _items(graph, connection):
        categories.update(o for o in graph.objects(item, KG.hasCategory) if isinstance(o, URIRef))
    return categories


def _carried(number: int) -> dict[str, set[str]]:
    """For each slug carried by the connection, the connection categories that carry it."""
    carried: dict[str, set[str]] = {}
    for category in _categories(number):
        for slug in _self_and_broader(category):
            carried.setdefault(slug, set()).add(_slug(category))
    return carried


def test_expectation_file_is_well_formed() -> None:
    rows = _rows()
    assert [row["number"] for row in rows] == list(range(1, 23))
    known = {_slug(s) for s in _reference_graph().subjects(SKOS.inScheme, KG.DataItemCategoryScheme)}
    for row in rows:
        must, must_not = row["must"], row["must_not"]
        assert len(set(must)) == len(must), f"No.{row['number']}: duplicate must"
        assert len(set(must_not)) == len(must_not), f"No.{row['number']}: duplicate must_not"
        assert set(must) <= known, f"No.{row['number']}: unknown {set(must) - known}"
        assert set(must_not) <= known, f"No.{row['number']}: unknown {set(must_not) - known}"
        assert not set(must) & set(must_not), f"No.{row['number']}: contradictory labels"
    numbers_with_my_number = {row["number"] for row in rows if "my-number" in row["must"]}
    assert numbers_with_my_number == {12, 16}
    assert all("my-number" in row["must_not"] for row in rows if row["number"] not in {12, 16})


@pytest.mark.parametrize("row", [pytest.param(r, id=f"No.{r['number']}") for r in _rows()])
def test_connection_categories(row: dict) -> None:
    number = row["number"]
    carried = _carried(number)
    missing = [slug for slug in row["must"] if slug not in carried]
    forbidden = {slug: sorted(carried[slug]) for slug in row["must_not"] if slug in carried}
    assert not missing and not forbidden, (
        f"No.{number}: missing {missing}; carried though labelled absent {forbidden}; "
        f"connection categories {sorted(_slug(c) for c in _categories(number))}"
    )
