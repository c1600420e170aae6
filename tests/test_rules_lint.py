"""The rule files of the open world (party-patterns.toml, agency-rules.toml, legal-forms.toml) name
only classes and party kinds that exist, and their patterns compile."""

from __future__ import annotations

import re
import tomllib

from rdflib import OWL, RDF, Graph, Namespace

from ketsugo.paths import ONTOLOGY_DIR, REFERENCE_DIR

KG = Namespace("https://w3id.org/ketsugo#")


def _toml(name: str) -> dict:
    with (REFERENCE_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


def _graph() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_DIR / "ketsugo.ttl", format="turtle")
    graph.parse(REFERENCE_DIR / "party-kinds.ttl", format="turtle")
    return graph


def test_party_rules_name_existing_classes_and_kinds() -> None:
    graph = _graph()
    for rule in _toml("party-patterns.toml")["rule"]:
        assert bool(rule.get("class")) != bool(rule.get("party_kind")), rule["name"]
        if rule.get("class"):
            assert (KG[rule["class"]], RDF.type, OWL.Class) in graph, rule["name"]
        else:
            assert (KG[rule["party_kind"]], RDF.type, KG.PartyKind) in graph, rule["name"]
        for pattern in rule.get("patterns", ()):
            re.compile(pattern)
        assert rule.get("patterns") or rule.get("local_government"), rule["name"]


def test_legal_forms_name_existing_classes() -> None:
    graph = _graph()
    for form in _toml("legal-forms.toml")["form"]:
        assert (KG[form["kind"]], RDF.type, OWL.Class) in graph, form["name"]


def test_agency_rules_are_unique_and_have_one_head() -> None:
    data = _toml("agency-rules.toml")
    slugs = [a["slug"] for a in data["agency"]]
    assert len(slugs) == len(set(slugs))
    assert sum(1 for a in data["agency"] if a.get("head")) == 1
    labels = [label for a in data["agency"] for label in a["labels"]]
    assert len(labels) == len(set(labels)), "a label names one agency"
    assert set(data["head_labels"]) == {"prefecture", "special-ward", "city", "town", "village", "ward"}
