"""The README's `ketsugo diff` example works as written for two report files with no metadata file
beside them (a user's own files), and docs/your-report.md opens with reading the published file."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.paths import REPORTS_DIR, ROOT


def _example(command: str) -> list[str]:
    """The arguments of the README's example line starting with ``command``, its comment left out."""
    (line,) = [
        line
        for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith(command)
    ]
    return shlex.split(line.split("#", 1)[0])[1:]


def test_the_readme_diff_example_works_on_files_without_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register_optional_commands()
    args = _example("ketsugo diff ")
    earlier, later = (a for a in args if a.endswith(".txt"))
    # the bundled 令和2年度 report (新宿区, 131041), and the same connections reported a year later
    text = (REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt").read_text(encoding="utf-8")
    (tmp_path / earlier).write_text(text, encoding="utf-8")
    (tmp_path / later).write_text(
        text.replace("令和2年度", "令和3年度").replace("令和元年度", "令和2年度"), "utf-8"
    )
    assert not list(tmp_path.glob("*.toml"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "repeated   No.1 (earlier No.1)" in result.output  # the same connection, a year on


def test_your_report_starts_with_the_published_file() -> None:
    guide = (ROOT / "docs" / "your-report.md").read_text(encoding="utf-8")
    start = guide.split("\n## 2.", 1)[0]
    assert "ketsugo build report.pdf --municipality" in start
    for kind in (".pdf", ".xlsx", ".html", "hidden", "print header", "<h1>", "委託先", "tab"):
        assert kind in start, kind
