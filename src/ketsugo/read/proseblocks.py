"""Connections written as prose blocks: a council's document, one numbered paragraph block each.

A report handed to a council (審議会資料) often writes each connection as a numbered title line,
then one line per field, the field's name and its value on the SAME line::

    １　戸籍証明書コンビニ交付サービスとの結合
    （１）実施機関　市長
    （２）担当課　市民課
    （３）結合先　地方公共団体情報システム機構
    （４）結合の目的　本籍地が本市にある者が、…交付を受けられるように
    するため
    …

A field line is an optional list marker ((1), （１）, ⑴, ①, ア, 1.), a field's name, then spaces or a
colon and the value. The name must name a field (headers.toml [connection] — the whole label, or
the label ending with an alias: 結合の目的, 終了の理由 —, a 実施機関 label of [register], a label of
[directed_items] or of [prose_blocks] period_labels): a sentence (対象者は、…) is no field line. The
lines under a field line that open no field, title, note or closing line (以上) are its value's
wrapped lines, joined as a wrapped cell is; in a PDF's text a blank line may stand between them (a
wrapped line then goes on only when a field or a block's title follows it). A line indented under a
value of a list field (statutes, items) is a typed break: the list's next entry. Where a PDF's
text ran two field lines into one (…（合計４項目）（５）終了日　令和６年７月３１日), the next
field's marker (its number one more) and a field's name split them.

The title line (a number — １, 1., 【１】, No.1, (1), ① — and the title, itself no field line)
gives the number, and the business when no field names it: the title as written (「…との結合」
kept, as the council reads it). The blocks become one header row and one tab-separated row per
block, read like any table (:func:`prose_block_table`, called by read/cards.py before its own
layouts); an info names the lines. A label naming the way data flows (提供する個人情報 /
提供を受ける個人情報: [directed_items]) gives the row's direction besides its items; a period
(結合期間　A から B まで) the start and the end date; 根拠 beside a 審議会 field the statutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from ketsugo.paths import reference_toml
from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.items import marker_at
from ketsugo.read.normalize import GOJUON, match_key, normalize

if TYPE_CHECKING:  # read/layout.py asks which lines are prose blocks' (no section headings)
    from ketsugo.read.layout import ParseState

# A field line's list marker: (1) （１） ⑴ ① ア 1. １．1)
_MARKER = (
    r"(?:[(（]\s*(?P<p>[0-9０-９]{1,3})\s*[)）]|(?P<q>[⑴-⒇])|(?P<c>[①-⑳])"
    r"|(?P<k>[ア-ン])(?:[.．、]|[ \u3000])|(?P<d>[0-9０-９]{1,3})\s*[.．)）])"
)
_FIELD_LINE = re.compile(
    rf"^[ \u3000]*(?:{_MARKER})?[ \u3000]*"
    r"(?P<label>[^\s\u3000：:、。，,]{1,24}?)[ \u3000]*(?:[：:]|[ \u3000])[ \u3000]*(?P<value>\S.*)$"
)
# A title line: its number, then the title (１　…, 1. …, 【１】…, No.1 …, (1) …, ①…)
_TITLE = re.compile(
    r"^[ \u3000]*(?:(?P<n>[0-9０-９]{1,3})(?:[.．、]|[ \u3000])"
    r"|[【［\[(（]\s*(?P<b>[0-9０-９]{1,3})\s*[】］\])）]"
    r"|(?:No|NO|№)[.．]?\s*(?P<o>[0-9０-９]{1,3})(?:[.．:：]|[ \u3000])?"
    r"|(?P<c>[①-⑳]))[ \u3000]*(?P<title>\S.{0,79})$"
)

# A line opening with a section heading's number or mark (第３, ３, （３）, 【, ■): with a section's
# word in it (結合を終了したもの) it is the next section's heading, no wrapped line of a value
_HEADING_START = re.compile(
    r"^[ \u3000]*(?:第\s*[0-9０-９一二三四五六七八九十]{1,2}(?![0-9０-９条項号])|[0-9０-９]{1,2}(?:[.．、]|[ \u3000])"
    r"|[(（]\s*[0-9０-９]{1,2}\s*[)）]|[⑴-⒇【［■□◆◇▼▽▲△★☆])"
)


@dataclass(frozen=True)
class _Spec:
    min_fields: int
    closing: frozenset[str]
    periods: frozenset[str]
    period: re.Pattern[str]
    statutes: frozenset[str]
    agency: frozenset[str]
    citation: re.Pattern[str]
    citation_continues: tuple[str, ...]
    to_party: frozenset[str]
    from_party: frozenset[str]
    direction_column: str
    to_word: str
    from_word: str


@cache
def _spec() -> _Spec:
    data = reference_toml("headers.toml")
    prose = data.get("prose_blocks", {})
    directed = data.get("directed_items", {})
    direction = data.get("direction", {})
    return _Spec(
        min_fields=int(prose.get("min_fields", 3)),
        closing=frozenset(match_key(w) for w in prose.get("closing_lines", ())),
        periods=frozenset(match_key(w) for w in prose.get("period_labels", ())),
        period=re.compile(prose.get("period_pattern", "(?!)")),
        statutes=frozenset(match_key(w) for w in prose.get("statutes_labels", ())),
        agency=frozenset(match_key(w) for w in data.get("register", {}).get("agency", ())),
        citation=re.compile(prose.get("citation", "(?!)")),
        citation_continues=tuple(prose.get("citation_continues", ())),
        to_party=frozenset(match_key(w) for w in directed.get("to_party", ())),
        from_party=frozenset(match_key(w) for w in directed.get("from_party", ())),
        direction_column=(direction.get("columns") or ["提供・受領の別"])[0],
        to_word=(direction.get("to_party") or ["提供"])[0],
        from_word=(direction.get("from_party") or ["受領"])[0],
    )


@dataclass
class _Field:
    name: str  # the field it fills (a [connection] field, agency, period, to_items / from_items)
    label: str  # as written
    marker: int | None  # its list marker's number, if any
    lines: list[tuple[str, bool]] = field(default_factory=list)  # (text, indented) of each line


@dataclass
class _Block:
    line: int
    number: str
    title: str
    fields: list[_Field] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # every line it holds


def _aliases_end(label: str, spec: Headers) -> bool:
    """The label is a field's alias or ends with one (結合の目的, 提供を受ける個人情報): a sentence
    holding one before other words (対象者は) is none."""
    key = match_key(label)
    return any(
        key == match_key(alias) or (len(match_key(alias)) > 1 and key.endswith(match_key(alias)))
        for aliases in spec.connection.values()
        for alias in aliases
    )


def _label_name(label: str, spec: Headers) -> str | None:
    """The field a prose field line's label names, or None (no field: the line is no field line)."""
    return _label_named(label) if spec is headers() else _label_field(label, spec)


