"""Legacy Excel workbooks (.xls) read as published, through the .xlsx reader's rules.

One made-up workbook, laid out as municipalities' .xls templates are (a cover, a sample sheet, the
summary, the (2) and (3) sheets, a hidden list sheet; a department merged down over two
connections, a hidden withdrawn row and a hidden working column, a date cell, a date typed as a
bare number, a date shown in the era format), is written twice from one description — by xlwt as
.xls and by openpyxl as .xlsx —: the two read to the same blocks, and the .xls's connections are
the ones read below by hand from the description.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source
from ketsugo.read.sources.detect import detect_format
from ketsugo.read.sources.tables import Table, TextLine, text_form
from ketsugo.read.sources.xls import read_xls
from ketsugo.read.sources.xlsx import read_xlsx
from tests.sources_fixtures import ERA, NOTE, SECTION_2, SECTION_3, xls_from_xlsx

TITLE = "令和2年度 外部電子計算機との結合の状況"
SUMMARY_HEADER = ["件数 実施機関", "令和元年度外部電子計算機との結合数", "新たな外部電子計算機との結合数",
                  "終了した外部電子計算機との結合数", "令和2年度外部電子計算機との結合数",
                  "内、特定個人情報の取扱いがあるものの数"]  # fmt: skip
HEADER = ["No.", "結合を行った課", "業務名", "外部結合に係る個人情報記録の項目", "特定個人情報の有無",
          "結合の相手方", "結合の開始年月日", "業務コード"]  # fmt: skip

# A cell: (row, column) from 1 → value, or (value, number format). Per sheet: its state, its cells,
# its merges (first row, first column, last row, last column), hidden rows and columns.
Cells = dict[tuple[int, int], object]


# the title in the print header (centre), the page number right; the page number in the footer
PRINTED = ('&C&"ＭＳ ゴシック,太字"&14' + TITLE + "&R&P / &N", "&C- &P -")


def _sheets(
    title_in: str = "cells",
) -> list[tuple[str, str, Cells, list[tuple[int, int, int, int]], set[int], set[int]]]:
    cover: Cells = {(2, 2): TITLE} if title_in == "cells" else {}
    sample: Cells = {(1, 1): SECTION_2}
    sample |= {(3, c): t for c, t in enumerate(HEADER[:7], start=1)}
    sample |= {(4, c): t for c, t in enumerate([1, "○○課", "○○業務", "氏名", "○", "株式会社○○", "R2.4.1"], 1)}
    summary: Cells = {(1, 1): "(1) 実施機関別外部電子計算機との結合件数", (9, 1): NOTE}
    summary |= {(3, c): t for c, t in enumerate(SUMMARY_HEADER, start=1)}
    summary |= {(4, c): t for c, t in enumerate(["a", "b", "c", "a + b - c"], start=2)}
    for row, values in (
        (5, ["区長", 5, 3, 1, 7, 2]),
        (6, ["教育委員会", 0, 0, 0, 0, 0]),
        (7, ["合計", 5, 3, 1, 7, 2]),
    ):
        summary |= {(row, c): v for c, v in enumerate(values, start=1)}
    new: Cells = {(1, 1): SECTION_2}
    new |= {(3, c): t for c, t in enumerate(HEADER, start=1)}
    rows = [
        [1, "総務課", "特別定額給付金給付事務", "氏名\n住所\n生年月日", "", "地方公共団体情報システム機構",
         (datetime(2020, 5, 15), "yyyy/m/d"), "A-01"],
        [2, "", "ふるさと納税", "氏名、住所、\n電話番号", "○", "株式会社Ａ\n株式会社Ｂ", "R2. 8. 1", "A-02"],
        [3, "総務課", "試行連携（取下げ）", "氏名", "", "株式会社Ｃ", (datetime(2020, 6, 1), "yyyy/m/d"), "A-03"],
        [3, "税務課", "収納業務", "納付番号、金額", "有", "LGWAN-ASPサービス提供者", 43922, "B-01"],
    ]  # fmt: skip
    for row, values in enumerate(rows, start=4):
        new |= {(row, c): v for c, v in enumerate(values, start=1) if v != ""}
    ended: Cells = {(1, 1): SECTION_3}
    ended |= {
        (3, c): t
        for c, t in enumerate(["No.", "結合を行った課", "業務名", "結合の相手方", "結合の終了年月日"], 1)
    }
    values = [
        1,
        "戸籍住民課",
        "証明書コンビニ交付",
        "地方公共団体情報システム機構",
        (datetime(2021, 3, 31), ERA),
    ]
    ended |= {(4, c): v for c, v in enumerate(values, start=1)}
    lists: Cells = {(r, 1): t for r, t in enumerate(["総務課", "税務課", "戸籍住民課", "市民課"], start=1)}
    return [
        ("表紙", "visible", cover, [(2, 2, 2, 8)] if cover else [], set(), set()),
        ("記載例", "visible", sample, [], set(), set()),
        ("総括", "visible", summary, [(1, 1, 1, 6), (3, 1, 4, 1)], set(), set()),
        ("新規", "visible", new, [(1, 1, 1, 7), (4, 2, 5, 2)], {6}, {8}),
        ("終了", "visible", ended, [], set(), set()),
        ("リスト", "hidden", lists, [], set(), set()),
    ]


def write_xls(out: Path, *, dates_1904: bool = False, title_in: str = "cells") -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    book.dates_1904 = dates_1904
    wrap = xlwt.easyxf("align: wrap on")
    for name, state, cells, merges, hidden_rows, hidden_columns in _sheets(title_in):
        sheet = book.add_sheet(name)
        sheet.visibility = 0 if state == "visible" else 1
        if title_in == "header":  # xlwt's setters fail on a str under Python 3: its attributes
            sheet._Worksheet__header_str, sheet._Worksheet__footer_str = PRINTED
        # else xlwt's own: &P (page number) and &F (file name), fields that print no text of the report
        for (row, column), value in cells.items():
            if isinstance(value, tuple):
                sheet.write(row - 1, column - 1, value[0], xlwt.easyxf(num_format_str=value[1]))
            elif isinstance(value, str) and "\n" in value:
                sheet.write(row - 1, column - 1, value, wrap)
            else:
                sheet.write(row - 1, column - 1, value)
        for r0, c0, r1, c1 in merges:
            sheet.merge(r0 - 1, r1 - 1, c0 - 1, c1 - 1)
        for row in hidden_rows:
            sheet.row(row - 1).hidden = True
        for column in hidden_columns:
            sheet.col(column - 1).hidden = True
    book.save(str(out))
    return out


def write_xlsx(out: Path, *, title_in: str = "cells") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, state, cells, merges, hidden_rows, hidden_columns in _sheets(title_in):
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        if title_in == "header":
            sheet.oddHeader.center.text = TITLE  # as Excel writes PRINTED
            sheet.oddHeader.center.font, sheet.oddHeader.center.size = "ＭＳ ゴシック,太字", 14
            sheet.oddHeader.right.text = "&P / &N"
            sheet.oddFooter.center.text = "- &P -"
        for (row, column), value in cells.items():
            cell = sheet.cell(row, column, value[0] if isinstance(value, tuple) else value)
            if isinstance(value, tuple):
                cell.number_format = value[1]
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True)
        for r0, c0, r1, c1 in merges:
            sheet.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        for row in hidden_rows:
            sheet.row_dimensions[row].hidden = True
        for column in hidden_columns:
            sheet.column_dimensions[get_column_letter(column)].hidden = True
    book.save(out)
    return out


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xls(tmp_path_factory.mktemp("xls") / "published.xls")


def test_an_xls_is_detected_by_its_content_whatever_its_name(workbook: Path) -> None:
    assert detect_format(workbook.read_bytes(), "report.txt") == "xls"


def test_an_xls_reads_as_the_same_workbook_saved_as_xlsx(workbook: Path, tmp_path: Path) -> None:
    """Same blocks — text lines, tables with their merges as spans, serials, places, the sheets and
    hidden rows and columns left out (findings) — whether the workbook is .xls or .xlsx."""
    xlsx = write_xlsx(tmp_path / "published.xlsx")
    assert read_xls(workbook.read_bytes(), str(workbook)) == read_xlsx(xlsx.read_bytes(), str(xlsx))


def test_the_print_header_and_footer_of_an_xls_read_as_an_xlsxs(tmp_path: Path) -> None:
    """The title in the print header (no title in the cells), on every sheet: read once, as the
    title, as from the same workbook saved as .xlsx; the page number fields are not read."""
    xls = write_xls(tmp_path / "printed.xls", title_in="header")
    xlsx = write_xlsx(tmp_path / "printed.xlsx", title_in="header")
    blocks = read_xls(xls.read_bytes(), "p")
    assert blocks == read_xlsx(xlsx.read_bytes(), "p")
    lines = [(b.text, b.where) for b in blocks if isinstance(b, TextLine)]
    assert lines[:2] == [
        (TITLE, "表紙 (print header)"),
        ("(1) 実施機関別外部電子計算機との結合件数", "総括!A1"),
    ]
    source = read_source(xls)
    report = parse_report(source.text, str(xls))
    assert report.title == TITLE and report.fiscal_year == 2020


def test_an_xls_reads_as_published(workbook: Path) -> None:
    source = read_source(workbook)
    with source.errors_located():
        report = source.findings_located(parse_report(source.text, str(workbook)))
    assert source.encoding == "xls"
    assert report.title == TITLE and report.fiscal_year == 2020
    connections = [
        (c.status, c.number, c.departments_as_written, c.business, [i.name for i in c.items.items],
         c.counterparties_as_written, c.specific_personal_information, c.start_date or c.end_date,
         source.where(c.line))
        for c in report.connections
    ]  # fmt: skip
    assert connections == [
        # 総務課 merged down over No.1 and No.2: each is 総務課's; a date cell is its date
        ("new", 1, "総務課", "特別定額給付金給付事務", ["氏名", "住所", "生年月日"],
         "地方公共団体情報システム機構", False, date(2020, 5, 15), "新規!A4"),
        ("new", 2, "総務課", "ふるさと納税", ["氏名", "住所", "電話番号"],
         "株式会社Ａ 株式会社Ｂ", True, date(2020, 8, 1), "新規!A5"),
        # row 6 (withdrawn) is hidden; 43922 typed in a General cell is 2020-04-01 as a serial
        ("new", 3, "税務課", "収納業務", ["納付番号", "金額"],
         "LGWAN-ASPサービス提供者", True, date(2020, 4, 1), "新規!A7"),
        # a date cell shown in the era format (令和3年3月31日)
        ("ended", 1, "戸籍住民課", "証明書コンビニ交付", [],
         "地方公共団体情報システム機構", None, date(2021, 3, 31), "終了!A4"),
    ]  # fmt: skip
    summary = [(s.agency, s.previous, s.new, s.ended, s.current, s.specific) for s in report.summary]
    assert summary == [("区長", 5, 3, 1, 7, 2), ("教育委員会", 0, 0, 0, 0, 0), ("合計", 5, 3, 1, 7, 2)]
    assert "業務コード" not in source.text and "試行連携" not in source.text
    said = {i.field: i for i in report.issues if i.field.startswith("sheet ")}
    assert set(said) == {"sheet 記載例", "sheet 新規, row 6, column H", "sheet リスト"}
    assert "sample sheet '記載例' not read (15 filled cells)" in said["sheet 記載例"].message
    assert "hidden row 6 and hidden column H of sheet '新規' not read (11 filled cells)" in (
        said["sheet 新規, row 6, column H"].message
    )
    assert "hidden sheet 'リスト' not read (4 filled cells)" in said["sheet リスト"].message
    (serial,) = [i for i in report.issues if "serial" in i.message]
    assert serial.as_written == "43922" and "新規!G7" in serial.message


def test_dates_of_a_1904_workbook_are_its_dates(tmp_path: Path) -> None:
    """An old Macintosh workbook counts days from 1904-01-01: a date cell is the same date, and a
    bare number is offered as a serial of that system (43922 + 1462 days: 2024-04-02)."""
    path = write_xls(tmp_path / "mac.xls", dates_1904=True)
    text, _, notes = text_form(read_xls(path.read_bytes(), str(path)))
    assert "\t2020-05-15" in text and "\t2021-03-31" in text  # date cells
    (serial,) = [n for n in notes if "serial" in n.message]
    assert "43922 at 新規!G7 is 2024-04-02" in serial.message


# --- what is not read, and damaged files -----------------------------------------------------------


def _refused(path: Path, *messages: str) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(path), "--municipality", "131041", "--out", str(path.parent / "o")]
    )
    assert result.exit_code == 2, result.output
    assert str(path) in result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output and not (path.parent / "o").exists()


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.9, 0.99])
def test_a_truncated_xls_is_refused_naming_the_file(workbook: Path, tmp_path: Path, keep: float) -> None:
    data = workbook.read_bytes()
    path = tmp_path / "cut.xls"
    path.write_bytes(data[: int(len(data) * keep)])
    _refused(path, "damaged")


def test_damaged_bytes_in_an_xls_never_end_in_a_traceback(workbook: Path) -> None:
    """Each 512-byte sector of the file overwritten in turn: the reader reads it or refuses it with
    an InputError naming the file, nothing else."""
    data = workbook.read_bytes()
    for start in range(0, len(data), 512):
        junk = bytes((b * 7 + 3) % 256 for b in data[start : start + 512])
        damaged = data[:start] + junk + data[start + 512 :]
        try:
            if detect_format(damaged, "d.xls") == "xls":
                read_xls(damaged, "d.xls")
        except InputError as exc:
            assert [i.path for i in exc.issues] == ["d.xls"]


def _with_stream_name(data: bytes, old: str, new: str) -> bytes:
    """``data`` (an OLE2 file) with a directory entry renamed: the name field is 64 bytes of
    UTF-16-LE, then its length in bytes with the terminating NUL."""
    at = data.index(old.encode("utf-16-le") + b"\0\0")
    name = new.encode("utf-16-le") + b"\0\0"
    entry = name.ljust(64, b"\0") + len(name).to_bytes(2, "little")
    return data[:at] + entry + data[at + 66 :]


def test_a_word_97_document_keeps_its_what_to_do(workbook: Path, tmp_path: Path) -> None:
    path = tmp_path / "report.doc"
    path.write_bytes(_with_stream_name(workbook.read_bytes(), "Workbook", "WordDocument"))
    _refused(path, "Word 97-2003 document (.doc)", "save it as .docx or PDF")


def test_an_encrypted_xls_is_named_so(workbook: Path, tmp_path: Path) -> None:
    """Excel 97-2003 encrypts a workbook in place: a FILEPASS record right after the globals' BOF."""
    data = bytearray(workbook.read_bytes())
    bof = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BOF, BIFF8, workbook globals
    following = bof + 4 + 16
    data[following : following + 2] = (0x2F).to_bytes(2, "little")  # the next record as FILEPASS
    path = tmp_path / "locked.xls"
    path.write_bytes(bytes(data))
    _refused(path, "password-protected", "save it without a password")


