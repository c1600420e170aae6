"""Sections (2) and (3): connection tables, row by row, into Connection records.

What a table must have is per section: an ended table may carry only No., 課 or 業務名, 相手方
and the end date. The header row may repeat between blocks; a 【…】 line inside a table groups
the rows below it; a statement such as 実績はありません says the table is empty. Each cell is kept
as written beside what is read from it (dates, the ○ mark, items, legal bases), and a connection
number is unique per section.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.brackets import trailing_paren
from ketsugo.read.captions import title_read
from ketsugo.read.cards import card_table
from ketsugo.read.cellnotes import (
    NoteReference,
    date_notes_linked,
    inform_references,
    marks_taken_off,
    old_values_taken_off,
    stray_letters_warned,
)
from ketsugo.read.columns import (
    GROUP_HEADING,
    connection_fields,
    department_heading,
    expected_columns,
    header_of,
    is_connection_header,
    is_data_row,
    joined_parts,
    names_departments,
)
from ketsugo.read.deptscopes import scoped_department
from ketsugo.read.directed import FROM, PARTY_FROM, PARTY_TO, TO, directed_items, directed_parties
from ketsugo.read.ditto import fill_from_above
from ketsugo.read.eras import (
    DateCell,
    EraDateError,
    after_era_end_remark,
    further_dates,
    further_periods,
    parse_date_cell,
    shown,
)
from ketsugo.read.footmarks import item_notes_linked, marked_specific
from ketsugo.read.headers import Headers, headers, is_note_line, is_statement
from ketsugo.read.items import count_remark, removed_items
from ketsugo.read.layout import ParseState
from ketsugo.read.legal import parse_legal_basis, with_statutes
from ketsugo.read.legend import read_items
from ketsugo.read.matrix import ItemMatrix, item_matrix, matrix_cells
from ketsugo.read.normalize import match_key
from ketsugo.read.quoted import cell_lines_read
from ketsugo.read.records import Cell, Connection, Statement
from ketsugo.read.rowspan import carried_over
from ketsugo.read.saidflag import said_flag
from ketsugo.read.stacked import is_subheader, merge_stacked, merged_header, spanned_header, stacks_on
from ketsugo.read.table import MAX_NUMBER_DIGITS, check_width, column_name, header_width, whole_number
from ketsugo.read.wrapping import (
    PendingRow,
    blank_inside_cell,
    continues,
    item_lines_kept,
    joined_text,
    warn_join,
)


def parse_connections(
    lines: list[tuple[int, str]], status: str, state: ParseState, *, register: bool = False
) -> list[Connection]:
    """The connections of one section (status "new" or "ended"); statements, notes and group headings
    go to ``state``, lines not understood to its unread lines. ``register``: the lines are an
    open-data register's one table (no section headings), each row's status said by its 区分 cell,
    else by its end date (filled: ended)."""
    spec = headers()
    section = {"new": 2, "ended": 3}.get(status, 4)  # 4: a section of changes (変更したもの)
    lines = card_table(lines, spec, state)  # connections written as 項目：内容 cards, as a table
    header: list[str] | None = None
    header_line = 0
    fields: dict[str, int] = {}
    rows: list[Connection] = []
    statements: list[Statement] = []
    pending: PendingRow | None = None
    group_heading = ""  # the latest 【…】 line inside the table (【村長】, 【教育委員会】)
    department = ""  # the department a heading line above a table without a 課 column names
    department_line = 0  # that heading's line
    above: list[str] | None = None  # the table's row above, as read (a 同上 or a merged blank reads it)
    references: list[NoteReference] = []  # note marks taken off values, linked to notes at the end
    matrix: ItemMatrix | None = None  # the table's item check-matrix (items as ○ columns)
    row_tables: dict[int, int] = {}  # a row's line → its table's header line
    statement_tables: list[int] = []  # each statement's table's header line (0: above any table)

    def flush() -> None:
        nonlocal pending
        if pending is None or header is None:
            return
        nonlocal above
        cells, at, by = carried_over(pending.cells, above, header, fields, pending.line, state, spec)
        pending.shifted(at, by)  # a web page's copy: cells spanning rows on the first row only
        if pending.joined_at:
            warn_join(pending, header, state, fields)
        cells = item_lines_kept(cells, pending, fields)  # a web page's <br> / <li> lines: items
        if pending.stacked:
            cells = merge_stacked([(pending.line, cells), *pending.stacked], header, fields, state)
        if matrix is not None:  # the marked item columns as one items cell
            cells, odd = matrix_cells(cells, matrix)
            for column, text in odd:
                state.warn(
                    pending.line,
                    column,
                    f"item column holds {shown(text)}, not a mark (headers.toml [item_matrix]): the item "
                    "is read as given, the cell's words kept only here",
                    text,
                )
        cells, marks = marks_taken_off(cells, header, fields, pending.line, spec)  # （株）ABC※4
        references.extend(marks)
        cells = old_values_taken_off(cells, header, fields, pending.line, state)  # A（変更前）、B（変更後）
        stray_letters_warned(cells, header, fields, pending.line, state)  # A 株式会社Ｂ
        cells = fill_from_above(cells, above, header, fields, pending.line, state, spec)
        above = cells
        row = _connection(cells, header, header_line, fields, pending.line, status, state, register)
        if row is not None and department and "departments" not in fields:
            row = replace(row, departments_as_written=department)
        if row is not None:
            rows.append(replace(row, group_heading=group_heading) if group_heading else row)
            row_tables[row.line] = header_line
        pending = None

    first_note = len(state.section_notes)  # this section's notes follow (※印は特定個人情報 …)
    second_header_lines: set[int] = set()  # lines read as the header row's second line
    numbered_together: list[tuple[int, int]] | None = None  # (line, No.) of rows under a 区分 column
    note_end: int | None = None  # the last line of the ※ note just read: an indented line under it goes on
    for position, (line_no, line) in enumerate(lines):
        if line_no in second_header_lines:
            continue
        stripped = line.strip()
        cells = line.split("\t")
        heading = _department_heading(lines, position, header, fields, spec)
        if (
            pending is not None
            and header is not None
            and "\t" in line
            and not is_connection_header(cells, spec)
            and stacks_on(pending.cells, cells, header, fields)
        ):
            pending.stacked.append((line_no, cells))
            pending.lines.append((line_no, line))
            continue
        if (
            pending is not None
            and header is not None
            and stripped
            and heading is None
            and continues(pending, line, cells, header, fields, spec)
        ):
            pending.join(line_no, line)
            continue
        if (
            pending is not None
            and header is not None
            and not stripped
            and blank_inside_cell(pending, lines[position + 1 :], header, fields, spec)
        ):
            pending.lines.append((line_no, line))  # <br><br> in a web page's cell, copied
            pending.blank_above = True
            continue
        flush()
        if not stripped:
            continue
        table_row = "\t" in line and sum(1 for c in cells if c.strip()) >= 2
        if heading is not None:  # 「1　市民防災部 市民課」 above a table without a 課 column
            department, group_heading = heading
            department_line = line_no
            state.inform(
                line_no,
                spec.connection["departments"][0],
                f"department heading: the rows of the table below belong to {department} (as written: "
                f"{stripped})",
                stripped,
            )
            state.section_notes.append((line_no, stripped))  # kept as written, as a 【…】 heading is
        elif "\t" in line and is_connection_header(cells, spec):
            title_read(
                next(
                    ((n, t) for n, t in reversed(lines[max(0, position - 3) : position]) if t.strip()), None
                ),
                state,
            )
            if header is None or [match_key(c) for c in cells] != [match_key(c) for c in header]:
                above = None  # a new table; a header repeated on the next page goes on with the rows
            header, header_line = cells, line_no
            below = lines[position + 1] if position + 1 < len(lines) else None
            joined = None
            if below is not None and "\t" in below[1] and not is_statement(below[1].strip(), spec):
                under = below[1].split("\t")  # (|該当なし|…: the table says it is empty, no header)
                if is_subheader(cells, under, spec):
                    joined = merged_header(cells, under, _table_below(lines, position + 1, spec))
                else:  # a web page's copy: cells spanning both lines stand on the first only
                    joined = spanned_header(cells, under, _table_below(lines, position, spec), spec)
            if below is not None and joined is not None:
                header = joined
                second_header_lines.add(below[0])
                state.warn(
                    line_no,
                    "",
                    f"header row continued on line {below[0]}: each column is named by its cells on "
                    f"both lines ({' / '.join(c for c in header if c)})",
                    f"{line}\n{below[1]}",
                )
            matrix = item_matrix(header, _table_below(lines, position + int(joined is not None), spec))
            if matrix is not None:  # items as ○ columns under one header cell: one items column
                header = matrix.header(header)
                state.inform(
                    line_no,
                    matrix.group,
                    "item check-matrix: the columns under the header cell naming the items are items "
                    f"({' / '.join(name for _, name in matrix.columns)}), not fields; each row's items are "
                    "the columns it marks, in column order, then the free text of その他",
                )
            scoped = scoped_department(state, line_no)  # 「税務課」 over the sheet's sections
            if scoped is not None and scoped[0] > department_line:
                department_line, department = scoped
            if names_departments(header, spec):
                department = ""  # the table's own 課 column says each row's department
            fields = connection_fields(
                header,
                line_no,
                section,
                spec,
                state,
                _table_below(lines, position, spec),
                frozenset({"departments"}) if department else frozenset(),
            )
        elif header is None and table_row:
            state.problem(
                line_no,
                "",
                f"a table row comes before any header row in section ({section}): expected first a "
                f"header row naming {expected_columns(spec)}",
                line,
            )
        elif header is not None and "\t" in line and is_data_row(cells, fields):
            state.row_headers[line_no] = header
            if "status" in fields:  # new, ended and changed rows numbered together
                if numbered_together is None:  # the section's first such row: its list of numbers
                    numbered_together = []
                    state.combined_numbers.append(numbered_together)
                numbered_together.append((line_no, whole_number(cells[fields.get("number", 0)]) or 0))
            pending = PendingRow(line_no, cells, [(line_no, line)])
        elif header is not None and table_row:
            state.row_headers[line_no] = header
            index = fields.get("number", 0)
            number_header = header[index] if index < len(header) else spec.connection["number"][0]
            found = cells[index] if index < len(cells) else ""
            if not found.strip() and (word := _withdrawn(cells)):
                state.unread.append((line_no, line))  # kept as written in the graph
                state.opening.add(line_no)  # said here, not as a line not understood
                state.warn(
                    line_no,
                    number_header,
                    f"a row with no number marked {shown(word)} (withdrawn): not a connection of the "
                    "report (a hidden row of the workbook, copied?); not read, kept as written",
                    line,
                )
                continue
            state.problem(
                line_no,
                number_header,
                f"expected a connection number (a whole number of at most {MAX_NUMBER_DIGITS} digits), "
                f"found {shown(found)}; the row is not read",
                line,
            )
        elif header is not None and (grouping := GROUP_HEADING.match(stripped)):
            group_heading = grouping["group"].strip()  # the rows below belong to it
            state.section_notes.append((line_no, stripped))
        elif is_statement(stripped, spec):
            statements.append(Statement(section, line_no, stripped))
            statement_tables.append(header_line if header is not None else 0)
        elif "\t" not in line and (
            stripped.startswith(("(", "（", *spec.note_markers)) or match_key(stripped) in spec.fillers
        ):
            state.section_notes.append((line_no, stripped))
            note_end = line_no if is_note_line(stripped, spec) else None
        elif note_end is not None and position and lines[position - 1][0] == note_end and _indented(line):
            note_line, note = state.section_notes[-1]  # ※ … 個人情報の / 　　　流れを示す。: one note
            state.section_notes[-1] = (note_line, joined_text(note, stripped))
            note_end = line_no
        else:
            state.unread.append((line_no, line))
    flush()
    inform_references(references, state.section_notes[first_note:], state)
    rows = date_notes_linked(rows, references, state.section_notes[first_note:])  # 令和7年8月1日※2
    rows = item_notes_linked(rows, state.section_notes[first_note:], state)  # 個人番号※1 → ※1 …
    rows = marked_specific(rows, state.section_notes[first_note:], state, spec, lines[0][0] if lines else 0)
    if lines and not rows and not statements and header is None:
        state.warn(
            lines[0][0] - 1,
            "",
            f"section ({section}) has no table and no statement such as 実績はありません",
        )
    for statement, table in zip(statements, statement_tables, strict=True):
        # 該当なし under a table's header row speaks of that table only (each sheet's 「２　廃止…」)
        kept = [r for r in rows if not table or row_tables.get(r.line) == table]
        if kept:
            state.warn(
                statement.line,
                "",
                f"section ({section}) says {shown(statement.text)} but has {len(kept)} row(s) "
                f"(line {kept[0].line} …): both are kept",
                statement.text,
            )
            break
    state.statements.extend(statements)
    return rows


@cache
def _withdrawn_words() -> tuple[str, ...]:
    """cells.toml [withdrawn_rows] words, as match keys."""
    words = reference_toml("cells.toml").get("withdrawn_rows", {}).get("words", ())
    return tuple(match_key(w) for w in words)


def _withdrawn(cells: list[str]) -> str:
    """The withdrawal word (取下げ) a row's cells hold, or ""."""
    for cell in cells:
        key = match_key(cell)
        word = next((w for w in _withdrawn_words() if w in key), "")
        if word:
            return word
    return ""


