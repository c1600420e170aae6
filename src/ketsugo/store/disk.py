"""Writing a build directory atomically, and opening its pyoxigraph store.

A build directory holds `graph.nq` (sorted N-Quads), `graph.trig`, `store/` (the
pyoxigraph on-disk store later commands open) and `build.json` (what was built and
what could not be linked). It is written beside the target and swapped in at the
end, so a failed build leaves the previous directory untouched and no partial files
(ketsugo.store.builddir: ownership, lock and swap; re-exported here).

`BuildWriter` writes a build as a stream: graph.nq and graph.trig grow one report graph at a
time (each graph's lines sorted, graphs in the order the reports were given, so the same
reports give the same bytes), and the store is bulk-loaded as the graphs arrive: the N-Quads also
go to segment files of up to `LOAD_SEGMENT_BYTES` in the build's folder (smaller towards the end
of a build that says how many graphs are coming, so little is left to load after its last report),
each loaded by one ``bulk_load(path=…)`` (Rust reads the file: no Python bytes held, its memory
bounded by its own batches) while the next is written. Nothing holds the whole corpus in memory. The bulk loads run on
a thread of their own (pyoxigraph lets go of the GIL while it loads), so the store fills while the
next reports are still being read; at most one segment waits for it. A graph too large to hold (one
report of thousands of rows) is given in pieces: its N-Quads and TriG are written a piece at a time.
"""

from __future__ import annotations

import json
import queue
import threading
import time
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

        quads = stable_blank_nodes(to_quads([(REFERENCE_GRAPH, ref.graph)]))
        _REFERENCE_NQ.update(key=key, bytes=sorted_nquads(quads))
    made: bytes = _REFERENCE_NQ["bytes"]
    return made


_REFERENCE_NQ: dict[str, Any] = {}  # key: id of the reference graph; bytes: its N-Quads


def stable_blank_nodes(quads: list[ox.Quad], rounds: int = 4) -> list[ox.Quad]:
    """The quads with each blank node named by what is said about it (b1, b2, … in the order of what
    its quads say), not by the parser's random label: the same graph then gives the same bytes in
    every process (the reference graph's [ … ] nodes: imi:ID, its 体系). What is said about a node
    takes in what is said about the blank nodes next to it, ``rounds`` steps away (a few nestings)."""
    import hashlib

    blanks = {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    if not blanks:
        return quads
    signature = dict.fromkeys(blanks, "")
    for _ in range(rounds):

        def shown(term: Any, this: str, signature: dict[str, str] = signature) -> str:
            if isinstance(term, ox.BlankNode):
                return "_:self" if term.value == this else f"_:{signature[term.value]}"
            return str(term)

        said: dict[str, list[str]] = {label: [] for label in blanks}
        for quad in quads:
            for term in {t.value for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)}:
                said[term].append(
                    " ".join(
                        shown(t, term) for t in (quad.subject, quad.predicate, quad.object, quad.graph_name)
                    )
                )
        signature = {
            label: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
            for label, lines in said.items()
        }
    order = sorted(blanks, key=lambda label: signature[label])
    names = {label: ox.BlankNode(f"b{n}") for n, label in enumerate(order, start=1)}

    def renamed(term: Any) -> Any:
        return names[term.value] if isinstance(term, ox.BlankNode) else term

    return [ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), q.graph_name) for q in quads]


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


def file_chunks(path: str | Path, size: int = READ_BYTES, *, end_line: bool = False) -> Iterator[bytes]:
    """A file's bytes in pieces of about ``size`` bytes, cut at line ends; with ``end_line`` an
    unterminated last line is given its line end (every piece then ends with one)."""
    with open(path, "rb") as handle:
        rest = b""
        while block := handle.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest + b"\n" if end_line else rest


