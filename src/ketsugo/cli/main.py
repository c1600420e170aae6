"""The `ketsugo` command: one click group; heavy imports happen inside commands (fast start-up)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ketsugo import __version__
from ketsugo.cli.common import (
    DEFAULT_STORE,
    EXIT_CODES_HELP,
    KetsugoGroup,
    all_errors_option,
    handle_errors,
    output_option,
    quiet_option,
    store_option,
)
from ketsugo.store.files import write_atomically

if TYPE_CHECKING:
    import networkx as nx

F = TypeVar("F", bound=Callable[..., Any])


def emit(text: str | Iterable[str], output: Path | None) -> None:
    """Text (or its pieces, as they come) to standard output or, atomically, to ``output``."""
    if output is None:
        for piece in [text] if isinstance(text, str) else text:
            click.echo(piece, nl=False)
    else:
        write_atomically(output, text)
        click.echo(f"wrote {output}", err=True)


def emit_picture(svg: str, fmt: str, output: Path | None, to_png: Callable[[str], bytes]) -> None:
    """A picture as SVG text, or (``fmt`` png) as the PNG made from it, to standard output or ``output``."""
    if fmt == "svg":
        emit(svg, output)
        return
    data = to_png(svg)
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stdout
    else:
        write_atomically(output, data)  # no partial picture, a link or device refused as for text
        click.echo(f"wrote {output}", err=True)


def choice_option(
    *decls: str, choices: Iterable[str], default: str, help: str | None = None
) -> Callable[[F], F]:
    """An option taking one of ``choices``, its default shown in --help (the export commands' shape)."""
    return click.option(
        *decls, type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )


def format_option(choices: Iterable[str], default: str) -> Callable[[F], F]:
    return choice_option("--format", "fmt", choices=choices, default=default)


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from ketsugo.cli.messages import set_language

    set_language(value)  # None: from KETSUGO_LANG or the locale again (each run starts afresh)


@click.group(
    cls=KetsugoGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP
)
@click.version_option(__version__, prog_name="ketsugo")
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_set_language,
    help="Language of findings and errors (日本語: ja). Default: KETSUGO_LANG, else the locale "
    "(LC_ALL / LC_MESSAGES / LANG starting with ja: Japanese), else English.",
)
def cli() -> None:
    """ketsugo: reports of external computer connections (外部電子計算機との結合, 外部結合) as a
    knowledge graph of personal-data flows.

    \b
    Reads a municipality's report of 外部結合 (which department, 結合を行った課, sends which
    personal data, 個人情報記録の項目, about whom, 処理対象者, to which party, 結合の相手方; whether
    My Number data, 特定個人情報, flows; the council's, 審議会, decision; the implementing
    agency, 実施機関) and answers questions about it: build, validate, query, export.
    """


@cli.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_STORE,
    show_default=True,
    help="Build directory to write (replaced atomically).",
)
@click.option(
    "--municipality",
    "code",
    metavar="CODE",
    help="6-digit local government code, for a report without metadata.",
)
@click.option(
    "--name",
    metavar="NAME",
    help="Name of the body of a --municipality code no offline list holds (一部事務組合, 広域連合); "
    "default: the body the report's title names. For a listed code it must name that municipality "
    "(else exit 2: the code or the name is wrong).",
)
@click.option(
    "--fiscal-year", type=int, help="Fiscal year (western), when the report's headings do not say it."
)
@click.option("--encoding", help="Text encoding of the reports (default: detected).")
@click.option("--lenient", is_flag=True, help="Record problems as findings in the graph instead of stopping.")
@quiet_option
@click.option("--all-issues", is_flag=True, help="List every warning, not only the first ten.")
@all_errors_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: every core).")
@click.option(
    "--trig/--no-trig",
    default=False,
    help="Also write graph.trig (`ketsugo export graph --format trig` makes the same bytes from graph.nq).",
)
@handle_errors
def build(
    reports: tuple[Path, ...],
    out: Path,
    code: str | None,
    name: str | None,
    fiscal_year: int | None,
    encoding: str | None,
    lenient: bool,
    quiet: bool,
    all_issues: bool,
    jobs: int | None,
    trig: bool,
) -> None:
    """Build the knowledge graph of REPORTS (files, or directories of reports each with its .toml;
    default: every bundled report) into --out.

    A REPORT of - is read from standard input (then --municipality is required).

    \b
    Exit status:
      0  built (with --lenient: whatever could be read, the rest kept as findings)
      2  bad input, nothing written: a file or option; an error reading a report (each named
         FILE:LINE: [FIELD]), among them a report read as nothing (its summary counts
         connections, and no row of them was read)
      3  internal error: a bug in ketsugo"""
    from ketsugo.cli.build_progress import build_with_progress, expand_reports
    from ketsugo.pipeline import resolve_metadata
    from ketsugo.read.metadata import bundled_reports
    from ketsugo.store.builddir import check_target

    check_target(out)  # refuse a folder ketsugo must not replace before any work
    paths = expand_reports(reports)
    metas = [resolve_metadata(p, code, fiscal_year, name) for p in paths] if reports else bundled_reports()
    result = build_with_progress(
        metas, out, encoding=encoding, lenient=lenient, jobs=jobs, trig=trig, quiet=quiet
    )
    if not quiet:
        from ketsugo.cli.summary import print_build_summary

        print_build_summary(result, out, all_issues=all_issues)


