"""The flow graph for visualisation: agency → department → connection → recipient → category.

Built from the store with catalogue queries (queries/export/flow-graph*.rq), held as a networkx
DiGraph, and written as GraphML or GEXF (Gephi, yEd, Cytoscape), DOT (Graphviz), a static SVG,
or a self-contained interactive HTML page (no network needed to open it).

The graph keeps the data's edges (connection → category: "carries"); the drawings route a
connection's categories through its recipients (recipient → category), so every edge runs
between neighbouring columns and never across a label. Layout is layered and deterministic:
columns by kind, rows ordered by barycentre sweeps (fewer crossings), the same picture each run.
Filters (`FlowFilter`) select connections; the page offers the same filters to the reader.

Where a report says which way data flows (提供・受領の別), the counterparty column holds data sources
too: each connection → counterparty edge then carries an arrowhead where the data arrives (at the
counterparty for 提供, at the connection for 受領, both ends for 提供・受領), the column is titled
"counterparty" and a legend says what the arrows mean (data/reference/directions.toml). A drawing
without a data source is drawn as it always was.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ketsugo.export import directions, graphfiles
from ketsugo.export.reportwise import per_report, plain_rows, report_groups, select
from ketsugo.paths import QUERIES_DIR

LAYERS = ("agency", "department", "connection", "recipient", "category")
LAYER_TITLES = {
    "agency": "実施機関 agency",
    "department": "課 department",
    "connection": "外部結合 connection",
    "recipient": "相手方 recipient",
    "category": "項目区分 data category",
}
COLOURS = {
    "agency": "#6b7280",
    "department": "#2563eb",
    "connection": "#0d9488",
    "recipient": "#d97706",
    "category": "#7c3aed",
}
SENSITIVE = "#dc2626"  # 要配慮個人情報 and My Number (特定個人情報)
FLAGGED = "#ea580c"  # the other sensitivity flags: financial, welfare, authentication, children
STRICT_FLAGS = frozenset({"SpecialCarePersonalInformation", "SpecificPersonalInformation"})
MY_NUMBER_FLAG = "SpecificPersonalInformation"
# relative column widths: connections and recipients carry the longest labels
COLUMN_SHARE = {"agency": 0.75, "department": 1.0, "connection": 1.45, "recipient": 1.25, "category": 0.85}
SVG_WIDTH, ROW_HEIGHT, BOX_HEIGHT, MARGIN, TOP = 1360, 24, 18, 16, 56
# gaps between columns, where the edges run: the widest before the categories, where recipients fan out
GAPS = (32, 40, 36, 100)
FONT_SIZE = 12
# a counterparty's direction (提供・受領の別) by the relation of its edge, for the drawings; a plain
# recipient ("sends to") has none, so reports without the column are drawn as before


@dataclass(frozen=True)
class FlowFilter:
    """Which connections to draw; every field left empty selects everything.

    ``categories`` match a category's slug, Japanese or English label or alt label (width- and
    case-insensitive); ``kinds`` a recipient kind's name or label, or "unnamed"; ``departments``
    a department's label (substring). Category and sensitivity filters also narrow the category
    column to what matched; a kind filter narrows the recipients."""

    categories: tuple[str, ...] = ()
    sensitive: bool = False
    my_number: bool = False
    kinds: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    status: str | None = None
    since: int | None = None
    until: int | None = None
    reports: tuple[str, ...] = field(default=())

    def is_empty(self) -> bool:
        return self == FlowFilter()


@cache
def _query(name: str) -> str:
    return (QUERIES_DIR / "export" / f"{name}.rq").read_text(encoding="utf-8")


def flow_graph(
    store: ox.Store,
    build_dir: Path | None = None,
    jobs: int | None = None,
    reports: Iterable[str] | None = None,
) -> nx.DiGraph[str]:
    """The flow graph of every report (or of ``reports``, IRIs: only their graphs are read), its
    nodes' attributes and its layout.

    The queries run one report at a time (the report's graph and the shared graphs), and the rows
    are merged: with ``build_dir`` (the store's build directory) each report is read from its
    ``graph.nq`` into a small in-memory store, across ``jobs`` worker processes (see
    :mod:`ketsugo.export.reportwise`), so a national build is not asked point by point on disk."""
    groups, shared = report_groups(store)
    if reports is not None:
        wanted = set(reports)  # once (``reports`` may be any iterable, even a generator)
        graphs = {g for report, (_, g) in report_index(store).items() if report in wanted}
        groups = [group for group in groups if graphs.intersection(group)]
    graph: nx.DiGraph[str] = nx.DiGraph()
    facets: dict[tuple[str, str], set[str]] = defaultdict(set)
    parts: Iterable[GraphRows]
    if not groups and reports is not None:  # none of the reports asked for: an empty graph
        parts = []
    elif not groups:  # no report: the queries over the whole store (reference data only)
        parts = [report_graph_rows(store, None)]
    else:
        parts = per_report(store, groups, shared, report_graph_rows, build_dir, jobs)
    nodes: dict[str, dict[str, Any]] = {}
    for edges, attributes, facet_rows in parts:
        for source, source_kind, target, target_kind, relation in edges:
            graph.add_node(source, kind=source_kind)
            graph.add_node(target, kind=target_kind)
            graph.add_edge(source, target, relation=relation)
        for node, row in attributes:
            nodes.setdefault(node, {}).update(row)  # a node of several reports: the last one's
        for node, facet, value in facet_rows:
            facets[(node, facet)].add(value)
    for node, attrs in nodes.items():
        if node in graph:
            graph.nodes[node].update(attrs)
    _add_facets(graph, facets)
    for iri, data in graph.nodes(data=True):
        data.setdefault("label", iri.rsplit("/", 1)[-1])
        data["iri"] = iri
        flags = set(data.get("sensitivity", "").split())
        if data["kind"] == "category":
            data["slug"] = iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            data["sensitive"] = bool(flags)
            data["strict"] = bool(flags & STRICT_FLAGS)
        if data["kind"] == "connection":
            data["my_number_item"] = any(
                MY_NUMBER_FLAG in graph.nodes[t].get("sensitivity", "") for t in graph.successors(iri)
            )
            if data.get("start_date"):
                data["start_year"] = int(data["start_date"][:4])
    _mark_directions(graph)
    _label_unnamed(graph)
    _mark_reports(graph)
    _label_years(graph)
    _layout(graph)
    return graph


GraphRows = tuple[
    list[tuple[str, str, str, str, str]], list[tuple[str, dict[str, Any]]], list[tuple[str, str, str]]
]


def report_graph_rows(store: ox.Store, graphs: list[ox.NamedNode] | None) -> GraphRows:
    """The flow graph's queries with ``graphs`` as the default graph (None: the union of the
    store's graphs): edges, nodes' attributes (plain values), and facets (each without a value left out)."""
    edges = [
        (r["source"], r["source_kind"], r["target"], r["target_kind"], r["relation"])
        for r in _select(store, "flow-graph", graphs)
    ]
    nodes = [(r["node"], _attributes(r)) for r in _select(store, "flow-graph-nodes", graphs)]
    facets = [
        (r["node"], r["facet"], r["value"])
        for r in _select(store, "flow-graph-facets", graphs)
        if r["value"] not in (None, "")
    ]
    return edges, nodes, facets


def _select(store: ox.Store, name: str, graphs: list[ox.NamedNode] | None) -> list[dict[str, Any]]:
    outcome = select(store, _query(name), graphs)
    assert outcome.variables is not None
    return [dict(zip(outcome.variables, row, strict=True)) for row in plain_rows(outcome)]


def _attributes(row: dict[str, Any]) -> dict[str, Any]:
    """GraphML/GEXF accept only scalars: keep strings, numbers and booleans; drop what is unbound."""
    out: dict[str, Any] = {}
    for key in ("label", "label_en", "number", "my_number", "unnamed", "sensitivity"):
        if row.get(key) not in (None, ""):
            out[key] = row[key]
    if row.get("start_date"):  # a day (date), or a month, a year, a fiscal year as text (2022-10, 2022年度)
        start = row["start_date"]
        out["start_date"] = start.isoformat() if isinstance(start, date) else str(start)
    if row.get("type"):
        out["type"] = row["type"].rsplit("#", 1)[-1]
    if out.get("number") is not None:
        out["label"] = f"No.{out['number']} {out.get('label', '')}"
    return out


def _add_facets(graph: nx.DiGraph[str], facets: dict[tuple[str, str], set[str]]) -> None:
    """Facets are scalars too: repeated values (aliases, connection numbers) joined with " | ", in
    sorted order; of any other facet, the first value in sorted order. A category's aliases come
    joined already, in an order SPARQL leaves open (each report's lists are merged): its own label
    and English label first, then the others sorted."""
    for (node, facet), values in facets.items():
        if node not in graph:
            continue
        data = graph.nodes[node]
        if facet == "alias":
            aliases = {alias for joined in values for alias in joined.split(" | ")}
            first = [a for a in dict.fromkeys((data.get("label"), data.get("label_en"))) if a in aliases]
            data[facet] = " | ".join([*first, *sorted(aliases - set(first))])
            continue
        ordered = sorted(values)
        data[facet] = " | ".join(ordered) if facet == "connection_number" else ordered[0]


def _mark_directions(graph: nx.DiGraph[str]) -> None:
    """A counterparty the municipality receives data from gets ``direction`` (受領, or 提供・受領
    when data also goes to it, in any connection); a plain recipient none."""
    for node, data in graph.nodes(data=True):
        if data["kind"] != "recipient":
            continue
        found = {graph.edges[c, node].get("relation") for c in graph.predecessors(node)}
        if directions.BOTH in found or {directions.SENDS, directions.RECEIVES} <= found:
            data["direction"] = directions.source_terms()[directions.BOTH]
        elif directions.RECEIVES in found:
            data["direction"] = directions.source_terms()[directions.RECEIVES]


def directed(graph: nx.DiGraph[str]) -> bool:
    """Does the drawing hold a data source (受領 or 提供・受領)? Then its arrows and legend say so."""
    return any(data.get("direction") for data in graph.nodes.values())


def layer_titles(graph: nx.DiGraph[str]) -> dict[str, str]:
    """The columns' titles: the counterparty column is "counterparty" once data sources are drawn."""
    return {**LAYER_TITLES, "recipient": directions.layer_title(directed(graph))}


def edge_relation(graph: nx.DiGraph[str], a: str, b: str) -> str | None:
    """The relation of a drawn connection → counterparty edge (which way its data goes), else None."""
    if graph.nodes[a]["kind"] == "connection" and graph.nodes[b]["kind"] == "recipient":
        relation = graph.edges[a, b].get("relation") if graph.has_edge(a, b) else None
        return str(relation) if relation else None
    return None


def legend(graph: nx.DiGraph[str]) -> list[str]:
    """What the arrows mean (data/reference/directions.toml), for a drawing with data sources only."""
    return list(directions.legend().values()) if directed(graph) else []


def _label_unnamed(graph: nx.DiGraph[str]) -> None:
    """Unnamed parties read alike ("LGWAN-ASP事業者"): name each by its kind and its connection."""
    for node, data in graph.nodes(data=True):
        if data["kind"] != "recipient" or not data.get("unnamed"):
            continue
        base = data.get("party_kind_label") or data["label"]
        numbers = data.get("connection_number")
        data["label_as_written"] = data["label"]
        ended = (
            "終了 " if any(graph.nodes[c].get("status") == "ended" for c in graph.predecessors(node)) else ""
        )
        data["label"] = f"{base} ({ended}No.{numbers.replace(' | ', ', No.')})" if numbers else base
    # two reports number their connections alike: where labels repeat, the report's year tells them apart
    seen: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "recipient" and data.get("unnamed"):
            seen[data["label"]].append(node)
    for label, same in seen.items():
        if len(same) < 2:
            continue
        for node in same:
            reports = {graph.nodes[c].get("report", "") for c in graph.predecessors(node)}
            years = ", ".join(sorted(r.rsplit("/", 1)[-1] for r in reports if r))
            head, _, tail = label.rpartition(" (")
            graph.nodes[node]["label"] = f"{head} ({years} {tail}" if years and head else label


def _mark_reports(graph: nx.DiGraph[str]) -> None:
    """Every node lists the reports it appears in (space-separated), for the report selector."""
    reports: dict[str, set[str]] = defaultdict(set)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "connection" and data.get("report"):
            for other in (node, *graph.predecessors(node), *graph.successors(node)):
                reports[other].add(data["report"])
                for agency in graph.successors(other):
                    if graph.nodes[agency]["kind"] == "agency":
                        reports[agency].add(data["report"])
    for node, found in reports.items():
        graph.nodes[node]["reports"] = " ".join(sorted(found))


def _label_years(graph: nx.DiGraph[str]) -> None:
    """With several reports, numbers repeat (No.3 of 2020, No.3 of 2021): drawn connections name their year.

    The year goes in ``caption`` (what the drawings show); ``label`` stays the report's own wording."""
    connections = [d for d in graph.nodes.values() if d["kind"] == "connection"]
    if len({d.get("report") for d in connections}) < 2:
        return
    for data in connections:
        year = (data.get("report") or "").rsplit("/", 1)[-1]
        if year.isdigit():
            data["caption"] = f"{year} {data['label']}"


def flagged(data: dict[str, Any]) -> bool:
    """Marked: a sensitive category, or a connection with My Number data (○ in the report, or an item)."""
    return bool(data.get("sensitivity") or data.get("my_number") or data.get("my_number_item"))


_flagged = flagged


def node_colour(data: dict[str, Any]) -> str:
    if data["kind"] == "category" and data.get("sensitive"):
        return SENSITIVE if data.get("strict") else FLAGGED
    if data["kind"] == "connection" and (data.get("my_number") or data.get("my_number_item")):
        return SENSITIVE
    return COLOURS[data["kind"]]


# ------------------------------------------------------------------ filters


def fold(text: str) -> str:
    """Width-, case- and space-insensitive form for matching what people type."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _category_matches(data: dict[str, Any], wanted: tuple[str, ...]) -> bool:
    names = {fold(data.get("slug", "")), fold(data.get("label", "")), fold(data.get("label_en", ""))}
    names |= {fold(a) for a in data.get("alias", "").split(" | ") if a}
    return any(fold(w) in names for w in wanted)


def _kind_matches(data: dict[str, Any], wanted: tuple[str, ...]) -> bool:
    names = {fold(data.get(k, "")) for k in ("party_kind", "party_kind_label", "party_kind_label_en")} - {""}
    if data.get("unnamed"):
        names |= {"unnamed", "unnamedcounterparty", fold("名称不記載")}
    # part of a name is enough ("national government" → national government body)
    return any(fold(w) and any(fold(w) in name for name in names) for w in wanted)


def filter_graph(graph: nx.DiGraph[str], flt: FlowFilter) -> nx.DiGraph[str]:
    """The subgraph of the connections that pass every filter, with their neighbours.

    Raises ValueError naming a category, kind, department or report that matches nothing."""
    if flt.is_empty():
        return graph
    nodes = graph.nodes
    kind_of = {n: d["kind"] for n, d in nodes(data=True)}
    _check_known(graph, flt)
    keep_category = _category_test(graph, flt)
    keep_recipient: Callable[[str], bool] = (
        (lambda n: _kind_matches(nodes[n], flt.kinds)) if flt.kinds else (lambda n: True)
    )
    keep_department: Callable[[str], bool] = (
        (lambda n: any(fold(d) in fold(nodes[n].get("label", "")) for d in flt.departments))
        if flt.departments
        else (lambda n: True)
    )
    chosen: set[str] = set()
    for conn, data in nodes(data=True):
        if data["kind"] != "connection":
            continue
        succ = list(graph.successors(conn))
        cats = [t for t in succ if kind_of[t] == "category"]
        recips = [t for t in succ if kind_of[t] == "recipient"]
        depts = [s for s in graph.predecessors(conn) if kind_of[s] == "department"]
        year = data.get("start_year")
        if (
            (flt.reports and data.get("report") not in flt.reports)
            or (flt.status and data.get("status") != flt.status)
            or (flt.since and (year is None or year < flt.since))
            or (flt.until and (year is None or year > flt.until))
            or (flt.my_number and not (data.get("my_number") or data.get("my_number_item")))
            or ((flt.categories or flt.sensitive) and not any(keep_category(c) for c in cats))
            or (flt.kinds and not any(keep_recipient(r) for r in recips))
            or (flt.departments and not any(keep_department(d) for d in depts))
        ):
            continue
        chosen.add(conn)
        chosen.update(c for c in cats if keep_category(c))
        chosen.update(r for r in recips if keep_recipient(r))
        for dept in depts:
            if keep_department(dept):
                chosen.add(dept)
                chosen.update(a for a in graph.successors(dept) if kind_of[a] == "agency")
    sub = graph.subgraph(chosen).copy()
    _layout(sub)
    return sub


def _category_test(graph: nx.DiGraph[str], flt: FlowFilter) -> Callable[[str], bool]:
    nodes = graph.nodes

    def keep(n: str) -> bool:
        data = nodes[n]
        if flt.categories and not _category_matches(data, flt.categories):
            return False
        return not (flt.sensitive and not data.get("sensitive"))

    return keep


def _check_known(graph: nx.DiGraph[str], flt: FlowFilter) -> None:
    """A filter value that names nothing is a typo, not an empty answer: say which."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for data in graph.nodes.values():
        by_kind[data["kind"]].append(data)
    for wanted in flt.categories:
        if not any(_category_matches(d, (wanted,)) for d in by_kind["category"]):
            raise ValueError(f"unknown category: {wanted!r} (give a label in Japanese or English, or a slug)")
    for wanted in flt.kinds:
        if not any(_kind_matches(d, (wanted,)) for d in by_kind["recipient"]):
            known = sorted({d.get("party_kind", "") for d in by_kind["recipient"]} - {""})
            raise ValueError(f"unknown counterparty kind: {wanted!r} (known here: {', '.join(known)})")
    for wanted in flt.departments:
        if not any(fold(wanted) in fold(d.get("label", "")) for d in by_kind["department"]):
            raise ValueError(f"no department matches {wanted!r}")
    check_reports({d.get("report") or "" for d in by_kind["connection"]}, flt.reports)


def check_reports(known: Iterable[str], wanted: Iterable[str]) -> None:
    """ValueError naming a report of ``wanted`` that is not ``known`` (report IRIs)."""
    reports = set(known)
    for report in wanted:
        if report not in reports:
            raise ValueError(
                f"unknown report: {report!r} (known: {', '.join(sorted(r for r in reports if r))})"
            )


def resolve_reports(graph: nx.DiGraph[str], wanted: tuple[str, ...]) -> tuple[str, ...]:
    """Reports by IRI, by "code/year" or by label (新宿区 2020年度), or "latest"."""
    known: dict[str, str] = {}
    for data in graph.nodes.values():
        if data["kind"] == "connection" and data.get("report"):
            known[data["report"]] = data.get("report_label", "")
    return resolve_report_names(known, wanted)


_REPORTS = """PREFIX kg: <https://w3id.org/ketsugo#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?report ?graph ?fy ?town_ja ?town_en WHERE {
  GRAPH ?graph { ?report a kg:Report . FILTER EXISTS { ?connection kg:inReport ?report } }
  OPTIONAL { ?report kg:fiscalYear ?fy }
  OPTIONAL { ?report kg:municipality/rdfs:label ?town_ja FILTER(lang(?town_ja) = "ja") }
  OPTIONAL { ?report kg:municipality/rdfs:label ?town_en FILTER(lang(?town_en) = "en") }
}"""


def report_index(store: ox.Store) -> dict[str, tuple[str, ox.NamedNode]]:
    """Each report with connections (its IRI): its label as the flow graph's ``report_label`` says
    it (新宿区 2020年度) and its graph. One query on the store, so ``--report`` is resolved before any
    report is read."""
    out: dict[str, tuple[str, ox.NamedNode]] = {}
    for row in select(store, _REPORTS, None).rows or []:
        report, graph, year, town_ja, town_en = row
        assert isinstance(report, ox.NamedNode) and isinstance(graph, ox.NamedNode)
        town = town_ja or town_en
        label = (town.value if town is not None else "") + (f" {year.value}年度" if year is not None else "")
        out.setdefault(report.value, (label, graph))
    return out


def resolve_report_names(known: dict[str, str], wanted: tuple[str, ...]) -> tuple[str, ...]:
    """``wanted`` (IRI, "code/year", label or "latest") as report IRIs among ``known`` (IRI → label);
    an item that names none is kept as it is (:func:`check_reports` names it)."""
    out = []
    for item in wanted:
        if item == "latest" and known:
            out.append(max(known, key=lambda r: (r.rsplit("/", 1)[-1], r)))
            continue
        hits = [r for r, label in known.items() if item in (r, label) or r.endswith("/" + item.strip("/"))]
        hits = hits or [r for r, label in known.items() if fold(item) in fold(label)]
        out.extend(hits or [item])  # an unknown one is reported by filter_graph
    return tuple(dict.fromkeys(out))


# Drawings (SVG, DOT, the page) of more connections than this are refused: a prefecture's reports
# (Hokkaido: 179 municipalities, ≈ 3,900 connections) still make a column one can scroll and read,
# a national build (≈ 38,000 connections, a column ≈ 900,000 px tall) is beyond any reader or browser. The graph files (GraphML, GEXF) are for tools made for large graphs, and always whole.
MAX_DRAWN_CONNECTIONS = 5000


def check_drawable(graph: nx.DiGraph[str], limit: int | None = None) -> None:
    """ValueError, saying what to do instead, when ``graph`` holds more connections than ``limit``
    (default :data:`MAX_DRAWN_CONNECTIONS`) to draw."""
    connections = [d for d in graph.nodes.values() if d["kind"] == "connection"]
    _refuse_beyond(len(connections), len({d.get("report") for d in connections}), limit)


_CONNECTIONS = """PREFIX kg: <https://w3id.org/ketsugo#>
SELECT (COUNT(DISTINCT ?c) AS ?connections) (COUNT(DISTINCT ?r) AS ?reports)
WHERE { ?c a kg:Connection ; kg:inReport ?r }"""


def check_drawable_store(store: ox.Store, limit: int | None = None) -> None:
    """:func:`check_drawable` for a drawing of every connection, counted on the store before any
    graph is made (a national build is refused at once, not after its graph is built)."""
    row = next(iter(select(store, _CONNECTIONS, None).rows or [[None, None]]))
    counts = [int(term.value) if term is not None else 0 for term in row]
    _refuse_beyond(counts[0], counts[1], limit)


def _refuse_beyond(connections: int, reports: int, limit: int | None) -> None:
    limit = MAX_DRAWN_CONNECTIONS if limit is None else limit
    if connections <= limit:
        return
    raise ValueError(
        f"too large to draw readably: {connections:,} connections of {reports:,} reports "
        f"(a drawing holds at most {limit:,}). Choose reports with --report CODE/YEAR (repeatable) "
        "or narrow with --category, --kind, --department, --status, --since, --until; for the "
        "whole country, `ketsugo export matrix` draws category × municipality, and --format "
        "graphml or gexf gives the whole graph to Gephi, yEd or Cytoscape"
    )


# ------------------------------------------------------------------ layout


def drawn_edges(graph: nx.DiGraph[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Edges between neighbouring columns, each with the connections it stands for.

    agency → department, department → connection, connection → recipient, and recipient →
    category for every recipient × category of a connection (a connection with no recipient
    keeps its connection → category edges)."""
    kind = {n: d["kind"] for n, d in graph.nodes(data=True)}
    via: dict[tuple[str, str], set[str]] = defaultdict(set)
    for conn in (n for n in graph if kind[n] == "connection"):
        depts = [d for d in graph.predecessors(conn) if kind[d] == "department"]
        recips = [r for r in graph.successors(conn) if kind[r] == "recipient"]
        cats = [c for c in graph.successors(conn) if kind[c] == "category"]
        for dept in depts:
            via[(dept, conn)].add(conn)
            for agency in graph.successors(dept):
                if kind[agency] == "agency":
                    via[(agency, dept)].add(conn)
        for recip in recips:
            via[(conn, recip)].add(conn)
            for cat in cats:
                via[(recip, cat)].add(conn)
        if not recips:
            for cat in cats:
                via[(conn, cat)].add(conn)
    return [(a, b, tuple(sorted(v))) for (a, b), v in sorted(via.items())]


def column_layout(width: float) -> dict[str, tuple[float, float]]:
    """Left edge and width of each column's boxes, filling ``width``."""
    inner = width - 2 * MARGIN - sum(GAPS)
    unit = inner / sum(COLUMN_SHARE.values())
    out, x = {}, float(MARGIN)
    for kind, gap in zip(LAYERS, (*GAPS, 0), strict=True):
        w = unit * COLUMN_SHARE[kind]
        out[kind] = (x, w)
        x += w + gap
    return out


def _neighbours(graph: nx.DiGraph[str]) -> dict[str, set[str]]:
    """Each node's neighbours along the drawn edges (either way)."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b, _ in drawn_edges(graph):
        neighbours[a].add(b)
        neighbours[b].add(a)
    return neighbours


def _order(graph: nx.DiGraph[str], neighbours: dict[str, set[str]], sweeps: int = 6) -> dict[str, list[str]]:
    """Rows per column, reordered by barycentre sweeps (left to right, then back) to cut crossings."""
    columns = {
        kind: sorted(
            (n for n, d in graph.nodes(data=True) if d["kind"] == kind),
            key=lambda n: (graph.nodes[n].get("number") or 0, graph.nodes[n]["label"], n),
        )
        for kind in LAYERS
    }
    for sweep in range(sweeps):
        sequence = LAYERS[1:] if sweep % 2 == 0 else LAYERS[-2::-1]
        for kind in sequence:
            ref_kind = LAYERS[LAYERS.index(kind) + (-1 if sweep % 2 == 0 else 1)]
            rank = {n: i for i, n in enumerate(columns[ref_kind])}
            current = {n: i for i, n in enumerate(columns[kind])}

            def place(
                n: str, rank: dict[str, int] = rank, current: dict[str, int] = current
            ) -> tuple[float, int]:
                """Barycentre of the neighbours in the reference column; ties keep the current order."""
                hits = [rank[m] for m in neighbours[n] if m in rank]
                return (sum(hits) / len(hits) if hits else current[n], current[n])

            columns[kind].sort(key=place)
    return columns


def _layout(graph: nx.DiGraph[str], width: int = SVG_WIDTH) -> None:
    """x: the column; y: rows packed in the tallest column, others near their neighbours' centre."""
    neighbours = _neighbours(graph)  # drawn edges found once: the longest step on a large graph
    columns = _order(graph, neighbours)
    place = column_layout(width)
    tallest = max((len(c) for c in columns.values()), default=0)
    bottom = TOP + max(tallest - 1, 0) * ROW_HEIGHT
    y: dict[str, float] = {}
    start = max(LAYERS, key=lambda k: len(columns[k]))
    for i, node in enumerate(columns[start]):
        y[node] = TOP + i * ROW_HEIGHT
    index = LAYERS.index(start)
    for kind in (*LAYERS[index + 1 :], *LAYERS[index - 1 :: -1]) if index else LAYERS[1:]:
        members = columns[kind]
        wanted = []
        for i, n in enumerate(members):
            near = [y[m] for m in neighbours[n] if m in y]
            wanted.append(sum(near) / len(near) if near else TOP + i * ROW_HEIGHT)
        y.update(zip(members, _spread(wanted, bottom), strict=True))
    for order, kind in enumerate(LAYERS):
        x, w = place[kind]
        for row, node in enumerate(columns[kind]):
            data = graph.nodes[node]
            data.update(x=round(x, 1), y=round(y[node], 1), width=round(w, 1), column=order, row=row)


def _spread(wanted: list[float], bottom: float) -> list[float]:
    """Positions as near the wanted ones as rows allow, in order, ROW_HEIGHT apart, within [TOP, bottom]."""
    out: list[float] = []
    for value in wanted:
        out.append(max(value, TOP, out[-1] + ROW_HEIGHT if out else TOP))
    limit = max(bottom, TOP + (len(out) - 1) * ROW_HEIGHT)
    for i in range(len(out) - 1, -1, -1):
        ceiling = limit if i == len(out) - 1 else out[i + 1] - ROW_HEIGHT
        out[i] = min(out[i], ceiling)
    return out


# ------------------------------------------------------------------ writers


def to_graphml(graph: nx.DiGraph[str]) -> str:
    """GraphML, whole (`ketsugo export graph` writes :func:`graphfiles.graphml_pieces` as they come)."""
    return "".join(graphfiles.graphml_pieces(graph))


def to_gexf(graph: nx.DiGraph[str]) -> str:
    """GEXF, whole (see :func:`graphfiles.gexf_pieces`)."""
    return "".join(graphfiles.gexf_pieces(graph))


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: nx.DiGraph[str]) -> str:
    """Graphviz DOT, left to right: one rank per column, held in order by an invisible header chain.

    Each column's header (実施機関, 課, …) shares its rank with the column's nodes; the headers are
    chained agency → … → category, so ranks read in that order whatever the edges say. The data's
    department → agency edge is drawn agency → department (arrow reversed, relation kept)."""
    lines = [
        "digraph ketsugo {",
        "  rankdir=LR; newrank=true; ranksep=1.2; nodesep=0.15;",
        '  node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=11];',
        '  edge [color="#9ca3af"];',
    ]
    titles = layer_titles(graph)
    if notes := legend(graph):  # what the arrows mean, above the drawing
        lines.append(
            f'  labelloc=t; labeljust=l; fontname="sans-serif"; label={_dot_id(chr(10).join(notes))};'
        )
    for kind in LAYERS:
        members = sorted(
            (n for n, d in graph.nodes(data=True) if d["kind"] == kind), key=lambda n: graph.nodes[n]["row"]
        )
        lines.append(f"  subgraph rank_{kind} {{ rank=same;")
        lines.append(
            f"    {_dot_id('column:' + kind)} [label={_dot_id(titles[kind])}, shape=plaintext, "
            'style="", fontsize=13];'
        )
        for node in members:
            data = graph.nodes[node]
            lines.append(
                f"    {_dot_id(node)} [label={_dot_id(data.get('caption', data['label']))}, fillcolor={_dot_id(node_colour(data))}, "
                f'fontcolor="white", tooltip={_dot_id(kind)}];'
            )
        lines.append("  }")
    chain = " -> ".join(_dot_id("column:" + kind) for kind in LAYERS)
    lines.append(f"  {chain} [style=invis];")
    for source, target, data in graph.edges(data=True):
        if graph.nodes[source]["kind"] == "department" and graph.nodes[target]["kind"] == "agency":
            lines.append(
                f"  {_dot_id(target)} -> {_dot_id(source)} [dir=back, tooltip={_dot_id(data['relation'])}];"
            )
        elif (
            data["relation"] in directions.source_terms()
        ):  # a data source: the arrow points to the connection
            way = "back" if data["relation"] == directions.RECEIVES else "both"
            lines.append(
                f"  {_dot_id(source)} -> {_dot_id(target)} [dir={way}, tooltip={_dot_id(data['relation'])}];"
            )
        else:
            lines.append(f"  {_dot_id(source)} -> {_dot_id(target)} [tooltip={_dot_id(data['relation'])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of drawn width: full-width characters 1 em, others about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def fit(label: str, width: float, size: float = FONT_SIZE) -> str:
    """The label cut to ``width`` with an ellipsis; a trailing "(No.3)" is kept, it tells parties apart."""
    if text_width(label, size) <= width:
        return label
    match = re.search(r"\s*\([^()]*No\.[^)]*\)$", label)
    tail = match.group(0) if match else ""
    head = label[: len(label) - len(tail)]
    while head and text_width(head + "…" + tail, size) > width:
        head = head[:-1]
    return head + "…" + tail


def _size(graph: nx.DiGraph[str]) -> tuple[int, int]:
    height = max((d["y"] for _, d in graph.nodes(data=True)), default=TOP) + BOX_HEIGHT + MARGIN * 2
    return SVG_WIDTH, int(height)


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    mid = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def to_svg(graph: nx.DiGraph[str]) -> str:
    """A static layered drawing: labelled boxes in five columns, curves only in the gaps between."""
    width, height = _size(graph)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="IPAGothic, Noto Sans CJK JP, sans-serif" '
        f'font-size="{FONT_SIZE}">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    titles = layer_titles(graph)
    notes = legend(graph)
    if notes:  # arrowheads, and what they mean in one line above the columns
        out.append(_ARROW_DEFS)
        out.append(
            f'<text x="{MARGIN}" y="14" font-size="11" fill="#374151">{html.escape("　".join(notes))}</text>'
        )
    for kind, (x, _) in column_layout(width).items():
        out.append(
            f'<text x="{x:.1f}" y="{TOP - 22}" font-weight="bold" font-size="13">'
            f"{html.escape(titles[kind])}</text>"
        )
    nodes = graph.nodes
    for a, b, _via in drawn_edges(graph):
        p, q = nodes[a], nodes[b]
        arrows = _arrows(edge_relation(graph, a, b)) if notes else ""
        out.append(
            f'<path d="{_curve(p["x"] + p["width"], p["y"], q["x"], q["y"])}" fill="none" '
            f'stroke="#94a3b8" stroke-opacity="0.55"{arrows}/>'
        )
    for data in nodes.values():
        colour = node_colour(data)
        top = data["y"] - BOX_HEIGHT / 2
        full = data.get("caption", data["label"]) + (f" / {data['label_en']}" if data.get("label_en") else "")
        out.append(
            f"<g><title>{html.escape(full)}</title>"
            f'<rect x="{data["x"]}" y="{top:.1f}" width="{data["width"]}" height="{BOX_HEIGHT}" rx="4" '
            f'fill="{colour}" fill-opacity="0.12" stroke="{colour}"{_dash(data)}/>'
            f'<circle cx="{data["x"] + 7}" cy="{data["y"]}" r="3.5" fill="{colour}"/>'
            f'<text x="{data["x"] + 14}" y="{data["y"] + 4.2:.1f}">'
            f"{html.escape(fit(data.get('caption', data['label']), data['width'] - 18))}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


_ARROW_DEFS = (
    '<defs><marker id="arrow-end" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
    'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker>'
    '<marker id="arrow-start" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="7" markerHeight="7" '
    'orient="auto"><path d="M10,0 L0,5 L10,10 z" fill="#64748b"/></marker></defs>'
)


def _arrows(relation: str | None) -> str:
    """Arrowheads of a connection → counterparty edge: at the counterparty when data goes to it, at
    the connection when it comes from it (受領), at both ends for 提供・受領."""
    heads = {
        directions.SENDS: ' marker-end="url(#arrow-end)"',
        directions.RECEIVES: ' marker-start="url(#arrow-start)"',
        directions.BOTH: ' marker-start="url(#arrow-start)" marker-end="url(#arrow-end)"',
    }
    return heads.get(relation or "", "")


def _dash(data: dict[str, Any]) -> str:
    """Ended connections (section (3) of a report) are drawn dashed."""
    return ' stroke-dasharray="4 3"' if data.get("status") == "ended" else ""


def page_data(graph: nx.DiGraph[str]) -> dict[str, Any]:
    """What the page draws and filters: nodes with their facets, drawn edges, reports, categories."""
    reports: dict[str, str] = {}
    for data in graph.nodes.values():
        if data["kind"] == "connection" and data.get("report"):
            reports[data["report"]] = data.get("report_label") or data["report"]
    titles = layer_titles(graph)
    return {
        "layers": [
            {"kind": k, "title": titles[k], "colour": COLOURS[k], "share": COLUMN_SHARE[k]} for k in LAYERS
        ],
        "arrows": legend(graph),  # what the arrows mean; empty: no data source, no arrows
        "sensitive": SENSITIVE,
        "flagged": FLAGGED,
        "geometry": {"gaps": list(GAPS), "row": ROW_HEIGHT, "box": BOX_HEIGHT, "margin": MARGIN, "top": TOP},
        "reports": [{"id": r, "label": label} for r, label in sorted(reports.items(), key=lambda kv: kv[1])],
        "nodes": [{"id": n, **d} for n, d in graph.nodes(data=True)],
        "edges": [
            {"source": s, "target": t, "relation": d["relation"]} for s, t, d in graph.edges(data=True)
        ],
    }


def to_html(graph: nx.DiGraph[str], title: str = "ketsugo: personal-data flows") -> str:
    """A self-contained page (no network): filters, a timeline of start years, hover to follow a flow."""
    template = files("ketsugo").joinpath("templates/flows.html").read_text(encoding="utf-8")
    # no "<" of the data inside the script element: "</script" would end it, "<!--<script" would
    # keep the real </script> from ending it (HTML's script data escape states); \u003c is "<" in JSON
    payload = json.dumps(page_data(graph), ensure_ascii=False).replace("<", "\\u003c")
    return template.replace("{{TITLE}}", html.escape(title)).replace("/*{{DATA}}*/null", payload)
