"""Cells in double quotes running over several lines: a table copied out of a spreadsheet.

Excel (and LibreOffice, and Google Sheets) write a cell holding a line break as tab-separated text
in double quotes, a quote inside it doubled (``""``): the cell's lines become lines of the text.
Such a record is read back here as one line whose cells keep their line breaks ("\\n"); what a
break means is the field's business (:func:`cell_lines_read`): items and parties one a line, a
wrapped name or sentence joined.

Only a record with a quoted cell that runs over lines is read so: a cell in quotes on one line is
left as written (a report may quote a name, "LGWAN-ASP"), and a quote that never closes, or closes
with more text after it, is no spreadsheet quoting: those lines are left as they are.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ketsugo.read.addresses import is_address
from ketsugo.read.layout import ParseState
from ketsugo.read.outline import outline_cell
from ketsugo.read.sources.tables import name_continues
from ketsugo.read.wrapping import joined_text

MAX_LINES = 40  # a quoted cell longer than this is taken for a stray quote, not a cell


def join_quoted_lines(lines: list[tuple[int, str]], state: ParseState) -> list[tuple[int, str]]:
    """The lines with each spreadsheet record whose quoted cell runs over lines made one line
    (numbered by its first line); an info names the lines read as one row (the normal form of a
    copy out of a spreadsheet), a warning where a quoted cell holds a tab (rows a stray quote may
    have joined)."""
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        line_no, line = lines[index]
        record = _record(lines, index) if '"' in line else None
        if record is None:
            out.append((line_no, line))
            index += 1
            continue
        cells, used = record
        out.append((line_no, "\t".join(cells)))
        last = lines[index + used - 1][0]
        written = "\n".join(text for _, text in lines[index : index + used])
        if any("\t" in cell for cell in cells):  # a tab inside quotes: rows swallowed by a stray quote?
            state.warn(
                line_no,
                "",
                f"lines {line_no}–{last} read as one row: a cell in double quotes runs over lines and holds "
                "a tab, as if a stray quote had joined rows; check the row",
                written,
            )
        else:  # the normal form of a table copied out of a spreadsheet: said once a row, no warning
            state.inform(
                line_no,
                "",
                f"lines {line_no}–{last} read as one row: a cell in double quotes runs over lines (a table "
                "copied out of a spreadsheet); each line break is read as the cell's field says",
                written,
            )
        index += used
    return out


def _record(lines: list[tuple[int, str]], start: int) -> tuple[list[str], int] | None:
    """The cells of the record starting at ``lines[start]`` and the number of lines it takes, when a
    quoted cell in it runs over lines; None otherwise (the lines are read as they are)."""
    cells: list[str] = []
    used = 1
    text = lines[start][1]
    position = 0
    spanned = False
    while True:
        if text.startswith('"', position):  # a quoted cell: up to a quote not doubled
            body_start = position + 1
            while True:
                end = _closing_quote(text, body_start)
                if end is not None:
                    break
                if used >= MAX_LINES or start + used >= len(lines):
                    return None  # never closed: a stray quote
                text += "\n" + lines[start + used][1]
                used += 1
                spanned = True
            cells.append(text[body_start:end].replace('""', '"'))
            position = end + 1
            if position < len(text) and text[position] != "\t":
                return None  # text after the closing quote: no spreadsheet quoting
        else:
            tab = text.find("\t", position)
            end = len(text) if tab == -1 else tab
            cells.append(text[position:end])
            position = end
        if position >= len(text):
            return (cells, used) if spanned else None
        position += 1  # the tab
        if position == len(text):
            cells.append("")
            return (cells, used) if spanned else None


def _closing_quote(text: str, start: int) -> int | None:
    """The place of the quote that closes a quoted cell opened before ``start`` (a doubled quote
    "" is a quote inside the cell), or None when this text holds none."""
    position = start
    while (found := text.find('"', position)) != -1:
        if text.startswith('""', found):
            position = found + 2
            continue
        return found
    return None


# How a line break inside a cell is read, by the field its column fills: a list (items, parties,
# dates) has one entry a line; any other cell is a name or a sentence wrapped in its box.
_LISTS = frozenset({"items", "items_to", "items_from", "counterparties", "start_date", "end_date"})
_ITEMS = frozenset({"items", "items_to", "items_from"})
_LIST_ENDS = ("、", "，", ",", "・", "／", "/")
# A line giving where a party is (an address: ketsugo.read.addresses, or a whole line in brackets): not a party
_BRACKETED = re.compile(r"^\s*[（(].*[)）]\s*$")


def cell_lines_read(text: str, field: str) -> str:
    """A cell holding line breaks, read as one line for its field.

    Items, parties and dates are lists: each line is an entry, joined by 、 (a line that already
    ends with a separator, or one starting a 【group】 or a numbered entry, is joined by a space,
    which docs/items.md reads as a separator before a marker). A party's address on a line of its
    own (〒…, 東京都千代田区一番町1-1: one rule with the graph's, :mod:`ketsugo.read.addresses`; or in
    brackets) is a note on the party before it, put in brackets after its name; a break inside one
    party's name (社会保険診療報酬 / 支払基金: :func:`ketsugo.read.sources.tables.name_continues`) joins.
    Any other cell (a name, a reason) is text wrapped in its box: the lines are joined as a row
    wrapped across lines is (:func:`ketsugo.read.wrapping.joined_text`).
    Items written as an outline (・heading over 　－item lines) give 【heading】 groups
    (:func:`ketsugo.read.outline.outline_cell`, docs/items.md rule 12).
    """
    if "\n" not in text:
        return text
    if field in _ITEMS and (grouped := outline_cell(text.split("\n"))) is not None:
        return grouped
    parts = [part.strip() for part in text.split("\n") if part.strip()]
    if not parts:
        return ""
    if field not in _LISTS:
        joined = parts[0]
        for part in parts[1:]:
            joined = joined_text(joined, part)
        return joined
    joined = parts[0]
    for previous, part in pairwise(parts):
        if field == "counterparties" and is_address(part):
            joined += f"（{part}）"
        elif field == "counterparties" and _BRACKETED.match(part):
            joined += part
        elif field == "counterparties" and name_continues(previous, part):
            joined += part  # a break inside one party's name (地方公共団体情報 / システム機構)
        elif joined.endswith(_LIST_ENDS) or (field == "items" and part.startswith(("【", "［", "["))):
            joined += " " + part if not joined.endswith(_LIST_ENDS) else part
        elif field == "items" and joined.endswith(("】", "］", "]")):
            joined += part  # a 【heading】 alone on its line: its items follow
        else:
            joined += "、" + part
    return joined
