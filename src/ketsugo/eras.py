"""Japanese era dates (R2.5.15, 令和2年5月15日, H18.6.1, 令和元年度) to Gregorian dates.

Reading is done on the normalised text (full-width digits and dots folded), so
"Ｒ２．５．１５" and "R2. 5. 15" read alike; the cell itself is kept as written by
the caller. Whatever the input, `parse_era_date` either returns a date or raises
`EraDateError` with a message that says what was expected.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from dataclasses import dataclass
from datetime import MAXYEAR, date
from functools import cache

from ketsugo.normalize import normalize
from ketsugo.paths import REFERENCE_DIR

KANJI_NUMERALS = "〇一二三四五六七八九十百千"
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
# Numbers in a date or a citation: ASCII digits (after NFKC) or kanji numerals. A run of
# digits longer than _MAX_DIGITS is reported as out of range instead of reaching int().
_NUMERAL = rf"[0-9]+|[{KANJI_NUMERALS}]+"
_MAX_DIGITS = 6


class EraDateError(ValueError):
    """A date written in an era that cannot be read; the message says why."""


@dataclass(frozen=True)
class Era:
    name: str
    romaji: str
    start: date
    spellings: tuple[str, ...]

    def year(self, era_year: int) -> int:
        return self.start.year + era_year - 1


@dataclass(frozen=True)
class EraDate:
    """A parsed date cell: the date, and any remark written after it."""

    value: date
    note: str
    era: Era


@cache
def eras() -> tuple[Era, ...]:
    with (REFERENCE_DIR / "eras.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(Era(e["name"], e["romaji"], e["start"], tuple(e["spellings"])) for e in data["era"])


@cache
def _spelling_map() -> dict[str, Era]:
    return {s.upper(): era for era in eras() for s in era.spellings}


@cache
def _date_pattern() -> re.Pattern[str]:
    spellings = sorted(_spelling_map(), key=len, reverse=True)
    names = "|".join(re.escape(s) for s in spellings)
    # An unknown era is any short run of letters (Latin or kanji) before the year, so that
    # "X2.5.1" or "慶応3年1月1日" is reported as an unknown era, not as "not a date".
    return re.compile(
        rf"^(?P<era>{names}|[^\W\d_]{{1,8}}?)\s*(?P<y>元|{_NUMERAL})\s*[.年/-]\s*(?P<m>{_NUMERAL})\s*[.月/-]"
        rf"\s*(?P<d>{_NUMERAL})\s*日?(?P<rest>.*)$",
        re.IGNORECASE | re.DOTALL,
    )


def kanji_to_int(text: str) -> int:
    """二百四十五 → 245; 一〇 → 10 (digit by digit when there is no 十/百/千); ASCII digits as they are."""
    if text.isascii():
        return int(text)
    if not any(unit in text for unit in _KANJI_UNITS):
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for char in text:
        if char in _KANJI_DIGITS:
            digit = digit * 10 + _KANJI_DIGITS[char]
        else:
            total += (digit or 1) * _KANJI_UNITS[char]
            digit = 0
    return total + digit


def shown(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut short when it is long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def era_by_spelling(spelling: str) -> Era:
    try:
        return _spelling_map()[spelling.upper()]
    except KeyError:
        raise EraDateError(f"unknown era {shown(spelling)} (known: {_known_eras()})") from None


def _known_eras() -> str:
    return ", ".join(f"{e.name} ({e.romaji[0]})" for e in eras())


def parse_era_date(text: str) -> EraDate:
    """Read "R2. 8. 1", "Ｈ１８．６．１ 記載漏れ" or "令和2年8月1日"; a remark after it becomes the note.

    Raises EraDateError (and nothing else) for anything that is not a possible date.
    """
    folded = normalize(text)
    match = _date_pattern().match(folded)
    if not match:
        if not folded:
            raise EraDateError("no date written (expected e.g. R2.5.15 or 令和2年5月15日)")
        raise EraDateError(f"not an era date: {shown(text)} (expected e.g. R2.5.15 or 令和2年5月15日)")
    era = _spelling_map().get(match["era"].upper())
    if era is None:
        raise EraDateError(f"unknown era {shown(match['era'])} in {shown(text)} (known: {_known_eras()})")
    for part, what in (("y", "year"), ("m", "month"), ("d", "day")):
        if len(match[part]) > _MAX_DIGITS:
            raise EraDateError(
                f"impossible date {shown(text)}: the {what} {shown(match[part])} is out of range"
            )
    era_year = 1 if match["y"] == "元" else kanji_to_int(match["y"])
    month, day = kanji_to_int(match["m"]), kanji_to_int(match["d"])
    if era_year < 1:
        raise EraDateError(f"impossible date {shown(text)}: era year must be 1 or more (元年 is year 1)")
    year = era.year(era_year)
    if year > MAXYEAR:
        raise EraDateError(f"impossible date {shown(text)}: {era.name} year {era_year} is out of range")
    if not 1 <= month <= 12:
        raise EraDateError(f"impossible date {shown(text)}: month must be in 1..12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise EraDateError(
            f"impossible date {shown(text)}: day must be in 1..{last} in {calendar.month_name[month]} {year}"
        )
    value = date(year, month, day)
    if value < era.start:
        raise EraDateError(
            f"impossible date {shown(text)}: {value.isoformat()} falls before the {era.name} era began "
            f"({era.start.isoformat()})"
        )
    return EraDate(value, match["rest"].strip(), era)


_FISCAL_YEAR = re.compile(rf"(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<y>元|{_NUMERAL})\s*年度")


def fiscal_year(text: str) -> int | None:
    """The western fiscal year of the first "令和2年度"-style mention in ``text``, if any."""
    match = _FISCAL_YEAR.search(normalize(text))
    if not match:
        return None
    if len(match["y"]) > _MAX_DIGITS:
        return None
    era_year = 1 if match["y"] == "元" else kanji_to_int(match["y"])
    if era_year < 1:
        return None
    return era_by_spelling(match["era"]).year(era_year)
