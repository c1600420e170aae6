"""Implementing agencies (実施機関) of any municipality by rule, with no curation.

The summary table names agencies (区長, 教育委員会, 選挙管理委員会 …) and each connection names
departments (課). ``data/reference/agency-rules.toml`` says how a label names an agency and
which departments belong to it; the executive head's label depends on the kind of local
government (区長 for a special ward, 市長, 町長, 村長, 知事), read from the bundled code list.
One IRI per municipality and agency (kid:{code}/agency/{slug}), the same for the summary rows
and the connections, so the summary arithmetic compares like with like.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.metadata import municipality
from ketsugo.read.normalize import match_key

_PLACE_CHARACTERS = "都道府県市区町村"


@dataclass(frozen=True)
class AgencyRule:
    slug: str
    labels: tuple[str, ...]  # match keys
    label_endings: tuple[str, ...]  # match keys a label may end with (…事業管理者)
    departments: tuple[str, ...]  # match keys of words in a department's name
    if_listed: bool
    head: bool
    # longer words a department word also occurs in without naming the agency (議会 in 協議会)
    not_within: tuple[str, ...] = ()


@cache
def _data() -> tuple[tuple[AgencyRule, ...], dict[str, str]]:
    data = reference_toml("agency-rules.toml")
    rules = tuple(
        AgencyRule(
            a["slug"],
            tuple(match_key(x) for x in a.get("labels", ())),
            tuple(match_key(x) for x in a.get("label_endings", ())),
            tuple(match_key(x) for x in a.get("departments", ())),
            bool(a.get("if_listed", False)),
            bool(a.get("head", False)),
            tuple(match_key(x) for x in a.get("not_within", ())),
        )
        for a in data["agency"]
    )
    return rules, dict(data["head_labels"])


def head_label(code: str) -> str:
    """The executive head of a local government: 区長 (特別区), 市長, 町長, 村長 or 知事."""
    return _data()[1].get(municipality(code).kind, "長")


def slug_for_label(label: str, code: str) -> str | None:
    """The agency slug a summary-table label names (新宿区議会, 区議会, 議会 → assembly), or None."""
    key = match_key(label)
    place = municipality(code)
    for prefix in sorted({match_key(place.full_name), match_key(place.name)}, key=len, reverse=True):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    candidates = [key]
    if len(key) > 1 and key[0] in _PLACE_CHARACTERS:
        candidates.append(key[1:])
    for candidate in candidates:
        for rule in _data()[0]:
            if candidate in rule.labels:
                return rule.slug
    for rule in _data()[0]:
        if any(key.endswith(ending) for ending in rule.label_endings):
            return rule.slug
    return None


def minted_slug(label: str) -> str:
    """A slug for an agency label no rule knows: its key, so that it is stable."""
    return re.sub(r"[\s/]+", "-", match_key(label))


def agency_label(slug: str, code: str, as_written: str = "") -> str:
    """A label for an agency by rule: the municipality's name and the agency (横浜市長, 新宿区長,
    東京都知事, 横浜市教育委員会); an agency no rule knows keeps the label as written."""
    name = municipality(code).name
    if slug == head_slug():
        head = head_label(code)
        return f"{name}長" if head == f"{name[-1]}長" else f"{name}{head}"
    rule = next((r for r in _data()[0] if r.slug == slug), None)
    label = rule.labels[0] if rule is not None and rule.labels else as_written
    if rule is not None and as_written and _by_ending_only(_label_key(as_written, code), rule):
        label = as_written  # ガス事業管理者: a label the rule knows by its ending alone names itself
    elif rule is not None and as_written and _label_key(as_written, code) in rule.labels:
        label = as_written  # 上下水道事業管理者: one of the rule's labels, as the report writes it
    return label if label.startswith(name) else f"{name}{label}"


def _by_ending_only(key: str, rule: AgencyRule) -> bool:
    return key not in rule.labels and any(key.endswith(e) for e in rule.label_endings)


def head_slug() -> str:
    return next(r.slug for r in _data()[0] if r.head)


def department_rule(name: str, code: str, listed_slugs: AbstractSet[str]) -> tuple[str, str]:
    """(agency slug, rule) for a department no registry knows, from the top of its name down:

    1. an agency named in it outright (教育委員会事務局…, 総務部選挙管理委員会事務局) is its agency;
    2. a name that begins with a division (…部, …局 before a section: :func:`division_of`) belongs
       where its division does: the division's words decide, else the executive head — a
       section's word says nothing against its division (まちづくり部生涯学習推進課 is the head's,
       whatever 生涯学習 suggests alone; 教育総務部学事課 is the board of education's);
    3. otherwise the first rule whose word occurs in the name, else the executive head.

    An ``if_listed`` rule applies only when the agency is listed."""
    key = match_key(name)
    rules = [r for r in _data()[0] if not (r.if_listed and r.slug not in listed_slugs)]
    for rule in rules:
        for label in rule.labels:
            if not rule.head and len(label) >= _NAMING_LABEL and label in key:
                return rule.slug, f"rule: named {label} → {rule.labels[0]}"
    division = division_of(key)
    found = _by_word(division or key, rules)
    if found is not None:
        return found
    return head_slug(), f"rule: otherwise the executive head → {head_label(code)}"


# An agency's label at least this long names it inside a department's name (選挙管理委員会事務局);
# a shorter one (議会, 選管) also occurs in other words (協議会).
_NAMING_LABEL = 3


def _by_word(key: str, rules: list[AgencyRule]) -> tuple[str, str] | None:
    for rule in rules:
        for word in rule.departments:
            if _names(word, key, rule.not_within):
                return rule.slug, f"rule: {word} → {rule.labels[0] if rule.labels else rule.slug}"
    return None


def _names(word: str, key: str, not_within: tuple[str, ...]) -> bool:
    """Whether ``word`` occurs in ``key`` other than inside one of the longer words ``not_within``
    (地域協議会推進課 does not name the assembly, 議会事務局 does)."""
    inside = set()
    for longer in not_within:
        offset = longer.find(word)
        start = key.find(longer)
        while offset >= 0 and start >= 0:
            inside.add(start + offset)
            start = key.find(longer, start + 1)
    start = key.find(word)
    while start >= 0:
        if start not in inside:
            return True
        start = key.find(word, start + 1)
    return False


def division_of(key: str) -> str:
    """The division a department's name (a match key) begins with — its shortest beginning of at
    least three characters that ends like a division (健康福祉部, 上下水道局) with more after it
    (the section) — or "" when it names no division before a section."""
    endings = tuple(match_key(e) for e in division_endings())
    for end in range(_DIVISION_LENGTH, len(key)):
        if key[:end].endswith(endings):
            return key[:end]
    return ""


_DIVISION_LENGTH = 3  # 区民部; a shorter beginning ending in 部 is a word (部活動…), not a division


@cache
def division_endings() -> tuple[str, ...]:
    """Endings of a division's name (健康福祉部): joined to the section named after it."""
    return tuple(reference_toml("agency-rules.toml").get("division_endings", ()))


