"""Word's plain-text save writes a table one cell a line (user13b, the 嵐山町 case's report.txt): the
rows have no fixed number of lines (a cell's line breaks become lines, a merged cell is written
once), so ketsugo refuses the file with an error that says what it is, rather than guess. Line
numbers below are read by hand from the case's report.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report

CASE = Path(__file__).parent / "cases" / "user13b" / "ranzan-2024"


def test_a_table_one_cell_a_line_is_refused_naming_each_table() -> None:
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_report(text, "report.txt")
    issues = caught.value.issues  # these errors alone: the rest of the reading says nothing of use
    # the summary's header (実施機関 … うち特定個人情報を含むもの), the two tables of section ２, the
    # table of section ３
    assert [i.line for i in issues] == [6, 32, 152, 193]
    assert all("one cell a line" in i.message and "report.docx" in i.message for i in issues)
    assert "lines 193–199" in issues[3].message


def test_read_leniently_the_errors_stand_among_the_findings() -> None:
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    report = parse_report(text, "report.txt", lenient=True)
    said = [i.line for i in report.issues if "one cell a line" in i.message and i.severity == "error"]
    assert said == [6, 32, 152, 193]


def test_a_card_written_label_then_value_is_no_such_table() -> None:
    """項目 and 内容 one a line by turns: no run of header names, read as before (not refused here)."""
    text = (
        "担当課\n住民課\n業務名\n住民票の交付\n記録項目\n氏名\n結合の相手方\n地方公共団体情報システム機構\n"
    )
    with pytest.raises(InputError) as caught:
        parse_report(text, "r.txt")
    assert not any("one cell a line" in i.message for i in caught.value.issues)


def test_tab_separated_tables_are_read_as_before() -> None:
    text = """令和６年度　外部結合の状況
１　結合の状況
実施機関\t前年度末件数\t新規\t廃止\t本年度末件数
町長\t1\t1\t0\t2
２　新たに開始した結合
No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日
1\t町民課\t住民票の写しのコンビニ交付\t氏名、住所\t地方公共団体情報システム機構\t令和6年7月1日
"""
    report = parse_report(text, "r.txt", lenient=True)
    assert [c.number for c in report.connections] == [1]
