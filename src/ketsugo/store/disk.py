"""Writing a build directory atomically, and opening its pyoxigraph store.

A build directory holds `graph.nq` (sorted N-Quads), `graph.trig`, `store/` (the
pyoxigraph on-disk store later commands open) and `build.json` (what was built and
what could not be linked). It is written beside the target and swapped in at the
end, so a failed build leaves the previous directory untouched and no partial files
(ketsugo.store.builddir: ownership, lock and swap; re-exported here).

`BuildWriter` writes a build as a stream: graph.nq and graph.trig grow one report graph at a
time (each graph's lines sorted, graphs in the order the reports were given, so the same
reports give the same bytes), and the store is bulk-loaded as the graphs arrive, in batches of
`LOAD_BATCH_BYTES`. Nothing holds the whole corpus in memory: one bulk load of a whole national
graph.nq grew to several GB (1.3 GB at 400 reports), batches keep the loader at a few hundred MB.
The bulk loads run on a thread of their own (pyoxigraph lets go of the GIL while it loads), so the
store fills while the next reports are still being read; at most one batch waits for it. A graph
too large to hold (one report of thousands of rows) is given in pieces: its N-Quads and TriG are
written, and its quads loaded in smaller batches, a piece at a time.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from ketsugo.prefixes import PREFIXES
from ketsugo.store.builddir import atomic_directory, open_store

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

    from ketsugo.graph.reference import Reference

STORE = "store"
NQUADS = "graph.nq"
TRIG = "graph.trig"
MANIFEST = "build.json"
DESCRIPTION = "dataset.ttl"  # DCAT/VoID description of the build (ketsugo.export.link.dcat)

__all__ = [
    "MANIFEST",
    "NQUADS",
    "STORE",
    "TRIG",
    "atomic_directory",
    "open_store",
    "solutions",
    "sorted_nquads",
    "to_quads",
    "write_build",
    "written",
]


def written(data: bytes | None) -> bytes:
    """What pyoxigraph's ``serialize()`` / ``Store.dump()`` return when given no output: the
    bytes (their ``None`` is only for a call that wrote to a file)."""
    if data is None:
        raise TypeError("pyoxigraph returned no bytes: it was given an output to write to")
    return data


def solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """A SELECT query's rows: ``Store.query()`` is typed for every query form, a SELECT gives rows."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"not a SELECT query's result: {type(result).__name__}")
    return result


def to_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as a pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_subject(term: Node) -> ox.NamedNode | ox.BlankNode:
    """One rdflib subject as a pyoxigraph term (a literal is no subject)."""
    found = to_term(term)
    if isinstance(found, ox.Literal):
        raise TypeError(f"a literal cannot be a subject: {term!r}")
    return found


def to_predicate(term: Node) -> ox.NamedNode:
    """One rdflib predicate as a pyoxigraph named node."""
    found = to_term(term)
    if not isinstance(found, ox.NamedNode):
        raise TypeError(f"a predicate is an IRI: {term!r}")
    return found


def to_quads(graphs: Iterable[tuple[URIRef, Graph]]) -> list[ox.Quad]:
    """rdflib graphs → pyoxigraph quads, each graph under its IRI (faster than an rdflib Dataset)."""
    quads: list[ox.Quad] = []
    for iri, graph in graphs:
        name = ox.NamedNode(str(iri))
        quads.extend(ox.Quad(to_subject(s), to_predicate(p), to_term(o), name) for s, p, o in graph)
    return quads


def shared_quads(graph: Graph, name: str | None = None) -> list[ox.Quad]:
    """The quads of a graph many validations share (the reference graph), converted once per
    process: each conversion cost ~0.1 s, once per report validated. Kept while the graph is the
    same object of the same size (the graph is held, so its id is not reused)."""
    key = (id(graph), len(graph), name)
    found = _SHARED_QUADS.get(key)
    if found is None:
        from rdflib import URIRef

        quads = (
            to_quads([(URIRef(name), graph)])
            if name is not None
            else [ox.Quad(to_subject(s), to_predicate(p), to_term(o)) for s, p, o in graph]
        )
        if len(_SHARED_QUADS) >= 8:
            _SHARED_QUADS.clear()
        found = _SHARED_QUADS[key] = (graph, quads)
    return found[1]


_SHARED_QUADS: dict[tuple[int, int, str | None], tuple[Graph, list[ox.Quad]]] = {}


