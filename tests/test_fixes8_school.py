"""School words of the category data (ontology/categories.ttl, kgc:school-affiliation), read by hand:
組 is the class of 学年・組, so an item 組 is school affiliation; 組合 (a union), 組織 (an
organisation) and 番組 (a programme) are other words, and an item holding them is not about a
pupil's class. クラス, 在学, 在籍学校, 所属校, 学校コード and 卒業 name the school a person belongs to."""

from __future__ import annotations

import pytest

from ketsugo.graph.reference import reference
from ketsugo.graph.vocab import KGC

SCHOOL = KGC["school-affiliation"]


def _categories(item: str) -> set[str]:
    return {str(m.category) for m in reference().categories.categorize(item)}


@pytest.mark.parametrize(
    "item", ["組", "クラス", "在学状況", "在籍学校", "所属校", "学校コード", "卒業年月日"]
)
def test_school_words_are_school_affiliation(item: str) -> None:
    assert str(SCHOOL) in _categories(item)


@pytest.mark.parametrize("item", ["共済組合員番号", "所属組織", "番組名", "取組内容"])
def test_a_word_holding_組_is_not_a_school_class(item: str) -> None:
    assert str(SCHOOL) not in _categories(item)


def test_養子縁組_stays_family_status() -> None:
    assert str(SCHOOL) not in _categories("養子縁組")
    assert _categories("養子縁組")  # still its own category, the longer label
