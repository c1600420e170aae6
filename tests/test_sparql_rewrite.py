"""The rewrite that lets one SPARQL query check every report: each triple pattern in the graph
that can hold it (ketsugo.check.sparql_rewrite), and the inventory of SHACL features the shapes use."""

from __future__ import annotations

import runpy
from pathlib import Path

import pyoxigraph as ox
import pytest

from ketsugo.check.sparql_rewrite import GRAPH_VAR, Placement, Rewriter, Unsupported

ROOT = Path(__file__).resolve().parents[1]
REF = "https://example.org/graph/reference"
KG = "https://w3id.org/ketsugo#"
WHERE = {
    KG + "status": "report",
    KG + "broader": "reference",
    "http://www.w3.org/2000/01/rdf-schema#label": "both",
}


def _rewriter() -> Rewriter:
    return Rewriter({"kg": KG}, Placement(lambda p: WHERE.get(p, "report")), REF)  # type: ignore[arg-type, return-value]


def test_each_pattern_goes_to_the_graph_that_holds_its_predicate() -> None:
    text = _rewriter().group(
        "{ $this kg:status ?s ; kg:broader* kg:top . OPTIONAL { $this <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
    )
    assert f"GRAPH {GRAPH_VAR} {{ $this <{KG}status> ?s }}" in text
    assert f"GRAPH <{REF}> {{ $this (<{KG}broader>)* kg:top }}" in text
    assert "UNION" in text  # rdfs:label: in the report and the reference graph


def test_a_repeated_path_over_both_graphs_is_not_compiled() -> None:
    with pytest.raises(Unsupported):
        _rewriter().group("{ ?a (<http://www.w3.org/2000/01/rdf-schema#label>)* kg:x }")


def test_unknown_syntax_is_not_compiled() -> None:
    for text in ("{ GRAPH ?g { ?a ?b ?c } }", "{ VALUES ?a { 1 } }", "{ ?a kg:p [ kg:q 1 ] }"):
        with pytest.raises(Unsupported):
            _rewriter().group(text)


def test_rewritten_query_gives_the_merged_graph_answer() -> None:
    """A report graph plus the reference graph, asked at once: what each merged graph answers."""
    store = ox.Store()
    ex = "https://example.org/"
    g1, g2 = ox.NamedNode(ex + "g1"), ox.NamedNode(ex + "g2")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.extend(
        [
            ox.Quad(ox.NamedNode(ex + "c1"), ox.NamedNode(KG + "status"), ox.NamedNode(ex + "org"), g1),
            ox.Quad(ox.NamedNode(ex + "c2"), ox.NamedNode(KG + "status"), ox.NamedNode(ex + "org"), g2),
            ox.Quad(ox.NamedNode(ex + "org"), label, ox.Literal("in the reference"), ox.NamedNode(REF)),
            ox.Quad(ox.NamedNode(ex + "org"), label, ox.Literal("as g2 writes it"), g2),
        ]
    )
    where = _rewriter().group("{ ?c kg:status ?o . ?o <http://www.w3.org/2000/01/rdf-schema#label> ?name }")
    query = f"SELECT {GRAPH_VAR} ?c ?name WHERE {{ VALUES {GRAPH_VAR} {{ <{ex}g1> <{ex}g2> }} {where[1:]}"
    rows = {(r[GRAPH_VAR[1:]].value, r["c"].value, r["name"].value) for r in store.query(query)}
    assert rows == {
        (ex + "g1", ex + "c1", "in the reference"),
        (ex + "g2", ex + "c2", "in the reference"),
        (ex + "g2", ex + "c2", "as g2 writes it"),
    }


def test_every_feature_the_shapes_use_compiles() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "shacl_features.py"))
    from ketsugo.check.sparql_engine import SUPPORTED_FEATURES

    used = script["features"](sorted((ROOT / "shapes").glob("*.ttl")))
    assert "sh:sparql" in used and "sh:minCount" in used
    assert set(used) <= SUPPORTED_FEATURES, sorted(set(used) - SUPPORTED_FEATURES)


def test_a_not_exists_of_plain_triples_becomes_minus() -> None:
    """MINUS gives the same rows when every variable the pattern shares is bound by its triples and
    one of them is bound on the left: one anti-join instead of one evaluation per row."""
    text = _rewriter().group("{ ?c kg:status ?s . FILTER NOT EXISTS { ?c kg:reason ?why } }")
    assert "MINUS { GRAPH" in text and "NOT EXISTS" not in text
    nested = _rewriter().group(
        "{ ?c kg:status ?s . FILTER NOT EXISTS { ?x kg:inReport ?c . FILTER NOT EXISTS { ?x kg:agency ?a } } }"
    )
    assert nested.count("MINUS") == 2 and "NOT EXISTS" not in nested


