"""A report of a body no offline code list holds (一部事務組合, 広域連合), as an unlucky or hostile
user may give it: a code of no prefecture, a name carrying control characters, a title with words
around the body's name. Expectations read by hand from the inputs below (review9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.read.metadata import title_body_name

REPORT = Path(__file__).parent / "cases" / "dates9" / "koiki-2022" / "report.txt"


def _build(tmp_path: Path, *options: str) -> tuple[int, str, Path]:
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", str(REPORT), "--out", str(out), "-j", "1", "-q", *options])
    return result.exit_code, result.output, out


@pytest.mark.parametrize("code", ["480002", "990001", "000001"])
def test_code_of_no_prefecture_is_refused(tmp_path: Path, code: str) -> None:
    """JIS X 0402 codes begin with a prefecture's two digits (01–47); 48…, 99…, 00… have a valid
    check digit but name no place: refused (exit 2), nothing written."""
    exit_code, output, out = _build(tmp_path, "--municipality", code)
    assert exit_code == 2, output
    assert code in output and "prefecture" in output
    assert not out.exists()


@pytest.mark.parametrize("name", ["広域連合\x1b[31m", "東京都\n後期高齢者医療広域連合", "\x00連合"])
def test_name_with_control_characters_is_refused(tmp_path: Path, name: str) -> None:
    """A control character (an escape, a line break, NUL) is in no body's name: refused (exit 2),
    not written into every label of the graph."""
    exit_code, output, out = _build(tmp_path, "--municipality", "139998", "--name", name)
    assert exit_code == 2, output
    assert "--name" in output or "name" in output
    assert not out.exists()


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "令和4年度 東京都後期高齢者医療広域連合 外部電子計算機との結合の状況",
            "東京都後期高齢者医療広域連合",
        ),
        ("外部電子計算機との結合の状況（東京都後期高齢者医療広域連合）", "東京都後期高齢者医療広域連合"),
        ("東京都後期高齢者医療広域連合 外部電子計算機との結合の状況", "東京都後期高齢者医療広域連合"),
    ],
)
def test_title_body_name_is_the_body_alone(tmp_path: Path, title: str, body: str) -> None:
    """The body's name is the run of the title that ends with the ending, not the words before it
    (a year, the report's own title before a bracket)."""
    report = tmp_path / "r.txt"
    report.write_text(f"{title}\n\n本文\n", encoding="utf-8")
    assert title_body_name(report) == body


BUNDLED = Path(__file__).resolve().parent.parent / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"


def _build_report(tmp_path: Path, report: Path, *options: str) -> tuple[int, str, Path]:
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", str(report), "--out", str(out), "-j", "1", "-q", *options])
    return result.exit_code, result.output, out


@pytest.mark.parametrize("metadata", [True, False], ids=["beside a metadata file", "with --municipality"])
def test_a_name_of_another_body_for_a_listed_code_is_refused(tmp_path: Path, metadata: bool) -> None:
    """--name 渋谷区 with the code of 新宿区 (131041) names another ward: the code or the name is wrong.
    It was ignored without a word, and the report built as 新宿区's; now refused (exit 2), nothing written."""
    report = BUNDLED
    options = ["--name", "渋谷区"]
    if not metadata:
        report = tmp_path / "report.txt"
        report.write_bytes(BUNDLED.read_bytes())
        options += ["--municipality", "131041", "--fiscal-year", "2020"]
    exit_code, output, out = _build_report(tmp_path, report, *options)
    assert exit_code == 2, output
    assert "渋谷区" in output and "新宿区" in output
    assert not out.exists()


@pytest.mark.parametrize("name", ["新宿区", "東京都新宿区", "新宿区役所"])
def test_a_name_of_the_listed_body_is_accepted(tmp_path: Path, name: str) -> None:
    """The listed name, with its prefecture before it or 役所 after it, names the same ward."""
    report = tmp_path / "report.txt"
    report.write_bytes(BUNDLED.read_bytes())
    exit_code, output, out = _build_report(
        tmp_path, report, "--municipality", "131041", "--fiscal-year", "2020", "--name", name
    )
    assert exit_code == 0, output
    assert (out / "graph.nq").exists()
