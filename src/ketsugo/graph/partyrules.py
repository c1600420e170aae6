"""Classification of a counterparty no registry names, by its legal form and by name rules.

An open world: most counterparties of a report nobody has curated are still recognisable as a
company (株式会社…), a ministry (〜省), a local government (in the bundled code list), a public
insurance body (〜国民健康保険団体連合会) or an unnamed kind of party (委託事業者). The rules are
data (``data/reference/legal-forms.toml``, ``data/reference/party-patterns.toml``); this module
applies them and says which rule decided, so the graph can keep it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ketsugo.graph.orgnames import (
    is_only_legal_form,
    organisation_key,
    split_legal_form,
    written_full_form,
)
from ketsugo.paths import reference_toml
from ketsugo.read.addresses import is_address as is_address
from ketsugo.read.metadata import local_governments_named, place_names
from ketsugo.read.normalize import compact, normalize


@dataclass(frozen=True)
class Classification:
    """What a name is: a class of named organisation (``kind_class``, a local name such as
    "PrivateCompany") or a kind of unnamed party (``party_kind``, a kg:PartyKind local name)."""

    rule: str  # e.g. "legal form: 株式会社", "rule: public insurance body"
    kind_class: str = ""
    party_kind: str = ""
    key: str = ""  # organisation key (named organisations only)
    # the name as the report writes it (NFKC), never re-composed — 飛騨印刷株式会社 is not 株式会社飛騨印刷
    # (named organisations only; the node's label is one of these: orgnames.label_among)
    label: str = ""
    spelling: str = ""  # the name in the company's own word order, legal form spelled out (an altLabel)
    local_government_code: str = ""


@dataclass(frozen=True)
class _Rule:
    name: str
    kind_class: str
    party_kind: str
    patterns: tuple[re.Pattern[str], ...]
    local_government: bool
    strip: tuple[str, ...]


_PARENTHETICAL = re.compile(r"^(?P<outer>.+?)\s*[（(](?P<inner>[^（）()]+)[）)]$")


# A party written after a label and a colon (委託先：株式会社X, 提供先:佐賀県): a label with no
# bracket, then the name. The label is a role only when party-patterns.toml `role_labels` says so.
_COLON = re.compile(r"^(?P<label>[^：:（）()【】]+?)\s*[：:]\s*(?P<name>\S.*)$", re.DOTALL)


def split_role_label(text: str) -> tuple[str, str] | None:
    """(label, name) of a party written after its role (委託先：株式会社X); None without such a label.
    A role is a word of party-patterns.toml ``role_labels``, or a label ending in one with no legal
    form (データ提供先); 株式会社A：株式会社B has none (:func:`split_at_colon`). The caller takes the
    name only when it is a party by itself (the label is a note)."""
    found = split_at_colon(text)
    return found if found is not None and _is_role(found[0]) else None


def split_at_colon(text: str) -> tuple[str, str] | None:
    """(before, after) of a text cut at its first colon outside brackets; None without one."""
    match = _COLON.match(text.strip())
    return None if match is None else (match["label"].strip(), match["name"])


def _is_role(label: str) -> bool:
    key = compact(label)
    roles = _role_labels()
    if key in roles:
        return True
    return key.endswith(tuple(roles)) and split_legal_form(normalize(label))[0] is None


@cache
def _role_labels() -> frozenset[str]:
    return frozenset(compact(w) for w in reference_toml("party-patterns.toml").get("role_labels", ()))


def is_detail(text: str) -> bool:
    """True for a piece of a cell giving a detail of the party before it under a label and a
    colon (所在地：東京都…, 代表者：代表取締役　山田　太郎, 法人番号：…; party-patterns.toml
    ``detail_labels``): where it is, who represents it — never a party of its own.
    A label before a name with a legal form (代表：株式会社A, a consortium's leader) names a party."""
    found = split_at_colon(text)
    return (
        found is not None
        and compact(found[0]).casefold() in _detail_labels()
        and split_legal_form(normalize(found[1]))[0] is None
    )


@cache
def _detail_labels() -> frozenset[str]:
    words = reference_toml("party-patterns.toml").get("detail_labels", ())
    return frozenset(compact(w).casefold() for w in words)


@cache
def detail_pattern() -> re.Pattern[str]:
    """A detail label and its colon after a separator, in a normalised name (株式会社A 所在地：…):
    where the party's own name ends."""
    words = sorted(_detail_labels(), key=len, reverse=True)
    either = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(rf"[\s、，,；;／/]+(?:{either})\s*[：:]", re.IGNORECASE)


@cache
def _subcontractors() -> tuple[re.Pattern[str], ...]:
    data = reference_toml("party-patterns.toml")
    return tuple(re.compile(p, re.IGNORECASE) for p in data.get("subcontractors", ()))


def subcontractor(note: str) -> str | None:
    """The subcontractor a bracket after a party names (株式会社Bに再委託, 再委託先：株式会社B →
    株式会社B; party-patterns.toml ``subcontractors``), or None when it names none."""
    folded = normalize(note).strip()
    for pattern in _subcontractors():
        match = pattern.match(folded)
        if match is not None and match["name"].strip():
            return match["name"].strip()
    return None


def split_parenthetical(text: str) -> tuple[str, str] | None:
    """(outer, inner) of a name that ends with a parenthetical note, e.g. 委託事業者（株式会社X）;
    None when there is none or when it is a legal form's abbreviation (ABC（株）)."""
    match = _PARENTHETICAL.match(text.strip())
    if match is None or split_legal_form(normalize(f"({match['inner']})"))[0] is not None:
        return None
    return match["outer"], match["inner"]


def is_office(text: str) -> bool:
    """True for a piece naming an office of the party before it (東京支店, 横浜営業所)."""
    key = compact(text)
    return any(key.endswith(word) and len(key) <= len(word) + 8 for word in _offices())


@cache
def _offices() -> tuple[str, ...]:
    return tuple(reference_toml("party-patterns.toml").get("offices", ()))


def office_start(name: str) -> int | None:
    """Where an office joined with no space to a name ends it (株式会社A松山支店 → at 松山,
    株式会社A本社 → at 本社), or None: only a bare 本社/本店 or an office word after a place counts
    (party-patterns.toml), so that 株式会社A情報センター keeps its name."""
    bare, after_place, regions = _office_words()
    places = place_names() | regions
    for word in sorted({*bare, *after_place}, key=len, reverse=True):
        if not name.endswith(word):
            continue
        before = name[: -len(word)]
        cuts = [len(before)] if word in bare else []
        if word in after_place:
            cuts += [len(before) - n for n in range(6, 1, -1) if before[-n:] in places]
        for cut in cuts:
            if not is_only_legal_form(name[:cut]) and split_legal_form(name[:cut])[1]:
                return cut
    return None


@cache
def _office_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = reference_toml("party-patterns.toml")
    return (
        frozenset(data.get("bare_offices", ())),
        frozenset(data.get("place_offices", ())),
        frozenset(data.get("regions", ())),
    )


@cache
def _data() -> tuple[tuple[_Rule, ...], tuple[str, ...]]:
    data = reference_toml("party-patterns.toml")
    rules = tuple(
        _Rule(
            name=r["name"],
            kind_class=r.get("class", ""),
            party_kind=r.get("party_kind", ""),
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in r.get("patterns", ())),
            local_government=bool(r.get("local_government", False)),
            strip=tuple(sorted(r.get("strip", ()), key=len, reverse=True)),
        )
        for r in data["rule"]
    )
    return rules, tuple(sorted(data.get("open_ended", ()), key=len, reverse=True))


