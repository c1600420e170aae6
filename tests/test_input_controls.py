"""Control characters a text file may hold (form feed, vertical tab, DOS end-of-file mark):
textio lets them through as text, and the parser reads them — with a warning, never as binary.
Any other control character stays an error (tests/test_input_malformed.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.read.parser import parse_report
from ketsugo.read.textio import LAYOUT_CONTROLS, decode
from tests.conftest import CASES

VALID = (CASES / "malformed" / "valid.txt").read_text(encoding="utf-8")
SECTION_2 = "(2)新たに外部計算機との結合を行った外部結合の内訳"


def _warnings(text: str) -> list[tuple[int, str]]:
    report = parse_report(text, "r.txt")
    return [(i.line, i.message) for i in report.issues if i.severity == "warning"]


@pytest.mark.parametrize("char", sorted(LAYOUT_CONTROLS))
def test_textio_and_the_parser_agree(char: str) -> None:
    """What textio reads as text, the parser reads without an error."""
    text = VALID.replace(SECTION_2, char + SECTION_2, 1) + char + "\n"
    decoded = decode(text.encode("utf-8"), "r.txt")
    report = parse_report(decoded.text, "r.txt")
    assert len(report.connections) == 3
    assert [i for i in report.issues if i.severity == "error"] == []
    assert [i.line for i in report.issues if i.severity == "warning"]


def test_form_feed_is_a_page_break_read_as_a_line_break() -> None:
    text = VALID.replace(SECTION_2, "\f" + SECTION_2, 1)
    report = parse_report(text, "r.txt")
    assert len(report.connections) == 3
    assert [c.line for c in report.connections] == [16, 17, 18], "line numbers stay those of the file"
    assert _warnings(text) == [(13, "form feed U+000C (a page break) read as a line break")]
    assert report.unread_lines == ()


def test_form_feed_inside_a_line_breaks_it_and_both_parts_keep_the_line_number() -> None:
    text = VALID.replace("※本人同意に基づく外部結合を除く。", "※本人同意に基づく外部結合を除く。\f(参考)", 1)
    report = parse_report(text, "r.txt", lenient=True)
    assert report.summary_notes == ("※本人同意に基づく外部結合を除く。",)
    assert report.unread_lines == ((11, "(参考)"),)


def test_vertical_tab_in_a_cell_is_a_space() -> None:
    text = VALID.replace("東日本電信電話株式会社", "東日本電信電話\v株式会社", 1)
    report = parse_report(text, "r.txt")
    assert report.connections[2].counterparties_as_written == "東日本電信電話 株式会社"
    assert _warnings(text) == [(18, "vertical tab U+000B (a line break inside a cell) read as a space")]


def test_dos_end_of_file_mark_inside_the_text_is_dropped_with_a_warning() -> None:
    text = VALID.replace("実績はありません。", "実績はありません。\x1a", 1) + "\n"
    report = parse_report(text, "r.txt")
    assert report.ended_connections_statement == "実績はありません。"
    assert _warnings(text) == [(22, "DOS end-of-file mark U+001A read as nothing")]


def test_build_with_page_breaks_succeeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report from a PDF-to-text tool, with a form feed at each page break, builds."""
    monkeypatch.chdir(tmp_path)
    text = VALID.replace(SECTION_2, "\f" + SECTION_2, 1).replace("(3)", "\f(3)", 1) + "\f"
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    args = ["build", "report.txt", "--municipality", "131041", "--out", "out", "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "build.json").is_file()


def test_other_control_characters_are_still_errors() -> None:
    report = parse_report(VALID.replace("R2. 6. 1", "R2. 6.\x07 1"), "r.txt", lenient=True)
    assert next(i.message for i in report.issues if i.severity == "error").startswith(
        "control character U+0007 in field 10"
    )
