"""Which format a report file is in, read from its first bytes rather than its name.

Municipalities' files are often misnamed (a PDF saved as .txt, an HTML page saved as .xls);
the bytes decide: ``%PDF-`` is a PDF, a ZIP holding ``xl/workbook.xml`` an Excel workbook,
one holding ``word/document.xml`` a Word document (.docx), an OLE2 container (Office 97-2003)
holding a ``Workbook``/``Book`` stream a legacy Excel workbook (.xls) — one holding a
``WordDocument`` stream is a Word 97-2003 document (.doc), refused with what to do —, markup
opening with ``<html``/``<table`` an HTML page, anything else text. Text whose lines are
records of comma-separated values (an open-data register, whatever its name) is read as CSV:
:func:`looks_like_csv`, on the decoded text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator

from ketsugo.errors import InputError, Issue

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls/.doc container
# An .xlsx saved with a password is an OLE2 container holding this stream (MS-OFFCRYPTO); its
# name is in the container's directory, near the start of a report-sized file.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MARKUP = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|table|meta)\b", re.I | re.S
)


def detect_format(data: bytes, path: str) -> str:
    """ "pdf", "xlsx", "xls", "docx", "html" or "text"; InputError for a container ketsugo cannot
    read."""
    head = data[:1024]
    if re.search(rb"%PDF-\d", head):  # the header may follow up to 1 KB of junk
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise InputError(
                Issue(
                    path,
                    0,
                    "",
                    "damaged or truncated ZIP file (an Excel workbook or Word document?): it cannot be opened",
                )
            ) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        raise InputError(
            Issue(
                path,
                0,
                "",
                "a ZIP file but not an Excel workbook (.xlsx) or a Word document (.docx): "
                "ketsugo reads PDF, XLSX, XLS, DOCX, HTML or text",
            )
        )
    if data.startswith(_OLE2) and _ENCRYPTED in data[: 1 << 20]:
        raise InputError(
            Issue(
                path,
                0,
                "",
                "a password-protected (encrypted) Office file: ketsugo takes no passwords; "
                "open it, save it without a password as .xlsx or .docx (or PDF) and build that",
            )
        )
    if data.startswith(_OLE2):
        return _legacy_office(data, path)
    text_head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _MARKUP.match(text_head):
        return "html"
    return "text"


def _legacy_office(data: bytes, path: str) -> str:
    """ "xls" for an OLE2 container holding a workbook stream; InputError for a Word 97-2003
    document (.doc), a damaged container, or one holding neither."""
    import xlrd.compdoc

    try:
        names = {entry.name for entry in xlrd.compdoc.CompDoc(data, logfile=io.StringIO()).dirlist}
    except Exception as exc:  # any failure of the container's parser on damaged bytes
        raise InputError(
            Issue(
                path,
                0,
                "",
                f"damaged legacy Excel/Word file (.xls/.doc): its container cannot be opened ({exc or type(exc).__name__})",
            )
        ) from None
    if names & {"Workbook", "Book"}:
        return "xls"
    if "WordDocument" in names:
        raise InputError(
            Issue(
                path,
                0,
                "",
                "a Word 97-2003 document (.doc): ketsugo reads .docx; open it in Word or LibreOffice, "
                "save it as .docx or PDF and build that",
            )
        )
    raise InputError(
        Issue(
            path,
            0,
            "",
            "a legacy Office file (OLE2) that is neither an Excel workbook (.xls) nor a Word document: "
            "save it as .xlsx, .docx or PDF and build that",
        )
    )


# A CSV report: at least this many records (the header and a row) of one width of 3 cells or more
_CSV_MIN_RECORDS = 2
_CSV_MIN_WIDTH = 3
# Cells looked at to tell a CSV: more than any register holds (csvtable.MAX_CELLS refuses such a file)
_CSV_DECIDED_BY = 2_000_000


def looks_like_csv(text: str) -> bool:
    """Whether decoded ``text`` is comma-separated values rather than the tab-separated text form
    (:func:`csv_delimiter` finds its separator)."""
    return csv_delimiter(text) is not None


def csv_delimiter(text: str) -> str | None:
    """The separator of decoded ``text`` as a CSV — a comma, else a semicolon (a spreadsheet saved
    as CSV where the decimal mark is a comma) — or None when it is no CSV.

    Read as CSV (quotes and all), the records of the most common width — 3 cells or more, at least
    two of them (a header and a row) — must be most of the records that are not blank: a report in
    prose or in 項目：内容 cards has a comma here and there, never most of its lines splitting into as
    many cells. And fewer lines may hold a tab than there are such records: the text form's rows
    are apart by tabs (its cells may hold commas), while a CSV holds a tab only inside a cell
    (a text pasted into Excel), in a line or two."""
    return next((d for d in (",", ";") if _separated_by(text, d)), None)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def text_lines(text: str) -> Iterator[str]:
    """``text``'s lines with their ends, one at a time (as ``io.StringIO(text, newline="")`` gives
    them, without its copy of the whole text: four bytes a character)."""
    return (match.group() for match in _LINE.finditer(text))


def _separated_by(text: str, delimiter: str) -> bool:
    if delimiter not in text:
        return False
    widths: Counter[int] = Counter()
    records = 0
    cells = 0
    try:  # record by record: a file of millions of cells is never held whole here
        for record in csv.reader(text_lines(text), delimiter=delimiter, strict=False):
            cells += len(record)
            if cells > _CSV_DECIDED_BY:
                break  # decided by its first records: a larger CSV is refused as it is read
            if any(c.strip() for c in record):
                records += 1
                if len(record) >= _CSV_MIN_WIDTH:
                    widths[len(record)] += 1
    except csv.Error:
        if not records:
            return False
        # a cell past the csv module's field limit (a quote left open): told by the records before
        # it, and refused as it is read (ketsugo.read.sources.csvtable.csv_records)
    if not widths:
        return False
    count = widths.most_common(1)[0][1]
    if count < _CSV_MIN_RECORDS or count * 2 <= records:
        return False
    return sum(1 for line in text_lines(text) if "\t" in line) < count
