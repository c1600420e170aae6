"""The columns of a connection table: which line is its header row, which a data row, and which
field each header cell names (headers.toml [connection]), with what each section's table must have.

A missing required column is an error at the header row; an optional one the header lacks is a
warning there (its values are unknown, which is not the same as blank); an unknown column is kept
as written; a second column for one field is kept only as written.
"""

from __future__ import annotations

import re

from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import compact, match_key
from ketsugo.read.table import NUMBER, whole_number

# A line that is only a bracketed name inside a connection table: a group of the rows below it
GROUP_HEADING = re.compile(r"^[【［\[]\s*(?P<group>[^】］\]]{1,30})\s*[】］\]]$")


def expected_columns(spec: Headers) -> str:
    """The columns a new-connection table must name, for a message."""
    names = [spec.connection[name][0] for name in (*spec.required, "start_date")]
    return ", ".join(names)


def is_data_row(cells: list[str], fields: dict[str, int]) -> bool:
    """A row that starts a connection: a whole number in its No. column."""
    index = fields.get("number", 0)
    return index < len(cells) and whole_number(cells[index]) is not None


def is_connection_header(cells: list[str], spec: Headers) -> bool:
    """A header row names No. and the items or the counterparties, at least three fields in all,
    and holds no bare number (a data row whose cells mention 番号 or 項目 is not a header)."""
    if any(NUMBER.match(compact(c)) for c in cells):
        return False
    found = {match_field(c, spec.connection) for c in cells} - {None}
    return len(found) >= 3 and ({"number", "counterparties"} <= found or {"number", "items"} <= found)


def connection_fields(
    cells: list[str], line_no: int, section: int, spec: Headers, state: ParseState
) -> dict[str, int]:
    """Field → column index of a header row, with a finding for each column that is missing, unknown
    or named twice (what is required depends on the section)."""
    fields: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = match_field(cell, spec.connection)
        if name is None and match_key(cell) in spec.row_status_columns:
            name = "status"  # 区分: new / ended / changed, row by row (headers.toml [row_status])
        if name is None and match_key(cell) in spec.direction_columns:
            name = "direction"  # 提供・受領の別: which way data flows (headers.toml [direction])
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


def header_of(header: list[str], fields: dict[str, int], name: str) -> str:
    """The header cell of a field's column as written, or its first alias when there is none (for messages)."""
    index = fields.get(name)
    return header[index] if index is not None else headers().connection[name][0]
