"""A line holding only a sheet's name that names a section — 新規, 廃止, 件数 — as the heading it is.

A workbook whose sheets are named 新規 / 廃止 / 件数 tells its sections by those names alone (each
sheet's title, 「令和６年度 外部結合の状況（新規） 西脇市」, is no heading). Saved as a web page, or
copied out of Excel, each sheet's name stands on a line of its own above the sheet's table; read as
a heading (【新規】) it opens that section, as the sheet's name does in the workbook
(ketsugo.read.sources.xlsx.sheet_heading). Only a short line (data/reference/headers.toml
[sections] ``name_max_length``) naming exactly one section by its words, with nothing else on it,
is such a name; a line that already opens a section is left as written.
"""

from __future__ import annotations

from functools import cache

from ketsugo.paths import reference_toml


@cache
def _max_length() -> int:
    return int(reference_toml("headers.toml")["sections"].get("name_max_length", 0))


def name_heading(text: str) -> str:
    """The heading 【text】 a line holding only a section's name stands for ("" for any other line)."""
    from ketsugo.read.layout import _section_of

    stripped = text.strip(" \t\r\u3000")
    if not stripped or len(stripped) > _max_length() or "\t" in stripped:
        return ""
    if _section_of(stripped) is not None:
        return ""  # already a heading (【新規】, ■廃止)
    heading = heading_from_name(stripped)
    return heading if heading.startswith("【") else ""


def heading_from_name(name: str) -> str:
    """A sheet's name (or a line holding only a name) naming exactly one section (headers.toml
    [sections]) as a heading line: 新規 → 【新規】."""
    from ketsugo.read.headers import headers
    from ketsugo.read.normalize import match_key

    key = match_key(name)
    named = {n for n, words in headers().section_words.items() if any(match_key(w) in key for w in words)}
    if len(named) != 1:
        return ""
    stripped = name.strip()
    return stripped if stripped[:1] in "(（【" else f"【{stripped}】"
