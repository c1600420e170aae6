"""Lines that name the implementing agency (実施機関) of the rows below them.

A prefecture (or a city with several agencies) often lists each agency's connections under a
heading of its own rather than in a 実施機関 column:

- a numbered sub-heading inside a section: 「２　新たに結合を開始したもの」, then 「（1）知事」 over
  the governor's table, 「（2）教育委員会」 over the board's, … — the number counts the agencies,
  not the report's sections (1)/(2)/(3), and the title names an agency and no section;
- a labelled line above an agency's page or sheet: 「実施機関：教育委員会」, then that agency's
  sections (2) and (3).

Both are data: the agency names are those of data/reference/agency-rules.toml (labels, label
endings, the executive heads' labels, perhaps after the place's name: 佐賀県知事) and the endings
and labels of headers.toml [agency_headings]. A numbered sub-heading holds until the next section
heading or agency heading; a labelled line, written above the section headings, until the next
labelled line. The rows under a heading carry its agency as their group heading, as a 【教育委員会】
line inside a table gives it (records.Connection.group_heading): the graph reads the agency there.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from ketsugo.paths import reference_toml
from ketsugo.read.headers import headers, match_field
from ketsugo.read.normalize import GOJUON, match_key, normalize
from ketsugo.read.proseblocks import field_line, prose_block_lines
from ketsugo.read.records import Connection

if TYPE_CHECKING:
    from ketsugo.read.layout import ParseState

# A number or mark before a sub-heading's title: (1) / （１） / ⑴ / ① / 1. / １　/ 第1 / ア.
_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*(?:[0-9０-９]{1,3}|[ア-ンｱ-ﾝ])\s*[)）]|[⑴-⒇①-⑳]|[0-9０-９]{1,2}(?:[.．、]|\s)"
    r"|第\s*[0-9０-９一二三四五六七八九十]{1,2}\s*[.．、]?|[ア-ン](?:[.．、]|\s))\s*(?P<title>\S.*)$"
)
# A bracketed title: 【教育委員会】
_BRACKETED = re.compile(r"^\s*[【［\[〔]\s*(?P<title>[^】］\]〕]{1,30}?)\s*[】］\]〕]\s*$")
# The place's name before an agency's label (佐賀県知事, 横浜市教育委員会)
_PLACE = re.compile(r"^\S{1,6}?[都道府県市区町村](?P<rest>\S+)$")

NUMBERED = "numbered"  # a sub-heading inside a section: holds until the next section heading
LABELLED = "labelled"  # 実施機関：… above a page or sheet: holds until the next such line


@dataclass(frozen=True)
class AgencyHeading:
    """A line naming the agency of the rows below it: its line, the agency as written, its kind."""

    line: int
    agency: str
    kind: str


@dataclass(frozen=True)
class _Words:
    names: frozenset[str]  # match keys of agency labels
    endings: tuple[str, ...]  # match keys a label may end with (…委員会, …事業管理者)
    labels: tuple[str, ...]  # the words before a colon (実施機関：…), normalised
    max_length: int
    share_words: tuple[str, ...] = ()  # after an agency's name in a sub-heading (分, 関係), longest first
    title_endings: tuple[str, ...] = ()  # after an agency's name in a sub-heading (町長が行うもの)


@cache
def _words() -> _Words:
    rules = reference_toml("agency-rules.toml")
    spec = reference_toml("headers.toml").get("agency_headings", {})
    names = {match_key(label) for rule in rules["agency"] for label in rule.get("labels", ())}
    names |= {match_key(label) for label in rules.get("head_labels", {}).values()}
    endings = {match_key(e) for rule in rules["agency"] for e in rule.get("label_endings", ())}
    endings |= {match_key(e) for e in spec.get("endings", ())}
    return _Words(
        names=frozenset(n for n in names if len(n) >= _SHORTEST),
        endings=tuple(sorted(endings, key=len, reverse=True)),
        labels=tuple(normalize(w) for w in spec.get("labels", ())),
        max_length=int(spec.get("max_length", 20)),
        share_words=tuple(sorted((normalize(w) for w in spec.get("share_words", ())), key=len, reverse=True)),
        title_endings=tuple(
            sorted((normalize(e) for e in spec.get("title_endings", ())), key=len, reverse=True)
        ),
    )


# A label shorter than this (長) names no agency on a line of its own
_SHORTEST = 2


def names_agency(title: str) -> bool:
    """Whether ``title`` is an implementing agency's name and nothing else: a label of
    agency-rules.toml, perhaps after the place's name (佐賀県知事), or a short name ending as an
    agency's does (収用委員会, 水道事業管理者: headers.toml [agency_headings] endings)."""
    words = _words()
    key = match_key(title)
    if not key or len(key) > words.max_length or any(c in key for c in "。、,:;"):
        return False
    place = _PLACE.match(key)
    candidates = [key, place["rest"]] if place else [key]
    for candidate in candidates:
        if candidate in words.names:
            return True
        if any(candidate.endswith(e) and len(candidate) > len(e) for e in words.endings):
            return True
    return False


