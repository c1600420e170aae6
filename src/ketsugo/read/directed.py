"""Item (or counterparty) columns split by direction: the items given to the party and those
received from it; the party given to (提供先) and the one received from (受領元).

Some reports list a connection's personal data in two columns, 提供する個人情報 (given) and
受領する個人情報 (received), a row filling one or both. The connection's items are both lists (an
item named in both once, where it first stands), and which lists are filled says the way data
flows when the table has no column for it: 提供 only → to the party, 受領 only → from it, both →
both ways. The headers and the cells meaning "none" (－) are data (headers.toml [directed_items]).
"""

from __future__ import annotations

from dataclasses import replace

from ketsugo.read.headers import Headers
from ketsugo.read.legend import Legend, read_items
from ketsugo.read.normalize import match_key
from ketsugo.read.records import Item, ItemList

TO, FROM = "items_to", "items_from"
PARTY_TO, PARTY_FROM = "parties_to", "parties_from"


def directed_columns(header: list[str], spec: Headers) -> dict[int, str]:
    """Column index → "items_to" / "items_from" when the header has a column of each list; else {}
    (a lone 提供する個人情報 is an ordinary items column)."""
    found: dict[int, str] = {}
    for index, cell in enumerate(header):
        key = match_key(cell)
        if key in spec.items_to_columns and TO not in found.values():
            found[index] = TO
        elif key in spec.items_from_columns and FROM not in found.values():
            found[index] = FROM
    return found if set(found.values()) == {TO, FROM} else {}


def directed_party_columns(header: list[str], spec: Headers) -> dict[int, str]:
    """Column index → "parties_to" / "parties_from" when the header has a column of each (提供先 and
    受領元); else {} (a lone 提供先 is an ordinary counterparties column)."""
    found: dict[int, str] = {}
    for index, cell in enumerate(header):
        key = match_key(cell)
        if key in spec.parties_to_columns and PARTY_TO not in found.values():
            found[index] = PARTY_TO
        elif key in spec.parties_from_columns and PARTY_FROM not in found.values():
            found[index] = PARTY_FROM
    return found if set(found.values()) == {PARTY_TO, PARTY_FROM} else {}


def directed_parties(given: str | None, received: str | None, spec: Headers) -> tuple[str, str | None]:
    """The two cells as one counterparty cell and the way data flows their filling says: 提供先 only →
    "to_party", 受領元 only → "from_party", both naming one party → "both"; two different parties
    are both kept (one a line) and say no one way (None), nor does neither."""
    cells = [text.strip() for text in (given, received) if text is not None and filled(text, spec)]
    if len(cells) == 2 and match_key(cells[0]) == match_key(cells[1]):
        return cells[0], "both"
    ways = (filled(given, spec), filled(received, spec))
    direction = {(True, False): "to_party", (False, True): "from_party"}.get(ways)
    return "\n".join(cells), direction


def filled(text: str | None, spec: Headers) -> bool:
    """The cell lists items: not blank and not a "none" (－, なし)."""
    return text is not None and bool(text.strip()) and match_key(text) not in spec.no_items


def directed_items(
    given: str | None, received: str | None, spec: Headers, legend: Legend | None = None
) -> tuple[str, ItemList, str | None]:
    """The two cells as one: the text (the filled cells, one a line), the items of both (each cell
    read through the report's legend of item codes, 凡例, as a one-column cell is), and the way data
    flows their filling says ("to_party", "from_party", "both"; None when neither is)."""
    cells = [text for text in (given, received) if text is not None and filled(text, spec)]
    lists = [read_items(text, legend if legend is not None else Legend()) for text in cells]
    seen: set[str] = set()
    items: list[Item] = []
    for item in (i for one in lists for i in one.items):
        key = match_key(item.name)
        if key in seen:
            continue
        seen.add(key)
        items.append(replace(item, position=len(items) + 1))
    merged = ItemList(
        tuple(items),
        note=" ".join(one.note for one in lists if one.note),
        remarks=tuple(r for one in lists for r in one.remarks),
        infos=tuple(i for one in lists for i in one.infos),
        open_ended=any(one.open_ended for one in lists),
        not_in_report=any(one.not_in_report for one in lists),
        count=sum(one.count for one in lists),
        count_as_written=" ".join(one.count_as_written for one in lists if one.count_as_written),
    )
    ways = (filled(given, spec), filled(received, spec))
    direction = {(True, True): "both", (True, False): "to_party", (False, True): "from_party"}.get(ways)
    return "\n".join(cells), merged, direction