def _department_heading(
    lines: list[tuple[int, str]],
    position: int,
    header: list[str] | None,
    fields: dict[str, int],
    spec: Headers,
) -> tuple[str, str] | None:
    """(the department, the words before it) when line ``position`` is a department heading over a
    table with no 課 column: the next line that says something is such a table's header row, or a
    row of the table above when that table has no 課 column either (a heading between its blocks)."""
    found = department_heading(lines[position][1])
    if found is None:
        return None
    after = next((t for _, t in lines[position + 1 :] if t.strip()), "")
    cells = after.split("\t")
    if "\t" in after and is_connection_header(cells, spec):
        return None if names_departments(cells, spec) else found
    if header is not None and "\t" in after and is_data_row(cells, fields) and "departments" not in fields:
        return found
    return None


def _connection(
    cells: list[str],
    header: list[str],
    header_line: int,
    fields: dict[str, int],
    line_no: int,
    status: str,
    state: ParseState,
    register: bool = False,
) -> Connection | None:
    misfit = check_width(cells, header, header_line, line_no, "connection", state)
    if misfit and not state.lenient:
        return None
    width = header_width(header)
    if misfit == "few":
        cells = cells + [""] * (width - len(cells))
    cells = joined_parts(cells, header, fields)  # 審議日 | 結果 under 個人情報保護審議会: one cell
    field_at = {index: name for name, index in fields.items()}
    cells = [cell_lines_read(c, field_at.get(i, "")) for i, c in enumerate(cells)]  # breaks in cells
    kept = tuple(
        Cell(column_name(header, i), c, line_no, i + 1, field_at.get(i, "")) for i, c in enumerate(cells)
    )

    def cell(name: str) -> str | None:
        """The cell of an optional field's column; None when the header has no such column."""
        index = fields.get(name)
        if index is None:
            return None
        return cells[index] if index < len(cells) else ""

    def required(name: str) -> str:
        """The cell of a required field's column; "" without one (an error already reported)."""
        return cell(name) or ""

    number = whole_number(required("number"))
    assert number is not None  # is_data_row
    status_text = cell("status")
    if status_text is not None:  # one table for the year: 区分 says of each row new / ended / changed
        row_status = _row_status(status_text, line_no, header_of(header, fields, "status"), state)
        if row_status is None:
            return None
        if row_status == "continued":  # 継続: a connection in force, carried on from an earlier year
            _inform_continuing_row(status_text, line_no, header_of(header, fields, "status"), state)
            row_status = "continuing"
        if row_status == "changed":
            _inform_changed_row(status_text, line_no, header_of(header, fields, "status"), state)
        status = row_status
    elif register and (cell("end_date") or "").strip():  # a register without 区分: an end date ends it
        status = "ended"
    start_text, end_text = cell("start_date"), cell("end_date")
    start_label, end_label = header_of(header, fields, "start_date"), header_of(header, fields, "end_date")
    change_text: str | None = None
    change_label = ""
    if status == "changed" and cell("change_date") is not None:  # 変更年月日: the change's own column
        change_text, change_label = cell("change_date"), header_of(header, fields, "change_date")
    elif status == "changed" and status_text is None and (start_text is None) != (end_text is None):
        # a section of changes with one date column: the date of the change
        change_text = start_text if end_text is None else end_text
        change_label = start_label if end_text is None else end_label
        start_text = end_text = None
    if status_text is not None and (start_text is None) != (end_text is None):
        # one date column in a table of new and ended rows: the date of what the row's 区分 says
        date_text, date_label = (start_text, start_label) if end_text is None else (end_text, end_label)
        start_text, end_text = (date_text, None) if status in ("new", "continuing") else (None, date_text)
        start_label = end_label = date_label
        if status == "changed" and change_text is None:  # a 変更 row's date is the date of the change
            start_text = end_text = None
            change_text, change_label = date_text, date_label
    start, start_note, start_period = _date(start_text, line_no, start_label, state)
    end, end_note, end_period = _date(end_text, line_no, end_label, state, latest=True)
    change, change_note, change_period = _date(change_text, line_no, change_label, state)
    # A blank date cell is the report's own gap, not a reading problem: nothing is recorded here,
    # and validate reports it (kgsh:StartDateShape for a new connection, EndDateShape for an ended one).
    flag_text = cell("specific")
    flag = None
    if flag_text is not None:
        flag = _specific_flag(flag_text, line_no, header_of(header, fields, "specific"), state)
    items_text = cell("items")
    by_lists: str | None = None  # the way data flows, as the filled item columns say
    if items_text is None and (TO in fields or FROM in fields):
        items_text, items, by_lists = directed_items(cell(TO), cell(FROM), headers(), state.legend)
    else:
        items = read_items(items_text or "", state.legend)  # codes of a legend (凡例) read as its names
    for remark in items.remarks:
        state.warn(line_no, header_of(header, fields, "items"), remark, items_text or "")
    for info in items.infos:  # items read from an annex table (別表1のとおり): which, and its line
        state.inform(line_no, header_of(header, fields, "items"), info, items_text or "")
    for item in removed_items(items):  # 個人番号（削除）: read, but perhaps no longer sent
        state.warn(
            line_no,
            header_of(header, fields, "items"),
            f"the item {item.name} is marked {item.note}: the report may say it is no longer sent; "
            "it is still read as an item of the connection",
            items_text or "",
        )
    if items.count_as_written:  # 住所等5項目: the count is the report's, kept as written (rule 13)
        state.inform(line_no, header_of(header, fields, "items"), count_remark(items), items_text or "")
    if flag_text is None:  # no 特定個人情報 column: the items' note or a 備考 cell may say it in words
        remarks = [
            c for h, c in zip(header, cells, strict=False) if match_key(h) in headers().remarks_columns
        ]
        said = said_flag([items.note, *remarks])
        if said is not None:
            flag, flag_text = said
            state.inform(
                line_no,
                header_of(header, fields, "items"),
                _SAID_YES if flag else _SAID_NO,
                flag_text,
            )
    parties_text = cell("counterparties")
    if parties_text is None and (PARTY_TO in fields or PARTY_FROM in fields):
        parties_text, by_parties = directed_parties(cell(PARTY_TO), cell(PARTY_FROM), headers())
        if by_lists is None and by_parties is not None:
            by_lists = by_parties  # the way data flows, as the filled counterparty columns say
    direction_text = cell("direction")
    direction = None
    if by_lists is not None and not (direction_text or "").strip():
        direction = by_lists
        to, source = (TO, FROM) if TO in fields else (PARTY_TO, PARTY_FROM)
        state.inform(
            line_no,
            header_of(header, fields, to if by_lists != "from_party" else source),
            f"which way data flows read from the item columns filled ({_WAYS[by_lists]})"
            if TO in fields
            else f"which way data flows read from the counterparty columns filled ({_WAYS[by_lists]})",
        )
    if direction_text is not None and direction_text.strip():
        direction = (headers().direction or {}).get(match_key(direction_text))
        if direction is None:
            state.warn(
                line_no,
                header_of(header, fields, "direction"),
                f"which way data flows is not read from {shown(direction_text)} (expected 提供, 受領 or "
                "提供・受領; headers.toml [direction]): kept as written",
                direction_text,
            )
    legal_text = cell("legal_basis")
    legal = parse_legal_basis(legal_text) if legal_text is not None else None
    for remark in legal.remarks if legal is not None else ():
        state.warn(line_no, header_of(header, fields, "legal_basis"), remark, legal_text or "")
    statutes_text = cell("statutes")
    if statutes_text is not None:  # 法令 beside 審議会: its statutes are cited with the council's
        legal, statute_remarks = with_statutes(legal, statutes_text)
        for remark in statute_remarks:
            state.warn(line_no, header_of(header, fields, "statutes"), remark, statutes_text)
    return Connection(
        number=number,
        line=line_no,
        status=status,
        departments_as_written=required("departments"),
        business=required("business"),
        reason=cell("reason"),
        subjects=cell("subjects"),
        items_as_written=items_text,
        items=items,
        specific_personal_information_as_written=flag_text,
        specific_personal_information=flag,
        legal_basis=legal,
        counterparties_as_written=parties_text or "",
        start_date_as_written=start_text,
        start_date=start,
        start_date_note=start_note,
        end_date_as_written=end_text,
        end_date=end,
        end_date_note=end_note,
        direction_as_written=direction_text,
        direction=direction,
        start_period=start_period,
        end_period=end_period,
        change_date_as_written=change_text,
        change_date=change,
        change_date_note=change_note,
        change_period=change_period,
        agency_as_written=cell("agency"),
        cells=kept,
        # a change-date cell says something only of a change: on another row it is kept as written
        extra_cells=tuple(
            c
            for c in kept
            if (not c.field or (c.field == "change_date" and status != "changed")) and c.text.strip()
        ),
    )


