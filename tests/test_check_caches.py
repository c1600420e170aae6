"""The validation caches never give a stale answer: compiled shapes are reused only for a store
that answers what compiling asks as the first one did, and only for the same shapes with the same
triples; the reference graph's index only for the same quads. Each test changes one input and
expects what compiling (or indexing) afresh gives."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH

from ketsugo.check import sparql_engine
from ketsugo.check.findings import _GraphIndex
from ketsugo.check.shapes import load_shapes
from ketsugo.check.sparql_engine import Compiler, compile_shapes, store_placement, store_subclasses
from ketsugo.graph.reference import reference
from ketsugo.graph.vocab import REFERENCE_GRAPH
from ketsugo.store.disk import shared_quads, to_quads

from .test_validate import VALIDATE_CASES

REPORT = "https://w3id.org/ketsugo/graph/cache-test"
REF = str(REFERENCE_GRAPH)


@pytest.fixture(scope="module")
def reference_quads() -> list[ox.Quad]:
    return list(shared_quads(reference().graph, REF))


def _store(reference_quads: list[ox.Quad], *extra: ox.Quad) -> ox.Store:
    """The validate cases' base report and the reference graph, as validate_graph_sparql stores them."""
    data = Graph().parse(VALIDATE_CASES / "base.ttl", format="turtle")
    store = ox.Store()
    store.extend(to_quads([(URIRef(REPORT), data)]))
    store.extend(reference_quads)
    store.extend(extra)
    return store


def _fresh(store: ox.Store, shapes: Graph) -> list[str]:
    """The queries compiled without the cache."""
    compiled = Compiler(
        shapes, store_placement(store, REF), [REPORT], REF, store_subclasses(store, REF)
    ).compile()
    return [c.query for c in compiled.checks]


def _queries(store: ox.Store, shapes: Graph) -> list[str]:
    return [c.query for c in compile_shapes(store, shapes, [REPORT], REF).checks]


def test_the_same_store_gets_the_same_queries_as_compiled_afresh(reference_quads: list[ox.Quad]) -> None:
    store, shapes = _store(reference_quads), load_shapes()
    first, again = _queries(store, shapes), _queries(_store(reference_quads), shapes)
    assert first == again == _fresh(store, shapes)


def test_other_report_graphs_get_their_own_values(reference_quads: list[ox.Quad]) -> None:
    shapes = load_shapes()
    _queries(_store(reference_quads), shapes)
    data = Graph().parse(VALIDATE_CASES / "base.ttl", format="turtle")
    graphs = [f"{REPORT}/{n}" for n in (2, 1)]
    store = ox.Store()
    for graph in graphs:
        store.extend(to_quads([(URIRef(graph), data)]))
    store.extend(reference_quads)
    compiled = compile_shapes(store, shapes, graphs, REF)
    fresh = Compiler(shapes, store_placement(store, REF), graphs, REF, store_subclasses(store, REF)).compile()
    assert [c.query for c in compiled.checks] == [c.query for c in fresh.checks]
    assert all(
        f"<{graphs[0]}> <{graphs[1]}>" in c.query and f"<{REPORT}>" not in c.query for c in compiled.checks
    )


def test_a_predicate_that_moves_to_both_graphs_changes_the_queries(reference_quads: list[ox.Quad]) -> None:
    store, shapes = _store(reference_quads), load_shapes()
    before = _queries(store, shapes)
    answers = sparql_engine._Answers(store, REF)
    Compiler(shapes, store_placement(store, REF, answers), [REPORT], REF).compile()
    reports_only = [arg for kind, arg, answer in answers.asked if kind == "where" and answer == "report"]
    assert reports_only, "no predicate of the report graph alone: the test would prove nothing"
    # the same predicate now in the reference graph too: its triple patterns must read both graphs
    moved = ox.Quad(
        ox.NamedNode("urn:x:s"), ox.NamedNode(reports_only[0]), ox.Literal("x"), ox.NamedNode(REF)
    )
    changed = _store(reference_quads, moved)
    after = _queries(changed, shapes)
    assert after == _fresh(changed, shapes)
    assert after != before


def test_subclass_triples_in_a_report_change_the_queries(reference_quads: list[ox.Quad]) -> None:
    store, shapes = _store(reference_quads), load_shapes()
    before = _queries(store, shapes)
    subclass = ox.Quad(
        ox.NamedNode("urn:x:a"),
        ox.NamedNode(str(RDFS.subClassOf)),
        ox.NamedNode("urn:x:b"),
        ox.NamedNode(REPORT),
    )
    changed = _store(reference_quads, subclass)
    after = _queries(changed, shapes)
    assert after == _fresh(changed, shapes)
    assert after != before


def test_changed_shapes_are_compiled_again(reference_quads: list[ox.Quad]) -> None:
    store = _store(reference_quads)
    shapes = Graph()
    for triple in load_shapes():
        shapes.add(triple)
    compiled = compile_shapes(store, shapes, [REPORT], REF)
    check = next(c for c in compiled.checks if not c.sparql)
    for message in list(shapes.objects(check.shape, SH.message)):
        shapes.remove((check.shape, SH.message, message))
    shapes.add((check.shape, SH.message, Literal("changed for the test", lang="en")))
    again = compile_shapes(store, shapes, [REPORT], REF)
    messages = {str(m) for c in again.checks if c.shape == check.shape for m in c.messages}
    assert messages == {"changed for the test"}


def test_each_caller_gets_its_own_checks(reference_quads: list[ox.Quad]) -> None:
    store, shapes = _store(reference_quads), load_shapes()
    first = compile_shapes(store, shapes, [REPORT], REF)
    first.checks[0].seconds, first.checks[0].rows = 99.0, 99
    first.fallback["urn:x:shape"] = "added by the test"  # type: ignore[index]
    second = compile_shapes(store, shapes, [REPORT], REF)
    assert (second.checks[0].seconds, second.checks[0].rows) == (0.0, 0)
    assert "urn:x:shape" not in second.fallback


def test_the_reference_index_follows_the_reference_graph(reference_quads: list[ox.Quad]) -> None:
    label = URIRef("urn:x:label")
    added = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode(str(label)), ox.Literal("new"), ox.NamedNode(REF))
    plain, more = _store(reference_quads), _store(reference_quads, added)
    assert (URIRef("urn:x:s"), label) not in _GraphIndex.of(plain, REF, {}).forward
    assert _GraphIndex.of(more, REF, {}).forward[URIRef("urn:x:s"), label] == [Literal("new")]
    assert (URIRef("urn:x:s"), label) not in _GraphIndex.of(plain, REF, {}).forward
    fresh = _GraphIndex(plain.quads_for_pattern(None, None, None, ox.NamedNode(REF)), {})
    assert _GraphIndex.of(plain, REF, {}).forward == fresh.forward
    assert _GraphIndex.of(plain, REF, {}).backward == fresh.backward
