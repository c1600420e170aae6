"""The two places a query runs, answering the same text the same way, and :func:`run`.

* :class:`LocalBackend` — the pyoxigraph store of `ketsugo build`, with the union of all graphs
  as the default graph; a caller's ``bindings`` are bound by the engine (pyoxigraph
  ``substitutions``), ``rows`` by a VALUES block.
* :class:`RemoteBackend` — any SPARQL 1.1 endpoint, through SPARQLWrapper. The default graph is
  made of the ketsugo graphs the endpoint holds (found once, sent as ``default-graph-uri``), so
  a plain Graph Store holding one graph per report answers like the local store. Values are
  bound by a ``VALUES`` block of RDF terms at the start of the top-level WHERE group.

Network: ketsugo never fetches vocabularies or data at run time; this module talks only to the
endpoint a user names with --endpoint, and only on this machine unless ``allow_remote``
(:func:`check_reach`, judged from the URL's text: no name is looked up), never through a proxy
from the environment, never following a redirect to another host (:func:`endpoint_opener`).
The tests use local servers on 127.0.0.1 only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ketsugo.errors import ServiceError
from ketsugo.sparql.results import Outcome
from ketsugo.sparql.text import (
    DEFAULT_PREFIXES,
    QueryError,
    Row,
    bind_by_values,
    has_dataset_clause,
    prologue,
    query_form,
    refuse_deep_nesting,
    refuse_service,
    syntax_message,
)

if TYPE_CHECKING:
    import urllib.request

    import pyoxigraph as ox


class EndpointError(ServiceError):
    """A remote endpoint could not be reached or refused the request (exit 1)."""


def this_machine(url: str) -> bool:
    """Whether ``url`` names this machine (``localhost`` or a loopback address), judged from its text:
    no name is looked up, so the check itself never reaches out. Only the plain name ``localhost``
    counts: ``x.localhost`` or ``localhost.`` may be sent to a DNS server when resolved."""
    import ipaddress

    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # a malformed [IPv6] host
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_reach(url: str, allow_remote: bool, doing: str = "sends a build to") -> None:
    """ketsugo works offline: it talks to another machine only when told to (QueryError, exit 2)."""
    if not allow_remote and not this_machine(url):
        raise QueryError(
            f"{url} is not this machine: ketsugo {doing} another host only with "
            "--allow-remote (from Python: allow_remote=True); a server on this machine (localhost, 127.0.0.1) needs nothing"
        )


def endpoint_opener(allow_remote: bool = False, doing: str = "queries") -> urllib.request.OpenerDirector:
    """A urllib opener that goes straight to a server on this machine, never through a proxy from
    the environment (``http_proxy``, ``HTTPS_PROXY``, …: a build or a query meant for this machine
    must not leave it); a remote host the user allowed (``allow_remote``) is reached the way the
    environment says, its proxy included, as a corporate network needs. A redirect is followed only
    to an http(s) URL that :func:`check_reach` allows too."""
    import urllib.request

    class RemoteOnlyProxy(urllib.request.ProxyHandler):
        def proxy_open(self, req: urllib.request.Request, proxy: str, type: str) -> Any:
            if this_machine(req.full_url):
                return None  # not handled here: the plain handler connects directly
            return super().proxy_open(req, proxy, type)

    class SameReach(urllib.request.HTTPRedirectHandler):
        def redirect_request(
            self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> urllib.request.Request | None:
            if urlsplit(newurl).scheme not in ("http", "https"):
                raise QueryError(f"{req.full_url} redirects to {newurl}: ketsugo follows only http(s) URLs")
            check_reach(newurl, allow_remote, f"{doing} (redirected by {req.full_url})")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    proxies = RemoteOnlyProxy() if allow_remote else urllib.request.ProxyHandler({})
    return urllib.request.build_opener(proxies, SameReach())


STORE_MODES = ("auto", "disk", "memory")
# Up to this size of graph.nq, `auto` loads the build into memory: on a small build, loading takes
# about as long as opening the on-disk store, and queries then run several times faster.
MEMORY_LOAD_LIMIT = 32 * 1024 * 1024


def damaged_build(build_dir: Path, what: str) -> Exception:
    """The error for a build directory that cannot be read (exit 2): say so, and how to rebuild."""
    from shlex import quote

    from ketsugo.errors import InputError, Issue

    return InputError(
        Issue(
            str(build_dir),
            0,
            "--store",
            f"the build directory is damaged ({what}): rebuild it with `ketsugo build --out {quote(str(build_dir))}`",
        )
    )


def _first_line(exc: BaseException) -> str:
    text = (exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def open_build(build_dir: Path, mode: str = "auto") -> ox.Store:
    """The store of a build directory: its on-disk pyoxigraph store (``store/``), or the same quads
    from ``graph.nq`` (written by the same build) loaded into an in-memory store.

    No build there: the InputError of :func:`ketsugo.store.disk.open_store`; a build that cannot be
    read (a damaged store or graph.nq): an InputError saying to rebuild.
    """
    import pyoxigraph as ox

    from ketsugo.store.builddir import recover
    from ketsugo.store.disk import NQUADS, STORE, open_store

    if mode not in STORE_MODES:
        raise QueryError(f"store mode must be one of {', '.join(STORE_MODES)}, not {mode!r}")
    recover(build_dir)  # a build killed while swapping directories: complete or undo it first
    nquads = build_dir / NQUADS
    in_memory = mode == "memory" or (
        mode == "auto" and nquads.is_file() and nquads.stat().st_size <= MEMORY_LOAD_LIMIT
    )
    if not in_memory:
        try:
            return open_store(build_dir)
        except (OSError, RuntimeError, ValueError) as exc:  # RocksDB: "Corruption: …", I/O errors
            raise damaged_build(build_dir, f"{STORE}/: {_first_line(exc)}") from None
    if not nquads.is_file():
        if not (build_dir / STORE).is_dir():
            open_store(build_dir)  # raises its "no ketsugo build here"
        raise damaged_build(build_dir, f"{NQUADS} is missing")
    store = ox.Store()
    try:
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        raise damaged_build(build_dir, f"{NQUADS}: {_first_line(exc)}") from None
    return store


class LocalBackend:
    """The built store; default graph = union of all graphs, or the union of ``default_graph``
    (e.g. one report's graph and the shared reference graphs: a query per report)."""

    description = "embedded store"

    def __init__(self, store: ox.Store, default_graph: Sequence[ox.NamedNode] | None = None) -> None:
        self.store = store
        self.default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            list(default_graph) if default_graph is not None else None
        )

    @classmethod
    def open(cls, build_dir: Path, mode: str = "auto") -> LocalBackend:
        """A build directory's store (see :func:`open_build`)."""
        return cls(open_build(build_dir, mode))

    def execute(self, text: str, bindings: Row | None = None, rows: Sequence[Row] | None = None) -> Any:
        import pyoxigraph as ox

        query_form(text)
        refuse_deep_nesting(text)
        if rows is not None:
            text = bind_by_values(text, rows)
        own_dataset = has_dataset_clause(text)  # FROM <g>: the query's dataset, not the union
        try:
            return self.store.query(
                text,
                use_default_graph_as_union=self.default_graph is None and not own_dataset,
                default_graph=None if own_dataset else self.default_graph,
                substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()} or None,
                prefixes=DEFAULT_PREFIXES,
            )
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc, text)) from None
        except RuntimeError as exc:
            raise QueryError(_first_line(exc)) from None


