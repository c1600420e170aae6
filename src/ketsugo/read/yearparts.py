"""Files that hold several fiscal years' reports (a running page, newest first).

A municipality's page may publish 「令和５年度の外部結合」 and 「令和４年度の外部結合」 one after the
other, each with its own summary and sections (or a workbook with a sheet per year). Read as one
report, the second summary's header row becomes data and the numbers repeat: a wall of row-level
errors hiding the cause. So the year parts are found first, by their headings (headers.toml
[year_parts]): without a year given, the file is refused with one error naming the parts; with
one, only that year's part is read and each other part is set aside with an info naming its lines.
"""

from __future__ import annotations

import functools

from ketsugo.errors import InputError, Issue
from ketsugo.paths import reference_toml
from ketsugo.read.eras import fiscal_years
from ketsugo.read.normalize import normalize

__all__ = ["select_year_part", "year_parts"]

_TRAILING = " 　)）]］】〕"


@functools.cache
def _spec() -> tuple[tuple[str, ...], int]:
    data = reference_toml("headers.toml").get("year_parts", {})
    endings = tuple(normalize(e) for e in data.get("endings", []))
    return endings, int(data.get("max_length", 60))


@functools.cache
def _section_words() -> tuple[str, ...]:
    data = reference_toml("headers.toml")["sections"]
    return tuple(w for key in ("new", "ended", "changed") for w in data.get(key, []))


@functools.cache
def _section_marks() -> tuple[str, ...]:
    marks = reference_toml("headers.toml")["sections"].get("marks", [])
    return (*marks, "(", "（", "[", "［", "【", *"0123456789０１２３４５６７８９①②③④⑤⑥⑦⑧⑨⑴⑵⑶⑷⑸")


@functools.cache
def _closing_words() -> tuple[str, ...]:
    data = reference_toml("headers.toml")["sections"]
    return tuple(dict.fromkeys([*data.get("closing", []), *data.get("closing_line", [])]))


def _closing_start(lines: list[tuple[int, str]], start: int, end: int) -> int:
    """Where the page's closing block (問い合わせ先：…, after the last part's last table row) begins
    in the last part, else ``end``: it belongs to every year, not to the last one."""
    rows = [i for i in range(start, end) if "\t" in lines[i][1]]
    marks = (*reference_toml("headers.toml")["sections"].get("marks", []), "【", "[", "［", "(", "（")
    for i in range((rows[-1] + 1) if rows else end, end):
        text = lines[i][1].strip().lstrip("".join(marks)).lstrip("おご")
        if text and text.startswith(_closing_words()):
            return i
    return end


def _part_year(line: str) -> int | None:
    """The one fiscal year a line opening a year's part names, else None."""
    text = line.strip()
    endings, max_length = _spec()
    if not text or "\t" in text or len(text) > max_length or "。" in text:
        return None
    years = set(fiscal_years(text))
    if len(years) != 1:
        return None
    if text.startswith(_section_marks()) or any(word in text for word in _section_words()):
        return None  # (2)新たに…の内訳（令和4年度）: a section heading, not a year's part
    bare = normalize(text)
    if not any(bare.endswith(e) or bare.rstrip(_TRAILING).endswith(e.rstrip(_TRAILING)) for e in endings):
        return None
    return years.pop()


def year_parts(lines: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(fiscal year, index of the opening line, index past the part's last line) of each year part,
    when the file holds parts of two different years or more, each with a table; else []."""
    starts = [(i, year) for i, (_, line) in enumerate(lines) if (year := _part_year(line)) is not None]
    # a heading repeating the year of the part it stands in (a sheet's title, then its heading) opens nothing
    opening: list[tuple[int, int]] = []
    for index, year in starts:
        if not opening or opening[-1][1] != year:
            opening.append((index, year))
    parts = [
        (year, index, opening[k + 1][0] if k + 1 < len(opening) else len(lines))
        for k, (index, year) in enumerate(opening)
    ]
    parts = [p for p in parts if any("\t" in line for _, line in lines[p[1] : p[2]])]
    if len({year for year, _, _ in parts}) < 2:
        return []
    return parts


def select_year_part(
    lines: list[tuple[int, str]], path: str, given: int | None, issues: list[Issue]
) -> list[tuple[int, str]]:
    """The lines to read: all of them for a file of one year; else the lines before the first
    part and those of the year ``given`` (each other part set aside with an info in ``issues``).
    Without a year given, or with one no part names, the file is refused: one InputError."""
    parts = year_parts(lines)
    if not parts:
        return lines
    named = ", ".join(
        f"{year} (line {lines[start][0]}: 「{lines[start][1].strip()}」)" for year, start, _ in parts
    )
    years = sorted({year for year, _, _ in parts})
    if given is None or given not in years:
        why = (
            f"none of them is fiscal year {given} (--fiscal-year)"
            if given is not None
            else "give --fiscal-year N to read one year's part (one build per year)"
        )
        raise InputError(
            [
                Issue(
                    path,
                    lines[parts[0][1]][0],
                    "--fiscal-year",
                    f"the file holds the reports of {len(years)} fiscal years, each part with its own "
                    f"summary and sections: {named}; {why}",
                    kind="report",
                )
            ]
        )
    closing = _closing_start(lines, parts[-1][1], parts[-1][2])
    parts[-1] = (parts[-1][0], parts[-1][1], closing)
    kept = lines[: parts[0][1]]
    for year, start, end in parts:
        if year == given:
            kept += lines[start:end]
            continue
        last = next((n for n, line in reversed(lines[start:end]) if line.strip()), lines[start][0])
        issues.append(
            Issue(
                path,
                lines[start][0],
                "--fiscal-year",
                f"fiscal year {year}'s part (lines {lines[start][0]}–{last}) set aside: only fiscal year "
                f"{given} is read; build it with --fiscal-year {year}",
                lines[start][1].strip(),
                "info",
                kind="report",
            )
        )
    return kept + lines[closing:]
