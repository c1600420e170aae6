"""The pieces of ketsugo.read.sources, each on a small hand-made input with its expected reading."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from ketsugo.errors import InputError
from ketsugo.read.sources import read_source, source_text
from ketsugo.read.sources.detect import detect_format
from ketsugo.read.sources.tables import Row, Span, Table, TextLine, join_wrapped, to_text
from ketsugo.read.sources.xlsx import value_text
from tests.sources_fixtures import write_pdf

SUMMARY = "件数 実施機関\t令和元年度\t新たな\nx"


# --- joining the lines of a cell --------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["特別定額給付金給付事", "業に係る"], "特別定額給付金給付事業に係る"),  # Japanese wraps anywhere
        (["LGWAN-ASP", "service"], "LGWAN-ASP service"),  # Latin words keep their space
        (["R2. 8.", "1"], "R2. 8. 1"),
        (["Pay-easy納付の", "導入"], "Pay-easy納付の導入"),
        (["…番号、氏名）", "②給付申請状況"], "…番号、氏名） ②給付申請状況"),  # a list item starts
        (["メッセージ記録", "*氏名"], "メッセージ記録 *氏名"),
        (["  全角　", "", "テキスト "], "全角テキスト"),
    ],
)
def test_lines_of_a_cell_join(lines: list[str], joined: str) -> None:
    assert join_wrapped(lines) == joined


def test_text_form_keeps_empty_inner_cells_and_maps_lines() -> None:
    blocks = [
        TextLine("(1) 見出し", "p.1 line"),
        Table([Row(("A", "B", ""), "p.1 table 1 row 1"), Row(("", "b", ""), "p.1 table 1 row 2")]),
    ]
    text, where = to_text(blocks)
    assert text == "(1) 見出し\n\nA\tB\n\tb\n"
    assert where == {1: "p.1 line", 3: "p.1 table 1 row 1", 4: "p.1 table 1 row 2"}


# --- detection by content ---------------------------------------------------------------


def test_formats_detected_from_bytes() -> None:
    assert detect_format(b"%PDF-1.7\n...", "x.txt") == "pdf"
    assert detect_format(b"\xef\xbb\xbf  <!DOCTYPE html><html>", "x.txt") == "html"
    assert detect_format(b"<table><tr><td>1</td></tr></table>", "x") == "html"
    assert detect_format("1 1 外部電子計算機との結合の状況\n".encode(), "x.html") == "text"
    assert detect_format("(1) <注> 件数\n".encode("cp932"), "x") == "text"


def test_a_zip_that_is_not_a_workbook_is_named(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "report.pptx"  # a .docx is read (tests/test_office12_docx.py)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ppt/presentation.xml", "<p/>")
    with pytest.raises(InputError, match="not an Excel workbook"):
        read_source(path)


# --- Excel ------------------------------------------------------------------------------


def test_excel_values_as_text() -> None:
    assert value_text(datetime(2020, 4, 1)) == "2020-04-01"  # ISO: the era form is not recoverable
    assert value_text(date(2021, 3, 31)) == "2021-03-31"
    assert value_text(61.0) == "61"
    assert value_text(2.5) == "2.5"
    # a line break typed in a cell is kept for the text form, which reads it by the cell's column
    assert value_text("個人番号の指定、\n 通知カード ") == "個人番号の指定、\n通知カード"
    assert value_text(None) == ""


def test_workbook_sheets_in_order_tables_anywhere_merges_kept_in_the_first_cell(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    one = book.active
    one.title = "件数"
    one["C2"] = "(1) 件数"
    one.merge_cells("C2:F2")  # a title spanning the table: stays one line
    one["C4"], one["D4"], one["E4"] = "実施機関", "新たな結合数", "開始"
    one.merge_cells("C4:C5")  # header cell over the letter row: the letter row's cell stays empty
    one["D5"], one["E5"] = "b", "日"
    one["C6"], one["D6"], one["E6"] = "区長", 19, datetime(2020, 4, 1)
    two = book.create_sheet("内訳")
    two["A1"], two["B1"] = "No.", "課"
    two["A2"], two["B2"] = 1, "総務課"
    two["A3"] = 2
    two["B3"] = "税務課"
    path = tmp_path / "book.xlsx"
    book.save(path)
    source = read_source(path)
    assert source.encoding == "xlsx"
    assert source.text.splitlines() == [
        "(1) 件数",
        "",
        "実施機関\t新たな結合数\t開始",
        "\tb\t日",
        "区長\t19\t2020-04-01",
        "",
        "No.\t課",
        "1\t総務課",
        "2\t税務課",
    ]
    assert source.locations[1] == "件数!C2"
    assert source.locations[5] == "件数!C6"
    assert source.locations[9] == "内訳!A3"


def test_hidden_rows_and_columns_are_left_out_and_named_in_runs(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "内訳"
    for row in (
        ["No.", "作業", "課", "メモ1", "メモ2", "相手方"],
        [1, "x", "総務課", "m", "n", "甲"],
        [2, "x", "総務課", None, None, "乙"],  # hidden
        [3, "x", "税務課", None, None, "丙"],  # hidden
        [4, "x", "税務課", None, None, "丁"],
        [None, None, None, None, None, None],
    ):
        sheet.append(row)
    sheet["A7"] = "※注記"
    for number in (3, 4, 6):  # row 6 is hidden and empty: nothing to say about it
        sheet.row_dimensions[number].hidden = True
    sheet.column_dimensions["B"].hidden = True
    sheet.column_dimensions.group("D", "E", hidden=True)  # a collapsed group of columns
    sheet.merge_cells("C5:D5")  # a merge from a shown column into a hidden one: the shown part
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    source = read_source(path)
    assert source.text.splitlines() == ["No.\t課\t相手方", "1\t総務課\t甲", "4\t税務課\t丁", "", "※注記"]
    assert source.locations[3] == "内訳!A5"
    (said,) = source.findings
    # rows 3-4: 4 + 4 filled cells; columns B, D-E in the rows shown: B1, D1, E1, B2, D2, E2, B5
    assert said.field == "sheet 内訳, rows 3-4, columns B, D-E" and said.severity == "warning"
    assert said.message.startswith(
        "hidden rows 3-4 and hidden columns B, D-E of sheet '内訳' not read (15 filled cells)"
    )


def test_text_boxes_are_lines_placed_by_their_anchor_cells(tmp_path: Path) -> None:
    from tests.sources_fixtures import NOTE, SECTION_2, SECTION_3, write_text_box_xlsx

    source = read_source(write_text_box_xlsx(tmp_path / "boxes.xlsx"))
    lines = source.text.splitlines()
    # the title box at B1 first; the note box at A8 after the summary (rows 4-7), before A10
    assert [line for line in lines if line and "\t" not in line] == [
        "令和3年度外部電子計算機との結合の状況",
        "(1) 実施機関別外部電子計算機との結合件数",
        NOTE,
        SECTION_2,
        SECTION_3,
        "該当なし",
    ]
    assert source.where(lines.index(NOTE) + 1) == "外部結合!A8 (text box)"
    assert source.findings == ()  # the arrow holds no text: nothing to say


def test_a_text_box_written_twice_for_older_excel_is_read_once(tmp_path: Path) -> None:
    import zipfile

    from tests.sources_fixtures import NOTE, write_text_box_xlsx

    path = write_text_box_xlsx(tmp_path / "boxes.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    drawing = parts["xl/drawings/drawing1.xml"].decode("utf-8")
    first = drawing.index("<xdr:twoCellAnchor>")
    end = drawing.index("</xdr:twoCellAnchor>") + len("</xdr:twoCellAnchor>")
    box = drawing[first:end]  # the title box: as newer Excel reads it, and its fallback copy
    wrapped = (
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f'<mc:Choice Requires="a14">{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback></mc:AlternateContent>'
    )
    parts["xl/drawings/drawing1.xml"] = drawing.replace(box, wrapped).encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    lines = read_source(path).text.splitlines()
    assert (
        lines.count("令和3年度外部電子計算機との結合の状況") == 1
        and lines[0] == "令和3年度外部電子計算機との結合の状況"
    )
    assert lines.count(NOTE) == 1


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("&P / &N", ""),  # page fields only: nothing to read
        ("&C- &P -", ""),
        ("&RPage &P of &N", ""),
        ("&C&P ページ", ""),
        ('&L○○市&C&"ＭＳ 明朝,標準"&12令和3年度 &&報告&R&D &T', "○○市 令和3年度 &報告"),
        ("&K01+000&14表題", "表題"),  # a theme colour and a size
        ('&"-,Bold"&KFF0000外部結合', "外部結合"),
    ],
)
def test_print_headers_read_without_their_codes(code: str, shown: str) -> None:
    from ketsugo.read.sources.xlsx import print_text

    assert print_text(code) == shown


def test_a_print_header_is_no_title_where_the_cells_have_one(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "令和3年度 外部結合の状況"
    sheet["A2"], sheet["B2"] = "No.", "課"
    sheet["A3"], sheet["B3"] = 1, "総務課"
    sheet.oddHeader.right.text = "資料２"
    path = tmp_path / "numbered.xlsx"
    book.save(path)
    source = read_source(path)
    assert source.text.splitlines()[:3] == ["令和3年度 外部結合の状況", "", "資料２"]
    assert source.where(3) == "Sheet (print header)"


# --- HTML -------------------------------------------------------------------------------


def test_html_tables_with_spans_breaks_and_headings_in_order() -> None:
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><script>var t = "<p>x</p>";</script></head>
    <body><nav>メニュー</nav><h2>(2) 新たな結合</h2>
    <table><tr><th>No.</th><th>課</th><th colspan="2">相手方</th></tr>
    <tr><td>1</td><td rowspan="2">総務課</td><td>甲株式会社<br>乙株式会社</td><td>R2.4.1</td></tr>
    <tr><td>2</td><td>丙</td><td>R2.5.1</td></tr></table>
    <p>※ 注記</p></body></html>"""
    source = source_text(page.encode(), "page.html")
    assert source.text.splitlines() == [
        "(2) 新たな結合",
        "",
        "No.\t課\t相手方",
        # <br> in the 相手方 column separates two counterparties; the rowspan is 総務課 for both rows
        "1\t総務課\t甲株式会社 乙株式会社\tR2.4.1",
        "2\t総務課\t丙\tR2.5.1",
        "",
        "※ 注記",
    ]
    assert source.locations[4] == "table 1 row 2"


