"""The columns of a connection table: which line is its header row, which a data row, and which
field each header cell names (headers.toml [connection]), with what each section's table must have.

A missing required column is an error at the header row; an optional one the header lacks is a
warning there (its values are unknown, which is not the same as blank); an unknown column is kept
as written; a second column for one field is kept only as written. Two item columns split by
direction (提供する個人情報 / 受領する個人情報) are the fields items_to and items_from. A header as loose as 区分 or
結合の形態 names the status or direction column only when its cells are that column's words.
"""

from __future__ import annotations

import re
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.directed import directed_columns, directed_party_columns
from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import compact, match_key
from ketsugo.read.table import NUMBER, whole_number

# A line that is only a bracketed name inside a connection table: a group of the rows below it
GROUP_HEADING = re.compile(r"^[【［\[]\s*(?P<group>[^】］\]]{1,30})\s*[】］\]]$")


# A number before a heading's name: 1　/ １． / (1) / ⑴ / 第1
_HEADING_NUMBER = re.compile(r"^(?:[（(]?\s*[0-9０-９]{1,3}\s*[)）.．、]?|[⑴-⒇①-⑳]|第\s*[0-9０-９]{1,2})\s*")


@cache
def _department_heading_words() -> tuple[str, tuple[str, ...], int]:
    """The marks, the name endings and the longest line of headers.toml [department_headings]."""
    spec = reference_toml("headers.toml").get("department_headings", {})
    return "".join(spec.get("marks", ())), tuple(spec.get("endings", ())), int(spec.get("max_length", 40))


def department_heading(line: str) -> tuple[str, str] | None:
    """(the department, the words before it) a line of its own names, or None: 「1　市民防災部 市民課」 →
    (市民課, 市民防災部); 【市民課】 / ■税務課 → (市民課, ""). A heading is a short line without tabs or
    sentence marks whose last word ends as a department's name does (headers.toml
    [department_headings]); whether it heads a table is the caller's to decide (a table with no 課
    column right below it)."""
    marks, endings, longest = _department_heading_words()
    text = line.strip()
    if not text or "\t" in line or len(text) > longest or any(c in text for c in "。、，,：:；;"):
        return None
    text = _HEADING_NUMBER.sub("", text).strip(marks + " \u3000").strip()
    words = text.split()
    if not words or not words[-1].endswith(endings) or len(words) > 3:
        return None
    name = words[-1]
    if len(name) < 2 or name in endings or NUMBER.match(compact(name)):
        return None
    return name, " ".join(words[:-1])


@cache
def _register_columns() -> tuple[tuple[str, frozenset[str]], ...]:
    """(field, header keys) of headers.toml [register]: the columns of an open-data register."""
    spec = reference_toml("headers.toml").get("register", {})
    return tuple((name, frozenset(match_key(a) for a in aliases)) for name, aliases in spec.items())


def register_field(cell: str) -> str | None:
    """The field an open-data register's header cell names EXACTLY (headers.toml [register]): ID →
    number, 実施機関 → agency, 年度 → fiscal_year, 全国地方公共団体コード → municipality_code …"""
    key = match_key(cell)
    return next((name for name, keys in _register_columns() if key in keys), None) if key else None


def column_field(cell: str, spec: Headers) -> str | None:
    """The field a header cell names: a register's column (exactly), else headers.toml [connection]."""
    return register_field(cell) or match_field(cell, spec.connection)


def names_departments(cells: list[str], spec: Headers) -> bool:
    """A header row with a 課 column of its own."""
    return any(match_field(c, spec.connection) == "departments" for c in cells)


def expected_columns(spec: Headers) -> str:
    """The columns a new-connection table must name, for a message."""
    names = [spec.connection[name][0] for name in (*spec.required, "start_date")]
    return ", ".join(names)


