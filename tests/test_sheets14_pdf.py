"""sheets14 (PDF): an items cell printed in a narrow column, each item typed on a line of its own
(tests/cases/user16b/otofuke-2024 NOTES.md cause 4): a line that fills the column and is a data
item's name by itself ends that item; a wrap inside a name stays a wrap. Expectations read from the
lines drawn below (each cell's lines drawn as a word processor wraps them, four characters a line)."""

from __future__ import annotations

import html
from pathlib import Path

from ketsugo.read.itemnames import ends_item
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

# the items cells, line by line as printed (a "/" between two lines)
CELLS = [
    "氏名/住所/個人番号/特別徴収/税額",  # typed: 氏名, 住所, 個人番号, 特別徴収税額 (wrapped)
    "氏名/住所/車台番号/標識番号",  # typed: 氏名, 住所, 車台番号, 標識番号
    "氏名/認定調査/結果",  # typed: 氏名, 認定調査結果 (wrapped: 結果 ends the compound)
    "氏名/個人番号/カード",  # typed: 氏名, 個人番号カード (wrapped: a name runs over the break)
    "個人番号/氏名/住所",  # typed: 個人番号, 氏名, 住所 (the first line fills the column)
]


def _write(out: Path) -> Path:
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
    rows = [["No.", "結合を行った課", "業務名", "記録項目", "結合の相手方", "結合の開始年月日"]]
    for number, items in enumerate(CELLS, start=1):
        rows.append([str(number), "税務課", f"業務{number}", items, "地方税共同機構", "令和6年5月13日"])
    table = Table(
        [[Paragraph("<br/>".join(html.escape(p) for p in c.split("/")), cell) for c in row] for row in rows],
        colWidths=[24, 50, 80, 40, 90, 70],  # 記録項目: 28 pt of text, four characters of 7 pt
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [
        Paragraph("令和6年度 外部電子計算機との結合の状況", body),
        Paragraph(html.escape("(2)新たに外部計算機との結合を行った外部結合の内訳"), body),
        table,
    ]
    SimpleDocTemplate(str(out), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=50).build(story)
    return out


def test_a_line_filling_a_narrow_items_column_may_end_an_item(tmp_path: Path) -> None:
    source = read_source(_write(tmp_path / "narrow.pdf"))
    report = parse_report(source.text, "narrow.pdf")
    items = {c.number: [i.name for i in c.items.items] for c in report.connections}
    assert items == {
        1: ["氏名", "住所", "個人番号", "特別徴収税額"],
        2: ["氏名", "住所", "車台番号", "標識番号"],
        3: ["氏名", "認定調査結果"],
        4: ["氏名", "個人番号カード"],
        5: ["個人番号", "氏名", "住所"],
    }


def test_which_breaks_end_an_item() -> None:
    assert ends_item("個人番号", "特別徴収")
    assert ends_item("車台番号", "標識番号")
    assert not ends_item("特別徴収", "税額")  # no name by itself
    assert not ends_item("個人番号", "カード")  # 個人番号カード runs over the break
    assert not ends_item("出欠", "状況")  # 状況 ends a compound
    assert not ends_item("源泉徴収", "税額")
    assert not ends_item("筆頭者", "氏名")  # the head of a household's name: one item
    assert not ends_item("給与", "支払額")  # 給与支払額 runs over the break (the rest of the item)
    assert ends_item("基礎年金番号", "氏名")
