"""HTML pages → blocks, with lxml.

A municipal page holds the report as ``<table>``s with headings and paragraphs between them;
they are read in document order. ``rowspan``/``colspan`` keep every cell in its column; the
spanned positions are left empty (the value stays in the first row and column, as in a merged
Excel cell — see :mod:`ketsugo.read.sources.xlsx` for why). ``<br>`` and block elements inside a
cell are line breaks, joined like a wrapped PDF cell. A table that holds other tables is a
layout table: its cells are read as page content. Scripts, styles and navigation are skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from ketsugo.errors import InputError
from ketsugo.read.sources.tables import Block, Row, Table, TextLine, collapse_spaces, join_wrapped
from ketsugo.read.textio import decode

if TYPE_CHECKING:  # lxml is imported only when an HTML page is read
    from lxml.etree import _Element

_SKIP = {"script", "style", "noscript", "template", "head", "nav", "button", "select", "iframe", "svg"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br",
}  # fmt: skip
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
    reader = _Reader()
    body = root.find("body")
    reader.walk(body if body is not None else root)
    return reader.blocks


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables = 0
        self.lines = 0

    def line(self, text: str, tag: str) -> None:
        text = join_wrapped(collapse_spaces(t) for t in text.split("\n"))
        if text:
            self.lines += 1
            self.blocks.append(TextLine(text, f"<{tag}> {self.lines}"))

    def walk(self, element: _Element) -> None:
        tag = _tag(element)
        if tag in _SKIP:
            return
        if tag == "table" and not element.xpath(".//table"):
            self.table(element)
            return
        if not any(_tag(d) in _BLOCKS for d in element.iterdescendants()):
            self.line(_text(element), tag)
            return
        if element.text and element.text.strip():
            self.line(element.text, tag)
        for child in element:
            if isinstance(child.tag, str):
                self.walk(child)
            if child.tail and child.tail.strip():
                self.line(child.tail, tag)

    def table(self, element: _Element) -> None:
        self.tables += 1
        grid: dict[tuple[int, int], str] = {}
        rows = _select(element, "./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        for r, tr in enumerate(rows):
            c = 0
            for cell in _select(tr, "./td|./th"):
                while (r, c) in grid:
                    c += 1
                span_r, span_c = _span(cell.get("rowspan")), _span(cell.get("colspan"))
                for dr in range(span_r):
                    for dc in range(span_c):
                        grid[(r + dr, c + dc)] = ""
                grid[(r, c)] = join_wrapped(collapse_spaces(t) for t in _text(cell).split("\n"))
                c += span_c
        width = max((c for _, c in grid), default=-1) + 1
        table = Table(
            [
                Row(tuple(grid.get((r, c), "") for c in range(width)), f"table {self.tables} row {r + 1}")
                for r in range(len(rows))
            ]
        )
        caption = element.find("caption")
        if caption is not None:
            self.line(_text(caption), "caption")
        self.blocks.append(table)


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


def _text(element: _Element) -> str:
    """Text of an element with <br> and block children as line breaks."""
    parts: list[str] = []

    def visit(node: _Element) -> None:
        tag = _tag(node)
        if tag in _SKIP:
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
