"""HTML pages → blocks, with lxml.

A municipal page holds the report as ``<table>``s with headings and paragraphs between them;
they are read in document order. When the page marks its content (one ``<main>`` or
``role="main"``), only that is read; navigation, the site's footer (``<nav>``, ``<footer>``,
roles navigation/banner/contentinfo/search), scripts and styles are site chrome and skipped.
Inside the content too, the site's page furniture is not read: an element whose id or class names
it (footer, breadcrumb, pagetop …: data/reference/sources.toml [html]) unless it holds a table or
the <h1>, ``<nav>``/``<footer>`` (not an ``<article>``'s own footer: its notes) and those roles, and the page's contact block (a short heading
naming お問い合わせ or 担当, and what follows it in its parent up to a heading of its level) — one
info holds their text. A ``<caption>`` is read as a line before its table: the table's title.
``rowspan``/``colspan`` keep every cell in its column and are given to
:func:`ketsugo.read.sources.tables.resolved_rows` as spans (a rowspan in the data rows repeats
the value in each row; a two-row header with grouped columns becomes one header row).
``<br>`` and block elements inside a cell are line breaks typed in it (see
:mod:`ketsugo.read.sources.tables` for how they read). A ``<dl>`` is one block of lines, each
``<dt>`` and each line of each ``<dd>`` a line (a connection's card when its labels name fields:
:mod:`ketsugo.read.cards`). A table that holds other tables is a
layout table: its cells are read as page content. ``&nbsp;`` is a space. A page with no table at
all (its connections as ``<dl>`` blocks, its counts in sentences) is read as its text, as its
select-all copy is, when that text says a report (:func:`holds_report_text`); a page that says
none (準備中, a moved page) is refused, naming the file.

A page that marks no ``<main>`` (older sites, pages written by hand) starts its content at its
first ``<h1>``, the page's title: what comes before it is the site's banner (a layout table with
the logo and 文字サイズ buttons, menus, a breadcrumb in a ``<div>``) and is not read as the report
— else its first line would be taken for the report's title and its fiscal year looked for there.
It is reported as an info finding with what it held; its tables still count in the "table N" of
every place named (a person counting the page's tables counts them).

What the markup hides (``style="display:none"``, ``visibility:hidden``, Office's ``mso-hide:all``,
the ``hidden`` attribute) is not shown by a browser and is not read, as Excel's hidden rows and
columns are not (:mod:`ketsugo.read.sources.xlsx`): a sheet saved from Excel as a web page writes
its hidden rows and each cell of its hidden columns so. A cell hidden by display:none, the hidden
attribute or mso-hide:all takes no place in its row (the cells after it move left, as a browser lays
them out); such a row none in its table, though "row N" still counts it (its place among the table's
rows). ``visibility:hidden`` keeps the place: a browser draws an empty box, so such a cell reads as
an empty cell (the cells after it stay in their columns); a row hidden either way is left out (a
row of empty boxes holds nothing to read). One warning per page says what was
hidden and holds its text. Hiding by a class in a style sheet is not seen (style sheets are not
read). A table's rows are read in the order a browser shows them: its <thead>, its rows, its
<tfoot> (written before the rows in HTML 4 style: a total row read before the rows it sums).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, cast

from ketsugo.errors import InputError, Issue
from ketsugo.paths import reference_toml
from ketsugo.read.captions import names_a_table
from ketsugo.read.sources.tables import (
    Block,
    Row,
    Skipped,
    Span,
    Table,
    TextLine,
    cell_lines,
    collapse_spaces,
    join_wrapped,
)
from ketsugo.read.textio import decode

if TYPE_CHECKING:  # lxml is imported only when an HTML page is read
    from lxml.etree import _Element

# Site chrome and what is no text of the page; also ruby readings (<rt>, <rp>: the furigana a page
# writes over 総務課 is a reading aid, not part of the name).
_SKIP = {
    "script", "style", "noscript", "template", "head", "nav", "button", "select", "iframe", "svg", "footer",
    "rt", "rp",
}  # fmt: skip
# Cells of one page's tables, their spans counted: a report's pages hold thousands; more is no report.
MAX_TABLE_CELLS = 2_000_000
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br",
}  # fmt: skip
# Site chrome around the content: navigation, the site's banner and footer (contact, copyright).
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
# Hiding that takes the element's place away (the cells after a hidden cell move left) …
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.I)
# … and hiding that keeps it: a browser draws an empty box where the element would be.
_INVISIBLE_STYLE = re.compile(r"visibility\s*:\s*(?:hidden|collapse)", re.I)
_WINDOWS_CHARSETS = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def read_html(data: bytes, path: str) -> list[Block]:
    import lxml.html

    declared = _CHARSET.search(data[:4096])
    charset = declared.group(1).decode("ascii").lower() if declared else None
    # Pages that declare Shift_JIS are written by Windows tools in CP932 (①, ㈱, NEC row 13).
    charset = _WINDOWS_CHARSETS.get(charset, charset) if charset else None
    try:  # a page's source may be written on one line: no report's line limit
        text = decode(data, path, charset, report_lines=False).text
    except InputError:
        text = decode(data, path, report_lines=False).text  # a wrong declaration: detect instead
    root = lxml.html.document_fromstring(text)
    main = _select(root, "//main|//*[@role='main']")
    body = root.find("body")
    top = main[0] if len(main) == 1 else body if body is not None else root
    reader = _Reader(path, None if len(main) == 1 else _first_h1(top))
    reader.walk(top)
    if reader.furniture:
        reader.blocks.insert(0, reader.furniture_finding())
    if reader.banner:
        reader.blocks.insert(0, reader.banner_finding())
    if reader.hidden:
        reader.blocks.insert(0, reader.hidden_finding())
    return reader.blocks


def _is_hidden(element: _Element) -> bool:
    """Whether the markup hides ``element`` (a browser does not show it)."""
    return _takes_no_place(element) or _is_invisible(element)


def _takes_no_place(element: _Element) -> bool:
    """Whether ``element`` is hidden and its place taken away (display:none, hidden, mso-hide:all)."""
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _is_invisible(element: _Element) -> bool:
    """Whether ``element`` is hidden but keeps its place (visibility:hidden: an empty box is drawn,
    so a hidden cell keeps the cells after it in their columns)."""
    return bool(_INVISIBLE_STYLE.search(element.get("style") or ""))


def _first_h1(top: _Element) -> _Element | None:
    """The page's first <h1> outside site chrome, where its content starts when no <main> says so."""
    for element in top.iter("h1"):
        if not any(
            _tag(a) in _SKIP or (a.get("role") or "").lower() in _CHROME_ROLES
            for a in element.iterancestors()
        ):
            return element
    return None