_WAYS = {"to_party": "提供 only", "from_party": "受領 only", "both": "提供 and 受領"}


def _row_status(text: str, line_no: int, label: str, state: ParseState) -> str | None:
    """What a 区分 cell says of its row: "new", "ended" or "changed" (headers.toml [row_status]);
    None, with an error, for anything else."""
    found = (headers().row_status or {}).get(match_key(text))
    if found is None:
        words = " / ".join(dict.fromkeys((headers().row_status or {}).keys()))
        state.problem(
            line_no, label, f"expected one of {words}, found {shown(text)}; the row is not read", text
        )
    return found


def _inform_continuing_row(text: str, line_no: int, label: str, state: ParseState) -> None:
    """A 継続 row lists again a connection of an earlier year that still runs: in force (data flows
    now), neither new nor ended (the summary counts it in neither b nor c). It is read as a
    connection of status continuing (kg:ContinuingConnection, docs/model.md): an info says so."""
    state.inform(
        line_no,
        label,
        f"{shown(text)}: a connection of an earlier year still in force, neither new nor ended: read as a "
        "continuing connection (kg:ContinuingConnection), not counted as a new or ended connection",
        text,
        kind="report",
    )


def _inform_changed_row(text: str, line_no: int, label: str, state: ParseState) -> None:
    """A 変更 row changes a connection of an earlier year: neither new nor ended (the summary counts
    it in neither b nor c). It is read as a change of its own (kg:ConnectionChange, docs/model.md),
    every cell kept: an info says so, nothing is lost."""
    state.inform(
        line_no,
        label,
        f"{shown(text)}: a change to a connection of an earlier year, neither new nor ended: read as a "
        "connection change (kg:ConnectionChange), not counted as a new or ended connection",
        text,
        kind="report",
    )