@dataclass(frozen=True)
class ReadSolutions:
    """An endpoint's SELECT answer, parsed once and read whole (pyoxigraph's QuerySolutions can be
    read only once, as they are parsed): its variables' names and its solutions."""

    variables: list[str]
    solutions: list[ox.QuerySolution]

    def __iter__(self) -> Iterator[ox.QuerySolution]:
        return iter(self.solutions)


class RemoteBackend:
    """A SPARQL 1.1 endpoint (query URL); requests made by SPARQLWrapper, sent by
    :func:`endpoint_opener`. Only on this machine unless ``allow_remote`` (refused here, before
    any request)."""

    def __init__(
        self,
        url: str,
        timeout: float = 60.0,
        default_graphs: Sequence[str] | None = None,
        *,
        allow_remote: bool = False,
    ) -> None:
        self.url = query_endpoint_url(url)
        check_reach(self.url, allow_remote, "queries")
        self.allow_remote = allow_remote
        self.timeout = timeout
        self._default_graphs = list(default_graphs) if default_graphs is not None else None
        self.description = f"endpoint {self.url}"

    def default_graphs(self) -> list[str]:
        """The ketsugo graphs on the endpoint (reports and reference), found once; [] if none."""
        if self._default_graphs is None:
            self._default_graphs = []
            found = self._request(
                prologue()
                + "SELECT DISTINCT ?g WHERE { { GRAPH ?g { ?r a kg:Report } } "
                + "UNION { GRAPH ?g { ?c a kg:DataItemCategory } } }",
                "SELECT",
                graphs=[],
            )
            self._default_graphs = sorted(s["g"].value for s in found if s["g"] is not None)
        return self._default_graphs

    def execute(self, text: str, bindings: Row | None = None, rows: Sequence[Row] | None = None) -> Any:
        form = query_form(text)
        refuse_deep_nesting(text)
        if rows is not None:
            text = bind_by_values(text, rows)
        full = prologue() + bind_by_values(text, bindings or {})
        # the protocol's default-graph-uri would override the query's own FROM
        graphs = [] if has_dataset_clause(text) else self.default_graphs()
        return self._request(full, form, graphs=graphs)

    def _request(self, text: str, form: str, graphs: list[str]) -> Any:
        import urllib.error

        import pyoxigraph as ox
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        from ketsugo import __version__

        wrapper = SPARQLWrapper(self.url, agent=f"ketsugo/{__version__}")
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setQuery(text)
        # SPARQLWrapper guesses the form from the first keyword-like text, comments and strings
        # included ("# adds up…" reads as ADD, an update): ketsugo knows it
        wrapper.queryType = form
        wrapper.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
        for graph in graphs:
            wrapper.addDefaultGraph(graph)
        # SPARQLWrapper makes the request (protocol, headers, body); ketsugo's opener sends it, as
        # SPARQLWrapper's own urlopen would go through a proxy from the environment
        request = wrapper._createRequest()
        opener = endpoint_opener(self.allow_remote, "queries")
        try:
            with opener.open(request, timeout=self.timeout or None) as response:
                body = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            detail = _short(Exception(exc.read(65536).decode("utf-8", "replace")))
            if exc.code == 400:
                raise QueryError(f"the endpoint rejected the query: {detail}") from None
            raise EndpointError(f"{self.url}: HTTP {exc.code} {exc.reason}: {detail}") from None
        except OSError as exc:  # URLError, timeouts
            raise EndpointError(f"{self.url}: {exc}") from None
        if len(body) > MAX_ANSWER_BYTES:
            raise EndpointError(
                f"{self.url}: the answer is larger than {MAX_ANSWER_BYTES:,} bytes: not read further "
                "(narrow the query, or add a LIMIT)"
            )
        if form in ("SELECT", "ASK"):
            try:
                results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                if isinstance(results, ox.QuerySolutions):
                    # read whole here, once: solutions are parsed as they are read, so a cut answer
                    # fails now (an EndpointError), not halfway through the caller's rows
                    return ReadSolutions([v.value for v in results.variables], list(results))
                return results
            except (SyntaxError, ValueError) as exc:
                raise EndpointError(f"{self.url}: unreadable SPARQL JSON results: {exc}") from None
        try:
            return [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(body, format=ox.RdfFormat.TURTLE)
            ]
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.url}: unreadable Turtle: {exc}") from None


