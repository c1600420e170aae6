"""Word documents (.docx) → blocks, with python-docx.

A report written in Word is its body's paragraphs — the title, the section headings 「(2)…」, the
※ notes, a statement — and its tables, read in document order (content controls, w:sdt, read as
what they hold). Each paragraph holding text is a line of text, named "paragraph N" (N counts the
body's paragraphs that hold text, as a person counts them on the page); a paragraph right under
another, with no empty paragraph between, follows it (:class:`ketsugo.read.sources.tables.TextLine`:
a card's 項目：内容 lines typed one a paragraph stay one block, as an Excel sheet's consecutive rows
do). A line break typed inside a paragraph (Shift+Enter) is kept: its lines follow each other.
Text a paragraph does not show is not read: hidden text (w:vanish: not printed, not what was
published), deleted tracked changes, a field's code (its shown result is read). A text box drawn
in a paragraph (a title or a ※ note in a frame) is read as a line after that paragraph, named
"paragraph N (text box)"; its copy for older Word versions (mc:Fallback) once.

Tables: each row's cells stand in the columns of the table's grid; a cell merged across columns
(w:gridSpan) and one merged down over rows (w:vMerge: Word keeps the text in the first cell, the
cells below are continuations) are given to :func:`ketsugo.read.sources.tables.resolved_rows` as
spans, which settles them as for every other format (a department merged down over several
connections is that department for each; a two-row header with grouped columns is one header row;
a heading row merged across the table is a heading). A row may start after the grid's first
columns (w:gridBefore): its cells stand where Word draws them. A cell's paragraphs are its lines,
as Alt+Enter's in an Excel cell. A row is named "table N row R", a cell "table N row R cell C" (C:
the grid column, counted from 1), as an HTML page's tables are counted. A table that holds other
tables and has one row, or one cell a row, is a layout table (a frame around the page): its cells
are read as the body is, cell by cell (as an HTML page's layout tables are read), its tables counted
where they are met; a table of rows and columns with a small table in a cell (記録項目 listed in a
table of their own) is read as a table, the inner table's cells its cell's lines.

python-docx (kept by its authors, pure Python over lxml) opens the package (a macro-enabled
.docm or a template too: read as the document they hold, macros not run) and gives its XML typed; writing an OOXML reader here would be a second, untested reader of Word's package. The
number Word draws before a paragraph of a list (a heading 「(2)」 numbered by the list or by its
heading style, not typed) is read before its text, counted as Word counts it
(:mod:`ketsugo.read.sources.docxnumbers`).

The page header and footer print on every page, as an Excel sheet's print header and footer do,
and are read as the workbook's are (:mod:`ketsugo.read.sources.xlsx`): the first section's (its
first page's when that page has its own) as a line before the body — after the body's title when
the body opens with one (a header then holds a document number or a department: 資料２) — and a
line after it, named "page header" and "page footer"; their fields (a page number, a date) are
not read, nor is a part left holding only a page number's frame ("- -", "ページ"). Footnotes are
not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from ketsugo.errors import InputError, Issue
from ketsugo.read.sources.docxnumbers import Numbering
from ketsugo.read.sources.tables import Block, Row, Span, Table, TextLine, cell_lines
from ketsugo.read.sources.xlsx import _FIELD_FRAME, check_markup

if TYPE_CHECKING:  # lxml elements of python-docx's parse
    from lxml.etree import _Element

# What a report's document may unpack to; a few MB is usual. More is a zip bomb.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Cells of one document's tables, spans and the grid columns a row skips counted: a report holds
# thousands.
MAX_TABLE_CELLS = 2_000_000
# Tags ("<") in the document's XML parts: each is an element, or its end, of the tree python-docx
# builds (≈130 bytes an element); a report of 8,000 rows holds one to five million.
MAX_MARKUP_TAGS = 16_000_000
# Grid columns one cell may span (w:gridSpan) or a row may skip (w:gridBefore): Word draws at most 63
# columns; more (a hostile 999,999,999) is read as this many, as a browser reads a colspan.
MAX_GRID_SPAN = 1_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Elements of a paragraph that hold its runs as shown: a hyperlink, an insertion (tracked), a
# smart tag, a content control, a simple field's result, custom XML, a moved-to range.
_RUN_HOLDERS = frozenset(
    f"{_W}{name}"
    for name in (
        "hyperlink",
        "ins",
        "smartTag",
        "sdt",
        "sdtContent",
        "fldSimple",
        "customXml",
        "moveTo",
        "dir",
        "bdo",
    )
)


def read_docx(data: bytes, path: str) -> list[Block]:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    _check_unpacked_size(data, path)
    try:
        document = docx.Document(io.BytesIO(_as_document(data)))
        body = document.element.body
        parts = [
            _related(document.part, kind) for kind in (RELATIONSHIP_TYPE.NUMBERING, RELATIONSHIP_TYPE.STYLES)
        ]
        numbering = Numbering.of(*parts)
    except Exception as exc:  # python-docx on a damaged package: KeyError, XMLSyntaxError, ValueError…
        raise InputError(
            Issue(
                path,
                0,
                "",
                f"damaged Word document (.docx): it cannot be opened ({type(exc).__name__}: {exc})",
            )
        ) from None
    reader = _Reader(path, numbering)
    reader.read(body)
    return _with_page_header(reader.blocks, document)


def _with_page_header(blocks: list[Block], document: Any) -> list[Block]:
    """``blocks`` with the first section's page header (its first page's, when that page has its
    own) as a line before them, after the body's title when the body opens with one, and its
    footer as a line after them; their fields (page numbers, dates) not read."""
    from ketsugo.read.layout import _section_of

    if not document.sections:
        return blocks
    section = document.sections[0]
    first = section.different_first_page_header_footer
    out = list(blocks)
    for kind in ("header", "footer"):
        part = getattr(section, f"first_page_{kind}" if first else kind)
        if part.is_linked_to_previous:  # no definition of its own: the first section has none
            continue
        paragraphs = [p for p in part.part.element.iter(f"{_W}p") if not _in_fallback(p)]
        lines = (cell_lines(_unfielded_text(p)) for p in paragraphs)
        text = " ".join(line for line in lines if line and not _FIELD_FRAME.fullmatch(line))
        if not text:
            continue
        line = TextLine(text, f"page {kind}")
        if kind == "footer":
            out.append(line)
        elif out and isinstance(out[0], TextLine) and _section_of(out[0].text) is None:
            out.insert(1, line)  # the body's own title first
        else:
            out.insert(0, line)
    return out


def _unfielded_text(paragraph: _Element) -> str:
    """A header's or footer's paragraph without its fields (PAGE, NUMPAGES, DATE…: what they show
    changes from page to page, or with the day it is printed)."""
    out = []
    depth = 0
    for run in _runs(paragraph):
        mark = run.find(f"{_W}fldChar")
        kind = mark.get(f"{_W}fldCharType") if mark is not None else None
        if kind == "begin":
            depth += 1
        elif kind == "end":
            depth = max(0, depth - 1)
        elif not depth and not _hidden(run):
            parent = run.getparent()
            if parent is None or parent.tag != f"{_W}fldSimple":
                out.append(run.text or "")
    return "".join(out).replace("\t", " ")


# Word's other main parts — a macro-enabled document (.docm), a template (.dotx, .dotm) — hold a
# document as a .docx does; python-docx opens a .docx only, so they are opened as one.
_MAIN_TYPES = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _as_document(data: bytes) -> bytes:
    """``data`` with its main part typed as a .docx's when it is a .docm's or a template's."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "[Content_Types].xml" not in archive.namelist():
            return data
        types = archive.read("[Content_Types].xml")
        if not any(kind in types for kind in _MAIN_TYPES):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for member in archive.infolist():
                content = archive.read(member)
                if member.filename == "[Content_Types].xml":
                    for kind in _MAIN_TYPES:
                        content = content.replace(kind, _DOCX_TYPE)
                copy.writestr(member, content)
    return out.getvalue()


