"""Excel workbooks (.xlsx) → blocks, with openpyxl in read-only mode.

Every sheet is read, in workbook order. On a sheet, a run of consecutive rows with two or
more filled cells is a table (it may start in any column: its left edge is the leftmost filled
column of the run), a row with a single filled cell is a line of text (a title, a heading, a
※ note), and empty rows separate blocks.

Merged cells: Excel keeps the value in the top-left cell only and ketsugo reads it so, in
either direction. A value merged across columns is a title or a header spanning its columns;
merged down a column it might be a value shared by the rows (a department written once for
several connections) — but a vertical merge is as often a header cell spanning a header and a
letter row, and filling it down would invent a value there. So the value stays in the first
row only; later rows then have an empty cell, which the parser reports as a finding — never a
silent guess.

Cell values: a line break inside a cell is joined like a wrapped PDF cell; an Excel date is
written as ISO text (2020-04-01) — the era form the report printed is not recoverable from a
date serial; formulas are read from their cached values (a workbook saved by Excel has them).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from ketsugo.errors import InputError, Issue
from ketsugo.read.sources.tables import Block, Row, Table, TextLine, cell_text

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is read
    from openpyxl.worksheet.worksheet import Worksheet


# What a report's workbook may unpack to; a few MB is usual. More is a zip bomb (a small file that
# unpacks to gigabytes), refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


def read_xlsx(data: bytes, path: str) -> list[Block]:
    import openpyxl

    _check_unpacked_size(data, path)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(Issue(path, 0, "", f"damaged Excel workbook: it cannot be opened ({exc})")) from None
    try:
        blocks: list[Block] = []
        for sheet in book.worksheets:
            blocks.extend(_sheet_blocks(sheet))
        return blocks
    finally:
        book.close()


def _check_unpacked_size(data: bytes, path: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(Issue(path, 0, "", f"damaged Excel workbook: it cannot be opened ({exc})")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            Issue(
                path,
                0,
                "",
                f"the workbook unpacks to {unpacked:,} bytes (at most {MAX_UNPACKED_BYTES:,} for a report): "
                "not read (a zip bomb, or not a report)",
            )
        )


def _sheet_blocks(sheet: Worksheet) -> list[Block]:
    # A ReadOnlyWorksheet at run time; the stubs type its iter_rows() on Worksheet only.
    rows: list[tuple[int, dict[int, str]]] = []
    for cells in sheet.iter_rows():
        filled: dict[int, str] = {}
        number: int | None = None
        for cell in cells:
            if getattr(cell, "row", None) is not None:
                number = cell.row
            text = value_text(cell.value)
            if text and cell.column is not None:  # only an empty cell has no column
                filled[cell.column] = text
        if number is not None:
            rows.append((number, filled))
    blocks: list[Block] = []
    run: list[tuple[int, dict[int, str]]] = []

    def close_run() -> None:
        if run:
            left = min(min(f) for _, f in run)
            right = max(max(f) for _, f in run)
            table = Table(
                [
                    Row(
                        tuple(f.get(c, "") for c in range(left, right + 1)),
                        f"{sheet.title}!{_column(left)}{n}",
                    )
                    for n, f in run
                ]
            )
            blocks.append(table)
            run.clear()

    for number, filled in rows:
        if len(filled) >= 2:
            run.append((number, filled))
            continue
        close_run()
        if filled:
            ((column, text),) = filled.items()
            blocks.append(TextLine(text, f"{sheet.title}!{_column(column)}{number}"))
    close_run()
    return blocks


def value_text(value: object) -> str:
    """A cell's value as the text form writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(str(value).replace("_x000D_", ""))


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
