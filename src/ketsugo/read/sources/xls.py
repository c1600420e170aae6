"""Legacy Excel workbooks (.xls, Excel 97-2003: BIFF in an OLE2 container) → blocks, with xlrd.

Many municipalities still publish their report as the .xls their template was made in. Its sheets
are read exactly as an .xlsx's are (:mod:`ketsugo.read.sources.xlsx`): the same rows — each
sheet's filled cells by row and column — go through the same rules, so that a workbook reads the
same whether saved as .xls or .xlsx: tables and text lines, the left edge of a table, hidden
sheets, sample sheets (記載例), hidden rows and columns (each a finding), a sheet named for its
section heading a table that opens it, the title repeated on later sheets read once, merged cells
(BIFF MERGEDCELLS, read with ``formatting_info``) as spans, a date cell as ISO text, a whole number
that would be a plausible date serial offered as one (:class:`ketsugo.read.sources.tables.Serial`,
against the workbook's own date system: 1900 or 1904). Places are named as in an .xlsx: "Sheet1!A12".

xlrd (2.x reads .xls only; pure Python, kept by its authors for exactly this) reads the BIFF
records; writing a BIFF parser here would be a second, untested reader of a format xlrd has read
for twenty years. xlrd does not read a sheet's print header and footer: their two records are
read from the sheet's record stream (a title put there is the report's title, as in an .xlsx;
the first page's own header, BIFF8's HEADERFOOTER, is not read). Text boxes (drawing objects)
are not read — save the workbook as .xlsx to have them read. BIFF stores every formula with its
value, so no formula lacks one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from ketsugo.errors import InputError, Issue
from ketsugo.read.sources.tables import Block, Skipped, Table, TextLine
from ketsugo.read.sources.xlsx import (
    MAX_CELLS,
    _blocks,
    _Extras,
    _SheetRow,
    _shown,
    _title_first,
    _title_once,
    headless,
    print_text,
    sheet_heading,
    unread_sheet,
    value_text,
    zero_padded,
)

if TYPE_CHECKING:  # xlrd is imported only when a workbook is read
    from xlrd.book import Book
    from xlrd.sheet import Sheet

# The workbook's date systems (BIFF DATEMODE): day 0 of the 1900 system as Excel counts (its
# phantom 1900-02-29 included), and of the 1904 system (old Macintosh Excel).
_EPOCHS = {0: datetime(1899, 12, 30), 1: datetime(1904, 1, 1)}


def read_xls(data: bytes, path: str) -> list[Block]:
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO(), verbosity=0
        )
        sheets = [(sheet, _print_texts(book, sheet)) for sheet in book.sheets()]
    except xlrd.biffh.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise InputError(
                Issue(
                    path,
                    0,
                    "",
                    "a password-protected (encrypted) Excel 97-2003 workbook (.xls): ketsugo takes no "
                    "passwords; open it, save it without a password as .xlsx (or PDF) and build that",
                )
            ) from None
        raise _damaged(path, exc) from None
    except Exception as exc:  # xlrd's parser on damaged bytes fails in many ways (struct, index…)
        raise _damaged(path, exc) from None
    try:
        blocks: list[Block] = []
        budget = [MAX_CELLS]
        epoch = _EPOCHS.get(book.datemode, _EPOCHS[0])
        printed: set[str] = set()  # print headers and footers read: the same on every sheet read once
        for sheet, texts in sheets:
            blocks.extend(_sheet(book, sheet, path, budget, epoch, texts, printed))
        return _title_once(_title_first(blocks))
    finally:
        book.release_resources()


# BIFF records: a (sub)stream opens with BOF and closes with EOF; a sheet's print header and footer
_BOF = frozenset({0x0809, 0x0409, 0x0209, 0x0009})
_EOF, _HEADER, _FOOTER = 0x000A, 0x0014, 0x0015


def _print_texts(book: Book, sheet: Sheet) -> tuple[str, str]:
    """The sheet's print header and footer as they print (:func:`ketsugo.read.sources.xlsx.print_text`):
    xlrd reads neither, so the sheet's own records are walked for them (BIFF HEADER and FOOTER, a
    string each), from its BOF to its EOF, passing over embedded charts' substreams."""
    import struct

    from xlrd.biffh import unpack_string, unpack_unicode

    mem = getattr(book, "mem", None) or b""
    position = getattr(sheet, "_position", -1)  # right after the sheet's BOF (xlrd read it)
    found = {_HEADER: "", _FOOTER: ""}
    depth = 1
    while 0 <= position <= len(mem) - 4:
        code, length = struct.unpack("<HH", mem[position : position + 4])
        record = mem[position + 4 : position + 4 + length]
        position += 4 + length
        if code in _BOF:
            depth += 1
        elif code == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and code in found and record:
            if book.biff_version >= 80:
                found[code] = unpack_unicode(record, 0, lenlen=2)
            else:
                found[code] = unpack_string(record, 0, book.encoding or "cp1252", lenlen=1)
    return print_text(found[_HEADER]), print_text(found[_FOOTER])


