"""Corporate numbers for a build's counterparties, from the NTA bulk CSV.

Counterparties are matched by :func:`~ketsugo.graph.orgnames.organisation_key` of every name they
are known by (label, preferred and alternative labels, the text as written): exact key
equality, no fuzzy matching, so ㈱X, (株)X and X株式会社 match 株式会社Ｘ and nothing else.
A key that several NTA entities share (two companies of one name) is ambiguous: listed, never
asserted. A counterparty whose number is curated keeps it; a different NTA number for it is
listed as a disagreement. Everything asserted sits in its own named graph, with PROV
provenance (the files, the date of their data, the match rule).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ketsugo.errors import Issue
from ketsugo.export.link.nodes import literal as _lit
from ketsugo.export.link.nodes import named as _n
from ketsugo.export.link.nta import NtaRecord, ReadStats, corporate_kinds, read_nta
from ketsugo.graph.orgnames import organisation_key
from ketsugo.graph.terms import OxTerm
from ketsugo.prefixes import DCAT, DCT, ESTAT_SAC, GRAPH, IC, KG, KID, PREFIXES, PROV, RDF, RDFS, SKOS, XSD
from ketsugo.store.disk import solutions

LINK_GRAPH = GRAPH + "link/corporate-numbers"
GBIZINFO = "http://hojin-info.go.jp/data/basic/"
NTA_SITE = "https://www.houjin-bangou.nta.go.jp/"
MATCH_RULE = "organisation_key exact"
RULE_IRI = KID + "link/rule/organisation-key-exact"
SOFTWARE = "https://w3id.org/ketsugo"

_PARTY_NAMES = """
SELECT DISTINCT ?party ?name WHERE {
  ?connection dpv:hasRecipient|dpv:hasDataSource ?party .  # a data source (受領) is a counterparty too
  FILTER(isIRI(?party))
  FILTER NOT EXISTS { ?party kg:isUnnamed true }
  ?party rdfs:label|skos:prefLabel|skos:altLabel|kg:asWritten ?name .
  FILTER(lang(?name) != "en")
}"""

_MUNICIPALITIES = """
SELECT DISTINCT ?m ?name ?code WHERE {
  GRAPH ?g { ?report a kg:Report ; kg:municipality ?m }
  ?m kg:localGovernmentCode ?code ; rdfs:label ?name .
  FILTER(lang(?name) = "ja")
}"""

LOCAL_GOVERNMENT_KIND = "201"  # 法人種別 地方公共団体

_CURATED = """
SELECT DISTINCT ?party ?number WHERE {
  GRAPH ?g { ?party kg:corporateNumber ?number }
  FILTER(?g != <%s>)
}"""


@dataclass(frozen=True)
class Ambiguity:
    key: str
    parties: tuple[str, ...]
    candidates: tuple[NtaRecord, ...]


@dataclass(frozen=True)
class Disagreement:
    party: str
    curated: str
    found: NtaRecord


@dataclass
class CorporateLinks:
    """What matching found: numbers to assert, and what is only listed."""

    assigned: dict[str, NtaRecord] = field(default_factory=dict)  # party IRI → record
    names: dict[str, str] = field(default_factory=dict)  # party IRI → the name that matched
    agreements: dict[str, str] = field(default_factory=dict)  # party IRI → curated number, confirmed
    disagreements: list[Disagreement] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # parties no row matched
    municipalities: set[str] = field(default_factory=set)  # matched as 地方公共団体, not as counterparties
    stats: list[ReadStats] = field(default_factory=list)


def party_keys(store: ox.Store) -> dict[str, dict[str, str]]:
    """organisation key → {party IRI: the name giving that key}, for every named counterparty."""
    keys: dict[str, dict[str, str]] = {}
    for row in solutions(store.query(_PARTY_NAMES, prefixes=PREFIXES, use_default_graph_as_union=True)):
        name = row["name"].value
        key = organisation_key(name)
        if key.strip("|"):
            keys.setdefault(key, {}).setdefault(row["party"].value, name)
    return keys


def municipality_keys(store: ox.Store) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(organisation key → {municipality IRI: name}, municipality IRI → its prefecture): a
    municipality matches only an NTA 地方公共団体 (法人種別 201) of its own prefecture, since
    names such as 府中市 recur across prefectures."""
    from ketsugo.read.metadata import municipality

    keys: dict[str, dict[str, str]] = {}
    prefectures: dict[str, str] = {}
    for row in solutions(store.query(_MUNICIPALITIES, prefixes=PREFIXES, use_default_graph_as_union=True)):
        iri, name, code = row["m"].value, row["name"].value, row["code"].value
        try:
            prefectures[iri] = municipality(code).prefecture
        except KeyError:
            continue
        keys.setdefault(organisation_key(name), {}).setdefault(iri, name)
    return keys, prefectures


