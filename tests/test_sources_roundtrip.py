"""A report published as PDF, Excel or HTML builds to the same graph as its text form.

The fixtures are written from the bundled report's text with real writers (reportlab,
openpyxl, an HTML page) — see tests/sources_fixtures.py — and each is built through the same
pipeline as the text; the flows export (connection × counterparty × item, with dates,
departments, flags) and every finding must be the same, not just their counts.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest

from ketsugo import pipeline
from ketsugo.export.flowtable import flows
from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report, run_build
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.sources import read_source
from ketsugo.store.disk import open_store
from tests.sources_fixtures import write_html, write_pdf, write_xlsx

_LOCATED = re.compile(r" \(at [^;()]+; line \d+ of `ketsugo extract`\)$")
WRITERS = {"pdf": write_pdf, "xlsx": write_xlsx, "html": write_html}


def _built(report: Path, out: Path):
    # The build and the parsed report read the same unchanged file: it is read (a PDF's pages
    # parsed, the costly part) once, by the real reader, and the second reading is given the
    # first's text form (SourceText is frozen).
    read = functools.cache(pipeline.read_source)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "read_source", read)
        build = run_build([metadata_from_options(report, "131041", 2020)], out)
        parsed = build_report(metadata_from_options(report, "131041", 2020), reference()).report
    assert read.cache_info().misses == 1 and read.cache_info().hits == 1
    columns, rows = flows(open_store(out))
    # a finding read from a PDF/XLSX/HTML file also names its place there: compared without it;
    # the reader's own findings (a part of the file left out on purpose: the pages' running
    # header) are the published file's alone
    own = {(i.field, i.message) for i in parsed.issues if i.kind == "reading" and not i.line}
    findings = sorted(
        (i.severity, i.kind, i.field, _LOCATED.sub("", i.message), i.as_written)
        for i in build.issues
        if (i.field, i.message) not in own
    )
    return columns, rows, findings, parsed


def _content(row: dict, *, cid: bool = False) -> dict:
    """A flows row without the file name and text line (they differ by design). With ``cid``,
    FULLWIDTH HYPHEN-MINUS as MINUS SIGN: a CID font (Adobe-Japan1) draws both with one glyph
    (CID 661), which pdfminer reads back as U+2212 — the PDF does not record which was typed."""
    kept = {k: v for k, v in row.items() if k not in ("report", "source_line")}
    if cid:
        kept = {k: v.replace("\uff0d", "\u2212") if isinstance(v, str) else v for k, v in kept.items()}
    return kept


@pytest.fixture(scope="module")
def text_build(tmp_path_factory, bundled_path: Path):
    tmp = tmp_path_factory.mktemp("text")
    report = tmp / "report.txt"
    shutil.copy(bundled_path, report)
    return _built(report, tmp / "out")


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_published_form_builds_to_the_same_flows_and_findings(
    kind: str, text_build, bundled_path: Path, tmp_path: Path
) -> None:
    report = WRITERS[kind](bundled_path.read_text(encoding="utf-8"), tmp_path / f"report.{kind}")
    columns, rows, findings, parsed = _built(report, tmp_path / "out")
    t_columns, t_rows, t_findings, t_parsed = text_build
    assert columns == t_columns
    assert len(rows) == len(t_rows) > 0
    for got, want in zip(rows, t_rows, strict=True):  # the file name and text line differ, by design
        assert _content(got, cid=kind == "pdf") == _content(want, cid=kind == "pdf")
    assert findings == t_findings
    assert [c.number for c in parsed.connections] == list(range(1, 23))  # read by hand: No.1–22
    located = [i for i in parsed.issues if i.line]
    assert located and all(_LOCATED.search(i.message) for i in located)
    assert [(s.agency, s.new) for s in parsed.summary] == [(s.agency, s.new) for s in t_parsed.summary]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_detected_by_content_not_by_name(kind: str, bundled_path: Path, tmp_path: Path) -> None:
    written = WRITERS[kind](bundled_path.read_text(encoding="utf-8"), tmp_path / f"report.{kind}")
    misnamed = tmp_path / "report.txt"
    written.rename(misnamed)
    source = read_source(misnamed)
    assert source.encoding == kind
    assert "(2)新たに外部計算機との結合を行った外部結合の内訳" in source.text.splitlines()


def _japanese_truetype() -> Path | None:
    """A system Japanese TrueType font (CI installs fonts-ipafont-gothic), or None."""
    import subprocess

    try:
        listed = subprocess.run(
            ["fc-list", ":lang=ja", "file"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return None
    files = sorted(line.split(":")[0].strip() for line in listed.splitlines())
    return next((Path(f) for f in files if f.lower().endswith(".ttf")), None)


def test_pdf_with_an_embedded_truetype_font_reads_exactly(
    text_build, bundled_path: Path, tmp_path: Path
) -> None:
    font = _japanese_truetype()
    if font is None:
        pytest.skip("no Japanese TrueType font (apt-get install fonts-ipafont-gothic)")
    report = write_pdf(bundled_path.read_text(encoding="utf-8"), tmp_path / "report.pdf", ttf=font)
    columns, rows, findings, _ = _built(report, tmp_path / "out")
    t_columns, t_rows, t_findings, _ = text_build
    assert columns == t_columns
    assert [_content(r) for r in rows] == [_content(r) for r in t_rows]  # full/half width exactly as written
    assert findings == t_findings


def test_cell_lines_read_as_a_filtered_page_reads_them(bundled_path: Path, tmp_path: Path) -> None:
    """The PDF reader picks each cell's characters from the page's characters (faster): the
    lines must be exactly those of pdfplumber's own ``page.filter(...).extract_text_lines(...)``
    (every table cell of the first page of the bundled report as PDF)."""
    import pdfplumber

    from ketsugo.read.sources.pdf import _TEXT_SETTINGS, _cell_lines

    report = write_pdf(bundled_path.read_text(encoding="utf-8"), tmp_path / "report.pdf")
    with pdfplumber.open(report) as pdf:
        page = pdf.pages[0]
        cells = [bbox for table in page.find_tables() for row in table.rows for bbox in row.cells]
        assert len([bbox for bbox in cells if bbox is not None]) > 20
        for bbox in cells:
            if bbox is None:
                assert _cell_lines(page, bbox) == []
                continue
            x0, top, x1, bottom = bbox

            def inside(obj: dict, x0=x0, top=top, x1=x1, bottom=bottom) -> bool:
                middle = (obj["top"] + obj["bottom"]) / 2
                return obj.get("object_type") == "char" and x0 <= obj["x0"] < x1 and top <= middle < bottom

            want = page.filter(inside).extract_text_lines(strip=True, return_chars=True, **_TEXT_SETTINGS)
            assert _cell_lines(page, bbox) == want
