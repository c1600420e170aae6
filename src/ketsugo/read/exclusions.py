"""Exclusions after an item list or a reference to an annex (（ただし、個人番号を除く。）, （個人番号を除く）,
「…のうち、個人番号以外」), and such references themselves (別表1のとおり, 別表２参照, 別表３の項目).

The exclusion is no item: it leaves out the items it names, its words kept as the items' note.
Apart from read/annex.py (which reads the annex tables, with read/items.py) so that read/items.py
can use it. The words are data: data/reference/cells.toml [annex].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.brackets import trailing_paren
from ketsugo.read.eras import kanji_to_int
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.records import ItemList


@dataclass(frozen=True)
class _Words:
    kinds: tuple[str, ...]
    reference: re.Pattern[str]
    endings: frozenset[str]
    bracketed: re.Pattern[str]
    after: re.Pattern[str]
    joints: re.Pattern[str]
    provisos: tuple[str, ...]
    list_exclusions: frozenset[str]


@cache
def _words() -> _Words:
    data = reference_toml("cells.toml")["annex"]
    kinds = tuple(data["kinds"])
    alternatives = "|".join(map(re.escape, kinds))
    number = r"(?:第\s*)?(?P<n>[0-9]{1,3}|[一二三四五六七八九十]{1,3})?\s*号?"
    return _Words(
        kinds=kinds,
        reference=re.compile(rf"^(?P<kind>{alternatives}){number}(?P<rest>.*)$"),
        endings=frozenset(match_key(w) for w in data["reference_endings"]),
        bracketed=re.compile(data["exclusion_bracketed"]),
        after=re.compile(data["exclusion_after"]),
        joints=re.compile("|".join(map(re.escape, data["exclusion_joints"]))),
        provisos=tuple(data["exclusion_provisos"]),
        list_exclusions=frozenset(match_key(w) for w in data["list_exclusions"]),
    )


def annex_number(text: str | None) -> int:
    """An annex's number as written (1, 一; None when it has none: 0)."""
    return kanji_to_int(text) if text else 0


@dataclass(frozen=True)
class Exclusion:
    """What a list or reference leaves out (個人番号), and its words as written (the items' note)."""

    names: tuple[str, ...]
    written: str


def exclusion_of(body: str) -> tuple[str, Exclusion | None]:
    """The list or reference without the exclusion closing it, and the exclusion: 「別表３の項目（ただし、
    個人番号を除く。）」 → 別表３の項目, 個人番号; 「別表1の項目のうち、個人番号以外」 → 別表1の項目, 個人番号."""
    text = body.strip()
    words = _words()
    opening = trailing_paren(text)
    if opening > 0:
        found = words.bracketed.match(normalize(text[opening + 1 : -1]))
        if found is not None:
            return text[:opening].rstrip(), Exclusion(_excluded(found["what"]), text[opening:])
    found = words.after.search(text)
    if found is not None and found.start() > 0:
        return text[: found.start()].rstrip(), Exclusion(_excluded(found["what"]), text[found.start() :])
    return text, None


def of_the_list(rest: str, exclusion: Exclusion) -> bool:
    """The exclusion is the whole list's, not its last item's qualifier: it follows a reference to an
    annex, opens with ただし, or leaves out only items like 個人番号 (cells.toml [annex] list_exclusions)."""
    words = _words()
    written = normalize(exclusion.written).lstrip("(（")
    return (
        reference_of(rest) is not None
        or written.startswith(words.provisos)
        or all(match_key(n) in words.list_exclusions for n in exclusion.names)
    )


def _excluded(what: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in _words().joints.split(what) if p.strip())


def reference_of(text: str) -> tuple[str, int] | None:
    """(kind, number) of the annex a whole cell refers to (別表1のとおり → (別表, 1); 別紙 → (別紙, 0)),
    or None when the text is no such reference."""
    found = _words().reference.match(normalize(text).replace(" ", ""))
    if found is None or match_key(found["rest"]) not in _words().endings:
        return None
    kind = next(k for k in _words().kinds if match_key(k) == match_key(found["kind"]))
    return kind, annex_number(found["n"])


def without_excluded(items: ItemList, exclusion: Exclusion) -> ItemList:
    """The list without the items an exclusion names (氏名、住所（個人番号を除く）: none of them is), its
    words kept as the note; an excluded name the list does not hold is no item and no warning."""
    left_out = {match_key(n) for n in exclusion.names}
    kept = [i for i in items.items if match_key(i.name) not in left_out]
    note = " ".join(n for n in (exclusion.written, items.note) if n)
    renumbered = tuple(replace(i, position=n) for n, i in enumerate(kept, start=1))
    return replace(items, items=renumbered, note=note)
