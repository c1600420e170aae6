"""Bracket-aware walking and splitting shared by the cell parsers."""

from __future__ import annotations

from collections.abc import Iterator

OPENERS = "（(【「『［[〔〈"
CLOSERS = "）)】」』］]〕〉"


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


def depth_at_end(text: str) -> int:
    """How many brackets are still open at the end of ``text`` (0 when balanced)."""
    depth = 0
    for _, char, depth_before in walk(text):
        depth = depth_before + 1 if char in OPENERS else depth_before
    return depth


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
