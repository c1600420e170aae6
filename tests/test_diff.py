"""`ketsugo diff`: a hand-made 令和3年度 report of the bundled ward against the bundled 令和2年度 one.

Expected by reading the two files: the later report's No.1 is the earlier No.12 (保健予防課, the
vaccination business) with 接種日 added and 性別 removed; its No.2 (税務課) is new; its ended
No.1 is the earlier No.6 (文化観光課, the museum database)."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from ketsugo.cli.main import cli
from tests.conftest import BUNDLED, CASES

LATER = CASES / "diff" / "shinjuku-2021.txt"


def _run(*args: str):
    return CliRunner().invoke(cli, ["diff", str(BUNDLED), str(LATER), "--municipality", "131041", *args])


def test_diff_as_json() -> None:
    result = _run("--format", "json")
    assert result.exit_code == 0, result.output
    got = [
        (c["change"], c["later_number"], c["earlier_number"], c["items_added"], c["items_removed"])
        for c in json.loads(result.output)
    ]
    assert got == [
        ("changed", 1, 12, ["接種日"], ["性別"]),
        ("new", 2, None, [], []),
        ("ended", 1, 6, [], []),
    ]


def test_diff_as_csv_and_table() -> None:
    rows = list(csv.DictReader(io.StringIO(_run("--format", "csv").output)))
    assert [(r["change"], r["department"]) for r in rows] == [
        ("changed", "保健予防課"),
        ("new", "税務課"),
        ("ended", "文化観光課"),
    ]
    table = _run().output
    assert "+ 接種日" in table and "- 性別" in table


def test_reports_of_two_municipalities_are_refused() -> None:
    result = CliRunner().invoke(
        cli, ["diff", str(BUNDLED), str(LATER), "--municipality", "131016"]
    )  # 千代田区: contradicts the bundled report's metadata
    assert result.exit_code == 2
    assert "contradicts" in result.output


def test_an_earlier_year_as_the_later_report_is_refused() -> None:
    result = CliRunner().invoke(cli, ["diff", str(LATER), str(BUNDLED), "--municipality", "131041"])
    assert result.exit_code == 2
    assert "not after" in result.output
