"""Published forms of a text-form report, written with real writers (reportlab, openpyxl, HTML).

The text form is read into blocks by its own layout — independently of ketsugo.read.sources —
and each writer lays the blocks out the way municipalities do: ruled tables with wrapped cells
broken over pages, header/footer and page numbers (PDF); merged cells and line breaks in cells,
the summary table away from column A, several sheets (Excel); headings, rowspan and <br> (HTML).

How the text is read (the shapes of tests/cases/variants): lines holding tabs are table rows,
other lines are text, blank lines separate blocks. A cell in double quotes runs over the lines
up to its closing quote (a cell with line breaks as Excel copies it); a row with fewer cells
than its table's header that the next row completes is one row wrapped over two lines (a cell
broken where the copy broke it); a text line between two rows is a heading inside the table
(【村長】), published as one cell spanning the table's width. Every line of a text block is
published (cards of 項目：内容 lines, notes, a contact block).
"""

from __future__ import annotations

import csv
import functools
import html
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_JA = re.compile(r"[^\x00-\x7f]")


@dataclass
class Block:
    lines: list[str] = field(default_factory=list)  # a text block: its lines, one paragraph each
    rows: list[list[str]] = field(default_factory=list)  # a table: its cells (a heading inside: one cell)

    @property
    def is_table(self) -> bool:
        return bool(self.rows)

    @property
    def width(self) -> int:
        return max(len(row) for row in self.rows)

    def heading(self, row: list[str]) -> bool:
        """A heading line inside the table (one cell where the table has several)."""
        return len(row) == 1 and self.width > 1


def _cells(lines: list[str], start: int) -> tuple[list[str], int]:
    """The cells of the row at ``lines[start]`` and the index after it: a cell in double quotes
    takes the following lines up to its closing quote (csv's reading of Excel's copy)."""
    end = start + 1
    while True:
        try:
            rows = list(csv.reader(["\n".join(lines[start:end])], delimiter="\t", strict=True))
        except csv.Error:
            if end >= len(lines):
                return lines[start].split("\t"), start + 1  # an unclosed quote: as written
            end += 1
            continue
        return rows[0] if rows else [""], end


def _records(text: str) -> list[list[str] | str | None]:
    """Each row (its cells), text line (a str) or blank line (None) of the text, in order."""
    lines = text.splitlines()
    out: list[list[str] | str | None] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            cells, i = _cells(lines, i)
            out.append(cells)
            continue
        out.append(line if line.strip() else None)
        i += 1
    return out


def blocks_of(text: str) -> list[Block]:
    records = [*_records(text), None]
    blocks: list[Block] = []
    table: list[list[str]] = []
    for index, record in enumerate(records):
        if isinstance(record, list):
            width = len(table[0]) if table else len(record)
            last = table[-1] if len(table) > 1 else None
            if last is not None and 1 < len(last) < width and len(last) + len(record) - 1 <= width:
                last[-1] += "\n" + record[0]  # a row wrapped over two lines: the cell broken there
                last += record[1:]
            else:
                table.append(record)
            continue
        following = records[index + 1] if index + 1 < len(records) else None
        if isinstance(record, str) and table and isinstance(following, list):
            table.append([record])  # a heading line inside the table
            continue
        if table:
            width = len(table[0])
            blocks.append(
                Block(rows=[row if len(row) == 1 else (row + [""] * (width - len(row))) for row in table])
            )
            table = []
        if isinstance(record, str):
            if blocks and not blocks[-1].is_table and records[index - 1] is not None:
                blocks[-1].lines.append(record)
            else:
                blocks.append(Block(lines=[record]))
    return blocks


def broken(text: str, every: int = 18) -> str:
    """``text`` with line breaks typed where a person breaks a long cell (Alt+Enter, <br>), once a
    line holds ``every`` characters: after 、 or 。, or in place of a space between two Latin
    words or before a list marker (①, 【, *). Each joins back as written (ketsugo.read.sources.tables):
    nothing after a separator, a space between Latin words and before a marker. A cell that has
    line breaks of its own keeps them as they are."""
    if "\n" in text:
        return text
    out, since = [], 0
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev = text[i - 1] if i else ""
        latin = prev.isascii() and nxt.isascii() and prev.strip() and nxt.strip()
        if since >= every and ch == " " and nxt and (latin or re.match(r"[①-⑳【*＊]", nxt)):
            out.append("\n")
            since = 0
            continue
        out.append(ch)
        since += 1
        if since >= every and ch in "、。" and nxt and nxt not in "）)」】":
            out.append("\n")
            since = 0
    return "".join(out)


def _summary(block: Block) -> bool:
    """A header over two rows: the first cell of the second row empty (a letter row under the
    summary's header, sub-headers under a group of columns)."""
    return len(block.rows) > 1 and block.rows[1][0] == "" and any(block.rows[1])


def _header_spans(block: Block) -> list[tuple[int, int, int, int]]:
    """The merged cells of a header over two rows, as a municipality merges them: (row, column,
    rows, columns). A header cell with nothing under it spans both rows; one with sub-headers
    under it and under the empty cells on its right spans those columns (結合の相手方 over 名称 /
    所在地)."""
    if not _summary(block):
        return []
    top, below = block.rows[0], block.rows[1]
    spans = []
    for c, text in enumerate(top):
        if not text:
            continue
        if not below[c]:
            spans.append((0, c, 2, 1))
            continue
        end = c + 1
        while end < len(top) and not top[end] and below[end]:
            end += 1
        if end > c + 1:
            spans.append((0, c, 1, end - c))
    return spans


def _covered(block: Block) -> set[tuple[int, int]]:
    """The cells a merged header cell covers (not its own)."""
    return {
        (r + dr, c + dc)
        for r, c, rows, columns in _header_spans(block)
        for dr in range(rows)
        for dc in range(columns)
        if dr or dc
    }


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

    def shown(value: str) -> str:
        return html.escape(value).replace("\n", "<br/>")

    story = []
    for index, block in enumerate(blocks_of(text)):
        if not block.is_table:
            story += [Paragraph(shown(line), body) for line in block.lines] + [Spacer(0, 6)]
            continue
        rows = block.rows
        n = block.width
        widths = [(width - 80) / n] * n if _summary(block) else _content_widths(block, width - 80)
        data = [[Paragraph(shown(c), cell) for c in (row + [""] * (n - len(row)))] for row in rows]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        style += [("SPAN", (0, r), (-1, r)) for r, row in enumerate(rows) if block.heading(row)]
        style += [("SPAN", (c, r), (c + w - 1, r + h - 1)) for r, c, h, w in _header_spans(block)]
        table = Table(data, colWidths=widths, repeatRows=0 if _summary(block) else index % 2)
        table.setStyle(TableStyle(style))
        story += [table, Spacer(0, 8)]
    doc = SimpleDocTemplate(
        str(out), pagesize=(width, height), leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=36
    )
    doc.build(story, onFirstPage=page_marks, onLaterPages=page_marks)
    return out


