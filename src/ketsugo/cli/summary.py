"""What `ketsugo build` prints: a short account of each report and the first question answered."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rich.console import Console

from ketsugo.errors import FINDING_KINDS
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


def _w(en: str, ja: str) -> str:
    """The English or the Japanese wording, by ``ketsugo --lang`` (else KETSUGO_LANG, else the locale)."""
    from ketsugo.cli.messages import language

    return ja if language() == "ja" else en


def print_build_summary(build: Build, out: Path | None, *, all_issues: bool = False) -> None:
    console = Console(highlight=False, markup=False, soft_wrap=True)  # no hard wraps when piped
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
                    f"{one.meta.municipality_name} ({one.meta.municipality_code}) fiscal year "
                    f"{one.fiscal_year} — {one.meta.path.name}\n"
                    f"  {one.connections} connections ({new} new, {one.connections - new} ended), "
                    f"{one.summary_rows} summary rows, {items} data items ({mapped} mapped to a category, "
                    f"{share}), {_recipients(one)}, {findings} finding(s) while reading "
                    "(`ketsugo validate` lists these and adds the findings of its own checks)",
                    f"{one.meta.municipality_name}（{one.meta.municipality_code}）{one.fiscal_year}年度"
                    f" — {one.meta.path.name}\n"
                    f"  外部結合 {one.connections} 件（新規 {new}、終了 {one.connections - new}）、"
                    f"総括表 {one.summary_rows} 行、個人情報の項目 {items}（区分に当てはまったもの {mapped}、"
                    f"{share}）、{_recipients(one)}、読み取り時の指摘 {findings} 件"
                    "（`ketsugo validate` はこれに自身の検査の指摘を加えて示す）",
                ),
            )
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
    """The counterparties; once a report says which way data flows (提供・受領の別), the count
    holds the parties it only receives data from too, and says how many: they are no recipients."""
    named = one.recipients - one.unnamed_recipients
    if not (one.data_sources or one.two_way):
        return _w(
            f"{one.recipients} recipients ({named} named organisations, {one.unnamed_recipients} unnamed)",
            f"相手方 {one.recipients}（名称のある団体 {named}、名称の書かれていないもの {one.unnamed_recipients}）",
        )
    return _w(
        f"{one.recipients} counterparties ({named} named organisations, {one.unnamed_recipients} unnamed; "
        f"{one.data_sources} of them data sources only: 受領, {one.two_way} both ways: 提供・受領)",
        f"相手方 {one.recipients}（名称のある団体 {named}、名称の書かれていないもの {one.unnamed_recipients}。"
        f"うち受領のみ（データの提供元） {one.data_sources}、提供・受領 {one.two_way}）",
    )


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
    from ketsugo.cli.messages import word

    names = {kind: _w(KIND_NAMES[kind], word(kind)) for kind in FINDING_KINDS}
    by_kind = _w(", ", "、").join(f"{kinds[kind]} {names[kind]}" for kind in FINDING_KINDS if kinds[kind])
    console.print(
        _w(
            f"\n{len(issues)} finding(s) while reading the report ({by_kind}; kept in the graph as "
            "kg:ParseIssue; `ketsugo validate` lists them with the findings of its own checks, so it counts "
            "more, each kind apart):",
            f"\n報告書の読み取り時の指摘 {len(issues)} 件（{by_kind}。グラフに kg:ParseIssue として残す。"
            "`ketsugo validate` は自身の検査の指摘と合わせて種類ごとに示すので、件数はより多い）:",
        )
    )
    from ketsugo.cli.messages import localise, word

    for issue in shown:
        console.print(f"  {word(issue.severity)} [{word(issue.kind)}]: {localise(str(issue))}")
    if len(shown) < len(issues):
        console.print(
            _w(
                f"  … {len(issues) - len(shown)} more (--all-issues lists them)",
                f"  … ほか {len(issues) - len(shown)} 件（--all-issues ですべて示す）",
            )
        )


def _print_unmapped(console: Console, build: Build) -> None:
    unmapped = [(b.meta.path.name, n, t, e) for b in build.reports for n, t, e in b.unmapped_items]
    if not unmapped:
        return
    console.print(
        _w(
            f"\n{len(unmapped)} data item(s) mapped to no category (kept in the graph; curation notes of "
            "`ketsugo validate`: add a skos:altLabel or a category to ontology/categories.ttl):",
            f"\nどの区分にも当てはまらなかった項目 {len(unmapped)} 件（グラフには残す。`ketsugo validate` の"
            "キュレーションの注記。ontology/categories.ttl に skos:altLabel か区分を加える）:",
        )
    )
    for name, number, text, ended in unmapped:  # an ended connection is numbered apart
        console.print(f"  {name} {_w('ended ', '終了') if ended else ''}No.{number}: {text}")


def _ended_periods(periods: object) -> str:
    """The periods (``where start〜end``) of the connections that have ended, after a "; ": a flow
    that stopped is not shown as if it went on."""
    entries = periods if isinstance(periods, list) else str(periods or "").split(", ")
    ended = [str(p) for p in entries if p and not str(p).endswith("〜")]
    # the query writes an unknown start "?" (its documented format); the summary says it in words
    unknown = _w("start date not given", "開始日の記載なし")
    ended = [re.sub(r"(^|\s)\?〜", lambda m: m[1] + unknown + "〜", p) for p in ended]
    return _w("; ended: ", "。終了: ") + ", ".join(ended) if ended else ""


def _since(since: object, periods: str) -> str:
    """(since DATE…) / （DATE から…）, or "start date not given" where the report gives none."""
    if since:
        return _w(f" (since {since}{periods})", f"（{since} から{periods}）")
    return _w(f" (start date not given{periods})", f"（開始日の記載なし{periods}）")


def _print_date_of_birth(console: Console, out: Path) -> None:
    """The question users ask first, answered from the store just written (catalogue query)."""
    from ketsugo.sparql.catalogue import get
    from ketsugo.sparql.query import LocalBackend, natural_key, run_catalogue_query
    from ketsugo.store.disk import open_store

    outcome = run_catalogue_query(
        LocalBackend(open_store(out)), get("recipients-of-category"), {"category": "生年月日"}
    )
    console.print(
        _w(
            "\nWhich recipients receive date-of-birth data (生年月日), and since when?",
            "\n生年月日を受け取る相手方と、その開始日:",
        )
    )
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
        console.print(
            _w(
                f"  {row['recipient_label']} — {row['connections']} connection(s): {row['connection_list']}",
                f"  {row['recipient_label']} — {row['connections']} 件: {row['connection_list']}",
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
    en = "unnamed: the report names only the kind of party, not the vendor"
    ja = "名称なし：報告書は相手方の種類だけを書き、事業者名を書いていない"
    if n > 1:
        en += f"; {n} recipients, possibly {n} different vendors (`ketsugo query` lists one row each)"
        ja += f"。{n} 件の相手方で、別々の事業者かもしれない（`ketsugo query` は結合ごとに 1 行で示す）"
    console.print(
        _w(
            f"  {kind} ({en}) — {n} connection(s): {listed}",
            f"  {kind}（{ja}） — {n} 件: {listed}",
        )
        + _since(since, ended)
    )
