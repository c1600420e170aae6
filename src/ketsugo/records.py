"""Typed records the parser returns: what the report says, cell by cell.

Every record keeps the verbatim cell text beside the values derived from it,
and the 1-based line of the report file it came from, so that any later stage
can point a reader back to the paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]
    note: str = ""
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatuteCitation:
    as_written: str
    law_name: str
    article: str = ""
    paragraph: int = 0
    supplementary: bool = False
    position: int = 1


@dataclass(frozen=True)
class CouncilDecision:
    """審議会 decision: e.g. 令和2年度第2回審議会承認 → (2020, 2, 承認)."""

    as_written: str
    fiscal_year: int
    meeting: int
    decision: str  # "承認" (approval) or "了承" (acknowledgement)


@dataclass(frozen=True)
class LegalBasis:
    as_written: str
    decision: CouncilDecision | None
    statutes: tuple[StatuteCitation, ...] = ()
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A cell as written, with where it stands in the file."""

    header: str
    text: str
    line: int
    column: int  # 1-based field number


@dataclass(frozen=True)
class Connection:
    number: int
    line: int
    status: str  # "new" (section 2) or "ended" (section 3)
    departments_as_written: str
    business: str
    reason: str
    subjects: str
    items_as_written: str
    items: ItemList
    specific_personal_information_as_written: str
    specific_personal_information: bool
    legal_basis: LegalBasis
    counterparties_as_written: str
    start_date_as_written: str
    start_date: date | None
    start_date_note: str
    end_date_as_written: str = ""
    end_date: date | None = None
    end_date_note: str = ""
    cells: tuple[Cell, ...] = ()
    extra_cells: tuple[Cell, ...] = ()  # cells under headers that name no known field


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
class Issue:
    """Something the parser could not read as expected: an error, or a finding in lenient mode."""

    path: str
    line: int
    field: str
    message: str
    as_written: str = ""
    severity: str = "error"  # "error" stops a strict parse; "warning" never does

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f" [{self.field}]" if self.field else ""
        return f"{where}:{what} {self.message}"


@dataclass(frozen=True)
class Report:
    path: str
    title: str
    fiscal_year: int | None
    summary_headers: tuple[str, ...]
    summary: tuple[SummaryRow, ...]
    summary_notes: tuple[str, ...]
    connections: tuple[Connection, ...]
    ended_connections_statement: str
    issues: tuple[Issue, ...] = field(default=())
    unread_lines: tuple[tuple[int, str], ...] = ()
    section_notes: tuple[tuple[int, str], ...] = ()
