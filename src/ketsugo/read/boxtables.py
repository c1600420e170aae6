"""Tables drawn with box-drawing characters, read back as tab-separated rows.

An old word processor's text save (一太郎's テキスト保存, a DOS-era editor, a table typed by hand)
draws each table with ┌─┬─┐ │ ├─┼─┤ └─┴─┘ (or the heavy ┏━┳━┓ ┃ ┣━╋━┫ ┗━┻━┛, or ASCII
+----+ and | … |), and wraps a
cell's text inside its box: one row runs over several text lines between two rules, each line
holding a piece of every cell. Here each row becomes one line (numbered by its first text line) of
cells separated by tabs, as every other reading of a table expects.

The box gives each cell's width, so a line break inside a cell tells its kind by the geometry: a
line that ends with room left for the next line's first character was broken on purpose (an item
a line, a header name typed over two lines) and the break is kept (``\\n``: what a break means is
then the field's business, :func:`ketsugo.read.quoted.cell_lines_read`); a line that fills its box
(or ends one character short where the next line opens with a mark that may not start a line,
禁則: 、・）…) is text wrapped at the box's width, joined without a space
(:func:`ketsugo.read.wrapping.joined_text`). A box's width is counted inside its padding (│ 氏名 │:
the fewest blank columns any of the column's lines leaves on each side). The rules themselves are no rows. A table drawn with
no rule between its data rows starts a row at each line whose first cell (the number) is filled.
One info per table names its lines.
"""

from __future__ import annotations

from itertools import pairwise

from ketsugo.read.layout import ParseState
from ketsugo.read.wrapping import display_width, joined_text

