"""Marks on the items pointing to notes under the table: 特定個人情報 shown by a mark, and each
note an item's mark points to kept with the connection.

A report may leave out the 特定個人情報 column and mark the items that are specific personal
information instead (個人番号※), with a note under the table: ※印を付した項目は特定個人情報です.
A careful reader then says of each row whether it involves such information: yes when an item
carries the mark, no when none does (the note covers every row of its table). The note's wording
is data (headers.toml [notes] mark_words; the words of [summary] specific); each row read so gets
an info naming the note.

Or the mark stands in a row's remarks column (備考 ※１) and a note under the table opens with it and
says, as a whole, that such rows involve it (※１　特定個人情報を含むもの。: the wordings of cells.toml
[specific_said] true): a row is then specific when one of its cells carries that mark (not ※１０),
and not specific when none does — provided some row of the table carries it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ketsugo.read.cellnotes import explained_mark, notes_opening_with
from ketsugo.read.headers import Headers
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import normalize
from ketsugo.read.records import Connection
from ketsugo.read.saidflag import said_flag

_DIGITS = "0-9０-９"


def specific_mark(notes: list[tuple[int, str]], spec: Headers) -> tuple[int, str] | None:
    """(line, mark) of the first note saying a mark on the items means specific personal information."""
    pattern = explained_mark("".join(spec.note_markers), spec.mark_words)
    for line_no, text in notes:
        written = normalize(text)
        if not any(word in written for word in spec.summary.get("specific", ())):
            continue
        found = pattern.search(written)
        if found is not None:
            return line_no, "".join(found["mark"].split())  # as items.footnote_of gives it
    return None


def opening_specific_mark(notes: list[tuple[int, str]], spec: Headers) -> tuple[int, str] | None:
    """(line, mark) of the first note opening with a mark (※１, ＊2) whose rest, as a whole, says
    a connection involves specific personal information (※１　特定個人情報を含むもの。)."""
    markers = re.escape("".join(spec.note_markers))
    opening = re.compile(rf"[(（]?(?P<mark>[{markers}][{_DIGITS}]*)[)）]?\s*(?P<rest>.+)")
    for line_no, text in notes:
        found = opening.fullmatch(normalize(text).strip())
        if found is None:
            continue
        said = said_flag([found["rest"]])
        if said is not None and said[0]:
            return line_no, found["mark"]
    return None


def _carries(row: Connection, mark: str) -> bool:
    """A cell of the row holds ``mark`` (※1 is no ※10)."""
    pattern = re.compile(rf"{re.escape(mark)}(?![{_DIGITS}])")
    return any(pattern.search("".join(normalize(cell.text).split())) for cell in row.cells)


def remarks_marked_specific(
    rows: list[Connection],
    notes: list[tuple[int, str]],
    state: ParseState,
    spec: Headers,
    first_line: int = 0,
) -> list[Connection]:
    """The rows of a table with no 特定個人情報 column, their flag read from the mark a note opens
    with and explains (※１　特定個人情報を含むもの。) when some row's cell carries it; else as they are."""
    explained = opening_specific_mark(notes, spec)
    if explained is None:
        return rows
    note_line, mark = explained
    unknown = [row for row in rows if row.specific_personal_information_as_written is None]
    if not any(_carries(row, mark) for row in unknown):
        return rows
    read: list[Connection] = []
    for row in rows:
        if row.specific_personal_information_as_written is not None:
            read.append(row)  # the table has the column: the column says
            continue
        carries = _carries(row, mark)
        state.inform(
            row.line,
            "",
            f"特定個人情報 read from the mark {mark} (the note at line {note_line}): "
            + ("the row carries it: yes" if carries else "the row does not carry it: no"),
        )
        read.append(replace(row, specific_personal_information=carries))
    _column_read_from_marks(state, spec, note_line, mark, first_line, "rows")
    return read


