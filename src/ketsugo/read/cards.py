"""Connections written as cards: one 項目：内容 line per field instead of a table row.

Some towns publish each connection as a block of lines (番号：1 / 担当課：総務課 / 業務名：… /
記録項目： followed by ・ bullet lines). A section with no tab-separated line whose lines name a
connection number as 番号：N (a key of headers.toml [connection] before a ： or :), or heads
blocks with a bare number (【1】, ［1］, No.1), is read as cards: each such line starts a card,
each key line of it fills a column (keys are matched like header cells; a short key no field
names, such as 備考, is a column kept as written), and the lines right under a
key line continue its value — a bullet line (・氏名) as one more element of a list, any other
line as the rest of the text (など closes an item list). The cards become one header row (the
keys in the order they first appear) and one row per card, read like any table; a warning says
so, naming the lines. Lines outside the cards (notes, statements) are left as they were.

Blocks of two-column tables (a web page's ``<h3>１　title</h3>`` then a 項目 | 内容 table, copied as
``label⇥value`` lines) are cards too: a run of at least headers.toml [card_blocks] min_fields rows
whose left cell names a connection field is read as 項目：内容 lines, the block's own header row
(項目 | 内容) dropped, and the numbered line heading the block (１　title, or 新規１　title: a short
word before the number) gives the card's number, and its title when no row names the business.
Such a block with a number is one *form*: it is written as a table of its own (its labels the
header row, its values one row), so that a field it has no row for is absent, not empty; two of
its rows naming one field are read as two columns of one field are (:func:`_form_lines`); a line
with no tab between two of its rows is the rest of the value above (a <br> in a browser's copy).

Blocks of label and value lines are cards too: a web page's ``<dl>`` (``<dt>label</dt><dd>value</dd>``),
its select-all copy and its print, where each label stands alone on its line (a field's name,
matched like a header cell, with no colon) and its value on the line(s) under it. A value's lines
after the first are a typed line break (``<br>``): in a list field (items, parties, departments,
statutes: sources.toml [line_breaks]) the list's separator, else a wrapped line. A label right
under a label of another field is the next field (an empty value the print left out). Such a run
is read as the two-column rows above, and its heading (１　title, 【１】title, No.1 title, (1) title)
gives the number. A page's footer under the last card (このページに関するお問い合わせ, 電話番号：…,
法人番号：…: sources.toml [page_furniture]) ends it and is no field of it.

Connections written as numbered sentences (１　住民課が行っていた…事務の(株)Ｘとの結合。廃止の理由は
…ためです。) under a sentence giving their date (次の外部結合を令和４年９月３０日に廃止しました。)
are cards too, their fields read by headers.toml [prose_connections] patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.directed import directed_columns
from ketsugo.read.headers import Headers, match_field
from ketsugo.read.layout import ParseState
from ketsugo.read.legal import parse_legal_basis
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.proseblocks import prose_block_table
from ketsugo.read.sources.tables import join_list, join_parties, join_wrapped, rules
from ketsugo.read.wrapping import joined_text

# 番号：1 / 担当課 ： 総務課 / 結合の相手方（委託先）:… — a short key, a colon, the value
_KEY_LINE = re.compile(r"^\s*(?P<key>[^\t：:、。]{1,20}?)\s*[：:]\s*(?P<value>.*)$")
# A line heading a card with its number alone: 【1】, ［１］, [1], No.1, No. 1, №1
_NUMBER_HEADING = re.compile(
    r"^\s*(?:[【［\[]\s*(?P<b>[0-9０-９]{1,4})\s*[】］\]]|(?:No|NO|№)[.．]?\s*(?P<n>[0-9０-９]{1,4}))\s*$"
)
# A key no field names is a column only when short and with no digit (備考, 所在地, 接続方法)
_OTHER_KEY = re.compile(r"^[^0-9０-９\s]{1,8}$")
_BULLETS = ("・", "･", "•", "●", "-", "－", "‐")
_LIST_SEPARATOR = "、"
# A line heading a block of a two-column table or of label lines: its number, then its title —
# １　戸籍事務, 1. 戸籍事務, 【１】戸籍事務, No.1 戸籍事務, (1) 戸籍事務, ① 戸籍事務 (the title
# may be left out after a bracketed number or No.)
_BLOCK_HEADING = re.compile(
    r"^\s*(?:(?P<n>[0-9０-９]{1,4})\s*(?:[.．、)）]\s*|\s+)(?=\S)"
    r"|[【［\[(（]\s*(?P<b>[0-9０-９]{1,4})\s*[】］\])）]\s*"
    r"|(?:No|NO|№)[.．]?\s*(?P<o>[0-9０-９]{1,4})(?:\s+|[.．:：]\s*|$)"
    r"|(?P<c>[\u2460-\u2473])\s*)"
    r"(?P<title>\S.{0,59})?$"
)
# A form's heading that names its list before its number: 新規１　外部結合届出書, 廃止2 外部結合の概要,
# 届出３ — a short word (letters, no digit or mark), the number, then a space and the title or the
# line's end. Read only above a block of two-column rows (a form), where it gives the number.
_WORD_HEADING = re.compile(r"^\s*(?P<w>[^\W\d_]{1,4})(?P<n>[0-9０-９]{1,4})(?:\s+(?P<title>\S.{0,59})|\s*)$")
# A label line: a field's name alone (no colon, no sentence, no digit)
_LABEL = re.compile(r"^[^\t：:、。，,0-9０-９]{1,20}$")


@dataclass
class _Card:
    line: int
    values: dict[str, str] = field(default_factory=dict)  # column key → value
    last: str = ""  # the key the next continuation line belongs to


def card_table(lines: list[tuple[int, str]], spec: Headers, state: ParseState) -> list[tuple[int, str]]:
    """The section's lines with its cards replaced by a header row and one tab-separated row per
    card; the lines unchanged when the section holds a table or no cards."""
    lines = prose_block_table(lines, spec, state)  # 「１　title」 then 「（１）label　value」 lines
    labelled: set[int] = set()  # the lines of the label and value runs read as two-column rows
    rows = _label_rows(lines, spec, labelled)
    lines = _prose_cards(_block_cards(rows, spec, state, labelled), spec, state)
    if any("\t" in line for _, line in lines) or not any(_starts_card(line, spec) for _, line in lines):
        return lines
    columns: dict[str, str] = {}  # column key → the key as first written (the header cell)
    cards: list[_Card] = []
    others: list[tuple[int, str]] = []
    card: _Card | None = None
    continuing = False  # the line above belongs to the card (no blank line between)
    footer: list[tuple[int, str]] = []  # the page's footer under the last card, from its contact heading
    glossary = False  # under a glossary's heading (用語の説明), until the next card: its terms
    for line_no, line in lines:
        stripped = line.strip()
        glossary = (glossary or is_glossary_heading(stripped)) and not _starts_card(stripped, spec)
        if glossary:
            continuing = False
            others.extend([(line_no, ""), (line_no, line)] if card is not None else [(line_no, line)])
            continue
        if footer or (card is not None and is_contact_heading(stripped)):
            footer.append((line_no, stripped))
            continue
        if is_page_furniture(stripped):  # the page's footer (電話番号：…): no field, ends the card
            continuing = False
            others.extend([(line_no, ""), (line_no, line)] if card is not None else [(line_no, line)])
            continue
        match = _key_line(stripped, spec)
        heading = _NUMBER_HEADING.match(stripped)
        if heading is not None or (
            match is not None
            and _is_number_line(stripped, spec)
            and (card is None or set(card.values) - {"field:number"})  # 【1】 then 番号：1: one card
        ):
            card = _Card(line_no)
            cards.append(card)
        if heading is not None and card is not None:
            card.values["field:number"] = heading["b"] or heading["n"]
            columns.setdefault("field:number", spec.connection["number"][0])
            continuing = False
        elif card is not None and match is not None and (continuing or _names_field(match, spec)):
            # after a blank line only a field's key goes on with the card (注：… is a note)
            key = _column_key(match["key"], spec)
            if key in card.values and key != "field:number":
                # a second line of one card naming the same field (審議会 / 法令の根拠): a column of
                # its own, that the table's reading reports, not a value silently replaced
                key = f"key:{match_key(match['key'])}"
            columns.setdefault(key, match["key"].strip())
            card.values[key] = match["value"].strip()
            card.last, continuing = key, True
        elif card is not None and stripped and continuing:
            card.values[card.last] = _continued(card.values.get(card.last, ""), stripped)
        else:
            continuing = False
            if stripped:  # after a card, a blank line first: the line is no rest of the card's last value
                others.extend([(line_no, ""), (line_no, line)] if card is not None else [(line_no, line)])
    if footer:
        state.inform(
            footer[0][0],
            "",
            "the web page's footer under the last card (its contact block: sources.toml [page_furniture]) "
            "not read as the report",
            " / ".join(text for _, text in footer if text),
        )
    header = list(columns)
    first = cards[0].line
    state.warn(
        first,
        "",
        f"{len(cards)} connection(s) written as cards (項目：内容 lines, from line {first} to "
        f"{max(n for n, _ in lines if n >= first)}): read as a table with the columns "
        + " / ".join(columns.values()),
    )
    table = [(first, "\t".join(columns.values()))]
    table += [(c.line, "\t".join(c.values.get(k, "") for k in header)) for c in cards]
    return sorted([*table, *others], key=lambda pair: pair[0])


def _names_field(match: re.Match[str], spec: Headers) -> bool:
    return match_field(match["key"], spec.connection) is not None


def _starts_card(line: str, spec: Headers) -> bool:
    if is_page_furniture(line):
        return False  # 法人番号：4000020033219 is the site's number, no connection's
    return _NUMBER_HEADING.match(line.strip()) is not None or _is_number_line(line.strip(), spec)


def _key_line(line: str, spec: Headers) -> re.Match[str] | None:
    """A 項目：内容 line: not a note or a bullet, its key a field's name or a short word."""
    if line.startswith((*spec.note_markers, *_BULLETS)):
        return None
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    key = match["key"].strip()
    return match if match_field(key, spec.connection) is not None or _OTHER_KEY.match(key) else None