def sorted_nquads(quads: list[ox.Quad]) -> bytes:
    """N-Quads with lines sorted, so the same graph gives the same bytes (blank nodes aside)."""
    text = written(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)).decode("utf-8")
    # split("\n"), not splitlines(): U+2028 and the like may stand inside a literal
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def reference_nquads(ref: Reference) -> bytes:
    """The reference graph (ontology + registries) as sorted N-Quads; made once per process."""
    key = id(ref.graph)
    if _REFERENCE_NQ.get("key") != key:
        from ketsugo.graph.vocab import REFERENCE_GRAPH

        _REFERENCE_NQ.update(key=key, bytes=sorted_nquads(to_quads([(REFERENCE_GRAPH, ref.graph)])))
    made: bytes = _REFERENCE_NQ["bytes"]
    return made


_REFERENCE_NQ: dict[str, Any] = {}  # key: id of the reference graph; bytes: its N-Quads


def trig_chunk(nquads: bytes) -> bytes:
    """One graph's sorted N-Quads as TriG (lines sorted by subject: the serializer groups them)."""
    if not nquads:
        return b""
    return written(
        ox.serialize(
            ox.parse(nquads, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=PREFIXES
        )
    )


def write_trig(nquads: IO[bytes], output: IO[bytes]) -> None:
    """``trig_chunk`` of a graph too large to hold: its sorted N-Quads read from a file, the TriG
    written to ``output`` as it is made (the serializer streams; the bytes are trig_chunk's)."""
    ox.serialize(ox.parse(nquads, format=ox.RdfFormat.N_QUADS), output, ox.RdfFormat.TRIG, prefixes=PREFIXES)


# bytes read from a file at a time when a large graph's files are copied into the build
READ_BYTES = 4 * 2**20


def file_chunks(path: str | Path, size: int = READ_BYTES) -> Iterator[bytes]:
    """A file's bytes in pieces of about ``size`` bytes, cut at line ends."""
    with open(path, "rb") as handle:
        rest = b""
        while block := handle.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest


# N-Quads bytes handed to the store's bulk loader at a time (≈ 350 k quads; the loader peaks at
# ≈ 4× its input). Fewer, larger batches load faster and leave less for optimize() to merge (one
# batch: nothing), smaller ones bound memory: 128 MB took a national build's main process to
# 2.2 GB, 64 MB keeps it near 1.3 GB.
LOAD_BATCH_BYTES = 64 * 2**20
# ... and for a graph given in pieces (one report too large to hold, ketsugo.graph.quadlines): its
# build is bounded by its records and lines held, so the loader (≈ 8× a batch in RSS: 64 MB took an
# 8,000-row build from 230 MB to 760 MB) would set its peak; smaller batches keep it near 350 MB
STREAM_LOAD_BATCH_BYTES = 16 * 2**20


def _pieces(nquads: bytes, size: int) -> Iterator[bytes]:
    """``nquads`` in pieces of about ``size`` bytes, cut at line ends (the bulk loader peaks at ≈ 4×
    what it is given at once: a report of 8,000 rows is ≈ 350 MB of N-Quads)."""
    start = 0
    while len(nquads) - start > size:
        cut = nquads.find(b"\n", start + size) + 1
        if cut <= 0:
            break
        yield nquads[start:cut]
        start = cut
    if start < len(nquads):
        yield nquads[start:]


class BuildWriter:
    """A build directory written one graph at a time (see the module docstring); ``out=None`` counts only.

    Use as a context manager: ``add`` each graph's N-Quads (and TriG), then ``finish`` with the
    manifest; an exception before ``finish`` leaves no partial build."""

    def __init__(self, out: Path | None, *, trig: bool = True):
        self.out = out
        self.trig = trig
        self._stack = ExitStack()
        self._work: Path | None = None
        self._nq: IO[bytes] | None = None
        self._trig: IO[bytes] | None = None
        self._trig_started = False
        self._store: ox.Store | None = None
        self._batch: list[bytes] = []
        self._batch_bytes = 0
        self._loads: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self._loader: threading.Thread | None = None
        self._load_error: BaseException | None = None
        self._abandoned = False  # the build failed: batches still queued are not loaded

    def __enter__(self) -> BuildWriter:
        if self.out is not None:
            self._work = self._stack.enter_context(atomic_directory(self.out))
            self._nq = self._stack.enter_context((self._work / NQUADS).open("wb"))
            if self.trig:
                self._trig = self._stack.enter_context((self._work / TRIG).open("wb"))
        return self

    def __exit__(self, *exc_info: Any) -> bool:
        self._abandoned = exc_info[0] is not None
        self._stop_loader()
        self._store = None  # closed before the directory is swapped in or removed
        return bool(self._stack.__exit__(*exc_info))

    def _load(self) -> None:
        """The loader thread: bulk-load each batch handed over, until None. The store is opened at
        the first batch, after the pipeline has started its worker processes (a RocksDB store is not
        to be forked)."""
        assert self._work is not None
        while (batch := self._loads.get()) is not None:
            if self._load_error is not None or self._abandoned:
                continue  # drain: the main thread raises the error, or has given up
            try:
                if self._store is None:
                    self._store = ox.Store(str(self._work / STORE))
                self._store.bulk_load(batch, format=ox.RdfFormat.N_QUADS)
            except BaseException as exc:  # handed to the main thread
                self._load_error = exc

    def _raise_load_error(self) -> None:
        if self._load_error is not None:
            raise self._load_error

    def _load_batch(self) -> None:
        """Hand the graphs gathered so far to the loader thread (waits while it is a batch behind)."""
        self._raise_load_error()
        if not self._batch or self._work is None:
            return
        if self._loader is None:
            self._loader = threading.Thread(target=self._load, name="ketsugo-store-loader", daemon=True)
            self._loader.start()
        batch = b"".join(self._batch)
        self._batch, self._batch_bytes = [], 0  # the pieces go before waiting for the loader: one copy held
        self._loads.put(batch)

    def _stop_loader(self) -> None:
        """Let the loader finish what it was given and end (also after an error in the main thread)."""
        if self._loader is not None:
            self._loads.put(None)
            self._loader.join()
            self._loader = None

    def add(self, nquads: bytes | Iterable[bytes], trig: bytes | Iterable[bytes]) -> int:
        """Append one graph: its N-Quads and TriG as bytes, or in pieces cut at line ends (a large
        report's graph, never held whole); returns its number of quads."""
        count = 0
        limit = LOAD_BATCH_BYTES if isinstance(nquads, bytes) else STREAM_LOAD_BATCH_BYTES
        for chunk in [nquads] if isinstance(nquads, bytes) else nquads:
            count += chunk.count(b"\n")
            if self._nq is None:
                continue
            self._nq.write(chunk)
            for piece in _pieces(chunk, limit):  # one large report: several batches
                self._batch.append(piece)
                self._batch_bytes += len(piece)
                if self._batch_bytes >= limit:
                    self._load_batch()
        if self._trig is not None:
            stripping = self._trig_started  # the prefixes are declared once, at the top
            for chunk in [trig] if isinstance(trig, bytes) else trig:
                while stripping and chunk.startswith(b"@prefix"):
                    chunk = chunk[chunk.index(b"\n") + 1 :]
                if not chunk:
                    continue
                stripping = False
                self._trig.write(chunk)
                self._trig_started = True
        return count

    def finish(self, manifest: dict[str, Any], describe: Callable[[ox.Store], bytes] | None = None) -> None:
        """Close the files, load the last batch, optimise the store, write build.json (and, with
        ``describe``, the dataset's description made from the store: DESCRIPTION)."""
        if self._work is None:
            return
        for handle in (self._nq, self._trig):
            if handle is not None:
                handle.close()
        self._load_batch()
        self._stop_loader()
        self._raise_load_error()
        if self._store is None:  # nothing at all to load
            self._store = ox.Store(str(self._work / STORE))
        if describe is not None:
            (self._work / DESCRIPTION).write_bytes(describe(self._store))
        self._store.optimize()
        self._store.flush()
        self._store = None
        # errors: a file name that is not UTF-8 (surrogates) is written as a JSON \udcXX escape
        (self._work / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
            errors="backslashreplace",
        )


def write_build(quads: list[ox.Quad], manifest: dict[str, Any], out: Path) -> None:
    """All quads at once (small builds, benchmarks); `BuildWriter` streams."""
    with atomic_directory(out) as work:
        (work / NQUADS).write_bytes(sorted_nquads(quads))
        grouped = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate)))
        (work / TRIG).write_bytes(written(ox.serialize(grouped, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)))
        store = ox.Store(str(work / STORE))
        store.bulk_extend(quads)
        store.optimize()
        store.flush()
        del store
        (work / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
