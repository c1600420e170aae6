"""What `ketsugo build` prints: a short account of each report and the first question answered."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from ketsugo.pipeline import Build, ReportBuild
from ketsugo.vocab import DPV

ISSUES_SHOWN = 10


def print_build_summary(build: Build, out: Path | None, *, all_issues: bool = False) -> None:
    console = Console(highlight=False)
    for one in build.reports:
        items = sum(len(c.items.items) for c in one.report.connections)
        mapped = items - len(one.result.unmapped_items)
        share = f"{mapped / items:.0%}" if items else "-"
        new = sum(1 for c in one.report.connections if c.status == "new")
        findings = len(one.report.issues) + len(one.result.warnings)
        console.print(
            f"{one.meta.municipality_name} ({one.meta.municipality_code}) fiscal year "
            f"{one.meta.fiscal_year or one.report.fiscal_year} — {one.meta.path.name}\n"
            f"  {len(one.report.connections)} connections ({new} new, {len(one.report.connections) - new} ended), "
            f"{len(one.report.summary)} summary rows, {items} data items ({mapped} mapped to a category, {share}), "
            f"{_recipient_count(one)} recipients, {findings} finding(s)",
            markup=False,
        )
    _print_issues(console, build, all_issues)
    _print_unmapped(console, build)
    if out is not None:
        console.print(f"\nwrote {out}/ ({build.triples} quads): graph.nq, graph.trig, store/, build.json")
        _print_date_of_birth(console, out)


def _recipient_count(one: ReportBuild) -> int:
    return len(set(one.result.graph.objects(None, DPV.hasRecipient)))


def _print_issues(console: Console, build: Build, all_issues: bool) -> None:
    issues = build.issues
    if not issues:
        return
    shown = issues if all_issues else issues[:ISSUES_SHOWN]
    console.print(f"\n{len(issues)} finding(s) while reading (each is also in the graph as kg:ParseIssue):")
    for issue in shown:
        console.print(f"  {issue.severity}: {issue}", markup=False)
    if len(shown) < len(issues):
        console.print(f"  … {len(issues) - len(shown)} more (--all-issues lists them)")


def _print_unmapped(console: Console, build: Build) -> None:
    unmapped = [(b.meta.path.name, n, t) for b in build.reports for n, t in b.result.unmapped_items]
    if not unmapped:
        return
    console.print(
        f"\n{len(unmapped)} data item(s) mapped to no category (kept in the graph, reported by validate):"
    )
    for name, number, text in unmapped:
        console.print(f"  {name} No.{number}: {text}", markup=False)


def _print_date_of_birth(console: Console, out: Path) -> None:
    """The question users ask first, answered from the store just written (catalogue query)."""
    from ketsugo.catalogue import get
    from ketsugo.query import LocalBackend, run_catalogue_query
    from ketsugo.store import open_store

    outcome = run_catalogue_query(
        LocalBackend(open_store(out)), get("recipients-of-category"), {"category": "生年月日"}
    )
    console.print("\nWhich recipients receive date-of-birth data (生年月日)?")
    for row in outcome.records():
        kind = " [unnamed: the report does not name the vendor]" if row["unnamed"] else ""
        console.print(
            f"  {row['recipient_label']}{kind} — {row['connections']} connection(s): {row['connection_list']}",
            markup=False,
        )
