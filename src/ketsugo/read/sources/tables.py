"""What every published format becomes before the parser: text lines and tables, in reading order.

The PDF, Excel and HTML readers each turn their file into a list of blocks — a line of text
(a heading, a note, a statement), a table of rows, or a part of the file left out on purpose
(a hidden or sample sheet: a finding) — each with the place it came from. This module writes
those blocks as the tab-separated text form that ketsugo's parser reads (one table row a line,
cells joined by tabs, a blank line between blocks), and keeps a map from each text line to its
place in the published file, so that findings can name that place.

Two things the text form cannot hold are settled here, by the same rules for every format:

- merged cells (an Excel merge, an HTML rowspan/colspan, a PDF cell spanning rows), given as
  :class:`Span`\\ s. A header cell spanning columns over sub-headers in the next row, beside a
  header cell spanning both rows, makes the two rows one header: each column is named by its
  texts top to bottom ("外部結合の内容 結合の相手方"). A cell spanning rows below the table's
  first row is one value for each row it covers (a department written once for several
  connections): it is repeated in each — except the No. cell: a No. merged down over several
  rows makes them one connection (a second counterparty, or the items continued, on the rows
  below), each column's values joined by a typed line break. A span in the first row that is no grouped header (a
  header cell over the header and a letter row) keeps its value in its first cell only; so
  does every span across columns (a title, a note spanning the table).
- a line break typed inside a cell (Alt+Enter, <br>), kept as "\\n" by the readers: in a list
  column (data/reference/sources.toml [line_breaks], by the field the table's header names) it
  separates two entries and reads as the list's separator — except, among counterparties, a
  break inside one party's name (inside a kind of party, beside a legal form alone on its line,
  before an organisation's ending word that completes it: :func:`join_parties`) —; elsewhere it joins like a wrapped line (:func:`join_wrapped`).
- a table written sideways (the field names down its first column, one connection per column) is
  read turned, each cell keeping its place (:func:`is_transposed`), and a line
  holding only a section's name above a table (新規, 件数: a sheet's name) is written as its
  heading (:mod:`ketsugo.read.sources.sectionnames`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from ketsugo.paths import REFERENCE_DIR, reference_toml
from ketsugo.read.addresslines import opens_address
from ketsugo.read.outline import outline_cell

if TYPE_CHECKING:
    from ketsugo.read.headers import Headers

# Characters that, met on both sides of a line break inside a cell, were separated by a space:
# Latin letters, digits and ASCII punctuation. Japanese text wraps anywhere and joins without one.
_ASCII_WORD = re.compile(r"[!-~]")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2000-\u200b\u202f\u205f]+")
# A line that opens with a list marker starts a new item of a list (①…⑳, *, ●, 【…】): its
# break was meant, and a space keeps the items apart whether or not one was written.
_ITEMS = frozenset({"items", "items_to", "items_from"})  # fields whose lines may be an outline
_LIST_MARKER = re.compile(r"[\u2460-\u2473\u2776-\u277f*＊●○■□◆◇▪【]")


@dataclass(frozen=True)
class TextLine:
    """A line outside any table: a title, a section heading, a ※ note, a statement. ``follows``: the
    line stood right under the text line before it, with no gap (the next row of a sheet), so the
    two are lines of one block of text — a card's 項目：内容 lines, a list under its heading — and
    the text form keeps them together, with no blank line between (a blank line ends a card)."""

    text: str
    where: str
    follows: bool = False


@dataclass(frozen=True)
class Serial:
    """A cell holding a bare number that would be a plausible date if it were an Excel date serial
    (43922 in a General cell: Excel shows the number; the person typed or pasted a date)."""

    column: int  # in its table
    date: str  # ISO
    cell: str  # Sheet1!F12


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]  # a line break typed in a cell stays "\n" until the text form is written
    where: str
    serials: tuple[Serial, ...] = ()
    # a PDF's cells: (room left after the last line, width of the first line's first word), to
    # join a row broken across a page as the lines of one cell join (ketsugo.read.sources.pdf)
    edges: tuple[tuple[float, float], ...] = ()
    # each cell's own place (Excel: Sheet1!H13), for a finding about one field; none given: the
    # row's place and the column's number
    places: tuple[str, ...] = ()

    def place_of(self, column: int) -> str:
        """Where the cell of ``column`` stood: its own place, or the row's and the column's number."""
        if column < len(self.places):
            return self.places[column]
        return f"{self.where} column {column + 1}"


@dataclass(frozen=True)
class Note:
    """A choice made while writing the text form, to be reported as a finding at its text line."""

    line: int
    field: str
    message: str
    as_written: str
    severity: str = "info"


@dataclass(frozen=True)
class Span:
    """A merged cell of a table: its value stands at (row, column) and covers rows × columns."""

    row: int
    column: int
    rows: int
    columns: int


@dataclass(frozen=True)
class Skipped:
    """A part of the file left out on purpose (a hidden sheet, a sample sheet, a page's banner):
    a finding, with what it held when that is short enough to show."""

    message: str
    where: str
    as_written: str = ""
    severity: str = "warning"


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


Block = TextLine | Table | Skipped


@dataclass(frozen=True)
class _BreakRules:
    by_field: dict[str, str]
    ends_list: tuple[str, ...]
    opens_continuation: tuple[str, ...]
    sample_sheets: tuple[str, ...]
    serial_fields: frozenset[str]
    serial_years: tuple[int, int]


@cache
def rules() -> _BreakRules:
    """data/reference/sources.toml, read once."""
    data = reference_toml("sources.toml")
    breaks = dict(data["line_breaks"])
    ends, opens = breaks.pop("ends_list"), breaks.pop("opens_continuation")
    serials = data["serial_dates"]
    return _BreakRules(
        breaks,
        tuple(ends),
        tuple(opens),
        tuple(data["sheets"]["samples"]),
        frozenset(serials["fields"]),
        (int(serials["earliest_year"]), int(serials["latest_year"])),
    )


def join_wrapped(lines: Iterable[str]) -> str:
    """The lines of one cell as one line: Japanese text joins without a space (it wraps anywhere);
    where both sides of the break are Latin letters, digits or ASCII signs, or the next line
    opens with a list marker or a party's address (:func:`ketsugo.read.addresslines.opens_address`:
    a name over its address, in a row whose columns are not known), a space is kept."""
    kept = [line for line in (raw.strip(" \t\r\u3000\u00a0") for raw in lines) if line]
    out = ""
    for index, line in enumerate(kept):
        if out and (
            (_ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(line[0]))
            or _LIST_MARKER.match(line[0])
            or opens_address("".join(kept[index:]))
        ):
            out += " "
        out += line
    return out


def join_list(lines: Iterable[str], separator: str) -> str:
    """The lines of a list cell (items, counterparties) as one line: each typed break is the list's
    ``separator``, except after a separator or opening bracket, before a closing bracket or
    separator (nothing needed), and before a list marker (a space, as :func:`join_wrapped`)."""
    spec = rules()
    out = ""
    for raw in lines:
        line = raw.strip(" \t\r\u3000\u00a0")
        if not line:
            continue
        if out and not (out.endswith(spec.ends_list) or line.startswith(spec.opens_continuation)):
            out += " " if _LIST_MARKER.match(line[0]) else separator
        out += line
    return out


@cache
def _party_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Keys (match_key) of the legal forms as written alone (株式会社, (株)) — from
    data/reference/legal-forms.toml —, and of the kinds of unnamed party (LGWAN-ASPサービス提供者:
    the Japanese labels of data/reference/party-kinds.ttl)."""
    import pyoxigraph as ox

    from ketsugo.prefixes import KG
    from ketsugo.read.legalforms import legal_forms
    from ketsugo.read.normalize import match_key

    forms = legal_forms()
    alone = {match_key(f.name) for f in forms}
    alone |= {match_key(f"({a})") for f in forms for a in f.abbreviations}
    quads = list(ox.parse(path=str(REFERENCE_DIR / "party-kinds.ttl"), format=ox.RdfFormat.TURTLE))
    rdf_type, party_kind = (
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(f"{KG}PartyKind"),
    )
    kinds = {q.subject for q in quads if q.predicate == rdf_type and q.object == party_kind}
    labels = {
        match_key(q.object.value)
        for q in quads
        if q.subject in kinds and isinstance(q.object, ox.Literal) and q.object.language == "ja"
    }
    return frozenset(alone), tuple(sorted(labels, key=len, reverse=True))