@lru_cache(maxsize=8192)  # every line of every report is asked (read/layout.py): labels recur
def _label_named(label: str) -> str | None:
    return _label_field(label, headers())


def _label_field(label: str, spec: Headers) -> str | None:
    prose = _spec()
    key = match_key(label)
    if not key:
        return None
    if key in prose.agency:
        return "agency"
    if key in prose.periods:
        return "period"
    if key in prose.to_party:
        return "to_items"
    if key in prose.from_party:
        return "from_items"
    if not _aliases_end(label, spec):
        return None
    return match_field(label, spec.connection)


def _marker_number(found: re.Match[str]) -> int | None:
    if found["p"] or found["d"]:
        return int(normalize(found["p"] or found["d"]))
    if found["q"]:
        return ord(found["q"]) - ord("⑴") + 1
    if found["c"]:
        return ord(found["c"]) - ord("①") + 1
    if found["k"] and found["k"] in GOJUON:
        return GOJUON.index(found["k"]) + 1
    return None


def field_line(line: str, spec: Headers) -> tuple[str, str, int | None, str] | None:
    """(field, label, marker number, value) of a prose field line (（２）担当課　市民課,
    実施機関：市長), or None: no tab, a label naming a field, a value after spaces or a colon."""
    if "\t" in line.strip():
        return None
    found = _FIELD_LINE.match(line)
    if found is None:
        return None
    name = _label_name(found["label"], spec)
    if name is None:
        return None
    return name, found["label"], _marker_number(found), found["value"].strip()


def is_field_line(line: str, spec: Headers) -> bool:
    """A prose block's field line (（３）結合先　株式会社Ｘ): never an agency's sub-heading."""
    return field_line(line, spec) is not None


def _title(line: str, spec: Headers) -> tuple[str, str] | None:
    """(number, title) of a numbered line that is no field line, or None."""
    if "\t" in line or field_line(line, spec) is not None:
        return None
    found = _TITLE.match(line)
    if found is None:
        return None
    if found["c"]:
        number = str(ord(found["c"]) - ord("①") + 1)
    else:
        number = normalize(found["n"] or found["b"] or found["o"])
    return number, found["title"].strip()


def _split_run_on(name: str, label: str, marker: int | None, value: str, spec: Headers) -> list[_Field]:
    """The field of a line, and the fields a PDF's text ran into its value: the next marker (its
    number one more) then a field's name."""
    fields = [_Field(name, label, marker)]
    while marker is not None:
        following = marker + 1
        found = None
        for match in re.finditer(r"[(（]\s*([0-9０-９]{1,3})\s*[)）]", value):
            if int(normalize(match[1])) == following and match.start() > 0:
                parsed = field_line(value[match.start() :], spec)
                if parsed is not None:
                    found = (match.start(), parsed)
                    break
        if found is None:
            break
        start, (name, label, marker, rest) = found
        fields[-1].lines.append((value[:start].strip(), False))
        fields.append(_Field(name, label, marker))
        value = rest
    fields[-1].lines.append((value, False))
    return fields


