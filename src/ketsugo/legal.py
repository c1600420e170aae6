"""Reading a 条例根拠 cell: the council decision and the statutes cited in parentheses.

"令和2年度第4回審議会了承（予防接種法第6条第1項、予防接種法附則第7条第2項、地方自治法第245条の9）"
→ decision (2020, meeting 4, 了承) and three citations.

Numbers may be written in kanji (第二百四十五条の九); they are read only where a number
stands (after 第, before 条/項/号, after 条の), so a law's name keeps its own kanji
(一般社団法人…). 同法 / 同令 / 同規則 / 同条例 name the latest law of that kind cited
before. Whatever the cell holds, the result is a LegalBasis: what cannot be read
becomes a remark, and the cell is always kept as written.
"""

from __future__ import annotations

import re

from ketsugo.brackets import CLOSERS, OPENERS, split_top_level, trailing_paren
from ketsugo.eras import _MAX_DIGITS, KANJI_NUMERALS, fiscal_year, kanji_to_int, shown
from ketsugo.normalize import normalize
from ketsugo.records import CouncilDecision, LegalBasis, StatuteCitation

__all__ = ["kanji_to_int", "parse_legal_basis"]

_NUMBER = rf"[0-9]{{1,{_MAX_DIGITS}}}|[{KANJI_NUMERALS}]{{1,8}}"
_DECISION = re.compile(
    rf"(?P<fy>(?:令和|平成|昭和|[RHS])\s*(?:元|{_NUMBER})\s*年度)\s*第\s*(?P<meeting>{_NUMBER})\s*回"
    r"[^承了（(]*?(?P<decision>承認|了承)"
)
_ARTICLE = re.compile(
    rf"^(?P<law>.*?)(?P<supp>附則)?第(?P<article>[0-9]{{1,{_MAX_DIGITS}}})条"
    rf"(?:の(?P<sub>[0-9]{{1,{_MAX_DIGITS}}}))?(?:第(?P<para>[0-9]{{1,{_MAX_DIGITS}}})項)?(?P<rest>.*)$",
    re.DOTALL,
)
# Kanji numerals where a number stands: 第二百四十五条, 第一項, 第三号, 条の九.
_KANJI_SLOT = re.compile(rf"(?<=第)[{KANJI_NUMERALS}]{{1,8}}(?=[条項号])|(?<=条の)[{KANJI_NUMERALS}]{{1,8}}")
_ARTICLE_WORDS = re.compile(r"第.*?条", re.DOTALL)
# 同法 … : the latest law whose name ends with the same kind.
_SAME_LAW = {"同法": "法", "同令": "令", "同規則": "規則", "同条例": "条例"}


def parse_legal_basis(cell: str) -> LegalBasis:
    """Split the cell into its decision and citations; what cannot be read becomes a remark."""
    stripped = cell.strip()
    if not stripped:
        return LegalBasis(cell, None)
    remarks: list[str] = []
    opening = trailing_paren(stripped)
    inner = ""
    if opening >= 0:
        head, inner = stripped[:opening], stripped[opening + 1 : -1]
    else:
        head, inner, after = _inner_paren(stripped)
        if _decision(head)[0] is None:
            head, inner, after = stripped, "", ""
        if after:
            remarks.append(
                f"text after the statute list is kept only as written: {shown(after)} (in {shown(cell)})"
            )
    decision, more = _decision(head)
    if decision is None:
        remarks.append(f"no council decision (e.g. 令和2年度第2回審議会承認) found in {shown(cell)}")
    elif more:
        remarks.append(
            f"more than one council decision in {shown(cell)}: only the first is read; "
            f"{more!r} is kept only as written"
        )
    statutes: tuple[StatuteCitation, ...] = ()
    if inner.strip():
        statutes = tuple(_citations(inner, remarks))
    return LegalBasis(cell, decision, statutes, tuple(remarks))


def _inner_paren(text: str) -> tuple[str, str, str]:
    """For a cell whose parenthesis is not last: (text before it, its content, text after it)."""
    depth = 0
    start = -1
    for index, char in enumerate(text):
        if char in OPENERS and char in "（(":
            if depth == 0:
                start = index
            depth += 1
        elif char in CLOSERS and char in "）)" and depth:
            depth -= 1
            if depth == 0 and start > 0:
                return text[:start], text[start + 1 : index], text[index + 1 :].strip()
    return text, "", ""


def _decision(head: str) -> tuple[CouncilDecision | None, str]:
    """The first decision in ``head``, and the text of the first other one after it (or "")."""
    text = normalize(head)
    matches = list(_DECISION.finditer(text))
    for index, match in enumerate(matches):
        year = fiscal_year(match["fy"])
        if year is None:
            continue
        decision = CouncilDecision(head.strip(), year, kanji_to_int(match["meeting"]), match["decision"])
        return decision, matches[index + 1][0] if index + 1 < len(matches) else ""
    return None, ""


def _citations(inner: str, remarks: list[str]) -> list[StatuteCitation]:
    citations: list[StatuteCitation] = []
    cited: list[str] = []
    for position, piece in enumerate((p for p in split_top_level(inner, "、,，") if p), start=1):
        citation = _citation(piece, cited, position, remarks)
        if citation.law_name:
            cited.append(citation.law_name)
        citations.append(citation)
    return citations


def _citation(piece: str, cited: list[str], position: int, remarks: list[str]) -> StatuteCitation:
    text = _KANJI_SLOT.sub(lambda m: str(kanji_to_int(m[0])), normalize(piece))
    match = _ARTICLE.match(text)
    if not match and _ARTICLE_WORDS.search(text):
        remarks.append(f"article not read in {shown(piece)} (expected e.g. 地方自治法第245条の9第1項)")
    if not match:
        return StatuteCitation(piece, _law_name(text, cited, remarks, piece), position=position)
    article = match["article"] + (f"の{match['sub']}" if match["sub"] else "")
    return StatuteCitation(
        as_written=piece,
        law_name=_law_name(match["law"], cited, remarks, piece),
        article=article,
        paragraph=int(match["para"] or 0),
        supplementary=bool(match["supp"]),
        position=position,
    )


def _law_name(text: str, cited: list[str], remarks: list[str], piece: str) -> str:
    """The law's name without a trailing kind such as （厚生労働省令）; 同法 means the latest law cited."""
    name = text.strip()
    for word, kind in _SAME_LAW.items():
        if name.startswith(word):
            earlier = next((law for law in reversed(cited) if law.endswith(kind)), None)
            earlier = earlier or (cited[-1] if cited else None)
            if earlier is None:
                remarks.append(f"{shown(piece)}: {word} but no law is cited before it")
                break
            name = earlier + name[len(word) :]
            break
    opening = trailing_paren(name)
    if opening > 0:
        name = name[:opening].strip()
    return name
