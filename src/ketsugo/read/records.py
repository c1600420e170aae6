"""Typed records the parser returns: what the report says, cell by cell.

Every record keeps the verbatim cell text beside the values derived from it,
and the 1-based line of the report file it came from, so that any later stage
can point a reader back to the paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ketsugo.errors import Issue
from ketsugo.read.eras import DateCell


@dataclass(frozen=True)
class Item:
    """One leaf data item of a 個人情報記録の項目 cell (rules: docs/items.md)."""

    as_written: str
    name: str
    position: int
    group: str = ""
    marker: str = ""
    qualifier: str = ""
    conditional: bool = False
    parts: tuple[str, ...] = ()
    footnote: str = ""  # a mark after the name (個人番号※ → "※") pointing to a note under the table
    legend_code: str = ""  # the legend's code the item was written as (A, ①: rule 14); "" when written out
    note: str = ""  # a bracketed change remark after the name (個人番号（追加） → "（追加）": rule 15)
    source_line: int = 0  # the line of an annex table (別表１) the item was read from; 0: the row's own cell


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]
    note: str = ""
    remarks: tuple[str, ...] = ()
    open_ended: bool = False  # the list ends in 等 / など / ほか: more items than those written
    not_in_report: bool = False  # the cell points elsewhere (別紙のとおり…): the items are not in the report
    count: int = 0  # the number of items the list says it has (住所等5項目, （4項目）: rule 13); 0 when none
    count_as_written: str = ""  # that count as written (等5項目, （4項目）), taken off the last item's name
    infos: tuple[str, ...] = ()  # what the reading says without a doubt (items read from 別表１ at line 50)


@dataclass(frozen=True)
class StatuteCitation:
    """One statute cited in a 条例根拠 cell: 番号法第19条第8号 → law 番号法, article "19", item 8."""

    as_written: str
    law_name: str  # as written (同法 resolved to the law it names; left as 同法… when it names none)
    article: str = ""  # "12", "245の9"; "" when none is written
    paragraph: int = 0  # 項; 0 when none is written
    supplementary: bool = False  # 附則
    position: int = 1
    item: int = 0  # 号; 0 when none is written
    rest: str = ""  # text after the article, paragraph and item (ただし書, 前段…), kept as written


@dataclass(frozen=True)
class CouncilDecision:
    """審議会 decision: e.g. 令和2年度第2回審議会承認 → (2020, 2, 承認).

    A decision dated instead of numbered (令和2年5月20日審議会答申) has meeting 0, its date, and
    the fiscal year (April to March) that date falls in.
    """

    as_written: str
    fiscal_year: int
    meeting: int  # 0 when no meeting number is written (a dated decision)
    decision: (
        str  # the decision word as read: 承認, 了承, 答申, 意見, 報告, 諮問 (cells.toml [legal.decisions])
    )
    council: str = ""  # the council's name as written between the meeting (or date) and the word: 審議会, …
    meeting_date: date | None = None  # the date when the cell gives one instead of a meeting number


@dataclass(frozen=True)
class LegalBasis:
    as_written: str
    decision: CouncilDecision | None
    statutes: tuple[StatuteCitation, ...] = ()
    remarks: tuple[str, ...] = ()
    statutory: bool = (
        False  # the cell says the basis is a statute (法令に基づく…; cells.toml [legal] statutory)
    )


@dataclass(frozen=True)
class Cell:
    """A cell as written, with where it stands in the file and the column it stands in."""

    header: (
        str  # the header cell of its column, as written (e.g. 担当課); "field N (no header)" past the header
    )
    text: str
    line: int
    column: int  # 1-based field number
    field: str = (
        ""  # the record field its column fills (e.g. "departments"); "" for a column of no known field
    )


@dataclass(frozen=True)
class Connection:
    """One row of section (2) or (3).

    A field of an optional column (headers.toml: not in ``[required.new]`` / ``[required.ended]``)
    is None when the header row has no such column: its value is unknown, which is not the same
    as a blank cell; the parser warns about it once at the header row of a new-connection table
    (ended tables often carry only No., 課, 業務名, 相手方 and the end date: no warning there).
    A required column missing is an error; a lenient parse reads its cells as "". Departments,
    business and counterparties are "" without a column; items_as_written is None (and items
    empty) without one.
    """

    number: int
    line: int
    # "new" (section 2), "ended" (section 3), "changed" (a 変更 row: Report.changes) or
    # "continuing" (a 継続 row: a connection of an earlier year still in force, neither new nor ended)
    status: str
    departments_as_written: str
    business: str
    reason: str | None
    subjects: str | None
    items_as_written: str | None
    items: ItemList
    specific_personal_information_as_written: str | None
    specific_personal_information: bool | None  # ○ → True, blank → False, no column → None
    legal_basis: LegalBasis | None
    counterparties_as_written: str
    start_date_as_written: str | None
    start_date: date | None  # None when blank, unreadable or without a column
    start_date_note: str | None
    end_date_as_written: str | None = None
    end_date: date | None = None
    end_date_note: str | None = None
    cells: tuple[Cell, ...] = ()
    extra_cells: tuple[Cell, ...] = ()  # cells under headers that name no known field
    # a 【…】 line above the row inside the table (【教育委員会】): the group the report puts it in,
    # as written, "" without one (the graph reads an implementing agency's name from it)
    group_heading: str = ""
    # which way data flows (提供・受領の別; headers.toml [direction]): "to_party", "from_party" or
    # "both"; None without such a column or for a word not in the vocabulary (kept as written)
    direction_as_written: str | None = None
    direction: str | None = None
    # a start or end cell written without a day (a month, a year, a fiscal year; 随時 / 未定): its
    # reading at that precision, while start_date / end_date stay None (no day is made up)
    start_period: DateCell | None = None
    end_period: DateCell | None = None
    # a 変更 row (status "changed", a 区分 cell of headers.toml [row_status] changed): the date of the
    # change, from a table's one date column (the date of what 区分 says); None otherwise
    change_date_as_written: str | None = None
    change_date: date | None = None
    change_date_note: str | None = None
    change_period: DateCell | None = None
    # a register's 実施機関 column (熊本市長, 熊本市教育委員会): the row's implementing agency as
    # written, over the department's rule; None without such a column
    agency_as_written: str | None = None

    def cell(self, field_name: str) -> Cell | None:
        """The cell of the column that fills ``field_name`` (e.g. "departments"), or None without one."""
        return next((c for c in self.cells if c.field == field_name), None)

    def header_of(self, field_name: str) -> str:
        """The header of the column that fills ``field_name`` as written (e.g. 担当課), for messages;
        "" when the report has no such column."""
        found = self.cell(field_name)
        return found.header.strip() if found is not None else ""


@dataclass(frozen=True)
class SummaryRow:
    line: int
    agency: str
    previous: int | None
    new: int | None
    ended: int | None
    current: int | None
    specific: int | None
    is_total: bool
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A line saying a section's table is empty (e.g. 実績はありません。), as written."""

    section: int  # 2 (new connections) or 3 (ended ones)
    line: int
    text: str


