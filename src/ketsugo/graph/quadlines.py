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
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import groupby


class QuadLines:
    """N-Quads lines (str in, str out when iterated, without line ends), stored as bytes each with
    its line end (``raw``: the builder appends there directly); ``nquads()`` writes them."""

    __slots__ = ("raw",)

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self.raw: list[bytes] = [f"{line}\n".encode() for line in lines]

    def append(self, line: str) -> None:
        self.raw.append(f"{line}\n".encode())

    def extend(self, lines: Iterable[str]) -> None:
        encoded = [f"{line}\n".encode() for line in lines]  # read all first: ``lines`` may be this object
        self.raw.extend(encoded)

    def __iter__(self) -> Iterator[str]:
        return (line[:-1].decode() for line in self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __bool__(self) -> bool:
        return bool(self.raw)

    def nquads(self) -> bytes:
        """Each distinct line once, sorted, one per line: the same graph gives the same bytes.
        (Sorts the lines in place: iterating afterwards gives them in that order.)"""
        if not self.raw:
            return b""
        self.raw.sort()
        out = io.BytesIO()
        out.writelines(line for line, _ in groupby(self.raw))
        return out.getvalue()
