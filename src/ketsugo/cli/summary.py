"""What `ketsugo build` prints: a short account of each report and the first question answered."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rich.console import Console

from ketsugo.errors import FINDING_KINDS
from ketsugo.paths import reference_toml
from ketsugo.pipeline import Build, ReportDigest

ISSUES_SHOWN = 10
KIND_NAMES = {
    "reading": "reading",
    "report": "about the report",
    "disclosure": "disclosure gaps",
    "curation": "curation notes",
}
# a build of more reports prints totals, not a paragraph per report
REPORTS_SHOWN = 20


PHRASES = "summary-phrases.toml"  # data/reference: each phrase in English and Japanese


class _Summary(Console):
    """The summary's console: a reader that stops reading (``ketsugo build | head``) ends the command
    as every other output does (exit 141, quietly: cli.common.handle_errors), not with rich's own
    exit status 1, which is the status of findings."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def _w(phrase: str, **values: object) -> str:
    """A phrase of data/reference/summary-phrases.toml with its values, in the language of
    ``ketsugo --lang`` (else KETSUGO_LANG, else the locale)."""
    from ketsugo.cli.messages import language

    template: str = reference_toml(PHRASES)["phrases"][phrase][language()]
    return template.format(**values)


def print_build_summary(build: Build, out: Path | None, *, all_issues: bool = False) -> None:
    console = _Summary(highlight=False, markup=False, soft_wrap=True)  # no hard wraps when piped
    if len(build.reports) > REPORTS_SHOWN and not all_issues:
        _print_totals(console, build)
    else:
        for one in build.reports:
            items = one.items
            mapped = items - len(one.unmapped_items)
            share = f"{mapped / items:.0%}" if items else "-"
            new = one.new_connections
            findings = len(one.issues)
            console.print(
                _w(
                    "report",
                    name=one.meta.municipality_name,
                    code=one.meta.municipality_code,
                    year=one.fiscal_year,
                    file=one.meta.path.name,
                    connections=one.connections,
                    new=new,
                    continuing=_w("continuing", count=one.continuing_connections)
                    if one.continuing_connections
                    else "",
                    ended=one.connections - new - one.continuing_connections,
                    summary_rows=one.summary_rows,
                    items=items,
                    mapped=mapped,
                    share=share,
                    recipients=_recipients(one),
                    findings=findings,
                )
            )
            if not (one.connections or one.summary_rows or one.changes):  # read as nothing (--lenient)
                console.print(_w("nothing_read"), style="bold red")
            for issue in one.issues:  # the report names another body only: said here, not among 30
                if issue.field == "--municipality" and issue.severity == "warning":
                    console.print(_w("other_body", message=issue.message), style="bold red")
            if one.changes:  # 変更 rows: shown apart, never in the new or ended counts
                numbers = ", ".join(f"No.{n}" for n in one.changes)
                console.print(_w("changes", count=len(one.changes), numbers=numbers))
        _print_issues(console, build, all_issues)
        _print_unmapped(console, build)
    if out is not None:
        console.print(
            f"\nwrote {out}/ ({build.triples} quads): graph.nq, "
            f"{'graph.trig, ' if (out / 'graph.trig').is_file() else ''}store/, build.json, dataset.ttl"
        )
        store = "" if out == Path("build") else f" --store {out}"
        if len(build.reports) <= REPORTS_SHOWN:
            _print_date_of_birth(console, out)
        else:
            console.print(
                f"\nWhich recipients receive date-of-birth data? ketsugo query recipients-of-category{store} "
                "-p category=生年月日"
            )
        console.print(
            f"\nNext: ketsugo validate{store} · ketsugo query --list · "
            f"ketsugo export briefing{store} --format html -o briefing.html"
        )


def _recipients(one: ReportDigest) -> str:
    """The counterparties; once a report says which way data flows (a direction column), the count
    holds the parties it only receives data from too, and says how many: they are no recipients."""
    named = one.recipients - one.unnamed_recipients
    counts = {"recipients": one.recipients, "named": named, "unnamed": one.unnamed_recipients}
    if not (one.data_sources or one.two_way):
        return _w("recipients", **counts)
    return _w("counterparties", **counts, sources=one.data_sources, two_way=one.two_way)


def _print_totals(console: Console, build: Build) -> None:
    """Many reports: one paragraph of totals (--all-issues prints every report and finding)."""
    reports = build.reports
    connections = sum(r.connections for r in reports)
    items = sum(r.items for r in reports)
    unmapped = sum(len(r.unmapped_items) for r in reports)
    issues = build.issues
    severities = {s: sum(1 for i in issues if i.severity == s) for s in sorted({i.severity for i in issues})}
    share = f"{(items - unmapped) / items:.0%}" if items else "-"
    console.print(
        f"{len(reports)} reports of {len({r.meta.municipality_code for r in reports})} municipalities: "
        f"{connections} connections, {items} data items ({share} mapped to a category), "
        f"{len(issues)} finding(s) while reading"
        + (f" ({', '.join(f'{n} {s}' for s, n in severities.items())})" if severities else "")
        + "; build.json has the counts per report, `ketsugo validate` every finding."
    )


