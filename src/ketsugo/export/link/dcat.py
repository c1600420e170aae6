"""A DCAT/VoID description of a build, made from its store (so it fits any build).

What data portals need to list the dataset: titles (ja/en), publisher, licence, the sources
(each report with its municipality as publisher; the offline vocabularies with their own
licences; linked data such as the NTA file), temporal coverage (each report's fiscal year as
dates), spatial coverage (municipality and e-Stat area IRIs), the vocabularies used
(void:vocabulary), triple and entity counts (per named graph as void:subset) and the SPARQL
endpoint when one serves the build. :func:`describe` gives the triples; the pipeline may add
them to a build, `ketsugo export dcat` writes them alone.

Which vocabularies a build may use and what the offline copies of data/vocab/ are (titles,
publisher, licence) is data, in data/vocab/dcat.toml, read when a description is made.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from ketsugo.export.link.nodes import literal as _lit
from ketsugo.export.link.nodes import named as _n
from ketsugo.graph.terms import OxTerm
from ketsugo.paths import VOCAB_DIR
from ketsugo.prefixes import DCAT, DCT, GRAPH, KID, PREFIXES, RDF, XSD
from ketsugo.store.disk import solutions, written
from ketsugo.store.graphstats import BuildStats

VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"
DATASET = "https://w3id.org/ketsugo/dataset"
SOFTWARE = "https://w3id.org/ketsugo"
MIT = "https://spdx.org/licenses/MIT"

# What the description says about vocabularies and the offline copies ketsugo reads (data, not code)
VOCABULARY_FILE = VOCAB_DIR / "dcat.toml"


@dataclass(frozen=True)
class BundledSource:
    """An offline vocabulary or registry of data/vocab/ (a dct:source of every build)."""

    iri: str
    ja: str
    en: str
    publisher: str
    publisher_name: str
    licence: str


@cache
def _vocabulary_file() -> dict[str, Any]:
    with VOCABULARY_FILE.open("rb") as handle:
        return tomllib.load(handle)


def vocabularies() -> tuple[tuple[str, str], ...]:
    """(namespace, the vocabulary's IRI for void:vocabulary) of each vocabulary a build may use."""
    return tuple((entry["namespace"], entry["iri"]) for entry in _vocabulary_file()["vocabulary"])


def bundled_sources() -> tuple[BundledSource, ...]:
    """The offline vocabularies and registries ketsugo reads (data/vocab/README.md): they are sources."""
    return tuple(BundledSource(**entry) for entry in _vocabulary_file()["source"])


def _int(value: int) -> ox.Literal:
    return _lit(str(value), datatype=XSD + "integer")


def _count(store: ox.Store, graph: str | None) -> tuple[int, int]:
    """(triples, entities: distinct IRI subjects) of one graph, or of all named graphs."""
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
    triples = next(iter(solutions(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))))["n"].value
    entities = next(
        iter(
            solutions(store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {where} FILTER(isIRI(?s)) }}"))
        )
    )["n"].value
    return int(triples), int(entities)


def _reports(store: ox.Store) -> list[dict[str, Any]]:
    """One row per report graph: its SELECT bindings (pyoxigraph terms; None where unbound)."""
    query = """
    SELECT ?g ?report ?fy ?municipality ?code ?name ?name_en ?file WHERE {
      GRAPH ?g { ?report a kg:Report ; kg:fiscalYear ?fy ; kg:municipality ?municipality .
                 OPTIONAL { ?report kg:sourceFile ?file } }
      OPTIONAL { ?municipality kg:localGovernmentCode ?code }
      OPTIONAL { ?municipality rdfs:label ?name FILTER(lang(?name) = "ja") }
      OPTIONAL { ?municipality rdfs:label ?name_en FILTER(lang(?name_en) = "en") }
    } ORDER BY ?g"""
    seen: dict[str, dict[str, Any]] = {}
    for row in solutions(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)):
        seen.setdefault(
            row["g"].value,
            {k: row[k] for k in ("g", "report", "fy", "municipality", "code", "name", "name_en", "file")},
        )
    return list(seen.values())


def _areas(store: ox.Store) -> dict[str, list[str]]:
    """The e-Stat areas of every municipality that has one (one query, not one per report)."""
    query = """SELECT DISTINCT ?municipality ?area WHERE { ?municipality rdfs:seeAlso ?area
               FILTER(STRSTARTS(STR(?area), "http://data.e-stat.go.jp/lod/sac/")) }"""
    areas: dict[str, list[str]] = {}
    for r in solutions(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)):
        areas.setdefault(r["municipality"].value, []).append(r["area"].value)
    return {m: sorted(a) for m, a in areas.items()}


