"""Tables saved one cell a line: refused with an error that says so.

Word's 「書式なし」 (plain text) save writes a table's cells one a line, with no tab between them: the
header names of the table one under another (No. / 担当課 / 業務名 / …), then every cell of every row.
Such a file cannot be read honestly: a cell's own line breaks (items one a line, 令和６年度第１回 ⏎
承認) become lines as well, a merged cell (担当課 over three rows) is written once, and an empty cell
may or may not keep a line — so the rows have no fixed number of lines, and no count of the header
names says where one row ends. Rather than guess, the reading stops at the first such table with an
error naming it, and asks for the document itself (ketsugo reads .docx) or its tab-separated text.

A table's header one name a line is a run of lines, none with a tab, starting with the first
column's name (No. of a connection table, 実施機関 of the summary: headers.toml [connection] number,
[summary] agency) and going on with names of that table's columns, at least `_FEWEST` in all.
"""

from __future__ import annotations

from ketsugo.errors import InputError, Issue
from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.normalize import match_key
from ketsugo.read.pdfcopy import pdf_copied_tables

# The fewest header names one a line that make a table's header (a summary has 5 or 6 columns)
_FEWEST = 4
# A header name is short; a longer line is text (a sentence, a heading)
_LONGEST = 25
# A spanning header cell no field names (結合の内容 over 記録項目 | 対象者) may stand among the names
_UNNAMED_IN_A_ROW = 1

_COLONS = ":："

_SUMMARY_FIELDS = ("agency", "specific", "ended", "new", "previous", "current")


def refuse_cells_one_a_line(lines: list[tuple[int, str]], path: str, lenient: bool = False) -> list[Issue]:
    """An error naming each table whose header names stand one a line (see the module), or whose
    text was copied out of a PDF viewer (header names apart by spaces, cells one a line:
    read/pdfcopy.py): raised as an InputError, these errors alone (the reading of such lines says
    nothing more of use); when ``lenient``, returned, to stand first among the report's findings."""
    spec = headers()
    issues = [_issue(path, run) for run in _header_runs(lines, spec)]
    issues = sorted([*issues, *pdf_copied_tables(lines, path)], key=lambda issue: issue.line)
    if issues and not lenient:
        raise InputError(issues)
    return issues


def _header_runs(lines: list[tuple[int, str]], spec: Headers) -> list[list[tuple[int, str]]]:
    """Each run of lines that is a table's header written one name a line."""
    summary = {k: v for k, v in spec.summary.items() if k in _SUMMARY_FIELDS}
    said = [(n, line.strip()) for n, line in lines if line.strip()]
    runs = []
    index = 0
    while index < len(said):
        first = said[index][1]
        kind = _first_column(first, spec, summary)
        if kind is None:
            index += 1
            continue
        fields = spec.connection if kind == "connection" else summary
        run, named, unnamed = [said[index]], 1, 0
        for line_no, text in said[index + 1 :]:
            if "\t" in text or len(text) > _LONGEST or any(c in text for c in _COLONS):
                break  # a card's 担当課：総務課 is a label and its value, no header name
            if match_field(text, fields) is not None:
                run.append((line_no, text))
                named, unnamed = named + 1, 0
            elif unnamed < _UNNAMED_IN_A_ROW:
                run.append((line_no, text))
                unnamed += 1
            else:
                break
        while run and match_field(run[-1][1], fields) is None:
            run.pop()  # the line after the names (a row's first cell) is no header name
        if named >= _FEWEST:
            runs.append(run)
            index += len(run)
        else:
            index += 1
    return runs


def _first_column(text: str, spec: Headers, summary: dict[str, tuple[str, ...]]) -> str | None:
    """The table ("connection", "summary") whose first column ``text`` names, the whole line
    (No., 実施機関; not a label before a value, 番号：1), or None."""
    key = match_key(text)
    if key in {match_key(w) for w in spec.connection.get("number", ())}:
        return "connection"
    if key in {match_key(w) for w in summary.get("agency", ())}:
        return "summary"
    return None


def _issue(path: str, run: list[tuple[int, str]]) -> Issue:
    first, last = run[0][0], run[-1][0]
    names = " / ".join(text for _, text in run)
    return Issue(
        path,
        first,
        "",
        f"lines {first}–{last} are a table's header names one a line ({names}), and its cells follow "
        "one a line: a table saved one cell a line (as Word's plain-text save writes one). ketsugo "
        "cannot tell which lines make a row — a cell's line breaks become lines too, a merged cell is "
        "written once — so it reads none of them: build from the Word document itself (ketsugo build "
        "report.docx), or give each row as one line of tab-separated cells (ketsugo extract "
        "report.docx writes that text)",
        names,
    )
