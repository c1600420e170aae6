"""Rows wrapped across lines (text copied out of a PDF), joined back into one row.

A data row with fewer cells than its header takes the following line(s) that start no row (no
number in the No. column, no header, no statement), the first cell of each continuing the row's
last cell (see :func:`joined_text`); a complete row takes a lone line (no tab, no note) as the
rest of its last cell. Each join is a warning quoting the lines; the joined row is then checked
like any other, so strict mode accepts it only when it has exactly the header's cells.

A copy of a web page's table (selected in a browser and pasted) has rows over lines too, for
another reason: a cell's <br> and <li> lines are lines of the copy, with nothing between them.
So a blank line under a row still short of cells, before its further cells, is a paragraph break
inside a cell (:func:`blank_inside_cell`); a lone （…） line under a complete row is its last
cell's qualifier; an items cell whose lines are no text wrapped in a box (a line narrower than one
after it) is read one item a line, and a party's address on a line of its own stays its address
(:func:`item_lines_kept`). Cells spanning rows are :mod:`ketsugo.read.rowspan`'s.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ketsugo.read.addresslines import opens_address
from ketsugo.read.brackets import matching
from ketsugo.read.columns import GROUP_HEADING, is_connection_header, is_data_row
from ketsugo.read.headers import Headers, headers, is_note_line, is_statement
from ketsugo.read.items import marker_at
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import kinsoku_moved, match_key
from ketsugo.read.table import column_name, header_width, whole_number


@dataclass
class PendingRow:
    """A data row not yet read: the next line(s) may continue it (a row wrapped across lines)."""

    line: int
    cells: list[str]
    lines: list[tuple[int, str]]
    joined_at: list[int] = field(default_factory=list)  # the column each continuation went on in
    stacked: list[tuple[int, list[str]]] = field(default_factory=list)  # lines adding one value each
    pieces: dict[int, list[str]] = field(default_factory=dict)  # column → its cell's lines, if joined
    blank_above: bool = False  # a blank line inside a cell came last: the next break is on purpose
    broken: set[int] = field(default_factory=set)  # columns with such a break (a paragraph's)

    def join(self, line_no: int, line: str) -> None:
        """Continue the last cell with the line's first cell; its other cells follow."""
        more = line.split("\t")
        last = len(self.cells) - 1
        self.joined_at.append(last)
        self.pieces.setdefault(last, [self.cells[-1]]).append(more[0])
        if self.blank_above:
            self.broken.add(last)
            self.blank_above = False
        self.cells = [*self.cells[:-1], joined_text(self.cells[-1], more[0]), *more[1:]]
        self.lines.append((line_no, line))

    def shifted(self, at: int, by: int) -> None:
        """The columns from ``at`` on moved ``by`` to the right (cells put in before them)."""
        self.joined_at = [i + by if i >= at else i for i in self.joined_at]
        self.pieces = {(i + by if i >= at else i): p for i, p in self.pieces.items()}
        self.broken = {i + by if i >= at else i for i in self.broken}


# Fields whose cell is a list of entries: a line of its own in the cell is an entry when the lines
# are no text wrapped in a box (:func:`lines_on_purpose`).
ITEM_FIELDS = frozenset({"items", "items_to", "items_from"})
_SEPARATORS = ("、", "，", ",", "・", "；", ";", "/", "／")
# A line of a cell this much narrower (in half-width columns) than a line after it ended on purpose:
# a box wraps its text at its width, so every line but the last is about as wide as the widest (one
# character less where a mark may not start a line).
_NARROWER = 4


def lines_on_purpose(lines: list[str]) -> bool:
    """Whether a cell's lines were broken on purpose (a <br> or a list item of a web page, an entry a
    line) rather than wrapped at a box's width (a PDF's text): some line but the last is clearly
    narrower than a line after it (氏名 over 生年月日), which wrapping never does, or ended with room
    for the next line's first character (:func:`_room_left`: 所有者住所 / 車両番号 / 車台番号)."""
    widths = [display_width(line.strip()) for line in lines]
    if any(widths[i] + _NARROWER <= max(widths[i + 1 :]) for i in range(len(widths) - 1)):
        return True
    return any(_room_left(lines, i, widths) for i in range(len(lines) - 1))


