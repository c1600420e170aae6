"""Section (1): the summary table, one row per 実施機関 with its counts.

The header row starts with 実施機関 (headers.toml [summary] agency); each other header cell names
a count by a letter in parentheses at its end (（A）, (a+b-c)), by a keyword (新規, 終了,
特定個人情報), by the fiscal years of the previous and the current year, or by the words for
them; a row of letters alone below the header (A B C …) names the columns too. Each count is a
whole number (a unit such as 件 after it allowed); a dash (－, ー) or なし is zero, with an info
(headers.toml [summary] zero); a blank is an empty count (a warning); anything else an error.
"""

from __future__ import annotations

import re
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.captions import title_read
from ketsugo.read.columns import is_connection_header
from ketsugo.read.eras import fiscal_year, shown
from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import compact, match_key
from ketsugo.read.records import Cell, SummaryRow
from ketsugo.read.table import check_width, column_name, header_width, whole_number


def parse_summary(
    lines: list[tuple[int, str]], state: ParseState
) -> tuple[tuple[str, ...], list[SummaryRow], list[str]]:
    """The header row, the rows and the notes (※…) of section (1); other lines are left unread."""
    spec = headers()
    lines = spaced_summary(lines, spec, state)  # a PDF viewer's copy: cells apart by spaces
    header: list[str] | None = None
    header_line = 0
    columns: dict[int, str] = {}
    rows: list[SummaryRow] = []
    notes: list[str] = []
    just_under_header = False  # the line right under the header row: perhaps its second line
    unknown = dash_unknown_note(lines, spec)  # ※「－」は不明: a dash is then no zero
    previous: tuple[int, str] | None = None  # the last non-blank line (a table's title before its header)
    astray = False  # a connection table's header row came under the summary: the rows are its
    for position, (line_no, line) in enumerate(lines):
        cells = line.split("\t")
        stripped = line.strip()
        if not stripped:
            continue
        under, just_under_header = just_under_header, False
        above, previous = previous, (line_no, line)
        if stripped.startswith(spec.note_markers):
            notes.append(stripped)
        elif header is None and "\t" in line and match_field(cells[0], {"agency": spec.summary["agency"]}):
            header, header_line = cells, line_no
            title_read(above, state)
            columns = _summary_columns(cells, spec)
            state.summary_header = (line_no, cells)
            just_under_header = True
        elif (
            under
            and header is not None
            and not _is_letter_row(cells, spec)
            and (joined := second_header_line(header, cells, _data_width(lines[position + 1 :])))
        ):
            state.warn(
                line_no,
                "",
                f"summary header row (line {header_line}) continued on line {line_no}: each column is "
                f"named by its cells on both lines ({' / '.join(c for c in joined if c)})",
                "\t".join(header) + "\n" + line,
            )
            header = joined
            columns = _summary_columns(joined, spec)
            state.summary_header = (header_line, joined)
        elif header is not None and _is_letter_row(cells, spec):
            columns.update(_letter_columns(cells, spec))
        elif header is not None and "\t" in line and (astray or (what := _astray(cells, header, spec))):
            if not astray and (restart := _restart_above(line_no, state)) is not None:
                state.problem(
                    line_no,
                    "",
                    f"{what} under the summary table (header row line {header_line}, "
                    f"{header_width(header)} fields): line {restart[0]} 「{restart[1]}」 took the "
                    f"reading back to section (1) from section ({restart[2]}), so this table came "
                    "under the summary's; its rows are not read as summary rows (a sub-item numbered "
                    "like the report's sections? let its title name the agency alone — （１）町長, "
                    "【町長】 — or number it otherwise: ア, イ)",
                    line,
                )
            elif not astray:
                state.problem(
                    line_no,
                    "",
                    f"{what} under the summary table (header row line {header_line}, "
                    f"{header_width(header)} fields): the heading of the section it belongs to "
                    "(２　新たに結合を開始したもの, ３　結合を終了したもの) was not found above it, so the "
                    "section's boundary was missed; its rows are not read as summary rows (is the heading "
                    "missing, or worded without 新た/新規/開始/終了/廃止?)",
                    line,
                )
            astray = True  # the connection table's rows too: kept as written, not summary rows
            state.unread.append((line_no, line))
        elif header is not None and "\t" in line:
            state.row_headers[line_no] = header
            rows.append(_summary_row(cells, header, header_line, columns, line_no, state, unknown))
        else:
            state.unread.append((line_no, line))
    if header is not None:
        _warn_unread_columns(header, header_line, columns, spec, state)
    first = next((n for n, line in lines if line.strip()), 0)
    if first and header is None:
        state.problem(
            first,
            spec.summary["agency"][0],
            "section (1) has no summary header row: expected a tab-separated row starting with 実施機関",
        )
    return tuple(header or ()), rows, notes


def names_counts(cells: list[str], spec: Headers) -> frozenset[str]:
    """The counts a summary header row's cells name (new, ended, previous, current, specific)."""
    return frozenset(_summary_columns(cells, spec).values()) - {"agency"}


