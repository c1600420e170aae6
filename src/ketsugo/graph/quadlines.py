"""The N-Quads lines of one report's graph, kept as UTF-8 bytes until they are written.

A report of 2,000 rows makes ~450,000 lines. Kept as Python str (two bytes a character as soon
as a line holds any Japanese), then copied into a set, a sorted list and one joined string
before encoding, they took most of a large build's memory. Here each line is encoded once
when it is added, with its line end; writing sorts the list in place and copies each distinct
line once into the output (io.BytesIO: a bytes join would first make an 80-byte buffer record
per line, ~130 MB for an 8,000-row report), so the lines cost their UTF-8 size once, plus the
bytes written. UTF-8 byte order is code point order, and the line end sorts before any character
a line holds (N-Quads escapes every control character): the sorted bytes are the sorted text,
the output is what sorting str gave.

A report of many thousand rows would still hold every line at once (an 8,000-row report is
≈ 350 MB of N-Quads, 30,000 rows over a GB). So once the lines held pass ``SPILL_BYTES`` (32 MB) they are
sorted, de-duplicated and written to an anonymous temporary file (a *run*: the operating system
removes it when it is closed or the process ends, whatever the exit), and ``chunks()`` merges the
runs (heapq.merge) into the same sorted, distinct bytes, a piece at a time. ``KETSUGO_SPILL_BYTES``
sets the threshold (tests force several runs with a small one); ``spilling_into`` the folder.
"""

from __future__ import annotations

import heapq
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby
from typing import IO

# bytes of lines held before they are sorted into a run on disk (a graph below it is handed over
# whole; ≈ 800 rows of a report, far above a usual one)
SPILL_BYTES = 32 * 2**20
# bytes read from a run at a time, and the size of the pieces ``chunks`` gives
CHUNK_BYTES = 4 * 2**20

_scratch: list[str | None] = [None]  # the folder runs are made in (None: the system's temp folder)


def spill_bytes() -> int:
    """The threshold: ``KETSUGO_SPILL_BYTES`` when set (a positive number of bytes), else SPILL_BYTES."""
    given = os.environ.get("KETSUGO_SPILL_BYTES", "").strip()
    return max(1, int(given)) if given.isdigit() else SPILL_BYTES


@contextmanager
def spilling_into(folder: str | os.PathLike[str] | None) -> Iterator[None]:
    """Runs made inside the block go to ``folder`` (a build's own temporary folder)."""
    before = _scratch[0]
    _scratch[0] = None if folder is None else os.fspath(folder)
    try:
        yield
    finally:
        _scratch[0] = before


def _run_lines(run: IO[bytes]) -> Iterator[bytes]:
    """The lines of a run, each with its line end (read with pread: several readers may share it)."""
    fd = run.fileno()
    offset, rest = 0, b""
    while block := os.pread(fd, CHUNK_BYTES, offset):
        offset += len(block)
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        yield from io.BytesIO(block[:cut])  # splits at b"\n" only (bytes.splitlines also cuts at \r)
    if rest:
        yield rest


def _distinct(sorted_lines: Iterable[bytes]) -> Iterator[bytes]:
    return (line for line, _ in groupby(sorted_lines))


class QuadLines:
    """N-Quads lines (str in, str out when iterated, without line ends), stored as bytes each with
    its line end; ``nquads()`` writes them, ``chunks()`` gives the same bytes in pieces. Lines past
    the threshold are sorted into runs on disk.

    ``raw`` is a plain list the graph builder appends to directly (its hot path: ~3,000 lines a
    report; a Python ``append`` that counted each line's bytes cost ~5 % of a national build), and
    then calls ``check()`` now and then (once per connection): the threshold is kept to within
    one connection's lines."""

    __slots__ = ("_counted", "_limit", "_run_count", "_runs", "_size", "raw")

    def __init__(self, lines: Iterable[str] = (), *, spill_at: int | None = None) -> None:
        self.raw: list[bytes] = []
        self._limit = spill_at or spill_bytes()
        self._size = 0  # bytes of raw[:_counted]
        self._counted = 0
        self._runs: list[IO[bytes]] = []
        self._run_count = 0
        self.extend(lines)

    def append(self, line: str) -> None:
        self.raw.append(f"{line}\n".encode())
        self.check()

    def extend(self, lines: Iterable[str]) -> None:
        encoded = [f"{line}\n".encode() for line in lines]  # read all first: ``lines`` may be this object
        for line in encoded:
            self.raw.append(line)
            self.check()

    def check(self) -> None:
        """Count the lines appended to ``raw`` since the last call; past the threshold, spill them."""
        raw = self.raw
        if self._counted < len(raw):
            self._size += sum(map(len, raw[self._counted :]))
            self._counted = len(raw)
        if self._size >= self._limit:
            self.spill()

    def spill(self) -> None:
        """Sort and de-duplicate the lines held into a new run on disk, and let them go."""
        raw = self.raw
        if not raw:
            return
        raw.sort()
        run = tempfile.TemporaryFile(dir=_scratch[0])  # noqa: SIM115 (kept open until close())
        try:
            distinct = list(_distinct(raw))
            run.writelines(distinct)
            run.flush()
        except BaseException:
            run.close()
            raise
        self._runs.append(run)
        self._run_count += len(distinct)
        del distinct
        raw.clear()
        self._size = self._counted = 0

    @property
    def spilled(self) -> bool:
        """Whether some lines are in runs on disk (the graph is too big to hand over as one bytes)."""
        return bool(self._runs)

    def close(self) -> None:
        """Remove the runs (also done when the object is collected or the process ends)."""
        runs, self._runs = self._runs, []
        for run in runs:
            run.close()

    def encoded(self) -> Iterator[bytes]:
        """Every line as bytes with its line end: the runs' (sorted, distinct), then those held."""
        for run in list(self._runs):
            yield from _run_lines(run)
        yield from list(self.raw)

    def __iter__(self) -> Iterator[str]:
        return (line[:-1].decode() for line in self.encoded())

    def __len__(self) -> int:
        return self._run_count + len(self.raw)

    def __bool__(self) -> bool:
        return bool(self.raw) or bool(self._runs)

    def nquads(self) -> bytes:
        """Each distinct line once, sorted, one per line: the same graph gives the same bytes.
        (Sorts the lines held in place: iterating afterwards gives them in that order.)"""
        if not self._runs:
            if not self.raw:
                return b""
            self.raw.sort()
            out = io.BytesIO()
            out.writelines(_distinct(self.raw))
            return out.getvalue()
        return b"".join(self.chunks())

    def chunks(self, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """What ``nquads()`` gives, in pieces of about ``size`` bytes cut at line ends, merged from
        the runs without holding them (one piece when nothing was spilled)."""
        if not self._runs:
            if self.raw:
                yield self.nquads()
            return
        self.raw.sort()
        merged = heapq.merge(*(_run_lines(run) for run in self._runs), iter(list(self.raw)))
        piece: list[bytes] = []
        held = 0
        for line in _distinct(merged):
            piece.append(line)
            held += len(line)
            if held >= size:
                yield b"".join(piece)
                piece, held = [], 0
        if piece:
            yield b"".join(piece)
