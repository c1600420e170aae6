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


def test_counts_taken_while_writing_equal_counts_of_the_store(tmp_path: Path) -> None:
    """dataset.ttl of a multi-report build takes its VoID counts and vocabularies from the graphs as
    they were written (a national store is too big to count afterwards): they must be what counting
    the finished store gives, graph by graph and for the whole dataset (entities shared by reports
    counted once)."""
    from rdflib.compare import to_isomorphic

    from ketsugo.export.link.dcat import describe, serialize
    from ketsugo.pipeline import resolve_metadata, run_build
    from ketsugo.store.disk import open_store

    variants = Path(__file__).parent / "cases" / "variants"
    reports = [variants / name / "report.txt" for name in ("asahikawa-2021", "shinjuku-2021", "tsukuba-2021")]
    metas = [resolve_metadata(path, None, None) for path in reports]
    out = tmp_path / "build"
    run_build(metas, out, lenient=True, jobs=1)
    written = Graph().parse(out / "dataset.ttl", format="turtle")
    counted = Graph().parse(data=serialize(describe(open_store(out))), format="turtle")
    assert to_isomorphic(written) == to_isomorphic(counted)
    void_triples = URIRef("http://rdfs.org/ns/void#triples")
    assert len(set(written.objects(None, void_triples))) > 3  # the dataset and each graph were counted
