"""Shell completion (click's): `_KETSUGO_COMPLETE=bash_source ketsugo` writes the script the
README tells users to source, and the script's completions name ketsugo's commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def ketsugo_command() -> str:
    found = Path(sys.executable).parent / "ketsugo"
    if found.is_file():
        return str(found)
    on_path = shutil.which("ketsugo")
    if on_path is None:
        pytest.skip("the ketsugo console script is not installed (pip install -e .)")
    return on_path


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ketsugo_command()],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _ketsugo_completion ketsugo"),
        ("zsh", "#compdef ketsugo"),
        ("fish", "complete --no-files"),
    ],
)
def test_the_completion_variable_writes_a_script(shell: str, marker: str) -> None:
    result = run({"_KETSUGO_COMPLETE": f"{shell}_source"})
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "_KETSUGO_COMPLETE" in result.stdout


def test_the_script_completes_commands_and_options() -> None:
    commands = run({"_KETSUGO_COMPLETE": "bash_complete", "COMP_WORDS": "ketsugo qu", "COMP_CWORD": "1"})
    assert commands.stdout.split() == ["plain,query"]
    options = run({"_KETSUGO_COMPLETE": "bash_complete", "COMP_WORDS": "ketsugo --la", "COMP_CWORD": "1"})
    assert options.stdout.split() == ["plain,--lang"]
