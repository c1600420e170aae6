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
