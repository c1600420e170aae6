"""The whole RDF dataset of a build (`ketsugo export graph --format nquads|trig|jsonld`), streamed.

A build directory holds the dataset twice: the store and ``graph.nq`` (and ``graph.trig`` when
built with ``--trig``; kept telling the same story by `ketsugo build` and `ketsugo link`). The files
are copied as they are, in pieces: a national build's N-Quads are 1 GB, which the store's dump would
take ≈ 70 s to write (every term read back from RocksDB) and, held whole, gigabytes of memory. TriG
without graph.trig is made from graph.nq one named graph at a time: the same bytes `ketsugo build
--trig` writes (the build made them the same way, a graph at a time), at ≈ 12 ms CPU a report, which
a build no longer spends on every report. JSON-LD is made from graph.nq the same way, one named
graph at a time: each graph's expanded JSON-LD object (``{"@id": graph, "@graph": [...]}``) written
in turn inside one top-level array, so memory holds one report's graph, not the store's dump (a
national build's JSON-LD is ≈ 600 MB of text). Without the files (a store built in memory) the
store writes it.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ketsugo.prefixes import PREFIXES
from ketsugo.store.disk import NQUADS, TRIG, file_chunks, trig_chunk, write_trig, written

RDF_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
_FILES = {"nquads": NQUADS, "trig": TRIG}
PIECE_BYTES = 4 * 2**20


def dataset_text(store: ox.Store, fmt: str, build_dir: Path | None = None) -> Iterator[str]:
    """The dataset in ``fmt`` (a key of :data:`RDF_FORMATS`), in pieces: the build's own file for
    N-Quads and TriG when ``build_dir`` has it, else the store's dump."""
    name = _FILES.get(fmt)
    if build_dir is not None and name is not None and (build_dir / name).is_file():
        yield from file_pieces(build_dir / name)
        return
    if build_dir is not None and fmt == "trig" and (build_dir / NQUADS).is_file():
        yield from trig_pieces(build_dir / NQUADS)
        return
    if build_dir is not None and fmt == "jsonld" and (build_dir / NQUADS).is_file():
        yield from jsonld_pieces(build_dir / NQUADS)
        return
    prefixes = PREFIXES if fmt != "nquads" else None
    yield written(store.dump(format=RDF_FORMATS[fmt], prefixes=prefixes)).decode("utf-8")


def file_pieces(path: Path, size: int = PIECE_BYTES) -> Iterator[str]:
    """A UTF-8 text file in pieces of about ``size`` bytes, cut at line ends (never inside a character)."""
    return (piece.decode("utf-8") for piece in file_chunks(path, size))


# a graph of graph.nq held at once while it is turned into TriG; a larger one (one report of
# thousands of rows) goes through temporary files (write_trig streams)
GRAPH_HELD_BYTES = 64 * 2**20


def trig_pieces(nquads: Path) -> Iterator[str]:
    """graph.nq (each named graph's lines together) as TriG, in pieces: each graph converted on its
    own (trig_chunk), the prefixes declared once, at the top."""
    first = True
    for graph in graph_groups(nquads):
        made = trig_chunk(graph) if isinstance(graph, bytes) else _trig_of_file(graph)
        for chunk in [made] if isinstance(made, bytes) else made:
            while not first and chunk.startswith(b"@prefix"):
                chunk = chunk[chunk.index(b"\n") + 1 :]
            if chunk:
                first = False
                yield chunk.decode("utf-8")


def jsonld_pieces(nquads: Path) -> Iterator[str]:
    """graph.nq as one expanded JSON-LD document, in pieces: each graph of graph_groups serialized
    on its own by pyoxigraph (an array of one object per named graph, and of the default graph's
    nodes), its brackets taken off, the pieces joined by commas inside one array. Blank node labels
    are kept as written, so a node shared between graphs stays one node."""
    yield "["
    first = True
    for graph in graph_groups(nquads):
        source = graph if isinstance(graph, bytes) else graph.read_bytes()
        try:
            quads = ox.parse(source, format=ox.RdfFormat.N_QUADS, lenient=True)
            made = written(ox.serialize(quads, format=ox.RdfFormat.JSON_LD)).decode("utf-8").strip()
        finally:
            if isinstance(graph, Path):
                graph.unlink(missing_ok=True)
        body = made[1:-1]  # "[...]": the graph's objects without the array around them
        if body:
            yield body if first else "," + body
            first = False
    yield "]\n"


def _trig_of_file(nquads: Path) -> Iterator[bytes]:
    """The TriG of one large graph spooled to ``nquads`` (a temporary file, removed here), in pieces
    of whole lines."""
    trig = nquads.with_suffix(".trig")
    try:
        with nquads.open("rb") as source, trig.open("wb") as out:
            write_trig(source, out)
        yield from file_chunks(trig, PIECE_BYTES, end_line=True)
    finally:
        nquads.unlink(missing_ok=True)
        trig.unlink(missing_ok=True)


def _graph_of(line: bytes) -> bytes:
    """The graph term of an N-Quads line (``S P O G .``): the token before the final dot."""
    return line.rstrip(b" .\n").rsplit(b" ", 1)[-1]


def _ended(spool: IO[bytes] | None, held: list[bytes]) -> Iterator[bytes | Path]:
    """A graph's lines once its last one is read: its spooled file (closed), else its bytes."""
    if spool is not None:
        spool.close()
        yield Path(spool.name)
    elif held:
        yield b"".join(held)


def graph_groups(nquads: Path) -> Iterator[bytes | Path]:
    """The lines of ``nquads`` one graph at a time (a graph's lines stand together in graph.nq): its
    bytes, or a temporary file holding them when it passes GRAPH_HELD_BYTES."""
    held: list[bytes] = []
    size = 0
    spool: IO[bytes] | None = None
    current: bytes | None = None
    try:
        for block in file_chunks(nquads, PIECE_BYTES, end_line=True):
            first = block[: block.index(b"\n") + 1]
            last = block[block.rfind(b"\n", 0, len(block) - 1) + 1 :]
            whole = _graph_of(first) == current == _graph_of(last)  # the block is all of one graph
            for line in [block] if whole else io.BytesIO(block):  # split at b"\\n" only
                graph = current if whole else _graph_of(line)
                if graph != current:
                    yield from _ended(spool, held)
                    spool, held, size, current = None, [], 0, graph
                if spool is not None:
                    spool.write(line)
                    continue
                held.append(line)
                size += len(line)
                if size > GRAPH_HELD_BYTES:
                    spool = tempfile.NamedTemporaryFile(suffix=".nq", delete=False)  # noqa: SIM115
                    spool.writelines(held)
                    held, size = [], 0
        yield from _ended(spool, held)
        spool = None
    finally:
        if spool is not None:
            spool.close()
            Path(spool.name).unlink(missing_ok=True)
