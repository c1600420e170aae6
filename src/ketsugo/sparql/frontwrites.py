"""The writes of `ketsugo serve --writable`, applied by ketsugo itself, not by Oxigraph.

Oxigraph has no access control: a writable Oxigraph (`oxigraph serve`) takes updates on its port
from any program or user of the machine, past the front door's checks. So the Oxigraph process
behind the front door (ketsugo.sparql.gate) is always `serve-read-only`, and the front door
applies a write itself with pyoxigraph: it stops Oxigraph (a read-only opener beside a writer is
undefined behaviour in RocksDB), opens the store read-write, applies the write, closes the store
and starts Oxigraph again, which then answers from the written store.

What is written here, as Oxigraph's own server does it:

* ``POST /update``: a SPARQL Update (``application/sparql-update`` body, or an ``update=`` form
  field); 204. ``using-graph-uri`` / ``using-named-graph-uri`` are refused (400). Unlike
  Oxigraph's ``--union-default-graph``, the WHERE of an update reads the stored default graph:
  name the graphs (``GRAPH ?g { … }``).
* ``PUT``, ``POST``, ``DELETE`` on ``/store`` (SPARQL 1.1 Graph Store Protocol, ``?graph=IRI``,
  ``?default``, or neither for the whole dataset): PUT replaces, POST adds, DELETE drops;
  201 when a graph was created, 204 otherwise, 404 for a DELETE of a graph that is not there.
  A bad body (400) leaves the store as it was: pyoxigraph loads a body in one transaction, and
  a PUT reads its body through once before it clears the graph.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    import pyoxigraph as ox

UPDATE_PATH = "/update"
STORE_PATH = "/store"
_WRITE_METHODS = {"PUT", "POST", "DELETE"}


@dataclass(frozen=True)
class Answer:
    """What the front door sends back for a write."""

    status: int
    text: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def is_write(method: str, path_and_query: str) -> bool:
    """Whether a request changes the store (and so is applied by the front door, not Oxigraph)."""
    path = urlsplit(path_and_query).path.rstrip("/") or "/"
    return (path == UPDATE_PATH and method == "POST") or (path == STORE_PATH and method in _WRITE_METHODS)


def apply(
    store: ox.Store, method: str, path_and_query: str, content_type: str, body: bytes, base: str
) -> Answer:
    """Apply one write request to ``store``; ``base`` is the front door's URL (the base IRI)."""
    try:
        path = urlsplit(path_and_query).path.rstrip("/")
        params = parse_qs(urlsplit(path_and_query).query, keep_blank_values=True)
        if path == UPDATE_PATH:
            return _update(store, params, content_type, body, base)
        return _graph_store(store, method, params, content_type, body, base)
    except _Refused as refused:
        return Answer(refused.status, refused.text)
    except SyntaxError as exc:
        return Answer(400, f"{exc}")
    except OSError as exc:
        return Answer(500, f"the store could not be written: {exc}")


def _update(
    store: ox.Store, params: dict[str, list[str]], content_type: str, body: bytes, base: str
) -> Answer:
    kind = content_type.split(";")[0].strip().lower()
    texts = list(params.get("update", []))
    if kind == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        texts += form.get("update", [])
        params = {**params, **form}
    elif kind == "application/sparql-update":
        texts.append(body.decode("utf-8", "replace"))
    else:
        raise _Refused(415, "send the update as application/sparql-update or an update= form field")
    if any(key in params for key in ("using-graph-uri", "using-named-graph-uri")):
        raise _Refused(400, "ketsugo serve does not take using-graph-uri / using-named-graph-uri: use USING")
    if len(texts) != 1:
        raise _Refused(400, "send exactly one update")
    from ketsugo.sparql.text import LOAD_REFUSED, uses_load

    if uses_load(texts[0]):
        raise _Refused(403, LOAD_REFUSED)  # ketsugo never reaches out
    store.update(texts[0], base_iri=base + UPDATE_PATH)
    return Answer(204)


