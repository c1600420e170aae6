"""The words a report's tables are read by: header aliases and cell marks (data/reference/headers.toml).

Columns are found by their header names, never by position; the vocabulary (header aliases, what
each section's table must have, the ○ marks, 実績はありません, note markers, section keywords) is
data, read once, so a new wording is a line in headers.toml rather than a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.normalize import match_key


@dataclass(frozen=True)
class Required:
    """What a connection table of one section must have (headers.toml [required.new] / [required.ended])."""

    fields: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]  # at least one field of each group
    warn_absent: bool  # warn at the header row about each optional column it lacks


@dataclass(frozen=True)
class Headers:
    """Header aliases and cell vocabularies read from data/reference/headers.toml."""

    connection: dict[str, tuple[str, ...]]
    required: tuple[str, ...]  # the fields a new-connection table must have
    required_by_status: dict[str, Required]  # "new" / "ended" → what that section's table must have
    summary: dict[str, tuple[str, ...]]
    letters: dict[str, str]
    true_marks: frozenset[str]
    false_marks: frozenset[str]
    none_statements: frozenset[str]
    note_markers: tuple[str, ...]
    fillers: frozenset[str]  # match keys of 以下余白 and the like: layout, never a cell
    section_words: dict[int, tuple[str, ...]]  # section number → keywords of its heading
    section_marks: tuple[str, ...] = ()  # ■ ◆ …: a heading with a keyword may start with one
    closing_words: tuple[str, ...] = ()  # a heading naming one opens the closing block (問い合わせ先)
    bare_endings: tuple[str, ...] = ()  # a heading with no number or mark ends with one (…外部結合)
    bare_max_length: int = 0  # and is at most this long
    closing_line_words: tuple[str, ...] = ()  # 問い合わせ先：…: a line opening the closing block
    # [row_status]: match keys of the headers of a column saying of each row new / ended / changed,
    # and of the words its cells may hold, by the status they give ("new", "ended", "changed",
    # "continued")
    row_status_columns: frozenset[str] = frozenset()
    row_status: dict[str, str] | None = None
    # headers naming the status column only when its cells are status words (区分)
    row_status_by_cells: frozenset[str] = frozenset()
    # [direction]: the headers of a column saying which way data flows, and its words by value
    # ("to_party", "from_party", "both")
    direction_columns: frozenset[str] = frozenset()
    direction: dict[str, str] | None = None
    # headers naming the direction column only when its cells are direction words (結合の形態)
    direction_by_cells: frozenset[str] = frozenset()
    # [remarks]: headers of a column of the report's own notes (備考), kept as written with an info
    remarks_columns: frozenset[str] = frozenset()
    mark_words: tuple[str, ...] = ()  # ※印, ※を付した: a note explaining a mark (headers.toml [notes])
    # [ditto]: match keys of the marks standing for the cell above (同上, 〃), and the fields whose
    # blank cell under a filled one is the rest of a merged cell
    ditto_marks: frozenset[str] = frozenset()
    # [directed_items]: match keys of the headers of the items given (提供する個人情報) and received
    # (受領する個人情報) when a table splits them, and of the cells saying "none" there (－)
    items_to_columns: frozenset[str] = frozenset()
    items_from_columns: frozenset[str] = frozenset()
    no_items: frozenset[str] = frozenset()
    # [directed_parties]: match keys of the headers of the party given to (提供先) and the party
    # received from (受領元) when a table splits them
    parties_to_columns: frozenset[str] = frozenset()
    parties_from_columns: frozenset[str] = frozenset()
    merged_fields: tuple[str, ...] = ()
    ditto_left_marks: frozenset[str] = frozenset()  # 同左: the cell to the left in the row
    note_words: tuple[str, ...] = ()  # （注）, 注）: words a note line may start with besides the marks
    # [report_lines]: match keys of the labels of a date line about the report (作成日, 更新日), of the
    # words of a count line under a table (計, 合計) and of its units (件)
    date_labels: frozenset[str] = frozenset()
    count_words: frozenset[str] = frozenset()
    count_units: tuple[str, ...] = ()
    # [grouped_parts]: field → match keys of sub-column names that are parts of that field's one cell
    # under a merged header naming the field (個人情報保護審議会 over 審議日 | 結果)
    grouped_parts: dict[str, frozenset[str]] | None = None
    zero_counts: frozenset[str] = frozenset()  # [summary] zero: a count cell saying none (－)
    summary_units: tuple[str, ...] = ()  # [summary] units: after a count (4件)


@cache
def headers() -> Headers:
    """The vocabulary of headers.toml, read once (every table line is matched against it)."""
    data = reference_toml("headers.toml")
    connection = {k: tuple(v) for k, v in data["connection"].items()}
    summary = {k: tuple(v) for k, v in data["summary"].items() if k not in ("letters", "zero", "units")}
    marks = data["specific_personal_information"]
    required = {
        status: Required(
            tuple(rule["fields"]), tuple(tuple(group) for group in rule["any_of"]), rule["warn_absent"]
        )
        for status, rule in data["required"].items()
    }
    sections = data["sections"]
    return Headers(
        connection=connection,
        required=required["new"].fields,
        required_by_status=required,
        section_words={
            1: tuple(sections["summary"]),
            2: tuple(sections["new"]),
            3: tuple(sections["ended"]),
            4: tuple(sections.get("changed", ())),  # changes to existing connections (変更したもの)
        },
        section_marks=tuple(sections.get("marks", ())),
        closing_words=tuple(sections.get("closing", ())),
        bare_endings=tuple(sections.get("bare_endings", ())),
        bare_max_length=int(sections.get("bare_max_length", 0)),
        closing_line_words=tuple(sections.get("closing_line", ())),
        summary=summary,
        letters={match_key(k): v for k, v in data["summary"]["letters"].items()},
        true_marks=frozenset(match_key(m) for m in marks["true"]),
        false_marks=frozenset(match_key(m) for m in marks["false"]),
        none_statements=frozenset(match_key(s) for s in data["statements"]["none"]),
        note_markers=tuple(data["notes"]["markers"]),
        mark_words=tuple(data["notes"].get("mark_words", ())),
        fillers=frozenset(match_key(f) for f in data["notes"].get("fillers", ())),
        row_status_columns=frozenset(match_key(c) for c in data.get("row_status", {}).get("columns", ())),
        row_status={
            match_key(word): status
            for status in ("new", "ended", "changed", "continued")
            for word in data.get("row_status", {}).get(status, ())
        },
        row_status_by_cells=frozenset(
            match_key(c) for c in data.get("row_status", {}).get("columns_by_cells", ())
        ),
        direction_columns=frozenset(match_key(c) for c in data.get("direction", {}).get("columns", ()))
        | _both_ways(data.get("direction", {})),
        remarks_columns=frozenset(match_key(c) for c in data.get("remarks", {}).get("columns", ())),
        ditto_marks=frozenset(match_key(m) for m in data.get("ditto", {}).get("marks", ())),
        merged_fields=tuple(data.get("ditto", {}).get("merged", ())),
        ditto_left_marks=frozenset(match_key(m) for m in data.get("ditto", {}).get("left_marks", ())),
        items_to_columns=frozenset(match_key(c) for c in data.get("directed_items", {}).get("to_party", ())),
        items_from_columns=frozenset(
            match_key(c) for c in data.get("directed_items", {}).get("from_party", ())
        ),
        no_items=frozenset(match_key(c) for c in data.get("directed_items", {}).get("none", ())),
        parties_to_columns=frozenset(
            match_key(c) for c in data.get("directed_parties", {}).get("to_party", ())
        ),
        parties_from_columns=frozenset(
            match_key(c) for c in data.get("directed_parties", {}).get("from_party", ())
        ),
        direction={
            **dict.fromkeys(_both_ways(data.get("direction", {})), "both"),
            **{
                match_key(word): way
                for way in ("to_party", "from_party", "both")
                for word in data.get("direction", {}).get(way, ())
            },
        },
        direction_by_cells=frozenset(
            match_key(c) for c in data.get("direction", {}).get("columns_by_cells", ())
        ),
        zero_counts=frozenset(match_key(w) for w in data["summary"].get("zero", ())),
        summary_units=tuple(match_key(w) for w in data["summary"].get("units", ())),
        note_words=tuple(data["notes"].get("lead_words", ())),
        date_labels=frozenset(match_key(w) for w in data.get("report_lines", {}).get("date_labels", ())),
        count_words=frozenset(match_key(w) for w in data.get("report_lines", {}).get("count_words", ())),
        count_units=tuple(match_key(w) for w in data.get("report_lines", {}).get("count_units", ())),
        grouped_parts={
            name: frozenset(match_key(w) for w in words)
            for name, words in data.get("grouped_parts", {}).items()
        },
    )


def _both_ways(direction: dict[str, list[str]]) -> frozenset[str]:
    """Match keys of a word of each way written one after the other (提供受領, 受領提供): a cell of
    the direction column, or its header, whose two lines (提供 / 受領) were joined as wrapped text
    is (names) both ways — a print or a copy gives no separator between them."""
    to, back = direction.get("to_party", ()), direction.get("from_party", ())
    return frozenset(match_key(a + b) for t in to for f in back for a, b in ((t, f), (f, t)))


def match_field(header: str, aliases: dict[str, tuple[str, ...]]) -> str | None:
    """The field a header names: an exact alias first, else the longest alias it contains
    (compared by :func:`ketsugo.read.normalize.match_key`). A one-character alias (課) counts only
    as the whole header, so that 課税区分 names no department column."""
    # answers remembered per table of aliases (every line of a table is asked whether it is a
    # header: cells recur); keyed by the header alone (a key holding the aliases was hashed again at
    # every call, most of this function's cost)
    held = _ANSWERS.get(id(aliases))
    if held is None or held[0] is not aliases or held[1] != len(aliases):
        if len(_ANSWERS) >= 64:
            _ANSWERS.clear()
        held = _ANSWERS[id(aliases)] = (aliases, len(aliases), tuple(aliases.items()), {})
    answers = held[3]
    if header in answers:
        return answers[header]
    found = _match_field(header, held[2])
    if len(answers) >= 8192:
        answers.clear()
    answers[header] = found
    return found


# id of an aliases table → (the table, kept so its id is not reused; its size; its items; header → field)
_ANSWERS: dict[
    int,
    tuple[
        dict[str, tuple[str, ...]],
        int,
        tuple[tuple[str, tuple[str, ...]], ...],
        dict[str, str | None],
    ],
] = {}


def _match_field(header: str, aliases: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    name = match_key(header)
    if not name:
        return None
    best: tuple[int, str] | None = None
    for field_name, names in aliases:
        for alias in names:
            key = _alias_key(alias)
            if key == name:
                return field_name
            if len(key) > 1 and key in name and (best is None or len(key) > best[0]):
                best = (len(key), field_name)
    return best[1] if best else None


@cache
def _alias_key(alias: str) -> str:
    return match_key(alias)


def is_note_line(text: str, spec: Headers) -> bool:
    """The text starts as a note does: a mark (※) or a word (（注）) of headers.toml [notes]."""
    stripped = text.strip()
    return stripped.startswith((*spec.note_markers, *spec.note_words))


def is_statement(line: str, spec: Headers) -> bool:
    """The whole line (normalised, a final 。 aside) is a statement that the table is empty."""
    key = match_key(line)
    return key.removesuffix("。") in spec.none_statements


def names_column(text: str, spec: Headers) -> bool:
    """Whether a header cell names a column the reader knows: a connection field, the direction,
    the row status or the remarks column (headers.toml)."""
    key = match_key(text)
    return bool(key) and (
        match_field(text, spec.connection) is not None
        or key in spec.direction_columns
        or key in spec.row_status_columns
        or key in spec.remarks_columns
        or key in spec.direction_by_cells
        or key in spec.row_status_by_cells
    )


def header_cell(lines: list[str], plain: str, spec: Headers) -> str:
    """A header cell typed over lines (a <br> in a <th>, Alt+Enter) as one name. A header's break
    is a line break inside the name: the lines join without a separator (結合の / 相手方), as
    wrapped text does — unless that names no known column while the lines as parts of one name
    do (提供 / 受領 → 提供・受領: a column of two words, one a line). ``plain``: the lines joined
    as wrapped text."""
    parts = [p for p in (line.strip(" \t\r\u3000\u00a0") for line in lines) if p]
    if len(parts) < 2 or names_column(plain, spec):
        return plain
    with_parts = str(reference_toml("headers.toml")["header_breaks"]["parts"]).join(parts)
    return with_parts if names_column(with_parts, spec) else plain
