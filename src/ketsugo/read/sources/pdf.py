"""PDF reports → blocks, with pdfplumber (on pdfminer.six).

pdfplumber finds ruled tables from the drawn lines and gives each cell's text; pdfminer maps
CID-keyed Japanese fonts (Adobe-Japan1, e.g. HeiseiKakuGo-W5) and embedded TrueType fonts to
Unicode through their CMaps, so full- and half-width characters come out as written — except
where a CID font draws two characters with one glyph (FULLWIDTH HYPHEN-MINUS and MINUS SIGN
share CID 661 and read back as U+2212; the PDF does not record which was typed).

Reading rules, each general:
- a cell's text wrapped over several lines is joined (:func:`tables.join_wrapped`); a line that
  ends short although the next line's first word would have fit was broken on purpose (a line
  break typed in the cell, a space at the wrap): the break is kept, as Excel's and HTML's are,
  and read by the field's rule (:mod:`.tables`: a list's separator in a list column, a space
  between Latin words, nothing between Japanese). A full line (not even
  the next character would have fit) wrapped between two Latin letters or digits was wrapped
  inside a word (Japanese text wraps anywhere: （eLT / AX）) and joins without one. A space at a wrap
  point on a full line is invisible in the PDF and is lost, as it is to a reader. A full line that
  is a whole party's name, under which a second name opens (株式会社Ａ / 日本Ｂ株式会社:
  :func:`tables.opens_another_party`, as for a text copy), was broken on purpose too; so was a
  full line ending as an item's name ends over a line that is a name so ending, neither holding a
  list separator (学生納付特例の区分 / 付加保険料の申出: sources.toml [entry_breaks]);
- text lines outside tables (titles, section headings, ※ notes) keep their place among the
  tables by page and vertical position;
- page headers and footers are left out, and nothing else of a page's bands: a line in the top
  or bottom band of a page that is a page number, or that repeats in the same band (the top's, or
  the foot's) on at least half of the pages and two at least (digits aside; one info per such
  line). A browser's print sets the body's first lines in the top band: a <dt> label or a <dd>
  「－」 there is read, as is a value that repeats on a few pages' tops or a top and a foot. A
  page turned a quarter (/Rotate 90: landscape printed on portrait paper) has its bands as it is
  shown. A
  document's label in the top band of a page (資料３, 別紙２, 参考資料, a date: which paper of a
  meeting this is) is left out with an info finding holding it — read, it would be taken for the
  report's title (the first line), as Excel's print header is not (:mod:`.xlsx`); so is such a
  label alone on a line before the title wherever it stands (under a wide top margin, or set
  as the first paragraph), but not one after the title's line. A page header that cannot repeat
  (a one-page report) is left out only where its words mark it (外部結合の状況（公表資料）: a
  document's label or a word such as 公表資料 in brackets, page-labels.toml [running_head]), first on its page and in a
  smaller type than the line under it;
- a cell drawn over several rows or columns (one box over their lines) is a span, settled like
  an Excel merge (:func:`tables.resolved_rows`): a two-row header with grouped columns is one
  header, a department drawn once over several rows is that department for each;
- a table continued on the next page joins the table it continues (the first thing on a page,
  right after a table that ended its page, with the same number of columns); header rows it
  repeats are dropped;
- a row broken across the page (a word processor's default: the row's lines that do not fit go
  on the next page, the cells that had ended left empty there) is one row: the first row of the
  continued table, its No. cell empty under a header naming No., after a row with its No., is
  the rest of that row; each of its cells joins the cell above as the lines of one cell join
  (wrapped, or broken on purpose). A cell drawn over several rows that the page break cuts (a
  department over rows on both pages: its text on the first page, an empty box over the rows on
  the next) is one cell over all of them. A cell drawn without its bottom line (a browser prints a cell over several rows that the
  page's end cuts so: no cell to pdfplumber) is still one cell, over the rows it covers, its text
  theirs; the blank first row under the repeated header on the next page, beneath a cell over
  several rows that reached the foot of the page before, has that cell's text (an info says so).
  A Japanese character moves to the next line with the marks that may not open a line (歴、):
  a line ending short of that pair was wrapped, not broken. In a cell of typed breaks, a line
  filling a narrow column whose text since the last break is a data item's name by itself
  (個人番号⏎特別徴収税額) was broken too (read/itemnames.py);
- pdfminer's own log (its warnings of the fonts a browser embeds) is silenced while a PDF is read;
- a table drawn without ruling lines (columns apart by space alone) is read by the rules of
  :mod:`ketsugo.read.sources.unruled`;
- a PDF without a text layer (a scan), an encrypted or a damaged one is refused: OCR and
  passwords are out of scope, and a partial reading would lose rows without a finding;
- a PDF of more than :data:`MAX_PAGES` pages is refused before any page is read (its pages are
  counted by walking the page tree, not by the /Count it claims), and each page's parsed objects
  are dropped once read: time and memory are bounded by the page count.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from ketsugo.errors import InputError, Issue
from ketsugo.paths import reference_toml
from ketsugo.read.addresslines import opens_address
from ketsugo.read.itemnames import ends_item
from ketsugo.read.normalize import NO_LINE_START
from ketsugo.read.sources.tables import (
    Block,
    Row,
    Skipped,
    Span,
    Table,
    TextLine,
    collapse_spaces,
    join_wrapped,
    number_column,
    opens_another_party,
)
from ketsugo.read.sources.unruled import find_tables, line_of, read_table

if TYPE_CHECKING:  # pdfplumber is imported only when a PDF is read
    from pdfplumber.page import Page
    from pdfplumber.pdf import PDF
    from pdfplumber.table import Table as PlumberTable

_Obj = dict[str, Any]  # a pdfplumber object (char, line of text) as it gives it
_BBox = tuple[float, float, float, float]

_BAND = 0.08  # top and bottom share of a page where headers and footers live
_CID = re.compile(r"\(cid:\d+\)")


def _any(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in words)


@cache
def _page_labels() -> dict[str, Any]:
    """data/reference/page-labels.toml: the words of page numbers and documents' labels."""
    return reference_toml("page-labels.toml")