def _closing(line: str) -> bool:
    return match_key(line) in _spec().closing


def _stops(line: str, spec: Headers) -> bool:
    """A line no value goes on to: a note, a closing line (以上), a section's heading."""
    text = line.strip()
    heading = _HEADING_START.match(text) is not None and any(
        word in normalize(text) for words in spec.section_words.values() for word in words
    )
    return heading or text.startswith((*spec.note_markers, *spec.note_words)) or _closing(text)


def _goes_on(
    lines: list[tuple[int, str]], filled: list[int], kinds: list[str], position: int, spec: Headers
) -> bool:
    """Whether the block goes on at ``position`` (after wrapped lines, none a note, a closing line
    or a heading): a field line or the next block's title comes before any of those."""
    for index, kind in zip(filled[position:], kinds[position:], strict=False):
        if kind in ("field", "title"):
            return True
        if _stops(lines[index][1], spec):
            return False
    return False


def _blocks(lines: list[tuple[int, str]], spec: Headers) -> list[_Block]:
    """The section's prose blocks, each with its fields, in order."""
    filled = [i for i, (_, line) in enumerate(lines) if line.strip()]
    kinds: list[str] = []  # per filled line: "field", "title" (followed by a field line), "other"
    for position, index in enumerate(filled):
        line = lines[index][1]
        if "\t" in line.strip():
            kinds.append("other")
        elif field_line(line, spec) is not None:
            kinds.append("field")
        elif (
            _title(line, spec) is not None
            and not any(word in normalize(line) for words in spec.section_words.values() for word in words)
            and position + 1 < len(filled)
            and field_line(lines[filled[position + 1]][1], spec) is not None
        ):
            kinds.append("title")
        else:
            kinds.append("other")
    blocks: list[_Block] = []
    block: _Block | None = None
    for position, index in enumerate(filled):
        line_no, line = lines[index]
        kind = kinds[position]
        if kind == "title":
            number, title = _title(line, spec) or ("", "")
            block = _Block(line_no, number, title, lines=[line_no])
            blocks.append(block)
            continue
        if block is None:
            continue
        if kind == "field":
            parsed = field_line(line, spec)
            assert parsed is not None
            markers = [f.marker for f in block.fields if f.marker is not None]
            if parsed[2] is not None and markers and parsed[2] <= markers[-1]:
                block = None  # （３）… after （１０）…: the block's fields are numbered in order
                continue
            block.fields.extend(_split_run_on(*parsed, spec))
            block.lines.append(line_no)
            continue
        if not block.fields or _stops(line, spec) or _title(line, spec) is not None:
            block = None
            continue
        previous = filled[position - 1] if position else -1
        if index != previous + 1 and not _goes_on(lines, filled, kinds, position + 1, spec):
            block = None  # after a blank line a line goes on only when the block goes on after it
            continue
        indented = line[:1] in (" ", "\u3000") and line.strip() != line
        block.fields[-1].lines.append((line.strip(), indented))
        block.lines.append(line_no)
    return [b for b in blocks if len({f.name for f in b.fields}) >= _spec().min_fields]


@cache
def _separators() -> dict[str, str]:
    """data/reference/sources.toml [line_breaks]: a typed break's separator in each list field."""
    breaks = reference_toml("sources.toml").get("line_breaks", {})
    return {name: value for name, value in breaks.items() if isinstance(value, str)}


def _joined(before: str, after: str) -> str:
    """A wrapped value's two pieces as one, as read/wrapping.joined_text joins a wrapped cell's:
    Japanese without a space, a space between Latin letters or digits or before a numbering marker."""
    left, right = before.rstrip(), after.lstrip()
    latin = left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum()
    return f"{left} {right}" if left and (latin or marker_at(right)) else left + right


def _value(name: str, lines: list[tuple[str, bool]]) -> str:
    """A field's lines as one value: a wrapped line joins as a wrapped cell's (Japanese without a
    space); an indented line under a list field's value is the list's next entry."""
    separator = _separators().get(name.replace("to_items", "items").replace("from_items", "items"))
    value = ""
    for text, indented in lines:
        if not value:
            value = text
        elif (
            separator
            and separator.strip()
            and not value.endswith(separator)
            and (indented or (name == "statutes" and _next_statute(value, text)))
        ):
            value = f"{value}{separator}{text}"
        else:
            value = _joined(value, text)
    if name == "statutes" and separator:
        value = _statutes_apart(value, separator)
    return value


