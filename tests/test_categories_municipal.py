"""Categories of the items of the twenty standardised municipal businesses, against a hand-labelled fixture.

tests/expected/municipal-items.toml was written by hand, item by item, before the category scheme
was extended for it (see its header). Every item is mapped by the categorizer the build uses
(:attr:`ketsugo.graph.reference.Reference.categories`), and:

- at least 95 % of the items get exactly the expected set of categories (an item labelled ``[]``
  is right when nothing matches: it is left for a curation note);
- every item labelled 要配慮個人情報 (``sensitive = true``) gets a category flagged
  kg:SpecialCarePersonalInformation.

The misses are printed (``pytest -s``) so that the figure can be read and the scheme improved.
"""

from __future__ import annotations

import tomllib
from functools import cache

import pytest
from rdflib import Namespace

from ketsugo.graph.reference import reference
from ketsugo.paths import ROOT

FIXTURE = ROOT / "tests" / "expected" / "municipal-items.toml"
KG = Namespace("https://w3id.org/ketsugo#")
KGC = Namespace("https://w3id.org/ketsugo/id/category/")
BUSINESSES = {
    "住民基本台帳", "戸籍", "戸籍附票", "印鑑登録", "選挙人名簿管理", "固定資産税", "個人住民税",
    "法人住民税", "軽自動車税", "国民健康保険", "国民年金", "後期高齢者医療", "介護保険", "障害者福祉",
    "生活保護", "健康管理", "児童手当", "児童扶養手当", "子ども・子育て支援", "就学",
}  # fmt: skip
REQUIRED_SHARE = 0.95


@cache
def _items() -> list[tuple[str, str, frozenset[str], bool]]:
    """(business, text, expected slugs, sensitive) for every fixture item."""
    with FIXTURE.open("rb") as handle:
        data = tomllib.load(handle)
    return [
        (business["name"], item["text"], frozenset(item["categories"]), item.get("sensitive", False))
        for business in data["business"]
        for item in business["items"]
    ]


def _slugs(text: str) -> frozenset[str]:
    return frozenset(str(m.category).removeprefix(str(KGC)) for m in reference().categories.categorize(text))


@cache
def _special_care() -> frozenset[str]:
    graph = reference().graph
    return frozenset(
        str(c).removeprefix(str(KGC))
        for c in graph.subjects(KG.sensitivity, KG.SpecialCarePersonalInformation)
    )


def test_fixture_is_well_formed() -> None:
    items = _items()
    assert len(items) >= 300
    assert {business for business, *_ in items} == BUSINESSES
    texts = [text for _, text, *_ in items]
    assert len(texts) == len(set(texts)), "an item is listed twice"
    known = {
        str(c).removeprefix(str(KGC))
        for c in reference().graph.subjects(None, KG.DataItemCategory)
        if str(c).startswith(str(KGC))
    }
    unknown = {slug for *_, expected, _ in items for slug in expected} - known
    assert not unknown, f"fixture names categories the scheme lacks: {sorted(unknown)}"
    for _, text, expected, sensitive in items:
        assert not sensitive or expected, f"{text}: sensitive but left unmapped"


def test_items_mapped_exactly() -> None:
    items = _items()
    misses = [
        (business, text, sorted(expected), sorted(found))
        for business, text, expected, _ in items
        if (found := _slugs(text)) != expected
    ]
    share = 1 - len(misses) / len(items)
    report = "\n".join(f"  {b} {t}: expected {e}, got {f}" for b, t, e, f in misses)
    print(f"\n{share:.1%} of {len(items)} items exactly right; misses:\n{report}")
    assert share >= REQUIRED_SHARE, f"{share:.1%} exactly right; misses:\n{report}"


@pytest.mark.parametrize(
    "text",
    [pytest.param(text, id=text) for _, text, _, sensitive in _items() if sensitive],
)
def test_sensitive_item_is_flagged(text: str) -> None:
    found = _slugs(text)
    assert found & _special_care(), (
        f"{text}: 要配慮個人情報, but its categories {sorted(found)} are not flagged"
    )