def curated_numbers(store: ox.Store, graph: str = LINK_GRAPH) -> dict[str, str]:
    return {
        row["party"].value: row["number"].value
        for row in solutions(
            store.query(_CURATED % graph, prefixes=PREFIXES, use_default_graph_as_union=True)
        )
    }


def match(
    store: ox.Store,
    files: Iterable[Path],
    *,
    encoding: str | None = None,
    warn: Callable[[Issue], None] | None = None,
) -> CorporateLinks:
    """Stream the files, keep the rows of the build's names, and decide what to assert."""
    keys = party_keys(store)
    town_keys, prefectures = municipality_keys(store)
    for key, towns in town_keys.items():
        keys.setdefault(key, {}).update(towns)
    found: dict[str, dict[str, NtaRecord]] = {}  # key → number → record (latest update wins)
    links = CorporateLinks(municipalities=set(prefectures))
    for path in files:
        stats = ReadStats(path)
        for key, record in read_nta(path, set(keys), encoding=encoding, stats=stats, warn=warn):
            by_number = found.setdefault(key, {})
            earlier = by_number.get(record.number)
            if earlier is None or record.update_date >= earlier.update_date:
                by_number[record.number] = record
        links.stats.append(stats)
    curated = curated_numbers(store)
    matched: set[str] = set()
    for key, parties in sorted(keys.items()):
        records = found.get(key, {})
        # municipalities match only local governments of their prefecture; others anything
        groups: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for party, name in sorted(parties.items()):
            candidates = [
                r
                for r in records.values()
                if party not in prefectures
                or (r.kind == LOCAL_GOVERNMENT_KIND and r.prefecture == prefectures[party])
            ]
            if candidates:
                numbers = tuple(sorted(r.number for r in candidates))
                groups.setdefault(numbers, []).append((party, name))
        for numbers, members in groups.items():
            matched.update(party for party, _ in members)
            if len(numbers) > 1:
                tied = tuple(sorted((records[n] for n in numbers), key=lambda r: r.number))
                links.ambiguous.append(Ambiguity(key, tuple(p for p, _ in members), tied))
                continue
            record = records[numbers[0]]
            for party, name in members:
                _assign(links, curated, key, party, name, record)
    every_party = {party for parties in keys.values() for party in parties}
    links.unmatched = sorted(every_party - matched)
    for ambiguity in links.ambiguous:
        for party in ambiguity.parties:
            links.assigned.pop(party, None)
    return links


def _assign(
    links: CorporateLinks, curated: dict[str, str], key: str, party: str, name: str, record: NtaRecord
) -> None:
    """Assert ``record`` for ``party`` unless its number is curated or another name of it matched
    another entity (then it is listed instead)."""
    if party in curated:
        if curated[party] == record.number:
            links.agreements[party] = record.number
        else:
            links.disagreements.append(Disagreement(party, curated[party], record))
        return
    other = links.assigned.get(party)
    if other is not None and other.number != record.number:
        del links.assigned[party]
        links.ambiguous.append(Ambiguity(key, (party,), (other, record)))
        return
    links.assigned[party] = record
    links.names[party] = name


# --------------------------------------------------------------------------------- the graph


def _iso_date(text: str) -> str | None:
    """YYYY-MM-DD from the NTA's date (YYYY-MM-DD, or YYYYMMDD in some exports)."""
    digits = text.replace("-", "").replace("/", "")
    if len(digits) == 8 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return None


def _source_iri(stats: ReadStats) -> str:
    digest = hashlib.sha1(f"{stats.path.name}|{stats.latest_update}|{stats.rows}".encode()).hexdigest()[:12]
    return f"{KID}link/source/{digest}"


