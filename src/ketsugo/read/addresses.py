"""Where a party is: an address written beside its name (〒100-0001, 東京都千代田区一番町1-1), as
data (``data/reference/party-patterns.toml`` ``addresses``). One rule for both readers of it: the
quoted-cell reader (an address on a line of its own under a company, :mod:`ketsugo.read.quoted`)
and the graph's counterparty resolution (:mod:`ketsugo.graph.partyrules`), so that what is an
address in one place is an address in the other.

An address needs an address's shape — a postcode, or a place followed by 丁目 / 番地 / 号 or by
numbers joined with a dash — not just a place name: 横浜市2区選挙管理委員会 is a party.
"""

from __future__ import annotations

import re
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.normalize import normalize


@cache
def _addresses() -> tuple[re.Pattern[str], ...]:
    data = reference_toml("party-patterns.toml")
    return tuple(re.compile(p, re.IGNORECASE) for p in data.get("addresses", ()))


def is_address(text: str) -> bool:
    """An address (party-patterns.toml ``addresses``, matched on the text in NFKC): where a party
    is, written beside its name, never a party itself."""
    folded = normalize(text)
    return bool(folded) and any(p.search(folded) for p in _addresses())
