"""The 嵐山町 report printed by Chromium (user13b ranzan-2024, report.pdf): a summary cell's first
character set against the cell's left rule (うち特定個人情報を含むもの, １５) and a table the page break
cuts between its rows 6 and 7 (rows 7–8 on page 2 drawn with column rules but no line above them).
Expectations read by hand from report.html / report.docx, of which the PDF is a print."""

from __future__ import annotations

from pathlib import Path

from ketsugo.read.sources import read_source

PDF = Path(__file__).parent / "cases" / "user13b" / "ranzan-2024" / "report.pdf"


def _rows() -> list[list[str]]:
    text = read_source(PDF).text
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


def test_a_character_against_the_cells_left_rule_is_that_cells() -> None:
    rows = _rows()
    assert rows[0][-2:] == ["本年度末件数", "うち特定個人情報を含むもの"]
    counts = {row[0]: row[1:] for row in rows[1:4]}
    assert counts["町長"] == ["４０", "８", "２", "４６", "１５"]
    assert counts["教育委員会"] == ["５", "２", "０", "７", "１"]
    assert counts["合計"] == ["４５", "１０", "２", "５３", "１６"]


def test_rows_carried_over_a_page_break_without_a_top_rule_are_table_rows() -> None:
    rows = {row[0]: row for row in _rows() if row[0] in ("６", "７", "８")}
    assert set(rows) == {"６", "７", "８"}
    assert rows["７"][2] == "特定健康診査事務"
    assert rows["７"][7] == "令和６年５月１日"
    assert rows["８"][2] == "予防接種通知事務"
    assert rows["８"][7] == "令和７年１月６日"
    # 健康福祉課 is drawn over rows 6–8, its text on page 1
    assert rows["６"][1] == rows["７"][1] == "健康福祉課"