def _table_below(lines: list[tuple[int, str]], position: int, spec: Headers) -> list[list[str]]:
    """The cells of the table lines under the header row at ``position``, up to the next header row:
    what a loose header (区分) names is decided by them (:mod:`ketsugo.read.columns`)."""
    below: list[list[str]] = []
    for later in range(position + 1, len(lines)):  # (by index: no copy of the rest of the report each time)
        line = lines[later][1]
        if "\t" not in line:
            continue
        cells = line.split("\t")
        if is_connection_header(cells, spec):
            break
        below.append(cells)
    return below


def _date(
    text: str | None, line_no: int, label: str, state: ParseState, *, latest: bool = False
) -> tuple[date | None, str | None, DateCell | None]:
    """The date, the note after it and, for a cell without a day, its reading at the precision
    written (a month, a year, a fiscal year; 随時 / 未定); (None, None, None) without a column,
    (None, "", None) for a blank cell.

    A cell giving several dates (one per party: 令和3年4月1日、令和3年10月1日) gives the connection
    one: the earliest start (it began with its first party), the latest end (it ended with its last),
    with a warning; the cell stays as written."""
    if text is None:
        return None, None, None
    if not text.strip():
        return None, "", None
    try:
        read = parse_date_cell(text)
    except EraDateError as exc:
        # a date that cannot be (令和2年2月30日) is the report's fault; one not read is ketsugo's
        kind = "report" if str(exc).startswith("impossible date") else "reading"
        state.problem(line_no, label, str(exc), text, kind=kind)
        return None, "", None
    _inform_qualifier(read, text, line_no, label, state)
    if read.day is None:
        _warn_further_periods(read, text, line_no, label, state, latest=latest)
        return None, read.note, read
    parsed = read.day
    if parsed.after_era_end:
        state.warn(line_no, label, after_era_end_remark(parsed, text), text, kind="report")
    more = further_dates(parsed.note)
    if not more:
        _warn_further_periods(read, text, line_no, label, state, latest=latest)
        return parsed.value, parsed.note, None
    dates = sorted({parsed.value, *more})
    listed = ", ".join(d.isoformat() for d in dates)
    if latest:
        chosen = dates[-1]
        state.warn(
            line_no,
            label,
            f"{len(dates)} dates in one cell ({listed}; one per party?): the connection's end date is the "
            f"latest, {chosen.isoformat()} (it ended with its last party); the cell is kept as written",
            text,
        )
    else:
        chosen = dates[0]
        state.warn(
            line_no,
            label,
            f"{len(dates)} dates in one cell ({listed}; one per party?): the connection's start date is the "
            f"earliest, {chosen.isoformat()} (it began with its first party); the cell is kept as written",
            text,
        )
    # the note is what follows the first date: without the list mark that led to the next date
    # (、令和3年10月1日 → 令和3年10月1日); the cell as written is kept whole beside it
    return chosen, parsed.note.lstrip("、,，・/／;； \u3000"), None