def grouped_column_name(
    top: str, below: str, taken: set[str] | frozenset[str] = frozenset(), spanning: str = ""
) -> str:
    """The name of a column under a header cell spanning several (a two-level header), as a careful
    reader reads it: the sub-column's own name decides when it names a field by itself (法令 under
    根拠 is the statutes, not a second 根拠; 開始年月日 under 結合の期間 the start date); the group
    decides when the sub-column alone names none (名称 under 結合の相手方: the counterparties) — but
    only once: a field the group's columns already have (``taken``) is not given again (提供方法 or
    所在地 beside 名称 under 結合の相手方 stays a column of its own, kept as written). Both texts are
    kept where they name the same field as the sub-column alone.

    A sub-column that is a part of its group's one cell (審議日 | 結果 under 個人情報保護審議会: headers.toml
    [grouped_parts]) keeps the group's name however often: the parts are then read as one cell
    (:func:`joined_parts`). In a text copy a merged cell names only the first column it spans: the
    sub-column under a blank upper cell is a part of ``spanning`` (the nearest upper cell to its
    left) when its name is one of that field's parts."""
    top, below = top.strip(), below.strip()
    if not top and below and spanning.strip() and _is_part_name(spanning.strip(), below):
        return f"{spanning.strip()} {below}"
    if not (top and below):
        return top or below
    spec = headers()
    both = f"{top} {below}"
    own, joined = match_field(below, spec.connection), match_field(both, spec.connection)
    if _is_part_name(top, below):
        return both
    if own is not None:
        return both if joined == own else below
    return below if joined is not None and joined in taken else both


def _is_part_name(group: str, below: str) -> bool:
    """``below`` names a part of the one cell of the field ``group`` names (headers.toml [grouped_parts])."""
    spec = headers()
    field_name = match_field(group, spec.connection)
    parts = (spec.grouped_parts or {}).get(field_name or "", frozenset())
    return match_key(below) in parts and match_field(f"{group} {below}", spec.connection) == field_name


def is_part_column(header: list[str], first: int, index: int, name: str) -> bool:
    """Column ``index`` is a part of field ``name``'s one cell begun at column ``first``: both stand
    under one merged header cell naming the field (個人情報保護審議会 審議日 | 個人情報保護審議会 結果), and
    its own name is one of the field's parts (headers.toml [grouped_parts])."""
    group, _, own = header[index].strip().rpartition(" ")
    parts = (headers().grouped_parts or {}).get(name, frozenset())
    return bool(group) and match_key(own) in parts and header[first].strip().startswith(f"{group} ")


# A part saying nothing: a dash (－, ー, ―) alone
_DASH_ONLY = re.compile(r"^[-ー―]+$")


def joined_parts(cells: list[str], header: list[str], fields: dict[str, int]) -> list[str]:
    """A row's cells with each field given in parts (:func:`is_part_column`) read as one cell: the
    parts' texts joined by a space in the field's first column (令和7年5月27日 | 承認 → 令和7年5月27日
    承認; a dash part says nothing: － | 不要 → 不要), the other parts' cells emptied; the header row's
    info says so, and the joined cell keeps every text that says something."""
    out = list(cells)
    for name, first in fields.items():
        parts = [
            i
            for i in range(first + 1, min(len(header), len(out)))
            if match_field(header[i], headers().connection) == name and is_part_column(header, first, i, name)
        ]
        if not parts or first >= len(out):
            continue
        said = [
            t for t in (out[i].strip() for i in (first, *parts)) if t and not _DASH_ONLY.match(match_key(t))
        ]
        if said:
            out[first] = " ".join(said)
        for i in parts:
            out[i] = ""
    return out


def is_data_row(cells: list[str], fields: dict[str, int]) -> bool:
    """A row that starts a connection: a whole number in its No. column."""
    index = fields.get("number", 0)
    return index < len(cells) and whole_number(cells[index]) is not None


def is_connection_header(cells: list[str], spec: Headers) -> bool:
    """A header row names No. and the items or the counterparties, at least three fields in all,
    and holds no bare number (a data row whose cells mention 番号 or 項目 is not a header)."""
    if any(NUMBER.match(compact(c)) for c in cells):
        return False
    found = {column_field(c, spec) for c in cells} - {None}
    return len(found) >= 3 and ({"number", "counterparties"} <= found or {"number", "items"} <= found)


