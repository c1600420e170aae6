"""Items given by reference to an annex table of the same report (別表1のとおり, 別表２参照, 別表３の項目),
exclusions after a list or a reference (（ただし、個人番号を除く。）, のうち…以外), and the build's hint for
the findings it does not show.

Every report here is written by hand; the expected items are read from its 別表 by hand."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ketsugo.cli import summary
from ketsugo.cli.main import cli
from ketsugo.paths import REFERENCE_DIR
from ketsugo.read.items import split_items
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Connection, Report
from ketsugo.read.sources import read_source

HEADER = "No\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t結合開始日"

# Two annex tables at the report's end, as big cities print them (full-width numbers in the title).
ANNEXES = """別表１　住民基本台帳関係
No\t項目
1\t氏名
2\t生年月日
3\t住所
4\t個人番号

別表２　医療保険資格関係

No\t項目
1\t被保険者番号
2\t氏名
3\t資格取得年月日
4\t個人番号"""

BASIC = ["氏名", "生年月日", "住所", "個人番号"]
HEALTH = ["被保険者番号", "氏名", "資格取得年月日", "個人番号"]


def _report(cells: list[str], after: str = ANNEXES) -> str:
    lines = ["令和7年度　外部結合の状況", "", "(2) 新たに外部結合を開始したもの", HEADER]
    lines += [
        f"{n}\t市民課\t業務{n}\t{cell}\t×\t株式会社テスト{n}\t令和7年8月1日"
        for n, cell in enumerate(cells, 1)
    ]
    return "\n".join([*lines, "", after, ""])


def _parse(text: str) -> Report:
    return parse_report(text, "annex.txt", lenient=True)


def _row(report: Report, number: int) -> Connection:
    return next(c for c in report.connections if c.number == number)


def _names(report: Report, number: int) -> list[str]:
    return [i.name for i in _row(report, number).items.items]


def _line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_a_reference_to_an_annex_reads_its_items_in_the_report() -> None:
    cells = ["別表1のとおり", "別表２参照", "別表２の項目", "別表１", "別紙1"]
    text = _report(cells)
    report = _parse(text)
    for number, expected in ((1, BASIC), (2, HEALTH), (3, HEALTH), (4, BASIC)):
        assert _names(report, number) == expected, number
        assert not _row(report, number).items.not_in_report, number
    # each item keeps the line of the annex it was read from
    first = _row(report, 1).items.items
    assert [i.source_line for i in first] == [
        _line_of(text, f"{n}\t{name}") for n, name in enumerate(BASIC, 1)
    ]
    # an info on the row names the annex and its title line
    title = _line_of(text, "別表１　住民基本台帳関係")
    infos = [i.message for i in report.issues if i.severity == "info" and i.line == _row(report, 1).line]
    assert any("別表1" in m and f"line {title}" in m for m in infos), infos
    # the annex tables are no legend of codes, nor lines not understood
    messages = [i.message for i in report.issues]
    assert not any("凡例" in m and "twice" in m for m in messages), messages
    assert not any("line not understood" in m for m in messages), messages
    # 別紙1: no such annex in the report: items not in the report, a warning naming it
    fifth = _row(report, 5)
    assert fifth.items.items == () and fifth.items.not_in_report
    assert any(
        i.severity == "warning" and "別紙1" in i.message and i.line == fifth.line for i in report.issues
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("別表２の項目（ただし、個人番号を除く。）", HEALTH[:3]),
        ("別表1のとおり（個人番号を除く）", BASIC[:3]),
        ("別表1（個人番号を除く。）", BASIC[:3]),
        ("別表１の項目のうち、個人番号以外", BASIC[:3]),
        ("別表1のとおり（ただし、個人番号及び住所を除く。）", ["氏名", "生年月日"]),
    ],
)
def test_an_exclusion_after_the_reference_leaves_its_items_out(cell: str, expected: list[str]) -> None:
    report = _parse(_report([cell]))
    assert _names(report, 1) == expected
    row = _row(report, 1)
    assert not row.items.not_in_report
    assert "個人番号" in row.items.note  # the exclusion's words kept as the items' note
    assert not any("個人番号" in i.message and i.severity == "error" for i in report.issues)


def test_an_exclusion_after_a_reference_to_a_missing_annex_is_no_item() -> None:
    report = _parse(_report(["別表3の項目（ただし、個人番号を除く。）"]))
    row = _row(report, 1)
    assert row.items.items == () and row.items.not_in_report
    assert any("別表3" in i.message and i.severity == "warning" for i in report.issues)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("氏名、住所（個人番号を除く）", ["氏名", "住所"]),
        ("氏名、住所（ただし、個人番号を除く。）", ["氏名", "住所"]),
        ("住民票記載事項のうち、個人番号以外", ["住民票記載事項"]),
        ("氏名、住所（番地を除く）", ["氏名", "住所（番地を除く）"]),  # the address's own part: as before
    ],
)
def test_an_exclusion_closing_a_written_list_is_no_item(cell: str, expected: list[str]) -> None:
    items = split_items(cell)
    assert [i.name for i in items.items] == expected


def test_a_written_item_an_exclusion_leaves_out_is_said() -> None:
    items = split_items("氏名、個人番号、住所（個人番号を除く）")
    assert [i.name for i in items.items] == ["氏名", "住所"]
    assert any("個人番号" in r for r in items.remarks)


def test_an_annex_titled_as_a_legend_stays_a_legend_of_codes() -> None:
    legend = "別表　記録項目一覧\n記号\t項目名\nA\t氏名\nB\t住所"
    report = _parse(_report(["A,B"], after=legend))
    assert _names(report, 1) == ["氏名", "住所"]


def test_an_annex_on_a_sheet_of_its_own_in_a_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    main = book.active
    assert main is not None
    main.title = "外部結合"
    for line in _report(["別表1のとおり", "別表2の項目（ただし、個人番号を除く。）"], after="").splitlines():
        main.append(line.split("\t") if line else [None])
    for title, items in (("別表１　住民基本台帳関係", BASIC), ("別表２　医療保険資格関係", HEALTH)):
        sheet = book.create_sheet(title[:3])
        sheet.append([title])
        sheet.append([])
        sheet.append(["No", "項目"])
        for n, name in enumerate(items, 1):
            sheet.append([n, name])
    path = tmp_path / "report.xlsx"
    book.save(path)
    report = parse_report(read_source(path).text, str(path), lenient=True)
    assert _names(report, 1) == BASIC
    assert _names(report, 2) == HEALTH[:3]


def test_an_annex_in_html(tmp_path: Path) -> None:
    rows = "".join(
        f"<tr><td>{n}</td><td>市民課</td><td>業務{n}</td><td>{cell}</td><td>×</td><td>株式会社テスト{n}</td>"
        "<td>令和7年8月1日</td></tr>"
        for n, cell in enumerate(["別表1のとおり", "別表１の項目（ただし、個人番号を除く。）"], 1)
    )
    head = "".join(f"<th>{h}</th>" for h in HEADER.split("\t"))
    annex = "".join(f"<tr><td>{n}</td><td>{name}</td></tr>" for n, name in enumerate(BASIC, 1))
    html = (
        "<html><body><h1>令和7年度　外部結合の状況</h1><h2>(2) 新たに外部結合を開始したもの</h2>"
        f"<table><tr>{head}</tr>{rows}</table><h2>別表</h2><h3>別表１　住民基本台帳関係</h3>"
        f"<table><tr><th>No</th><th>項目</th></tr>{annex}</table></body></html>"
    )
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    report = parse_report(read_source(path).text, str(path), lenient=True)
    assert _names(report, 1) == BASIC
    assert _names(report, 2) == BASIC[:3]
    assert not any("line not understood" in i.message for i in report.issues)


# --- the build's hint for the findings it does not show ------------------------------------------


def test_the_hint_for_more_findings_names_a_command_that_takes_the_option() -> None:
    with (REFERENCE_DIR / summary.PHRASES).open("rb") as handle:
        phrase = tomllib.load(handle)["phrases"]["more_findings"]
    runner = CliRunner()
    for text in phrase.values():
        for command, option in re.findall(r"ketsugo (\w+)[^`]*?(--[\w-]+)", text):
            result = runner.invoke(cli, [command, "--help"])
            assert result.exit_code == 0 and option in result.output, (command, option)
        assert "--all-issues" not in text or re.search(r"ketsugo build[^`]*--all-issues", text), text


def test_an_exclusion_of_the_last_item_alone_stays_its_own() -> None:
    items = split_items("氏名、扶養親族（16歳未満を除く）")
    assert [i.as_written for i in items.items] == ["氏名", "扶養親族（16歳未満を除く）"]
    assert items.note == ""


def test_an_annex_numbered_in_kanji_with_a_bracket_after_its_title() -> None:
    annex = "別表第一（第２条関係）\n番号\t記録項目\n1\t氏名\n2\t住所"
    report = _parse(_report(["別表第1のとおり", "別表第一に掲げる項目"], after=annex))
    assert _names(report, 1) == ["氏名", "住所"]
    assert _names(report, 2) == ["氏名", "住所"]