def test_layout_tables_are_read_as_page_content() -> None:
    page = (
        "<html><body><table><tr><td><h3>(1) 件数</h3>"
        "<table><tr><td>区長</td><td>19</td></tr></table></td></tr></table></body></html>"
    )
    assert source_text(page.encode(), "p.html").text.splitlines() == ["(1) 件数", "", "区長\t19"]


def test_a_page_without_main_starts_at_its_h1() -> None:
    page = (
        "<html><body><table><tr><td>ロゴ</td><td>検索</td></tr></table><p>ホーム &gt; 外部結合</p>"
        "<table><tr><td><h1>令和3年度 外部結合</h1><table><tr><td>区長</td><td>1</td></tr></table>"
        "</td></tr></table><p>※注記</p></body></html>"
    )
    source = source_text(page.encode(), "p.html")
    assert source.text.splitlines() == ["令和3年度 外部結合", "", "区長\t1", "", "※注記"]
    assert source.locations[3] == "table 2 row 1"  # the banner's table counts
    (said,) = source.findings
    assert (said.severity, said.field, said.as_written) == (
        "info",
        "before <h1>",
        "ロゴ 検索 / ホーム > 外部結合",
    )
    # with a <main>, the page's content is what it marks (no finding), <h1> or not
    marked = page.replace("<body>", "<body><main>").replace("</body>", "</main></body>")
    assert source_text(marked.encode(), "p.html").findings == ()


