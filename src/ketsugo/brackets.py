"""Bracket-aware splitting shared by the cell parsers."""

from __future__ import annotations

OPENERS = "（(【「『［["
CLOSERS = "）)】」』］]"


def split_top_level(text: str, separators: str) -> list[str]:
    """Split ``text`` at ``separators`` that stand outside any bracket; pieces are stripped."""
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            pieces.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    pieces.append("".join(current).strip())
    return pieces


def trailing_paren(text: str) -> int:
    """Index of the bracket that opens a parenthesis closing ``text``, or -1."""
    if not text or text[-1] not in "）)":
        return -1
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] in CLOSERS:
            depth += 1
        elif text[index] in OPENERS:
            depth -= 1
            if depth == 0:
                return index
    return -1
