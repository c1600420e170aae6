"""Note references after a cell's value: （株）ABC※4, 令和6年4月＊1, 総務省注2.

A report points from a cell to a note under its table with a mark after the value — on a web page
a superscript (<sup>※4</sup>), in a PDF or a text copy the same characters right after it. The
mark is no part of the value: read into it, ※4 makes a party 「(株)ABC※4」, a name no register
knows. A careful reader reads the value without the mark and follows the mark to the note. So
each such mark is taken off the value, and an info keeps it — with the note it points to when
one note under the table opens with that mark (the reference is then linked), and the cell as
written. The marks are data: headers.toml [notes] markers (※ ＊ *) and reference_words (注N).

A mark before a value (※株式会社A: a superscript set before the name) is read the same way. A
mark on a date keeps the note it points to as that date's note (kg:startDateNote …).

Item lists keep their own reading of marks (個人番号※: :mod:`ketsugo.read.items`, where a mark
may say the item is 特定個人情報, :mod:`ketsugo.read.footmarks`), so their columns are left alone.

Two more readings of a party cell's values live here, as they rewrite the cell before it is read:
a value marked as the one before a change (株式会社A（変更前）) is no party any more, and a stray
single letter among the names (A 株式会社B) is warned about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.brackets import split_top_level
from ketsugo.read.headers import Headers, headers
from ketsugo.read.items import change_remark_of, is_old_value
from ketsugo.read.layout import ParseState
from ketsugo.read.legend import stray_letters
from ketsugo.read.normalize import normalize
from ketsugo.read.records import Connection
from ketsugo.read.table import column_name

# Fields whose cells are read item by item, each item's mark kept (items.footnote_of), and the
# connection number (a mark there is no value's reference).
_OWN_READING = frozenset({"items", "items_to", "items_from", "number"})
_DIGITS = "0-9０-９"


@dataclass(frozen=True)
class NoteReference:
    """A note mark taken off a cell's value: where it stood, the mark and the cell as written."""

    line: int
    label: str  # the column's header
    mark: str  # normalised: ※4, *1, 注2
    value: str  # the value without it
    as_written: str
    before: bool = False  # written before the value (※株式会社A), not after it


@cache
def _mark(markers: str, words: tuple[str, ...]) -> re.Pattern[str]:
    """A note mark right after a value, at the cell's end or before a list separator: a marker with
    an optional number (※, ※4, ＊1, （※2）) or a reference word with its number (注3), or alone in
    brackets (（注）); or the same mark right before a value, at the cell's start or after a list
    separator or a line break (※株式会社A, 株式会社B、＊1株式会社C; 株式会社B⏎※株式会社C). A mark after a
    space inside a line opens a remark (株式会社A ※再委託あり): left alone."""
    said = "|".join(re.escape(w) for w in words) or "(?!)"
    mark = rf"[{re.escape(markers)}]\s*[{_DIGITS}]{{0,3}}(?![{_DIGITS}])|(?:{said})\s*[{_DIGITS}]{{1,3}}(?![{_DIGITS}])"
    return re.compile(
        rf"(?<=[^\s{re.escape(markers)}、，,／/])\s*(?P<mark>{mark}|[（(](?:{mark}|{said})[)）])"
        rf"(?=\s*(?:[、，,／/]|$))"
        rf"|(?:^|(?<=[、，,／/]))\s*(?P<before>{mark}|[（(](?:{mark}|{said})[)）])\s*"
        rf"(?=[^\s{re.escape(markers)}、，,／/])",
        re.MULTILINE,  # a line break in the cell separates two values (株式会社A※ / ※株式会社B)
    )


@cache
def _reference_words() -> tuple[str, ...]:
    return tuple(reference_toml("headers.toml")["notes"].get("reference_words", ()))


