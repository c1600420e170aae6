"""The validation caches never give a stale answer: compiled shapes are reused only for a store
that answers what compiling asks as the first one did, and only for the same shapes with the same
triples; the reference graph is read from each store itself. Each test changes one input and
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

from ._check_support import base_graph

REPORT = "https://w3id.org/ketsugo/graph/cache-test"
REF = str(REFERENCE_GRAPH)


@pytest.fixture(scope="module")
def reference_quads() -> list[ox.Quad]:
    return list(shared_quads(reference().graph, REF))


def _store(reference_quads: list[ox.Quad], *extra: ox.Quad) -> ox.Store:
    """The validate cases' base report and the reference graph, as validate_graph_sparql stores them."""
    data = base_graph()
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
    data = base_graph()
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


def _every_answer(store: ox.Store, reader: _GraphIndex) -> tuple[dict, dict]:
    """Each (subject, predicate) and (predicate, object) of the reference graph asked of ``reader``,
    with its answer (order included)."""
    from ketsugo.check.findings import to_rdflib

    forward, backward = {}, {}
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(REF)):
        s, p, o = (to_rdflib(t) for t in (q.subject, q.predicate, q.object))
        forward[s, p] = reader.objects_of((s, p), q.subject, q.predicate)
        backward[p, o] = reader.subjects_of((p, o), q.predicate, q.object)
    return forward, backward


@pytest.mark.parametrize("read_all_after", [2000, 0, 50])
def test_the_reference_read_as_asked_answers_as_a_fresh_index(
    reference_quads: list[ox.Quad], read_all_after: int
) -> None:
    """Each answer read from the store when asked is the list (in its order) a fresh index of the
    whole graph holds; so too once the reader has indexed the graph whole (after ``read_all_after``
    look-ups), and for a (subject, predicate) or (predicate, object) the graph does not have."""
    from ketsugo.check.findings import _GraphReader

    store = _store(reference_quads)
    fresh = _GraphIndex(store.quads_for_pattern(None, None, None, ox.NamedNode(REF)), {})
    reader = _GraphReader(store, REF, {}, read_all_after=read_all_after)
    forward, backward = _every_answer(store, reader)
    assert forward == fresh.forward and backward == fresh.backward
    assert any(len(v) > 1 for v in backward.values()), "no answer with an order to keep"
    assert (reader.whole is not None) == (read_all_after < len(forward) + len(backward))
    nothing, label = ox.NamedNode("urn:x:nothing"), ox.NamedNode(str(RDFS.label))
    assert reader.objects_of((URIRef(nothing.value), RDFS.label), nothing, label) == []
    assert reader.subjects_of((RDFS.label, URIRef(nothing.value)), label, nothing) == []


def test_the_reference_read_as_asked_is_the_stores_own(reference_quads: list[ox.Quad]) -> None:
    """A reader answers from its own store: another build's reference graph (an organisation added)
    gets its own answers, and the first store's reader is not changed by it."""
    from ketsugo.check.findings import _GraphReader

    label = URIRef("urn:x:label")
    subject, predicate = ox.NamedNode("urn:x:s"), ox.NamedNode(str(label))
    added = ox.Quad(subject, predicate, ox.Literal("new"), ox.NamedNode(REF))
    plain, more = _store(reference_quads), _store(reference_quads, added)
    first, second = _GraphReader(plain, REF, {}), _GraphReader(more, REF, {})
    assert first.objects_of((URIRef(subject.value), label), subject, predicate) == []
    assert second.objects_of((URIRef(subject.value), label), subject, predicate) == [Literal("new")]
    new = second.subjects_of((label, Literal("new")), predicate, ox.Literal("new"))
    assert new == [URIRef(subject.value)]
    assert first.objects_of((URIRef(subject.value), label), subject, predicate) == []


# --- pyshacl's work graphs: the reference triples copied from a template, never shared -------------


@pytest.fixture(scope="module")
def reference_triples(reference_quads: list[ox.Quad]) -> list[tuple]:
    from ketsugo.check.findings import to_rdflib

    return [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in reference_quads]


def _reference_template(triples: list[tuple]) -> tuple[Graph, list[tuple]]:
    """A graph holding the reference triples, new for each test (one changes it)."""
    template = Graph(bind_namespaces="none")
    template.addN((s, p, o, template) for s, p, o in triples)
    return template, triples


def _lookups(graph: Graph, triples: list[tuple]) -> list[list[tuple]]:
    """What pyshacl asks a graph: every pattern with one or two terms bound, for some triples."""
    asked = []
    for s, p, o in triples[::250]:
        for pattern in ((s, None, None), (None, p, o), (None, None, o), (s, p, None), (None, p, None)):
            asked.append(sorted(graph.triples(pattern)))
    return asked


def _work_graph(shared: bool) -> Graph:
    """An empty work graph: its store copies the template's inner dicts when first changed (shared),
    or has them copied whole."""
    from ketsugo.check.pyshacl_engine import _SharedMemory, _WorkGraph

    return _WorkGraph(_SharedMemory()) if shared else _WorkGraph()


