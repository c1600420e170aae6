"""Excel workbooks (.xlsx) → blocks, with openpyxl in read-only mode.

Sheets are read in workbook order, each as its rows. On a sheet, a run of consecutive rows with
two or more filled cells (a cell covered by a merge from the row above counts as filled) is a
table — it may start in any column: its left edge is the leftmost filled column of the run —,
a row with a single filled cell is a line of text (a title, a heading, a ※ note), and empty
rows separate blocks. A sheet that opens with a table, with no heading above it, is headed by
its name when the name says which section it holds (総括, 新規, 終了: headers.toml [sections]).

Sheets not read, each reported as a finding naming it: a hidden sheet (lists behind drop-down
menus, working data: not what the municipality published — unhide it if it is part of the
report) and a sample sheet (記載例, 記入例…: a filled-in example of the form whose made-up rows
must not become connections; data/reference/sources.toml [sheets]). Hidden rows and columns of
a visible sheet are read the same way, as a person reading the published sheet (on screen or
printed) reads it: a hidden working column (業務コード) beside the report's columns, a withdrawn
row kept hidden, rows a filter hides — not read, with one finding per sheet naming the rows and
columns and how many filled cells they hold (a hidden row or column holding nothing is no
finding). The columns left are read side by side, as they are shown.

Text boxes (drawing shapes holding text: a title drawn over the sheet, a ※ note, a callout) are
part of what the sheet shows, and openpyxl does not read them: each is read from the sheet's
drawing part as a line of text (its paragraphs joined as a cell's lines are), placed among the
sheet's blocks by the cell its top-left corner is anchored to — before the first block that
starts below that row —, its place named "Sheet!B1 (text box)". Shapes without text (lines,
arrows, pictures) say nothing.

The print header and footer (ページ設定 → ヘッダー/フッター) print on every page: a title put there
is the report's title. Their text — the left, centre and right parts, without Excel's codes for
fonts, sizes and colours or its fields (page number &P, page count &N, date &D, time &T, file
&F, sheet &A, path &Z, picture &G) — is read as a line at the top of the sheet (the header) or
its end (the footer), named "Sheet (print header)"; the first page's header when the sheet has
one of its own. A header or footer already read on an earlier sheet (the same title on every
sheet) is not read again; one of fields only says nothing. A header is no title where the cells
have one (a line of text opening the workbook that is no section heading): it holds a document
number or a department then (資料２), and is read right after that title. The title typed again
at the top of each later sheet (each sheet printed with it) is the title again: read once, the
repeats said in one info finding.

Merged cells: Excel keeps the value in the top-left cell only; the merges are read from the
sheet's XML and given to :func:`ketsugo.read.sources.tables.resolved_rows` as spans, which
settles them the same way for every format (a department merged down over several connections
is that department for each; a two-row header with grouped columns is one header row).

Cell values: a line break typed in a cell (Alt+Enter) is kept for the text form to read (a
separator in a list column); an Excel date, whatever its display format (2020/4/1, 令和2年4月1日),
is written as ISO text (2020-04-01) — the era form the report showed is not recoverable from a
date serial; a number is written as Excel shows it when it is whole (No. 1.0 → 1). A whole
number in a General or number cell that would be a date of plausible years as a date serial
(43922: 2020-04-01) is offered to the text form as that date (:class:`tables.Serial`): in a date
column it is read as the date, with a finding naming the cell; elsewhere, or out of those years
(data/reference/sources.toml [serial_dates]), it stays the number, and the parser reports it. Formulas are read from the values Excel saved with them; a formula saved
without its value (a workbook written by a program that does not calculate) is refused, naming
the cells — reading it as blank would lose the count without a finding.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from ketsugo.errors import InputError, Issue
from ketsugo.read.sources.tables import (
    Block,
    Row,
    Serial,
    Skipped,
    Span,
    Table,
    TextLine,
    cell_lines,
    cell_text,
    collapse_spaces,
    is_transposed,
    rules,
)

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is read
    from openpyxl.workbook.workbook import Workbook


# What a report's workbook may unpack to; a few MB is usual. More is a zip bomb (a small file that
# unpacks to gigabytes), refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Cells a workbook's rows may hold, empty ones between filled ones counted (a cell far to the right
# widens its row): a report holds thousands. Bounds the reading of a sparse, pathological sheet.
MAX_CELLS = 10_000_000
# Tags ("<") in the workbook's XML parts, its sheets' too: a cell is two to four of them (an 8,000-row
# report of 20 columns: under a million); 200 MB of <si/> (40 million empty shared strings) is none.
MAX_MARKUP_TAGS = 16_000_000

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PLACE = re.compile(r"!([A-Z]+)(\d+)")


@dataclass(frozen=True)
class _Sheet:
    name: str
    state: str  # visible, hidden, veryHidden
    part: str  # the sheet's XML in the package (xl/worksheets/sheet1.xml)


@dataclass
class _Extras:
    """What read-only openpyxl does not give: a sheet's merged ranges and formulas without values."""

    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min_row, min_col, max_row, max_col
    unvalued: list[str] = field(default_factory=list)  # cells holding a formula and no saved value
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    header: str = ""  # the print header's text, Excel's codes taken out
    footer: str = ""