# The store is bulk-loaded from files of about this many N-Quads bytes ("segments", in the build's
# own folder), each by one bulk_load(path=…) on the loader thread while the next is written. One
# call per segment: each call commits (its sorted files are ingested), and RocksDB then merges what
# overlaps what is there — 64 MB batches of bytes (16 calls at national scale) cost 180 s of CPU
# where one call cost 137 s (measured on a shared machine). The loader reads a file in Rust, holding
# no Python bytes, and its memory is bounded by its own batches of 1 M quads (≈ 1 GB for a segment of
# this size; one call for the whole national graph.nq took 1.7 GB).
LOAD_SEGMENT_BYTES = 256 * 2**20
# When the build says how many graphs are coming (``BuildWriter(expected_graphs=…)``), a segment is
# handed over once it holds half of what is still to come (itself included; projected from the bytes
# per graph so far), between these bounds: a build smaller than a segment starts loading while its
# reports are still being read (400 reports, 239 MB, were loaded whole after the last report), and
# the segments shrink towards the end, so the last one — loaded after every report is read, when
# nothing else runs beside it — is a few megabytes, not up to 256 (it was 245 MB nationally). Four
# segments instead of one cost the same loader CPU on 1.2 M quads (measured, eleventh session).
LOAD_MIN_SEGMENT_BYTES = 16 * 2**20
# ... and nothing is handed to the loader (nor the store opened) before this many bytes are held: a
# build starts its worker processes after its first graph (the reference graph), and a RocksDB
# store is not to be forked
LOAD_START_BYTES = 16 * 2**20
_LOADING = ".loading"  # the segments' folder inside the build directory (gone before it is swapped in)