def connection_fields(
    cells: list[str],
    line_no: int,
    section: int,
    spec: Headers,
    state: ParseState,
    below: list[list[str]] | None = None,
    given: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Field → column index of a header row, with a finding for each column that is missing, unknown
    or named twice (what is required depends on the section; ``given``: fields a heading above the
    table gives every row, such as the department). ``below``: the table's lines under the
    header, split into cells, which decide what a header such as 区分 names (:func:`_by_cells`)."""
    fields: dict[str, int] = {}
    by_cells = _by_cells(cells, spec, below or [])
    directed = directed_columns(cells, spec)  # 提供する個人情報 / 受領する個人情報: the items, split
    parties = directed_party_columns(cells, spec)  # 提供先 / 受領元: the counterparty, split
    for index, cell in enumerate(cells):
        name = directed.get(index) or parties.get(index) or column_field(cell, spec)
        if name is None and match_key(cell) in spec.row_status_columns:
            name = "status"  # 新規・廃止の別: new / ended / changed, row by row (headers.toml [row_status])
        if name is None and match_key(cell) in spec.direction_columns:
            name = "direction"  # 提供・受領の別: which way data flows (headers.toml [direction])
        if name is None:
            name = by_cells.get(index)  # 区分 / 結合の形態 whose cells are status / direction words
        if name is None:
            if match_key(cell) in spec.remarks_columns:  # 備考: the report's notes, an expected column
                state.inform(line_no, cell, "remarks column: its cells are kept as written")
            elif cell.strip():
                state.warn(line_no, cell, "unknown column: its cells are kept as written")
            continue
        if name in fields and is_part_column(cells, fields[name], index, name):
            state.inform(
                line_no,
                cell,
                f"a part of the cell of {cells[fields[name]]!r} (field {fields[name] + 1}) under one merged "
                "header: the two are read as one cell, their texts joined",
            )
            continue
        if name in fields:
            first = fields[name]
            state.problem(
                line_no,
                cell,
                f"a second column for the same field as {cells[first]!r} (field {first + 1}): "
                f"field {index + 1} is kept only as written",
            )
            continue
        fields[name] = index
    if not {"start_date", "end_date", "change_date"} & set(fields):
        state.problem(
            line_no,
            spec.connection["start_date"][0],
            "required column missing from the header row: expected a cell named "
            + " / ".join((*spec.connection["start_date"], *spec.connection["end_date"])),
        )
    rule = spec.required_by_status["new" if section == 2 else "ended"]
    present = set(fields) | given | ({"items"} if directed else set())  # the two item columns: the items
    present |= {"counterparties"} if parties else set()  # 提供先 / 受領元: the counterparty
    for name in rule.fields:
        if name not in present:
            state.problem(
                line_no,
                spec.connection[name][0],
                "required column missing from the header row: expected a cell named "
                + " / ".join(spec.connection[name]),
            )
    for group in rule.any_of:
        if not any(name in present for name in group):
            state.problem(
                line_no,
                spec.connection[group[0]][0],
                "required column missing from the header row: expected a cell named "
                + " / ".join(alias for name in group for alias in spec.connection[name]),
            )
    if not rule.warn_absent:
        return fields
    # The date of the other section (an end date among new connections, a start date among
    # ended ones) is not expected; a missing required column is an error above.
    not_expected = {2: "end_date", 3: "start_date"}[section]
    for name, aliases in spec.connection.items():
        if name in present or name in rule.fields or name in (not_expected, "change_date", "statutes"):
            continue  # a statutes column of its own is rare: the council column cites them mostly
        if name == "legal_basis" and "statutes" in present:
            continue  # the statutes column is then the legal basis
        if "start_date" not in fields and "end_date" not in fields and name in ("start_date", "end_date"):
            continue
        if (section, name) not in state.absent_reported:
            state.absent_reported.add((section, name))
            state.warn(line_no, aliases[0], f"column {aliases[0]} not in the header: its values are unknown")
    return fields


def _by_cells(header: list[str], spec: Headers, below: list[list[str]]) -> dict[int, str]:
    """Column index → "status" or "direction" for the header cells that name such a column only
    by what its cells hold (headers.toml ``columns_by_cells``): 区分 is the status column when more
    than half of its non-blank cells in the data rows are status words (新規, 廃止, 変更, 継続), not
    when they are 委託 or 照会; 結合の形態 the direction when they are 提供 / 受領, not 専用回線."""
    vocabularies = (
        ("status", spec.row_status_by_cells, spec.row_status or {}),
        ("direction", spec.direction_by_cells, spec.direction or {}),
    )
    ambiguous = [
        i for i, c in enumerate(header) if any(match_key(c) in heads for _, heads, _ in vocabularies)
    ]
    if not ambiguous:
        return {}
    number = next((i for i, c in enumerate(header) if column_field(c, spec) == "number"), 0)
    rows = [cells for cells in below if is_data_row(cells, {"number": number})]
    found: dict[int, str] = {}
    for index in ambiguous:
        values = [match_key(r[index]) for r in rows if index < len(r) and r[index].strip()]
        for name, heads, words in vocabularies:
            if (
                match_key(header[index]) in heads
                and values
                and 2 * sum(v in words for v in values) > len(values)
            ):
                found[index] = name
                break
    return found


def header_of(header: list[str], fields: dict[str, int], name: str) -> str:
    """The header cell of a field's column as written, or its first alias when there is none (for messages)."""
    index = fields.get(name)
    return header[index] if index is not None else headers().connection[name][0]
