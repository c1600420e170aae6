"""Messages on bad input, and the one error hierarchy with its exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ketsugo.cli.common import handle_errors
from ketsugo.cli.main import cli
from ketsugo.errors import InputError, KetsugoError
from ketsugo.paths import ROOT
from ketsugo.read.textio import decode

REPORT = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"
SRC = str(ROOT / "src")


def _build(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ketsugo", "build", "-q", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=120,
    )


# ------------------------------------------------------------------------------- encodings


def _lines() -> list[bytes]:
    return REPORT.read_bytes().split(b"\n")


def test_one_stray_latin1_byte_names_its_line_and_byte() -> None:
    lines = _lines()
    lines[20] = b"ab\xe9cd" + lines[20]  # line 21: a Latin-1 é after two ASCII letters
    with pytest.raises(InputError) as caught:
        decode(b"\n".join(lines), "r.txt")
    (issue,) = caught.value.issues
    assert issue.line == 21
    assert "UTF-8 except line 21, byte 0xE9 at column 3" in issue.message


def test_a_file_cut_mid_character_says_so() -> None:
    data = "外部結合の状況\n".encode() * 40 + "新宿".encode()[:-1]
    with pytest.raises(InputError, match=r"UTF-8 except line 41, byte 0xE5 at column 4.*ends mid-character"):
        decode(data, "r.txt")


def test_a_cp932_line_in_a_utf8_file_is_named() -> None:
    lines = _lines()
    lines[30] = "住民基本台帳".encode("cp932")
    with pytest.raises(InputError) as caught:
        decode(b"\n".join(lines), "r.txt")
    message = caught.value.issues[0].message
    assert "UTF-8 except line 31" in message and "line(s) 31" in message


def test_a_real_cp932_file_is_still_read() -> None:
    text = REPORT.read_text(encoding="utf-8")
    assert decode(text.encode("cp932"), "r.txt").encoding == "cp932"


# ------------------------------------------------------------------------------- special files


def test_a_fifo_is_named_and_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result: list[subprocess.CompletedProcess] = []
    thread = threading.Thread(
        target=lambda: result.append(
            _build(str(fifo), "--municipality", "131041", "--out", str(tmp_path / "o"))
        ),
        daemon=True,
    )
    thread.start()
    thread.join(timeout=120)
    assert result, "ketsugo hung on a FIFO"
    assert result[0].returncode == 2
    assert b"named pipe (FIFO), not a regular file" in result[0].stderr


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: os.symlink(d / "loop", d / "loop") or d / "loop", "symbolic link loop"),
        (lambda d: Path("/dev/zero"), "a device, not a regular file"),
        (lambda d: Path("/dev/urandom"), "a device, not a regular file"),
        (lambda d: d, "a directory"),
        (lambda d: os.symlink(d / "gone", d / "dangling") or d / "dangling", "broken symbolic link"),
    ],
)
def test_special_files_say_what_they_are(make, expected: str, tmp_path: Path) -> None:
    path = make(tmp_path)
    result = CliRunner().invoke(
        cli, ["build", str(path), "--municipality", "131041", "--out", str(tmp_path / "o"), "-q"]
    )
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "No such file or directory" not in result.output


def test_a_report_on_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "o"
    done = _build("-", "--municipality", "131041", "--out", str(out), stdin=REPORT.read_bytes())
    assert done.returncode == 0, done.stderr
    assert (out / "store").is_dir()
    missing = _build("-", "--out", str(tmp_path / "p"), stdin=REPORT.read_bytes())
    assert missing.returncode == 2
    assert b"--municipality" in missing.stderr


# ------------------------------------------------------------------------------- many errors


def _many_errors(tmp_path: Path) -> Path:
    lines = REPORT.read_text(encoding="utf-8").split("\n")
    rows = [line + "\t\t余分\tx" if line[:1].isdigit() and "\t" in line else line for line in lines]
    path = tmp_path / "many.txt"
    path.write_text("\n".join(rows[:30] + rows[30:] * 10), encoding="utf-8")
    return path


def test_thousands_of_errors_are_summarised(tmp_path: Path) -> None:
    path = _many_errors(tmp_path)
    args = ["build", str(path), "--municipality", "131041", "--out", str(tmp_path / "o"), "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 21
    assert "more" in lines[-1] and "--all-errors" in lines[-1]
    every = CliRunner().invoke(cli, [*args, "--all-errors"])
    assert every.exit_code == 2
    assert len(every.output.strip().splitlines()) > 21


def test_too_many_fields_names_the_column_they_follow(tmp_path: Path) -> None:
    path = _many_errors(tmp_path)
    result = CliRunner().invoke(
        cli, ["build", str(path), "--municipality", "131041", "--out", str(tmp_path / "o"), "-q"]
    )
    assert "[after 結合の開始年月日] too many fields" in result.output


# ------------------------------------------------------------------------------- hierarchy


def test_every_ketsugo_error_has_an_exit_code() -> None:
    from ketsugo.cli.deadline import QueryTimeout
    from ketsugo.sparql.query import EndpointError, QueryError
    from ketsugo.sparql.server import PortInUseError, ServerError

    codes = {k: k.exit_code for k in (InputError, QueryError, PortInUseError, QueryTimeout)}
    assert set(codes.values()) == {2}
    assert EndpointError.exit_code == ServerError.exit_code == 1
    assert all(issubclass(k, KetsugoError) for k in (*codes, EndpointError, ServerError))


@click.command()
@handle_errors
def _buggy() -> None:
    raise ZeroDivisionError("division by zero")


def test_an_internal_error_exits_3_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETSUGO_DEBUG", raising=False)
    result = CliRunner().invoke(_buggy, [])
    assert result.exit_code == 3
    assert "internal error" in result.output and "Traceback" not in result.output


def test_ketsugo_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KETSUGO_DEBUG", "1")
    result = CliRunner().invoke(_buggy, [])
    assert result.exit_code == 3
    assert "Traceback" in result.output


def test_the_group_handles_errors_of_any_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A command without its own handler still gets the one handler, through the group."""

    @cli.command("harden-probe")
    def probe() -> None:
        raise ZeroDivisionError("x")

    try:
        result = CliRunner().invoke(cli, ["harden-probe"])
    finally:
        cli.commands.pop("harden-probe", None)
    assert result.exit_code == 3
    assert "Traceback" not in result.output


def test_exit_codes_are_documented() -> None:
    text = CliRunner().invoke(cli, ["--help"]).output
    for fragment in ("Exit status", "0 success", "2 bad input", "3 an internal error"):
        assert fragment in " ".join(text.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "What ketsugo promises on bad input and on the server's limits" in readme


def test_the_build_summary_speaks_japanese_with_lang_ja(tmp_path: Path) -> None:
    """`ketsugo --lang ja build` wrote its findings in Japanese but the summary's own lines in
    English (a new user's report)."""
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    result = CliRunner().invoke(cli, ["--lang", "ja", "build", "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "新宿区（131041）2020年度" in result.output
    assert "外部結合 22 件（新規 22、終了 0）" in result.output
    assert "生年月日を受け取る相手方と、その開始日:" in result.output
    assert "内閣官房 — 1 件: 新宿区2020年度 No.12（2021-02-01 から）" in result.output
    for english in ("connections (", "connection(s)", "finding(s) while reading", "Which recipients"):
        assert english not in result.output