@dataclass(frozen=True)
class _NameBreaks:
    """data/reference/sources.toml [party_breaks] (match_key), with the registry's Japanese names."""

    tails: tuple[str, ...]
    own_endings: tuple[str, ...]
    opens_name: tuple[str, ...]
    place_opening: re.Pattern[str]
    registry: frozenset[str]


@cache
def _name_breaks() -> _NameBreaks:
    """The wordings of a break inside one party's name, read once."""
    import pyoxigraph as ox

    from ketsugo.read.normalize import match_key

    data = reference_toml("sources.toml")["party_breaks"]
    quads = ox.parse(path=str(REFERENCE_DIR / "organizations.ttl"), format=ox.RdfFormat.TURTLE)
    labels = {
        match_key(q.object.value)
        for q in quads
        if isinstance(q.object, ox.Literal)
        and q.object.language == "ja"
        and q.predicate.value.endswith(("#label", "#prefLabel", "#altLabel"))
    }
    return _NameBreaks(
        tuple(match_key(w) for w in data["tails"]),
        tuple(match_key(w) for w in data["own_endings"]),
        tuple(match_key(w) for w in data["opens_name"]),
        re.compile(data["place_opening"]),
        frozenset(labels),
    )


def name_continues(before: str, after: str) -> bool:
    """Whether a typed break between two lines of a counterparty cell falls inside one party's
    name (地方公共団体情報 / システム機構): the piece after cannot be a party by itself and completes
    the one before (sources.toml [party_breaks]: a registry name joined, or an organisation's
    ending word after a piece with no name ending of its own)."""
    from ketsugo.read.normalize import match_key

    alone, kinds = _party_words()
    words = _name_breaks()
    b, a = match_key(before), match_key(after)
    if not b or not a or b in alone or a in alone:
        return False
    if b in words.registry or a in words.registry:
        return False
    if b + a in words.registry:
        return True
    return (
        a.endswith(words.tails)
        and not a.startswith(words.opens_name)
        and not words.place_opening.match(a)
        and not _has_form(a, alone)
        and not _has_form(b, alone)
        and not b.endswith(words.tails + words.own_endings)
        and not any(k in b for k in kinds)
    )


