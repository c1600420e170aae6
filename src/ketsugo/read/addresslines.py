"""Where a party's address begins in a cell whose lines were joined (a PDF's wrapped cell).

A cell naming a party and where it is (相手方（名称・所在地）) puts the address on a line of its own
under the name. When the name fills its line to the edge of the box (株式会社みちの / く情報システム /
青森県八戸市…), the line before the address looks wrapped, not broken, and the address runs into the
name. A line that opens an address is a break on purpose all the same: it starts with 〒, a postcode
or the name of a prefecture (the shipped code list, data/vocab/local-gov-code), and the text from
there on is an address by the one rule of :mod:`ketsugo.read.addresses` (a place followed by 丁目 /
番地 / 号 or numbers): 東京都千代田区 / 一番町25番地 opens one; a name going on with a place name in
it (横浜市2区選挙管理委員会) does not.
"""

from __future__ import annotations

import json
import re
from functools import cache

from ketsugo.paths import VOCAB_DIR
from ketsugo.read.addresses import is_address
from ketsugo.read.normalize import normalize

_POSTCODE = re.compile(r"^\s*(〒|[0-9]{3}\s*-\s*[0-9]{4}(\s|$))")


@cache
def _prefectures() -> tuple[str, ...]:
    entries = json.loads((VOCAB_DIR / "local-gov-code" / "prefectures.json").read_text(encoding="utf-8"))
    return tuple(sorted({str(e["name"]) for e in entries if e.get("name")}, key=len, reverse=True))


@cache
def _first_characters() -> frozenset[str]:
    return frozenset(name[0] for name in _prefectures())


def opens_address(rest: str) -> bool:
    """Whether ``rest`` (a cell's text from the start of one of its lines to its end) begins with the
    party's address: 〒, a postcode or a prefecture's name first, and an address's shape."""
    first = normalize(rest.lstrip()[:1])
    if not first or not (first == "〒" or first.isdigit() or first in _first_characters()):
        return False  # most lines: no need to read the rest
    folded = normalize(rest).strip()
    return (bool(_POSTCODE.match(folded)) or folded.startswith(_prefectures())) and is_address(folded)