def _vocabularies(store: ox.Store, stats: BuildStats | None = None) -> list[str]:
    if stats is not None:
        return [vocabulary for namespace, vocabulary in vocabularies() if stats.uses(namespace)]
    used = []
    for namespace, vocabulary in vocabularies():
        ask = (
            f'ASK {{ GRAPH ?g {{ {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), "{namespace}")) }} UNION '
            f'{{ ?s ?q ?c FILTER(isIRI(?c) && STRSTARTS(STR(?c), "{namespace}")) }} }} }}'
        )
        if store.query(ask):
            used.append(vocabulary)
    return used


def _graphs(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def describe(
    store: ox.Store,
    *,
    endpoint: str | None = None,
    stats: BuildStats | None = None,
    downloads: tuple[str, ...] = ("graph.nq",),
) -> list[ox.Triple]:
    """The DCAT/VoID triples describing the build held in ``store``; with ``stats`` (taken while the
    build was written) the counts come from them instead of scans of the whole store. ``downloads``:
    the dataset files the build folder holds (graph.trig only when the build wrote it)."""
    out: list[ox.Triple] = []
    dataset = _n(DATASET)

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: OxTerm) -> None:
        out.append(ox.Triple(s, _n(p), o))

    add(dataset, RDF + "type", _n(DCAT + "Dataset"))
    add(dataset, RDF + "type", _n(VOID + "Dataset"))
    add(dataset, DCT + "title", _lit("外部結合の状況の知識グラフ（個人データの流れ）", "ja"))
    add(
        dataset,
        DCT + "title",
        _lit("Knowledge graph of external computer connections (personal-data flows)", "en"),
    )
    add(
        dataset,
        DCT + "description",
        _lit(
            "区市町村が公表する外部電子計算機との結合（外部結合）の状況報告を ketsugo で読み、"
            "個人データの流れを RDF にしたもの。報告ごとに名前付きグラフを持つ。",
            "ja",
        ),
    )
    add(
        dataset,
        DCT + "description",
        _lit(
            "Municipalities' published reports of external computer connections (外部結合), read by "
            "ketsugo into an RDF graph of personal-data flows; one named graph per report.",
            "en",
        ),
    )
    add(dataset, DCT + "publisher", _n(SOFTWARE))
    add(dataset, DCT + "creator", _n(SOFTWARE))
    add(_n(SOFTWARE), RDF + "type", _n(FOAF + "Agent"))
    add(_n(SOFTWARE), FOAF + "name", _lit("ketsugo"))
    add(dataset, DCT + "license", _n(MIT))
    add(
        dataset,
        DCT + "rights",
        _lit(
            "The graph is made by ketsugo (MIT). The reports it is read from are published by the "
            "municipalities named as their publishers; the bundled vocabularies keep their own licences.",
            "en",
        ),
    )
    add(dataset, DCAT + "theme", _n("https://w3id.org/dpv#PersonalData"))
    add(dataset, DCAT + "keyword", _lit("外部結合", "ja"))
    add(dataset, DCAT + "keyword", _lit("個人情報", "ja"))
    add(dataset, DCAT + "keyword", _lit("personal data", "en"))
    add(dataset, VOID + "uriSpace", _lit(KID))
    if endpoint:
        add(dataset, VOID + "sparqlEndpoint", _n(endpoint))
        service = _n(endpoint)
        add(service, RDF + "type", _n(DCAT + "DataService"))
        add(service, DCAT + "endpointURL", _n(endpoint))
        add(service, DCAT + "servesDataset", dataset)
        add(dataset, DCAT + "distribution", _distribution(out, "sparql", endpoint))
        add(_n(f"{DATASET}/distribution/sparql"), DCAT + "accessService", service)
    media_types = {"graph.nq": "application/n-quads", "graph.trig": "application/trig"}
    for name in downloads:
        add(dataset, DCAT + "distribution", _distribution(out, name, None, media_types.get(name)))

    triples, entities = (stats.triples, stats.entities) if stats is not None else _count(store, None)
    add(dataset, VOID + "triples", _int(triples))
    add(dataset, VOID + "entities", _int(entities))
    for vocabulary in _vocabularies(store, stats):
        add(dataset, VOID + "vocabulary", _n(vocabulary))

    years: list[int] = []
    reports = _reports(store)
    areas = _areas(store)
    for graph in _graphs(store):
        subset = _n(graph)
        add(dataset, VOID + "subset", subset)
        add(subset, RDF + "type", _n(VOID + "Dataset"))
        counted = stats.graphs.get(graph) if stats is not None else None
        count, things = (counted.triples, counted.entities) if counted is not None else _count(store, graph)
        add(subset, VOID + "triples", _int(count))
        add(subset, VOID + "entities", _int(things))
        if graph.startswith(GRAPH + "link/"):
            add(subset, DCT + "title", _lit(f"links: {graph.rsplit('/', 1)[-1]}", "en"))
            for row in solutions(
                store.query(
                    f"SELECT DISTINCT ?source WHERE {{ GRAPH <{graph}> {{ ?a prov:used ?source }} }}",
                    prefixes=PREFIXES,
                )
            ):
                add(subset, DCT + "source", row["source"])
                add(dataset, DCT + "source", row["source"])
            for row in solutions(
                store.query(
                    f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?a prov:used ?s . ?s ?p ?o "
                    "FILTER(?p IN (dct:title, dct:publisher, dct:modified, rdf:type)) } }",
                    prefixes=PREFIXES,
                )
            ):
                out.append(ox.Triple(row["s"], row["p"], row["o"]))
    for report in reports:
        subset = _n(report["g"].value)
        source = report["report"]
        municipality = report["municipality"]
        fy = int(report["fy"].value)
        years.append(fy)
        add(subset, DCT + "source", source)
        add(dataset, DCT + "source", source)
        add(source, RDF + "type", _n(DCAT + "Dataset"))
        add(source, DCT + "publisher", municipality)
        if report["file"] is not None:
            add(source, DCT + "identifier", report["file"])
        period = _period(out, fy)
        add(subset, DCT + "temporal", period)
        add(source, DCT + "temporal", period)
        add(subset, DCT + "spatial", municipality)
        add(dataset, DCT + "spatial", municipality)
        add(municipality, RDF + "type", _n(FOAF + "Agent"))
        for key in ("name", "name_en"):
            if report[key] is not None:
                add(municipality, FOAF + "name", report[key])
        if report["code"] is not None:
            add(municipality, DCT + "identifier", report["code"])
        for area in areas.get(municipality.value, []):
            add(subset, DCT + "spatial", _n(area))
            add(dataset, DCT + "spatial", _n(area))
    if years:
        add(dataset, DCT + "temporal", _period(out, min(years), max(years)))
    for source in bundled_sources():
        iri = _n(source.iri)
        add(dataset, DCT + "source", iri)
        add(iri, DCT + "title", _lit(source.ja, "ja"))
        add(iri, DCT + "title", _lit(source.en, "en"))
        add(iri, DCT + "license", _n(source.licence))
        add(iri, DCT + "publisher", _n(source.publisher))
        add(_n(source.publisher), FOAF + "name", _lit(source.publisher_name))
    return _unique(out)


