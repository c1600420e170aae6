"""Reports as municipalities publish them — PDF, Excel (.xlsx, .xls), Word (.docx), HTML or text —
as the text form.

The parser reads one form: tab-separated text (see :mod:`ketsugo.read.parser`). Each published
format is read into blocks (:mod:`ketsugo.read.sources.tables`) by its own module and written as
that text, with a map from each text line to where it stood in the file ("p.3 table 2 row 4",
"Sheet1!A12", "table 2 row 4"). ``ketsugo extract`` writes the text for a person to check and
correct; ``ketsugo build`` reads any of the formats through :func:`read_source`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ketsugo.errors import InputError, Issue
from ketsugo.read.records import Report
from ketsugo.read.sources.detect import detect_format, looks_like_csv
from ketsugo.read.sources.tables import Block, has_table, skipped, text_form
from ketsugo.read.textio import decode, read_report_bytes

FORMAT_NAMES = {
    "pdf": "PDF",
    "xlsx": "Excel workbook",
    "xls": "Excel 97-2003 workbook",
    "docx": "Word document",
    "html": "HTML page",
}


@dataclass(frozen=True)
class SourceText:
    """The text form of a report file; ``encoding`` names the format for a PDF/XLSX/HTML file."""

    text: str
    encoding: str
    locations: Mapping[int, str] = field(default_factory=dict)  # text line → place in the file
    path: str = ""
    findings: tuple[Issue, ...] = ()  # what the reader left out on purpose (a hidden or sample sheet)
    # text line → {header: place of the cell under it}: a finding about a field names its cell
    cell_locations: Mapping[int, Mapping[str, str]] = field(default_factory=dict)

    def where(self, line: int) -> str | None:
        return self.locations.get(line)

    def located(self, issue: Issue) -> Issue:
        """``issue`` with the place in the published file named after its message."""
        place = self.where(issue.line) if issue.line else None
        if place and issue.field:
            place = self.cell_locations.get(issue.line, {}).get(issue.field, place)
        if not place:
            return issue
        return replace(issue, message=f"{issue.message} (at {place}; line {issue.line} of `ketsugo extract`)")

    def findings_located(self, report: Report) -> Report:
        """``report`` with each finding naming its place in the published file, and the reader's own
        findings (parts of the file left out on purpose) before them."""
        if not self.locations and not self.findings:
            return report
        return replace(report, issues=(*self.findings, *(self.located(i) for i in report.issues)))

    @contextmanager
    def errors_located(self) -> Iterator[None]:
        """Re-raise an InputError with each issue naming its place in the published file."""
        try:
            yield
        except InputError as exc:
            if not self.locations:
                raise
            raise InputError([self.located(i) for i in exc.issues]) from None


def read_source(path: Path, encoding: str | None = None) -> SourceText:
    """The text form of the report at ``path``, whatever its format (detected from its bytes)."""
    data, name = read_report_bytes(path)  # standard input, special files: as textio reads them
    return source_text(data, name, encoding)


def source_text(data: bytes, path: str, encoding: str | None = None) -> SourceText:
    kind = detect_format(data, path)
    if kind == "text":
        decoded = decode(data, path, encoding)
        if not looks_like_csv(decoded.text):
            from ketsugo.read.sources.transposed import rewritten_text

            turned = rewritten_text(decoded.text)  # a table written sideways, a sheet's name alone
            if turned is None:
                return SourceText(decoded.text, decoded.encoding, {}, path)
            said = tuple(
                Issue(path, n.line, n.field, n.message, n.as_written, severity=n.severity, kind="reading")
                for n in turned.notes
            )
            return SourceText(
                turned.text, decoded.encoding, turned.locations, path, said, turned.cell_locations
            )
        from ketsugo.read.sources.csvtable import read_csv

        places: dict[int, dict[str, str]] = {}
        text, locations, notes = text_form(read_csv(decoded.text, path), places)
        findings = tuple(
            Issue(path, n.line, n.field, n.message, n.as_written, severity=n.severity, kind="reading")
            for n in notes
        )
        return SourceText(text, decoded.encoding, locations, path, findings, places)
    if kind == "pdf":
        from ketsugo.read.sources.pdf import read_pdf as reader
    elif kind == "xlsx":
        from ketsugo.read.sources.xlsx import read_xlsx as reader
    elif kind == "xls":
        from ketsugo.read.sources.xls import read_xls as reader
    elif kind == "docx":
        from ketsugo.read.sources.docx import read_docx as reader
    else:
        from ketsugo.read.sources.html import read_html as reader
    blocks = reader(data, path)
    if kind == "html" and not has_table(blocks):
        _check_html_text(blocks, path)  # a page of <dl> blocks and prose is read as its text
    elif not has_table(blocks):
        raise InputError(
            Issue(
                path,
                0,
                "",
                f"no tables in this {FORMAT_NAMES[kind]}: expected the report's summary and connection tables"
                + (" (ketsugo reads tables drawn with ruling lines)" if kind == "pdf" else ""),
            )
        )
    cells: dict[int, dict[str, str]] = {}
    text, locations, notes = text_form(blocks, cells)
    findings = tuple(
        Issue(path, 0, part.where, part.message, part.as_written, severity=part.severity, kind="reading")
        for part in skipped(blocks)
    ) + tuple(
        Issue(path, n.line, n.field, n.message, n.as_written, severity=n.severity, kind="reading")
        for n in notes
    )
    return SourceText(text, kind, locations, path, findings, cells)


def _check_html_text(blocks: list[Block], path: str) -> None:
    """A web page with no ``<table>`` is read as its text (the connections as ``<dl>`` blocks, the
    counts in sentences: as a select-all copy of the page is read) when it says the report in text
    (:func:`ketsugo.read.sources.html.holds_report_text`); refused otherwise, naming the file."""
    from ketsugo.read.sources.html import holds_report_text

    if not holds_report_text(blocks):
        raise InputError(
            Issue(
                path,
                0,
                "",
                "no tables in this HTML page, and no report in its text (no <dl> or 項目：内容 line naming "
                "a connection's field, no count written as a sentence, no 該当なし): expected the report's "
                "summary and connections",
            )
        )
