"""`ketsugo query`, `ketsugo sparql`, `ketsugo serve` and `ketsugo load`.

Registered on the one `ketsugo` group by :func:`register` (cli.main calls it). Heavy imports
(pyoxigraph, rich, SPARQLWrapper) happen inside the commands, so start-up stays fast.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ketsugo.cli.common import (
    DEFAULT_PORT,
    DEFAULT_STORE,
    DEFAULT_TIMEOUT,
    handle_errors,
    output_option,
    quiet_option,
    store_option,
)

FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples")
QUERY_SUFFIXES = (".rq", ".sparql")


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
        "--allow-remote",
        is_flag=True,
        help="Allow an --endpoint on another host (off: only localhost / loopback addresses; "
        "ketsugo works offline and never goes through a proxy from the environment).",
    )(command)
    command = click.option(
        "--endpoint",
        metavar="URL",
        help="Query this SPARQL 1.1 endpoint instead of the built store "
        "(a server root such as http://127.0.0.1:7878 means its /query; on this machine "
        "unless --allow-remote).",
    )(command)
    return store_option(command, default=None, help="Build directory whose store is queried")


_output_option = output_option(
    help="File to write (replaced atomically; default: stdout). A table is written unwrapped."
)


def _check_source(store: Path | None, endpoint: str | None, allow_remote: bool) -> None:
    """Said before any work: both sources given, an endpoint that is no http(s) URL, or one on
    another host without --allow-remote (judged from the URL; nothing is looked up or sent)."""
    from ketsugo.sparql.backends import check_reach
    from ketsugo.sparql.query import QueryError, query_endpoint_url

    if endpoint and store:
        raise QueryError("give --store or --endpoint, not both")
    if endpoint:
        check_reach(query_endpoint_url(endpoint), allow_remote, "queries")


def _backend(
    store: Path | None,
    endpoint: str | None,
    store_mode: str = "auto",
    timeout: float = 0,
    allow_remote: bool = False,
) -> Any:
    from ketsugo.sparql.query import LocalBackend, RemoteBackend

    _check_source(store, endpoint, allow_remote)
    if endpoint:
        return RemoteBackend(endpoint, timeout=timeout or 60.0, allow_remote=allow_remote)
    return LocalBackend.open(store or DEFAULT_STORE, store_mode)


def _render(outcome: Any, fmt: str | None, to_file: bool, width: int | None, color: bool) -> tuple[Any, str]:
    """The result as bytes (a table folded to ``width`` on a terminal, unwrapped for a file), and
    the line that says what was written to a file. An unwrapped table (piped, or for a file) is
    given as its laid-out cells (a PlainTable), written line by line by :func:`_emit`: its text
    (every cell padded to its column's widest) can be a hundred times larger than its cells."""
    import io

    from ketsugo.sparql.query import write_outcome

    if fmt is None:
        fmt = "turtle" if outcome.form in ("CONSTRUCT", "DESCRIBE") else "table"
    count = len(outcome.rows) if outcome.rows is not None else len(outcome.triples or [])
    unit = {"SELECT": "row", "ASK": "answer"}.get(outcome.form, "triple")
    summary = f"({count} {unit}{'s' if count != 1 else ''})"
    if fmt == "table" and outcome.form == "SELECT" and (to_file or (width is None and not color)):
        from ketsugo.sparql.render import plain_table

        layout = plain_table(outcome)
        if layout is not None:
            return layout, summary
    buffer = io.BytesIO()
    if to_file:
        write_outcome(outcome, fmt, buffer)
    else:
        write_outcome(outcome, fmt, buffer, color=color, width=width)
    return buffer.getvalue(), summary


def _run_bounded(run_query: Callable[[], Any], fmt: str | None, output: Path | None, timeout: float) -> None:
    """Run a query job within ``timeout`` seconds (a killable child process, see ketsugo.cli.deadline)
    and write its result on stdout or atomically to ``output``."""
    from ketsugo.cli.deadline import run_with_deadline
    from ketsugo.sparql.query import terminal_width

    width = terminal_width() if output is None else None
    color = width is not None and "NO_COLOR" not in os.environ

    def job() -> tuple[Any, str]:
        return _render(run_query(), fmt, output is not None, width, color)

    data, summary = run_with_deadline(job, timeout)
    _emit(data, output)
    if output is not None:
        click.echo(f"wrote {output} {summary}", err=True)


def _limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--allow-service",
        is_flag=True,
        help="Allow SERVICE clauses, which send requests to other SPARQL endpoints (off: refused).",
    )(command)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, max=MAX_TIMEOUT),
        callback=_a_number,
        default=DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="Stop a query that runs longer (0: no limit).",
    )(command)


