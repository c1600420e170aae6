"""The briefing can be written per report of a build with several (issue 13)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import bundled_reports, metadata_from_options

LATER = Path(__file__).parent / "cases" / "variants" / "shinjuku-2021" / "report.txt"


def test_briefing_of_one_report_of_two(tmp_path: Path) -> None:
    out = tmp_path / "b"
    run_build([*bundled_reports(), metadata_from_options(LATER, "131041", None)], out)
    runner = CliRunner()
    both = runner.invoke(cli, ["export", "briefing", "--store", str(out)])
    later = runner.invoke(cli, ["export", "briefing", "--store", str(out), "--report", "131041/2021"])
    assert both.exit_code == 0 and later.exit_code == 0, later.output
    # FY2020's No.17 (株式会社NTTデータ, 国民健康保険料のコンビニ収納) is not in the FY2021 report
    assert "国民健康保険料通知書番号" in both.output and "国民健康保険料通知書番号" not in later.output
    unknown = runner.invoke(cli, ["export", "briefing", "--store", str(out), "--report", "131041/1999"])
    assert unknown.exit_code == 2 and "131041/2020" in unknown.output
