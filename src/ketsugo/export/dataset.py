"""The whole RDF dataset of a build (`ketsugo export graph --format nquads|trig|jsonld`), streamed.

A build directory holds the dataset three times: the store, ``graph.nq`` and ``graph.trig`` (kept
telling the same story by `ketsugo build` and `ketsugo link`). The files are copied as they are,
in pieces: a national build's N-Quads are 1 GB, which the store's dump would take ≈ 70 s to write
(every term read back from RocksDB) and, held whole, gigabytes of memory. Without the file (a
store built in memory, a build made with ``--no-trig``, JSON-LD) the store writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ketsugo.prefixes import PREFIXES
from ketsugo.store.disk import NQUADS, TRIG, written

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
    prefixes = PREFIXES if fmt != "nquads" else None
    yield written(store.dump(format=RDF_FORMATS[fmt], prefixes=prefixes)).decode("utf-8")


def file_pieces(path: Path, size: int = PIECE_BYTES) -> Iterator[str]:
    """A UTF-8 text file in pieces of about ``size`` bytes, cut at line ends (never inside a character)."""
    with path.open("rb") as handle:
        rest = b""
        while block := handle.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            yield block[:cut].decode("utf-8")
        if rest:
            yield rest.decode("utf-8")
