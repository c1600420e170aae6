"""Japanese era dates (R2.5.15, 令和2年5月15日, H18.6.1, 令和元年度) to Gregorian dates."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache

from ketsugo.normalize import normalize
from ketsugo.paths import REFERENCE_DIR


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
    return re.compile(
        rf"^(?P<era>{names}|[A-Za-z]+)\s*(?P<y>元|\d+)\s*[.．年/]\s*(?P<m>\d+)\s*[.．月/]\s*(?P<d>\d+)\s*日?"
        r"(?P<rest>.*)$",
        re.IGNORECASE,
    )


def era_by_spelling(spelling: str) -> Era:
    try:
        return _spelling_map()[spelling.upper()]
    except KeyError:
        known = ", ".join(e.name for e in eras())
        raise EraDateError(f"unknown era {spelling!r} (known: {known})") from None


def parse_era_date(text: str) -> EraDate:
    """Read "R2. 8. 1", "Ｈ１８．６．１ 記載漏れ" or "令和2年8月1日"; a remark after it becomes the note."""
    folded = normalize(text)
    match = _date_pattern().match(folded)
    if not match:
        raise EraDateError(f"not an era date (expected e.g. R2.5.15 or 令和2年5月15日): {text!r}")
    era = era_by_spelling(match["era"])
    era_year = 1 if match["y"] == "元" else int(match["y"])
    if era_year < 1:
        raise EraDateError(f"era year must be 1 or more: {text!r}")
    try:
        value = date(era.year(era_year), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise EraDateError(f"impossible date {text!r}: {exc}") from None
    if value < era.start:
        raise EraDateError(f"{text!r} falls before the {era.name} era began ({era.start.isoformat()})")
    return EraDate(value, match["rest"].strip(), era)


_FISCAL_YEAR = re.compile(r"(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<y>元|\d+)\s*年度")


def fiscal_year(text: str) -> int | None:
    """The western fiscal year of the first "令和2年度"-style mention in ``text``, if any."""
    match = _FISCAL_YEAR.search(normalize(text))
    if not match:
        return None
    era_year = 1 if match["y"] == "元" else int(match["y"])
    return era_by_spelling(match["era"]).year(era_year)