def _damaged(path: str, exc: Exception) -> InputError:
    return InputError(
        Issue(
            path,
            0,
            "",
            f"damaged Excel 97-2003 workbook (.xls): it cannot be opened ({type(exc).__name__}: {exc})",
        )
    )


def _sheet(
    book: Book,
    sheet: Sheet,
    path: str,
    budget: list[int],
    epoch: datetime,
    texts: tuple[str, str],
    printed: set[str],
) -> list[Block]:
    errors: list[Skipped] = []
    rows = list(_rows(book, sheet, path, budget, errors))
    # sheet.visibility: 1 hidden, 2 very hidden
    unread = unread_sheet(sheet.name, bool(sheet.visibility), sum(len(cells) for _, cells, _ in rows))
    if unread:
        return unread
    extras = _Extras(
        merges=[(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells],
        hidden_rows={r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden},
        hidden_columns={c + 1 for c, info in sheet.colinfo_map.items() if info.hidden},
    )
    rows, hidden = _shown(sheet.name, rows, extras)
    blocks = _blocks(sheet.name, rows, extras.merges, epoch, extras.hidden_columns)
    heading = sheet_heading(sheet.name, blocks) if headless(blocks) else ""
    if heading:  # the same heading the sheet saved as .xlsx gives, right above its first table
        first = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
        blocks.insert(first, TextLine(heading, f"{sheet.name} (sheet name)"))
    for text, kind in zip(texts, ("header", "footer"), strict=True):
        if text and text not in printed:
            printed.add(text)
            line = TextLine(text, f"{sheet.name} (print {kind})")
            blocks = [line, *blocks] if kind == "header" else [*blocks, line]
    return hidden + errors + blocks


def _rows(
    book: Book, sheet: Sheet, path: str, budget: list[int], errors: list[Skipped]
) -> Iterator[_SheetRow]:
    """(row number, column → text of each filled cell, column → whole number of each cell holding
    one) of every row of the sheet, numbered from 1 as Excel shows them. A cell showing an error
    (#N/A, #REF!) holds no value: a warning in ``errors`` names it (its text kept as shown)."""
    import xlrd
    from openpyxl.utils import get_column_letter

    budget[0] -= sheet.nrows * sheet.ncols
    if budget[0] < 0:
        raise InputError(
            Issue(
                path,
                0,
                f"{sheet.name}!A1",
                f"the workbook's rows span over {MAX_CELLS:,} cells: not read (no report is that large)",
            )
        )
    for index in range(sheet.nrows):
        filled: dict[int, str] = {}
        whole: dict[int, int] = {}
        for column, cell in enumerate(sheet.row(index), start=1):
            value = _value(book, cell.ctype, cell.value)
            if cell.ctype == xlrd.XL_CELL_ERROR:
                errors.append(
                    Skipped(
                        f"the cell shows an Excel error ({value}), not a value (a formula whose inputs "
                        "are missing or were moved): correct the workbook and build again",
                        f"{sheet.name}!{get_column_letter(column)}{index + 1}",
                        str(value),
                    )
                )
            text = _zero_padded(book, cell.xf_index, value) or value_text(value)
            if not text:
                continue
            filled[column] = text
            if isinstance(value, float) and value.is_integer():
                whole[column] = int(value)
        yield index + 1, filled, whole


def _zero_padded(book: Book, xf_index: int | None, value: object) -> str:
    """A whole number as its cell shows it under a number format of zeros (xlsx.zero_padded)."""
    if xf_index is None:
        return ""
    try:
        shown = book.format_map[book.xf_list[xf_index].format_key].format_str
    except (IndexError, KeyError, AttributeError):
        return ""
    return zero_padded(value, shown)


def _value(book: Book, ctype: int, value: object) -> object:
    """A cell's value as openpyxl gives an .xlsx cell's: a date cell as a datetime (a time alone
    as a time), an error as Excel shows it (#N/A), a boolean as a bool."""
    import xlrd

    if ctype == xlrd.XL_CELL_DATE and isinstance(value, float):
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError):
            return value  # out of Excel's dates: the number as stored
        return moment.time() if value < 1 else moment
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(int(value) if isinstance(value, int) else -1, "#ERR")
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return value
