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


def _downloads(build: Path) -> set[str]:
    graph = Graph().parse(build / "dataset.ttl", format="turtle")
    return {
        str(title)
        for d in graph.objects(None, DCAT.distribution)
        for title in graph.objects(d, DCTERMS.title)
    }


def test_the_description_lists_only_the_files_the_build_holds(tmp_path: Path) -> None:
    """graph.trig is written only by `ketsugo build --trig`: the description offers it for download
    only then, and `ketsugo link` keeps a build without one without one."""
    from ketsugo.export.link.buildgraph import replace_graph
    from ketsugo.pipeline import resolve_metadata, run_build

    report = Path(__file__).parent / "cases" / "variants" / "tsukuba-2021" / "report.txt"
    plain, with_trig = tmp_path / "plain", tmp_path / "trig"
    run_build([resolve_metadata(report, None, None)], plain, lenient=True, jobs=1)
    run_build([resolve_metadata(report, None, None)], with_trig, lenient=True, jobs=1, trig=True)
    assert not (plain / "graph.trig").exists() and (with_trig / "graph.trig").is_file()
    assert _downloads(plain) == {"graph.nq"}
    assert _downloads(with_trig) == {"graph.nq", "graph.trig"}
    import pyoxigraph as ox

    triple = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.Literal("o"))
    replace_graph(plain, "urn:test-graph", [triple])
    replace_graph(with_trig, "urn:test-graph", [triple])
    assert not (plain / "graph.trig").exists()
    assert "urn:test-graph" in (with_trig / "graph.trig").read_text(encoding="utf-8")