def _warn_further_periods(
    read: DateCell, text: str, line_no: int, label: str, state: ParseState, *, latest: bool
) -> None:
    """A warning for a cell whose first date has no day, or whose further dates have none
    (令和4年10月～令和5年3月, 令和4年10月、令和5年1月): the first is read, the others stay only in the
    note, and months, years and fiscal years do not order as days do, so none is picked."""
    more = further_periods(read.note)
    if not more:
        return
    listed = ", ".join(p.shown for p in (read, *more))
    count, first = len(more) + 1, read.shown
    if latest:
        message = (
            f"{count} dates in one cell ({listed}; a range, or one per party?): the connection's end is read "
            f"as the first, {first}, the others are kept in its note; the cell is kept as written"
        )
    else:
        message = (
            f"{count} dates in one cell ({listed}; a range, or one per party?): the connection's start is read "
            f"as the first, {first}, the others are kept in its note; the cell is kept as written"
        )
    state.warn(line_no, label, message, text)


_QUALIFIER_INFO = {
    "undetermined": "{cell} gives no date (the connection is made whenever needed, or its date is not fixed): "
    "none is recorded, the cell is kept as written",
    "approximate": "{cell} is an approximate date ({word}): read as {value} at the precision written, "
    "the word kept as the date's note",
    "planned": "{cell} is a planned date ({word}): the connection may not have begun then; read as "
    "{value}, the word kept as the date's note",
    "fiscal-year-start": "{cell} is the start of a fiscal year ({word}): read as {value}, the year; no month "
    "is written, so none is assumed",
}


