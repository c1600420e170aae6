"""Reading a 条例根拠 cell: the council decision and the statutes cited in parentheses.

"令和2年度第4回審議会了承（予防接種法第6条第1項、予防接種法附則第7条第2項、地方自治法第245条の9）"
→ decision (2020, meeting 4, 了承) and three citations.
"""

from __future__ import annotations

import re

from ketsugo.brackets import split_top_level, trailing_paren
from ketsugo.eras import fiscal_year
from ketsugo.normalize import normalize
from ketsugo.records import CouncilDecision, LegalBasis, StatuteCitation

_DECISION = re.compile(
    r"(?P<fy>(?:令和|平成|昭和|[RHS])\s*(?:元|\d+)\s*年度)\s*第\s*(?P<meeting>\d+)\s*回"
    r"[^承了（(]*?(?P<decision>承認|了承)"
)
_ARTICLE = re.compile(
    r"^(?P<law>.*?)(?P<supp>附則)?第(?P<article>\d+)条(?:の(?P<sub>\d+))?(?:第(?P<para>\d+)項)?(?P<rest>.*)$"
)
_SAME_LAW = ("同法", "同令", "同規則", "同条例")
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile("[〇一二三四五六七八九十百千]+")


def parse_legal_basis(cell: str) -> LegalBasis:
    """Split the cell into its decision and citations; what cannot be read becomes a remark."""
    stripped = cell.strip()
    if not stripped:
        return LegalBasis(cell, None)
    remarks: list[str] = []
    opening = trailing_paren(stripped)
    head = stripped[:opening] if opening > 0 else stripped
    decision = _decision(head)
    if decision is None:
        remarks.append(f"no council decision (e.g. 令和2年度第2回審議会承認) found in {cell!r}")
    statutes: tuple[StatuteCitation, ...] = ()
    if opening > 0:
        statutes = tuple(_citations(stripped[opening + 1 : -1]))
    return LegalBasis(cell, decision, statutes, tuple(remarks))


def _decision(head: str) -> CouncilDecision | None:
    match = _DECISION.search(normalize(head))
    if not match:
        return None
    year = fiscal_year(match["fy"])
    if year is None:
        return None
    return CouncilDecision(head.strip(), year, int(match["meeting"]), match["decision"])


def _citations(inner: str) -> list[StatuteCitation]:
    citations: list[StatuteCitation] = []
    previous_law = ""
    for position, piece in enumerate((p for p in split_top_level(inner, "、,，") if p), start=1):
        citation = _citation(piece, previous_law, position)
        previous_law = citation.law_name
        citations.append(citation)
    return citations


def _citation(piece: str, previous_law: str, position: int) -> StatuteCitation:
    text = _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m[0])), normalize(piece))
    match = _ARTICLE.match(text)
    if not match:
        return StatuteCitation(piece, _law_name(piece, previous_law), position=position)
    article = match["article"] + (f"の{match['sub']}" if match["sub"] else "")
    return StatuteCitation(
        as_written=piece,
        law_name=_law_name(match["law"], previous_law),
        article=article,
        paragraph=int(match["para"] or 0),
        supplementary=bool(match["supp"]),
        position=position,
    )


def _law_name(text: str, previous_law: str) -> str:
    """The law's name without a trailing kind such as （厚生労働省令）; 同法 means the previous law."""
    name = text.strip()
    if name in _SAME_LAW and previous_law:
        return previous_law
    opening = trailing_paren(name)
    if opening > 0:
        name = name[:opening].strip()
    return name


def kanji_to_int(text: str) -> int:
    """二百四十五 → 245; 一〇 → 10 (digit-by-digit when there is no 十/百/千)."""
    if not any(unit in text for unit in "十百千"):
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for char in text:
        if char in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[char]
        else:
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[char]
            digit = 0
    return total + digit
