"""A 変更 row is a kg:ConnectionChange, never a kg:Connection — also for a reasoner: the properties of
a row's cells have the domain kg:ConnectionRecord (the superclass of both), so RDFS inference over the
ontology and a report with a change row does not make the change a connection (it did: ≈ 35
properties had the domain kg:Connection). The case is tests/cases/user9/takayama-2024 (its row
変更No.1 read by hand as a change, expected.toml [[change]])."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS

import ketsugo

KG = Namespace("https://w3id.org/ketsugo#")
ROOT = Path(__file__).resolve().parent.parent
REPORT_GRAPHS = "https://w3id.org/ketsugo/graph/212032/"
CASE = ROOT / "tests" / "cases" / "user9" / "takayama-2024"


@pytest.fixture(scope="module")
def inferred(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    out = tmp_path_factory.mktemp("change-domains") / "build"
    ketsugo.build([CASE / "report.txt"], out, municipality="212032")
    data = Dataset()
    data.parse(out / "graph.nq", format="nquads")
    merged = Graph()
    for s, p, o, g in data.quads((None, None, None, None)):
        if str(g).startswith(REPORT_GRAPHS):  # the report's own graph, not the reference graph
            merged.add((s, p, o))
    merged.parse(ROOT / "ontology" / "ketsugo.ttl")
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(merged)
    return merged


def test_no_change_becomes_a_connection_by_inference(inferred: Graph) -> None:
    changes = set(inferred.subjects(RDF.type, KG.ConnectionChange))
    assert len(changes) == 1  # the report's one 変更 row
    assert not changes & set(inferred.subjects(RDF.type, KG.Connection))


def test_connections_and_changes_are_connection_records(inferred: Graph) -> None:
    records = set(inferred.subjects(RDF.type, KG.ConnectionRecord))
    assert set(inferred.subjects(RDF.type, KG.ConnectionChange)) <= records
    assert set(inferred.subjects(RDF.type, KG.Connection)) <= records


def test_properties_only_a_connection_has_keep_its_domain() -> None:
    onto = Graph().parse(ROOT / "ontology" / "ketsugo.ttl")
    for prop in (KG.status, KG.endsConnection, KG.continuesConnection):
        assert set(onto.objects(prop, RDFS.domain)) == {KG.Connection}, prop
    assert (KG.ConnectionChange, RDFS.subClassOf, KG.ConnectionRecord) in onto
    assert (KG.Connection, RDFS.subClassOf, KG.ConnectionRecord) in onto
    assert (KG.ConnectionRecord, RDF.type, OWL.Class) in onto
