"""A table's title: the line right before its header row.

A published table carries its title above it — an HTML ``<caption>`` (実施機関別の結合数), a line a
PDF or a word processor sets over the table (新たに開始した結合の一覧). Such a line is no row, no
note and no section heading: read as a line not understood, it drew a warning on every table of a
well-made page. A reader takes it as the table's name, so it is kept as written in the graph (as
the report's opening words are) with an info saying it was read as the title — when it reads as a
title: short, no sentence, naming what a table of the report holds (headers.toml [titles]).
"""

from __future__ import annotations

from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import normalize


def title_read(previous: tuple[int, str] | None, state: ParseState) -> None:
    """Read ``previous`` — the last non-blank line before a table's header row — as the table's
    title, when it was left unread and holds no cells (a row of cells read nowhere stays a warning)."""
    if previous is None or "\t" in previous[1].strip() or not state.unread or state.unread[-1] != previous:
        return
    if not _is_title(previous[1]):
        return  # a sentence, or words naming nothing a table holds: a line not understood
    line_no, line = previous
    state.opening.add(line_no)  # kept as written, not warned about as a line not understood
    state.inform(
        line_no, "", "the table's title (the line right before its header row): kept as written", line
    )


@cache
def _title_words() -> tuple[tuple[str, ...], int]:
    """headers.toml [titles]: the words of a table's title, and its longest length."""
    spec = reference_toml("headers.toml").get("titles", {})
    return tuple(spec.get("words", ())), int(spec.get("max_length", 0))


def names_a_table(text: str) -> bool:
    """Whether ``text`` names what a table of the report holds (一覧, 内訳, 結合 …: headers.toml
    [titles] words)."""
    words, _ = _title_words()
    return any(word in normalize(text) for word in words)


def _is_title(line: str) -> bool:
    """A short line naming what the table holds (一覧, 内訳, 結合 …), no sentence (no 。)."""
    words, longest = _title_words()
    text = normalize(line)
    return 0 < len(text) <= longest and "。" not in text and any(word in text for word in words)
