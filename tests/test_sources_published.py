"""Files shaped like real published ones (tests/sources_fixtures.py: write_published_*), read as
published: the records below were read by hand from each fixture's layout, before running ketsugo.

Each connection is (section, No., department, business, item names, counterparties as written,
My Number flag, start or end date, where it stood in the file).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report
from ketsugo.read.sources import SourceText, read_source
from tests.sources_fixtures import (
    PDF_ROWS,
    pdf_row,
    write_many_pages_pdf,
    write_published_html,
    write_published_pdf,
    write_published_xlsx,
    write_sub_rows_html,
    write_sub_rows_pdf,
    write_sub_rows_xlsx,
)

MY_NUMBER_ITEMS = ["納付番号", "金額", "金融機関コード", "口座番号"]  # ①② groups: their members


def _read(path: Path) -> tuple[SourceText, Report]:
    source = read_source(path)
    with source.errors_located():  # strict: any error fails the test
        report = source.findings_located(parse_report(source.text, str(path)))
    return source, report


def _connections(source: SourceText, report: Report) -> list[tuple[object, ...]]:
    return [
        (
            c.status,
            c.number,
            c.departments_as_written,
            c.business,
            [i.name for i in c.items.items],
            c.counterparties_as_written,
            c.specific_personal_information,
            c.start_date or c.end_date,
            source.where(c.line),
        )
        for c in report.connections
    ]


def _summary(report: Report) -> list[tuple[object, ...]]:
    return [(s.agency, s.previous, s.new, s.ended, s.current, s.specific, s.is_total) for s in report.summary]


SUMMARY = [
    ("区長", 5, 3, 1, 7, 2, False),
    ("教育委員会", 0, 0, 0, 0, 0, False),
    ("合計", 5, 3, 1, 7, 2, True),
]


def _published_rows(*where: str) -> list[tuple[object, ...]]:
    """The connections the workbook and the page both show (read by hand from the fixture writers),
    each with where it stands in that file. 総務課 is merged over No.1 and No.2; a typed break
    separates the items; No. is stored as 1.0 in the workbook."""
    rows = [
        ("new", 1, "総務課", "特別定額給付金給付事務", ["氏名", "住所", "生年月日"],
         "地方公共団体情報システム機構", False, date(2020, 5, 15)),
        ("new", 2, "総務課", "ふるさと納税", ["氏名", "住所", "電話番号"],
         "株式会社Ａ 株式会社Ｂ", True, date(2020, 8, 1)),
        ("new", 3, "税務課", "収納業務", MY_NUMBER_ITEMS,
         "LGWAN-ASPサービス提供者", True, date(2020, 4, 1)),
        ("ended", 1, "戸籍住民課", "証明書コンビニ交付", [],
         "地方公共団体情報システム機構", None, date(2021, 3, 31)),
    ]  # fmt: skip
    return [(*row, place) for row, place in zip(rows, where, strict=True)]


# --- Excel ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return write_published_xlsx(tmp_path_factory.mktemp("xlsx") / "published.xlsx")


def test_workbook_reads_as_published(workbook: Path) -> None:
    source, report = _read(workbook)
    assert _connections(source, report) == _published_rows("新規!A5", "新規!A6", "新規!A7", "終了!A4")
    assert _summary(report) == SUMMARY  # the total row holds formulas: their saved values
    assert report.fiscal_year == 2020
    assert report.title == "令和2年度 外部電子計算機との結合の状況"


def test_workbook_header_over_two_rows_is_one_header(workbook: Path) -> None:
    source = read_source(workbook)
    lines = source.text.splitlines()
    header = next(line for line in lines if line.startswith("No.\t結合を行った課\t業務名\t外部"))
    assert header.split("\t") == [
        "No.", "結合を行った課", "業務名", "外部結合の内容 外部結合に係る個人情報記録の項目",
        "外部結合の内容 特定個人情報の有無", "外部結合の内容 結合の相手方", "結合の開始年月日",
    ]  # fmt: skip
    assert source.where(lines.index(header) + 1) == "新規!A3"
    # the summary's first header cell is merged over the letter row: that row stays a letter row
    assert "\ta\tb\tc\ta + b - c" in lines


def test_workbook_sheets_left_out_are_findings_not_data(workbook: Path) -> None:
    source, report = _read(workbook)
    assert "○○課" not in source.text and "株式会社○○" not in source.text  # 記載例
    assert "戸籍住民課" not in [line.split("\t")[-1] for line in source.text.splitlines()]  # リスト
    said = [(i.severity, i.field, i.message) for i in report.issues if i.field.startswith("sheet ")]
    assert [(s, f) for s, f, _ in said] == [("warning", "sheet 記載例"), ("warning", "sheet リスト")]
    assert "sample sheet '記載例' not read (15 filled cells)" in said[0][2]
    assert "hidden sheet 'リスト' not read (4 filled cells)" in said[1][2]
    # the cover's date is no heading: kept as an unread line, with a finding at its cell (an info:
    # text before the tables is what a report opens with, not a line ketsugo failed to read)
    assert [i.as_written for i in report.issues if "line not understood" in i.message] == []
    unread = [i for i in report.issues if "kept as written in the graph" in i.message]
    assert [(i.as_written, i.severity) for i in unread] == [("令和3年6月", "info")]
    assert "(at 表紙!F20;" in unread[0].message


def test_formulas_without_saved_values_are_refused(tmp_path: Path) -> None:
    path = write_published_xlsx(tmp_path / "calc.xlsx", cached=False)
    result = CliRunner().invoke(
        cli, ["build", str(path), "--municipality", "131041", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2, result.output
    assert str(path) in result.output
    assert (
        "formula saved without its value at 総括!E5, 総括!E6, 総括!B7, 総括!C7, 総括!D7 and 2 more"
        in result.output
    )
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


def _serial_workbook(path: Path, value: object, *, fmt: str = "General") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "新規"
    sheet["A1"] = "(2)新たに外部計算機との結合を行った外部結合の内訳"
    header = [
        "No.",
        "結合を行った課",
        "業務名",
        "外部結合に係る個人情報記録の項目",
        "結合の相手方",
        "結合の開始年月日",
    ]
    for col, text in enumerate(header, start=1):
        sheet.cell(2, col, text)
    for col, cell_value in enumerate([1, "総務課", "事務", "氏名", "株式会社Ａ", value], start=1):
        sheet.cell(3, col, cell_value).number_format = fmt if col == 6 else "General"
    book.save(path)
    return path


@pytest.mark.parametrize("fmt", ["General", "0"])
def test_a_date_serial_shown_as_a_number_is_read_as_the_date_with_a_finding_at_its_cell(
    tmp_path: Path, fmt: str
) -> None:
    # 43922 = 2020-04-01 as an Excel serial (days since 1899-12-30), in a General or number cell:
    # Excel shows 43922, the person meant the date
    path = _serial_workbook(tmp_path / "serial.xlsx", 43922, fmt=fmt)
    source, report = _read(path)
    (connection,) = report.connections
    assert connection.start_date == date(2020, 4, 1)
    assert source.where(connection.line) == "新規!A3"
    (said,) = [i for i in report.issues if "serial" in i.message]
    assert said.severity == "info" and said.as_written == "43922" and said.field == "結合の開始年月日"
    assert "新規!F3" in said.message and "2020-04-01" in said.message
    assert said.line == connection.line


@pytest.mark.parametrize("value", [3, 250000, 43922.5])
def test_a_number_that_is_no_plausible_date_serial_stays_a_finding(tmp_path: Path, value: object) -> None:
    # 3 = 1900-01-02 and 250000 = 2584: outside 1989-2100; 43922.5 is a date and a time of day
    path = _serial_workbook(tmp_path / "odd.xlsx", value)
    with pytest.raises(InputError) as raised:
        _read(path)
    (issue,) = raised.value.issues
    assert issue.field == "結合の開始年月日" and issue.as_written == str(value)
    assert "(at 新規!F3;" in issue.message  # the date's own cell, not the row's first (items9)


def test_a_sheet_widened_to_millions_of_cells_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in range(1, 700):
        book.active.cell(row, 16384, "x")  # column XFD: each row 16,384 cells wide
    path = tmp_path / "wide.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="over 10,000,000 cells"):
        read_source(path)


def _refused(path: Path, *messages: str) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(path), "--municipality", "131041", "--out", str(path.parent / "o")]
    )
    assert result.exit_code == 2, result.output
    assert str(path) in result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output and not (path.parent / "o").exists()


def test_password_protected_workbook_is_named_so(tmp_path: Path) -> None:
    # Excel saves a password-protected .xlsx as an OLE2 container holding an EncryptedPackage stream
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le")
    )
    _refused(path, "password-protected", "save it without a password")


def test_damaged_legacy_xls_is_named_with_what_to_do(tmp_path: Path) -> None:
    # an .xls is read (tests/test_office12_xls.py); one whose OLE2 container is damaged is named so
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "Workbook".encode("utf-16-le"))
    _refused(path, "damaged legacy Excel/Word file (.xls/.doc)")


@pytest.mark.parametrize(
    ("part", "junk"),
    [
        ("xl/workbook.xml", b"<workbook><sheets><sheet"),
        ("xl/worksheets/sheet3.xml", b"<worksheet><sheetData><row"),
    ],
)
def test_a_workbook_with_broken_xml_is_refused(
    tmp_path: Path, workbook: Path, part: str, junk: bytes
) -> None:
    import zipfile

    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            target.writestr(name, junk if name == part else source.read(name))
    _refused(path, "damaged Excel workbook")


# --- HTML -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    return write_published_html(tmp_path_factory.mktemp("html") / "published.html")


def test_page_reads_as_published(page: Path) -> None:
    source, report = _read(page)
    assert _connections(source, report) == _published_rows(
        "table 2 row 3", "table 2 row 4", "table 2 row 5", "table 3 row 2"
    )
    assert _summary(report) == SUMMARY
    assert report.fiscal_year == 2020
    assert report.title == "令和2年度 外部電子計算機との結合の状況"  # &nbsp; read as a space
    assert [i for i in report.issues if i.severity == "error"] == []


def test_page_chrome_is_not_read(page: Path) -> None:
    text = read_source(page).text
    for chrome in ("トップ", "ホーム", "お問い合わせ", "Copyright", "区のホームページ"):
        assert chrome not in text
    assert "\xa0" not in text
    # the caption heads its table
    lines = text.splitlines()
    assert lines[lines.index("(3)外部計算機との結合を終了した外部結合の内訳") + 2].startswith("No.\t")


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_reads_as_published(tmp_path: Path) -> None:
    path = write_published_pdf(tmp_path / "published.pdf")
    source, report = _read(path)
    got = _connections(source, report)
    # by the fixture's layout: table 1 is the summary, table 2 the (2) table, its two header rows
    # one header (rows 1-2), No.1 in row 3; 総務課 is drawn once over No.1 and No.2
    assert got[0] == (
        "new", 1, "総務課", "事務1",
        ["宛名番号（住民番号）", "氏名", "生年月日", "性別", "転出/死亡フラグ", "マイナンバー", "接種券番号"],  # items.md rule 6
        "地方公共団体情報システム機構", False, date(2020, 4, 1), "p.1 table 2 row 3",
    )  # fmt: skip
    assert got[1] == (
        "new", 2, "総務課", "事務2", ["氏名", "住所", "生年月日"],
        "地方公共団体情報システム機構", True, date(2020, 4, 1), "p.1 table 2 row 4",
    )  # fmt: skip
    # every row once, in order, though the table runs onto page 2 with its header repeated
    assert [c[0:4] for c in got] == [
        ("new", n, row[1] or "総務課", row[2]) for n, row in ((n, pdf_row(n)) for n in range(1, PDF_ROWS + 1))
    ]
    assert [c[6] for c in got] == [n % 2 == 0 for n in range(1, PDF_ROWS + 1)]
    assert got[-1][8].startswith("p.2 table 1 row ")
    assert "- 1 -" not in source.text and "- 2 -" not in source.text
    assert [s.text for s in report.statements] == ["実績はありません。"]
    assert [(s.agency, s.new, s.specific) for s in report.summary] == [
        ("区長", PDF_ROWS, PDF_ROWS // 2),
        ("合計", PDF_ROWS, PDF_ROWS // 2),
    ]


@pytest.mark.parametrize("unruled", [("connections",), ("summary", "connections")])
def test_pdf_tables_without_ruling_lines_read_by_their_columns(
    tmp_path: Path, unruled: tuple[str, ...]
) -> None:
    path = write_published_pdf(tmp_path / "unruled.pdf", unruled=unruled)
    source, report = _read(path)
    got = _connections(source, report)
    # the same rows as the ruled layout: 総務課 drawn once over No.1 and No.2 without lines leaves
    # No.2's 課 blank under it, which is read as the rest of a merged cell (read/ditto.py) — before
    # that rule No.2's department read blank
    assert [c[0:4] for c in got] == [
        ("new", n, pdf_row(n)[1] or "総務課", f"事務{n}") for n in range(1, PDF_ROWS + 1)
    ]
    assert got[0][4] == [
        "宛名番号（住民番号）",
        "氏名",
        "生年月日",
        "性別",
        "転出/死亡フラグ",
        "マイナンバー",
        "接種券番号",
    ]
    assert [c[6] for c in got] == [n % 2 == 0 for n in range(1, PDF_ROWS + 1)]
    assert {c[5] for c in got} == {"地方公共団体情報システム機構"} and {c[7] for c in got} == {
        date(2020, 4, 1)
    }
    assert str(got[0][8]).startswith("p.1 table 2 row ") and str(got[-1][8]).startswith("p.2 table 1 row ")
    assert [(s.agency, s.new, s.specific) for s in report.summary] == [
        ("区長", PDF_ROWS, PDF_ROWS // 2),
        ("合計", PDF_ROWS, PDF_ROWS // 2),
    ]
    assert [s.text for s in report.statements] == ["実績はありません。"]
    assert [i.as_written for i in report.issues if "line not understood" in i.message] == []


def test_sheets_without_headings_are_headed_by_their_names(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "総括"
    for row in (
        ["実施機関", "前年度末件数（a）", "新規（b）", "終了（c）", "本年度末件数（a＋b－c）"],
        ["区長", 1, 1, 0, 2],
    ):
        summary.append(row)
    new = book.create_sheet("新規")
    new.append(["No.", "担当課", "業務名", "記録項目", "相手方", "開始年月日"])
    new.append([1, "総務課", "事務", "氏名\n住所", "株式会社Ａ", "R2.4.1"])
    ended = book.create_sheet("終了")
    ended.append(["No.", "担当課", "業務名", "相手方", "終了年月日"])
    ended.append([1, "税務課", "収納", "株式会社Ｂ", "R2.9.30"])
    notes = book.create_sheet("Sheet1")  # a sheet whose name names no section: no heading made up
    notes.append(["備考", "なし"])
    path = tmp_path / "headless.xlsx"
    book.save(path)
    source = read_source(path)
    assert [line for line in source.text.splitlines() if line.startswith("【")] == [
        "【総括】",
        "【新規】",
        "【終了】",
    ]
    assert source.where(source.text.splitlines().index("【新規】") + 1) == "新規 (sheet name)"
    report = parse_report(source.text, str(path), lenient=True)
    assert [
        (c.status, c.number, c.departments_as_written, [i.name for i in c.items.items])
        for c in report.connections
    ] == [
        ("new", 1, "総務課", ["氏名", "住所"]),
        ("ended", 1, "税務課", []),
    ]
    assert [(s.agency, s.previous, s.new, s.ended, s.current) for s in report.summary] == [
        ("区長", 1, 1, 0, 2)
    ]


def test_a_pdf_with_a_scanned_page_is_refused_naming_the_page(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.pdfgen import canvas

    path = tmp_path / "mixed.pdf"
    pages = canvas.Canvas(str(path))
    pages.drawString(72, 720, "(1) summary")
    pages.showPage()
    pages.drawInlineImage(Image.new("L", (40, 40), 128), 100, 400, 200, 200)  # page 2: an image only
    pages.save()
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 2, result.output
    assert (
        "p.2" in result.output
        and "no text layer: OCR is out of scope (this page is a scanned image)" in result.output
    )
    assert "Traceback" not in result.output


# --- a connection over two sub-rows ------------------------------------------------------------


@pytest.mark.parametrize(
    ("writer", "places"),
    [
        (write_sub_rows_xlsx, ["新規!A3", "新規!A5", "新規!A7"]),
        (write_sub_rows_html, ["table 1 row 2", "table 1 row 4", "table 1 row 6"]),
        (write_sub_rows_pdf, ["p.1 table 1 row 2", "p.1 table 1 row 4", "p.1 table 1 row 6"]),
    ],
    ids=["xlsx", "html", "pdf"],
)
def test_a_connection_whose_number_cell_spans_two_rows_is_one_connection(
    tmp_path: Path, writer: object, places: list[str]
) -> None:
    assert callable(writer)
    source, report = _read(writer(tmp_path / "sub-rows"))
    # by the fixture: No.1's No. and 課 merged over two rows, its second counterparty below;
    # No.2's No. merged over two rows, its items continued below; No.3 on one row
    assert _connections(source, report) == [
        ("new", 1, "総務課", "給付事務", ["氏名", "住所"], "株式会社Ａ 株式会社Ｂ", None, date(2020, 4, 1), places[0]),
        ("new", 2, "税務課", "収納業務", ["氏名", "住所", "電話番号"], "地方公共団体情報システム機構", None,
         date(2020, 5, 1), places[1]),
        ("new", 3, "税務課", "照会", ["氏名"], "株式会社Ｃ", None, date(2020, 6, 1), places[2]),
    ]  # fmt: skip


# --- bounds on a PDF ---------------------------------------------------------------------------


def test_a_pdf_of_thousands_of_pages_is_refused_before_its_pages_are_read(tmp_path: Path) -> None:
    path = write_many_pages_pdf(tmp_path / "huge.pdf", 5000)
    out = tmp_path / "o"
    result = CliRunner().invoke(cli, ["build", str(path), "--municipality", "131041", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and "more than 2,000 pages" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_the_page_bound_counts_pages_not_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ketsugo.read.sources import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 3)
    with pytest.raises(InputError, match="more than 3 pages"):
        read_source(write_many_pages_pdf(tmp_path / "four.pdf", 4))
    with pytest.raises(InputError, match="no tables in this PDF"):  # 3 pages: read, and found empty
        read_source(write_many_pages_pdf(tmp_path / "three.pdf", 3))


def test_a_pdf_over_the_page_bound_is_refused_without_reading_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting stops at the bound and no page is then parsed (pdfplumber's close() would read
    every page of a 5,000-page file first)."""
    import pdfplumber.pdf

    from ketsugo.read.sources import pdf

    def no_pages(self: object) -> list:
        raise AssertionError("the pages were read")

    monkeypatch.setattr(pdf, "MAX_PAGES", 3)
    monkeypatch.setattr(pdfplumber.pdf.PDF, "pages", property(no_pages))
    with pytest.raises(InputError, match="more than 3 pages"):
        read_source(write_many_pages_pdf(tmp_path / "five.pdf", 5))