class BuildWriter:
    """A build directory written one graph at a time (see the module docstring); ``out=None`` counts only.

    Use as a context manager: ``add`` each graph's N-Quads (and TriG), then ``finish`` with the
    manifest; an exception before ``finish`` leaves no partial build."""

    def __init__(self, out: Path | None, *, trig: bool = True, expected_graphs: int | None = None):
        self.out = out
        self.trig = trig
        # how many graphs the build will add (None: unknown, segments of LOAD_SEGMENT_BYTES)
        self.expected_graphs = expected_graphs
        self._graphs = 0  # graphs added so far
        self._bytes = 0  # their N-Quads bytes
        # seconds spent, for the benchmark: bulk loads (wall, on the loader thread), optimize (wall)
        self.timings: dict[str, float] = {"load": 0.0, "optimize": 0.0, "waiting_for_loader": 0.0}
        self._stack = ExitStack()
        self._work: Path | None = None
        self._nq: IO[bytes] | None = None
        self._trig: IO[bytes] | None = None
        self._trig_started = False
        self._store: ox.Store | None = None
        self._held: list[bytes] = []  # before the loader starts (LOAD_START_BYTES)
        self._held_bytes = 0
        self._segment: IO[bytes] | None = None
        self._segment_bytes = 0
        self._segments = 0
        self._loads: queue.Queue[Path | None] = queue.Queue(maxsize=1)
        self._loader: threading.Thread | None = None
        self._load_error: BaseException | None = None
        self._abandoned = False  # the build failed: segments still queued are not loaded

    def __enter__(self) -> BuildWriter:
        if self.out is not None:
            self._work = self._stack.enter_context(atomic_directory(self.out))
            self._nq = self._stack.enter_context((self._work / NQUADS).open("wb"))
            if self.trig:
                self._trig = self._stack.enter_context((self._work / TRIG).open("wb"))
        return self

    def __exit__(self, *exc_info: Any) -> bool:
        self._abandoned = exc_info[0] is not None
        if self._segment is not None:
            self._segment.close()
            self._segment = None
        self._stop_loader()
        self._store = None  # closed before the directory is swapped in or removed
        return bool(self._stack.__exit__(*exc_info))

    def _load(self) -> None:
        """The loader thread: bulk-load each segment handed over, until None, removing each once
        loaded. The store is opened at the first segment, after the pipeline has started its worker
        processes (a RocksDB store is not to be forked)."""
        assert self._work is not None
        while (segment := self._loads.get()) is not None:
            try:
                if self._load_error is None and not self._abandoned:
                    if self._store is None:
                        self._store = ox.Store(str(self._work / STORE))
                    started = time.perf_counter()
                    # lenient: the lines are ketsugo's own (terms.term / literal_text checked each
                    # IRI when it was written), so the loader need not validate them again
                    self._store.bulk_load(path=str(segment), format=ox.RdfFormat.N_QUADS, lenient=True)
                    self.timings["load"] += time.perf_counter() - started
            except BaseException as exc:  # handed to the main thread
                self._load_error = exc
            finally:
                segment.unlink(missing_ok=True)

    def _raise_load_error(self) -> None:
        if self._load_error is not None:
            raise self._load_error

    def _to_store(self, chunk: bytes) -> None:
        """Append whole lines to the segment being written (held in memory until the loader starts)."""
        if not self._segments and self._held_bytes + len(chunk) < LOAD_START_BYTES:
            self._held.append(chunk)
            self._held_bytes += len(chunk)
            return
        self._raise_load_error()
        if self._segment is None:
            self._open_segment()
        assert self._segment is not None
        self._segment.write(chunk)
        self._segment_bytes += len(chunk)
        if self._segment_bytes >= LOAD_SEGMENT_BYTES:  # a graph larger than a segment, given in pieces
            self._hand_over()

    def _segment_target(self) -> int:
        """Bytes at which the segment being written is handed over (see LOAD_MIN_SEGMENT_BYTES)."""
        if not self.expected_graphs or not self._graphs:
            return LOAD_SEGMENT_BYTES
        to_come = max(0, self.expected_graphs - self._graphs) * self._bytes / self._graphs
        half = int((self._segment_bytes + to_come) / 2)
        return min(LOAD_SEGMENT_BYTES, max(LOAD_MIN_SEGMENT_BYTES, half))

    def _open_segment(self) -> None:
        assert self._work is not None
        folder = self._work / _LOADING
        folder.mkdir(exist_ok=True)
        self._segments += 1
        self._segment = (folder / f"{self._segments:05}.nq").open("wb")
        self._segment_bytes = 0
        held, self._held, self._held_bytes = self._held, [], 0
        self._segment.writelines(held)
        self._segment_bytes += sum(map(len, held))

    def _hand_over(self) -> None:
        """Hand the segment written so far to the loader thread (waits while it is one behind)."""
        if self._segment is None:
            return
        self._segment.close()
        name = Path(self._segment.name)
        self._segment = None
        if self._loader is None:
            self._loader = threading.Thread(target=self._load, name="ketsugo-store-loader", daemon=True)
            self._loader.start()
        started = time.perf_counter()
        self._loads.put(name)
        self.timings["waiting_for_loader"] += time.perf_counter() - started

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
        for chunk in [nquads] if isinstance(nquads, bytes) else nquads:
            count += chunk.count(b"\n")
            self._bytes += len(chunk)
            if self._nq is None:
                continue
            self._nq.write(chunk)
            self._to_store(chunk)
        self._graphs += 1
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
        # between graphs, the segment is handed over at its target (see LOAD_MIN_SEGMENT_BYTES)
        if self._segment is not None and self._segment_bytes >= self._segment_target():
            self._hand_over()
        return count

    def finish(self, manifest: dict[str, Any], describe: Callable[[ox.Store], bytes] | None = None) -> None:
        """Close the files, load the last segment, optimise the store, write build.json (and, with
        ``describe``, the dataset's description made from the store: DESCRIPTION)."""
        if self._work is None:
            return
        for handle in (self._nq, self._trig):
            if handle is not None:
                handle.close()
        if self._held:  # a small build: all of it held until now
            assert self._segment is None
            self._open_segment()
        self._hand_over()
        self._stop_loader()
        self._raise_load_error()
        if (self._work / _LOADING).exists():
            (self._work / _LOADING).rmdir()  # each segment is removed once loaded
        if self._store is None:  # nothing at all to load
            self._store = ox.Store(str(self._work / STORE))
        if describe is not None:
            (self._work / DESCRIPTION).write_bytes(describe(self._store))
        started = time.perf_counter()
        self._store.optimize()
        self.timings["optimize"] = time.perf_counter() - started
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
