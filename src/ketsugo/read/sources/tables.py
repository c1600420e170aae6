"""What every published format becomes before the parser: text lines and tables, in reading order.

The PDF, Excel and HTML readers each turn their file into a list of blocks — a line of text
(a heading, a note, a statement) or a table of rows — each with the place it came from. This
module writes those blocks as the tab-separated text form that ketsugo's parser reads (one
table row a line, cells joined by tabs, a blank line between blocks), and keeps a map from
each text line to its place in the published file, so that findings can name that place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Characters that, met on both sides of a line break inside a cell, were separated by a space:
# Latin letters, digits and ASCII punctuation. Japanese text wraps anywhere and joins without one.
_ASCII_WORD = re.compile(r"[!-~]")
_SPACES = re.compile(r"[ \t\u3000]+")
# A line that opens with a list marker starts a new item of a list (①…⑳, *, ●, 【…】): its
# break was meant, and a space keeps the items apart whether or not one was written.
_LIST_MARKER = re.compile(r"[\u2460-\u2473\u2776-\u277f*＊●○■□◆◇▪【]")


@dataclass(frozen=True)
class TextLine:
    """A line outside any table: a title, a section heading, a ※ note, a statement."""

    text: str
    where: str


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    where: str


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


Block = TextLine | Table


def join_wrapped(lines: Iterable[str]) -> str:
    """The lines of one cell as one line: Japanese text joins without a space (it wraps anywhere);
    where both sides of the break are Latin letters, digits or ASCII signs, or the next line
    opens with a list marker, a space is kept."""
    out = ""
    for raw in lines:
        line = raw.strip(" \t\r\u3000")
        if not line:
            continue
        if out and (
            (_ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(line[0])) or _LIST_MARKER.match(line[0])
        ):
            out += " "
        out += line
    return out


def cell_text(text: str | None) -> str:
    """A cell's text for the text form: wrapped lines joined, no tabs (they separate cells)."""
    if not text:
        return ""
    return join_wrapped(text.replace("\t", " ").splitlines())


def collapse_spaces(text: str) -> str:
    """Runs of white space as one space (HTML and PDF lines); full-width spaces as written."""
    return _SPACES.sub(lambda m: "\u3000" if set(m.group()) == {"\u3000"} else " ", text).strip()


def has_table(blocks: Sequence[Block]) -> bool:
    return any(isinstance(b, Table) and b.rows for b in blocks)


def to_text(blocks: Sequence[Block]) -> tuple[str, dict[int, str]]:
    """The text form of ``blocks`` and a map from 1-based text line → place in the source.

    Trailing empty cells of a row are dropped (a blank cell inside a row is kept as an empty
    field); a row with no text at all is dropped."""
    lines: list[str] = []
    where: dict[int, str] = {}

    def put(text: str, place: str) -> None:
        lines.append(text)
        where[len(lines)] = place

    for block in blocks:
        if lines:
            lines.append("")
        if isinstance(block, TextLine):
            put(block.text, block.where)
            continue
        for row in block.rows:
            cells = list(row.cells)
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                put("\t".join(cells), row.where)
    return "\n".join(lines) + "\n", where