def test_what_the_markup_hides_is_not_read_and_is_said() -> None:
    page = (
        "<html><body><main><table><tr><th>No.</th><th style='DISPLAY: none'>コード</th><th>課</th></tr>"
        "<tr><td>1</td><td style='display:none'>X1</td><td>総務課<span style='mso-hide:all'>（旧）</span></td></tr>"
        "<tr hidden><td>2</td><td>X2</td><td>税務課</td></tr>"
        "<tr><td>3</td><td style='display : none'>X3</td><td>戸籍住民課</td></tr></table>"
        "<p style='display:none'></p></main></body></html>"
    )
    source = source_text(page.encode(), "p.html")
    # a hidden cell takes no place; a hidden row none; row N counts the page's rows
    assert source.text.splitlines() == ["No.\t課", "1\t総務課", "3\t戸籍住民課"]
    assert source.locations[3] == "table 1 row 4"
    (said,) = source.findings
    assert said.severity == "warning" and said.field == "display:none"
    assert "3 cells, 1 element, 1 table row" in said.message  # the empty <p> is nothing to say
    assert said.as_written == "コード / X1 / （旧） / 2 X2 税務課 / X3"


def test_an_h1_in_a_layout_cell_starts_the_content_there() -> None:
    page = (
        "<html><body><p>トップ &gt; 外部結合</p><table><tr><td><h1>令和3年度 外部結合</h1></td></tr></table>"
        "<table><tr><td>区長</td><td>1</td></tr></table></body></html>"
    )
    source = source_text(page.encode(), "p.html")
    assert source.text.splitlines() == ["令和3年度 外部結合", "", "区長\t1"]
    assert [f.as_written for f in source.findings] == ["トップ > 外部結合"]


