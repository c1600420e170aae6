"""`ketsugo query`, `ketsugo sparql`, `ketsugo serve` and `ketsugo load`.

Registered on the one `ketsugo` group by :func:`register` (cli.main calls it). Heavy imports
(pyoxigraph, rich, SPARQLWrapper) happen inside the commands, so start-up stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from ketsugo.errors import EXIT_INPUT_ERROR

DEFAULT_STORE = Path("build")
EXIT_ENDPOINT_ERROR = 1
FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples")


def query_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Input problems (bad parameter, unknown name, invalid query, no build) exit 2; endpoint failures 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Exception as exc:
            # the error classes are imported only when needed, to keep start-up light
            from ketsugo.catalogue import CatalogueError
            from ketsugo.errors import InputError
            from ketsugo.query import EndpointError, QueryError

            if isinstance(exc, QueryError | CatalogueError):
                click.echo(f"error: {exc}", err=True)
                sys.exit(EXIT_INPUT_ERROR)
            if isinstance(exc, InputError):
                for issue in exc.issues:
                    click.echo(f"error: {issue}", err=True)
                sys.exit(EXIT_INPUT_ERROR)
            if isinstance(exc, EndpointError) or type(exc).__name__ == "ServerError":
                click.echo(f"error: {exc}", err=True)
                sys.exit(EXIT_ENDPOINT_ERROR)
            raise

    return wrapper


def _source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--store-mode",
        type=click.Choice(["auto", "disk", "memory"]),
        default="auto",
        show_default=True,
        help="How the build is read: its on-disk store, or its graph.nq loaded into memory "
        "(auto: in memory when graph.nq is at most 32 MiB).",
    )(command)
    command = click.option(
        "--endpoint",
        metavar="URL",
        help="Query this SPARQL 1.1 endpoint instead of the built store "
        "(a server root such as http://127.0.0.1:7878 means its /query).",
    )(command)
    command = click.option(
        "--store",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help=f"Build directory whose store is queried (default: {DEFAULT_STORE}).",
    )(command)
    return command


def _backend(store: Path | None, endpoint: str | None, store_mode: str = "auto") -> Any:
    from ketsugo.query import LocalBackend, QueryError, RemoteBackend

    if endpoint and store:
        raise QueryError("give --store or --endpoint, not both")
    if endpoint:
        return RemoteBackend(endpoint)
    return LocalBackend.open(store or DEFAULT_STORE, store_mode)


def _write(outcome: Any, fmt: str | None) -> None:
    from ketsugo.query import write_outcome

    if fmt is None:
        fmt = "turtle" if outcome.form in ("CONSTRUCT", "DESCRIBE") else "table"
    out = sys.stdout.buffer
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    write_outcome(outcome, fmt, out, color=color)
    out.flush()


def _print_list(as_json: bool) -> None:
    from ketsugo.catalogue import catalogue

    queries = catalogue()
    if as_json:
        import json

        data = [
            {
                "name": q.name,
                "summary": {"ja": q.summary_ja, "en": q.summary_en},
                "description": q.description,
                "tags": list(q.tags),
                "parameters": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "description": p.description,
                        "default": p.default,
                        "example": p.example,
                        "required": p.required,
                    }
                    for p in q.parameters
                ],
            }
            for q in queries.values()
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for query in queries.values():
        click.echo(query.name)
        click.echo(f"    {query.summary_ja}")
        click.echo(f"    {query.summary_en}")
        for parameter in query.parameters:
            description = f" — {parameter.description}" if parameter.description else ""
            click.echo(f"    --param {parameter.describe()}{description}")


def register(group: click.Group) -> None:
    """Add the query commands to the `ketsugo` group."""

    @group.command("query", context_settings={"help_option_names": ["-h", "--help"]})
    @click.argument("name", required=False)
    @click.option(
        "--list", "list_queries", is_flag=True, help="List the catalogue (name, summary, parameters)."
    )
    @click.option("--json", "list_json", is_flag=True, help="With --list: as JSON.")
    @click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value.")
    @_source_options
    @click.option("--format", "fmt", type=click.Choice(FORMATS[:4]), default="table", show_default=True)
    @click.option("--show", is_flag=True, help="Print the query text instead of running it.")
    @query_errors
    def query_command(
        name: str | None,
        list_queries: bool,
        list_json: bool,
        params: tuple[str, ...],
        store_mode: str,
        store: Path | None,
        endpoint: str | None,
        fmt: str,
        show: bool,
    ) -> None:
        """Run the catalogue query NAME (queries/NAME.rq) with --param NAME=VALUE …

        Results as a table, or in the W3C SPARQL 1.1 result formats (csv, tsv, json).
        A category is given as its ja/en label, slug or IRI (生年月日, date-of-birth, kgc:date-of-birth);
        a counterparty as a name or alias (厚生労働省, J-LIS) or IRI.
        """
        from ketsugo.catalogue import get
        from ketsugo.query import QueryError, parse_param_options, run_catalogue_query

        if list_queries:
            _print_list(list_json)
            return
        if name is None:
            raise QueryError("give a query NAME (`ketsugo query --list` lists them)")
        query = get(name)
        given = parse_param_options(params)
        if show:
            click.echo(query.text, nl=False)
            return
        outcome = run_catalogue_query(_backend(store, endpoint, store_mode), query, given)
        _write(outcome, fmt)

    @group.command("sparql", context_settings={"help_option_names": ["-h", "--help"]})
    @click.argument("query_text_or_file")
    @_source_options
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="table|csv|tsv|json for SELECT and ASK (default table); turtle|ntriples for "
        "CONSTRUCT and DESCRIBE (default turtle).",
    )
    @query_errors
    def sparql_command(
        query_text_or_file: str, store_mode: str, store: Path | None, endpoint: str | None, fmt: str | None
    ) -> None:
        """Run an ad-hoc SELECT, ASK, CONSTRUCT or DESCRIBE query (text, a file, or - for stdin).

        The default graph is the union of all graphs; the project's prefixes (kg:, kid:, kgc:,
        dpv:, rdfs:, skos:, …) need no declaration.
        """
        from ketsugo.query import run

        text = _read_query(query_text_or_file)
        outcome = run(_backend(store, endpoint, store_mode), text)
        _write(outcome, fmt)

    @group.command("serve", context_settings={"help_option_names": ["-h", "--help"]})
    @click.option(
        "--store",
        type=click.Path(path_type=Path, file_okay=False),
        default=DEFAULT_STORE,
        show_default=True,
        help="Build directory whose store is served.",
    )
    @click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
    @click.option("--writable", is_flag=True, help="Accept SPARQL UPDATE and Graph Store writes.")
    @query_errors
    def serve_command(store: Path, port: int, writable: bool) -> None:
        """Serve the built store over SPARQL 1.1 (Oxigraph) on 127.0.0.1, read-only by default.

        Endpoints: /query (SPARQL query), /update and /store (only with --writable). The default
        graph is the union of all graphs, as for `ketsugo query`.
        """
        from ketsugo.query import require_build
        from ketsugo.server import base_url, serve_command

        location = require_build(store).resolve()
        command = serve_command(location, port, writable=writable)
        mode = "read-write" if writable else "read-only"
        click.echo(
            f"SPARQL endpoint {base_url(port)}/query ({mode}) over {location}; Ctrl-C stops it", err=True
        )
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)

    @group.command("load", context_settings={"help_option_names": ["-h", "--help"]})
    @click.option(
        "--endpoint",
        metavar="URL",
        required=True,
        help="SPARQL 1.1 Graph Store endpoint (a server root or its /query URL means Oxigraph's /store).",
    )
    @click.option(
        "--store",
        type=click.Path(path_type=Path, file_okay=False),
        default=DEFAULT_STORE,
        show_default=True,
        help="Build directory whose graphs are pushed.",
    )
    @click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
    @query_errors
    def load_command(endpoint: str, store: Path, quiet: bool) -> None:
        """Push the built graphs (one per report, and the reference graph) to a Graph Store endpoint.

        Each graph is sent with HTTP PUT as N-Triples, replacing the graph of that name.
        """
        from ketsugo.query import LocalBackend, graph_store_url, load_to_graph_store

        loaded = load_to_graph_store(LocalBackend.open(store, "disk").store, endpoint)
        if not quiet:
            target = graph_store_url(endpoint)
            for graph in loaded:
                click.echo(f"PUT <{graph.graph}> {graph.triples} triples → {target} (HTTP {graph.status})")


def _read_query(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    path = Path(argument)
    if "\n" not in argument and len(argument) < 4096 and path.is_file():
        return path.read_text(encoding="utf-8")
    return argument
