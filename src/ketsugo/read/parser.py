"""Report text → typed records, driven by header names rather than column positions.

A report holds (1) a summary table per 実施機関, (2) the new connections and (3) the
ended ones; the connection header row may repeat between blocks. Every line is
accounted for: read into a record, recognised as layout (blank, heading, header,
note), or returned as an unread line with a warning — never dropped silently.

This module ties the reading together; each part lives in a module of its own:

- :mod:`ketsugo.read.headers`: header aliases and cell marks (data/reference/headers.toml);
- :mod:`ketsugo.read.layout`: lines and control characters, sections, the fiscal year of the
  headings, and the state a reading collects its findings in;
- :mod:`ketsugo.read.table`: a row against its header row (width, column names, numbers);
- :mod:`ketsugo.read.summary`: section (1), the summary table;
- :mod:`ketsugo.read.columns`: the header row of a connection table and its columns;
- :mod:`ketsugo.read.wrapping`: rows wrapped across lines, joined;
- :mod:`ketsugo.read.quoted`: cells in double quotes over several lines (a spreadsheet's copy);
- :mod:`ketsugo.read.connections`: sections (2) and (3), rows → Connection records.

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
from dataclasses import replace
from datetime import date

from ketsugo.errors import InputError
from ketsugo.read.agencyheadings import read_agency_headings
from ketsugo.read.boxtables import join_box_tables
from ketsugo.read.cellperline import refuse_cells_one_a_line
from ketsugo.read.columns import is_connection_header
from ketsugo.read.connections import check_combined_numbers, check_numbers, parse_connections
from ketsugo.read.deptscopes import take_department_scopes
from ketsugo.read.eras import fiscal_years
from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.layout import (
    CLOSING,
    ParseState,
    check_count_lines,
    name_control_columns,
    read_lines,
    report_fiscal_year,
    set_aside_report_lines,
    split_sections,
)
from ketsugo.read.legend import take_legends
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.prosecounts import prose_counts
from ketsugo.read.quoted import join_quoted_lines
from ketsugo.read.records import Connection, Report
from ketsugo.read.summary import names_counts, parse_summary
from ketsugo.read.uncounted import counted_but_unread, read_as_nothing
from ketsugo.read.wrapping import join_broken_headers, joined_text
from ketsugo.read.yearparts import select_year_part

__all__ = ["Headers", "headers", "joined_text", "match_field", "parse_report"]


def parse_report(
    text: str,
    path: str = "<report>",
    *,
    lenient: bool = False,
    fiscal_year: int | None = None,
    part_year: int | None = None,
) -> Report:
    """Parse a whole report. Strict mode raises InputError listing every error found;
    lenient mode returns them as issues on the report and keeps what could be read.

    ``fiscal_year`` is the year the caller was given (--fiscal-year, metadata): when the
    headings disagree about the year, that is then a warning rather than an error.
    ``part_year`` (else ``fiscal_year``) picks the year's part of a file holding several years'
    reports (read/yearparts.py): without it such a file is refused with one error.
    """
    state = ParseState(path, lenient)
    # a table saved one cell a line (Word's .txt save): refused (strict), said first (lenient)
    state.issues.extend(refuse_cells_one_a_line(read_lines(text, ParseState(path, lenient)), path, lenient))
    lines = join_box_tables(read_lines(text, state), state)  # ┌─┬─┐ │ tables, cells wrapped in their boxes
    lines = join_quoted_lines(lines, state)  # cells over lines, in quotes
    lines = join_broken_headers(lines, state)  # a header row's cells over lines (a browser's copy)
    lines = select_year_part(lines, path, part_year or fiscal_year, state.issues)  # 令和５年度の外部結合 …
    lines, state.legend = take_legends(lines, state)  # 凡例: item codes, wherever the report has them
    lines = take_department_scopes(lines, state)  # 「税務課」 over a sheet's sections: its rows' 課
    sections = set_aside_report_lines(split_sections(lines, state), state)  # 作成日 | …, 計 4件
    sections = _headless_summary(sections, state)  # 実施機関 | 新規 | 終了 … under no section (1) heading
    title_line, title = next(((n, line.strip()) for n, line in lines if line.strip()), (0, ""))
    register = _register_table(sections, state)  # an open-data register: one table, no headings
    if register and "\t" in title:  # the register's header row is no title
        title_line, title = 0, ""
    prose_lines: set[int] = set()  # lines of counts written as sentences (no summary table)
    if (
        any("\t" in line for _, line in sections.get(1, []))
        or not (prose := prose_counts([*sections.get(0, []), *sections.get(1, [])], state))[0]
    ):
        summary_headers, summary, notes = parse_summary(sections.get(1, []), state)
    else:
        (summary, prose_lines), summary_headers, notes = prose, (), []
        state.unread.extend(
            (n, line) for n, line in sections.get(1, []) if line.strip() and n not in prose_lines
        )
    connections: list[Connection] = []
    for number, status in ((2, "new"), (3, "ended"), (4, "changed")):
        if number in sections:
            rows = parse_connections(sections[number], status, state, register=register)
            check_count_lines(number, rows, state)  # 計 4件 under the table: as many rows read?
            connections.extend(rows)
    for line_no, line in sections.get(0, []):
        if line.strip() and (line_no, line.strip()) != (title_line, title) and line_no not in prose_lines:
            outside_tables(line_no, line, state, "text before the tables (the report's opening words)")
    for line_no, line in sections.get(99, []):
        if line.strip():  # a blank line says nothing to keep or warn about
            state.unread.append((line_no, line))
    for line_no, line in sections.get(CLOSING, []):
        if line.strip():
            outside_tables(line_no, line, state, "text after the tables (contact, notes)")
    if 2 not in sections:
        state.problem(
            0,
            "",
            "no section (2) (a line like 「(2)新たに外部計算機との結合を行った外部結合の内訳」) found: "
            "is this a 外部結合 report? (ketsugo reads a table under each heading, (2)/２　/■/【新規】 "
            "or a line ending in 外部結合 naming 新た/新規/開始, or the connections as 項目：内容 cards "
            "or as blocks of 項目⇥内容 tables under １　title; docs/your-report.md)",
        )
    connections = read_agency_headings(connections, lines, state)  # 実施機関：…, （1）知事 over rows
    counted_but_unread(summary, connections, state.statements, sections, state)  # read as nothing
    read_as_nothing(summary, connections, state.statements, sections, state)  # and no summary either
    connections = check_numbers(connections, state)
    changes = tuple(c for c in connections if c.status == "changed")  # 変更 rows: neither new nor ended
    connections = [c for c in connections if c.status != "changed"]
    check_combined_numbers(state)
    year = _column_year(
        report_fiscal_year(
            (title_line, title), state, fiscal_year, sorted([*sections.get(0, []), *state.sheet_headings])
        ),
        connections,
        changes,
        state,
    )
    if register and year is not None:
        connections = _continuing_by_start(connections, year, state)
    code, name = _column_municipality([*connections, *changes], state)
    for line_no, line in state.unread:
        if line_no not in state.opening:
            state.warn(line_no, "", "line not understood; kept as written in the graph", line)
    name_control_columns(state)
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
        combined_lists=bool(state.combined_numbers),
        changes=changes,
        municipality_code=code,
        municipality_name=name,
    )


def _names_row_status(header: str, spec: Headers) -> bool:
    """Whether a header row has a column saying each row's status (区分, 新規・廃止の別: headers.toml
    [row_status]): a table of new and ended connections together, under the summary."""
    keys = {match_key(cell) for cell in header.split("\t")}
    return bool(keys & (spec.row_status_columns | spec.row_status_by_cells))


def _register_table(sections: dict[int, list[tuple[int, str]]], state: ParseState) -> bool:
    """Whether the report is an open-data register: no section heading for new, ended or changed
    connections, and a connection header row (No./ID, 相手方, 項目 …) as the first table row, before
    any heading or under a lone summary-like heading (「外部結合一覧」: 一覧 names section (1), but the
    table under it has no summary header), or right under the summary table when its header has a
    区分 column (one table of new and ended rows together; the lines between head it). The header
    row and what follows become section (2),
    read row by row (each row's 区分 cell, else its dates, says whether it is new, continuing or
    ended); a summary-like heading stays a heading (its year counts)."""
    if any(number in sections for number in (2, 3, 4)):
        return False
    spec = headers()
    source = 1 if 1 in sections else 0
    lines = sections.get(source, [])
    rows = [i for i, (_, line) in enumerate(lines) if "\t" in line and line.strip()]
    at = next((i for i in rows if is_connection_header(lines[i][1].split("\t"), spec)), None)
    if at is None:
        return False
    header_line = lines[at][0]
    below_summary = source == 1 and at != rows[0] and _names_row_status(lines[at][1], spec)
    if source == 1 and at != rows[0] and not below_summary:
        return False
    if below_summary:  # the summary table, then one table of every connection with its 区分
        last = max(i for i in rows if i < at)  # the summary's last row: the lines after it head the table
        sections[1] = lines[: last + 1]
        at = last + 1
    elif source == 1:  # what stands above the table under the heading: text before the tables
        sections[0] = [*sections.get(0, []), *lines[:at]]
        del sections[1]
    else:
        sections[0] = lines[:at]
    sections[2] = lines[at:]
    state.inform(
        header_line,
        "",
        "no section headings: the table is read as a register of the year's connections, each row "
        "new, continuing or ended as its 区分 cell says (without one: ended when its end date is "
        "filled, continuing when it started before the fiscal year, else new)",
        kind="report",
    )
    return True


def _column_cells(rows: list[Connection], field_name: str) -> list[tuple[int, str, str]]:
    """(line, header, text) of each row's non-blank cell under a register column (年度, 団体コード …)."""
    return [
        (row.line, cell.header.strip(), cell.text.strip())
        for row in rows
        if (cell := row.cell(field_name)) is not None and cell.text.strip()
    ]