def _is_number_line(line: str, spec: Headers) -> bool:
    match = _key_line(line, spec)
    return (
        match is not None
        and match_field(match["key"], spec.connection) == "number"
        and match["value"].strip().isdigit()
    )


def _column_key(key: str, spec: Headers) -> str:
    """Keys naming one field are one column (番号 / 番 号; 提供・受領の別 / データの流れ: the cards
    of one section may be written from different templates, no card holding both); any other
    key is a column of its own."""
    name = _field_of(key, spec)
    return f"field:{name}" if name is not None else f"key:{match_key(key)}"


def _continued(value: str, line: str) -> str:
    """A value continued by the line under it: a bullet adds an element, other text runs on."""
    if line.startswith(_BULLETS):
        element = line.lstrip("".join(_BULLETS)).strip()
        return f"{value}{_LIST_SEPARATOR}{element}" if value else element
    return joined_text(value, line)


def _heading_number(heading: re.Match[str]) -> str:
    """The number a block's heading gives (１, 【１】, No.1, (1), ①) in ASCII digits."""
    if heading["c"]:
        return str(ord(heading["c"]) - 0x2460 + 1)
    return normalize(heading["n"] or heading["b"] or heading["o"])


def _form_heading(line: str) -> tuple[str, str] | None:
    """(number in ASCII digits, title) of the line heading a block of two-column rows: its number
    first (１　戸籍事務, 【１】, No.1, (1), ①) or after a short word naming its list (新規１　外部結合
    届出書, 廃止２　…: the section the form stands in says new or ended, the word adds nothing)."""
    heading = _BLOCK_HEADING.match(line)
    if heading is not None:
        return _heading_number(heading), (heading["title"] or "").strip()
    worded = _WORD_HEADING.match(line)
    if worded is not None:
        return normalize(worded["n"]), (worded["title"] or "").strip()
    return None


