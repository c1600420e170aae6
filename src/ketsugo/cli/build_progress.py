"""`ketsugo build` of many reports: directories expanded into report files, a progress bar.

Kept apart from the pipeline (which knows nothing of terminals) and from the CLI module
(which stays a list of commands).
"""

from __future__ import annotations

import time
from pathlib import Path

from ketsugo.errors import InputError, Issue
from ketsugo.pipeline import Build, ReportDigest, run_build
from ketsugo.read.metadata import ReportMetadata

# below this many reports a build is over before a bar would say anything
PROGRESS_FROM = 8


def expand_reports(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    """Files as given; a directory stands for every report in it that has its .toml beside it
    (sorted by name, so a build of a directory is the same bytes every time)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        reports = sorted(
            report
            for t in path.glob("*.toml")
            if not t.name.endswith(".errata.toml")
            for report in _report_beside(t)
        )
        if not reports:
            raise InputError(
                Issue(
                    str(path),
                    0,
                    "",
                    "a directory with no report in it: expected REPORT.txt (or .pdf, .xlsx, .html) files, "
                    "each with its REPORT.toml",
                )
            )
        found.extend(reports)
    return found


REPORT_SUFFIXES = (".txt", ".pdf", ".xlsx", ".html", ".htm")


def _report_beside(metadata: Path) -> list[Path]:
    """The report a metadata file describes: the first file of its name with a report suffix."""
    for suffix in REPORT_SUFFIXES:
        if metadata.with_suffix(suffix).is_file():
            return [metadata.with_suffix(suffix)]
    return []


def build_with_progress(
    metas: list[ReportMetadata],
    out: Path | None,
    *,
    encoding: str | None,
    lenient: bool,
    jobs: int | None,
    trig: bool,
    quiet: bool,
) -> Build:
    """run_build, with a rich progress bar (reports, connections, ETA) on stderr for multi-report work."""
    if quiet or len(metas) < PROGRESS_FROM:
        return run_build(metas, out, encoding=encoding, lenient=lenient, jobs=jobs, trig=trig)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    started = time.perf_counter()
    connections = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("reports · {task.fields[connections]} connections"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("building", total=len(metas), connections=0)

        def advance(one: ReportDigest) -> None:
            nonlocal connections
            connections += one.connections
            bar.update(task, advance=1, connections=connections)
            if bar.tasks[task].completed == len(metas):
                bar.update(task, description="loading the store")

        build = run_build(
            metas, out, encoding=encoding, lenient=lenient, jobs=jobs, trig=trig, progress=advance
        )
    Console(stderr=True).print(
        f"built {len(build.reports)} reports ({connections} connections, {build.triples} quads) "
        f"in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )
    return build
