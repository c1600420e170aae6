"""Online enrichment, off by default: Wikidata items for a build's organisations and municipalities.

`ketsugo link --endpoint URL` asks a SPARQL endpoint (SPARQLWrapper, through
:class:`ketsugo.sparql.query.RemoteBackend`; values are bound as RDF terms in a VALUES block, never
pasted into the query text) for items

- with the organisation's corporate number (wdt:P3225, 法人番号),
- with the municipality's local government code (wdt:P429, 全国地方公共団体コード),
- whose Japanese label or alias is exactly one of the organisation's names, only for names
  that carry a legal form (株式会社X: precise enough to name one entity; マイクロソフト is not).

A thing that gets exactly one item is linked with skos:exactMatch (an automatic link: weaker
than a curated owl:sameAs); several items are listed, not asserted; a thing whose Wikidata
item is curated keeps it (a different answer is listed). Everything goes into its own named
graph with PROV provenance: the endpoint, the time, the rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from ketsugo.graph.orgnames import organisation_key
from ketsugo.graph.terms import OxTerm
from ketsugo.prefixes import DCT, GRAPH, KID, PREFIXES, PROV, RDF, RDFS, SKOS, XSD
from ketsugo.store.disk import solutions

ENRICH_GRAPH = GRAPH + "link/wikidata"
WIKIDATA = "http://www.wikidata.org/entity/"
SOFTWARE = "https://w3id.org/ketsugo"
RULES = {
    "P3225": "corporate number = wdt:P3225",
    "P429": "local government code = wdt:P429",
    "label": "Japanese label or alias = a name with a legal form",
}

_BY_NUMBER = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?value ?item WHERE { ?item wdt:%s ?value }"""

_BY_LABEL = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?value ?item WHERE { ?item rdfs:label|skos:altLabel ?value }"""

_NUMBERED = """
SELECT DISTINCT ?x ?value WHERE {
  { ?c dpv:hasRecipient|dpv:hasDataSource ?x . ?x kg:corporateNumber ?value }
  UNION { ?x a kg:Municipality ; kg:localGovernmentCode ?value }
}"""

_NAMED = """
SELECT DISTINCT ?x ?name WHERE {
  ?c dpv:hasRecipient|dpv:hasDataSource ?x . FILTER(isIRI(?x))
  FILTER NOT EXISTS { ?x kg:isUnnamed true }
  ?x rdfs:label|skos:prefLabel|skos:altLabel|kg:asWritten ?name .
  FILTER(lang(?name) != "en")
}"""

_CURATED = """
SELECT DISTINCT ?x ?item WHERE {
  GRAPH ?g { ?x owl:sameAs|skos:exactMatch ?item }
  FILTER(?g != <%s> && STRSTARTS(STR(?item), "%s"))
}"""


@dataclass(frozen=True)
class WikidataLink:
    subject: str
    item: str
    rule: str  # a key of RULES
    value: str  # the number, code or name that matched


@dataclass
class Enrichment:
    links: list[WikidataLink] = field(default_factory=list)
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (subject, note) for curated items
    when: datetime = field(default_factory=lambda: datetime.now(UTC))


def _lookup(backend: object, query: str, values: Iterable[ox.Literal]) -> dict[str, set[str]]:
    """value → items, asking once for every value (bound as VALUES rows)."""
    from ketsugo.sparql.query import run

    rows = [{"value": value} for value in sorted(set(values), key=str)]
    if not rows:
        return {}
    found: dict[str, set[str]] = {}
    for record in run(backend, query, rows=rows).records():  # type: ignore[arg-type]
        item = str(record["item"])
        if item.startswith(WIKIDATA):
            found.setdefault(str(record["value"]), set()).add(item)
    return found


def enrich(store: ox.Store, endpoint: str) -> Enrichment:
    """Ask the endpoint about the build's organisations and municipalities."""
    from ketsugo.sparql.query import RemoteBackend

    # `ketsugo link --endpoint` is online by the user's choice (Wikidata): any host
    backend = RemoteBackend(endpoint, default_graphs=[], allow_remote=True)
    result = Enrichment()
    curated: dict[str, set[str]] = {}
    query = _CURATED % (ENRICH_GRAPH, WIKIDATA)
    for row in solutions(store.query(query, prefixes=PREFIXES)):
        curated.setdefault(row["x"].value, set()).add(row["item"].value)

    candidates: dict[str, dict[str, set[str]]] = {}  # subject → rule → items

    numbered = list(solutions(store.query(_NUMBERED, prefixes=PREFIXES, use_default_graph_as_union=True)))
    corporate = [(r["x"].value, r["value"].value) for r in numbered if len(r["value"].value) == 13]
    municipal = [(r["x"].value, r["value"].value) for r in numbered if len(r["value"].value) == 6]
    for rule, pairs in (("P3225", corporate), ("P429", municipal)):
        found = _lookup(backend, _BY_NUMBER % rule, (ox.Literal(v) for _, v in pairs))
        for subject, value in pairs:
            if value in found:
                candidates.setdefault(subject, {}).setdefault(rule, set()).update(found[value])

    names: dict[str, set[str]] = {}
    for row in solutions(store.query(_NAMED, prefixes=PREFIXES, use_default_graph_as_union=True)):
        name = row["name"].value
        if organisation_key(name).split("|", 1)[0]:  # a legal form: precise enough
            names.setdefault(row["x"].value, set()).add(name)
    by_label = _lookup(
        backend, _BY_LABEL, (ox.Literal(n, language="ja") for ns in names.values() for n in ns)
    )
    for subject, subject_names in names.items():
        for name in subject_names:
            if name in by_label:
                candidates.setdefault(subject, {}).setdefault("label", set()).update(by_label[name])

    for subject in sorted(candidates):
        rules = candidates[subject]
        # an identifier beats a label: ask the label only when no identifier answered
        rule = next(r for r in ("P3225", "P429", "label") if r in rules)
        items = sorted(rules[rule])
        if subject in curated:
            if set(items) <= curated[subject]:
                result.kept.append((subject, f"curated {', '.join(sorted(curated[subject]))} confirmed"))
            else:
                result.kept.append(
                    (
                        subject,
                        f"curated {', '.join(sorted(curated[subject]))} kept; endpoint says {', '.join(items)}",
                    )
                )
            continue
        if len(items) > 1:
            result.ambiguous.append((subject, items))
            continue
        value = _matched_value(store, subject, rule, items[0], by_label)
        result.links.append(WikidataLink(subject, items[0], rule, value))
    return result