@cache
def _furniture_spec() -> tuple[frozenset[str], tuple[str, ...], int]:
    """sources.toml [page_furniture] (match keys of the labels of a page's footer lines, the words
    of its contact heading) and [html] contact_heading_length (how long that heading is at most)."""
    data = reference_toml("sources.toml")
    furniture = data.get("page_furniture", {})
    return (
        frozenset(match_key(label) for label in furniture.get("labels", ())),
        tuple(furniture.get("contact_headings", ())),
        int(data.get("html", {}).get("contact_heading_length", 0)),
    )


def is_page_furniture(line: str) -> bool:
    """A line of a web page's footer copied with the report: its contact heading (このページに関する
    お問い合わせ: short, no colon) or a line labelled as the site's (電話番号：…, 法人番号：…, ページID：…).
    It is no field of a card, and ends the card above it."""
    labels = _furniture_spec()[0]
    text = line.strip()
    key = re.split(r"[：:\s]", text, maxsplit=1)[0]
    return match_key(key) in labels or is_contact_heading(text)


def _is_footer_line(line: str) -> bool:
    """A footer line among label and value lines: labelled as the site's WITH its value (電話番号：
    011-…, TEL 011-…) or the contact heading. A label alone on its line (電話番号, メールアドレス)
    is a value's line there — an item of 記録項目 one a line — not the site's."""
    text = line.strip()
    if is_contact_heading(text):
        return True
    key, *rest = re.split(r"[：:\s]", text, maxsplit=1)
    return bool(rest and rest[0].strip()) and match_key(key) in _furniture_spec()[0]


