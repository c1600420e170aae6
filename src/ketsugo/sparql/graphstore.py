"""Pushing a build's graphs to a SPARQL server (``ketsugo load``).

Two ways, both replacing what the server held under each graph's name:

* one request per graph (the default, plain SPARQL 1.1 Graph Store Protocol): ``PUT
  …/store?graph=G`` with the graph as N-Triples — any Graph Store endpoint accepts it;
* in bulk (``bulk=True``): one SPARQL Update ``DROP SILENT GRAPH …`` for all the graphs, then the
  quads as N-Quads in a few large ``POST …/store`` requests (about :data:`CHUNK_BYTES` each,
  whole graphs per request). A dataset body on the Graph Store endpoint and the ``…/update``
  endpoint beside it are what Oxigraph offers; a national
  build then goes in a handful of requests instead of one per report. The POSTs carry Oxigraph's
  ``no_transaction`` flag (its bulk loader: about 4× faster on 100 reports); a bulk load that
  fails half-way leaves part of the graphs: run it again (it drops them first).

Memory stays bounded: one graph (or one chunk) is serialised at a time, read from the store by
its graph name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from ketsugo.sparql.backends import EndpointError, check_reach, endpoint_opener
from ketsugo.sparql.backends import this_machine as this_machine  # where `ketsugo load` first had it
from ketsugo.sparql.text import QueryError

if TYPE_CHECKING:
    import pyoxigraph as ox


def graph_store_url(url: str) -> str:
    """A server root or its ``/query`` URL becomes Oxigraph's Graph Store endpoint ``…/store``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"not an http(s) URL: {url!r}")
    path = parts.path
    if path in ("", "/"):
        path = "/store"
    elif path.endswith("/query") or path.endswith("/sparql"):
        path = path.rsplit("/", 1)[0] + "/store"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


CHUNK_BYTES = 32 * 1024 * 1024  # N-Quads per bulk request (whole graphs; one graph may exceed it)
DROP_PER_UPDATE = 1000  # graphs dropped by one SPARQL Update request


def update_url(url: str) -> str:
    """The SPARQL Update endpoint beside a Graph Store endpoint (``…/store`` → ``…/update``)."""
    target = graph_store_url(url)
    parts = urlsplit(target)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rsplit("/", 1)[0] + "/update", "", ""))


@dataclass(frozen=True)
class LoadedGraph:
    graph: str
    triples: int
    status: int
    request: int = 0  # which request carried it (1, 2, …), counting the DROP of a bulk load


def _graphs(store: ox.Store) -> list[ox.NamedNode]:
    import pyoxigraph as ox

    return sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)


def _send(
    url: str, body: bytes, method: str, content_type: str, timeout: float, what: str, allow_remote: bool
) -> int:
    """One HTTP request; its status, or an EndpointError saying what was refused and why."""
    import urllib.error
    import urllib.request

    from ketsugo import __version__

    request = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={"Content-Type": content_type, "User-Agent": f"ketsugo/{__version__}"},
    )
    # no proxy from the environment: the request goes to the host named, and only there
    opener = endpoint_opener(allow_remote, "sends a build to")
    try:
        with opener.open(request, timeout=timeout) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        raise EndpointError(f"{url}: {what} refused: HTTP {exc.code} {detail}") from None
    except OSError as exc:
        raise EndpointError(f"{url}: {what}: {exc}") from None


def load_to_graph_store(
    store: ox.Store,
    url: str,
    timeout: float = 60.0,
    *,
    bulk: bool = False,
    chunk_bytes: int = CHUNK_BYTES,
    allow_remote: bool = False,
) -> list[LoadedGraph]:
    """Send every named graph of the store (each report's graph and the reference graph) to a
    SPARQL server, replacing what it held under that name: one PUT per graph, or in bulk.

    ``url`` is the Graph Store endpoint, or a server root / ``…/query`` URL, taken as Oxigraph's
    ``…/store``. Only a server on this machine, unless ``allow_remote``.
    """
    graph_store_url(url)  # an http(s) URL, before anything else is said of it
    check_reach(url, allow_remote)
    if bulk:
        return _load_in_bulk(store, url, timeout, chunk_bytes, allow_remote)
    from urllib.parse import quote

    import pyoxigraph as ox

    target = graph_store_url(url)
    loaded = []
    for number, graph in enumerate(_graphs(store), start=1):
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        status = _send(
            f"{target}?graph={quote(graph.value, safe='')}",
            body,
            "PUT",
            "application/n-triples",
            timeout,
            f"PUT of graph <{graph.value}>",
            allow_remote,
        )
        loaded.append(LoadedGraph(graph.value, len(triples), status, number))
    return loaded


def _chunks(
    store: ox.Store, graphs: list[ox.NamedNode], chunk_bytes: int
) -> Iterator[tuple[bytes, list[tuple[str, int]]]]:
    """N-Quads of whole graphs, about ``chunk_bytes`` at a time, with the graphs (and sizes) each holds."""
    import pyoxigraph as ox

    parts: list[bytes] = []
    held: list[tuple[str, int]] = []
    size = 0
    for graph in graphs:
        quads = list(store.quads_for_pattern(None, None, None, graph))
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        parts.append(data)
        held.append((graph.value, len(quads)))
        size += len(data)
        if size >= chunk_bytes:
            yield b"".join(parts), held
            parts, held, size = [], [], 0
    if held:
        yield b"".join(parts), held


def _load_in_bulk(
    store: ox.Store, url: str, timeout: float, chunk_bytes: int, allow_remote: bool
) -> list[LoadedGraph]:
    target = graph_store_url(url)
    graphs = _graphs(store)
    requests = 0
    for start in range(0, len(graphs), DROP_PER_UPDATE):
        # IRIs from the store: pyoxigraph's NamedNode is a valid IRI, written in its N-Triples form
        drops = " ;\n".join(f"DROP SILENT GRAPH {g}" for g in graphs[start : start + DROP_PER_UPDATE])
        requests += 1
        _send(
            update_url(url), drops.encode("utf-8"), "POST", "application/sparql-update", timeout,
            "SPARQL Update (DROP SILENT GRAPH before the bulk load)", allow_remote,
        )  # fmt: skip
    loaded = []
    for body, held in _chunks(store, graphs, chunk_bytes):
        requests += 1
        status = _send(
            target + "?no_transaction", body, "POST", "application/n-quads", timeout,
            f"POST of {len(held)} graphs as N-Quads (bulk load)", allow_remote,
        )  # fmt: skip
        loaded += [LoadedGraph(graph, quads, status, requests) for graph, quads in held]
    return loaded