@pytest.mark.parametrize("shared", [True, False])
def test_a_copied_work_graph_answers_as_one_filled_afresh(
    reference_triples: list[tuple], shared: bool
) -> None:
    from ketsugo.check.pyshacl_engine import _copy_triples

    template, triples = _reference_template(reference_triples)
    fresh = Graph(bind_namespaces="none")
    fresh.addN((s, p, o, fresh) for s, p, o in triples)
    copy = _work_graph(shared)
    assert _copy_triples(template, copy)
    assert copy.identifier != template.identifier
    assert len(copy) == len(fresh) and set(copy) == set(fresh)
    assert _lookups(copy, triples) == _lookups(fresh, triples)
    assert all(triple in copy for triple in triples[::50])


@pytest.mark.parametrize("shared", [True, False])
def test_changing_a_copied_work_graph_leaves_the_template_as_it_was(
    reference_triples: list[tuple], shared: bool
) -> None:
    from ketsugo.check.pyshacl_engine import _copy_triples

    template, triples = _reference_template(reference_triples)
    before = set(template)
    lookups = _lookups(template, triples)
    first = _work_graph(shared)
    assert _copy_triples(template, first)
    # a report's triple, one about a reference subject (a new entry in an existing inner index), and
    # a reference triple taken out
    subject, predicate, _ = triples[0]
    added = [(URIRef("urn:x:s"), RDFS.label, Literal("new")), (subject, predicate, Literal("added"))]
    for triple in added:
        first.add(triple)
    first.remove(triples[1])
    first.remove((triples[2][0], None, None))  # every triple of a reference subject
    assert set(template) == before and len(template) == len(before)
    assert _lookups(template, triples) == lookups  # each index of the template as it was
    assert not any(triple in template for triple in added) and triples[1] in template
    # the copy holds what was done to it, as a graph filled afresh and changed alike would
    alike = Graph(bind_namespaces="none")
    alike.addN((s, p, o, alike) for s, p, o in triples)
    for triple in added:
        alike.add(triple)
    alike.remove(triples[1])
    alike.remove((triples[2][0], None, None))
    assert set(first) == set(alike) and _lookups(first, triples) == _lookups(alike, triples)
    second = _work_graph(shared)
    assert _copy_triples(template, second)
    assert set(second) == before
    assert sorted(second.triples((subject, predicate, None))) == sorted(
        template.triples((subject, predicate, None))
    )
    if not shared:  # (a template whose copies share its inner dicts is only read: _Validator's)
        # and the other way round: what is added to the template later is not in the earlier copy
        template.add((subject, predicate, Literal("later")))
        assert (subject, predicate, Literal("later")) not in second


def test_a_copy_into_a_graph_holding_triples_is_refused(reference_triples: list[tuple]) -> None:
    from ketsugo.check.pyshacl_engine import _copy_triples, _WorkGraph

    template, _ = _reference_template(reference_triples)
    target = _WorkGraph()
    target.add((URIRef("urn:x:s"), RDFS.label, Literal("mine")))
    assert not _copy_triples(template, target)
    assert len(target) == 1


def test_each_report_is_validated_on_its_own_triples(reference_quads: list[ox.Quad]) -> None:
    """One _Validator, report after report (its template copied for each): the findings a fresh
    validator gives for each report alone, whatever was validated before."""
    from ketsugo.check.pyshacl_engine import _Validator

    data = base_graph()
    broken = Graph()
    for triple in data:
        broken.add(triple)
    broken.update("DELETE WHERE { ?c <https://w3id.org/ketsugo#businessName> ?b }")
    store = ox.Store()
    store.extend(to_quads([(URIRef(REPORT), data), (URIRef(REPORT + "/broken"), broken)]))
    store.extend(reference_quads)
    shapes = load_shapes()

    def alone(graph: str) -> list:
        return _Validator(store, shapes).validate(graph, "case.txt", False).findings

    clean, faulty = alone(REPORT), alone(REPORT + "/broken")
    assert [f.path for f in faulty if f.path == "kg:businessName"], "nothing to tell the reports apart"
    validator = _Validator(store, shapes)
    reference = validator.reference_rdflib
    template = _lookups(validator.template, reference)
    for graph, expected in [(REPORT + "/broken", faulty), (REPORT, clean), (REPORT + "/broken", faulty)]:
        assert validator.validate(graph, "case.txt", False).findings == expected
    assert len(validator.template) == len(validator.reference_rdflib)
    assert _lookups(validator.template, reference) == template  # its shared indexes as they were


def test_a_reference_graph_loaded_again_is_read_with_its_own_blank_nodes(
    reference_quads: list[ox.Quad],
) -> None:
    """Each load names blank nodes anew (the reference graph has some, in OWL lists): the reader of
    each store answers with that store's own blank nodes, as a fresh index of that store does."""
    from ketsugo.check.findings import _GraphReader

    text = ox.serialize(reference_quads, format=ox.RdfFormat.N_QUADS)
    first, second = ox.Store(), ox.Store()
    first.load(text, format=ox.RdfFormat.N_QUADS)
    second.load(text, format=ox.RdfFormat.N_QUADS)
    blanks = {
        q.object
        for q in second.quads_for_pattern(None, None, None, None)
        if isinstance(q.object, ox.BlankNode)
    }
    assert blanks, "the reference graph has blank nodes (else this test shows nothing)"
    assert not blanks & {q.object for q in first.quads_for_pattern(None, None, None, None)}
    _every_answer(first, _GraphReader(first, REF, {}))
    for store in (second, first):
        fresh = _GraphIndex(store.quads_for_pattern(None, None, None, ox.NamedNode(REF)), {})
        assert _every_answer(store, _GraphReader(store, REF, {})) == (fresh.forward, fresh.backward)
