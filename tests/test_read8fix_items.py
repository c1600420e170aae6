"""A bracketed list after a heading that names the heading's parts (住所（都道府県・市区町村・番地）)
is one item, categorised by its heading (docs/items.md rule 5b); a list of items of their own
(4情報（氏名・生年月日・性別・住所）) is still a group. Expectations read by hand."""

from __future__ import annotations

from ketsugo.graph.reference import reference
from ketsugo.read.items import split_items


def _slugs(text: str) -> set[str]:
    return {str(m.category).rsplit("/", 1)[-1] for m in reference().categories.categorize(text)}


def test_an_address_written_out_in_its_parts_is_one_address_item() -> None:
    (item,) = split_items("住所（都道府県・市区町村・番地）").items
    assert item.as_written == "住所（都道府県・市区町村・番地）"
    assert item.parts == ("都道府県", "市区町村", "番地")
    assert item.group == ""
    assert _slugs(item.name) == {"address"}


def test_parts_listed_with_commas_and_beside_other_items() -> None:
    items = split_items("氏名、住所（都道府県、市区町村、番地、方書）、生年月日").items
    assert [i.as_written for i in items] == ["氏名", "住所（都道府県、市区町村、番地、方書）", "生年月日"]
    assert items[1].parts == ("都道府県", "市区町村", "番地", "方書")
    assert _slugs(items[1].name) == {"address"}


def test_a_part_of_another_category_keeps_that_category_too() -> None:
    (item,) = split_items("住所（郵便番号・都道府県・市区町村）").items
    assert _slugs(item.name) == {"address", "postal-code"}


def test_a_heading_over_items_of_their_own_is_still_a_group() -> None:
    items = split_items("4情報（氏名・生年月日・性別・住所）").items
    assert [(i.name, i.group) for i in items] == [
        ("氏名", "4情報"),
        ("生年月日", "4情報"),
        ("性別", "4情報"),
        ("住所", "4情報"),
    ]