def numbered_agency(line: str, section_words: Iterable[str]) -> str | None:
    """The agency a numbered or bracketed line names (（1）知事 → 知事, 【教育委員会】), or None: a line
    with cells, a title naming a section (新たに, 廃止, 件数: ``section_words``) or no agency."""
    if "\t" in line.strip():
        return None
    found = _NUMBER.match(line) or _BRACKETED.match(line)
    if found is None:
        return None
    title = normalize(found["title"]).strip()
    if any(word in title for word in section_words):
        return None
    written = field_line(found["title"], headers())  # （３）結合先　株式会社Ｘ: a field and its value
    if written is not None:
        return written[3] if written[0] == "agency" and names_agency(written[3]) else None
    if names_agency(title):
        return title
    name = _without_share_word(title)  # 知事部局分, 教育委員会関係: the agency's share of the rows
    if name != title and names_agency(name):
        return name
    return _agency_before_ending(title)  # 町長が行うもの: the rows it carries out


def _without_share_word(title: str) -> str:
    """``title`` without a word after the agency's name saying the rows are its share (（1）知事部局分,
    （2）教育委員会関係, 教育委員会の実施分: headers.toml [agency_headings] share_words)."""
    for word in _words().share_words:
        if title.endswith(word) and len(title) > len(word):
            return title[: -len(word)].rstrip("の ").strip()
    return title


# A sub-heading's number and how it is written: （3） / (3) → ("()", 3); ⑶ → ("⑴", 3); ③ → ("①", 3);
# 3. / ３、/ ３　→ (".", 3); 【…】 → ("【】", 0)
_STYLED = re.compile(
    r"^\s*(?:[（(]\s*(?P<p>[0-9０-９]{1,3})\s*[)）]|(?P<c>[⑴-⒇])|(?P<o>[①-⑳])"
    r"|(?P<d>[0-9０-９]{1,2})(?:[.．、]|\s)|(?P<k>[ア-ン])(?:[.．、]|\s)|(?P<b>[【［\[〔]))\s*(?P<title>\S.*?)\s*[】］\]〕]?\s*$"
)


# The order of katakana numbering (ア, イ, ウ …)


def _style(line: str) -> tuple[str, int, str] | None:
    """(how the sub-heading is numbered, its number, its title) of a numbered or bracketed line."""
    found = _STYLED.match(line)
    if found is None or "\t" in line.strip():
        return None
    if found["p"] is not None:
        return "()", int(normalize(found["p"])), found["title"]
    if found["c"] is not None:
        return "⑴", ord(found["c"]) - ord("⑴") + 1, found["title"]
    if found["o"] is not None:
        return "①", ord(found["o"]) - ord("①") + 1, found["title"]
    if found["d"] is not None:
        return ".", int(normalize(found["d"])), found["title"]
    if found["k"] is not None and found["k"] in GOJUON:
        return "ア", GOJUON.index(found["k"]) + 1, found["title"]
    return "【】", 0, found["title"]


def continued_agency(line: str, previous: str, section_words: Iterable[str]) -> str | None:
    """The title of a sub-heading that continues the run of agency sub-headings ``previous`` (the
    last one found in the section) belongs to, or None: numbered the same way with the next number
    (（1）知事部局, （2）教育委員会, then （3）企業局 — the third agency whatever its name: 病院局,
    教育庁, 警察本部, no label of agency-rules.toml), or bracketed the same way (【教育委員会】 then
    【企業局】); a short name, no sentence, naming no section (``section_words``). It is no section
    (3): the numbers count the agencies."""
    before, this = _style(previous), _style(line)
    if (
        before is None
        or this is None
        or this[0] != before[0]
        or this[1] != (before[1] + 1 if before[1] else 0)
    ):
        return None
    title = normalize(this[2]).strip()
    key = match_key(title)
    if not key or len(key) > _words().max_length or any(c in key for c in "。、,:;：；"):
        return None
    if any(word in title for word in section_words):
        return None
    return title