# The vertical strokes that divide cells (light, heavy, double); the rules are any line of box-drawing
# characters (U+2500–U+257F) alone. A table typed with ASCII (+----+----+ and | … |) is drawn alike.
VERTICALS = frozenset("│┃║")
_BOX = frozenset(chr(c) for c in range(0x2500, 0x2580))
_ASCII_BAR = "|"
_ASCII_RULE = frozenset("+-=|: ")
_PAD = " \u3000"
# Characters that may not open a line (禁則): the wrap moves the character before them down too.
_NO_LINE_START = frozenset(
    "、。，．,.）)」』】〕〉》］]｝}・：；:;！？!?ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)


def is_rule(line: str) -> bool:
    """A line of box-drawing characters alone (┌──┬──┐, ├──┼──┤, └──┴──┘), at least two; or an
    ASCII rule (+----+----+, |----|----|) with a run of at least three - or =."""
    body = line.strip(_PAD)
    if len(body) >= 2 and all(c in _BOX for c in body) and not all(c in VERTICALS for c in body):
        return True
    return all(c in _ASCII_RULE for c in body) and ("---" in body or "===" in body) and body[0] in "+|"


def _bars(line: str) -> frozenset[str]:
    """The strokes that divide the line's cells: box-drawing ones, or the ASCII bar."""
    return frozenset(_ASCII_BAR) if line.strip(_PAD)[:1] == _ASCII_BAR else VERTICALS


def is_boxed(line: str) -> bool:
    """A text line of a box-drawn table: it opens and closes with a vertical stroke, holds no tab."""
    body = line.strip(_PAD)
    bars = _bars(line)
    return len(body) >= 2 and body[0] in bars and body[-1] in bars and "\t" not in body and not is_rule(line)


def join_box_tables(lines: list[tuple[int, str]], state: ParseState) -> list[tuple[int, str]]:
    """The lines with each box-drawn table's rows made tab-separated lines (rules dropped); lines
    outside such tables are left as they are. A table is a run of rules and boxed lines holding at
    least one rule and one boxed line."""
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and (is_rule(lines[end][1]) or is_boxed(lines[end][1])):
            end += 1
        run = lines[index:end]
        if not any(is_rule(line) for _, line in run) or not any(is_boxed(line) for _, line in run):
            out.append(lines[index])
            index += 1
            continue
        rows = _rows(run)
        out.extend(rows)
        state.inform(
            run[0][0],
            "",
            f"lines {run[0][0]}–{run[-1][0]}: a table drawn with box-drawing characters (┌─┬─┐ │ ├─┼─┤), "
            f"read as {len(rows)} row(s) between its rules; a cell's lines are joined where its text fills "
            "the box (wrapped), kept apart where a line ends with room left (broken on purpose)",
            run[0][1],
        )
        index = end
    return out


def _rows(run: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """One tab-separated line per row of the run: the boxed lines between two rules. A table with no
    rule between its data rows (only the one under its header) starts a row at each line whose
    first cell is filled (the row's number); a line with a blank first cell continues the row."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for line_no, line in run:
        if is_boxed(line):
            blocks[-1].append((line_no, line))
        elif blocks[-1]:
            blocks.append([])
    blocks = [block for block in blocks if block]
    if len(blocks) == 1:  # no rule inside the table: the header too is cut at its first cell
        blocks = _by_first_cell(blocks[0])
    elif len(blocks) == 2:  # a header and one block of rows: rows by their first cells
        blocks = [blocks[0], *_by_first_cell(blocks[1])]
    pads = _paddings([line for block in blocks for _, line in block])
    rows: list[tuple[int, str]] = []
    for block in blocks:
        cells = _cells([text for _, text in block], pads)
        if any(cell.strip() for cell in cells):
            rows.append((block[0][0], "\t".join(cells)))
    return rows


def _paddings(lines: list[str]) -> dict[tuple[int, int], int]:
    """Each column's padding (by its span): the fewest columns left blank inside the box, left
    and right together, over the table's lines that write in it (│ 氏名 │: 2; a box its text
    fills: 0). A wrapped line fills the box up to its padding."""
    left: dict[tuple[int, int], int] = {}
    right: dict[tuple[int, int], int] = {}
    for line in lines:
        for start, end, text in _segments(line):
            if text.strip(_PAD):
                span = (start, end)
                lead = display_width(text) - display_width(text.lstrip(_PAD))
                trail = display_width(text) - display_width(text.rstrip(_PAD))
                left[span] = min(left.get(span, lead), lead)
                right[span] = min(right.get(span, trail), trail)
    return {span: left[span] + right[span] for span in left}


def _by_first_cell(block: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The block cut before each line whose first cell holds text."""
    rows: list[list[tuple[int, str]]] = []
    for line_no, line in block:
        segments = _segments(line)
        if not rows or (segments and segments[0][2].strip(_PAD)):
            rows.append([])
        rows[-1].append((line_no, line))
    return rows


def _segments(line: str) -> list[tuple[int, int, str]]:
    """(first column, last column + 1, text) of each cell of a boxed line, in display columns."""
    bars = _bars(line)
    found: list[tuple[int, int, str]] = []
    column = 0
    start: int | None = None
    text = ""
    for char in line:
        if char in bars:
            if start is not None:
                found.append((start, column, text))
            start, text = column + display_width(char), ""
        elif start is not None:
            text += char
        column += display_width(char)
    return found


def _cells(block: list[str], pads: dict[tuple[int, int], int]) -> list[str]:
    """The cells of one row from its text lines: each column's pieces joined (see the module)."""
    per_line = [_segments(line) for line in block]
    columns = max(per_line, key=len)
    pieces: list[list[str]] = [[] for _ in columns]
    for segments in per_line:
        for start, _, text in segments:
            at = next((i for i, (s, e, _) in enumerate(columns) if s <= start < e), None)
            if at is not None:
                pieces[at].append(text)
    return [
        _joined(lines, end - start - pads.get((start, end), 0))
        for lines, (start, end, _) in zip(pieces, columns, strict=True)
    ]


def _joined(lines: list[str], room: int) -> str:
    """A cell's pieces as one text: wrapped lines joined, lines broken on purpose kept apart."""
    texts = [line.strip(_PAD) for line in lines]
    while texts and not texts[-1]:
        texts.pop()
    if not texts:
        return ""
    cell = texts[0]
    for before, after in pairwise(texts):
        cell = f"{cell}\n{after}" if _on_purpose(before, after, room) else joined_text(cell, after)
    return cell


def _on_purpose(before: str, after: str, room: int) -> bool:
    """Whether the break after ``before`` was typed: the next line's first character had room."""
    if not before or not after:
        return True  # a blank line inside a cell: a paragraph break
    if after[0] in _NO_LINE_START or after[1:2] in _NO_LINE_START:
        return False  # 禁則: the wrap could not leave the mark (or the character before it) up
    return display_width(before) + display_width(after[0]) <= room
