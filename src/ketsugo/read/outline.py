"""An item cell written as an outline over several lines (docs/items.md rule 12):

    ・住民票関係
    －氏名
    －生年月日

A line with lines under it (indented more, or starting with a sub-bullet such as －) is a group
heading, not an item; the lines under it are the items. The bullets that start lines are layout,
no part of any name. The bullets are data: ``line_bullets``, ``sub_bullets`` and
``heading_endings`` in the [items] table of data/reference/cells.toml.

The text form ketsugo parses holds a row a line, so a cell's line breaks are settled where the
cell is made one line (read/quoted.py for a table copied out of a spreadsheet, read/sources/tables.py
for Excel, HTML and PDF): an outline is written there as the 【heading】 groups of rule 4
(:func:`outline_cell`), which :func:`ketsugo.read.items.split_items` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.brackets import top_level
from ketsugo.read.items import marker_at

NUMBERED = "#"  # the kind of a line that starts with a group or numbering marker (①, (1), ア.)
WIDE_SPACE = "\u3000"  # an ideographic space indents as far as two narrow ones
TAB_WIDTH = 4


@dataclass(frozen=True)
class OutlineWords:
    """The outline marks of the [items] table of data/reference/cells.toml."""

    line_bullets: frozenset[str]
    sub_bullets: frozenset[str]
    heading_endings: tuple[str, ...]
    separators: frozenset[str]


@cache
def outline_words() -> OutlineWords:
    data = reference_toml("cells.toml")["items"]
    return OutlineWords(
        line_bullets=frozenset(data["line_bullets"]),
        sub_bullets=frozenset(data["sub_bullets"]),
        heading_endings=tuple(data["heading_endings"]),
        separators=frozenset(data["separators"]),
    )


@dataclass(frozen=True)
class OutlineLine:
    """One line of items: its text without indentation and bullet (a numbering marker is kept, the
    list reader reads it), the heading it stands under and that heading's marker ("" when none)."""

    text: str
    group: str = ""
    marker: str = ""


@dataclass(frozen=True)
class _Line:
    indent: int
    kind: str  # the bullet, NUMBERED, or "" for a line with neither
    marker: str  # the bullet or numbering marker as written
    rest: str  # the text after the bullet (after the numbering marker: the whole text)

    @property
    def key(self) -> tuple[int, str]:
        return self.indent, self.kind


def outline_cell(lines: Sequence[str]) -> str | None:
    """The lines of an item cell as one line for the text form when they are an outline: a group
    of items under a heading as ``【heading】 item、item``, items under no heading first (rule 4
    gives an item after 【】 that group). None when the lines are no outline, or when an item
    under no heading follows a group (no one-line form keeps its place: read as before)."""
    read = outline(lines)
    if read is None:
        return None
    loose = [line.text for line in read if not line.group]
    if any(line.group for line in read[: len(loose)]):
        return None
    out = "、".join(loose)
    group = ""
    for line in read[len(loose) :]:
        if line.group != group:
            group = line.group
            out += f"{' ' if out else ''}【{group}】 {line.text}"
        else:
            out += f"、{line.text}"
    return out


def outline(lines: Sequence[str]) -> list[OutlineLine] | None:
    """The lines with their headings, or None when they are no outline: a single line, a line
    that is neither bulleted nor a heading, a heading that reads as part of a list, no heading and
    no bullet at all."""
    parsed = [_parse(line) for line in lines if line.strip()]
    if len(parsed) < 2 or not any(line.kind for line in parsed):
        return None
    out: list[OutlineLine] = []
    return out if _read_block(parsed, "", "", out) else None


def _parse(line: str) -> _Line:
    text = line.lstrip()
    indent = sum(
        2 if c == WIDE_SPACE else TAB_WIDTH if c == "\t" else 1 for c in line[: len(line) - len(text)]
    )
    text = text.rstrip()
    if text[0] in outline_words().line_bullets and len(text) > 1:
        return _Line(indent, text[0], text[0], text[1:].strip())
    marker = marker_at(text)
    if marker:
        return _Line(indent, NUMBERED, marker, text)
    return _Line(indent, "", "", text)


def _read_block(lines: list[_Line], group: str, marker: str, out: list[OutlineLine]) -> bool:
    """Read lines of one level (the first line's indentation and bullet kind) with the lines under
    each; False when they are no outline."""
    top = lines[0]
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.key != top.key:
            return False
        end = index + 1
        while end < len(lines) and _under(lines[end], top):
            end += 1
        if end < len(lines) and lines[end].key != top.key:
            return False  # less indented, or another bullet at the same place: no outline
        subs = lines[index + 1 : end]
        if subs:
            heading = _heading(line, subs)
            if heading is None or not _read_block(subs, heading, line.marker, out):
                return False
        elif line.kind or group:
            out.append(OutlineLine(line.rest, group, marker))
        else:
            return False  # an unbulleted line outside any heading: a plain list, read as before
        index = end
    return True


def _under(line: _Line, top: _Line) -> bool:
    """``line`` stands under a line of ``top``'s level: indented more, or starting with a
    sub-bullet (－) where ``top``'s lines start with another bullet or none."""
    if line.indent > top.indent:
        return True
    return line.indent == top.indent and line.kind != top.kind and line.kind in outline_words().sub_bullets


def _heading(line: _Line, subs: list[_Line]) -> str | None:
    """The heading ``line`` gives the lines under it, or None when it cannot be one: a line with a
    separator (氏名、住所、 continued on the next line) or, without bullet or ending colon, over
    lines without bullets (an indented continuation)."""
    vocabulary = outline_words()
    text = line.rest[len(line.marker) :].strip() if line.kind == NUMBERED else line.rest
    if any(c in vocabulary.separators for _, c in top_level(text)):
        return None
    stripped = text.rstrip("".join(vocabulary.heading_endings)).strip()
    marked = bool(line.kind) or stripped != text
    if not stripped or not (marked or all(sub.kind for sub in subs)):
        return None
    return stripped