def _header_like(line: str) -> bool:
    """The line is a table's header row: cells, the first no row's number (No. | 担当課 …)."""
    cells = line.split("\t")
    return len(cells) > 1 and not normalize(cells[0]).strip().isdigit()


def under_row_heading(
    line: str, section_words: Iterable[str], last: str, above: str, next_line: str
) -> str | None:
    """The agency a sub-heading line names — an agency's name (:func:`numbered_agency`) or the next
    of the run ``last`` belongs to (:func:`continued_agency`) — or None. Right under a table row
    (``above``) whose cell holds the number before it, written the same way (⑴選挙管理委員会, then
    ⑵農業委員会 on the line below), the line is the rest of that wrapped cell, copied out of a PDF
    — unless a table's header row follows it (``next_line``)."""
    if above and not _header_like(next_line) and _continues(line, above):
        return None
    return numbered_agency(line, section_words) or (
        continued_agency(line, last, section_words) if last else None
    )


def _continues(line: str, row: str) -> bool:
    """``row`` holds the number before the one ``line`` opens with, written the same way: ⑵… under a
    row with ⑴…, （3）… under one with （2）…."""
    style = _style(line)
    if style is None or style[1] < 2:
        return False
    kind, number = style[0], style[1] - 1
    text = normalize(row)
    if kind == "()":
        return re.search(rf"\(\s*{number}\s*\)", text) is not None
    if kind in ("⑴", "①"):
        return chr(ord(kind) + number - 1) in row
    if kind == ".":
        return re.search(rf"(?<![0-9]){number}[.、]", text) is not None
    if kind == "ア":
        return re.search(rf"{GOJUON[number - 1]}[.、\s]", text) is not None
    return False


def lines_around(lines: list[tuple[int, str]], index: int) -> tuple[str, str]:
    """(the line right above ``lines[index]`` when it is a table row, else "", and then the next
    non-blank line)."""
    if index <= 0 or "\t" not in lines[index - 1][1]:
        return "", ""
    following = (lines[j][1] for j in range(index + 1, len(lines)) if lines[j][1].strip())
    return lines[index - 1][1], next(following, "")


def _agency_before_ending(title: str) -> str | None:
    """The agency a sub-heading's title names before a wording of headers.toml [agency_headings]
    title_endings (町長が行うもの → 町長, 教育委員会に係るもの → 教育委員会), or None."""
    for ending in _words().title_endings:
        if title.endswith(ending) and len(title) > len(ending):
            agency = title[: -len(ending)].strip()
            if names_agency(agency):
                return agency
    return None


