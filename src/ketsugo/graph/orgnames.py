"""Organisation names: one key for every spelling of one organisation, and its legal form.

株式会社NTTデータ, ㈱NTTデータ, (株)NTTデータ, ＮＴＴデータ（株） and NTTデータ株式会社 are one
organisation to a reader; :func:`organisation_key` gives them one key, so that an organisation
gets one IRI however a report spells it, across connections and across municipalities. The
legal forms and their abbreviations are data (``data/reference/legal-forms.toml``).
"""

from __future__ import annotations

import re
from functools import cache

from ketsugo.read.legalforms import LegalForm, legal_forms
from ketsugo.read.normalize import match_key, normalize

# Middle dots and the like that spellings of one name put in or leave out (NFKC folds ･ to ・).
_DOTS = re.compile("[・·•‧]")


@cache
def _form_pattern() -> re.Pattern[str]:
    """A legal form in full or as a bracketed abbreviation, at the start or the end of a name."""
    alternatives = []
    for form in legal_forms():
        alternatives.append(re.escape(form.name))
        alternatives.extend(rf"\({re.escape(match_key(a))}\)" for a in form.abbreviations)
    either = "|".join(alternatives)
    return re.compile(rf"^(?P<head>{either})|(?P<tail>{either})$")


def _form_of(written: str) -> LegalForm | None:
    key = match_key(written)
    for form in legal_forms():
        if key == match_key(form.name) or key in {f"({match_key(a)})" for a in form.abbreviations}:
            return form
    return None


def split_legal_form(name: str) -> tuple[LegalForm | None, str]:
    """(legal form, the name without it): ``㈱NTTデータ`` → (株式会社, "nttデータ").

    The name comes back as a :func:`~ketsugo.read.normalize.match_key` key without middle dots; a
    name that is only a legal form (``(株)``) comes back with an empty name.
    """
    key = _DOTS.sub("", match_key(name))
    match = _form_pattern().search(key)
    if match is None:
        return None, key
    written = match["head"] or match["tail"]
    rest = key[match.end() :] if match["head"] else key[: match.start()]
    return _form_of(written), rest


def organisation_key(name: str) -> str:
    """The key all spellings of one organisation share: ``株式会社|nttデータ``.

    Widths, case, white space and middle dots do not count; a legal form counts by what it is,
    not by how or where it is written (in full or abbreviated, before or after the name).
    """
    form, rest = split_legal_form(name)
    return f"{form.name if form else ''}|{rest}"


def is_only_legal_form(text: str) -> bool:
    """True for a piece such as ``(株)`` or ``株式会社``: a legal form with no name, which must never
    stand as a party of its own when a cell is split."""
    form, rest = split_legal_form(normalize(text))
    return form is not None and not rest


def has_legal_form(text: str) -> bool:
    """True when ``text`` starts or ends with a legal form (in full or abbreviated)."""
    return split_legal_form(normalize(text))[0] is not None


def starts_with_legal_form(text: str) -> bool:
    match = _form_pattern().search(_DOTS.sub("", match_key(text)))
    return match is not None and bool(match["head"])


def ends_with_legal_form(text: str) -> bool:
    key = _DOTS.sub("", match_key(text))
    match = _form_pattern().search(key)
    if match is not None and match["tail"]:
        return True
    # a name that both starts and ends with a form: the pattern reports the head only
    return match is not None and _form_pattern().search(key[match.end() :] or "\0") is not None


def full_form_name(text: str) -> str:
    """The name as a label, the same for every spelling: NFKC, single spaces, the legal form in full
    and in front (ＡＢＣシステム（株） and ABCシステム株式会社 → 株式会社ABCシステム)."""
    return _spelled_out(text, in_front=True)


def written_full_form(text: str) -> str:
    """The name as written, an abbreviated legal form spelled out where it stands (ＡＢＣシステム（株）
    → ABCシステム株式会社, ㈱ABC → 株式会社ABC): an alternative label that keeps the company's own
    word order (日本電気株式会社 is not 株式会社日本電気)."""
    return _spelled_out(text, in_front=False)


def _spelled_out(text: str, *, in_front: bool) -> str:
    """NFKC, single spaces, the legal form written in full: moved to the front, or where it stands."""
    name = normalize(text)
    form, _ = split_legal_form(name)
    if form is None:
        return name
    spellings = [*(f"({a})" for a in form.abbreviations), *([form.name] if in_front else [])]
    for spelling in sorted(spellings, key=len, reverse=True):
        if name.casefold().startswith(spelling.casefold()):
            return form.name + name[len(spelling) :].strip()
        if name.casefold().endswith(spelling.casefold()):
            rest = name[: -len(spelling)].strip()
            return form.name + rest if in_front else rest + form.name
    return name


def label_among(spellings: dict[str, int]) -> str:
    """The label of an organisation named in several spellings (each as written, NFKC → how often):
    a spelling the reports use, never one re-composed from them — one with its legal form written
    in full (株式会社ミライ over ㈱ミライ), then the most frequent, then the first met. Which way round
    the form stands (前株, 後株) is the company's own name: 飛騨印刷株式会社 stays as it is."""
    order = {spelling: n for n, spelling in enumerate(spellings)}

    def rank(spelling: str) -> tuple[bool, int, int]:
        form, _ = split_legal_form(spelling)
        in_full = form is not None and match_key(form.name) in match_key(spelling)
        return (not in_full, -spellings[spelling], order[spelling])

    return min(spellings, key=rank)
