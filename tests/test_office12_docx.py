"""Word documents (.docx) read as published: paragraphs and tables in document order.

One small report as a person types it in Word — a title paragraph, a 「(1)」 heading and the summary
table, a 「(2)」 heading and its table (the department cell merged down over two connections, the
items typed as two paragraphs in their cell), a ※ note, a 「(3)」 heading and its table — written
with python-docx; the records below were read by hand from that layout.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source
from ketsugo.read.sources.detect import detect_format
from ketsugo.read.sources.docx import read_docx
from ketsugo.read.sources.tables import Table, TextLine

TITLE = "令和4年度 外部電子計算機との結合の状況"
SECTION_1 = "(1) 実施機関別外部電子計算機との結合件数"
SECTION_2 = "(2) 本年度新たに結合を開始したもの"
SECTION_3 = "(3) 本年度に結合を終了したもの"
NOTE = "※本人同意に基づく外部結合を除く。"
SUMMARY = [
    ["実施機関", "前年度末件数", "新規件数", "終了件数", "本年度末件数", "特定個人情報を含むもの"],
    ["市長", "10", "2", "1", "11", "3"],
    ["教育委員会", "2", "0", "0", "2", "0"],
    ["合計", "12", "2", "1", "13", "3"],
]
NEW = [
    ["No.", "結合を行った課", "業務名", "外部結合に係る個人情報記録の項目", "特定個人情報の有無",
     "結合の相手方", "結合の開始年月日"],
    ["1", "市民課", "住民基本台帳事務", "氏名\n住所", "有", "地方公共団体情報システム機構", "令和4年4月1日"],
    ["2", "", "証明書交付事務", "氏名、生年月日", "無", "株式会社Ａ", "令和4年7月1日"],
]  # fmt: skip
ENDED = [
    ["No.", "結合を行った課", "業務名", "結合の相手方", "結合の終了年月日"],
    ["1", "税務課", "収納事務", "株式会社Ｂ", "令和5年3月31日"],
]


def write_report(
    out: Path, *, start_of_2: str = "令和4年7月1日", numbers: str = "typed", title_in: str = "body"
) -> Path:
    """The report as typed in Word: no empty paragraphs (spacing is the paragraphs' own). The
    headings' 「(1)」…「(3)」 ``numbers``: "typed", drawn by a "list" the paragraphs belong to, or
    by their heading "style" (Heading 2 numbered by the template)."""
    import docx

    document = docx.Document()
    if title_in == "header":  # the title in the page header, printed on every page
        document.sections[0].header.paragraphs[0].text = TITLE
    else:
        document.add_paragraph(TITLE, style="Title")
    headings = [SECTION_1, SECTION_2, SECTION_3]
    if numbers != "typed":
        number = _list(document, "decimal", "(%1)")
        headings = [h.split(" ", 1)[1] for h in headings]  # the number is Word's, not typed
        if numbers == "style":
            _numbered(document.styles["Heading 2"].element.get_or_add_pPr(), number)

    def heading(text: str) -> None:
        paragraph = document.add_paragraph(text, style="Heading 2" if numbers == "style" else None)
        if numbers == "list":
            _numbered(paragraph._p.get_or_add_pPr(), number)

    heading(headings[0])
    _table(document, SUMMARY)
    heading(headings[1])
    rows = [list(r) for r in NEW]
    rows[2][6] = start_of_2
    table = _table(document, rows)
    table.cell(1, 1).merge(table.cell(2, 1))  # 市民課 merged down over No.1 and No.2 (w:vMerge)
    document.add_paragraph(NOTE)
    heading(headings[2])
    _table(document, ENDED)
    document.save(str(out))
    return out


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _list(document, fmt: str, text: str, *more: tuple[str, str], start: int = 1) -> str:  # type: ignore[no-untyped-def]
    """A list added to the document's numbering part: level 0 drawing ``text`` in ``fmt`` (then
    each of ``more`` for the levels below), a space after the number. Its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    number = str(90 + len(numbering.findall(f"{{{_W}}}num")))
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{t}"/>'
        '<w:suff w:val="space"/></w:lvl>'
        for i, (f, t) in enumerate([(fmt, text), *more])
    )
    abstract = parse_xml(f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="{number}">{levels}</w:abstractNum>')
    first = numbering.find(f"{{{_W}}}num")
    if first is not None:
        first.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{_W}" w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>')
    )
    return number