def labelled_agency(line: str) -> str | None:
    """The agency a labelled line names (実施機関：教育委員会, 実施機関　知事, or 実施機関 | 知事 as two
    cells), or None. The label is one of headers.toml [agency_headings] labels; after a colon any
    short name that is no sentence is the agency, without one it must name an agency."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if not cells or len(cells) > 2:
        return None
    found = _labelled().match(normalize(" ".join(cells)))
    if found is None:
        return None
    name = found["name"].strip()
    if len(match_key(name)) > _words().max_length or any(c in name for c in "。、,"):
        return None
    return name if found["colon"] or names_agency(name) else None


@cache
def _labelled() -> re.Pattern[str]:
    """実施機関 (a label of headers.toml [agency_headings]), a colon perhaps, the name."""
    labels = "|".join(re.escape(w) for w in sorted(_words().labels, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"^(?:{labels})\s*(?P<colon>[:])?\s*(?P<name>\S.*)$", re.IGNORECASE)


def _card_field(line: str) -> bool:
    """A line of a connection written as a card (項目 | 内容 rows: 担当課 | 住民課, 実施機関：村長):
    a short label naming a field of headers.toml [connection] or a card's header cell, then a tab or
    a colon and its value. A 実施機関 line among such lines is a field of the card, no heading."""
    label = re.split(r"[\t:：]", line.strip(), maxsplit=1)
    if len(label) < 2 or not label[0].strip() or len(label[0].strip()) > _CARD_LABEL:
        return False
    spec = headers()
    cards = reference_toml("headers.toml").get("card_blocks", {}).get("header_cells", ())
    name = label[0].strip()
    return (
        match_field(name, spec.connection) is not None
        or match_key(name) in {match_key(c) for c in cards}
        or labelled_agency(line) is not None
    )


_CARD_LABEL = 15  # the longest label of a card's field (外部結合に係る個人情報記録の項目)


def with_agency_headings(
    connections: list[Connection],
    lines: list[tuple[int, str]],
    section_lines: Iterable[int],
    section_words: Iterable[str],
) -> tuple[list[Connection], list[AgencyHeading]]:
    """The connections, each under an agency heading given that agency as its group heading (unless
    a 【…】 line inside its table gave it one), and the agency headings found.

    ``section_lines`` are the lines of the report's section headings: a numbered sub-heading holds
    until the next of them."""
    words = tuple(section_words)
    found: list[AgencyHeading] = []
    prose = prose_block_lines(lines)  # a prose block's lines are its fields, no headings
    said = [(n, line) for n, line in lines if line.strip() and n not in prose]
    position = {n: i for i, (n, _) in enumerate(lines)}
    ends = sorted(section_lines)
    heading_lines = frozenset(ends)
    last = ""  # the section's last numbered agency sub-heading, as written
    for index, (line_no, line) in enumerate(said):
        if line_no in heading_lines:
            last = ""
            continue
        labelled = labelled_agency(line)
        if labelled is not None:
            around = [said[i][1] for i in (index - 1, index + 1) if 0 <= i < len(said)]
            if not any(_card_field(other) for other in around):  # 実施機関 | 村長 inside a card
                found.append(AgencyHeading(line_no, labelled, LABELLED))
            continue
        numbered = under_row_heading(line, words, last, *lines_around(lines, position[line_no]))
        if numbered is not None:
            found.append(AgencyHeading(line_no, numbered, NUMBERED))
            last = line
    if not found:
        return connections, found
    by_number = sorted((h for h in found if h.kind == NUMBERED), key=lambda h: h.line)
    by_label = sorted((h for h in found if h.kind == LABELLED), key=lambda h: h.line)
    out = []
    for row in connections:
        heading = _heading_over(row.line, by_number, by_label, ends)
        out.append(replace(row, group_heading=heading) if heading and not row.group_heading else row)
    return out, found


def _heading_over(
    line: int, numbered: list[AgencyHeading], labelled: list[AgencyHeading], section_lines: list[int]
) -> str:
    """The agency of the heading in force at ``line``: the nearest numbered sub-heading above it in
    its section, else the nearest labelled line above it; "" when none. Each list is in line order
    (found by bisection: thousands of headings over thousands of rows are no square of them)."""
    last = _last_above(numbered, line)
    last_labelled = _last_above(labelled, line)
    if last is not None:
        after = bisect_right(section_lines, last.line)  # the first section heading below it
        in_section = after == len(section_lines) or section_lines[after] >= line
        if in_section and (last_labelled is None or last_labelled.line < last.line):
            return last.agency
    return last_labelled.agency if last_labelled else ""


def _last_above(headings: list[AgencyHeading], line: int) -> AgencyHeading | None:
    """The last of ``headings`` (in line order) above ``line``."""
    at = bisect_left(headings, line, key=lambda h: h.line)
    return headings[at - 1] if at else None


def read_agency_headings(
    connections: list[Connection], lines: list[tuple[int, str]], state: ParseState
) -> list[Connection]:
    """:func:`with_agency_headings` over the report's lines, each heading kept as written with an
    info (never a line not understood: it says whose the rows below are)."""
    words = tuple(w for ws in headers().section_words.values() for w in ws)
    rows, found = with_agency_headings(connections, lines, (n for n, _ in state.headings), words)
    written = dict(lines)
    for heading in found:
        state.opening.add(heading.line)
        state.inform(
            heading.line,
            "",
            f"agency heading: the rows below it belong to the implementing agency {heading.agency}",
            written.get(heading.line, "").strip(),
        )
    return rows