def _column_year(
    year: int | None, connections: list[Connection], changes: tuple[Connection, ...], state: ParseState
) -> int | None:
    """The fiscal year: the headings' (``year``), else the one a 年度 column gives on every row
    (「2022年度」, 令和4年度, 2022). Rows naming another year than the first, or than the headings,
    are an error naming the line."""
    cells = _column_cells([*connections, *changes], "fiscal_year")
    first: tuple[int, int] | None = None  # (line, year) of the first row naming one
    for line, header, text in cells:
        named = fiscal_years(text) or ([int(text)] if _BARE_YEAR.match(text) else [])
        if not named:
            state.warn(
                line, header, f"no fiscal year read from {text!r} (expected 2022年度 or 令和4年度)", text
            )
            continue
        if first is None:
            first = (line, named[-1])
        if year is not None and named[-1] != year:
            state.problem(
                line, header, f"the row says fiscal year {named[-1]}, the report's headings {year}", text
            )
        elif named[-1] != first[1]:
            state.problem(
                line,
                header,
                f"the row says fiscal year {named[-1]}, the row at line {first[0]} {first[1]}: a register "
                "of one fiscal year is read at a time (split the file by 年度)",
                text,
            )
    if year is None and first is not None:
        year = first[1]
        state.inform(first[0], cells[0][1], f"fiscal year {year} read from the {cells[0][1]} column")
    return year


