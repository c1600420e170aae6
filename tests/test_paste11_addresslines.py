"""A party's name filling its line to the box's edge, its address on the lines under it (a PDF's
cell: tests/cases/user11 NOTES cause 5): the address opens a line of its own even though the line
above looks wrapped, so the name does not run into it. Made-up names; expectations by hand."""

from __future__ import annotations

from typing import Any

from ketsugo.read.addresslines import opens_address
from ketsugo.read.sources.pdf import _join_cell
from ketsugo.read.sources.tables import join_wrapped

LIMIT = 100.0  # the right edge of the cell's text
CHAR = 10.0  # each character's width: ten fill a line


def line(text: str) -> dict[str, Any]:
    """A line of text as pdfplumber gives it, from the cell's left edge (x 0)."""
    chars = [{"text": c, "x0": i * CHAR, "x1": (i + 1) * CHAR} for i, c in enumerate(text)]
    return {"text": text, "x1": len(text) * CHAR, "chars": chars}


def test_an_address_under_a_name_filling_its_lines_opens_a_line() -> None:
    # ten characters: the name reaches the edge, so its line looks wrapped, not broken
    full = [line("地方税共同機構センタ"), line("宮城県仙台市青葉区本町"), line("三丁目8番1号")]
    assert _join_cell(full, LIMIT) == "地方税共同機構センタ\n宮城県仙台市青葉区本町三丁目8番1号"


def test_a_wrapped_name_is_still_one_name() -> None:
    # the line after the break holds no address's shape (no 丁目, 番地, 号 or numbers)
    assert (
        _join_cell([line("東京都市開発株式会社北"), line("日本支店")], LIMIT)
        == "東京都市開発株式会社北日本支店"
    )


def test_a_row_of_unknown_columns_keeps_a_space_before_the_address() -> None:
    # join_wrapped joins Japanese lines without a space, but not a name and the address under it
    assert (
        join_wrapped(["株式会社あおば情報サ", "ービス", "宮城県仙台市青葉区本町三丁目8番1号"])
        == "株式会社あおば情報サービス 宮城県仙台市青葉区本町三丁目8番1号"
    )
    assert join_wrapped(["住民基本台帳ネット", "ワーク"]) == "住民基本台帳ネットワーク"


def test_what_opens_an_address() -> None:
    assert opens_address("〒980-0014 仙台市青葉区本町三丁目8番1号")
    assert opens_address("宮城県仙台市青葉区本町三丁目8番1号")
    assert not opens_address("宮城県仙台市")  # a place name: no address's shape
    assert not opens_address("横浜市2区選挙管理委員会")  # no prefecture or postcode first