def is_contact_heading(line: str) -> bool:
    """The heading of a web page's contact block (このページに関するお問い合わせ): short, no colon,
    naming a word of sources.toml [page_furniture] contact_headings. What follows it to the
    section's end is the page's footer."""
    _, contact_words, limit = _furniture_spec()
    compact = "".join(line.split())
    return (
        0 < len(compact) <= limit
        and "：" not in compact
        and ":" not in compact
        and any(word in compact for word in contact_words)
    )


def _field_of(label: str, spec: Headers) -> str | None:
    """The field a card's key or label names: a [connection] field, else which way data flows
    (提供・受領の別 / データの流れ: headers.toml [direction]), the row's status or the report's
    notes (備考) — so that two wordings of one field in two cards are one column."""
    name = match_field(label, spec.connection)
    if name is not None:
        return name
    key = match_key(label)
    if key in spec.direction_columns:
        return "direction"
    if key in spec.row_status_columns:
        return "status"
    if key in spec.remarks_columns:
        return "remarks"
    return None


def _label_field(line: str, spec: Headers) -> str | None:
    """The field a label line names (a field's name alone on its line), or None."""
    text = line.strip()
    if not _LABEL.match(text) or text.startswith((*spec.note_markers, *_BULLETS)) or _is_footer_line(text):
        return None
    return _field_of(text, spec)


def _is_value_word(line: str, name: str, spec: Headers) -> bool:
    """A value line that reads like a label: a word the field's cells hold (提供・受領 under
    提供・受領の別 is its value, though it also names the column)."""
    key = match_key(line)
    if name == "direction":
        return key in (spec.direction or {})
    if name == "specific":
        return key in spec.true_marks or key in spec.false_marks
    return False


def _joined_value(name: str | None, lines: list[str]) -> str:
    """A value's lines as one: each break a list's separator in a list field (sources.toml
    [line_breaks]), else a wrapped line's join."""
    separator = rules().by_field.get(name or "")
    if separator is None:
        return join_wrapped(lines)
    if name == "counterparties":
        return join_parties(lines, separator)[0]
    return join_list(lines, separator)


def _label_rows(lines: list[tuple[int, str]], spec: Headers, labelled: set[int]) -> list[tuple[int, str]]:
    """The section's runs of label and value lines (a <dl>'s dt / dd, as copied or printed) as
    two-cell label⇥value rows, for :func:`_block_cards` (which says what it read: the line of each
    such row is added to ``labelled``); every other line unchanged."""
    _, min_fields = _block_spec()
    filled = [i for i, (_, line) in enumerate(lines) if line.strip()]  # blank lines aside
    out: list[tuple[int, str]] = []
    done = 0  # lines[:done] are in out
    runs: list[int] = []  # the first line of each run read
    position = 0
    while position < len(filled):
        pairs, after = _label_run(lines, filled, position, spec)
        named = {name for name, _, v in pairs if v} - {None, "direction", "status", "remarks"}
        # values that read as labels of other fields (番号 / 担当課 / 業務名 …: a table's header
        # cells one a line) make no card
        labels = sum(1 for name, _, v in pairs if v and _label_field(v, spec) not in (None, name))
        if len(named) < min_fields or 2 * labels > sum(1 for _, _, v in pairs if v):
            position += 1
            continue
        start, end = filled[position], filled[after - 1] + 1
        out.extend(lines[done:start])
        out.extend((line_no, f"{label}\t{value}") for _, (line_no, label), value in pairs)
        labelled.update(line_no for _, (line_no, _), _ in pairs)
        done, position = end, after
        runs.append(lines[start][0])
    if not runs:
        return lines
    out.extend(lines[done:])
    return out


