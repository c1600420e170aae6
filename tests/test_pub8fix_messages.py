"""Messages name their field: the combined table's numbering warning its No., the hidden-rows
warning its sheet and rows; the build summary says "start date not given" for an ended connection
(a row of section (3) has an end date only), not "?". Expectations read from the inputs below."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.cli.messages import set_language
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source
from tests.sources_fixtures import write_hidden_xlsx

CASE = Path(__file__).parent / "cases" / "fixes8"

HEAD = (
    "外部電子計算機との結合の状況（令和4年度）\n\n(2) 令和4年度に新規・廃止した外部結合\n"
    "No.\t区分\t担当課\t業務名\t記録項目\t結合の相手方\t実施年月日\n"
)
ROWS = (
    "1\t新規\t市民課\t戸籍事務\t氏名、本籍\t法務省\t令和4年6月1日\n"
    "3\t廃止\t納税課\t収納事務\t納付番号\t株式会社A\t令和5年3月31日\n"
)


def test_the_combined_tables_numbering_warning_names_its_no() -> None:
    report = parse_report(HEAD + ROWS, "t.txt", fiscal_year=2022)
    (said,) = [i for i in report.issues if "numbered in turn" in i.message]
    assert (said.line, said.field) == (6, "No.")  # No.3 where No.2 comes next, on line 6


def test_the_hidden_rows_warning_names_the_sheet_and_rows(tmp_path: Path) -> None:
    # the workbook of tests/test_sources_published_forms.py: row 4 and column C of 新規 hidden
    source = read_source(write_hidden_xlsx(tmp_path / "hidden.xlsx"))
    report = source.findings_located(parse_report(source.text, "hidden.xlsx"))
    (said,) = [i for i in report.issues if "hidden" in i.message]
    assert said.field == "sheet 新規, row 4, column C"
    assert "!" not in said.field


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "(start date not given; ended: 青木村2024年度 終了No.1 start date not given〜2024-05-31)"),
        ("ja", "（開始日の記載なし。終了: 青木村2024年度 終了No.1 開始日の記載なし〜2024-05-31）"),
    ],
)
def test_the_summary_says_an_ended_connection_has_no_start_date(tmp_path: Path, lang: str, said: str) -> None:
    """fixes8's report with its ended No.1 (line 22) sending 生年月日 to a party of its own."""
    _register_optional_commands()
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    ended = "1\t教育課\t校務支援事務\t氏名、登校班\t有限会社美星システム\t令和6年5月31日"
    assert ended in text
    text = text.replace(ended, "1\t教育課\t校務支援事務\t氏名、生年月日\t株式会社旧校務\t令和6年5月31日")
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    shutil.copy(CASE / "report.toml", tmp_path / "report.toml")
    try:
        result = CliRunner().invoke(
            cli,
            ["--lang", lang, "build", str(tmp_path / "report.txt"), "--out", str(tmp_path / "b"), "-j", "1"],
        )
    finally:
        set_language(None)  # --lang holds for the process: the tests after this one read English
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if "株式会社旧校務" in line]
    assert line.endswith(said), line
    assert "?" not in line
