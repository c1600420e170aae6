"""A PDF page's header and footer bands: only page furniture is left out of them (pdf12).

A browser's print of a web page sets the body's first lines inside the top 8 % of the page (its
margin is small): a <dt> label at the top of a page, a <dd> 「－」 under it, are the report's text,
not its header. Left out are page numbers, a running line (the same text in the same band on at
least half of the pages, said in one info), a document's label, and a one-page report's header
marked as such (a document's label in brackets, a smaller type than the title). Made-up pages drawn
with reportlab; each expectation read off the drawing by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")

FONT = "HeiseiKakuGo-W5"
HEADER = "令和５年度 外部電子計算機との結合の状況｜○○町"


def _pdf(path: Path, pages: list[list[tuple[float, float, str]]], *, furniture: bool = True) -> bytes:
    """A4 portrait pages, each a list of (type size, top in pt, text); with ``furniture``, a running
    header (8 pt, its baseline 22 pt under the page's top) and "- N -" at the foot of every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width, height = A4
    drawing = canvas.Canvas(str(path), pagesize=(width, height))
    for number, lines in enumerate(pages, start=1):
        if furniture:
            drawing.setFont(FONT, 8)
            drawing.drawString(40, height - 22, HEADER)
            drawing.drawString(width / 2 - 10, 20, f"- {number} -")
        for size, top, text in lines:
            drawing.setFont(FONT, size)
            drawing.drawString(40, height - top - size * 0.88, text)
        drawing.showPage()
    drawing.save()
    return path.read_bytes()


def _read(data: bytes) -> tuple[list[str], list[tuple[str, str, str]]]:
    from ketsugo.read.sources.pdf import read_pdf
    from ketsugo.read.sources.tables import Skipped, TextLine

    blocks = read_pdf(data, "t.pdf")
    # a CID font draws FULLWIDTH HYPHEN-MINUS and MINUS SIGN with one glyph (pdf.py's docstring)
    lines = [b.text.replace("\u2212", "－") for b in blocks if isinstance(b, TextLine)]
    said = [(b.where, b.message, b.as_written) for b in blocks if isinstance(b, Skipped)]
    return lines, said


# A connection as a <dl> printed over three pages: the top band (≈ 67 pt) holds the running header
# and the first body lines of pages 2 and 3; page 2 ends with 「－」 in its foot band.
PAGES = [
    [
        (14, 100, "令和５年度 外部電子計算機との結合の状況"),
        (9, 140, "事務の名称"),
        (10, 160, "住民票の写しの交付"),
    ],
    [
        (10, 30, "氏名、住所、生年月日"),  # a <dd> wrapped from page 1
        (9, 46, "結合先"),  # a <dt> at the top of the page, in a smaller type than its <dd>
        (10, 75, "地方公共団体情報システム機構"),
        (9, 100, "根拠法令"),
        (10, 785, "－"),  # a <dd> in the foot band
    ],
    [
        (9, 30, "特定個人情報の有無"),
        (10, 46, "－"),
        (9, 75, "結合の理由"),
        (10, 95, "証明書をコンビニで交付するため"),
    ],
]


def test_body_lines_at_a_page_top_are_read(tmp_path: Path) -> None:
    lines, said = _read(_pdf(tmp_path / "dl.pdf", PAGES))
    assert lines == [
        "令和５年度 外部電子計算機との結合の状況",
        "事務の名称",
        "住民票の写しの交付",
        "氏名、住所、生年月日",
        "結合先",
        "地方公共団体情報システム機構",
        "根拠法令",
        "－",
        "特定個人情報の有無",
        "－",
        "結合の理由",
        "証明書をコンビニで交付するため",
    ]
    # the running header is left out, and said once (the page numbers say nothing)
    assert [(where.split()[0], text) for where, _, text in said] == [("p.1", HEADER)]
    assert "header band of 3 pages (p.1–3)" in said[0][1]


def test_a_line_repeated_on_few_pages_is_no_running_line(tmp_path: Path) -> None:
    """「－」 at the top of two pages of five is a value, not the pages' header."""
    pages = [
        [(14, 100, "令和５年度 外部電子計算機との結合の状況")],
        *([(9, 100, "結合先")] for _ in range(4)),
    ]
    pages[1] = [(10, 30, "－"), *pages[1]]
    pages[3] = [(10, 30, "－"), *pages[3]]
    lines, said = _read(_pdf(tmp_path / "few.pdf", pages))
    assert lines.count("－") == 2
    assert [text for _, _, text in said] == [HEADER]


def test_a_small_line_over_a_larger_one_on_one_page_is_read(tmp_path: Path) -> None:
    """A one-page report: a label in the top band over its larger value is no header (nothing marks
    it as one); a header marked by a document's label in brackets is one (an info says so)."""
    page = [(8, 14, "対象者"), (12, 70, "町内に住所を有する者")]
    lines, said = _read(_pdf(tmp_path / "one.pdf", [page], furniture=False))
    assert lines == ["対象者", "町内に住所を有する者"] and said == []
    marked = [(8, 14, "外部結合の状況【公表資料】"), (12, 70, "令和５年度 外部電子計算機との結合の状況")]
    lines, said = _read(_pdf(tmp_path / "marked.pdf", [marked], furniture=False))
    assert lines == ["令和５年度 外部電子計算機との結合の状況"]
    assert [text for _, _, text in said] == ["外部結合の状況【公表資料】"]
