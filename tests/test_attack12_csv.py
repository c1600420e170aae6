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
from ketsugo.read.sources.csvtable import read_csv
from ketsugo.read.sources.detect import looks_like_csv

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