@cache
def _undecided() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in reference_toml("party-patterns.toml").get("undecided", ()))


_UNDECIDED_CUTS = re.compile(r"[()（）「」【】、，,・/／;；:：\s]+")


def is_undecided(cell: str) -> bool:
    """Whether a counterparty cell says the party is not chosen yet (未定, 未定（調達中）, 入札により決定):
    every piece of it, cut at brackets, separators and white space, is such a word (party-patterns.toml
    ``undecided``). Then there is no party, not one named 未定; a piece naming one keeps the cell read."""
    pieces = [p for p in _UNDECIDED_CUTS.split(normalize(cell)) if p]
    patterns = _undecided()
    return bool(pieces) and all(any(p.match(piece) for p in patterns) for piece in pieces)


def strip_open_ended(text: str) -> tuple[str, bool]:
    """(the name without a trailing ほか / 等 / など, whether there was one): 「A(株)ほか」 → A(株)."""
    stripped = text.rstrip()
    for word in _data()[1]:
        if stripped.endswith(word) and len(compact(stripped)) > len(word):
            return stripped[: -len(word)].rstrip(" 　・、"), True
    return text, False


def classify(name: str) -> Classification | None:
    """The kind of a party by its legal form, then by the rules in order; None when none applies."""
    form, rest = split_legal_form(normalize(name))
    if form is not None and rest:
        return Classification(
            f"legal form: {form.name}",
            kind_class=form.kind,
            key=organisation_key(name),
            label=normalize(name),
            spelling=written_full_form(name),
        )
    text = compact(name)
    if not text:
        return None
    for rule in _data()[0]:
        if rule.local_government:
            found = _local_government(text, rule)
            if found is not None:
                return found
            continue
        if any(p.search(text) for p in rule.patterns):
            if rule.party_kind:
                return Classification(f"rule: {rule.name}", party_kind=rule.party_kind)
            return Classification(
                f"rule: {rule.name}",
                kind_class=rule.kind_class,
                key=organisation_key(name),
                label=normalize(name),
            )
    return None


def _local_government(text: str, rule: _Rule) -> Classification | None:
    """A prefecture or municipality of the code list (横浜市, 神奈川県横浜市, 横浜市役所): one IRI
    per local government, named as the list names it; a name two places share (府中市) has no code."""
    candidates = [text, *(text[: -len(s)] for s in rule.strip if text.endswith(s) and len(text) > len(s))]
    for candidate in candidates:
        found = local_governments_named(candidate)
        if len(found) == 1:
            place = found[0]
            name = place.name if place.kind != "ward" else f"{place.city}{place.name}"
            return Classification(
                f"rule: {rule.name} ({place.code})",
                kind_class=rule.kind_class,
                key=organisation_key(place.full_name),
                label=place.full_name if place.kind == "ward" else name,
                local_government_code=place.code,
            )
        if found:
            return Classification(
                f"rule: {rule.name} (name shared by {len(found)})",
                kind_class=rule.kind_class,
                key=organisation_key(candidate),
                label=candidate,
            )
    return None