def _label_run(
    lines: list[tuple[int, str]], filled: list[int], position: int, spec: Headers
) -> tuple[list[tuple[str | None, tuple[int, str], str]], int]:
    """The (field, (line, label), value) pairs of the run of label lines starting at
    ``filled[position]`` (none if that line is no label), and the position after the run."""
    pairs: list[tuple[str | None, tuple[int, str], str]] = []
    while position < len(filled):
        line_no, label = lines[filled[position]]
        name = _label_field(label, spec)
        if name is None or any(name == named for named, _, _ in pairs):
            break  # no label, or a field this block has named: the next block's (its heading lost)
        position += 1
        values: list[str] = []
        while position < len(filled):
            line = lines[filled[position]][1].strip()
            other = _label_field(line, spec)
            if other is not None and _list_entry(line, name, other, lines, filled, position + 1, spec):
                other = None  # 個人番号 among 記録項目's lines: an item, not 個人番号 (有/無)'s label
            written = {n: key for n, (_, key), _ in [*pairs, (name, (line_no, label), "")] if n}
            if other is not None and other in written and match_key(line) != match_key(written[other]):
                other = None  # 所属 under 所管課's block, 対象者の確認のため under 対象者: a value's line
            elif (
                other is not None
                and values
                and _label_next(lines, filled, position + 1, spec)
                and not _whole_label(line, spec)
            ):
                other = None  # 対象者氏名 among items, a label under it: an entry, not 対象者's label
            if not values:
                if (
                    other is not None
                    and other != name
                    and not _is_value_word(line, name, spec)
                    and _has_value_after(lines, filled, position + 1, spec)
                ):
                    break  # a label of another field with its value under it: this one's is empty
                if _is_footer_line(line) or (
                    _BLOCK_HEADING.match(line) and _has_label_after(lines, filled, position + 1, spec, 1)
                ):
                    break  # the next block's heading, or the page's footer: the value is empty
            elif other is not None or _ends_value(line, spec):
                break
            elif (
                not _has_label_after(lines, filled, position, spec)
                and filled[position] != filled[position - 1] + 1
            ):
                break  # the last value goes on only on the lines right under it
            values.append(line)
            position += 1
        pairs.append((name, (line_no, label.strip()), _joined_value(name, values)))
    return pairs, position


def _label_keys(spec: Headers) -> frozenset[str]:
    """Every wording of a field's name (headers.toml [connection], [direction], [row_status], remarks)
    as a match key."""
    names = frozenset(match_key(alias) for aliases in spec.connection.values() for alias in aliases)
    return names | spec.direction_columns | spec.row_status_columns | spec.remarks_columns


def _label_next(lines: list[tuple[int, str]], filled: list[int], position: int, spec: Headers) -> bool:
    """Whether no value can follow at ``position``: the end, a block's heading, a note, the footer,
    or a line that is a label as a whole (結合開始日, 事業所名)."""
    if position >= len(filled):
        return True
    line = lines[filled[position]][1].strip()
    return _ends_value(line, spec) or (_label_field(line, spec) is not None and _whole_label(line, spec))


def _whole_label(line: str, spec: Headers) -> bool:
    """The line is a field's name (根拠法令) or ends with one (提供する記録項目), as a label does —
    not a text holding one before other words (対象者氏名, 対象者の確認のため)."""
    key = match_key(line)
    return any(key.endswith(name) for name in _label_keys(spec) if len(name) > 1)


def _list_entry(
    line: str,
    name: str,
    other: str,
    lines: list[tuple[int, str]],
    filled: list[int],
    position: int,
    spec: Headers,
) -> bool:
    """Whether ``line``, naming the number's or the 特定個人情報 column as a record item does
    (宛名番号, 電話番号 hold 番号; 個人番号, マイナンバー: headers.toml [card_blocks] item_labels), is
    one more entry of the list value above it (記録項目's lines: 氏名 / 宛名番号 / 個人番号) rather
    than that field's label: a label of such a field has its number or mark on the line under it."""
    if name not in rules().by_field:
        return False
    after = lines[filled[position]][1].strip() if position < len(filled) else ""
    key = match_key(line)
    if other == "number":  # 番号 / No. itself is the column's name
        return key not in {match_key(alias) for alias in spec.connection["number"]} and not (
            normalize(after).isdigit()
        )
    return other == "specific" and key in _item_labels() and not _is_value_word(after, other, spec)


