"""A table row against its header row: the header's width, a row with too few or too many fields,
the name of a column, a cell's whole number. Shared by the summary and the connection tables.

Empty header cells at the end of the header row (stray tabs) do not count; a column past the
header is named by its place ("field 7 (no header)") so that nothing is kept without a name.
"""

from __future__ import annotations

import re

from ketsugo.read.eras import shown
from ketsugo.read.headers import headers, match_field
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import compact, match_key

NUMBER = re.compile(r"^[0-9]+$")
MAX_NUMBER_DIGITS = 9  # a longer run of digits is no count and no connection number


def whole_number(text: str) -> int | None:
    """A cell's whole number (full-width digits and separators allowed), or None."""
    value = compact(text).replace(",", "")
    if NUMBER.match(value) and len(value) <= MAX_NUMBER_DIGITS:
        return int(value)
    return None


def header_width(header: list[str]) -> int:
    """The header's width without trailing empty header cells (stray tabs at the end of the row)."""
    width = len(header)
    while width > 1 and not header[width - 1].strip():
        width -= 1
    return width


def check_width(
    cells: list[str], header: list[str], header_line: int, line_no: int, what: str, state: ParseState
) -> str:
    """Report a row with fewer or more fields than its header; "" when it fits, else "few"/"many".

    Empty fields past the header's last column (trailing tabs) are not a problem; nor, with an info,
    a connection row ending before columns whose cells may be blank (:func:`blank_ok`): the copy
    dropped its trailing empty cells.
    """
    width = header_width(header)
    if len(cells) < width and what == "connection" and all(blank_ok(h) for h in header[len(cells) : width]):
        named = [h.strip() for h in header[len(cells) : width] if h.strip()]
        state.inform(
            line_no,
            named[0] if named else "",
            f"{len(cells)} fields where the {what} header row (line {header_line}) has {width}: the "
            f"last cells ({', '.join(named) or 'no header'}) read as blank (trailing tabs dropped in the copy?)",
            "\t".join(cells),
        )
        return ""
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


def blank_ok(header_cell: str) -> bool:
    """A connection column whose cell may be left blank as a matter of course, so that a row of a
    text copy ending before it lost only empty cells (editors drop trailing tabs): a remarks column
    (備考), a column of no header or of no known field, an optional field. A required field's
    (headers.toml [required.new]) or a date's cell missing stays an error: a row cut short."""
    spec = headers()
    if not header_cell.strip() or match_key(header_cell) in spec.remarks_columns:
        return True
    name = match_field(header_cell, spec.connection)
    return name not in (*spec.required, "start_date", "end_date", "change_date")


def column_name(header: list[str], index: int) -> str:
    """The header cell over a column, or its place when the row runs past the header."""
    return header[index] if index < len(header) else f"field {index + 1} (no header)"