# The largest answer read from an endpoint: a hostile or broken one streaming without end must not
# fill the memory before --timeout (or without one).
MAX_ANSWER_BYTES = 1024 * 1024 * 1024


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:500]


def query_endpoint_url(url: str) -> str:
    """A server root (``http://host:port`` or ``…/``) becomes Oxigraph's ``…/query``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"not an http(s) URL: {url!r}")
    if parts.path in ("", "/"):
        return urlunsplit((parts.scheme, parts.netloc, "/query", parts.query, ""))
    return url


# --------------------------------------------------------------------------------- running


def run(
    backend: LocalBackend | RemoteBackend,
    text: str,
    bindings: Row | None = None,
    rows: Sequence[Row] | None = None,
    *,
    allow_service: bool = False,
) -> Outcome:
    """Run a query and collect its result (rows, boolean or triples).

    ``bindings``: one value per variable, bound by the engine (locally) or a VALUES block
    (remotely); ``rows``: several rows of values, bound by a VALUES block on both backends.
    A SERVICE clause is refused unless ``allow_service`` (ketsugo never reaches out unasked).
    """
    import pyoxigraph as ox

    form = query_form(text)
    refuse_service(text, allow_service)
    result = backend.execute(text, bindings, rows)
    if isinstance(result, ox.QueryBoolean):
        return Outcome("ASK", boolean=bool(result))
    if isinstance(result, (ox.QuerySolutions, ReadSolutions)):
        variables = [v if isinstance(v, str) else v.value for v in result.variables]
        solutions = [[solution[v] for v in variables] for solution in result]
        return Outcome("SELECT", variables=variables, rows=solutions)
    return Outcome(form, triples=[t if isinstance(t, ox.Triple) else t.triple for t in result])