def count_column(cells: list[str], count: str, spec: Headers) -> str:
    """The summary header cell naming ``count`` (new, ended, …) as written (新規, 新たに結合したもの
    (b)), or "" when no cell names it."""
    named = _summary_columns(cells, spec)
    return next(
        (cells[i].strip() for i, name in sorted(named.items()) if name == count and cells[i].strip()), ""
    )


def spaced_summary(lines: list[tuple[int, str]], spec: Headers, state: ParseState) -> list[tuple[int, str]]:
    """Section (1)'s lines with a summary table whose cells a text copy set apart by spaces (a PDF
    viewer's copy: 実施機関 令和５年度末 新規 終了 …, then 市長 52 8 2 58 21) as tab-separated rows;
    the lines unchanged when any holds a tab. The header row must start with the agency's column
    (headers.toml [summary] agency) and name at least two counts; each row under it, up to the first
    line that is none, is a name and as many counts as the header has cells after its first."""
    if any("\t" in line for _, line in lines):
        return lines
    out = list(lines)
    width = 0  # the header's cells, while the table's rows go on
    for index, (line_no, line) in enumerate(lines):
        cells = line.split()
        if not cells:
            continue
        if not width:
            named = _summary_columns(cells, spec) if len(cells) >= 3 else {}
            if match_field(cells[0], {"agency": spec.summary["agency"]}) and len(named) >= 3:
                width = len(cells)
                out[index] = (line_no, "\t".join(cells))
                state.inform(
                    line_no,
                    cells[0],
                    "summary table copied with its cells apart by spaces (a PDF viewer's copy): read "
                    f"as {width} columns, each row an agency and its counts",
                    line,
                )
        elif len(cells) == width and all(_is_count(c) for c in cells[1:]):
            out[index] = (line_no, "\t".join(cells))
        else:
            width = 0
    return out


def _restart_above(line: int, state: ParseState) -> tuple[int, str, int] | None:
    """The last heading above ``line`` that took the reading back to section (1) from a later one
    (line, as written, the section left: layout.split_sections), or None."""
    back = [(n, text, left) for n, text, number, left in state.restarts if number == 1 and n < line]
    return back[-1] if back else None


def _astray(cells: list[str], header: list[str], spec: Headers) -> str:
    """What a line under the summary header is when it belongs to a connection table: its header
    row, or a numbered row of words (No. 1 | 税務課 | …: a summary row starts with its agency, never
    a number, and holds counts); "" for a summary row."""
    if is_connection_header(cells, spec):
        return "a connection table's header row"
    number = whole_number(cells[0]) if cells else None
    words = [c for c in cells[1:] if c.strip() and not _is_count(c)]
    if number is not None and words:
        return f"a connection row (No. {number}, {sum(1 for c in cells if c.strip())} cells)"
    return ""


def _warn_unread_columns(
    header: list[str], header_line: int, columns: dict[int, str], spec: Headers, state: ParseState
) -> None:
    """A warning for each summary header cell that names no count (nor a comparison such as 前年度比):
    its numbers are kept as written in the row's cells only, never counted."""
    comparison = spec.summary.get("comparison", ())
    for index, cell in enumerate(header):
        if index in columns or not cell.strip() or any(word in cell for word in comparison):
            continue
        state.warn(
            header_line,
            cell.strip(),
            "summary column not read as a count (expected 前年度末 (a), 新規 (b), 終了 (c), 年度末 "
            "(a+b−c) or 特定個人情報): its cells are kept as written only",
            cell,
        )


def second_header_line(top: list[str], below: list[str], data_width: int) -> list[str] | None:
    """One summary header row from two, or None when ``below`` (the line under the header row) is
    no second header line: it holds no count, and either its first cell is blank (a spreadsheet's
    merged header copied out: each cell under the one it stands under; 外部結合の件数 over
    令和6年度末(a) | 令和7年度新規(b) …) or the data rows are wider than the header row (a web page's
    copy: a cell spanning both lines stands on the first only, so the sub-cells belong to the last
    header cells, as many each: 令和6年度中 over 開始 | 終了, 令和6年度末 over 結合数 | うち個人番号…)."""
    filled = [c.strip() for c in below if c.strip()]
    if not filled or any(_is_count(c) for c in filled):
        return None
    if not below[0].strip():
        width = max(len(top), len(below))
        return [_joined(_at(top, i), _at(below, i)) for i in range(width)]
    tops = [c.strip() for c in top[: header_width(top)]]
    grouped = len(tops) + len(filled) - data_width  # header cells with sub-cells under them
    if data_width <= len(tops) or not 1 <= grouped < len(tops) or len(filled) % grouped:
        return None
    each = len(filled) // grouped
    if each < 2:
        return None
    joined = tops[: len(tops) - grouped]
    for n, name in enumerate(tops[len(tops) - grouped :]):
        joined.extend(_joined(name, sub) for sub in filled[n * each : (n + 1) * each])
    return joined


