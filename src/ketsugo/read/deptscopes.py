"""A department named once over its sections: each 課's own sheet or page.

A town's report gathered from its departments often gives each 課 a sheet (or a page) of its own:
its name on a line of its own (a sheet's merged title line, 「税務課」), then that sheet's sections —
「１　新規に結合したもの」 with its table, 「２　廃止したもの」 with its table — whose tables have no 課
column. The department is given by the heading, not by a column: every row of the tables below it
belongs to it, up to the next such heading (the next sheet's) or a heading of a section without
connections (the summary, the closing block).

A department heading is a line as :func:`ketsugo.read.columns.department_heading` reads one (a
short line whose last word ends as a department's name does: 課, 室, 所 …), not an implementing
agency's name (教育委員会: read/agencyheadings.py), not right under a table row (the rest of a
wrapped cell; a blank line between them parts them), whose next line that says something is the heading of a section of connections.
Such a line is taken out of the sections (it is neither a table's line nor text before the
tables), kept as a section note, and said with an info; the tables below read their department
from it (read/connections.py), a table with a 課 column of its own keeping its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Set as AbstractSet

from ketsugo.read.agencyheadings import names_agency
from ketsugo.read.columns import department_heading
from ketsugo.read.eras import shown
from ketsugo.read.headers import headers, is_note_line
from ketsugo.read.layout import CONNECTION_SECTIONS, ParseState, section_of
from ketsugo.read.proseblocks import prose_block_lines


def take_department_scopes(lines: list[tuple[int, str]], state: ParseState) -> list[tuple[int, str]]:
    """The lines without the department headings over sections (see the module), each recorded in
    ``state.department_scopes`` as (its line, the line it holds until, the department)."""
    kept: list[tuple[int, str]] = []
    open_scope: int | None = None  # index in state.department_scopes of the scope in force
    previous = ""  # the last line that said something
    first = next((n for n, text in lines if text.strip()), 0)  # the report's title: never a sheet's
    prose = prose_block_lines(lines)  # （２）担当課　市民課 over （３）結合先…: a card's fields, no headings
    for index, (line_no, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append((line_no, line))
            continue
        after_row, previous = "\t" in previous, line
        number = section_of(line, after_row) if "\t" not in line else None
        if number is not None and number not in CONNECTION_SECTIONS and open_scope is not None:
            start, _, department = state.department_scopes[open_scope]
            state.department_scopes[open_scope] = (start, line_no, department)  # the summary, the closing
            open_scope = None
        under_row = index > 0 and "\t" in lines[index - 1][1]  # a wrapped cell's rest, copied
        found = None if under_row else department_heading(line)
        if (
            found is None
            or line_no in prose
            or names_agency(found[0])
            or not _over_section(lines, index, prose)
        ):
            kept.append((line_no, line))
            continue
        department = found[0]
        if open_scope is not None:
            start, _, held = state.department_scopes[open_scope]
            state.department_scopes[open_scope] = (start, line_no, held)
        state.department_scopes.append((line_no, _NO_END, department))
        open_scope = len(state.department_scopes) - 1
        state.inform(
            line_no,
            headers().connection["departments"][0],
            f"department heading over the sections below: the rows of their tables without a 課 column "
            f"belong to {department}, up to the next such heading (as written: {stripped})",
            stripped,
        )
        state.section_notes.append((line_no, stripped))  # kept as written, as a heading in a table is
        _take_sheet_heading(kept, first, stripped, state)
    return kept


# At most this many lines right above a department heading are its sheet's heading
_SHEET_HEADING_LINES = 2
# A line of a sheet's heading is at most this long (a title, not a sentence)
_SHEET_HEADING_LENGTH = 60


def _take_sheet_heading(kept: list[tuple[int, str]], first: int, heading: str, state: ParseState) -> None:
    """Take off the end of ``kept`` the lines right above the department heading ``heading`` (no
    blank line between) that head its sheet or page — its title (令和６年度　外部結合状況報告書（各課
    記入用）), the sheet's name a copy writes above the sheet (税務課) —, each kept as written with an
    info and recorded in ``state.sheet_headings`` (a title may give the fiscal year): at most two
    short lines, no cells, no sentence, no note, no section heading, never the report's first line.
    Left in the sections, they were lines not understood in the table above."""
    spec = headers()
    taken: list[tuple[int, str]] = []
    while kept and len(taken) < _SHEET_HEADING_LINES:
        line_no, line = kept[-1]
        text = line.strip()
        if (
            not text
            or line_no == first
            or "\t" in text
            or "。" in text
            or len(text) > _SHEET_HEADING_LENGTH
            or is_note_line(text, spec)
            or section_of(text) is not None
        ):
            break
        taken.append(kept.pop())
    for line_no, line in reversed(taken):
        text = line.strip()
        state.unread.append((line_no, line))  # kept as written in the graph
        state.opening.add(line_no)  # said here, not as a line not understood
        state.sheet_headings.append((line_no, text))
        state.inform(
            line_no,
            "",
            f"the heading of a department's sheet or page (above {shown(heading)}): kept as written",
            text,
        )


# The line a scope holds until when nothing ends it: past any line of a report
_NO_END = 10**9


def _over_section(lines: list[tuple[int, str]], index: int, prose: AbstractSet[int]) -> bool:
    """The next line after ``index`` that says something opens a section of connections (it is no
    field of a prose block: read/proseblocks.py)."""
    after_no, after = 0, ""
    for later in range(index + 1, len(lines)):  # (by index: no copy of the rest of the report each time)
        if lines[later][1].strip():
            after_no, after = lines[later]
            break
    return "\t" not in after and after_no not in prose and section_of(after) in CONNECTION_SECTIONS


def scoped_department(state: ParseState, line: int) -> tuple[int, str] | None:
    """(the heading's line, the department) of the department heading whose sections hold ``line``.
    The scopes follow one another in the report's order, none inside another (a heading ends the
    one before it): the last opening above the line is the only one that may hold it."""
    scopes = state.department_scopes
    at = bisect_left(scopes, (line,)) - 1  # the last scope starting above the line
    if at < 0 or not line < scopes[at][1]:
        return None
    return scopes[at][0], scopes[at][2]