def test_a_break_typed_inside_a_counterparty_name_keeps_one_party(tmp_path: Path) -> None:
    path = tmp_path / "breaks.html"
    path.write_text(
        "<html><body><h2>(2)新たに外部計算機との結合を行った外部結合の内訳</h2><table>"
        "<tr><th>No.</th><th>結合を行った課</th><th>業務名</th><th>記録項目</th><th>結合の相手方</th><th>結合の開始年月日</th></tr>"
        "<tr><td>1</td><td>税務課</td><td>収納</td><td>氏名</td><td>LGWAN-ASP<br>サービス提供者</td><td>R2.4.1</td></tr>"
        "<tr><td>2</td><td>税務課</td><td>照会</td><td>氏名</td><td>株式会社<br>ABC<br>株式会社D</td><td>R2.4.1</td></tr>"
        "<tr><td>3</td><td>税務課</td><td>委託</td><td>氏名</td><td>ABC<br>株式会社<br>DEF</td><td>R2.4.1</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    source, report = _read(path)
    assert [c.counterparties_as_written for c in report.connections] == [
        "LGWAN-ASPサービス提供者",
        "株式会社ABC 株式会社D",
        "ABC 株式会社DEF",  # ambiguous: read with the name after it, and said so
    ]
    (said,) = [i for i in report.issues if "legal form" in i.message]
    assert said.severity == "warning" and said.field == "結合の相手方"
    assert source.where(said.line) == "table 1 row 4"
