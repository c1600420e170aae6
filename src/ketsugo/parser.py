"""Report text → typed records, driven by header names rather than column positions.

A report holds (1) a summary table per 実施機関, (2) the new connections and (3) the
ended ones; the connection header row may repeat between blocks. Every line is
accounted for: read into a record, recognised as layout (blank, heading, header,
note), or returned as an unread line with a warning — never dropped silently.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from ketsugo.eras import EraDateError, fiscal_year, parse_era_date
from ketsugo.errors import InputError
from ketsugo.items import split_items
from ketsugo.legal import parse_legal_basis
from ketsugo.normalize import compact, normalize
from ketsugo.paths import REFERENCE_DIR
from ketsugo.records import Cell, Connection, Issue, Report, SummaryRow

_SECTION = re.compile(r"^\s*[（(]\s*(?P<n>[0-9０-９]+)\s*[)）]\s*(?P<title>.*)$")
_NUMBER = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Headers:
    """Header aliases and cell vocabularies read from data/reference/headers.toml."""

    connection: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    summary: dict[str, tuple[str, ...]]
    letters: dict[str, str]
    true_marks: frozenset[str]
    false_marks: frozenset[str]
    none_statements: tuple[str, ...]


@cache
def headers() -> Headers:
    with (REFERENCE_DIR / "headers.toml").open("rb") as handle:
        data = tomllib.load(handle)
    connection = {k: tuple(v) for k, v in data["connection"].items() if k != "required"}
    summary = {k: tuple(v) for k, v in data["summary"].items() if k != "letters"}
    marks = data["specific_personal_information"]
    return Headers(
        connection=connection,
        required=tuple(data["connection"]["required"]),
        summary=summary,
        letters={compact(k): v for k, v in data["summary"]["letters"].items()},
        true_marks=frozenset(compact(m) for m in marks["true"]),
        false_marks=frozenset(compact(m) for m in marks["false"]),
        none_statements=tuple(compact(s) for s in data["statements"]["none"]),
    )


def match_field(header: str, aliases: dict[str, tuple[str, ...]]) -> str | None:
    """The field a header names: an exact alias first, else the longest alias it contains."""
    name = compact(header)
    if not name:
        return None
    best: tuple[int, str] | None = None
    for field_name, names in aliases.items():
        for alias in names:
            key = compact(alias)
            if key == name:
                return field_name
            if key in name and (best is None or len(key) > best[0]):
                best = (len(key), field_name)
    return best[1] if best else None


@dataclass
class _State:
    path: str
    lenient: bool
    issues: list[Issue] = field(default_factory=list)
    unread: list[tuple[int, str]] = field(default_factory=list)
    section_notes: list[tuple[int, str]] = field(default_factory=list)

    def problem(self, line: int, field_name: str, message: str, as_written: str = "") -> None:
        self.issues.append(Issue(self.path, line, field_name, message, as_written))

    def warn(self, line: int, field_name: str, message: str, as_written: str = "") -> None:
        self.issues.append(Issue(self.path, line, field_name, message, as_written, "warning"))


def parse_report(text: str, path: str = "<report>", *, lenient: bool = False) -> Report:
    """Parse a whole report. Strict mode raises InputError listing every error found;
    lenient mode returns them as issues on the report and keeps what could be read."""
    state = _State(path, lenient)
    lines = text.split("\n")
    sections = _split_sections(lines)
    title = next((line.strip() for line in lines if line.strip()), "")
    summary_headers, summary, notes = _parse_summary(sections.get(1, []), state)
    connections: list[Connection] = []
    statement = ""
    for number, status in ((2, "new"), (3, "ended")):
        rows, said = _parse_connections(sections.get(number, []), status, state)
        connections.extend(rows)
        if status == "ended":
            statement = said
    for line_no, line in sections.get(0, []):
        if line.strip() and line.strip() != title:
            state.unread.append((line_no, line))
    for line_no, line in sections.get(99, []):
        state.unread.append((line_no, line))
    if 2 not in sections:
        state.problem(
            0, "", "no section (2) (新たに…結合を行った外部結合の内訳) found: is this a 外部結合 report?"
        )
    _check_numbers(connections, state)
    for line_no, line in state.unread:
        state.warn(line_no, "", "line not understood; kept as written in the graph", line)
    errors = [i for i in state.issues if i.severity == "error"]
    if errors and not lenient:
        raise InputError(errors)
    return Report(
        path=path,
        title=title,
        fiscal_year=_report_fiscal_year(lines),
        summary_headers=summary_headers,
        summary=tuple(summary),
        summary_notes=tuple(notes),
        connections=tuple(connections),
        ended_connections_statement=statement,
        issues=tuple(state.issues),
        unread_lines=tuple(state.unread),
        section_notes=tuple(state.section_notes),
    )


def _report_fiscal_year(lines: list[str]) -> int | None:
    """The report's year: the latest 令和N年度 its headings mention (the summary also names the previous one)."""
    years = [y for line in lines[:40] if (y := fiscal_year(line)) is not None]
    return max(years) if years else None