@cache
def _page_number() -> re.Pattern[str]:
    """A page number alone on a line of a page's band (- 3 -, 3/12, page 3 of 12, 3ページ)."""
    words = _page_labels()["page_numbers"]
    dash = f"[{re.escape(words['dashes'])}]"
    return re.compile(
        rf"^(?:{dash}?\s*\d+\s*{dash}?|\d+\s*/\s*\d+|(?:{_any(words['before'])})\s*\d+"
        rf"(?:\s*(?:{_any(words['of'])})\s*\d+)?"
        rf"|\d+\s*(?:{_any(words['after'])})|{re.escape(words['ordinal'])}\s*\d+\s*(?:{_any(words['after'])}))$",
        re.I,
    )


# A document's label printed in a page's top band (資料３ at the top right, 別紙２, 参考資料, the date
# the document was handed out): it says which paper of a meeting this is, and is no part of the
# report — above all not its title (the first line read). NFKC, spaces taken out; brackets around it
# (【資料３】, （別紙２）) too. The words: data/reference/page-labels.toml.
@cache
def _doc_label() -> re.Pattern[str]:
    document, dates = _page_labels()["document"], _page_labels()["dates"]
    number = (
        f"(?:{re.escape(document['number_before'])})?[0-9{re.escape(document['kanji_numerals'])}]+"
        f"(?:(?:{_any(document['number_joiners'])})[0-9]+)?(?:{re.escape(document['number_after'])})?"
    )
    as_of = f"(?:{_any(dates['as_of'])})?"
    return re.compile(
        rf"(?:{_any(document['prefixes'])})?(?:{_any(document['kinds'])})(?:{number})?|(?:{_any(document['alone'])})"
        rf"|(?:{_any(dates['eras'])})?(?:\d+|{re.escape(dates['first_year'])})[年.](?:\d+)[月.](?:\d+)日?{as_of}"
        rf"|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}{as_of}"
    )


_ALNUM = re.compile(r"[A-Za-z0-9]")
_NUMBER = re.compile(r"\s*[0-9]{1,4}\s*")
_BRACKETS = "【】[]()「」〔〕<>"
_HEADER_ROWS = 3  # a table's header takes at most this many rows at its top
# Pages a report's PDF may have. A report of 8,000 connections (the largest the text form is
# measured on, README "One large report") prints on ≈ 800 pages at ten rows a page; more than
# twice that is no report (a generated file, a whole annual bulletin): refused, naming the file.
MAX_PAGES = 2_000
_TEXT_SETTINGS = {"x_tolerance": 1.5, "y_tolerance": 3}
# How far (pt) a character may start before the left rule of the cell it stands in: about a rule's
# width, far less than a character's (a character starting so close to a cell's right rule would
# stand outside it)
_OVERHANG = 1.0


@dataclass
class _Item:
    page: int
    top: float
    bottom: float
    block: Block
    band: bool = False  # in the header/footer band of its page
    head: bool = False  # in the header band (its top)
    size: float = 0.0  # a text line's type size (its characters' largest)
    left: float = 0.0  # a text line's left and right ends
    right: float = 0.0


def read_pdf(data: bytes, path: str) -> list[Block]:
    """The blocks of a PDF report in reading order; InputError for what cannot be read."""
    if b"%%EOF" not in data[-2048:]:
        raise InputError(
            Issue(
                path, 0, "", "truncated or damaged PDF: the file does not end with %%EOF (download it again)"
            )
        )
    menus: list[tuple[int, str]] = []  # (page, text) of each site menu column left out
    with _pdfminer_quiet():
        pages = _read_pages(data, path, menus)
    if not pages:  # a page tree that holds no page, or only itself (a loop pdfminer steps out of)
        raise InputError(
            Issue(path, 0, "", "damaged PDF: its page tree holds no page (empty, or a loop back to itself)")
        )
    if not any(pages):
        raise InputError(Issue(path, 0, "", "no text layer: OCR is out of scope (the PDF holds only images)"))
    items, running = _drop_headers_and_footers(pages)
    said = [_menu_left_out(menus)] if menus else []
    return _join_continued_tables(_drop_leading_labels(items)) + list(running) + said


@contextmanager
def _pdfminer_quiet() -> Iterator[None]:
    """pdfminer's own log silenced while a PDF is read: it warns of what it works around in the
    file's fonts ("Could not get FontBBox …", for every font a browser's print embeds) on stderr,
    before ketsugo's findings — nothing a reader of the report can act on. Its errors still show."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pages(data: bytes, path: str, menus: list[tuple[int, str]]) -> list[list[_Item]]:
    """The items of each page, in page order (a site menu column's text left out into ``menus``)."""
    pdf = _open(data, path)
    with pdf:
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(_page_items(page, number, path, menus))
            page.close()  # its characters, lines and layout are read: free them before the next page
    return pages


def _open(data: bytes, path: str) -> PDF:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _check_page_count(pdf, path)
        _ = pdf.pages  # pdfminer reads the page tree (and decrypts) lazily
        return pdf
    except InputError:
        raise
    except Exception as exc:
        cause = exc.__cause__ or exc.__context__ or exc
        if isinstance(exc, PDFPasswordIncorrect | PDFEncryptionError) or isinstance(
            cause, PDFPasswordIncorrect | PDFEncryptionError
        ):
            message = "encrypted PDF: it needs a password, which ketsugo does not take (publish or save it unprotected)"
        else:
            message = f"damaged PDF: it cannot be read ({type(cause).__name__}: {cause})"
        raise InputError(Issue(path, 0, "", message)) from None


def _check_page_count(pdf: PDF, path: str) -> None:
    """Refuse a PDF of more than MAX_PAGES pages, counting no further than that."""
    from itertools import islice

    from pdfminer.pdfpage import PDFPage

    counted = sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1))
    if counted > MAX_PAGES:
        # not pdf.close(): pdfplumber closes each page, reading all of them first (the stream is
        # the caller's, in memory)
        raise InputError(
            Issue(
                path,
                0,
                "",
                f"the PDF has more than {MAX_PAGES:,} pages: not read (no report is that long; "
                "give the report's own pages, or its text form)",
            )
        )


