"""Dates as reports write them (R2.5.15, 令和2年5月15日, 令和二年四月一日, 2020/4/1) to Gregorian dates.

Era dates (元年, kanji numerals, ., /, - or 年月日 between the parts) and Western ones
(2020年4月1日, 2020/4/1, 2020.4.1, 2020-04-01: a four-digit year) are read. A date needs a
day: a month alone (令和2年4月, 2020年4月) is refused with its own message rather than read as
the 1st, since a day the report does not state would be invented.

Reading is done on the normalised text (full-width digits and dots folded), so
"Ｒ２．５．１５" and "R2. 5. 15" read alike; the cell itself is kept as written by
the caller. Whatever the input, `parse_era_date` either returns a date or raises
`EraDateError` with a message that says what was expected.

A connection's start or end cell may also be written without a day: `parse_date_cell` reads it
at the precision written — a month (令和4年10月, R4.10, 2022年11月), a calendar year (令和4年), a
fiscal year (令和4年度, 年度中, 年度当初) — or as no date at all (随時, 未定); the words are data
(data/reference/dates.toml). A day is never made up (docs/items.md, Dates).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import MAXYEAR, date, timedelta
from functools import cache
from itertools import pairwise

from ketsugo.paths import reference_toml
from ketsugo.read.normalize import normalize

KANJI_NUMERALS = "〇一二三四五六七八九十百千"
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
# Numbers in a date or a citation: ASCII digits (after NFKC) or kanji numerals. A run of
# digits longer than MAX_DIGITS is reported as out of range instead of reaching int().
_NUMERAL = rf"[0-9]+|[{KANJI_NUMERALS}]+"
MAX_DIGITS = 6


class EraDateError(ValueError):
    """A date written in an era that cannot be read; the message says why."""


@dataclass(frozen=True)
class Era:
    name: str
    romaji: str
    start: date
    spellings: tuple[str, ...]
    end: date | None = None  # its last day (from the next era's start); None for the current era

    def year(self, era_year: int) -> int:
        return self.start.year + era_year - 1


@dataclass(frozen=True)
class EraDate:
    """A parsed date cell: the date, and any remark written after it."""

    value: date
    note: str
    era: Era | None  # None for a date written in the Western calendar
    # written in an era after it ended (平成32年4月1日: an old document's date): the caller warns
    after_era_end: bool = False


@cache
def eras() -> tuple[Era, ...]:
    """The eras of data/reference/eras.toml, in the file's order; each ends where the next began."""
    data = reference_toml("eras.toml")
    by_start = sorted(data["era"], key=lambda e: e["start"])
    ends = {
        era["start"]: following["start"] - timedelta(days=0 if following.get("changed_on_the_day") else 1)
        for era, following in pairwise(by_start)
    }
    return tuple(
        Era(e["name"], e["romaji"], e["start"], tuple(e["spellings"]), ends.get(e["start"]))
        for e in data["era"]
    )


@cache
def former_era_years() -> int:
    """How many years after an era's end its years are still read (eras.toml `former_era_years`)."""
    return int(reference_toml("eras.toml").get("former_era_years", 0))


def _within_former_era_years(era: Era, value: date) -> bool:
    """An era's year counted on past its end by a document written before the change (平成32年)."""
    if era.end is None:
        return False
    years = former_era_years()
    try:
        limit = era.end.replace(year=era.end.year + years)
    except ValueError:  # 29 February of the end year
        limit = era.end.replace(year=era.end.year + years, day=28)
    return value <= limit


def after_era_end_remark(parsed: EraDate, text: str) -> str:
    """The warning for a date written in an era after it ended (平成32年4月1日), naming the same day."""
    assert parsed.era is not None and parsed.era.end is not None  # only such dates are flagged
    now = next(
        (e for e in eras() if e.start <= parsed.value and (e.end is None or parsed.value <= e.end)), None
    )
    named = (
        f" ({now.name}{parsed.value.year - now.start.year + 1}年{parsed.value.month}月{parsed.value.day}日)"
        if now
        else ""
    )
    return (
        f"{shown(text)} is written in the {parsed.era.name} era after it ended on {parsed.era.end.isoformat()} "
        f"(a date from a document written before the era changed?): read as {parsed.value.isoformat()}{named}"
    )


