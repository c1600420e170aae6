"""The curated registries (data/reference/*.ttl) checked against SHACL shapes of their own
(data/reference/shapes/registries.ttl), as bioregistry validates its data against a schema.

The shapes say what every entry must hold (labels, one kind, identifiers with valid check digits
and stated evidence, units of an agency, e-Gov IDs, match patterns), not which entries there
are: adding an organisation needs no test edit. Each rule is also shown to fail: a copy of the
registries with one fault planted per entry is validated once, and every planted fault must be
reported on its entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SH, SKOS

from ketsugo.paths import ONTOLOGY_DIR, REFERENCE_DIR

SHAPES = REFERENCE_DIR / "shapes" / "registries.ttl"
KG = Namespace("https://w3id.org/ketsugo#")
IC = Namespace("http://imi.go.jp/ns/core/rdf#")
ID = Namespace("https://w3id.org/ketsugo/id/")


def registries() -> Graph:
    graph = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@dataclass(frozen=True)
class Outcome:
    conforms: bool
    text: str
    results: list[tuple[str, str]]  # (entry the result is about, message)


def validate(data: Graph) -> Outcome:
    shapes = Graph().parse(SHAPES, format="turtle")
    ontology = Graph().parse(ONTOLOGY_DIR / "ketsugo.ttl", format="turtle")  # the class hierarchy
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        about = value if str(focus).startswith("https://w3id.org/ketsugo/shapes/") else focus
        for message in report.objects(result, SH.resultMessage):
            results.append((str(about), str(message)))
    return Outcome(bool(conforms), str(text), results)


def test_registries_conform_to_their_shapes() -> None:
    outcome = validate(registries())
    assert outcome.conforms, outcome.text


# ------------------------------------------------------------------ every rule can fail
def _set(graph: Graph, node: URIRef, prop: URIRef, *values) -> None:
    graph.remove((node, prop, None))
    for value in values:
        graph.add((node, prop, value))


def _number(graph: Graph, node: URIRef, number: str) -> None:
    """A corporate number kept consistent with its ic:ID and gBizINFO link (only one rule fails)."""
    _set(graph, node, KG.corporateNumber, Literal(number))
    for identifier in list(graph.objects(node, IC.ID)):
        _set(graph, identifier, IC.識別値, Literal(number))
    for link in list(graph.objects(node, RDFS.seeAlso)):
        if "hojin-info" in str(link):
            graph.remove((node, RDFS.seeAlso, link))
            graph.add((node, RDFS.seeAlso, URIRef(f"http://hojin-info.go.jp/data/basic/{number}")))


def _identifier(graph: Graph, node: URIRef, number: str) -> None:
    identifier, scheme = BNode(), BNode()
    graph.add((node, IC.ID, identifier))
    graph.add((identifier, IC.体系, scheme))
    graph.add((scheme, IC.表記, Literal("法人番号")))
    graph.add((identifier, IC.識別値, Literal(number)))


def _without_english(graph: Graph, node: URIRef, prop: URIRef) -> None:
    for value in list(graph.objects(node, prop)):
        if isinstance(value, Literal) and value.language == "en":
            graph.remove((node, prop, value))


ORG_ = "https://w3id.org/ketsugo/id/org/"
FAULTS: dict[str, tuple[URIRef, Callable[[Graph, URIRef], None], str]] = {
    "no prefLabel": (URIRef(ORG_ + "sky"), lambda g, n: _set(g, n, SKOS.prefLabel), "skos:prefLabel"),
    "two prefLabels": (
        URIRef(ORG_ + "waseda-system"),
        lambda g, n: g.add((n, SKOS.prefLabel, Literal("早稲田システム", lang="ja"))),
        "skos:prefLabel",
    ),
    "prefLabel in English": (
        ID["131041/agency/assembly"],
        lambda g, n: _set(g, n, SKOS.prefLabel, Literal("City Assembly", lang="en")),
        "skos:prefLabel",
    ),
    "no kind": (
        URIRef(ORG_ + "dnp-id-system"),
        lambda g, n: g.remove((n, RDF.type, KG.PrivateCompany)),
        "kind",
    ),
    "two kinds": (
        URIRef(ORG_ + "sb-players"),
        lambda g, n: g.add((n, RDF.type, KG.NationalGovernmentBody)),
        "kind",
    ),
    "corporate number check digit": (
        URIRef(ORG_ + "ntt-data"),
        lambda g, n: _number(g, n, "8010601021385"),  # the real one is 9010601021385
        "check digit",
    ),
    "corporate number of 12 digits": (
        URIRef(ORG_ + "ntt-east"),
        lambda g, n: _number(g, n, "801110102810"),
        "13 digits",
    ),
    "no identifier evidence": (
        URIRef(ORG_ + "tokyo-metropolitan-government"),
        lambda g, n: _set(g, n, KG.identifierEvidence),
        "identifierEvidence",
    ),
    "ic:ID without a corporate number": (
        URIRef(ORG_ + "microsoft"),
        lambda g, n: _identifier(g, n, "1234567890123"),
        "mirrored",
    ),
    "sameAs elsewhere": (
        URIRef(ORG_ + "mizuho-research"),
        lambda g, n: g.add((n, OWL.sameAs, URIRef("https://example.org/mizuho"))),
        "owl:sameAs",
    ),
    "local government code check digit": (
        URIRef(ORG_ + "shinjuku-city"),
        lambda g, n: _set(g, n, KG.localGovernmentCode, Literal("131042")),
        "JIS X 0402",
    ),
    "party kind without English definition": (
        KG.PaymentServiceProvider,
        lambda g, n: _without_english(g, n, SKOS.definition),
        "definition in English",
    ),
    "agency of no municipality": (
        ID["131041/agency/audit-commissioners"],
        lambda g, n: _set(g, n, ORG.subOrganizationOf),
        "municipality",
    ),
    "department of no agency": (
        ID["131041/department/住宅課"],
        lambda g, n: _set(g, n, ORG.unitOf),
        "implementing agency",
    ),
    "department unit of a company": (
        ID["131041/department/介護保険課"],
        lambda g, n: _set(g, n, ORG.unitOf, URIRef(ORG_ + "mhlw")),
        "implementing agency",
    ),
    "department IRI and name disagree": (
        ID["131041/department/保健予防課"],
        lambda g, n: _set(g, n, SKOS.prefLabel, Literal("保健予防担当課", lang="ja")),
        "Japanese name",
    ),
    "e-Gov law ID pattern": (
        ID["law/211AC0000000070"],
        lambda g, n: _set(g, n, KG.eGovLawId, Literal("211AC000000007")),
        "e-Gov",
    ),
    "law without ID nor note": (
        ID["law/tokyo-condominium-management-ordinance-rule"],
        lambda g, n: _set(g, n, SKOS.note),
        "skos:note",
    ),
    "subject class without patterns": (
        ID["subject-class/care-insured"],
        lambda g, n: _set(g, n, KG.matchPattern),
        "match patterns",
    ),
    "subject class pattern with a language tag": (
        ID["subject-class/card-applicants"],
        lambda g, n: g.add((n, KG.matchPattern, Literal("交付申請", lang="ja"))),
        "match patterns",
    ),
}


@pytest.fixture(scope="module")
def planted() -> Outcome:
    graph = registries()
    for node, plant, _ in FAULTS.values():
        assert (node, None, None) in graph, f"{node} is gone from the registries: pick another entry"
        plant(graph, node)
    return validate(graph)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_planted_fault_is_reported(planted: Outcome, fault: str) -> None:
    node, _, words = FAULTS[fault]
    messages = [message for about, message in planted.results if about == str(node)]
    assert any(words in message for message in messages), (fault, messages)


def test_only_the_planted_entries_are_reported(planted: Outcome) -> None:
    assert {about for about, _ in planted.results} <= {str(node) for node, _, _ in FAULTS.values()}