def _page_items(
    page: Page, number: int, path: str, menus: list[tuple[int, str]] | None = None
) -> list[_Item]:
    if not page.chars:
        if page.images:
            raise InputError(
                Issue(
                    path,
                    0,
                    f"p.{number}",
                    "no text layer: OCR is out of scope (this page is a scanned image)",
                )
            )
        return []
    # a page turned a quarter (/Rotate 90 or 270, a landscape page printed on portrait paper):
    # pdfplumber gives its paper's height, but its characters and lines where the page is shown
    height = float(page.width if (page.rotation or 0) % 180 == 90 else page.height)
    items: list[_Item] = []
    settings = {"explicit_horizontal_lines": _cut_tops(page, height)}
    found = page.find_tables(table_settings=settings)
    framed = _site_frame(page, height, settings)  # a web page's layout: a menu column beside the report
    if framed is not None:
        panel, found = framed
        if menus is not None and (held := " ".join(_inside(page.chars, panel, text=True)).strip()):
            menus.append((number, held))
        page = page.filter(lambda o: not (o.get("object_type") == "char" and _inside([o], panel)))
    for t_no, table in enumerate(found, start=1):
        open_boxes: list[Span] = []
        rows = _table_rows(page, table, f"p.{number} table {t_no}", open_boxes)
        _check_unicode(rows, path, number)
        _, top, _, bottom = table.bbox
        items.append(_Item(number, float(top), float(bottom), Table(rows, [*_spans(table), *open_boxes])))
    boxes = [t.bbox for t in found]
    outside: list[tuple[_Obj, bool]] = []  # text lines outside the ruled tables, and whether in the band
    head = height * _BAND
    for line in page.extract_text_lines(strip=True, return_chars=True, **_TEXT_SETTINGS):
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 - 1 <= line["x0"] <= x1 + 1 and top <= middle <= bottom for x0, top, x1, bottom in boxes):
            continue
        if collapse_spaces(line["text"]):
            outside.append((line, line["bottom"] < height * _BAND or line["top"] > height * (1 - _BAND)))
    # a table may reach into the header/footer band; a page number there is never part of it
    body = [
        line
        for line, band in outside
        if not (band and _page_number().match(unicodedata.normalize("NFKC", collapse_spaces(line["text"]))))
    ]
    shaped = [line_of(line) for line in body]
    in_tables: set[int] = set()
    for t_no, (first, end) in enumerate(find_tables(shaped), start=len(found) + 1):
        block = read_table(shaped[first:end], f"p.{number} table {t_no}")
        _check_unicode(block.rows, path, number)
        items.append(_Item(number, shaped[first].top, shaped[end - 1].bottom, block))
        in_tables.update(id(body[i]) for i in range(first, end))
    for line, band in outside:
        if id(line) in in_tables:
            continue
        text = collapse_spaces(line["text"])
        where = f"p.{number} line at {round(line['top'])}pt"
        _check_unicode([Row((text,), where)], path, number)
        top = float(line["top"])
        size = max((float(c.get("size", 0.0)) for c in line.get("chars", ())), default=0.0)
        items.append(
            _Item(
                number,
                top,
                float(line["bottom"]),
                TextLine(text, where),
                band,
                line["bottom"] < head,
                size,
                float(line["x0"]),
                float(line["x1"]),
            )
        )
    items.sort(key=lambda i: i.top)
    edge = max([*(float(b[2]) for b in boxes), *(float(line["x1"]) for line, _ in outside)], default=0.0)
    return _paragraphs(items, edge)


# A site's menu column beside the report on a web page's print: a shaded panel at least this share of
# the page tall, at most this share of it wide, within this share of the page's width from its side
_PANEL_HEIGHT, _PANEL_WIDTH, _PANEL_SIDE = 0.5, 0.3, 0.3


def _is_fill(obj: _Obj) -> bool:
    """A shaded area (a filled rectangle drawn without an outline, wider and taller than a rule): a
    cell's or a page layout's background, no ruling line."""
    return (
        obj.get("object_type") == "rect"
        and bool(obj.get("fill"))
        and not obj.get("stroke")
        and float(obj["width"]) > 3
        and float(obj["height"]) > 3
    )


def _inside(objs: Iterable[_Obj], box: _BBox, text: bool = False) -> list[Any]:
    """The objects whose middle lies in ``box`` (their texts joined a line each, with ``text``)."""
    x0, top, x1, bottom = box
    inner = [
        o
        for o in objs
        if x0 <= (float(o["x0"]) + float(o["x1"])) / 2 <= x1
        and top <= (float(o["top"]) + float(o["bottom"])) / 2 <= bottom
    ]
    if not text:
        return inner
    lines: dict[int, list[_Obj]] = {}
    for char in inner:
        lines.setdefault(round(float(char["top"])), []).append(char)
    return [
        collapse_spaces("".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])))
        for _, row in sorted(lines.items())
    ]


