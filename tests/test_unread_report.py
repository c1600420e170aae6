"""A report ketsugo reads as nothing (a layout it does not know, built with --lenient) must not pass for
a clean one: the build says so in words, and `ketsugo validate` fails on it by default and with a bare
`--fail-on violation` (it exited 0: the reading's violations were another kind than the bare severity's).
The report below is written by hand: a notice with a heading and a table of two columns, no section (2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.check.findings import parse_fail_on
from ketsugo.cli.main import _register_optional_commands, cli

NOTICE = """令和4年度　外部電子計算機との結合について

村では次の業務で外部結合を行っています。

住民基本台帳ネットワークシステム
項目\t内容
担当課\t住民課
結合の相手方\t地方公共団体情報システム機構
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    _register_optional_commands()  # validate, as the ketsugo command has it
    folder = tmp_path_factory.mktemp("unread")
    report = folder / "notice.txt"
    report.write_text(NOTICE, encoding="utf-8")
    out = folder / "build"
    result = CliRunner().invoke(
        cli, ["build", str(report), "--municipality", "393061", "--lenient", "--out", str(out), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def test_the_build_says_nothing_was_read(built: tuple[Path, str]) -> None:
    _, output = built
    assert "NOTHING WAS READ" in output


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ([], 1),
        (["--fail-on", "violation"], 1),
        (["--fail-on", "reading:violation"], 1),
        (["--fail-on", "report:violation"], 0),  # the report's own content alone: nothing to fault
    ],
)
def test_validate_fails_on_a_report_it_could_not_read(
    built: tuple[Path, str], options: list[str], code: int
) -> None:
    out, _ = built
    result = CliRunner().invoke(cli, ["validate", "--store", str(out), *options])
    assert result.exit_code == code, result.output


def test_a_bare_severity_also_fails_an_unread_part() -> None:
    assert parse_fail_on("warning") == [("report", "Warning"), ("reading", "Violation")]
    assert parse_fail_on("report:warning") == [("report", "Warning")]
