"""The briefing's facts: what a reader is shown, read from a built store.

Everything is read by the ``queries/export/briefing-*.rq`` queries, and the findings by running
:mod:`ketsugo.check.validate` on the same store; nothing here is worded (ketsugo.export.briefing_wording) or
formatted (ketsugo.export.briefing_render).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyoxigraph as ox

from ketsugo.check.validate import Finding, Validation, validate_store
from ketsugo.paths import QUERIES_DIR
from ketsugo.sparql.catalogue import get
from ketsugo.sparql.query import LocalBackend, run_catalogue_query

SHOWN_SEVERITIES = ("Violation", "Warning")  # what a reader should ask the municipality about
# The four kinds of finding stay apart: findings about the report itself are the points to ask
# the municipality about; problems of reading the text are listed on their own; curation notes
# (ketsugo's own registries do not know a name) are only counted: not questions for the ward.
# Disclosure gaps (what a reader cannot learn from the report: a vendor named only by its kind)
# are listed on their own, as what the report leaves open, not as faults.
ASKED_KIND, READING_KIND, CURATION_KIND = "report", "reading", "curation"
DISCLOSURE_KIND = "disclosure"
BRIEFING_QUERIES = QUERIES_DIR / "export"


# =============================================================================== what is shown


@dataclass
class Recipient:
    iri: str
    label: str
    label_en: str | None
    as_written: str | None
    type_label: str | None
    type_label_en: str | None
    type_rank: int
    unnamed: bool
    unresolved: bool
    kind: str | None
    kind_en: str | None
    # 受領 for a counterparty the connection only receives data from (dpv:hasDataSource), 提供・受領
    # for one linked both ways; None for a recipient
    direction: str | None = None
    # the party whose subcontractor it is (再委託先, kg:Subcontracting), by its label; None otherwise
    subcontractor_of: str | None = None

    @property
    def named(self) -> bool:
        return not (self.unnamed or self.unresolved)


@dataclass
class Category:
    iri: str
    label: str
    label_en: str | None
    flags: list[str] = field(default_factory=list)  # sensitivity flag IRIs
    items: list[str] = field(default_factory=list)  # the items (as written) that map to it


@dataclass
class Item:
    position: int
    as_written: str
    group_heading: str | None
    group_marker: str | None
    vague: bool
    categories: list[str] = field(default_factory=list)


@dataclass
class SubjectClass:
    iri: str
    label: str | None
    label_en: str | None
    vulnerable: bool
    flags: list[str] = field(default_factory=list)


@dataclass
class LegalReference:
    kind: str  # "decision" | "statute"
    text: str
    label: str | None
    label_en: str | None
    law_number: str | None
    link: str | None


@dataclass
class Connection:
    iri: str
    number: int
    is_new: bool
    line: int
    business: str
    reason: str | None
    departments: str | None
    agency: str | None
    agency_en: str | None
    subjects: str | None
    items_as_written: str | None
    items_note: str | None
    my_number: bool | None
    my_number_as_written: str | None
    legal_basis: str | None
    counterparties: str | None
    start_date: date | str | None  # a day, or a month, a year, a fiscal year as text (2022-10, 2022年度)
    start_date_as_written: str | None
    start_date_note: str | None
    end_date: date | str | None
    end_date_as_written: str | None
    end_date_note: str | None
    anchor: str = ""
    # a change to an existing connection (a 変更 row, kg:ConnectionChange): its date, and the
    # connection it changes ("2022 No.1") when the build holds the earlier report
    is_change: bool = False
    change_date: date | str | None = None
    change_date_as_written: str | None = None
    changes: str | None = None
    # on a connection: the changes later reports of the build make to it ("2023 変更No.2 (2023-10-01)")
    changed_by: list[str] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    categories: dict[str, Category] = field(default_factory=dict)  # in the order of the items
    subject_classes: list[SubjectClass] = field(default_factory=list)
    legal: list[LegalReference] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def flags(self) -> set[str]:
        return {flag for category in self.categories.values() for flag in category.flags}


@dataclass
class SummaryRow:
    agency: str
    agency_en: str | None
    is_total: bool
    counts: tuple[int | None, ...]  # a, b, c, a+b-c, specific personal information
    line: int


@dataclass
class Flag:
    iri: str
    label: str | None
    label_en: str | None
    comment: str | None
    comment_en: str | None
    rank: int
    my_number: bool


@dataclass
class Report:
    iri: str
    municipality: str
    municipality_en: str | None
    code: str | None
    fiscal_year: int
    title: str | None
    title_en: str | None
    source_file: str | None
    ended_statement: str | None
    notes: list[str] = field(default_factory=list)
    summary: list[SummaryRow] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)  # new ones, by number
    ended: list[Connection] = field(default_factory=list)  # ended ones, by number
    changes: list[Connection] = field(default_factory=list)  # changes to existing ones (変更), by number
    findings: list[Finding] = field(default_factory=list)  # violations and warnings about the report
    reading_findings: list[Finding] = field(default_factory=list)  # violations and warnings of reading it
    other_findings: int = 0  # Info findings about the report or reading it, counted only
    curation_notes: int = 0  # what ketsugo's registries do not know, counted only
    disclosure_gaps: list[Finding] = field(
        default_factory=list
    )  # what the report leaves a reader unable to learn

    @property
    def slug(self) -> str:
        key = f"{self.code}-{self.fiscal_year}" if self.code else self.iri.rsplit("/report/", 1)[-1]
        return re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")


@dataclass
class Briefing:
    reports: list[Report]
    flags: dict[str, Flag]
    unplaced_findings: list[Finding] = field(default_factory=list)  # of no report in the store


# =============================================================================== reading the store


def _rows(backend: LocalBackend, name: str) -> list[dict[str, Any]]:
    return run_catalogue_query(backend, get(name, BRIEFING_QUERIES)).records()


def reports_in(store: ox.Store) -> list[Report]:
    """The store's reports, without their connections or findings: enough to choose one before
    the work of collecting (validation above all)."""
    return list(_read_reports(LocalBackend(store)).values())


def _read_reports(backend: LocalBackend) -> dict[str, Report]:
    reports: dict[str, Report] = {}
    for row in _rows(backend, "briefing-reports"):
        report = reports.get(row["report"])
        if report is None:
            report = reports[row["report"]] = Report(
                iri=row["report"],
                municipality=row["municipality"],
                municipality_en=row["municipality_en"],
                code=row["code"],
                fiscal_year=row["fiscal_year"],
                title=row["title"] or row["title_as_written"],
                title_en=row["title_en"],
                source_file=row["source_file"],
                ended_statement=row["ended_statement"],
            )
        if row["summary_note"] and row["summary_note"] not in report.notes:
            report.notes.append(row["summary_note"])
    return reports


def collect(store: ox.Store, validation: Validation | None = None, *, where: str = "") -> Briefing:
    """Everything the briefing shows, read from the store (and the findings of validating it)."""
    backend = LocalBackend(store)
    if validation is None:
        validation = validate_store(store, where=where)
    reports = _read_reports(backend)
    for row in _rows(backend, "briefing-summary"):
        if row["report"] in reports:
            reports[row["report"]].summary.append(
                SummaryRow(
                    agency=row["agency_as_written"],
                    agency_en=row["agency_en"],
                    is_total=bool(row["is_total"]),
                    counts=tuple(
                        row[k]
                        for k in ("previous", "new", "ended", "current", "specific_personal_information")
                    ),
                    line=row["source_line"],
                )
            )
    connections: dict[str, Connection] = {}
    changed_iris: dict[str, str] = {}  # a change → the connection it changes (kg:changesConnection)
    for row in _rows(backend, "briefing-connections"):
        report = reports.get(row["report"])
        if report is None:
            continue
        connection = Connection(
            iri=row["connection"],
            number=row["number"],
            is_new=bool(row["is_new"]),
            line=row["source_line"],
            business=row["business"],
            reason=row["reason"],
            departments=row["departments"],
            agency=row["agency"] or None,
            agency_en=row["agency_en"] or None,
            subjects=row["subjects"],
            items_as_written=row["items"],
            items_note=row["items_note"] or None,
            my_number=row["my_number"],
            my_number_as_written=row["my_number_as_written"],
            legal_basis=row["legal_basis"],
            counterparties=row["counterparties"],
            start_date=row["start_date"],
            start_date_as_written=row["start_date_as_written"],
            start_date_note=row["start_date_note"],
            end_date=row["end_date"],
            end_date_as_written=row["end_date_as_written"],
            end_date_note=row["end_date_note"],
        )
        if row["is_change"]:  # a 変更 row: listed apart, neither new nor ended
            connection.is_change = True
            if row["changes_connection"] is not None:
                changed_iris[connection.iri] = row["changes_connection"]
            connection.change_date = row["change_date"]
            connection.change_date_as_written = row["change_date_as_written"]
            if row["changes_number"] is not None:
                connection.changes = f"{row['changes_year']} No.{row['changes_number']}"
        section = "change" if connection.is_change else "no" if connection.is_new else "ended"
        connection.anchor = f"{section}-{report.slug}-{connection.number}"
        connections[connection.iri] = connection
        listed = (
            report.changes
            if connection.is_change
            else report.connections
            if connection.is_new
            else report.ended
        )
        listed.append(connection)
    for report in reports.values():
        report.connections.sort(key=lambda c: c.number)
        report.ended.sort(key=lambda c: c.number)
        report.changes.sort(key=lambda c: c.number)
        for change in report.changes:  # a line under the connection it changes, where the build has it
            changed = connections.get(changed_iris.get(change.iri, ""))
            if changed is not None:
                when = f" ({change.change_date})" if change.change_date else ""
                changed.changed_by.append(f"{report.fiscal_year} 変更No.{change.number}{when}")
    _read_recipients(backend, connections)
    _read_items(backend, connections)
    _read_subjects(backend, connections)
    _read_legal_basis(backend, connections)
    flags = {
        row["flag"]: Flag(
            iri=row["flag"],
            label=row["label"],
            label_en=row["label_en"],
            comment=row["comment"],
            comment_en=row["comment_en"],
            rank=row["rank"],
            my_number=bool(row["my_number"]),
        )
        for row in _rows(backend, "briefing-sensitivities")
    }
    briefing = Briefing(list(reports.values()), flags)
    _place_findings(briefing, validation.findings)
    return briefing


def _read_recipients(backend: LocalBackend, connections: dict[str, Connection]) -> None:
    seen: set[tuple[str, str]] = set()
    for row in _rows(backend, "briefing-recipients"):
        connection = connections.get(row["connection"])
        key = (row["connection"], row["recipient"])
        if connection is None or key in seen:  # a second type of the same organisation
            continue
        seen.add(key)
        connection.recipients.append(
            Recipient(
                iri=row["recipient"],
                label=row["label"] or row["as_written"] or row["recipient"],
                label_en=row["label_en"],
                as_written=row["as_written"],
                type_label=row["type_label"],
                type_label_en=row["type_label_en"],
                type_rank=row["type_rank"],
                unnamed=bool(row["unnamed"]),
                unresolved=bool(row["unresolved"]),
                kind=row["kind"],
                kind_en=row["kind_en"],
                direction=row.get("direction"),
                subcontractor_of=row.get("subcontractor_of"),
            )
        )
    for connection in connections.values():
        # Named organisations first (by type), then the parties in the order written (party/1, …).
        connection.recipients.sort(key=lambda r: (not r.named, r.type_rank, _natural(r.iri)))


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def _read_items(backend: LocalBackend, connections: dict[str, Connection]) -> None:
    # by connection and item: one item node serves every row of a report naming it (docs/model.md)
    items: dict[tuple[str, str], Item] = {}
    for row in _rows(backend, "briefing-items"):
        connection = connections.get(row["connection"])
        if connection is None:
            continue
        key = (row["connection"], row["item"])
        item = items.get(key)
        if item is None:
            item = items[key] = Item(
                position=row["position"],
                as_written=row["as_written"],
                group_heading=row["group_heading"],
                group_marker=row["group_marker"],
                vague=bool(row["vague"]),
            )
            connection.items.append(item)
        iri = row["category"]
        if iri is None:
            continue
        if iri not in item.categories:
            item.categories.append(iri)
        category = connection.categories.get(iri)
        if category is None:
            category = connection.categories[iri] = Category(
                iri, row["category_label"] or iri.rsplit("/", 1)[-1], row["category_label_en"]
            )
        if row["flag"] and row["flag"] not in category.flags:
            category.flags.append(row["flag"])
        if item.as_written not in category.items:
            category.items.append(item.as_written)
    for connection in connections.values():
        connection.items.sort(key=lambda i: i.position)
        first: dict[str, int] = {}
        for item in connection.items:
            for iri in item.categories:
                first.setdefault(iri, item.position)
        connection.categories = dict(
            sorted(connection.categories.items(), key=lambda kv: (first.get(kv[0], 0), kv[1].label))
        )


def _read_subjects(backend: LocalBackend, connections: dict[str, Connection]) -> None:
    for row in _rows(backend, "briefing-subjects"):
        connection = connections.get(row["connection"])
        if connection is None or row["class"] is None:
            continue
        found = next((s for s in connection.subject_classes if s.iri == row["class"]), None)
        if found is None:
            found = SubjectClass(
                row["class"], row["class_label"], row["class_label_en"], bool(row["vulnerable"])
            )
            connection.subject_classes.append(found)
        if row["flag"] and row["flag"] not in found.flags:
            found.flags.append(row["flag"])


def _read_legal_basis(backend: LocalBackend, connections: dict[str, Connection]) -> None:
    for row in _rows(backend, "briefing-legal-basis"):
        connection = connections.get(row["connection"])
        if connection is None:
            continue
        connection.legal.append(
            LegalReference(
                kind=row["kind"],
                text=row["text"],
                label=row["label"],
                label_en=row["label_en"],
                law_number=row["law_number"],
                link=row["link"],
            )
        )
    for connection in connections.values():
        connection.legal.sort(key=lambda r: (r.kind != "decision",))


def _list_apart(briefing: Briefing, reports: list[Report], finding: Finding, listed: str) -> None:
    """A finding on a report's own list (``listed``: disclosure gaps, reading problems), or among
    the unplaced ones when it names no report of the briefing."""
    for report in reports:
        getattr(report, listed).append(finding)
    if not reports:
        briefing.unplaced_findings.append(finding)


def _place_findings(briefing: Briefing, findings: Iterable[Finding]) -> None:
    """Violations and warnings about the report go to their report and to the connections they
    concern; those of reading it and disclosure gaps to their own lists; curation notes and Info
    findings are counted."""
    by_file: dict[str, list[Report]] = {}
    for report in briefing.reports:
        by_file.setdefault(report.source_file or report.iri, []).append(report)
    for finding in findings:
        reports = [r for name in finding.report.split(", ") for r in by_file.get(name, [])]
        if finding.kind == CURATION_KIND:
            for report in reports:
                report.curation_notes += 1
            continue
        if finding.kind == DISCLOSURE_KIND:
            _list_apart(briefing, reports, finding, "disclosure_gaps")
            continue
        if finding.severity not in SHOWN_SEVERITIES:
            for report in reports:
                report.other_findings += 1
            continue
        if finding.kind == READING_KIND:
            _list_apart(briefing, reports, finding, "reading_findings")
            continue
        if not reports:
            briefing.unplaced_findings.append(finding)
        for report in reports:
            report.findings.append(finding)
            numbered = finding.numbered()
            for connection in [*report.connections, *report.ended]:
                if (not connection.is_new, connection.number) in numbered:
                    connection.findings.append(finding)
