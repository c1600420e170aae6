"""A table written sideways: the connection fields' names down its first column (番号, 担当課,
業務の名称, 結合先 …), one connection per column — a layout some small municipalities' Excel
sheets use. Read transposed (column k → row k), so that its first column becomes the header row,
with an info naming the table; each cell keeps its own place (Sheet!C5), and a cell merged across
two connections' columns (one department over Nos. 1 and 2) becomes a cell merged down their rows,
carried to each as any merge down a column (:func:`ketsugo.read.sources.tables.resolved_rows`).

A table is transposed when its first column holds at least ``MIN_FIELDS`` cells naming a known
connection field (data/reference/headers.toml [connection], as a header row's cells are matched)
and they are most of that column's filled cells, its first row is no connection header row, it has
at least two connections' columns (a card of one connection, 項目 | 内容, is read as a card), and
read transposed its first row is a connection header row.
"""

from __future__ import annotations

from ketsugo.read.sources.tables import Row, Serial, Span, Table, join_wrapped

MIN_FIELDS = 3  # field names down the first column, at the least
MIN_WIDTH = 3  # the names' column and two connections' columns, at the least


def is_transposed(table: Table) -> bool:
    """Whether ``table`` names the connection fields down its first column (see the module)."""
    from ketsugo.read.columns import column_field, is_connection_header
    from ketsugo.read.headers import headers

    if len(table.rows) < MIN_FIELDS or table.width < MIN_WIDTH:
        return False
    spec = headers()
    first = [join_wrapped(r.cells[0].split("\n")) if r.cells else "" for r in table.rows]
    filled = [c for c in first if c]
    known = [c for c in filled if column_field(c, spec) is not None]
    if len(known) < MIN_FIELDS or 2 * len(known) <= len(filled):
        return False
    top = [join_wrapped(c.split("\n")) for c in table.rows[0].cells]
    if is_connection_header(top, spec):
        return False
    return is_connection_header(first, spec)


def transposed(table: Table) -> Table:
    """``table`` read sideways: column k as row k, each cell with its own place, spans turned."""
    width = table.width
    rows = []
    for k in range(width):
        cells = tuple(r.cells[k] if k < len(r.cells) else "" for r in table.rows)
        places = tuple(r.place_of(k) for r in table.rows)
        serials = tuple(
            Serial(index, s.date, s.cell)
            for index, r in enumerate(table.rows)
            for s in r.serials
            if s.column == k
        )
        rows.append(Row(cells, places[0], serials, places=places))
    spans = [Span(s.column, s.row, s.columns, s.rows) for s in table.spans]
    return Table(rows, spans)


def transposed_note(table: Table) -> str:
    """The info for a table read transposed, naming it by its first cell's place and its fields."""
    names = [join_wrapped(r.cells[0].split("\n")) for r in table.rows if r.cells and r.cells[0]]
    shown = "、".join(names[:4]) + ("…" if len(names) > 4 else "")
    return (
        f"table at {table.rows[0].place_of(0)} read transposed: the field names run down its first column "
        f"({shown}) and each of its {table.width - 1} other columns is one connection (column k read as row k)"
    )
