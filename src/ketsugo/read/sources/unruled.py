"""Tables a PDF draws without ruling lines: columns standing apart by space alone.

pdfplumber finds tables by their lines; a report typeset without them (a word processor's table
with borders off, text laid out with tabs) gives only text lines. Read by these rules, each general:

- a line holding two or more pieces apart by a gap wider than its characters (more than
  :data:`GAP` × the font size: a full-width space is no column gap) is a line of a table;
- consecutive such lines are one table, together with the lines between them that continue a cell
  (one piece, not at the table's left edge); it needs two such lines at least. A single piece at
  the left edge (a heading, a note, 実績はありません) ends it, and so does a blank stretch of more
  than :data:`_BLANK` lines' height;
- the columns are the stretches of the page's width the table's pieces cover, apart from each
  other by a gap no piece crosses (so text aligned left, right or centred finds its column);
- a line further below the line above than half its height starts a row: the lines of one cell
  are set closer than two rows are; the lines of a cell are joined as a wrapped cell is;
- a second row at the top whose cells stand only under empty cells of the first (and not in the
  first column) holds the sub-headers of a grouped header: the two are given as spans, read as one
  header like a grouped header drawn with lines. A letter row (a, b, c) standing under filled
  header cells stays a row of its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from ketsugo.read.sources.tables import Row, Span, Table, collapse_spaces, join_wrapped

GAP = 1.2  # × font size: a wider gap between two characters of a line separates two columns
_BLANK = 3.0  # × font size: a wider blank stretch between two lines ends a table
_SPACE = 0.2  # × font size: a narrower gap between two characters is no space


@dataclass(frozen=True)
class Piece:
    x0: float
    x1: float
    text: str


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    pieces: tuple[Piece, ...]

    @property
    def size(self) -> float:
        return self.bottom - self.top


def line_of(obj: dict[str, Any]) -> Line:
    """A pdfplumber text line (with its chars) cut into pieces at column gaps."""
    chars = [c for c in obj["chars"] if c["text"].strip()]
    size = max((float(c["size"]) for c in chars), default=float(obj["bottom"] - obj["top"]))
    pieces: list[Piece] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i]["x0"] - chars[i - 1]["x1"] > GAP * size:
            run = chars[start:i]
            text = run[0]["text"]
            for before, char in itertools.pairwise(run):
                text += (" " if char["x0"] - before["x1"] > _SPACE * size else "") + char["text"]
            pieces.append(Piece(float(run[0]["x0"]), float(run[-1]["x1"]), collapse_spaces(text)))
            start = i
    return Line(float(obj["top"]), float(obj["bottom"]), tuple(pieces))


def find_tables(lines: list[Line]) -> list[tuple[int, int]]:
    """(first, last + 1) of each run of ``lines`` (in reading order) that is a table."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if len(lines[i].pieces) < 2:
            i += 1
            continue
        left = lines[i].pieces[0].x0
        end, columnar = i + 1, 1
        while end < len(lines):
            line = lines[end]
            if line.top - lines[end - 1].bottom > _BLANK * line.size:
                break  # a blank stretch between them: no table runs across it
            if len(line.pieces) >= 2:
                columnar += 1
            elif not line.pieces or line.pieces[0].x0 <= left + line.size:
                break
            left = min(left, line.pieces[0].x0)
            end += 1
        if columnar >= 2:
            runs.append((i, end))
        i = end
    return runs


def read_table(lines: list[Line], where: str) -> Table:
    """The table of ``lines`` (a run :func:`find_tables` gave), its rows placed at ``where`` row N."""
    columns: list[list[float]] = []
    for x0, x1 in sorted((p.x0, p.x1) for line in lines for p in line.pieces):
        if columns and x0 <= columns[-1][1] + 0.5:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    grid: list[list[list[str]]] = []
    previous: Line | None = None
    for line in lines:
        if previous is None or line.top - previous.bottom > 0.5 * line.size:
            grid.append([[] for _ in columns])
        for piece in line.pieces:
            column = next(i for i, (x0, x1) in enumerate(columns) if x0 - 0.5 <= piece.x0 <= x1)
            grid[-1][column].append(piece.text)
        previous = line
    rows = [[join_wrapped(cell) for cell in cells] for cells in grid]
    return Table(
        [Row(tuple(cells), f"{where} row {r}") for r, cells in enumerate(rows, start=1)], _header_spans(rows)
    )


def _header_spans(rows: list[list[str]]) -> list[Span]:
    """The spans of a grouped header over the first two rows (see the module's docstring), or none."""
    if len(rows) < 2 or rows[1][0] or not rows[0][0]:
        return []
    top, below = rows[0], rows[1]
    groups: list[
        tuple[int, int]
    ] = []  # (first column, last + 1) of each header cell and the empty ones after it
    for c in range(len(top)):
        if top[c]:
            groups.append((c, c + 1))
        elif groups:
            groups[-1] = (groups[-1][0], c + 1)
    grouped = [(a, b) for a, b in groups if b - a > 1 and any(below[a:b])]
    single = [(a, b) for a, b in groups if b - a == 1]
    if not grouped or any(below[a] for a, _ in single):
        return []
    return [Span(0, a, 1, b - a) if (a, b) in grouped else Span(0, a, 2, b - a) for a, b in groups]