def _site_frame(
    page: Page, height: float, settings: dict[str, Any]
) -> tuple[_BBox, list[PlumberTable]] | None:
    """A web page printed with its site's layout (an old-fashioned page: the report's tables inside
    a layout table, the site's menu in a shaded column beside them): the menu column's box and the
    page's tables found without the layout's shaded areas — or None for any other page.

    A layout's backgrounds (the menu column's, the logo bar's, the page's) are no column rules:
    their sides would make one grid of the layout and the report's tables, the menu's text its
    first column (their tops and bottoms still close a row the page's end cuts). A page is so laid
    out when it has a shaded panel at its side (taller than wide, at most a third of the page wide;
    the menu's text perhaps on the first page only), at least half the page tall or beside all of
    the page's tables top to bottom (the last page's, ending above the footer), and the page's
    tables found without the layout's sides stand beside it, none reaching into it: the panel is then the menu column, its
    text no part of the report (left out with a finding), and those tables are the report's. A
    table's own shaded column (row labels) lies inside its ruled table, and a table ruled by shading
    alone is found only with it: both are read as before."""
    width = float(page.height if (page.rotation or 0) % 180 == 90 else page.width)
    panels = [
        (float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
        for r in page.rects
        if _is_fill(r)
        and float(r["height"]) > float(r["width"])
        and float(r["width"]) <= width * _PANEL_WIDTH
        and (float(r["x1"]) <= width * _PANEL_SIDE or float(r["x0"]) >= width * (1 - _PANEL_SIDE))
    ]
    if not panels:
        return None
    fills = [r for r in page.rects if _is_fill(r)]
    sides = {_edge_key(x, r) for r in fills for x in (r["x0"], r["x1"])}
    ruled = [e for e in page.edges if e["orientation"] == "v" and _edge_key(e["x0"], e) not in sides]
    found = {**settings, "vertical_strategy": "explicit", "explicit_vertical_lines": ruled}
    tables = page.find_tables(table_settings=found)
    for panel in panels:
        x0, top, x1, bottom = panel
        tall = bottom - top >= height * _PANEL_HEIGHT or all(
            top <= t.bbox[1] and t.bbox[3] <= bottom for t in tables
        )
        if tables and tall and not any(t.bbox[0] < x1 and t.bbox[2] > x0 for t in tables):
            return panel, tables
    return None


def _edge_key(x: float, obj: _Obj) -> tuple[float, float, float]:
    """Where a vertical edge runs (its x, top and bottom, to a tenth of a point)."""
    return (round(float(x), 1), round(float(obj["top"]), 1), round(float(obj["bottom"]), 1))


def _menu_left_out(menus: list[tuple[int, str]]) -> Skipped:
    """The finding of a site menu column left out (:func:`_site_frame`), with what it held."""
    pages = _page_list([n for n, _ in menus])
    held = " / ".join(dict.fromkeys(text for _, text in menus if text))
    return Skipped(
        f"the site's menu column beside the report (a shaded panel at the page's side, {pages}) not read "
        "as the report: a web page printed with its site's layout; the layout's shaded areas are no "
        "ruling lines of the report's tables",
        "menu column",
        held if len(held) <= 200 else held[:199] + "…",
        "info",
    )


def _cut_tops(page: Page, height: float) -> list[dict[str, Any]]:
    """The rules of a table the page's start or end cuts, where none is drawn: a browser prints the
    rows a page break carries over with their column rules but no line above them (the row's top
    border was the bottom of the row above, on the page before), and the part of a row broken
    across the page left at the page's foot with its column rules but no line under it (its bottom
    border is drawn under the row's rest, on the next page). No cell of such a row closes: its text
    was read as lines outside any table (the columns run together). Where at least _CUT_RULES
    column rules start at one height near the page's top — or end at one height near its foot —
    with no horizontal rule there between them, a line is drawn across them (pdfplumber's
    explicit_horizontal_lines)."""
    ends: dict[int, list[tuple[float, float]]] = {}  # a rule's cut end (its top or bottom), its length
    for edge in page.edges:
        if edge["orientation"] != "v":
            continue
        top, bottom, x = float(edge["top"]), float(edge["bottom"]), float(edge["x0"])
        if top < height * _CUT_TOP:
            ends.setdefault(round(top), []).append((x, bottom - top))
        if bottom > height * (1 - _CUT_TOP):
            ends.setdefault(round(bottom), []).append((x, bottom - top))
    lines: list[dict[str, Any]] = []
    for at, rules in ends.items():
        tall = [x for x, length in rules if length > _CUT_TALL]
        if len({round(x) for x in tall}) < _CUT_RULES:
            continue
        if any(
            e["orientation"] == "h" and abs(float(e["top"]) - at) <= 1 and e["x1"] - e["x0"] > _CUT_GAP
            for e in page.edges
        ):
            continue  # the rows' top (or bottom) rule is drawn: no table is cut here
        left, right = min(tall), max(tall)
        lines.append(
            {
                "x0": left,
                "x1": right,
                "top": float(at),
                "bottom": float(at),
                "width": right - left,
                "height": 0.0,
                "object_type": "line",
            }
        )
    return lines


# A cut table's rules start in the top part of the page (or end in its bottom part: this share of its
# height), at least this
# many column rules, each at least _CUT_TALL pt long (a row's height, not a glyph's stroke); a
# horizontal rule longer than _CUT_GAP pt at that height closes the row already
_CUT_TOP = 0.15
_CUT_RULES = 3
_CUT_TALL = 8.0
_CUT_GAP = 4.0


def _paragraphs(items: list[_Item], edge: float) -> list[_Item]:
    """Text lines set as one paragraph: a line right under another of the same type (closer than
    half a line, starting where it starts, give or take an indent) continues it — joined to it (:func:`tables.join_wrapped`) where the line above
    reaches the text's right ``edge`` (the paragraph wrapped there), kept a line of its own that
    follows it otherwise (a card's 項目：内容 lines, notes one a line: TextLine.follows)."""
    out: list[_Item] = []
    for item in items:
        above = out[-1] if out else None
        if (
            above is not None
            and isinstance(above.block, TextLine)
            and isinstance(item.block, TextLine)
            and not (above.band or item.band)
            and above.size > 0
            and abs(above.size - item.size) < 0.5
            and 0 <= item.top - above.bottom < above.size / 2
            and abs(item.left - above.left) <= above.size * 1.5
        ):
            if edge - above.right < above.size:  # the line above is full: the paragraph wrapped
                text = join_wrapped([above.block.text, item.block.text])
                out[-1] = replace(
                    above, bottom=item.bottom, right=item.right, block=replace(above.block, text=text)
                )
                continue
            item = replace(item, block=replace(item.block, follows=True))
        out.append(item)
    return out


def _table_rows(
    page: Page, table: PlumberTable, where: str, open_boxes: list[Span] | None = None
) -> list[Row]:
    """Each cell's lines, joined: a line that ends short of the cell's text width although the
    next line's first word would have fit there was broken on purpose (a line break in the
    cell, or a space at the wrap), and is kept as a typed break ("\\n": a list's separator in a
    list column, else joined as :func:`tables.join_wrapped` joins); a full line was wrapped and
    joins by :func:`tables.join_wrapped`. A box no cell was found for (drawn without its bottom
    line: a cell over rows cut by the page's end) is read as one cell over the rows it covers,
    its text in its first row; each such box over several rows is added to ``open_boxes``."""
    boxes: list[list[Any]] = [list(row.cells) for row in table.rows]
    unclosed = _unclosed_boxes(table)
    for span, bbox in unclosed:
        boxes[span.row][span.column] = bbox
    grid = [[_cell_lines(page, bbox) for bbox in row] for row in boxes]
    if open_boxes is not None:  # a box over several rows that holds text: its value for each row
        open_boxes.extend(s for s, _ in unclosed if s.rows > 1 and grid[s.row][s.column])
    width = max((len(r) for r in grid), default=0)
    pads = []
    for c in range(width):
        found = [
            lines[0]["x0"] - box[0]
            for row, cells in zip(boxes, grid, strict=True)
            if c < len(cells) and (lines := cells[c]) and (box := row[c]) is not None
        ]
        pads.append(max(0.0, min(found)) if found else 0.0)
    rows = []
    for r_no, (row, cells) in enumerate(zip(boxes, grid, strict=True), start=1):
        texts = []
        edges = []
        for c, lines in enumerate(cells):
            box = row[c]
            limit = box[2] - pads[c] if box is not None else 0.0
            texts.append(_join_cell(lines, limit))
            edges.append((limit - lines[-1]["x1"], _first_word(lines[0])) if lines else (0.0, 0.0))
        rows.append(Row(tuple(texts), f"{where} row {r_no}", edges=tuple(edges)))
    return rows


def _unclosed_boxes(table: PlumberTable) -> list[tuple[Span, _BBox]]:
    """The parts of a table's grid that no cell found covers, each run of them down a column as one
    box (a Span and its bbox). A cell whose bottom line is not drawn — a cell over several rows that
    the page's end cuts, as a browser prints it — is no cell to pdfplumber; its text would be lost."""
    from bisect import bisect_left

    tops = sorted({cell[1] for cell in table.cells})
    lefts = sorted({cell[0] for cell in table.cells})
    x_end, y_end = table.bbox[2], table.bbox[3]
    covered: set[tuple[int, int]] = set()
    for x0, top, x1, bottom in table.cells:
        first_row, first_column = bisect_left(tops, top), bisect_left(lefts, x0)
        for r in range(first_row, max(first_row + 1, bisect_left(tops, bottom - 0.5))):
            for c in range(first_column, max(first_column + 1, bisect_left(lefts, x1 - 0.5))):
                covered.add((r, c))
    boxes = []
    for c in range(len(lefts)):
        r = 0
        while r < len(tops):
            if (r, c) in covered:
                r += 1
                continue
            end = r
            while end + 1 < len(tops) and (end + 1, c) not in covered:
                end += 1
            right = lefts[c + 1] if c + 1 < len(lefts) else x_end
            bottom = tops[end + 1] if end + 1 < len(tops) else y_end
            boxes.append((Span(r, c, end - r + 1, 1), (lefts[c], tops[r], right, bottom)))
            r = end + 1
    return boxes


def _spans(table: PlumberTable) -> list[Span]:
    """The table's cells that span several rows or columns (a merged cell: one drawn box over
    several rows' or columns' lines), by the row tops and column lefts each box covers."""
    tops = sorted({cell[1] for cell in table.cells})
    lefts = sorted({cell[0] for cell in table.cells})
    spans = []
    for x0, top, x1, bottom in table.cells:
        rows = sum(1 for t in tops if top <= t < bottom - 0.5)
        columns = sum(1 for x in lefts if x0 <= x < x1 - 0.5)
        if rows > 1 or columns > 1:
            spans.append(Span(tops.index(top), lefts.index(x0), rows, columns))
    return spans


def _cell_lines(page: Page, bbox: _BBox | None) -> list[_Obj]:
    """The text lines of one cell: the page's characters that start in it (punctuation may
    overhang the cell's edge), read as ``page.filter(...).extract_text_lines(...)`` would read
    them. Only the characters are looked at, not every rect and curve of the page, which made
    reading a table of hundreds of cells slow (tests/test_sources_roundtrip.py checks the two
    agree)."""
    from pdfplumber.utils.text import chars_to_textmap

    if bbox is None:
        return []
    x0, top, x1, bottom = bbox
    # a glyph may start a little left of its cell's rule (a browser sets the first character of a
    # full cell against the rule): one starting within _OVERHANG before a rule is the next cell's
    chars = [
        c
        for c in page.chars
        if x0 - _OVERHANG <= c["x0"] < x1 - _OVERHANG and top <= (c["top"] + c["bottom"]) / 2 < bottom
    ]
    textmap = chars_to_textmap(
        chars, layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height, **_TEXT_SETTINGS
    )
    return textmap.extract_text_lines(strip=True, return_chars=True)


def _join_cell(lines: list[_Obj], limit: float) -> str:
    text = ""
    pieces = [collapse_spaces(line["text"]) for line in lines]
    typed = [index > 0 and _broken_early(lines[index - 1], line, limit) for index, line in enumerate(lines)]
    # a cell with a typed break somewhere: its items may be typed one a line (read/itemnames.py)
    any_typed = any(typed[index] for index in range(1, len(lines)) if pieces[index])
    for index, line in enumerate(lines):
        piece = pieces[index]
        if not piece:
            continue
        if text and (
            typed[index]
            or opens_address("".join(pieces[index:]))
            or opens_another_party(text.rsplit("\n", 1)[-1], piece)
            or _entries_apart(text.rsplit("\n", 1)[-1], _entry_from(pieces, typed, index))
        ):
            # a line break typed in the cell (an address under a name filling its line, too; a
            # second party's name under a whole name filling its line: 株式会社Ａ / 日本Ｂ株式会社):
            # read by its field's rule (tables)
            text += "\n" + piece
        elif text and any_typed and ends_item(text.rsplit("\n", 1)[-1], _run_on(lines, pieces, index, limit)):
            # in a cell of typed breaks, the text since the last one filling the column, a data
            # item's name by itself (個人番号⏎特別徴収税額): the author's break too (read/itemnames.py)
            text += "\n" + piece
        elif text and _inside_run(text, lines[index - 1], line, limit):
            text += piece
        else:
            text = join_wrapped([text, piece])
    return text


def _run_on(lines: list[_Obj], pieces: list[str], index: int, limit: float) -> str:
    """Line ``index``'s text and the lines after it up to the next typed break (a short run): the
    rest of the word or item it opens (給与⏎支払⏎額: 支払額), for telling whether a name runs over."""
    run = pieces[index]
    for later in range(index + 1, min(len(lines), index + _RUN_LINES)):
        if _broken_early(lines[later - 1], lines[later], limit):
            break
        run += pieces[later]
    return run


_RUN_LINES = 4  # the lines looked at after a break, for a name running over it


_ENTRY_SEPARATORS = "、，,・･／/；;"


def _entry_from(pieces: list[str], typed: list[bool], index: int) -> str:
    """The text from line ``index`` up to the next typed break: an entry that fills its line and
    wraps (住宅借入金等特別控 / 除の額) is read whole, to see how it ends."""
    end = next((j for j in range(index + 1, len(pieces)) if typed[j]), len(pieces))
    return join_wrapped(pieces[index:end])


@cache
def _entry_breaks() -> tuple[tuple[str, ...], frozenset[str], int]:
    data = reference_toml("sources.toml")["entry_breaks"]
    return tuple(data["endings"]), frozenset(data["never_alone"]), int(data["min_chars"])


def _entries_apart(before: str, after: str) -> bool:
    """Whether a full line and the line under it are two entries of a list, one a line: neither
    holds a list separator or a space, both end as an item's name ends, the lower is no such ending alone and
    opens as a name opens (sources.toml [entry_breaks]: 学生納付特例の区分 / 付加保険料の申出, not
    被保険者証記号 / 番号)."""
    endings, never_alone, least = _entry_breaks()
    if len(before) < least or len(after) < least or after in never_alone:
        return False
    if any(mark in before + after for mark in _ENTRY_SEPARATORS) or any(c.isspace() for c in before + after):
        return False  # a list written with separators or spaces marks its own entries (生年月 / 日、性別)
    from ketsugo.read.items import open_word_free  # 口座情報等: the name ends before its 等 (rule 9)

    if not (open_word_free(before).endswith(endings) and open_word_free(after).endswith(endings)):
        return False
    first = after[0]
    return first not in NO_LINE_START and not unicodedata.name(first, "").startswith("HIRAGANA")


def _broken_early(previous: _Obj, line: _Obj, limit: float) -> bool:
    needed = _first_word(line)
    return bool(needed and limit - previous["x1"] >= needed + 0.5)


def _inside_run(text: str, previous: _Obj, line: _Obj, limit: float) -> bool:
    """Whether a wrap falls inside a run of Latin letters or digits (（eLT / AX）): the line above
    is full — not even the next line's first character would have fit — and both sides of the
    break are letters or digits. A line wrapped at a space between two words leaves room for
    that character, and joins with a space (:func:`tables.join_wrapped`)."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    piece = collapse_spaces(line["text"])
    if not chars or not (_ALNUM.match(text[-1]) and _ALNUM.match(piece[0])):
        return False
    return bool(limit - previous["x1"] < float(chars[0]["x1"] - chars[0]["x0"]) + 0.5)


def _first_word(line: _Obj) -> float:
    """The width of a line's first word (a run of Latin letters, or one Japanese character with the
    marks that may not open a line after it: 歴、 moves down whole, so a line ending one character
    short before it was wrapped, not broken); 0 for a line of spaces."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    if not chars:
        return 0.0
    first = chars[0]["text"]
    word = [chars[0]]
    if first.isascii():
        for char in chars[1:]:
            if not (char["text"].isascii() and char["text"].strip()):
                break
            word.append(char)
    else:
        for char in chars[1:]:
            if char["text"] not in NO_LINE_START:
                break
            word.append(char)
    return float(word[-1]["x1"] - word[0]["x0"])


