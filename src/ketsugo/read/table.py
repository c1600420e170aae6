"""A table row against its header row: the header's width, a row with too few or too many fields,
the name of a column, a cell's whole number. Shared by the summary and the connection tables.

Empty header cells at the end of the header row (stray tabs) do not count; a column past the
header is named by its place ("field 7 (no header)") so that nothing is kept without a name.
"""

from __future__ import annotations

import re

from ketsugo.read.eras import shown
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import compact

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

    Empty fields past the header's last column (trailing tabs) are not a problem.
    """
    width = header_width(header)
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


def column_name(header: list[str], index: int) -> str:
    """The header cell over a column, or its place when the row runs past the header."""
    return header[index] if index < len(header) else f"field {index + 1} (no header)"
