"""Connections the summary counts but no section lists: a report read as nothing.

A report whose summary counts 16 new connections and whose section (2) yields no row (no table,
no cards ketsugo reads, no statement such as 実績はありません) was not read, whatever the reason —
a layout ketsugo does not know yet, most often. Built strictly, such a report must be refused, not
written as a graph of no connections that a script would publish; built leniently, the finding
stays in the graph and `ketsugo validate` fails on it (a reading violation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ketsugo.read.headers import headers
from ketsugo.read.layout import ParseState
from ketsugo.read.records import Connection, Statement, SummaryRow
from ketsugo.read.summary import count_column

# section → (status of its rows, the summary's count of them: a SummaryRow field, a [summary] key)
_SECTIONS = {2: ("new", "new"), 3: ("ended", "ended")}


def counted_but_unread(
    summary: Sequence[SummaryRow],
    connections: Sequence[Connection],
    statements: Sequence[Statement],
    sections: Mapping[int, Sequence[tuple[int, str]]],
    state: ParseState,
) -> None:
    """An error for each of sections (2) and (3) present whose rows the summary counts (its total
    row, else the sum of its rows) while not one row of that status was read, no statement says
    the section is empty and no error of its lines says why already (a row too short)."""
    total = next((row for row in summary if row.is_total), None)
    for section, (status, count) in _SECTIONS.items():
        if section not in sections:
            continue  # no such section: said elsewhere (no section (2)) or not published
        if any(c.status == status for c in connections) or any(s.section == section for s in statements):
            continue
        numbers = [n for n, _ in sections[section]]
        if numbers and any(
            i.severity == "error" and numbers[0] <= i.line <= numbers[-1] for i in state.issues
        ):
            continue
        counted = (
            getattr(total, count) if total is not None else sum(getattr(row, count) or 0 for row in summary)
        )
        if not counted:
            continue
        line = total.line if total is not None else summary[0].line
        # the summary's column of that count as the report heads it (新規, 廃止), else the section
        written = state.summary_header[1] if state.summary_header is not None else []
        column = count_column(written, count, headers()) or f"section ({section})"
        hint = (
            "ketsugo reads a table under its heading, 項目：内容 cards, or blocks of 項目⇥内容 tables, of label "
            "and value lines (a web page's <dl>: each label alone on its line, its value under it) or of "
            "「（１）label　value」 lines under a numbered title (１　…, 新規１　…); `ketsugo extract` shows "
            "the text it read (docs/your-report.md)"
        )
        state.problem(
            line,
            column,
            f"the summary counts {counted} new connection(s) but no row of one was read in section (2): {hint}"
            if status == "new"
            else f"the summary counts {counted} ended connection(s) but no row of one was read in section (3): "
            f"{hint}",
        )


def read_as_nothing(
    summary: Sequence[SummaryRow],
    connections: Sequence[Connection],
    statements: Sequence[Statement],
    sections: Mapping[int, Sequence[tuple[int, str]]],
    state: ParseState,
) -> None:
    """An error when not one row or summary row was read while a section of connections holds lines
    not understood and no statement that it is empty (該当なし), and no error says why already: a
    layout ketsugo does not know.
    Without it such a report (with no summary that counts the rows: :func:`counted_but_unread`) was
    built strictly into a graph of no connections, exit 0."""
    if summary or connections or any(i.severity == "error" for i in state.issues):
        return
    unread = {n for n, _ in state.unread}
    for section in sorted(_SECTIONS):
        lines = [n for n, line in sections.get(section, ()) if line.strip() and n in unread]
        if any(s.section == section for s in statements):
            continue  # 該当なし: the section says it is empty
        if lines:
            state.problem(
                lines[0],
                "",
                f"nothing was read from the report: not one row or summary row, while section "
                f"({section}) holds {len(lines)} line(s) not understood (lines {lines[0]}–{lines[-1]}): a "
                "layout ketsugo does not know; `ketsugo extract` shows the text it read, docs/your-report.md "
                "the layouts it reads",
            )
            return
