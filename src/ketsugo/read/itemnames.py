"""The names of data items as the category vocabulary spells them, for reading a cell's lines.

A PDF prints an items cell in a narrow column: a line that fills the column may end an item the
author typed on a line of its own (氏名⏎住所⏎個人番号⏎特別徴収税額, 個人番号 filling the line) or be
wrapped in the middle of one (特別徴収⏎税額). The geometry cannot tell them apart; the words can: a
line that is by itself a data item's name (a ja label of ontology/categories.ttl: 個人番号, 車台番号),
with no name running over the break (個人番号⏎カード: 個人番号カード is a name) and no word ending a
compound opening the next line (認定調査⏎結果: cells.toml [items] compound_tails) nor a person's
name above a word naming what of them (筆頭者⏎氏名: compound_heads), ends an item. The
text since the cell's last typed break counts, not the line alone: in a column two characters
wide, 源泉⏎徴収⏎税額 is one item though 徴収 alone is a name.
"""

from __future__ import annotations

from functools import cache

from ketsugo.paths import ONTOLOGY_DIR, reference_toml
from ketsugo.prefixes import KG
from ketsugo.read.normalize import match_key

# A name shorter than this (組) is too short to tell an item from a piece of a word
_SHORTEST = 2


@cache
def _compound_tails() -> tuple[str, ...]:
    """cells.toml [items] compound_tails: words that end a compound name (結果, 状況), as match keys."""
    return tuple(
        match_key(w) for w in reference_toml("cells.toml").get("items", {}).get("compound_tails", ())
    )


@cache
def _compound_heads() -> tuple[str, ...]:
    """cells.toml [items] compound_heads: endings of a name whose next line names what of it (筆頭者)."""
    return tuple(
        match_key(w) for w in reference_toml("cells.toml").get("items", {}).get("compound_heads", ())
    )


@cache
def item_names() -> frozenset[str]:
    """Match keys of the ja labels (preferred, alternative) of every data item category."""
    from rdflib import RDF, Graph, Literal, URIRef
    from rdflib.namespace import SKOS

    graph = Graph()
    graph.parse(ONTOLOGY_DIR / "categories.ttl")
    kind = URIRef(f"{KG}DataItemCategory")
    keys = set()
    for concept in graph.subjects(RDF.type, kind):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                if isinstance(label, Literal) and label.language == "ja":
                    keys.add(match_key(str(label)))
    return frozenset(k for k in keys if len(k) >= _SHORTEST)


def ends_item(above: str, below: str) -> bool:
    """Whether a break between the lines ``above`` and ``below`` of an items cell ends an item:
    ``above`` is a data item's name by itself and no name runs over the break."""
    names = item_names()
    upper = match_key(above)
    lower = match_key(below)
    if upper not in names or lower.startswith(_compound_tails()) or upper.endswith(_compound_heads()):
        return False
    joined = upper + lower
    return not any(
        joined[start:end] in names
        for start in range(len(upper))
        for end in range(len(upper) + 1, len(joined) + 1)
    )