def _check_unicode(rows: list[Row], path: str, page: int) -> None:
    for row in rows:
        for cell in row.cells:
            if _CID.search(cell):
                raise InputError(
                    Issue(
                        path,
                        0,
                        row.where,
                        "the PDF's font has no Unicode mapping (text reads as (cid:N)): "
                        "export the PDF again with fonts embedded, or give the text form",
                        cell[:60],
                    )
                )


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", unicodedata.normalize("NFKC", text)).replace(" ", "")


def _drop_headers_and_footers(pages: list[list[_Item]]) -> tuple[list[_Item], list[Skipped]]:
    """The pages' items without their page furniture, and an info for each running line left out.

    Only furniture is left out of a page's bands, never a line of the body that happens to stand
    there (a label or a value at the top of a page, 「－」 at its foot): a page number; a running
    header or footer — a line that repeats in the same band (the top's or the foot's, digits aside)
    on at least half of the pages, and on two at least (one info per such line: what it said and
    where); a document's label (資料３, a date); a page header marked as such in a smaller type
    over the first line under it (:func:`_is_running_head`)."""
    seen: dict[tuple[bool, str], list[_Item]] = {}
    for items in pages:
        for item in items:
            if item.band and isinstance(item.block, TextLine) and not _is_page_number(item.block):
                seen.setdefault((item.head, _key(item.block.text)), []).append(item)
    needed = max(2, -(-sum(1 for items in pages if items) // 2))
    running = {key for key, found in seen.items() if len({i.page for i in found}) >= needed}

    def furniture(item: _Item) -> bool:
        return (
            item.band
            and isinstance(item.block, TextLine)
            and (_is_page_number(item.block) or (item.head, _key(item.block.text)) in running)
        )

    kept: list[_Item] = []
    for items in pages:
        page = [item for item in items if not furniture(item)]
        for index, item in enumerate(page):
            if item.band and isinstance(item.block, TextLine):
                if _is_doc_label(item):
                    kept.append(replace(item, block=_label_left_out(item.block)))
                    continue
                if _is_running_head(item, page[:index], page[index + 1 :]):
                    kept.append(replace(item, block=_running_head_left_out(item.block)))
                    continue
            kept.append(item)
    return kept, [_running_line_left_out(seen[key]) for key in seen if key in running]


def _is_page_number(line: TextLine) -> bool:
    return bool(_page_number().match(unicodedata.normalize("NFKC", line.text).strip()))


def _running_line_left_out(found: list[_Item]) -> Skipped:
    """The info that a line repeated in a band of the pages (a running header or footer) is not read."""
    first = found[0]
    assert isinstance(first.block, TextLine)
    band = "header" if first.head else "footer"
    pages = sorted({i.page for i in found})
    return Skipped(
        f"a line repeated in the {band} band of {len(pages)} pages ({_page_list(pages)}) is the "
        f"pages' running {band}, not the report: not read",
        first.block.where,
        first.block.text,
        "info",
    )


def _page_list(pages: list[int]) -> str:
    """p.1–3, 5 for pages 1, 2, 3 and 5."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return "p." + ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _is_running_head(item: _Item, above: list[_Item], below: list[_Item]) -> bool:
    """Whether a line of the page's header band is the page's running header although it does not
    repeat (a report of one page, a header on one page only): the first line read on its page,
    marked as a header by its words — a document's label or a word such as 公表資料 in brackets at
    its start or end (外部電子計算機結合の状況（公表資料）: data/reference/page-labels.toml
    [running_head]) — and set in a smaller type
    than the first line under it, which stands below the band (the title or a heading). A label
    or a value of the body at the top of a page (a <dt> over its <dd>) is no header: it is read."""
    if any(not isinstance(i.block, Skipped) for i in above):
        return False
    after = next((i for i in below if not isinstance(i.block, Skipped)), None)
    return (
        item.head
        and isinstance(item.block, TextLine)
        and _has_bracketed_label(item.block.text)
        and after is not None
        and isinstance(after.block, TextLine)
        and not after.band
        and 0 < item.size < after.size
    )


def _has_bracketed_label(text: str) -> bool:
    """Whether a line starts or ends with a document's label (【資料３】…) or a word saying what paper
    it is (…（公表資料）: page-labels.toml [running_head] words) in brackets."""
    key = "".join(unicodedata.normalize("NFKC", text).split())
    head = _page_labels()["running_head"]

    def says(inside: str) -> bool:
        return inside in head["words"] or _doc_label().fullmatch(inside) is not None

    for opening, closing in head["brackets"]:
        if (
            key.endswith(closing)
            and opening in key[:-1]
            and says(key[key.rindex(opening, 0, len(key) - 1) + 1 : -1])
        ):
            return True
        if key.startswith(opening) and closing in key[1:] and says(key[1 : key.index(closing, 1)]):
            return True
    return False


def _running_head_left_out(line: TextLine) -> Skipped:
    return Skipped(
        "a line in the page's header band, marked as a header by a document's label in brackets and "
        "in a smaller type than the line under it, is the page's header, not the report's title: not read",
        line.where,
        line.text,
        "info",
    )


def _is_doc_label(item: _Item) -> bool:
    """Whether a line of a page's band is a document's label (資料３, a date) at the page's top."""
    assert isinstance(item.block, TextLine)
    return item.head and _is_label_text(item.block.text)  # at the foot a date is no title: kept


def _drop_leading_labels(items: list[_Item]) -> list[_Item]:
    """A document's label alone on a line before the report's title, wherever it stands on the
    first page (資料３ set under a wide top margin, 【参考】, a date): left out with an info, as in
    the header band. Only before the first other line or table: a label's words later are text."""
    kept = list(items)
    for index, item in enumerate(kept):
        if item.page != kept[0].page:
            break
        if isinstance(item.block, Skipped):
            continue
        if not (isinstance(item.block, TextLine) and _is_label_text(item.block.text)):
            break
        kept[index] = replace(item, block=_label_left_out(item.block, where="before the report's title"))
    return kept


def _is_label_text(text: str) -> bool:
    key = "".join(unicodedata.normalize("NFKC", text).split()).strip(_BRACKETS)
    return bool(_doc_label().fullmatch(key))


def _label_left_out(line: TextLine, where: str = "in the page's header band") -> Skipped:
    return Skipped(
        f"a document's label {where} (資料N, 別紙N, 参考資料, a date) is no part of the "
        "report and not read (it is not the report's title)",
        line.where,
        line.text,
        "info",
    )


def _join_continued_tables(items: list[_Item]) -> list[Block]:
    blocks: list[Block] = []
    said: list[Block] = []  # what joining the pages settled, as findings (after the blocks)
    for index, item in enumerate(items):
        block = item.block
        previous = items[index - 1] if index else None
        continues = (
            isinstance(block, Table)
            and previous is not None
            and isinstance(previous.block, Table)
            and previous.page == item.page - 1
            and _last_on_page(items, index - 1)  # so this table is the first thing on its page
            and block.width == previous.block.width
            and isinstance(blocks[-1], Table)
        )
        if continues and isinstance(block, Table):
            head = blocks[-1]
            assert isinstance(head, Table)
            said.extend(_continue(head, block))
            continue
        blocks.append(Table(list(block.rows), list(block.spans)) if isinstance(block, Table) else block)
    return blocks + said


def _continue(head: Table, block: Table) -> list[Skipped]:
    """``head`` with the rows of ``block``, its continuation on the next page, after it: the header
    rows it repeats dropped, a row broken across the page joined, a cell the break cuts made one
    (each such cell said in an info, returned)."""
    repeated = 0
    while repeated < min(len(block.rows), len(head.rows)) and _repeats_header(block.rows[repeated], head):
        repeated += 1
    rows = block.rows[repeated:]
    spans = [replace(s, row=s.row - repeated) for s in block.spans if s.row >= repeated]
    if not rows:
        return []
    last = len(head.rows) - 1
    broken = _breaks_across(head, rows[0])
    base = last if broken else last + 1  # where the continuation's first row lands
    said = []
    for span in [s for s in spans if s.row == 0 and s.rows > 1]:
        top = _covering(head, last, span.column)
        if span.column < len(rows[0].cells) and not rows[0].cells[span.column].strip() and top is not None:
            spans.remove(span)  # the box continues the cell above the page break
            head.spans[:] = [s for s in head.spans if s != top]
            head.spans.append(replace(top, rows=base + span.rows - top.row))
            said.append(_cut_cell_read(head, top, rows[: span.rows]))
    if not broken:
        said.extend(_merged_continued(head, rows[0], spans, base))
    if broken:
        head.rows[last] = _joined(head.rows[last], rows[0])
        rows = rows[1:]
    head.spans.extend(replace(s, row=s.row + base) for s in spans)
    head.rows.extend(rows)
    return said


def _merged_continued(head: Table, first: Row, spans: list[Span], base: int) -> list[Skipped]:
    """A cell left blank in the first row of a page under its repeated header, beneath a cell drawn
    over several rows that reaches the foot of the page before: that cell's text (a browser draws
    the rest of a cut cell as one box over the rows it still covers — here one row —, its text on
    the page before). Each such cell is said in an info."""
    last = len(head.rows) - 1
    said = []
    for column, text in enumerate(first.cells):
        if text.strip() or any(s.row == 0 and s.column <= column < s.column + s.columns for s in spans):
            continue
        top = next(
            (
                s
                for s in head.spans
                if s.column == column and s.columns == 1 and s.rows > 1 and s.row <= last < s.row + s.rows
            ),
            None,
        )
        if top is None or not head.rows[top.row].cells[column].strip():
            continue
        head.spans[:] = [s for s in head.spans if s != top]
        head.spans.append(replace(top, rows=base + 1 - top.row))
        said.append(_cut_cell_read(head, top, [first]))
    return said


def _cut_cell_read(head: Table, top: Span, rows: list[Row]) -> Skipped:
    """The info that a cell the page break cuts was read as one cell over its rows on both pages."""
    text = head.rows[top.row].cells[top.column].replace("\n", " ")
    return Skipped(
        f"a cell drawn over several rows and cut by the page break read as one cell: its text "
        f"「{text}」 (at {head.rows[top.row].place_of(top.column)}) is also the value of the blank "
        f"cell(s) below it at {', '.join(r.place_of(top.column) for r in rows)}",
        rows[0].where,
        text,
        "info",
    )


def _breaks_across(head: Table, row: Row) -> bool:
    """Whether ``row``, first on a page under the repeated header, is the rest of ``head``'s last
    row: its No. cell is empty, another is filled, and the last row has its No., a number (or a
    No. cell drawn over it) — not the header's "No."."""
    column = number_column(head.rows)
    if (
        column is None
        and head.rows
        and _NUMBER.fullmatch(unicodedata.normalize("NFKC", head.rows[-1].cells[0]))
    ):
        column = 0  # rows drawn as a table of their own, under a header table: No. first, a number
    if column is None or column >= len(row.cells) or row.cells[column].strip():
        return False
    last = len(head.rows) - 1
    top = _covering(head, last, column)
    numbered = top is not None and any(ch.isdigit() for ch in head.rows[top.row].cells[column])
    return numbered and any(c.strip() for c in row.cells)


def _covering(head: Table, row: int, column: int) -> Span | None:
    """The cell whose value stands for (row, column): a span drawn over it, or the cell itself
    when it holds text; None for an empty cell."""
    for span in head.spans:
        if span.column == column and span.row <= row < span.row + span.rows and span.columns == 1:
            return span if head.rows[span.row].cells[column].strip() else None
    cells = head.rows[row].cells
    return Span(row, column, 1, 1) if column < len(cells) and cells[column].strip() else None


def _joined(row: Row, rest: Row) -> Row:
    """A row and its rest on the next page, cell by cell: the rest's first line joins the last
    line above as two lines of one cell do (a line break kept where the line above ended short
    although the next word would have fit there — a break made on purpose —, or where the lines
    are two names or two entries (:func:`_join_cell`); wrapped text joins)."""
    cells, edges = [], []
    width = max(len(row.cells), len(rest.cells))
    for c in range(width):
        text = row.cells[c] if c < len(row.cells) else ""
        more = rest.cells[c] if c < len(rest.cells) else ""
        room, first = row.edges[c] if c < len(row.edges) else (0.0, 0.0)
        after, word = rest.edges[c] if c < len(rest.edges) else (0.0, 0.0)
        if text and more:
            last, next_ = text.rsplit("\n", 1)[-1], more.split("\n", 1)[0]
            typed = (
                (word and room >= word + 0.5)
                or opens_another_party(last, next_)
                or _entries_apart(last, next_)
            )
            cells.append(text + "\n" + more if typed else join_wrapped([text, more]))
        else:
            cells.append(text or more)
        edges.append((after if more else room, first if text else word))
    return Row(tuple(cells), row.where, row.serials, tuple(edges))


def _repeats_header(row: Row, head: Table) -> bool:
    """Whether ``row``, opening a table's continuation, repeats the table's header: each of its cells
    is (a part of) the text of the head's first rows in its column — a repeated header may be cut
    into rows differently, or lose a wrapped line, on the page it is repeated on."""
    if any(row.cells == r.cells for r in head.rows[:_HEADER_ROWS]):
        return True

    def key(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    filled = [(c, key(t)) for c, t in enumerate(row.cells) if t.strip()]
    columns = [
        "".join(key(r.cells[c]) for r in head.rows[:_HEADER_ROWS] if c < len(r.cells))
        for c in range(head.width)
    ]
    return len(filled) >= 2 and all(c < len(columns) and text in columns[c] for c, text in filled)


def _last_on_page(items: list[_Item], index: int) -> bool:
    """Whether items[index] ends its page and items[index + 1] opens the next one."""
    return index + 1 < len(items) and items[index + 1].page != items[index].page