def test_ruby_readings_are_not_part_of_the_text() -> None:
    page = (
        "<html><body><table><tr><th>課</th><th>相手方</th></tr><tr><td><ruby>総務課<rp>(</rp><rt>そうむか</rt>"
        "<rp>)</rp></ruby></td><td><ruby>株式会社<rt>かぶしきがいしゃ</rt></ruby>Ａ</td></tr></table></body></html>"
    )
    assert source_text(page.encode(), "p.html").text.splitlines() == ["課\t相手方", "総務課\t株式会社Ａ"]


def test_a_tfoot_written_before_the_rows_is_read_after_them() -> None:
    page = (
        "<html><body><table><thead><tr><th>実施機関</th><th>新規</th></tr></thead>"
        "<tfoot><tr><td>合計</td><td>3</td></tr></tfoot>"
        "<tbody><tr><td>区長</td><td>2</td></tr><tr><td>教育委員会</td><td>1</td></tr></tbody></table></body></html>"
    )
    source = source_text(page.encode(), "p.html")
    assert source.text.splitlines() == ["実施機関\t新規", "区長\t2", "教育委員会\t1", "合計\t3"]
    assert source.locations[4] == "table 1 row 4"  # rows counted as shown


def test_shift_jis_pages_with_windows_characters(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="Shift_JIS"></head><body><table><tr><td>①氏名</td><td>㈱</td></tr></table>'
    )
    assert source_text(page.encode("cp932"), "p.html").text == "①氏名\t㈱\n"


# --- PDF: the fixture's layout read as the text -----------------------------------------


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, bundled_path: Path) -> Path:
    return write_pdf(bundled_path.read_text(encoding="utf-8"), tmp_path_factory.mktemp("pdf") / "r.pdf")


