"""The SPARQL engine's checks run a chunk of reports at a time, in an in-memory store, across
worker processes: what makes ``ketsugo validate`` linear in the number of reports.

Over the whole on-disk store each compiled query costs more per report as the corpus grows
(RocksDB index look-ups of tens of microseconds, a block cache far smaller than the store), and
locating a finding costs several such look-ups. Here a chunk of report graphs (≈ 24 MB of
N-Quads, ≈ 40 reports) is copied into a fresh in-memory ``pyoxigraph.Store()`` beside the
reference graph, and every check runs there with the chunk's graphs as its ``VALUES``: each
report is still checked against its own graph and the reference graph only (the queries read
nothing else), so the rows are the ones the whole-store queries give for those reports.

Where the copy comes from: the build's ``graph.nq`` (the bytes the store was bulk-loaded from,
each report graph's lines together), cut at graph boundaries and parsed in the worker, ≈ 7 µs a
quad; reading the store itself costs ≈ 18 µs a quad (every term's text is a RocksDB look-up) and
is what happens for a report graph missing from graph.nq, one holding blank nodes (the store named
them when it loaded them; the copy must use the store's names, which findings show), and for
every report when there is no graph.nq. The reference graph always comes from the store. The bytes
are loaded leniently (they were checked when the store was loaded from them: ≈ a third less CPU),
and only the lines whose predicate a check can match or a finding's location reads (given the
compiled checks' predicates; ≈ a third of a report's quads are neither).

Locating a finding reads the in-memory copy; where an answer's order shows in the finding (the
departments of several connections), the order is the on-disk store's: the look-ups that only
feed the departments are first answered in the copy's order, and a finding that lists several
departments is located again with those in the store's order (a few in a hundred).

Findings are made in the worker, as :func:`ketsugo.check.sparql_engine.findings_from_rows`
makes them, and merged in a stable order: check by check, then report by report in the order of
the given graphs, each report's rows in the order the query gives them (``ketsugo validate`` then
sorts them; only findings its sort cannot tell apart, of two reports with one file name, keep
this order).
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph
from rdflib.term import Node

from ketsugo.check.findings import (
    _PARENT_LINKS,
    LOCATING_PREDICATES,
    Finding,
    InternalError,
    _GraphIndex,
    _GraphReader,
    _GraphsLookup,
)
from ketsugo.check.sparql_engine import (
    Check,
    SparqlOutcome,
    _finding,
    _result_triples,
    result_graph,
    run_check,
    values_clause,
)
from ketsugo.graph.vocab import KG

NQUADS = "graph.nq"  # beside the store in a build directory (ketsugo.store.disk.NQUADS)
CHUNK_BYTES = 24 * 2**20  # N-Quads per chunk: ≈ 40 reports, ≈ 100 MB of in-memory store
CHUNK_REPORTS = 40  # reports per chunk when they are read from the store
_FORMAT = ox.RdfFormat.N_QUADS


@dataclass(frozen=True)
class Task:
    """One chunk: a byte range of graph.nq (its report graphs found when parsed), or graph IRIs."""

    start: int = 0
    end: int = 0
    graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    check: int  # index of the check
    graph: str  # the report graph
    finding: Finding
    triples: list[tuple[Node, Node, Node]] | None  # its sh:ValidationResult, when kept


@dataclass
class ChunkOutcome:
    graphs: list[str]  # the report graphs checked
    found: list[Found]
    seconds: list[float]  # per check


class ChunkRunner:
    """Runs the checks on one chunk at a time: the state a worker process keeps between chunks."""

    def __init__(
        self,
        store: ox.Store,
        nquads: Path | None,
        shapes: Graph,
        checks: list[Check],
        templates: list[list[str]],
        files: dict[str, str],
        reference_iri: str,
        keep_results: bool,
        predicates: frozenset[str] | None = None,
    ) -> None:
        self.store = store
        self.nquads = nquads
        self.shapes = shapes
        self.checks = checks
        self.templates = templates  # each check's query cut where the VALUES of the graphs go
        self.files = files  # report graph → report file
        self.reference_iri = reference_iri
        self.reference = ox.NamedNode(reference_iri)
        self.reference_quads = list(store.quads_for_pattern(None, None, None, self.reference))
        # the reference graph's look-ups read from the store as asked, for every chunk (its order:
        # see _StoreOrderLookup); indexed whole once they are many
        self.convert: dict[Any, Node] = {}  # pyoxigraph → rdflib terms, for every chunk
        self.reference_index = _GraphReader(store, reference_iri, self.convert)
        self.keep_results = keep_results
        # the predicates whose quads are copied (what the checks and locating a finding read), or all
        self.predicates = None if predicates is None else predicates | LOCATING_PREDICATES
        self.kept = None if self.predicates is None else frozenset(f"<{p}>".encode() for p in self.predicates)

    def run(self, task: Task) -> ChunkOutcome:
        memory = ox.Store()
        graphs = self._copy(memory, task)
        if not graphs:
            return ChunkOutcome([], [], [0.0] * len(self.checks))
        values = values_clause(graphs)
        checks = [
            dataclasses.replace(check, query=values.join(template), seconds=0.0, rows=0)
            for check, template in zip(self.checks, self.templates, strict=True)
        ]
        answers = [run_check(memory, check) for check in checks]
        files = {g: self.files.get(g, "") for g in graphs}
        found: list[Found] = []
        lookups: dict[str, _StoreOrderLookup] = {}
        ordered: dict[str, _StoreOrderLookup] = {}
        for index, (check, rows) in enumerate(zip(checks, answers, strict=True)):
            for row in rows:  # as findings_from_rows makes them
                look = lookups.get(row.graph)
                if look is None:
                    look = lookups[row.graph] = self._lookup(memory, row.graph, _CONNECTIONS_OF)
                report_file = files.get(row.graph, "")
                finding = _finding(check, row, self.shapes, look, report_file)
                if _SEVERAL_DEPARTMENTS in finding.department:  # their order is the on-disk store's
                    look = ordered.get(row.graph)
                    if look is None:
                        look = ordered[row.graph] = self._lookup(memory, row.graph)
                    finding = _finding(check, row, self.shapes, look, report_file)
                triples = _result_triples(check, row, finding) if self.keep_results else None
                found.append(Found(index, row.graph, finding, triples))
        return ChunkOutcome(graphs, found, [c.seconds for c in checks])

    def _lookup(
        self,
        memory: ox.Store,
        graph: str,
        memory_order: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    ) -> _StoreOrderLookup:
        """Where a finding in ``graph`` is on paper: looked up in the chunk's in-memory copy, in the
        on-disk store's order except for the look-ups ``memory_order`` names."""
        return _StoreOrderLookup(
            memory, graph, self.reference_index, self.convert, self.store, memory_order, self.predicates
        )

    def _copy(self, memory: ox.Store, task: Task) -> list[str]:
        """The chunk's report graphs into ``memory`` with the reference graph (the store's); their IRIs."""
        from_store: list[str] = list(task.graphs)
        graphs: list[str] = []
        if task.end > task.start and self.nquads is not None:
            with self.nquads.open("rb") as handle:
                handle.seek(task.start)
                data = handle.read(task.end - task.start)
            if self.kept is not None:
                data = _lines_naming(data, self.kept)
            # leniently (no IRI or literal checks): the bytes the store was loaded from, checked then
            memory.load(data, format=_FORMAT, lenient=True)
            blank = b"_:" in data
            del data
            for name in list(memory.named_graphs()):  # (listed first: a removal waits for the listing)
                if not isinstance(name, ox.NamedNode) or name == self.reference:
                    continue
                if name.value not in self.files:
                    memory.remove_graph(name)  # not a report (nothing reads it)
                elif blank and _has_blank_nodes(memory, name):
                    memory.remove_graph(name)  # its blank nodes as the store names them
                    from_store.append(name.value)
                else:
                    graphs.append(name.value)
            if self.reference in list(memory.named_graphs()):
                memory.remove_graph(self.reference)
        for iri in from_store:
            memory.extend(self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        memory.extend(self.reference_quads)
        return sorted(graphs + from_store)


# answers _where reads as sets (a node's types, the nodes of its report): their order does not matter
_ORDERLESS_OBJECTS = frozenset({str(RDF.type)})
_ORDERLESS_SUBJECTS = frozenset({str(KG.inReport)})
# answers whose order _where shows only in a finding's departments (the connections of a line or of
# a shared node, a connection's departments; everything else it makes of them is sorted or a set):
# read in the in-memory order first, and again in the store's when the finding has several departments
_CONNECTIONS_OF = (
    frozenset({str(KG.departmentsAsWritten)}),
    frozenset({str(KG.sourceLine), *(str(link) for link in _PARENT_LINKS)}),
)
_SEVERAL_DEPARTMENTS = "; "  # how _where joins a finding's departments


class _StoreOrderLookup(_GraphsLookup):
    """A report's look-ups in the chunk's in-memory copy; where its graph gives several answers,
    they come in the order the on-disk store gives them (sorted by its own term encoding, which the
    in-memory store does not follow): a finding lists the departments of several connections in
    that order. (Only for answers whose order _where reads: not a node's types, nor the nodes of
    its report, which it reads as sets; nor, given ``memory_order``, the answers whose order shows
    only in the departments: the caller asks again when a finding has several.)"""

    def __init__(
        self,
        memory: ox.Store,
        graph: str,
        reference: _GraphIndex,
        convert: dict[Any, Node],
        disk: ox.Store,
        memory_order: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
        copied: frozenset[str] | None = None,
    ) -> None:
        super().__init__(memory, graph, reference, convert)
        self.disk = disk
        self.copied = copied  # the predicates of the copy (None: all)
        self.orderless = (_ORDERLESS_OBJECTS | memory_order[0], _ORDERLESS_SUBJECTS | memory_order[1])

    def _quads(self, subject: Any, predicate: Node, obj: Any, *, forward: bool) -> list[ox.Quad]:
        if self.copied is not None and str(predicate) not in self.copied:
            raise InternalError(f"locating a finding reads {predicate}, which the chunk did not copy")
        pattern = (subject, self._predicate(predicate), obj, self.graph)
        quads = list(self.store.quads_for_pattern(*pattern))
        orderless = self.orderless[0] if forward else self.orderless[1]
        if len(quads) > 1 and str(predicate) not in orderless:
            return list(self.disk.quads_for_pattern(*pattern))
        return quads


def _lines_naming(data: bytes, predicates: frozenset[bytes]) -> bytes:
    """The N-Quads lines of ``data`` whose predicate is one of ``predicates`` (``<IRI>``), and any
    line this cannot tell (no IRI where the predicate should be, a quoted triple): what no check and no
    finding reads is not loaded (≈ a third of a report's quads; loading costs ≈ 5 µs a quad, this
    test ≈ 0.3 µs a line)."""
    kept = []
    for line in data.splitlines(keepends=True):
        terms = line.split(b" ", 2)
        if (
            len(terms) < 3
            or terms[1] in predicates
            or not terms[1].startswith(b"<")
            or line.startswith(b"<<")
        ):
            kept.append(line)
    return b"".join(kept)


def _has_blank_nodes(memory: ox.Store, graph: ox.NamedNode) -> bool:
    return any(
        isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        for q in memory.quads_for_pattern(None, None, None, graph)
    )


# --- cutting graph.nq into chunks --------------------------------------------------------------------


def _graph_token(line: bytes) -> bytes:
    """The last term of an N-Quads line (its graph name, in a build's graph.nq)."""
    body = line.rstrip()
    return body[:-1].rstrip().rpartition(b" ")[2] if body.endswith(b".") else body


def byte_ranges(path: Path, size_each: int) -> list[tuple[int, int]]:
    """graph.nq cut into ranges of about ``size_each`` bytes, each cut where the graph changes
    (a build writes each graph's lines together): no report graph is split between two ranges."""
    size = path.stat().st_size
    cuts = [0]
    with path.open("rb") as handle:
        offset = size_each
        while offset < size:
            handle.seek(offset)
            handle.readline()  # to the start of the next line
            first: bytes | None = None
            while True:
                position = handle.tell()
                line = handle.readline()
                if not line:
                    position = size
                    break
                graph = _graph_token(line)
                if first is None:
                    first = graph
                elif graph != first:
                    break
            if position >= size:
                break
            if position > cuts[-1]:
                cuts.append(position)
            offset = position + size_each
    cuts.append(size)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def plan(nquads: Path | None, graphs: list[str], chunk_bytes: int, chunk_reports: int) -> list[Task]:
    """The chunks: graph.nq's byte ranges, else groups of report IRIs."""
    if nquads is not None:
        return [Task(start, end) for start, end in byte_ranges(nquads, max(1, chunk_bytes))]
    return [Task(graphs=tuple(graphs[i : i + chunk_reports])) for i in range(0, len(graphs), chunk_reports)]


def workers(jobs: int, tasks: int) -> int:
    """Worker processes for this many chunks: none (this process) below four chunks, where starting
    a process (importing ketsugo, reading the shapes and the reference graph: ≈ 2 s of CPU) costs
    more than it saves; at most one for two chunks."""
    return max(1, min(jobs, tasks // 2, os.cpu_count() or 1)) if tasks >= 4 else 1


# --- worker processes ------------------------------------------------------------------------------------

_RUNNER: ChunkRunner | None = None


def _start_worker(
    store_path: str,
    nquads: str | None,
    shape_triples: list[tuple[Node, Node, Node]],
    checks: list[Check],
    templates: list[list[str]],
    files: dict[str, str],
    reference_iri: str,
    keep_results: bool,
    predicates: frozenset[str] | None = None,
) -> None:
    global _RUNNER
    shapes = Graph(bind_namespaces="none")
    shapes.addN((s, p, o, shapes) for s, p, o in shape_triples)  # same blank nodes as the parent's
    _RUNNER = ChunkRunner(
        ox.Store.read_only(store_path),
        Path(nquads) if nquads is not None else None,
        shapes,
        checks,
        templates,
        files,
        reference_iri,
        keep_results,
        predicates,
    )


def _run_in_worker(task: Task) -> ChunkOutcome:
    assert _RUNNER is not None, "worker not started"
    return _RUNNER.run(task)


def _outcomes(
    runner_args: dict[str, Any], tasks: list[Task], jobs: int, store_path: Path
) -> Iterator[ChunkOutcome]:
    """Each chunk's outcome in the order of ``tasks``: in this process, or across ``jobs`` processes."""
    if jobs < 2:
        runner = ChunkRunner(**runner_args)
        yield from (runner.run(task) for task in tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    nquads = runner_args["nquads"]
    # spawn, not fork: a forked child would inherit the parent's open RocksDB handle and threads
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(
            str(store_path),
            str(nquads) if nquads is not None else None,
            list(runner_args["shapes"]),
            runner_args["checks"],
            runner_args["templates"],
            runner_args["files"],
            runner_args["reference_iri"],
            runner_args["keep_results"],
            runner_args["predicates"],
        ),
    ) as pool:
        try:
            yield from pool.map(_run_in_worker, tasks, chunksize=1)
        except BrokenProcessPool as exc:
            raise InternalError(f"SPARQL validation failed: a worker process died ({exc})") from exc
        except BaseException:  # an error or Ctrl-C: do not finish every chunk first
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def chunked_findings(
    store: ox.Store,
    store_path: Path,
    graphs: list[tuple[str, str]],
    shapes: Graph,
    checks: list[Check],
    reference_iri: str,
    keep_results: bool,
    jobs: int,
    *,
    chunk_bytes: int = CHUNK_BYTES,
    chunk_reports: int = CHUNK_REPORTS,
    use_nquads: bool = True,
    predicates: frozenset[str] | None = None,
) -> SparqlOutcome:
    """The findings of :func:`ketsugo.check.sparql_engine.sparql_findings` (``checks`` compiled for
    ``graphs``), chunk by chunk in in-memory stores, across ``jobs`` worker processes. Given the
    ``predicates`` the checks can match (:attr:`ketsugo.check.sparql_engine.Compiled.predicates`),
    graph.nq's other quads are not copied (but those that locate a finding)."""
    iris = [iri for iri, _ in graphs]
    everything = values_clause(iris)
    templates = [check.query.split(everything) for check in checks]
    if any(len(t) < 2 for t in templates):
        raise InternalError("a compiled check without the VALUES of its report graphs")
    bare = [dataclasses.replace(check, query="") for check in checks]  # the text is in the templates
    nquads = store_path.parent / NQUADS if use_nquads else None
    if nquads is not None and not nquads.is_file():
        nquads = None
    files = dict(graphs)
    runner_args: dict[str, Any] = {
        "store": store,
        "nquads": nquads,
        "shapes": shapes,
        "checks": bare,
        "templates": templates,
        "files": files,
        "reference_iri": reference_iri,
        "keep_results": keep_results,
        "predicates": predicates,
    }
    tasks = plan(nquads, iris, chunk_bytes, chunk_reports)
    outcomes = list(_outcomes(runner_args, tasks, workers(jobs, len(tasks)), store_path))
    seen: dict[str, int] = {}
    for outcome in outcomes:
        for graph in outcome.graphs:
            seen[graph] = seen.get(graph, 0) + 1
    # a report graph graph.nq lacks, or has in two places (then each chunk saw part of it): again,
    # from the store itself
    again = [iri for iri in iris if seen.get(iri, 0) != 1]
    if again:
        redo = set(again)
        for outcome in outcomes:
            outcome.graphs = [g for g in outcome.graphs if g not in redo]
            outcome.found = [f for f in outcome.found if f.graph not in redo]
        more = plan(None, again, chunk_bytes, chunk_reports)
        outcomes += list(_outcomes(runner_args, more, workers(jobs, len(more)), store_path))
    done = {g for outcome in outcomes for g in outcome.graphs}
    if done != set(iris) or sum(len(o.graphs) for o in outcomes) != len(iris):
        raise InternalError(f"SPARQL validation missed {len(set(iris) - done)} report graph(s)")
    per_check: list[list[Found]] = [[] for _ in checks]
    for outcome in outcomes:
        for found in outcome.found:
            per_check[found.check].append(found)
        for check, seconds in zip(checks, outcome.seconds, strict=True):
            check.seconds += seconds  # summed over the chunks (wall time in the workers), for --verbose
    rank = {iri: index for index, iri in enumerate(iris)}
    for found_here in per_check:  # each check's rows report by report, in the order of ``graphs``
        found_here.sort(key=lambda found: rank[found.graph])
    for check, found_here in zip(checks, per_check, strict=True):
        check.rows = len(found_here)
    ordered = [found for found_here in per_check for found in found_here]
    results = result_graph([f.triples or [] for f in ordered]) if keep_results else None
    return SparqlOutcome([f.finding for f in ordered], results, checks)