def _at(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _joined(top: str, below: str) -> str:
    return f"{top} {below}" if top and below else top or below


@cache
def _unknown_words() -> tuple[str, ...]:
    return tuple(match_key(w) for w in reference_toml("headers.toml")["summary"].get("unknown", ()))


def dash_unknown_note(lines: list[tuple[int, str]], spec: Headers) -> str:
    """The note under the summary that says a dash (or なし) in a count cell is a count not known
    (※「－」は集計していないもの, ※－：不明), or "": the dash is then no zero."""
    zero = "|".join(re.escape(w) for w in sorted(spec.zero_counts, key=len, reverse=True)) or "(?!)"
    defines = re.compile(rf"(?:^|[「『\"'(（\s※*])(?:{zero})[」』\"')）]?\s*(?:は|:|=|の欄|欄)")
    for _, line in lines:
        text = line.strip()
        if text.startswith(spec.note_markers):
            key = match_key(text)
            if defines.search(key) and any(word in key for word in _unknown_words()):
                return text
    return ""


def _is_count(text: str) -> bool:
    return whole_number(text) is not None or match_key(text) in headers().zero_counts


def _data_width(lines: list[tuple[int, str]]) -> int:
    """The width of the first data row below (a row with a count in it), 0 when there is none."""
    for _, line in lines:
        cells = line.split("\t")
        if "\t" in line and any(whole_number(c) is not None for c in cells[1:]):
            return header_width(cells)
    return 0


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
    _current_after_previous(columns, year_columns)
    return columns


def _current_after_previous(columns: dict[int, str], year_columns: list[tuple[int, int]]) -> None:
    """前年度末件数 | 新規 | 廃止 | 令和5年度末件数: one fiscal-year column right of the previous year's
    count, and no current count otherwise named, is the current count (a + b − c). Only by its place:
    令和4年度末 alone is the previous year's count in many reports."""
    if "current" in columns.values() or "previous" not in columns.values():
        return
    previous = next(i for i, name in columns.items() if name == "previous")
    after = [index for _, index in year_columns if index > previous and index not in columns]
    if len(after) == 1:
        columns[after[0]] = "current"


def _is_letter_row(cells: list[str], spec: Headers) -> bool:
    marks = [match_key(c) for c in cells if c.strip()]
    return bool(marks) and all(m in spec.letters for m in marks)


def _letter_columns(cells: list[str], spec: Headers) -> dict[int, str]:
    """Column → count named by the letter row (a, b, c, a+b-c). The first column is the agency's,
    never lettered: a letter in the row's first cell means the cell under 実施機関 is missing (a
    web page's copy writes the header cell spanning both lines on the first only), so the letters
    stand one column to the right."""
    shift = 1 if cells and cells[0].strip() else 0
    return {i + shift: spec.letters[match_key(c)] for i, c in enumerate(cells) if c.strip()}


def _summary_row(
    cells: list[str],
    header: list[str],
    header_line: int,
    columns: dict[int, str],
    line_no: int,
    state: ParseState,
    unknown: str = "",
) -> SummaryRow:
    check_width(cells, header, header_line, line_no, "summary", state)
    values: dict[str, int | None] = {}
    for index, name in columns.items():
        if name == "agency":
            continue
        text = cells[index] if index < len(cells) else ""
        label = header[index] if index < len(header) and header[index].strip() else name
        values[name] = _count(text, line_no, label, state, unknown)
    agency = cells[0].strip()
    kept = tuple(
        Cell(column_name(header, i), c, line_no, i + 1, columns.get(i, "")) for i, c in enumerate(cells)
    )
    return summary_row(line_no, agency, values, kept)


def summary_row(
    line_no: int, agency: str, counts: dict[str, int | None], cells: tuple[Cell, ...] = ()
) -> SummaryRow:
    """A summary row of an agency's counts (a, b, c, current, specific by field name), read from a
    table row or from a sentence (read/prosecounts.py); a 合計 row is a total."""
    return SummaryRow(
        line=line_no,
        agency=agency,
        previous=counts.get("previous"),
        new=counts.get("new"),
        ended=counts.get("ended"),
        current=counts.get("current"),
        specific=counts.get("specific"),
        is_total=match_key(agency) in {match_key(t) for t in headers().summary["total"]},
        cells=cells,
    )


def _count(text: str, line_no: int, label: str, state: ParseState, unknown: str = "") -> int | None:
    """A count cell's whole number (4, 4件); a dash or なし is zero, as Japanese tables write none
    (headers.toml [summary] zero), with an info — unless the note ``unknown`` says a dash is a count
    not known (a warning, no count); a blank is an empty count (a warning)."""
    spec = headers()
    value = whole_number(text)
    if value is None:
        key = match_key(text)
        unit = next((u for u in spec.summary_units if key.endswith(u) and len(key) > len(u)), "")
        value = whole_number(key.removesuffix(unit)) if unit else None
    if value is not None:
        return value
    if match_key(text) in spec.zero_counts and unknown:
        state.warn(
            line_no, label, f"{shown(text)} in a count cell: not known, as the note says: {unknown}", text
        )
        return None
    if match_key(text) in spec.zero_counts:
        state.inform(line_no, label, f"{shown(text)} in a count cell: none, read as 0", text)
        return 0
    if not compact(text):
        state.warn(line_no, label, "empty count", text)
        return None
    state.problem(line_no, label, f"expected a whole number (a count), found {shown(text)}", text)
    return None
