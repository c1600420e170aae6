"""Cells in double quotes over several lines (a table copied out of a spreadsheet): read back as one
row, each line break read as its field says. Expectations read off the cell texts by hand."""

from __future__ import annotations

import pytest

from ketsugo.read.layout import ParseState
from ketsugo.read.parser import parse_report
from ketsugo.read.quoted import cell_lines_read, join_quoted_lines


def _joined(text: str) -> list[tuple[int, str]]:
    lines = list(enumerate(text.split("\n"), start=1))
    return join_quoted_lines(lines, ParseState("t.txt", lenient=False))


def test_a_quoted_cell_over_lines_is_one_cell_of_one_row() -> None:
    assert _joined('1\t"市民部\n収納対策課"\t業務\n2\tx\ty') == [
        (1, "1\t市民部\n収納対策課\t業務"),
        (3, "2\tx\ty"),
    ]


def test_a_doubled_quote_is_a_quote_inside_the_cell() -> None:
    assert _joined('1\t"「""LGWAN""」経由\n氏名"\t""') == [(1, '1\t「"LGWAN"」経由\n氏名\t')]


@pytest.mark.parametrize(
    "text",
    [
        '1\t"LGWAN-ASP"\t氏名',  # quoted on one line: left as written
        '1\t"氏名\n2\t住所\t相手',  # a quote never closed: a stray quote
        '1\t"氏名\n住所"です\t相手',  # text after the closing quote: no spreadsheet quoting
    ],
)
def test_other_quotes_are_left_as_written(text: str) -> None:
    assert _joined(text) == list(enumerate(text.split("\n"), start=1))


@pytest.mark.parametrize(
    ("text", "field", "read"),
    [
        ("納付番号\n氏名\n納付額", "items", "納付番号、氏名、納付額"),
        (
            "【基本情報】氏名、住所\n【異動情報】転出予定日",
            "items",
            "【基本情報】氏名、住所 【異動情報】転出予定日",
        ),
        ("氏名、\n住所", "items", "氏名、住所"),
        ("株式会社A\n合同会社B", "counterparties", "株式会社A、合同会社B"),
        (
            "株式会社A\n〒690-0002 島根県松江市大正町5番地",
            "counterparties",
            "株式会社A（〒690-0002 島根県松江市大正町5番地）",
        ),
        (
            "地方公共団体情報システム機構\n（東京都千代田区一番町25番地）",
            "counterparties",
            "地方公共団体情報システム機構（東京都千代田区一番町25番地）",
        ),
        ("市民部\n収納対策課", "departments", "市民部収納対策課"),
        (
            "スマートフォン決済アプリで\n市税を納付するため",
            "reason",
            "スマートフォン決済アプリで市税を納付するため",
        ),
        ("Sky\nMenu", "business", "Sky Menu"),
    ],
)
def test_a_line_break_is_read_as_the_field_says(text: str, field: str, read: str) -> None:
    assert cell_lines_read(text, field) == read


REPORT = (
    "外部電子計算機との結合の状況（令和4年度）\n\n(2) 新たに結合したもの\n"
    "番号\t担当課\t業務名\t記録項目\t結合の相手方\t結合開始日\n"
    '1\t"市民部\n収納対策課"\t"住民基本台帳事務\n（転出手続）"\t"氏名\n住所"\t"株式会社A\n〒100-0001 東京都千代田区1"\t令和4年4月1日\n'
    "2\t税務課\t税務\t氏名\t株式会社B\t令和4年5月1日\n"
)


def test_a_report_copied_out_of_a_spreadsheet() -> None:
    report = parse_report(REPORT, "t.txt", lenient=True, fiscal_year=2022)
    first, second = report.connections
    assert (first.line, second.line) == (5, 10)
    assert first.departments_as_written == "市民部収納対策課"
    assert first.business == "住民基本台帳事務（転出手続）"
    assert [i.name for i in first.items.items] == ["氏名", "住所"]
    assert first.counterparties_as_written == "株式会社A（〒100-0001 東京都千代田区1）"
    assert not [i for i in report.issues if i.severity == "error"]
    assert any("read as one row" in i.message for i in report.issues if i.line == 5)


def test_a_row_read_so_is_an_info_and_a_tab_in_quotes_a_warning() -> None:
    """items9: the normal form of a copy out of Excel is no warning; a quoted cell over lines that
    holds a tab (a stray quote swallowing rows, or a tab typed in a cell) still is."""
    report = parse_report(REPORT, "t.txt", lenient=True, fiscal_year=2022)
    (read,) = [i for i in report.issues if "read as one row" in i.message]
    assert (read.line, read.severity) == (5, "info")
    state = ParseState("t.txt", lenient=True)
    join_quoted_lines(list(enumerate(['1\t"氏名', '2\t住所"\t相手'], start=1)), state)
    (swallowed,) = state.issues
    assert swallowed.severity == "warning" and "tab" in swallowed.message
