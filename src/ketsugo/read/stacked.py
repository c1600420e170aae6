"""Tables that give one value per line (Excel sheets with merged cells, copied out as text).

Two layouts, both read as ordinary rows:

- a **second header line** under the header row names the columns a merged upper cell spans
  (結合の相手方 over 名称 / 所在地): each column is named by its two cells (:func:`merged_header`);
- a row **continued by lines that repeat its number** (or leave the No. cell blank) and carry one
  more value each: the next item, a second party with its own address and date. The lines are one
  row (:func:`stacks_on`); :func:`merge_stacked` joins each column's values — a list column (items,
  parties, departments, dates, a column no field names) as a list, any other text as text broken
  across lines (a date cell giving several dates is read by the date reading: one date, a warning). A warning quotes the lines merged, so nothing is read silently.
"""

from __future__ import annotations

import re

from ketsugo.read.headers import Headers, match_field
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import compact
from ketsugo.read.table import NUMBER, column_name, header_width, whole_number
from ketsugo.read.wrapping import joined_text

# A second header line's cells are column names: short, with no digit (名称, 所在地, 開始, 終了).
_SUBHEADER_CELL = re.compile(r"^[^0-9０-９]{1,12}$")
# Fields whose values, one per line, are elements of one list; a column no field names is kept so
# too, and dates (several in one cell are read in read/connections.py: one date and a warning).
_LIST_FIELDS = frozenset({"items", "items_to", "items_from", "counterparties", "departments"})
_DATE_FIELDS = frozenset({"start_date", "end_date"})
# Fields that identify a row: a line with a value of its own here starts another row, not this one.
_ROW_FIELDS = ("departments", "business")
LIST_SEPARATOR = "、"


def is_subheader(upper: list[str], cells: list[str], spec: Headers) -> bool:
    """Whether ``cells`` (the line right under the header row ``upper``) names its columns further:
    a blank No. cell, no number anywhere, every non-blank cell a short word, at least one of them
    under a blank upper cell or naming no field alone (名称 / 所在地 under 結合の相手方)."""
    number = next((i for i, c in enumerate(upper) if match_field(c, spec.connection) == "number"), 0)
    if number < len(cells) and cells[number].strip():
        return False
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    if not filled or len(cells) > max(len(upper), header_width(upper)) + 1:
        return False
    if any(NUMBER.match(compact(c)) or not _SUBHEADER_CELL.match(c) for _, c in filled):
        return False
    named = [i for i, c in enumerate(upper) if i != number and match_field(c, spec.connection) is not None]
    if len(named) >= 4 and 2 * sum(1 for i, _ in filled if i in named) > len(named):
        return False  # a cell under most named columns: a row of values without a number, not names
    return any(
        i >= len(upper) or not upper[i].strip() or match_field(c, spec.connection) is None for i, c in filled
    )


def merged_header(upper: list[str], lower: list[str], rows: list[list[str]] | None = None) -> list[str]:
    """One header row from two: a column is named by its upper cell and the lower one after it
    (結合の相手方 名称) — by the lower alone where that names a field the pair does not (法令 under
    根拠) or the pair names a field already given (:func:`grouped_column_name`) —; by the lower
    alone where the upper is blank (the merged cell named only the first column it spans: 所在地 is
    then a column of its own, kept as written). The columns of an item check-matrix (the upper cell
    names the items, the lower ones items that ``rows``, the table's rows below, mark with ○) are each
    named "<group> <item>" (read/matrix.py)."""
    from ketsugo.read.columns import grouped_column_name
    from ketsugo.read.headers import headers
    from ketsugo.read.matrix import matrix_names

    spec = headers()
    width = max(len(upper), len(lower))
    out: list[str] = []
    groups: list[str] = []
    names: list[str] = []
    spanning = ""  # the nearest upper cell to the left: a merged cell may span this column
    for i in range(width):
        top = upper[i].strip() if i < len(upper) else ""
        low = lower[i].strip() if i < len(lower) else ""
        spanning = top or spanning
        taken = {f for f in (match_field(c, spec.connection) for c in out) if f is not None}
        out.append(grouped_column_name(top, low, taken, spanning))
        groups.append(top or (spanning if low else ""))
        names.append(low)
    for i, name in matrix_names(groups, names, rows or []).items():
        out[i] = name
    return out


