"""Writing a query result: the W3C SPARQL 1.1 result formats (JSON, CSV, TSV), Turtle or
N-Triples for a graph, or a table for the terminal."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from ketsugo.prefixes import XSD, compact_iri
from ketsugo.sparql.results import Outcome
from ketsugo.sparql.text import DEFAULT_PREFIXES, QueryError

SELECT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "ntriples")


def write_outcome(
    outcome: Outcome, fmt: str, out: IO[bytes], *, color: bool = False, width: int | None = None
) -> None:
    """Write a result: W3C SPARQL 1.1 JSON/CSV/TSV, Turtle/N-Triples, or a table (``width``: see
    :func:`render_table`)."""
    import pyoxigraph as ox

    if outcome.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in (*GRAPH_FORMATS, "table"):
            raise QueryError(f"a {outcome.form} result is a graph: use --format turtle or ntriples")
        rdf_format = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        prefixes = DEFAULT_PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
        data = ox.serialize(outcome.triples or [], format=rdf_format, prefixes=prefixes)
        out.write(data or b"")
        return
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"a {outcome.form} result is a table: use --format table, csv, tsv or json")
    if fmt == "table":
        out.write(render_table(outcome, color=color, width=width).encode("utf-8"))
        return
    out.write(serialize_results(outcome, fmt))


def serialize_results(outcome: Outcome, fmt: str) -> bytes:
    """The result in a W3C SPARQL 1.1 Query Results format (serialised by pyoxigraph)."""
    import pyoxigraph as ox

    from ketsugo.store.disk import written

    results_format = {
        "json": ox.QueryResultsFormat.JSON,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }[fmt]
    # pyoxigraph serialises only its own result objects: rebuild one from the rows through the
    # (lossless) W3C JSON form.
    parsed = ox.parse_query_results(to_sparql_json(outcome), format=ox.QueryResultsFormat.JSON)
    return written(parsed.serialize(format=results_format))


def to_sparql_json(outcome: Outcome) -> bytes:
    import json

    if outcome.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(outcome.boolean)}).encode("utf-8")
    assert outcome.variables is not None and outcome.rows is not None
    bindings = []
    for row in outcome.rows:
        binding = {}
        for variable, term in zip(outcome.variables, row, strict=True):
            if term is not None:
                binding[variable] = _json_term(term)
        bindings.append(binding)
    data = {"head": {"vars": outcome.variables}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        entry = {"type": "literal", "value": term.value}
        if term.language:
            entry["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype.value != XSD + "string":
            entry["datatype"] = term.datatype.value
        return entry
    raise QueryError(f"cannot write {term!r} as SPARQL JSON")


def display(term: Any) -> str:
    """A term as shown in a table: IRIs with a known prefix shortened, literals as their text."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


# A terminal table keeps columns up to this wide whole; wider ones are folded, each to at least
# NARROWEST_FOLDED cells: below that a folded cell reads as fragments, and each row is shown as a
# record instead.
WHOLE_COLUMN = 16
NARROWEST_FOLDED = 20


