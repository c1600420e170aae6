"""Legends (凡例): item codes and the names they stand for, and item cells written in those codes.

Some reports write each connection's items as codes (``A,C,E``, ``A～E,H``, ``①②``, ``ア イ``) and
say once, in a table or block of their own, what each code means (凡例: A 氏名, B 生年月日 …): before
or after the tables that use it, on a sheet of its own, often as two tables side by side. Read as
rows, such a table is a run of bad connection rows, and the codes as items say nothing (no item
has a category): the legend is taken out of the lines before the sections are read, kept as
written with an info, and item cells made of its codes are read as its names (docs/items.md, rule
14). The words, code shapes and marks are data: data/reference/legends.toml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from ketsugo.paths import reference_toml
from ketsugo.read.annex import Annex, annex_items, take_annexes
from ketsugo.read.headers import headers
from ketsugo.read.items import (
    change_remark_of,
    conjoined_pieces,
    footnote_of,
    leaf_item,
    open_word,
    renumbered,
    split_items,
    split_note,
    without_old_items,
)
from ketsugo.read.items import words as item_words
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.records import Item, ItemList

if TYPE_CHECKING:
    from ketsugo.read.layout import ParseState


@dataclass(frozen=True)
class LegendEntry:
    """One code of a legend and the item name it stands for, both as written, and their line."""

    code: str
    name: str
    line: int


@dataclass(frozen=True)
class Legend:
    """The codes of a report's legend(s), in the legend's order; ``by_key`` finds one by its
    match key (Ａ = A = a). Empty when the report has none."""

    entries: tuple[LegendEntry, ...] = ()
    by_key: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)
    annexes: tuple[Annex, ...] = ()  # the report's annex tables of items (別表１ | No | 項目): read/annex.py


@dataclass(frozen=True)
class _Words:
    """The [legend] table of data/reference/legends.toml, as match keys and patterns."""

    titles: tuple[str, ...]
    title_search: re.Pattern[str]  # any title word as written in legends.toml, white space allowed inside
    max_title_length: int
    code_headers: frozenset[str]
    name_headers: frozenset[str]
    code: re.Pattern[str]
    pair: re.Pattern[str]
    range: re.Pattern[str]
    range_spaces: re.Pattern[str]  # white space around a range mark (A ～ E), taken out
    split: re.Pattern[str]
    letters: re.Pattern[str]  # a cell of bare Latin letters (and ranges of them): a legend missing?
    stray: re.Pattern[str]  # a single letter as a word of its own (stray_letter)


@cache
def _words() -> _Words:
    data = reference_toml("legends.toml")["legend"]
    code = "|".join(f"(?:{pattern})" for pattern in data["codes"])
    marks = "".join(re.escape(m) for m in data["pair_marks"])
    ranges = "".join(re.escape(m) for m in data["range_marks"])
    separators = "".join(re.escape(m) for m in data["separators"])
    letter = "[A-Za-zＡ-Ｚａ-ｚ]"
    letters = rf"{letter}(?:\s*[{ranges}]\s*{letter})?"
    return _Words(
        titles=tuple(match_key(w) for w in data["titles"]),
        title_search=re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in data["titles"])),
        max_title_length=int(data["max_title_length"]),
        code_headers=frozenset(match_key(w) for w in data["code_headers"]),
        name_headers=frozenset(match_key(w) for w in data["name_headers"]),
        code=re.compile(f"(?:{code})"),
        pair=re.compile(rf"(?P<code>{code})\s*(?:[{marks}]\s*|\s+)(?P<name>\S.*)"),
        range=re.compile(rf"(?P<a>{code})\s*[{ranges}]\s*(?P<b>{code})"),
        range_spaces=re.compile(rf"\s*([{ranges}])\s*"),
        split=re.compile(rf"[{separators}\s]+"),
        letters=re.compile(rf"\s*{letters}(?:\s*[{separators}\s]\s*{letters})*\s*(?:等|など)?\s*"),
        stray=re.compile(data["stray_letter"]),
    )


def is_code(text: str) -> bool:
    """Whether ``text`` (trimmed) looks like a legend code: A, Ａ, A1, ①, ⑴, 1, ア, (1)."""
    return _words().code.fullmatch(text.strip()) is not None


def legend_of(entries: list[LegendEntry]) -> Legend:
    """A legend of ``entries`` (the first of a code given twice wins)."""
    by_key: dict[str, int] = {}
    for index, entry in enumerate(entries):
        by_key.setdefault(match_key(entry.code), index)
    return Legend(tuple(entries), by_key)


# --- finding legends in the report's lines ------------------------------------------------------


def take_legends(lines: list[tuple[int, str]], state: ParseState) -> tuple[list[tuple[int, str]], Legend]:
    """The lines without the report's legend blocks, and the legend they give.

    A block starts at a title line (凡例, 記録項目一覧 …) or a header row (記号 | 項目名) and holds
    at least two code–name pairs. Its lines are kept as written (unread lines, with an info, no
    warning); a code given twice is a warning (the first is used).
    """
    # 別表１ | No | 項目: items, not codes of a legend (unless its title names a legend: 別表　凡例)
    lines, annexes = take_annexes(lines, state, lambda line: bool(_words().title_search.search(line)))
    kept: list[tuple[int, str]] = []
    entries: list[LegendEntry] = []
    index = 0
    while index < len(lines):
        block = _block_at(lines, index)
        if block is None:
            kept.append(lines[index])
            index += 1
            continue
        end, found = block
        for line_no, line in lines[index:end]:
            if line.strip():
                state.unread.append((line_no, line))
                state.opening.add(line_no)
        first = found[0]
        last = found[-1]
        state.inform(
            lines[index][0],
            "",
            f"a legend (凡例) of {len({match_key(e.code) for e in found})} item codes ({first.code} {first.name} … {last.code} {last.name}): "
            "item cells written in its codes are read as its item names; kept as written in the graph",
            lines[index][1].strip(),
        )
        _add_entries(entries, found, state)
        index = end
    return kept, replace(legend_of(entries), annexes=annexes)


def _add_entries(entries: list[LegendEntry], found: list[LegendEntry], state: ParseState) -> None:
    """Add one block's entries; a code given twice (in the block, or with another name in an
    earlier block) is a warning, a legend repeated as it was (on every sheet) is not."""
    known = {match_key(e.code): e for e in entries}
    for entry in found:
        earlier = known.get(match_key(entry.code))
        if earlier is None:
            entries.append(entry)
            known[match_key(entry.code)] = entry
        elif earlier.line >= found[0].line or match_key(earlier.name) != match_key(entry.name):
            state.warn(
                entry.line,
                "",
                f"the legend (凡例) gives the code {entry.code} twice: {earlier.name} (line {earlier.line}) "
                f"and {entry.name} (line {entry.line}); items written {entry.code} are read as {earlier.name}",
                f"{entry.code} {entry.name}",
            )


def _block_at(lines: list[tuple[int, str]], start: int) -> tuple[int, list[LegendEntry]] | None:
    """(the index after the block, its entries in the legend's order) of a legend block starting at
    ``start``, or None."""
    line_no, line = lines[start]
    if not _may_start(line):
        return None
    title_pairs = _title_pairs(line)
    header = title_pairs is None and _is_header_row(line)
    if title_pairs is None and not header:
        return None
    rows: list[tuple[int, list[tuple[str, str]]]] = [(line_no, title_pairs)] if title_pairs else []
    index = end = start + 1
    while index < len(lines):
        number, text = lines[index]
        if not text.strip():
            index += 1
            continue
        if not rows and not header and _is_header_row(text):  # a title, then the table's header
            header = True
            index = end = index + 1
            continue
        pairs = _pairs(text)
        if pairs is None or _heading_like(text, pairs):
            break
        rows.append((number, pairs))
        index = end = index + 1
    if sum(len(pairs) for _, pairs in rows) < 2:
        return None
    return end, _ordered(rows)


def _may_start(line: str) -> bool:
    """A cheap first look (most lines are no legend): a title word stands in the line, or its first
    filled cell is a code header (記号)."""
    words = _words()
    if words.title_search.search(line):
        return True
    first = line.strip().split("\t", 1)[0].strip()
    return len(first) <= 8 and not first.isdigit() and match_key(first) in words.code_headers


def _heading_like(line: str, pairs: list[tuple[str, str]]) -> bool:
    """A line of text (no cells) read as one pair whose name holds a section keyword (新たに, 終了,
    問い合わせ …: headers.toml [sections]): the next section's heading, (2) 新たに…, not a legend row."""
    if "\t" in line.strip() or len(pairs) != 1:
        return False
    spec = headers()
    keywords = [w for words in spec.section_words.values() for w in words] + list(spec.closing_words)
    name = normalize(pairs[0][1])
    return any(w in name for w in keywords)


def _title_pairs(line: str) -> list[tuple[str, str]] | None:
    """The pairs a title line holds ([] for a title alone: 凡例, 記録項目の凡例), or None when the line
    is no legend title (no title word; too long: a sentence that mentions the legend)."""
    if "\t" in line.strip():
        return None
    key = match_key(line)
    words = _words()
    found = [w for w in words.titles if w in key]
    if not found:
        return None
    text = line.strip()
    for separator in ("：", ":"):
        head, _, rest = text.partition(separator)
        if rest and any(w in match_key(head) for w in found) and (pairs := _inline_pairs(rest)):
            return pairs  # 凡例：A 氏名、B 住所
    return [] if len(key) <= words.max_title_length else None


def _is_header_row(line: str) -> bool:
    """記号 | 項目名 (perhaps twice, side by side): every filled cell a legend header word, a code
    header and a name header among them."""
    cells = {match_key(c) for c in line.split("\t") if c.strip()}
    words = _words()
    return (
        bool(cells & words.code_headers)
        and bool(cells & words.name_headers)
        and cells <= words.code_headers | words.name_headers
    )


def _pairs(line: str) -> list[tuple[str, str]] | None:
    """The (code, name) pairs of a legend row: a code cell then a name cell (several side by side,
    blank cells between), or cells of pairs written together (A：氏名, A 氏名); None for no legend row."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    return _paired(cells, _inline_pairs) or None


def _inline_pairs(text: str) -> list[tuple[str, str]]:
    """Pairs written in one piece of text: A：氏名　B：住所, A 氏名、B 住所, ① 氏名 ② 住所; [] when the
    text is not made of pairs only."""
    tokens = [t for t in re.split(r"[、，,\s]+", text.strip()) if t]
    return _paired(tokens, _pair_token) or []


def _pair_token(token: str) -> list[tuple[str, str]]:
    """One token that is a pair by itself (A：氏名), or []."""
    found = _words().pair.fullmatch(token)
    if found is None or is_code(found["name"]):
        return []
    return [(found["code"], found["name"].strip())]


def _paired(pieces: list[str], alone: Callable[[str], list[tuple[str, str]]]) -> list[tuple[str, str]] | None:
    """Pieces read as (code, name) pairs: a code followed by a name that is no code, or a piece that
    is a pair (or pairs) by itself (``alone``); None when a piece is neither."""
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if is_code(piece) and index + 1 < len(pieces) and not is_code(pieces[index + 1]):
            pairs.append((piece, pieces[index + 1]))
            index += 2
            continue
        found = alone(piece)
        if not found:
            return None
        pairs.extend(found)
        index += 1
    return pairs


def _ordered(rows: list[tuple[int, list[tuple[str, str]]]]) -> list[LegendEntry]:
    """The entries in the legend's order: down each table of two side by side (A…H, then I…P) or
    along each row (A B C D, then E F G H), whichever puts more codes in their natural order."""
    by_row = [LegendEntry(c, n, line) for line, pairs in rows for c, n in pairs]
    width = max(len(pairs) for _, pairs in rows)
    by_column = [
        LegendEntry(pairs[slot][0], pairs[slot][1], line)
        for slot in range(width)
        for line, pairs in rows
        if slot < len(pairs)
    ]
    return by_column if _in_order(by_column) > _in_order(by_row) else by_row


def _in_order(entries: list[LegendEntry]) -> int:
    """How many codes follow the one before them in natural order (B after A, 2 after 1)."""
    keys = [_sort_key(e.code) for e in entries]
    return sum(1 for a, b in pairwise(keys) if a[0] == b[0] and a < b)


def _sort_key(code: str) -> tuple[int, int, str]:
    """Numbers by their value, anything else by its text: (kind, number, text)."""
    key = re.sub(r"[()（）]", "", match_key(code))
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


# --- item cells written in codes -----------------------------------------------------------------


def read_items(cell: str, legend: Legend) -> ItemList:
    """The items of a cell: through the legend when the cell is made of its codes (rule 14), else
    as docs/items.md's other rules read it. A cell of bare letters in a report with no legend is
    read as before, with a remark that a legend seems to be missing. A cell that refers to an annex
    table (別表1のとおり) is read as that table's items (read/annex.py)."""
    annexed = annex_items(cell, legend.annexes)
    if annexed is not None:
        return annexed
    if legend.entries:
        coded = _coded_items(cell, legend)
        if coded is not None:
            return without_old_items(coded)
    items = without_old_items(split_items(cell))  # 住所（変更前）: the old value flows no more
    strays = [_stray_remark(i.name, cell, legend) for i in items.items if stray_letters(i.name)]
    if strays and not (not legend.entries and _words().letters.fullmatch(split_note(cell)[0])):
        items = replace(items, remarks=(*items.remarks, *strays))
    if not legend.entries and cell.strip() and _words().letters.fullmatch(split_note(cell)[0]):
        remark = (
            f"the items {cell.strip()!r} look like the codes of a legend (凡例: A 氏名, B 生年月日 …), but the "
            "report has none that was found: kept as written (is a legend missing from the text?)"
        )
        items = replace(items, remarks=(*items.remarks, remark))
    return items


# compiled once: asked of every item (re.split looked the pattern up in its cache each time)
_WORD_BREAKS = re.compile(r"[\s、，,／/]+")


def stray_letters(text: str) -> list[str]:
    """The single letters standing as words of their own in ``text`` beside words written in
    Japanese (A 株式会社Ｂ; the item A among names): legends.toml [legend] stray_letter. A letter in
    a Latin name (Plan A, J:COM) or in a word (Ａ社, Ｘ線) is none."""
    words = [w for w in _WORD_BREAKS.split(text.strip()) if w]
    stray = [w for w in words if _words().stray.fullmatch(w)]
    if not stray:
        return []
    if len(words) == 1:
        return stray  # an item (or a party) that is one letter
    return stray if any(not w.isascii() and not _words().stray.fullmatch(w) for w in words) else []


def _stray_remark(name: str, cell: str, legend: Legend) -> str:
    """The remark on an item holding a stray letter (A, or A 氏名) among written names."""
    letters = stray_letters(name)
    known = [legend.entries[legend.by_key[match_key(x)]] for x in letters if match_key(x) in legend.by_key]
    if known:
        said = ", ".join(f"{e.code} = {e.name}" for e in known)
        return (
            f"the letter(s) {' '.join(letters)} in the item {name!r} of {cell.strip()!r}: a code of the "
            f"legend ({said}) among names written out? kept as written"
        )
    return (
        f"a stray letter {' '.join(letters)} in the item {name!r} of {cell.strip()!r}: no code of a "
        "legend (凡例) of the report; kept as written"
    )


def _coded_items(cell: str, legend: Legend) -> ItemList | None:
    """The items of a cell made of legend codes (at least half its pieces codes or ranges of codes,
    one of them in the legend, or all of them codes), or None for a cell written otherwise."""
    body, note = split_note(cell)
    words = _words()
    tokens = [t for t in words.split.split(words.range_spaces.sub(r"\1", body)) if t]
    if not tokens:
        return None
    open_list = False
    last_open = open_word(tokens[-1]) if not is_code(tokens[-1]) else ""
    if match_key(tokens[-1]) in _open_words():  # 「A,C,等」: the list's own "and the like" word
        open_list, tokens = True, tokens[:-1]
    elif last_open:
        open_list, tokens[-1] = True, tokens[-1][: -len(last_open)].strip()
        tokens = [t for t in tokens if t]
    if _numbered_list(tokens):  # １ 氏名 ２ 住所: a list numbered in the cell, not codes (rule 3)
        return None
    # 及び / 並びに between two pieces splits them as in a written list (rule 2d): A、B及び個人番号
    tokens = [piece for token in tokens for piece in conjoined_pieces(token)]
    # a code may carry a mark or a change remark as a name does (B※, B（追加）: rules 11, 15)
    marked = [(*reversed(change_remark_of(text)), mark) for text, mark in map(footnote_of, tokens)]
    readings = [_reading(code, legend) for _, code, _ in marked]
    coded = sum(1 for r in readings if r is not None)
    known = sum(1 for r in readings if r)
    if not tokens or 2 * coded < len(tokens) or (known == 0 and coded < len(tokens)):
        return None
    items: list[Item] = []
    remarks: list[str] = []
    for token, (remark, _, mark), reading in zip(tokens, marked, readings, strict=True):
        if reading is None:  # a name written among codes (A,B,その他)
            items.append(leaf_item(token, "", ""))
        elif not reading:
            remarks.append(_unknown(token, cell, legend))
            items.append(leaf_item(token, "", ""))
        else:
            for index in reading:  # a name of the legend is read as if written in the cell: 4情報（…）
                entry = legend.entries[index]
                items.extend(
                    replace(i, legend_code=entry.code, note=remark or i.note, footnote=mark or i.footnote)
                    for i in split_items(entry.name).items
                )
    return ItemList(tuple(renumbered(items)), note, tuple(remarks), open_list)


def _numbered_list(tokens: list[str]) -> bool:
    """The pieces are a list numbered in the cell — a code, a name, the next code, a name … from
    the first code of its kind (1 氏名 2 住所, ① 氏名 ② 住所, ア 氏名 イ 住所): the numbers open
    items written out, they stand for nothing in a legend (whatever legend the report has)."""
    if len(tokens) < 4 or len(tokens) % 2:
        return False
    codes, names = tokens[0::2], tokens[1::2]
    if not all(is_code(c) for c in codes) or any(is_code(n) or _words().range.fullmatch(n) for n in names):
        return False
    keys = [_sort_key(c) for c in codes]
    first = keys[0]
    if first[0] == 0:  # numbers: 1, 2, 3 … (① and (1) read as 1 too)
        return [k[:2] for k in keys] == [(0, n) for n in range(1, len(keys) + 1)]
    start = _FIRST_CODES.get(first[2][:1], "")
    return bool(start) and [k[2] for k in keys] == [chr(ord(start) + i) for i in range(len(keys))]


# The first code of a kind of lettering, as _sort_key gives it (match keys: ａ → a, ｱ → ア)
_FIRST_CODES = {"a": "a", "ア": "ア"}


@cache
def _open_words() -> frozenset[str]:
    """The "and the like" words (等, など, ほか) of cells.toml, as match keys."""
    return frozenset(match_key(w) for w in item_words().open_ended)


def _reading(token: str, legend: Legend) -> list[int] | None:
    """The legend entries a piece stands for (one code, or a range in the legend's order); [] for a
    code (or range) the legend does not give; None for a piece that is no code (a written name)."""
    words = _words()
    key = match_key(token)
    if key in legend.by_key:
        return [legend.by_key[key]]
    if words.code.fullmatch(token):
        return []
    found = words.range.fullmatch(token)
    if found is None:
        return None
    first, last = legend.by_key.get(match_key(found["a"])), legend.by_key.get(match_key(found["b"]))
    if first is None or last is None or first > last:
        return []
    return list(range(first, last + 1))


def _unknown(token: str, cell: str, legend: Legend) -> str:
    """The remark on a code (or range) the legend does not give."""
    found = _words().range.fullmatch(token)
    if found is not None:
        first, last = legend.by_key.get(match_key(found["a"])), legend.by_key.get(match_key(found["b"]))
        if first is not None and last is not None:  # both known: the range runs backwards
            return (
                f"the range {token} in the item cell {cell.strip()!r} runs against the legend's order "
                f"({found['b']} comes before {found['a']}): kept as written"
            )
        missing = found["a"] if first is None else found["b"]
        return (
            f"the code {missing} (in the range {token}) of the item cell {cell.strip()!r} is not in the "
            "legend (凡例): kept as written"
        )
    return f"the code {token} of the item cell {cell.strip()!r} is not in the legend (凡例): kept as written"