def spanned_header(
    upper: list[str], lower: list[str], below: list[list[str]], spec: Headers
) -> list[str] | None:
    """One header row from two as a web page's table copied as text gives them, or None: the cells
    spanning both lines stand on the first line only, so the second holds only the sub-cells of the
    one header cell spanning them (記録項目 | 対象者 under 結合する個人情報). Read so only when the data
    rows (``below``) are as wide as that reading makes the header, and exactly one upper cell names
    the field of the first sub-cell; each sub-column is then named as :func:`merged_header` names it."""
    from ketsugo.read.columns import grouped_column_name

    subs = [c.strip() for c in lower if c.strip()]
    tops = [c.strip() for c in upper[: header_width(upper)]]
    if not lower[0].strip() or len(subs) < 2:
        return None
    if any(NUMBER.match(compact(c)) or not _SUBHEADER_CELL.match(c) for c in subs):
        return None
    number = next((i for i, c in enumerate(tops) if match_field(c, spec.connection) == "number"), 0)
    widths = [header_width(r) for r in below if number < len(r) and whole_number(r[number]) is not None]
    if not widths or max(widths) != len(tops) + len(subs) - 1:
        return None
    matrix = _spanned_matrix(tops, subs, below)  # the sub-cells are items marked with ○
    if matrix is not None:
        return matrix
    first = match_field(subs[0], spec.connection)
    spanning = [
        i for i, c in enumerate(tops) if first is not None and match_field(c, spec.connection) == first
    ]
    if len(spanning) != 1:
        return None
    at = spanning[0]
    out = tops[:at]
    for sub in subs:
        taken = {f for f in (match_field(c, spec.connection) for c in out) if f is not None}
        out.append(grouped_column_name(tops[at], sub, taken))
    return [*out, *tops[at + 1 :]]


def _spanned_matrix(tops: list[str], subs: list[str], below: list[list[str]]) -> list[str] | None:
    """The header of a web page's copy whose sub-cells are the columns of an item check-matrix under
    one upper cell naming the items (read/matrix.py), or None."""
    from ketsugo.read.matrix import matrix_names

    for at, top in enumerate(tops):
        groups = [*tops[:at], *[top] * len(subs), *tops[at + 1 :]]
        names = [*[""] * at, *subs, *[""] * (len(tops) - at - 1)]
        named = matrix_names(groups, names, below)
        if named:
            return [named.get(i, g) for i, g in enumerate(groups)]
    return None


def stacks_on(row: list[str], cells: list[str], header: list[str], fields: dict[str, int]) -> bool:
    """Whether a table line continues ``row`` one value per line: the row has all its cells, the
    line's No. cell repeats the row's number or is blank, its 課 and 業務名 cells are blank (a line
    repeating them is a row of its own: a duplicate number is reported, not merged), and it holds
    a value in some other column."""
    if len(row) < header_width(header):
        return False
    number = fields.get("number", 0)
    own = cells[number].strip() if number < len(cells) else ""
    if own and whole_number(own) != whole_number(row[number]):
        return False
    for name in _ROW_FIELDS:
        index = fields.get(name)
        if index is not None and index < len(cells) and cells[index].strip():
            return False
    return any(c.strip() for i, c in enumerate(cells) if i != number)


def merge_stacked(
    lines: list[tuple[int, list[str]]], header: list[str], fields: dict[str, int], state: ParseState
) -> list[str]:
    """The cells of one row from its lines (the first line first), with a warning quoting them."""
    field_at = {index: name for name, index in fields.items()}
    width = max(len(cells) for _, cells in lines)
    first_line = lines[0][0]
    merged: list[str] = []
    for index in range(width):
        values = [cells[index].strip() for _, cells in lines if index < len(cells) and cells[index].strip()]
        name = field_at.get(index, "")
        if name == "number" or len(set(values)) <= 1:
            merged.append(values[0] if values else "")
        elif name in _LIST_FIELDS or name in _DATE_FIELDS or not name:
            merged.append(LIST_SEPARATOR.join(values))
        else:
            text = values[0]
            for value in values[1:]:
                text = joined_text(text, value)
            merged.append(text)
    continued = ", ".join(str(n) for n, _ in lines[1:])
    state.warn(
        first_line,
        column_name(header, fields.get("number", 0)).strip(),
        f"row continued on line {continued}, one value per line (the No. repeated or blank): the lines "
        "are one row; list columns (items, parties, dates, a column no field names) are joined with "
        f"{LIST_SEPARATOR}, text as one text",
        "\n".join("\t".join(cells) for _, cells in lines),
    )
    return merged
