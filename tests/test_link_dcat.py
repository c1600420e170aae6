"""`ketsugo export dcat`: the build's DCAT/VoID description parses and says what a portal needs.

Expected values read by hand: the bundled report is 新宿区 (131041) FY2020 (令和2年度: 2020-04-01 to
2021-03-31); e-Stat area C13104; licences from data/vocab/README.md and pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.export.link.dcat import DATASET, VOID, describe
from ketsugo.store.disk import NQUADS, open_store

D = URIRef(DATASET)
V = lambda name: URIRef(VOID + name)  # noqa: E731


@pytest.fixture(scope="module")
def build(bundled_build: Path) -> Path:
    return bundled_build


@pytest.fixture(scope="module")
def turtle(build: Path) -> Graph:
    _register_optional_commands()
    result = CliRunner().invoke(
        cli, ["export", "dcat", "--store", str(build), "--endpoint", "http://127.0.0.1:7878/query"]
    )
    assert result.exit_code == 0, result.output
    return Graph().parse(data=result.output, format="turtle")


def test_jsonld_parses_to_the_same_graph(build: Path, turtle: Graph) -> None:
    _register_optional_commands()
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "dcat",
            "--store",
            str(build),
            "--format",
            "jsonld",
            "--endpoint",
            "http://127.0.0.1:7878/query",
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.output, format="json-ld")) == len(turtle)


def test_titles_publisher_licence(turtle: Graph) -> None:
    assert (D, RDF.type, DCAT.Dataset) in turtle and (D, RDF.type, V("Dataset")) in turtle
    assert {t.language for t in turtle.objects(D, DCTERMS.title)} == {"ja", "en"}
    assert (D, DCTERMS.license, URIRef("https://spdx.org/licenses/MIT")) in turtle
    assert turtle.value(D, DCTERMS.publisher) is not None


def test_sources_and_their_licences(turtle: Graph) -> None:
    report = URIRef("https://w3id.org/ketsugo/id/report/131041/2020")
    shinjuku = URIRef("https://w3id.org/ketsugo/id/municipality/131041")
    assert (D, DCTERMS.source, report) in turtle
    assert (report, DCTERMS.publisher, shinjuku) in turtle
    assert Literal("新宿区", lang="ja") in set(
        turtle.objects(shinjuku, URIRef("http://xmlns.com/foaf/0.1/name"))
    )
    licences = {turtle.value(s, DCTERMS.license) for s in turtle.objects(D, DCTERMS.source)} - {None}
    assert licences == {
        URIRef("https://www.w3.org/copyright/software-license-2023/"),  # DPV
        URIRef("http://creativecommons.org/publicdomain/zero/1.0/"),  # IMI
        URIRef("https://spdx.org/licenses/MIT"),  # local government codes
    }


def test_temporal_and_spatial_coverage(turtle: Graph) -> None:
    period = turtle.value(D, DCTERMS.temporal)
    assert turtle.value(period, DCAT.startDate) == Literal("2020-04-01", datatype=XSD.date)
    assert turtle.value(period, DCAT.endDate) == Literal("2021-03-31", datatype=XSD.date)
    spatial = set(turtle.objects(D, DCTERMS.spatial))
    assert URIRef("http://data.e-stat.go.jp/lod/sac/C13104") in spatial
    assert URIRef("https://w3id.org/ketsugo/id/municipality/131041") in spatial


def test_vocabularies_counts_and_endpoint(build: Path, turtle: Graph) -> None:
    vocabularies = set(turtle.objects(D, V("vocabulary")))
    for iri in (
        "https://w3id.org/dpv",
        "https://w3id.org/dpv/pd",
        "http://imi.go.jp/ns/core/rdf",
        "http://www.w3.org/ns/org",
        "http://www.w3.org/ns/prov",
        "http://www.w3.org/2004/02/skos/core",
    ):
        assert URIRef(iri) in vocabularies, iri
    lines = [line for line in (build / NQUADS).read_text(encoding="utf-8").split("\n") if line.strip()]
    assert int(turtle.value(D, V("triples"))) == len(lines)
    subsets = set(turtle.objects(D, V("subset")))
    report_graph = URIRef("https://w3id.org/ketsugo/graph/131041/2020")
    assert report_graph in subsets
    in_graph = [line for line in lines if line.endswith("<https://w3id.org/ketsugo/graph/131041/2020> .")]
    assert int(turtle.value(report_graph, V("triples"))) == len(in_graph)
    assert int(turtle.value(report_graph, V("entities"))) > 22  # at least the 22 connections
    assert (D, V("sparqlEndpoint"), URIRef("http://127.0.0.1:7878/query")) in turtle


def test_describe_is_a_function_the_pipeline_can_call(build: Path) -> None:
    triples = describe(open_store(build))
    assert all(hasattr(t, "subject") for t in triples)
    assert len(triples) == len(set(triples))
