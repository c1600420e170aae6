"""PDF: a document's label alone on a line before the report's title (資料３, 【参考】, a date) is
no title wherever it stands on the first page — under a wide top margin (below the top 8 % band)
or set as the first paragraph — and is left out with an info; a date after the title is text.
Expectations read from the pages drawn below."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

TITLE = "令和3年度 外部電子計算機との結合の状況"
AFTER = "令和3年6月1日"


def _write(out: Path, labels: list[str], *, top_margin: float = 160) -> Path:
    """Labels as the first paragraphs, right-aligned, under a top margin of ``top_margin`` pt
    (A4 is 842 pt high: 160 pt puts them at about 20 % of the page, below the 8 % band)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    right = ParagraphStyle("right", parent=body, alignment=2)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    rows = [
        ["No.", "結合を行った課", "業務名", "外部結合に係る個人情報記録の項目", "特定個人情報の有無",
         "結合の相手方", "結合の開始年月日"],
        ["1", "税務課", "住民税の申告", "氏名", "○", "地方税共同機構", "令和3年10月1日"],
    ]  # fmt: skip
    table = Table([[Paragraph(html.escape(c), cell) for c in row] for row in rows])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [
        *(Paragraph(html.escape(label), right) for label in labels),
        Paragraph(TITLE, body),
        Paragraph(AFTER, right),
        Paragraph(html.escape("(2)新たに外部計算機との結合を行った外部結合の内訳"), body),
        table,
    ]
    SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=top_margin, bottomMargin=40
    ).build(story)
    return out


@pytest.mark.parametrize(
    "labels",
    [["資料３"], ["【参考】"], ["令和3年5月20日"], ["別紙第２号", "令和3年5月20日現在"]],
)
def test_a_label_below_the_header_band_before_the_title_is_not_the_title(
    tmp_path: Path, labels: list[str]
) -> None:
    path = _write(tmp_path / "gaibu.pdf", labels)
    source = read_source(path)
    report = source.findings_located(parse_report(source.text, str(path)))
    assert report.title == TITLE
    assert report.fiscal_year == 2021
    for label in labels:
        (said,) = [i for i in report.issues if i.as_written == label]
        assert said.severity == "info" and "before the report's title" in said.message
    assert AFTER in source.text  # a date after the title is no label: kept as text
    assert not [i for i in report.issues if i.as_written == AFTER and "label" in i.message]


def test_a_line_before_the_title_that_is_no_label_stays(tmp_path: Path) -> None:
    path = _write(tmp_path / "gaibu.pdf", ["資料の一覧"])
    source = read_source(path)
    assert source.text.lstrip().startswith("資料の一覧")