@cli.command()
@click.argument("report", type=click.Path(path_type=Path, dir_okay=False))
@output_option
@click.option("--encoding", help="Text encoding of a text report (default: detected).")
@handle_errors
def extract(report: Path, output: Path | None, encoding: str | None) -> None:
    """Write REPORT (PDF, Excel .xlsx/.xls, Word .docx, HTML, CSV or text) as the text form ketsugo reads, to check and correct."""
    from ketsugo.read.sources import read_source

    emit(read_source(report, encoding).text, output)


@cli.command("diff")
@click.argument("earlier", type=click.Path(path_type=Path))
@click.argument("later", type=click.Path(path_type=Path))
@click.option(
    "--municipality", "code", metavar="CODE", help="Local government code, for reports without metadata."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@click.option(
    "--continuing",
    is_flag=True,
    help="List too the EARLIER report's connections the LATER one neither ends nor lists again "
    "(still in force, as far as the two reports say).",
)
@output_option
@handle_errors
def diff(
    earlier: Path, later: Path, code: str | None, fmt: str, continuing: bool, output: Path | None
) -> None:
    """Connections new, ended and changed (items added or removed, another counterparty) from the
    EARLIER report to the LATER one of the same municipality; with --continuing, the earlier ones
    still in force too."""
    from ketsugo.export.diff import diff_reports, to_csv, to_json, to_table
    from ketsugo.pipeline import parse_for_diff

    reports = parse_for_diff(earlier, later, code)
    emit(
        {"table": to_table, "csv": to_csv, "json": to_json}[fmt](
            diff_reports(*reports, continuing=continuing)
        ),
        output,
    )


@cli.group()
def export() -> None:
    """Export a built graph (flows table; graph formats for visualisation)."""


@export.command("flows")
@store_option
@format_option(["csv", "json"], "csv")
@output_option
@click.option(
    "--excel",
    is_flag=True,
    help="CSV with a UTF-8 byte-order mark, so Excel shows Japanese text; a cell starting with = + - @ gets a leading ' (Excel runs no formula from a report).",
)
@handle_errors
def export_flows(store: Path, fmt: str, output: Path | None, excel: bool) -> None:
    """One row per connection × counterparty × data item (外部結合 × 結合の相手方 × 個人情報記録の項目).

    With the department (結合を行った課), implementing agency (実施機関), business, status (new /
    ended, or changed for a 変更 row), start and end dates (結合の開始年月日; a month, a year or a
    fiscal year as the report writes it), the date of a change, which way the data flows
    (提供 / 受領), the contractor of a subcontractor (再委託先), the counterparty's kind (民間事業者,
    国の機関, …), the My Number mark (特定個人情報の有無), the council decision (審議会) and the
    statutes."""
    from ketsugo.export.flowtable import csv_chunks, flow_rows, json_chunks
    from ketsugo.store.disk import open_store

    columns, rows = flow_rows(open_store(store), store)  # made and written one report at a time
    emit(csv_chunks(columns, rows, bom=excel) if fmt == "csv" else json_chunks(columns, rows), output)


GRAPH_FORMATS = {
    "graphml": "GraphML (yEd, Cytoscape, Gephi)",
    "gexf": "GEXF (Gephi)",
    "dot": "Graphviz DOT",
    "svg": "static SVG drawing",
    "html": "interactive HTML page (self-contained)",
    "trig": "the RDF dataset as TriG",
    "nquads": "the RDF dataset as N-Quads",
    "jsonld": "the RDF dataset as JSON-LD",
}


@export.command("graph")
@store_option
@format_option(sorted(GRAPH_FORMATS), "html")
@output_option
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="Only connections carrying this data category (項目区分): ja/en label, alt label or slug, e.g. 生年月日 or 'date of birth'. Repeatable.",
)
@click.option(
    "--sensitive", is_flag=True, help="Only sensitive categories (要配慮個人情報, My Number, financial…)."
)
@click.option("--my-number", is_flag=True, help="Only connections with My Number data (特定個人情報).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Only recipients of this counterparty kind (相手方の種別): PrivateCompany, 民間事業者, 'national government', unnamed… Repeatable.",
)
@click.option(
    "--department",
    "departments",
    multiple=True,
    help="Only this department (課; part of its name). Repeatable.",
)
@click.option(
    "--status",
    type=click.Choice(["new", "ended", "continuing"]),
    help="Only new (新規), ended (終了) or continuing (継続: a register's rows in force) connections.",
)
@click.option("--since", type=int, metavar="YEAR", help="Only connections that started in YEAR or later.")
@click.option("--until", type=int, metavar="YEAR", help="Only connections that started in YEAR or earlier.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    help="Only this report (報告): its IRI, 'CODE/YEAR' (131041/2020), its label, or 'latest'. Repeatable.",
)
@click.option(
    "--profile",
    type=click.Choice(["imi"]),
    help="With --format jsonld: the municipalities and organisations in the IMI core vocabulary "
    "(共通語彙基盤: ic:組織型 / ic:法人型) instead of the whole dataset.",
)
@handle_errors
def export_graph(
    store: Path,
    fmt: str,
    output: Path | None,
    categories: tuple[str, ...] = (),
    sensitive: bool = False,
    my_number: bool = False,
    kinds: tuple[str, ...] = (),
    departments: tuple[str, ...] = (),
    status: str | None = None,
    since: int | None = None,
    until: int | None = None,
    reports: tuple[str, ...] = (),
    profile: str | None = None,
) -> None:
    """The flow graph (agency → department → connection → recipient → category) or the whole RDF dataset.

    Formats: graphml, gexf, dot, svg, html (drawings); trig, nquads, jsonld (RDF). The filters
    apply to the drawings; the page offers them again to its reader."""
    from ketsugo.store.disk import open_store

    opened = open_store(store)
    if profile == "imi":
        if fmt != "jsonld":
            raise click.BadParameter("--profile imi goes with --format jsonld", param_hint="--profile")
        from ketsugo.export.link.imi import imi_jsonld

        emit(imi_jsonld(opened), output)
        return
    if fmt in ("trig", "nquads", "jsonld"):
        from ketsugo.export.dataset import dataset_text

        emit(dataset_text(opened, fmt, store), output)  # the build's own file, in pieces
        return
    from ketsugo.export import graphfiles, visual

    graph = filtered_flow_graph(
        opened,
        store,
        reports,
        drawing=fmt in ("svg", "html", "dot"),
        categories=categories,
        sensitive=sensitive,
        my_number=my_number,
        kinds=kinds,
        departments=departments,
        status=status,
        since=since,
        until=until,
    )
    writers: dict[str, Callable[[nx.DiGraph[str]], str | Iterable[str]]] = {
        "graphml": graphfiles.graphml_pieces,  # written as they come, never whole
        "gexf": graphfiles.gexf_pieces,
        "dot": visual.to_dot,
        "svg": visual.to_svg,
        "html": visual.to_html,
    }
    emit(writers[fmt](graph), output)