def test_pdf_fixture_has_what_the_reader_must_handle(pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        pages = opened.pages
        assert len(pages) >= 3
        assert "- 2 -" in pages[1].extract_text()
        assert "公表資料" in pages[1].extract_text()
        cells = [c for p in pages for t in p.extract_tables() for row in t for c in row if c]
        firsts = [p.extract_tables()[0][0][0] for p in pages[1:] if p.extract_tables()]
    assert any("\n" in c for c in cells)  # wrapped cells
    assert "No." in firsts  # a table continued with its header repeated
    assert any(re.fullmatch(r"\d+", f or "") for f in firsts)  # and one continued without


def test_pdf_reads_as_the_text_form(pdf: Path, bundled_path: Path) -> None:
    source = read_source(pdf)
    text = source.text
    assert "(cid:" not in text
    assert "公表資料" not in text and not re.search(r"^- \d+ -$", text, re.M)  # header, page numbers
    # every line but the header rows a page break repeats (the text form needs them only once
    # per table; where a block starts a page right after a full one, the two read as one table)
    want = [line for line in bundled_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    got = [line for line in text.splitlines() if line.strip()]
    assert len([g for g in got if not g.startswith("No.\t")]) == len(
        [w for w in want if not w.startswith("No.\t")]
    )
    assert got[0] == want[0] and got[-1] == want[-1] == "実績はありません。"
    order = [line.split("\t")[0] for line in got if re.match(r"\d+\t", line)]
    assert order == [str(n) for n in range(1, 23)]
    assert source.locations[1].startswith("p.1 ")


# --- a PDF table continued on the next page ----------------------------------------------


def _page_rows(where: str, *rows: tuple[tuple[str, ...], tuple[tuple[float, float], ...]]) -> list[Row]:
    return [Row(cells, f"{where} row {n}", edges=edges) for n, (cells, edges) in enumerate(rows, start=1)]


HEADER = ("No.", "結合を行った課", "外部結合に係る個人情報記録の項目", "結合の相手方")
NO_EDGES: tuple[tuple[float, float], ...] = ()


def test_a_row_broken_across_a_page_joins_the_row_above_and_a_cut_box_is_one_cell() -> None:
    from ketsugo.read.sources.pdf import _continue

    # page 1: 税務課 drawn over No.2 and No.3 (a box from row 3 to the table's end); No.3's items
    # cell ends on a full line (no room: the wrap cut 給与支払額), its counterparty cell short
    head = Table(
        _page_rows(
            "p.1 table 1",
            (HEADER, NO_EDGES),
            (("1", "総務課", "氏名", "甲株式会社"), NO_EDGES),
            (("2", "税務課", "氏名", "乙株式会社"), NO_EDGES),
            (("3", "", "氏名、住所、給", "丙株式会社"), ((9, 6), (0, 0), (0.3, 8), (60, 8))),
        ),
        [Span(2, 1, 2, 1)],
    )
    # page 2: the header repeated; No.3's rest (items go on; a second counterparty, first word 8 pt
    # wide); the box continued, empty, over the rest and No.4
    rest = Table(
        _page_rows(
            "p.2 table 1",
            (HEADER, NO_EDGES),
            (("", "", "与支払額", "丁株式会社"), ((0, 0), (0, 0), (40, 8), (50, 8))),
            (("4", "", "氏名", "戊株式会社"), NO_EDGES),
        ),
        [Span(1, 1, 2, 1)],
    )
    _continue(head, rest)
    text, where = to_text([head])
    assert text.splitlines() == [
        "No.\t結合を行った課\t外部結合に係る個人情報記録の項目\t結合の相手方",
        "1\t総務課\t氏名\t甲株式会社",
        "2\t税務課\t氏名\t乙株式会社",
        "3\t税務課\t氏名、住所、給与支払額\t丙株式会社 丁株式会社",
        "4\t税務課\t氏名\t戊株式会社",
    ]
    assert where[4] == "p.1 table 1 row 4" and where[5] == "p.2 table 1 row 3"


def test_a_page_opening_with_a_numbered_row_is_no_broken_row() -> None:
    from ketsugo.read.sources.pdf import _continue

    head = Table(_page_rows("p.1 table 1", (HEADER, NO_EDGES), (("1", "総務課", "氏名", "甲"), NO_EDGES)))
    rest = Table(_page_rows("p.2 table 1", (("2", "", "住所", "乙"), NO_EDGES)))
    _continue(head, rest)
    assert [r.cells for r in head.rows[1:]] == [("1", "総務課", "氏名", "甲"), ("2", "", "住所", "乙")]
    # a blank No. right under the header (no row above it to continue) stays a row of its own
    head = Table(_page_rows("p.1 table 1", (HEADER, NO_EDGES)))
    _continue(head, Table(_page_rows("p.2 table 1", (("", "税務課", "住所", "乙"), NO_EDGES))))
    assert [r.cells for r in head.rows] == [HEADER, ("", "税務課", "住所", "乙")]


# --- a typed line break inside a counterparty's name ---------------------------------------------


def _parties(*cells: str) -> tuple[list[str], list[str]]:
    """The counterparty cells as the text form writes them, and the notes on how breaks were read."""
    from ketsugo.read.sources.tables import text_form

    header = Row(("No.", "結合を行った課", "結合の相手方"), "t row 1")
    rows = [Row((str(n), "総務課", cell), f"t row {n + 1}") for n, cell in enumerate(cells, start=1)]
    text, _, notes = text_form([Table([header, *rows])])
    return [line.split("\t")[2] for line in text.splitlines()[1:]], [n.message for n in notes]


def test_a_break_inside_a_known_party_kind_joins() -> None:
    got, notes = _parties("LGWAN-ASP\nサービス提供者", "地方公共団体情報システム機構\n納付サービス\n提供者")
    assert got == ["LGWAN-ASPサービス提供者", "地方公共団体情報システム機構 納付サービス提供者"]
    assert notes == []


def test_a_break_after_a_legal_form_alone_joins() -> None:
    got, notes = _parties(
        "株式会社\nＡＢＣ", "ＡＢＣ\n（株）", "株式会社Ａ\n株式会社Ｂ", "Ｘ株式会社\n株式会社\nＹ"
    )
    assert got == ["株式会社ＡＢＣ", "ＡＢＣ（株）", "株式会社Ａ 株式会社Ｂ", "Ｘ株式会社 株式会社Ｙ"]
    assert notes == []  # Ｘ株式会社 has its legal form: the lone one is Ｙ's


def test_a_legal_form_alone_between_two_names_is_read_with_the_next_and_reported() -> None:
    got, notes = _parties("ＡＢＣ\n株式会社\nＤＥＦ")
    assert got == ["ＡＢＣ 株式会社ＤＥＦ"]
    (note,) = notes
    assert "株式会社" in note and "ＡＢＣ" in note and "株式会社ＤＥＦ" in note
