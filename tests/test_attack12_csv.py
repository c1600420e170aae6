"""Hostile CSV files: records of nothing but commas, millions of cells in a file under the size
limit (240 MB of commas held 120 million cells: 2.6 GB and no end). Refused at the record passing
the limit, naming the file's line, with exit 2; looking at whether the text is a CSV holds no more
than a record at a time."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.read.sources import source_text
from ketsugo.read.sources.csvtable import read_csv
from ketsugo.read.sources.detect import looks_like_csv
from ketsugo.read.sources.tables import Row, Table, TextLine, _section_names

HEADER = "番号,業務名,担当課,結合先,記録項目\n"


def test_a_file_of_more_cells_than_any_register_is_refused_naming_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With room for 20 cells, the header (5) and rows 1-3 (15) are read; row 4, on line 5 of the
    file, passes the limit."""
    monkeypatch.setattr("ketsugo.read.sources.csvtable.MAX_CELLS", 20)
    text = HEADER + "".join(f"{n},業務{n},総務課,国,氏名\n" for n in range(1, 6))
    with pytest.raises(InputError, match="over 20 cells") as caught:
        read_csv(text, "register.csv")
    (issue,) = caught.value.issues
    assert (issue.path, issue.line) == ("register.csv", 5)


def test_telling_a_csv_holds_one_record_at_a_time() -> None:
    """100 records of 50,000 cells (10 MB of "a,"): telling whether the text is a CSV does
    not keep its five million cells (40 MB of references held at once before)."""
    text = HEADER + ("a," * 50_000 + "\n") * 100
    tracemalloc.start()
    try:
        looks_like_csv(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_a_build_of_a_file_of_commas_exits_2_naming_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ketsugo.read.sources.csvtable.MAX_CELLS", 1_000)
    report = tmp_path / "commas.csv"
    report.write_text(HEADER + ("a," * 400 + "\n") * 10, encoding="utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["build", str(report), "--municipality", "131041", "--out", str(out), "-j", "1"]
    )
    assert result.exit_code == 2, result.output
    assert f"{report}:4:" in result.output
    assert "over 1,000 cells" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_quote_left_open_is_refused_naming_the_line_it_opens_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 2's 業務名 opens a quote that never closes: the rest of the file is one cell (3 million
    lines of it took 1.6 GB and no end). The record is longer than a report's line may be, and the
    error names line 3, where it starts."""
    monkeypatch.setattr("ketsugo.read.sources.csvtable.MAX_LINE_CHARS", 1_000)
    text = (
        HEADER
        + "1,業務,総務課,国,氏名\n"
        + '2,"業務,総務課,国,氏名\n'
        + "".join(f"{n},業務{n},総務課,国,氏名\n" for n in range(3, 200))
    )
    with pytest.raises(InputError, match="opening quote") as caught:
        read_csv(text, "register.csv")
    (issue,) = caught.value.issues
    assert (issue.path, issue.line) == ("register.csv", 3)


def test_a_cell_past_the_csv_field_limit_is_refused_naming_its_line() -> None:
    """Row 2's 業務名 opens a quote closed only 131,073 characters later (past the csv module's
    field limit, 131,072): refused naming line 3, where its record starts — not read as text, line
    by line (3 million lines of it took minutes and 1.5 GB)."""
    text = (
        HEADER
        + "1,業務,総務課,国,氏名\n"
        + '2,"'
        + "あ\n" * 65_537
        + '",総務課,国,氏名\n3,業務,総務課,国,氏名\n'
    )
    with pytest.raises(InputError, match="opening quote") as caught:
        source_text(text.encode(), "register.csv")
    (issue,) = caught.value.issues
    assert (issue.path, issue.line) == ("register.csv", 3)
    assert "field limit" in issue.message


def test_a_text_without_a_table_asks_no_line_whether_it_names_a_section(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only a line above a table can stand for its section's heading (a sheet's name, 新規): in a text
    of lines and no table, no line is looked at (each look is a dozen normalisations: a text of
    millions of short lines took minutes)."""
    looked: list[str] = []

    def name_heading(text: str) -> str:
        looked.append(text)
        return ""

    monkeypatch.setattr("ketsugo.read.sources.sectionnames.name_heading", name_heading)
    lines = [TextLine(f"新規 {n}", f"line {n}") for n in range(1, 50)]
    assert _section_names(lines) == {}
    assert looked == []
    _section_names([*lines, Table([Row(("番号", "業務名"), "line 50")])])
    assert len(looked) == 49
