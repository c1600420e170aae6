"""Malformed reports: `ketsugo build` names the file, line, field and what was expected, exits 2,
and leaves no output behind (nor harms a previous build in the same --out).

Fixtures: tests/cases/malformed/*.txt, each the small valid report with one thing broken
(binary input is generated here). Messages are compared exactly: they are the interface
a person reads.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.errors import EXIT_INPUT_ERROR
from tests.conftest import CASES

MALFORMED = CASES / "malformed"
HEADER_COLUMNS = (
    "No., 結合を行った課, 業務名, 外部結合に係る個人情報記録の項目, 結合の相手方, 結合の開始年月日"
)

CASES_AND_MESSAGES = {
    "too-few-fields": [
        "report.txt:17: [結合の開始年月日] too few fields: 9 where the connection header row (line 15) has 10; "
        "missing 結合の開始年月日"
    ],
    "too-many-fields": [
        "report.txt:18: [after 結合の開始年月日] too many fields: 11 where the connection header row (line 15) has 10; "
        "field 11 holds 'R2. 6. 1' (a tab inside a cell?)"
    ],
    "impossible-date": [
        "report.txt:18: [結合の開始年月日] impossible date 'R2.13.1': month must be in 1..12"
    ],
    "unknown-era": [
        "report.txt:17: [結合の開始年月日] unknown era 'X' in 'X2.4.1' "
        "(known: 令和 (R), 平成 (H), 昭和 (S), 大正 (T), 明治 (M))"
    ],
    "missing-header": [
        f"report.txt:{line}: a table row comes before any header row in section (2): "
        f"expected first a header row naming {HEADER_COLUMNS}"
        for line in (15, 16, 17)
    ],
    "missing-column": [
        "report.txt:15: [結合の相手方] required column missing from the header row: "
        "expected a cell named 結合の相手方 / 相手方 / 提供先 / 接続先 / 結合先 / 結合の相手先 / 相手先 / 相手 / 結合相手 / 提供・受領先"
    ],
    "duplicate-number": ["report.txt:18: [No.] duplicate connection number 2: already used at line 17"],
    "bad-count": [
        "report.txt:8: [内、特定個人情報の取扱いがあるものの数] expected a whole number (a count), found 'O'"
    ],
    "not-a-report": [
        "report.txt: no section (2) (a line like 「(2)新たに外部計算機との結合を行った外部結合の内訳」) found: "
        "is this a 外部結合 report? (ketsugo reads a table under each heading, (2)/２　/■/【新規】 "
        "or a line ending in 外部結合 naming 新た/新規/開始, or the connections as 項目：内容 cards "
        "or as blocks of 項目⇥内容 tables under １　title; docs/your-report.md)"
    ],
    "empty": ["report.txt: the file is empty (0 bytes): expected a 外部結合 report"],
    "blank": ["report.txt: the file is empty (only white space): expected a 外部結合 report"],
    "several-problems": [
        "report.txt:16: [結合の開始年月日] impossible date 'R2.2.30': day must be in 1..29 in February 2020",
        "report.txt:17: [結合の開始年月日] too few fields: 9 where the connection header row (line 15) has 10; "
        "missing 結合の開始年月日",
        "report.txt:19: [No.] duplicate connection number 3: already used at line 18",
        "report.txt:20: [特定個人情報の有無] expected a mark of yes (○, 有, あり …) or of no (a blank, 無, なし, ― …) as headers.toml [specific_personal_information] lists them, found '有り？'",
    ],
}
GENERATED = {
    "binary-nul": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        [
            "report.txt:3: binary file: NUL byte at byte 8; expected a text report (tab-separated UTF-8 or Shift_JIS)"
        ],
    ),
    "binary-controls": (
        bytes(range(1, 9)) * 10,
        [
            "report.txt:1: binary data: control character U+0001 at column 1 (read as utf-8); expected a text report"
        ],
    ),
    "stray-control-character": (
        (MALFORMED / "valid.txt").read_bytes().replace(b"R2. 6. 1", b"R2. 6.\x07 1"),
        [
            # the finding names the column (its header cell) the character stands in (issue 10)
            "report.txt:18: [結合の開始年月日] control character U+0007 in field 10 at column 115: expected text "
            "(binary data, or a broken export?)",
            # the character is read as U+FFFD (so the graph holds only text): the date cannot be read
            "report.txt:18: [結合の開始年月日] not a date: 'R2. 6.\ufffd 1' (expected e.g. R2.5.15 or 2020/5/15)",
        ],
    ),
}


def _build(directory: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        cli, ["build", "report.txt", "--municipality", "131041", "--out", "out", "-q", *args]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    errors = [line.removeprefix("error: ") for line in result.stderr.splitlines()]
    return result.exit_code, errors


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _assert_nothing_written(directory: Path) -> None:
    assert sorted(p.name for p in directory.iterdir()) == ["report.txt"], "no output, no temporary files"


@pytest.mark.parametrize(("case", "messages"), list(CASES_AND_MESSAGES.items()), ids=list(CASES_AND_MESSAGES))
def test_malformed_report(workdir: Path, case: str, messages: list[str]) -> None:
    (workdir / "report.txt").write_bytes((MALFORMED / f"{case}.txt").read_bytes())
    code, errors = _build(workdir)
    assert (code, errors) == (EXIT_INPUT_ERROR, messages)
    _assert_nothing_written(workdir)


@pytest.mark.parametrize(("case", "data_and_messages"), list(GENERATED.items()), ids=list(GENERATED))
def test_binary_or_control_characters(workdir: Path, case: str, data_and_messages) -> None:
    data, messages = data_and_messages
    (workdir / "report.txt").write_bytes(data)
    code, errors = _build(workdir)
    assert (code, errors) == (EXIT_INPUT_ERROR, messages)
    _assert_nothing_written(workdir)


def test_valid_fixture_builds(workdir: Path) -> None:
    """The fixtures are the valid report with one thing broken: the valid one builds."""
    (workdir / "report.txt").write_bytes((MALFORMED / "valid.txt").read_bytes())
    code, errors = _build(workdir)
    assert (code, errors) == (0, [])
    assert (workdir / "out" / "build.json").is_file()


def test_missing_file(workdir: Path) -> None:
    code, errors = _build(workdir)
    assert (code, errors) == (
        EXIT_INPUT_ERROR,
        ["report.txt: cannot read the file: No such file or directory"],
    )
    assert list(workdir.iterdir()) == []


def test_unknown_encoding_option(workdir: Path) -> None:
    (workdir / "report.txt").write_bytes((MALFORMED / "valid.txt").read_bytes())
    code, errors = _build(workdir, "--encoding", "klingon")
    assert (code, errors) == (
        EXIT_INPUT_ERROR,
        ["report.txt: [--encoding] unknown encoding 'klingon' (e.g. utf-8, cp932, euc_jp)"],
    )


def _tree(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` with a digest of its bytes."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_previous_out_intact(workdir: Path) -> None:
    (workdir / "report.txt").write_bytes((MALFORMED / "valid.txt").read_bytes())
    assert _build(workdir) == (0, [])
    before = _tree(workdir / "out")
    assert "build.json" in before and "graph.nq" in before

    (workdir / "report.txt").write_bytes((MALFORMED / "impossible-date.txt").read_bytes())
    code, errors = _build(workdir)
    assert code == EXIT_INPUT_ERROR and errors
    assert _tree(workdir / "out") == before
    assert sorted(p.name for p in workdir.iterdir()) == ["out", "report.txt"], "no temporary directory left"


def test_exit_status_of_the_real_command(workdir: Path) -> None:
    """The installed entry point (not only click's runner) exits 2 and prints to stderr."""
    (workdir / "report.txt").write_bytes((MALFORMED / "unknown-era.txt").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "ketsugo", "build", "report.txt", "--municipality", "131041", "--out", "out"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == EXIT_INPUT_ERROR
    assert done.stdout == ""
    assert done.stderr.startswith("error: report.txt:17: [結合の開始年月日] unknown era 'X' in 'X2.4.1'")
    _assert_nothing_written(workdir)