@cache
def _spelling_map() -> dict[str, Era]:
    return {s.upper(): era for era in eras() for s in era.spellings}


@cache
def era_pattern() -> str:
    """A regular expression (source) for any spelling of a known era in normalised text.

    Longer spellings first (令和 before 令). A one-character spelling (R, 令) counts only where
    no letter stands just before it, so that 最大3年度 is not 大正3年度.
    """
    spellings = sorted({s for era in eras() for s in era.spellings}, key=lambda s: (-len(s), s))
    longer = [re.escape(s) for s in spellings if len(s) > 1]
    single = [re.escape(s) for s in spellings if len(s) == 1]
    alternatives = [*longer, *([rf"(?<![^\W\d_])(?:{'|'.join(single)})"] if single else [])]
    return "(?:" + "|".join(alternatives) + ")"


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


@cache
def _western_pattern() -> re.Pattern[str]:
    """2020年4月1日, 2020/4/1, 2020.4.1, 2020-04-01: a four-digit year, then month and day."""
    return re.compile(
        rf"^(?P<y>[0-9]{{4}})\s*[.年/-]\s*(?P<m>{_NUMERAL})\s*[.月/-]\s*(?P<d>{_NUMERAL})\s*日?(?P<rest>.*)$",
        re.DOTALL,
    )


@cache
def _month_only_pattern() -> re.Pattern[str]:
    """令和2年4月, R2.4, 2020年4月: a year and a month with no day after them."""
    return re.compile(
        rf"^(?:{era_pattern()}\s*(?:元|{_NUMERAL})|[0-9]{{4}})\s*[.年/-]\s*(?:{_NUMERAL})\s*月?\s*(?:[^0-9{KANJI_NUMERALS}日.].*)?$",
        re.IGNORECASE | re.DOTALL,
    )