_BARE_YEAR = re.compile(r"^(19|20)[0-9]{2}$")


def _continuing_by_start(connections: list[Connection], year: int, state: ParseState) -> list[Connection]:
    """A register without a 区分 column lists every connection in force: a row that is not ended and
    started before the fiscal year (1 April) is a continuing connection, not a new one."""
    kept = []
    for row in connections:
        started = row.start_date
        if row.status == "new" and row.cell("status") is None and started and started < date(year, 4, 1):
            row = replace(row, status="continuing")
            state.inform(
                row.line,
                row.header_of("start_date"),
                f"started {started.isoformat()}, before fiscal year {year}, and not ended: read as a "
                "continuing connection (kg:ContinuingConnection), neither new nor ended",
                row.start_date_as_written or "",
                kind="report",
            )
        kept.append(row)
    return kept


def _column_municipality(rows: list[Connection], state: ParseState) -> tuple[str | None, str | None]:
    """The local-government code and name a register's columns give (every row the same), or None;
    a row naming another is an error naming its line."""
    found: list[str | None] = []
    for field_name in ("municipality_code", "municipality_name"):
        cells = _column_cells(rows, field_name)
        if field_name == "municipality_code":
            cells = [(line, header, normalize(text)) for line, header, text in cells]
        first = cells[0] if cells else None
        for line, header, text in cells[1:]:
            if first is not None and text != first[2]:
                state.problem(
                    line,
                    header,
                    f"the row names {text!r}, the row at line {first[0]} {first[2]!r}: a register of "
                    "one body is read at a time",
                    text,
                )
        found.append(first[2] if first else None)
    code = found[0]
    if code is not None and not _CODE.match(code):
        line = _column_cells(rows, "municipality_code")[0][0]
        state.problem(line, "", f"expected a local government code of 5 or 6 digits, found {code!r}", code)
        code = None
    return code, found[1]


_CODE = re.compile(r"^[0-9]{5,6}$")


def outside_tables(line_no: int, line: str, state: ParseState, what: str) -> None:
    """A line outside the tables (before the first section heading but the title, or in the closing
    block): kept as written in the graph.

    Text with no cells there (a preamble such as 「…の規定により、…次のとおり公表します。」, the
    publisher, a date, a contact) is what most reports have: an info, not a warning. A line with
    cells (tabs) there may be a row read nowhere, so it stays a warning.
    """
    state.unread.append((line_no, line))
    if "\t" not in line.strip():
        state.opening.add(line_no)
        state.inform(line_no, "", f"{what}: kept as written in the graph", line)


def _headless_summary(
    sections: dict[int, list[tuple[int, str]]], state: ParseState
) -> dict[int, list[tuple[int, str]]]:
    """Before any section heading, a summary header row (a first cell 実施機関, headers.toml [summary]
    agency, and cells naming both the new and the ended counts) with no section (1) heading above it
    (結合の状況（件数）, a heading naming no section): that row and the lines after it, up to the next
    heading, are section (1), with an info."""
    if 1 in sections or not sections.get(0):
        return sections
    spec = headers()
    for position, (line_no, line) in enumerate(sections[0]):
        cells = line.split("\t")
        if "\t" not in line or not match_field(cells[0], {"agency": spec.summary["agency"]}):
            continue
        if not {"new", "ended"} <= names_counts(cells, spec):
            continue
        state.inform(
            line_no,
            cells[0].strip(),
            "summary header row under no section (1) heading: read as the summary table (section (1))",
        )
        before = position - 1 if position and "\t" not in sections[0][position - 1][1] else position
        return {**sections, 0: sections[0][:before], 1: sections[0][before:]}
    return sections
