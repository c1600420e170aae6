"""Exports from a built store: the flat flows table (CSV/JSON) for spreadsheet users."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import pyoxigraph as ox

from ketsugo.sparql.backends import LocalBackend
from ketsugo.sparql.catalogue import get
from ketsugo.sparql.query import run_catalogue_query
from ketsugo.store.disk import solutions


def flows(store: ox.Store) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per connection × counterparty × data item, in report order (the catalogue's `flows`)."""
    columns, rows = flow_rows(store)
    return columns, list(rows)


_REPORT_GRAPHS = """PREFIX kg: <https://w3id.org/ketsugo#>
SELECT DISTINCT ?graph ?file WHERE { GRAPH ?graph { ?report a kg:Report ; kg:sourceFile ?file } }"""


def report_groups(store: ox.Store) -> tuple[list[list[ox.NamedNode]], list[ox.NamedNode]]:
    """The report graphs grouped by source file, in the order of the files' names (the `flows`
    query's first sort key), and the graphs every report shares (the reference graph…)."""
    by_file: dict[str, list[ox.NamedNode]] = {}
    for row in solutions(store.query(_REPORT_GRAPHS)):
        graph, file = row["graph"], row["file"]
        assert isinstance(graph, ox.NamedNode) and file is not None
        by_file.setdefault(file.value, []).append(graph)
    reports = {g for graphs in by_file.values() for g in graphs}
    shared = sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g not in reports), key=str
    )
    return [sorted(by_file[f], key=str) for f in sorted(by_file)], shared


def flow_rows(store: ox.Store) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The `flows` rows, made one report at a time (the report's graph with the shared graphs as the
    default graph), so a national build is exported in the memory of one report: the same rows in
    the same order as the query over the whole store, whose ORDER BY starts with the report."""
    query = get("flows")
    groups, shared = report_groups(store)
    if not groups:  # no report: the query's columns, no row
        empty = run_catalogue_query(LocalBackend(store), query)
        assert empty.variables is not None
        return empty.variables, iter(empty.records())
    first = run_catalogue_query(LocalBackend(store, [*groups[0], *shared]), query)
    assert first.variables is not None

    def rows() -> Iterator[dict[str, Any]]:
        yield from first.records()
        for graphs in groups[1:]:
            yield from run_catalogue_query(LocalBackend(store, [*graphs, *shared]), query).records()

    return first.variables, rows()


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def flows_csv(columns: list[str], rows: Iterable[dict[str, Any]], *, bom: bool = False) -> str:
    """CSV with a header row; booleans as true/false, missing values empty. With ``bom``, a UTF-8
    byte-order mark first: Excel reads Japanese text in a CSV correctly only then."""
    return "".join(csv_chunks(columns, rows, bom=bom))


def csv_chunks(columns: list[str], rows: Iterable[dict[str, Any]], *, bom: bool = False) -> Iterator[str]:
    """:func:`flows_csv` in pieces of about ``CHUNK_ROWS`` rows, for writing as rows come."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for n, row in enumerate(rows, start=1):
        writer.writerow([_cell(row[c]) for c in columns])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


CHUNK_ROWS = 2000


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_plain(value))


def flows_json(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json_chunks(columns, rows))


def json_chunks(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array of row objects, one row at a time: the text ``json.dumps(rows, indent=2)`` gives."""
    started = False
    for row in rows:
        item = json.dumps({c: _plain(row[c]) for c in columns}, ensure_ascii=False, indent=2)
        yield ("[\n  " if not started else ",\n  ") + item.replace("\n", "\n  ")
        started = True
    yield "\n]\n" if started else "[]\n"