@cache
def _item_labels() -> frozenset[str]:
    """headers.toml [card_blocks] item_labels, as match keys."""
    data = reference_toml("headers.toml").get("card_blocks", {})
    return frozenset(match_key(label) for label in data.get("item_labels", ()))


def _has_value_after(lines: list[tuple[int, str]], filled: list[int], position: int, spec: Headers) -> bool:
    """Whether the line at ``position`` is a value: no label, no block's heading, note or footer."""
    if position >= len(filled):
        return False
    line = lines[filled[position]][1].strip()
    return _label_field(line, spec) is None and not _ends_value(line, spec)


def _ends_value(line: str, spec: Headers) -> bool:
    """A line no value goes on to: a block's heading, a note, the page's footer."""
    return (
        _BLOCK_HEADING.match(line) is not None
        or line.startswith((*spec.note_markers, *spec.note_words))
        or _is_footer_line(line)
        or is_glossary_heading(line)
    )


def _has_label_after(
    lines: list[tuple[int, str]], filled: list[int], position: int, spec: Headers, within: int = 0
) -> bool:
    """Whether a label line follows before the run's end (a heading, a note, the footer); with
    ``within``, among that many lines only."""
    for index in filled[position : position + within if within else None]:
        line = lines[index][1].strip()
        if _label_field(line, spec) is not None:
            return True
        if _ends_value(line, spec):
            return False
    return False


@cache
def _glossary_headings() -> frozenset[str]:
    """headers.toml [card_blocks] glossary_headings, as match keys."""
    data = reference_toml("headers.toml").get("card_blocks", {})
    return frozenset(match_key(h) for h in data.get("glossary_headings", ()))


def is_glossary_heading(line: str) -> bool:
    """A glossary's heading alone on its line (用語の説明, ■用語の説明, 【用語解説】): the terms under it
    explain the report's words, they are no card's fields."""
    return re.sub(r"^[^\w]+|[^\w]+$", "", match_key(line)) in _glossary_headings()


@cache
def _block_spec() -> tuple[frozenset[str], int]:
    """headers.toml [card_blocks]: the match keys of a block's header cells, the fields a run needs."""
    data = reference_toml("headers.toml").get("card_blocks", {})
    return frozenset(match_key(c) for c in data.get("header_cells", ())), int(data.get("min_fields", 3))


def _block_row(line: str, spec: Headers) -> tuple[str, str] | None:
    """(label, value) of a two-cell row whose label is a card key (a field's name or a short word)."""
    cells = line.strip(" \u3000\r\n").split("\t")  # label⇥ (an empty value) keeps its tab
    if len(cells) != 2 or not cells[0].strip() or "：" in cells[0] or ":" in cells[0]:
        return None
    label, value = cells[0].strip(), cells[1].strip()
    if match_field(label, spec.connection) is None and not _OTHER_KEY.match(label):
        return None
    return label, value


