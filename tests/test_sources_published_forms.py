"""Published forms the first fixtures do not cover (tests/sources_fixtures.py, eighth session):
a workbook hiding a working column and a withdrawn row, an older site's page with its banner before
the <h1> (EUC-JP), a PDF whose row breaks across a page. The records below were read by hand from
each writer's layout, before running ketsugo.

Each connection is (section, No., department, business, item names, counterparties as written,
My Number flag, start or end date, where it stood in the file).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.read.records import Report
from tests.sources_fixtures import (
    NOTE,
    write_chrome_html,
    write_excel_html,
    write_hidden_xlsx,
    write_print_header_xlsx,
    write_rotated_pdf,
    write_split_row_pdf,
    write_text_box_xlsx,
)
from tests.test_sources_published import _connections, _read, _summary


def _unread(report: Report) -> list[str]:
    return [i.as_written for i in report.issues if "line not understood" in i.message]


# --- Excel: a hidden working column and a hidden row -------------------------------------------


@pytest.fixture(scope="module")
def hidden(tmp_path_factory) -> Path:
    return write_hidden_xlsx(tmp_path_factory.mktemp("hidden") / "hidden.xlsx")


def test_hidden_rows_and_columns_are_not_read_as_published(hidden: Path) -> None:
    source, report = _read(hidden)
    # by the writer: column C (業務コード) and row 4 (試行連携（取下げ）) hidden on 新規
    assert _connections(source, report) == [
        ("new", 1, "総務課", "電子申請受付", ["氏名", "住所", "メールアドレス"], "株式会社Ａ", False,
         date(2021, 4, 1), "新規!A3"),
        ("new", 2, "税務課", "税額照会", ["個人番号", "税額"], "地方公共団体情報システム機構", True,
         date(2021, 7, 1), "新規!A5"),
        ("ended", 1, "戸籍住民課", "住民票写し郵送請求", [], "株式会社Ｃ", None, date(2022, 3, 31), "終了!A3"),
    ]  # fmt: skip
    assert _summary(report) == [("区長", 10, 2, 1, 11, 1, False), ("合計", 10, 2, 1, 11, 1, True)]
    assert report.fiscal_year == 2021
    for hidden_text in ("業務コード", "S-0101", "試行連携", "株式会社Ｚ"):
        assert hidden_text not in source.text


def test_what_is_hidden_is_a_finding_naming_rows_columns_and_cells(hidden: Path) -> None:
    _, report = _read(hidden)
    (said,) = [i for i in report.issues if "hidden" in i.message]
    # row 4: A4, B4, C4, D4, E4, G4, H4 filled (F4 empty); column C: C2, C3, C5 (C4 counted once)
    assert said.severity == "warning" and said.kind == "reading"
    assert said.field == "sheet 新規, row 4, column C"  # the sheet and what is hidden, plainly
    assert "hidden row 4" in said.message and "hidden column C" in said.message
    assert "(10 filled cells)" in said.message


# --- Excel: the title and a note in text boxes -------------------------------------------------


def test_text_boxes_are_read_where_they_are_drawn(tmp_path: Path) -> None:
    source, report = _read(write_text_box_xlsx(tmp_path / "boxes.xlsx"))
    # the title box's two lines join as a cell's wrapped lines do (Japanese: no space)
    assert report.title == "令和3年度外部電子計算機との結合の状況"
    assert source.where(1) == "外部結合!B1 (text box)"
    assert report.fiscal_year == 2021
    assert _summary(report) == [("区長", 3, 1, 0, 4, 0, False), ("合計", 3, 1, 0, 4, 0, True)]
    assert NOTE in report.summary_notes
    assert _connections(source, report) == [
        ("new", 1, "総務課", "電子申請", ["氏名"], "株式会社Ａ", None, date(2021, 4, 1), "外部結合!A12")
    ]
    assert [s.text for s in report.statements] == ["該当なし"]
    assert _unread(report) == []


# --- Excel: the title in the print header ------------------------------------------------------


def test_the_print_header_is_read_once_as_the_title(tmp_path: Path) -> None:
    source, report = _read(write_print_header_xlsx(tmp_path / "header.xlsx"))
    assert report.title == "令和3年度 外部電子計算機との結合の状況"  # font codes, the date left out
    assert source.where(1) == "総括 (print header)"
    assert report.fiscal_year == 2021
    assert source.text.count("令和3年度 外部電子計算機との結合の状況") == 1  # 新規's same header: once
    assert "/" not in source.text.splitlines()[-1]  # the footer holds page numbers only
    assert _summary(report) == [("区長", 1, 2, 0, 3, 0, False), ("合計", 1, 2, 0, 3, 0, True)]
    assert _connections(source, report) == [
        ("new", 1, "総務課", "電子申請", ["氏名"], "株式会社Ａ", None, date(2021, 4, 1), "新規!A3"),
        ("new", 2, "税務課", "照会", ["住所"], "株式会社Ｂ", None, date(2021, 5, 1), "新規!A4"),
    ]
    assert [s.text for s in report.statements] == ["該当なし"]
    assert _unread(report) == []


# --- HTML: an older site's page, its banner before the <h1> --------------------------------------


@pytest.fixture(scope="module")
def chrome(tmp_path_factory) -> Path:
    return write_chrome_html(tmp_path_factory.mktemp("chrome") / "gaibu.html")


def test_a_page_without_main_reads_from_its_h1(chrome: Path) -> None:
    source, report = _read(chrome)
    assert report.title == "令和3年度\u3000外部電子計算機との結合の状況"  # &#x3000; as written
    assert report.fiscal_year == 2021
    assert _summary(report) == [("市長", 5, 3, 0, 8, 2, False), ("合計", 5, 3, 0, 8, 2, True)]
    # table 1 is the banner; the (2) table is split by its （続き） heading into tables 3 and 4
    assert _connections(source, report) == [
        ("new", 1, "総務課", "住民情報照会", ["氏名", "住所"], "株式会社Ａ", False, date(2021, 4, 1),
         "table 3 row 2"),
        ("new", 2, "総務課", "証明書交付", ["氏名", "生年月日"], "地方公共団体情報システム機構", True,
         date(2021, 6, 1), "table 3 row 3"),
        ("new", 3, "税務課", "課税事務", ["個人番号", "所得"], "株式会社Ｂ 株式会社Ｃ", True, date(2021, 7, 1),
         "table 4 row 2"),
    ]  # fmt: skip
    assert [s.text for s in report.statements] == ["該当なし"]
    assert _unread(report) == []
    for chrome_text in ("文字サイズ", "トップページ", "市政情報"):
        assert chrome_text not in source.text


def test_the_banner_left_out_is_a_finding(chrome: Path) -> None:
    _, report = _read(chrome)
    (said,) = [i for i in report.issues if "<h1>" in i.message]
    assert said.kind == "reading" and said.severity == "info"
    assert "1 table" in said.message
    assert "文字サイズ" in said.as_written and "トップページ" in said.as_written


# --- HTML: a sheet saved from Excel as a web page -----------------------------------------------


@pytest.fixture(scope="module")
def excel_page(tmp_path_factory) -> Path:
    return write_excel_html(tmp_path_factory.mktemp("excel-html") / "sheet.htm")


def test_a_sheet_saved_as_a_web_page_reads_as_shown(excel_page: Path) -> None:
    source, report = _read(excel_page)
    assert report.title == "令和3年度 外部電子計算機との結合の状況"
    assert report.fiscal_year == 2021
    assert _summary(report) == [("区長", 4, 2, 0, 6, 1, False), ("合計", 4, 2, 0, 6, 1, True)]
    # rows 9 and 11 of the sheet's one table; row 10 (display:none) and 業務コード's cells hidden
    assert _connections(source, report) == [
        ("new", 1, "総務課", "電子申請", ["氏名", "住所"], "株式会社Ａ", False, date(2021, 4, 1), "table 1 row 9"),
        ("new", 2, "税務課", "税額照会", ["個人番号"], "地方公共団体情報システム機構", True, date(2021, 7, 1),
         "table 1 row 11"),
    ]  # fmt: skip
    assert [s.text for s in report.statements] == ["該当なし"]
    for hidden_text in ("業務コード", "S-01", "試行", "株式会社Ｚ"):
        assert hidden_text not in source.text


def test_what_the_page_hides_is_a_finding(excel_page: Path) -> None:
    _, report = _read(excel_page)
    (said,) = [i for i in report.issues if "display:none" in i.message]
    assert said.severity == "warning" and said.kind == "reading"
    # the hidden row (its 業務コード cell with it) and 業務コード's three other cells; the closing
    # sizing row is hidden too but holds nothing
    assert "1 table row" in said.message and "3 cells" in said.message
    assert "試行（取下げ）" in said.as_written and "業務コード" in said.as_written


def test_a_bad_date_on_the_page_names_the_file_its_row_and_field(tmp_path: Path) -> None:
    path = write_excel_html(tmp_path / "sheet.htm")
    path.write_bytes(
        path.read_bytes().replace("令和3年7月1日".encode("cp932"), "令和3年13月1日".encode("cp932"))
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(path), "--municipality", "131041", "--out", str(out)])
    assert result.exit_code == 2, result.output
    # No.2 stands in the table's 11th row (the hidden 10th counted); text line 9 of the extract; its
    # date in the 7th column shown (the hidden 業務コード not counted): the field's own cell (items9)
    (line,) = [x for x in result.output.splitlines() if "令和3年13月1日" in x]
    assert str(path) in line and "[結合の開始年月日]" in line and "(at table 1 row 11 column 7;" in line
    assert "Traceback" not in result.output and not out.exists()


# --- PDF: a row broken across a page, a department drawn over the break ---------------------------


@pytest.fixture(scope="module")
def split(tmp_path_factory) -> Path:
    return write_split_row_pdf(tmp_path_factory.mktemp("split") / "split.pdf")


def test_a_row_broken_across_pages_is_one_connection(split: Path) -> None:
    source, report = _read(split)
    # No.3 on p.1 row 4 and the top of p.2 (its items cut inside 給与支払額 by the wrap; its second
    # counterparty on p.2); 税務課 drawn over No.2 and No.3 on p.1 and on over No.4 on p.2
    assert _connections(source, report) == [
        ("new", 1, "総務課", "電子申請", ["氏名", "メールアドレス"], "株式会社Ａ", False, date(2021, 4, 1),
         "p.1 table 2 row 2"),
        ("new", 2, "税務課", "税証明交付", ["氏名", "住所"], "地方公共団体情報システム機構", False,
         date(2021, 5, 1), "p.1 table 2 row 3"),
        ("new", 3, "税務課", "住民税課税事務", ["氏名", "住所", "生年月日", "給与支払額", "源泉徴収税額"],
         "株式会社Ａ 株式会社Ｂ", True, date(2021, 4, 1), "p.1 table 2 row 4"),
        ("new", 4, "税務課", "納税通知", ["氏名", "住所"], "株式会社Ｃ", False, date(2021, 10, 1),
         "p.2 table 1 row 3"),
        ("new", 5, "戸籍住民課", "証明書コンビニ交付", ["氏名", "本籍"], "地方公共団体情報システム機構", False,
         date(2022, 1, 4), "p.2 table 1 row 4"),
    ]  # fmt: skip
    assert _summary(report) == [("区長", 0, 5, 0, 5, 1, False), ("合計", 0, 5, 0, 5, 1, True)]
    assert report.fiscal_year == 2021
    assert [s.text for s in report.statements] == ["該当なし"]
    assert _unread(report) == []
    assert [i for i in report.issues if i.severity == "error"] == []


# --- PDF: landscape pages printed as turned portrait pages ---------------------------------------


def test_turned_pages_read_as_shown(tmp_path: Path) -> None:
    source, report = _read(write_rotated_pdf(tmp_path / "turned.pdf"))
    assert report.title == "令和3年度 外部電子計算機との結合の状況"
    assert report.fiscal_year == 2021
    assert _summary(report) == [("区長", 0, 5, 0, 5, 0, False), ("合計", 0, 5, 0, 5, 0, True)]
    places = [
        "p.1 table 2 row 2",
        "p.1 table 2 row 3",
        "p.1 table 2 row 4",
        "p.2 table 1 row 2",
        "p.2 table 1 row 3",
    ]
    assert _connections(source, report) == [
        ("new", n, "総務課", f"事務{n}", ["氏名", "住所"], "株式会社Ａ", False, date(2021, 4, 1), place)
        for n, place in enumerate(places, start=1)
    ]
    assert [s.text for s in report.statements] == ["該当なし"]
    assert "- 1 -" not in source.text and "公表資料" not in source.text  # the foot and the running head
    assert _unread(report) == []


# --- each builds and validates through the CLI ---------------------------------------------------


# the fixtures' (2) tables have no 理由, 処理対象者 or 条例根拠 column (nor, two of them, 特定個人情報): a
# report of FY2021 must give each new connection's council decision (ConnectionLegalBasisShape, a blank
# or missing column alike); the columns said of no connection are the template's choice, no gap of a row
MISSING = ("kgsh:ConnectionLegalBasisShape",)


@pytest.mark.parametrize(
    ("writer", "connections", "shapes"),
    [
        (write_hidden_xlsx, [1, 2], MISSING),
        (write_text_box_xlsx, [1], MISSING),
        (write_print_header_xlsx, [1, 2], MISSING),
        (write_chrome_html, [1, 2, 3], MISSING),
        (write_excel_html, [1, 2], MISSING),
        (write_split_row_pdf, [1, 2, 3, 4, 5], MISSING),
        (write_rotated_pdf, [1, 2, 3, 4, 5], MISSING),
    ],
    ids=["xlsx", "text-boxes", "print-header", "html", "excel-html", "pdf", "turned-pdf"],
)
def test_each_form_builds_and_validates(
    tmp_path: Path, writer: object, connections: list[int], shapes: tuple[str, ...]
) -> None:
    import json

    assert callable(writer)
    path = writer(tmp_path / "report")
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(path), "--municipality", "131041", "--out", str(out)])
    assert built.exit_code == 0, built.output
    _register_optional_commands()  # validate is defined in its own module
    checked = CliRunner().invoke(cli, ["validate", "--store", str(out), "--format", "json"])
    findings = json.loads(checked.stdout)
    # one violation of the report itself for each new connection (MISSING), nothing else
    violations = sorted(
        (f["kind"], f["connection"], f["shape"]) for f in findings if f["severity"] == "Violation"
    )
    assert violations == [("report", n, shape) for n in connections for shape in shapes]
    assert checked.exit_code == 1  # violations: exit 1 (validate --help)
