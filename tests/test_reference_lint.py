"""Lint of the curated registries in data/reference/: canonical form, parsing, unique aliases.

What every entry must hold (labels, one kind, identifiers and their check digits and evidence,
units of an agency, e-Gov IDs, match patterns) is stated as SHACL shapes in
data/reference/shapes/registries.ttl and checked by tests/test_registries_shapes.py — not by
tests that pin today's list of organisations, agencies, departments or laws.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SKOS

from ketsugo.graph.curation import is_canonical
from ketsugo.graph.resolve import Registry, match_key
from ketsugo.paths import REFERENCE_DIR

KG = Namespace("https://w3id.org/ketsugo#")
ID = "https://w3id.org/ketsugo/id/"

REGISTRIES = [
    "organizations.ttl",
    "party-kinds.ttl",
    "agencies-131041.ttl",
    "departments-131041.ttl",
    "subject-classes.ttl",
    "laws.ttl",
]


@cache
def file_graph(name: str) -> Graph:
    graph = Graph()
    graph.parse(REFERENCE_DIR / name, format="turtle")
    return graph


@cache
def reference() -> Graph:
    graph = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def typed_nodes(graph: Graph) -> list[URIRef]:
    return sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)})


# ------------------------------------------------------------------ files
def test_registry_files_exist() -> None:
    for name in REGISTRIES:
        assert (REFERENCE_DIR / name).is_file(), name


@pytest.mark.parametrize("path", sorted(REFERENCE_DIR.glob("*.ttl")), ids=lambda p: Path(p).name)
def test_is_canonical(path: Path) -> None:
    assert is_canonical(path), f"run `python scripts/canonicalize.py {path}`"


@pytest.mark.parametrize("name", REGISTRIES)
def test_parses_with_pyoxigraph(name: str) -> None:
    quads = list(pyoxigraph.parse(path=REFERENCE_DIR / name, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(file_graph(name))


@pytest.mark.parametrize("name", REGISTRIES)
def test_iris_are_in_the_id_namespace_or_kg(name: str) -> None:
    for node in typed_nodes(file_graph(name)):
        assert str(node).startswith((ID, str(KG))), node


def test_aliases_are_unique_across_organisations_and_party_kinds() -> None:
    graph = reference()
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for kind in (KG.Organisation, KG.PartyKind):
        for node in graph.subjects(RDF.type, kind):
            for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(node, prop):
                    owners[match_key(str(label))].add(node)
    clashes = {key: sorted(nodes) for key, nodes in owners.items() if len(nodes) > 1}
    assert clashes == {}
    assert Registry.from_graph(graph).ambiguous_aliases == {}


# ------------------------------------------------------------------ curation decisions the shapes cannot state
def test_microsoft_is_not_pinned_to_a_legal_entity() -> None:
    graph = reference()
    node = URIRef(f"{ID}org/microsoft")
    assert graph.value(node, KG.corporateNumber) is None
    assert graph.value(node, OWL.sameAs) is None
    assert graph.value(node, SKOS.note) is not None


def test_report_typos_are_not_in_shared_vocabularies() -> None:
    """A report's misprints belong to its errata file (data/reports/*.errata.toml), not to a
    vocabulary every report shares."""
    graph = reference()
    node = URIRef(f"{ID}org/ntt-communications")
    aliases = {str(label) for label in graph.objects(node, SKOS.altLabel)}
    assert "エヌ・ティ・ロ・コミュニケーション株式会社" not in aliases
    shared = "".join(
        p.read_text(encoding="utf-8")
        for p in [*REFERENCE_DIR.glob("*.ttl"), *(REFERENCE_DIR.parent.parent / "ontology").glob("*.ttl")]
    )
    for typo in ("エヌ・ティ・ロ", "被保険者異本情報", "送付策情報", "議事症患者", "SKY株式会社"):
        assert typo not in shared, typo
    assert graph.value(node, SKOS.prefLabel) == Literal(
        "エヌ・ティ・ティ・コミュニケーションズ株式会社", lang="ja"
    )


def test_school_department_belongs_to_the_board_of_education() -> None:
    """The bundled report counts 教育支援課's connections under 教育委員会 (its summary row)."""
    graph = reference()
    assert graph.value(URIRef(f"{ID}131041/department/教育支援課"), ORG.unitOf) == URIRef(
        f"{ID}131041/agency/board-of-education"
    )


# ------------------------------------------------------------------ data-subject classes
def test_subject_patterns_are_unique() -> None:
    """A pattern (after normalisation) names one class; that it exists at all is a shape."""
    graph = file_graph("subject-classes.ttl")
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for node in typed_nodes(graph):
        for pattern in graph.objects(node, KG.matchPattern):
            owners[match_key(str(pattern))].add(node)
    assert {key: nodes for key, nodes in owners.items() if len(nodes) > 1} == {}


def test_vulnerable_classes() -> None:
    graph = file_graph("subject-classes.ttl")
    vulnerable = {
        str(node).removeprefix(f"{ID}subject-class/")
        for node in graph.subjects(KG.isVulnerable, Literal(True))
    }
    assert {"children-and-pupils", "public-assistance-recipients", "patients-and-contacts"} <= vulnerable