def _inform_qualifier(read: DateCell, text: str, line_no: int, label: str, state: ParseState) -> None:
    """An info for a cell that gives no date (随時, 未定) or an approximate or planned one: the
    report says so itself, no fault and nothing lost (dates.toml)."""
    message = _QUALIFIER_INFO.get(read.qualifier)
    if message is None:
        return
    value = f"{read.iso} ({read.precision})" if read.iso else ""
    state.inform(
        line_no, label, message.format(cell=shown(text), word=read.word, value=value), text, kind="report"
    )


_SAID_YES = "specific personal information read as yes from the report's words"
_SAID_NO = "specific personal information read as no from the report's words"


def _specific_flag(text: str, line_no: int, label: str, state: ParseState) -> bool | None:
    """Yes or no as the marks of headers.toml [specific_personal_information] say; None (and an
    error) for a mark it does not list: a mark not read gives no value, never a guessed "no"."""
    spec = headers()
    mark = match_key(text)
    if mark in spec.true_marks:
        return True
    if mark in spec.false_marks:
        return False
    written = text.strip()
    at = trailing_paren(written)
    head = match_key(written[:at]) if at > 0 else ""
    if head and (head in spec.true_marks or head in spec.false_marks):
        # 有（個人番号を含む）: the mark, then a remark in brackets — the remark is kept only as written
        value = head in spec.true_marks
        state.inform(
            line_no,
            label,
            f"{shown(text)} read as {'yes' if value else 'no'} by its mark {shown(written[:at])}; the words in "
            f"brackets {shown(written[at:])} are a remark, kept only in the cell as written",
            text,
        )
        return value
    state.problem(
        line_no,
        label,
        "expected a mark of yes (○, 有, あり …) or of no (a blank, 無, なし, ― …) as headers.toml "
        f"[specific_personal_information] lists them, found {shown(text)}",
        text,
    )
    return None


