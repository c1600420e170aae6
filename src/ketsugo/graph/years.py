"""Year over year: the connection of an earlier report that a later report's ended row ends, or
that a later report lists again.

A report of fiscal year N lists in section (3) the connections that ended; each was listed, when
it began, in an earlier report of the same municipality. When one build holds both reports, the
ended row is linked to that connection (``kg:endsConnection``), so a question about the earlier
year ("who receives date of birth, and since when?") can tell the connection has ended. Matched
as ``ketsugo diff`` matches: the same business and the same department (as written, compared by
match key), the most shared items first, the nearest earlier report first; an ended row that
matches nothing stays unlinked (the report may end a connection from before every report built).
A row of a later report's new section that matches an earlier connection the same way is the
same flow listed again (``kg:continuesConnection``: started anew, or re-approved with other items).
A 変更 row (``kg:ConnectionChange``) matching one the same way is linked to the connection it
changes (``kg:changesConnection``); it uses up no candidate (the changed connection goes on, and a
later report may end it), and is never itself a candidate.
The links are build facts, written once in the reference graph beside the organisations.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from ketsugo.graph import vocab
from ketsugo.graph.deptpaths import level
from ketsugo.graph.terms import term
from ketsugo.graph.vocab import KG
from ketsugo.read.normalize import match_key
from ketsugo.read.records import Connection, Report


@dataclass(frozen=True)
class FlowKey:
    """What matching needs of one connection, kept by the build after the report's quads are written."""

    iri: str
    ended: bool
    business: str
    department: str
    items: frozenset[int]  # CRC-32 of each item's match key: a national build keeps ≈ 550 k of them
    changed: bool = False  # a 変更 row (kg:ConnectionChange): it changes a connection, is none


@dataclass(frozen=True)
class ReportFlows:
    code: str
    fiscal_year: int
    flows: tuple[FlowKey, ...]


def flow_key(connection: Connection, iri: str) -> FlowKey:
    """What matching needs of one connection; ``iri`` names it among the candidates."""
    return FlowKey(
        iri,
        connection.status == "ended",
        match_key(connection.business),
        match_key(connection.departments_as_written),
        frozenset(zlib.crc32(match_key(i.name).encode()) for i in connection.items.items),
        connection.status == "changed",
    )


def report_flows(report: Report, code: str, fiscal_year: int) -> ReportFlows:
    """The match keys of a report's connections (their IRIs as the graph names them)."""
    return ReportFlows(
        code,
        fiscal_year,
        tuple(
            flow_key(c, str(vocab.connection(code, fiscal_year, c.number, c.status)))
            for c in (*report.connections, *report.changes)
        ),
    )


def match_flow(row: FlowKey, candidates: Iterable[FlowKey], used: set[str]) -> FlowKey | None:
    """The earlier connection ``row`` ends or lists again (one matcher for the build's year links
    and `ketsugo diff`): one not ended and not matched already (``used``), of the same business and
    department (see :func:`same_department`); of several, one of the department as written before
    one of its path, then the one sharing the most items (the first of equals)."""
    found = [
        f
        for f in candidates
        if not f.ended
        and not f.changed
        and f.iri not in used
        and f.business == row.business
        and same_department(f.department, row.department)
    ]
    return (
        max(found, key=lambda f: (f.department == row.department, len(row.items & f.items)))
        if found
        else None
    )


def same_department(one: str, other: str) -> bool:
    """Whether two departments' match keys name one department: the same, or one the other with the
    levels above it before it (総務部税務課 and 税務課, 教育委員会事務局学校教育課 and 学校教育課: a clerk
    writing the 部 one year and not the next). What stands before must end as a level does
    (data/reference/agency-rules.toml department_levels): 市民課 is not 住民市民課."""
    if one == other:
        return True
    longer, shorter = (one, other) if len(one) > len(other) else (other, one)
    if not shorter or not longer.endswith(shorter):
        return False
    return level(longer[: -len(shorter)]) is not None


def year_links(reports: Iterable[ReportFlows]) -> list[tuple[str, str, str]]:
    """(kind, later row, earlier connection): "ends" for an ended row an earlier report explains,
    "continues" for a new row an earlier report already listed, "changes" for a 変更 row."""
    by_code: dict[str, list[ReportFlows]] = {}
    for one in reports:
        by_code.setdefault(one.code, []).append(one)
    links: list[tuple[str, str, str]] = []
    for listed in by_code.values():
        listed.sort(key=lambda r: r.fiscal_year)
        for position, later in enumerate(listed):
            earlier = [r for r in reversed(listed[:position]) if r.fiscal_year < later.fiscal_year]
            used: set[str] = set()
            # ended rows first: a connection a later report ends is not also one it lists again
            for row in sorted(later.flows, key=lambda f: not f.ended):
                if row.changed:  # a change names the connection it changes, which goes on
                    continue
                match = _match(row, earlier, used)
                if match is not None:
                    used.add(match.iri)
                    links.append(("ends" if row.ended else "continues", row.iri, match.iri))
            for row in later.flows:
                if row.changed and (match := _match(row, earlier, set())) is not None:
                    links.append(("changes", row.iri, match.iri))
    return links


def _match(row: FlowKey, earlier: list[ReportFlows], used: set[str]) -> FlowKey | None:
    for report in earlier:  # nearest first
        found = match_flow(row, report.flows, used)
        if found is not None:
            return found
    return None


_PREDICATES = {
    "ends": KG.endsConnection,
    "continues": KG.continuesConnection,
    "changes": KG.changesConnection,
}


def year_link_lines(links: Iterable[tuple[str, str, str]]) -> set[str]:
    """The links as N-Quads lines of the reference graph."""
    end = f" {term(vocab.REFERENCE_GRAPH)} .\n"
    return {f"<{later}> {term(_PREDICATES[kind])} <{earlier}>{end}" for kind, later, earlier in links}
