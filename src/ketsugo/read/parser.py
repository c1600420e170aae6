"""Report text → typed records, driven by header names rather than column positions.

A report holds (1) a summary table per 実施機関, (2) the new connections and (3) the
ended ones; the connection header row may repeat between blocks. Every line is
accounted for: read into a record, recognised as layout (blank, heading, header,
note), or returned as an unread line with a warning — never dropped silently.

Sections are found by their headings: (2) / （２） / ⑵ / 2. / ２ / 【新規】, the keywords of
headers.toml [sections] (新た/新規 → (2), 終了/廃止 → (3)) deciding over the number. Columns
are found by header names (headers.toml), and what a table must have is per section: an ended
table may carry only No., 課 or 業務名, 相手方 and the end date.

Rows wrapped across lines (text copied out of a PDF) are joined: a data row with fewer cells
than its header takes the following line(s) that start no row (no number in the No. column, no
header, no statement), the first cell of each continuing the row's last cell (see
``joined_text``); a complete row takes a lone line (no tab, no note) as the rest of its last
cell. Each join is a warning quoting the lines; the joined row is then checked like any other,
so strict mode accepts it only when it has exactly the header's cells.

A column the header row lacks is kept apart from a blank cell: its fields are None and a
warning at the header row says its values are unknown. The fiscal year is read from the
layout only (title, section headings, summary header), never from table rows; when those
disagree, the caller must give it (--fiscal-year). Form feeds (page breaks), vertical tabs
and a stray DOS end-of-file mark, which textio lets through as text, are read with a warning.

Problems are collected, not raised one by one: a strict parse raises one InputError
listing every error (each with file, line, field and what was expected); a lenient
parse returns them as issues on the report and keeps whatever could be read. Either
way nothing but InputError leaves this module for any text.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache

from ketsugo.errors import InputError, Issue
from ketsugo.paths import REFERENCE_DIR
from ketsugo.read.eras import EraDateError, fiscal_year, fiscal_years, kanji_to_int, parse_era_date, shown
from ketsugo.read.items import marker_at, split_items
from ketsugo.read.legal import parse_legal_basis
from ketsugo.read.normalize import compact, match_key, normalize
from ketsugo.read.records import Cell, Connection, Report, Statement, SummaryRow
from ketsugo.read.textio import LAYOUT_CONTROLS

# A section heading: (2) / （２） / ⑵ (any title), 2. / ２． / ２ + space, or 【新規】 (these two
# only with a keyword of headers.toml [sections] in the title: see _section_of).
_SECTION = re.compile(
    r"^\s*(?:[（(]\s*(?P<n>[0-9０-９]{1,3})\s*[)）]|(?P<c>[⑴-⒇])|(?P<d>[0-9０-９]{1,2})(?:[.．]|\s)"
    r"|第\s*(?P<k>[0-9０-９一二三四五]{1,2})\s*(?:[.．、]|\s)?|(?P<r>[ⅠⅡⅢⅣⅤ])\s*(?:[.．、]|\s)"
    r"|(?P<j>[一二三四五])\s*[、．.]|【(?P<b>[^】]*)】)\s*(?P<title>.*)$"
)
_NUMBER = re.compile(r"^[0-9]+$")
# A line that is only a bracketed name inside a connection table: a group of the rows below it
_GROUP_HEADING = re.compile(r"^[【［\[]\s*(?P<group>[^】］\]]{1,30})\s*[】］\]]$")
_MAX_NUMBER_DIGITS = 9


@dataclass(frozen=True)
class Required:
    """What a connection table of one section must have (headers.toml [required.new] / [required.ended])."""

    fields: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]  # at least one field of each group
    warn_absent: bool  # warn at the header row about each optional column it lacks


@dataclass(frozen=True)
class Headers:
    """Header aliases and cell vocabularies read from data/reference/headers.toml."""

    connection: dict[str, tuple[str, ...]]
    required: tuple[str, ...]  # the fields a new-connection table must have
    required_by_status: dict[str, Required]  # "new" / "ended" → what that section's table must have
    summary: dict[str, tuple[str, ...]]
    letters: dict[str, str]
    true_marks: frozenset[str]
    false_marks: frozenset[str]
    none_statements: frozenset[str]
    note_markers: tuple[str, ...]
    fillers: frozenset[str]  # match keys of 以下余白 and the like: layout, never a cell
    section_words: dict[int, tuple[str, ...]]  # section number → keywords of its heading


@cache
def headers() -> Headers:
    with (REFERENCE_DIR / "headers.toml").open("rb") as handle:
        data = tomllib.load(handle)
    connection = {k: tuple(v) for k, v in data["connection"].items()}
    summary = {k: tuple(v) for k, v in data["summary"].items() if k != "letters"}
    marks = data["specific_personal_information"]
    required = {
        status: Required(
            tuple(rule["fields"]), tuple(tuple(group) for group in rule["any_of"]), rule["warn_absent"]
        )
        for status, rule in data["required"].items()
    }
    sections = data["sections"]
    return Headers(
        connection=connection,
        required=required["new"].fields,
        required_by_status=required,
        section_words={1: tuple(sections["summary"]), 2: tuple(sections["new"]), 3: tuple(sections["ended"])},
        summary=summary,
        letters={match_key(k): v for k, v in data["summary"]["letters"].items()},
        true_marks=frozenset(match_key(m) for m in marks["true"]),
        false_marks=frozenset(match_key(m) for m in marks["false"]),
        none_statements=frozenset(match_key(s) for s in data["statements"]["none"]),
        note_markers=tuple(data["notes"]["markers"]),
        fillers=frozenset(match_key(f) for f in data["notes"].get("fillers", ())),
    )


def match_field(header: str, aliases: dict[str, tuple[str, ...]]) -> str | None:
    """The field a header names: an exact alias first, else the longest alias it contains
    (compared by :func:`ketsugo.read.normalize.match_key`). A one-character alias (課) counts only
    as the whole header, so that 課税区分 names no department column."""
    return _match_field(header, tuple(aliases.items()))


@lru_cache(maxsize=8192)  # every line of a table is asked whether it is a header: cells recur
def _match_field(header: str, aliases: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    name = match_key(header)
    if not name:
        return None
    best: tuple[int, str] | None = None
    for field_name, names in aliases:
        for alias in names:
            key = _alias_key(alias)
            if key == name:
                return field_name
            if len(key) > 1 and key in name and (best is None or len(key) > best[0]):
                best = (len(key), field_name)
    return best[1] if best else None


@cache
def _alias_key(alias: str) -> str:
    return match_key(alias)


@dataclass
class _State:
    path: str
    lenient: bool
    issues: list[Issue] = field(default_factory=list)
    unread: list[tuple[int, str]] = field(default_factory=list)
    section_notes: list[tuple[int, str]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (N) section heading lines
    summary_header: tuple[int, list[str]] | None = None
    absent_reported: set[tuple[int, str]] = field(default_factory=set)  # (section, field) warned about
    # control-character findings: (index in issues, line, field number), named once the line's header is known
    controls: list[tuple[int, int, int]] = field(default_factory=list)
    row_headers: dict[int, list[str]] = field(default_factory=dict)  # line of a table row → its header row

    def problem(
        self, line: int, field_name: str, message: str, as_written: str = "", kind: str = "reading"
    ) -> None:
        self.issues.append(Issue(self.path, line, field_name, message, as_written, kind=kind))

    def warn(
        self, line: int, field_name: str, message: str, as_written: str = "", kind: str = "reading"
    ) -> None:
        self.issues.append(Issue(self.path, line, field_name, message, as_written, "warning", kind=kind))


def parse_report(
    text: str, path: str = "<report>", *, lenient: bool = False, fiscal_year: int | None = None
) -> Report:
    """Parse a whole report. Strict mode raises InputError listing every error found;
    lenient mode returns them as issues on the report and keeps what could be read.

    ``fiscal_year`` is the year the caller was given (--fiscal-year, metadata): when the
    headings disagree about the year, that is then a warning rather than an error.
    """
    state = _State(path, lenient)
    lines = _read_lines(text, state)
    sections = _split_sections(lines, state)
    title_line, title = next(((n, line.strip()) for n, line in lines if line.strip()), (0, ""))
    summary_headers, summary, notes = _parse_summary(sections.get(1, []), state)
    connections: list[Connection] = []
    for number, status in ((2, "new"), (3, "ended")):
        if number in sections:
            connections.extend(_parse_connections(sections[number], status, state))
    for line_no, line in sections.get(0, []):
        if line.strip() and (line_no, line.strip()) != (title_line, title):
            state.unread.append((line_no, line))
    for line_no, line in sections.get(99, []):
        state.unread.append((line_no, line))
    if 2 not in sections:
        state.problem(
            0,
            "",
            "no section (2) (a line like 「(2)新たに外部計算機との結合を行った外部結合の内訳」) found: "
            "is this a 外部結合 report?",
        )
    connections = _check_numbers(connections, state)
    year = _report_fiscal_year((title_line, title), state, fiscal_year)
    for line_no, line in state.unread:
        state.warn(line_no, "", "line not understood; kept as written in the graph", line)
    _name_control_columns(state)
    state.issues.sort(key=lambda issue: issue.line)
    errors = [i for i in state.issues if i.severity == "error"]
    if errors and not lenient:
        raise InputError(errors)
    return Report(
        path=path,
        title=title,
        fiscal_year=year,
        summary_headers=summary_headers,
        summary=tuple(summary),
        summary_notes=tuple(notes),
        connections=tuple(connections),
        statements=tuple(state.statements),
        issues=tuple(state.issues),
        unread_lines=tuple(sorted(state.unread)),
        section_notes=tuple(sorted(state.section_notes)),
    )


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


def _read_lines(text: str, state: _State) -> list[tuple[int, str]]:
    """(line number, text) of every line; each keeps the number of its line in the file.

    The layout controls a text file may hold (textio.LAYOUT_CONTROLS) are read with a warning: a
    form feed breaks the line (both parts keep the file's line number), a vertical tab is a space,
    a DOS end-of-file mark is dropped. Any other control character is an error (see
    ``_check_controls``).
    """
    lines: list[tuple[int, str]] = []
    for line_no, written in enumerate(text.split("\n"), start=1):
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


def _check_controls(line: str, line_no: int, state: _State) -> str:
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


def _name_control_columns(state: _State) -> None:
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


def _whole_number(text: str) -> int | None:
    """A cell's whole number (full-width digits and separators allowed), or None."""
    value = compact(text).replace(",", "")
    if _NUMBER.match(value) and len(value) <= _MAX_NUMBER_DIGITS:
        return int(value)
    return None


def _report_fiscal_year(title: tuple[int, str], state: _State, given: int | None) -> int | None:
    """The year the layout names: the title, the section headings and the summary header row.

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


def _split_sections(lines: list[tuple[int, str]], state: _State) -> dict[int, list[tuple[int, str]]]:
    """Lines by section number: 0 before the first (N) heading; 99 for unknown sections.

    A numbered line right after a table row, with no section keyword in it, is no heading: in
    text copied out of a PDF it is the rest of a wrapped cell (⑵所得情報…, (3)生年月日).
    """
    sections: dict[int, list[tuple[int, str]]] = {0: []}
    current = 0
    previous = ""
    for line_no, line in lines:
        after_row, previous = "\t" in previous, line
        number = _section_of(line, after_row) if "\t" not in line else None
        if number is not None:
            current = number
            sections.setdefault(current, [])
            if current == 99:
                sections[99].append((line_no, line))  # an unknown section: its heading too is unread
            else:
                state.headings.append((line_no, line))
            continue
        sections.setdefault(current, []).append((line_no, line))
    return sections


def _section_of(line: str, after_row: bool = False) -> int | None:
    """The section a heading line opens (1, 2, 3; 99 for an unknown numbered one), or None.

    Keywords in the title (headers.toml [sections]: 新た/新規 → 2, 終了/廃止 → 3, 件数/状況 → 1)
    decide when they name exactly one section, whatever the number says; else the number does.
    The dotted or bare number (2. / ２ …) and the bracket (【新規】) count only with a keyword;
    so does any number right after a table row (``after_row``).
    """
    match = _SECTION.match(line)
    if not match:
        return None
    title = normalize(f"{match['b'] or ''} {match['title']}")
    named = {n for n, words in headers().section_words.items() if any(w in title for w in words)}
    if len(named) == 1:
        return named.pop()
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


# --- section (1): the summary table -------------------------------------------------------


def _parse_summary(
    lines: list[tuple[int, str]], state: _State
) -> tuple[tuple[str, ...], list[SummaryRow], list[str]]:
    spec = headers()
    header: list[str] | None = None
    header_line = 0
    columns: dict[int, str] = {}
    rows: list[SummaryRow] = []
    notes: list[str] = []
    for line_no, line in lines:
        cells = line.split("\t")
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(spec.note_markers):
            notes.append(stripped)
        elif header is None and "\t" in line and match_field(cells[0], {"agency": spec.summary["agency"]}):
            header, header_line = cells, line_no
            columns = _summary_columns(cells, spec)
            state.summary_header = (line_no, cells)
        elif header is not None and _is_letter_row(cells, spec):
            columns.update(_letter_columns(cells, spec))
        elif header is not None and "\t" in line:
            state.row_headers[line_no] = header
            rows.append(_summary_row(cells, header, header_line, columns, line_no, state))
        else:
            state.unread.append((line_no, line))
    first = next((n for n, line in lines if line.strip()), 0)
    if first and header is None:
        state.problem(
            first,
            "実施機関",
            "section (1) has no summary header row: expected a tab-separated row starting with 実施機関",
        )
    return tuple(header or ()), rows, notes


_TRAILING_LETTERS = re.compile(
    r"[(（]\s*(?P<letters>[A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ+＋\-－−\s]*)\s*[)）]\s*$"
)


def _summary_columns(cells: list[str], spec: Headers) -> dict[int, str]:
    """Which count each summary header cell names: a letter in parentheses at its end (（A）, (a+b-c))
    first, then the keywords (新規, 終了, 特定個人情報), then the two fiscal-year columns or the words
    for the previous and the current year; comparison columns (前年度比) name no count."""
    columns: dict[int, str] = {0: "agency"}
    keyword_fields = {k: v for k, v in spec.summary.items() if k in ("specific", "ended", "new")}
    year_columns = []
    worded: dict[str, list[int]] = {"previous": [], "current": []}
    for index, cell in enumerate(cells[1:], start=1):
        letters = _TRAILING_LETTERS.search(cell)
        lettered = spec.letters.get(match_key(letters["letters"])) if letters else None
        if not lettered and any(word in cell for word in spec.summary.get("comparison", ())):
            continue  # 前年度比, 増減: compares the counts, is none of them
        name = lettered or match_field(cell, keyword_fields)
        if name:
            columns[index] = name
        elif not cell.strip():
            continue
        elif fiscal_year(cell) is not None:
            year_columns.append((fiscal_year(cell) or 0, index))
        else:
            for which in ("previous", "current"):
                if match_field(cell, {which: spec.summary.get(which, ())}):
                    worded[which].append(index)
                    break
    year_columns.sort()
    taken = set(columns.values())
    if len(year_columns) == 2 and not {"previous", "current"} & taken:
        columns[year_columns[0][1]] = "previous"
        columns[year_columns[1][1]] = "current"
    for which, indices in worded.items():
        if len(indices) == 1 and which not in set(columns.values()):
            columns[indices[0]] = which
    return columns


def _is_letter_row(cells: list[str], spec: Headers) -> bool:
    marks = [match_key(c) for c in cells if c.strip()]
    return bool(marks) and all(m in spec.letters for m in marks)


def _letter_columns(cells: list[str], spec: Headers) -> dict[int, str]:
    return {i: spec.letters[match_key(c)] for i, c in enumerate(cells) if c.strip()}


def _width(header: list[str]) -> int:
    """The header's width without trailing empty header cells (stray tabs at the end of the row)."""
    width = len(header)
    while width > 1 and not header[width - 1].strip():
        width -= 1
    return width


def _check_width(
    cells: list[str], header: list[str], header_line: int, line_no: int, what: str, state: _State
) -> str:
    """Report a row with fewer or more fields than its header; "" when it fits, else "few"/"many".

    Empty fields past the header's last column (trailing tabs) are not a problem.
    """
    width = _width(header)
    if len(cells) < width:
        missing = [
            h.strip() or f"field {i + 1}" for i, h in enumerate(header[len(cells) : width], len(cells))
        ]
        state.problem(
            line_no,
            missing[0],
            f"too few fields: {len(cells)} where the {what} header row (line {header_line}) has {width}; "
            f"missing {', '.join(missing)}",
            "\t".join(cells),
        )
        return "few"
    surplus = [(i, c) for i, c in enumerate(cells[width:], width) if c.strip()]
    if surplus:
        index, text = surplus[0]
        last = next((h.strip() for h in reversed(header[:width]) if h.strip()), "")
        state.problem(
            line_no,
            f"after {last}" if last else "",  # the surplus comes after the header's last column
            f"too many fields: {len(cells)} where the {what} header row "
            f"(line {header_line}) has {width}; field {index + 1} holds {shown(text)} "
            "(a tab inside a cell?)",
            "\t".join(cells),
        )
        return "many"
    return ""


def _summary_row(
    cells: list[str],
    header: list[str],
    header_line: int,
    columns: dict[int, str],
    line_no: int,
    state: _State,
) -> SummaryRow:
    _check_width(cells, header, header_line, line_no, "summary", state)
    values: dict[str, int | None] = {}
    for index, name in columns.items():
        if name == "agency":
            continue
        text = cells[index] if index < len(cells) else ""
        label = header[index] if index < len(header) and header[index].strip() else name
        values[name] = _count(text, line_no, label, state)
    agency = cells[0].strip()
    kept = tuple(
        Cell(_column_name(header, i), c, line_no, i + 1, columns.get(i, "")) for i, c in enumerate(cells)
    )
    return SummaryRow(
        line=line_no,
        agency=agency,
        previous=values.get("previous"),
        new=values.get("new"),
        ended=values.get("ended"),
        current=values.get("current"),
        specific=values.get("specific"),
        is_total=match_key(agency) in {match_key(t) for t in headers().summary["total"]},
        cells=kept,
    )


def _column_name(header: list[str], index: int) -> str:
    return header[index] if index < len(header) else f"field {index + 1} (no header)"


def _count(text: str, line_no: int, label: str, state: _State) -> int | None:
    value = _whole_number(text)
    if value is not None:
        return value
    if compact(text) in ("", "-"):
        state.warn(line_no, label, "empty count", text)
        return None
    state.problem(line_no, label, f"expected a whole number (a count), found {shown(text)}", text)
    return None


# --- sections (2) and (3): connections -------------------------------------------------------


@dataclass
class _Pending:
    """A data row not yet read: the next line(s) may continue it (a row wrapped across lines)."""

    line: int
    cells: list[str]
    lines: list[tuple[int, str]]
    joined_at: list[int] = field(default_factory=list)  # the column each continuation went on in

    def join(self, line_no: int, line: str) -> None:
        """Continue the last cell with the line's first cell; its other cells follow."""
        more = line.split("\t")
        self.joined_at.append(len(self.cells) - 1)
        self.cells = [*self.cells[:-1], joined_text(self.cells[-1], more[0]), *more[1:]]
        self.lines.append((line_no, line))


def joined_text(before: str, after: str) -> str:
    """Two pieces of one cell broken across lines, as one text.

    Japanese text breaks anywhere, so the pieces join without a separator (住民基本台 + 帳 →
    住民基本台帳); a space is put between them only where Latin letters or digits stand on both
    sides of the break (a break between two words of Latin text: Sky + Menu), or where the second
    piece starts with a numbering marker ((3)生年月日, ⑵…), which docs/items.md reads after space.
    """
    left, right = before.rstrip(), after.lstrip()
    latin = left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum()
    return f"{left} {right}" if left and (latin or marker_at(right)) else left + right


def _parse_connections(lines: list[tuple[int, str]], status: str, state: _State) -> list[Connection]:
    spec = headers()
    section = 2 if status == "new" else 3
    header: list[str] | None = None
    header_line = 0
    fields: dict[str, int] = {}
    rows: list[Connection] = []
    statements: list[Statement] = []
    pending: _Pending | None = None
    group_heading = ""  # the latest 【…】 line inside the table (【村長】, 【教育委員会】)

    def flush() -> None:
        nonlocal pending
        if pending is None or header is None:
            return
        if pending.joined_at:
            _warn_join(pending, header, state)
        row = _connection(pending.cells, header, header_line, fields, pending.line, status, state)
        if row is not None:
            rows.append(replace(row, group_heading=group_heading) if group_heading else row)
        pending = None

    for line_no, line in lines:
        stripped = line.strip()
        cells = line.split("\t")
        if (
            pending is not None
            and header is not None
            and stripped
            and _continues(pending, line, cells, header, fields, spec)
        ):
            pending.join(line_no, line)
            continue
        flush()
        if not stripped:
            continue
        table_row = "\t" in line and sum(1 for c in cells if c.strip()) >= 2
        if "\t" in line and _is_connection_header(cells, spec):
            header, header_line = cells, line_no
            fields = _connection_fields(cells, line_no, section, spec, state)
        elif header is None and table_row:
            state.problem(
                line_no,
                "",
                f"a table row comes before any header row in section ({section}): expected first a "
                f"header row naming {_expected_columns(spec)}",
                line,
            )
        elif header is not None and "\t" in line and _is_data_row(cells, fields):
            state.row_headers[line_no] = header
            pending = _Pending(line_no, cells, [(line_no, line)])
        elif header is not None and table_row:
            state.row_headers[line_no] = header
            index = fields.get("number", 0)
            number_header = header[index] if index < len(header) else "No."
            found = cells[index] if index < len(cells) else ""
            state.problem(
                line_no,
                number_header,
                f"expected a connection number (a whole number of at most {_MAX_NUMBER_DIGITS} digits), "
                f"found {shown(found)}; the row is not read",
                line,
            )
        elif header is not None and (grouping := _GROUP_HEADING.match(stripped)):
            group_heading = grouping["group"].strip()  # the rows below belong to it
            state.section_notes.append((line_no, stripped))
        elif _is_statement(stripped, spec):
            statements.append(Statement(section, line_no, stripped))
        elif "\t" not in line and (
            stripped.startswith(("(", "（", *spec.note_markers)) or match_key(stripped) in spec.fillers
        ):
            state.section_notes.append((line_no, stripped))
        else:
            state.unread.append((line_no, line))
    flush()
    if lines and not rows and not statements and header is None:
        state.warn(
            lines[0][0] - 1,
            "",
            f"section ({section}) has no table and no statement such as 実績はありません",
        )
    if rows and statements:
        first = statements[0]
        state.warn(
            first.line,
            "",
            f"section ({section}) says {shown(first.text)} but has {len(rows)} row(s) "
            f"(line {rows[0].line} …): both are kept",
            first.text,
        )
    state.statements.extend(statements)
    return rows


def _continues(
    pending: _Pending, line: str, cells: list[str], header: list[str], fields: dict[str, int], spec: Headers
) -> bool:
    """Whether ``line`` continues the pending row rather than starting anything of its own.

    A row with fewer cells than the header is continued by the next line unless that line starts
    a new row (a number in the No. column), is a header row or says the table is empty. A row
    with all its cells is continued only by a lone line (no tab) that is no note or statement:
    the rest of its last cell.
    """
    if "\t" in line and (_is_connection_header(cells, spec) or _is_data_row(cells, fields)):
        return False
    if (
        _is_statement(line.strip(), spec)
        or match_key(line) in spec.fillers
        or _GROUP_HEADING.match(line.strip())
    ):
        return False
    if len(pending.cells) < _width(header):
        return True
    stripped = line.strip()
    note = stripped.startswith(("(", "（", *spec.note_markers)) and not marker_at(stripped)
    return "\t" not in line and not note


def _warn_join(pending: _Pending, header: list[str], state: _State) -> None:
    """A Warning quoting the lines joined into one row, naming the cells the breaks fell in."""
    columns = ", ".join(dict.fromkeys(_column_name(header, i).strip() for i in pending.joined_at))
    continued = ", ".join(str(n) for n, _ in pending.lines[1:])
    state.warn(
        pending.line,
        _column_name(header, pending.joined_at[0]).strip(),
        f"row continued on line {continued} (text copied out of a PDF?): the lines are joined, the "
        f"break read as falling inside {columns}; {len(pending.cells)} fields after joining where "
        f"the header has {_width(header)}",
        "\n".join(text for _, text in pending.lines),
    )


def _is_statement(line: str, spec: Headers) -> bool:
    """The whole line (normalised, a final 。 aside) is a statement that the table is empty."""
    key = match_key(line)
    return key.removesuffix("。") in spec.none_statements


def _expected_columns(spec: Headers) -> str:
    names = [spec.connection[name][0] for name in (*spec.required, "start_date")]
    return ", ".join(names)


def _is_data_row(cells: list[str], fields: dict[str, int]) -> bool:
    index = fields.get("number", 0)
    return index < len(cells) and _whole_number(cells[index]) is not None


def _is_connection_header(cells: list[str], spec: Headers) -> bool:
    """A header row names No. and the items or the counterparties, at least three fields in all,
    and holds no bare number (a data row whose cells mention 番号 or 項目 is not a header)."""
    if any(_NUMBER.match(compact(c)) for c in cells):
        return False
    found = {match_field(c, spec.connection) for c in cells} - {None}
    return len(found) >= 3 and ({"number", "counterparties"} <= found or {"number", "items"} <= found)


def _connection_fields(
    cells: list[str], line_no: int, section: int, spec: Headers, state: _State
) -> dict[str, int]:
    fields: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = match_field(cell, spec.connection)
        if name is None:
            if cell.strip():
                state.warn(line_no, cell, "unknown column: its cells are kept as written")
            continue
        if name in fields:
            first = fields[name]
            state.problem(
                line_no,
                cell,
                f"a second column for the same field as {cells[first]!r} (field {first + 1}): "
                f"field {index + 1} is kept only as written",
            )
            continue
        fields[name] = index
    if "start_date" not in fields and "end_date" not in fields:
        state.problem(
            line_no,
            spec.connection["start_date"][0],
            "required column missing from the header row: expected a cell named "
            + " / ".join((*spec.connection["start_date"], *spec.connection["end_date"])),
        )
    rule = spec.required_by_status["new" if section == 2 else "ended"]
    for name in rule.fields:
        if name not in fields:
            state.problem(
                line_no,
                spec.connection[name][0],
                "required column missing from the header row: expected a cell named "
                + " / ".join(spec.connection[name]),
            )
    for group in rule.any_of:
        if not any(name in fields for name in group):
            state.problem(
                line_no,
                spec.connection[group[0]][0],
                "required column missing from the header row: expected a cell named "
                + " / ".join(alias for name in group for alias in spec.connection[name]),
            )
    if not rule.warn_absent:
        return fields
    # The date of the other section (an end date among new connections, a start date among
    # ended ones) is not expected; a missing required column is an error above.
    not_expected = {2: "end_date", 3: "start_date"}[section]
    for name, aliases in spec.connection.items():
        if name in fields or name in rule.fields or name == not_expected:
            continue
        if "start_date" not in fields and "end_date" not in fields and name in ("start_date", "end_date"):
            continue
        if (section, name) not in state.absent_reported:
            state.absent_reported.add((section, name))
            state.warn(line_no, aliases[0], f"column {aliases[0]} not in the header: its values are unknown")
    return fields


def _connection(
    cells: list[str],
    header: list[str],
    header_line: int,
    fields: dict[str, int],
    line_no: int,
    status: str,
    state: _State,
) -> Connection | None:
    misfit = _check_width(cells, header, header_line, line_no, "connection", state)
    if misfit and not state.lenient:
        return None
    width = _width(header)
    if misfit == "few":
        cells = cells + [""] * (width - len(cells))
    field_at = {index: name for name, index in fields.items()}
    kept = tuple(
        Cell(_column_name(header, i), c, line_no, i + 1, field_at.get(i, "")) for i, c in enumerate(cells)
    )

    def cell(name: str) -> str | None:
        """The cell of an optional field's column; None when the header has no such column."""
        index = fields.get(name)
        if index is None:
            return None
        return cells[index] if index < len(cells) else ""

    def required(name: str) -> str:
        """The cell of a required field's column; "" without one (an error already reported)."""
        return cell(name) or ""

    number = _whole_number(required("number"))
    assert number is not None  # _is_data_row
    start_text, end_text = cell("start_date"), cell("end_date")
    start, start_note = _date(start_text, line_no, _header_of(header, fields, "start_date"), state)
    end, end_note = _date(end_text, line_no, _header_of(header, fields, "end_date"), state)
    # A blank date cell is the report's own gap, not a reading problem: nothing is recorded here,
    # and validate reports it (kgsh:StartDateShape for a new connection, EndDateShape for an ended one).
    flag_text = cell("specific")
    flag = None
    if flag_text is not None:
        flag = _specific_flag(flag_text, line_no, _header_of(header, fields, "specific"), state)
    items_text = cell("items")
    items = split_items(items_text or "")
    for remark in items.remarks:
        state.warn(line_no, _header_of(header, fields, "items"), remark, items_text or "")
    legal_text = cell("legal_basis")
    legal = parse_legal_basis(legal_text) if legal_text is not None else None
    for remark in legal.remarks if legal is not None else ():
        state.warn(line_no, _header_of(header, fields, "legal_basis"), remark, legal_text or "")
    return Connection(
        number=number,
        line=line_no,
        status=status,
        departments_as_written=required("departments"),
        business=required("business"),
        reason=cell("reason"),
        subjects=cell("subjects"),
        items_as_written=items_text,
        items=items,
        specific_personal_information_as_written=flag_text,
        specific_personal_information=flag,
        legal_basis=legal,
        counterparties_as_written=required("counterparties"),
        start_date_as_written=start_text,
        start_date=start,
        start_date_note=start_note,
        end_date_as_written=end_text,
        end_date=end,
        end_date_note=end_note,
        cells=kept,
        extra_cells=tuple(c for c in kept if not c.field and c.text.strip()),
    )


def _date(text: str | None, line_no: int, label: str, state: _State) -> tuple[date | None, str | None]:
    """The date and the note after it; (None, None) without a column, (None, "") for a blank cell."""
    if text is None:
        return None, None
    if not text.strip():
        return None, ""
    try:
        parsed = parse_era_date(text)
    except EraDateError as exc:
        # a date that cannot be (令和2年2月30日) is the report's fault; one not read is ketsugo's
        kind = "report" if str(exc).startswith("impossible date") else "reading"
        state.problem(line_no, label, str(exc), text, kind=kind)
        return None, ""
    return parsed.value, parsed.note


def _header_of(header: list[str], fields: dict[str, int], name: str) -> str:
    index = fields.get(name)
    return header[index] if index is not None else headers().connection[name][0]


def _specific_flag(text: str, line_no: int, label: str, state: _State) -> bool:
    spec = headers()
    mark = match_key(text)
    if mark in spec.true_marks:
        return True
    if mark not in spec.false_marks:
        state.problem(line_no, label, f"expected ○ (yes) or a blank (no), found {shown(text)}", text)
    return False


def _check_numbers(connections: Iterable[Connection], state: _State) -> list[Connection]:
    """Connections with their numbers unique per section; a repeated number is an error.

    In lenient mode the later row is left out of the records (two rows cannot share one
    IRI), and its finding carries the whole row as written.
    """
    seen: dict[tuple[str, int], int] = {}
    kept: list[Connection] = []
    for row in connections:
        key = (row.status, row.number)
        if key in seen:
            number_header = row.header_of("number") or "No."
            state.problem(
                row.line,
                number_header,
                f"duplicate connection number {row.number}: already used at line {seen[key]}"
                + ("; this row is kept only in this finding" if state.lenient else ""),
                "\t".join(c.text for c in row.cells),
            )
        else:
            seen[key] = row.line
            kept.append(row)
    return kept
