"""Each build carries its DCAT/VoID description (issue 14): dataset.ttl beside the store."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF


def test_a_build_carries_its_dataset_description(bundled_build: Path) -> None:
    graph = Graph().parse(bundled_build / "dataset.ttl", format="turtle")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets
    # the source is Shinjuku's published report; the ward is 新宿区 (local government code 131041)
    assert (None, None, URIRef("https://w3id.org/ketsugo/id/municipality/131041")) in graph
    assert any(graph.objects(None, DCTERMS.license))