@dataclass(frozen=True)
class Report:
    path: str
    title: str
    fiscal_year: int | None  # what the title, section headings and summary header agree on; else None
    summary_headers: tuple[str, ...]
    summary: tuple[SummaryRow, ...]
    summary_notes: tuple[str, ...]
    connections: tuple[Connection, ...]
    statements: tuple[Statement, ...] = ()
    issues: tuple[Issue, ...] = field(default=())
    unread_lines: tuple[tuple[int, str], ...] = ()
    # (line, text) of the parenthesised subtitles of sections and the ※ notes in sections (2) and (3)
    section_notes: tuple[tuple[int, str], ...] = ()
    # one table lists the year's new and ended connections (a 区分 column: 新規 / 廃止 / 変更), numbered
    # together: the numbers run over the table, not over each status
    combined_lists: bool = False
    # rows reporting a change to an existing connection (a 区分 cell 変更): neither new nor ended,
    # each a Connection record of status "changed" (the graph: kg:ConnectionChange)
    changes: tuple[Connection, ...] = ()
    # an open-data register's 全国地方公共団体コード / 地方公共団体名 columns: the body every row names
    # (the rows agree, or the parse has an error); None without such a column
    municipality_code: str | None = None
    municipality_name: str | None = None

    @property
    def ended_connections_statement(self) -> str:
        """The statement of section (3) (e.g. 実績はありません。), or ""."""
        return next((s.text for s in self.statements if s.section == 3), "")