def opens_another_party(before: str, after: str) -> bool:
    """Whether a line of a counterparty cell copied as text (a web page's <br> lines, with nothing
    between them) starts a second party: it opens with a legal form or a name's opening word
    (sources.toml [party_breaks] opens_name: 公益社団法人…, 株式会社…) after a line that is a whole
    name (a legal form, or a name ending of its own: …連合会, …株式会社) — no name of one party
    breaks so (the break inside 愛知県国民健康保険団体連 / 合会 ends no name)."""
    from ketsugo.read.normalize import match_key

    alone, _ = _party_words()
    words = _name_breaks()
    b, a = match_key(before), match_key(after)
    if not b or not a or a in alone or name_continues(before, after):
        return False
    opens = a.startswith(words.opens_name) or any(a.startswith(form) for form in alone)
    whole = b.endswith(words.tails + words.own_endings) or _has_form(b, alone) or b in words.registry
    return opens and whole


def join_parties(lines: Iterable[str], separator: str) -> tuple[str, list[str], list[str]]:
    """The lines of a counterparty cell as one line (:func:`join_list`), except that a typed break
    inside one party's name joins without the separator: a break inside a kind of party
    ("LGWAN-ASP" / "サービス提供者"), and a break beside a legal form standing alone on its line
    ("株式会社" / "ABC", "ABC" / "(株)") — a legal form alone is no party. A legal form alone
    between two names is read with the next one (a break typed right after it) unless the name
    before already has its legal form; that choice is returned as a remark (a warning). A break
    inside an organisation's name (:func:`name_continues`: 社会保険診療報酬 / 支払基金) joins too,
    each such join returned as an info (the third element)."""
    from ketsugo.read.normalize import match_key

    alone, kinds = _party_words()
    pieces = [p for p in (raw.strip(" \t\r\u3000\u00a0") for raw in lines) if p]
    keys = [match_key(p) for p in pieces]
    lone = [k in alone for k in keys]
    joined = [False] * len(pieces)  # joined[i]: the break before pieces[i] joins without a separator
    remarks = []
    for i in range(1, len(pieces)):
        before, after = keys[i - 1], keys[i]
        straddles = any(
            0
            <= (at := (before + after).find(k, max(0, len(before) - len(k) + 1)))
            < len(before)
            < at + len(k)
            for k in kinds
        )
        joined[i] = straddles or (lone[i - 1] and not lone[i])
    infos = []
    for i in range(1, len(pieces)):
        if not joined[i] and name_continues(pieces[i - 1], pieces[i]):
            joined[i] = True
            infos.append(
                f"line break inside a party's name: {pieces[i - 1]!r} and {pieces[i]!r} read as one party "
                f"{pieces[i - 1] + pieces[i]!r} (the line after cannot be a party by itself)"
            )
    for i in range(1, len(pieces)):
        if not lone[i] or lone[i - 1]:
            continue
        if not (i + 1 < len(pieces) and joined[i + 1]):
            joined[i] = True  # the last piece, or before a piece it does not join: the name before it
        elif not _has_form(keys[i - 1], alone):
            remarks.append(
                f"legal form {pieces[i]!r} alone on a line between {pieces[i - 1]!r} and {pieces[i + 1]!r}: "
                f"read as {pieces[i] + pieces[i + 1]!r}, not as {pieces[i - 1] + pieces[i]!r} (check the name)"
            )
    out = ""
    spec = rules()
    for i, piece in enumerate(pieces):
        if (
            out
            and not joined[i]
            and not (out.endswith(spec.ends_list) or piece.startswith(spec.opens_continuation))
        ):
            out += " " if _LIST_MARKER.match(piece[0]) else separator
        out += piece
    return out, remarks, infos


