"""A report built under another body's code is said at the top of the summary, not among its findings.

tests/cases/user12/shiwa-2023/report.html is 紫波町's page (its <title> and text name 紫波町, never
新宿区). Built with --municipality 131041 (新宿区), a new user saw no warning among 30 findings.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

PAGE = Path(__file__).parent / "cases" / "user12" / "shiwa-2023" / "report.html"


def test_the_summary_says_to_check_the_code_right_under_the_report(tmp_path: Path) -> None:
    _register_optional_commands()
    args = ["build", str(PAGE), "--municipality", "131041", "--out", str(tmp_path / "b"), "-j", "1"]
    result = CliRunner().invoke(cli, args, env={"KETSUGO_LANG": "en"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2].strip().startswith("CHECK THE CODE:")
    assert "紫波町 (033219)" in lines[2] and "新宿区 (131041)" in lines[2]


def test_no_such_line_when_the_code_is_right(tmp_path: Path) -> None:
    _register_optional_commands()
    args = ["build", str(PAGE), "--municipality", "033219", "--out", str(tmp_path / "b"), "-j", "1"]
    result = CliRunner().invoke(cli, args, env={"KETSUGO_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert "CHECK THE CODE" not in result.output
