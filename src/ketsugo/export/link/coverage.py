"""How far a build is linked to national and shared identifiers, per report and in total.

Counts what the report graphs use (named parties, laws cited, categories of the items, the
municipality) and how many of those carry a link, wherever the link is stated (the reference
graph, a report graph or a link graph): corporate numbers, Wikidata items, e-Gov law IDs,
DPV and IMI matches, e-Stat area IRIs. Unlinked things are named, so a curator knows what
to look up next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ketsugo.prefixes import PREFIXES, compact_iri
from ketsugo.store.disk import solutions

WIKIDATA = "http://www.wikidata.org/entity/"

# (measure, what is counted in one report graph ?g, the ASK-able condition on ?x for "linked")
_MEASURES: tuple[tuple[str, str, str, str], ...] = (
    (
        "parties with a corporate number",
        "parties",
        """GRAPH ?g { ?c dpv:hasRecipient|dpv:hasDataSource ?x } FILTER(isIRI(?x)) FILTER NOT EXISTS { ?x kg:isUnnamed true }""",
        "?x kg:corporateNumber ?n",
    ),
    (
        "parties with a Wikidata item",
        "parties",
        """GRAPH ?g { ?c dpv:hasRecipient|dpv:hasDataSource ?x } FILTER(isIRI(?x)) FILTER NOT EXISTS { ?x kg:isUnnamed true }""",
        f'?x owl:sameAs|skos:exactMatch ?w FILTER(STRSTARTS(STR(?w), "{WIKIDATA}"))',
    ),
    (
        "laws with an e-Gov law ID",
        "laws",
        "GRAPH ?g { ?citation kg:law ?x }",
        "?x kg:eGovLawId ?id",
    ),
    (
        "categories with a DPV match",
        "categories",
        "GRAPH ?g { ?item kg:hasCategory ?x }",
        '?x skos:exactMatch|skos:closeMatch|skos:broadMatch ?m FILTER(STRSTARTS(STR(?m), "https://w3id.org/dpv"))',
    ),
    (
        "categories with an IMI match",
        "categories",
        "GRAPH ?g { ?item kg:hasCategory ?x }",
        "{ ?x kg:imiProperty ?m } UNION { ?x skos:exactMatch|skos:closeMatch|skos:broadMatch ?m "
        'FILTER(STRSTARTS(STR(?m), "http://imi.go.jp/ns/core/rdf#")) }',
    ),
    (
        "municipalities with an e-Stat area",
        "municipalities",
        "GRAPH ?g { ?r a kg:Report ; kg:municipality ?x }",
        '?x rdfs:seeAlso ?a FILTER(STRSTARTS(STR(?a), "http://data.e-stat.go.jp/lod/sac/"))',
    ),
)


@dataclass
class Measure:
    name: str
    linked: set[str] = field(default_factory=set)
    unlinked: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.linked) + len(self.unlinked)


@dataclass
class Coverage:
    reports: dict[str, list[Measure]]  # report graph → measures
    total: list[Measure]


def _report_graphs(store: ox.Store) -> list[str]:
    rows = solutions(
        store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a kg:Report } } ORDER BY ?g", prefixes=PREFIXES)
    )
    return [row["g"].value for row in rows]


def coverage(store: ox.Store) -> Coverage:
    """Every measure for every report graph, and over all of them."""
    reports: dict[str, list[Measure]] = {}
    totals = [Measure(name) for name, _, _, _ in _MEASURES]
    for graph in _report_graphs(store):
        measures = []
        for (name, _, counted, condition), total in zip(_MEASURES, totals, strict=True):
            where = counted.replace("GRAPH ?g", f"GRAPH <{graph}>")
            query = f"SELECT DISTINCT ?x (EXISTS {{ {condition} }} AS ?linked) WHERE {{ {where} }}"
            measure = Measure(name)
            for row in solutions(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)):
                (measure.linked if row["linked"].value == "true" else measure.unlinked).add(row["x"].value)
            total.linked |= measure.linked
            total.unlinked |= measure.unlinked
            measures.append(measure)
        reports[graph] = measures
    for total in totals:
        total.unlinked -= total.linked
    return Coverage(reports, totals)


def _line(measure: Measure, show_missing: bool) -> str:
    share = f"{100 * len(measure.linked) / measure.total:.0f}%" if measure.total else "—"
    line = f"  {measure.name:<36} {len(measure.linked):>4} / {measure.total:<4} {share:>5}"
    if show_missing and measure.unlinked:
        missing = sorted(compact_iri(i) for i in measure.unlinked)
        shown = ", ".join(missing[:8]) + (f", … ({len(missing) - 8} more)" if len(missing) > 8 else "")
        line += f"\n      not linked: {shown}"
    return line


def format_coverage(result: Coverage) -> str:
    """A plain-text table: per report graph, then the total with what is not linked."""
    lines: list[str] = []
    for graph, measures in result.reports.items():
        lines.append(f"<{graph}>")
        lines.extend(_line(m, False) for m in measures)
    lines.append("total")
    lines.extend(_line(m, True) for m in result.total)
    return "\n".join(lines) + "\n"