def marked_specific(
    rows: list[Connection],
    notes: list[tuple[int, str]],
    state: ParseState,
    spec: Headers,
    first_line: int = 0,
) -> list[Connection]:
    """The rows of a table with no 特定個人情報 column, their flag read from the marked items when a
    note of the table explains the mark; the other rows (and every row without such a note) as they are.
    ``first_line`` is the section's first line: a missing-column warning before it is another
    table's, whose values the note does not give."""
    explained = specific_mark(notes, spec)
    if explained is None:
        return remarks_marked_specific(rows, notes, state, spec, first_line)
    note_line, mark = explained
    read: list[Connection] = []
    for row in rows:
        if row.specific_personal_information_as_written is not None:
            read.append(row)  # the table has the column: the column says
            continue
        marked = [item.as_written for item in row.items.items if item.footnote == mark]
        state.inform(
            row.line,
            next((h for h in map(row.header_of, ("items", "items_to", "items_from")) if h), ""),
            f"特定個人情報 read from the items marked {mark} (the note at line {note_line}): "
            + (f"yes ({', '.join(marked)})" if marked else "no item is marked"),
        )
        read.append(replace(row, specific_personal_information=bool(marked)))
    if read != rows:
        _column_read_from_marks(state, spec, note_line, mark, first_line)
    return read


def _column_read_from_marks(
    state: ParseState, spec: Headers, note_line: int, mark: str, first_line: int, marked: str = "items"
) -> None:
    """The warning that the 特定個人情報 column is missing ("its values are unknown") made an info:
    the note gives the values, so a reader is told where they came from, not that they are lost."""
    names = set(spec.connection.get("specific", ()))
    unknown = "not in the header: its values are unknown"
    for index, issue in enumerate(state.issues):
        if (
            issue.line >= first_line
            and issue.severity == "warning"
            and issue.field in names
            and issue.message.endswith(unknown)
        ):
            state.issues[index] = replace(
                issue,
                severity="info",
                message=(
                    f"column {issue.field} not in the header: read from the items marked {mark} "
                    f"(the note at line {note_line})"
                    if marked == "items"
                    else f"column {issue.field} not in the header: read from the rows marked {mark} "
                    f"(the note at line {note_line})"
                ),
            )


def item_notes_linked(
    rows: list[Connection], notes: list[tuple[int, str]], state: ParseState
) -> list[Connection]:
    """The rows with the note each of their items' marks points to (個人番号※1 → ※1 …, 住所（注） →
    （注）…) kept as the items' note (kg:itemsNote), after the cell's own note; an info names the
    link, or says that no note, or several, open with the mark (then nothing is added).

    A careful reader follows the mark to its note and reads them together: the note says what the
    mark means for this row's items (a condition, the law, 特定個人情報). Notes are matched as
    cellnotes matches a mark after a value (※1 is no ※10; （注） opens 注）…)."""
    read: list[Connection] = []
    for row in rows:
        marks = list(dict.fromkeys(i.footnote for i in row.items.items if i.footnote))
        if not marks:
            read.append(row)
            continue
        label = next((h for h in map(row.header_of, ("items", "items_to", "items_from")) if h), "")
        linked = [row.items.note] if row.items.note else []
        for mark in marks:
            marked = ", ".join(i.name for i in row.items.items if i.footnote == mark)
            opening = notes_opening_with(mark, notes)
            if len(opening) == 1:
                line, note = opening[0]
                if note not in linked:
                    linked.append(note)
                message = (
                    f"the mark {mark} on the item(s) {marked} points to the note at line {line}: "
                    f"{' '.join(note.split())}; "
                    "kept with the connection as the items' note"
                )
            elif opening:
                lines = ", ".join(str(n) for n, _ in opening)
                message = f"the mark {mark} on the item(s) {marked}: {len(opening)} notes open with it (lines {lines})"
            else:
                message = f"the mark {mark} on the item(s) {marked}: no note under the table opens with it"
            state.inform(row.line, label, message, row.items_as_written or "")
        note = " ".join(linked)
        read.append(row if note == row.items.note else replace(row, items=replace(row.items, note=note)))
    return read
