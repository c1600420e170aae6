"""Annex tables of items (別表１　住民基本台帳関係 | No | 項目 …) and item cells that refer to them.

Big cities list long item lists once, in tables at the report's end, and write in the item cell
only 「別表1のとおり」, 「別表２参照」, 「別表３の項目（ただし、個人番号を除く。）」. A careful reader turns
the pages: the items ARE in the report. The annex tables are taken out of the lines before the
sections are read (kept as written, with an info: they are no connection rows and no legend of
codes), and a cell that refers to one is read as its items, each keeping the annex line it came
from; an exclusion after the reference (個人番号を除く) leaves those items out. A reference to an annex
the report does not hold stays "items not in the report" with a warning naming it. The words are
data: data/reference/cells.toml [annex].
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from ketsugo.paths import reference_toml
from ketsugo.read.exclusions import annex_number, exclusion_of, reference_of, without_excluded
from ketsugo.read.items import renumbered, split_items, split_note
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.records import Item, ItemList

if TYPE_CHECKING:
    from ketsugo.read.layout import ParseState


@dataclass(frozen=True)
class AnnexItem:
    """One row of an annex table: the item as written and its line."""

    name: str
    line: int


@dataclass(frozen=True)
class Annex:
    """One annex table of items: its kind (別表), number (1; 0 when it has none), title line as
    written, the line of that title, and its items in order."""

    kind: str
    number: int
    title: str
    line: int
    items: tuple[AnnexItem, ...]

    @property
    def label(self) -> str:
        """別表1: how a reference names it."""
        return f"{self.kind}{self.number}" if self.number else self.kind


@dataclass(frozen=True)
class _Words:
    kinds: tuple[str, ...]
    title: re.Pattern[str]
    max_title_length: int
    number_headers: frozenset[str]
    name_headers: frozenset[str]


@cache
def _words() -> _Words:
    data = reference_toml("cells.toml")["annex"]
    kinds = tuple(data["kinds"])
    alternatives = "|".join(map(re.escape, kinds))
    return _Words(
        kinds=kinds,
        title=re.compile(data["title"].replace("{kinds}", alternatives)),
        max_title_length=int(data["max_title_length"]),
        number_headers=frozenset(match_key(w) for w in data["number_headers"]),
        name_headers=frozenset(match_key(w) for w in data["name_headers"]),
    )


# --- finding annex tables in the report's lines ----------------------------------------------------


def take_annexes(
    lines: list[tuple[int, str]], state: ParseState, legend_title: Callable[[str], bool]
) -> tuple[list[tuple[int, str]], tuple[Annex, ...]]:
    """The lines without the report's annex tables of items, and those tables.

    A table starts at a title line (別表１　住民基本台帳関係), then a header row (No | 項目), then
    rows of one item each (1 | 氏名). Its lines are kept as written (unread lines, with an info, no
    warning). A bare 別表 line right before the first table (the annexes' own heading) goes with it.
    A title that names a legend (別表　記録項目の凡例: ``legend_title``) is left to the legend reader:
    its numbers are codes the cells are written in.
    """
    kept: list[tuple[int, str]] = []
    annexes: list[Annex] = []
    index = 0
    while index < len(lines):
        found = None if legend_title(lines[index][1]) else _table_at(lines, index)
        if found is None:
            kept.append(lines[index])
            index += 1
            continue
        end, annex = found
        filled = [i for i, (_, line) in enumerate(kept) if line.strip()]
        if filled and _is_bare_kind(kept[filled[-1]][1]):  # 別表 over the tables: their heading
            line_no, line = kept[filled[-1]]
            del kept[filled[-1] :]
            state.unread.append((line_no, line))
            state.opening.add(line_no)
        for line_no, line in lines[index:end]:
            if line.strip():
                state.unread.append((line_no, line))
                state.opening.add(line_no)
        state.inform(
            annex.line,
            "",
            f"an annex table of items, {annex.label} ({len(annex.items)} items: {annex.items[0].name} … "
            f"{annex.items[-1].name}): item cells that refer to it ({annex.label}のとおり) are read as its "
            "items; kept as written in the graph",
            annex.title,
        )
        earlier = next((a for a in annexes if (a.kind, a.number) == (annex.kind, annex.number)), None)
        if earlier is not None:
            state.warn(
                annex.line,
                "",
                f"a second annex table named {annex.label} (the first at line {earlier.line}): references "
                f"to {annex.label} are read as the first",
                annex.title,
            )
        else:
            annexes.append(annex)
        index = end
    return kept, tuple(annexes)


def _is_bare_kind(line: str) -> bool:
    return match_key(line) in {match_key(k) for k in _words().kinds}


def _title(line: str) -> re.Match[str] | None:
    if "\t" in line.strip():
        return None
    text = normalize(line)
    if not text or len(text) > _words().max_title_length:
        return None
    return _words().title.match(text)


def _table_at(lines: list[tuple[int, str]], start: int) -> tuple[int, Annex] | None:
    """(the index after the table, the table) of an annex table whose title is at ``start``, or None."""
    line_no, line = lines[start]
    title = _title(line)
    if title is None:
        return None
    index = start + 1
    while index < len(lines) and not lines[index][1].strip():
        index += 1
    if index == len(lines):
        return None
    columns = _header(lines[index][1])
    if columns is None:
        return None
    number_at, name_at, width = columns
    items: list[AnnexItem] = []
    index = end = index + 1
    while index < len(lines):
        number, text = lines[index]
        if not text.strip():
            index += 1
            continue
        cells = [c.strip() for c in text.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > width or len(cells) <= name_at or not cells[name_at]:
            break
        if number_at is not None and not normalize(cells[number_at]).isdigit():
            break
        items.append(AnnexItem(cells[name_at], number))
        index = end = index + 1
    if not items:
        return None
    kind = next(k for k in _words().kinds if match_key(k) == match_key(title["kind"]))
    return end, Annex(kind, annex_number(title["n"]), line.strip(), line_no, tuple(items))


def _header(line: str) -> tuple[int | None, int, int] | None:
    """(the number column, the name column, the number of columns) of an annex table's header row
    (No | 項目), or None for no such row."""
    cells = [match_key(c) for c in line.strip().split("\t")]
    words = _words()
    if not cells or any(c not in words.number_headers | words.name_headers for c in cells):
        return None
    names = [i for i, c in enumerate(cells) if c in words.name_headers]
    if len(names) != 1:
        return None
    numbers = [i for i, c in enumerate(cells) if c in words.number_headers]
    return (numbers[0] if numbers else None), names[0], len(cells)


# --- item cells that refer to an annex ---------------------------------------------------------------


def annex_items(cell: str, annexes: tuple[Annex, ...]) -> ItemList | None:
    """The items of a cell that refers to an annex (別表1のとおり, 別表３の項目（ただし、個人番号を除く。）):
    those of the annex, minus what the exclusion names, each keeping its annex line; when the report
    holds no such annex, no items and "not in the report" with a remark naming the annex. None for a
    cell that is no reference to a numbered annex or one the report holds."""
    body, note = split_note(cell)
    rest, exclusion = exclusion_of(body)
    reference = reference_of(rest)
    if reference is None:
        return None
    kind, number = reference
    annex = _find(kind, number, annexes)
    if annex is None:
        if not number:
            return None  # 別紙のとおり in a report with no such annex: as before (items not in the report)
        held = ", ".join(a.label for a in annexes) or "none"
        label = f"{kind}{number}"
        remark = (
            f"the items are given by reference to {label} (「{rest}」), which this document does "
            f"not hold (its annex tables of items: {held}): read as items not in the report"
        )
        listed = split_items(cell)
        return replace(listed, remarks=(*listed.remarks, remark))
    items: list[Item] = []
    remarks: list[str] = []
    for row in annex.items:
        for item in split_items(row.name).items:
            items.append(replace(item, group=annex.title, source_line=row.line))
    listed = ItemList(tuple(renumbered(items)), note, tuple(remarks))
    first, last = annex.items[0].line, annex.items[-1].line
    info = (
        f"the items are those of {annex.label} (「{annex.title}」, line {annex.line}), which the cell "
        f"refers to (「{rest}」): {len(listed.items)} items read from its lines {first}–{last}"
    )
    if exclusion is not None:
        missing = [n for n in exclusion.names if match_key(n) not in {match_key(i.name) for i in items}]
        listed = without_excluded(listed, exclusion)
        left_out = "、".join(exclusion.names)
        info = (
            f"the items are those of {annex.label} (「{annex.title}」, line {annex.line}), which the cell "
            f"refers to (「{rest}」), less {left_out} (「{exclusion.written}」): {len(listed.items)} items "
            f"read from its lines {first}–{last}"
        )
        if missing:
            names = "、".join(missing)
            remarks.append(
                f"the exclusion {exclusion.written} names {names}, which {annex.label} does not "
                "list: nothing left out for it"
            )
            listed = replace(listed, remarks=tuple(remarks))
    return replace(listed, infos=(info,))


def _find(kind: str, number: int, annexes: tuple[Annex, ...]) -> Annex | None:
    """The annex a reference names: the same kind and number; a reference without a number names the
    report's only annex of that kind."""
    same = [a for a in annexes if match_key(a.kind) == match_key(kind)]
    if number:
        return next((a for a in same if a.number == number), None)
    return same[0] if len(same) == 1 else None
