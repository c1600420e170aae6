"""An item check-matrix: the personal-data items written as columns, each row marking its items.

Some reports do not list a connection's items in one cell: a header cell naming the items field
(「提供する個人情報の項目」) spans several sub-columns, each named by an item (氏名 | 住所 | 生年月日 | … |
その他), and each row marks the items it gives with ○ (●, 〇, ◯, レ, ✓ …). Those sub-columns are ITEM
columns, not fields — even where a sub-column's name looks like a field's (電話番号, 個人番号) —, read so
only when the group's sub-columns hold marks in the rows below (headers.toml [item_matrix]).

Each row's items are the names of the columns it marks, in column order, then the free text of an
その他-like column under the group (headers.toml [item_matrix] free_columns), split as an ordinary
items cell. The row's items as written is that list written as one cell, the names joined by 、
(「氏名、住所、世帯、本籍、筆頭者氏名」: docs/items.md). A blank cell, or a cross or dash, is unmarked; any
other text in an item column reads as marked, with a warning quoting it (nothing the cell says is
lost without a finding).

A two-row header names each of the group's columns "<group> <item>" (:func:`matrix_names`, where the
two rows are made one: read/stacked.py for the text form, read/sources/tables.py for the other
forms); the parser then reads the group as one items column (:func:`item_matrix`,
:func:`matrix_cells`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.normalize import match_key
from ketsugo.read.table import whole_number

_ITEM_FIELDS = frozenset({"items", "items_to", "items_from"})
SEPARATOR = "、"


@dataclass(frozen=True)
class _Words:
    marks: frozenset[str]
    unmarked: frozenset[str]
    free: frozenset[str]
    min_columns: int


@cache
def _words() -> _Words:
    spec = reference_toml("headers.toml").get("item_matrix", {})
    return _Words(
        frozenset(match_key(m) for m in spec.get("marks", ())),
        frozenset(match_key(m) for m in spec.get("unmarked", ())),
        frozenset(match_key(m) for m in spec.get("free_columns", ())),
        int(spec.get("min_mark_columns", 2)),
    )


def is_mark(text: str) -> bool:
    """The cell marks its column's item (○, ●, レ …)."""
    return match_key(text) in _words().marks


def is_unmarked(text: str) -> bool:
    """The cell leaves its column's item out: blank, or a cross, dash or slash."""
    key = match_key(text)
    return not key or key in _words().unmarked


def is_free_column(name: str) -> bool:
    """The sub-column holds items as free text (その他)."""
    return match_key(name) in _words().free


def _names_items(group: str) -> bool:
    from ketsugo.read.headers import headers, match_field

    return bool(group.strip()) and match_field(group, headers().connection) in _ITEM_FIELDS


def opens_matrix(header: list[str], below: list[str]) -> bool:
    """A header row with a cell naming the items, over lines of which one marks at least two cells
    (``min_mark_columns``): the line under it is a check-matrix's sub-header (氏名 ⇥ 住所 …), its own
    row, not the rest of the header's cells (whose item names may look like fields: 電話番号)."""
    if not any(_names_items(cell) for cell in header):
        return False
    least = _words().min_columns
    return any(sum(1 for cell in line.split("\t") if is_mark(cell)) >= least for line in below)


def _mark_column(values: list[str]) -> bool:
    """A column of marks: some cell marks, and at least half of the filled cells are marks or crosses."""
    said = [v for v in values if v.strip()]
    marked = sum(1 for v in said if is_mark(v))
    return marked > 0 and 2 * sum(1 for v in said if is_mark(v) or is_unmarked(v)) >= len(said)


def _data_rows(rows: list[list[str]], number: int) -> list[list[str]]:
    return [r for r in rows if number < len(r) and whole_number(r[number]) is not None]