def _content_widths(block: Block, total: float) -> list[float]:
    """Columns as wide as what they hold, as a person sizes them: by the longer lines of the
    column's cells (three quarters of them fit on one line), between 4 and 16 characters."""
    weights = []
    for c in range(block.width):
        lengths = sorted(
            max(len(line) for line in row[c].split("\n")) for row in block.rows[1:] if len(row) > c
        ) or [2]
        weights.append(min(16, max(4, lengths[(3 * len(lengths)) // 4 - (len(lengths) % 4 == 0)])))
    scale = total / sum(weights)
    return [w * scale for w in weights]


# --- Excel ---------------------------------------------------------------------------------


def _write_xlsx(text: str, out: Path) -> Path:
    """Section (1) on a first sheet starting at column B; sections (2) and (3) on a second. Numbers
    typed in ASCII digits are numbers, anything else (８５, ①) text, as typed."""
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
            for line in block.lines:
                sheet.cell(row, left, line)
                sheet.merge_cells(start_row=row, start_column=left, end_row=row, end_column=left + 6)
                row += 1
            row += 1
            continue
        rows = block.rows
        for r, values in enumerate(rows):
            if block.heading(values):  # a heading inside the table: merged across it
                sheet.cell(row + r, left, values[0])
                sheet.merge_cells(
                    start_row=row + r, start_column=left, end_row=row + r, end_column=left + block.width - 1
                )
                continue
            for c, value in enumerate(values):
                if not value:
                    continue
                written: object = int(value) if value.isascii() and value.isdigit() else value
                if isinstance(written, str) and len(value) > 25:
                    written = broken(value)
                target = sheet.cell(row + r, left + c, written)
                if isinstance(written, str) and "\n" in written:
                    target.alignment = Alignment(wrap_text=True)
        for r, c, h, w in _header_spans(block):  # a header over two rows, merged
            sheet.merge_cells(
                start_row=row + r, start_column=left + c, end_row=row + r + h - 1, end_column=left + c + w - 1
            )
        row += len(rows) + 1
    book.save(out)
    return out


# --- HTML ----------------------------------------------------------------------------------


def _write_html(text: str, out: Path, *, encoding: str = "shift_jis") -> Path:
    """A character the page's encoding has no code for is written as a character reference
    (&#9332;), as an editor saving a Shift_JIS page writes it."""
    parts = [
        f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="{encoding}"><title>外部結合</title>',
        "<style>td{border:1px solid}</style><script>var x = '<table>';</script></head><body>",
        "<nav><ul><li>トップ</li><li>くらし</li></ul></nav><main>",
    ]
    for block in blocks_of(text):
        if not block.is_table:  # a heading alone, or a paragraph of lines apart by <br> (a card)
            line = block.lines[0]
            tag = "h2" if re.match(r"^\s*[（(]\d", line) else "h1" if line[0].isdigit() else "p"
            if len(block.lines) > 1:
                tag = "p"
            shown = "<br>\n".join(html.escape(line) for line in block.lines)
            parts.append(f"<{tag}>{shown}</{tag}>")
            continue
        parts.append('<table border="1">')
        rows = block.rows
        for r, values in enumerate(rows):
            if block.heading(values):
                parts.append(f'<tr><td colspan="{block.width}">{html.escape(values[0])}</td></tr>')
                continue
            cells = []
            spans = {(sr, sc): (h, w) for sr, sc, h, w in _header_spans(block)}
            covered = _covered(block)
            for c, value in enumerate(values):
                if (r, c) in covered:
                    continue  # covered by a merged cell
                tag = "th" if r == 0 or (_summary(block) and r == 1) else "td"
                h, w = spans.get((r, c), (1, 1))
                span = (f' rowspan="{h}"' if h > 1 else "") + (f' colspan="{w}"' if w > 1 else "")
                shown = html.escape(broken(value) if len(value) > 25 else value).replace("\n", "<br>\n")
                cells.append(f"<{tag}{span}>{shown}</{tag}>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</main></body></html>\n")
    codec = "cp932" if encoding == "shift_jis" else encoding
    out.write_bytes("\n".join(parts).encode(codec, errors="xmlcharrefreplace"))
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


# --- files shaped like real published ones (not derived from the bundled report) ----------------
# Each writer below lays out one small made-up report the way municipalities publish it; the
# tests (tests/test_sources_published.py) hold the records read by hand from these layouts.

SECTION_2 = "(2)新たに外部計算機との結合を行った外部結合の内訳"
SECTION_3 = "(3)外部計算機との結合を終了した外部結合の内訳"
NOTE = "※本人同意に基づく外部結合を除く。"


def _with_cached_values(path: Path, values: dict[str, dict[str, str]]) -> None:
    """Give formula cells the value Excel saves with them (openpyxl writes formulas without one):
    ``values`` maps a sheet's XML part to cell → value."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for part, cells in values.items():
        xml = parts[part].decode("utf-8")
        for ref, value in cells.items():
            xml, count = re.subn(
                rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\1<v>{value}</v>", xml
            )
            assert count == 1, (part, ref)
        parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def write_published_xlsx(out: Path, *, cached: bool = True) -> Path:
    """A workbook as a municipality saves it from Excel.

    表紙 (cover: title merged across, date) · 記載例 (a filled-in sample of the (2) table) ·
    総括 (print title merged across; header cell merged over the header and letter rows; a total
    row of formulas with their saved values) · 新規 ((2): a two-row header — No., 課, 業務名 and
    開始年月日 merged down over both rows, 外部結合の内容 merged across its three sub-headers —;
    総務課 merged down over No.1 and No.2; items with Alt+Enter; No. as 1.0; dates as an Excel date
    shown yyyy/m/d, as text, and as an Excel date shown in the era format; a note; styled empty
    rows and columns after the table) · 終了 ((3), date shown 令和 form) · リスト (hidden: the
    drop-down values)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill

    book = Workbook()
    cover = book.active
    cover.title = "表紙"
    cover["B2"] = "令和2年度 外部電子計算機との結合の状況"
    cover.merge_cells("B2:H2")
    cover["F20"] = "令和3年6月"

    sample = book.create_sheet("記載例")
    sample["A1"] = SECTION_2
    for col, text in enumerate(["No.", "結合を行った課", "業務名", "外部結合に係る個人情報記録の項目",
                                "特定個人情報の有無", "結合の相手方", "結合の開始年月日"], start=1):  # fmt: skip
        sample.cell(3, col, text)
    for col, text in enumerate([1, "○○課", "○○業務", "氏名、住所", "○", "株式会社○○", "R2.4.1"], start=1):
        sample.cell(4, col, text)

    summary = book.create_sheet("総括")
    summary["A1"] = "(1) 実施機関別外部電子計算機との結合件数"
    summary.merge_cells("A1:F1")
    header = ["件数 実施機関", "令和元年度外部電子計算機との結合数", "新たな外部電子計算機との結合数",
              "終了した外部電子計算機との結合数", "令和2年度外部電子計算機との結合数",
              "内、特定個人情報の取扱いがあるものの数"]  # fmt: skip
    for col, text in enumerate(header, start=1):
        summary.cell(3, col, text)
    summary.merge_cells("A3:A4")
    for col, text in enumerate(["a", "b", "c", "a + b - c"], start=2):
        summary.cell(4, col, text)
    for row, values in ((5, ["区長", 5, 3, 1, "=B5+C5-D5", 2]), (6, ["教育委員会", 0, 0, 0, "=B6+C6-D6", 0])):
        for col, value in enumerate(values, start=1):
            summary.cell(row, col, value)
    summary["A7"] = "合計"
    for col in "BCDEF":
        summary[f"{col}7"] = f"=SUM({col}5:{col}6)"
    summary["A9"] = NOTE

    new = book.create_sheet("新規")
    new["A1"] = SECTION_2
    new.merge_cells("A1:G1")
    for col, text in (
        (1, "No."),
        (2, "結合を行った課"),
        (3, "業務名"),
        (4, "外部結合の内容"),
        (7, "結合の開始年月日"),
    ):
        new.cell(3, col, text)
    for col in (1, 2, 3, 7):
        new.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    new.merge_cells("D3:F3")
    for col, text in enumerate(
        ["外部結合に係る個人情報記録の項目", "特定個人情報の有無", "結合の相手方"], start=4
    ):
        new.cell(4, col, text)
    rows = [
        [1.0, "総務課", "特別定額給付金給付事務", "氏名\n住所\n生年月日", None, "地方公共団体情報システム機構",
         datetime_(2020, 5, 15)],
        [2.0, None, "ふるさと納税", "氏名、住所、\n電話番号", "○", "株式会社Ａ\n株式会社Ｂ", "R2. 8. 1"],
        [3.0, "税務課", "収納業務", "①納付情報（納付番号、金額）\n②口座情報（金融機関コード、口座番号）", "有",
         "LGWAN-ASPサービス提供者", datetime_(2020, 4, 1)],
    ]  # fmt: skip
    for r, values in enumerate(rows, start=5):
        for col, value in enumerate(values, start=1):
            if value is not None:
                cell = new.cell(r, col, value)
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True)
    new.merge_cells("B5:B6")
    new["G5"].number_format = "yyyy/m/d"
    new["G7"].number_format = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@'
    new["A9"] = NOTE
    grey = PatternFill("solid", fgColor="DDDDDD")
    for r in range(10, 40):  # styled but empty: cells in the file, nothing in them
        for col in range(1, 12):
            new.cell(r, col).fill = grey
    new.cell(5, 11, "   ")  # a cell of spaces in a trailing column

    ended = book.create_sheet("終了")
    ended["A1"] = SECTION_3
    for col, text in enumerate(
        ["No.", "結合を行った課", "業務名", "結合の相手方", "結合の終了年月日"], start=1
    ):
        ended.cell(3, col, text)
    for col, value in enumerate([1, "戸籍住民課", "証明書コンビニ交付", "地方公共団体情報システム機構",
                                 datetime_(2021, 3, 31)], start=1):  # fmt: skip
        ended.cell(4, col, value)
    ended["E4"].number_format = '[$-411]ggge"年"m"月"d"日"'

    hidden = book.create_sheet("リスト")
    hidden.sheet_state = "hidden"
    for r, (mark, department) in enumerate([("○", "総務課"), ("", "税務課"), ("", "戸籍住民課")], start=1):
        hidden.cell(r, 1, mark or None)
        hidden.cell(r, 2, department)

    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    if cached:
        # sheet order: 表紙 1, 記載例 2, 総括 3 (B5+C5-D5 = 7, 0; the totals 5, 3, 1, 7, 2)
        values = {"E5": "7", "E6": "0", "B7": "5", "C7": "3", "D7": "1", "E7": "7", "F7": "2"}
        _with_cached_values(out, {"xl/worksheets/sheet3.xml": values})
    return out


def datetime_(year: int, month: int, day: int) -> Any:
    from datetime import datetime

    return datetime(year, month, day)


PUBLISHED_PAGE = """<!DOCTYPE html>
<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>外部電子計算機との結合の状況｜区のホームページ</title></head>
<body>
<header><table class="menu"><tr><td>トップ</td><td>くらし</td><td>区政情報</td></tr></table>
<nav><ul><li><a href="/">ホーム</a></li><li>組織</li></ul></nav></header>
<main>
<h1>令和2年度&nbsp;外部電子計算機との結合の状況</h1>
<h2>(1)&nbsp;実施機関別外部電子計算機との結合件数</h2>
<table border="1">
<thead><tr><th rowspan="2">件数 実施機関</th><th>令和元年度外部電子計算機との結合数</th>
<th>新たな外部電子計算機との結合数</th><th>終了した外部電子計算機との結合数</th>
<th>令和2年度外部電子計算機との結合数</th><th>内、特定個人情報の取扱いがあるものの数</th></tr>
<tr><th>a</th><th>b</th><th>c</th><th>a + b - c</th><th>&nbsp;</th></tr></thead>
<tbody><tr><td>区長</td><td>5</td><td>3</td><td>1</td><td>7</td><td>2</td></tr>
<tr><td>教育委員会</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>合計</td><td>5</td><td>3</td><td>1</td><td>7</td><td>2</td></tr></tbody></table>
<p>※本人同意に基づく外部結合を除く。</p>
<h2>(2)新たに外部計算機との結合を行った外部結合の内訳</h2>
<table border="1">
<tr><th rowspan="2">No.</th><th rowspan="2">結合を行った課</th><th rowspan="2">業務名</th>
<th colspan="3">外部結合の内容</th><th rowspan="2">結合の開始年月日</th></tr>
<tr><th>外部結合に係る個人情報記録の項目</th><th>特定個人情報の有無</th><th>結合の相手方</th></tr>
<tr><td>1</td><td rowspan="2">総務課</td><td>特別定額給付金給付事務</td><td>氏名<br>住所<br>生年月日</td>
<td>&nbsp;</td><td>地方公共団体情報システム機構</td><td>令和2年5月15日</td></tr>
<tr><td>2</td><td>ふるさと納税</td><td>氏名、住所、<br>
電話番号</td><td>○</td><td>株式会社Ａ<br>株式会社Ｂ</td><td>R2.8.1</td></tr>
<tr><td>3</td><td>税務課</td><td>収納業務</td>
<td><p>①納付情報（納付番号、金額）</p><p>②口座情報（金融機関コード、口座番号）</p></td><td>有</td>
<td>LGWAN-ASPサービス提供者</td><td>令和2年4月1日</td></tr>
</table>
<table border="1"><caption>(3)外部計算機との結合を終了した外部結合の内訳</caption>
<tr><th>No.</th><th>結合を行った課</th><th>業務名</th><th>結合の相手方</th><th>結合の終了年月日</th></tr>
<tr><td>1</td><td>戸籍住民課</td><td>証明書コンビニ交付</td><td>地方公共団体情報システム機構</td>
<td>令和3年3月31日</td></tr>
</table>
</main>
<footer><table><tr><td>お問い合わせ</td><td>総務部総務課</td><td>電話：03-0000-0000</td></tr></table>
<p>Copyright</p></footer>
</body></html>
"""


def write_published_html(out: Path) -> Path:
    """:data:`PUBLISHED_PAGE` as a server sends it: Shift_JIS (declared in a meta tag), CRLF."""
    out.write_bytes(PUBLISHED_PAGE.replace("\n", "\r\n").encode("cp932"))
    return out


PDF_ROWS = 45  # enough rows for the (2) table to run onto a second page


def pdf_row(n: int) -> list[str]:
    """Row ``n`` of :func:`write_published_pdf`'s (2) table: No., 課, 業務名, items, flag, 相手方, 開始."""
    department = "総務課" if n <= 2 else ("税務課", "戸籍住民課", "保健予防課")[n % 3]
    items = (
        "宛名番号（住民番号）、氏名、生年月日、性別、転出/死亡フラグ、マイナンバー、接種券番号"
        if n == 1
        else "氏名、住所、生年月日"
    )
    flag = "○" if n % 2 == 0 else ""
    return [str(n), department, f"事務{n}", items, flag, "地方公共団体情報システム機構", "R2.4.1"]


def write_published_pdf(out: Path, *, unruled: tuple[str, ...] = ()) -> Path:
    """A PDF as a word processor prints a report: ruled tables; the (2) table with a two-row header
    (No., 課, 業務名 and 開始 drawn over both rows; 外部結合の内容 over its three sub-headers),
    総務課 drawn once over No.1 and No.2, a long item list wrapped in its cell, the table running
    onto page 2 with both header rows repeated; a page number "- N -" at each page's foot.
    The tables named in ``unruled`` ("summary", "connections") are drawn without lines: their
    columns stand apart by space alone."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    width = A4[0]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(width / 2, 20, f"- {doc.page} -")
        canvas.restoreState()

    def grid(
        rows: list[list[str]],
        widths: list[float],
        spans: list[tuple[int, int, int, int]],
        repeat: int,
        ruled: bool,
    ) -> Table:
        data = [[Paragraph(html.escape(c), cell) for c in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=repeat)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if ruled else []
        style += [("VALIGN", (0, 0), (-1, -1), "TOP")]
        style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in spans]
        table.setStyle(TableStyle(style))
        return table

    summary = [
        ["件数 実施機関", "令和元年度外部電子計算機との結合数", "新たな外部電子計算機との結合数",
         "終了した外部電子計算機との結合数", "令和2年度外部電子計算機との結合数",
         "内、特定個人情報の取扱いがあるものの数"],
        ["", "a", "b", "c", "a + b - c", ""],
        ["区長", "0", str(PDF_ROWS), "0", str(PDF_ROWS), str(PDF_ROWS // 2)],
        ["合計", "0", str(PDF_ROWS), "0", str(PDF_ROWS), str(PDF_ROWS // 2)],
    ]  # fmt: skip
    header = [
        ["No.", "結合を行った課", "業務名", "外部結合の内容", "", "", "結合の開始年月日"],
        ["", "", "", "外部結合に係る個人情報記録の項目", "特定個人情報の有無", "結合の相手方", ""],
    ]
    rows = [pdf_row(n) for n in range(1, PDF_ROWS + 1)]
    rows[1][1] = ""  # 総務課 is drawn once, over No.1 and No.2
    spans = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (6, 0, 6, 1), (3, 0, 5, 0), (1, 2, 1, 3)]
    story = [
        Paragraph("令和2年度 外部電子計算機との結合の状況", body),
        Spacer(0, 6),
        Paragraph("(1) 実施機関別外部電子計算機との結合件数", body),
        grid(summary, [(width - 80) / 6] * 6, [(0, 0, 0, 1)], 0, "summary" not in unruled),
        Spacer(0, 8),
        Paragraph(html.escape("(2)新たに外部計算機との結合を行った外部結合の内訳"), body),
        grid([*header, *rows], [24, 62, 50, 150, 44, 110, 60], spans, 2, "connections" not in unruled),
        Spacer(0, 8),
        Paragraph(html.escape("(3)外部計算機との結合を終了した外部結合の内訳"), body),
        Paragraph("実績はありません。", body),
    ]
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=40
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out


# --- a connection over two sub-rows: its No. cell merged down over both ---------------------------

SUB_ROWS_TITLE = "(2)新たに外部計算機との結合を行った外部結合の内訳"
SUB_ROWS_HEADER = [
    "No.",
    "結合を行った課",
    "業務名",
    "外部結合に係る個人情報記録の項目",
    "結合の相手方",
    "結合の開始年月日",
]
# No.1: a second counterparty on its second sub-row (総務課 merged over both); No.2: its items
# continued on the second sub-row; No.3: one row. Rows 2-7 of the table; (row, column, rows) spans.
SUB_ROWS = [
    ["1", "総務課", "給付事務", "氏名、住所", "株式会社Ａ", "R2.4.1"],
    ["", "", "", "", "株式会社Ｂ", ""],
    ["2", "税務課", "収納業務", "氏名、住所、", "地方公共団体情報システム機構", "R2.5.1"],
    ["", "", "", "電話番号", "", ""],
    ["3", "税務課", "照会", "氏名", "株式会社Ｃ", "R2.6.1"],
]  # fmt: skip
SUB_ROWS_SPANS = [(1, 0, 2), (1, 1, 2), (3, 0, 2)]  # row (0 = header), column, rows


def write_sub_rows_xlsx(out: Path) -> Path:
    """Sheet 新規: the title in A1, the header in row 2, SUB_ROWS from row 3, merged as spanned."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "新規"
    sheet["A1"] = SUB_ROWS_TITLE
    for r, row in enumerate([SUB_ROWS_HEADER, *SUB_ROWS], start=2):
        for c, text in enumerate(row, start=1):
            if text:
                sheet.cell(r, c, int(text) if text.isdigit() else text)
    for r, c, rows in SUB_ROWS_SPANS:
        sheet.merge_cells(start_row=r + 2, start_column=c + 1, end_row=r + 1 + rows, end_column=c + 1)
    book.save(out)
    return out


def write_sub_rows_html(out: Path) -> Path:
    """The title as <h2>, then one table with a rowspan on each spanned cell."""
    covered = {(r + k, c) for r, c, rows in SUB_ROWS_SPANS for k in range(1, rows)}
    spans = {(r, c): rows for r, c, rows in SUB_ROWS_SPANS}
    lines = [f"<html><body><h2>{html.escape(SUB_ROWS_TITLE)}</h2><table>"]
    lines.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in SUB_ROWS_HEADER) + "</tr>")
    for r, row in enumerate(SUB_ROWS, start=1):
        cells = [
            f"<td{f' rowspan={spans[(r, c)]!r}' if (r, c) in spans else ''}>{html.escape(text)}</td>"
            for c, text in enumerate(row)
            if (r, c) not in covered
        ]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table></body></html>")
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def write_sub_rows_pdf(out: Path) -> Path:
    """The title as a paragraph, then one ruled table with a box drawn over each spanned cell."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    data = [[Paragraph(html.escape(c), cell) for c in row] for row in [SUB_ROWS_HEADER, *SUB_ROWS]]
    table = Table(data, colWidths=[24, 62, 60, 150, 130, 60])
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("SPAN", (c, r), (c, r + rows - 1)) for r, c, rows in SUB_ROWS_SPANS]
    table.setStyle(TableStyle(style))
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=40
    )
    doc.build([Paragraph(html.escape(SUB_ROWS_TITLE), body), table])
    return out


def write_many_pages_pdf(out: Path, pages: int) -> Path:
    """A valid PDF of ``pages`` pages written byte by byte (cheap at any count): every page draws
    the same small content stream ("x")."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length 33 >>\nstream\nBT /F1 12 Tf 72 720 Td (x) Tj ET\nendstream",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
    objects += [page] * pages
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    out.write_bytes(bytes(data))
    return out


# --- eighth session: forms the fixtures above do not cover ---------------------------------------
# Each writer lays out one small made-up report; tests/test_sources_published_forms.py holds the
# records read by hand from these layouts.

SUMMARY_HEADER = [
    "件数 実施機関",
    "令和2年度外部電子計算機との結合数",
    "新たな外部電子計算機との結合数",
    "終了した外部電子計算機との結合数",
    "令和3年度外部電子計算機との結合数",
    "内、特定個人情報の取扱いがあるものの数",
]
LETTERS = ["", "a", "b", "c", "a + b - c", ""]
ERA = '[$-ja-JP]ggge"年"m"月"d"日"'  # a date shown in the Japanese era (令和3年4月1日)


def write_hidden_xlsx(out: Path) -> Path:
    """A workbook whose 新規 sheet hides what was not meant to be published: column C (業務コード,
    a working column between 課 and 業務名) and row 4 (a withdrawn connection, 試行連携（取下げ）,
    numbered 2 like the row below it). Dates are real date cells shown in the era format; No. is
    stored as 1.0; items typed with Alt+Enter.

    総括: title A1, (1) heading A3, header A5:F5 with 件数 実施機関 merged over the letter row,
    区長 and 合計 rows. 新規: (2) heading A1, header row 2, rows 3 (No.1), 4 (hidden), 5 (No.2).
    終了: (3) heading A1, header row 2, row 3 (No.1)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    summary = book.active
    summary.title = "総括"
    summary["A1"] = "令和3年度 外部電子計算機との結合の状況"
    summary["A3"] = "(1) 実施機関別外部電子計算機との結合件数"
    for col, text in enumerate(SUMMARY_HEADER, start=1):
        summary.cell(5, col, text)
    for col, text in enumerate(LETTERS, start=1):
        if text:
            summary.cell(6, col, text)
    summary.merge_cells("A5:A6")
    for row, name in ((7, "区長"), (8, "合計")):
        for col, value in enumerate([name, 10, 2, 1, 11, 1], start=1):
            summary.cell(row, col, value)

    new = book.create_sheet("新規")
    new["A1"] = SECTION_2
    header = ["No.", "結合を行った課", "業務コード", "業務名", "外部結合に係る個人情報記録の項目",
              "特定個人情報の有無", "結合の相手方", "結合の開始年月日"]  # fmt: skip
    rows = [
        [1.0, "総務課", "S-0101", "電子申請受付", "氏名\n住所\nメールアドレス", None, "株式会社Ａ",
         datetime_(2021, 4, 1)],
        [2.0, "総務課", "S-0102", "試行連携（取下げ）", "氏名", None, "株式会社Ｚ", datetime_(2021, 4, 1)],
        [2.0, "税務課", "T-0201", "税額照会", "個人番号\n税額", "○", "地方公共団体情報システム機構",
         datetime_(2021, 7, 1)],
    ]  # fmt: skip
    for col, text in enumerate(header, start=1):
        new.cell(2, col, text)
    for r, values in enumerate(rows, start=3):
        for col, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = new.cell(r, col, value)
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True)
        new.cell(r, 8).number_format = ERA
    new.row_dimensions[4].hidden = True
    new.column_dimensions["C"].hidden = True

    ended = book.create_sheet("終了")
    ended["A1"] = SECTION_3
    for col, text in enumerate(
        ["No.", "結合を行った課", "業務名", "結合の相手方", "結合の終了年月日"], start=1
    ):
        ended.cell(2, col, text)
    for col, value in enumerate(
        [1, "戸籍住民課", "住民票写し郵送請求", "株式会社Ｃ", datetime_(2022, 3, 31)], start=1
    ):
        ended.cell(3, col, value)
    ended["E3"].number_format = ERA
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _row_html(cells: list[str], tag: str = "td", first: str = "th") -> str:
    """A table row whose first cell is a row header (<th scope="row">) and the rest ``tag`` cells;
    each cell is given as HTML (a leading "rowspan=N|" spans it)."""
    out = []
    for index, cell in enumerate(cells):
        name = first if index == 0 else tag
        attrs = ' scope="row"' if index == 0 and first == "th" else ""
        if cell.startswith("rowspan="):
            span, cell = cell.split("|", 1)
            attrs += f' rowspan="{span.split("=")[1]}"'
        out.append(f"<{name}{attrs}>{cell}</{name}>")
    return "<tr>" + "".join(out) + "</tr>"


CONNECTION_HEADER = ["No.", "結合を行った課", "業務名", "外部結合に係る個人情報記録の項目",
                     "特定個人情報の有無", "結合の相手方", "結合の開始年月日"]  # fmt: skip


def write_chrome_html(out: Path) -> Path:
    """A page of an older municipal site, sent as EUC-JP (declared by <meta http-equiv>): no <main>,
    <nav> or <header> elements; the site's banner is a layout table (logo, 文字サイズ 標準 拡大)
    and a breadcrumb <div> before the page's <h1> (令和3年度&#x3000;外部電子計算機との結合の状況).

    Table 1: the banner. Table 2: the (1) summary, 実施機関 cells as <th scope="row">. Table 3:
    the (2) table, No. as <th scope="row">, 総務課 rowspan over No.1 and No.2, items as <p>s and
    <br>, a &nbsp; cell; then an <h3> heading "(2)…（続き）" splits it: table 4 repeats the header
    and holds No.3. (3): 該当なし in a <p>."""
    head = "".join(f'<th scope="col">{h}</th>' for h in CONNECTION_HEADER)
    page = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">
<title>外部電子計算機との結合の状況 - ○○市</title></head>
<body>
<div id="header"><table width="100%"><tr><td><img src="logo.gif" alt="○○市"></td>
<td>文字サイズ</td><td>標準</td><td>拡大</td></tr></table></div>
<div class="pankuzu"><a href="/">トップページ</a> &gt; <a href="/shisei/">市政情報</a> &gt; 外部結合</div>
<div id="contents">
<h1>令和3年度&#x3000;外部電子計算機との結合の状況</h1>
<h2>(1)&nbsp;実施機関別外部電子計算機との結合件数</h2>
<table border="1">
<tr>{"".join(f"<th>{h}</th>" for h in SUMMARY_HEADER)}</tr>
<tr><th>&nbsp;</th><th>a</th><th>b</th><th>c</th><th>a + b - c</th><th>&nbsp;</th></tr>
{_row_html(["市長", "5", "3", "0", "8", "2"])}
{_row_html(["合計", "5", "3", "0", "8", "2"])}
</table>
<h2>(2)新たに外部計算機との結合を行った外部結合の内訳</h2>
<table border="1">
<tr>{head}</tr>
{_row_html(["1", "rowspan=2|総務課", "住民情報照会", "<p>氏名</p><p>住所</p>", "&nbsp;", "株式会社Ａ", "令和3年4月1日"])}
{_row_html(["2", "証明書交付", "氏名<br>生年月日", "○", "地方公共団体情報システム機構", "令和3年6月1日"])}
</table>
<h3>(2)新たに外部計算機との結合を行った外部結合の内訳（続き）</h3>
<table border="1">
<tr>{head}</tr>
{_row_html(["3", "税務課", "課税事務", "個人番号<br>所得", "○", "株式会社Ｂ<br>株式会社Ｃ", "令和3年7月1日"])}
</table>
<h2>(3)外部計算機との結合を終了した外部結合の内訳</h2>
<p>該当なし</p>
</div>
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(page.replace("\n", "\r\n").encode("euc_jp"))
    return out


SPLIT_ITEMS_WIDTH = 12  # full-width characters on one line of the items cell (8 pt, 96 pt of text)


def write_split_row_pdf(out: Path) -> Path:
    """A PDF as a word processor prints a table whose rows may break across pages (Word's default):
    landscape A4, a running header line and "- N -" at each page's foot.

    Page 1: title, (1) heading, the summary table; (2) heading, the (2) table (p.1 table 2):
    header, No.1 (総務課), No.2 and No.3 (税務課 drawn once over both, the box running to the
    table's last row on the page). No.3 breaks across the page: on page 1 its items cell holds one full line
    "氏名、住所、生年月日、給" (the item 給与支払額 cut by the wrap) and its counterparty cell
    "株式会社Ａ" (the first of two lines); the rest is on page 2.
    Page 2 (p.2 table 1): the header repeated, then the rest of No.3 — No., 業務名, flag and date
    cells empty, 税務課's box continued (empty) over it and No.4, the items cell
    "与支払額、源泉徴収税額", the counterparty cell "株式会社Ｂ" —, No.4, No.5; then (3) and 該当なし."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    width, height = landscape(A4)

    def marks(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(40, height - 22, "外部電子計算機結合の状況（公表資料）")
        canvas.drawCentredString(width / 2, 16, f"- {doc.page} -")
        canvas.restoreState()

    def grid(rows: list[list[str]], widths: list[float], spans: list[tuple[int, int, int, int]]) -> Table:
        table = Table([[Paragraph(html.escape(c), cell) for c in row] for row in rows], colWidths=widths)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in spans]
        table.setStyle(TableStyle(style))
        return table

    summary = [SUMMARY_HEADER, LETTERS, ["区長", "0", "5", "0", "5", "1"], ["合計", "0", "5", "0", "5", "1"]]
    # items: 12 full-width characters of 8 pt on a line (6 pt padding each side)
    widths = [30, 70, 90, 12 + 8 * SPLIT_ITEMS_WIDTH + 0.5, 60, 150, 70]
    page_1 = [
        CONNECTION_HEADER,
        ["1", "総務課", "電子申請", "氏名、メールアドレス", "", "株式会社Ａ", "R3.4.1"],
        ["2", "税務課", "税証明交付", "氏名、住所", "", "地方公共団体情報システム機構", "R3.5.1"],
        ["3", "", "住民税課税事務", "氏名、住所、生年月日、給", "○", "株式会社Ａ", "R3.4.1"],
    ]
    page_2 = [
        CONNECTION_HEADER,
        ["", "", "", "与支払額、源泉徴収税額", "", "株式会社Ｂ", ""],
        ["4", "", "納税通知", "氏名、住所", "", "株式会社Ｃ", "R3.10.1"],
        ["5", "戸籍住民課", "証明書コンビニ交付", "氏名、本籍", "", "地方公共団体情報システム機構", "R4.1.4"],
    ]
    story = [
        Paragraph("令和3年度 外部電子計算機との結合の状況", body),
        Spacer(0, 6),
        Paragraph("(1) 実施機関別外部電子計算機との結合件数", body),
        grid(summary, [(width - 80) / 6] * 6, [(0, 0, 0, 1)]),
        Spacer(0, 8),
        Paragraph(html.escape(SECTION_2), body),
        grid(page_1, widths, [(1, 2, 1, 3)]),  # 税務課 over No.2 and No.3, to the page's foot
        PageBreak(),
        grid(page_2, widths, [(1, 1, 1, 2)]),  # the box continued over No.3's rest and No.4
        Spacer(0, 8),
        Paragraph(html.escape(SECTION_3), body),
        Paragraph("該当なし", body),
    ]
    doc = SimpleDocTemplate(
        str(out), pagesize=(width, height), leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=36
    )
    doc.build(story, onFirstPage=marks, onLaterPages=marks)
    return out


def write_excel_html(out: Path) -> Path:
    """A sheet saved from Excel as a web page (名前を付けて保存 → Web ページ), sent as Shift_JIS:
    the whole sheet is one <table> (title, headings and notes are rows with one cell spanning
    columns), Office namespaces and conditional comments, a typed line break as
    <br style='mso-data-placement:same-cell'>, dates as shown with their serial in x:num. What the
    sheet hid is written with style display:none: column 業務コード (each of its cells) and the
    row of a withdrawn connection; the closing "supportMisalignedColumns" row is hidden and empty.

    Rows of table 1: 1 title, 2 (1) heading, 3 summary header, 4 letter row, 5 区長, 6 合計,
    7 (2) heading, 8 header, 9 No.1, 10 hidden (No.2 試行（取下げ）), 11 No.2, 12 (3) heading,
    13 該当なし, 14 the hidden sizing row."""
    hide = " style='display:none'"

    def row(cells: list[str], *, hidden_at: int | None = None, attrs: str = "") -> str:
        out_cells = [f"<td{hide if i == hidden_at else ''}>{c}</td>" for i, c in enumerate(cells)]
        return f" <tr height=18{attrs}>\n  " + "".join(out_cells) + "\n </tr>"

    def line(text: str) -> str:
        return f" <tr height=18>\n  <td colspan=7 height=18>{text}</td>\n </tr>"

    same_cell = "<br style='mso-data-placement:same-cell'>"
    era = " class=xl65"
    rows = [
        line("令和3年度 外部電子計算機との結合の状況"),
        line("(1) 実施機関別外部電子計算機との結合件数"),
        row(SUMMARY_HEADER),
        row(LETTERS),
        row(["区長", "4", "2", "0", "6", "1"]),
        row(["合計", "4", "2", "0", "6", "1"]),
        line(html.escape(SECTION_2)),
        row(["No.", "結合を行った課", "業務名", "業務コード", "外部結合に係る個人情報記録の項目",
             "特定個人情報の有無", "結合の相手方", "結合の開始年月日"], hidden_at=3),
        row(["1", "総務課", "電子申請", "S-01", f"氏名{same_cell}住所", "", "株式会社Ａ",
             "令和3年4月1日"], hidden_at=3).replace("<td>令和3年4月1日", f"<td{era} x:num=\"44287\">令和3年4月1日"),
        row(["2", "総務課", "試行（取下げ）", "S-02", "氏名", "", "株式会社Ｚ", "令和3年4月1日"], hidden_at=3,
            attrs=" style='display:none'"),
        row(["2", "税務課", "税額照会", "T-01", "個人番号", "○", "地方公共団体情報システム機構",
             "令和3年7月1日"], hidden_at=3),
        line(html.escape(SECTION_3)),
        line("該当なし"),
        " <![if supportMisalignedColumns]>\n <tr height=0 style='display:none'>\n"
        "  <td width=40></td><td width=80></td><td width=80></td><td width=0></td>\n </tr>\n <![endif]>",
    ]  # fmt: skip
    page = f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=shift_jis">
<meta name=ProgId content=Excel.Sheet>
<meta name=Generator content="Microsoft Excel 15">
<style>
<!--table {{mso-displayed-decimal-separator:"\\.";}}
.xl65 {{mso-number-format:"\\[$-ja-JP\\]ggge\\0022年\\0022m\\0022月\\0022d\\0022日\\0022";}}
-->
</style>
<!--[if gte mso 9]><xml>
 <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>外部結合</x:Name>
 </x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
</head>
<body link="#0563C1" vlink="#954F72">
<table border=0 cellpadding=0 cellspacing=0 width=700 style='border-collapse:collapse;table-layout:fixed'>
 <col width=40>
 <col width=80 span=2>
 <col width=0 style='display:none'>
 <col width=120 span=4>
{chr(10).join(rows)}
</table>
</body>
</html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(page.replace("\n", "\r\n").encode("cp932"))
    return out


_DRAWING = (
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">{anchors}</xdr:wsDr>'
)
_ANCHOR = (
    "<xdr:twoCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
    "<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{end}</xdr:col><xdr:colOff>0</xdr:colOff>"
    "<xdr:row>{row_end}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
    '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{id}" name="テキスト ボックス {id}"/>'
    '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    "</xdr:spPr><xdr:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</xdr:txBody></xdr:sp><xdr:clientData/>"
    "</xdr:twoCellAnchor>"
)
_LINE = (  # a drawn line (an arrow): a shape without text
    "<xdr:twoCellAnchor><xdr:from><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>10</xdr:row>"
    "<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff>"
    '<xdr:row>11</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:cxnSp macro=""><xdr:nvCxnSpPr>'
    '<xdr:cNvPr id="9" name="直線矢印コネクタ 9"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr><xdr:spPr>'
    '<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom></xdr:spPr></xdr:cxnSp><xdr:clientData/>'
    "</xdr:twoCellAnchor>"
)


def _paragraphs(*lines: tuple[str, ...]) -> str:
    """DrawingML paragraphs, each of its runs (a run per formatting change, as Excel writes them)."""
    return "".join(
        "<a:p>"
        + "".join(f'<a:r><a:rPr lang="ja-JP"/><a:t>{html.escape(run)}</a:t></a:r>' for run in runs)
        + "</a:p>"
        for runs in lines
    )


def write_text_box_xlsx(out: Path) -> Path:
    """One sheet 外部結合 whose title is a text box, as many are drawn: 令和3年度 / 外部電子計算機との結合の状況
    on two lines (the first in two runs), anchored at B1 over an empty row 1; the ※ note under the
    summary is a text box too, anchored at A8 (an empty row); an arrow (a shape without text) beside
    the (2) table. Cells: A3 (1) heading; A4:F7 the summary (件数 実施機関 merged over the letter
    row); A10 (2) heading, header row 11, No.1 in row 12; A14 (3) heading, A15 該当なし."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "外部結合"
    sheet["A3"] = "(1) 実施機関別外部電子計算機との結合件数"
    for col, text in enumerate(SUMMARY_HEADER, start=1):
        sheet.cell(4, col, text)
    for col, text in enumerate(LETTERS, start=1):
        if text:
            sheet.cell(5, col, text)
    sheet.merge_cells("A4:A5")
    for row, name in ((6, "区長"), (7, "合計")):
        for col, value in enumerate([name, 3, 1, 0, 4, 0], start=1):
            sheet.cell(row, col, value)
    sheet["A10"] = SECTION_2
    for col, text in enumerate(SUB_ROWS_HEADER, start=1):
        sheet.cell(11, col, text)
    for col, value in enumerate([1, "総務課", "電子申請", "氏名", "株式会社Ａ", "R3.4.1"], start=1):
        sheet.cell(12, col, value)
    sheet["A14"] = SECTION_3
    sheet["A15"] = "該当なし"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)

    anchors = (
        _ANCHOR.format(
            col=1,
            row=0,
            end=6,
            row_end=1,
            id=2,
            paragraphs=_paragraphs(("令和3", "年度"), ("外部電子計算機との結合の状況",)),
        )
        + _ANCHOR.format(col=0, row=7, end=6, row_end=8, id=3, paragraphs=_paragraphs((NOTE,)))
        + _LINE
    )
    with zipfile.ZipFile(out) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    drawing = (
        '<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId9"/>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace("</worksheet>", drawing + "</worksheet>").encode(
        "utf-8"
    )
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
        b'Target="../drawings/drawing1.xml"/></Relationships>'
    )
    parts["xl/drawings/drawing1.xml"] = _DRAWING.format(anchors=anchors).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/drawings/drawing1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
    ).encode("utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def write_print_header_xlsx(out: Path) -> Path:
    """A workbook whose title is in the sheets' print header (ページ設定 → ヘッダー), as it prints on
    every page: the same header on both sheets — centre 令和3年度 外部電子計算機との結合の状況 in a
    bold 14 pt font, the print date (&D) on the right —, a footer of page numbers only (&P / &N).
    総括: (1) heading A1, the summary A2:F5 (件数 実施機関 merged over the letter row). 新規: (2)
    heading A1, header row 2, No.1 and No.2 in rows 3-4, (3) heading A6, 該当なし A7."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "総括"
    summary["A1"] = "(1) 実施機関別外部電子計算機との結合件数"
    for col, text in enumerate(SUMMARY_HEADER, start=1):
        summary.cell(2, col, text)
    for col, text in enumerate(LETTERS, start=1):
        if text:
            summary.cell(3, col, text)
    summary.merge_cells("A2:A3")
    for row, name in ((4, "区長"), (5, "合計")):
        for col, value in enumerate([name, 1, 2, 0, 3, 0], start=1):
            summary.cell(row, col, value)
    new = book.create_sheet("新規")
    new["A1"] = SECTION_2
    for col, text in enumerate(SUB_ROWS_HEADER, start=1):
        new.cell(2, col, text)
    for r, values in enumerate(
        [
            [1, "総務課", "電子申請", "氏名", "株式会社Ａ", "R3.4.1"],
            [2, "税務課", "照会", "住所", "株式会社Ｂ", "R3.5.1"],
        ],
        start=3,
    ):
        for col, value in enumerate(values, start=1):
            new.cell(r, col, value)
    new["A6"] = SECTION_3
    new["A7"] = "該当なし"
    for sheet in (summary, new):
        sheet.oddHeader.center.text = "令和3年度 外部電子計算機との結合の状況"
        sheet.oddHeader.center.font = "ＭＳ ゴシック,太字"
        sheet.oddHeader.center.size = 14
        sheet.oddHeader.right.text = "&D"
        sheet.oddFooter.center.text = "&P / &N"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def write_rotated_pdf(out: Path) -> Path:
    """A landscape report printed as portrait pages turned a quarter (/Rotate 90, as a print-to-PDF
    driver writes a landscape page): each page's content drawn turned, so that a viewer shows it
    upright, 842 pt wide and 595 pt high; a running header line at the top, "- N -" at the foot.
    Page 1: title, (1) heading, the summary (table 1), (2) heading, the (2) table with No.1-3
    (table 2). Page 2: the (2) table continued (table 1): its header repeated, No.4 and No.5; then
    (3) and 該当なし."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph, Table, TableStyle

    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    portrait_width, portrait_height = A4
    width, height = portrait_height, portrait_width  # as shown

    def grid(rows: list[list[str]], widths: list[float], spans: list[tuple[int, int, int, int]]) -> Table:
        table = Table([[Paragraph(html.escape(c), cell) for c in row] for row in rows], colWidths=widths)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in spans]
        table.setStyle(TableStyle(style))
        return table

    def row(n: int) -> list[str]:
        return [str(n), "総務課", f"事務{n}", "氏名、住所", "", "株式会社Ａ", "R3.4.1"]

    widths = [30, 80, 80, 200, 70, 160, 80]
    pages = canvas.Canvas(str(out), pagesize=A4)
    for number in (1, 2):
        pages.setPageRotation(90)
        pages.saveState()
        pages.translate(portrait_width, 0)  # draw in the shown page's coordinates
        pages.rotate(90)
        pages.setFont(font, 8)
        pages.drawString(40, height - 22, "外部電子計算機結合の状況（公表資料）")
        pages.drawCentredString(width / 2, 16, f"- {number} -")
        pages.setFont(font, 10)
        y = height - 50
        if number == 1:
            pages.drawString(40, y, "令和3年度 外部電子計算機との結合の状況")
            pages.drawString(40, y - 20, "(1) 実施機関別外部電子計算機との結合件数")
            summary = [
                SUMMARY_HEADER,
                LETTERS,
                ["区長", "0", "5", "0", "5", "0"],
                ["合計", "0", "5", "0", "5", "0"],
            ]
            table = grid(summary, [(width - 80) / 6] * 6, [(0, 0, 0, 1)])
            _, used = table.wrapOn(pages, width - 80, height)
            table.drawOn(pages, 40, y - 26 - used)
            y -= 26 + used + 24
            pages.setFont(font, 10)
            pages.drawString(40, y, SECTION_2)
            table = grid([CONNECTION_HEADER, *(row(n) for n in (1, 2, 3))], widths, [])
        else:
            table = grid([CONNECTION_HEADER, row(4), row(5)], widths, [])
        _, used = table.wrapOn(pages, width - 80, height)
        table.drawOn(pages, 40, y - 6 - used)
        if number == 2:
            pages.setFont(font, 10)
            pages.drawString(40, y - 6 - used - 24, SECTION_3)
            pages.drawString(40, y - 6 - used - 44, "該当なし")
        pages.restoreState()
        pages.showPage()
    pages.save()
    return out


# --- Excel 97-2003 (.xls) and Word (.docx): the same layouts, written with xlwt and python-docx ------


def write_xls(text: str, out: Path) -> Path:
    """``text`` laid out as :func:`_write_xlsx` lays it out, saved as a legacy .xls (xlwt): section
    (1) on a first sheet from column B, (2) and (3) on a second; a heading inside a table and a
    header over two rows merged; long cells broken by typed line breaks (wrapped); ASCII digits
    as numbers."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    first = book.add_sheet("結合件数")
    second = book.add_sheet("内訳")
    wrap = xlwt.easyxf("align: wrap on, vert top")
    sheet, row = first, 1  # 0-based: the second row, as the .xlsx's
    for block in blocks_of(text):
        if not block.is_table and block.lines[0].startswith("(2)"):
            sheet, row = second, 0
        left = 1 if sheet is first else 0
        if not block.is_table:
            for line in block.lines:
                sheet.write_merge(row, row, left, left + 6, line)
                row += 1
            row += 1
            continue
        for r, values in enumerate(block.rows):
            if block.heading(values):
                sheet.write_merge(row + r, row + r, left, left + block.width - 1, values[0])
                continue
            for c, value in enumerate(values):
                if not value:
                    continue
                written: object = int(value) if value.isascii() and value.isdigit() else value
                if isinstance(written, str) and len(value) > 25:
                    written = broken(value)
                if isinstance(written, str) and "\n" in written:
                    sheet.write(row + r, left + c, written, wrap)
                else:
                    sheet.write(row + r, left + c, written)
        for r, c, h, w in _header_spans(block):
            sheet.merge(row + r, row + r + h - 1, left + c, left + c + w - 1)
        row += len(block.rows) + 1
    book.save(str(out))
    return out


def write_docx(text: str, out: Path) -> Path:
    """``text`` as a Word document: each line of a text block a paragraph (a card's lines one
    under another), an empty paragraph between blocks; each table a ruled Word table with a
    heading inside it merged across (gridSpan), a header over two rows merged (vMerge, gridSpan),
    a long cell typed as several paragraphs (Enter in the cell)."""
    import docx

    document = docx.Document()
    for block in blocks_of(text):
        if not block.is_table:
            for line in block.lines:
                document.add_paragraph(line)
            document.add_paragraph()
            continue
        table = document.add_table(rows=len(block.rows), cols=block.width)
        table.style = "Table Grid"
        covered = _covered(block)
        for r, values in enumerate(block.rows):
            if block.heading(values):
                merged = table.cell(r, 0).merge(table.cell(r, block.width - 1))
                merged.text = values[0]
                continue
            for c, value in enumerate(values):
                if not value or (r, c) in covered:
                    continue
                lines = (broken(value) if len(value) > 25 else value).split("\n")
                cell = table.cell(r, c)
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        for r, c, h, w in _header_spans(block):
            table.cell(r, c).merge(table.cell(r + h - 1, c + w - 1))
        document.add_paragraph()
    document.save(str(out))
    return out


def xls_from_xlsx(xlsx: Path, out: Path) -> Path:
    """The workbook ``xlsx`` saved again as .xls (xlwt), as a person picks "Excel 97-2003" in Save
    As: each sheet's values (a date with its number format), merged cells, hidden sheets, rows and
    columns. What .xls keeps but xlwt cannot write is lost: text boxes, print headers and footers."""
    from datetime import date, datetime, time

    import openpyxl
    import xlwt

    source = openpyxl.load_workbook(xlsx, data_only=True)
    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[tuple[str, bool], Any] = {}

    def style(fmt: str, wrap: bool) -> Any:
        if (fmt, wrap) not in styles:
            styles[(fmt, wrap)] = xlwt.easyxf("align: wrap on" if wrap else "", num_format_str=fmt)
        return styles[(fmt, wrap)]

    for sheet in source.worksheets:
        target = book.add_sheet(sheet.title[:31], cell_overwrite_ok=True)
        target.visibility = 0 if sheet.sheet_state == "visible" else 1
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or not hasattr(cell, "column"):
                    continue
                if isinstance(value, datetime | date | time):
                    fmt = cell.number_format if cell.number_format != "General" else "yyyy/m/d"
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    fmt = cell.number_format
                else:
                    fmt = "General"
                    value = str(value) if not isinstance(value, bool) else value
                wrap = isinstance(value, str) and "\n" in value
                target.write(cell.row - 1, cell.column - 1, value, style(fmt, wrap))
        for merged in sheet.merged_cells.ranges:
            target.merge(merged.min_row - 1, merged.max_row - 1, merged.min_col - 1, merged.max_col - 1)
        for number, dimension in sheet.row_dimensions.items():
            if dimension.hidden:
                target.row(number - 1).hidden = True
        for letters, dimension in sheet.column_dimensions.items():
            if dimension.hidden:
                from openpyxl.utils import column_index_from_string

                low = dimension.min or column_index_from_string(letters)
                high = dimension.max or low
                for column in range(low, min(high, 256) + 1):
                    target.col(column - 1).hidden = True
    book.save(str(out))
    return out
