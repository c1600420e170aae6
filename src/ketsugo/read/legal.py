"""Reading a 条例根拠 cell: the council decision and the statutes cited in parentheses.

"令和2年度第4回審議会了承（予防接種法第6条第1項、予防接種法附則第7条第2項、地方自治法第245条の9）"
→ decision (2020, meeting 4, 了承) and three citations.

Other municipalities word it otherwise: the decision word (承認, 了承, 答申, 意見, 報告, 諮問) and
what it is are data (cells.toml [legal.decisions]); the council's name between the meeting and
the word is kept as written (個人情報保護審議会, 情報公開・個人情報保護審議会…); the year may be
令和2年度, R2年度 or 2020年度; a decision dated instead of numbered (令和2年5月20日審議会答申)
is read with meeting 0 and its date. A cell that cites an ordinance or statute outside any
parenthesis (新宿区個人情報保護条例第15条第2項第3号, 条例第8条第1項第5号) is read as citations,
the law's name as written. A cell saying the basis is a statute (法令に基づく…, cells.toml
[legal] statutory) is flagged ``statutory`` and needs no council decision.

Numbers may be written in kanji (第二百四十五条の九); they are read only where a number
stands (after 第, before 条/項/号, after 条の), so a law's name keeps its own kanji
(一般社団法人…). A citation reads article, paragraph (項) and item (号); text after them
(ただし書, 前段…) is kept as ``rest`` and remarked. 同法 / 同令 / 同規則 / 同条例 name the
latest law of that kind cited before (the kinds are in data/reference/cells.toml); with none,
the citation is left unresolved and remarked. Whatever the cell holds, the result is a
LegalBasis: what cannot be read becomes a remark, and the cell is always kept as written.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.brackets import split_top_level, trailing_paren, walk
from ketsugo.read.eras import (
    KANJI_NUMERALS,
    MAX_DIGITS,
    EraDateError,
    era_pattern,
    eras,
    fiscal_year,
    kanji_to_int,
    parse_era_date,
    shown,
)
from ketsugo.read.memo import remembered
from ketsugo.read.normalize import match_key, normalize
from ketsugo.read.records import CouncilDecision, LegalBasis, StatuteCitation

__all__ = ["blank_cell_note", "kanji_to_int", "parse_legal_basis", "with_statutes"]

_NUMBER = rf"[0-9]{{1,{MAX_DIGITS}}}|[{KANJI_NUMERALS}]{{1,8}}"
_DIGITS = rf"[0-9]{{1,{MAX_DIGITS}}}"
_ARTICLE = re.compile(
    rf"^(?P<law>.*?)(?P<supp>附則)?第(?P<article>{_DIGITS})条(?:の(?P<sub>{_DIGITS}(?:の{_DIGITS})*))?"
    rf"(?:第(?P<para>{_DIGITS})項)?(?:第(?P<item>{_DIGITS})号)?(?P<rest>.*)$",
    re.DOTALL,
)
# Kanji numerals where a number stands: 第二百四十五条, 第一項, 第三号, 条の九, 条の七の四 (an article
# inserted between inserted ones: 第321条の7の4, every level a number).
_KANJI_SLOT = re.compile(
    rf"(?<=第)[{KANJI_NUMERALS}]{{1,8}}(?=[条項号])"
    rf"|(?<=条)(?:の(?:[{KANJI_NUMERALS}]{{1,8}}|[0-9]{{1,{MAX_DIGITS}}}))+"
)
_ARTICLE_WORDS = re.compile(r"第.*?条", re.DOTALL)


def _slot_number(match: re.Match[str]) -> str:
    """A number slot in digits: 二百四十五 → 245; の七の四 → の7の4 (each level a number)."""
    if not match[0].startswith("の"):
        return str(kanji_to_int(match[0]))
    return "".join(f"の{p if p.isdigit() else kanji_to_int(p)}" for p in match[0].split("の")[1:])


@dataclass(frozen=True)
class Words:
    """The [legal] table of data/reference/cells.toml."""

    citation_separators: str
    same_law: dict[str, tuple[str, ...]]  # 同法 → kinds a law's name may end with (法, 法律)
    statutory: tuple[str, ...]  # wordings saying the basis is a statute (法令に基づく…)
    decisions: dict[str, str]  # decision word → kg:DecisionType individual, longest word first
    no_decision: frozenset[str] = frozenset()  # match keys of 該当なし, 不要, －: the cell says there is none
    no_statute: frozenset[str] = frozenset()  # match keys of a statutes cell citing none (該当なし)
    blank_words: tuple[str, ...] = ()  # a note defining a blank cell holds one (空欄, 空白, 記載のないもの)
    negated_before: tuple[str, ...] = ()  # 不, 未: 不承認 is no 承認
    negated_after: tuple[str, ...] = ()  # せず, 予定: 承認せず, 報告予定 are no decision
    citation_never_ends: tuple[str, ...] = ()  # の, 第: a piece ending so is cut by a line wrap
    citation_never_opens: tuple[str, ...] = ()  # 条, 項, 号, の: a piece opening so continues the one before


@cache
def words() -> Words:
    data = reference_toml("cells.toml")["legal"]
    same_law = {word: tuple(kinds) for word, kinds in data["same_law"].items()}
    # The longest word first, so that 同規則 is never read as 同 + something shorter.
    ordered = dict(sorted(same_law.items(), key=lambda entry: -len(entry[0])))
    decisions = dict(sorted(data["decisions"].items(), key=lambda entry: -len(entry[0])))
    return Words(
        "".join(data["citation_separators"]),
        ordered,
        tuple(data["statutory"]),
        decisions,
        frozenset(match_key(word) for word in data.get("no_decision", ())),
        frozenset(match_key(w) for w in data.get("no_statute", ())),
        tuple(data.get("blank_words", ())),
        tuple(data.get("negated_before", ())),
        tuple(data.get("negated_after", ())),
        tuple(data.get("citation_never_ends", ())),
        tuple(data.get("citation_never_opens", ())),
    )


def says_none(cell: str) -> bool:
    """The cell says plainly there is no decision (該当なし, 不要, なし, －; cells.toml [legal]
    no_decision): no decision, and nothing to remark."""
    return match_key(cell.rstrip("。 　")) in words().no_decision


_MARK = re.compile(r"^\s*([※*][0-9]*)")


def blank_cell_note(header: str, notes: Iterable[str]) -> str:
    """The note under the table that says what a blank cell of the council column headed
    ``header`` means (※3 審査会：…空欄は審査会への諮問・報告を行っていないもの), or "".

    A blank council cell is a gap or no gap by the report's year (shapes/completeness.ttl); a
    report that defines blank has its definition cited in that finding. The note must hold a word
    of cells.toml [legal] blank_words and name the column: its numbered mark (※3) stands in the
    header, or the header's words (審査会, marks and spaces left out) stand in the note."""
    marks = re.findall(r"[※*][0-9]+", normalize(header))
    name = re.sub(r"[※*][0-9]*", "", normalize(header)).strip()
    for note in notes:
        text = normalize(note)
        if not any(word in text for word in words().blank_words):
            continue
        mark = _MARK.match(text)
        if (mark and mark[1] in marks) or (name and normalize(name) in text):
            return note.strip()
    return ""


