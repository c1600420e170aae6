"""Exports from a built store: the flat flows table (CSV/JSON) for spreadsheet users."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pyoxigraph as ox

from ketsugo.sparql.catalogue import get
from ketsugo.sparql.query import LocalBackend, run_catalogue_query


def flows(store: ox.Store) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per connection × counterparty × data item, in report order (the catalogue's `flows`)."""
    outcome = run_catalogue_query(LocalBackend(store), get("flows"))
    assert outcome.variables is not None
    return outcome.variables, outcome.records()


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def flows_csv(columns: list[str], rows: list[dict[str, Any]], *, bom: bool = False) -> str:
    """CSV with a header row; booleans as true/false, missing values empty. With ``bom``, a UTF-8
    byte-order mark first: Excel reads Japanese text in a CSV correctly only then."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_plain(value))


def flows_json(columns: list[str], rows: list[dict[str, Any]]) -> str:
    data = [{c: _plain(row[c]) for c in columns} for row in rows]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
