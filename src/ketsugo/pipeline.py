"""The build job: report files → parsed records → RDF → a build directory.

The CLI and the tests call this; each step is its own module, and this one only
strings them together and collects what each step reports.

It streams, so a national build (1,747 reports, ~10 M quads) runs in bounded memory: each
report is read, parsed and turned into N-Quads in a worker process (both cores), only bytes
and a small digest come back, the main process appends them to the output files in the
order the reports were given, and bulk-loads them into the store in batches as they come.
One report too large to hold (its lines spilled to disk while it was built: ketsugo.graph.quadlines)
comes back as files in the build's own temporary folder instead of bytes, and is copied in, counted
and loaded a piece at a time; the folder goes with the build, however it ends.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketsugo import __version__
from ketsugo.errors import InputError, Issue
from ketsugo.graph.quadlines import QuadLines, spilling_into
from ketsugo.graph.quads import (
    BuildResult,
    NamedOrganisation,
    build_graph,
    merge_organisations,
    organisation_nquads,
)
from ketsugo.graph.reference import Reference, reference
from ketsugo.graph.vocab import DPV, KG, REFERENCE_GRAPH
from ketsugo.graph.years import ReportFlows, report_flows, year_links
from ketsugo.read.metadata import (
    ReportMetadata,
    check_register_body,
    load_metadata,
    metadata_from_options,
    metadata_path,
    municipalities_named_in,
    names_agree,
)
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report
from ketsugo.read.sources import read_source
from ketsugo.read.sources.provenance import location_lines
from ketsugo.read.textio import STDIN, STDIN_NAME, unreadable
from ketsugo.store.disk import (
    NQUADS,
    TRIG,
    BuildWriter,
    file_chunks,
    reference_nquads,
    trig_chunk,
    write_trig,
)
from ketsugo.store.graphstats import BuildStats, GraphCounter, GraphStats, graph_stats

if TYPE_CHECKING:
    import pyoxigraph as ox

# a build of fewer reports runs in this process (starting workers costs more than it saves)
PARALLEL_FROM = 8
# build.json lists at most this many issues and unmapped items per report (with the full counts)
MANIFEST_LIST_LIMIT = 50


@dataclass
class ReportBuild:
    meta: ReportMetadata
    report: Report
    result: BuildResult
    encoding: str

    @property
    def issues(self) -> list[Issue]:
        """What reading (parser) and linking (graph) found, in that order."""
        return [*self.report.issues, *self.result.warnings]


@dataclass
class ReportDigest:
    """What a build keeps of one report once its quads are written: counts and findings, not records."""

    meta: ReportMetadata
    graph_iri: str
    fiscal_year: int
    encoding: str
    connections: int
    new_connections: int
    continuing_connections: int  # a register's 継続 rows: in force, neither new nor ended
    summary_rows: int
    items: int
    recipients: int
    unnamed_recipients: int
    unmapped_items: list[tuple[int, str, str]]  # (No., item as written, its row's status: new, ended…)
    issues: list[Issue]
    # the organisations it names, described once per build (in the reference graph)
    organisations: dict[str, NamedOrganisation] = field(default_factory=dict)
    # its connections' match keys: which earlier connection an ended row ends (ketsugo.graph.years)
    flows: ReportFlows | None = None
    # of ``recipients`` (every counterparty): those it only receives data from (受領), and those
    # it both sends to and receives from (提供・受領); 0 for a report without a direction column
    data_sources: int = 0
    two_way: int = 0
    # the numbers of its 変更 rows (kg:ConnectionChange): neither new nor ended
    changes: tuple[int, ...] = ()


@dataclass
class Build:
    reports: list[ReportDigest] = field(default_factory=list)
    triples: int = 0

    @property
    def issues(self) -> list[Issue]:
        return [i for b in self.reports for i in b.issues]


def resolve_metadata(
    path: Path, code: str | None, fiscal_year: int | None, name: str | None = None
) -> ReportMetadata:
    """Metadata beside the report wins; an option that contradicts it is an error, not ignored.

    ``-`` is standard input: no metadata file, so --municipality is required (the fiscal year
    comes from the report's headings or --fiscal-year)."""
    if str(path) == STDIN:
        if not code:
            raise InputError(
                Issue(STDIN_NAME, 0, "--municipality", "a report on standard input needs --municipality CODE")
            )
        return metadata_from_options(path, code, fiscal_year, name)
    reason = unreadable(path)
    if reason is not None:
        raise InputError(Issue(str(path), 0, "", f"cannot read the file: {reason}"))
    meta = load_metadata(path)
    if meta is None:
        return metadata_from_options(path, code, fiscal_year, name)
    for option, given, known in (
        ("--fiscal-year", fiscal_year, meta.fiscal_year),
        ("--municipality", code, meta.municipality_code),
    ):
        if given and known and str(given) != str(known):
            raise InputError(Issue(str(path), 0, option, f"{given} contradicts the metadata file ({known})"))
    if name and name.strip() and not names_agree(name, meta.municipality_name):
        raise InputError(
            Issue(
                str(path),
                0,
                "--name",
                f"{name.strip()} contradicts the metadata file ({meta.municipality_name})",
            )
        )
    return meta


def build_report(
    meta: ReportMetadata, ref: Reference, *, encoding: str | None = None, lenient: bool = False
) -> ReportBuild:
    decoded = read_source(meta.path, encoding)  # text, or a PDF/XLSX/HTML file as text (ketsugo.read.sources)
    with decoded.errors_located():
        report = decoded.findings_located(
            # the year given (--fiscal-year, the metadata file) picks its part of a file of several
            # years and settles headings that disagree about it (a warning, not an error)
            parse_report(decoded.text, str(meta.path), lenient=lenient, fiscal_year=meta.fiscal_year)
        )
    if meta.fiscal_year and report.fiscal_year and meta.fiscal_year != report.fiscal_year:
        given = "the metadata file" if metadata_path(meta.path).exists() else "--fiscal-year"
        raise InputError(
            Issue(
                str(meta.path),
                0,
                "fiscal_year" if given == "the metadata file" else "--fiscal-year",
                f"the report's headings say fiscal year {report.fiscal_year}, {given} says {meta.fiscal_year}",
            )
        )
    check_register_body(report, meta.municipality_code, meta.municipality_name)  # 団体コード / 団体名 columns
    named_itself = meta.municipality_name in decoded.text  # then no other name matters: skip the search
    others = [] if named_itself else municipalities_named_in(decoded.text)
    others = [m for m in others if m.code != meta.municipality_code]
    if others:
        named = "、".join(f"{m.name} ({m.code})" for m in others[:3])
        mismatch = Issue(
            str(meta.path),
            0,
            "--municipality",
            f"the report names {named}, never {meta.municipality_name} ({meta.municipality_code}): is the code right?",
            severity="warning",
        )
        report = replace(report, issues=(*report.issues, mismatch))
    result = build_graph(report, meta, ref)
    # a published PDF/XLSX/HTML file: each record also says where it stood there (kg:sourceLocation)
    result.lines.extend(location_lines(result.lines, decoded.locations))
    return ReportBuild(meta, report, result, decoded.encoding)


def digest(one: ReportBuild) -> ReportDigest:
    connections = one.report.connections
    # matched on the lines' UTF-8 bytes (decoding ~4,000 lines a report cost more than the match)
    recipient = f" {term_text(DPV.hasRecipient)} ".encode()
    source = f" {term_text(DPV.hasDataSource)} ".encode()  # a counterparty of a 受領 row counts too
    unnamed = f" {term_text(RDF_TYPE)} {term_text(KG.UnnamedCounterparty)} ".encode()
    recipients: set[bytes] = set()
    sources: set[bytes] = set()
    unnamed_parties: set[bytes] = set()
    for blob in _blobs(one.result.lines.encoded()):
        recipients.update(_terms_after(blob, recipient))
        sources.update(_terms_after(blob, source))
        unnamed_parties.update(_subjects_before(blob, unnamed))
    return ReportDigest(
        meta=one.meta,
        graph_iri=str(one.result.graph_iri),
        fiscal_year=one.result.fiscal_year,
        encoding=one.encoding,
        connections=len(connections),
        new_connections=sum(1 for c in connections if c.status == "new"),
        continuing_connections=sum(1 for c in connections if c.status == "continuing"),
        summary_rows=len(one.report.summary),
        items=sum(len(c.items.items) for c in connections),
        recipients=len(recipients | sources),
        unnamed_recipients=len(unnamed_parties),
        unmapped_items=list(one.result.unmapped_items),
        issues=one.issues,
        organisations=one.result.organisations,
        flows=report_flows(one.report, one.meta.municipality_code, one.result.fiscal_year),
        data_sources=len(sources - recipients),
        two_way=len(sources & recipients),
        changes=tuple(c.number for c in one.report.changes),
    )


def _blobs(lines: Iterator[bytes], count: int = 8192) -> Iterator[bytes]:
    """Lines joined ``count`` at a time (whole lines: a match never spans two blobs), so a report
    that spilled to disk is searched without being held whole."""
    while batch := list(islice(lines, count)):
        yield b"".join(batch)


def _terms_after(blob: bytes, marker: bytes) -> Iterator[bytes]:
    """The term after each ``marker`` (`` <predicate> ``) in N-Quads lines: the objects of that
    predicate. bytes.find jumps from one to the next; testing each line cost ~15 ms a report."""
    at = blob.find(marker)
    while at >= 0:
        start = at + len(marker)
        yield blob[start : blob.index(b" ", start)]
        at = blob.find(marker, start)


def _subjects_before(blob: bytes, marker: bytes) -> Iterator[bytes]:
    """The subject of each line that holds ``marker`` (`` <predicate> <object> ``) right after it."""
    at = blob.find(marker)
    while at >= 0:
        yield blob[blob.rfind(b"\n", 0, at) + 1 : at]
        at = blob.find(marker, at + len(marker))


def term_text(iri: object) -> str:
    return f"<{iri}>"


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class SpilledGraph:
    """A report graph too large to hand over as bytes (its lines went to disk while it was built):
    its sorted N-Quads and its TriG in files of the build's temporary folder, which the build copies
    in a piece at a time and then removes."""

    nquads: str
    trig: str | None

    def nquads_chunks(self) -> Iterator[bytes]:
        return file_chunks(self.nquads)

    def trig_chunks(self) -> Iterator[bytes]:
        return file_chunks(self.trig) if self.trig is not None else iter(())

    def remove(self) -> None:
        for name in (self.nquads, self.trig):
            if name is not None:
                Path(name).unlink(missing_ok=True)


Outcome = tuple[ReportDigest | None, list[Issue], bytes | SpilledGraph, bytes, GraphStats | None]


def _build_one(
    meta: ReportMetadata, encoding: str | None, lenient: bool, trig: bool, scratch: str | None = None
) -> Outcome:
    """One report → (digest, [], N-Quads, TriG, counts); an input error comes back as its issues (an
    InputError does not survive pickling between processes). A graph whose lines were spilled to
    disk comes back as a SpilledGraph: files in ``scratch`` (the build's temporary folder), not bytes."""
    try:
        with spilling_into(scratch):
            one = build_report(meta, reference(), encoding=encoding, lenient=lenient)
    except InputError as exc:
        return None, exc.issues, b"", b"", None
    lines = one.result.lines
    try:
        if lines.spilled:
            made = digest(one)
            iri = str(one.result.graph_iri)
            del one  # the records are not needed to write the lines
            spilled, stats = _spill_graph(iri, lines, trig, scratch)
            return made, [], spilled, b"", stats
        nquads = one.result.nquads()
        stats = graph_stats(str(one.result.graph_iri), nquads)
        return digest(one), [], nquads, trig_chunk(nquads) if trig else b"", stats
    finally:
        lines.close()


def _spill_graph(
    iri: str, lines: QuadLines, trig: bool, scratch: str | None
) -> tuple[SpilledGraph, GraphStats]:
    """Write a spilled graph's sorted N-Quads (merged from its runs) and TriG to files in ``scratch``,
    counting it on the way; nothing is left behind if this fails."""
    counter = GraphCounter(iri)
    handle, nquads = tempfile.mkstemp(prefix="graph-", suffix=".nq", dir=scratch)
    made = SpilledGraph(nquads, None)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in lines.chunks():
                out.write(chunk)
                counter.add(chunk)
        if trig:
            handle, trig_name = tempfile.mkstemp(prefix="graph-", suffix=".trig", dir=scratch)
            made = SpilledGraph(nquads, trig_name)
            with open(nquads, "rb") as source, os.fdopen(handle, "wb") as out:
                write_trig(source, out)
    except BaseException:
        made.remove()
        raise
    return made, counter.stats()


def _outcomes(
    metas: list[ReportMetadata],
    encoding: str | None,
    lenient: bool,
    trig: bool,
    jobs: int,
    scratch: str | None = None,
) -> Generator[Outcome, None, None]:
    """Each report's outcome, in the order given; across ``jobs`` worker processes for big builds."""
    if jobs <= 1 or len(metas) < PARALLEL_FROM:
        for meta in metas:
            yield _build_one(meta, encoding, lenient, trig, scratch)
        return
    # fork: workers inherit the reference data already loaded here (no re-parsing of Turtle)
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        size = max(1, min(16, len(metas) // (jobs * 8)))
        # at most AHEAD_CHUNKS_PER_JOB chunks a worker submitted and not yet taken: the workers read
        # faster than the store loads (nationally ≈ 37 s of CPU against ≈ 66 s), and pool.map ran them
        # ahead of the writer, whose finished graphs then waited in this process (up to half the
        # corpus's N-Quads, ≈ 500 MB nationally); memory now stays that of a few dozen reports
        pending: deque[Future[list[Outcome]]] = deque()
        for start in range(0, len(metas), size):
            part = metas[start : start + size]
            pending.append(pool.submit(_build_some, part, encoding, lenient, trig, scratch))
            if len(pending) >= jobs * AHEAD_CHUNKS_PER_JOB:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# chunks of reports (of up to 16) a worker may have built ahead of the writer
AHEAD_CHUNKS_PER_JOB = 4


def _build_some(
    metas: list[ReportMetadata], encoding: str | None, lenient: bool, trig: bool, scratch: str | None
) -> list[Outcome]:
    """``_build_one`` of several reports in one task (one round trip between processes)."""
    return [_build_one(meta, encoding, lenient, trig, scratch) for meta in metas]


def _refuse_files_given_twice(metas: list[ReportMetadata]) -> None:
    """One file named twice (``build DIR DIR/a.txt``, a link to it) would be built twice and then
    refused as two reports of one municipality and year: say what happened before any work. One
    text given as the reports of *different* municipalities or years (a template, a test) is
    not refused: only the same file for the same municipality and year."""
    first: dict[tuple[Path, str, int | None], Path] = {}
    for meta in metas:
        try:
            same = (meta.path.resolve(strict=True), meta.municipality_code, meta.fiscal_year)
        except OSError:  # standard input, or a file gone: the reader says so
            continue
        if same in first:
            raise InputError(
                Issue(
                    str(meta.path),
                    0,
                    "",
                    f"the same file is given twice (also as {first[same]}): give it once",
                )
            )
        first[same] = meta.path


def run_build(
    metas: list[ReportMetadata],
    out: Path | None,
    *,
    encoding: str | None = None,
    lenient: bool = False,
    jobs: int | None = None,
    trig: bool = False,
    progress: Callable[[ReportDigest], None] | None = None,
) -> Build:
    """Build ``metas`` into ``out`` (None: check only). Reports are built on ``jobs`` processes
    (default: every core); the output is the same bytes whatever the number of jobs. graph.trig is
    written only with ``trig`` (≈ a fifth of a report's CPU; `ketsugo export graph --format trig`
    makes the same bytes from graph.nq)."""
    if not metas:
        raise InputError(
            Issue(
                "data/reports", 0, "", "no reports to build: give REPORT files, or ship a .toml beside each"
            )
        )
    _refuse_files_given_twice(metas)
    ref = reference()  # loaded before workers start, so they inherit it
    jobs = jobs or len(os.sched_getaffinity(0))
    build = Build()
    stats = BuildStats()
    seen: dict[str, Path] = {}
    organisations: dict[str, NamedOrganisation] = {}
    # the build's own temporary folder (large graphs on their way in): removed on every exit, after
    # the workers have stopped (closing the outcomes shuts the pool down first)
    with (
        tempfile.TemporaryDirectory(prefix="ketsugo-build-") as scratch,
        BuildWriter(out, trig=trig, expected_graphs=len(metas) + 2) as writer,  # + reference, organisations
        closing(_outcomes(metas, encoding, lenient, trig, jobs, scratch)) as outcomes,
    ):
        reference_graph = reference_nquads(ref)
        build.triples += writer.add(reference_graph, trig_chunk(reference_graph) if trig else b"")
        stats.add(graph_stats(str(REFERENCE_GRAPH), reference_graph))
        for meta, (one, problems, nquads, trig_bytes, counted) in zip(metas, outcomes, strict=True):
            if one is None:
                raise InputError(problems)
            if one.graph_iri in seen:
                raise InputError(
                    Issue(
                        str(meta.path), 0, "", f"same municipality and fiscal year as {seen[one.graph_iri]}"
                    )
                )
            seen[one.graph_iri] = meta.path
            if isinstance(nquads, SpilledGraph):
                try:
                    build.triples += writer.add(nquads.nquads_chunks(), nquads.trig_chunks())
                finally:
                    nquads.remove()
            else:
                build.triples += writer.add(nquads, trig_bytes)
            if counted is not None:
                stats.add(counted)
            merge_organisations(organisations, one.organisations)
            one.organisations = {}  # kept once, in ``organisations``
            build.reports.append(one)
            if progress is not None:
                progress(one)
        # each organisation the reports name, described once (not in every report graph naming it)
        named = organisation_nquads(organisations, year_links(b.flows for b in build.reports if b.flows))
        build.triples += writer.add(named, trig_chunk(named) if trig else b"")
        stats.add(graph_stats(str(REFERENCE_GRAPH), reference_graph + named))
        downloads = (NQUADS, TRIG) if trig else (NQUADS,)
        writer.finish(manifest(build), lambda store: describe_dataset(store, stats, downloads))
    return build


def describe_dataset(
    store: ox.Store, stats: BuildStats | None = None, downloads: tuple[str, ...] = ("graph.nq",)
) -> bytes:
    """The DCAT/VoID description of a build (title, publisher, licences, sources, coverage,
    vocabularies, counts) as Turtle, written beside the store as dataset.ttl; the counts come from
    ``stats`` when the build took them (a national store is too big to count afterwards)."""
    from ketsugo.export.link.dcat import describe, serialize

    return serialize(describe(store, stats=stats, downloads=downloads), "turtle").encode("utf-8")


def manifest(build: Build) -> dict[str, Any]:
    """What was built, per report: counts, and the first issues and unmapped items (build.json stays
    small for a national build; `ketsugo validate` and the graph hold every finding)."""
    limit = MANIFEST_LIST_LIMIT
    return {
        "ketsugo": __version__,
        "python": platform.python_version(),
        "reports": [
            {
                "file": b.meta.path.name,
                "graph": b.graph_iri,
                "municipality_code": b.meta.municipality_code,
                "fiscal_year": b.fiscal_year,
                "encoding": b.encoding,
                "connections": b.connections,
                "continuing_connections": b.continuing_connections,
                "unmapped_item_count": len(b.unmapped_items),
                "unmapped_items": [
                    {"connection": n, "item": t, "section": status}  # new, ended, continuing…
                    for n, t, status in b.unmapped_items[:limit]
                ],
                "issue_counts": {
                    severity: sum(1 for i in b.issues if i.severity == severity)
                    for severity in sorted({i.severity for i in b.issues})
                },
                "issues": [
                    {"severity": i.severity, "line": i.line, "field": i.field, "message": i.message}
                    for i in b.issues[:limit]
                ],
            }
            for b in build.reports
        ],
        "quads": build.triples,
    }


def parse_for_diff(earlier: Path, later: Path, code: str | None) -> tuple[Report, Report]:
    """The two reports `ketsugo diff` compares: one municipality, the later one of a later year."""
    metas = [resolve_metadata(path, code, None) for path in (earlier, later)]
    if metas[0].municipality_code != metas[1].municipality_code:
        raise InputError(
            Issue(
                str(later),
                0,
                "municipality_code",
                f"{metas[1].municipality_name} ({metas[1].municipality_code}), not "
                f"{metas[0].municipality_name} ({metas[0].municipality_code}) like {earlier.name}",
            )
        )
    reports = tuple(
        parse_report(read_source(m.path).text, str(m.path), fiscal_year=m.fiscal_year) for m in metas
    )
    years = [m.fiscal_year or r.fiscal_year for m, r in zip(metas, reports, strict=True)]
    if years[0] and years[1] and years[1] <= years[0]:
        raise InputError(
            Issue(
                str(later),
                0,
                "fiscal_year",
                f"fiscal year {years[1]} is not after {years[0]} ({earlier.name})",
            )
        )
    return reports[0], reports[1]
