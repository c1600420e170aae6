"""Whose data an item is, where its name says so with an owner prefix (児童氏名: the child's name).

Without this, 児童氏名 would be only 氏名 and the child lost. The prefixes, the data-subject classes
they name and the categories an owner can own are data (data/reference/item-owners.toml); the item
keeps its categories, so the name and date-of-birth questions still find it. A prefix counts only
when the rest of the name, read on its own, is an attribute of a person and means there what the
whole name means, so that a term that merely starts like an owner (被保険者番号, 児童手当額) has none.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple, Protocol

from rdflib import URIRef

from ketsugo.graph.categories import CategoryMatch
from ketsugo.graph.vocab import ID, KGC
from ketsugo.paths import reference_toml


class Owner(NamedTuple):
    as_written: str  # the prefix as the item writes it (児童)
    subject_class: URIRef | None  # kid:subject-class/… where the data names one


class _Categorizes(Protocol):
    def categorize(self, text: str) -> list[CategoryMatch]: ...


@cache
def _prefixes() -> tuple[tuple[str, URIRef | None], ...]:
    """(prefix, subject class) of item-owners.toml, the longest prefix first."""
    found: list[tuple[str, URIRef | None]] = []
    for entry in reference_toml("item-owners.toml").get("owner", ()):
        slug = entry.get("subject_class")
        subject_class = ID[f"subject-class/{slug}"] if slug else None
        found.extend((prefix, subject_class) for prefix in entry["prefixes"])
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))


@cache
def _starts() -> tuple[str, ...]:
    return tuple(prefix for prefix, _ in _prefixes())


@cache
def _attributes() -> frozenset[URIRef]:
    return frozenset(KGC[slug] for slug in reference_toml("item-owners.toml").get("attributes", ()))


def item_owner(name: str, whole: list[CategoryMatch], categories: _Categorizes) -> Owner | None:
    """The owner an item's name starts with (``whole``: the name's category matches), or None."""
    if not name.startswith(_starts()):  # the common case, at C speed: ~10 M items nationally
        return None
    meant = {m.category for m in whole}
    for prefix, subject_class in _prefixes():
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix) :].removeprefix("の")
        found = categories.categorize(rest) if rest else []
        owned = {m.category for m in found}
        # the rest is the attribute itself (世帯主との続柄 is one's relation to the householder)
        if (
            found
            and found[0].start == 0
            and owned <= _attributes()
            and meant <= owned | {m.category for m in categories.categorize(prefix)}
        ):
            return Owner(prefix, subject_class)
    return None