def _split_sections(lines: list[str]) -> dict[int, list[tuple[int, str]]]:
    """Lines by section number: 0 before the first (N) heading; 99 for unknown sections."""
    sections: dict[int, list[tuple[int, str]]] = {0: []}
    current = 0
    for line_no, line in enumerate(lines, start=1):
        match = _SECTION.match(line)
        if match and "\t" not in line:
            number = int(normalize(match["n"]))
            current = number if number in (1, 2, 3) else 99
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append((line_no, line))
    return sections


# --- section (1): the summary table -------------------------------------------------------


def _parse_summary(
    lines: list[tuple[int, str]], state: _State
) -> tuple[tuple[str, ...], list[SummaryRow], list[str]]:
    spec = headers()
    header: list[str] | None = None
    columns: dict[int, str] = {}
    rows: list[SummaryRow] = []
    notes: list[str] = []
    for line_no, line in lines:
        cells = line.split("\t")
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("※", "*", "＊")):
            notes.append(stripped)
        elif header is None and "\t" in line and match_field(cells[0], {"agency": spec.summary["agency"]}):
            header = cells
            columns = _summary_columns(cells, spec)
        elif header is not None and _is_letter_row(cells, spec):
            columns.update(_letter_columns(cells, spec))
        elif header is not None and "\t" in line:
            rows.append(_summary_row(cells, header, columns, line_no, state))
        else:
            state.unread.append((line_no, line))
    if lines and header is None and any(line.strip() for _, line in lines):
        state.problem(lines[0][0], "", "section (1) has no summary header row (a row naming 実施機関)")
    return tuple(header or ()), rows, notes


def _summary_columns(cells: list[str], spec: Headers) -> dict[int, str]:
    columns: dict[int, str] = {0: "agency"}
    keyword_fields = {k: v for k, v in spec.summary.items() if k in ("specific", "ended", "new")}
    year_columns = []
    for index, cell in enumerate(cells[1:], start=1):
        name = match_field(cell, keyword_fields)
        if name:
            columns[index] = name
        elif cell.strip():
            year_columns.append((fiscal_year(cell) or 0, index))
    year_columns.sort()
    if len(year_columns) == 2:
        columns[year_columns[0][1]] = "previous"
        columns[year_columns[1][1]] = "current"
    return columns


def _is_letter_row(cells: list[str], spec: Headers) -> bool:
    marks = [compact(c) for c in cells if c.strip()]
    return bool(marks) and all(m.lower() in spec.letters for m in marks)


def _letter_columns(cells: list[str], spec: Headers) -> dict[int, str]:
    return {i: spec.letters[compact(c).lower()] for i, c in enumerate(cells) if c.strip()}


def _summary_row(
    cells: list[str], header: list[str], columns: dict[int, str], line_no: int, state: _State
) -> SummaryRow:
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        state.problem(
            line_no, "", f"summary row has {len(cells)} fields, the header {len(header)}", "\t".join(cells)
        )
    values: dict[str, int | None] = {}
    for index, name in columns.items():
        if name == "agency":
            continue
        text = cells[index] if index < len(cells) else ""
        label = header[index] if index < len(header) else name
        values[name] = _count(text, line_no, label, state)
    agency = cells[0].strip()
    kept = tuple(Cell(header[i] if i < len(header) else "", c, line_no, i + 1) for i, c in enumerate(cells))
    return SummaryRow(
        line=line_no,
        agency=agency,
        previous=values.get("previous"),
        new=values.get("new"),
        ended=values.get("ended"),
        current=values.get("current"),
        specific=values.get("specific"),
        is_total=compact(agency) in {compact(t) for t in headers().summary["total"]},
        cells=kept,
    )


def _count(text: str, line_no: int, label: str, state: _State) -> int | None:
    value = compact(text).replace(",", "")
    if _NUMBER.match(value):
        return int(value)
    if value in ("", "-"):
        state.warn(line_no, label, "empty count", text)
        return None
    state.problem(line_no, label, f"expected a whole number, found {text!r}", text)
    return None


# --- sections (2) and (3): connections -------------------------------------------------------


def _parse_connections(
    lines: list[tuple[int, str]], status: str, state: _State
) -> tuple[list[Connection], str]:
    spec = headers()
    header: list[str] | None = None
    header_line = 0
    fields: dict[str, int] = {}
    rows: list[Connection] = []
    statement = ""
    for line_no, line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        cells = line.split("\t")
        if "\t" in line and _is_connection_header(cells, spec):
            header, header_line = cells, line_no
            fields = _connection_fields(cells, line_no, spec, state)
        elif "\t" in line and header is None and _NUMBER.match(compact(cells[0])):
            state.problem(line_no, "No.", "a connection row comes before any header row", line)
        elif "\t" in line and header is not None and _is_data_row(cells, fields):
            row = _connection(cells, header, header_line, fields, line_no, status, state)
            if row is not None:
                rows.append(row)
        elif any(s and s in compact(stripped) for s in spec.none_statements):
            statement = stripped
        elif stripped.startswith(("(", "（")) and "\t" not in line:
            state.section_notes.append((line_no, stripped))
        else:
            state.unread.append((line_no, line))
    return rows, statement


