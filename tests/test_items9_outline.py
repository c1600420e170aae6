"""Item cells written as an outline over several lines (docs/items.md rule 12): a bulleted line with
sub-bulleted (or indented) lines under it is a group heading, the lines under it are the items, and
the bullets are no part of any name. A cell's line breaks are settled where it is made one line
of the text form: read/quoted.py (a table copied out of Excel) and read/sources/tables.py (Excel,
HTML, PDF cells). Expectations read by hand from the cells."""

from __future__ import annotations

import pytest

from ketsugo.read.items import split_items
from ketsugo.read.quoted import cell_lines_read
from ketsugo.read.records import ItemList
from ketsugo.read.sources.tables import Row, Table, cell_lines, to_text


def _copied(cell: str) -> ItemList:
    """The cell as a table copied out of a spreadsheet gives it (indentation kept)."""
    return split_items(cell_lines_read(cell, "items"))


HEADER = ("番号", "事務の名称", "結合先", "個人情報の項目")


def _published(cell: str) -> ItemList:
    """The cell as an Excel or HTML table gives it (each line trimmed: indentation lost)."""
    rows = [Row(HEADER, "Sheet1!A1"), Row(("1", "事務", "機構", cell_lines(cell)), "Sheet1!A2")]
    text, _ = to_text([Table(rows=rows)])
    return split_items(text.splitlines()[1].split("\t")[3])


@pytest.fixture(params=[_copied, _published], ids=["copied", "published"])
def split(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return request.param


def _read(cell: str, split=_copied) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(i.name, i.group) for i in split(cell).items]


def test_a_bulleted_heading_over_dashed_sub_items(split) -> None:  # type: ignore[no-untyped-def]
    cell = "・住民票関係\n\u3000－氏名\n\u3000－生年月日\n\u3000－住所\n・戸籍関係\n\u3000－本籍\n\u3000－筆頭者氏名"
    result = split(cell)
    assert [(i.name, i.group) for i in result.items] == [
        ("氏名", "住民票関係"),
        ("生年月日", "住民票関係"),
        ("住所", "住民票関係"),
        ("本籍", "戸籍関係"),
        ("筆頭者氏名", "戸籍関係"),
    ]
    assert [i.position for i in result.items] == [1, 2, 3, 4, 5]
    assert result.items[0].as_written == "氏名"
    assert result.remarks == ()


def test_other_sub_bullets_and_an_unbulleted_heading(split) -> None:  # type: ignore[no-untyped-def]
    assert _read("基本情報：\n- 氏名\n- 住所\n税情報：\n‐ 税額", split) == [
        ("氏名", "基本情報"),
        ("住所", "基本情報"),
        ("税額", "税情報"),
    ]
    assert _read("・対象者：\n―氏名\n―性別", split) == [("氏名", "対象者"), ("性別", "対象者")]


def test_indentation_alone_puts_lines_under_a_heading() -> None:
    # only where the indentation survives (a cell copied out of a spreadsheet as text)
    assert _read("■対象者\n\u3000○氏名\n\u3000○性別") == [("氏名", "対象者"), ("性別", "対象者")]
    assert _read("・対象者\n  ◦氏名\n  ◦性別") == [("氏名", "対象者"), ("性別", "対象者")]
    assert _read("基本情報\n  - 氏名\n  - 住所") == [("氏名", "基本情報"), ("住所", "基本情報")]


def test_a_numbered_heading(split) -> None:  # type: ignore[no-untyped-def]
    assert _read("①基本情報\n\u3000－氏名\n\u3000－住所\n②税情報\n\u3000－税額", split) == [
        ("氏名", "基本情報"),
        ("住所", "基本情報"),
        ("税額", "税情報"),
    ]


def test_a_sub_line_may_list_several_items(split) -> None:  # type: ignore[no-untyped-def]
    assert _read("・世帯情報\n\u3000－氏名、続柄\n\u3000－住所", split) == [
        ("氏名", "世帯情報"),
        ("続柄", "世帯情報"),
        ("住所", "世帯情報"),
    ]


def test_a_bulleted_line_without_sub_lines_is_an_item(split) -> None:  # type: ignore[no-untyped-def]
    assert _read("・氏名\n・住所\n・生年月日", split) == [("氏名", ""), ("住所", ""), ("生年月日", "")]
    assert split("・氏名\n・住所").remarks == ()
    assert _read("・個人番号\n・世帯\n\u3000－続柄\n\u3000－世帯主氏名", split) == [
        ("個人番号", ""),
        ("続柄", "世帯"),
        ("世帯主氏名", "世帯"),
    ]


def test_a_line_that_continues_a_list_is_no_heading(split) -> None:  # type: ignore[no-untyped-def]
    # the first line ends in a separator: the second continues the list, it is no sub-item
    assert _read("氏名、住所、\n\u3000生年月日", split) == [("氏名", ""), ("住所", ""), ("生年月日", "")]
    # plain lines, no bullets: one item per line, as before
    assert _read("氏名\n住所\n生年月日", split) == [("氏名", ""), ("住所", ""), ("生年月日", "")]
    # a dash inside a name is no bullet
    assert _read("氏名\nカナ－氏名", split) == [("氏名", ""), ("カナ－氏名", "")]