def render_table(outcome: Outcome, *, color: bool = False, width: int | None = None) -> str:
    """A readable table (rich; East Asian wide characters are aligned) and the row count.

    ``width``: the terminal's width. The table fits it: long cells are wrapped or folded, and when
    the columns cannot all get :data:`NARROWEST_COLUMN` cells (or their whole text), each row is
    shown as a record instead ("column  value" lines, a blank line between rows). None (output
    piped or written to a file): no cell is ever wrapped, each row stays on one line however wide.
    """
    if outcome.form != "ASK" and width is None and not color:
        assert outcome.variables is not None and outcome.rows is not None
        plain = _plain_table(outcome.variables, [[display(term) for term in row] for row in outcome.rows])
        if plain is not None:  # rich is not even imported
            return plain + _row_count(len(outcome.rows))
    from rich import box
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or 80,
        highlight=False,
        emoji=False,
        markup=False,
    )
    if outcome.form == "ASK":
        console.print("true" if outcome.boolean else "false")
        return buffer.getvalue()
    assert outcome.variables is not None and outcome.rows is not None
    cells = [[display(term) for term in row] for row in outcome.rows]
    if width is not None and not _columns_fit(outcome.variables, cells, width):
        plain = None if color else _plain_records(console, outcome.variables, cells, width)
        if plain is None:
            _print_records(console, outcome.variables, cells, color=color)
        else:
            buffer.write(plain)
    else:
        table = Table(
            box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold" if color else ""
        )
        for variable in outcome.variables:
            if width is None:
                table.add_column(variable, no_wrap=True, overflow="ignore")
            else:
                table.add_column(variable, overflow="fold")
        for row in cells:
            table.add_row(*row)
        if width is None:  # as wide as the widest row (cell widths count East Asian characters as two)
            console.width = max(
                Measurement.get(console, console.options.update_width(10**6), table).maximum, 80
            )
        console.print(table)
    count = len(outcome.rows)
    console.print(f"{count} row{'s' if count != 1 else ''}")
    if width is None:
        return buffer.getvalue()
    # rich pads every cell to its column's width: a terminal gets no trailing blanks
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _plain_table(variables: Sequence[str], cells: list[list[str]]) -> str | None:
    """The unwrapped table (output piped or written to a file) written directly, as rich lays it
    out (box.SIMPLE_HEAD, no edge): each column padded to its widest cell, three spaces between
    columns, a rule of ─ under the header. rich measures and renders every cell of every row
    (seconds for a table of thousands of rows, the national date-of-birth answer); this writes
    the same text in a fraction of that. None when a cell or name is not one printable line (rich
    drops control codes and breaks lines: it lays that table out itself).
    tests/test_table_plain.py checks the two give the same text."""
    layout = PlainTable.lay_out(variables, cells)
    return None if layout is None else "".join(layout.body())


@dataclass(frozen=True)
class PlainTable:
    """The unwrapped table of :func:`_plain_table`, measured once and written line by line.

    Its text can be far larger than its cells: every cell is padded to its column's widest (the
    national date-of-birth answer, 2 MB of cells, is a table of 220 MB). `ketsugo query` sends
    this (the cells and their widths) from the process that ran the query, and the lines are
    made as they are written, never held whole."""

    rows: list[list[str]]  # the header, then the cells
    sizes: list[list[int]]  # each cell's width in terminal cells
    widths: list[int]  # each column's

    @classmethod
    def lay_out(cls, variables: Sequence[str], cells: list[list[str]]) -> PlainTable | None:
        rows = [list(variables), *cells]
        if not all(value.isprintable() for row in rows for value in row):
            return None
        sizes = [[_cell_width(value) for value in row] for row in rows]
        widths = [max(column) for column in zip(*sizes, strict=True)]
        return cls(rows, sizes, widths)

    def body(self) -> Iterator[str]:
        """The header, the rule and the rows, each a line ending in a newline."""
        widths = self.widths
        for number, (row, row_sizes) in enumerate(zip(self.rows, self.sizes, strict=True)):
            yield (
                "   ".join(
                    value + " " * (width - size)
                    for value, size, width in zip(row, row_sizes, widths, strict=True)
                )
                + "\n"
            )
            if number == 0:
                yield "─" * (sum(widths) + 3 * (len(widths) - 1)) + "\n"

    def lines(self) -> Iterator[str]:
        """What :func:`render_table` gives for it: the table and the row count."""
        yield from self.body()
        yield _row_count(len(self.rows) - 1)

    def write(self, out: IO[bytes]) -> None:
        """The lines as UTF-8, written a few hundred kB at a time."""
        chunk: list[str] = []
        size = 0
        for line in self.lines():
            chunk.append(line)
            size += len(line)
            if size >= 1 << 18:
                out.write("".join(chunk).encode("utf-8"))
                chunk, size = [], 0
        out.write("".join(chunk).encode("utf-8"))


def plain_table(outcome: Outcome) -> PlainTable | None:
    """The unwrapped table of a SELECT result, laid out once (None: rich must lay it out, or an
    ASK result)."""
    if outcome.form == "ASK" or outcome.variables is None or outcome.rows is None:
        return None
    return PlainTable.lay_out(outcome.variables, [[display(term) for term in row] for row in outcome.rows])


