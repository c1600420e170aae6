"""The ontology (ontology/ketsugo.ttl) against docs/model.md and the offline vocabularies."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from ketsugo.graph.curation import is_canonical
from ketsugo.paths import ONTOLOGY_DIR, ROOT, VOCAB_DIR, reference_files
from tests.conftest import turtle_graph

ONTOLOGY = ONTOLOGY_DIR / "ketsugo.ttl"
MODEL = ROOT / "docs" / "model.md"
ONTOLOGY_IRI = URIRef("https://w3id.org/ketsugo")

KG = Namespace("https://w3id.org/ketsugo#")
DPV = Namespace("https://w3id.org/dpv#")
PD = Namespace("https://w3id.org/dpv/pd#")
LEGAL_JP = Namespace("https://w3id.org/dpv/legal/jp#")
IC = Namespace("http://imi.go.jp/ns/core/rdf#")

PREFIXES = {
    "kg": KG,
    "dpv": DPV,
    "pd": PD,
    "ic": IC,
    "org": ORG,
    "prov": PROV,
    "dcat": DCAT,
    "skos": SKOS,
    "dct": DCTERMS,
}

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)

# Terms of the ontology that docs/model.md does not (yet) name but other stages use.
EXTRA_TERMS = {
    "WelfareInformation": KG.Sensitivity,
    "DataItemCategoryScheme": SKOS.ConceptScheme,
    "localGovernmentCode": OWL.DatatypeProperty,
    "matchPattern": OWL.DatatypeProperty,
    "imiProperty": OWL.ObjectProperty,
}

# Terms docs/model.md names only to say they are not used (none at present).
REJECTED_TERMS: set[str] = set()

# Individuals docs/model.md names, with their class.
INDIVIDUALS = {
    "Approval": KG.DecisionType,
    "Acknowledgement": KG.DecisionType,
    "NewConnection": KG.ConnectionStatus,
    "EndedConnection": KG.ConnectionStatus,
}

# Property alignments the brief fixes that docs/model.md states only indirectly.
PROPERTY_ALIGNMENTS = {("inReport", PROV.wasDerivedFrom)}

# The few W3C terms outside the bundled vocabularies that the ontology may use: term -> kind.
KNOWN_W3C = {
    ORG.Organization: "class",
    ORG.OrganizationalUnit: "class",
    PROV.Entity: "class",
    PROV.wasDerivedFrom: "property",
    DCAT.Dataset: "class",
}

# Namespaces whose term lists rdflib ships (DefinedNamespace): membership is checked there.
RDFLIB_NAMESPACES = (RDF, RDFS, OWL, XSD, SKOS, DCTERMS)

# IRIs used as plain values, not as vocabulary terms.
VALUE_IRIS = {ONTOLOGY_IRI, URIRef("https://spdx.org/licenses/MIT")}

LITERAL_RANGES = {RDFS.Literal, RDF.langString}


# ---------------------------------------------------------------- loading


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY, format="turtle")
    return graph


@cache
def vocabulary(path: Path) -> Graph:
    return turtle_graph(path)


def offline_vocabularies() -> dict[str, Graph]:
    """Namespace IRI -> the offline copy that defines it."""
    return {
        str(DPV): vocabulary(VOCAB_DIR / "dpv" / "dpv.ttl"),
        str(PD): vocabulary(VOCAB_DIR / "dpv" / "pd.ttl"),
        str(LEGAL_JP): vocabulary(VOCAB_DIR / "dpv" / "legal-jp.ttl"),
        str(IC): vocabulary(VOCAB_DIR / "imi" / "imicore242.ttl"),
    }


def model_text() -> str:
    return MODEL.read_text(encoding="utf-8")


def section(title: str) -> str:
    """The body of the docs/model.md section whose heading starts with ``title``."""
    match = re.search(rf"^## {re.escape(title)}[^\n]*\n(.*?)(?=^## |\Z)", model_text(), re.S | re.M)
    assert match, f"docs/model.md has no section {title!r}"
    return match.group(1)


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix][local]


def kg_terms(graph: Graph) -> set[URIRef]:
    """Every kg: IRI typed as a class, property or individual."""
    return {
        subject
        for kind in TERM_TYPES
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and subject.startswith(str(KG))
    }


def model_kg_names() -> set[str]:
    return set(re.findall(r"(?<![\w/])kg:([A-Za-z][A-Za-z0-9]*)", model_text()))


def party_kind_names() -> set[str]:
    """kg: individuals docs/model.md names as party kinds (they live in the reference data)."""
    text = model_text()
    found: set[str] = set()
    for row in re.findall(r"^\| party kind \|([^\n]*)", text, re.M):
        found.update(re.findall(r"kg:(\w+)", row))
    for run in re.findall(r"kg:partyKind`\s*→\s*((?:`kg:\w+`\s*\|\s*)+)", text):
        found.update(re.findall(r"kg:(\w+)", run))
    return found


def model_class_names() -> set[str]:
    """The bare class names listed in the 'Classes' section (before its 'Alignments:' paragraph)."""
    body = section("Classes").split("Alignments:", 1)[0]
    return set(re.findall(r"(?<![\w:])([A-Z][A-Za-z]+)\b", body))


def model_class_alignments() -> set[tuple[str, str]]:
    body = section("Classes").split("Alignments:", 1)[1]
    pairs = set()
    for clause in re.split(r"[;.]\s*", " ".join(body.split())):
        if "⊑" not in clause:
            continue
        subject, supers = (part.strip() for part in clause.split("⊑", 1))
        pairs.update((subject, curie.strip()) for curie in supers.split(","))
    return pairs


def model_property_alignments() -> set[tuple[str, str]]:
    return set(re.findall(r"`kg:(\w+)` \(also `(\w+:\w+)`\)", model_text()))


# ---------------------------------------------------------------- parsing and form


def test_parses_with_rdflib(onto: Graph) -> None:
    assert len(onto) > 0
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto


def test_parses_with_pyoxigraph(onto: Graph) -> None:
    quads = list(pyoxigraph.parse(path=ONTOLOGY, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(onto)


def test_is_canonical() -> None:
    assert is_canonical(ONTOLOGY), "run `python scripts/canonicalize.py ontology/ketsugo.ttl`"


def test_header(onto: Graph) -> None:
    titles = {literal.language for literal in onto.objects(ONTOLOGY_IRI, DCTERMS.title)}
    assert {"ja", "en"} <= titles
    assert any(True for _ in onto.objects(ONTOLOGY_IRI, DCTERMS.description))
    assert (ONTOLOGY_IRI, DCTERMS.license, URIRef("https://spdx.org/licenses/MIT")) in onto
    assert (ONTOLOGY_IRI, OWL.versionInfo, Literal("0.1.0")) in onto
    created = onto.value(ONTOLOGY_IRI, DCTERMS.created)
    assert created is not None and str(created) == "2026-11-27"


# ---------------------------------------------------------------- every term is documented


def test_every_term_has_bilingual_label_and_comment(onto: Graph) -> None:
    problems = []
    terms = kg_terms(onto)
    assert terms
    for term in sorted(terms):
        for predicate in (RDFS.label, RDFS.comment):
            languages = [literal.language for literal in onto.objects(term, predicate)]
            for language in ("ja", "en"):
                if languages.count(language) != 1:
                    problems.append(f"{term.n3(onto.namespace_manager)} {predicate.fragment} @{language}")
    assert not problems, problems


def test_every_term_is_defined_by_the_ontology(onto: Graph) -> None:
    missing = [term for term in kg_terms(onto) if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in onto]
    assert not missing, missing


def test_every_kg_subject_is_typed(onto: Graph) -> None:
    subjects = {s for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(str(KG))}
    assert subjects - kg_terms(onto) == set()


def test_kinds_are_exclusive(onto: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in kg_terms(onto):
        assert sum((term, RDF.type, kind) in onto for kind in kinds) <= 1, term


# ---------------------------------------------------------------- docs/model.md is covered


def test_model_names_terms() -> None:
    names = model_kg_names()
    assert {"Connection", "asWritten", "inReport"} & names, "the regex no longer finds kg: terms"


def test_every_model_term_is_declared(onto: Graph) -> None:
    expected = model_kg_names() - REJECTED_TERMS - party_kind_names()
    declared = {term.fragment for term in kg_terms(onto)}
    assert sorted(expected - declared) == []


def test_rejected_terms_are_not_declared(onto: Graph) -> None:
    assert not any((KG[name], None, None) in onto for name in REJECTED_TERMS)


def test_every_model_class_is_a_class(onto: Graph) -> None:
    names = model_class_names()
    assert {"Connection", "Sensitivity", "ParseIssue"} <= names
    missing = sorted(name for name in names if (KG[name], RDF.type, OWL.Class) not in onto)
    assert missing == []


@pytest.mark.parametrize(("name", "kind"), sorted(EXTRA_TERMS.items()))
def test_extra_terms_are_declared(onto: Graph, name: str, kind: URIRef) -> None:
    assert (KG[name], RDF.type, kind) in onto


@pytest.mark.parametrize(("name", "kind"), sorted(INDIVIDUALS.items()))
def test_model_individuals(onto: Graph, name: str, kind: URIRef) -> None:
    assert (KG[name], RDF.type, OWL.NamedIndividual) in onto
    assert (KG[name], RDF.type, kind) in onto


def test_sensitivity_individuals(onto: Graph) -> None:
    names = set(re.findall(r"kg:([A-Z]\w+)", section("Sensitivity flags"))) | {"WelfareInformation"}
    assert "SpecificPersonalInformation" in names
    for name in names:
        assert (KG[name], RDF.type, KG.Sensitivity) in onto, name
        assert (KG[name], RDF.type, OWL.NamedIndividual) in onto, name


def test_party_kind_individuals_are_in_the_reference_data() -> None:
    """Party kinds live outside the ontology; checked once a reference file declares any."""
    names = party_kind_names()
    assert names, "docs/model.md no longer names party kinds"
    graph = Graph()
    for path in reference_files():
        if path != ONTOLOGY:
            graph.parse(path, format="turtle")
    declared = {s.fragment for s in graph.subjects(RDF.type, KG.PartyKind) if isinstance(s, URIRef)}
    if not declared:
        pytest.skip("no reference file declares kg:PartyKind individuals yet")
    assert sorted(names - declared) == []


def test_class_alignments(onto: Graph) -> None:
    pairs = model_class_alignments()
    assert ("Connection", "dpv:Process") in pairs
    missing = sorted(
        f"{subject} ⊑ {curie}"
        for subject, curie in pairs
        if (KG[subject], RDFS.subClassOf, expand(curie)) not in onto
    )
    assert missing == []


def test_property_alignments(onto: Graph) -> None:
    pairs = {(name, expand(curie)) for name, curie in model_property_alignments()} | PROPERTY_ALIGNMENTS
    assert ("department", DPV.hasOrganisationalUnit) in pairs
    missing = sorted(
        f"{name} ⊑ {parent}" for name, parent in pairs if (KG[name], RDFS.subPropertyOf, parent) not in onto
    )
    assert missing == []


def test_imi_matches(onto: Graph) -> None:
    assert (KG.Organisation, SKOS.closeMatch, IC["組織型"]) in onto
    assert (KG.Municipality, SKOS.broadMatch, IC["組織型"]) in onto


# ---------------------------------------------------------------- domains and ranges


def test_ranges_match_property_kind(onto: Graph) -> None:
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in onto.objects(prop, RDFS.range):
            assert rng in LITERAL_RANGES or rng.startswith(str(XSD)), (prop, rng)
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        for rng in onto.objects(prop, RDFS.range):
            assert rng not in LITERAL_RANGES and not rng.startswith(str(XSD)), (prop, rng)


def test_every_property_has_a_range(onto: Graph) -> None:
    props = [*onto.subjects(RDF.type, OWL.ObjectProperty), *onto.subjects(RDF.type, OWL.DatatypeProperty)]
    assert [p for p in props if onto.value(p, RDFS.range) is None] == []


def test_kg_domains_and_ranges_are_declared_classes(onto: Graph) -> None:
    used = {o for p in (RDFS.domain, RDFS.range, RDFS.subClassOf) for o in onto.objects(None, p)}
    for term in used:
        if term.startswith(str(KG)):
            assert (term, RDF.type, OWL.Class) in onto, term


# ---------------------------------------------------------------- external terms exist


def external_terms(graph: Graph) -> set[URIRef]:
    terms = {node for triple in graph for node in triple if isinstance(node, URIRef)}
    return {term for term in terms if not term.startswith(str(KG)) and term not in VALUE_IRIS}


def is_class_in(vocab: Graph, term: URIRef) -> bool:
    return any((term, RDF.type, kind) in vocab for kind in (RDFS.Class, OWL.Class))


def is_property_in(vocab: Graph, term: URIRef) -> bool:
    kinds = (RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty)
    return any((term, RDF.type, kind) in vocab for kind in kinds)


def test_external_terms_exist(onto: Graph) -> None:
    vocabularies = offline_vocabularies()
    unknown = []
    for term in sorted(external_terms(onto)):
        source = next((vocab for ns, vocab in vocabularies.items() if term.startswith(ns)), None)
        if source is not None:
            known = (term, None, None) in source
        elif term in KNOWN_W3C:
            known = True
        else:
            namespace = next((ns for ns in RDFLIB_NAMESPACES if term.startswith(str(ns))), None)
            known = namespace is not None and term in namespace
        if not known:
            unknown.append(str(term))
    assert unknown == []


def test_external_superclasses_are_classes(onto: Graph) -> None:
    vocabularies = offline_vocabularies()
    for parent in set(onto.objects(None, RDFS.subClassOf)):
        if parent.startswith(str(KG)):
            continue
        source = next((v for ns, v in vocabularies.items() if parent.startswith(ns)), None)
        if source is not None:
            assert is_class_in(source, parent), parent
        elif parent in KNOWN_W3C:
            assert KNOWN_W3C[parent] == "class", parent
        else:
            assert parent == SKOS.Concept, parent


def test_external_superproperties_are_properties(onto: Graph) -> None:
    vocabularies = offline_vocabularies()
    for parent in set(onto.objects(None, RDFS.subPropertyOf)):
        source = next((v for ns, v in vocabularies.items() if parent.startswith(ns)), None)
        if source is not None:
            assert is_property_in(source, parent), parent
        else:
            assert KNOWN_W3C.get(parent) == "property", parent