def filtered_flow_graph(
    opened: Any, store: Path, reports: tuple[str, ...], *, drawing: bool = False, **filters: Any
) -> nx.DiGraph[str]:
    """The flow graph of the build in ``store`` narrowed by the filters (a value that names nothing,
    or a drawing too large to read: a bad parameter, exit 2)."""
    from ketsugo.export import visual

    try:
        if drawing and not reports and not any(filters.values()):
            visual.check_drawable_store(opened)  # every connection drawn: counted before the work
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    chosen = None
    if reports:  # resolved on the store first: only those reports' graphs are read
        index = {report: label for report, (label, _) in visual.report_index(opened).items()}
        chosen = visual.resolve_report_names(index, reports)
        try:
            visual.check_reports(index, chosen)
        except ValueError as error:
            raise click.BadParameter(str(error)) from error
    graph = visual.flow_graph(opened, store, reports=chosen)
    try:
        wanted = visual.FlowFilter(reports=chosen or (), **filters)
        graph = visual.filter_graph(graph, wanted)
        if drawing:
            visual.check_drawable(graph)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    return graph


@export.command("overview")
@store_option
@format_option(["svg", "png"], "svg")
@output_option
@click.option(
    "--report", "reports", multiple=True, help="Only this report (IRI, 'CODE/YEAR', label or 'latest')."
)
@click.option("--sensitive", is_flag=True, help="Only sensitive categories.")
@handle_errors
def export_overview(
    store: Path, fmt: str, output: Path | None, reports: tuple[str, ...], sensitive: bool
) -> None:
    """A static overview for print and slides: departments → data categories → recipients (概要図).

    Sankey-style; sensitive flows in red/orange with a legend. SVG, or PNG rendered without a browser."""
    from ketsugo.export import overview
    from ketsugo.store.disk import open_store

    graph = filtered_flow_graph(open_store(store), store, reports, sensitive=sensitive)
    labels = sorted({d["report_label"] for d in graph.nodes.values() if d.get("report_label")})
    title = "個人データの流れ Personal-data flows" + (f" — {'、'.join(labels)}" if labels else "")
    emit_picture(overview.overview_svg(graph, title), fmt, output, overview.overview_png)