def _target(params: dict[str, list[str]]) -> ox.NamedNode | ox.DefaultGraph | None:
    """The graph a Graph Store request names (None: the whole dataset)."""
    import pyoxigraph as ox

    graphs = params.get("graph", [])
    if len(graphs) > 1 or (graphs and "default" in params):
        raise _Refused(400, "name one graph: ?graph=IRI or ?default")
    if "default" in params:
        return ox.DefaultGraph()
    if not graphs:
        return None
    try:
        return ox.NamedNode(graphs[0])
    except ValueError as exc:
        raise _Refused(400, f"graph {graphs[0]!r} is not an IRI: {exc}") from None


def _format(content_type: str, *, dataset: bool) -> ox.RdfFormat:
    """The body's RDF format, or 415 before anything is read."""
    import pyoxigraph as ox

    media = content_type.split(";")[0].strip().lower()
    rdf_format = ox.RdfFormat.from_media_type(media) if media else None
    if rdf_format is None:
        raise _Refused(415, f"not an RDF media type: {media or '(none)'}")
    if dataset and not rdf_format.supports_datasets:
        raise _Refused(415, f"the whole dataset needs a dataset format (N-Quads, TriG), not {media}")
    return rdf_format


def _bad_body(rdf_format: ox.RdfFormat, exc: Exception) -> _Refused:
    return _Refused(400, f"the body is not valid {rdf_format.media_type}: {exc}")


def _parse(body: bytes, rdf_format: ox.RdfFormat, base: str) -> Iterator[ox.Quad]:
    """The body's quads (triples in the default graph), read as they come; 400 on a bad body."""
    import pyoxigraph as ox

    try:
        yield from ox.parse(body, format=rdf_format, base_iri=base + STORE_PATH)
    except (SyntaxError, ValueError) as exc:
        raise _bad_body(rdf_format, exc) from None


def _load(
    store: ox.Store,
    body: bytes,
    rdf_format: ox.RdfFormat,
    base: str,
    target: ox.NamedNode | ox.DefaultGraph | None,
) -> None:
    """Add the body's quads to the store in one transaction (all or nothing), straight from the
    bytes: pyoxigraph parses and writes them without a Python object per quad (which took 4–8×
    the body's size). A dataset body sent to one graph has every quad moved there, as before."""
    import pyoxigraph as ox

    if target is not None and rdf_format.supports_datasets:
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in _parse(body, rdf_format, base)]
        store.extend(quads)
        return
    try:
        store.load(body, format=rdf_format, base_iri=base + STORE_PATH, to_graph=target)
    except (SyntaxError, ValueError) as exc:
        raise _bad_body(rdf_format, exc) from None


def _graph_store(
    store: ox.Store,
    method: str,
    params: dict[str, list[str]],
    content_type: str,
    body: bytes,
    base: str,
) -> Answer:
    import pyoxigraph as ox

    target = _target(params)
    if method == "DELETE":
        if target is None:
            store.clear()
        elif isinstance(target, ox.DefaultGraph):
            store.clear_graph(target)
        elif not store.contains_named_graph(target):
            raise _Refused(404, f"no graph {target}")
        else:
            store.remove_graph(target)
        return Answer(204)
    headers: dict[str, str] = {}
    if target is None and method == "POST":
        media = content_type.split(";")[0].strip().lower()
        known = ox.RdfFormat.from_media_type(media) if media else None
        if known is not None and not known.supports_datasets:  # a new graph, named here
            target = ox.NamedNode(f"{base}{STORE_PATH}/{uuid.uuid4().hex}")
            headers["Location"] = target.value
    rdf_format = _format(content_type, dataset=target is None)
    if method == "PUT":
        for _ in _parse(body, rdf_format, base):  # a bad body: 400 before the graph is cleared
            pass
    created = isinstance(target, ox.NamedNode) and not store.contains_named_graph(target)
    if method == "PUT":
        if target is None:
            store.clear()
        else:
            store.clear_graph(target)
    _load(store, body, rdf_format, base, target)
    if isinstance(target, ox.NamedNode):
        store.add_graph(target)  # an empty body still makes the graph
    return Answer(201 if created else 204, headers=headers)
