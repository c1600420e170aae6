"""Excel: the report's title typed at the top of every sheet is the title, said once (an info),
not a line the parser does not understand on each later sheet. Expectations read from the
workbook written below."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

TITLE = "令和3年度 外部電子計算機との結合の状況"
HEADER = [
    "No.",
    "結合を行った課",
    "業務名",
    "外部結合に係る個人情報記録の項目",
    "結合の相手方",
    "結合の開始年月日",
]


def _write(out: Path) -> Path:
    """総括: title A1, (1) heading A2, the summary A3:F5. 新規: title A1 (a full-width space
    between its words), (2) heading A2, header row 3, No.1 row 4. 終了: title A1, (3) heading
    A2, 該当なし A3."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "総括"
    summary["A1"] = TITLE
    summary["A2"] = "(1) 実施機関別外部電子計算機との結合件数"
    for row, values in enumerate(
        [["実施機関", "前年度", "新規", "終了", "現在", "特定個人情報"], ["区長", 0, 1, 0, 1, 0],
         ["合計", 0, 1, 0, 1, 0]],
        start=3,
    ):  # fmt: skip
        for col, value in enumerate(values, start=1):
            summary.cell(row, col, value)
    new = book.create_sheet("新規")
    new["A1"] = TITLE.replace(" ", "\u3000")
    new["A2"] = "(2)新たに外部計算機との結合を行った外部結合の内訳"
    for col, text in enumerate(HEADER, start=1):
        new.cell(3, col, text)
    for col, value in enumerate([1, "総務課", "電子申請", "氏名", "株式会社Ａ", "令和3年4月1日"], start=1):
        new.cell(4, col, value)
    ended = book.create_sheet("終了")
    ended["A1"] = TITLE
    ended["A2"] = "(3)外部計算機との結合を終了した外部結合の内訳"
    ended["A3"] = "該当なし"
    book.save(out)
    return out


def test_the_title_on_every_sheet_is_the_title_said_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "gaibu.xlsx")
    source = read_source(path)
    with source.errors_located():
        report = source.findings_located(parse_report(source.text, str(path)))
    assert report.title == TITLE
    assert report.fiscal_year == 2021
    assert [i.as_written for i in report.issues if "line not understood" in i.message] == []
    assert [i.severity for i in report.issues if "title" in i.message] == ["info"]
    assert [(s.agency, s.new) for s in report.summary] == [("区長", 1), ("合計", 1)]
    (connection,) = report.connections
    assert (connection.number, connection.counterparties_as_written) == (1, "株式会社Ａ")
    assert connection.start_date == date(2021, 4, 1)
    assert [s.text for s in report.statements] == ["該当なし"]