def _numbered(properties, number: str, level: int = 0) -> None:  # type: ignore[no-untyped-def]
    """A paragraph's (or style's) properties put in list ``number`` at ``level``."""
    from docx.oxml import parse_xml

    properties.insert(
        0,
        parse_xml(f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{level}"/><w:numId w:val="{number}"/></w:numPr>'),
    )


def _table(document, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if not value:
                continue
            first, *more = value.split("\n")  # Enter typed in a cell: a paragraph each
            cell = table.cell(r, c)
            cell.paragraphs[0].text = first
            for line in more:
                cell.add_paragraph(line)
    return table


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(tmp_path_factory.mktemp("docx") / "report.docx")


def test_a_docx_is_detected_by_its_content(report: Path) -> None:
    assert detect_format(report.read_bytes(), "report.txt") == "docx"


def test_paragraphs_and_tables_are_read_in_document_order(report: Path) -> None:
    blocks = read_docx(report.read_bytes(), str(report))
    shape = [(b.text, b.where) if isinstance(b, TextLine) else ("table", len(b.rows)) for b in blocks]
    assert shape == [
        (TITLE, "paragraph 1"),
        (SECTION_1, "paragraph 2"),
        ("table", 4),
        (SECTION_2, "paragraph 3"),
        ("table", 3),
        (NOTE, "paragraph 4"),
        (SECTION_3, "paragraph 5"),
        ("table", 2),
    ]
    new = [b for b in blocks if isinstance(b, Table)][1]
    # the merged department: its text in the first cell, the cell below covered (a span)
    assert [r.cells[1] for r in new.rows] == ["結合を行った課", "市民課", ""]
    assert [(s.row, s.column, s.rows, s.columns) for s in new.spans] == [(1, 1, 2, 1)]
    assert new.rows[1].cells[3] == "氏名\n住所"  # a cell's paragraphs are its lines
    assert new.rows[2].places[6] == "table 2 row 3 cell 7"


@pytest.mark.parametrize(
    ("numbers", "title_in"), [("typed", "body"), ("list", "body"), ("style", "body"), ("typed", "header")]
)
def test_a_docx_reads_as_published(report: Path, tmp_path: Path, numbers: str, title_in: str) -> None:
    """The same whether the headings' 「(2)」 are typed or drawn by Word from a list or a style, and
    whether the title is the body's first paragraph or the page header."""
    if (numbers, title_in) != ("typed", "body"):
        report = write_report(tmp_path / f"{numbers}.docx", numbers=numbers, title_in=title_in)
    source = read_source(report)
    with source.errors_located():
        parsed = source.findings_located(parse_report(source.text, str(report)))
    assert source.encoding == "docx"
    assert parsed.title == TITLE and parsed.fiscal_year == 2022
    summary = [(s.agency, s.previous, s.new, s.ended, s.current, s.specific) for s in parsed.summary]
    assert summary == [("市長", 10, 2, 1, 11, 3), ("教育委員会", 2, 0, 0, 2, 0), ("合計", 12, 2, 1, 13, 3)]
    connections = [
        (c.status, c.number, c.departments_as_written, c.business, [i.name for i in c.items.items],
         c.counterparties_as_written, c.specific_personal_information, c.start_date or c.end_date,
         source.where(c.line))
        for c in parsed.connections
    ]  # fmt: skip
    assert connections == [
        ("new", 1, "市民課", "住民基本台帳事務", ["氏名", "住所"], "地方公共団体情報システム機構", True,
         date(2022, 4, 1), "table 2 row 2"),
        # 市民課 merged down: No.2 is 市民課's too
        ("new", 2, "市民課", "証明書交付事務", ["氏名", "生年月日"], "株式会社Ａ", False,
         date(2022, 7, 1), "table 2 row 3"),
        ("ended", 1, "税務課", "収納事務", [], "株式会社Ｂ", None, date(2023, 3, 31), "table 3 row 2"),
    ]  # fmt: skip
    assert [i.message for i in parsed.issues if i.severity == "error"] == []


def test_a_docx_builds(report: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(report), "--municipality", "131041", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output


def test_a_finding_names_the_cell_of_the_word_table(tmp_path: Path) -> None:
    path = write_report(tmp_path / "bad.docx", start_of_2="令和4年13月1日")
    result = CliRunner().invoke(
        cli, ["build", str(path), "--municipality", "131041", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2, result.output
    assert "令和4年13月1日" in result.output and "(at table 2 row 3 cell 7;" in result.output


def test_numbers_drawn_by_a_list_are_read_as_word_counts_them(tmp_path: Path) -> None:
    """Levels below count from their start again under each item above; %1 in a level below is the count of the level above, in that level's
    format (full-width: １-1, as Word draws it)."""
    import docx

    document = docx.Document()
    number = _list(document, "decimalFullWidth", "第%1", ("aiueoFullWidth", "(%2)"), ("decimal", "%1-%3"))
    lines = [("総則", 0), ("目的", 1), ("定義", 1), ("細目", 2), ("結合", 0), ("新規", 1), ("細目", 2)]
    for text, level in lines:
        _numbered(document.add_paragraph(text)._p.get_or_add_pPr(), number, level)
    document.add_table(rows=1, cols=2).cell(0, 0).text = "表"
    path = tmp_path / "list.docx"
    document.save(str(path))
    texts = [b.text for b in read_docx(path.read_bytes(), str(path)) if isinstance(b, TextLine)]
    assert texts == [
        "第１ 総則",
        "(ア) 目的",
        "(イ) 定義",
        "１-1 細目",
        "第２ 結合",
        "(ア) 新規",
        "２-1 細目",
    ]


@pytest.mark.parametrize(
    ("count", "fmt", "shown"),
    [
        (2, "decimalFullWidth", "２"),
        (3, "decimalEnclosedCircle", "③"),
        (2, "decimalEnclosedParen", "⑵"),
        (2, "aiueoFullWidth", "イ"),
        (1, "aiueo", "ｱ"),
        (3, "irohaFullWidth", "ハ"),
        (11, "japaneseCounting", "十一"),
        (20, "japaneseCounting", "二十"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "someFormatNotKnown", "7"),
    ],
)
def test_number_formats(count: int, fmt: str, shown: str) -> None:
    from ketsugo.read.sources.docxnumbers import number_text

    assert number_text(count, fmt) == shown


def test_a_finding_about_a_paragraph_names_it(report: Path, tmp_path: Path) -> None:
    """A date typed under the report's last table (the day it was published): no line ketsugo reads,
    kept as written with a finding that names its paragraph."""
    import docx

    document = docx.Document(str(report))
    document.add_paragraph("令和5年6月")
    path = tmp_path / "dated.docx"
    document.save(str(path))
    source = read_source(path)
    report_read = source.findings_located(parse_report(source.text, str(path)))
    (kept,) = [i for i in report_read.issues if i.as_written == "令和5年6月"]
    assert "(at paragraph 6;" in kept.message


# --- what a paragraph does not show, and what a person types ---------------------------------------

_DOCUMENT = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}'
    "</w:body></w:document>"
)


def _with_body(report: Path, out: Path, body: str) -> Path:
    """``report`` with its body replaced by ``body`` (WordprocessingML)."""
    with zipfile.ZipFile(report) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = _DOCUMENT.format(body).encode("utf-8")
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def test_hidden_and_deleted_text_is_not_read_and_a_typed_break_is_kept(report: Path, tmp_path: Path) -> None:
    body = (
        _p(
            "<w:r><w:t>外部結合の状況</w:t></w:r>",
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>（内部メモ）</w:t></w:r>",
        )
        + _p(
            "<w:del><w:r><w:delText>削除した</w:delText></w:r></w:del><w:ins><w:r><w:t>番号：1</w:t></w:r></w:ins>"
        )
        + _p("<w:r><w:t>担当課：総務課</w:t><w:br/><w:t>記録項目：氏名</w:t></w:r>")
        + "<w:p/>"
        + _p('<w:hyperlink><w:r><w:t xml:space="preserve">番号：2 </w:t></w:r></w:hyperlink>')
    )
    path = _with_body(report, tmp_path / "hidden.docx", body)
    lines = [
        (b.text, b.where, b.follows)
        for b in read_docx(path.read_bytes(), str(path))
        if isinstance(b, TextLine)
    ]
    assert lines == [
        ("外部結合の状況", "paragraph 1", False),
        ("番号：1", "paragraph 2", True),
        ("担当課：総務課\n記録項目：氏名", "paragraph 3", True),
        ("番号：2", "paragraph 4", False),  # after an empty paragraph: a block of its own
    ]


def test_a_text_box_is_read_once_after_its_paragraph(report: Path, tmp_path: Path) -> None:
    """A title drawn in a text box: Word writes the box twice (mc:Choice for Word 2010 on, and a VML
    copy in mc:Fallback); read once, as a line after the paragraph it is anchored in."""
    box = (
        "<w:txbxContent>" + _p("<w:r><w:t>外部結合の状況</w:t></w:r>") + _p("<w:r><w:t>（公表）</w:t></w:r>")
    )
    drawing = (
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx xmlns:wps="wps">{box}</w:txbxContent></wps:txbx>'
        f'</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox xmlns:v="v">{box}</w:txbxContent>'
        "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = _p("<w:r><w:t>資料２</w:t></w:r>", drawing) + _p("<w:r><w:t>番号：1</w:t></w:r>")
    path = _with_body(report, tmp_path / "box.docx", body)
    lines = [(b.text, b.where) for b in read_docx(path.read_bytes(), str(path)) if isinstance(b, TextLine)]
    assert lines == [
        ("資料２", "paragraph 1"),
        ("外部結合の状況\n（公表）", "paragraph 1 (text box)"),
        ("番号：1", "paragraph 2"),
    ]


def _field(code: str, shown: str) -> str:
    """A field as Word writes it: its code, then the result it shows."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_the_page_header_is_read_after_the_title_and_page_numbers_are_not(tmp_path: Path) -> None:
    """A header holding a document number and the date it was printed (a DATE field), a footer
    holding a page number framed "- 1 -" and the department: the header is read after the body's
    title, without its field; the footer's page number frame is not read, its department is."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = "資料２　"
    for run in parse_xml(f'<w:p xmlns:w="{_W}">{_field("DATE", "2023/6/1")}</w:p>'):
        header._p.append(run)
    page = section.footer.paragraphs[0]
    page._p.append(parse_xml(f'<w:r xmlns:w="{_W}"><w:t xml:space="preserve">- </w:t></w:r>'))
    for run in parse_xml(f'<w:p xmlns:w="{_W}">{_field("PAGE", "1")}</w:p>'):
        page._p.append(run)
    page._p.append(parse_xml(f'<w:r xmlns:w="{_W}"><w:t xml:space="preserve"> -</w:t></w:r>'))
    section.footer.add_paragraph("総務部総務課")
    document.add_paragraph(TITLE)
    document.add_paragraph(SECTION_1)
    document.add_table(rows=1, cols=2).cell(0, 0).text = "実施機関"
    path = tmp_path / "header.docx"
    document.save(str(path))
    lines = [(b.text, b.where) for b in read_docx(path.read_bytes(), str(path)) if isinstance(b, TextLine)]
    assert lines == [
        (TITLE, "paragraph 1"),
        ("資料２", "page header"),
        (SECTION_1, "paragraph 2"),
        ("総務部総務課", "page footer"),
    ]


def test_a_row_starting_after_the_grid_and_a_cell_spanning_columns_keep_their_columns(
    report: Path, tmp_path: Path
) -> None:
    """w:gridBefore: the row's first cell under the grid's second column; w:gridSpan over two
    columns; the last row inside a content control (w:sdt), read as a row of the table."""
    body = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:sdt><w:sdtContent><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'
        "<w:p><w:r><w:t>ab</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>c2</w:t></w:r></w:p></w:tc></w:tr></w:sdtContent></w:sdt>"
        "</w:tbl>"
    )
    path = _with_body(report, tmp_path / "grid.docx", body)
    (table,) = read_docx(path.read_bytes(), str(path))
    assert isinstance(table, Table)
    assert [r.cells for r in table.rows] == [("A", "B", "C"), ("", "b", "c"), ("ab", "", "c2")]
    assert [(s.row, s.column, s.rows, s.columns) for s in table.spans] == [(2, 0, 1, 2)]


def test_a_layout_table_is_read_as_the_body(report: Path, tmp_path: Path) -> None:
    """A one-cell table framing the page (title, heading, the real table inside): its cell is read
    as the body, the table inside counted as table 2."""
    inner = (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>実施機関</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>件数</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>市長</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    frame = (
        "<w:tbl><w:tr><w:tc>"
        + _p("<w:r><w:t>外部結合の状況</w:t></w:r>")
        + inner
        + _p("<w:r><w:t>※注</w:t></w:r>")
        + "</w:tc></w:tr></w:tbl>"
    )
    path = _with_body(report, tmp_path / "frame.docx", frame)
    blocks = read_docx(path.read_bytes(), str(path))
    shape = [(b.text, b.where) if isinstance(b, TextLine) else [r.where for r in b.rows] for b in blocks]
    assert shape == [
        ("外部結合の状況", "paragraph 1"),
        ["table 2 row 1", "table 2 row 2"],
        ("※注", "paragraph 2"),
    ]
    assert [r.cells for r in blocks[1].rows] == [("実施機関", "件数"), ("市長", "3")]


def test_a_macro_enabled_document_reads_as_the_document_it_holds(report: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(report) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    path = tmp_path / "report.docm"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert read_docx(path.read_bytes(), str(path)) == read_docx(report.read_bytes(), str(report))


# --- damaged documents ------------------------------------------------------------------------------


def _refused(path: Path, *messages: str) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(path), "--municipality", "131041", "--out", str(path.parent / "o")]
    )
    assert result.exit_code == 2, result.output
    assert str(path) in result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output and not (path.parent / "o").exists()


def test_a_docx_with_broken_xml_is_refused_naming_the_file(report: Path, tmp_path: Path) -> None:
    path = _with_body(report, tmp_path / "broken.docx", "<w:p><w:r><w:t>外部結合")
    _refused(path, "damaged Word document (.docx)")


def test_a_docx_without_its_package_parts_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    _refused(path, "damaged Word document (.docx)")


def test_a_truncated_docx_is_refused_naming_the_file(report: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(report.read_bytes()[:3000])
    _refused(path, "damaged or truncated ZIP file")


def test_a_docx_without_tables_is_refused(report: Path, tmp_path: Path) -> None:
    path = _with_body(report, tmp_path / "none.docx", _p("<w:r><w:t>別紙のとおり</w:t></w:r>"))
    _refused(path, "no tables in this Word document")


def test_damaged_bytes_in_a_docx_never_end_in_a_traceback(report: Path) -> None:
    data = report.read_bytes()
    for start in range(0, len(data), 997):
        damaged = (
            data[:start] + bytes((b * 7 + 3) % 256 for b in data[start : start + 64]) + data[start + 64 :]
        )
        try:
            read_source_bytes(damaged)
        except InputError as exc:
            assert [i.path for i in exc.issues] == ["d.docx"]


def read_source_bytes(data: bytes) -> object:
    from ketsugo.read.sources import source_text

    return source_text(data, "d.docx")
