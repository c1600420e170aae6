"""Work done one report at a time on a small in-memory store, across worker processes, in order.

Why: on a national build (1,747 reports, 5 M quads) every look-up in the on-disk store costs a
RocksDB iterator (≈ 15 µs, and each term read back is another look-up), so a query per report on
that store took ≈ 0.16 s of CPU and the flows export ≈ 500 s. An in-memory store of one report and
the shared graphs (reference vocabularies, ≈ 4,000 quads) answers the same query several times
faster. Each report's quads are read once as N-Quads text from the build's ``graph.nq`` (written one
graph after another, so a report is one byte range or a few: a scan of the file finds them), never
decoded into Python objects; a worker loads them with the shared graphs into a fresh store, runs its
task, and drops the store. Workers are spawned (a forked child would share the parent's open
RocksDB handle); results come back in report order, at most a few reports ahead of the consumer,
so memory stays that of a few reports whatever the size of the build.

Without ``graph.nq`` (a store built in memory, or a build directory without it), or when the file
does not hold every graph the store names, the same work runs in this process on the store itself.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from ketsugo.sparql.results import Outcome, to_python
from ketsugo.sparql.text import DEFAULT_PREFIXES
from ketsugo.store.disk import NQUADS, solutions

T = TypeVar("T")

# a report's task runs in a worker only when the build is this large: below, starting the workers
# (an import of ketsugo each, ≈ 0.5 s) costs more than it saves
PARALLEL_FROM = 40
# tasks handed to the workers ahead of the one being consumed, per worker (bounds memory)
AHEAD_PER_WORKER = 4

Ranges = tuple[tuple[int, int], ...]  # (offset, length) of a graph's lines in graph.nq

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


def select(store: ox.Store, text: str, graphs: Sequence[ox.NamedNode] | None) -> Outcome:
    """A SELECT of ketsugo's own queries with ``graphs`` as the default graph (None: the union of
    the store's graphs). Straight on the store, not through :func:`ketsugo.sparql.query.run`: these
    queries have no parameter and no SERVICE, and checking their text again for each report cost
    as much as running them on it."""
    result = solutions(
        store.query(
            text,
            use_default_graph_as_union=graphs is None,
            default_graph=list(graphs) if graphs is not None else None,
            prefixes=DEFAULT_PREFIXES,
        )
    )
    return Outcome("SELECT", [v.value for v in result.variables], [list(row) for row in result])


def plain_rows(outcome: Outcome) -> list[list[Any]]:
    """The rows as plain values (:func:`ketsugo.sparql.results.to_python`), each term converted once
    (cells repeat: the report, the department…)."""
    assert outcome.rows is not None
    plain: dict[Any, Any] = {}
    rows = []
    for row in outcome.rows:
        values = []
        for term in row:
            if term not in plain:
                plain[term] = to_python(term)
            values.append(plain[term])
        rows.append(values)
    return rows


def graph_ranges(nquads: Path, graphs: set[str]) -> dict[str, Ranges] | None:
    """Where each of ``graphs`` (IRIs) stands in ``nquads``: its byte ranges, neighbouring lines
    joined. None when a line names no graph of ``graphs`` (a graph the store does not know: the file
    is not the store's) or when one of ``graphs`` has no line (then it is read from the store)."""
    tails = {b" <" + iri.encode("utf-8") + b"> .\n": iri for iri in graphs}
    found: dict[str, list[list[int]]] = {}
    tail, current = b"", None
    offset = 0
    with nquads.open("rb") as handle:
        for line in handle:
            if not line.endswith(tail) or current is None:
                cut = line.rfind(b" <", 0, len(line) - 3)
                tail = line[cut:]
                current = found.setdefault(tails[tail], []) if tail in tails else None
                if current is None:
                    return None
                if current and current[-1][0] + current[-1][1] == offset:
                    pass
                else:
                    current.append([offset, 0])
            current[-1][1] += len(line)
            offset += len(line)
    if len(found) != len(graphs):
        return None
    return {iri: tuple((a, n) for a, n in spans) for iri, spans in found.items()}


@dataclass(frozen=True)
class Task:
    """One unit of work: the graphs of a report (read from the store or from ``graph.nq``)."""

    graphs: tuple[str, ...]
    ranges: tuple[Ranges, ...] = ()


# ----------------------------------------------------------------------------- in a worker

# a worker's store of the shared graphs takes each report in turn and lets it go again, but the
# in-memory store keeps something of every graph removed (queries slow down by a third in 100
# reports): a fresh one is made every this many report graphs
FRESH_EVERY = 16

_worker: dict[str, Any] = {}


def _start(nquads: str, shared: bytes, work: Callable[..., Any]) -> None:
    _worker.update(nquads=open(nquads, "rb"), shared=shared, work=work, store=None, used=0)  # noqa: SIM115


def _read(handle: Any, ranges: Ranges) -> bytes:
    pieces = []
    for offset, length in ranges:
        handle.seek(offset)
        pieces.append(handle.read(length))
    return b"".join(pieces)


def _run(task: Task) -> Any:
    """In a worker: the task's graphs loaded beside the shared ones, the work done on the union of
    the store's graphs (just those), the graphs removed again. Loaded leniently (IRIs and literals
    not checked again: a third less time): graph.nq was written by pyoxigraph from checked terms."""
    if _worker["store"] is None or _worker["used"] >= FRESH_EVERY:
        _worker["store"] = ox.Store()
        _worker["store"].load(_worker["shared"], format=ox.RdfFormat.N_QUADS, lenient=True)
        _worker["used"] = 0
    store: ox.Store = _worker["store"]
    _worker["used"] += len(task.graphs)
    try:
        text = b"".join(_read(_worker["nquads"], ranges) for ranges in task.ranges)
        store.load(text, format=ox.RdfFormat.N_QUADS, lenient=True)
        return _worker["work"](store, None)
    finally:
        for graph in task.graphs:
            store.remove_graph(ox.NamedNode(graph))


# ----------------------------------------------------------------------------- in this process


def per_report(
    store: ox.Store,
    groups: Sequence[Sequence[ox.NamedNode]],
    shared: Sequence[ox.NamedNode],
    work: Callable[[ox.Store, list[ox.NamedNode] | None], T],
    build_dir: Path | None = None,
    jobs: int | None = None,
    batch: int = 1,
) -> Iterator[T]:
    """``work(store, default_graph)`` for each group of report graphs, in the order of ``groups``:
    ``default_graph`` is the group's graphs and the shared ones, or None where ``store`` holds just
    those (then the union of its graphs is the default graph, which pyoxigraph answers faster).

    With ``batch`` > 1, a worker takes ``batch`` neighbouring groups at once and gives one result
    for them all: only for work written for a whole store whose answer lists the groups in their
    order (the flows query); it spares a load and the query's parsing and planning per report.

    ``work`` must be a module-level function (it is sent to the workers by name)."""
    nquads = build_dir / NQUADS if build_dir is not None else None
    jobs = jobs or len(os.sched_getaffinity(0))
    ranges = None
    if nquads is not None and nquads.is_file() and len(groups) >= PARALLEL_FROM and jobs > 1:
        names = {g.value for graphs in groups for g in graphs} | {g.value for g in shared}
        ranges = graph_ranges(nquads, names)
    if ranges is None or nquads is None:
        for graphs in groups:
            yield work(store, [*graphs, *shared])
        return
    shared_text = b"".join(_read_file(nquads, ranges[g.value]) for g in shared)
    batches = ([g for graphs in groups[i : i + batch] for g in graphs] for i in range(0, len(groups), batch))
    tasks = (
        Task(tuple(g.value for g in graphs), tuple(ranges[g.value] for g in graphs)) for graphs in batches
    )
    yield from _ordered(tasks, jobs, (str(nquads), shared_text, work))


def _read_file(path: Path, ranges: Ranges) -> bytes:
    with path.open("rb") as handle:
        return _read(handle, ranges)


def _ordered(tasks: Iterator[Task], jobs: int, initargs: tuple[Any, ...]) -> Iterator[Any]:
    """The tasks' results in order, with at most ``AHEAD_PER_WORKER × jobs`` tasks in flight."""
    import multiprocessing

    # spawn, not fork: a forked child would inherit the parent's open RocksDB handle and threads
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=initargs,
    ) as pool:
        pending: deque[Future[Any]] = deque()
        try:
            for task in tasks:
                pending.append(pool.submit(_run, task))
                if len(pending) >= AHEAD_PER_WORKER * jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:  # an error, Ctrl-C or an abandoned generator: do not finish the rest
            pool.shutdown(wait=False, cancel_futures=True)
            raise