@export.command("matrix")
@store_option
@format_option(["csv", "json", "svg", "png"], "csv")
@output_option
@click.option("--fiscal-year", type=int, metavar="YEAR", help="Only the reports of this fiscal year.")
@choice_option(
    "--by",
    choices=["municipality", "prefecture"],
    default="municipality",
    help="One column per municipality, or per prefecture (its municipalities summed).",
)
@choice_option(
    "--value",
    choices=["count", "percent"],
    default="count",
    help="Connections, or their share of the municipality's connections.",
)
@choice_option(
    "--sort",
    "order",
    choices=["code", "total"],
    default="code",
    help="Columns by local government code, or by number of connections.",
)
@click.option(
    "--max-categories",
    type=click.IntRange(min=1),
    default=40,
    show_default=True,
    help="Picture only: the most common categories drawn (CSV/JSON: all).",
)
@click.option(
    "--max-columns",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Picture only: more municipalities are drawn by prefecture (CSV/JSON: all).",
)
@click.option("--excel", is_flag=True, help="CSV with a UTF-8 byte-order mark, so Excel shows Japanese text.")
@handle_errors
def export_matrix(
    store: Path,
    fmt: str,
    output: Path | None,
    fiscal_year: int | None,
    by: str,
    value: str,
    order: str,
    max_categories: int,
    max_columns: int,
    excel: bool,
) -> None:
    """Data category × municipality: how many connections of each municipality carry each category.

    For comparing municipalities (項目区分 × 自治体): CSV for spreadsheets (one column per
    municipality, rows = categories with ja/en labels, most common first), JSON, or a heat map
    (SVG, PNG) with a legend; counted in SPARQL on the store, so a national build fits in memory."""
    from ketsugo.export import matrix as heat
    from ketsugo.sparql.query import LocalBackend
    from ketsugo.store.disk import open_store

    table = heat.load_matrix(LocalBackend(open_store(store)), fiscal_year)
    if by == "prefecture":
        table = heat.by_prefecture(table)
    table = heat.sort_columns(table, order)
    percent = value == "percent"
    if fmt in ("csv", "json"):
        text = (
            heat.to_csv(table, percent=percent, bom=excel)
            if fmt == "csv"
            else heat.to_json(table, percent=percent)
        )
        emit(text, output)
        return
    emit_picture(
        heat.to_svg(heat.capped(table, max_categories, max_columns), percent=percent),
        fmt,
        output,
        heat.to_png,
    )


@export.command("briefing")
@store_option
@format_option(["md", "html"], "md")
@output_option
@choice_option(
    "--lang",
    choices=["ja", "en", "both"],
    default="both",
    help="Language of headings and fixed phrases (report text stays as written).",
)
@click.option(
    "--report",
    metavar="CODE/YEAR",
    help="Only this report of the build (e.g. 131041/2020, or latest); default: every report.",
)
@handle_errors
def export_briefing(store: Path, fmt: str, output: Path | None, lang: str, report: str | None) -> None:
    """A readable briefing of every report: summary table, key facts, findings, one card per connection.

    For readers who do not write SPARQL (council members, journalists, residents); Markdown, or a
    self-contained HTML page (no external files, works offline)."""
    from ketsugo.export.briefing import briefing
    from ketsugo.store.disk import open_store

    emit(briefing(open_store(store), fmt=fmt, lang=lang, where=str(store), report=report), output)


def main() -> None:
    _register_optional_commands()
    cli()  # SIGTERM while files are written unwinds (ketsugo.store.files.sigterm_unwinds): exit 143


def _register_optional_commands() -> None:
    """Commands defined in their own modules (query, validate) join the one group here."""
    from ketsugo.cli import link as cli_link
    from ketsugo.cli import query as cli_query
    from ketsugo.cli import validate as cli_validate

    for module in (cli_query, cli_validate, cli_link):
        module.register(cli)  # idempotent: click replaces a command of the same name
