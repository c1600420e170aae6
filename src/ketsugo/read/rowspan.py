"""Rows that share a cell spanning them (a web page's rowspan), as a copy of the page gives them.

A browser copying a table writes a cell spanning several rows (所管課 住民課 over No.1–3) on the
first of them only: the rows under it come with as many cells fewer as the cells spanning them,
so everything after the gap stands one column to the left. Such a short row is read with the
missing cells taken from the row above when

- the row above, in the same table, has all its cells;
- the gap can only be a run of columns whose cells may span rows (headers.toml [ditto] ``rowspan``:
  the department, the business, the party — never the number, a date or a flag);
- and the row so read fits its columns better than read as it stands (its last cells blank): more
  of its cells of known form (the ○ flag, the direction words, the dates) read as such.

Of the runs the gap may be, the one whose reading fits best is taken; between runs that fit as
well, the one whose cells read most like the cells above them in their columns (市民課 under 市民課,
印鑑登録証明事務 under 住民票交付事務: the same ends or beginnings), the leftmost of those.

Each cell so taken is an info naming the column and the value, and "as written" keeps the row.
"""

from __future__ import annotations

from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.eras import EraDateError, parse_date_cell
from ketsugo.read.headers import Headers
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import match_key
from ketsugo.read.table import column_name, header_width

_DATES = ("start_date", "end_date", "change_date")


def carried_over(
    cells: list[str],
    above: list[str] | None,
    header: list[str],
    fields: dict[str, int],
    line_no: int,
    state: ParseState,
    spec: Headers,
) -> tuple[list[str], int, int]:
    """``cells`` with the cells a rowspan left out taken from the row above, the column they went in
    at and how many they are ((cells, 0, 0) when the row is read as it stands)."""
    width = header_width(header)
    missing = width - len(cells)
    if missing <= 0 or above is None or len(above) < width:
        return cells, 0, 0
    readings = [
        (_fit(carried, fields, spec)[0], _likeness(carried, above, at, missing), -at, carried)
        for at in _gaps(missing, width, fields)
        if all(above[i].strip() for i in range(at, at + missing))
        for carried in ([*cells[:at], *above[at : at + missing], *cells[at:]],)
    ]
    if not readings:
        return cells, 0, 0
    _, _, minus_at, carried = max(readings, key=lambda r: r[:3])
    at = -minus_at
    padded = cells + [""] * missing
    fit, typed = _fit(padded, fields, spec)
    if _fit(carried, fields, spec)[0] <= fit:
        if fit < typed:  # a cell read as it stands misfits its column: say what may help
            state.warn(
                line_no,
                column_name(header, at).strip(),
                f"the row has {len(cells)} cells where the header has {width}, and its cells do not read "
                "better with a cell spanning rows taken from the row above: if this is a copy of a web "
                "page, build the page itself (.html) or its PDF instead",
                "\t".join(cells),
            )
        return cells, 0, 0
    for index in range(at, at + missing):
        state.inform(
            line_no,
            column_name(header, index).strip(),
            f"the row has {len(cells)} cells where the header has {width}: read as a copy of a web page, "
            f"where a cell spanning rows stands on the first of them only; the cell of "
            f"{column_name(header, index).strip()} is taken from the row above: {above[index].strip()}",
            "\t".join(cells),
        )
    return carried, at, missing


@cache
def _spanning_fields() -> tuple[str, ...]:
    """headers.toml [ditto] rowspan: the fields whose cells may span rows."""
    return tuple(reference_toml("headers.toml").get("ditto", {}).get("rowspan", ()))


def _gaps(missing: int, width: int, fields: dict[str, int]) -> list[int]:
    """The first column of each run of ``missing`` columns that may span rows, left to right."""
    spanning = {fields[name] for name in _spanning_fields() if name in fields}
    return [
        start
        for start in range(width - missing + 1)
        if all(i in spanning for i in range(start, start + missing))
    ]


def _likeness(carried: list[str], above: list[str], at: int, missing: int) -> int:
    """How alike the row's own cells are to the cells above them in their columns: the characters
    each shares with it at its start or its end (課, 事務, 株式会社, 氏名、), up to 4 a cell."""
    total = 0
    for index, cell in enumerate(carried):
        if at <= index < at + missing or index >= len(above):
            continue
        mine, theirs = cell.strip(), above[index].strip()
        total += min(4, max(_shared(mine, theirs), _shared(mine[::-1], theirs[::-1])))
    return total


def _shared(one: str, other: str) -> int:
    """How many characters ``one`` and ``other`` share at their start."""
    count = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        count += 1
    return count


def _fit(cells: list[str], fields: dict[str, int], spec: Headers) -> tuple[int, int]:
    """How many cells of known form (the flag, the direction, the dates) read as their column's, of
    how many such cells are not blank."""
    score = typed = 0
    flag = fields.get("specific")
    if flag is not None and flag < len(cells) and cells[flag].strip():
        typed += 1
        score += match_key(cells[flag]) in spec.true_marks | spec.false_marks
    way = fields.get("direction")
    if way is not None and way < len(cells) and cells[way].strip():
        typed += 1
        score += match_key(cells[way]) in (spec.direction or {})
    for name in _DATES:
        index = fields.get(name)
        if index is None or index >= len(cells) or not cells[index].strip():
            continue
        typed += 1
        try:
            parse_date_cell(cells[index].split("\n")[0])
        except EraDateError:
            continue
        score += 1
    return score, typed
