"""Rows wrapped across lines (text copied out of a PDF), joined back into one row.

A data row with fewer cells than its header takes the following line(s) that start no row (no
number in the No. column, no header, no statement), the first cell of each continuing the row's
last cell (see :func:`joined_text`); a complete row takes a lone line (no tab, no note) as the
rest of its last cell. Each join is a warning quoting the lines; the joined row is then checked
like any other, so strict mode accepts it only when it has exactly the header's cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ketsugo.read.columns import GROUP_HEADING, is_connection_header, is_data_row
from ketsugo.read.headers import Headers, is_note_line, is_statement
from ketsugo.read.items import marker_at
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import match_key
from ketsugo.read.table import column_name, header_width


@dataclass
class PendingRow:
    """A data row not yet read: the next line(s) may continue it (a row wrapped across lines)."""

    line: int
    cells: list[str]
    lines: list[tuple[int, str]]
    joined_at: list[int] = field(default_factory=list)  # the column each continuation went on in
    stacked: list[tuple[int, list[str]]] = field(default_factory=list)  # lines adding one value each

    def join(self, line_no: int, line: str) -> None:
        """Continue the last cell with the line's first cell; its other cells follow."""
        more = line.split("\t")
        self.joined_at.append(len(self.cells) - 1)
        self.cells = [*self.cells[:-1], joined_text(self.cells[-1], more[0]), *more[1:]]
        self.lines.append((line_no, line))


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
    note = stripped.startswith(("(", "（", *spec.note_markers)) and not marker_at(stripped)
    return "\t" not in line and not note


def warn_join(pending: PendingRow, header: list[str], state: ParseState) -> None:
    """A Warning quoting the lines joined into one row, naming the cells the breaks fell in."""
    columns = ", ".join(dict.fromkeys(column_name(header, i).strip() for i in pending.joined_at))
    continued = ", ".join(str(n) for n, _ in pending.lines[1:])
    state.warn(
        pending.line,
        column_name(header, pending.joined_at[0]).strip(),
        f"row continued on line {continued} (text copied out of a PDF?): the lines are joined, the "
        f"break read as falling inside {columns}; {len(pending.cells)} fields after joining where "
        f"the header has {header_width(header)}",
        "\n".join(text for _, text in pending.lines),
    )