def _has_form(key: str, alone: frozenset[str]) -> bool:
    """Whether a name (its match_key) opens or ends with a legal form."""
    return any(key != form and (key.startswith(form) or key.endswith(form)) for form in alone)


def cell_lines(text: str | None) -> str:
    """A cell's text with its typed line breaks kept as "\\n" (each line trimmed, empty lines and
    tabs — which separate cells in the text form — dropped)."""
    if not text:
        return ""
    lines = (collapse_spaces(line.replace("\t", " ")) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def cell_text(text: str | None) -> str:
    """A cell's text for the text form: wrapped lines joined, no tabs (they separate cells)."""
    if not text:
        return ""
    return join_wrapped(text.replace("\t", " ").splitlines())


def collapse_spaces(text: str) -> str:
    """Runs of white space as one space (no-break spaces too); full-width spaces as written."""
    return _SPACES.sub(lambda m: "\u3000" if set(m.group()) == {"\u3000"} else " ", text).strip()


def has_table(blocks: Sequence[Block]) -> bool:
    return any(isinstance(b, Table) and b.rows for b in blocks)


def resolved_rows(table: Table) -> list[Row]:
    """The table's rows with its merged cells settled (see the module's docstring)."""
    grid = [list(r.cells) for r in table.rows]
    places = [r.where for r in table.rows]
    serials = [r.serials for r in table.rows]
    cell_places = [r.places for r in table.rows]
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend([""] * (width - len(row)))
    # where each cell's value was written: its own place, or the merged cell covering it
    origin = [[(r, c) for c in range(width)] for r in range(len(grid))]
    spans = [s for s in table.spans if s.rows > 1 or s.columns > 1]
    grouped = len(grid) > 1 and _grouped_header(spans, grid)
    first_data = 2 if grouped else 1
    down = [s for s in spans if s.row >= first_data and s.rows > 1 and s.row < len(grid)]
    for span in down:
        value = grid[span.row][span.column]
        for r in range(span.row + 1, min(span.row + span.rows, len(grid))):
            if not grid[r][span.column]:
                grid[r][span.column] = value
                origin[r][span.column] = (span.row, span.column)
    if grouped:
        grid[0] = _header_texts(grid, spans, width)
        cell_places[0] = _header_places(grid, spans, cell_places)
        del grid[1], places[1], serials[1], origin[1], cell_places[1]
        down = [replace(s, row=s.row - 1) for s in down]
    rows = [
        Row(tuple(cells), where, found, places=own)
        for cells, where, found, own in zip(grid, places, serials, cell_places, strict=True)
    ]
    return _sub_rows_joined(rows, origin, down)


def _sub_rows_joined(rows: list[Row], origin: list[list[tuple[int, int]]], down: list[Span]) -> list[Row]:
    """One row for each connection whose No. cell is merged down over several rows (a second
    counterparty, or its items continued, on the rows below): each column's values top to bottom,
    a value merged over several of those rows once, apart by a typed line break (which reads as the
    list's separator in a list column). Decided by the merged No. cell alone, never by blank cells."""
    fields = _column_fields(rows)
    joins: dict[int, int] = {}  # first row → rows it covers
    for span in down:
        if fields[span.row].get(span.column, ("", ""))[0] == "number" and span.row not in joins:
            joins[span.row] = min(span.rows, len(rows) - span.row)
    if not joins:
        return rows
    out: list[Row] = []
    skip = 0
    for index, row in enumerate(rows):
        if skip:
            skip -= 1
            continue
        count = joins.get(index, 1)
        if count == 1:
            out.append(row)
            continue
        group = range(index, index + count)
        cells = []
        for c in range(len(row.cells)):
            seen: set[tuple[int, int]] = set()
            values = []
            for r in group:
                if origin[r][c] not in seen and rows[r].cells[c]:
                    seen.add(origin[r][c])
                    values.append(rows[r].cells[c])
            cells.append("\n".join(values))
        found = tuple(s for r in group for s in rows[r].serials if cells[s.column] == rows[r].cells[s.column])
        out.append(Row(tuple(cells), row.where, found, places=row.places))
        skip = count - 1
    return out


def number_column(rows: list[Row]) -> int | None:
    """The column the last connection header row among ``rows`` names No. (None when there is
    no such header, or it names no No. column)."""
    fields = _column_fields(rows)
    if not fields:
        return None
    return next((c for c, (name, _) in sorted(fields[-1].items()) if name == "number"), None)


def _grouped_header(spans: list[Span], grid: list[list[str]]) -> bool:
    """A header cell spans columns over sub-headers in row 2, and another spans both rows."""
    over_two = any(s.row == 0 and s.rows >= 2 for s in spans)
    grouped = any(
        s.row == 0
        and s.rows == 1
        and s.columns > 1
        and any(grid[1][c] for c in range(s.column, min(s.column + s.columns, len(grid[1]))))
        for s in spans
    )
    return over_two and grouped


def _header_texts(grid: list[list[str]], spans: list[Span], width: int) -> list[str]:
    """The columns' headers over two rows: each column's group (the header cell spanning it), then its
    own name. In a connection table the group names a column only where the sub-column's own name
    says nothing, and gives a field once (:func:`ketsugo.read.columns.grouped_column_name`), as the
    text form reads the same two lines (:func:`ketsugo.read.stacked.merged_header`); the columns of
    an item check-matrix are each "<group> <item>" (:func:`ketsugo.read.matrix.matrix_names`)."""
    from ketsugo.read.columns import grouped_column_name, is_connection_header
    from ketsugo.read.headers import headers, match_field
    from ketsugo.read.matrix import matrix_names

    parts = [_header_parts(grid, spans, c) for c in range(width)]
    plain = [" ".join(t for t in (top, below) if t) for top, below, _ in parts]
    spec = headers()
    if not is_connection_header(plain, spec):
        return plain
    taken: dict[int, set[str]] = {}  # group's first column → fields its columns were given
    out = []
    for (top, below, group), text in zip(parts, plain, strict=True):
        if group is None:
            out.append(text)
            continue
        name = grouped_column_name(top, below, taken.setdefault(group, set()))
        field_name = match_field(name, spec.connection)
        if field_name is not None:
            taken[group].add(field_name)
        out.append(name)
    groups = [top if group is not None else "" for top, _, group in parts]
    names = [join_wrapped(below.split("\n")) for _, below, _ in parts]  # a vertical header: そ⏎の⏎他
    matrix = matrix_names(groups, names, grid[2:])  # items as ○ columns
    for c, name in matrix.items():
        out[c] = name
    return out


def _header_places(
    grid: list[list[str]], spans: list[Span], places: list[tuple[str, ...]]
) -> tuple[str, ...]:
    """Each column's place in a header over two rows: the cell naming it — its own sub-header below
    (審議日 under 個人情報保護審議会) when it has one, else the cell above (spanning both rows)."""
    if len(places) < 2 or not places[0]:
        return places[0] if places else ()
    out = []
    for c, top in enumerate(places[0]):
        below = places[1][c] if c < len(places[1]) else ""
        _, own, _ = _header_parts(grid, spans, c) if c < len(grid[1]) else ("", "", None)
        out.append(below if own and below else top)
    return tuple(out)


def _header_parts(grid: list[list[str]], spans: list[Span], column: int) -> tuple[str, str, int | None]:
    """A column's header over two rows: the group it stands under, its own name, and the first
    column of the header cell spanning it across columns (None when no such cell spans it)."""
    top = grid[0][column]
    group = None
    for s in spans:
        if s.row == 0 and s.rows == 1 and s.columns > 1 and s.column <= column < s.column + s.columns:
            top, group = grid[0][s.column], s.column
    below = grid[1][column]
    if any(s.row == 0 and s.rows >= 2 and s.column <= column < s.column + s.columns for s in spans):
        below = ""  # covered by a header cell spanning both rows
    return top, below, group


def _header_breaks_read(rows: list[Row]) -> list[Row]:
    """``rows`` with the line breaks typed in a connection header row's cells read as a header's
    (:func:`ketsugo.read.headers.header_cell`: 提供 / 受領 → 提供・受領), not as a data cell's."""
    from ketsugo.read.columns import is_connection_header
    from ketsugo.read.headers import header_cell, headers

    spec = headers()
    out = []
    for row in rows:
        cells = [join_wrapped(c.split("\n")) for c in row.cells]
        if any("\n" in c for c in row.cells) and is_connection_header(cells, spec):
            named = tuple(header_cell(c.split("\n"), w, spec) for c, w in zip(row.cells, cells, strict=True))
            row = replace(row, cells=named)
        out.append(row)
    return out


def _column_fields(rows: list[Row]) -> list[dict[int, tuple[str, str]]]:
    """For each row, the field (headers.toml [connection]) and header text of each column, by the
    connection header row above it (none before a header row); in a two-cell row whose first cell
    names a list field (a form's 記録項目 | 氏名<br>住所), its second cell is that field's."""
    from ketsugo.read.columns import is_connection_header
    from ketsugo.read.headers import headers, match_field

    spec = headers()
    current: dict[int, tuple[str, str]] = {}
    out = []
    for row in rows:
        cells = [join_wrapped(c.split("\n")) for c in row.cells]
        if is_connection_header(cells, spec):
            named = {i: (_field_of(c, spec), c) for i, c in enumerate(cells)}
            current = {i: (name, text) for i, (name, text) in named.items() if name}
        listed = match_field(cells[0], spec.connection) if len(cells) == 2 and 1 not in current else None
        # a form's row (項目 | 内容: 結合の相手方 | A<br>B): its label names the value's list field
        out.append({**current, 1: (listed, cells[0])} if listed in rules().by_field else current)
    return out


def _field_of(header: str, spec: Headers) -> str | None:
    """The field a connection header cell names (headers.toml [connection]), or "direction" for
    the column saying which way data flows ([direction]: its cells' breaks read by [line_breaks])."""
    from ketsugo.read.headers import match_field
    from ketsugo.read.normalize import match_key

    name = match_field(header, spec.connection)
    return name or ("direction" if match_key(header) in spec.direction_columns else None)


def _column_headers(rows: list[Row]) -> dict[int, dict[int, str]]:
    """For each row (id of the row → column → header text), the text of every
    column's header above it — the connection or summary header row, else the table's first row —,
    a header row naming its own cells: a finding about a field, known or not (an unknown
    column 結果), names the cell it is about, not the row's first."""
    from ketsugo.read.columns import is_connection_header
    from ketsugo.read.headers import headers, match_field

    spec = headers()
    agency = {"agency": spec.summary["agency"]}
    current: dict[int, str] = {}
    out: dict[int, dict[int, str]] = {}
    for index, row in enumerate(rows):
        cells = [join_wrapped(c.split("\n")) for c in row.cells]
        summary = len(cells) > 1 and match_field(cells[0], agency) is not None
        if index == 0 or summary or is_connection_header(cells, spec):
            current = {i: c for i, c in enumerate(cells) if c}
        out[id(row)] = current
    return out


def _header_widths(rows: list[Row]) -> list[int]:
    """For each row, the width of the connection header row above it (its cells up to the last
    filled one; 0 before a header row): a row's empty cells up to that width are fields left blank
    (an end date not yet known), kept so that the row has as many fields as its header."""
    from ketsugo.read.columns import is_connection_header
    from ketsugo.read.headers import headers

    spec = headers()
    width = 0
    out = []
    for row in rows:
        cells = [join_wrapped(c.split("\n")) for c in row.cells]
        if is_connection_header(cells, spec):
            width = max((i + 1 for i, c in enumerate(cells) if c), default=0)
        out.append(width)
    return out


def _serial_dates(row: Row, fields: dict[int, tuple[str, str]], line: int) -> tuple[list[str], list[Note]]:
    """The row's cells with a bare number in a date column (data/reference/sources.toml
    [serial_dates]) read as the Excel date it stands for, each with a note naming its cell."""
    cells = list(row.cells)
    notes = []
    for serial in row.serials:
        name, header = fields.get(serial.column, ("", ""))
        if name not in rules().serial_fields:
            continue
        notes.append(
            Note(
                line,
                header,
                f"a number in a date column read as an Excel date serial: {cells[serial.column]} at "
                f"{serial.cell} is {serial.date} (the cell is formatted as a number, not a date; "
                "check the date)",
                cells[serial.column],
            )
        )
        cells[serial.column] = serial.date
    return cells, notes


def to_text(blocks: Sequence[Block]) -> tuple[str, dict[int, str]]:
    """The text form of ``blocks`` and a map from 1-based text line → place in the source."""
    text, where, _ = text_form(blocks)
    return text, where


def text_form(
    blocks: Sequence[Block], cell_places: dict[int, dict[str, str]] | None = None
) -> tuple[str, dict[int, str], list[Note]]:
    """The text form of ``blocks``, a map from 1-based text line → place in the source, and the
    notes on choices made in writing it (a date serial read as a date). ``cell_places``, when
    given, is filled with each table row's cells by header: text line → {header text: place of
    the cell} (a finding about a field names its cell, not the row).

    Trailing empty cells of a row are dropped beyond the width of the connection header row above
    it (a blank cell inside a row, or one at its end under a header cell — a blank end date —, is
    kept as an empty field); a row with no text at all is dropped. Skipped parts write nothing (see
    :func:`skipped`)."""
    lines: list[str] = []
    where: dict[int, str] = {}
    notes: list[Note] = []
    by_field = rules().by_field

    def put(text: str, place: str) -> None:
        lines.append(text)
        where[len(lines)] = place

    previous: Block | None = None
    name_lines = _section_names(blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Skipped):
            continue
        together = isinstance(block, TextLine) and block.follows and isinstance(previous, TextLine)
        previous = block
        if lines and not together:
            lines.append("")
        if isinstance(block, TextLine):
            text = join_wrapped(block.text.split("\n"))
            if index in name_lines:
                notes.append(
                    Note(
                        len(lines) + 1,
                        "",
                        f"line {text!r} read as the heading {name_lines[index]}: "
                        "it names a section alone (a sheet's name or a short heading above its table)",
                        text,
                    )
                )
                text = name_lines[index]
            put(text, block.where)
            continue
        if is_transposed(block):  # field names down the first column: one connection per column
            notes.append(Note(len(lines) + 1, "", transposed_note(block), ""))
            block = transposed(block)
        rows = _header_breaks_read(resolved_rows(block))
        columns = _column_headers(rows)
        for row, fields, width in zip(rows, _column_fields(rows), _header_widths(rows), strict=True):
            separators = {i: by_field[name] for i, (name, _) in fields.items() if name in by_field}
            raw, row_notes = _serial_dates(row, fields, len(lines) + 1)
            cells = []
            for i, c in enumerate(raw):
                if fields.get(i, ("", ""))[0] == "counterparties" and i in separators:
                    joined, remarks, infos = join_parties(c.split("\n"), separators[i])
                    row_notes += [
                        Note(len(lines) + 1, fields[i][1], r, c.replace("\n", " / "), "warning")
                        for r in remarks
                    ] + [Note(len(lines) + 1, fields[i][1], r, c.replace("\n", " / ")) for r in infos]
                    cells.append(joined)
                elif fields.get(i, ("", ""))[0] in _ITEMS and (grouped := outline_cell(c.split("\n"))):
                    cells.append(grouped)  # items written as an outline: docs/items.md rule 12
                else:
                    cells.append(
                        join_list(c.split("\n"), separators[i])
                        if i in separators
                        else join_wrapped(c.split("\n"))
                    )
            kept = width if sum(1 for c in cells if c) >= 2 else 0  # a table row: as wide as its header
            while len(cells) > kept and not cells[-1]:
                cells.pop()
            if cells:
                put("\t".join(cells), row.where)
                notes.extend(row_notes)
                if cell_places is not None and (named := columns.get(id(row), {})):
                    cell_places[len(lines)] = {header: row.place_of(i) for i, header in named.items()}
    return "\n".join(lines) + "\n", where, notes


def _section_names(blocks: Sequence[Block]) -> dict[int, str]:
    """Index of each text line holding only a section's name (新規, 件数) above a table, with only
    lines opening no section between (a sheet's title) → the heading it stands for
    (:mod:`ketsugo.read.sources.sectionnames`); not a summary's name over a connection table."""
    from ketsugo.read.columns import is_connection_header
    from ketsugo.read.headers import headers
    from ketsugo.read.layout import _section_of
    from ketsugo.read.sources.sectionnames import name_heading

    out: dict[int, str] = {}
    # only a line above a table can name its section: none after the last table is looked at (a
    # text of millions of short lines and no table asks nothing of each)
    last = max((i for i, b in enumerate(blocks) if isinstance(b, Table)), default=-1)
    for index, block in enumerate(blocks[: max(last, 0)]):
        if not isinstance(block, TextLine) or not (heading := name_heading(block.text)):
            continue
        for later in blocks[index + 1 :]:
            if isinstance(later, TextLine) and (
                name_heading(later.text) or _section_of(later.text) is not None
            ):
                break
            if isinstance(later, Table) and later.rows:
                if _section_of(heading) != 1 or not (
                    is_transposed(later) or is_connection_header(list(later.rows[0].cells), headers())
                ):
                    out[index] = heading
                break
    return out


# A table written sideways (:func:`is_transposed`)
MIN_FIELDS = 3  # field names down the first column, at the least
MIN_WIDTH = 3  # the names' column and two connections' columns, at the least


def is_transposed(table: Table) -> bool:
    """Whether ``table`` is written sideways: the connection fields' names down its first column
    (番号, 担当課, 業務の名称, 結合先 …), one connection per column, as some small municipalities'
    sheets are. So when its first column holds at least ``MIN_FIELDS`` cells naming a connection
    field (headers.toml [connection], matched as a header row's cells are) and they are most of that
    column's filled cells, its first row is no connection header row, it has two connections'
    columns at the least (a card of one connection, 項目 | 内容, stays a card), and turned its first
    row is a connection header row. Read turned (:func:`transposed`), with an info naming it."""
    from ketsugo.read.columns import column_field, is_connection_header
    from ketsugo.read.headers import headers

    if len(table.rows) < MIN_FIELDS or table.width < MIN_WIDTH:
        return False
    spec = headers()
    first = [join_wrapped(r.cells[0].split("\n")) if r.cells else "" for r in table.rows]
    filled = [c for c in first if c]
    known = [c for c in filled if column_field(c, spec) is not None]
    if len(known) < MIN_FIELDS or 2 * len(known) <= len(filled):
        return False
    top = [join_wrapped(c.split("\n")) for c in table.rows[0].cells]
    if is_connection_header(top, spec):
        return False
    return is_connection_header(first, spec)


def transposed(table: Table) -> Table:
    """``table`` read sideways: column k as row k, each cell with its own place (Sheet!C5), spans
    turned — a cell merged across two connections' columns (one department over Nos. 1 and 2)
    becomes one merged down their rows, carried to each (:func:`resolved_rows`)."""
    width = table.width
    rows = []
    for k in range(width):
        cells = tuple(r.cells[k] if k < len(r.cells) else "" for r in table.rows)
        places = tuple(r.place_of(k) for r in table.rows)
        serials = tuple(
            Serial(index, s.date, s.cell)
            for index, r in enumerate(table.rows)
            for s in r.serials
            if s.column == k
        )
        rows.append(Row(cells, places[0], serials, places=places))
    spans = [Span(s.column, s.row, s.columns, s.rows) for s in table.spans]
    return Table(rows, spans)


def transposed_note(table: Table) -> str:
    """The info for a table read transposed, naming it by its first cell's place and its fields."""
    names = [join_wrapped(r.cells[0].split("\n")) for r in table.rows if r.cells and r.cells[0]]
    shown = "、".join(names[:4]) + ("…" if len(names) > 4 else "")
    return (
        f"table at {table.rows[0].place_of(0)} read transposed: the field names run down its first column "
        f"({shown}) and each of its {table.width - 1} other columns is one connection (column k read as row k)"
    )


def skipped(blocks: Sequence[Block]) -> list[Skipped]:
    """The parts of the file a reader left out on purpose, each to be reported as a finding."""
    return [b for b in blocks if isinstance(b, Skipped)]
