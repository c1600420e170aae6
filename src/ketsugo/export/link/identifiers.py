"""Check digits of the national identifiers ketsugo links to.

Kept apart from the readers so the same rule serves the NTA reader, the enrichment step and
the tests; the SHACL shapes (shapes/identifiers.ttl) state the same rules in SPARQL.
"""

from __future__ import annotations

import re

_CORPORATE = re.compile(r"\d{13}")
_LOCAL_GOVERNMENT = re.compile(r"\d{6}")


def corporate_number_check_digit(body: str) -> int:
    """The first digit of a 法人番号 for its other 12 digits: 9 − (Σ digits weighted 1, 2, 1, 2 …
    from the right) mod 9 (国税庁, 法人番号の指定等に関する省令 第2条)."""
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(body)))
    return 9 - total % 9


def is_corporate_number(number: str) -> bool:
    """13 digits whose first digit is the check digit of the other twelve."""
    return bool(_CORPORATE.fullmatch(number)) and int(number[0]) == corporate_number_check_digit(number[1:])


def is_local_government_code(code: str) -> bool:
    """6 digits whose last is the JIS X 0402 check digit: (11 − Σ of the first five weighted
    6, 5, 4, 3, 2 mod 11) mod 10."""
    if not _LOCAL_GOVERNMENT.fullmatch(code):
        return False
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return int(code[5]) == (11 - total % 11) % 10