@cache
def _fiscal_year_pattern() -> re.Pattern[str]:
    return re.compile(
        rf"(?:(?P<era>{era_pattern()})\s*(?P<y>元|{_NUMERAL})|(?<![0-9])(?P<western>[0-9]{{4}}))\s*年度"
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
    folded = _without_year_gloss(normalize(text), text)
    western = _western_pattern().match(folded)
    if western:
        return _western_date(text, western)
    match = _date_pattern().match(folded)
    if not match:
        if not folded:
            raise EraDateError("no date written (expected e.g. R2.5.15 or 令和2年5月15日)")
        if _month_only_pattern().match(folded):
            raise EraDateError(
                f"no day in {shown(text)}: a date needs a day (a month alone is not read as the 1st)"
            )
        raise EraDateError(f"not a date: {shown(text)} (expected e.g. R2.5.15 or 2020/5/15)")
    era = _spelling_map().get(match["era"].upper())
    if era is None:
        raise EraDateError(f"unknown era {shown(match['era'])} in {shown(text)} (known: {_known_eras()})")
    for part, what in (("y", "year"), ("m", "month"), ("d", "day")):
        if len(match[part]) > MAX_DIGITS:
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
    value = _checked(text, year, month, day)
    if value < era.start:
        raise EraDateError(
            f"impossible date {shown(text)}: {value.isoformat()} falls before the {era.name} era began "
            f"({era.start.isoformat()})"
        )
    if era.end is not None and value > era.end:
        if _within_former_era_years(era, value):
            return EraDate(value, match["rest"].strip(), era, after_era_end=True)
        raise EraDateError(
            f"impossible date {shown(text)}: {value.isoformat()} falls after the {era.name} era ended "
            f"on {era.end.isoformat()}"
        )
    return EraDate(value, match["rest"].strip(), era)


def further_dates(note: str) -> list[date]:
    """Dates written in the note after a cell's date (令和3年4月1日、令和3年10月1日: one per party),
    outside brackets (令和3年4月1日（令和3年3月25日承認）names another event, not a second date)."""
    text = _BRACKETED.sub(" ", normalize(note))
    found: list[date] = []
    for start in _date_start().finditer(text):
        try:
            found.append(parse_era_date(text[start.start() :]).value)
        except EraDateError:
            continue
    return found


_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|「[^「」]*」")


@cache
def _date_start() -> re.Pattern[str]:
    return re.compile(rf"(?:{era_pattern()})\s*(?:元|[0-9])|(?<![0-9])[0-9]{{4}}\s*[.年/-]", re.IGNORECASE)


@cache
def _year_gloss_pattern() -> re.Pattern[str]:
    """2022年(令和4年)7月1日 / 令和4年(2022年)7月1日: a year, then the same year in the other
    calendar in parentheses."""
    year = rf"(?:{era_pattern()})\s*(?:元|{_NUMERAL})|[0-9]{{4}}"
    return re.compile(rf"^(?P<year>{year})\s*年\s*\(\s*(?P<gloss>{year})\s*年?\s*\)\s*", re.IGNORECASE)


def _year_of(text: str) -> int | None:
    """The western year of 2022 or 令和4 (None when it cannot be read)."""
    if text.isdigit() and len(text) == 4:
        return int(text)
    years = fiscal_years(text + "年度")
    return years[0] if years else None


def _without_year_gloss(folded: str, text: str) -> str:
    """The date without the parenthesised other-calendar year; an error when the two disagree."""
    match = _year_gloss_pattern().match(folded)
    if match is None:
        return folded
    year, gloss = _year_of(match["year"]), _year_of(match["gloss"])
    if year is not None and gloss is not None and year != gloss:
        raise EraDateError(
            f"the year and the year in parentheses disagree in {shown(text)} ({year} ≠ {gloss})"
        )
    return f"{match['year']}年{folded[match.end() :]}"


def _western_date(text: str, match: re.Match[str]) -> EraDate:
    for part, what in (("m", "month"), ("d", "day")):
        if len(match[part]) > MAX_DIGITS:
            raise EraDateError(
                f"impossible date {shown(text)}: the {what} {shown(match[part])} is out of range"
            )
    year = int(match["y"])
    first = min(era.start for era in eras())
    if year < first.year:  # no computer was connected before the first era ketsugo knows
        raise EraDateError(f"impossible date {shown(text)}: the year {year} is before {first.year}")
    value = _checked(text, year, kanji_to_int(match["m"]), kanji_to_int(match["d"]))
    return EraDate(value, match["rest"].strip(), None)


def _checked(text: str, year: int, month: int, day: int) -> date:
    """The date, or EraDateError saying which part is impossible."""
    if not 1 <= month <= 12:
        raise EraDateError(f"impossible date {shown(text)}: month must be in 1..12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise EraDateError(
            f"impossible date {shown(text)}: day must be in 1..{last} in {calendar.month_name[month]} {year}"
        )
    return date(year, month, day)


def fiscal_year(text: str) -> int | None:
    """The western fiscal year of the first "令和2年度"-style mention in ``text``, if any."""
    years = fiscal_years(text)
    return years[0] if years else None


def fiscal_years(text: str) -> list[int]:
    """The western fiscal years of every "令和2年度"- or "2020年度"-style mention in ``text``, in order.

    A year that cannot be (年度 0, too many digits, a western year before the first era) is left out. A fiscal year is a label, not
    a date: 平成32年度, written before the next era was named, reads as 2020.
    """
    years = []
    for match in _fiscal_year_pattern().finditer(normalize(text)):
        if match["western"]:
            if int(match["western"]) >= min(e.start.year for e in eras()):  # 0412年度: noise
                years.append(int(match["western"]))
            continue
        if len(match["y"]) > MAX_DIGITS:
            continue
        era_year = 1 if match["y"] == "元" else kanji_to_int(match["y"])
        if era_year >= 1:
            years.append(era_by_spelling(match["era"]).year(era_year))
    return years


def leading_fiscal_year(text: str) -> int | None:
    """The fiscal year ``text`` opens with (令和６年度, 令和６年度　外部結合状況報告書, （令和6年度）), or None
    when it opens with anything else (本報告書は令和6年度…)."""
    head = normalize(text).strip().lstrip("(【[〔 ")
    found = _fiscal_year_pattern().match(head)
    if found is None:
        return None
    years = fiscal_years(found.group(0))
    return years[0] if years else None


PRECISIONS = ("day", "month", "year", "fiscal-year", "undetermined")
_BRACKETS = " \u3000()（）[]［］【】〔〕「」"


@dataclass(frozen=True)
class DateCell:
    """A start or end cell read at the precision it is written in (PRECISIONS).

    ``year`` is the western year (of a fiscal year: the year it begins, as kg:fiscalYear), ``day``
    the reading when a day is written. ``qualifier`` is what the word after the date says of it
    (dates.toml [qualifiers]: within, approximate, planned; fiscal-year-start for 年度当初) or
    "undetermined" for 随時 / 未定."""

    precision: str
    year: int | None = None
    month: int | None = None
    day: EraDate | None = None
    note: str = ""
    qualifier: str = ""
    word: str = ""  # the qualifying or undetermined word as found

    @property
    def iso(self) -> str | None:
        """2022-10-01, 2022-10 or 2022 (a year or a fiscal year); None without a date."""
        if self.day is not None:
            return self.day.value.isoformat()
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.year is not None:
            return f"{self.year:04d}"
        return None

    @property
    def shown(self) -> str:
        """As a reader writes it: 2022-10-01, 2022-10, 2022, or 2022年度 for a fiscal year."""
        if self.precision == "fiscal-year":
            return f"{self.year}年度"
        return self.iso or ""


def further_periods(note: str) -> list[DateCell]:
    """Dates of any precision in the note after a cell's date (令和4年10月～令和5年3月: a range;
    令和4年10月、令和5年1月: one per party), outside brackets, as `further_dates` finds days."""
    text = _BRACKETED.sub(" ", normalize(note))
    found: list[DateCell] = []
    for start in _date_start().finditer(text):
        try:
            found.append(parse_date_cell(text[start.start() :]))
        except EraDateError:
            continue
    return found


@cache
def _date_words() -> tuple[frozenset[str], dict[str, str]]:
    data = reference_toml("dates.toml")
    undetermined = frozenset(normalize(w) for w in data.get("undetermined", ()))
    return undetermined, {normalize(k): v for k, v in data.get("qualifiers", {}).items()}


@cache
def _fiscal_year_starts() -> frozenset[str]:
    """dates.toml ``fiscal_year_start``: after a fiscal year, the words saying its start (当初)."""
    return frozenset(normalize(w) for w in reference_toml("dates.toml").get("fiscal_year_start", ()))


def _qualified(note: str) -> tuple[str, str, str]:
    """(note to keep, qualifier kind, word) for what follows a date: a "within" word is part of the
    date and no remark; any other note is kept whole."""
    core = normalize(note).strip(_BRACKETS)
    kind = _date_words()[1].get(core, "")
    if not kind:  # a remark that ends with the word: 令和5年2月開始予定
        kind, core = next(
            ((v, k) for k, v in _date_words()[1].items() if core.endswith(k) and len(k) > 1), ("", core)
        )
    if kind == "within":
        return "", kind, core
    return note.strip(), kind, core if kind else ""


@cache
def _dayless_pattern() -> re.Pattern[str]:
    """令和4年度 / 令和4年10月 / R4.10 / 2022年11月 / 令和4年: a year, then 年度, a month or 年 alone."""
    year = rf"(?:(?P<era>{era_pattern()})\s*(?P<y>元|{_NUMERAL})|(?P<western>[0-9]{{4}}))"
    return re.compile(
        rf"^{year}\s*(?:(?P<fiscal>年度)|[.年/-]\s*(?P<m>{_NUMERAL})\s*月?|(?P<calendar>年))"
        # the dot an abbreviated month may end with (R4.10., R4.10.（予定）) when the cell or a bracket
        # follows; nothing after it that looks like the day it lacks (R2.6.1 misprinted, R2. 6.? 1): no
        # number after spaces or a separator, and no other separator at all
        r"(?:\.(?=\s*(?:$|[(\[【「])))?"
        rf"(?P<rest>(?![\s./-]*[0-9{KANJI_NUMERALS}])(?![./-]).*)$",
        re.IGNORECASE | re.DOTALL,
    )


def parse_date_cell(text: str) -> DateCell:
    """A start or end cell at the precision it is written in; EraDateError for anything else.

    A day is read by `parse_era_date`; without one, a month, a calendar year or a fiscal year
    (never the 1st of anything); a cell of 随時 or 未定 gives no date (precision "undetermined")."""
    folded = normalize(text).strip()
    undetermined = _date_words()[0]
    if folded.strip(_BRACKETS) in undetermined:
        return DateCell("undetermined", qualifier="undetermined", word=folded.strip(_BRACKETS))
    try:
        day = parse_era_date(text)
    except EraDateError as exc:
        match = _dayless_pattern().match(_without_year_gloss(folded, text))
        if match is None or str(exc).startswith(("impossible", "the year and")):
            raise
        return _dayless(text, match)
    note, kind, word = _qualified(day.note)
    return DateCell("day", day.value.year, day.value.month, day, note, kind, word)


def _as_written_tail(text: str, rest: str) -> str:
    """The end of the cell as written that normalises to ``rest`` (（予定）, not (予定)), else ``rest``."""
    stripped = text.rstrip()
    tail = stripped[len(stripped) - len(rest.rstrip()) :] if rest.strip() else ""
    return tail if normalize(tail).strip() == rest.strip() else rest


def _dayless(text: str, match: re.Match[str]) -> DateCell:
    """The month, year or fiscal year of a matched day-less cell, checked against its era."""
    era = None
    if match["western"]:
        year = int(match["western"])
        first = min(e.start.year for e in eras())
        if year < first:  # no computer was connected before the first era ketsugo knows
            raise EraDateError(f"impossible date {shown(text)}: the year {year} is before {first}")
    else:
        era = era_by_spelling(match["era"])
        if len(match["y"]) > MAX_DIGITS:
            what = "year"
            raise EraDateError(
                f"impossible date {shown(text)}: the {what} {shown(match['y'])} is out of range"
            )
        era_year = 1 if match["y"] == "元" else kanji_to_int(match["y"])
        if era_year < 1:
            raise EraDateError(f"impossible date {shown(text)}: era year must be 1 or more (元年 is year 1)")
        year = era.year(era_year)
    note, kind, word = _qualified(_as_written_tail(text, match["rest"]))
    if match["fiscal"]:  # a fiscal year is a label (平成32年度 reads as 2020, as fiscal_years does)
        if kind == "within" and word in _fiscal_year_starts():
            kind = "fiscal-year-start"  # 年度当初: the year still, its start said in an info
        return DateCell("fiscal-year", year, None, None, note, kind, word)
    month = None
    if match["m"] is not None:
        if len(match["m"]) > MAX_DIGITS or not 1 <= kanji_to_int(match["m"]) <= 12:
            raise EraDateError(f"impossible date {shown(text)}: month must be in 1..12")
        month = kanji_to_int(match["m"])
    if era is not None:
        _within_era(text, era, year, month)
    return DateCell("month" if month else "year", year, month, None, note, kind, word)


def _within_era(text: str, era: Era, year: int, month: int | None) -> None:
    """A month or year written in an era overlaps it (or its former years, 平成32年4月)."""
    first = date(year, month or 1, 1)
    last = date(year, month or 12, calendar.monthrange(year, month or 12)[1])
    written = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
    if last < era.start:
        raise EraDateError(
            f"impossible date {shown(text)}: {written} falls before the {era.name} era began ({era.start.isoformat()})"
        )
    if era.end is not None and first > era.end and not _within_former_era_years(era, first):
        raise EraDateError(
            f"impossible date {shown(text)}: {written} falls after the {era.name} era ended on {era.end.isoformat()}"
        )
