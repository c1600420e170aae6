"""Published forms of a text-form report, written with real writers (reportlab, openpyxl, HTML).

The text form is read into blocks by its own layout (lines holding tabs are table rows, other
lines are text, blank lines separate blocks) — independently of ketsugo.read.sources — and each
writer lays the blocks out the way municipalities do: ruled tables with wrapped cells broken
over pages, header/footer and page numbers (PDF); merged cells and line breaks in cells, the
summary table away from column A, several sheets (Excel); headings, rowspan and <br> (HTML).
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_JA = re.compile(r"[^\x00-\x7f]")


@dataclass
class Block:
    lines: list[str]  # one line of text, or the rows of a table (tab-separated)

    @property
    def is_table(self) -> bool:
        return "\t" in self.lines[0]

    @property
    def rows(self) -> list[list[str]]:
        width = max(len(line.split("\t")) for line in self.lines)
        return [(line.split("\t") + [""] * width)[:width] for line in self.lines]


def blocks_of(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    for line in [*text.splitlines(), ""]:
        if not line.strip() or (current and ("\t" in line) != ("\t" in current[0])):
            if current:
                blocks.append(Block(current))
            current = [line] if line.strip() else []
        else:
            current.append(line)
    return blocks


def broken(text: str, every: int = 18) -> str:
    """``text`` with a line break every ``every`` characters, placed only between two Japanese
    characters (joined back without a space) or at a space between two ASCII ones (joined
    back with one) — the two ways a cell's lines join."""
    out, since = [], 0
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev = text[i - 1] if i else ""
        if since >= every and ch == " " and prev.isascii() and nxt.isascii() and prev.strip() and nxt.strip():
            out.append("\n")
            since = 0
            continue
        out.append(ch)
        since += 1
        if since >= every and _JA.match(ch) and _JA.match(nxt) and ch not in "（(【" and nxt not in "）)】":
            out.append("\n")
            since = 0
    return "".join(out)


def _summary(block: Block) -> bool:
    return len(block.lines) > 1 and block.lines[1].startswith("\t")


# --- PDF -----------------------------------------------------------------------------------


def _write_pdf(text: str, out: Path, *, font: str = "HeiseiKakuGo-W5", ttf: Path | None = None) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if ttf is not None:
        font = "JapaneseTTF"
        pdfmetrics.registerFont(TTFont(font, str(ttf)))
    else:
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=6.5, leading=8, wordWrap="CJK")
    width, height = landscape(A4)

    def page_marks(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(40, height - 22, "外部電子計算機結合の状況（公表資料）")
        canvas.drawCentredString(width / 2, 16, f"- {doc.page} -")
        canvas.restoreState()

    story = []
    for index, block in enumerate(blocks_of(text)):
        if not block.is_table:
            story += [Paragraph(html.escape(block.lines[0]), body), Spacer(0, 6)]
            continue
        rows = block.rows
        n = len(rows[0])
        widths = [(width - 80) / n] * n if _summary(block) else _connection_widths(n, width - 80)
        data = [[Paragraph(html.escape(c), cell) for c in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=0 if _summary(block) else index % 2)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(0, 8)]
    doc = SimpleDocTemplate(
        str(out), pagesize=(width, height), leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=36
    )
    doc.build(story, onFirstPage=page_marks, onLaterPages=page_marks)
    return out


def _connection_widths(n: int, total: float) -> list[float]:
    weights = [0.5, 1.8, 1.6, 2.0, 1.6, 3.0, 0.6, 1.1, 2.0, 0.9][:n] + [1.0] * max(0, n - 10)
    scale = total / sum(weights)
    return [w * scale for w in weights]


# --- Excel ---------------------------------------------------------------------------------


def _write_xlsx(text: str, out: Path) -> Path:
    """Section (1) on a first sheet starting at column B; sections (2) and (3) on a second."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    first = book.active
    first.title = "結合件数"
    second = book.create_sheet("内訳")
    sheet, row = first, 2
    for block in blocks_of(text):
        if not block.is_table and block.lines[0].startswith("(2)"):
            sheet, row = second, 1
        left = 2 if sheet is first else 1
        if not block.is_table:
            sheet.cell(row, left, block.lines[0])
            sheet.merge_cells(start_row=row, start_column=left, end_row=row, end_column=left + 6)
            row += 2
            continue
        rows = block.rows
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if not value:
                    continue
                written: object = int(value) if value.isdigit() else value
                if isinstance(written, str) and len(value) > 25:
                    written = broken(value)
                target = sheet.cell(row + r, left + c, written)
                if isinstance(written, str) and "\n" in written:
                    target.alignment = Alignment(wrap_text=True)
        if _summary(block):  # the first header cell spans the header and the letter row
            sheet.merge_cells(start_row=row, start_column=left, end_row=row + 1, end_column=left)
        row += len(rows) + 1
    book.save(out)
    return out


# --- HTML ----------------------------------------------------------------------------------


def _write_html(text: str, out: Path, *, encoding: str = "shift_jis") -> Path:
    parts = [
        f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="{encoding}"><title>外部結合</title>',
        "<style>td{border:1px solid}</style><script>var x = '<table>';</script></head><body>",
        "<nav><ul><li>トップ</li><li>くらし</li></ul></nav><main>",
    ]
    for block in blocks_of(text):
        if not block.is_table:
            line = block.lines[0]
            tag = "h2" if re.match(r"^\s*[（(]\d", line) else "h1" if line[0].isdigit() else "p"
            parts.append(f"<{tag}>{html.escape(line)}</{tag}>")
            continue
        parts.append('<table border="1">')
        rows = block.rows
        for r, values in enumerate(rows):
            cells = []
            for c, value in enumerate(values):
                if _summary(block) and r == 1 and c == 0:
                    continue  # covered by the rowspan above
                tag = "th" if r == 0 or (_summary(block) and r == 1) else "td"
                span = ' rowspan="2"' if _summary(block) and r == 0 and c == 0 else ""
                shown = html.escape(broken(value) if len(value) > 25 else value).replace("\n", "<br>\n")
                cells.append(f"<{tag}{span}>{shown}</{tag}>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</main></body></html>\n")
    out.write_bytes("\n".join(parts).encode("cp932" if encoding == "shift_jis" else encoding))
    return out


# --- each form written once per test process: the writers are deterministic in what a reader sees,
# and several modules ask for the bundled report's forms; a test gets its own copy of the file.


@functools.cache
def _written(writer: Any, text: str, suffix: str, options: tuple[tuple[str, Any], ...]) -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="ketsugo-source-"))
    try:
        return writer(text, folder / f"report{suffix}", **dict(options)).read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_pdf(text: str, out: Path, *, font: str = "HeiseiKakuGo-W5", ttf: Path | None = None) -> Path:
    """``text`` laid out as a published PDF (see :func:`_write_pdf`), written to ``out``."""
    out.write_bytes(_written(_write_pdf, text, ".pdf", (("font", font), ("ttf", ttf))))
    return out


def write_xlsx(text: str, out: Path) -> Path:
    """``text`` laid out as a published workbook (see :func:`_write_xlsx`), written to ``out``."""
    out.write_bytes(_written(_write_xlsx, text, ".xlsx", ()))
    return out


def write_html(text: str, out: Path, *, encoding: str = "shift_jis") -> Path:
    """``text`` as a published web page (see :func:`_write_html`), written to ``out``."""
    out.write_bytes(_written(_write_html, text, ".html", (("encoding", encoding),)))
    return out
