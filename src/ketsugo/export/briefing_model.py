"""The briefing as a document: headings, paragraphs, tables, cards, made of styled spans.

One block structure is written both as Markdown and as HTML (ketsugo.export.briefing_render), so both
formats carry the same content; report text stays plain text here and is escaped by each writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# =============================================================================== document blocks


@dataclass(frozen=True)
class Span:
    """A run of text; ``style`` is "", "strong", "em", "code", "warn" (sensitive) or "unnamed"."""

    text: str
    style: str = ""
    href: str = ""


Inline = list[Span]


@dataclass
class Heading:
    level: int
    inline: Inline
    anchor: str = ""


@dataclass
class Para:
    inline: Inline
    css: str = ""


@dataclass
class Table:
    head: list[Inline]
    rows: list[list[Inline]]
    numeric: tuple[int, ...] = ()
    strong_rows: tuple[int, ...] = ()


@dataclass
class Entry:
    inline: Inline
    children: list[Any] = field(default_factory=list)


@dataclass
class Bullets:
    entries: list[Entry]


@dataclass
class Field:
    label: Inline
    value: Inline
    children: list[Any] = field(default_factory=list)


@dataclass
class Fields:
    fields: list[Field]


@dataclass
class Card:
    anchor: str
    blocks: list[Any]


@dataclass
class Nav:
    """Links to the cards (HTML only: a Markdown reader has the headings)."""

    inline: Inline


Block = Heading | Para | Table | Bullets | Fields | Card | Nav


def text(value: str, style: str = "", href: str = "") -> Span:
    return Span(value, style, href)


def joined(parts: Iterable[Inline], separator: str = "、") -> Inline:
    out: Inline = []
    for index, part in enumerate(parts):
        if index:
            out.append(text(separator))
        out.extend(part)
    return out
