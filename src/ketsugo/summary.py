"""What `ketsugo build` prints: a short account of each report and the first question answered."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib import RDF
from rich.console import Console

from ketsugo.errors import FINDING_KINDS
from ketsugo.pipeline import Build, ReportBuild
from ketsugo.vocab import DPV, KG

ISSUES_SHOWN = 10
KIND_NAMES = {"reading": "reading", "report": "about the report", "curation": "curation notes"}


def print_build_summary(build: Build, out: Path | None, *, all_issues: bool = False) -> None:
    console = Console(highlight=False, markup=False, soft_wrap=True)  # no hard wraps when piped
    for one in build.reports:
        items = sum(len(c.items.items) for c in one.report.connections)
        mapped = items - len(one.result.unmapped_items)
        share = f"{mapped / items:.0%}" if items else "-"
        new = sum(1 for c in one.report.connections if c.status == "new")
        findings = len(one.issues)
        console.print(
            f"{one.meta.municipality_name} ({one.meta.municipality_code}) fiscal year "
            f"{one.result.fiscal_year} — {one.meta.path.name}\n"
            f"  {len(one.report.connections)} connections ({new} new, {len(one.report.connections) - new} ended), "
            f"{len(one.report.summary)} summary rows, {items} data items ({mapped} mapped to a category, {share}), "
            f"{_recipients(one)}, {findings} finding(s) while reading",
        )
    _print_issues(console, build, all_issues)
    _print_unmapped(console, build)
    if out is not None:
        console.print(f"\nwrote {out}/ ({build.triples} quads): graph.nq, graph.trig, store/, build.json")
        _print_date_of_birth(console, out)
        store = "" if out == Path("build") else f" --store {out}"
        console.print(
            f"\nNext: ketsugo validate{store} · ketsugo query --list · "
            f"ketsugo export briefing{store} --format html -o briefing.html"
        )


def _recipients(one: ReportBuild) -> str:
    parties = set(one.result.graph.objects(None, DPV.hasRecipient))
    unnamed = set(one.result.graph.subjects(RDF.type, KG.UnnamedCounterparty))
    return f"{len(parties)} recipients ({len(parties - unnamed)} named organisations, {len(unnamed)} unnamed)"


def _print_issues(console: Console, build: Build, all_issues: bool) -> None:
    issues = build.issues
    if not issues:
        return
    shown = issues if all_issues else issues[:ISSUES_SHOWN]
    kinds = Counter(issue.kind for issue in issues)
    by_kind = ", ".join(f"{kinds[kind]} {KIND_NAMES[kind]}" for kind in FINDING_KINDS if kinds[kind])
    console.print(
        f"\n{len(issues)} finding(s) while reading the report ({by_kind}; kept in the graph as "
        "kg:ParseIssue; `ketsugo validate` lists them with every other check, each kind apart):"
    )
    from ketsugo.messages import localise, word

    for issue in shown:
        console.print(f"  {word(issue.severity)} [{word(issue.kind)}]: {localise(str(issue))}")
    if len(shown) < len(issues):
        console.print(f"  … {len(issues) - len(shown)} more (--all-issues lists them)")


def _print_unmapped(console: Console, build: Build) -> None:
    unmapped = [(b.meta.path.name, n, t) for b in build.reports for n, t in b.result.unmapped_items]
    if not unmapped:
        return
    console.print(
        f"\n{len(unmapped)} data item(s) mapped to no category (kept in the graph; curation notes of "
        "`ketsugo validate`: add a skos:altLabel or a category to ontology/categories.ttl):"
    )
    for name, number, text in unmapped:
        console.print(f"  {name} No.{number}: {text}")


def _print_date_of_birth(console: Console, out: Path) -> None:
    """The question users ask first, answered from the store just written (catalogue query)."""
    from ketsugo.catalogue import get
    from ketsugo.query import LocalBackend, natural_key, run_catalogue_query
    from ketsugo.store import open_store

    outcome = run_catalogue_query(
        LocalBackend(open_store(out)), get("recipients-of-category"), {"category": "生年月日"}
    )
    console.print("\nWhich recipients receive date-of-birth data (生年月日), and since when?")
    unnamed: dict[str, list[str]] = {}
    first: dict[str, str] = {}  # the earliest start of each kind of unnamed party
    for row in outcome.records():
        if row["unnamed"]:
            kind = row["recipient_kind"] or row["recipient_label"]
            unnamed.setdefault(kind, []).append(row["connection_list"])
            if row["since"] is not None:
                first[kind] = min(first.get(kind, str(row["since"])), str(row["since"]))
            continue
        console.print(
            f"  {row['recipient_label']} — {row['connections']} connection(s): {row['connection_list']}"
            f" (since {row['since'] or '?'})"
        )
    for kind, places in unnamed.items():
        console.print(
            f"  {kind} (unnamed: the report names only the kind of party, not the vendor) — "
            f"{len(places)} connection(s): {', '.join(sorted(places, key=natural_key))} (since {first.get(kind, '?')})"
        )
