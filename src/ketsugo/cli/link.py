"""`ketsugo link` (corporate numbers, Wikidata enrichment, coverage) and `ketsugo export dcat|imi`.

Registered on the one `ketsugo` group by :func:`register` (cli.main calls it). Heavy imports
happen inside the commands, so start-up stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from ketsugo.cli.common import handle_errors, output_option, store_option


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from ketsugo.store.files import write_atomically

    write_atomically(output, text)
    click.echo(f"wrote {output}", err=True)


def _warn(issue: object) -> None:
    click.echo(f"warning: {issue}", err=True)


def register(group: click.Group) -> None:
    """Add `link` to the `ketsugo` group and `dcat`, `imi` to its `export` group."""

    @group.command("link", context_settings={"help_option_names": ["-h", "--help"]})
    @click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
    @click.option(
        "--corporate-numbers",
        "corporate",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        metavar="FILE",
        help="NTA corporate number CSV (法人番号公表サイト 基本3情報; Shift_JIS or UTF-8, no header row, "
        "or a CSV with a header row). Further FILE arguments are read as such files too.",
    )
    @click.option("--encoding", help="Encoding of the CSV files (default: UTF-8 or CP932, detected).")
    @click.option(
        "--endpoint",
        metavar="URL",
        help="Look up Wikidata items of organisations and municipalities on this SPARQL endpoint (online; off by default).",
    )
    @click.option(
        "--report", "coverage", is_flag=True, help="Print what is linked and what is not, per report."
    )
    @store_option(
        help="Build directory whose store is linked (written in place, one named graph per source)."
    )
    @handle_errors
    def link_command(
        files: tuple[Path, ...],
        corporate: tuple[Path, ...],
        encoding: str | None,
        endpoint: str | None,
        coverage: bool,
        store: Path,
    ) -> None:
        """Link a build's parties to national identifiers, each source in its own named graph.

        \b
        ketsugo link --corporate-numbers 13_tokyo_all.csv        corporate numbers, kinds, addresses
        ketsugo link --endpoint https://query.wikidata.org/sparql  Wikidata items (online)
        ketsugo link --report                                     coverage of the links
        """
        from ketsugo.errors import InputError, Issue

        paths = (*corporate, *files)
        if files and not corporate:
            raise InputError(Issue("FILE", 0, "", "FILE arguments are read with --corporate-numbers"))
        if not paths and not endpoint and not coverage:
            raise InputError(
                Issue("ketsugo link", 0, "", "give --corporate-numbers FILE…, --endpoint URL or --report")
            )
        if paths:
            _link_corporate(store, list(paths), encoding)
        if endpoint:
            _link_endpoint(store, endpoint)
        if coverage:
            from ketsugo.export.link.coverage import coverage as measure
            from ketsugo.export.link.coverage import format_coverage
            from ketsugo.store.disk import open_store

            click.echo(format_coverage(measure(open_store(store))), nl=False)

    export = group.commands.get("export")
    if isinstance(export, click.Group):
        _register_exports(export)


def _link_corporate(store: Path, paths: list[Path], encoding: str | None) -> None:
    from ketsugo.export.link.buildgraph import replace_graph
    from ketsugo.export.link.corporate import LINK_GRAPH, corporate_quads, match
    from ketsugo.prefixes import compact_iri
    from ketsugo.store.disk import open_store

    opened = open_store(store)
    links = match(opened, paths, encoding=encoding, warn=_warn)
    del opened
    written = replace_graph(store, LINK_GRAPH, corporate_quads(links))
    rows = sum(s.rows for s in links.stats)
    click.echo(f"read {rows} rows from {len(paths)} file(s); <{LINK_GRAPH}>: {written} triples", err=True)
    for party, record in sorted(links.assigned.items()):
        click.echo(f"linked   {compact_iri(party)} = {record.number} {record.name} ({record.address})")
    for party, number in sorted(links.agreements.items()):
        click.echo(f"curated  {compact_iri(party)} = {number} (the NTA data agrees)")
    for d in links.disagreements:
        click.echo(
            f"DISAGREE {compact_iri(d.party)}: curated {d.curated} kept; NTA {d.found.number} {d.found.name}"
        )
    for a in links.ambiguous:
        parties = ", ".join(compact_iri(p) for p in a.parties)
        candidates = "; ".join(f"{r.number} {r.name} ({r.address})" for r in a.candidates)
        click.echo(f"AMBIGUOUS {parties}: {len(a.candidates)} entities: {candidates}")
    if links.unmatched:
        click.echo(
            f"no match for {len(links.unmatched)} part(ies): {', '.join(compact_iri(p) for p in links.unmatched)}"
        )


def _link_endpoint(store: Path, endpoint: str) -> None:
    from ketsugo.export.link.buildgraph import replace_graph
    from ketsugo.export.link.enrich import ENRICH_GRAPH, enrich, enrichment_quads
    from ketsugo.prefixes import compact_iri
    from ketsugo.store.disk import open_store

    opened = open_store(store)
    found = enrich(opened, endpoint)
    del opened
    written = replace_graph(store, ENRICH_GRAPH, enrichment_quads(found, endpoint))
    click.echo(f"<{ENRICH_GRAPH}>: {written} triples", err=True)
    for link in found.links:
        click.echo(f"linked   {compact_iri(link.subject)} = {link.item} ({link.rule})")
    for subject, items in found.ambiguous:
        click.echo(f"AMBIGUOUS {compact_iri(subject)}: {', '.join(items)}")
    for subject, note in found.kept:
        click.echo(f"curated  {compact_iri(subject)}: {note}")


def _register_exports(export: click.Group) -> None:
    @export.command("dcat")
    @store_option
    @click.option(
        "--format", "fmt", type=click.Choice(["turtle", "jsonld"]), default="turtle", show_default=True
    )
    @click.option(
        "--endpoint",
        metavar="URL",
        help="The SPARQL endpoint serving this build, to name in the description.",
    )
    @output_option
    @handle_errors
    def export_dcat(store: Path, fmt: str, endpoint: str | None, output: Path | None) -> None:
        """The build's DCAT/VoID description: title, publisher, licences, sources, coverage, counts."""
        from ketsugo.export.link.dcat import describe, serialize
        from ketsugo.store.disk import NQUADS, TRIG, open_store

        downloads = tuple(name for name in (NQUADS, TRIG) if (store / name).is_file())
        _emit(serialize(describe(open_store(store), endpoint=endpoint, downloads=downloads), fmt), output)

    @export.command("imi")
    @store_option
    @output_option
    @handle_errors
    def export_imi(store: Path, output: Path | None) -> None:
        """The municipalities and organisations as IMI core vocabulary JSON-LD (ic:組織型 / ic:法人型)."""
        from ketsugo.export.link.imi import imi_jsonld
        from ketsugo.store.disk import open_store

        _emit(imi_jsonld(open_store(store)), output)
