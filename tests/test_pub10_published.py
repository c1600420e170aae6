"""Published forms read as a reader reads them (pub10): a rowspan cell cut by a PDF page break, a
note mark after a cell's value, a line break inside Japanese text in a PDF cell, a web page's
furniture and table captions, pdfminer's log, and where a finding about a column points in a
workbook. Made-up pages and reports; every expectation read off what is drawn or written here."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source
from ketsugo.read.sources.tables import Row, Span, Table, text_form

T = "\t"
FONT = "HeiseiKakuGo-W5"
# columns of the drawn table (pt from the left edge) and their headers
LEFTS = [40, 70, 130, 230, 330, 430, 540, 610]
HEADER = ["No.", "所管課", "事務の名称", "記録項目", "結合先", "目的", "開始年月日"]


def _draw_table(
    canvas: Any, height: float, top: float, rows: list[list[str]], open_column: dict[int, int]
) -> None:
    """Rows of 30 pt under ``top`` (pt from the page's top), ruled as a browser prints them: the
    column of ``open_column`` (column → first row of a cell drawn over the rest of the table) has no
    line between those rows nor under the last one — the cell runs on to the next page."""
    ys = [top + 30 * r for r in range(len(rows) + 1)]
    for r, y in enumerate(ys):
        for c in range(len(LEFTS) - 1):
            first = open_column.get(c)
            if first is not None and r > first:
                continue  # inside the open cell and at its cut bottom: no line drawn
            canvas.line(LEFTS[c], height - y, LEFTS[c + 1], height - y)
    for x in LEFTS:
        canvas.line(x, height - ys[0], x, height - ys[-1])
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            lines = text.split("\n")
            for n, line in enumerate(lines):
                canvas.drawString(LEFTS[c] + 2, height - (ys[r] + 9 + 9 * n), line)


def _write_cut_rowspan_pdf(out: Path) -> Path:
    """Page 1: the title, the (2) heading, the header and No.1–2, 住民課 drawn once at the top of a
    box over both rows with no bottom line (the page's end cuts it). Page 2: the header repeated,
    No.3 with an empty 所管課 box (the rest of the cut cell), No.4 of 税務課. No.1's 目的 is written
    on two lines, broken by hand after 写し等を (it ends short: the next word would have fit)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width, height = landscape(A4)
    canvas = Canvas(str(out), pagesize=(width, height))
    canvas.setFont(FONT, 10)
    canvas.drawString(40, height - 50, "令和6年度 外部電子計算機との結合の状況")
    canvas.drawString(40, height - 80, "2. 令和6年度に新たに開始した結合")
    canvas.setFont(FONT, 7)
    first = [
        HEADER,
        ["1", "住民課", "証明書交付事務", "氏名", "機構", "写し等を\n交付するため", "令和6年4月1日"],
        ["2", "", "郵送請求受付事務", "氏名\n住所", "株式会社テスト", "受付", "令和6年5月1日"],
    ]
    _draw_table(canvas, height, 100, first, {1: 1})
    canvas.showPage()
    canvas.setFont(FONT, 7)
    second = [
        HEADER,
        ["3", "", "資格確認事務", "氏名", "国保連", "確認", "令和6年6月1日"],
        ["4", "税務課", "課税事務", "氏名", "地方税共同機構", "課税", "令和6年7月1日"],
    ]
    _draw_table(canvas, height, 40, second, {})
    canvas.showPage()
    canvas.save()
    return out


@pytest.fixture(scope="module")
def cut_rowspan(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return read_source(_write_cut_rowspan_pdf(tmp_path_factory.mktemp("pdf") / "cut.pdf"))


def _rows(text: str) -> dict[str, list[str]]:
    return {line.split(T)[0]: line.split(T) for line in text.splitlines() if T in line}


def test_a_cell_over_rows_cut_by_the_page_break_is_every_rows_value(cut_rowspan: Any) -> None:
    rows = _rows(cut_rowspan.text)
    # 住民課 stands for No.1 and No.2 on its page and for No.3, the blank first row of the next page
    assert [rows[n][1] for n in ("1", "2", "3", "4")] == ["住民課", "住民課", "住民課", "税務課"]
    said = [f for f in cut_rowspan.findings if "cut by the page break" in f.message]
    assert len(said) == 1 and said[0].severity == "info" and "住民課" in said[0].message
    assert "p.2 table 1 row 2" in said[0].message  # the blank cell it fills (under the repeated header)


def test_the_cut_cells_department_reaches_the_parsed_connections(cut_rowspan: Any) -> None:
    report = parse_report(cut_rowspan.text, "cut.pdf", lenient=True)
    departments = {c.number: c.departments_as_written for c in report.connections}
    assert departments == {1: "住民課", 2: "住民課", 3: "住民課", 4: "税務課"}


def test_a_break_typed_between_japanese_words_joins_without_a_space(cut_rowspan: Any) -> None:
    rows = _rows(cut_rowspan.text)
    assert rows["1"][5] == "写し等を交付するため"  # 目的: text, no space inside Japanese
    assert rows["2"][3] == "氏名、住所"  # 記録項目: a list, the typed break its separator


def test_a_line_ending_one_character_short_before_a_mark_that_cannot_open_a_line_was_wrapped() -> None:
    """禁則: 歴、 moves down whole, so the line above ends with room for 歴 alone — wrapped, not broken."""
    from ketsugo.read.sources.pdf import _join_cell

    def line(text: str, x0: float) -> dict[str, Any]:
        chars = [{"text": ch, "x0": x0 + 8 * i, "x1": x0 + 8 * (i + 1)} for i, ch in enumerate(text)]
        return {"text": text, "x0": x0, "x1": chars[-1]["x1"], "chars": chars}

    limit = 10 + 8 * 6 + 10  # room for 1.25 characters after 氏名、接種履
    assert _join_cell([line("氏名、接種履", 10), line("歴、性別", 10)], limit) == "氏名、接種履歴、性別"
    # a line ending short although the next word would have fit was broken on purpose
    assert _join_cell([line("氏名", 10), line("住所", 10)], limit) == "氏名\n住所"


def test_pdfminer_says_nothing_while_a_pdf_is_read(caplog: pytest.LogCaptureFixture) -> None:
    from ketsugo.read.sources.pdf import _pdfminer_quiet

    logger = logging.getLogger("pdfminer.pdffont")
    with caplog.at_level(logging.WARNING):
        with _pdfminer_quiet():
            logger.warning("Could not get FontBBox from font descriptor")
            logger.error("a broken stream")  # its errors still show
        logger.warning("outside: heard")  # the level is given back
    assert [r.getMessage() for r in caplog.records] == ["a broken stream", "outside: heard"]


def test_an_open_box_of_a_pdf_table_is_read_not_dropped() -> None:
    """The box no cell was found for (no bottom line) is one cell over the rows it covers."""
    from ketsugo.read.sources.pdf import _unclosed_boxes

    class Plumbed:
        bbox = (0.0, 0.0, 30.0, 30.0)
        cells = (  # a 3 × 3 grid whose middle column has no cell in rows 2 and 3
            (0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0), (20.0, 0.0, 30.0, 10.0),
            (0.0, 10.0, 10.0, 20.0), (20.0, 10.0, 30.0, 20.0),
            (0.0, 20.0, 10.0, 30.0), (20.0, 20.0, 30.0, 30.0),
        )  # fmt: skip

    assert _unclosed_boxes(Plumbed()) == [(Span(1, 1, 2, 1), (10.0, 10.0, 20.0, 30.0))]  # type: ignore[arg-type]


# --- note marks after a value ------------------------------------------------------------------

NOTED = [
    "テスト町 外部電子計算機との結合の状況（令和6年度）",
    "",
    "(2) 新たに結合したもの",
    "",
    T.join(["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"]),
    T.join(["1", "住民課", "証明", "氏名、個人番号※", "（株）阿波テスト※4", "令和6年4月1日"]),  # line 6
    T.join(["2", "税務課", "課税", "氏名", "総務省注2、株式会社テスト＊1", "令和6年5月1日"]),  # line 7
    "※4 LGWAN-ASPにより結合するもの。",
    "※印を付した項目は特定個人情報です。",
    "",
]


def test_a_note_mark_after_a_value_is_no_part_of_it() -> None:
    report = parse_report("\n".join(NOTED), "t.txt", lenient=True)
    first, second = report.connections
    assert first.counterparties_as_written == "（株）阿波テスト"
    assert second.counterparties_as_written == "総務省、株式会社テスト"
    said = {(i.line, i.message.split(":")[0]): i for i in report.issues if "note mark" in i.message}
    assert set(said) == {
        (6, "a note mark ※4 after the value is a reference to a note, no part of the value"),
        (7, "a note mark 注2 after the value is a reference to a note, no part of the value"),
        (7, "a note mark *1 after the value is a reference to a note, no part of the value"),
    }
    linked = said[(6, "a note mark ※4 after the value is a reference to a note, no part of the value")]
    assert (
        linked.severity == "info" and "the note at line 8: ※4 LGWAN-ASPにより結合するもの。" in linked.message
    )
    assert linked.as_written == "（株）阿波テスト※4"  # the cell as written kept
    # the item's own mark is the items' (特定個人情報 read from it, the note at line 9)
    assert first.specific_personal_information is True
    assert [i.footnote for i in first.items.items] == ["", "※"]


def test_a_superscript_note_mark_on_a_web_page_is_no_part_of_the_party(tmp_path: Path) -> None:
    page = tmp_path / "noted.html"
    head = "".join(f"<th>{h}</th>" for h in ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"])
    page.write_text(
        "<html><body><h1>テスト町 外部電子計算機との結合の状況（令和6年度）</h1><h2>(2) 新たに結合したもの</h2>"
        f"<table><tr>{head}</tr><tr><td>1</td><td>住民課</td><td>証明</td><td>氏名</td>"
        "<td>（株）阿波テスト<sup>※4</sup></td><td>令和6年4月1日</td></tr></table>"
        "<p>※4 LGWAN-ASPにより結合するもの。</p></body></html>",
        encoding="utf-8",
    )
    report = parse_report(read_source(page).text, "noted.html", lenient=True)
    assert [c.counterparties_as_written for c in report.connections] == ["（株）阿波テスト"]


# --- a web page's furniture and captions ---------------------------------------------------------


def test_site_furniture_is_left_out_with_one_info_and_a_caption_is_the_tables_title(tmp_path: Path) -> None:
    page = tmp_path / "cms.html"
    head = "".join(f"<th>{h}</th>" for h in ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"])
    page.write_text(
        '<html><body><div id="header">町のサイト</div><div id="breadcrumb">ホーム &gt; 町政</div>'
        '<div id="contents"><h1>テスト町 外部電子計算機との結合の状況（令和6年度）</h1>'
        '<div class="topicpath">ホーム &gt; 町政 &gt; 個人情報</div>'
        "<h2>(2) 新たに結合したもの</h2>"
        f"<table><caption>新たに結合したものの一覧</caption><tr>{head}</tr><tr><td>1</td><td>住民課</td>"
        "<td>証明</td><td>氏名</td><td>総務省</td><td>令和6年4月1日</td></tr></table>"
        "<p>以上のとおり公表します。</p>"
        "<h2>このページに関するお問い合わせ</h2><p>総務課 総務係<br>電話：0885-00-0000</p>"
        '<p class="pagetop"><a href="#top">ページの先頭へ</a></p></div>'
        '<div id="footer"><p>テスト町役場</p><p>Copyright</p></div></body></html>',
        encoding="utf-8",
    )
    source = read_source(page)
    text = source.text
    for furniture in ("ホーム", "お問い合わせ", "総務係", "ページの先頭へ", "テスト町役場", "Copyright"):
        assert furniture not in text
    assert "以上のとおり公表します。" in text  # the report's own words stay
    said = [f for f in source.findings if "furniture" in f.message]
    assert len(said) == 1 and said[0].severity == "info"
    for furniture in ("町政 > 個人情報", "総務課 総務係", "ページの先頭へ", "テスト町役場"):
        assert furniture in said[0].as_written
    report = parse_report(text, "cms.html", lenient=True)
    caption = [i for i in report.issues if "新たに結合したものの一覧" in i.as_written]
    assert [(i.severity, i.message) for i in caption] == [
        ("info", "the table's title (the line right before its header row): kept as written")
    ]
    # only the report's own closing words are a line not understood: none of the site's
    unread = [i.as_written for i in report.issues if i.message.startswith("line not understood")]
    assert unread == ["以上のとおり公表します。"]


# --- where a finding about a column points ------------------------------------------------------


def test_a_finding_about_a_column_names_its_cell_under_a_two_row_header() -> None:
    """Row 4 groups 審議会 over 審議日 | 結果 (row 5); the others span both rows. A finding about the
    結果 column is said at its own header cell, N5 here — not at the row's first cell."""
    top = ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日", "審議会", ""]
    below = ["", "", "", "", "", "", "審議日", "結果"]
    letters = "GHIJKLMN"
    table = Table(
        [
            Row(tuple(top), "新規!A4", places=tuple(f"新規!{c}4" for c in letters)),
            Row(tuple(below), "新規!A5", places=tuple(f"新規!{c}5" for c in letters)),
            Row(
                ("1", "住民課", "証明", "氏名", "総務省", "令和6年4月1日", "令和6年3月1日", "承認"),
                "新規!A6",
                places=tuple(f"新規!{c}6" for c in letters),
            ),
        ],
        [*(Span(0, c, 2, 1) for c in range(6)), Span(0, 6, 1, 2)],
    )
    cells: dict[int, dict[str, str]] = {}
    text, _, _ = text_form([table], cells)
    header_line = 1
    # 結果 is a part of the council cell (headers.toml [grouped_parts]): named with its group
    assert text.splitlines()[0].split(T)[-1] == "審議会 結果"
    assert cells[header_line]["審議会 結果"] == "新規!N5"  # its own sub-header cell
    assert cells[header_line]["担当課"] == "新規!H4"  # a header over both rows: its top cell
    assert cells[2]["審議会 結果"] == "新規!N6"


def test_the_hidden_column_finding_reads_in_japanese() -> None:
    from ketsugo.cli.messages import translate

    said = translate(
        "hidden column C of sheet '新規' not read (15 filled cells): what is hidden is not what was "
        "published (unhide them and save the workbook if they are part of the report)"
    )
    assert said is not None and said.startswith("シート '新規' の非表示の列 Cを読まなかった")
    assert "hidden" not in said and "column" not in said
