"""Hostile Word documents (.docx): a cell or row claiming a grid of a billion columns, counts Word
never writes (a superscript digit, thousands of digits, a negative start), a list numbered by
letters from 999,999,999 — each refused with a clear error or read as a bounded grid, never a crash,
a hang or gigabytes of memory. Each document is a minimal package written here."""

from __future__ import annotations

import io
import zipfile

import pytest

from ketsugo.errors import InputError
from ketsugo.read.sources.docx import MAX_GRID_SPAN, read_docx
from ketsugo.read.sources.docxnumbers import number_text
from ketsugo.read.sources.tables import Table, TextLine

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/>{numbering}</Types>'
)
_NUMBERING_TYPE = (
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.numbering+xml"/>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'numbering" Target="numbering.xml"/></Relationships>'
)


def _docx(body: str, numbering: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES.format(numbering=_NUMBERING_TYPE if numbering else ""))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>',
        )
        if numbering:
            archive.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
            archive.writestr(
                "word/numbering.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{_W}">{numbering}</w:numbering>',
            )
    return out.getvalue()


def _p(text: str, properties: str = "") -> str:
    return f"<w:p>{properties}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str, properties: str = "") -> str:
    return f"<w:tc>{properties}{_p(text)}</w:tc>"


def _table(*rows: str) -> str:
    return "<w:tbl>" + "".join(rows) + "</w:tbl>"


def _only_table(data: bytes) -> Table:
    (table,) = [b for b in read_docx(data, "hostile.docx") if isinstance(b, Table)]
    return table


def test_a_cell_spanning_a_million_columns_spans_a_bounded_grid() -> None:
    """w:gridSpan of 1,999,999 (Word draws 63 columns at most): read as MAX_GRID_SPAN columns, the
    cell after it in the next one — not a row of two million cells (a hang)."""
    data = _docx(
        _table("<w:tr>" + _tc("a", '<w:tcPr><w:gridSpan w:val="1999999"/></w:tcPr>') + _tc("b") + "</w:tr>")
    )
    table = _only_table(data)
    (row,) = table.rows
    assert len(row.cells) == MAX_GRID_SPAN + 1
    assert (row.cells[0], row.cells[-1]) == ("a", "b")


def test_a_row_skipping_a_billion_grid_columns_skips_a_bounded_number() -> None:
    """w:gridBefore of 999,999,999: the row's cells stand after MAX_GRID_SPAN empty columns, not
    after a billion (gigabytes of empty cells)."""
    data = _docx(
        _table('<w:tr><w:trPr><w:gridBefore w:val="999999999"/></w:trPr>' + _tc("a") + _tc("b") + "</w:tr>")
    )
    (row,) = _only_table(data).rows
    assert row.cells[MAX_GRID_SPAN:] == ("a", "b")
    assert not any(row.cells[:MAX_GRID_SPAN])


def test_columns_a_row_skips_count_towards_the_documents_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """The grid columns rows skip fill the table as cells do: counted against MAX_TABLE_CELLS."""
    monkeypatch.setattr("ketsugo.read.sources.docx.MAX_TABLE_CELLS", 50)
    row = '<w:tr><w:trPr><w:gridBefore w:val="20"/></w:trPr>' + _tc("a") + _tc("b") + "</w:tr>"
    with pytest.raises(InputError, match="over 50 cells") as caught:
        read_docx(_docx(_table(row, row, row)), "hostile.docx")
    assert caught.value.issues[0].field == "table 1 row 3"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("²", "a superscript two: a digit to str.isdigit, not to int"),
        ("9" * 5000, "more digits than int takes"),
    ],
)
def test_a_grid_count_word_never_writes_is_no_crash(value: str, why: str) -> None:
    """A gridSpan or gridBefore whose value is no count ({why}): no ValueError (exit 3)."""
    span = _table(
        "<w:tr>" + _tc("a", f'<w:tcPr><w:gridSpan w:val="{value}"/></w:tcPr>') + _tc("b") + "</w:tr>"
    )
    before = _table(
        f'<w:tr><w:trPr><w:gridBefore w:val="{value}"/></w:trPr>' + _tc("a") + _tc("b") + "</w:tr>"
    )
    assert [c for c in _only_table(_docx(span)).rows[0].cells if c] == ["a", "b"]
    assert [c for c in _only_table(_docx(before)).rows[0].cells if c] == ["a", "b"]


def _numbered(fmt: str, start: str, level: str = "0") -> bytes:
    numbering = (
        f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    item = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    return _docx(_p("総務課", item) + _p("税務課", item), numbering)


def test_a_list_lettered_from_a_billion_draws_its_number_not_a_million_letters() -> None:
    """A list numbered A, B, C… starting at 999,999,999 (Word letters up to ZZ…Z, 780): the number
    is drawn; the letter would be repeated 38 million times in each paragraph."""
    lines = [
        b.text
        for b in read_docx(_numbered("upperLetter", "999999999"), "hostile.docx")
        if isinstance(b, TextLine)
    ]
    assert lines == ["999999999. 総務課", "1000000000. 税務課"]
    assert number_text(780, "upperLetter") == "Z" * 30


@pytest.mark.parametrize(
    ("fmt", "start", "level"),
    [
        ("decimal", "²", "0"),
        ("decimal", "1", "²"),
        ("decimal", "9" * 5000, "0"),
        ("ideographDigital", "-3", "0"),
    ],
)
def test_a_list_count_word_never_writes_is_no_crash(fmt: str, start: str, level: str) -> None:
    """A list's start or level that is no count (a superscript digit, 5,000 digits) or a negative
    start drawn in kanji digits: the paragraphs are read, no ValueError."""
    blocks = read_docx(_numbered(fmt, start, level), "hostile.docx")
    assert all(isinstance(b, TextLine) for b in blocks)
    assert [b.text.split()[-1] for b in blocks if isinstance(b, TextLine)] == ["総務課", "税務課"]


def test_a_document_of_more_tags_than_any_report_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Empty paragraphs by the million (200 MB of <w:p/>, under the unpacked-size limit, made a
    tree of 4 GB): the tags are counted as the parts unpack, and past MAX_MARKUP_TAGS the document
    is refused naming its part — python-docx never parses it."""
    monkeypatch.setattr("ketsugo.read.sources.docx.MAX_MARKUP_TAGS", 500)

    def parse(*_: object) -> None:
        pytest.fail("python-docx parsed the document")

    monkeypatch.setattr("docx.Document", parse)
    with pytest.raises(InputError, match="over 500 tags") as caught:
        read_docx(_docx("<w:p/>" * 1_000), "hostile.docx")
    assert caught.value.issues[0].field == "word/document.xml"
