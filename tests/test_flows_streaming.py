"""`export flows` made one report at a time (bounded memory on a national build) gives exactly the
rows of the `flows` catalogue query over the whole store, in the same order, and the pieces it is
written in join to the text of the whole table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ketsugo.export import flowtable
from ketsugo.sparql.backends import LocalBackend
from ketsugo.sparql.catalogue import get
from ketsugo.sparql.query import run_catalogue_query
from ketsugo.store.disk import open_store


def _whole_store(build: Path) -> tuple[list[str], list[dict]]:
    outcome = run_catalogue_query(LocalBackend(open_store(build)), get("flows"))
    assert outcome.variables is not None
    return outcome.variables, outcome.records()


def test_rows_per_report_equal_the_query_over_the_whole_store(cross_build: Path) -> None:
    columns, whole = _whole_store(cross_build)
    streamed_columns, streamed = flowtable.flow_rows(open_store(cross_build))
    rows = list(streamed)
    assert streamed_columns == columns
    assert len({r["report"] for r in rows}) == 4  # the four cross reports, each in its turn
    # each row once (the whole-store query repeated the rows of a connection whose recipient, an
    # organisation minted by rule, is described in two reports' graphs: compared without repeats)
    assert len({tuple(map(str, r.values())) for r in rows}) == len(rows)
    assert rows == [r for i, r in enumerate(whole) if i == 0 or r != whole[i - 1]]


def test_report_groups_are_the_report_graphs_in_file_order_and_the_shared_graphs(cross_build: Path) -> None:
    groups, shared = flowtable.report_groups(open_store(cross_build))
    assert len(groups) == 4 and all(len(g) == 1 for g in groups)
    assert [str(g.value) for g in shared] == ["https://w3id.org/ketsugo/graph/reference"]


def test_pieces_join_to_the_whole_text(bundled_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    columns, rows = flowtable.flows(open_store(bundled_build))
    monkeypatch.setattr(flowtable, "CHUNK_ROWS", 7)
    pieces = list(flowtable.csv_chunks(columns, rows, bom=True))
    assert len(pieces) > 3
    text = "".join(pieces)
    assert text.startswith("\ufeff" + ",".join(columns) + "\n")
    assert text.count("\n") == len(rows) + 1  # no cell of the bundled report holds a line break
    assert json.loads("".join(flowtable.json_chunks(columns, rows))) == json.loads(
        json.dumps([{c: flowtable._plain(r[c]) for c in columns} for r in rows], ensure_ascii=False)
    )
    whole = json.dumps(
        [{c: flowtable._plain(r[c]) for c in columns} for r in rows], ensure_ascii=False, indent=2
    )
    assert "".join(flowtable.json_chunks(columns, rows)) == whole + "\n"
    assert "".join(flowtable.json_chunks(columns, [])) == "[]\n"
