"""Exports from a built store: the flat flows table (CSV/JSON) for spreadsheet users."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ketsugo.export.reportwise import per_report, plain_rows, report_groups, select
from ketsugo.sparql.backends import LocalBackend
from ketsugo.sparql.catalogue import CatalogueQuery, get
from ketsugo.sparql.query import run_catalogue_query
from ketsugo.sparql.results import sort_list_cells


def flows(store: ox.Store) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per connection × counterparty × data item, in report order (the catalogue's `flows`)."""
    columns, rows = flow_rows(store)
    return columns, list(rows)


def flow_rows(
    store: ox.Store, build_dir: Path | None = None, jobs: int | None = None
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The `flows` rows, made one report at a time (the report's graph with the shared graphs as the
    default graph), so a national build is exported in the memory of a few reports: the same rows in
    the same order as the query over the whole store, whose ORDER BY starts with the report.

    With ``build_dir`` (the store's build directory), each report is read from its ``graph.nq`` into
    a small in-memory store and the reports are shared among ``jobs`` worker processes (default:
    every core): see :mod:`ketsugo.export.reportwise`."""
    groups, shared = report_groups(store)
    if not groups:  # no report: the query's columns, no row
        empty = run_catalogue_query(LocalBackend(store), get("flows"))
        assert empty.variables is not None
        return empty.variables, iter(empty.records())
    # in the workers, a few reports to a task: the query is written for a whole store, and its
    # order starts with the report's file, the groups' order
    results = per_report(store, groups, shared, report_flows, build_dir, jobs, batch=FLOWS_BATCH)
    columns, first = next(results)

    def rows() -> Iterator[dict[str, Any]]:
        for values in first:
            yield dict(zip(columns, values, strict=True))
        for _, more in results:
            for values in more:
                yield dict(zip(columns, values, strict=True))

    return columns, rows()


def report_flows(store: ox.Store, graphs: list[ox.NamedNode] | None) -> tuple[list[str], list[list[Any]]]:
    """The `flows` query with ``graphs`` as the default graph (None: the union of the store's
    graphs): its columns and rows of plain values (see :func:`ketsugo.export.reportwise.select`)."""
    query = _flows_query()
    outcome = select(store, query.text, graphs)
    sort_list_cells(outcome, query.lists)
    assert outcome.variables is not None
    return outcome.variables, plain_rows(outcome)


FLOWS_BATCH = 8  # reports a worker's task takes at once (the national table: a fifth less CPU)


@cache
def _flows_query() -> CatalogueQuery:
    return get("flows")


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def flows_csv(columns: list[str], rows: Iterable[dict[str, Any]], *, bom: bool = False) -> str:
    """CSV with a header row; booleans as true/false, missing values empty. With ``bom``, a UTF-8
    byte-order mark first: Excel reads Japanese text in a CSV correctly only then."""
    return "".join(csv_chunks(columns, rows, bom=bom))


def inert(cell: str) -> str:
    """A cell Excel would run as a formula (=…, @…, +…/-… with more after it, or a leading tab or
    carriage return: CSV injection) with an apostrophe first, so Excel shows it as text."""
    if cell[:1] in ("=", "@", "\t", "\r") or (cell[:1] in ("+", "-") and len(cell) > 1):
        return "'" + cell
    return cell


def csv_chunks(columns: list[str], rows: Iterable[dict[str, Any]], *, bom: bool = False) -> Iterator[str]:
    """:func:`flows_csv` in pieces of about ``CHUNK_ROWS`` rows, for writing as rows come. With
    ``bom`` (the table for Excel) a report's text cannot become a formula (:func:`inert`)."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for n, row in enumerate(rows, start=1):
        # most cells are text: taken as they are, without a call (half a million rows nationally)
        cells = [v if type(v) is str else _cell(v) for v in map(row.__getitem__, columns)]
        writer.writerow([inert(c) for c in cells] if bom else cells)
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