MAX_TIMEOUT = 7 * 24 * 3600.0  # a week: longer is no limit in practice (and overflows a timer)


def _a_number(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """`nan` passes a range check (every comparison with it is false): refused here."""
    if value != value:
        raise click.BadParameter("nan is not a number of seconds (0: no limit)", ctx=ctx, param=param)
    return value


def _emit(data: Any, output: Path | None) -> None:
    """Write a rendered result (bytes, or a PlainTable made line by line) to stdout or ``output``."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            data.write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    from ketsugo.store.files import write_atomically

    write_atomically(output, data.decode("utf-8") if isinstance(data, bytes) else data.lines())


def _print_list(as_json: bool) -> None:
    from ketsugo.sparql.catalogue import catalogue

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
        tags = f"  [{', '.join(query.tags)}]" if query.tags else ""
        click.echo(query.name + tags)
        click.echo(f"    {query.summary_ja}")
        click.echo(f"    {query.summary_en}")
        if query.description:
            click.echo(
                textwrap.fill(
                    " ".join(query.description.split()),
                    100,
                    initial_indent="      ",
                    subsequent_indent="      ",
                )
            )
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
    @_output_option
    @click.option("--show", is_flag=True, help="Print the query text instead of running it.")
    @_limit_options
    @handle_errors
    def query_command(
        name: str | None,
        list_queries: bool,
        list_json: bool,
        params: tuple[str, ...],
        store_mode: str,
        store: Path | None,
        endpoint: str | None,
        allow_remote: bool,
        fmt: str,
        output: Path | None,
        show: bool,
        timeout: float,
        allow_service: bool,
    ) -> None:
        """Run the catalogue query NAME (queries/NAME.rq) with --param NAME=VALUE …

        Results as a table, or in the W3C SPARQL 1.1 result formats (csv, tsv, json).
        A category is given as its ja/en label, slug or IRI (生年月日, date-of-birth, kgc:date-of-birth);
        a counterparty as a name or alias (厚生労働省, J-LIS) or IRI.
        """
        from ketsugo.sparql.catalogue import get
        from ketsugo.sparql.query import QueryError, parse_param_options, run_catalogue_query

        if list_queries:
            _print_list(list_json)
            return
        if name is None:
            raise QueryError("give a query NAME (`ketsugo query --list` lists them)")
        query = get(name)
        given = parse_param_options(params)
        if show:
            _emit(query.text.encode("utf-8"), output)
            return
        _check_source(store, endpoint, allow_remote)  # before any work

        def run_query() -> Any:
            backend = _backend(store, endpoint, store_mode, timeout, allow_remote)
            return run_catalogue_query(backend, query, given, allow_service=allow_service)

        _run_bounded(run_query, fmt, output, timeout)

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
    @_output_option
    @_limit_options
    @handle_errors
    def sparql_command(
        query_text_or_file: str,
        store_mode: str,
        store: Path | None,
        endpoint: str | None,
        allow_remote: bool,
        fmt: str | None,
        output: Path | None,
        timeout: float,
        allow_service: bool,
    ) -> None:
        """Run an ad-hoc SELECT, ASK, CONSTRUCT or DESCRIBE query (text, a .rq file, or - for stdin).

        The default graph is the union of all graphs; the project's prefixes (kg:, kid:, kgc:,
        dpv:, rdfs:, skos:, …) need no declaration.
        """
        from ketsugo.sparql.query import query_form, refuse_service, run

        text = read_query(query_text_or_file)
        query_form(text)  # an update or no query at all: said before any work
        refuse_service(text, allow_service)
        _check_source(store, endpoint, allow_remote)  # before any work

        def run_query() -> Any:
            backend = _backend(store, endpoint, store_mode, timeout, allow_remote)
            return run(backend, text, allow_service=allow_service)

        _run_bounded(run_query, fmt, output, timeout)

    @group.command("serve", context_settings={"help_option_names": ["-h", "--help"]})
    @store_option(help="Build directory whose store is served.")
    @click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
    @click.option("--writable", is_flag=True, help="Accept SPARQL UPDATE and Graph Store writes.")
    @_limit_options
    @click.option(
        "--max-memory",
        type=click.IntRange(min=0),
        default=4096,
        show_default=True,
        metavar="MB",
        help="Address space the Oxigraph process may use; a query needing more is stopped (0: no limit).",
    )
    @click.option(
        "--max-result-mb",
        type=click.IntRange(min=1),
        default=100,
        show_default=True,
        help="Largest answer sent; a larger one is refused (HTTP 507).",
    )
    @handle_errors
    def serve_command(
        store: Path,
        port: int,
        writable: bool,
        timeout: float,
        allow_service: bool,
        max_memory: int,
        max_result_mb: int,
    ) -> None:
        """Serve the built store over SPARQL 1.1 (Oxigraph) on 127.0.0.1, read-only by default.

        Endpoints: /query (SPARQL query), /update and /store (only with --writable; writes are
        applied by ketsugo itself, the Oxigraph process behind stays read-only; an update's WHERE
        reads the stored default graph: name graphs with GRAPH; --timeout does not bound an
        update and reads wait for it, but SIGTERM or Ctrl-C still stop the server, the cut
        update not applied). The default
        graph is the union of all graphs, as for `ketsugo query`. Limits: a query is stopped after
        --timeout seconds or beyond --max-memory (HTTP 503), SERVICE is refused (HTTP 403) unless
        --allow-service, idle connections are closed after 10 s; requests from web pages of other
        sites (Origin) or to another host name are refused (HTTP 403).
        """
        from ketsugo.sparql import gate
        from ketsugo.sparql.query import open_build
        from ketsugo.sparql.server import base_url, check_port_free
        from ketsugo.store.disk import STORE

        open_build(store, "disk")  # no build, or a damaged one: a clear error now, not oxigraph's
        location = (store / STORE).resolve()
        check_port_free(port)
        backend = gate.Backend(location, writable=writable, timeout=timeout, max_memory_mb=max_memory)
        gate.handle_stop_signals()  # before Oxigraph starts: a signal during start-up stops too
        try:
            backend.start()
            front = gate.Front(
                port, backend, allow_service=allow_service, max_result_bytes=max_result_mb * 1024 * 1024
            )
        except BaseException:
            backend.stop()
            raise
        mode = "read-write" if writable else "read-only"
        click.echo(
            f"SPARQL endpoint {base_url(port)}/query ({mode}) over {location}; Ctrl-C stops it", err=True
        )
        gate.serve(front)

    @group.command("load", context_settings={"help_option_names": ["-h", "--help"]})
    @click.option(
        "--endpoint",
        metavar="URL",
        required=True,
        help="SPARQL 1.1 Graph Store endpoint (a server root or its /query URL means Oxigraph's /store).",
    )
    @store_option(help="Build directory whose graphs are pushed.")
    @click.option(
        "--bulk",
        is_flag=True,
        help="Send the graphs as N-Quads in a few large requests (after one DROP SILENT GRAPH update) "
        "instead of one PUT per graph: for Oxigraph and servers taking a dataset on their Graph Store.",
    )
    @click.option(
        "--allow-remote",
        is_flag=True,
        help="Allow an endpoint on another host (off: only localhost / loopback addresses; ketsugo works offline).",
    )
    @quiet_option
    @handle_errors
    def load_command(endpoint: str, store: Path, bulk: bool, allow_remote: bool, quiet: bool) -> None:
        """Push the built graphs (one per report, and the reference graph) to a Graph Store endpoint.

        Each graph is sent with HTTP PUT as N-Triples, replacing the graph of that name; with
        --bulk, the graphs are dropped by one SPARQL Update and sent as N-Quads in large POSTs.
        """
        from ketsugo.sparql.graphstore import graph_store_url, load_to_graph_store
        from ketsugo.sparql.query import open_build

        loaded = load_to_graph_store(
            open_build(store, "disk"), endpoint, bulk=bulk, allow_remote=allow_remote
        )
        if not quiet:
            target = graph_store_url(endpoint)
            if bulk:
                for graph in loaded:
                    click.echo(
                        f"POST <{graph.graph}> {graph.triples} quads → {target} (request {graph.request})"
                    )
            else:
                for graph in loaded:
                    click.echo(
                        f"PUT <{graph.graph}> {graph.triples} triples → {target} (HTTP {graph.status})"
                    )
            requests = max((graph.request for graph in loaded), default=0)
            triples = sum(graph.triples for graph in loaded)
            click.echo(f"{len(loaded)} graphs, {triples} triples in {requests} requests", err=True)


def looks_like_a_path(argument: str) -> bool:
    """Whether a `ketsugo sparql` argument names a file rather than holding a query: one word
    (no white space, braces or <IRI>) ending in .rq/.sparql or holding a path separator."""
    if not argument or any(c.isspace() for c in argument) or any(c in argument for c in "{}<>"):
        return False
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return argument.lower().endswith(QUERY_SUFFIXES) or any(s in argument for s in separators)


def _is_file(path: Path) -> bool:
    """Path.is_file, False for text too long or odd to be a file name (it is query text then)."""
    try:
        return path.is_file()
    except OSError:
        return False


# The longest query text read (as `ketsugo serve` takes): a larger file, or standard input that
# does not end, is refused before it fills the memory.
MAX_QUERY_CHARS = 16 * 1024 * 1024


def read_query(argument: str) -> str:
    """The query text of a `ketsugo sparql` argument: the text itself, a file's text, or stdin (-)."""
    from ketsugo.sparql.query import QueryError

    if argument == "-":
        text = sys.stdin.read(MAX_QUERY_CHARS + 1)  # `yes | ketsugo sparql -` never ends
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(
                f"the query on standard input is longer than {MAX_QUERY_CHARS:,} characters: not read"
            )
        return text
    path = Path(argument)
    if "\n" in argument or len(argument) >= 4096:
        return argument
    if looks_like_a_path(argument) or _is_file(path):
        if path.is_dir():
            raise QueryError(f"{argument} is a folder, not a query file")
        if not path.is_file():
            if os.path.lexists(path):  # a named pipe, a device, a broken link: said, never read
                from ketsugo.read.textio import unreadable

                raise QueryError(f"{argument}: not read as a query file: {unreadable(path)}")
            raise QueryError(f"query file not found: {argument}")
        try:
            if path.stat().st_size > MAX_QUERY_CHARS:
                raise QueryError(f"{argument}: larger than {MAX_QUERY_CHARS:,} bytes: no query is; not read")
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise QueryError(f"{argument}: not UTF-8 text") from None
        except OSError as exc:
            raise QueryError(f"{argument}: cannot read it: {exc.strerror or exc}") from None
    return argument