def _check_unpacked_size(data: bytes, path: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            Issue(path, 0, "", f"damaged Word document (.docx): it cannot be opened ({exc})")
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            Issue(
                path,
                0,
                "",
                f"the document unpacks to {unpacked:,} bytes (at most {MAX_UNPACKED_BYTES:,} for a report): "
                "not read (a zip bomb, or not a report)",
            )
        )
    check_markup(data, path, MAX_MARKUP_TAGS, "document", "damaged Word document (.docx)")


def _related(part: Any, kind: str) -> _Element | None:
    """The XML of the package part ``part`` relates to as ``kind`` (None when it has none)."""
    try:
        return cast("_Element", part.part_related_by(kind).element)
    except (KeyError, AttributeError):
        return None


class _Reader:
    """The body's blocks in document order, paragraphs and tables counted as they are met."""

    def __init__(self, path: str, numbering: Numbering) -> None:
        self.path = path
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.cells = 0
        self.after_text = False  # the last body element was a paragraph holding text

    def read(self, container: _Element) -> None:
        for child in container:
            if child.tag == f"{_W}p":
                self._paragraph(child)
            elif child.tag == f"{_W}tbl":
                self.tables += 1
                if _is_layout(child):  # a frame around the page: read as the body
                    for cell in (tc for tr in _table_rows(child) for tc in _row_cells(tr)):
                        self.after_text = False
                        self.read(cell)
                    self.after_text = False
                    continue
                self.blocks.append(self._table(child))
                self.after_text = False
            elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
                self.read(child)

    def _paragraph(self, paragraph: _Element) -> None:
        text = cell_lines(self.numbering.label(paragraph) + paragraph_text(paragraph))
        boxes = [
            (content, box)
            for content in _text_boxes(paragraph)
            if (box := cell_lines("\n".join(paragraph_text(p) for p in content.iter(f"{_W}p"))))
        ]
        if not text and not boxes:
            self.after_text = False
            return
        self.paragraphs += 1
        if text:
            self.blocks.append(TextLine(text, f"paragraph {self.paragraphs}", self.after_text))
        for content, box in boxes:
            if any(True for _ in content.iter(f"{_W}tbl")):
                self._box_with_table(content)  # a table drawn in a text box: a table still
            else:
                self.blocks.append(TextLine(box, f"paragraph {self.paragraphs} (text box)"))
        self.after_text = bool(text) and not boxes

    def _box_with_table(self, content: _Element) -> None:
        """A text box holding a table: its paragraphs as lines of the text box, its tables as tables,
        in order (the box's lines joined would lose the table's rows and columns)."""
        where = f"paragraph {self.paragraphs} (text box)"
        after = False
        for child in content:
            if child.tag == f"{_W}p":
                line = cell_lines(self.numbering.label(child) + paragraph_text(child))
                if line:
                    self.blocks.append(TextLine(line, where, after))
                after = bool(line)
            elif child.tag == f"{_W}tbl":
                self.tables += 1
                self.blocks.append(self._table(child))
                after = False
            elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
                self._box_with_table(child)

    def _table(self, table: _Element) -> Table:
        """The table's rows on its grid, its merged cells as spans."""
        grid: list[dict[int, str]] = []
        spans: list[Span] = []
        open_down: dict[int, int] = {}  # grid column → index in spans of the vertical merge running there
        for r, tr in enumerate(_table_rows(table)):
            cells: dict[int, str] = {}
            column = min(_int(tr.find(f"{_W}trPr/{_W}gridBefore")), MAX_GRID_SPAN)
            self.cells += column
            continued: set[int] = set()
            for tc in _row_cells(tr):
                properties = tc.find(f"{_W}tcPr")
                width = min(
                    max(1, _int(properties.find(f"{_W}gridSpan") if properties is not None else None, 1)),
                    MAX_GRID_SPAN,
                )
                merge = properties.find(f"{_W}vMerge") if properties is not None else None
                self.cells += width
                if self.cells > MAX_TABLE_CELLS:
                    raise InputError(
                        Issue(
                            self.path,
                            0,
                            f"table {self.tables} row {r + 1}",
                            f"the document's tables hold over {MAX_TABLE_CELLS:,} cells: not read "
                            "(no report is that large)",
                        )
                    )
                if (
                    merge is not None
                    and merge.get(f"{_W}val", "continue") == "continue"
                    and column in open_down
                ):
                    span = spans[open_down[column]]
                    spans[open_down[column]] = Span(span.row, span.column, r - span.row + 1, span.columns)
                    continued.add(column)
                else:
                    cells[column] = "\n".join(
                        self.numbering.label(p) + paragraph_text(p) for p in _cell_paragraphs(tc)
                    )
                    if merge is not None or width > 1:
                        if merge is not None:
                            open_down[column] = len(spans)
                        spans.append(Span(r, column, 1, width))
                column += width
            for start in [c for c in open_down if c not in continued and spans[open_down[c]].row != r]:
                del open_down[start]  # a vertical merge ends where no continuation stands under it
            grid.append(cells)
        width = max((max(cells) + 1 for cells in grid if cells), default=0)
        width = max([width, *(s.column + s.columns for s in spans)])
        rows = [
            Row(
                tuple(cell_lines(cells.get(c, "")) for c in range(width)),
                f"table {self.tables} row {r + 1}",
                places=tuple(f"table {self.tables} row {r + 1} cell {c + 1}" for c in range(width)),
            )
            for r, cells in enumerate(grid)
        ]
        return Table(rows, [s for s in spans if s.rows > 1 or s.columns > 1])