def marks_taken_off(
    cells: list[str], header: list[str], fields: dict[str, int], line_no: int, spec: Headers
) -> tuple[list[str], list[NoteReference]]:
    """``cells`` with each note mark after a value taken off (in every field's column but the item
    lists and No.), and the references taken."""
    pattern = _mark("".join(spec.note_markers), _reference_words())
    own = {index for name, index in fields.items() if name in _OWN_READING}
    read = {index for name, index in fields.items() if name not in _OWN_READING}
    out = list(cells)
    taken = []
    for index, text in enumerate(cells):
        if index in own or index not in read or not text.strip():
            continue
        marks = [m for m in pattern.finditer(text) if m["before"] is not None or m.start() > 0]
        if not marks:
            continue
        value = text
        for found in reversed(marks):
            value = value[: found.start()] + value[found.end() :]
        if not value.strip():
            continue
        out[index] = value
        label = column_name(header, index)
        for found in marks:
            before = found["before"] is not None
            mark = "".join(normalize(found["before"] if before else found["mark"]).strip("()").split())
            taken.append(NoteReference(line_no, label, mark, value.strip(), text, before))
    return out, taken


def inform_references(
    references: list[NoteReference], notes: list[tuple[int, str]], state: ParseState
) -> None:
    """An info for each mark taken off a value, naming the note it points to when exactly one note
    of the table opens with that mark (※4 …), or saying none does."""
    for ref in references:
        opening = notes_opening_with(ref.mark, notes)
        mark, value = ref.mark, ref.value
        lines = ", ".join(str(n) for n, _ in opening)
        note = " ".join(opening[0][1].split()) if opening else ""
        line = opening[0][0] if opening else 0
        if ref.before and len(opening) == 1:
            message = (
                f"a note mark {mark} before the value is a reference to a note, no part of the value: "
                f"read as {value}; it points to the note at line {line}: {note}"
            )
        elif ref.before and opening:
            message = (
                f"a note mark {mark} before the value is a reference to a note, no part of the value: "
                f"read as {value}; {len(opening)} notes open with {mark} (lines {lines})"
            )
        elif ref.before:
            message = (
                f"a note mark {mark} before the value is a reference to a note, no part of the value: "
                f"read as {value}; no note under the table opens with {mark}"
            )
        elif len(opening) == 1:
            message = (
                f"a note mark {mark} after the value is a reference to a note, no part of the value: "
                f"read as {value}; it points to the note at line {line}: {note}"
            )
        elif opening:
            message = (
                f"a note mark {mark} after the value is a reference to a note, no part of the value: "
                f"read as {value}; {len(opening)} notes open with {mark} (lines {lines})"
            )
        else:
            message = (
                f"a note mark {mark} after the value is a reference to a note, no part of the value: "
                f"read as {value}; no note under the table opens with {mark}"
            )
        state.inform(ref.line, ref.label, message, ref.as_written)