def _room_left(lines: list[str], index: int, widths: list[int]) -> bool:
    """Whether line ``index`` ended with room for the next line's first character: a box of wide
    characters (their widths exact) as wide as the cell's widest line would have taken it, unless
    the marks that may not open a line (禁則: 日、 moves down whole) explain the break."""
    line, after = lines[index].strip(), lines[index + 1].strip()
    widest = max(range(len(lines)), key=lambda i: widths[i])
    if not line or not after or not _all_wide(lines[widest].strip() + line + after[0]):
        return False
    if kinsoku_moved(after):
        return False
    return widths[index] + display_width(after[0]) <= widths[widest]


def _all_wide(text: str) -> bool:
    return all(unicodedata.east_asian_width(c) in "FW" for c in text)


def display_width(text: str) -> int:
    """Half-width columns: a full-width or wide character counts two; a mark that takes no column
    of its own (a combining one, テ + U+3099 as a Mac decomposes デ; a zero-width space or joiner)
    none."""
    return sum(_char_width(c) for c in text)


# A character's category when it takes no column of its own on screen: a combining mark (nonspacing,
# enclosing), a format character (U+200B zero-width space, U+200D joiner, U+FEFF)
_NO_COLUMN = frozenset({"Mn", "Me", "Cf"})


def _char_width(char: str) -> int:
    if char < "\x80":  # ASCII: one column
        return 1
    if unicodedata.category(char) in _NO_COLUMN:
        return 0
    return 2 if unicodedata.east_asian_width(char) in "FWA" else 1


def item_lines_kept(cells: list[str], pending: PendingRow, fields: dict[str, int]) -> list[str]:
    """``cells`` with each items cell whose lines were broken on purpose given back its line breaks,
    so that each line is read as an item (:func:`ketsugo.read.quoted.cell_lines_read`): a copy of a
    web page breaks a cell's <br> and <li> lines so, with no 、 between them. A party cell gets back
    the break before a line opening an address (:func:`ketsugo.read.addresslines.opens_address`),
    which is then read as the party's address, not as more of its name, and the list's separator
    before a line opening a second party (:func:`ketsugo.read.sources.tables.opens_another_party`).
    A direction cell of a direction word a line (提供 / 受領) is both ways, its words joined by the
    [line_breaks] direction separator (提供・受領)."""
    kept = list(cells)
    for name in ITEM_FIELDS:
        index = fields.get(name)
        lines = pending.pieces.get(index) if index is not None else None
        if (
            lines
            and index is not None
            and index < len(kept)
            and (index in pending.broken or lines_on_purpose(lines))
        ):
            kept[index] = "\n".join(lines)
    from ketsugo.read.sources.tables import opens_another_party, rules

    separators = rules().by_field
    index = fields.get("counterparties")
    lines = pending.pieces.get(index) if index is not None else None
    if lines and index is not None and index < len(kept):
        text = lines[0]
        for at, line in enumerate(lines[1:], 1):
            if opens_address("".join(lines[at:])):
                text = f"{text}\n{line}"
            elif opens_another_party(lines[at - 1], line):  # a second party on its own line
                text = f"{text}{separators['counterparties']}{line.strip()}"
            else:
                text = joined_text(text, line)
        kept[index] = text
    index = fields.get("direction")
    lines = pending.pieces.get(index) if index is not None else None
    words = headers().direction or {}
    if lines and index is not None and index < len(kept) and all(match_key(w) in words for w in lines):
        kept[index] = separators["direction"].join(w.strip() for w in lines)  # 提供 / 受領: both ways
    return kept