def _is_layout(table: _Element) -> bool:
    """A table holding tables that frames the page — one row, one cell a row, or fewer cells of its
    own than its tables hold (a frame whose content cell holds the report's tables): a layout table.
    A table of rows and columns with a small table in one of its cells (記録項目 listed in a table of
    their own) is a table all the same: the inner table's cells are its cell's lines."""
    inner = list(table.iterdescendants(f"{_W}tbl"))
    if not inner:
        return False
    rows = list(_table_rows(table))
    own = sum(1 for tr in rows for _ in _row_cells(tr))
    held = sum(1 for t in inner for _ in t.iter(f"{_W}tc"))
    return len(rows) <= 1 or own <= len(rows) or own <= held


def _children(parent: _Element, tag: str) -> Iterator[_Element]:
    """``parent``'s children of ``tag``, those inside content controls or custom XML too."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _children(child, tag)


def _table_rows(table: _Element) -> Iterator[_Element]:
    """A table's rows (w:tr), those inside content controls or custom XML too."""
    return _children(table, f"{_W}tr")


def _row_cells(row: _Element) -> Iterator[_Element]:
    """A table row's cells (w:tc), those inside content controls or custom XML too."""
    return _children(row, f"{_W}tc")


def _cell_paragraphs(cell: _Element) -> Iterator[_Element]:
    """A cell's paragraphs in order, those of a table nested in it too."""
    for child in cell:
        if child.tag == f"{_W}p":
            yield child
        elif child.tag in (f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _cell_paragraphs(child)


def paragraph_text(paragraph: _Element) -> str:
    """The text a paragraph shows: its runs' text (a typed line break as "\\n", a tab as a space),
    hidden runs and deleted text left out."""
    # a run is python-docx's CT_R, whose .text is the run's shown text (w:t, w:tab, w:br…)
    return "".join(run.text or "" for run in _runs(paragraph) if not _hidden(run)).replace("\t", " ")


def _runs(node: _Element) -> Iterator[_Element]:
    for child in node:
        if child.tag == f"{_W}r":
            yield child
        elif child.tag in _RUN_HOLDERS:
            yield from _runs(child)


def _hidden(run: _Element) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(f"{_W}val", "true").lower() not in ("0", "false", "off")


def _text_boxes(paragraph: _Element) -> Iterator[_Element]:
    """The content of each text box drawn in the paragraph (its copy for older versions left out)."""
    for content in paragraph.iter(f"{_W}txbxContent"):
        if not _in_fallback(content):
            yield content


def _in_fallback(element: _Element) -> bool:
    """Whether ``element`` is in the copy of a drawing kept for older Word versions (mc:Fallback)."""
    return any(a.tag == f"{_MC}Fallback" for a in element.iterancestors())


def _int(element: _Element | None, default: int = 0) -> int:
    """The element's w:val as a count: ASCII digits only (a "²" or "١" is a digit to str.isdigit,
    not to int), and a value of more digits than any count (a hostile one of thousands, which int
    refuses) read as :data:`MAX_GRID_SPAN` — more than any grid."""
    value = element.get(f"{_W}val", "") if element is not None else ""
    if not (value.isascii() and value.isdigit()):
        return default
    return int(value) if len(value) <= 9 else MAX_GRID_SPAN