def test_a_not_exists_that_minus_would_answer_otherwise_stays() -> None:
    for text in (
        # a filter inside reads a variable of the outer group: MINUS would not see its value
        "{ ?c kg:number ?n . FILTER NOT EXISTS { ?d kg:number ?m . FILTER (?m = ?n - 1) } }",
        # the shared variable may be unbound on the left (OPTIONAL): nothing in common for MINUS
        "{ ?c kg:status ?s . OPTIONAL { ?c kg:agency ?a } FILTER NOT EXISTS { ?a kg:label ?l } }",
        # the shared variable is only in an OPTIONAL of the pattern: not bound by every solution
        "{ ?c kg:status ?s . FILTER NOT EXISTS { ?x kg:status ?s . OPTIONAL { ?x kg:of ?c } } }",
    ):
        rewritten = _rewriter().group(text)
        assert "FILTER NOT EXISTS" in rewritten and "MINUS" not in rewritten, rewritten


def test_minus_and_not_exists_give_the_same_rows() -> None:
    store = ox.Store()
    ex = "https://example.org/"
    g = ox.NamedNode(ex + "g1")
    status, reason = ox.NamedNode(KG + "status"), ox.NamedNode(KG + "reason")
    store.extend(
        [
            ox.Quad(ox.NamedNode(ex + "c1"), status, ox.Literal("new"), g),
            ox.Quad(ox.NamedNode(ex + "c2"), status, ox.Literal("new"), g),
            ox.Quad(ox.NamedNode(ex + "c2"), reason, ox.Literal("why"), g),
            ox.Quad(
                ox.NamedNode(ex + "c1"), reason, ox.Literal("in another report"), ox.NamedNode(ex + "g2")
            ),
        ]
    )
    where = _rewriter().group("{ ?c kg:status ?s . FILTER NOT EXISTS { ?c kg:reason ?why } }")
    assert "MINUS" in where
    query = f"SELECT ?c WHERE {{ VALUES {GRAPH_VAR} {{ <{ex}g1> }} {where[1:]}"
    assert [r["c"].value for r in store.query(query)] == [ex + "c1"]


def test_an_exists_of_plain_triples_becomes_a_join_with_its_distinct_values() -> None:
    text = _rewriter().group(
        "{ ?c kg:status ?s ; kg:item ?i . ?i kg:cat ?k . FILTER EXISTS { { ?k kg:broader* kg:top } UNION { ?k kg:broader kg:x } } }"
    )
    assert "SELECT DISTINCT ?k WHERE" in text and "EXISTS" not in text
    # one alternative in the report graph, one not: ?ketsugoGraph is not bound by every solution
    mixed = _rewriter().group(
        "{ ?i kg:cat ?k . FILTER EXISTS { { ?k kg:broader kg:top } UNION { ?k kg:tag kg:x } } }"
    )
    assert "FILTER EXISTS" in mixed
    # the variable may be unbound on the left (OPTIONAL): the join would bind it, so it stays a filter
    kept = _rewriter().group(
        "{ ?c kg:status ?s . OPTIONAL { ?c kg:cat ?k } FILTER EXISTS { ?k kg:tag kg:x } }"
    )
    assert "FILTER EXISTS" in kept and "SELECT" not in kept


def test_exists_as_a_join_gives_the_same_rows() -> None:
    store = ox.Store()
    ex = "https://example.org/"
    g, ref = ox.NamedNode(ex + "g1"), ox.NamedNode(REF)
    cat, broader = ox.NamedNode(KG + "cat"), ox.NamedNode(KG + "broader")
    store.extend(
        [
            ox.Quad(ox.NamedNode(ex + "i1"), cat, ox.NamedNode(ex + "k1"), g),
            ox.Quad(ox.NamedNode(ex + "i2"), cat, ox.NamedNode(ex + "k2"), g),
            ox.Quad(ox.NamedNode(ex + "i3"), cat, ox.NamedNode(ex + "k1"), g),
            ox.Quad(ox.NamedNode(ex + "k1"), broader, ox.NamedNode(ex + "top"), ref),
            ox.Quad(ox.NamedNode(ex + "k1"), broader, ox.NamedNode(ex + "mid"), ref),
            ox.Quad(ox.NamedNode(ex + "mid"), broader, ox.NamedNode(ex + "top"), ref),
        ]
    )
    where = _rewriter().group(f"{{ ?i kg:cat ?k . FILTER EXISTS {{ ?k kg:broader+ <{ex}top> }} }}")
    assert "SELECT DISTINCT" in where
    query = f"SELECT ?i WHERE {{ VALUES {GRAPH_VAR} {{ <{ex}g1> }} {where[1:]}"
    assert sorted(r["i"].value for r in store.query(query)) == [ex + "i1", ex + "i3"]  # once each


def test_a_named_class_is_looked_up_where_that_class_is_typed() -> None:
    """rdf:type is in both graphs, but the reference graph types none of a report's connections."""
    placement = Placement(
        lambda p: "both" if p.endswith("#type") else WHERE.get(p, "report"),  # type: ignore[arg-type, return-value]
        lambda cls: "reference" if cls == KG + "Category" else "report",  # type: ignore[arg-type, return-value]
    )
    text = Rewriter({"kg": KG}, placement, REF).group("{ ?c a kg:Connection . ?k a kg:Category . ?x a ?t }")
    assert (
        f"GRAPH {GRAPH_VAR} {{ ?c <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> kg:Connection }}" in text
    )
    assert f"GRAPH <{REF}> {{ ?k <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> kg:Category }}" in text
    assert "UNION" in text  # a class not named: both graphs