def joined_text(before: str, after: str) -> str:
    """Two pieces of one cell broken across lines, as one text.

    Japanese text breaks anywhere, so the pieces join without a separator (住民基本台 + 帳 →
    住民基本台帳); a space is put between them only where Latin letters or digits stand on both
    sides of the break (a break between two words of Latin text: Sky + Menu), or where the second
    piece starts with a numbering marker ((3)生年月日, ⑵…), which docs/items.md reads after space.
    """
    left, right = before.rstrip(), after.lstrip()
    latin = left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum()
    return f"{left} {right}" if left and (latin or marker_at(right)) else left + right


def continues(
    pending: PendingRow, line: str, cells: list[str], header: list[str], fields: dict[str, int], spec: Headers
) -> bool:
    """Whether ``line`` continues the pending row rather than starting anything of its own.

    A row with fewer cells than the header is continued by the next line unless that line starts
    a new row (a number in the No. column), is a header row, says the table is empty or is a note
    (※…, （注）…: a text copy that dropped the row's trailing empty cells ends it before its notes). A row
    with all its cells is continued only by a lone line (no tab) that is no note or statement:
    the rest of its last cell.
    """
    if "\t" in line and (is_connection_header(cells, spec) or is_data_row(cells, fields)):
        return False
    if (
        is_statement(line.strip(), spec)
        or match_key(line) in spec.fillers
        or GROUP_HEADING.match(line.strip())
        or is_note_line(line, spec)  # ※… / （注）… under the table: a note, never a cell's rest
    ):
        return False
    if len(pending.cells) < header_width(header):
        return True
    stripped = line.strip()
    if "\t" not in line and pending.cells[-1].strip() and _one_parenthesis(stripped):
        return True  # 諮問不要 over （番号法第19条第8号）: the last cell's qualifier, on a line of its own
    note = stripped.startswith(("(", "（", *spec.note_markers)) and not marker_at(stripped)
    return "\t" not in line and not note


def blank_inside_cell(
    pending: PendingRow,
    after: list[tuple[int, str]],
    header: list[str],
    fields: dict[str, int],
    spec: Headers,
) -> bool:
    """Whether a blank line under a row still short of cells is a blank line inside a cell (a web
    page's cell with a paragraph break, <br><br>, copied): the next line that says something brings
    the row's further cells (a tab) and continues it (:func:`continues`). Under a row with all its
    cells, or before a line of no cells, a blank line ends the row as before."""
    if len(pending.cells) >= header_width(header):
        return False
    line = next((text for _, text in after if text.strip()), "")
    return "\t" in line and continues(pending, line, line.split("\t"), header, fields, spec)


def _one_parenthesis(text: str) -> bool:
    """The text is one parenthesis and nothing else (（番号法第19条第8号）): the qualifier a cell's
    line of its own gives the line above (a <br> before it), where a note under a table says more
    after its opening mark (（注）…, (1) …)."""
    return text[:1] in "（(" and len(text) > 2 and matching(text, 0) == len(text) - 1


def warn_join(pending: PendingRow, header: list[str], state: ParseState, fields: dict[str, int]) -> None:
    """A Warning quoting the lines joined into one row, naming the cells the breaks fell in.

    It says of an items cell read one item a line (:func:`item_lines_kept`) so, and of an items cell
    joined as wrapped text with no separator anywhere that a copy of a web page may have run its
    items together there (the page itself reads right)."""
    columns = ", ".join(dict.fromkeys(column_name(header, i).strip() for i in pending.joined_at))
    continued = ", ".join(str(n) for n, _ in pending.lines[1:])
    state.warn(
        pending.line,
        column_name(header, pending.joined_at[0]).strip(),
        f"row continued on line {continued} (text copied out of a PDF?): the lines are joined, the "
        f"break read as falling inside {columns}; {len(pending.cells)} fields after joining where "
        f"the header has {header_width(header)}{_items_hint(pending, header, fields)}",
        "\n".join(text for _, text in pending.lines),
    )


