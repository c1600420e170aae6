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

from dataclasses import dataclass, replace

from ketsugo.read.sources.tables import Block, Note, Row, Serial, Span, Table, TextLine, join_wrapped

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


@dataclass(frozen=True)
class Rewritten:
    """A text report with its transposed tables turned and its lines naming a section alone made
    headings: the new text, each new line's place in the file, each table row's cells' places, notes."""

    text: str
    locations: dict[int, str]
    cell_locations: dict[int, dict[str, str]]
    notes: list[Note]


def rewritten_text(text: str) -> Rewritten | None:
    """The tab-separated text (a copy out of Excel: a cell holding line breaks in double quotes) with
    each transposed table read transposed and each line holding only a section's name (新規, 件数)
    above a table written as its heading; None when it holds neither (the text is read as it is).
    Every other line is kept as written; the lines of a turned table name the cells they came from
    ("line 5 column 3")."""
    from ketsugo.read.quoted import _record
    from ketsugo.read.sources.tables import _section_names, text_form

    lines = list(enumerate(text.splitlines(), start=1))
    parts: list[tuple[Block | None, list[tuple[int, str]]]] = []  # a block and its lines as written
    index = 0
    while index < len(lines):
        number, line = lines[index]
        record = _record(lines, index) if '"' in line else None
        cells, used = record if record is not None else (line.split("\t"), 1)
        raw = lines[index : index + used]
        index += used
        if not line.strip():
            parts.append((None, raw))
        elif len(cells) < 2 and record is None:
            parts.append((TextLine(line, f"line {number}"), raw))
        else:
            row = Row(
                tuple(cells),
                f"line {number}",
                places=tuple(f"line {number} column {c + 1}" for c in range(len(cells))),
            )
            block = parts[-1][0] if parts else None
            if isinstance(block, Table):
                block.rows.append(row)
                parts[-1][1].extend(raw)
            else:
                parts.append((Table([row]), list(raw)))
    blocks = [b for b, _ in parts if b is not None]
    name_lines = _section_names(blocks)
    turned = [i for i, b in enumerate(blocks) if isinstance(b, Table) and is_transposed(b)]
    if not turned and not name_lines:
        return None
    out: list[str] = []
    where: dict[int, str] = {}
    cells_at: dict[int, dict[str, str]] = {}
    notes: list[Note] = []
    position = -1
    for block, raw in parts:
        if block is not None:
            position += 1
        if position in name_lines and isinstance(block, TextLine):
            heading = name_lines[position]
            notes.append(
                Note(
                    len(out) + 1,
                    "",
                    f"line {block.text.strip()!r} read as the heading {heading}: "
                    "it names a section alone (a sheet's name above its table)",
                    block.text,
                )
            )
            out.append(heading)
            where[len(out)] = block.where
        elif position in turned and isinstance(block, Table):
            places: dict[int, dict[str, str]] = {}
            form, located, made = text_form([block], places)
            base = len(out)
            out.extend(form.rstrip("\n").split("\n"))
            where.update({base + n: place for n, place in located.items()})
            cells_at.update({base + n: named for n, named in places.items()})
            notes.extend(replace(note, line=note.line + base) for note in made)
        else:
            for number, line in raw:
                out.append(line)
                where[len(out)] = f"line {number}"
    return Rewritten("\n".join(out) + "\n", where, cells_at, notes)