def decision_type(word: str) -> str:
    """The local name of the kg:DecisionType individual a decision word is (承認 → Approval)."""
    return words().decisions[word]


def decision_slug(word: str) -> str:
    """The decision type as an IRI segment: 答申 → CouncilReply → council-reply."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", decision_type(word)).lower()


_YEAR = rf"(?:元|{_NUMBER})"
_DAY = rf"{_YEAR}\s*[.年/-]\s*(?:{_NUMBER})\s*[.月/-]\s*(?:{_NUMBER})\s*日?"


@cache
def _decision_patterns() -> tuple[re.Pattern[str], ...]:
    """(numbered, dated): 令和2年度第N回 … 承認 (any era, or a Western 2020年度), and
    令和2年5月20日 … 答申 (any date form ketsugo.read.eras reads); the decision words are data."""
    decided = "|".join(re.escape(word) for word in words().decisions)
    numbered = re.compile(
        rf"(?P<fy>(?:{era_pattern()}\s*{_YEAR}|[0-9]{{4}})\s*年度)\s*第\s*(?P<meeting>{_NUMBER})\s*回"
        rf"(?P<council>[^（(]*?)(?P<decision>{decided})"
    )
    dated = re.compile(
        rf"(?P<date>(?:{era_pattern()}|(?=[0-9]{{4}}))\s*{_DAY})\s*(?:開催の?)?"
        rf"(?P<council>[^（(]*?)(?P<decision>{decided})"
    )
    # 第1回審議会（令和4年5月25日）承認: a meeting number with the meeting's date in parentheses
    numbered_dated = re.compile(
        rf"第\s*(?P<meeting>{_NUMBER})\s*回(?P<council>[^（(]*?)[（(]\s*(?P<date>(?:{era_pattern()}|(?=[0-9]{{4}}))\s*{_DAY})"
        rf"(?:開催)?\s*[）)]\s*(?:の|に|へ|で)?\s*(?P<decision>{decided})"
    )
    return numbered_dated, numbered, dated


# the word lists and era patterns it reads (a test may swap either): a cell's reading lasts as long
@remembered(lambda: (words(), _decision_patterns(), eras()))
def parse_legal_basis(cell: str) -> LegalBasis:
    """Split the cell into its decision and citations; what cannot be read becomes a remark."""
    stripped = cell.strip()
    if not stripped:
        return LegalBasis(cell, None)
    remarks: list[str] = []
    statutory = _is_statutory(stripped)
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
    if decision is None and inner:
        # 適当（令和2年6月26日答申）, 第1回審議会承認（R3.6.24）, 承認（令和4年度第1回）: the decision
        # reads across the parenthesis, which then holds no statute list
        decision, more = _decision(stripped)
        decision = decision or _loose_decision(stripped)
    elif decision is None:
        decision = _loose_decision(stripped)
    negated = _negated(stripped) if decision is not None else ""
    if negated:
        remarks.append(
            f"the cell says the council did not decide ({negated}): no decision is read from "
            f"{shown(cell)}; kept as written"
        )
        decision, more = None, ""
    if more:
        remarks.append(
            f"more than one council decision in {shown(cell)}: only the first is read; "
            f"{more!r} is kept only as written"
        )
    statutes: tuple[StatuteCitation, ...] = ()
    if decision is None and _cites_article(_without_statutory(head)):
        # cited outside any parenthesis (条例第8条第1項第5号): the whole cell is the citation list
        statutes = tuple(_citations(_without_statutory(stripped), remarks))
    elif _without_statutory(inner) and _names_a_law(inner):
        # （法令に基づく） alone is a statement, not a citation: only what else it holds is cited
        statutes = tuple(_citations(_without_statutory(inner), remarks))
    if decision is None and not statutes and not statutory and not says_none(stripped) and not negated:
        remarks.insert(0, f"no council decision (e.g. 令和2年度第2回審議会承認) found in {shown(cell)}")
    return LegalBasis(cell, decision, statutes, tuple(remarks), statutory)


def with_statutes(basis: LegalBasis | None, cell: str) -> tuple[LegalBasis, tuple[str, ...]]:
    """``basis`` (the council column's reading; None without one) with the statutes of a statutes
    column's cell (法令: 生活保護法第29条、地方税法第321条の4) added after its own, and the remarks
    on that cell. The cell is a list of citations, each read as a citation in a 条例根拠 cell is; a
    law named without an article (予防接種法) is cited as the law. A cell saying none is cited
    (該当なし, －: cells.toml [legal] no_statute) gives none; a piece naming no law is remarked,
    kept only as written. Without a council column the statutes cell is the legal basis as written,
    read as a 条例根拠 cell when it gives a council decision (根拠法令 holding 審議会承認（…法第N条）)."""
    if basis is None and (read := parse_legal_basis(cell)).decision is not None:
        return read, read.remarks
    text = cell.strip()
    if trailing_paren(text) == 0:  # the whole cell in brackets: （住民基本台帳法第12条の4）
        text = text[1:-1].strip()
    remarks: list[str] = []
    statutory = bool(text) and _is_statutory(text)
    found: list[StatuteCitation] = []
    if text and match_key(text) not in words().no_statute:
        for citation in _citations(_without_statutory(text), remarks):
            if _names_a_law(citation.as_written) or citation.article:
                found.append(citation)
            else:
                remarks.append(
                    f"{shown(citation.as_written)} names no statute: kept only as written (in {shown(cell)})"
                )
    own = basis.statutes if basis is not None else ()
    seen = {_citation_key(c) for c in own}
    added: list[StatuteCitation] = []
    for citation in found:
        if _citation_key(citation) not in seen:
            seen.add(_citation_key(citation))
            added.append(replace(citation, position=len(own) + len(added) + 1))
    if basis is None:
        return LegalBasis(cell, None, tuple(added), (), statutory), tuple(remarks)
    return replace(basis, statutes=(*own, *added), statutory=basis.statutory or statutory), tuple(remarks)


def _citation_key(citation: StatuteCitation) -> tuple[str, str, int, int, bool]:
    return (citation.law_name, citation.article, citation.paragraph, citation.item, citation.supplementary)


_LAW_WORDS = re.compile(
    r"(法|法律|令|条例|規則|規程|基準|要綱|告示|通知)(第|$|[（(])|第[0-9０-９一二三四五六七八九十百]+条"
)
_FISCAL_MEETING = re.compile(
    r"(?P<fy>.{1,6}?(?<![0-9])[0-9]{1,4}\s*年度)\s*第\s*(?P<meeting>[0-9]{1,9})\s*回"
)
_MEETING = re.compile(r"第\s*(?P<meeting>[0-9]{1,9})\s*回")


def _names_a_law(text: str) -> bool:
    """Whether ``text`` reads as a statute citation (a law's name or an article), not a date or a
    meeting (R3.6.24, 令和4年度第1回) or a wording (提供)."""
    return bool(_LAW_WORDS.search(normalize(_without_statutory(text))))


def _loose_decision(cell: str) -> CouncilDecision | None:
    """A decision word (承認, 答申…) anywhere in the cell with its year from a 年度第N回 or a date
    anywhere in it (令和4年度第1回, R3.6.24, 令和2年6月26日, a month alone: 令和4年8月); None
    without a decision word or a year."""
    text = normalize(cell)
    word = next((w for w in sorted(words().decisions, key=len, reverse=True) if w in text), None)
    if word is None or re.search(rf"第\s*[0-9]{{{MAX_DIGITS + 1},}}\s*回", text):
        return None  # no decision word, or a meeting number no council has (the cell is remarked)
    numbered = _FISCAL_MEETING.search(text)
    if numbered is not None:
        year = fiscal_year(numbered["fy"]) or _western_year(numbered["fy"], anywhere=True)
        if year is not None:
            return CouncilDecision(cell.strip(), int(year), int(numbered["meeting"]), word, "")
    meeting = _MEETING.search(text)
    number = int(meeting["meeting"]) if meeting else 0
    for match in re.finditer(
        rf"(?:{era_pattern()}|(?<![0-9])(?=[0-9]{{4}}))\s*{_YEAR}\s*[.年/-]\s*(?:{_NUMBER})\s*[.月/-]?\s*(?:(?:{_NUMBER})\s*日?)?",
        text,
        re.IGNORECASE,
    ):
        day: date | None
        try:
            day = parse_era_date(match[0]).value
        except EraDateError:
            if len(re.findall(r"[0-9]+", match[0])) > 2:  # a day was written: an impossible date
                continue
            day = _month_only(match[0])
            if day is None:
                continue
            return CouncilDecision(
                cell.strip(), day.year if day.month >= 4 else day.year - 1, number, word, ""
            )
        year = day.year if day.month >= 4 else day.year - 1
        return CouncilDecision(cell.strip(), year, number, word, "", day)
    named = fiscal_year(text)  # 承認済（令和3年度）: the fiscal year alone
    return CouncilDecision(cell.strip(), named, number, word, "") if named else None


def _negated(cell: str) -> str:
    """The first decision word of ``cell`` said not to have happened, with its negation (不承認,
    承認せず, 報告予定: cells.toml [legal] negated_before / negated_after), or "" when none is."""
    spec = words()
    decided = "|".join(re.escape(w) for w in spec.decisions)
    before = "|".join(re.escape(w) for w in spec.negated_before) or "(?!)"
    after = "|".join(re.escape(w) for w in spec.negated_after) or "(?!)"
    found = re.search(rf"(?:{before})(?:{decided})|(?:{decided})\s*(?:{after})", normalize(cell))
    return found[0] if found else ""


def _month_only(text: str) -> date | None:
    """令和4年8月 → 2022-08-01 (for its fiscal year only: no day is asserted); None otherwise."""
    try:
        return parse_era_date(re.sub(r"月?\s*$", "月1日", text.strip())).value
    except EraDateError:
        return None


def _is_statutory(text: str) -> bool:
    key = match_key(text)
    return any(match_key(phrase) in key for phrase in words().statutory)


def _without_statutory(text: str) -> str:
    """``text`` with the statutory wordings (法令に基づく…) taken out, for reading citations; the
    rest stays as written, so that each citation keeps its own text."""
    for phrase in sorted(words().statutory, key=len, reverse=True):
        text = text.replace(phrase, "")
    return text.strip()


def _cites_article(text: str) -> bool:
    """Whether ``text`` names an article (第N条, numbers in digits or kanji)."""
    return bool(re.search(r"第[0-9]+条", _KANJI_SLOT.sub(_slot_number, normalize(text))))


def _inner_paren(text: str) -> tuple[str, str, str]:
    """For a cell whose parenthesis is not last: (text before it, its content, text after it)."""
    start = -1
    for index, char, depth in walk(text, "（(", "）)"):
        if depth == 0 and char in "（(":
            start = index
        elif depth == 0 and char in "）)" and start > 0:
            return text[:start], text[start + 1 : index], text[index + 1 :].strip()
    return text, "", ""


def _decision(head: str) -> tuple[CouncilDecision | None, str]:
    """The first decision in ``head``, and the text of the first other one after it (or "")."""
    text = normalize(head)
    matches = sorted(
        (m for pattern in _decision_patterns() for m in pattern.finditer(text)),
        key=lambda m: (m.start(), -m.end()),
    )
    for index, match in enumerate(matches):
        decision = _read_decision(head, match)
        if decision is None:
            continue
        later = [m for m in matches[index + 1 :] if m.start() >= match.end()]
        end = later[0].start() if later else len(text)
        decision = _outcome(decision, text[match.end() : end])
        return decision, later[0][0] if later else ""
    return None, ""


def _outcome(decision: CouncilDecision, rest: str) -> CouncilDecision:
    """A consultation followed, in the same sentence, by what came of it (審議会に諮問し、適当である旨の
    答申を得た): the decision is that outcome, the later word; the consultation alone stays 諮問."""
    if words().decisions.get(decision.decision) != "ConsultationOfCouncil":
        return decision
    sentence = re.split(r"[。\n]", rest, maxsplit=1)[0]
    found = re.search("|".join(re.escape(w) for w in words().decisions), sentence)
    if found is None or words().decisions[found[0]] == "ConsultationOfCouncil":
        return decision
    return dataclasses.replace(decision, decision=found[0])


def _western_year(text: str, *, anywhere: bool = False) -> int | None:
    """2020年度 → 2020 (at the start of ``text``, or ``anywhere`` in it); None for a year before the
    first era a report can name (0412年度 is a typo or noise, not a fiscal year)."""
    found = (re.search if anywhere else re.match)(r"([0-9]{4})\s*年度", text)
    if found is None:
        return None
    year = int(found[1])
    return year if year >= min(e.start.year for e in eras()) else None


def _read_decision(head: str, match: re.Match[str]) -> CouncilDecision | None:
    """The decision a match stands for; None when its year or date is not possible."""
    council = match["council"].strip().removeprefix("の").strip().rstrip("にへのでが").strip()
    if "fy" in match.re.groupindex:
        year = (
            _western_year(match["fy"])
            if re.match(r"[0-9]{4}\s*年度", match["fy"])
            else fiscal_year(match["fy"])
        )
        if year is None or len(match["meeting"]) > MAX_DIGITS:
            return None
        return CouncilDecision(head.strip(), year, kanji_to_int(match["meeting"]), match["decision"], council)
    try:
        day = parse_era_date(match["date"]).value
    except EraDateError:
        return None
    year = day.year if day.month >= 4 else day.year - 1
    meeting = kanji_to_int(match["meeting"]) if "meeting" in match.re.groupindex else 0
    numbered = _MEETING.search(normalize(council))  # 令和4年5月18日開催の第1回審査会で承認
    if not meeting and numbered:
        meeting = int(numbered["meeting"])
        council = council[council.index("回") + 1 :].strip() if "回" in council else council
    return CouncilDecision(head.strip(), year, meeting, match["decision"], council, day)


def _citations(inner: str, remarks: list[str]) -> list[StatuteCitation]:
    citations: list[StatuteCitation] = []
    cited: list[str] = []
    pieces = _unwrapped(inner, [p for p in split_top_level(inner, words().citation_separators) if p])
    apart = [part for written, read in pieces for part in _run_together(written, read)]
    for position, (written, read) in enumerate(apart, start=1):
        citations.append(_citation(written, cited, position, remarks, read))
    return citations


def _run_together(written: str, read: str) -> list[tuple[str, str]]:
    """A piece holding two citations one after the other with nothing between them (地方税法第321条
    の4番号法第19条第8号: a line break in the cell lost, as a PDF's full line joins the next) as two
    pieces, each as written and as read: cut where the first ends with its article, paragraph or
    item and the rest is a citation whose law's name begins with a kanji or katakana (no particle:
    第8号に基づく…) and ends with a law's kind (法, 令, 規則, 条例: cells.toml [legal.same_law]). The
    last such cut first: 第321条の4 is one article, not 第321条 and a law 「の4番号法」. A piece
    joined back over a separator (:func:`_unwrapped`) or with no such cut is one piece."""
    if written != read:
        return [(written, read)]
    kinds = tuple(dict.fromkeys(k for ks in words().same_law.values() for k in ks))
    for cut in range(len(written) - 1, 0, -1):
        left, right = written[:cut], written[cut:].strip()
        first = _ARTICLE.match(_KANJI_SLOT.sub(_slot_number, normalize(left)))
        if first is None or first["rest"].strip():
            continue
        second = _ARTICLE.match(_KANJI_SLOT.sub(_slot_number, normalize(right)))
        law = second["law"].strip() if second is not None else ""
        if law and law.endswith(kinds) and _opens_a_name(law[0]):
            return [(left.rstrip(), left.rstrip()), *_run_together(right, right)]
    return [(written, read)]


def _opens_a_name(char: str) -> bool:
    """A kanji or katakana: a law's name opens so (番号法, マイナンバー法), never with a particle."""
    name = unicodedata.name(char, "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "KATAKANA"))


def _unwrapped(inner: str, pieces: list[str]) -> list[tuple[str, str]]:
    """The pieces with a line wrap inside a citation joined back (第113条の、3 → 第113条の3): a piece
    ending where no citation ends (の, 第), or one opening where none opens (条, 項, 号, の), is one
    citation with its neighbour (cells.toml [legal] citation_never_ends / citation_never_opens).
    Each as (as written: the cell's own span, the separator kept; as read: joined without it)."""
    spec = words()
    citations: list[tuple[int, int, str, bool]] = []  # start, end in ``inner``, as read, joined?
    cursor = 0
    for piece in pieces:
        start = max(inner.find(piece, cursor), cursor)  # the piece's place in the cell
        end = cursor = start + len(piece)
        text = piece.strip()
        before = normalize(citations[-1][2]).rstrip() if citations else ""
        if before and (
            before.endswith(spec.citation_never_ends) or normalize(text).startswith(spec.citation_never_opens)
        ):
            first, _, read, _ = citations[-1]
            citations[-1] = (first, end, read.rstrip() + text, True)
        else:
            citations.append((start, end, piece, False))
    # as written: a joined citation is the cell's own span, its separator kept (in the cell as it is)
    return [(inner[a:b] if joined else read, read) for a, b, read, joined in citations]


def _citation(
    piece: str, cited: list[str], position: int, remarks: list[str], read: str | None = None
) -> StatuteCitation:
    """One citation: ``piece`` as written, ``read`` the text read (a wrapped piece joined back)."""
    text = _KANJI_SLOT.sub(_slot_number, normalize(piece if read is None else read))
    match = _ARTICLE.match(text)
    if not match and _ARTICLE_WORDS.search(text):
        remarks.append(f"article not read in {shown(piece)} (expected e.g. 地方自治法第245条の9第1項)")
    if not match:
        return StatuteCitation(piece, _law_name(text, cited, remarks, piece), position=position)
    article = match["article"] + (f"の{match['sub']}" if match["sub"] else "")
    rest = match["rest"].strip()
    if rest:
        remarks.append(
            f"{shown(rest)} after the article in {shown(piece)} is kept as written, not read "
            "(only law, article, paragraph 項 and item 号 are)"
        )
    return StatuteCitation(
        as_written=piece,
        law_name=_law_name(match["law"], cited, remarks, piece),
        article=article,
        paragraph=int(match["para"] or 0),
        item=int(match["item"] or 0),
        supplementary=bool(match["supp"]),
        position=position,
        rest=rest,
    )


def _law_name(text: str, cited: list[str], remarks: list[str], piece: str) -> str:
    """The law's name without a trailing kind such as （厚生労働省令）; a resolved name joins ``cited``.

    同法 (同令 …) means the latest law cited before whose name ends with that kind; with none, the
    name stays as written (同法…, unresolved: it does not join ``cited``) and a remark says so.
    """
    name = text.strip()
    for word, kinds in words().same_law.items():
        if name.startswith(word):
            earlier = next((law for law in reversed(cited) if law.endswith(kinds)), None)
            if earlier is not None:
                name = earlier + name[len(word) :]
                break
            if not cited:
                remarks.append(f"{shown(piece)}: {word} but no law is cited before it")
            else:
                remarks.append(
                    f"{shown(piece)}: {word} but no law ending in {' / '.join(kinds)} is cited before it "
                    f"(only {', '.join(dict.fromkeys(cited))}): left unresolved"
                )
            return _without_kind(name)
    name = _without_kind(name)
    if name:
        cited.append(name)
    return name


def _without_kind(name: str) -> str:
    opening = trailing_paren(name)
    return name[:opening].strip() if opening > 0 else name
