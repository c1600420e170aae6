"""A hostile workbook (.xlsx): tens of millions of elements in a part under the unpacked-size limit
(200 MB of <si/>, empty shared strings, kept openpyxl busy past a minute). The tags are counted
as the parts unpack; past MAX_MARKUP_TAGS the workbook is refused naming its part, before openpyxl
opens it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ketsugo.errors import InputError
from ketsugo.read.sources.xlsx import read_xlsx


def _workbook(strings: int) -> bytes:
    """A workbook of one sheet whose shared-strings part holds ``strings`` empty strings."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(["番号", "業務名"])
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as source, zipfile.ZipFile(out, "w") as copy:
        for member in source.infolist():
            copy.writestr(member, source.read(member))
        copy.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "<si/>" * strings
            + "</sst>",
        )
    return out.getvalue()


def test_a_workbook_of_more_tags_than_any_report_is_refused_before_openpyxl_opens_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("ketsugo.read.sources.xlsx.MAX_MARKUP_TAGS", 2_000)

    def opened(*_: object, **__: object) -> None:
        pytest.fail("openpyxl opened the workbook")

    monkeypatch.setattr("openpyxl.load_workbook", opened)
    with pytest.raises(InputError, match="over 2,000 tags") as caught:
        read_xlsx(_workbook(5_000), "hostile.xlsx")
    assert caught.value.issues[0].field == "xl/sharedStrings.xml"


def test_a_workbook_under_the_limit_is_read() -> None:
    """The same workbook with a few shared strings is read, not refused."""
    read_xlsx(_workbook(3), "small.xlsx")