def _items_hint(pending: PendingRow, header: list[str], fields: dict[str, int]) -> str:
    """What the join did to an items cell's lines, for the warning ("" when nothing to say)."""
    for name in sorted(ITEM_FIELDS):
        index = fields.get(name)
        lines = pending.pieces.get(index) if index is not None else None
        if index is None or not lines:
            continue
        label = column_name(header, index).strip()
        if index in pending.broken or lines_on_purpose(lines):
            return (
                f"; the lines of {label} are no text wrapped in a box (a line is narrower than one after "
                "it, or a blank line stands between): read as one item a line, as a copy of a web page "
                "writes a cell's <br> and list items"
            )
        if not any(mark in line for line in lines for mark in _SEPARATORS):
            shown_lines = " / ".join(x.strip() for x in lines)
            return (
                f"; items may be joined: the lines of {label} ({shown_lines}) are read as one text wrapped "
                "in its box; if this is a copy of a web page, its line breaks separated items and are "
                "lost: build the page itself (.html) or its PDF instead"
            )
    return ""


# How many lines a header row broken inside its cells may run over (a cell of a few <br> lines each)
_HEADER_LINES = 12


def join_broken_headers(lines: list[tuple[int, str]], state: ParseState) -> list[tuple[int, str]]:
    """The lines with each header row broken inside its cells made one line (numbered by its first).

    A browser's copy of a table writes a header cell's <br> lines on lines of their own, as it does
    a data cell's: 「実施機関⇥平成30年度末⏎結合件数⇥令和元年度中⏎新規 …」. A connection header row
    (:func:`ketsugo.read.columns.is_connection_header`) or a summary header row (its first cell
    実施機関) takes the lines under it up to the table's first row (a number in the No. column; a
    summary row's counts), a blank line or a note, each continuing the row's last cell with its
    first cell (joined as a header cell is: :func:`ketsugo.read.headers.header_cell`, 提供 / 受領 →
    提供・受領) — as many of them as name the most columns, and only when that is more than the
    first line names, the joined row no wider than the table's first row, and never a piece naming a
    column after a cell naming one (a second header row of sub-columns, 記録項目 ⇥ 対象者 under
    結合する個人情報, and a row of letters stay rows of their own). An info names the
    lines read as one header row."""
    from ketsugo.read.headers import headers
    from ketsugo.read.matrix import opens_matrix

    spec = headers()
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        line_no, line = lines[index]
        kind = _header_kind(line.split("\t"), spec) if "\t" in line else None
        best = (_header_score(line.split("\t"), kind, spec), 0, line) if kind else None
        if (
            kind
            and best
            and opens_matrix(line.split("\t"), [text for _, text in lines[index + 1 : index + 4]])
        ):
            best = None  # a check-matrix's sub-header line: a row of its own (read/matrix.py)
        if kind and best:
            cells = line.split("\t")
            candidates: list[tuple[int, int, list[str]]] = []
            following = lines[index + 1 : index + 1 + _HEADER_LINES]
            end = len(following)
            for at, (_, more) in enumerate(following):
                parts = more.split("\t")
                if _ends_header(more, parts, cells, kind, spec):
                    end = at
                    break
                if _named(cells[-1], kind, spec) and _named(parts[0], kind, spec):
                    end = at  # two names side by side (審査会 | 記録項目 under 結合する個人情報): two rows
                    break
                cells = _continued(cells, parts, kind, spec)
                candidates.append((_header_score(cells, kind, spec), at + 1, cells))
            width = _first_row_width(following[end:], cells, kind, spec)
            for score, taken, row in candidates:
                if len(row) <= width and (score > best[0] or (score == best[0] and best[1])):
                    best = (score, taken, "\t".join(row))  # (a cell's last piece: as many lines)
        if not best or not best[1]:
            out.append((line_no, line))
            index += 1
            continue
        _, taken, joined = best
        last = lines[index + taken][0]
        state.inform(
            line_no,
            "",
            f"header row broken inside its cells over lines {line_no}–{last} (a line break in a header "
            f"cell, as a browser's copy writes it) read as one row: {' / '.join(joined.split(chr(9)))}",
            "\n".join(text for _, text in lines[index : index + taken + 1]),
        )
        out.append((line_no, joined))
        index += taken + 1
    return out