class _Reader:
    def __init__(self, path: str, start: _Element | None = None) -> None:
        self.path = path
        self.cells = 0
        self.blocks: list[Block] = []
        self.tables = 0
        self.lines = 0
        self.start = start  # the element content starts at (the page's <h1>); None: from the top
        self.banner: list[str] = []  # the text before it, not read
        self.banner_tables = 0
        self.hidden: list[tuple[str, str]] = []  # (what, its text) of each hidden element with text
        self.furniture: list[str] = []  # the text of each piece of site furniture skipped
        self.contact: _Element | None = None  # the parent of the contact block's heading, inside it
        self.contact_level = 0  # the level of that heading

    def skip_furniture(self, element: _Element) -> None:
        """Keep the text of site furniture (a footer, a breadcrumb, the contact block) for the info."""
        text = " ".join(t for t in (collapse_spaces(str(t)) for t in element.itertext()) if t)
        if text:
            self.furniture.append(text)

    def furniture_finding(self) -> Skipped:
        return Skipped(
            f"the site's page furniture not read as the report ({len(self.furniture)} piece(s): "
            "navigation, breadcrumb, the page's contact "
            "block, page-top link, footer — <nav>, <footer>, their roles, or ids and classes named so, "
            "data/reference/sources.toml [html])",
            "site furniture",
            _clipped(" / ".join(self.furniture)),
            "info",
        )

    def hide(self, element: _Element) -> None:
        """Keep a hidden element's text for the finding (an empty one is nothing to say)."""
        text = " ".join(t for t in (collapse_spaces(str(t)) for t in element.itertext()) if t)  # all of it
        if text:
            tag = _tag(element)
            self.hidden.append(
                ("table row" if tag == "tr" else "cell" if tag in ("td", "th") else "element", text)
            )

    def hidden_finding(self) -> Skipped:
        counts: dict[str, int] = {}
        for what, _ in self.hidden:
            counts[what] = counts.get(what, 0) + 1
        said = ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for what, n in counts.items())
        held = " / ".join(text for _, text in self.hidden)
        return Skipped(
            f"hidden by the page's markup (display:none, visibility:hidden, the hidden attribute) and not "
            f"read: {said} "
            "(a browser does not show them; remove the hiding if they are part of the report)",
            "display:none",
            _clipped(held),
        )

    def before_start(self, element: _Element) -> bool:
        """Whether ``element`` lies wholly before the start; if so its text is kept as banner."""
        if self.start is None or element is self.start:
            self.start = None
            return False
        if any(a is element for a in self.start.iterancestors()):
            return False  # holds the start: its children decide
        self.skip_banner(_text(element))
        leaves = [t for t in element.iter("table") if not t.xpath(".//table")]
        self.tables += len(leaves)  # still counted: "table N" counts the page's tables
        self.banner_tables += len(leaves)
        return True

    def skip_banner(self, text: str) -> None:
        shown = " ".join(t for t in (collapse_spaces(t) for t in text.split("\n")) if t)  # cells apart
        if shown:
            self.banner.append(shown)

    def banner_finding(self) -> Skipped:
        held = " / ".join(self.banner)
        tables = f"{self.banner_tables} table{'s' if self.banner_tables != 1 else ''}"
        return Skipped(
            f"page content before the page's <h1> not read as the report ({tables}, "
            f"{len(self.banner)} piece{'s' if len(self.banner) != 1 else ''} of text): the page marks no "
            "<main>, and what precedes its title is the site's banner, menus and breadcrumb",
            "before <h1>",
            _clipped(held),
            "info",
        )

    def line(self, text: str, tag: str, follows: bool = False) -> None:
        """A text line; ``follows``: right after a <br> that ended the line before it in the same
        element (a card's 項目：内容 lines in one <p>): the two stay together in the text form."""
        text = join_wrapped(collapse_spaces(t) for t in text.split("\n"))
        if text:
            self.lines += 1
            self.blocks.append(TextLine(text, f"<{tag}> {self.lines}", follows))

    def walk(self, element: _Element) -> None:
        tag = _tag(element)
        chrome = (element.get("role") or "").lower() in _CHROME_ROLES
        if self.start is None and (_is_furniture_tag(element) or chrome or _is_furniture(element)):
            self.skip_furniture(element)  # (before the <h1> it is said with the banner)
            return
        if (tag in _SKIP and not _is_article_footer(element)) or chrome:
            return
        if self.in_contact(element):
            self.skip_furniture(element)
            return
        if _is_hidden(element):
            self.hide(element)
            return
        if self.start is not None and self.before_start(element):
            return
        if tag == "table" and not element.xpath(".//table"):
            self.start = None  # a table holding the <h1> (a title in a layout cell): content from here
            self.table(element)
            return
        if tag == "dl" and self.start is None and not element.xpath(".//table|.//dl"):
            self.definition_list(element)
            return
        if not any(_tag(d) in _BLOCKS for d in element.iterdescendants()):
            self.line(_text(element, self), tag)
            return
        if element.text and element.text.strip():
            if self.start is None:
                self.line(element.text, tag)
            else:
                self.skip_banner(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self.walk(child)
            if child.tail and child.tail.strip():
                if self.contact is not None:
                    self.furniture.append(collapse_spaces(child.tail))
                elif self.start is None:
                    self.line(child.tail, tag, follows=_tag(child) == "br")
                else:
                    self.skip_banner(child.tail)
        if element is self.contact:
            self.contact, self.contact_level = None, 0  # the contact block ends with its parent

    def definition_list(self, element: _Element) -> None:
        """A <dl> as one block of lines: each <dt> (a label) and each line of each <dd> (its value;
        a <br> or a block inside it starts a line) on a line of its own, the lines together, as a
        browser's copy of the page gives them — a connection's card when the labels name its fields
        (:mod:`ketsugo.read.cards`). Inline markup inside a <dd> (<span>, <a>) splits no line."""
        follows = False
        for node in _select(element, ".//dt|.//dd"):
            if any(_is_hidden(a) for a in node.iterancestors() if a is not element) or _is_hidden(node):
                self.hide(node)
                continue
            for text in cell_lines(_text(node, self)).split("\n"):
                if text:
                    self.line(text, _tag(node), follows)
                    follows = True

    def in_contact(self, element: _Element) -> bool:
        """Whether ``element`` is (in) the page's contact block: a short heading naming お問い合わせ
        or 担当 after the <h1>, and what follows it in its parent up to a heading of its level."""
        level = _heading_level(element)
        if self.contact is not None and level and level <= self.contact_level:
            self.contact, self.contact_level = None, 0  # a heading of its level or above ends it
        if self.contact is None and self.start is None and level > 1 and _opens_contact(element):
            self.contact, self.contact_level = element.getparent(), level
        return self.contact is not None

    def table(self, element: _Element) -> None:
        self.tables += 1
        grid: dict[tuple[int, int], str] = {}
        spans: list[Span] = []
        # in the order a browser shows them: a <tfoot> written before the <tbody> (as HTML 4 had
        # it) is shown, and read, after it
        every = [
            *_select(element, "./thead/tr"),
            *_select(element, "./tr|./tbody/tr"),
            *_select(element, "./tfoot/tr"),
        ]
        # (its number among the table's rows, the row) of each row shown
        # (a row hidden either way is left out: a row of empty boxes holds nothing to read)
        rows = [(number, tr) for number, tr in enumerate(every, start=1) if not _is_hidden(tr)]
        r = -1
        for tr in every:
            if _is_hidden(tr):  # said in the page's order, with the hidden cells
                self.hide(tr)
                continue
            r += 1
            c = 0
            for cell in _select(tr, "./td|./th"):
                if _takes_no_place(cell):  # takes no place: the cells after it move left
                    self.hide(cell)
                    continue
                invisible = _is_invisible(cell)
                if invisible:  # keeps its place (an empty box): the cells after it stay in their columns
                    self.hide(cell)
                while (r, c) in grid:
                    c += 1
                span_r, span_c = _span(cell.get("rowspan")), _span(cell.get("colspan"))
                span_r = min(span_r, len(rows) - r)  # a rowspan past the table's last row ends there
                self.cells += span_r * span_c
                if self.cells > MAX_TABLE_CELLS:
                    raise InputError(
                        Issue(
                            self.path,
                            0,
                            f"table {self.tables} row {rows[r][0]}",
                            f"the page's tables span over {MAX_TABLE_CELLS:,} cells (rowspan/colspan "
                            "counted): not read (no report's page, or a broken one)",
                        )
                    )
                for dr in range(span_r):
                    for dc in range(span_c):
                        grid[(r + dr, c + dc)] = ""
                grid[(r, c)] = "" if invisible else cell_lines(_text(cell, self))
                if span_r > 1 or span_c > 1:
                    spans.append(Span(r, c, span_r, span_c))
                c += span_c
        width = max((c for _, c in grid), default=-1) + 1
        table = Table(
            [
                Row(tuple(grid.get((r, c), "") for c in range(width)), f"table {self.tables} row {number}")
                for r, (number, _) in enumerate(rows)
            ],
            spans,
        )
        caption = element.find("caption")
        if caption is not None:
            self.line(_text(caption, self), "caption")
        self.blocks.append(table)


_FURNITURE_TAGS = {"nav", "footer"}


def _is_furniture_tag(element: _Element) -> bool:
    """A <nav>, or a <footer> of the page (not of an article: :func:`_is_article_footer`)."""
    return _tag(element) in _FURNITURE_TAGS and not _is_article_footer(element)


def _is_article_footer(element: _Element) -> bool:
    """A <footer> inside an <article> is that article's (HTML's sectioning: its notes,
    ※1 …, its date), the report's own text — not the site's footer (a <section> may wrap a page)."""
    return _tag(element) == "footer" and bool(element.xpath("ancestor::article"))


@cache
def _furniture_words() -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """data/reference/sources.toml [html]: furniture names, contact headings, their length limit."""
    spec = reference_toml("sources.toml").get("html", {})
    return (
        tuple(spec.get("furniture_names", ())),
        tuple(spec.get("contact_headings", ())),
        int(spec.get("contact_heading_length", 0)),
    )


def _is_furniture(element: _Element) -> bool:
    """Whether the element's id or class names site furniture (id="footer", class="breadcrumb",
    pagetop) — unless it holds a table or the page's <h1> (a page wrapped whole in such a box)."""
    names = re.sub(r"[^a-z]", "", f"{element.get('id') or ''} {element.get('class') or ''}".lower())
    if not names or not any(word in names for word in _furniture_words()[0]):
        return False
    return not element.xpath(".//table|.//h1")


def _heading_level(element: _Element) -> int:
    tag = _tag(element)
    return int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" else 0


def _opens_contact(element: _Element) -> bool:
    """A short heading naming the page's contact (このページに関するお問い合わせ, 担当課) — not a
    table's title that names a department (担当課別の結合一覧: captions' title words), whose table
    is the report's."""
    _, words, limit = _furniture_words()
    text = "".join(_text(element).split())
    return 0 < len(text) <= limit and any(word in text for word in words) and not names_a_table(text)


def _select(element: _Element, path: str) -> list[_Element]:
    """The elements an XPath selects (lxml types xpath() as any XPath result; these paths
    select only elements)."""
    return cast("list[_Element]", element.xpath(path))


def _tag(element: _Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _text(element: _Element, reader: _Reader | None = None) -> str:
    """Text of an element with <br> and block children as line breaks; a hidden descendant left
    out (and kept by ``reader`` for its finding)."""
    parts: list[str] = []

    def visit(node: _Element) -> None:
        tag = _tag(node)
        if tag in _SKIP:
            return
        if node is not element and _is_hidden(node):
            if reader is not None:
                reader.hide(node)
            return
        if tag == "br" or tag in _BLOCKS:
            parts.append("\n")
        if node.text and tag != "br":
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n")

    visit(element)
    return "".join(parts)


def _clipped(text: str, limit: int = 200) -> str:
    """What a finding holds of text left unread: the whole, or its start and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def holds_report_text(blocks: list[Block]) -> bool:
    """Whether a page without a ``<table>`` says the report in text, to be read as a text report
    is: a line naming a connection's field as its label (a ``<dt>``, a 項目：内容 line: headers.toml
    [connection]; not the site's 電話番号：…), a statement that a section is empty (該当なし), or a
    sentence of counts or a connection as headers.toml [summary_prose] / [prose_connections] word
    them. A page with none of these (準備中, a moved page) is no report: refused by its reader."""
    from ketsugo.read.cards import is_page_furniture
    from ketsugo.read.headers import headers, is_statement, match_field
    from ketsugo.read.normalize import normalize

    spec = headers()
    data = reference_toml("headers.toml")
    counts = [re.compile(p) for p in data.get("summary_prose", {}).get("patterns", ())]
    lines = [re.compile(p) for p in data.get("prose_connections", {}).get("lines", ())]
    for block in blocks:
        if not isinstance(block, TextLine) or is_page_furniture(block.text):
            continue
        text = block.text.strip()
        label = re.split(r"[：:]", text, maxsplit=1)[0].strip()
        if match_field(label, spec.connection) is not None or is_statement(text, spec):
            return True
        if any(p.match(text) for p in lines):
            return True
        if any(p.search(s.strip()) for p in counts for s in normalize(text).split("。")):
            return True
    return False