def corporate_quads(links: CorporateLinks, now: datetime | None = None) -> list[ox.Triple]:
    """The triples of the link graph: numbers, kinds, addresses and their provenance."""
    now = now or datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    activity = _n(f"{KID}link/activity/corporate-numbers/{stamp}")
    rule = _n(RULE_IRI)
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: OxTerm) -> None:
        out.append(ox.Triple(s, _n(p), o))

    add(activity, RDF + "type", _n(PROV + "Activity"))
    add(activity, RDFS + "label", _lit("法人番号の照合（国税庁 基本3情報）", "ja"))
    add(activity, RDFS + "label", _lit("corporate numbers matched from NTA bulk data", "en"))
    add(activity, PROV + "endedAtTime", _lit(now.isoformat(timespec="seconds"), datatype=XSD + "dateTime"))
    add(activity, PROV + "wasAssociatedWith", _n(SOFTWARE))
    association = ox.BlankNode()
    add(activity, PROV + "qualifiedAssociation", association)
    add(association, RDF + "type", _n(PROV + "Association"))
    add(association, PROV + "agent", _n(SOFTWARE))
    add(association, PROV + "hadPlan", rule)
    add(rule, RDF + "type", _n(PROV + "Plan"))
    add(rule, RDFS + "label", _lit(MATCH_RULE, "en"))
    add(
        rule,
        RDFS + "comment",
        _lit(
            "A counterparty gets the number of the one NTA entity whose name has the same "
            "ketsugo.graph.orgnames.organisation_key as one of its names (legal form in full or "
            "abbreviated, widths, spaces and middle dots do not count); several entities of one "
            "key: listed, not asserted; a curated number is never replaced.",
            "en",
        ),
    )
    sources: list[ox.NamedNode] = []
    for stats in links.stats:
        source = _n(_source_iri(stats))
        sources.append(source)
        add(activity, PROV + "used", source)
        add(source, RDF + "type", _n(PROV + "Entity"))
        add(source, RDF + "type", _n(DCAT + "Distribution"))
        add(source, DCT + "title", _lit(stats.path.name))
        add(source, DCT + "publisher", _n(NTA_SITE))
        add(source, DCAT + "mediaType", _lit("text/csv"))
        add(source, DCT + "format", _lit(f"CSV ({stats.encoding}, {stats.layout} layout)"))
        day = _iso_date(stats.latest_update)
        if day:
            add(source, DCT + "modified", _lit(day, datatype=XSD + "date"))
    add(_n(NTA_SITE), RDFS + "label", _lit("国税庁法人番号公表サイト", "ja"))
    add(_n(NTA_SITE), RDFS + "label", _lit("National Tax Agency Corporate Number Publication Site", "en"))
    kinds = corporate_kinds()
    for party_iri, record in sorted(links.assigned.items()):
        party = _n(party_iri)
        add(party, KG + "corporateNumber", _lit(record.number))
        identifier = ox.BlankNode()
        scheme = ox.BlankNode()
        add(party, IC + "ID", identifier)
        add(identifier, IC + "体系", scheme)
        add(scheme, IC + "表記", _lit("法人番号"))
        add(identifier, IC + "識別値", _lit(record.number))
        add(party, RDFS + "seeAlso", _n(GBIZINFO + record.number))
        kind = kinds.get(record.kind)
        if kind is not None:
            code = ox.BlankNode()
            code_list = ox.BlankNode()
            add(party, IC + "組織種別", code)
            add(code, RDF + "type", _n(IC + "コード型"))
            add(code, IC + "コード種別", code_list)
            add(code_list, RDF + "type", _n(IC + "コードリスト型"))
            add(code_list, IC + "表記", _lit("法人種別"))
            add(code, IC + "識別値", _lit(kind.code))
            add(code, IC + "表記", _lit(kind.ja))
            if kind.kg_class and party_iri not in links.municipalities:
                add(party, KG + "counterpartyKind", _n(KG + kind.kg_class))
        if record.address:
            address = ox.BlankNode()
            add(party, IC + "住所", address)
            add(address, RDF + "type", _n(IC + "住所型"))
            add(address, IC + "表記", _lit(record.address))
            if record.prefecture:
                add(address, IC + "都道府県", _lit(record.prefecture))
            if record.city:
                add(address, IC + "市区町村", _lit(record.city))
            if record.postcode:
                add(address, IC + "郵便番号", _lit(record.postcode))
            if len(record.prefecture_code) == 2 and len(record.city_code) == 3:
                add(
                    address,
                    IC + "市区町村コード",
                    _n(f"{ESTAT_SAC}C{record.prefecture_code}{record.city_code}"),
                )
        if record.closed:
            add(party, SKOS + "editorialNote", _lit(f"NTA: registration closed on {record.close_date}", "en"))
        evidence = _n(f"{KID}link/corporate-number/{record.number}")
        add(evidence, RDF + "type", _n(PROV + "Entity"))
        add(evidence, PROV + "value", _lit(record.number))
        add(evidence, DCT + "subject", party)
        add(evidence, PROV + "wasGeneratedBy", activity)
        add(
            evidence, RDFS + "comment", _lit(f"{links.names[party_iri]} = {record.name} ({MATCH_RULE})", "ja")
        )
        for stats, source in zip(links.stats, sources, strict=True):
            if str(stats.path) == record.source:
                add(evidence, PROV + "wasDerivedFrom", source)
                add(evidence, DCT + "source", _lit(f"{stats.path.name}:{record.line}"))
    for ambiguity in links.ambiguous:
        numbers = ", ".join(f"{r.number} {r.name} {r.address}".strip() for r in ambiguity.candidates)
        for party_iri in ambiguity.parties:
            add(
                _n(party_iri),
                SKOS + "editorialNote",
                _lit(f"法人番号 not asserted: several NTA entities of this name ({numbers})", "en"),
            )
    for disagreement in links.disagreements:
        add(
            _n(disagreement.party),
            SKOS + "editorialNote",
            _lit(
                f"curated 法人番号 {disagreement.curated} kept; NTA data names {disagreement.found.number} "
                f"({disagreement.found.name})",
                "en",
            ),
        )
    return out
