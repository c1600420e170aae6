"""A report published as comma-separated values (CSV, RFC 4180), read into blocks.

Open data registers of 外部結合 are CSV files: one header row, one record per connection, cells
separated by commas, a cell holding a comma, a quote or a line break written in double quotes.
The file is recognised by its content (:func:`ketsugo.read.sources.detect.looks_like_csv`), not
its name, once decoded as any text is (:mod:`ketsugo.read.textio`). Python's :mod:`csv` splits
the records; each becomes a table row (two cells or more with text) or a line of text (a title
written in the first cell), so the text form is written by the same rules as a workbook's
(:mod:`ketsugo.read.sources.tables`), and every text line keeps the line of the file its record
starts on ("CSV line 5"), for findings to name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from ketsugo.errors import InputError, Issue
from ketsugo.read.sources.detect import csv_delimiter, text_lines
from ketsugo.read.sources.tables import Block, Row, Table, TextLine
from ketsugo.read.textio import MAX_LINE_CHARS

# Cells a CSV file's records may hold, empty ones between commas counted: a register holds
# thousands (8,000 connections × 20 columns: 160,000). A file of commas only (240 MB of them: 120
# million cells) is refused at the record that passes this, before it is held in memory.
MAX_CELLS = 2_000_000


def csv_records(text: str, path: str = "") -> list[tuple[int, list[str]]]:
    """The records of ``text`` (cells apart by commas, or by semicolons where the file is so
    written: :func:`ketsugo.read.sources.detect.csv_delimiter`) with the file line each starts on
    (1-based); a blank line gives an empty record. A tab inside a cell (rare; the text form uses
    tabs between cells) is a space. InputError, naming the file's line, past :data:`MAX_CELLS`, and
    for a record longer than a report's line may be (a quote left open: the rest of the file one
    cell; :data:`ketsugo.read.textio.MAX_LINE_CHARS`)."""
    delimiter = csv_delimiter(text) or ","
    reader = csv.reader(text_lines(text), delimiter=delimiter, strict=False)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    cells = 0
    for record in _checked(reader, path):
        cells += len(record)
        if cells > MAX_CELLS:
            raise InputError(
                Issue(
                    path,
                    previous + 1,
                    "",
                    f"the file's records hold over {MAX_CELLS:,} cells (empty ones between commas counted): "
                    "not read (no report is that large)",
                )
            )
        if (length := sum(len(cell) for cell in record)) > MAX_LINE_CHARS:
            raise InputError(
                Issue(
                    path,
                    previous + 1,
                    "",
                    f"the record starting on this line is {length:,} characters long, over "
                    f"{reader.line_num - previous:,} lines; a report's row has at most {MAX_LINE_CHARS:,}: "
                    "is a cell's opening quote (\") left without its closing one?",
                )
            )
        records.append((previous + 1, [cell.replace("\t", " ") for cell in record]))
        previous = reader.line_num
    return records


def _checked(reader: Any, path: str) -> Iterator[list[str]]:
    """The csv ``reader``'s records; its error (a cell past the csv module's field limit, 131,072
    characters: a quote left open) as an InputError naming the line the record starts on."""
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                Issue(
                    path,
                    start,
                    "",
                    f"the record starting on this line cannot be read ({exc}): "
                    "is a cell's opening quote (\") left without its closing one?",
                )
            ) from None
        start = reader.line_num + 1
        yield record


def read_csv(text: str, path: str = "") -> list[Block]:
    """The blocks of a CSV report: runs of records with two cells or more of text are tables; a
    record with one (a title, a note, written in one cell and padded with commas) is a line of
    text; a blank record ends a table, unless a row as wide as the table's follows it (a sheet's
    empty row between two rows, saved as commas only: the text form would start a table with no
    header there)."""
    blocks: list[Block] = []
    table: Table | None = None
    records = csv_records(text, path)
    for index, (line, record) in enumerate(records):
        filled = [cell for cell in record if cell.strip()]
        if len(filled) >= 2:
            if table is None:
                table = Table()
                blocks.append(table)
            table.rows.append(Row(tuple(record), f"CSV line {line}"))
            continue
        if table is not None and not filled and _goes_on(table, records[index + 1 :]):
            table.rows.append(Row(tuple(record), f"CSV line {line}"))  # an empty row inside the table
            continue
        table = None
        if filled:
            blocks.append(TextLine(filled[0].strip(), f"CSV line {line}"))
    return blocks


def _goes_on(table: Table, after: list[tuple[int, list[str]]]) -> bool:
    """Whether the table goes on past an empty record: the next record that is not empty is a row
    as wide as the table's (a spreadsheet's empty row between two of its rows, saved as commas)."""
    following = next((r for _, r in after if any(c.strip() for c in r)), None)
    return (
        following is not None
        and sum(1 for c in following if c.strip()) >= 2
        and len(following) == len(table.rows[0].cells)
    )
