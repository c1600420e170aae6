"""Normalisation for derived values only; the original text is always kept beside them.

NFKC folds full-width letters, digits and brackets to their usual forms; dash
variants become "-". The katakana long-vowel mark ー is a letter, not a dash,
and NFKC leaves it alone, as we do.
"""

from __future__ import annotations

import re
import unicodedata

DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\ufe63]")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC, dash variants to "-", runs of white space to one space, trimmed."""
    folded = unicodedata.normalize("NFKC", text)
    folded = DASHES.sub("-", folded)
    return _SPACES.sub(" ", folded).strip()


def compact(text: str) -> str:
    """Normalised text without any white space, for names whose spacing varies."""
    return normalize(text).replace(" ", "")
