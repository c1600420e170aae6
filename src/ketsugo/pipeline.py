"""The build job: report files → parsed records → RDF → a build directory.

The CLI and the tests call this; each step is its own module, and this one only
strings them together and collects what each step reports.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field, replace
from pathlib import Path

from ketsugo import __version__
from ketsugo.errors import InputError, Issue
from ketsugo.graph import BuildResult, build_graph
from ketsugo.metadata import (
    ReportMetadata,
    load_metadata,
    metadata_from_options,
    metadata_path,
    municipalities_named_in,
)
from ketsugo.parser import parse_report
from ketsugo.records import Report
from ketsugo.reference import Reference, reference
from ketsugo.sources import read_source
from ketsugo.store import to_quads, write_build
from ketsugo.textio import STDIN, STDIN_NAME, unreadable
from ketsugo.vocab import REFERENCE_GRAPH


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
class Build:
    reports: list[ReportBuild] = field(default_factory=list)
    triples: int = 0

    @property
    def issues(self) -> list[Issue]:
        return [i for b in self.reports for i in b.issues]


def resolve_metadata(path: Path, code: str | None, fiscal_year: int | None) -> ReportMetadata:
    """Metadata beside the report wins; an option that contradicts it is an error, not ignored.

    ``-`` is standard input: no metadata file, so --municipality is required (the fiscal year
    comes from the report's headings or --fiscal-year)."""
    if str(path) == STDIN:
        if not code:
            raise InputError(
                Issue(STDIN_NAME, 0, "--municipality", "a report on standard input needs --municipality CODE")
            )
        return metadata_from_options(path, code, fiscal_year)
    reason = unreadable(path)
    if reason is not None:
        raise InputError(Issue(str(path), 0, "", f"cannot read the file: {reason}"))
    meta = load_metadata(path)
    if meta is None:
        return metadata_from_options(path, code, fiscal_year)
    for option, given, known in (
        ("--fiscal-year", fiscal_year, meta.fiscal_year),
        ("--municipality", code, meta.municipality_code),
    ):
        if given and known and str(given) != str(known):
            raise InputError(Issue(str(path), 0, option, f"{given} contradicts the metadata file ({known})"))
    return meta


def build_report(
    meta: ReportMetadata, ref: Reference, *, encoding: str | None = None, lenient: bool = False
) -> ReportBuild:
    decoded = read_source(meta.path, encoding)  # text, or a PDF/XLSX/HTML file as text (ketsugo.sources)
    with decoded.errors_located():
        report = decoded.findings_located(parse_report(decoded.text, str(meta.path), lenient=lenient))
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
    others = [m for m in municipalities_named_in(decoded.text) if m.code != meta.municipality_code]
    if others and meta.municipality_name not in decoded.text:
        named = "、".join(f"{m.name} ({m.code})" for m in others[:3])
        mismatch = Issue(
            str(meta.path),
            0,
            "--municipality",
            f"the report names {named}, never {meta.municipality_name} ({meta.municipality_code}): is the code right?",
            severity="warning",
        )
        report = replace(report, issues=(*report.issues, mismatch))
    return ReportBuild(meta, report, build_graph(report, meta, ref), decoded.encoding)


def run_build(
    metas: list[ReportMetadata], out: Path | None, *, encoding: str | None = None, lenient: bool = False
) -> Build:
    if not metas:
        raise InputError(
            Issue(
                "data/reports", 0, "", "no reports to build: give REPORT files, or ship a .toml beside each"
            )
        )
    ref = reference()
    build = Build()
    seen: dict[str, Path] = {}
    for meta in metas:
        one = build_report(meta, ref, encoding=encoding, lenient=lenient)
        key = str(one.result.graph_iri)
        if key in seen:
            raise InputError(
                Issue(str(meta.path), 0, "", f"same municipality and fiscal year as {seen[key]}")
            )
        seen[key] = meta.path
        build.reports.append(one)
    graphs = [(REFERENCE_GRAPH, ref.graph), *((b.result.graph_iri, b.result.graph) for b in build.reports)]
    quads = to_quads(graphs)
    build.triples = len(quads)
    if out is not None:
        write_build(quads, manifest(build), out)
    return build


def manifest(build: Build) -> dict:
    return {
        "ketsugo": __version__,
        "python": platform.python_version(),
        "reports": [
            {
                "file": b.meta.path.name,
                "graph": str(b.result.graph_iri),
                "municipality_code": b.meta.municipality_code,
                "fiscal_year": b.result.fiscal_year,
                "encoding": b.encoding,
                "connections": len(b.report.connections),
                "unmapped_items": [{"connection": n, "item": t} for n, t in b.result.unmapped_items],
                "issues": [
                    {"severity": i.severity, "line": i.line, "field": i.field, "message": i.message}
                    for i in b.issues
                ],
            }
            for b in build.reports
        ],
        "quads": build.triples,
    }
