"""`ketsugo validate --format json` for a finding on new No.1 and ended No.1 (two connections with
the same number): "connection" is null (no single one) and "connections" lists the number twice.

The report is tests/cases/fixes8/report.txt with its new No.1 and No.2 swapped, read by hand:
有限会社美星システム is then on new No.1 (教育課, line 15) and on ended No.1 (教育課, line 22); the
corporate-number note about it concerns exactly those two."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

CASE = Path(__file__).parent / "cases" / "fixes8"
COMPANY = "有限会社美星システム"


def test_new_no1_and_ended_no1_are_both_listed(tmp_path: Path) -> None:
    _register_optional_commands()
    lines = (CASE / "report.txt").read_text(encoding="utf-8").split("\n")
    assert lines[13].startswith("1\t住民課") and lines[14].startswith("2\t教育課")
    lines[13], lines[14] = "2" + lines[13][1:], "1" + lines[14][1:]
    (tmp_path / "report.txt").write_text("\n".join(lines), encoding="utf-8")
    shutil.copy(CASE / "report.toml", tmp_path / "report.toml")
    out = tmp_path / "build"
    built = CliRunner().invoke(cli, ["build", str(tmp_path / "report.txt"), "--out", str(out), "-j", "1"])
    assert built.exit_code == 0, built.output
    target = tmp_path / "findings.json"
    result = CliRunner().invoke(
        cli, ["validate", "--store", str(out), "--format", "json", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(target.read_text(encoding="utf-8"))
    (note,) = [f for f in findings if f["shape"] == "kgsh:CorporateNumberShape" and f["value"] == COMPANY]
    assert (note["new_connections"], note["ended_connections"]) == ([1], [1])
    assert note["connection"] is None  # two connections, not one
    assert note["connections"] == [1, 1]