# --- the users' published workbooks, saved again as .xls ----------------------------------------

WORKBOOK_CASES = sorted(
    str(p.parent.relative_to(Path(__file__).parent / "cases"))
    for p in (Path(__file__).parent / "cases").glob("user*/*/report.xlsx")
)


def _in_order(blocks: list) -> list:
    """``blocks`` with each table's merged cells in one order (a file lists its merges in any)."""
    return [
        Table(b.rows, sorted(b.spans, key=lambda s: (s.row, s.column, s.rows, s.columns)))
        if isinstance(b, Table)
        else b
        for b in blocks
    ]


@pytest.mark.parametrize("case", WORKBOOK_CASES)
def test_a_users_workbook_saved_as_xls_reads_as_its_xlsx(case: str, tmp_path: Path) -> None:
    """Every user's published .xlsx (tests/cases/user*/) saved again as Excel 97-2003 reads to the
    same blocks: merged headers and departments, hidden parts, dates, places."""
    xlsx = Path(__file__).parent / "cases" / case / "report.xlsx"
    xls = xls_from_xlsx(xlsx, tmp_path / "report.xls")
    # xlwt writes no print header or footer (xls_from_xlsx): the .xlsx's are left out of the comparison
    printed = [b for b in read_xlsx(xlsx.read_bytes(), "r") if not _print_furniture(b)]
    assert _in_order(read_xls(xls.read_bytes(), "r")) == _in_order(printed)


def _print_furniture(block: object) -> bool:
    """A sheet's print header or footer line (a TextLine placed "Sheet (print header)")."""
    where = getattr(block, "where", "")
    return isinstance(where, str) and where.endswith(("(print header)", "(print footer)"))
