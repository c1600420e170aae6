"""Cells that stand for the cell above: ditto marks and the blanks under a merged cell.

A report copied out of a spreadsheet writes a value once and means it for the rows below: a ditto
mark (同上, 〃, ″, 上に同じ) in a cell is the value of the same column in the row above (同左: of
the cell to its left, 受領する個人情報 as 提供する個人情報), and a
merged cell (one 課 or 業務名 over several rows) leaves its lower rows blank. A careful reader fills
both in, so the connection of such a row has its department, items or party rather than a mark.
The marks and the merged fields are data (headers.toml [ditto]). A ditto mark says what it stands
for, so each cell read so is an info holding what the row wrote; a blank under a merged cell is
only the layout's hint (a blank may also mean "none"), so each cell filled so is a warning.
Nothing the source says is lost.
"""

from __future__ import annotations

from ketsugo.read.headers import Headers
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import match_key
from ketsugo.read.table import column_name


def is_ditto(text: str, spec: Headers) -> bool:
    """The whole cell is a ditto mark (同上, 〃 …; headers.toml [ditto] marks)."""
    return bool(text.strip()) and match_key(text) in spec.ditto_marks


def fill_from_above(
    cells: list[str],
    above: list[str] | None,
    header: list[str],
    fields: dict[str, int],
    line_no: int,
    state: ParseState,
    spec: Headers,
) -> list[str]:
    """``cells`` with each ditto mark, and each blank cell of a merged field, read as the cell above.

    ``above`` is the row above in the same table, already filled in (a mark under a mark reads the
    value both stand for); None for a table's first row, where a mark has nothing to stand for and
    is read as a blank cell, with a warning holding the mark.
    """
    merged = {fields[name] for name in spec.merged_fields if name in fields}
    number = fields.get("number")
    filled = list(cells)
    for index, text in enumerate(cells):
        if index == number:
            continue
        if text.strip() and match_key(text) in spec.ditto_left_marks:
            filled[index] = _left(filled, index, header, line_no, text, state)
            continue
        mark = is_ditto(text, spec)
        blank = not text.strip() and index in merged
        if not mark and not blank:
            continue
        value = above[index] if above is not None and index < len(above) else ""
        label = column_name(header, index)
        if not value.strip():
            if mark:
                # the mark names nothing: a blank cell (its gap then found like any other), the
                # mark kept in this finding — never a department or a party called 同上
                filled[index] = ""
                state.warn(
                    line_no,
                    label,
                    f"{text.strip()} stands for the cell above, but there is none in this table: read as blank",
                    text,
                )
            continue
        filled[index] = value
        if mark:
            state.inform(
                line_no, label, f"the ditto mark {text.strip()} read as the cell above: {value.strip()}", text
            )
        else:
            state.warn(
                line_no, label, f"a blank cell under a merged cell read as the cell above: {value.strip()}"
            )
    return filled


def _left(cells: list[str], index: int, header: list[str], line_no: int, text: str, state: ParseState) -> str:
    """The cell to the left (as read) for a 同左 mark; a blank cell, with a warning holding the mark,
    when the cell to the left is blank or the table's first."""
    value = cells[index - 1] if index > 0 else ""
    label = column_name(header, index)
    if not value.strip():
        state.warn(
            line_no,
            label,
            f"{text.strip()} stands for the cell to the left, but it is blank: read as blank",
            text,
        )
        return ""
    state.inform(
        line_no, label, f"the ditto mark {text.strip()} read as the cell to the left: {value.strip()}", text
    )
    return value
