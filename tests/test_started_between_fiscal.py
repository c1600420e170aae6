"""connections-started-between on day-less starts (review9): a connection whose start the report
gives only as a fiscal year (令和4年度, kg:startFiscalYear) started in the period when any of that
fiscal year lies in it, as a month or a year does. Expectations read by hand from
tests/cases/dates9/nakano-2022/report.txt, section (2): No.1–10 and 13 start in fiscal 2022 (a day,
a month, 令和4年度 itself, 令和4年度中, 令和4年度当初, a year 令和4年 overlapping it); No.11 随時 and
No.12 未定 give no date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

REPORT = Path(__file__).parent / "cases" / "dates9" / "nakano-2022" / "report.txt"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _register_optional_commands()
    out = tmp_path_factory.mktemp("nakano") / "build"
    args = ["build", str(REPORT), "--out", str(out), "-j", "1", "-q", "--municipality", "202118"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


def _started(build: Path, first: str, last: str) -> dict[int, str]:
    args = ["query", "connections-started-between", "--store", str(build), "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "-p", f"from={first}", "-p", f"to={last}"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    return {int(r["connection_number"]["value"]): r["start_date"]["value"] for r in rows}


def test_the_fiscal_year_lists_every_start_within_it(build: Path) -> None:
    started = _started(build, "2022-04-01", "2023-03-31")
    assert sorted(started) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13]
    assert started[6] == started[7] == started[8] == "2022年度"


def test_a_fiscal_year_is_in_a_period_overlapping_it(build: Path) -> None:
    """A March 2023 lies in fiscal 2022: 令和4年度 overlaps it; a day of July 2022 does not."""
    started = _started(build, "2023-03-01", "2023-03-31")
    assert {6, 7, 8} <= set(started) and 2 not in started


def test_a_period_after_the_fiscal_year_lists_none_of_it(build: Path) -> None:
    started = _started(build, "2023-04-01", "2024-03-31")
    assert not {6, 7, 8} & set(started)


def test_counterparties_since_a_fiscal_year(build: Path) -> None:
    """counterparties-by-municipalities gives each party since its earliest start at the report's
    precision: No.6–8 start only in 令和4年度 (its own words), No.2 in a month, No.13 in a year;
    No.11 随時 and No.12 未定 give none (read by hand from the report)."""
    args = ["query", "counterparties-by-municipalities", "--store", str(build), "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    since = {r["counterparty_label"]["value"]: r.get("since", {}).get("value") for r in rows}
    assert since["株式会社イプシロン"] == since["株式会社ゼータ"] == since["株式会社エータ"] == "2022年度"
    assert since["株式会社アルファ"] == "2022-07-01"
    assert since["株式会社ベータ"] == "2022-10"
    assert since["株式会社ラムダ"] == "2022"
    assert since["株式会社イオタ"] is None and since["株式会社カッパ"] is None
