"""The My Number flag said in words: 「※個人番号を含まない」 after the items, 「個人番号は含みません。」
in a 備考 cell.

A report with no 特定個人情報 column may still say of each connection whether it involves My
Number, in a sentence. Such a sentence, alone in the items' closing note or in a remarks cell, gives
the flag as a column's ○ or blank would; the wordings are data (cells.toml [specific_said]) and only
a whole note matching one counts, so a note that merely mentions 個人番号 gives nothing.
"""

from __future__ import annotations

import re
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.normalize import normalize

_MARKS = "※*＊ 　"
_ENDS = "。.．"


@cache
def _patterns() -> tuple[tuple[bool, re.Pattern[str]], ...]:
    """(flag, pattern) of cells.toml [specific_said], the "no" wordings first."""
    data = reference_toml("cells.toml").get("specific_said", {})
    return tuple(
        (flag, re.compile(pattern)) for flag in (False, True) for pattern in data.get(str(flag).lower(), ())
    )


def said_flag(texts: list[str]) -> tuple[bool, str] | None:
    """The flag the first of ``texts`` saying it gives, and that text as written; None when none does."""
    for text in texts:
        said = normalize(text).strip(_MARKS).rstrip(_ENDS).strip()
        for flag, pattern in _patterns():
            if said and pattern.fullmatch(said):
                return flag, text.strip()
    return None