def _block_cards(
    lines: list[tuple[int, str]],
    spec: Headers,
    state: ParseState,
    labelled: frozenset[int] | set[int] = frozenset(),
) -> list[tuple[int, str]]:
    """The section's forms — blocks of two-column 項目 | 内容 rows, each under a heading giving its
    number — each as a table of its own: a header row of its labels (番号 first, from the heading)
    and one row of their values, so that a field the form has no row for is absent, not empty
    (:func:`_form_lines`). A block with no number (no heading, no 番号 row) is left as 項目：内容 card
    lines. Every other line unchanged. One info says what was read: tables, or label and value
    lines (the rows of ``labelled`` lines: a <dl>'s dt / dd)."""
    header_cells, min_fields = _block_spec()
    replaced: dict[int, list[tuple[int, str]]] = {}  # index of a run's first line → its lines
    dropped: set[int] = set()  # indexes of the lines a form replaces
    for first, end, rows in _form_runs(lines, spec):
        if {match_key(rows[0][1]), match_key(" ".join(rows[0][2]))} <= header_cells:
            rows = rows[1:]  # the block's own header row (項目 | 内容)
        named = {match_field(label, spec.connection) for _, label, _ in rows} - {None}
        if len(named) < min_fields:
            continue
        above = first - 1
        while above >= 0 and not lines[above][1].strip():
            above -= 1
        heading = _form_heading(lines[above][1]) if above >= 0 and "number" not in named else None
        entries = [
            (line_no, label, _joined_value(_field_of(label, spec), values)) for line_no, label, values in rows
        ]
        if heading is not None:
            line_no = lines[above][0]
            extra = [(line_no, spec.connection["number"][0], heading[0])]
            if "business" not in named and heading[1]:
                extra.append((line_no, spec.connection["business"][0], heading[1]))
            entries = extra + entries
            dropped.update(range(above, first))
        dropped.update(range(first, end))
        if heading is not None or "number" in named:
            replaced[first] = _form_lines(entries, spec, state)
        else:  # no number: 項目：内容 lines, as cards are written
            replaced[first] = [
                *((n, f"{label}：{value}") for n, label, value in entries),
                (entries[-1][0], ""),
            ]
    if not replaced:
        return lines
    out: list[tuple[int, str]] = []
    for index, pair in enumerate(lines):
        out.extend(replaced.get(index, []))
        if index not in dropped:
            out.append(pair)
    from_labels = sorted(i for i in replaced if lines[i][0] in labelled)
    from_tables = sorted(i for i in replaced if lines[i][0] not in labelled)
    if from_tables:
        state.inform(
            lines[from_tables[0]][0],
            "",
            f"{len(from_tables)} block(s) of two-column tables (項目 | 内容 rows) read as cards: each form "
            "a table of one connection, its labels the header, its number the heading's (１　…, 新規１　…)",
        )
    if from_labels:
        first = lines[from_labels[0]][0]
        state.inform(
            first,
            "",
            f"{len(from_labels)} block(s) of label and value lines (a page's <dl>: dt / dd, from line "
            f"{first}) read as cards: each a table of one connection",
        )
    return out


def _form_runs(
    lines: list[tuple[int, str]], spec: Headers
) -> list[tuple[int, int, list[tuple[int, str, list[str]]]]]:
    """The runs of two-cell rows: [start, end) and each row's (line, label, value lines). A line
    with no tab between two rows of a run (not a heading, a note or the footer) is the rest of the
    value above it after a line break typed in the cell (a <br> as a browser's copy writes it): one
    more value line, not the end of the form; so are such lines after the run's last row when the
    next form's heading follows them."""
    runs: list[tuple[int, int, list[tuple[int, str, list[str]]]]] = []
    rows: list[tuple[int, str, list[str]]] = []
    start = 0
    index = 0
    while index <= len(lines):
        line = lines[index][1] if index < len(lines) else ""
        row = _block_row(line, spec)
        if row is not None:
            if not rows:
                start = index
            rows.append((lines[index][0], row[0], [row[1]]))
            index += 1
            continue
        rest = _value_rest(lines, index, spec) if rows else 0
        if rest:
            rows[-1][2].extend(lines[i][1].strip() for i in range(index, index + rest))
            index += rest
            continue
        if rows:
            runs.append((start, index, rows))
            rows = []
        index += 1
    return runs


def _value_rest(lines: list[tuple[int, str]], index: int, spec: Headers) -> int:
    """How many lines from ``index`` go on with the value of the form's row above them: lines with
    no tab and no heading, note or footer, followed by another row of the form (not its header row
    項目 | 内容) or by the next form's heading with its rows under it; 0 when they are not so."""
    header_cells = _block_spec()[0]
    end = index
    while end < len(lines):
        text = lines[end][1].strip()
        if not text or "\t" in text or _form_heading(text) is not None or _ends_value(text, spec):
            break
        end += 1
    if end == index or end >= len(lines):
        return 0
    after = lines[end][1]
    row = _block_row(after, spec)
    if row is not None:  # another row of the form, not the next form's 項目 | 内容
        return 0 if {match_key(row[0]), match_key(row[1])} <= header_cells else end - index
    if (
        _form_heading(after.strip()) is not None
        and end + 1 < len(lines)
        and _block_row(lines[end + 1][1], spec)
    ):
        return end - index
    return 0


