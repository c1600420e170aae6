"""Section (1): the summary table, one row per 実施機関 with its counts.

The header row starts with 実施機関 (headers.toml [summary] agency); each other header cell names
a count by a letter in parentheses at its end (（A）, (a+b-c)), by a keyword (新規, 終了,
特定個人情報), by the fiscal years of the previous and the current year, or by the words for
them; a row of letters alone below the header (A B C …) names the columns too. Each count is a
whole number; a blank or "-" is an empty count (a warning), anything else an error.
"""

from __future__ import annotations

import re

from ketsugo.read.captions import title_read
from ketsugo.read.eras import fiscal_year, shown
from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import compact, match_key
from ketsugo.read.records import Cell, SummaryRow
from ketsugo.read.table import check_width, column_name, whole_number


def parse_summary(
    lines: list[tuple[int, str]], state: ParseState
) -> tuple[tuple[str, ...], list[SummaryRow], list[str]]:
    """The header row, the rows and the notes (※…) of section (1); other lines are left unread."""
    spec = headers()
    header: list[str] | None = None
    header_line = 0
    columns: dict[int, str] = {}
    rows: list[SummaryRow] = []
    notes: list[str] = []
    previous: tuple[int, str] | None = None  # the last non-blank line (a table's title before its header)
    for line_no, line in lines:
        cells = line.split("\t")
        stripped = line.strip()
        if not stripped:
            continue
        above, previous = previous, (line_no, line)
        if stripped.startswith(spec.note_markers):
            notes.append(stripped)
        elif header is None and "\t" in line and match_field(cells[0], {"agency": spec.summary["agency"]}):
            header, header_line = cells, line_no
            title_read(above, state)
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
            spec.summary["agency"][0],
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


def _summary_row(
    cells: list[str],
    header: list[str],
    header_line: int,
    columns: dict[int, str],
    line_no: int,
    state: ParseState,
) -> SummaryRow:
    check_width(cells, header, header_line, line_no, "summary", state)
    values: dict[str, int | None] = {}
    for index, name in columns.items():
        if name == "agency":
            continue
        text = cells[index] if index < len(cells) else ""
        label = header[index] if index < len(header) and header[index].strip() else name
        values[name] = _count(text, line_no, label, state)
    agency = cells[0].strip()
    kept = tuple(
        Cell(column_name(header, i), c, line_no, i + 1, columns.get(i, "")) for i, c in enumerate(cells)
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


def _count(text: str, line_no: int, label: str, state: ParseState) -> int | None:
    value = whole_number(text)
    if value is not None:
        return value
    if compact(text) in ("", "-"):
        state.warn(line_no, label, "empty count", text)
        return None
    state.problem(line_no, label, f"expected a whole number (a count), found {shown(text)}", text)
    return None
