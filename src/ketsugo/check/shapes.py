"""The checks `ketsugo validate` runs: the SHACL shapes (``shapes/*.ttl``) and the cross-report
``*-violation.rq`` (``-warning.rq``, ``-info.rq``) queries, run once over the whole store and
expected to return no rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import SH

from ketsugo.check.findings import KGSH, Finding, _StoreLookup, _Where, _where, to_rdflib
from ketsugo.errors import InputError, Issue
from ketsugo.graph.curation import load_turtle
from ketsugo.paths import SHAPES_DIR
from ketsugo.prefixes import PREFIXES

_QUERY_SUFFIXES = {"-violation.rq": "Violation", "-warning.rq": "Warning", "-info.rq": "Info"}


@cache
def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    """Every ``*.ttl`` in the shapes directory, as one shapes graph."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise InputError(Issue(str(directory), 0, "", "no SHACL shapes (*.ttl) found"))
    graph = load_turtle(files, "shapes file")
    _compact_selects(graph)
    graph.bind("sh", SH)
    graph.bind("kgsh", KGSH)
    return graph


def _compact_selects(shapes: Graph) -> None:
    """Put each sh:select on one line (same query): pyshacl matches its checking regexes per
    line against the whole text for every focus node, which costs time with the text's lines."""
    for node, select in list(shapes.subject_objects(SH.select)):
        text = str(select)
        if not isinstance(select, Literal) or "#" in text:  # a comment (or a full IRI) would swallow
            continue  # the rest of a joined line; sh:select is always a literal (SHACL)
        compact = " ".join(line.strip() for line in text.splitlines() if line.strip())
        shapes.remove((node, SH.select, select))
        shapes.add((node, SH.select, Literal(compact, lang=select.language, datatype=select.datatype)))


@dataclass(frozen=True)
class CrossReportQuery:
    path: Path
    severity: str
    text: str


@cache
def cross_report_queries(directory: Path = SHAPES_DIR) -> tuple[CrossReportQuery, ...]:
    """``*-violation.rq``, ``*-warning.rq`` and ``*-info.rq``: SPARQL over the whole store, zero rows expected."""
    found = []
    for path in sorted(directory.glob("*.rq")):
        severity = next((s for suffix, s in _QUERY_SUFFIXES.items() if path.name.endswith(suffix)), None)
        if severity is not None:
            found.append(CrossReportQuery(path, severity, path.read_text(encoding="utf-8")))
    return tuple(found)


def _cross_report_findings(store: ox.Store, queries: Iterable[CrossReportQuery]) -> list[Finding]:
    """Each row of a ``*-violation.rq`` (…) query is a finding: ?focus, and ?ja / ?en messages, ?value."""
    findings = []
    look = _StoreLookup(store)
    for query in queries:
        rows = store.query(query.text, use_default_graph_as_union=True, prefixes=PREFIXES)
        if not isinstance(rows, ox.QuerySolutions):
            raise InputError(Issue(str(query.path), 0, "", "a cross-report check must be a SELECT query"))
        for row in rows:
            focus = row["focus"]
            focus_term = to_rdflib(focus) if focus is not None else None
            where = _where(look, focus_term) if focus_term is not None else _Where()
            ja, en = row["ja"], row["en"]
            value = row["value"]
            findings.append(
                Finding(
                    severity=query.severity,
                    shape=query.path.name,
                    focus=str(focus_term) if focus_term is not None else "",
                    message_ja=ja.value if ja is not None else query.path.stem,
                    message_en=en.value if en is not None else query.path.stem,
                    value=value.value if value is not None else None,
                    **where.__dict__,
                )
            )
    return findings
