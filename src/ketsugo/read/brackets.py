"""Bracket-aware walking and splitting shared by the cell parsers."""

from __future__ import annotations

import re
from collections.abc import Iterator

OPENERS = "（(【「『［[〔〈"
CLOSERS = "）)】」』］]〕〉"
_ANY_BRACKET = re.compile("[" + re.escape(OPENERS + CLOSERS) + "]")


def walk(
    text: str, openers: str = OPENERS, closers: str = CLOSERS, *, reverse: bool = False
) -> Iterator[tuple[int, str, int]]:
    """Yield (index, char, depth) for each character of ``text``.

    ``depth`` is the number of brackets the character stands inside; a bracket itself has the
    depth of the text around it, so an opening bracket and its closing one share a depth, and
    depth 0 is the top level. A closing bracket with nothing open is read at depth 0. With
    ``reverse`` the text is walked from its end, closing brackets opening a level.
    """
    indices = range(len(text) - 1, -1, -1) if reverse else range(len(text))
    opening, closing = (closers, openers) if reverse else (openers, closers)
    depth = 0
    for index in indices:
        char = text[index]
        if char in closing:
            depth = max(0, depth - 1)
            yield index, char, depth
        elif char in opening:
            yield index, char, depth
            depth += 1
        else:
            yield index, char, depth


def depths(text: str) -> list[int]:
    """The depth :func:`walk` gives each character of ``text``, all at once: a cell parser that
    looks at many places of one text reads this list instead of walking the text again each time."""
    if not _ANY_BRACKET.search(text):
        return [0] * len(text)  # most cells hold no bracket at all
    return [depth for _, _, depth in walk(text)]


def top_level(text: str) -> list[tuple[int, str]]:
    """(index, char) of the characters of ``text`` that stand outside any bracket."""
    if not _ANY_BRACKET.search(text):
        return list(enumerate(text))
    return [
        (index, char) for (index, char), depth in zip(enumerate(text), depths(text), strict=True) if not depth
    ]


def depth_at_end(text: str) -> int:
    """How many brackets are still open at the end of ``text`` (0 when balanced)."""
    if not text:
        return 0
    last = depths(text)[-1]
    return last + 1 if text[-1] in OPENERS else last


def split_top_level(text: str, separators: str) -> list[str]:
    """Split ``text`` at ``separators`` that stand outside any bracket; pieces are stripped."""
    pieces: list[str] = []
    start = 0
    for index, char, depth in walk(text):
        if depth == 0 and char in separators:
            pieces.append(text[start:index].strip())
            start = index + 1
    pieces.append(text[start:].strip())
    return pieces


def matching(text: str, open_index: int) -> int:
    """Index of the bracket that closes the one at ``open_index``, or -1 when it is not closed."""
    for index, char, depth in walk(text[open_index:]):
        if depth == 0 and index and char in CLOSERS:
            return open_index + index
    return -1


def trailing_paren(text: str) -> int:
    """Index of the bracket that opens a parenthesis closing ``text``, or -1."""
    if not text or text[-1] not in "）)":
        return -1
    for index, char, depth in walk(text, reverse=True):
        if depth == 0 and index < len(text) - 1 and char in OPENERS:
            return index
    return -1
