"""HTML: visibility:hidden keeps a cell's place (a browser draws an empty box there); display:none,
the hidden attribute and mso-hide:all take it away. Expectations read from the pages below."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source, source_text

HEAD = (
    "<tr><th>No.</th><th>結合を行った課</th><th>業務名</th><th>外部結合に係る個人情報記録の項目</th>"
    "<th>特定個人情報の有無</th><th>結合の相手方</th><th>結合の開始年月日</th></tr>"
)


def _page(specific_cell: str) -> str:
    return (
        "<html><body><main><h1>令和3年度 外部電子計算機との結合の状況</h1>"
        "<h2>(2)新たに外部計算機との結合を行った外部結合の内訳</h2>"
        f"<table>{HEAD}"
        f"<tr><td>1</td><td>総務課</td><td>証明書交付</td><td>氏名</td>{specific_cell}"
        "<td>株式会社Ａ</td><td>令和3年6月1日</td></tr></table></main></body></html>"
    )


def test_a_visibility_hidden_cell_keeps_its_column(tmp_path: Path) -> None:
    path = tmp_path / "gaibu.html"
    path.write_text(_page("<td style='visibility:hidden'>○</td>"), encoding="utf-8")
    source = read_source(path)
    # the hidden ○ is an empty cell: the counterparty and the date stay in their columns
    assert source.text.splitlines()[-1] == "1\t総務課\t証明書交付\t氏名\t\t株式会社Ａ\t令和3年6月1日"
    with source.errors_located():  # a build of it does not fail
        report = source.findings_located(parse_report(source.text, str(path)))
    (connection,) = report.connections
    assert connection.counterparties_as_written == "株式会社Ａ"
    assert connection.start_date == date(2021, 6, 1)
    assert connection.specific_personal_information is False  # the ○ is not shown: not read
    (said,) = [i for i in report.issues if "hidden" in i.message]
    assert said.severity == "warning" and said.as_written == "○"
    assert "1 cell" in said.message


def test_display_none_still_takes_the_cell_away() -> None:
    for hiding in ("style='display: none'", "hidden", "style='mso-hide:all'"):
        row = (
            "<html><body><table><tr><td>1</td>"
            f"<td {hiding}>X</td><td>株式会社Ａ</td></tr></table></body></html>"
        )
        assert source_text(row.encode(), "p.html").text.splitlines() == ["1\t株式会社Ａ"], hiding


def test_a_visibility_hidden_cell_in_a_plain_table_is_empty() -> None:
    row = (
        "<html><body><table><tr><td>1</td><td style='VISIBILITY : hidden'>X</td>"
        "<td>株式会社Ａ</td></tr></table></body></html>"
    )
    source = source_text(row.encode(), "p.html")
    assert source.text.splitlines() == ["1\t\t株式会社Ａ"]
    (said,) = source.findings
    assert said.as_written == "X"