def _header_kind(cells: list[str], spec: Headers) -> str | None:
    """ "connection" or "summary" for a header row of either table, else None."""
    from ketsugo.read.headers import match_field

    if is_connection_header(cells, spec):
        return "connection"
    if len(cells) > 1 and match_field(cells[0], {"agency": spec.summary["agency"]}):
        return "summary"
    return None


def _header_score(cells: list[str], kind: str, spec: Headers) -> int:
    """How many of a header row's cells name a column of its table."""
    from ketsugo.read.headers import names_column
    from ketsugo.read.summary import _summary_columns

    if kind == "summary":
        return len(_summary_columns(cells, spec))
    return sum(names_column(c, spec) for c in cells) if is_connection_header(cells, spec) else 0


def _ends_header(line: str, parts: list[str], header: list[str], kind: str, spec: Headers) -> bool:
    """Whether ``line`` can be no more of a header row broken inside its cells: a blank line, a
    note, a line whose first cell is empty (a row of its own under the header), the table's first
    row (a number in the No. column; a row of counts under a summary header) or another header."""
    stripped = line.strip()
    if not stripped or not parts[0].strip() or is_note_line(stripped, spec) or is_statement(stripped, spec):
        return True
    return _header_kind(parts, spec) is not None or _is_first_row(parts, header, kind, spec)


def _named(cell: str, kind: str, spec: Headers) -> str | None:
    """What a header cell names: a connection table's field or column (headers.toml [connection],
    [direction], [row_status], [remarks]), or a summary's count by its words (新規, 終了 …)."""
    from ketsugo.read.headers import match_field, names_column

    if kind == "summary":
        words = ("new", "ended", "specific", "previous", "current")
        return match_field(cell, {k: v for k, v in spec.summary.items() if k in words})
    return match_field(cell, spec.connection) or (match_key(cell) if names_column(cell, spec) else None)


def _first_row_width(after: list[tuple[int, str]], header: list[str], kind: str, spec: Headers) -> int:
    """The cells of the table's first row, starting ``after`` a header broken over lines: its own
    lines, each continuing the one before (a browser's copy), up to the next row, a blank line or a
    note; 0 when no row starts there (nothing to measure a header joined from pieces against)."""
    if not after or not _is_first_row(after[0][1].split("\t"), header, kind, spec):
        return 0
    width = len(after[0][1].split("\t"))
    for _, more in after[1:]:
        parts = more.split("\t")
        if kind == "summary" or _ends_header(more, parts, header, kind, spec):
            break
        width += len(parts) - 1
    return width


def _is_first_row(parts: list[str], header: list[str], kind: str, spec: Headers) -> bool:
    """A row of the table under ``header``: a number in the No. column, or a summary row's counts."""
    from ketsugo.read.columns import column_field

    if kind == "summary":
        return bool(parts[0].strip()) and any(whole_number(c) is not None for c in parts[1:])
    number = next((i for i, c in enumerate(header) if column_field(c, spec) == "number"), 0)
    return is_data_row(parts, {"number": number})


def _continued(cells: list[str], parts: list[str], kind: str, spec: Headers) -> list[str]:
    """A header row's cells with the next line's cells after them, its first continuing the last."""
    from ketsugo.read.headers import header_cell

    before, after = cells[-1], parts[0]
    plain = joined_text(before, after)
    last = header_cell([before, after], plain, spec) if kind == "connection" else plain
    return [*cells[:-1], last, *parts[1:]]