def read_xlsx(data: bytes, path: str) -> list[Block]:
    import openpyxl

    _check_unpacked_size(data, path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = _sheets(archive)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError, IndexError) as exc:
        raise InputError(Issue(path, 0, "", f"damaged Excel workbook: it cannot be opened ({exc})")) from None
    try:
        blocks: list[Block] = []
        budget = [MAX_CELLS]
        printed: set[str] = set()  # print headers and footers read: the same on every sheet read once
        for sheet in sheets:
            blocks.extend(_sheet(book, archive, sheet, path, budget, printed))
        return _title_once(_title_first(blocks))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError, IndexError) as exc:
        raise InputError(Issue(path, 0, "", f"damaged Excel workbook: it cannot be read ({exc})")) from None
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
    check_markup(data, path, MAX_MARKUP_TAGS, "workbook", "damaged Excel workbook")


def check_markup(data: bytes, path: str, limit: int, kind: str, damaged: str) -> None:
    """Refuse an Office package (a workbook, a Word document) whose XML parts hold more than
    ``limit`` tags ("<"), counted as they unpack, a chunk at a time, before any parser reads them:
    under the unpacked-size limit, 200 MB of ``<w:p/>`` or ``<si/>`` is 40 million elements (a
    tree of gigabytes, or minutes of openpyxl's streaming). The error names the part passing it;
    ``kind`` names the file ("document", "workbook"), ``damaged`` the message for a broken one."""
    tags = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                if not member.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(member) as part:
                    while chunk := part.read(1 << 20):
                        tags += chunk.count(b"<")
                        if tags > limit:
                            raise InputError(
                                Issue(
                                    path,
                                    0,
                                    member.filename,
                                    f"the {kind}'s XML holds over {limit:,} tags: not read "
                                    "(no report is that large: one of 8,000 rows holds a few million)",
                                )
                            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
        raise InputError(Issue(path, 0, "", f"{damaged}: it cannot be opened ({exc})")) from None


def _xml(archive: zipfile.ZipFile, part: str):  # type: ignore[no-untyped-def]
    """A small XML part of the package, parsed without entities or network access."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(archive.read(part), parser)


def _sheets(archive: zipfile.ZipFile) -> list[_Sheet]:
    """The workbook's sheets in order, with their visibility and XML part (xl/workbook.xml)."""
    targets = {}
    for rel in _xml(archive, "xl/_rels/workbook.xml.rels").iter(f"{_PACKAGE_REL}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        )
    return [
        _Sheet(
            s.get("name", ""),
            s.get("state", "visible"),
            posixpath.normpath(targets.get(s.get(f"{_REL}id"), "")),
        )
        for s in _xml(archive, "xl/workbook.xml").iter(f"{_MAIN}sheet")
    ]


def _extras(archive: zipfile.ZipFile, part: str) -> _Extras:
    """The sheet's merged ranges and formula cells without a saved value, read by streaming its XML."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    found = _Extras()
    with archive.open(part) as source:
        for _, element in etree.iterparse(
            source,
            events=("end",),
            tag=(f"{_MAIN}c", f"{_MAIN}mergeCell", f"{_MAIN}row", f"{_MAIN}col", f"{_MAIN}headerFooter"),
            resolve_entities=False,
            no_network=True,
        ):
            if element.tag == f"{_MAIN}headerFooter":
                first = _true(element.get("differentFirst"))
                for kind in ("Header", "Footer"):
                    text = (first and element.findtext(f"{_MAIN}first{kind}")) or element.findtext(
                        f"{_MAIN}odd{kind}"
                    )
                    setattr(found, kind.lower(), print_text(text or ""))
            elif element.tag == f"{_MAIN}row":
                if _true(element.get("hidden")) and (element.get("r") or "").isdigit():
                    found.hidden_rows.add(int(element.get("r", "0")))
            elif element.tag == f"{_MAIN}col":
                low, high = element.get("min") or "", element.get("max") or ""
                if _true(element.get("hidden")) and low.isdigit() and high.isdigit():
                    found.hidden_columns.update(range(int(low), min(int(high), 16384) + 1))
            elif element.tag == f"{_MAIN}mergeCell":
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                if None not in (min_col, min_row, max_col, max_row):
                    found.merges.append((min_row or 0, min_col or 0, max_row or 0, max_col or 0))
            elif element.find(f"{_MAIN}f") is not None:
                value = element.find(f"{_MAIN}v")
                if value is None or not (value.text or "").strip():
                    found.unvalued.append(element.get("r", "?"))
            element.clear()
    return found


# Excel's header/footer codes: a font ("&"name,style""), a size (&14), a colour (&KFF0000 or a
# theme colour &K01+000), toggles (bold, italic…) and fields (page, date…); "&&" is an ampersand.
_PRINT_CODES = re.compile(r'&"[^"]*"|&\d+|&K[0-9A-Fa-f]{6}|&K\d\d[+-]\d{3}|&[BIUESXYPNDTZFAGbiuesxypndtzfag]')
_PRINT_PARTS = re.compile(r"&[LCRlcr]")
# what is left of a part that held page fields only ("&P / &N", "- &P -", "&P ページ", "Page &P of &N")
_FIELD_FRAME = re.compile(r"(?:page|ページ|頁|of|[\s/\-ー－()（）])*", re.I)


def print_text(code: str) -> str:
    """The text a print header or footer shows, its codes and fields taken out; its left, centre and
    right parts apart by a space."""
    parts = _PRINT_PARTS.split(code.replace("&&", "\0"))
    texts = [collapse_spaces(_PRINT_CODES.sub(" ", part).replace("\0", "&")) for part in parts]
    return " ".join(t for t in texts if t and not _FIELD_FRAME.fullmatch(t))


def _true(value: str | None) -> bool:
    """An XML boolean attribute (hidden="1", hidden="true")."""
    return (value or "").strip().lower() in ("1", "true")


def _is_sample(name: str) -> bool:
    key = unicodedata.normalize("NFKC", name).replace(" ", "").casefold()
    return any(word.casefold() in key for word in rules().sample_sheets)


def _sheet(
    book: Workbook, archive: zipfile.ZipFile, sheet: _Sheet, path: str, budget: list[int], printed: set[str]
) -> list[Block]:
    rows = list(_rows(book, sheet, path, budget))
    unread = unread_sheet(sheet.name, sheet.state != "visible", sum(len(cells) for _, cells, _ in rows))
    if unread:
        return unread
    extras = _extras(archive, sheet.part)
    if extras.unvalued:
        cells = ", ".join(f"{sheet.name}!{c}" for c in extras.unvalued[:5])
        more = f" and {len(extras.unvalued) - 5} more" if len(extras.unvalued) > 5 else ""
        raise InputError(
            Issue(
                path,
                0,
                f"{sheet.name}!{extras.unvalued[0]}",
                f"formula saved without its value at {cells}{more}: the workbook was written by a program "
                "that does not calculate; open it in Excel or LibreOffice and save it again",
            )
        )
    rows, hidden = _shown(sheet.name, rows, extras)
    blocks = _blocks(sheet.name, rows, extras.merges, book.epoch, extras.hidden_columns)
    heading = sheet_heading(sheet.name, blocks) if headless(blocks) else ""
    blocks = _placed(blocks, _text_boxes(archive, sheet))
    if heading:  # right above the table: a text box drawn above it stays above
        first = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
        blocks.insert(first, TextLine(heading, f"{sheet.name} (sheet name)"))
    for text, kind in ((extras.header, "header"), (extras.footer, "footer")):
        if text and text not in printed:
            printed.add(text)
            line = TextLine(text, f"{sheet.name} (print {kind})")
            blocks = [line, *blocks] if kind == "header" else [*blocks, line]
    return hidden + blocks


def unread_sheet(name: str, hidden: bool, filled: int) -> list[Block]:
    """A finding for a sheet that is not read ([] for one that is): a hidden sheet was not
    published, a sample sheet (記載例) is the form filled in as an example, not the report."""
    if hidden:
        return [
            Skipped(
                f"hidden sheet {name!r} not read ({filled} filled cells): what is hidden is not what "
                "was published (unhide it and save the workbook if it is part of the report)",
                f"sheet {name}",
            )
        ]
    if _is_sample(name):
        return [
            Skipped(
                f"sample sheet {name!r} not read ({filled} filled cells): a filled-in example of the "
                "form (記載例), not the report's rows",
                f"sheet {name}",
            )
        ]
    return []


def headless(blocks: list[Block]) -> bool:
    """The sheet's first table has no section heading above it on the sheet: it opens the sheet, or
    only lines that open no section stand above it (a title 「令和６年度 外部結合の状況（新規） 西脇市」
    with no number, mark or bracket) and the table is the report's (a connection table, written
    sideways or not, or a summary by its 実施機関 column): the sheet's name is then the only heading it
    has. (A sheet 概要 opening with a title over 作成日 | 2026-05-20 gets none.)"""
    from ketsugo.read.columns import is_connection_header
    from ketsugo.read.headers import headers, match_field
    from ketsugo.read.layout import _section_of

    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            if index == 0:
                return True
            spec = headers()
            top = [cell_text(c) for c in block.rows[0].cells] if block.rows else []
            summary = bool(top) and match_field(top[0], {"agency": spec.summary["agency"]}) is not None
            return summary or is_transposed(block) or is_connection_header(top, spec)
        if isinstance(block, TextLine) and _section_of(block.text) is not None:
            return False
    return False


def sheet_heading(name: str, blocks: list[Block]) -> str:
    """The heading a sheet's name gives the table that opens the sheet ("" for none): 【新規】 for a
    sheet named 新規; none where the name calls a connection table a summary (a register)."""
    heading = _heading_from_name(name)
    if heading and _names_summary_over_connections(heading, blocks):
        return ""  # 「外部結合一覧」 over one header row of connections: a register, no summary
    return heading


def _names_summary_over_connections(heading: str, blocks: list[Block]) -> bool:
    """The sheet name names the summary, section (1) (一覧, 状況: headers.toml [sections]), but the
    sheet's first table opens with a connection header row (No./ID, 相手方, 項目 …): the name says
    what the sheet is (a list), not which section of a report; read as a heading it would make the
    connections a summary table."""
    from ketsugo.read.columns import is_connection_header
    from ketsugo.read.headers import headers
    from ketsugo.read.layout import _section_of

    table = next((b for b in blocks if isinstance(b, Table)), None)
    if table is None or not table.rows or _section_of(heading) != 1:
        return False
    return is_transposed(table) or is_connection_header(list(table.rows[0].cells), headers())


def _title_first(blocks: list[Block]) -> list[Block]:
    """``blocks`` with the first print header after the cells' own title, when they have one."""
    from ketsugo.read.layout import _section_of

    read = [i for i, b in enumerate(blocks) if not isinstance(b, Skipped)]
    if len(read) < 2:
        return blocks
    header, first = blocks[read[0]], blocks[read[1]]
    if not (isinstance(header, TextLine) and header.where.endswith("(print header)")):
        return blocks
    if isinstance(first, TextLine) and _section_of(first.text) is None:
        out = list(blocks)
        out[read[0]], out[read[1]] = first, header
        return out
    return blocks


def _title_once(blocks: list[Block]) -> list[Block]:
    """``blocks`` with the workbook's title, repeated in the cells of later sheets (each sheet
    printed with it on top), read once: the repeats are the title again, said in one info finding,
    not lines the parser does not understand."""
    read = [b for b in blocks if not isinstance(b, Skipped)]
    if not read or not isinstance(read[0], TextLine):
        return blocks
    title = read[0]

    def key(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    repeats = [b for b in read[1:] if isinstance(b, TextLine) and key(b.text) == key(title.text)]
    if not repeats:
        return blocks
    said = Skipped(
        f"the workbook's title repeated on a later sheet ({len(repeats)} time{'s' if len(repeats) != 1 else ''}: "
        f"{', '.join(b.where for b in repeats)}): read once, as the title ({title.where})",
        repeats[0].where,
        title.text,
        "info",
    )
    out = [b for b in blocks if not any(b is r for r in repeats)]
    out.insert(next(i for i, b in enumerate(blocks) if b is repeats[0]), said)
    return out


def _text_boxes(archive: zipfile.ZipFile, sheet: _Sheet) -> list[tuple[int, int, TextLine]]:
    """(row, column, line) of each shape holding text on the sheet's drawing, in drawing order."""
    folder, name = posixpath.split(sheet.part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return []
    found = []
    for rel in _xml(archive, rels).iter(f"{_PACKAGE_REL}Relationship"):
        if rel.get("Type") != _DRAWING_REL or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        if part not in archive.namelist():
            continue
        anchors = (f"{_XDR}twoCellAnchor", f"{_XDR}oneCellAnchor", f"{_XDR}absoluteAnchor")
        for anchor in _xml(archive, part).iter(*anchors):
            if _in_fallback(anchor):
                continue
            start = anchor.find(f"{_XDR}from")
            row = int(start.findtext(f"{_XDR}row") or 0) + 1 if start is not None else 1
            column = int(start.findtext(f"{_XDR}col") or 0) + 1 if start is not None else 1
            for body in anchor.iter(f"{_XDR}txBody"):
                if _in_fallback(body):
                    continue
                lines = ["".join(_run_texts(p)) for p in body.iter(f"{_A}p")]
                text = cell_lines("\n".join(lines))
                if text:
                    found.append(
                        (row, column, TextLine(text, f"{sheet.name}!{_column(column)}{row} (text box)"))
                    )
    return found


def _in_fallback(element) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``element`` is the fallback copy of a shape (mc:AlternateContent holds a shape twice:
    as newer Excel reads it, mc:Choice, and as older versions do, mc:Fallback): read once."""
    return any(a.tag == f"{_MC}Fallback" for a in element.iterancestors())


def _run_texts(paragraph) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A DrawingML paragraph's text: its runs and fields, a line break inside it as "\\n"."""
    for node in paragraph:
        if node.tag in (f"{_A}r", f"{_A}fld"):
            yield node.findtext(f"{_A}t") or ""
        elif node.tag == f"{_A}br":
            yield "\n"


def _placed(blocks: list[Block], boxes: list[tuple[int, int, TextLine]]) -> list[Block]:
    """``blocks`` with each text box before the first block that starts below its row (or on its
    row, right of it)."""
    out = list(blocks)
    for row, column, line in sorted(boxes, key=lambda b: (b[0], b[1])):
        at = len(out)
        for index, block in enumerate(out):
            where = (
                block.rows[0].where
                if isinstance(block, Table) and block.rows
                else getattr(block, "where", "")
            )
            place = _PLACE.search(where) if " (text box)" not in where else None
            if place and (int(place.group(2)), _column_index(place.group(1))) > (row, column):
                at = index
                break
        out.insert(at, line)
    return out


def _column_index(letters: str) -> int:
    from openpyxl.utils import column_index_from_string

    return int(column_index_from_string(letters))


def _shown(name: str, rows: list[_SheetRow], extras: _Extras) -> tuple[list[_SheetRow], list[Block]]:
    """The sheet's rows without its hidden rows and the cells of its hidden columns, and the finding
    on what they held (none when they hold nothing)."""
    columns = extras.hidden_columns
    shown: list[_SheetRow] = []
    rows_left: list[int] = []
    columns_left: set[int] = set()
    cells = 0
    for number, filled, whole in rows:
        if number in extras.hidden_rows:
            if filled:
                rows_left.append(number)
                cells += len(filled)
            continue
        out = [c for c in filled if c in columns]
        columns_left.update(out)
        cells += len(out)
        shown.append(
            (
                number,
                {c: t for c, t in filled.items() if c not in columns},
                {c: v for c, v in whole.items() if c not in columns},
            )
        )
    if not cells:
        return shown, []
    parts = []  # "row 4", "columns C-D": the field names the sheet and these plainly
    if rows_left:
        parts.append(f"row{'s' if len(rows_left) > 1 else ''} {_ranges(rows_left, str)}")
    if columns_left:
        parts.append(f"column{'s' if len(columns_left) > 1 else ''} {_ranges(sorted(columns_left), _column)}")
    message = (
        f"{' and '.join(f'hidden {p}' for p in parts)} of sheet {name!r} not read ({cells} filled cells): "
        "what is hidden is not what was published (unhide them and save the workbook if they are part "
        "of the report)"
    )
    return shown, [Skipped(message, ", ".join([f"sheet {name}", *parts]))]


def _ranges(numbers: list[int], name: Callable[[int], str]) -> str:
    """Sorted row or column numbers as runs: 4, 7-9 (C, E-G)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(name(a) if a == b else f"{name(a)}-{name(b)}" for a, b in runs)


_SheetRow = tuple[int, dict[int, str], dict[int, int]]


def _rows(book: Workbook, sheet: _Sheet, path: str, budget: list[int]) -> Iterator[_SheetRow]:
    """(row number, column → text of each filled cell, column → whole number of each cell holding
    one) of every row of the sheet."""
    worksheet = book[sheet.name]
    reset = getattr(worksheet, "reset_dimensions", None)
    if reset is not None:  # a read-only sheet: its rows as stored, not as its <dimension> claims
        reset()
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        budget[0] -= len(cells)
        if budget[0] < 0:
            raise InputError(
                Issue(
                    path,
                    0,
                    f"{sheet.name}!A{number}",
                    f"the workbook's rows span over {MAX_CELLS:,} cells: not read (no report is that large; "
                    "a cell far to the right or below widens every row)",
                )
            )
        filled: dict[int, str] = {}
        whole: dict[int, int] = {}
        # most cells of a wide row are empty (value None, no text): passed over in one comprehension
        for cell in [cell for cell in cells if cell.value is not None]:
            text = zero_padded(cell.value, getattr(cell, "number_format", None)) or value_text(cell.value)
            if text and cell.column is not None:  # only an empty cell has no column
                filled[cell.column] = text
                value = cell.value
                if (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and float(value).is_integer()
                ):
                    whole[cell.column] = int(value)
        yield number, filled, whole


# A number format of zeros only (000000): a whole number shown with its leading zeros (a local
# government code 011002 typed as a number, shown as 011002)
_ZEROS = re.compile(r"^0{2,}$")


def zero_padded(value: object, number_format: str | None) -> str:
    """A whole number as its cell shows it under a number format of zeros (11002 under 000000 shows
    011002), or "" when the cell holds no such number or has no such format."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not number_format:
        return ""
    if value < 0 or not float(value).is_integer():
        return ""
    shown = number_format.split(";")[0]
    return str(int(value)).zfill(len(shown)) if _ZEROS.match(shown) else ""


def _blocks(
    title: str,
    rows: list[_SheetRow],
    merges: list[tuple[int, int, int, int]],
    epoch: datetime,
    hidden_columns: frozenset[int] | set[int] = frozenset(),
) -> list[Block]:
    covered: dict[int, set[int]] = {}  # row → columns covered by a merge from a row above
    for min_row, min_col, max_row, _ in merges:
        for r in range(min_row + 1, max_row + 1):
            covered.setdefault(r, set()).add(min_col)
    blocks: list[Block] = []
    run: list[_SheetRow] = []

    def close_run() -> None:
        if not run:
            return
        left = min(min(f) for _, f, _ in run if f)
        right = max(max(f) for _, f, _ in run if f)
        first, last = run[0][0], run[-1][0]
        # the columns as shown: a hidden column between two shown ones takes no place
        shown = [c for c in range(left, right + 1) if c not in hidden_columns]
        place = {c: i for i, c in enumerate(shown)}
        spans = []
        for r0, c0, r1, c1 in merges:
            covers = [place[c] for c in range(c0, min(c1, right) + 1) if c in place]
            if first <= r0 <= last and left <= c0 <= right and covers:
                spans.append(Span(r0 - first, covers[0], min(r1, last) - r0 + 1, len(covers)))
        rows_of = [
            Row(
                tuple(f.get(c, "") for c in shown),
                f"{title}!{_column(left)}{n}",
                _serials(title, n, place, whole, epoch),
                places=tuple(f"{title}!{_column(c)}{n}" for c in shown),
            )
            for n, f, whole in run
        ]
        blocks.append(Table(rows_of, spans))
        run.clear()

    text_row = -1  # the sheet row of the last text line: a text line right under it follows it
    for number, filled, whole in rows:
        if len(filled) + len(covered.get(number, set()) - set(filled)) >= 2 and (filled or run):
            run.append((number, filled, whole))
            continue
        close_run()
        if len(filled) == 1:
            ((column, text),) = filled.items()
            follows = text_row == number - 1 and isinstance(blocks[-1], TextLine)
            blocks.append(TextLine(text, f"{title}!{_column(column)}{number}", follows))
            text_row = number
    close_run()
    return blocks


def _serials(
    title: str, number: int, place: dict[int, int], whole: dict[int, int], epoch: datetime
) -> tuple[Serial, ...]:
    """The row's whole numbers that are, as Excel date serials, dates of plausible years."""
    from openpyxl.utils.datetime import from_excel

    earliest, latest = rules().serial_years
    found = []
    for column, value in sorted(whole.items()):
        if not 0 < value < 2_958_466:  # Excel's dates end at 9999-12-31
            continue
        day = from_excel(value, epoch)
        if isinstance(day, datetime) and earliest <= day.year <= latest:
            found.append(Serial(place[column], day.date().isoformat(), f"{title}!{_column(column)}{number}"))
    return tuple(found)


def _heading_from_name(name: str) -> str:
    """A sheet name that names exactly one section (headers.toml [sections]) as a heading line."""
    from ketsugo.read.sources.sectionnames import heading_from_name

    return heading_from_name(name)


def value_text(value: object) -> str:
    """A cell's value as the text form writes it (a typed line break kept as "\\n")."""
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
    return cell_lines(str(value).replace("_x000D_", ""))


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