def _print_issues(console: Console, build: Build, all_issues: bool) -> None:
    issues = build.issues
    if not issues:
        return
    shown = issues if all_issues else issues[:ISSUES_SHOWN]
    kinds = Counter(issue.kind for issue in issues)
    from ketsugo.cli.messages import language, word

    names = {kind: word(kind) if language() == "ja" else KIND_NAMES[kind] for kind in FINDING_KINDS}
    by_kind = _w("list_separator").join(
        f"{kinds[kind]} {names[kind]}" for kind in FINDING_KINDS if kinds[kind]
    )
    console.print(_w("findings", count=len(issues), by_kind=by_kind))
    from ketsugo.cli.messages import localise, word

    for issue in shown:
        console.print(f"  {word(issue.severity)} [{word(issue.kind)}]: {localise(str(issue))}")
    if len(shown) < len(issues):
        console.print(_w("more_findings", count=len(issues) - len(shown)))


def _print_unmapped(console: Console, build: Build) -> None:
    unmapped = [(b.meta.path.name, n, t, e) for b in build.reports for n, t, e in b.unmapped_items]
    if not unmapped:
        return
    console.print(_w("unmapped", count=len(unmapped)))
    for name, number, text, status in unmapped:  # an ended or continuing connection is numbered apart
        mark = {"ended": _w("ended_number"), "continuing": _w("continuing_number")}.get(status, "")
        console.print(f"  {name} {mark}No.{number}: {text}")


def _ended_periods(periods: object) -> str:
    """The periods (``where start〜end``) of the connections that have ended, after a "; ": a flow
    that stopped is not shown as if it went on."""
    entries = periods if isinstance(periods, list) else str(periods or "").split(", ")
    # a change (…変更No.1 2024-11-01変更) neither goes on nor has ended
    ended = [str(p) for p in entries if p and not str(p).endswith(("〜", "変更"))]
    # the query writes an unknown start "?" (its documented format); the summary says it in words
    unknown = _w("start_not_given")
    ended = [re.sub(r"(^|\s)\?〜", lambda m: m[1] + unknown + "〜", p) for p in ended]
    return _w("ended_periods", periods=", ".join(ended)) if ended else ""


def _change_dates(periods: object) -> str:
    """The dates of the changes among the periods (``where 2024-11-01変更``; ? where not given)."""
    entries = periods if isinstance(periods, list) else str(periods or "").split(", ")
    dates = [str(p).rsplit(" ", 1)[-1].removesuffix("変更") for p in entries if str(p).endswith("変更")]
    return ", ".join(d if d != "?" else _w("start_not_given") for d in dates)


def _since(since: object, periods: str) -> str:
    """(since DATE…), or "start date not given" where the report gives none (phrases since and
    since_not_given)."""
    if since:
        return _w("since", since=since, ended=periods)
    return _w("since_not_given", not_given=_w("start_not_given"), ended=periods)


def _print_date_of_birth(console: Console, out: Path) -> None:
    """The question users ask first, answered from the store just written (catalogue query)."""
    from ketsugo.sparql.catalogue import get
    from ketsugo.sparql.query import LocalBackend, natural_key, run_catalogue_query
    from ketsugo.store.disk import open_store

    outcome = run_catalogue_query(
        LocalBackend(open_store(out)), get("recipients-of-category"), {"category": "生年月日"}
    )
    console.print(_w("date_of_birth"))
    unnamed: dict[str, list[str]] = {}
    first: dict[str, str] = {}  # the earliest start of each kind of unnamed party
    periods: dict[str, list[object]] = {}
    for row in outcome.records():
        if row["unnamed"]:
            kind = row["recipient_kind"] or row["recipient_label"]
            unnamed.setdefault(kind, []).append(row["connection_list"])
            periods.setdefault(kind, []).append(row["periods"])
            if row["since"] is not None:
                first[kind] = min(first.get(kind, str(row["since"])), str(row["since"]))
            continue
        if not row["connections"] and row["connection_list"]:  # only in 変更 rows
            console.print(
                _w(
                    "changed_only_recipient",
                    recipient=row["recipient_label"],
                    listed=row["connection_list"],
                    changed=_change_dates(row["periods"]),
                )
            )
            continue
        console.print(
            _w(
                "named_recipient",
                recipient=row["recipient_label"],
                count=row["connections"],
                listed=row["connection_list"],
            )
            + _since(row["since"], _ended_periods(row["periods"]))
        )
    for kind, places in unnamed.items():
        _print_unnamed(console, kind, sorted(places, key=natural_key), first.get(kind, ""), periods[kind])


def _print_unnamed(console: Console, kind: str, places: list[str], since: str, periods: list[object]) -> None:
    """One line for the connections to parties a report names only by their kind: each is its own
    recipient (who it is cannot be learnt), so the line says how many it groups and that they may
    all differ, as `ketsugo query` shows them (one row each)."""
    n = len(places)
    listed = ", ".join(places)
    ended = _ended_periods([p for entry in periods for p in (entry if isinstance(entry, list) else [entry])])
    many = _w("unnamed_many", count=n) if n > 1 else ""
    console.print(
        _w("unnamed_recipient", kind=kind, many=many, count=n, listed=listed) + _since(since, ended)
    )
