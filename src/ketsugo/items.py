"""Splitting a 個人情報記録の項目 cell into items; the rules are written in docs/items.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ketsugo.brackets import CLOSERS, OPENERS, trailing_paren
from ketsugo.records import Item, ItemList

SEPARATORS = "、，,。"
NOTE_MARKERS = "※*＊"
CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))  # ① … ⑳
COMPOUND = re.compile("[・/／]")
QUALIFIER_ENDINGS = ("場合のみ", "場合")
MAX_NESTING = 20  # groups within groups deeper than this are kept as one item (and remarked)


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
            close = _matching(piece, 0)
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
        elif piece[0] in CIRCLED:
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
    depth = 0
    for index, char in enumerate(cell):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif char in NOTE_MARKERS and depth == 0 and (index == 0 or cell[index - 1].isspace()):
            return cell[:index].strip(), cell[index:].strip()
    return cell.strip(), ""


def _pieces(text: str, remarks: list[str]) -> Iterator[str]:
    """Depth-0 pieces separated by 、，,。 or by white space before a group marker."""
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in OPENERS:
            if char == "【" and depth == 0 and _after_space(text, start, index):
                yield from _nonempty(text[start:index], remarks)
                start = index
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and char in CIRCLED and _after_space(text, start, index):
            yield from _nonempty(text[start:index], remarks)
            start = index
        elif depth == 0 and char in SEPARATORS:
            if char == "。":
                remarks.append(f"「。」 read as a separator after {text[start:index].strip()!r}")
            yield from _nonempty(text[start:index], remarks, text[index : index + 1])
            start = index + 1
    if depth:
        remarks.append(f"unbalanced brackets in {text!r}")
    tail = text[start:]
    if tail.strip():
        yield tail.strip()
    elif start and text[start - 1] in SEPARATORS:
        remarks.append(f"empty item after a trailing {text[start - 1]!r}")


def _after_space(text: str, start: int, index: int) -> bool:
    """A group marker at ``index`` begins a new piece: white space before it, text before that."""
    return index > 0 and text[index - 1].isspace() and bool(text[start:index].strip())


def _nonempty(piece: str, remarks: list[str], separator: str = "") -> Iterator[str]:
    if piece.strip():
        yield piece.strip()
    elif separator:
        remarks.append(f"empty item before {separator!r}")


def _matching(text: str, open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] in OPENERS:
            depth += 1
        elif text[index] in CLOSERS:
            depth -= 1
            if depth == 0:
                return index
    return -1


def _has_separator(text: str) -> bool:
    depth = 0
    for char in text:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and char in SEPARATORS:
            return True
    return False


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
        if inner.endswith(QUALIFIER_ENDINGS):
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
    pieces: list[str] = []
    depth = 0
    current = ""
    for char in name:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        if depth == 0 and COMPOUND.fullmatch(char):
            pieces.append(current.strip())
            current = ""
        else:
            current += char
    pieces.append(current.strip())
    return tuple(p for p in pieces if p) if len(pieces) > 1 else ()
