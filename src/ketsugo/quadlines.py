"""The N-Quads lines of one report's graph, kept as UTF-8 bytes until they are written.

A report of 2,000 rows makes ~450,000 lines. Kept as Python str (two bytes a character as soon
as a line holds any Japanese), then copied into a set, a sorted list and one joined string
before encoding, they took most of a large build's memory. Here each line is encoded once
when it is added; writing sorts the list in place and drops repeated lines while joining, so
the lines cost their UTF-8 size once, plus the bytes written. UTF-8 byte order is code point
order: the sorted bytes are the sorted text, the output is what sorting str gave.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby


class QuadLines:
    """N-Quads lines (str in, str out when iterated), stored as bytes; ``nquads()`` writes them."""

    __slots__ = ("raw",)

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self.raw: list[bytes] = [line.encode() for line in lines]  # for the builder: append bytes here

    def append(self, line: str) -> None:
        self.raw.append(line.encode())

    def extend(self, lines: Iterable[str]) -> None:
        encoded = [line.encode() for line in lines]  # read all first: ``lines`` may be this object
        self.raw.extend(encoded)

    def __iter__(self) -> Iterator[str]:
        return (line.decode() for line in self.raw)

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
        return b"\n".join(line for line, _ in groupby(self.raw)) + b"\n"
