"""Exports made one report at a time in worker processes, each report read from the build's graph.nq
into a small in-memory store (ketsugo.export.reportwise), give what the same queries give on the
store itself: the same flows rows in the same order, the same flow graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.export import flowtable, reportwise, visual
from ketsugo.store.disk import open_store


@pytest.fixture
def workers_for_any_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker processes even for the four cross reports (normally from 40 reports on)."""
    monkeypatch.setattr(reportwise, "PARALLEL_FROM", 1)


def _csv(columns: list[str], rows: object) -> str:
    return "".join(flowtable.csv_chunks(columns, rows))  # type: ignore[arg-type]


@pytest.mark.usefixtures("workers_for_any_build")
@pytest.mark.parametrize("batch", [1, 3, 8])  # a report a task; tasks of 3 and 1; all four in one
def test_flows_from_graph_nq_in_workers_equal_the_store(
    cross_build: Path, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flowtable, "FLOWS_BATCH", batch)
    store = open_store(cross_build)
    columns, rows = flowtable.flow_rows(store)  # on the store, one report after another
    in_workers, worker_rows = flowtable.flow_rows(store, cross_build, jobs=2)
    serial = list(rows)
    assert in_workers == columns
    assert list(worker_rows) == serial
    assert len({r["report"] for r in serial}) == 4  # each of the four cross reports, in its turn


@pytest.mark.usefixtures("workers_for_any_build")
def test_flow_graph_from_graph_nq_in_workers_equals_the_store(cross_build: Path) -> None:
    store = open_store(cross_build)
    alone = visual.flow_graph(store)
    shared = visual.flow_graph(store, cross_build, jobs=2)
    assert dict(shared.nodes(data=True)) == dict(alone.nodes(data=True))
    assert {(a, b): d for a, b, d in shared.edges(data=True)} == {
        (a, b): d for a, b, d in alone.edges(data=True)
    }
    kinds = {d["kind"] for d in shared.nodes.values()}
    assert kinds == set(visual.LAYERS)


def test_graph_ranges_find_each_graph_where_it_stands(tmp_path: Path) -> None:
    lines = [
        b'<http://a/s> <http://a/p> "x y <z> ." <http://g/ref> .\n',
        b"<http://a/s> <http://a/p> <http://a/o> <http://g/1> .\n",
        b'<http://a/t> <http://a/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> <http://g/1> .\n',
        b"<http://a/u> <http://a/p> _:b1 <http://g/2> .\n",
        b"<http://a/v> <http://a/p> <http://a/o> <http://g/1> .\n",
    ]
    nq = tmp_path / "graph.nq"
    nq.write_bytes(b"".join(lines))
    at = [sum(len(x) for x in lines[:i]) for i in range(len(lines) + 1)]
    ranges = reportwise.graph_ranges(nq, {"http://g/ref", "http://g/1", "http://g/2"})
    assert ranges == {
        "http://g/ref": ((0, len(lines[0])),),
        "http://g/1": ((at[1], at[3] - at[1]), (at[4], len(lines[4]))),
        "http://g/2": ((at[3], len(lines[3])),),
    }
    # a graph the caller does not know, or one the file lacks: not this store's file
    assert reportwise.graph_ranges(nq, {"http://g/ref", "http://g/1"}) is None
    assert reportwise.graph_ranges(nq, {"http://g/ref", "http://g/1", "http://g/2", "http://g/3"}) is None
    nq.write_bytes(lines[1] + b"<http://a/s> <http://a/p> <http://a/o> .\n")  # the default graph
    assert reportwise.graph_ranges(nq, {"http://g/1"}) is None


def test_a_drawing_too_large_to_read_is_refused_with_what_to_do(
    bundled_build: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(visual, "MAX_DRAWN_CONNECTIONS", 10)  # the bundled report has 22
    runner = CliRunner()
    drawn = runner.invoke(cli, ["export", "graph", "--store", str(bundled_build), "--format", "svg"])
    assert drawn.exit_code == 2
    assert "22 connections of 1 reports" in drawn.output and "--report" in drawn.output
    narrowed = runner.invoke(
        cli, ["export", "graph", "--store", str(bundled_build), "--format", "svg", "--category", "生年月日"]
    )
    assert narrowed.exit_code == 0, narrowed.output  # No.1, 2, 3, 9, 11, 12: six connections
    target = tmp_path / "all.graphml"
    whole = runner.invoke(
        cli, ["export", "graph", "--store", str(bundled_build), "--format", "graphml", "-o", str(target)]
    )
    assert whole.exit_code == 0, whole.output  # the graph files are never refused
    back = nx.read_graphml(target)
    assert sum(d["kind"] == "connection" for d in back.nodes.values()) == 22


def test_a_drawing_of_every_connection_is_refused_before_the_graph_is_made(
    bundled_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(visual, "MAX_DRAWN_CONNECTIONS", 10)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the flow graph was made")

    monkeypatch.setattr(visual, "flow_graph", never)
    drawn = CliRunner().invoke(cli, ["export", "graph", "--store", str(bundled_build), "--format", "html"])
    assert drawn.exit_code == 2
    assert "22 connections of 1 reports" in drawn.output


def test_the_flows_query_on_the_whole_store_gives_the_rows_of_the_export(cross_build: Path) -> None:
    """`ketsugo query flows` asks the whole store at once; a company two reports name (described in
    each report's graph) gave each of its rows twice there (54 rows for the export's 48).
    Same rows, same order, as the export's report-by-report table."""
    from ketsugo.sparql.backends import LocalBackend
    from ketsugo.sparql.catalogue import get
    from ketsugo.sparql.query import run_catalogue_query

    store = open_store(cross_build)
    whole = run_catalogue_query(LocalBackend(store), get("flows")).records()
    _, rows = flowtable.flow_rows(store)
    assert whole == list(rows)
