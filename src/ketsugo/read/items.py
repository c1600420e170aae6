"""Splitting a 個人情報記録の項目 cell into items; the rules are written in docs/items.md.

The marks the rules look for (separators, note markers, group markers, numbering, quotes,
"and the like" words, pointers to an annex, qualifier endings) are listed in
data/reference/cells.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.brackets import depth_at_end, depths, matching, top_level, trailing_paren
from ketsugo.read.eras import kanji_to_int
from ketsugo.read.exclusions import exclusion_of, of_the_list, without_excluded
from ketsugo.read.memo import remembered
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.records import Item, ItemList

MAX_NESTING = 20  # groups within groups deeper than this are kept as one item (and remarked)
# Distinct cells whose splitting is remembered: the same cells recur across rows and reports, and a
# national build reads ~38,000 of them (an ItemList is immutable, so one may be handed out twice).
CELL_MEMO = 20_000


@dataclass(frozen=True)
class Words:
    """The [items] table of data/reference/cells.toml."""

    separators: str
    remarked_separators: str
    note_markers: str
    group_markers: str
    compound_separators: str
    qualifier_endings: tuple[str, ...]
    numbering: tuple[re.Pattern[str], ...] = ()
    slash_separators: str = ""
    quotes: dict[str, str] = field(default_factory=dict)  # opening → closing
    open_ended: tuple[str, ...] = ()
    not_open_ended: tuple[str, ...] = ()
    not_in_report: tuple[re.Pattern[str], ...] = ()
    part_words: frozenset[str] = frozenset()  # match keys of 都道府県, 番地, 姓 … (rule 5b)
    item_count: tuple[re.Pattern[str], ...] = ()  # a count closing the list: 等5項目, （4項目） (rule 13)


@cache
def words() -> Words:
    data = reference_toml("cells.toml")["items"]
    return Words(
        separators="".join(data["separators"]),
        remarked_separators="".join(data["remarked_separators"]),
        note_markers="".join(data["note_markers"]),
        group_markers="".join(data["group_markers"]),
        compound_separators="".join(data["compound_separators"]),
        qualifier_endings=tuple(data["qualifier_endings"]),
        numbering=tuple(re.compile(pattern) for pattern in data["numbering"]),
        slash_separators="".join(data["slash_separators"]),
        quotes=dict(data["quotes"]),
        open_ended=tuple(sorted(data["open_ended"], key=len, reverse=True)),
        not_open_ended=tuple(data["not_open_ended"]),
        not_in_report=tuple(re.compile(pattern) for pattern in data["not_in_report"]),
        part_words=frozenset(match_key(w) for w in data.get("part_words", ())),
        item_count=tuple(re.compile(pattern) for pattern in data.get("item_count", ())),
    )


def marker_at(text: str, index: int = 0) -> str:
    """The group or numbering marker (①, (1), ⑴, 1., ア) that starts at ``index``, or ""."""
    if index < len(text) and text[index] in words().group_markers:
        return text[index]
    for pattern in words().numbering:
        found = pattern.match(text, index)
        if found:
            return found[0].strip()
    return ""


@cache
def _any_marker() -> re.Pattern[str]:
    """Matches (empty) wherever a group marker or a numbering pattern could start."""
    vocabulary = words()
    patterns = [re.escape(char) for char in vocabulary.group_markers]
    patterns += [f"(?:{pattern.pattern})" for pattern in vocabulary.numbering]
    return re.compile(f"(?=(?:{'|'.join(patterns)}))")


def marker_starts(text: str) -> frozenset[int]:
    """Where in ``text`` a marker may start: :func:`marker_at` can be true nowhere else. One scan of
    the text, instead of trying every pattern at every character."""
    return frozenset(found.start() for found in _any_marker().finditer(text))


def open_word(name: str) -> str:
    """The "and the like" word (等, など, ほか) that ends ``name``, or "" (平等 is no such word)."""
    vocabulary = words()
    if name.endswith(vocabulary.not_open_ended):
        return ""
    return next((word for word in vocabulary.open_ended if name.endswith(word) and name != word), "")


def unquoted(text: str) -> str:
    """``text`` without the quotation marks (「…」) around the whole of it."""
    close = words().quotes.get(text[:1])
    if close and text.endswith(close) and matching(text, 0) == len(text) - 1:
        return text[1:-1].strip()
    return text


def points_elsewhere(piece: str) -> bool:
    """The piece says the items are in an annex (別紙のとおり, 別表参照, 別添…), not here."""
    text = normalize(piece)
    return any(pattern.search(text) for pattern in words().not_in_report)


@remembered(lambda: (words(),), CELL_MEMO)
def split_items(cell: str) -> ItemList:
    """Split ``cell`` into leaf items in reading order, keeping groups, qualifiers and the note. An
    exclusion closing the list (氏名、住所（個人番号を除く）, 別表1（ただし、個人番号を除く。）) is no item:
    it leaves out the items it names, its words kept as the note (read/exclusions.py)."""
    body, note = split_note(cell)
    rest, exclusion = exclusion_of(body)
    if exclusion is None or not of_the_list(rest, exclusion):
        return _split_items(cell)  # 扶養親族（16歳未満を除く）: the item's own qualifier, as before
    listed = _split_items(f"{rest} {note}" if note else rest)
    kept = without_excluded(listed, exclusion)
    left_out = {match_key(n) for n in exclusion.names}
    dropped = [i.as_written for i in listed.items if match_key(i.name) in left_out]
    if not dropped:
        return kept
    names = "、".join(dropped)
    remark = (
        f"the list names {names} and its exclusion {exclusion.written} leaves it out: "
        "not read as an item (the cell is kept as written)"
    )
    return replace(kept, remarks=(*kept.remarks, remark))


def _split_items(cell: str) -> ItemList:
    body, note = split_note(cell)
    body, open_list = _unwrapped(body)
    remarks: list[str] = []
    items: list[Item] = []
    heading = ""
    heading_start = -1  # len(items) when the current 【】 heading began, -1 when none
    elsewhere = False
    bare = _bare_numbered(body)  # １ 氏名 ２ 住所: a list numbered with bare numbers
    pieces = list(_pieces(body, remarks, bare))
    count = _count_closing(pieces)
    if count is not None:  # rule 13: 住所等5項目 is the item 住所 and a count of the list
        pieces = pieces[:-1] + ([count.rest] if count.rest else [])
        open_list = open_list or count.open
    for index, piece in enumerate(pieces):
        marker = marker_at(piece) or (_bare_number(piece) if bare else "")
        if points_elsewhere(piece):
            elsewhere = True  # rule 10: no item is read from a pointer to an annex
            continue
        if piece in words().open_ended:
            if index == len(pieces) - 1:
                open_list = True
            else:
                remarks.append(f"{piece!r} between items is not an item: read as nothing")
            continue
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
        elif marker:
            heading, heading_start = "", -1
            rest = piece[len(marker) :].strip()
            if rest:
                _leaf_or_group(rest, "", marker, items, remarks)
            else:
                remarks.append(f"group marker {marker} with nothing after it")
        else:
            for side in _conjoined(piece):
                _leaf_or_group(side, heading, "【】" if heading else "", items, remarks)
    if heading_start == len(items) and heading:
        remarks.append(f"heading 【{heading}】 has no items under it")
    open_list = open_list or (bool(items) and bool(open_word(_bare(items[-1]))))
    if count is None:
        return ItemList(tuple(renumbered(items)), note, tuple(remarks), open_list, elsewhere)
    if count.rest and items and items[-1].as_written == count.rest:  # the item keeps its text as written
        items[-1] = Item(**{**items[-1].__dict__, "as_written": count.rest + count.written})
    open_list = open_list or count.number > len(items)  # more items counted than named
    return ItemList(
        tuple(renumbered(items)),
        note,
        tuple(remarks),
        open_list,
        elsewhere,
        count.number,
        count.written.strip(),
    )


@dataclass(frozen=True)
class _Count:
    """A count of the items closing a list (rule 13): what stands before it, the count as written
    (等5項目, （4項目）), its number, and whether an "and the like" word (等) stands in it."""

    rest: str
    written: str
    number: int
    open: bool


def _count_closing(pieces: list[str]) -> _Count | None:
    """The count that closes the list's last piece (住所等5項目, 出欠状況（5項目）, 計3項目), read as a
    count only where the list has other items or an "and the like" word stands before the count:
    4項目 alone, 健診結果（10項目） alone stay items."""
    if not pieces:
        return None
    last = pieces[-1]
    for pattern in words().item_count:
        found = pattern.search(last)
        if found is None:
            continue
        rest = last[: found.start()].rstrip()
        open_word_in_it = bool(found.groupdict().get("open"))
        if len(pieces) < 2 and not (rest and open_word_in_it):
            return None
        number = normalize(found["n"])
        value = int(number) if number.isdigit() else kanji_to_int(number)
        return _Count(rest, last[len(rest) :], value, open_word_in_it)
    return None


def count_remark(items: ItemList) -> str:
    """What a finding says of the count a list closes with (rule 13), or "" when it has none."""
    if not items.count_as_written:
        return ""
    named = len(items.items)
    if items.count > named:
        return (
            f"the list closes with a count of its items, {items.count_as_written}: read as the number of "
            f"items, not as part of an item; it names {named} of the {items.count} items: read as open-ended"
        )
    if items.count < named:
        return (
            f"the list closes with a count of its items, {items.count_as_written}: read as the number of "
            f"items, not as part of an item; it names {named} items, more than the {items.count} counted"
        )
    return (
        f"the list closes with a count of its items, {items.count_as_written}: read as the number of "
        "items, not as part of an item"
    )


def _after_quote(text: str, start: int, index: int) -> bool:
    """An opening quotation mark right after a closed quotation (white space between allowed)."""
    before = text[start:index].rstrip()
    return bool(before) and before[-1] in words().quotes.values()


def _unwrapped(body: str) -> tuple[str, bool]:
    """The list without quotation marks around all of it (rule 0), and whether 等 follows them."""
    close = words().quotes.get(body[:1])
    end = matching(body, 0) if close else -1
    if end < 0 or body[end] != close:
        return body, False
    after = body[end + 1 :].strip()
    if not after:
        return body[1:end].strip(), False
    if after in words().open_ended:
        return body[1:end].strip(), True
    count = _count_closing(["", after])
    if count is not None and not count.rest:  # 「氏名、住所」等5項目: the count closes the list (rule 13)
        return body[1:end].strip() + after, False
    return body, False


def _bare(item: Item) -> str:
    """The item as written, without its qualifier and quotation marks: what 等 is looked for in."""
    text = item.as_written
    if item.qualifier:
        text = text[: trailing_paren(text)].strip()
    return unquoted(text)


def renumbered(items: list[Item]) -> Iterator[Item]:
    """The items numbered 1, 2, 3… in reading order."""
    for position, item in enumerate(items, start=1):
        yield Item(**{**item.__dict__, "position": position})


def split_note(cell: str) -> tuple[str, str]:
    """The list and the note (rule 1) that closes the cell, both trimmed."""
    markers = words().note_markers
    if not any(char in cell for char in markers):
        return cell.strip(), ""
    marked_first = _marks_first_item(cell.strip())
    for index, depth in enumerate(depths(cell)):
        if cell[index] in markers and depth == 0 and (index == 0 or cell[index - 1].isspace()):
            if marked_first and not cell[:index].strip():
                continue  # ※個人番号、氏名: the first item's mark, not a note
            return cell[:index].strip(), cell[index:].strip()
    return cell.strip(), ""


def _marks_first_item(cell: str) -> bool:
    """A mark right before the cell's first word (no space between) in a list of items — a list
    separator at depth 0 and no sentence end (。) — marks that item, as 個人番号※ would:
    ※個人番号、氏名. ※個人番号を含む, ※ 氏名、住所 stay notes (rule 1)."""
    if _leading_mark().match(cell) is None or "。" in cell:
        return False
    listing = "".join(c for c in words().separators if c not in words().remarked_separators)
    return any(char in listing for _, char in top_level(cell))


@cache
def _leading_mark() -> re.Pattern[str]:
    """A note marker (perhaps numbered) right before a name, no space between: ※個人番号, ＊1氏名."""
    marks = re.escape(words().note_markers)
    return re.compile(rf"(?P<m>[{marks}][0-9０-９]*)(?=[^\s0-9０-９{marks}])")


def _pieces(text: str, remarks: list[str], bare: bool = False) -> Iterator[str]:
    """Depth-0 pieces separated by 、，,。, by slashes read as separators (rule 2b), or by white
    space before a group or numbering marker (before a bare number in a list numbered so:
    ``bare``), or right before the next circled number of a list numbered ①氏名②住所."""
    vocabulary = words()
    start = 0
    top = top_level(text)
    slash_list = _slash_list(top)
    dot_list = not slash_list and _dot_list(top)
    space_list = not bare and not slash_list and not dot_list and _space_list(text)
    markers = marker_starts(text)
    glued = _glued_markers(text, top)
    numbers = {m.start() for m in _BARE_NUMBER.finditer(text)} if bare else set()
    for index, char in top:
        if index in glued or (index in numbers and index > start):
            yield from _nonempty(text[start:index], remarks)  # ①氏名②住所; １ 氏名 ２ 住所
            start = index
        elif dot_list and char == "・":
            yield from _nonempty(text[start:index], remarks, char)  # 氏名・生年月日・性別 (rule 2c)
            start = index + 1
        elif space_list and char.isspace() and _between_words(text, index):
            yield from _nonempty(text[start:index], remarks)  # 氏名 生年月日 住所 (rule 2c)
            start = index + 1
        elif (char == "【" or (index in markers and marker_at(text, index))) and _after_space(
            text, start, index
        ):
            yield from _nonempty(text[start:index], remarks)
            start = index
        elif char in vocabulary.quotes and _after_quote(text, start, index):
            yield from _nonempty(text[start:index], remarks)  # 「氏名」「住所」: one item per quotation
            start = index
        elif char in vocabulary.slash_separators and (slash_list or _spaced(text, index)):
            yield from _nonempty(text[start:index], remarks, char)
            start = index + 1
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


# A bare number opening an item of a numbered list: 1 氏名 (white space after it, a name next)
_BARE_NUMBER = re.compile(r"(?:^|(?<=[\s、，,]))(?P<n>[0-9０-９]{1,2})\s+(?=[^\s0-9０-９、，,])")


def _bare_numbered(body: str) -> bool:
    """The list is numbered with bare numbers, 1, 2, 3 … in order from its start (１ 氏名 ２ 住所,
    1 氏名、2 住所): each number opens an item, it is no item (nor a legend code) itself."""
    found = [m for m in _BARE_NUMBER.finditer(body) if depth_at_end(body[: m.start()]) == 0]
    if len(found) < 2 or found[0].start() != len(body) - len(body.lstrip()):
        return False
    return [int(normalize(m["n"])) for m in found] == list(range(1, len(found) + 1))


def _bare_number(piece: str) -> str:
    """The bare number opening a piece of a list numbered so (１ 氏名 → １), or ""."""
    found = _BARE_NUMBER.match(piece)
    return found["n"] if found else ""


def _glued_markers(text: str, top: list[tuple[int, str]]) -> frozenset[int]:
    """Where the next circled number of a list starting with one stands, written with no space
    before it (①氏名②住所③生年月日): each starts an item. Only numbers in order from the first
    count (a ② inside a name, in another order, is left as it is)."""
    circled = words().group_markers
    stripped = len(text) - len(text.lstrip())
    if not text.strip() or text[stripped] not in circled:
        return frozenset()
    expected = circled.index(text[stripped]) + 1
    found: list[int] = []
    for index, char in top:
        if index > stripped and char in circled:
            if circled.index(char) != expected:
                return frozenset()
            found.append(index)
            expected += 1
    return frozenset(i for i in found if not text[i - 1].isspace())


@cache
def _conjunction_words() -> tuple[tuple[str, ...], int, int, frozenset[str]]:
    """cells.toml [items] conjunctions, the longest side, the shortest left side and the known items."""
    data = reference_toml("cells.toml")["items"]
    return (
        tuple(sorted(data.get("conjunctions", ()), key=len, reverse=True)),
        int(data.get("conjunction_side_max", 16)),
        int(data.get("conjunction_left_min", 4)),
        frozenset(match_key(w) for w in data.get("conjunction_items", ())),
    )


def _conjoined(piece: str) -> list[str]:
    """A piece split at a connective between two item names (rule 2d): 住所及び生年月日 → 住所, 生年月日;
    医療及び介護の記録 stays one piece (its right side has a head, の…, that the short left side shares)."""
    connectives, side_max, left_min, known = _conjunction_words()
    if "：" in piece or ":" in piece:
        return [piece]  # 氏名：漢字及びカナ: the 及び is inside one item's description
    for index, _char in top_level(piece):
        word = next((w for w in connectives if piece.startswith(w, index)), "")
        if not word:
            continue
        left, right = piece[:index].strip(), piece[index + len(word) :].strip()
        if not left or not right or len(left) > side_max:
            return [piece]
        rest = _conjoined(right)
        if any(len(side) > side_max for side in rest):
            return [piece]
        shares_head = (
            "の" in rest[0] and len(left) < left_min and match_key(open_word_free(left)) not in known
        )
        return [piece] if shares_head else [left, *rest]
    return [piece]


def conjoined_pieces(piece: str) -> list[str]:
    """:func:`_conjoined` for other readers of a cell's pieces (a legend's codes: 「A、B及び個人番号」)."""
    return _conjoined(piece)


def open_word_free(name: str) -> str:
    """``name`` without an "and the like" word at its end (氏名等 → 氏名)."""
    word = open_word(name)
    return name[: -len(word)] if word else name


def _slash_list(top: list[tuple[int, str]]) -> bool:
    """No other separator at depth 0, and at least two slashes: 氏名／住所／生年月日 is a list.
    ``top``: the (index, char) of the text at depth 0."""
    vocabulary = words()
    slashes = sum(1 for _, char in top if char in vocabulary.slash_separators)
    return slashes >= 2 and not any(char in vocabulary.separators for _, char in top)


def _dot_list(top: list[tuple[int, str]]) -> bool:
    """No other separator at depth 0, and at least two ・: 氏名・生年月日・性別 is a list of three
    items (one ・ alone, 性別・生年月日, stays a compound: rule 7). ``top`` as for _slash_list."""
    vocabulary = words()
    return sum(1 for _, c in top if c == "・") >= 2 and not any(
        c in vocabulary.separators or c in vocabulary.slash_separators for _, c in top
    )


def _space_list(text: str) -> bool:
    """No separator, ・ list, group or numbering marker at depth 0, and white space between words:
    氏名 生年月日 住所 (as a cell whose line breaks became spaces gives) is a list."""
    vocabulary = words()
    stripped = text.strip()
    top = top_level(stripped)
    if any(c in vocabulary.separators or c in vocabulary.slash_separators or c == "【" for _, c in top):
        return False
    markers = marker_starts(stripped)
    if any(i in markers and marker_at(stripped, i) for i, _ in top):
        return False
    return any(c.isspace() and _between_words(stripped, i) for i, c in top)


def _between_words(text: str, index: int) -> bool:
    """White space at ``index`` separates two words, not two parts of one Latin name (User ID)."""
    if index == 0 or text[index - 1].isspace():
        return False  # nothing before it, or the space after another space
    before = text[index - 1]
    after_at = index
    while after_at < len(text) and text[after_at].isspace():
        after_at += 1
    if after_at == len(text):
        return False
    after = text[after_at]
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


def _spaced(text: str, index: int) -> bool:
    """White space stands beside the character at ``index``: 氏名 ／ 住所, not 転出/死亡フラグ."""
    before = index > 0 and text[index - 1].isspace()
    after = index + 1 < len(text) and text[index + 1].isspace()
    return before or after


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
    if not any(char in text for char in separators):
        return False
    return any(char in separators for _, char in top_level(text))


def _leaf_or_group(
    piece: str, group: str, marker: str, out: list[Item], remarks: list[str], depth: int = 0
) -> None:
    opening = trailing_paren(piece)
    if opening > 0:
        inner = piece[opening + 1 : -1]
        # 4情報（氏名・生年月日・性別・住所）: a ・ list in the brackets is a list too (rule 5), unless
        # it is a qualifier (（転入・転出・転居の場合）, rule 6)
        grouped = _has_separator(inner) or (
            _dot_list(top_level(inner)) and not inner.strip().endswith(words().qualifier_endings)
        )
        if grouped and depth >= MAX_NESTING:
            remarks.append(f"groups nested more than {MAX_NESTING} deep: kept as one item {piece[:40]!r}…")
        elif grouped:
            heading = piece[:opening].strip()
            members = list(_pieces(inner, remarks))
            if not members:
                remarks.append(f"group {heading!r} has no members: kept as one item {piece!r}")
                out.append(leaf_item(piece, group, marker))
                return
            if heading and _lists_parts(members):  # 住所（都道府県・市区町村・番地）: one item (rule 5b)
                leaf = leaf_item(piece, group, marker)
                out.append(Item(**{**leaf.__dict__, "parts": tuple(members)}))
                return
            member_marker = marker if heading == "" else marker_for(marker)
            for member in members:
                _leaf_or_group(member, heading, member_marker, out, remarks, depth + 1)
            return
    out.append(leaf_item(piece, group, marker))


def _lists_parts(members: list[str]) -> bool:
    """Whether a bracketed list names the parts of its heading, not items of their own: at least
    half its members are part words (cells.toml part_words: 都道府県, 番地, 姓, 年 …). 住所（都道府県・
    市区町村・番地） is the address, written out; 4情報（氏名・生年月日・性別・住所） four items."""
    parts = sum(match_key(unquoted(m)) in words().part_words for m in members)
    return 2 * parts >= len(members)


def marker_for(outer_marker: str) -> str:
    """Members of an ①-group keep its marker; a plain X（…） heading has none."""
    return outer_marker if outer_marker and outer_marker != "【】" else ""


@cache
def _footnote_mark() -> re.Pattern[str]:
    """A note marker (cells.toml note_markers: ※ ＊ *) closing an item's name, perhaps numbered or
    bracketed (個人番号※, 個人番号※1, 個人番号（※）), or a reference word in brackets (住所（注）,
    住所（注2）: headers.toml [notes] reference_words): a pointer to a note, not part of the name."""
    marks = re.escape(words().note_markers)
    said = "|".join(re.escape(w) for w in _reference_words()) or "(?!)"
    return re.compile(
        rf"\s*(?:(?P<m>[{marks}]\s*[0-9０-９]*)|[（(](?P<b>[{marks}]\s*[0-9０-９]*|(?:{said})\s*[0-9０-９]*)[)）])$"
    )


@cache
def _reference_words() -> tuple[str, ...]:
    """The words a note reference is written with besides the marks (注): headers.toml [notes]."""
    return tuple(reference_toml("headers.toml")["notes"].get("reference_words", ()))


def footnote_of(text: str) -> tuple[str, str]:
    """The name without a footnote mark after it (or right before it: ※個人番号), and the mark
    (normalised: ※, ※1; "" when none)."""
    found = _footnote_mark().search(text)
    if found is None or found.start() == 0:
        before = _leading_mark().match(text)  # ※個人番号: the mark before the name
        if before is None:
            return text, ""
        return text[before.end() :].strip(), normalize(before["m"])
    return text[: found.start()].rstrip(), "".join(normalize(found["m"] or found["b"]).split())


@cache
def _change_words() -> frozenset[str]:
    """The match keys of the bracketed change remarks (legends.toml [change_remarks]: 追加, 新規 …)."""
    return frozenset(match_key(w) for w in reference_toml("legends.toml")["change_remarks"]["words"])


@cache
def _removal_words() -> frozenset[str]:
    return frozenset(
        match_key(w) for w in reference_toml("legends.toml")["change_remarks"].get("removed", ())
    )


@cache
def _old_words() -> frozenset[str]:
    return frozenset(match_key(w) for w in reference_toml("legends.toml")["change_remarks"].get("old", ()))


def is_old_value(remark: str) -> bool:
    """The bracketed change remark says the value is the one before the change (（変更前）, （旧）)."""
    return bool(remark) and match_key(remark.strip("（）() ")) in _old_words()


def without_old_items(items: ItemList) -> ItemList:
    """The list without the items marked as the value before a change (住所（変更前）: rule 15): they
    no longer flow; a remark names each (the cell stays as written)."""
    items = _values_of_one_kind(items)
    old = [i for i in items.items if is_old_value(i.note)]
    if not old:
        return items
    remarks = tuple(
        f"the item {i.as_written} is marked {i.note}: the value before the change, which no longer flows; "
        "not read as an item of the connection (the cell is kept as written)"
        for i in old
    )
    kept = [i for i in items.items if not is_old_value(i.note)]
    return replace(items, items=tuple(renumbered(kept)), remarks=(*items.remarks, *remarks))


def _values_of_one_kind(items: ItemList) -> ItemList:
    """The list with the bracket kept in the name of each item that names an item of the list
    twice, once marked as the value before a change (住所（新）、住所（旧）; 氏名、氏名（旧）): a
    change of the list never names one item as its old and its new value, so the two are two
    items — the new address and the old one (a notice of a move sends both), the name and the
    former name (旧氏) — each named with its bracket, not a change remark. Only the remarks that
    may say which value of a kind an item is (（旧）, （新）: legends.toml [change_remarks]
    value_kinds) read so: 住所（変更前）、住所（変更後） stays one item changed."""
    names: dict[str, int] = {}
    for item in items.items:
        names[item.name] = names.get(item.name, 0) + 1
    kinds = _value_kind_words()
    twice = {
        i.name
        for i in items.items
        if is_old_value(i.note) and match_key(i.note.strip("（）() ")) in kinds and names[i.name] > 1
    }
    if not twice:
        return items
    read = [
        replace(i, name=i.name + i.note, note="") if i.name in twice and i.note else i for i in items.items
    ]
    return replace(items, items=tuple(read))


@cache
def _value_kind_words() -> frozenset[str]:
    data = reference_toml("legends.toml")["change_remarks"]
    return frozenset(match_key(w) for w in data.get("value_kinds", ()))


def removed_items(items: ItemList) -> list[Item]:
    """The items whose change remark says they were taken out of the list (個人番号（削除）): still
    items of the connection as read, but the report may say they are no longer sent."""
    return [i for i in items.items if i.note and match_key(i.note.strip("（）() ")) in _removal_words()]


def change_remark_of(text: str) -> tuple[str, str]:
    """The name without a bracketed change remark closing it (個人番号（追加） → 個人番号, （追加）: rule
    15), and the remark as written ("" when none): it says how the list changed, not what the item is."""
    opening = trailing_paren(text)
    if opening <= 0 or match_key(text[opening + 1 : -1]) not in _change_words():
        return text, ""
    return text[:opening].rstrip(), text[opening:]


def leaf_item(written: str, group: str, marker: str) -> Item:
    """One item: its name without a footnote mark, a change remark, a qualifier or 等 (rules 6, 9,
    11, 15), the text as written kept."""
    text, footnote = footnote_of(written)
    text, note = change_remark_of(text)
    name, qualifier = text, ""
    opening = trailing_paren(text)
    if opening > 0:
        inner = text[opening + 1 : -1].strip()
        if inner.endswith(words().qualifier_endings):
            name, qualifier = text[:opening].strip(), inner
    name = unquoted(name)
    word = open_word(name)
    if word:
        name = unquoted(
            name[: -len(word)].strip()
        )  # rule 9: 氏名等 is categorised as 氏名; 「住所」等 as 住所
    return Item(
        as_written=written,
        name=name,
        position=0,
        group=group,
        marker=marker,
        qualifier=qualifier,
        conditional=bool(qualifier),
        parts=_parts(name),
        footnote=footnote,
        note=note,
    )


def _parts(name: str) -> tuple[str, ...]:
    separators = words().compound_separators
    if not any(char in name for char in separators):
        return ()
    cuts = [index for index, char in top_level(name) if char in separators]
    if not cuts:
        return ()
    bounds = zip([-1, *cuts], [*cuts, len(name)], strict=True)
    pieces = [name[start + 1 : end].strip() for start, end in bounds]
    return tuple(p for p in pieces if p)
