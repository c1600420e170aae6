"""Data item text → personal-data category concepts, by matching the SKOS labels of ontology/categories.ttl.

The labels (prefLabel@ja and altLabel@ja of every kg:DataItemCategory) are the spellings
reports use, so the vocabulary, not this module, decides what an item means; here we only
match. Matching compares :func:`ketsugo.read.normalize.match_key` keys (width, dashes, case and white
space do not matter) and takes the longest label first, so a specific spelling (宛名番号 →
resident number) wins over a shorter one inside it (宛名 → name). A label of one character (組,
a school class) names an item only when it is the whole item: inside a longer word it is
another word (組合, 組織, 番組). Likewise a katakana label never matches inside a longer
katakana word (クラス in クラスター): katakana runs on without a break between words.

A few spellings mean two things at once (特別児童扶養手当 is a benefit *and* reveals a disability).
The one category owns the spelling as a label; the other carries it as ``skos:hiddenLabel``, and a
match of that spelling reports both categories for the same span. A hidden label that no other
category owns is simply one more label of its category.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ketsugo.graph.vocab import KG, KGC
from ketsugo.paths import reference_toml
from ketsugo.read.normalize import KeyedText, match_key


@dataclass(frozen=True)
class CategoryMatch:
    """One label found in an item: which category, the label as in the vocabulary, and where it
    stands in the text as given (``text[start:end]``)."""

    category: URIRef
    label: str
    start: int
    end: int


class Categorizer:
    """Finds category labels in item text; built once from the reference graph."""

    def __init__(
        self,
        labels: dict[str, tuple[URIRef, str]],
        names: dict[str, URIRef],
        vague: frozenset[URIRef],
        also: dict[str, tuple[URIRef, ...]] | None = None,
    ) -> None:
        """``labels``: match key → (category, label as written); ``names``: lookup key → category;
        ``also``: match key → further categories that the same spelling means (hidden labels)."""
        self._labels = labels
        self._also = also or {}
        self._lengths = sorted({len(key) for key in labels}, reverse=True)
        self._names = names
        self._vague = vague

    @classmethod
    def from_graph(cls, graph: Graph) -> Categorizer:
        """Read every kg:DataItemCategory; raise ValueError if two categories share a label."""
        labels: dict[str, tuple[URIRef, str]] = {}
        names: dict[str, URIRef] = {}
        vague: set[URIRef] = set()
        concepts = sorted(
            c for c in set(graph.subjects(RDF.type, KG.DataItemCategory)) if isinstance(c, URIRef)
        )
        for concept in concepts:
            names[str(concept)] = concept
            if str(concept).startswith(str(KGC)):
                slug = str(concept)[len(str(KGC)) :]
                names[slug] = concept
                names[f"kgc:{slug}"] = concept
            if graph.value(concept, KG.isVague) == Literal(True):
                vague.add(concept)
        for concept in concepts:
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(concept, prop):
                    if not isinstance(label, Literal):
                        continue
                    key = match_key(str(label))
                    names.setdefault(key, concept)
                    if label.language != "ja":
                        continue
                    other = labels.get(key)
                    if other is not None and other[0] != concept:
                        raise ValueError(f"label {str(label)!r} is on both {other[0]} and {concept}")
                    labels[key] = (concept, str(label))
        also: dict[str, tuple[URIRef, ...]] = {}
        for concept in concepts:
            for label in graph.objects(concept, SKOS.hiddenLabel):
                if not isinstance(label, Literal) or label.language != "ja":
                    continue
                key = match_key(str(label))
                owner = labels.get(key)
                if owner is None:
                    labels[key] = (concept, str(label))
                elif owner[0] != concept and concept not in also.get(key, ()):
                    also[key] = (*also.get(key, ()), concept)
        return cls(labels, names, frozenset(vague), also)

    def categorize(self, text: str) -> list[CategoryMatch]:
        """Labels found in ``text``: longest first, non-overlapping, returned in text order (a spelling
        that means two categories gives one match per category, with the same span).

        Longest-first over the whole text (not leftmost-first) so that a long specific label
        is never cut by a shorter one starting earlier. Offsets refer to ``text`` as given.
        """
        keyed = KeyedText(text, spaces=False)
        key = keyed.key
        found: list[tuple[int, int]] = []
        for start in range(len(key)):
            for length in self._lengths:
                end = start + length
                if (
                    end <= len(key)
                    and key[start:end] in self._labels
                    and (length > 1 or len(key) == 1)  # a one-character label (組) only as the whole item
                    and not _inside_katakana_word(key, start, end)
                ):
                    found.append((start, end))
        found.sort(key=lambda span: (span[0] - span[1], span[0]))
        taken = [False] * len(key)
        chosen: list[CategoryMatch] = []
        for start, end in found:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            category, label = self._labels[key[start:end]]
            span = keyed.original_span(start, end)
            chosen.append(CategoryMatch(category, label, *span))
            chosen.extend(CategoryMatch(other, label, *span) for other in self._also.get(key[start:end], ()))
        chosen.sort(key=lambda match: match.start)
        return chosen

    def is_vague(self, category: URIRef) -> bool:
        """Whether the category marks items too vague to tell what data flows (kg:isVague)."""
        return category in self._vague

    def lookup(self, label_or_iri: str) -> URIRef | None:
        """The category named by a ja/en label, a slug, ``kgc:slug`` or a full IRI; None if unknown."""
        text = label_or_iri.strip()
        return self._names.get(text) or self._names.get(match_key(text))


def _is_katakana(char: str) -> bool:
    """A katakana letter or the long-vowel mark ー (not the middle dot ・, which separates words)."""
    return "\u30a1" <= char <= "\u30fa" or char in "\u30fc\u30fd\u30fe"


@cache
def _katakana_words() -> tuple[str, ...]:
    """Katakana words that compound with others (cells.toml [categories] katakana_words), as keys."""
    words = reference_toml("cells.toml").get("categories", {}).get("katakana_words", ())
    return tuple(match_key(w) for w in words)


def _inside_katakana_word(key: str, start: int, end: int) -> bool:
    """Whether ``key[start:end]`` is a katakana label cut out of a longer katakana word: クラス in
    クラスター is no school class. Katakana words run on without a break, so a label that begins
    (ends) with katakana preceded (followed) by more katakana is part of another word, unless that
    katakana is a word that compounds (ウイルス in コロナウイルスワクチン; cells.toml [categories])."""
    if start > 0 and _is_katakana(key[start]) and _is_katakana(key[start - 1]):
        run = start
        while run > 0 and _is_katakana(key[run - 1]):
            run -= 1
        if not key[run:start].endswith(_katakana_words()):
            return True
    return (
        end < len(key)
        and _is_katakana(key[end - 1])
        and _is_katakana(key[end])
        and not key[end:].startswith(_katakana_words())
    )
