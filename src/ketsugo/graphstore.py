"""Pushing a build's graphs to a SPARQL 1.1 Graph Store (``ketsugo load``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from ketsugo.backends import EndpointError
from ketsugo.sparql_text import QueryError

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


@dataclass(frozen=True)
class LoadedGraph:
    graph: str
    triples: int
    status: int


def load_to_graph_store(store: ox.Store, url: str, timeout: float = 60.0) -> list[LoadedGraph]:
    """PUT every named graph of the store to a SPARQL 1.1 Graph Store endpoint (N-Triples).

    One request per graph (each report's graph and the reference graph), replacing what the
    endpoint held under that name. ``url`` is the Graph Store endpoint, or a server root /
    ``…/query`` URL, taken as Oxigraph's ``…/store``.
    """
    import urllib.error
    import urllib.request
    from urllib.parse import quote

    import pyoxigraph as ox

    from ketsugo import __version__

    target = graph_store_url(url)
    loaded = []
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        request = urllib.request.Request(
            f"{target}?graph={quote(graph.value, safe='')}",
            data=body,
            method="PUT",
            headers={"Content-Type": "application/n-triples", "User-Agent": f"ketsugo/{__version__}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:300]
            raise EndpointError(
                f"{target}: PUT of graph <{graph.value}> refused: HTTP {exc.code} {detail}"
            ) from None
        except OSError as exc:
            raise EndpointError(f"{target}: {exc}") from None
        loaded.append(LoadedGraph(graph.value, len(triples), status))
    return loaded