def _row_count(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}\n"


def _cell_width(text: str) -> int:
    """rich's cell length of ``text`` (East Asian wide characters count two). rich measures a
    long text character by character in Python (the list cells of a national answer run to tens
    of thousands of characters); where no character joins others (ZWJ, VS16) its length is the
    sum of its characters' sizes, so each distinct character is measured once."""
    from rich.cells import cell_len, get_character_cell_size

    if len(text) < 512 or "\u200d" in text or "\ufe0f" in text:
        return cell_len(text)
    from collections import Counter

    return sum(get_character_cell_size(character) * count for character, count in Counter(text).items())


def _columns_fit(variables: Sequence[str], cells: list[list[str]], width: int) -> bool:
    """Whether the columns fit ``width``: the narrow ones whole, each wide one folded to at least
    NARROWEST_FOLDED cells (cell widths count East Asian characters as two)."""
    from rich.cells import cell_len

    space = width - 2 * (len(variables) - 1)  # a space of padding on each side between columns
    folded = 0
    for index, variable in enumerate(variables):
        widest = max([cell_len(variable), *(cell_len(row[index]) for row in cells)])
        if widest <= WHOLE_COLUMN:
            space -= widest
        else:
            folded += 1
    return space >= folded * NARROWEST_FOLDED


def _print_records(console: Any, variables: Sequence[str], cells: list[list[str]], *, color: bool) -> None:
    """Each row as a block of "column  value" lines, values wrapped or folded to the width."""
    from rich.table import Table

    for number, row in enumerate(cells, start=1):
        if number > 1:
            console.print()
        console.print(f"[{number}]", style="bold" if color else None)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold" if color else None)
        grid.add_column(overflow="fold")
        for variable, value in zip(variables, row, strict=True):
            grid.add_row(variable, value)
        console.print(grid)


def _plain_records(console: Any, variables: Sequence[str], cells: list[list[str]], width: int) -> str | None:
    """What :func:`_print_records` prints without colour, written directly: rich lays out one
    grid per row (≈ 8 ms each, seconds for a table of hundreds of rows), while the layout of a
    two-column grid is simple: names padded to the longest, two spaces, the value wrapped (by
    rich's own ``Text.wrap``) to the value column's width (rich's: the widest value, at most
    the rest of the width). None where that layout does not apply (too narrow a terminal).
    tests/test_query_golden.py checks the two give the same text."""
    from rich.cells import cell_len
    from rich.text import Text

    name_width = max(cell_len(variable) for variable in variables)
    room = width - name_width - 2
    if room < 1:
        return None
    names = [variable + " " * (name_width - cell_len(variable)) + "  " for variable in variables]
    blank = " " * (name_width + 2)
    out: list[str] = []
    for number, row in enumerate(cells, start=1):
        if number > 1:
            out.append("")
        out.append(f"[{number}]")
        # a printable value is its own text and one line; any other one is measured and wrapped
        # as rich's Text (which drops control codes and breaks lines)
        texts = [None if value.isprintable() else Text(value) for value in row]
        widest = max(
            cell_len(value) if text is None else _widest_line(text.plain)
            for value, text in zip(row, texts, strict=True)
        )
        column = min(widest or 1, room)
        for name, value, text in zip(names, row, texts, strict=True):
            if text is None and cell_len(value) <= column:
                lines = [value]
            else:
                wrapped = (text or Text(value)).wrap(
                    console, column, justify="left", overflow="fold", tab_size=8, no_wrap=False
                )
                lines = [line.plain for line in wrapped] or [""]
            out.append(name + lines[0])
            out.extend(blank + line for line in lines[1:])
    return "".join(line.rstrip() + "\n" for line in out)


def _widest_line(text: str) -> int:
    """The widest line of a cell as rich measures it (``Text.__rich_measure__``)."""
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.splitlines()), default=0)


def terminal_width() -> int | None:
    """The width of the terminal stdout writes to; None when it is not a terminal (no wrapping)."""
    import shutil

    if sys.stdout.isatty():
        return shutil.get_terminal_size((120, 24)).columns
    return None
