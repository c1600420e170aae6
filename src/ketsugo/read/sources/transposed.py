"""A text report copied out of a spreadsheet whose tables are written sideways (field names down
the first column, one connection per column: :func:`ketsugo.read.sources.tables.is_transposed`), or
whose sections are named only by a sheet's name on a line of its own (新規, 件数): the text with
those tables turned and those lines made headings, every other line kept as written."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ketsugo.read.sources.tables import Block, Note, Row, Table, TextLine, is_transposed


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
                    "it names a section alone (a sheet's name or a short heading above its table)",
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