def _distribution(out: list[ox.Triple], name: str, url: str | None, media: str | None = None) -> ox.NamedNode:
    node = _n(f"{DATASET}/distribution/{name}")
    out.append(ox.Triple(node, _n(RDF + "type"), _n(DCAT + "Distribution")))
    out.append(ox.Triple(node, _n(DCT + "title"), _lit(name)))
    if url:
        out.append(ox.Triple(node, _n(DCAT + "accessURL"), _n(url)))
    else:
        out.append(ox.Triple(node, _n(DCAT + "downloadURL"), _n(f"{DATASET}/{name}")))
    if media:
        out.append(
            ox.Triple(
                node, _n(DCAT + "mediaType"), _n(f"https://www.iana.org/assignments/media-types/{media}")
            )
        )
    return node


def _period(out: list[ox.Triple], first: int, last: int | None = None) -> ox.NamedNode:
    """Fiscal years first…last as a dct:PeriodOfTime (FY N runs from N-04-01 to N+1-03-31)."""
    last = first if last is None else last
    node = _n(f"{DATASET}/period/FY{first}" + (f"-FY{last}" if last != first else ""))
    out.append(ox.Triple(node, _n(RDF + "type"), _n(DCT + "PeriodOfTime")))
    out.append(ox.Triple(node, _n(DCAT + "startDate"), _lit(f"{first}-04-01", datatype=XSD + "date")))
    out.append(ox.Triple(node, _n(DCAT + "endDate"), _lit(f"{last + 1}-03-31", datatype=XSD + "date")))
    return node


def _unique(triples: list[ox.Triple]) -> list[ox.Triple]:
    seen: set[ox.Triple] = set()
    kept = []
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            kept.append(triple)
    return kept


def serialize(triples: list[ox.Triple], fmt: str = "turtle") -> str:
    """Turtle (with the project's prefixes and void:, foaf:) or JSON-LD."""
    if fmt == "jsonld":
        data = written(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)).decode("utf-8")
        return json.dumps(json.loads(data), ensure_ascii=False, indent=2) + "\n"
    prefixes = {**{k: v for k, v in PREFIXES.items() if k != "kid"}, "void": VOID, "foaf": FOAF}
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return written(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes)).decode("utf-8")
