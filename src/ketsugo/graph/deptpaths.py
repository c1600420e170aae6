"""The department names of a 結合を行った課 cell.

A cell may name one department as an organisational path written with spaces (保健福祉局　地域福祉部
保護課, 小倉北区役所　市民課): that is ONE department, as written. Two departments are apart by a list
separator (、 ／ ; or a ・ after a department's ending) or written one after another with no level
before the second (市民課 税務課). The levels and endings are data: data/reference/agency-rules.toml
(``department_levels``, ``list_dot_after``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.normalize import normalize

_LIST_SEPARATORS = re.compile(r"[、，,；;／/]+")
_SPACES = re.compile(r"\s+")
_DOTS = "・･"


@cache
def _levels() -> tuple[tuple[str, int], ...]:
    """(ending, depth) pairs, longest ending first (総合支所 before 支所, 事務局 before 局)."""
    data = reference_toml("agency-rules.toml")
    pairs = [(e, depth) for depth, endings in enumerate(data.get("department_levels", ())) for e in endings]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@cache
def _dot_after() -> tuple[str, ...]:
    return tuple(reference_toml("agency-rules.toml").get("list_dot_after", ()))


def level(name: str) -> int | None:
    """How deep a name's level is (0 for 局/区役所, 1 for 部 …), None for a section (課) or other.
    An ending of one character is no name alone (部); one of more is (保健所, 事務局)."""
    for ending, depth in _levels():
        if name.endswith(ending) and (len(name) > len(ending) or len(ending) > 1):
            return depth
    return None


def department_tokens(cell: str) -> list[str]:
    """The department names of a 課 cell, each path joined without its spaces."""
    names: list[str] = []
    for entry in _LIST_SEPARATORS.split(normalize(cell)):
        for part in _split_at_dots(entry):
            names.extend(_join_path(t for t in _SPACES.split(part) if t))
    return names


def _split_at_dots(entry: str) -> list[str]:
    """Cut at a ・ that follows a department's ending (市民課・税務課), never inside a name (財政・変革局)."""
    parts: list[str] = []
    start = 0
    for at, char in enumerate(entry):
        if char in _DOTS and entry[start:at].rstrip().endswith(_dot_after()):
            parts.append(entry[start:at])
            start = at + 1
    parts.append(entry[start:])
    return [p for p in parts if p.strip()]


def _join_path(tokens: Iterable[str]) -> list[str]:
    """Join white-space-apart names into one path while each next name is deeper than the last."""
    joined: list[str] = []
    for token in tokens:
        last = level(joined[-1]) if joined else None
        mine = level(token)
        if last is not None and (mine is None or mine > last):
            joined[-1] += token
        else:
            joined.append(token)
    return joined
