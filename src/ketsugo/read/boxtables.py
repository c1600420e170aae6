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
A rule that leaves a cell open (├──┤　　　├──┤, perhaps with the cell's text on its line) merges
that cell over the rows above and below it: its text is each row's, as the box says.
One info per table names its lines.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise

from ketsugo.errors import InputError, Issue
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import INVISIBLE, kinsoku_moved
from ketsugo.read.textio import MAX_LINE_CHARS
from ketsugo.read.wrapping import display_width, joined_text

# The vertical strokes that divide cells (light, heavy, double); the rules are any line of box-drawing
# characters (U+2500–U+257F) alone. A table typed with ASCII (+----+----+ and | … |) is drawn alike.
VERTICALS = frozenset("│┃║")
_BOX = frozenset(chr(c) for c in range(0x2500, 0x2580))
_ASCII_BAR = "|"
_ASCII_RULE = frozenset("+-=|: ")
_HORIZONTALS = frozenset("─━═┄┅┈┉╌╍")
_PAD = " \u3000"


def is_rule(line: str) -> bool:
    """A line of box-drawing characters alone (┌──┬──┐, ├──┼──┤, └──┴──┘), at least two; or an
    ASCII rule (+----+----+, |----|----|) with a run of at least three - or =. A rule may leave a
    cell open (├──┤社　　　├──┤: the cell goes on below, merged over both rows, its text perhaps on
    the rule's line): it has a junction (├ ┼ ┤ …, not a mere │) and, between two junctions, a line."""
    body = line.strip(_PAD)
    if len(body) < 2:
        return False
    if all(c in _BOX for c in body) and not all(c in VERTICALS for c in body):
        return True
    if all(c in _ASCII_RULE for c in body) and ("---" in body or "===" in body) and body[0] in "+|":
        return True
    if body[0] not in _BOX or not any(
        c in _BOX and c not in VERTICALS and c not in _HORIZONTALS for c in body
    ):
        return False
    return any(kind == "line" for kind, _, _, _ in _stretches(body))


def _stretches(line: str) -> list[tuple[str, int, int, str]]:
    """(kind, first column, last column + 1, text) of each stretch of a rule between its junctions
    (┼ ├ ┤ │ …): "line" when all line (─ ━ ═), else "open" (blank, or the text of a cell the rule
    leaves open)."""
    found: list[tuple[str, int, int, str]] = []
    column = 0
    start: int | None = None
    chars = ""
    for char in line:
        if char in _BOX and char not in _HORIZONTALS:  # a junction
            if start is not None and chars:
                kind = "line" if all(c in _HORIZONTALS for c in chars) else "open"
                found.append((kind, start, column, chars))
            start, chars = column + display_width(char), ""
        else:
            chars += char
        column += display_width(char)
    return found


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
    # a table's lines as they show: without the characters that show nothing (a byte-order mark
    # where two files were put together, a zero-width space), which would part a rule's strokes
    shown = [(line_no, INVISIBLE.sub("", line)) for line_no, line in lines]
    # each line looked at once: a run with no rule or no boxed line is text, all of it
    rules = [is_rule(line) for _, line in shown]
    boxed = [not rule and is_boxed(line) for rule, (_, line) in zip(rules, shown, strict=True)]
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and (rules[end] or boxed[end]):
            end += 1
        run = shown[index:end]
        if not any(rules[index:end]) or not any(boxed[index:end]):
            out.extend(lines[index : max(end, index + 1)])  # no table: its lines as they are
            index = max(end, index + 1)
            continue
        rows = _rows(run, state)
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


def _rows(run: list[tuple[int, str]], state: ParseState) -> list[tuple[int, str]]:
    """One tab-separated line per row of the run: the boxed lines between two rules. A table with no
    rule between its data rows (only the one under its header) starts a row at each line whose
    first cell is filled (the row's number); a line with a blank first cell continues the row. A
    cell a rule leaves open goes on in the row below: one cell over both rows, its text each's."""
    blocks: list[list[tuple[int, str]]] = []
    opened: list[frozenset[tuple[int, int]]] = []  # per block: the spans the rule above left open
    on_rules: list[tuple[int, tuple[int, int], str]] = []  # (block above, span, text) on a rule's line
    block: list[tuple[int, str]] = []
    above: frozenset[tuple[int, int]] = frozenset()
    for line_no, line in run:
        if is_boxed(line):
            block.append((line_no, line))
            continue
        if block:
            blocks.append(block)
            opened.append(above)
            block = []
        stretches = [(s, e, text) for kind, s, e, text in _stretches(line.rstrip(_PAD)) if kind == "open"]
        above = frozenset((s, e) for s, e, _ in stretches)
        on_rules += [(len(blocks) - 1, (s, e), text) for s, e, text in stretches if blocks]
    if block:
        blocks.append(block)
        opened.append(above)
    if len(blocks) == 1:  # no rule inside the table: the header too is cut at its first cell
        blocks = _by_first_cell(blocks[0])
        opened = [frozenset()] * len(blocks)
    elif len(blocks) == 2:  # a header and one block of rows: rows by their first cells
        blocks = [blocks[0], *_by_first_cell(blocks[1])]
        opened = [frozenset()] * len(blocks)
    pads = _paddings([line for block in blocks for _, line in block])
    pieces = [_pieces([text for _, text in block]) for block in blocks]
    for at, span, text in on_rules:  # a merged cell's line of text beside the rule under the others
        if at < len(pieces) and span in pieces[at]:
            pieces[at][span].append(text)
    _share_merged(pieces, opened)
    budget = sum(len(line) for _, line in run) + MAX_LINE_CHARS
    written: dict[tuple[int, int], str] = {}  # (a cell's pieces, its room) → its text: a merged cell's once
    rows: list[tuple[int, str]] = []
    size = 0
    for block, cells in zip(blocks, pieces, strict=True):
        texts = []
        for (start, end), lines in cells.items():
            room = end - start - pads.get((start, end), 0)
            if (id(lines), room) not in written:
                written[id(lines), room] = _joined(lines, room)
            texts.append(written[id(lines), room])
        size += sum(len(text) + 1 for text in texts)
        if size > budget:  # a cell merged over many rows with text in each: every row has all of it
            raise InputError(
                Issue(
                    state.path,
                    run[0][0],
                    "",
                    f"lines {run[0][0]}–{run[-1][0]}: a table drawn with box-drawing characters whose rows, each "
                    f"with the text of the cells merged over it (a rule left open: ├──┤　　├──┤), come to over "
                    f"{budget:,} characters by line {block[0][0]}: not read (no report's table is that large: "
                    "is a rule left open by mistake?)",
                )
            )
        if any(text.strip() for text in texts):
            rows.append((block[0][0], "\t".join(texts)))
    return rows


def _share_merged(
    pieces: list[dict[tuple[int, int], list[str]]], opened: list[frozenset[tuple[int, int]]]
) -> None:
    """Each cell a rule leaves open goes on in the row below: the rows of one such cell share one
    list of its pieces, all of theirs in order (each row's pieces looked at once)."""
    runs: list[tuple[tuple[int, int], list[int]]] = []  # (span, the rows of one merged cell)
    open_runs: dict[tuple[int, int], list[int]] = {}  # span → the rows of its cell so far
    for index in range(1, len(pieces)):
        for span in opened[index]:
            if span in pieces[index] and span in pieces[index - 1]:
                rows = open_runs.get(span)
                if rows is None or rows[-1] != index - 1:
                    rows = open_runs[span] = [index - 1]
                    runs.append((span, rows))
                rows.append(index)
    for span, rows in runs:
        shared = [piece for row in rows for piece in pieces[row][span]]
        for row in rows:
            pieces[row][span] = shared


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


def _pieces(block: list[str]) -> dict[tuple[int, int], list[str]]:
    """Each cell of one row (by its span, left to right) with its text lines."""
    per_line = [_segments(line) for line in block]
    columns = [(s, e) for s, e, _ in max(per_line, key=len)]  # left to right, apart
    starts = [s for s, _ in columns]
    pieces: dict[tuple[int, int], list[str]] = {span: [] for span in columns}
    for segments in per_line:
        for start, _, text in segments:
            at = bisect_right(starts, start) - 1  # the column whose span holds the segment's start
            if at >= 0 and start < columns[at][1]:
                pieces[columns[at]].append(text)
    return pieces


def _joined(lines: list[str], room: int) -> str:
    """A cell's pieces as one text: wrapped lines joined, lines broken on purpose kept apart."""
    texts = [line.strip(_PAD) for line in lines]
    while texts and not texts[-1]:
        texts.pop()
    while texts and not texts[0]:  # text set low in a tall cell (a cell merged over rows)
        texts.pop(0)
    if not texts:
        return ""
    parts = [texts[0]]  # joined once at the end: a cell of thousands of lines is no square of them
    for before, after in pairwise(texts):
        if _on_purpose(before, after, room):
            parts.append(f"\n{after}")
            continue
        while parts and not parts[-1].rstrip():  # the text so far without its trailing blank
            parts.pop()
        if parts:
            parts[-1] = parts[-1].rstrip()
        last = parts[-1][-1:] if parts else ""  # all joined_text looks at on the left of the break
        parts.append(joined_text(last, after)[len(last) :])
    return "".join(parts)


def _on_purpose(before: str, after: str, room: int) -> bool:
    """Whether the break after ``before`` was typed: the next line's first character had room."""
    if not before or not after:
        return True  # a blank line inside a cell: a paragraph break
    if kinsoku_moved(after):
        return False  # 禁則: the wrap could not leave the mark (or the character before it) up
    return display_width(before) + display_width(after[0]) <= room