def _is_data_row(cells: list[str], fields: dict[str, int]) -> bool:
    index = fields.get("number", 0)
    return index < len(cells) and bool(_NUMBER.match(compact(cells[index])))


def _is_connection_header(cells: list[str], spec: Headers) -> bool:
    found = {match_field(c, spec.connection) for c in cells}
    return {"number", "counterparties"} <= found or {"number", "items"} <= found


def _connection_fields(cells: list[str], line_no: int, spec: Headers, state: _State) -> dict[str, int]:
    fields: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = match_field(cell, spec.connection)
        if name is None:
            if cell.strip():
                state.warn(line_no, cell, "unknown column: its cells are kept as written")
            continue
        if name in fields:
            state.problem(line_no, cell, f"two columns for the same field ({name})")
            continue
        fields[name] = index
    if "start_date" not in fields and "end_date" not in fields:
        state.problem(
            line_no, spec.connection["start_date"][0], "required column missing from the header row"
        )
    for name in spec.required:
        if name not in fields:
            state.problem(line_no, spec.connection[name][0], "required column missing from the header row")
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
    if len(cells) != len(header):
        what = "too few" if len(cells) < len(header) else "too many"
        state.problem(
            line_no,
            "",
            f"{what} fields: {len(cells)} where the header row (line {header_line}) has {len(header)}",
            "\t".join(cells),
        )
        if not state.lenient:
            return None
        cells = _fit(cells, len(header))
    kept = tuple(Cell(header[i], c, line_no, i + 1) for i, c in enumerate(cells))

    def cell(name: str) -> str:
        index = fields.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    number = int(compact(cell("number")))
    start_text, end_text = cell("start_date"), cell("end_date")
    start, start_note = _date(start_text, line_no, _header_of(header, fields, "start_date"), state)
    end, end_note = _date(end_text, line_no, _header_of(header, fields, "end_date"), state)
    if not start_text.strip() and not end_text.strip():
        state.problem(line_no, _header_of(header, fields, "start_date"), "no start date", start_text)
    flag_text = cell("specific")
    flag = _specific_flag(flag_text, line_no, _header_of(header, fields, "specific"), state)
    items = split_items(cell("items"))
    for remark in items.remarks:
        state.warn(line_no, _header_of(header, fields, "items"), remark)
    legal = parse_legal_basis(cell("legal_basis"))
    for remark in legal.remarks:
        state.warn(line_no, _header_of(header, fields, "legal_basis"), remark)
    return Connection(
        number=number,
        line=line_no,
        status=status,
        departments_as_written=cell("departments"),
        business=cell("business"),
        reason=cell("reason"),
        subjects=cell("subjects"),
        items_as_written=cell("items"),
        items=items,
        specific_personal_information_as_written=flag_text,
        specific_personal_information=flag,
        legal_basis=legal,
        counterparties_as_written=cell("counterparties"),
        start_date_as_written=start_text,
        start_date=start,
        start_date_note=start_note,
        end_date_as_written=end_text,
        end_date=end,
        end_date_note=end_note,
        cells=kept,
        extra_cells=tuple(c for i, c in enumerate(kept) if i not in set(fields.values()) and c.text.strip()),
    )


def _date(text: str, line_no: int, label: str, state: _State) -> tuple[date | None, str]:
    if not text.strip():
        return None, ""
    try:
        parsed = parse_era_date(text)
    except EraDateError as exc:
        state.problem(line_no, label, str(exc), text)
        return None, ""
    return parsed.value, parsed.note


def _fit(cells: list[str], width: int) -> list[str]:
    """Lenient mode: pad a short row; fold a long row's surplus into its last field (kept, and reported)."""
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    return [*cells[: width - 1], "\t".join(cells[width - 1 :])]


def _header_of(header: list[str], fields: dict[str, int], name: str) -> str:
    index = fields.get(name)
    return header[index] if index is not None else headers().connection[name][0]


def _specific_flag(text: str, line_no: int, label: str, state: _State) -> bool:
    spec = headers()
    mark = compact(text)
    if mark in spec.true_marks:
        return True
    if mark not in spec.false_marks:
        state.problem(line_no, label, "expected ○ or a blank", text)
    return False


def _check_numbers(connections: Iterable[Connection], state: _State) -> None:
    seen: dict[tuple[str, int], int] = {}
    for row in connections:
        key = (row.status, row.number)
        if key in seen:
            state.problem(row.line, "No.", f"connection number {row.number} also used at line {seen[key]}")
        else:
            seen[key] = row.line
