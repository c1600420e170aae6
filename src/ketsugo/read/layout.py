"""The report's layout: its lines, its sections and the fiscal year its headings name.

Every line keeps the number of its line in the file. Control characters are read here, before
anything else: the layout controls a text file may hold (textio.LAYOUT_CONTROLS) with a warning,
any other as an error. Sections are found by their headings: (2) / （２） / ⑵ / 2. / ２ / 【新規】,
the keywords of headers.toml [sections] (新た/新規 → (2), 終了/廃止 → (3)) deciding over the
number. The fiscal year is read from the layout only (title, section headings, summary header),
never from table rows.

:class:`ParseState` gathers what the reading of one report finds (issues, unread lines, notes,
statements), so that problems are collected rather than raised one by one.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

from ketsugo.errors import Issue
from ketsugo.paths import reference_toml
from ketsugo.read.agencyheadings import lines_around, under_row_heading
from ketsugo.read.brackets import trailing_paren
from ketsugo.read.eras import (
    EraDateError,
    fiscal_years,
    kanji_to_int,
    leading_fiscal_year,
    parse_date_cell,
    shown,
)
from ketsugo.read.headers import Headers, headers, is_note_line
from ketsugo.read.legend import Legend
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.proseblocks import prose_block_lines
from ketsugo.read.records import Statement
from ketsugo.read.textio import LAYOUT_CONTROLS

# A section heading: (2) / （２） / ⑵ (any title), 2. / ２． / ２ + space, 【新規】 or a mark such as
# ■ before a title (these three only with a keyword of headers.toml [sections] in the title: see
# _section_of).
_SECTION = (
    r"^\s*(?:[（(]\s*(?P<n>[0-9０-９]{1,3})\s*[)）]|(?P<c>[⑴-⒇])|(?P<d>[0-9０-９]{1,2})(?:[.．]|\s)"
    r"|第\s*(?P<k>[0-9０-９一二三四五]{1,2})\s*(?:[.．、]|\s)?|(?P<r>[ⅠⅡⅢⅣⅤ])\s*(?:[.．、]|\s)"
    r"|(?P<j>[一二三四五])\s*[、．.]|【(?P<b>[^】]*)】|(?P<m>{marks})\s*)\s*(?P<title>.*)$"
)


@cache
def _section_pattern() -> re.Pattern[str]:
    """The heading pattern with the marks of headers.toml [sections] (■新たに…) in it."""
    marks = "|".join(re.escape(m) for m in headers().section_marks) or "(?!)"
    return re.compile(_SECTION.replace("{marks}", f"(?:{marks})"))


@dataclass(frozen=True)
class CountLine:
    """A count line under a connection table (計 | 4件): the report's own count of the rows above it."""

    section: int
    line: int
    label: str  # its first cell as written (計, 合計)
    word: str  # the count word, as a match key
    count: int
    as_written: str


