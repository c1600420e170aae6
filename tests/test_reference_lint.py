"""Lint of the curated registries in data/reference/."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SKOS

from ketsugo.curation import is_canonical
from ketsugo.paths import REFERENCE_DIR
from ketsugo.resolve import Registry, match_key

KG = Namespace("https://w3id.org/ketsugo#")
IC = Namespace("http://imi.go.jp/ns/core/rdf#")
ID = "https://w3id.org/ketsugo/id/"

REGISTRIES = [
    "organizations.ttl",
    "party-kinds.ttl",
    "agencies-131041.ttl",
    "departments-131041.ttl",
    "subject-classes.ttl",
    "laws.ttl",
]
ORGANISATION_KINDS = {
    KG.NationalGovernmentBody,
    KG.LocalJointCorporation,
    KG.PublicInterestCorporation,
    KG.PrivateCompany,
    KG.LocalGovernment,
}
ORG_SLUGS = {
    "j-lis",
    "dnp-id-system",
    "waseda-system",
    "mizuho-research",
    "mhlw",
    "cabinet-secretariat",
    "kokuho-chuokai",
    "ntt-data",
    "ntt-east",
    "sb-players",
    "microsoft",
    "ntt-communications",
    "sky",
    "tokyo-metropolitan-government",
    "shinjuku-city",
}
WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9]\d*$")
EGOV_LAW_ID = re.compile(r"^\d{3}[A-Z0-9]{2}\d{10}$")


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


def corporate_number_is_valid(number: str) -> bool:
    """First digit = 9 − (Σ of the other 12 digits weighted 1,2,1,2… from the right) mod 9."""
    if not re.fullmatch(r"\d{13}", number):
        return False
    body = number[1:]
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(body)))
    return int(number[0]) == 9 - total % 9


def local_government_code_is_valid(code: str) -> bool:
    """JIS X 0402 check digit: 11 − (Σ of the 5 digits weighted 6,5,4,3,2) mod 11, last digit."""
    if not re.fullmatch(r"\d{6}", code):
        return False
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return int(code[5]) == (11 - total % 11) % 10


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


# ------------------------------------------------------------------ labels
@pytest.mark.parametrize("name", REGISTRIES)
def test_every_node_has_ja_and_en_labels(name: str) -> None:
    graph = file_graph(name)
    nodes = typed_nodes(graph)
    assert nodes
    problems = []
    for node in nodes:
        languages = {
            label.language for label in graph.objects(node, RDFS.label) if isinstance(label, Literal)
        }
        if not {"ja", "en"} <= languages:
            problems.append((node, sorted(str(lang) for lang in languages)))
        pref = [label for label in graph.objects(node, SKOS.prefLabel) if label.language == "ja"]
        if len(pref) != 1:
            problems.append((node, "needs exactly one skos:prefLabel@ja"))
    assert problems == []


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


# ------------------------------------------------------------------ organisations
def test_organisation_slugs() -> None:
    graph = file_graph("organizations.ttl")
    slugs = {str(node).removeprefix(f"{ID}org/") for node in graph.subjects(RDF.type, KG.Organisation)}
    assert slugs == ORG_SLUGS


@pytest.mark.parametrize("slug", sorted(ORG_SLUGS))
def test_organisation_has_exactly_one_kind(slug: str) -> None:
    graph = file_graph("organizations.ttl")
    node = URIRef(f"{ID}org/{slug}")
    kinds = set(graph.objects(node, RDF.type)) & ORGANISATION_KINDS
    assert len(kinds) == 1, (slug, kinds)


def test_corporate_numbers_have_valid_check_digits() -> None:
    graph = reference()
    numbers = [(node, str(number)) for node, number in graph.subject_objects(KG.corporateNumber)]
    assert numbers
    for node, number in numbers:
        assert corporate_number_is_valid(number), (node, number)


def test_check_digit_function() -> None:
    assert corporate_number_is_valid("6000012070001")
    assert not corporate_number_is_valid("6000012070002")
    assert not corporate_number_is_valid("5000012070001")
    assert not corporate_number_is_valid("600001207000")


def test_corporate_number_is_mirrored_as_ic_id_and_gbizinfo_link() -> None:
    graph = reference()
    for node, number in graph.subject_objects(KG.corporateNumber):
        ids = []
        for identifier in graph.objects(node, IC.ID):
            assert isinstance(identifier, BNode)
            scheme = graph.value(identifier, IC.体系)
            assert graph.value(scheme, IC.表記) == Literal("法人番号")
            ids.append(str(graph.value(identifier, IC.識別値)))
        assert ids == [str(number)], node
        assert (node, RDFS.seeAlso, URIRef(f"http://hojin-info.go.jp/data/basic/{number}")) in graph
    for node in set(graph.subjects(IC.ID, None)):
        assert graph.value(node, KG.corporateNumber) is not None, node


def test_gbizinfo_links_only_with_a_corporate_number() -> None:
    graph = reference()
    for node, target in graph.subject_objects(RDFS.seeAlso):
        if str(target).startswith("http://hojin-info.go.jp/"):
            number = str(target).rsplit("/", 1)[-1]
            assert (node, KG.corporateNumber, Literal(number)) in graph


def test_same_as_targets() -> None:
    graph = reference()
    allowed_internal = {URIRef(f"{ID}municipality/131041")}
    for node, target in graph.subject_objects(OWL.sameAs):
        if str(target).startswith("https://w3id.org/dpv/legal/"):
            assert target == URIRef("https://w3id.org/dpv/legal/jp#law-APPI")
            assert node == URIRef(f"{ID}law/415AC0000000057")
        elif target in allowed_internal:
            assert node == URIRef(f"{ID}org/shinjuku-city")
        else:
            assert WIKIDATA.match(str(target)), (node, target)


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


def test_local_government_codes() -> None:
    graph = reference()
    codes = list(graph.subject_objects(KG.localGovernmentCode))
    assert codes
    for node, code in codes:
        assert local_government_code_is_valid(str(code)), (node, code)


def test_municipality() -> None:
    graph = reference()
    node = URIRef(f"{ID}municipality/131041")
    assert (node, RDF.type, KG.Municipality) in graph
    assert (node, KG.localGovernmentCode, Literal("131041")) in graph
    assert (node, RDFS.seeAlso, URIRef("http://data.e-stat.go.jp/lod/sac/C13104")) in graph
    assert (node, ORG.subOrganizationOf, URIRef(f"{ID}org/tokyo-metropolitan-government")) in graph
    assert "derived" in str(graph.value(node, SKOS.note))


# ------------------------------------------------------------------ party kinds
@pytest.mark.parametrize("kind", [KG.LGWANASPServiceProvider, KG.PaymentServiceProvider])
def test_party_kinds(kind: URIRef) -> None:
    graph = file_graph("party-kinds.ttl")
    assert (kind, RDF.type, KG.PartyKind) in graph
    definitions = {d.language for d in graph.objects(kind, SKOS.definition)}
    assert {"ja", "en"} <= definitions
    assert any(True for _ in graph.objects(kind, SKOS.altLabel))


# ------------------------------------------------------------------ agencies and departments
def test_agencies() -> None:
    graph = file_graph("agencies-131041.ttl")
    slugs = {str(node).removeprefix(f"{ID}131041/agency/") for node in typed_nodes(graph)}
    assert slugs == {"mayor", "board-of-education", "election-commission", "audit-commissioners", "assembly"}
    for node in typed_nodes(graph):
        assert (node, RDF.type, KG.ImplementingAgency) in graph
        assert (node, ORG.subOrganizationOf, URIRef(f"{ID}municipality/131041")) in graph


def test_departments() -> None:
    graph = reference()
    departments = typed_nodes(file_graph("departments-131041.ttl"))
    assert len(departments) == 12
    for node in departments:
        assert (node, RDF.type, KG.Department) in graph
        name = str(node).removeprefix(f"{ID}131041/department/")
        assert graph.value(node, SKOS.prefLabel) == Literal(name, lang="ja")
        agency = graph.value(node, ORG.unitOf)
        assert (agency, RDF.type, KG.ImplementingAgency) in graph, node
    assert graph.value(URIRef(f"{ID}131041/department/教育支援課"), ORG.unitOf) == URIRef(
        f"{ID}131041/agency/board-of-education"
    )


# ------------------------------------------------------------------ data-subject classes
def test_subject_classes_have_patterns() -> None:
    graph = file_graph("subject-classes.ttl")
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for node in typed_nodes(graph):
        assert (node, RDF.type, KG.DataSubjectClass) in graph
        assert str(node).startswith(f"{ID}subject-class/")
        patterns = list(graph.objects(node, KG.matchPattern))
        assert patterns, node
        for pattern in patterns:
            owners[match_key(str(pattern))].add(node)
    assert {key: nodes for key, nodes in owners.items() if len(nodes) > 1} == {}


def test_vulnerable_classes() -> None:
    graph = file_graph("subject-classes.ttl")
    vulnerable = {
        str(node).removeprefix(f"{ID}subject-class/")
        for node in graph.subjects(KG.isVulnerable, Literal(True))
    }
    assert {"children-and-pupils", "public-assistance-recipients", "patients-and-contacts"} <= vulnerable


# ------------------------------------------------------------------ laws
def test_laws() -> None:
    graph = file_graph("laws.ttl")
    laws = typed_nodes(graph)
    assert len(laws) == 10
    for node in laws:
        assert (node, RDF.type, KG.Law) in graph
        law_id = graph.value(node, KG.eGovLawId)
        if law_id is None:
            assert graph.value(node, SKOS.note) is not None, node
            continue
        assert EGOV_LAW_ID.match(str(law_id)), law_id
        assert node == URIRef(f"{ID}law/{law_id}")
        assert (node, RDFS.seeAlso, URIRef(f"https://laws.e-gov.go.jp/law/{law_id}")) in graph
        assert graph.value(node, KG.lawNumber) is not None, node


def test_unconfirmed_law_id_is_marked() -> None:
    graph = file_graph("laws.ttl")
    note = str(graph.value(URIRef(f"{ID}law/419M60000100157"), SKOS.note))
    assert "unconfirmed" in note


def test_only_the_appi_is_aligned_to_dpv() -> None:
    graph = file_graph("laws.ttl")
    assert list(graph.subject_objects(OWL.sameAs)) == [
        (URIRef(f"{ID}law/415AC0000000057"), URIRef("https://w3id.org/dpv/legal/jp#law-APPI"))
    ]


def test_every_external_identifier_states_its_evidence() -> None:
    """A corporate number or Wikidata link must say how it was checked (auditors rely on it)."""
    from rdflib import OWL, Graph, Literal, Namespace

    kg = Namespace("https://w3id.org/ketsugo#")
    graph = Graph().parse(REFERENCE_DIR / "organizations.ttl")
    identified = set(graph.subjects(kg.corporateNumber, None)) | {
        s for s, o in graph.subject_objects(OWL.sameAs) if str(o).startswith("http://www.wikidata.org/")
    }
    assert identified
    for node in identified:
        evidence = set(graph.objects(node, kg.identifierEvidence))
        assert evidence and evidence <= {Literal("several sources"), Literal("one source")}, node