def check_combined_numbers(state: ParseState) -> None:
    """The rows of a table listing new, ended and changed rows together are numbered 1..n over the
    table (the graph's numbering check, per status, cannot see the changed rows): a gap is a warning."""
    for table in state.combined_numbers:
        expected = 1
        for line_no, number in table:
            if number != expected:
                state.warn(
                    line_no,
                    headers().connection["number"][0],  # the field: its No.
                    f"the rows of the table (new, ended and changed together) are not numbered in turn: "
                    f"No.{number} where No.{expected} comes next",
                    kind="report",
                )
            expected = number + 1


def check_numbers(connections: Iterable[Connection], state: ParseState) -> list[Connection]:
    """Connections with their numbers unique per section; a repeated number is an error.

    In lenient mode the later row is left out of the records (two rows cannot share one
    IRI), and its finding carries the whole row as written.
    """
    seen: dict[tuple[str, int], int] = {}
    kept: list[Connection] = []
    for row in connections:
        key = (row.status, row.number)
        if key in seen:
            number_header = row.header_of("number") or headers().connection["number"][0]
            state.problem(
                row.line,
                number_header,
                f"duplicate connection number {row.number}: already used at line {seen[key]}"
                + ("; this row is kept only in this finding" if state.lenient else ""),
                "\t".join(c.text for c in row.cells),
            )
        else:
            seen[key] = row.line
            kept.append(row)
    return kept


def _indented(line: str) -> bool:
    """A line of one cell set in from the margin (a note's wrapped rest: 　　　流れを示す。)."""
    return "\t" not in line and line[:1] in (" ", "\u3000") and bool(line.strip())
