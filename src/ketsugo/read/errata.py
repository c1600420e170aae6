"""Errata per report: reviewed readings of a report's misprints, kept beside the report.

A misprint (被保険者異本情報 for 被保険者基本情報) belongs to one report, not to the shared
vocabularies: ``data/reports/<report>.errata.toml`` lists each one with the field it is in, the
text as written, what it is read as and why. They are applied to the parsed records, never to the
raw text: an item keeps its text as written and is categorised by its reading; a cell keeps its
text as written and is linked by its reading. Each applied erratum is an Info finding of kind
"report" and a kg:Erratum node on the connection; an erratum that matches nothing is a warning.

File format::

    [[erratum]]
    connection = 7            # No. of the row; optional (then every row where it matches)
    section = "new"           # "new" (section 2, the default) or "ended" (section 3)
    field = "items"           # items, counterparties, subjects, departments, business or reason
    as_written = "送付策情報"
    read_as = "送付先情報"
    reason = "…"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ketsugo.errors import InputError, Issue
from ketsugo.read.records import Connection, Report

# field of the errata file -> attribute of records.Connection holding the cell as written
CELL_FIELDS = {
    "counterparties": "counterparties_as_written",
    "subjects": "subjects",
    "departments": "departments_as_written",
    "business": "business",
    "reason": "reason",
}
FIELDS = ("items", *CELL_FIELDS)


@dataclass(frozen=True)
class Erratum:
    field: str
    as_written: str
    read_as: str
    reason: str
    connection: int | None = None
    section: str = "new"


@dataclass(frozen=True)
class Applied:
    erratum: Erratum
    connection: Connection  # the row as parsed


@dataclass
class Errata:
    """The outcome of applying a report's errata."""

    report: Report  # items read as corrected; every other field as written
    applied: list[Applied] = field(default_factory=list)
    readings: dict[tuple[str, int, str], str] = field(
        default_factory=dict
    )  # (status, No., field) -> cell read
    findings: list[Issue] = field(default_factory=list)

    def read(self, row: Connection, field_name: str, as_written: str) -> str:
        """The cell of ``field_name`` as read (errata applied), or ``as_written`` when none applies."""
        return self.readings.get((row.status, row.number, field_name), as_written)


def errata_path(report: Path) -> Path:
    return report.with_suffix(".errata.toml")


def load_errata(report: Path) -> list[Erratum]:
    """The errata beside ``report`` ([] when there is no file); a malformed file is an InputError."""
    path = errata_path(report)
    if not path.is_file():
        return []
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Issue(where, 0, "", f"invalid errata file: {exc}")) from None
    except RecursionError:  # x = [[[[…]]]]: the TOML reader recurses once per level
        raise InputError(Issue(where, 0, "", "invalid errata file: values nested too deeply")) from None
    found = []
    for position, entry in enumerate(data.get("erratum", ()), start=1):
        what = f"erratum {position}"
        for key in ("field", "as_written", "read_as", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise InputError(Issue(where, 0, key, f"{what}: needs a non-empty text {key!r}"))
        if entry["field"] not in FIELDS:
            raise InputError(
                Issue(
                    where, 0, "field", f"{what}: field {entry['field']!r} is not one of {', '.join(FIELDS)}"
                )
            )
        number = entry.get("connection")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise InputError(
                Issue(where, 0, "connection", f"{what}: expected a row number, found {number!r}")
            )
        section = entry.get("section", "new")
        if section not in ("new", "ended"):
            raise InputError(
                Issue(where, 0, "section", f"{what}: section is 'new' or 'ended', not {section!r}")
            )
        found.append(
            Erratum(entry["field"], entry["as_written"], entry["read_as"], entry["reason"], number, section)
        )
    return found


def apply_errata(report: Report, errata: list[Erratum], errata_file: str = "") -> Errata:
    """Apply ``errata`` to the parsed ``report``."""
    result = Errata(report)
    connections = list(report.connections)
    for erratum in errata:
        matched = False
        for index, row in enumerate(connections):
            if row.status != erratum.section or erratum.connection not in (None, row.number):
                continue
            changed = _apply(result, erratum, row)
            if changed is None:
                continue
            matched = True
            connections[index] = changed
            original = next(c for c in report.connections if c.line == row.line and c.number == row.number)
            result.applied.append(Applied(erratum, original))
            header = row.header_of("items" if erratum.field == "items" else erratum.field) or erratum.field
            result.findings.append(
                Issue(
                    report.path,
                    row.line,
                    header,
                    f"erratum: 「{erratum.as_written}」 is read as 「{erratum.read_as}」 ({erratum.reason})",
                    erratum.as_written,
                    "info",
                    kind="report",
                )
            )
        if not matched:
            # an ended connection is numbered apart (終了No.N, as `ketsugo query` and the briefing write it)
            ended = "終了" if erratum.section == "ended" else ""
            where = f"{ended}No.{erratum.connection} " if erratum.connection is not None else ""
            result.findings.append(
                Issue(
                    errata_file or report.path,
                    0,
                    erratum.field,
                    f"erratum matches nothing: {where}{erratum.field} never says 「{erratum.as_written}」",
                    erratum.as_written,
                    "warning",
                    kind="curation",
                )
            )
    result.report = replace(report, connections=tuple(connections))
    return result


def _apply(result: Errata, erratum: Erratum, row: Connection) -> Connection | None:
    """The row with the erratum applied to its items (a cell's reading goes to ``result.readings``);
    None when the field does not say the text."""
    if erratum.field == "items":
        items = []
        hit = False
        for item in row.items.items:
            if erratum.as_written in item.name or any(erratum.as_written in p for p in item.parts):
                hit = True
                item = replace(
                    item,
                    name=item.name.replace(erratum.as_written, erratum.read_as),
                    parts=tuple(p.replace(erratum.as_written, erratum.read_as) for p in item.parts),
                )
            items.append(item)
        return replace(row, items=replace(row.items, items=tuple(items))) if hit else None
    key = (row.status, row.number, erratum.field)
    text = result.readings.get(key, getattr(row, CELL_FIELDS[erratum.field]) or "")
    if erratum.as_written not in text:
        return None
    result.readings[key] = text.replace(erratum.as_written, erratum.read_as)
    return row
