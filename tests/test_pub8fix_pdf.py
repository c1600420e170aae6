"""PDF: a document's label in the page header (資料３ at the top right) is not the report's title;
a Latin word wrapped inside a cell (（eLT / AX）) joins without a space. Expectations read from
the page drawn below."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

TITLE = "令和3年度 外部電子計算機との結合の状況"
# 12 full-width characters (84 pt at 7 pt) and "eLT" (12.6 pt) fill the 98 pt of text in a 110
# pt cell (6 pt padding each side): "A" (5.1 pt) would not fit. The line is ended there as a
# Japanese word processor wraps (anywhere; reportlab keeps a Latin run whole, so it is drawn so).
BUSINESS = "地方税ポータルシステム（eLTAX）"


def _write(out: Path, *, label: str = "資料３") -> Path:
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

    def header(canvas, doc) -> None:  # the document's number at the top right of the first page
        canvas.saveState()
        canvas.setFont(font, 10)
        canvas.drawRightString(A4[0] - 40, A4[1] - 30, label)
        canvas.restoreState()

    rows = [
        ["No.", "結合を行った課", "業務名", "外部結合に係る個人情報記録の項目", "特定個人情報の有無",
         "結合の相手方", "結合の開始年月日"],
        ["1", "税務課", BUSINESS, "氏名", "○", "地方税共同機構", "令和3年10月1日"],
    ]  # fmt: skip
    table = Table(
        [[Paragraph(html.escape(c).replace("eLT", "eLT<br/>"), cell) for c in row] for row in rows],
        colWidths=[24, 50, 110, 90, 44, 90, 60],
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [
        Paragraph(TITLE, body),
        Paragraph(html.escape("(2)新たに外部計算機との結合を行った外部結合の内訳"), body),
        table,
    ]
    SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=50, bottomMargin=40
    ).build(story, onFirstPage=header)
    return out


def test_a_document_label_in_the_page_header_is_not_the_title(tmp_path: Path) -> None:
    path = _write(tmp_path / "gaibu.pdf")
    source = read_source(path)
    with source.errors_located():
        report = source.findings_located(parse_report(source.text, str(path)))
    assert report.title == TITLE
    assert report.fiscal_year == 2021
    assert not [i for i in report.issues if "line not understood" in i.message]
    (said,) = [i for i in report.issues if i.as_written == "資料３"]
    assert said.severity == "info" and "header" in said.message


def test_a_date_in_the_page_header_is_not_the_title(tmp_path: Path) -> None:
    path = _write(tmp_path / "gaibu.pdf", label="令和3年6月1日")
    source = read_source(path)
    report = source.findings_located(parse_report(source.text, str(path)))
    assert report.title == TITLE
    assert [i.severity for i in report.issues if i.as_written == "令和3年6月1日"] == ["info"]


def test_a_latin_word_wrapped_in_a_cell_joins_without_a_space(tmp_path: Path) -> None:
    path = _write(tmp_path / "gaibu.pdf")
    source = read_source(path)
    report = source.findings_located(parse_report(source.text, str(path)))
    (connection,) = report.connections
    assert connection.business == BUSINESS
    assert connection.counterparties_as_written == "地方税共同機構"
    assert connection.start_date == date(2021, 10, 1)
