"""Files ketsugo cannot read faithfully are refused through the CLI: a clear message, exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from tests.sources_fixtures import write_pdf, write_xlsx


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _refused(path: Path, message: str) -> None:
    for command in (
        ["extract", str(path)],
        ["build", str(path), "--municipality", "131041", "--out", str(path.parent / "out")],
    ):
        result = _run(*command)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert str(path) in result.output
        assert not (path.parent / "out").exists()  # no partial output


def test_a_scan_without_text_layer_is_refused(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 300)
    page.line(50, 200, 450, 200)
    page.drawInlineImage(Image.new("L", (40, 40), 128), 100, 400, 200, 200)
    page.save()
    _refused(path, "no text layer: OCR is out of scope")


def test_a_pdf_of_shapes_only_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "shapes.pdf"
    page = canvas.Canvas(str(path))
    page.grid([50, 150, 250], [50, 100, 150])
    page.save()
    _refused(path, "no text layer: OCR is out of scope")


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    page = canvas.Canvas(str(path), encrypt=StandardEncryption("secret", "owner"))
    page.drawString(100, 700, "No. 1")
    page.save()
    _refused(path, "encrypted PDF")


def test_a_truncated_pdf_is_refused(tmp_path: Path, bundled_path: Path) -> None:
    whole = write_pdf(bundled_path.read_text(encoding="utf-8"), tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    _refused(path, "truncated or damaged PDF")


def test_a_truncated_workbook_is_refused(tmp_path: Path, bundled_path: Path) -> None:
    whole = write_xlsx(bundled_path.read_text(encoding="utf-8"), tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    _refused(path, "damaged or truncated ZIP file")


def test_a_workbook_without_the_tables_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "外部電子計算機との結合の状況"
    book.active["A3"] = "別紙のとおり"
    path = tmp_path / "empty.xlsx"
    book.save(path)
    _refused(path, "no tables in this Excel workbook")


def test_a_page_without_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!DOCTYPE html><html><body><h1>外部結合</h1><p>準備中</p></body></html>", encoding="utf-8"
    )
    _refused(path, "no tables in this HTML page")


def test_other_office_files_are_named(tmp_path: Path) -> None:
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _refused(legacy, "legacy Excel/Word file")


def test_an_error_names_the_place_in_the_pdf(tmp_path: Path, bundled_path: Path) -> None:
    # No.1's start date made impossible; by the fixture's layout No.1 is the second row of the
    # second table on page 1 (the summary table is the first, the header row the first row).
    text = bundled_path.read_text(encoding="utf-8").replace("\tR2.5.15\n", "\tR2.13.15\n", 1)
    path = write_pdf(text, tmp_path / "report.pdf")
    result = _run("build", str(path), "--municipality", "131041", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert re.search(
        r"R2\.13\.15.*\(at p\.1 table 2 row 2 column 10; line \d+ of `ketsugo extract`\)", result.output
    )


def test_extract_writes_the_text_form_that_builds(tmp_path: Path, bundled_path: Path) -> None:
    pdf = write_pdf(bundled_path.read_text(encoding="utf-8"), tmp_path / "report.pdf")
    text = tmp_path / "report.txt"
    result = _run("extract", str(pdf), "-o", str(text))
    assert result.exit_code == 0, result.output
    lines = text.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "1 1 外部電子計算機との結合の状況"
    assert "実績はありません。" in lines
    assert not any("(cid:" in line or "- 2 -" in line for line in lines)
    built = _run("build", str(text), "--municipality", "131041", "--out", str(tmp_path / "out"), "-q")
    assert built.exit_code == 0, built.output


@pytest.mark.parametrize("name", ["report.pdf", "report.xlsx"])
def test_a_missing_file_is_an_input_error(tmp_path: Path, name: str) -> None:
    result = _run("extract", str(tmp_path / name))
    assert result.exit_code == 2


def test_a_pdf_without_ruled_tables_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    path = tmp_path / "prose.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("HeiseiMin-W3", 10)
    page.drawString(72, 720, "外部電子計算機との結合の状況")
    page.drawString(72, 700, "No.  結合を行った課  業務名")  # columns by spaces, no ruling lines
    page.save()
    _refused(path, "no tables in this PDF: expected the report's summary and connection tables")
    import pdfplumber

    with pdfplumber.open(path) as opened:  # the CID font (HeiseiMin-W3) reads back as Unicode
        assert "外部電子計算機との結合の状況" in opened.pages[0].extract_text()
