"""Splitting a 個人情報記録の項目 cell into items; the rules are written in docs/items.md.

The marks the rules look for (separators, note markers, group markers, qualifier endings)
are listed in data/reference/cells.toml.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from ketsugo.brackets import depth_at_end, matching, trailing_paren, walk
from ketsugo.paths import REFERENCE_DIR
from ketsugo.records import Item, ItemList

MAX_NESTING = 20  # groups within groups deeper than this are kept as one item (and remarked)


@dataclass(frozen=True)
class Words:
    """The [items] table of data/reference/cells.toml."""

    separators: str
    remarked_separators: str
    note_markers: str
    group_markers: str
    compound_separators: str
    qualifier_endings: tuple[str, ...]


@cache
def words() -> Words:
    with (REFERENCE_DIR / "cells.toml").open("rb") as handle:
        data = tomllib.load(handle)["items"]
    return Words(
        separators="".join(data["separators"]),
        remarked_separators="".join(data["remarked_separators"]),
        note_markers="".join(data["note_markers"]),
        group_markers="".join(data["group_markers"]),
        compound_separators="".join(data["compound_separators"]),
        qualifier_endings=tuple(data["qualifier_endings"]),
    )


def split_items(cell: str) -> ItemList:
    """Split ``cell`` into leaf items in reading order, keeping groups, qualifiers and the note."""
    body, note = _split_note(cell)
    remarks: list[str] = []
    items: list[Item] = []
    heading = ""
    heading_start = -1  # len(items) when the current 【】 heading began, -1 when none
    for piece in _pieces(body, remarks):
        if piece.startswith("【") and heading_start == len(items):
            remarks.append(f"heading 【{heading}】 has no items under it")
        if piece.startswith("【"):
            close = matching(piece, 0)
            if close < 0:
                remarks.append(f"unclosed 【 in {piece!r}: read as a heading with no items")
                close = len(piece)
            heading = piece[1:close].strip()
            heading_start = len(items) if close < len(piece) else -1
            if not heading and close < len(piece):
                remarks.append(f"empty 【】 heading in {piece!r}")
            rest = piece[close + 1 :].strip()
            if rest:
                _leaf_or_group(rest, heading, "【】", items, remarks)
        elif piece[0] in words().group_markers:
            heading, heading_start = "", -1
            rest = piece[1:].strip()
            if rest:
                _leaf_or_group(rest, "", piece[0], items, remarks)
            else:
                remarks.append(f"group marker {piece[0]} with nothing after it")
        else:
            _leaf_or_group(piece, heading, "【】" if heading else "", items, remarks)
    if heading_start == len(items) and heading:
        remarks.append(f"heading 【{heading}】 has no items under it")
    numbered = tuple(_renumber(items))
    return ItemList(numbered, note, tuple(remarks))


def _renumber(items: list[Item]) -> Iterator[Item]:
    for position, item in enumerate(items, start=1):
        yield Item(**{**item.__dict__, "position": position})


def _split_note(cell: str) -> tuple[str, str]:
    markers = words().note_markers
    for index, char, depth in walk(cell):
        if char in markers and depth == 0 and (index == 0 or cell[index - 1].isspace()):
            return cell[:index].strip(), cell[index:].strip()
    return cell.strip(), ""


def _pieces(text: str, remarks: list[str]) -> Iterator[str]:
    """Depth-0 pieces separated by 、，,。 or by white space before a group marker."""
    vocabulary = words()
    start = 0
    for index, char, depth in walk(text):
        if depth:
            continue
        if (char == "【" or char in vocabulary.group_markers) and _after_space(text, start, index):
            yield from _nonempty(text[start:index], remarks)
            start = index
        elif char in vocabulary.separators:
            if char in vocabulary.remarked_separators:
                remarks.append(f"「{char}」 read as a separator after {text[start:index].strip()!r}")
            yield from _nonempty(text[start:index], remarks, char)
            start = index + 1
    if depth_at_end(text):
        remarks.append(f"unbalanced brackets in {text!r}")
    tail = text[start:]
    if tail.strip():
        yield tail.strip()
    elif start and text[start - 1] in vocabulary.separators:
        remarks.append(f"empty item after a trailing {text[start - 1]!r}")


def _after_space(text: str, start: int, index: int) -> bool:
    """A group marker at ``index`` begins a new piece: white space before it, text before that."""
    return index > 0 and text[index - 1].isspace() and bool(text[start:index].strip())


def _nonempty(piece: str, remarks: list[str], separator: str = "") -> Iterator[str]:
    if piece.strip():
        yield piece.strip()
    elif separator:
        remarks.append(f"empty item before {separator!r}")


def _has_separator(text: str) -> bool:
    separators = words().separators
    return any(depth == 0 and char in separators for _, char, depth in walk(text))


def _leaf_or_group(
    piece: str, group: str, marker: str, out: list[Item], remarks: list[str], depth: int = 0
) -> None:
    opening = trailing_paren(piece)
    if opening > 0:
        inner = piece[opening + 1 : -1]
        if _has_separator(inner) and depth >= MAX_NESTING:
            remarks.append(f"groups nested more than {MAX_NESTING} deep: kept as one item {piece[:40]!r}…")
        elif _has_separator(inner):
            heading = piece[:opening].strip()
            members = list(_pieces(inner, remarks))
            if not members:
                remarks.append(f"group {heading!r} has no members: kept as one item {piece!r}")
                out.append(_leaf(piece, group, marker))
                return
            member_marker = marker if heading == "" else marker_for(marker)
            for member in members:
                _leaf_or_group(member, heading, member_marker, out, remarks, depth + 1)
            return
    out.append(_leaf(piece, group, marker))


def marker_for(outer_marker: str) -> str:
    """Members of an ①-group keep its marker; a plain X（…） heading has none."""
    return outer_marker if outer_marker and outer_marker != "【】" else ""


def _leaf(text: str, group: str, marker: str) -> Item:
    name, qualifier = text, ""
    opening = trailing_paren(text)
    if opening > 0:
        inner = text[opening + 1 : -1].strip()
        if inner.endswith(words().qualifier_endings):
            name, qualifier = text[:opening].strip(), inner
    return Item(
        as_written=text,
        name=name,
        position=0,
        group=group,
        marker=marker,
        qualifier=qualifier,
        conditional=bool(qualifier),
        parts=_parts(name),
    )


def _parts(name: str) -> tuple[str, ...]:
    separators = words().compound_separators
    cuts = [index for index, char, depth in walk(name) if depth == 0 and char in separators]
    if not cuts:
        return ()
    bounds = zip([-1, *cuts], [*cuts, len(name)], strict=True)
    pieces = [name[start + 1 : end].strip() for start, end in bounds]
    return tuple(p for p in pieces if p)
