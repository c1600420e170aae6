"""`ketsugo validate -o FILE` says once that it wrote the file (issue 13)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli


def test_validate_output_file_is_announced_once(bundled_build: Path, tmp_path: Path) -> None:
    _register_optional_commands()
    target = tmp_path / "findings.txt"
    result = CliRunner().invoke(cli, ["validate", "--store", str(bundled_build), "-o", str(target)])
    assert result.exit_code == 1  # the bundled report's No.12 violation
    assert result.output.count(f"wrote {target}") == 1
    assert "MyNumberShape" in target.read_text(encoding="utf-8")