@dataclass
class _FormRow:
    line: int
    label: str  # as written (or the name of the column it is read as)
    name: str | None  # the field it names
    value: str


def _form_lines(
    entries: list[tuple[int, str, str]], spec: Headers, state: ParseState
) -> list[tuple[int, str]]:
    """One form's (line, label, value) entries as a header row and a data row, then a blank line.
    Two rows naming one field are read as two columns of one field would be: a 根拠 row and a
    審議会 row (both the legal basis) as a 法令 column beside a 審議会 column — the row whose value
    reads as no council decision the statutes, the other the council's decision; any other two
    rows of one field as the parts of one cell under one merged header — one value, joined in
    order — but for the items given and those received (提供する / 受領する個人情報), two columns of a
    table too. Each such reading is an info."""
    merged: list[_FormRow] = []
    for line_no, label, value in entries:
        name = _field_of(label, spec)
        same = next((m for m in merged if name is not None and m.name == name), None)
        if same is None or directed_columns([same.label, label], spec):
            # 提供する個人情報 / 受領する個人情報: two item columns by direction, as a table reads them
            merged.append(_FormRow(line_no, label, name, value))
            continue
        if name == "legal_basis" and "statutes" not in {m.name for m in merged}:
            council = [parse_legal_basis(v).decision is not None for v in (same.value, value)]
            if council[0] != council[1]:
                statutes, decision = (label, same.label) if council[0] else (same.label, label)
                state.inform(
                    line_no,
                    label,
                    f"the rows {same.label!r} and {label!r} of one form both name the legal basis: "
                    f"{decision!r} read as the council's decision and {statutes!r} as the statutes cited "
                    "(as a 審議会 column beside a 法令 column is)",
                )
                column = spec.connection["statutes"][0]
                if council[0]:
                    merged.append(_FormRow(line_no, column, "statutes", value))
                else:
                    same.label, same.name = column, "statutes"
                    merged.append(_FormRow(line_no, label, name, value))
                continue
        separator = rules().by_field.get(name or "", " ")
        state.inform(
            line_no,
            label,
            f"the rows {same.label!r} and {label!r} of one form name one field: read as one value, joined in "
            "order (as the parts of one cell under one merged header are)",
        )
        same.value = separator.join(v for v in (same.value, value) if v)
    first = merged[0].line
    return [
        (first, "\t".join(m.label for m in merged)),
        (merged[1].line if len(merged) > 1 else first, "\t".join(m.value for m in merged)),
        (first, ""),
    ]


@cache
def _prose_spec() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """headers.toml [prose_connections]: the date lines' and the connection lines' patterns."""
    data = reference_toml("headers.toml").get("prose_connections", {})
    return tuple(re.compile(p) for p in data.get("date_lines", ())), tuple(
        re.compile(p) for p in data.get("lines", ())
    )


def _prose_cards(lines: list[tuple[int, str]], spec: Headers, state: ParseState) -> list[tuple[int, str]]:
    """The section's connections written as numbered sentences as 項目：内容 card lines, each with
    the date of the date sentence above it; the date sentences read are dropped, every other line
    unchanged."""
    date_patterns, line_patterns = _prose_spec()
    out: list[tuple[int, str]] = []
    dates: dict[str, str] = {}  # field → the date the latest date sentence gives
    read: list[int] = []
    for line_no, line in lines:
        stripped = line.strip()
        dated = next((m for p in date_patterns if (m := p.match(stripped))), None)
        if dated is not None:
            dates = {k: v for k, v in dated.groupdict().items() if v}
            read.append(line_no)
            continue
        found = next((m for p in line_patterns if (m := p.match(stripped))), None)
        if found is None:
            out.append((line_no, line))
            continue
        values = {"number": normalize(found["number"]), **dates}  # the number first: it starts the card
        values.update((k, v) for k, v in found.groupdict().items() if v and k != "number")
        out.append((line_no, ""))  # a blank line: the card ends before the next
        out.extend((line_no, f"{spec.connection[k][0]}：{v.strip()}") for k, v in values.items())
        out.append((line_no, ""))  # and ends after its own lines: the next line is none of it
        read.append(line_no)
    if not any(n for n, line in out if "：" in line and n in read):
        return lines
    state.inform(
        read[0],
        "",
        f"connections written as numbered sentences read as cards (lines {', '.join(map(str, read))})",
    )
    return out