def _is_matrix(columns: list[int], names: list[str], rows: list[list[str]]) -> bool:
    """The group's sub-columns are a check-matrix: at least min_mark_columns hold marks."""
    marks = [
        i
        for i in columns
        if not is_free_column(names[i]) and _mark_column([r[i] if i < len(r) else "" for r in rows])
    ]
    return len(columns) >= 2 and len(marks) >= _words().min_columns


def _number_column(names: list[str]) -> int:
    from ketsugo.read.headers import headers, match_field

    spec = headers().connection
    return next((i for i, c in enumerate(names) if match_field(c, spec) == "number"), 0)


def matrix_names(groups: list[str], names: list[str], rows: list[list[str]]) -> dict[int, str]:
    """Column → its name "<group> <item>" for the columns of an item check-matrix in a header over two
    rows: ``groups[i]`` the upper cell spanning column i (blank when none), ``names[i]`` its own cell
    below, ``rows`` the table's rows under the header. Empty when no group is a check-matrix."""
    number = _number_column([g or n for g, n in zip(groups, names, strict=False)])
    data = _data_rows(rows, number)
    out: dict[int, str] = {}
    index = 0
    while index < len(groups):
        group = groups[index].strip()
        end = index
        while end + 1 < len(groups) and groups[end + 1].strip() == group:
            end += 1
        columns = [i for i in range(index, end + 1) if names[i].strip()]
        if _names_items(group) and len(columns) == end + 1 - index and _is_matrix(columns, names, data):
            out.update({i: f"{group} {names[i].strip()}" for i in columns})
        index = end + 1
    return out


@dataclass(frozen=True)
class ItemMatrix:
    """The columns of a check-matrix in a header row: its group's name, and (column, item name)."""

    group: str
    columns: tuple[tuple[int, str], ...]

    @property
    def first(self) -> int:
        return self.columns[0][0]

    def header(self, header: list[str]) -> list[str]:
        """The header read with the group as one items column: the group's name in its first column,
        the other columns of the group nameless (their cells are read into the first)."""
        out = list(header)
        for index, _ in self.columns:
            out[index] = ""
        out[self.first] = self.group
        return out


def item_matrix(header: list[str], rows: list[list[str]]) -> ItemMatrix | None:
    """The check-matrix of a header row whose columns :func:`matrix_names` named ("<group> <item>",
    consecutive, the group naming the items field), when the rows below mark them; else None."""
    split = [cell.strip().rpartition(" ") for cell in header]
    number = _number_column(header)
    data = _data_rows(rows, number)
    index = 0
    while index < len(split):
        group = split[index][0].strip()
        end = index
        while group and end + 1 < len(split) and split[end + 1][0].strip() == group:
            end += 1
        names = [s[2].strip() for s in split]
        columns = list(range(index, end + 1))
        if group and end > index and _names_items(group) and _is_matrix(columns, names, data):
            return ItemMatrix(group, tuple((i, names[i]) for i in columns))
        index = end + 1
    return None


def matrix_cells(cells: list[str], matrix: ItemMatrix) -> tuple[list[str], list[tuple[str, str]]]:
    """The row's cells with the matrix read as one items cell in its first column (the names of the
    columns marked, in column order, then the free text; joined by 、), the others emptied; and
    (column header, text) of each item cell holding neither a mark nor a cross (read as marked)."""
    out = list(cells)
    items: list[str] = []
    odd: list[tuple[str, str]] = []
    for index, name in matrix.columns:
        text = cells[index].strip() if index < len(cells) else ""
        if is_free_column(name):
            if is_mark(text):
                items.append(name)
            elif not is_unmarked(text):
                items.append(text)
            continue
        if is_mark(text):
            items.append(name)
        elif not is_unmarked(text):
            items.append(name)
            odd.append((f"{matrix.group} {name}", text))
    for index, _ in matrix.columns:
        if index < len(out):
            out[index] = ""
    while len(out) <= matrix.first:
        out.append("")
    out[matrix.first] = SEPARATOR.join(items)
    return out, odd