@dataclass
class ParseState:
    """What reading one report has found so far: issues, unread lines, notes, statements, headings."""

    path: str
    lenient: bool
    issues: list[Issue] = field(default_factory=list)
    unread: list[tuple[int, str]] = field(default_factory=list)
    opening: set[int] = field(default_factory=set)  # unread lines that are text outside the tables
    section_notes: list[tuple[int, str]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (N) section heading lines
    # headings that went back to an earlier section: (line, as written, its section, the section left)
    restarts: list[tuple[int, str, int, int]] = field(default_factory=list)
    summary_header: tuple[int, list[str]] | None = None
    absent_reported: set[tuple[int, str]] = field(default_factory=set)  # (section, field) warned about
    # control-character findings: (index in issues, line, field number), named once the line's header is known
    controls: list[tuple[int, int, int]] = field(default_factory=list)
    row_headers: dict[int, list[str]] = field(default_factory=dict)  # line of a table row → its header row
    # numbers of the rows of a table listing new and ended rows together (a 区分 column), by table
    combined_numbers: list[list[tuple[int, int]]] = field(default_factory=list)  # (line, No.)
    legend: Legend = field(default_factory=Legend)  # the report's legend of item codes (凡例), if any
    count_lines: list[CountLine] = field(default_factory=list)  # 計 4件 under connection tables
    # (line, section) of each heading that opens a section other than the one before it (a sheet's
    # 「１　新規…」 after the sheet before ended in 「２　廃止…」): a table's count starts there
    openings: list[tuple[int, int]] = field(default_factory=list)
    # a department heading over a sheet's sections: (its line, the line it holds until, the 課)
    department_scopes: list[tuple[int, int, str]] = field(default_factory=list)
    sheet_headings: list[tuple[int, str]] = field(default_factory=list)  # the lines above such a heading

    def problem(
        self, line: int, field_name: str, message: str, as_written: str = "", kind: str = "reading"
    ) -> None:
        self.issues.append(Issue(self.path, line, field_name, message, as_written, kind=kind))

    def warn(
        self, line: int, field_name: str, message: str, as_written: str = "", kind: str = "reading"
    ) -> None:
        self.issues.append(Issue(self.path, line, field_name, message, as_written, "warning", kind=kind))

    def inform(
        self, line: int, field_name: str, message: str, as_written: str = "", kind: str = "reading"
    ) -> None:
        self.issues.append(Issue(self.path, line, field_name, message, as_written, "info", kind=kind))


class HasLine(Protocol):
    """A record read from a line of the report (a connection row)."""

    @property
    def line(self) -> int: ...


# A carriage return (textio reads it as a line end) and the controls textio lets through as text
# (textio.LAYOUT_CONTROLS): what each is read as, and how.
_LAYOUT_READINGS = {
    "\r": ("\n", "read as a line break"),
    "\x0c": ("\n", "(a page break) read as a line break"),
    "\x0b": (" ", "(a line break inside a cell) read as a space"),
    "\x1a": ("", "read as nothing"),
}


# Every control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) but the tab
_ANY_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def read_lines(text: str, state: ParseState) -> list[tuple[int, str]]:
    """(line number, text) of every line; each keeps the number of its line in the file.

    The layout controls a text file may hold (textio.LAYOUT_CONTROLS) are read with a warning: a
    form feed breaks the line (both parts keep the file's line number), a vertical tab is a space,
    a DOS end-of-file mark is dropped. Any other control character is an error (see
    ``_check_controls``).

    A line that is one cell padded with tabs (a sheet copied out of Excel pads every line to the
    used range: 「１　外部結合の件数⇥⇥⇥」) reads as the line without them: a heading, a note, a
    blank line. A line with cells of its own keeps its tabs (its blank last cells are fields).
    """
    lines: list[tuple[int, str]] = []
    for line_no, written in enumerate(text.split("\n"), start=1):
        written = _unpadded(written)
        if not _ANY_CONTROL.search(written):
            lines.append((line_no, written))  # most lines: plain text
            continue
        line = written
        for char in dict.fromkeys(c for c in written if c in _LAYOUT_READINGS):
            name = LAYOUT_CONTROLS.get(char, "carriage return")
            reading, how = _LAYOUT_READINGS[char]
            state.warn(line_no, "", f"{name} U+{ord(char):04X} {how}", _escaped(written))
            line = line.replace(char, reading)
        lines.extend((line_no, _check_controls(part, line_no, state)) for part in line.split("\n"))
    return lines


def _unpadded(line: str) -> str:
    """The line without trailing tabs when nothing but them makes it a table row (see read_lines)."""
    body = line.rstrip("\r")
    bare = body.rstrip("\t")
    return bare + line[len(body) :] if bare != body and "\t" not in bare else line


def _check_controls(line: str, line_no: int, state: ParseState) -> str:
    """Report control characters (other than tab) in a line, and read each as U+FFFD.

    The issue names each one by code point and place and holds the line with them escaped,
    so nothing is lost; the records (and so the graph) hold only text.
    """
    bad = [i for i, c in enumerate(line) if c != "\t" and unicodedata.category(c) == "Cc"]
    if not bad:
        return line
    first = bad[0]
    field_no = line.count("\t", 0, first) + 1
    codes = ", ".join(sorted({f"U+{ord(line[i]):04X}" for i in bad}))
    state.problem(
        line_no,
        "",
        f"control character {codes} in field {field_no} at column {first + 1}: expected text "
        "(binary data, or a broken export?)",
        _escaped(line),
    )
    state.controls.append((len(state.issues) - 1, line_no, field_no))
    replaced = set(bad)
    return "".join("\ufffd" if i in replaced else c for i, c in enumerate(line))


def name_control_columns(state: ParseState) -> None:
    """A control character's finding names the column it stands in (its header cell, as written),
    when its line turned out to be a row under a header; the lines are read before any header is."""
    for index, line_no, field_no in state.controls:
        header = state.row_headers.get(line_no)
        if header is None or field_no > len(header) or not header[field_no - 1].strip():
            continue
        state.issues[index] = replace(state.issues[index], field=header[field_no - 1].strip())


def _escaped(text: str) -> str:
    """``text`` with control characters (other than tab) written as \\xNN, for a finding's as-written."""
    return "".join(f"\\x{ord(c):02x}" if c != "\t" and unicodedata.category(c) == "Cc" else c for c in text)


def report_fiscal_year(
    title: tuple[int, str],
    state: ParseState,
    given: int | None,
    opening: Sequence[tuple[int, str]] = (),
) -> int | None:
    """The year the layout names: the title, the section headings and the summary header row;
    when none of them names one, the lines before the tables (``opening``) that open with a fiscal
    year (see :func:`_opening_year`).

    Table rows are never read (a council decision of another year is no heading). Each source
    names the latest year it mentions; one that also names the year before (the summary header's
    previous-year column) agrees with it. When the sources name different years, the year is
    unclear: an error asking for --fiscal-year, or a warning when the caller gave the year.
    """
    sources: list[tuple[int, str, list[int]]] = []  # (line, what it is, years it names)
    if title[1] and "\t" not in title[1]:
        sources.append((title[0], shown(title[1], 40), fiscal_years(title[1])))
    for line_no, line in state.headings:
        if (line_no, line.strip()) != title:
            sources.append((line_no, shown(line.strip(), 40), fiscal_years(line)))
    if state.summary_header is not None:
        line_no, cells = state.summary_header
        sources.append((line_no, "the summary header", [y for c in cells for y in fiscal_years(c)]))
    named = sorted((n, what, years) for n, what, years in sources if years)
    if not named:
        return _opening_year(opening, state)
    latest = {max(years) for _, _, years in named}
    stray = [n for n, _, years in named if min(years) < max(years) - 1]
    if len(latest) <= 1 and not stray:
        return latest.pop() if latest else None
    said = "; ".join(
        f"line {n} names {', '.join(str(y) for y in dict.fromkeys(years))} ({what})"
        for n, what, years in named
    )
    message = f"the headings disagree about the fiscal year: {said}"
    first = max(named[0][2])
    at_line = stray[0] if stray else next(n for n, _, years in named if max(years) != first)
    if given is None:
        state.problem(at_line, "", message + "; give --fiscal-year")
    else:
        state.warn(at_line, "", f"{message}; the fiscal year given ({given}) is used")
    return None


# A line before the tables giving the fiscal year is at most this long (a title, not a sentence)
_OPENING_YEAR_LENGTH = 60


def _opening_year(opening: Sequence[tuple[int, str]], state: ParseState) -> int | None:
    """The fiscal year of the lines before the tables that open with one — 「令和６年度」 on a line of
    its own (a cover sheet), 「令和６年度　外部結合状況報告書（各課記入用）」 (a sheet's title): a short
    line, no cells, no note, no sentence — when they all name the same year, with an info; else None."""
    found: list[tuple[int, int, str]] = []
    for line_no, line in opening:
        text = line.strip()
        if not text or "\t" in text or "。" in text or len(text) > _OPENING_YEAR_LENGTH:
            continue
        if is_note_line(text, headers()):
            continue
        year = leading_fiscal_year(text)
        if year is not None:
            found.append((line_no, year, text))
    if not found or len({year for _, year, _ in found}) > 1:
        return None
    line_no, year, text = found[0]
    state.inform(
        line_no,
        "",
        f"fiscal year {year} read from the line {shown(text, 40)} before the tables (no heading names a "
        "fiscal year)",
        text,
    )
    return year


# The section number of the report's closing block (■問い合わせ先 and what follows it)
CLOSING = 98


def split_sections(lines: list[tuple[int, str]], state: ParseState) -> dict[int, list[tuple[int, str]]]:
    """Lines by section number: 0 before the first (N) heading; 99 for unknown sections; CLOSING
    for the closing block (a heading naming 問い合わせ先 or 連絡先, headers.toml [sections] closing).

    A numbered line right after a table row, with no section keyword in it, is no heading: in
    text copied out of a PDF it is the rest of a wrapped cell (⑵所得情報…, (3)生年月日).
    """
    sections: dict[int, list[tuple[int, str]]] = {0: []}
    current = 0
    previous = ""
    sub_heading = ""  # the section's last agency sub-heading (（2）教育委員会), as written
    # a prose block's title and field lines (（２）担当課　市民課) are no headings: read/proseblocks.py
    prose = prose_block_lines(lines)
    for index, (line_no, line) in enumerate(lines):
        after_row, previous = "\t" in previous, line
        number = _section_of(line, after_row) if "\t" not in line and line_no not in prose else None
        words = _all_section_words()
        if (
            "\t" not in line
            and line_no not in prose
            and current
            and under_row_heading(line, words, sub_heading, *lines_around(lines, index))
        ):
            number = None  # （1）知事 inside a section: an agency's sub-heading (read/agencyheadings.py)
            sub_heading = line  # （3）企業局 after it is the next agency's, no section (3)
        if number is not None:
            if number != current:
                state.openings.append((line_no, number))
            if 0 < number < current < CLOSING:  # （１）… under ２　…: said where a row lands astray
                state.restarts.append((line_no, line.strip(), number, current))
            current = number
            sub_heading = ""
            sections.setdefault(current, [])
            if current in (99, CLOSING):
                sections[current].append((line_no, line))  # its heading too is kept as written
            else:
                state.headings.append((line_no, line))
            continue
        sections.setdefault(current, []).append((line_no, line))
    return sections


# The sections of connections (new, ended, changed)
CONNECTION_SECTIONS = (2, 3, 4)


def section_of(line: str, after_row: bool = False) -> int | None:
    """The section a heading line opens, or None (see ``_section_of``)."""
    return _section_of(line, after_row)


@cache
def _all_section_words() -> tuple[str, ...]:
    return tuple(word for words in headers().section_words.values() for word in words)


def _section_of(line: str, after_row: bool = False) -> int | None:
    """The section a heading line opens (1, 2, 3; 4 for changes; 99 for an unknown numbered one), or None.

    Keywords in the title (headers.toml [sections]: 新た/新規 → 2, 終了/廃止 → 3, 件数/状況 → 1,
    変更 alone → 4, a section of changes to existing connections)
    decide when they name exactly one section, whatever the number says; else the number does.
    The dotted or bare number (2. / ２ …) and the bracket (【新規】) count only with a keyword;
    so does any number right after a table row (``after_row``).
    """
    match = _section_pattern().match(line)
    if not match:
        return _bare_section(line)
    title = normalize(f"{match['b'] or ''} {match['title']}")
    if match["d"] is not None and "。" in title:
        return None  # １　…の結合。廃止の理由は…: a numbered sentence, no heading
    named = {n for n, words in headers().section_words.items() if any(w in title for w in words)}
    if len(named) == 1:
        return named.pop()
    if not named and any(word in title for word in headers().closing_words):
        return CLOSING  # ■問い合わせ先: the report's closing block, whatever mark or number
    if after_row and not named:
        return None
    if match["n"] is not None:
        number = int(normalize(match["n"]))
    elif match["c"] is not None:
        number = ord(match["c"]) - ord("⑴") + 1
    elif named and match["d"] is not None:
        number = int(normalize(match["d"]))
    elif named and (match["k"] or match["j"]):  # 第2 新規…, 二、新規… (with a keyword only)
        number = kanji_to_int(normalize(match["k"] or match["j"]))
    elif named and match["r"] is not None:
        number = "ⅠⅡⅢⅣⅤ".index(match["r"]) + 1
    else:
        return None
    return number if number in (1, 2, 3) else 99


def _bare_section(line: str) -> int | None:
    """The section a heading with no number or mark opens (令和４年度に新たに開始した外部結合): a
    short line, no sentence, ending with a word of headers.toml [sections] bare_endings (perhaps
    before a remark in brackets: 外部結合の件数（集計）) and naming exactly one section by its
    keywords (a note, ※…, is none); CLOSING for a line starting with a
    word of [sections] closing_line and a colon (問い合わせ先：…); else None."""
    text = normalize(line.strip())
    spec = headers()
    closing = "|".join(map(re.escape, spec.closing_line_words)) or "(?!)"
    if "\t" not in line and re.match("[おご]?(?:" + closing + r")[^:：\s]{0,3}\s*[:：]", text):
        return CLOSING  # 問い合わせ先：総務課　電話…: the report's closing block, on one line
    if len(text) > spec.bare_max_length or "。" in text or "、" in text or text.startswith(spec.note_markers):
        return None
    at = trailing_paren(text)  # 外部結合の件数（集計）: a remark in brackets after the title
    title = text[:at].rstrip() if at > 0 else text
    if not title.endswith(spec.bare_endings):
        return None
    named = {n for n, words in spec.section_words.items() if any(w in title for w in words)}
    return named.pop() if len(named) == 1 else None


# The sections holding connection tables: a count line (計 4件) under one is the table's own count
_TABLE_SECTIONS = (2, 3, 4)
# A count line's text: the count word, a colon perhaps, the number, a unit perhaps
_COUNT_LINE = re.compile(r"^(?P<word>\D+?)[:：]?(?P<count>[0-9]{1,9})(?P<unit>\D*)$")
# A date line as one cell: the label, then a colon or a space, then the date (更新日：2025年6月2日)
_DATE_LINE = re.compile(r"^(?P<label>[^:：\s0-9]{1,8})\s*[:：]?\s*(?P<date>\S.*)$")


def set_aside_report_lines(
    sections: dict[int, list[tuple[int, str]]], state: ParseState
) -> dict[int, list[tuple[int, str]]]:
    """The sections without the lines that speak of the report rather than being rows of a table,
    each kept as written with an info: a date line (作成日 | 令和8年5月20日, above each table of a
    workbook copied out sheet by sheet) and, under a connection table, a count line (計 | 4件). A
    note line that ends in empty cells (※…, copied with a row's tabs) loses them: it is a note.

    Read as rows, a 作成日 line was a summary row of no counts or a row without a number, and a
    ※ line with tabs a line not understood; headers.toml [report_lines] and [notes] hold the words."""
    spec = headers()
    kept: dict[int, list[tuple[int, str]]] = {}
    title = next((line for _, line in sections.get(0, []) if line.strip()), "")
    title_key = match_key(title) if "\t" not in title else ""
    seen_title = False
    for number, lines in sections.items():
        kept[number] = []
        for line_no, line in lines:
            if title_key and match_key(line) == title_key:
                if seen_title:  # the title again, above the next sheet or page
                    state.unread.append((line_no, line))
                    state.opening.add(line_no)
                    state.inform(
                        line_no, "", "the report's title repeated (a page's or sheet's heading)", line
                    )
                    continue
                seen_title = True
            cells = [c.strip() for c in line.split("\t")]
            filled = [c for c in cells if c]
            if (
                "\t" in line
                and filled
                and cells[0] == filled[0]
                and len(filled) == 1
                and is_note_line(filled[0], spec)
            ):
                kept[number].append((line_no, filled[0]))  # ※… with a row's tabs: a note
                continue
            what = _report_line(filled, number, spec)
            if what is None:
                kept[number].append((line_no, line))
                continue
            state.unread.append((line_no, line))  # kept as written in the graph
            state.opening.add(line_no)  # not "line not understood"
            state.inform(line_no, what[0], what[1], line)
            count = count_of(filled, spec) if number in _TABLE_SECTIONS else None
            if count is not None:
                state.count_lines.append(CountLine(number, line_no, count[0], count[1], count[2], line))
    return kept


def check_count_lines(section: int, rows: Sequence[HasLine], state: ParseState) -> None:
    """A warning for each count line of ``section`` (計 4件) that disagrees with the rows read.

    A count line counts the rows between it and the count line before it, or the heading that
    opened its section again since (each sheet's 「２　廃止…」) (a table split over pages or sheets
    has one line at its end: every row since the section's start); a line of a
    whole-section word (合計, 総計: cells.toml [count_lines] section_totals), or one right under
    another count line (合計 under the per-agency 計 lines), counts every row since the last such
    total. A row lost, or wrapped into the row above, shows as a count that does not agree.
    """
    totals = _section_totals()
    lines = sorted(
        (c for c in state.count_lines if c.section == section and c.word != PART_COUNT), key=lambda c: c.line
    )
    # rows and headings in line order, each count line's share found by bisection (thousands of
    # sheets, each with its 計 line, are no square of them)
    ordered = sorted(rows, key=lambda r: r.line)
    at = [r.line for r in ordered]
    opens = sorted(n for n, number in state.openings if number == section)

    def between(low: float, high: float) -> Sequence[HasLine]:
        """The rows strictly between lines ``low`` and ``high``."""
        return ordered[bisect_right(at, low) : bisect_left(at, high)]

    start = previous = 0  # the line after which the rows counted start: by a total, by any count
    for position, found in enumerate(lines):
        # the section opened again since the count line before (the next sheet's 「２　廃止…」): the
        # rows above that are another table's, counted by that table's own line
        before = bisect_left(opens, found.line)
        opened = opens[before - 1] if before else 0
        since = between(max(previous, opened), found.line)
        whole = found.word in totals or (not since and opened <= previous)
        counted = between(start, found.line) if whole else since
        below = not counted  # 件数 3件 over the table: the rows below it, up to the next count line
        if below:
            after = bisect_right(opens, found.line)
            end = min(
                lines[position + 1].line if position + 1 < len(lines) else float("inf"),
                opens[after] if after < len(opens) else float("inf"),
            )
            counted = between(found.line, end)
        previous = found.line
        if whole:
            start = found.line
        if len(counted) == found.count:
            continue
        written = " ".join(found.as_written.split())
        if not counted:
            message = f"the count line 「{written}」 says {found.count} row(s), but no row was read above or below it"
        else:
            first, last = counted[0].line, counted[-1].line
            message = (
                f"the count line 「{written}」 says {found.count} row(s), but {len(counted)} row(s) were read "
                f"below it (lines {first}–{last}): is a row lost, or joined to the row above it (wrapped)?"
                if below
                else f"the count line 「{written}」 says {found.count} row(s), but {len(counted)} row(s) were "
                f"read above it (lines {first}–{last}): is a row lost, or joined to the row above it (wrapped)?"
            )
        state.warn(found.line, found.label, message, found.as_written)


# The count word of a line counting a part of the rows above (うち特定個人情報 1件): never compared
PART_COUNT = "part"
_BARE_COUNT = re.compile(r"^(?P<word>)(?P<count>[0-9]{1,9})(?P<unit>\D*)$")


@cache
def _part_words() -> tuple[str, ...]:
    """cells.toml [count_lines] part_words (うち, 内), as match keys, longest first."""
    words = reference_toml("cells.toml").get("count_lines", {}).get("part_words", ())
    return tuple(sorted((match_key(w) for w in words), key=len, reverse=True))


@cache
def _section_totals() -> frozenset[str]:
    """cells.toml [count_lines] section_totals: count words that count a whole section, as match keys."""
    words = reference_toml("cells.toml").get("count_lines", {}).get("section_totals", ())
    return frozenset(match_key(w) for w in words)


def _report_line(filled: list[str], section: int, spec: Headers) -> tuple[str, str] | None:
    """The label and what a line of cells ``filled`` (its non-blank cells) says of the report, or
    None for any other line: its date (作成日 令和8年5月20日) or, in a section of connections, its
    count (計 4件; an agency's, 教育委員会 計 2件)."""
    parts = _part_words()
    if not filled or len([c for c in filled if not match_key(c).startswith(parts)]) > 3:
        return None  # (計 | 2件 | うち特定個人情報 | 1件: the part's cells are no more cells of a row)
    if section in _TABLE_SECTIONS and (count := count_of(filled, spec)) is not None:
        return count[0], (
            f"a count line under the table (it says {count[2]}): the report's own count of its rows, "
            "not a row; kept as written"
        )
    if len(filled) > 2:
        return None
    if len(filled) == 1 and (signed := _signature(filled[0])) is not None:
        return "", (
            f"a dated line about the report (its date and who wrote it: {signed}): report metadata, "
            "not a row; kept as written"
        )
    if len(filled) == 2:
        label, value = filled
    else:
        one = _DATE_LINE.match(filled[0])
        if one is None:
            label, value = filled[0], ""
        else:
            label, value = one["label"], one["date"]
    if value and match_key(label).rstrip(":：") in spec.date_labels and _is_date(value):
        name = label.rstrip(":：")
        return name, f"a date about the report ({name}): report metadata, not a row; kept as written"
    return None


# A dated signature line (令和７年５月３０日　南伊勢町総務課, 令和６年５月３１日現在　総務部総務課): a date, a
# space, then a short name (no sentence)
_SIGNATURE = re.compile(r"^(?P<date>\S+)[ \u3000]+(?P<name>[^。、\s][^。、]{0,29})$")


@cache
def _signature_endings() -> tuple[str, ...]:
    """headers.toml [report_lines] signature_endings: how the name of a signature line ends."""
    return tuple(reference_toml("headers.toml").get("report_lines", {}).get("signature_endings", ()))


def _signature(text: str) -> str | None:
    """The name after the date of a dated signature line (an office or the municipality), or None
    for any other text (令和5年7月27日 審議会へ報告: a dated event)."""
    found = _SIGNATURE.match(text.strip())
    if (
        found is None
        or not found["name"].strip().endswith(_signature_endings())
        or not _is_date(found["date"])
    ):
        return None
    return found["name"].strip()


# The words before the count word of an agency's count line (教育委員会 計 2件): at most this long
_MAX_COUNT_LABEL = 20


def count_of(filled: list[str], spec: Headers) -> tuple[str, str, int] | None:
    """(its label as written, its count word as a match key, the count) of a count line's cells —
    a count word, the number, perhaps a unit (計 | 4件, 合計　4件); the count word may follow the
    name of what is counted (教育委員会 | 計 | 2件, 市長部局計 1件: an agency's rows) — or None."""
    key = match_key("".join(filled))
    parts = _part_words()
    said = "|".join(re.escape(w) for w in parts) or "(?!)"
    # 計 2件（うち特定個人情報 1件）, 計 | 2件 | うち特定個人情報 | 1件: the part's count after the count
    key = re.sub(rf"(?<=.)\(?(?:{said})[^()]*[0-9][^()]*\)?$", "", key)
    part = next((w for w in parts if key.startswith(w) and len(key) > len(w)), "")
    if part:  # うち特定個人情報 1件: a part of the count above, not compared with the rows
        counted = _COUNT_LINE.match(key[len(part) :]) or _BARE_COUNT.match(key[len(part) :])
        if counted is None or counted["unit"] not in ("", *spec.count_units):
            return None
        label = " ".join(c for c in filled if not any(ch.isdigit() for ch in c)) or filled[0]
        return label, PART_COUNT, int(counted["count"])
    found = _COUNT_LINE.match(key)
    if found is None or found["unit"] not in ("", *spec.count_units):
        return None
    word = found["word"]
    if word not in spec.count_words:  # 教育委員会計: the name of what is counted, then the word
        word = next(
            (w for w in sorted(spec.count_words, key=len, reverse=True) if found["word"].endswith(w)), ""
        )
        if not word or len(found["word"]) - len(word) > _MAX_COUNT_LABEL:
            return None
    label = " ".join(c for c in filled if not any(ch.isdigit() for ch in c)) or filled[0]
    return label, word, int(found["count"])


def _is_date(text: str) -> bool:
    """The text is a date (a day or a month), perhaps followed by a note such as 現在."""
    try:
        read = parse_date_cell(text)
    except EraDateError:
        return False
    return read.precision in ("day", "month")
