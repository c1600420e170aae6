"""Tables copied out of a PDF viewer: refused with an error that says so.

A PDF viewer's copy of a report's text (Acrobat, Chrome: select all, copy, paste) writes a table's
header row as its names apart by single spaces (No 担当課 業務名 …), broken over lines where a name
wrapped in its cell (特定個⏎人情報, 提供・受⏎領の別), and then each cell on lines of its own — a
cell's wraps too, cells side by side on one printed line joined by a space — with no tab, page
footers (－ 4 －) and the header repeated at each page's top among them. No row has a fixed number
of lines, so such a table cannot be read honestly: the reading stops with one error per table,
asking for the PDF itself (ketsugo reads .pdf) or a tab-separated text, as Word's plain-text save
is refused (read/cellperline.py).

Such a header is a line without a tab whose first word names a connection table's first column
(headers.toml [connection] number) and whose words, with those of the lines continuing it (a wrapped
name's rest joined on), name at least `_FEWEST` of the table's columns. Its cells stand one a line
when fewer than half of the lines under it (up to the next heading or header, at most `_LOOKED_AT`)
have half as many words as the header has names: a table written a row a line is no such copy. A
space-separated summary (実施機関 令和５年度末 …, each agency's counts on its line) is read
(summary.spaced_summary), never refused here.
"""

from __future__ import annotations

import re

from ketsugo.errors import Issue
from ketsugo.read.headers import Headers, headers, match_field
from ketsugo.read.layout import section_of
from ketsugo.read.normalize import match_key

# The fewest column names a header row must name (as read/cellperline.py asks of a header one a line)
_FEWEST = 4
# A header name is short; a longer word is text
_LONGEST = 25
# The most lines a header row's names are broken over after its first
_CONTINUED = 6
# The most lines under a header looked at to tell cells one a line from rows one a line
_LOOKED_AT = 12
# A row's number cell, the first word of a row's first line (1, １, 12.)
_NUMBER = re.compile(r"[0-9０-９]+[.．]?")
# No header name holds a colon (a label and its value: 担当課：総務課) nor a sentence's comma or stop
_NOT_IN_A_NAME = ":：、。"


def pdf_copied_tables(lines: list[tuple[int, str]], path: str) -> list[Issue]:
    """An error naming each table copied out of a PDF viewer (see the module), in the file's order."""
    spec = headers()
    said = [(n, line.strip()) for n, line in lines if line.strip()]
    found: list[tuple[list[tuple[int, str]], list[str], list[int]]] = []  # header lines, names, repeats
    index = 0
    while index < len(said):
        header = _header(said, index, spec)
        if header is None:
            index += 1
            continue
        run, names = header
        end = index + len(run)
        if _cells_one_a_line(said[end : end + _LOOKED_AT], len(names), spec):
            previous = found[-1] if found else None
            if (
                previous is not None
                and previous[1] == names
                and not _heading_between(said, previous, run[0][0])
            ):
                previous[2].append(run[0][0])  # the header repeated at the top of the next page
            else:
                found.append((run, names, []))
        index = end
    return [_issue(path, run, names, repeats) for run, names, repeats in found]


def _words(text: str) -> list[str]:
    """The words of a line apart by ASCII spaces (a cell's own full-width space kept within)."""
    return [w for w in text.split(" ") if w]


def _header(
    said: list[tuple[int, str]], index: int, spec: Headers
) -> tuple[list[tuple[int, str]], list[str]] | None:
    """The lines and the names of a header row written with its names apart by spaces starting at
    ``said[index]``, or None."""
    first = said[index][1]
    words = _words(first)
    if (
        "\t" in first
        or len(words) < 2
        or match_key(words[0]) not in {match_key(w) for w in spec.connection.get("number", ())}
        or any(len(w) > _LONGEST or any(c in w for c in _NOT_IN_A_NAME) for w in words)
    ):
        return None
    names = list(words)
    run = [said[index]]
    for line_no, text in said[index + 1 : index + 1 + _CONTINUED]:
        more = _words(text)
        if (
            "\t" in text
            or _NUMBER.fullmatch(more[0])
            or section_of(text) is not None
            or any(len(w) > _LONGEST or any(c in w for c in _NOT_IN_A_NAME) for w in more)
        ):
            break
        # a name wrapped in its cell (特定個⏎人情報, 提供・受⏎領の別): its rest starts the line
        joined = _named(names[-1], spec) is None and _named(more[0], spec) is None
        rest = more[1:] if joined else more
        # the rest are names of columns (the last perhaps wrapped on), else the cells have begun
        if any(_named(w, spec) is None for w in rest[:-1]):
            break
        if not joined and all(_named(w, spec) is None for w in rest):
            break
        if joined:
            names[-1] += more[0]
        names.extend(rest)
        run.append((line_no, text))
    if sum(match_field(n, spec.connection) is not None for n in names) < _FEWEST:
        return None
    return run, names


def _named(word: str, spec: Headers) -> str | None:
    """The column a word of a header's continuation names; never the first column (番号 ends many a
    cell: 特別徴収義務者番号)."""
    field = match_field(word, spec.connection)
    return None if field == "number" else field


def _cells_one_a_line(under: list[tuple[int, str]], width: int, spec: Headers) -> bool:
    """Whether the lines under a header of ``width`` names hold its cells one a line (not a row a
    line); only the lines up to the next section heading or header row are looked at."""
    looked: list[str] = []
    for _, text in under:
        words = _words(text)
        if "\t" in text or section_of(text) is not None:
            break
        if match_key(words[0]) in {match_key(w) for w in spec.connection.get("number", ())}:
            break
        looked.append(text)
    if not looked:
        return False
    full = sum(len(_words(text)) * 2 >= width for text in looked)
    return full * 2 < len(looked)


def _heading_between(
    said: list[tuple[int, str]], previous: tuple[list[tuple[int, str]], list[str], list[int]], line_no: int
) -> bool:
    """Whether a section heading stands between the last header of ``previous`` and ``line_no``."""
    after = previous[2][-1] if previous[2] else previous[0][-1][0]
    return any(section_of(text) is not None for n, text in said if after < n < line_no)


def _issue(path: str, run: list[tuple[int, str]], names: list[str], repeats: list[int]) -> Issue:
    first, last = run[0][0], run[-1][0]
    shown = " / ".join(names)
    later = ", ".join(str(n) for n in repeats)
    return Issue(
        path,
        first,
        "",
        (f"lines {first}–{last}" if last > first else f"line {first}")
        + f" ({shown})"
        + (
            (f", repeated on line {later}" if len(repeats) == 1 else f", repeated on lines {later}")
            if repeats
            else ""
        )
        + ": this table's text looks copied from a PDF viewer: its header names are separated by spaces "
        "and its cells stand one a line, so its rows cannot be told apart; give ketsugo the PDF itself "
        "(it reads .pdf), or a tab-separated text",
        "\n".join(text for _, text in run),
    )