def notes_opening_with(mark: str, notes: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The notes under a table that open with ``mark`` (※1, 注2, 注): ※1 …, 注2：…, （注）…, 注）…
    — not ※10 for ※1. Brackets around the mark, and white space, do not count."""
    wanted = "".join(normalize(mark).strip("()").split())
    opens = re.compile(rf"[(（]?{re.escape(wanted)}[)）]?(?![{_DIGITS}])")
    found = [(line, text) for line, text in notes if opens.match("".join(normalize(text).split()))]
    if len(found) > 1:  # ※ …, ※ ※印を付した項目は…: the note saying what the mark means
        return [n for n in found if _says_what_mark_means(wanted, n[1])] or found
    return found


def _says_what_mark_means(mark: str, note: str) -> bool:
    """The note explains ``mark`` itself (※印を付した項目は…, ※1のある項目は…): a word of headers.toml
    [notes] mark_words right after the mark."""
    spec = headers()
    pattern = explained_mark("".join(spec.note_markers), spec.mark_words)
    return any("".join(found["mark"].split()) == mark for found in pattern.finditer(normalize(note)))


@cache
def explained_mark(markers: str, words: tuple[str, ...]) -> re.Pattern[str]:
    """A mark (※, ※1, ＊) followed by a word saying it marks something (印, を付した)."""
    said = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?P<mark>[{re.escape(markers)}]\s*[0-9]*)\s*(?:{said})")


# Fields whose cells list values, one of which may be marked as the value before a change
_LISTS_OF_VALUES = frozenset({"counterparties"})
_VALUE_SEPARATORS = "、，,\n／/"


def old_values_taken_off(
    cells: list[str], header: list[str], fields: dict[str, int], line_no: int, state: ParseState
) -> list[str]:
    """``cells`` with each party marked as the value before a change (株式会社A（変更前）) taken out
    of its list, and the remark on the value after it (株式会社B（変更後）) taken off its name: the new
    party is the one data flows to now (legends.toml [change_remarks] old; docs/items.md rule 15
    reads items so). A warning names the old party, keeping the cell as written; a cell holding
    only old values is left as it is (a warning says so)."""
    out = list(cells)
    for name in _LISTS_OF_VALUES:
        index = fields.get(name)
        if index is None or index >= len(cells) or not _has_change_remark(cells[index]):
            continue
        text = cells[index]
        pieces = split_top_level(text, _VALUE_SEPARATORS)
        read = [change_remark_of(p.strip()) for p in pieces if p.strip()]
        old = [value + remark for value, remark in read if is_old_value(remark)]
        new = [value for value, remark in read if not is_old_value(remark)]
        label = column_name(header, index)
        remarks = [value + remark for value, remark in read if remark and not is_old_value(remark)]
        if not old and not remarks:
            continue
        separator = next((c for c in text if c in _VALUE_SEPARATORS), "、")
        if not old:  # 株式会社B（追加）: the remark says how the list changed, no part of the name
            out[index] = separator.join(new)
            state.inform(
                line_no,
                label,
                f"a change remark after a party ({'、'.join(remarks)}) is no part of its name: read as "
                f"{out[index]}",
                text,
            )
            continue
        if not new:
            state.warn(
                line_no,
                label,
                f"every value is marked as the one before a change ({'、'.join(old)}): kept as written",
                text,
            )
            continue
        out[index] = separator.join(new)
        state.warn(
            line_no,
            label,
            f"{'、'.join(old)} is marked as the value before a change: it no longer flows, not read as a "
            f"party of the connection; read as {out[index]} (the value after it)",
            text,
        )
    return out


def _has_change_remark(text: str) -> bool:
    """A cheap first look: a bracket closes some value (most cells have none)."""
    return ")" in text or "）" in text


def stray_letters_warned(
    cells: list[str], header: list[str], fields: dict[str, int], line_no: int, state: ParseState
) -> None:
    """A warning for a single letter standing as a word of its own among the names of a party cell
    (A 株式会社Ｂ; 株式会社Ｂ、C): no part of a name a register knows — a code of a legend left behind,
    a mark copied in? The cell is read as written; a careful reader asks."""
    for name in _LISTS_OF_VALUES:
        index = fields.get(name)
        if index is None or index >= len(cells) or not cells[index].strip():
            continue
        found = [
            letter
            for piece in split_top_level(cells[index], _VALUE_SEPARATORS)
            for letter in stray_letters(piece)
        ]
        if len(split_top_level(cells[index], _VALUE_SEPARATORS)) > 1 and not found:
            found = stray_letters(cells[index])  # 株式会社Ｂ、C: a piece that is one letter
        if found:
            state.warn(
                line_no,
                column_name(header, index),
                f"a stray letter {' '.join(found)} among the names of {cells[index].strip()!r}: no part of a "
                "party's name (a legend's code or a mark left behind?); read as written",
                cells[index],
            )


def date_notes_linked(
    rows: list[Connection], references: list[NoteReference], notes: list[tuple[int, str]]
) -> list[Connection]:
    """The rows with the note a mark on a date points to (令和7年8月1日※2 → ※2 …) kept as that date's
    note (kg:startDateNote, kg:endDateNote, kg:changeDateNote: a remark on the date), after a remark
    written beside the date. Only a mark that exactly one note opens with (inform_references says
    which); other cells have no note of their own: the info is their link."""
    linked: dict[tuple[int, str], list[str]] = {}
    for ref in references:
        opening = notes_opening_with(ref.mark, notes)
        if len(opening) == 1:
            linked.setdefault((ref.line, ref.value), []).append(opening[0][1].strip())
    if not linked:
        return rows

    def noted(line: int, written: str | None, own: str | None) -> str | None:
        found = linked.get((line, written.strip())) if written else None
        return " ".join([*([own] if own else []), *dict.fromkeys(found)]) if found else own

    return [
        replace(
            row,
            start_date_note=noted(row.line, row.start_date_as_written, row.start_date_note),
            end_date_note=noted(row.line, row.end_date_as_written, row.end_date_note),
            change_date_note=noted(row.line, row.change_date_as_written, row.change_date_note),
        )
        for row in rows
    ]