def _matched_value(store: ox.Store, subject: str, rule: str, item: str, by_label: dict[str, set[str]]) -> str:
    if rule == "label":
        return next((name for name, items in sorted(by_label.items()) if item in items), "")
    predicate = "kg:corporateNumber" if rule == "P3225" else "kg:localGovernmentCode"
    for row in solutions(
        store.query(
            f"SELECT ?v WHERE {{ <{subject}> {predicate} ?v }}",
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
        )
    ):
        value: str = row["v"].value
        return value
    return ""


def enrichment_quads(result: Enrichment, endpoint: str) -> list[ox.Triple]:
    """The triples of the Wikidata link graph, with their provenance."""

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: OxTerm) -> None:
        out.append(ox.Triple(s, n(p), o))

    stamp = result.when.strftime("%Y%m%dT%H%M%SZ")
    activity = n(f"{KID}link/activity/wikidata/{stamp}")
    source = n(endpoint)
    add(activity, RDF + "type", n(PROV + "Activity"))
    add(activity, RDFS + "label", ox.Literal("Wikidata の照合（SPARQL）", language="ja"))
    add(activity, RDFS + "label", ox.Literal("Wikidata items looked up over SPARQL", language="en"))
    add(activity, PROV + "used", source)
    add(activity, PROV + "wasAssociatedWith", n(SOFTWARE))
    add(
        activity,
        PROV + "endedAtTime",
        ox.Literal(result.when.isoformat(timespec="seconds"), datatype=n(XSD + "dateTime")),
    )
    add(source, RDF + "type", n(PROV + "Entity"))
    add(source, DCT + "title", ox.Literal("SPARQL endpoint"))
    for rule, text in RULES.items():
        plan = n(f"{KID}link/rule/wikidata-{rule.lower()}")
        add(plan, RDF + "type", n(PROV + "Plan"))
        add(plan, RDFS + "label", ox.Literal(text, language="en"))
    for link in result.links:
        subject, item = n(link.subject), n(link.item)
        add(subject, SKOS + "exactMatch", item)
        digest = hashlib.sha1(f"{link.subject} {link.item}".encode()).hexdigest()[:12]
        evidence = n(f"{KID}link/wikidata/{digest}")
        add(evidence, RDF + "type", n(PROV + "Entity"))
        add(evidence, DCT + "subject", subject)
        add(evidence, PROV + "value", item)
        add(evidence, PROV + "wasGeneratedBy", activity)
        add(evidence, PROV + "wasDerivedFrom", source)
        add(evidence, DCT + "conformsTo", n(f"{KID}link/rule/wikidata-{link.rule.lower()}"))
        add(evidence, RDFS + "comment", ox.Literal(f"{RULES[link.rule]}: {link.value}"))
    for ambiguous, items in result.ambiguous:
        add(
            n(ambiguous),
            SKOS + "editorialNote",
            ox.Literal(
                f"Wikidata item not asserted: several items answer ({', '.join(items)})", language="en"
            ),
        )
    return out
