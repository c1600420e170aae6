"""The legal forms of organisations (株式会社, 一般社団法人, …) and their bracketed abbreviations
((株), ㈱), as data (``data/reference/legal-forms.toml``): read by the published-file reader (a
legal form alone on a typed line belongs to the next name) and by the graph's organisation names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ketsugo.paths import reference_toml


@dataclass(frozen=True)
class LegalForm:
    name: str  # in full, e.g. 株式会社
    abbreviations: tuple[str, ...]  # as written inside brackets, e.g. 株 for (株) / ㈱
    kind: str  # local name of the ketsugo class, e.g. PrivateCompany


@cache
def legal_forms() -> tuple[LegalForm, ...]:
    """The legal forms, longest name first (一般社団法人 before 社団法人)."""
    data = reference_toml("legal-forms.toml")
    forms = [LegalForm(f["name"], tuple(f["abbreviations"]), f["kind"]) for f in data["form"]]
    return tuple(sorted(forms, key=lambda f: -len(f.name)))
