"""Golden graph cases (tests/graphs/<case>/), in the style of morph-kgc's test suite.

Each folder holds a small report (``report.txt`` and its metadata ``report.toml``) and the graph a
careful reader expects from it (``expected.trig``), written by hand from the report text,
docs/model.md and the IRI patterns of ketsugo.graph.vocab — never copied from ketsugo's output. The
report is built as ``ketsugo build`` builds it; the built report graph, cut to the subset below,
must be isomorphic to the expected one. On failure the test prints the missing and the extra
triples as sorted Turtle.

The subset (tests/graphs/README.md): every triple of the report's named graph except
- ParseIssue nodes and ``kg:hasIssue`` links: finding messages are the program's wording; a case
  names the findings it expects in ``report.toml`` ``[[golden.finding]]`` (line, severity,
  field, words) and the test checks those;
- the category links ``kg:hasCategory``, ``dpv:hasPersonalData`` and ``kg:isVague``: categorising
  items is tested against the hand-labelled fixture of tests/test_categories*.py, and every
  alias added to ontology/categories.ttl would otherwise break these cases.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from ketsugo.graph.reference import reference
from ketsugo.graph.vocab import DPV, KG
from ketsugo.pipeline import ReportBuild, build_report
from ketsugo.read.metadata import load_metadata

GRAPHS = Path(__file__).parent / "graphs"
CASES = sorted(p.name for p in GRAPHS.iterdir() if (p / "expected.trig").is_file())
LEFT_OUT = {KG.hasCategory, DPV.hasPersonalData, KG.isVague, KG.hasIssue}


def case_config(case: str) -> dict:
    with (GRAPHS / case / "report.toml").open("rb") as handle:
        return tomllib.load(handle).get("golden", {})


def built(case: str) -> ReportBuild:
    path = GRAPHS / case / "report.txt"
    meta = load_metadata(path)
    assert meta is not None, f"{case}: report.toml is missing"
    return build_report(meta, reference(), lenient=bool(case_config(case).get("lenient", False)))


def subset(graph: Graph) -> Graph:
    """The triples a golden case pins (the rule in the module docstring)."""
    issues = set(graph.subjects(None, KG.ParseIssue))
    kept = Graph()
    for s, p, o in graph:
        if p not in LEFT_OUT and s not in issues:
            kept.add((s, p, o))
    return kept


def expected_graph(case: str) -> tuple[URIRef, Graph]:
    dataset = Dataset()
    dataset.parse(GRAPHS / case / "expected.trig", format="trig")
    named = [g for g in dataset.graphs() if len(g) and g.identifier != dataset.default_graph.identifier]
    assert len(named) == 1, f"{case}: expected.trig must hold exactly one named graph"
    graph = Graph()
    for triple in named[0]:
        graph.add(triple)
    return URIRef(named[0].identifier), graph


def as_turtle(graph: Graph) -> str:
    """Triples one per line, sorted: easy to read and to copy into expected.trig."""
    graph.bind("kg", KG)
    graph.bind("dpv", DPV)
    lines = sorted(
        f"{s.n3(graph.namespace_manager)} {p.n3(graph.namespace_manager)} {o.n3(graph.namespace_manager)} ."
        for s, p, o in graph
    )
    return "\n".join(lines)


def difference(expected: Graph, got: Graph) -> str:
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    parts = []
    if len(missing):
        parts.append(f"missing ({len(missing)} triples expected, not built):\n{as_turtle(missing)}")
    if len(extra):
        parts.append(f"extra ({len(extra)} triples built, not expected):\n{as_turtle(extra)}")
    return "\n\n".join(parts)


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> tuple[str, ReportBuild]:
    return request.param, built(request.param)


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 4


def test_graph_is_isomorphic_to_the_expected_one(case: tuple[str, ReportBuild]) -> None:
    name, build = case
    graph_iri, expected = expected_graph(name)
    assert build.result.graph_iri == graph_iri
    got = subset(build.result.graph)
    if to_isomorphic(expected) != to_isomorphic(got):
        pytest.fail(f"{name}: the built graph differs from expected.trig\n\n{difference(expected, got)}")


def test_expected_findings(case: tuple[str, ReportBuild]) -> None:
    """Each finding a case names is in the graph: its line, severity, field and a word of its message;
    a case that names none must build without an error."""
    name, build = case
    graph = build.result.graph
    found = []
    for node in graph.subjects(None, KG.ParseIssue):
        found.append(
            {
                "line": int(graph.value(node, KG.sourceLine) or 0),
                "severity": str(graph.value(node, KG.severity)),
                "field": str(graph.value(node, KG.field) or ""),
                "text": " ".join(
                    [*map(str, graph.objects(node, KG.message)), str(graph.value(node, KG.asWritten) or "")]
                ),
            }
        )
    wanted = case_config(name).get("finding", [])
    for finding in wanted:
        assert any(
            f["line"] == finding["line"]
            and f["severity"] == finding["severity"]
            and f["field"] == finding["field"]
            and any(word in f["text"] for word in finding["words"])
            for f in found
        ), f"{name}: no finding like {finding} among {found}"
    errors = [f for f in found if f["severity"] == "error"]
    assert len(errors) == sum(f["severity"] == "error" for f in wanted), errors


def test_difference_is_readable() -> None:
    """The failure message names both sides, one triple a line (the harness itself can fail)."""
    _, expected = expected_graph(CASES[0])
    got = Graph()
    for triple in list(expected)[1:]:
        got.add(triple)
    got.add((URIRef("https://example.org/s"), KG.businessName, URIRef("https://example.org/o")))
    text = difference(expected, got)
    assert "missing (1 triples" in text
    assert "extra (1 triples" in text
    assert "<https://example.org/s> kg:businessName <https://example.org/o> ." in text


def test_the_rdflib_graph_holds_each_quad_as_a_triple(case: tuple[str, ReportBuild]) -> None:
    """ReportResult.graph (terms converted once each, added in one call) is exactly the report's
    quads, each converted on its own and added one at a time."""
    from ketsugo.graph.terms import to_rdflib

    _, build = case
    one_by_one = Graph()
    for quad in build.result.quads:
        one_by_one.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    got = build.result.graph
    assert len(got) == len(one_by_one) > 0
    assert set(got) == set(one_by_one)
    assert {type(t) for triple in got for t in triple} == {type(t) for triple in one_by_one for t in triple}