@dataclass
class ListedAgencies:
    """The agencies a report's summary table lists, label by label, so that two agencies written
    differently never become one node: when a rule (or a registry) gives a second label the IRI of
    an agency already listed under another label (水道事業及び下水道事業管理者 and 公営企業管理者, both
    …/public-enterprise-manager by the general rule), the second gets an IRI of its own (the first's
    and its label's key) and the caller a message to report. Mixed, their rows' counts and
    connections would be counted against each other."""

    by_iri: dict[str, str] = field(default_factory=dict)  # IRI → the key of the label it was given for
    by_label: dict[str, str] = field(default_factory=dict)  # a label's key → its IRI

    def distinct(self, iri: str, label: str, code: str) -> tuple[str, str]:
        """(the IRI for the agency ``label`` names, "" or a message saying it was made distinct)."""
        key = _label_key(label, code)
        if key in self.by_label:
            return self.by_label[key], ""
        first = self.by_iri.get(iri)
        message = ""
        if first is not None and first != key:
            own = f"{iri}-{minted_slug(key)}"
            message = (
                f"implementing agency {label!r} is given the same agency as {first!r} by "
                f"data/reference/agency-rules.toml ({iri.rsplit('/', 1)[-1]}): kept apart as {own}, "
                "an agency of its own; add a rule (or an agencies-CODE.ttl registry entry) naming it"
            )
            iri = own
        self.by_iri.setdefault(iri, key)
        self.by_label[key] = iri
        return iri, message

    def named(self, label: str, code: str) -> str | None:
        """The IRI the summary gave the agency ``label`` names (a heading above rows), or None. A
        heading naming the agency's organisation rather than the agency (（3）企業局, 病院局, 教育庁
        under 公営企業管理者, 教育委員会 of the summary: a name ending as agency-rules.toml
        organisation_endings say) names the listed agency whose rule's label or department word it
        holds (an ``if_listed`` rule only when listed); no listed agency by that — the executive
        head's by default — is None, as is a heading by subject (【教育関係】)."""
        key = _label_key(label, code)
        if key in self.by_label:
            return self.by_label[key]
        if not key.endswith(_organisation_endings()):
            return None  # 【税務関係】: a heading by subject says nothing of an agency
        listed = {iri.rsplit("/", 1)[-1]: iri for iri in self.by_iri}
        rules = [r for r in _data()[0] if not r.head and (r.slug in listed or not r.if_listed)]
        for rule in rules:
            if any(len(x) >= _NAMING_LABEL and x in key for x in rule.labels):
                return listed.get(rule.slug)
        found = _by_word(key, rules)
        return listed.get(found[0]) if found is not None else None


@cache
def _organisation_endings() -> tuple[str, ...]:
    """agency-rules.toml organisation_endings, as match keys: how an agency's organisation is named."""
    return tuple(match_key(e) for e in reference_toml("agency-rules.toml").get("organisation_endings", ()))


def _label_key(label: str, code: str) -> str:
    """A label's key without the place's name before it (佐賀県知事 and 知事 name one agency)."""
    key = match_key(label)
    place = municipality(code)
    for prefix in sorted({match_key(place.full_name), match_key(place.name)}, key=len, reverse=True):
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key
