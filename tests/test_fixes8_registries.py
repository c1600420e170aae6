"""A new municipality's agencies file, as docs/your-report.md shows it (青木村, 203491), with nothing
else added: the registry shapes must say exactly what to add and where, and adding just that must
make them pass (read by hand: the municipality node kid:municipality/203491, its code 203491, its
e-Stat area …/sac/C20349, the first five digits)."""

from __future__ import annotations

import re

from tests.test_registries_shapes import registries, validate

AGENCY = "https://w3id.org/ketsugo/id/203491/agency/mayor"
AGENCIES = f"""
@prefix kg: <https://w3id.org/ketsugo#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<{AGENCY}> a kg:ImplementingAgency ;
    rdfs:label "Mayor of Aoki Village"@en, "青木村長"@ja ;
    skos:prefLabel "青木村長"@ja ;
    org:subOrganizationOf <https://w3id.org/ketsugo/id/municipality/203491> .
"""
PREFIXES = """
@prefix kg: <https://w3id.org/ketsugo#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def test_the_message_says_what_to_add_and_adding_it_passes() -> None:
    graph = registries()
    graph.parse(data=AGENCIES, format="turtle")
    outcome = validate(graph)
    assert not outcome.conforms
    messages = [m for about, m in outcome.results if about == AGENCY]
    assert len(messages) == 1, outcome.results
    message = messages[0]
    assert "data/reference/organizations.ttl" in message
    entry = re.search(r"the entry (<.*? \.) \(NAME", message)
    assert entry is not None, message
    assert entry.group(1) == (
        '<https://w3id.org/ketsugo/id/municipality/203491> a kg:Municipality ; rdfs:label "NAME"@ja, '
        '"NAME in English"@en ; skos:prefLabel "NAME"@ja ; kg:localGovernmentCode "203491" ; '
        "rdfs:seeAlso <http://data.e-stat.go.jp/lod/sac/C20349> ."
    )
    written = entry.group(1).replace('"NAME in English"', '"Aoki Village"').replace('"NAME"', '"青木村"')
    graph.parse(data=PREFIXES + written, format="turtle")
    after = validate(graph)
    assert after.conforms, after.text


def test_an_agency_of_a_company_is_told_its_municipality_iri() -> None:
    graph = registries()
    graph.parse(data=AGENCIES.replace("municipality/203491", "org/mhlw"), format="turtle")
    outcome = validate(graph)
    messages = [m for about, m in outcome.results if about == AGENCY]
    assert messages == [
        "an agency is part of exactly one municipality (org:subOrganizationOf kid:municipality/{code}, "
        "a kg:Municipality of organizations.ttl)"
    ]