def _next_statute(value: str, line: str) -> bool:
    """Whether ``line``, wrapped under a statutes value ending with a whole citation (…第１１３条の３),
    is the next statute: it opens no article number nor a word going on with the citation, and
    holds a citation of its own."""
    prose = _spec()
    text = normalize(line).strip()
    ends = [m for m in prose.citation.finditer(normalize(value)) if m.end() == len(normalize(value).rstrip())]
    return (
        bool(ends)
        and not text[:1].isdigit()
        and not text.startswith(tuple(normalize(w) for w in prose.citation_continues))
        and prose.citation.search(text) is not None
    )


def _statutes_apart(value: str, separator: str) -> str:
    """Statutes run together in one line (…法第１１３条の３行政手続における…法律第１９条第６号: a
    typed break the copy lost) with the list's separator between them."""
    prose = _spec()
    text = normalize(value)
    if len(text) != len(value):
        return value  # the positions of the normalised text are no positions of the value
    cuts = [m.end() for m in prose.citation.finditer(text) if _next_statute(text[: m.end()], text[m.end() :])]
    for cut in reversed(cuts):
        value = f"{value[:cut]}{separator}{value[cut:]}"
    return value


def prose_block_lines(lines: list[tuple[int, str]]) -> frozenset[int]:
    """The lines of the report's prose blocks (their titles, field lines and wrapped lines): none of
    them is a section heading (（２）担当課　市民課 opens no section (2)) nor an agency's sub-heading
    (（３）結合先　株式会社Ｘ names no implementing agency)."""
    return frozenset(n for block in _blocks(lines, headers()) for n in block.lines)


def prose_block_table(
    lines: list[tuple[int, str]], spec: Headers, state: ParseState
) -> list[tuple[int, str]]:
    """The section's lines with its prose blocks replaced by a header row and one tab-separated row
    per block; the lines unchanged when the section holds a table or no such blocks."""
    if any("\t" in line.strip() for _, line in lines):
        return lines
    blocks = _blocks(lines, spec)
    if not blocks:
        return lines
    prose = _spec()
    council = any(
        f.name == "legal_basis" and match_key(f.label) not in prose.statutes for b in blocks for f in b.fields
    )
    columns: dict[str, str] = {}  # column key → header cell
    rows: list[tuple[int, dict[str, str]]] = []
    for block in blocks:
        cells: dict[str, str] = {}

        def put(key: str, header: str, value: str, cells: dict[str, str] = cells) -> None:
            if key in cells:  # a second line of one field: a column of its own, kept as written
                key, header = f"key:{header}", header
            columns.setdefault(key, header)
            cells[key] = value

        named = {f.name for f in block.fields}
        if "number" not in named:
            put("number", spec.connection["number"][0], block.number)
        if "business" not in named and block.title:
            put("business", spec.connection["business"][0], block.title)
        for item in block.fields:
            statutes = item.name == "legal_basis" and council and match_key(item.label) in prose.statutes
            value = _value("statutes" if statutes else item.name, item.lines)
            if item.name in ("to_items", "from_items"):
                put("items", spec.connection["items"][0], value)
                word = prose.to_word if item.name == "to_items" else prose.from_word
                put("direction", prose.direction_column, word)
            elif item.name == "period":
                period = prose.period.match(value)
                if period is None:
                    put(f"key:{item.label}", item.label, value)
                else:
                    put("start_date", spec.connection["start_date"][0], period["start"].strip())
                    put("end_date", spec.connection["end_date"][0], period["end"].strip())
            elif statutes:
                put("statutes", spec.connection["statutes"][0], value)
            elif item.name == "agency":
                put("agency", item.label, value)
            else:
                put(item.name, columns.get(item.name, item.label), value)
        rows.append((block.line, cells))
    read = {n for b in blocks for n in b.lines}
    first, last = blocks[0].line, max(read)
    state.inform(
        first,
        "",
        f"{len(blocks)} connection(s) written as prose blocks (a numbered title, then one 「（１）label　"
        f"value」 line per field; lines {first} to {last}) read as a table with the columns "
        + " / ".join(columns.values()),
    )
    keys = list(columns)
    table = [(first, "\t".join(columns.values()))]
    table += [(line, "\t".join(cells.get(k, "").replace("\t", " ") for k in keys)) for line, cells in rows]
    closing = [(n, line) for n, line in lines if n > first and n not in read and _closing(line)]
    for line_no, line in closing:  # 以上 under the last block: the document's end, no value, no row
        state.inform(
            line_no, "", "the document's closing word under its prose blocks: no field", line.strip()
        )
    others = [(n, line) for n, line in lines if n not in read and (n, line) not in closing]
    return sorted([*table, *others], key=lambda pair: pair[0])
