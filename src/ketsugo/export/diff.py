"""Year over year: what changed between two reports of one municipality (`ketsugo diff A B`).

A report lists only the connections begun (section 2) and ended (section 3) in its year, so
the later report B is read against the earlier A:

- ``new``: a connection of B's section (2) that A does not list;
- ``ended``: a connection of B's section (3), with the number A gave it when A lists it;
- ``changed``: a connection of B's section (2) that A lists too (same business and department)
  with other items or another counterparty — items added and removed are named;
- ``repeated``: listed as new in both, unchanged (probably listed twice; validate warns too);
- ``continuing`` (only when asked, ``continuing=True``: `ketsugo diff --continuing`): a connection A
  lists as new (or continuing) that B neither ends nor lists again — still in force, as far as the
  two reports say; after B's rows, in A's order, with no later number.

Connections are matched by business name and department as written, compared by their
normalised keys (full-width, dashes, spaces and case do not matter), never by number: numbers
restart every year. The matcher is the build's own (ketsugo.graph.years.match_flow), so `ketsugo diff` and
the year links of a build (kg:endsConnection) pair the same connections.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass

from ketsugo.graph.orgnames import organisation_key
from ketsugo.graph.years import flow_key, match_flow
from ketsugo.read.normalize import match_key
from ketsugo.read.records import Connection, Report

COLUMNS = (
    "change",
    "business",
    "department",
    "earlier_number",
    "later_number",
    "items_added",
    "items_removed",
    "earlier_counterparty",
    "later_counterparty",
)


@dataclass(frozen=True)
class Change:
    change: str  # new, ended, changed, repeated, continuing
    business: str
    department: str
    earlier_number: int | None
    later_number: int | None  # None for a continuing one (B does not list it)
    items_added: tuple[str, ...] = ()
    items_removed: tuple[str, ...] = ()
    earlier_counterparty: str = ""
    later_counterparty: str = ""


def _items(row: Connection) -> dict[str, str]:
    """Item key → item name as written (first spelling), in the report's order."""
    found: dict[str, str] = {}
    for item in row.items.items:
        found.setdefault(match_key(item.name), item.name)
    return found


def diff_reports(earlier: Report, later: Report, continuing: bool = False) -> list[Change]:
    """Changes from ``earlier`` to ``later``, in the later report's order (new section, then ended);
    with ``continuing``, then the earlier connections still in force, in the earlier report's order."""
    listed = [c for c in earlier.connections if c.status in ("new", "continuing")]  # flows then in force
    keys = [flow_key(c, str(position)) for position, c in enumerate(listed)]
    used: set[str] = set()
    changes: list[Change] = []
    for row in later.connections:
        found = match_flow(flow_key(row, ""), keys, used)  # as the build links years
        before = listed[int(found.iri)] if found is not None else None
        if found is not None:
            used.add(found.iri)
        if row.status == "ended":
            changes.append(_change("ended", row, before))
            continue
        if before is None:
            changes.append(_change("new", row, None))
            continue
        now, then = _items(row), _items(before)
        added = tuple(name for key, name in now.items() if key not in then)
        removed = tuple(name for key, name in then.items() if key not in now)
        party_changed = not same_parties(row.counterparties_as_written, before.counterparties_as_written)
        kind = "changed" if added or removed or party_changed else "repeated"
        changes.append(_change(kind, row, before, added, removed))
    if continuing:
        changes += [
            Change(
                "continuing",
                c.business,
                c.departments_as_written,
                c.number,
                None,
                (),
                (),
                c.counterparties_as_written,
            )
            for c, key in zip(listed, keys, strict=True)
            if key.iri not in used
        ]
    return changes


# Between two parties of one cell (地方税共同機構、株式会社ＴＫＣ)
_PARTY_SEPARATORS = re.compile(r"[、，,／/\n]+")


def same_parties(one: str, other: str) -> bool:
    """Whether two counterparty cells name the same organisations, however each is spelled:
    株式会社ＴＫＣ, (株)TKC and ㈱TKC are one (ketsugo.graph.orgnames.organisation_key)."""

    def keys(cell: str) -> set[str]:
        return {organisation_key(p) for p in _PARTY_SEPARATORS.split(cell) if p.strip()}

    return keys(one) == keys(other)


def _change(
    kind: str,
    row: Connection,
    before: Connection | None,
    added: tuple[str, ...] = (),
    removed: tuple[str, ...] = (),
) -> Change:
    return Change(
        change=kind,
        business=row.business,
        department=row.departments_as_written,
        earlier_number=before.number if before is not None else None,
        later_number=row.number,
        items_added=added,
        items_removed=removed,
        earlier_counterparty=before.counterparties_as_written if before is not None else "",
        later_counterparty=row.counterparties_as_written,
    )


def _cells(change: Change) -> list[str]:
    values = asdict(change)
    return [
        "、".join(v) if isinstance(v, tuple | list) else ("" if v is None else str(v))
        for v in (values[c] for c in COLUMNS)
    ]


def to_csv(changes: list[Change]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_cells(c) for c in changes)
    return out.getvalue()


def to_json(changes: list[Change]) -> str:
    return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2) + "\n"


def to_table(changes: list[Change]) -> str:
    """A plain text table: one line per change, the item lists on their own lines."""
    if not changes:
        return "no connections begun or ended in the later report\n"
    lines = []
    for c in changes:
        if c.later_number is None:  # continuing: the earlier report's connection, still in force
            number, before = f"(earlier No.{c.earlier_number})", ""
        else:
            number = f"No.{c.later_number}" if c.change != "ended" else f"終了No.{c.later_number}"
            before = f" (earlier No.{c.earlier_number})" if c.earlier_number is not None else ""
        lines.append(f"{c.change:<10} {number}{before} {c.business} [{c.department}]")
        if c.items_added:
            lines.append(f"           + {'、'.join(c.items_added)}")
        if c.items_removed:
            lines.append(f"           - {'、'.join(c.items_removed)}")
        if (
            c.later_number is not None
            and c.earlier_counterparty
            and not same_parties(c.earlier_counterparty, c.later_counterparty)
        ):
            lines.append(f"           counterparty: {c.earlier_counterparty} → {c.later_counterparty}")
    return "\n".join(lines) + "\n"
