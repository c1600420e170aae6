"""SHACL and SPARQL checks of a built store: completeness and consistency findings.

Each report's named graph is validated on its own, together with the reference graph
(categories, organisation types, the ontology), so the work grows linearly with the
number of reports; checks across reports are the ODK-style ``shapes/*-violation.rq``
(``-warning.rq``, ``-info.rq``) queries, run once over the whole store and expected to
return no rows. Every finding says where it is on paper (report file, connection
number, department, line) and what is wrong, in Japanese and English.

Each finding is of one of four kinds, never mixed (``ketsugo.errors.FINDING_KINDS``):
"report" (the report itself is wrong or incomplete), "disclosure" (what a reader cannot learn
from the report, e.g. a vendor named only by its kind: Info only), "reading" (the text could not
be read as expected) and "curation" (ketsugo's own registries do not know a name: Info only,
never a reason to distrust the report). A shape says its kind with ``kg:findingKind`` in its
Turtle; a kg:ParseIssue node's own ``kg:findingKind`` wins for the findings about it.

pyshacl fills ``{?var}`` in a message with ``re.sub``, which reads a backslash in the value as
an escape: every SELECT variable that carries report text doubles its backslashes (a
``REPLACE`` with ``"$1$1"``, see shapes/README.md), so the message shows the text as written;
:func:`_findings_from_results` halves them again in the value it reports.

pyshacl runs on a small rdflib graph per report (converted from the pyoxigraph quads),
never on the store itself. pyshacl runs a SPARQL constraint once per focus node, and
rdflib parses and evaluates each run in Python (about 10 ms a time); the graph handed
to pyshacl therefore answers SPARQL from an in-memory pyoxigraph copy of its triples,
while the core constraints use rdflib's triple look-ups as usual.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ketsugo.check.findings import (
    DEFAULT_KIND,
    FAIL_ON_HELP,
    KGSH,
    KIND_HEADINGS,
    SEVERITIES,
    SEVERITY_JA,
    Finding,
    InternalError,
    Validation,
    _curie,
    _sort_key,
    parse_fail_on,
    to_rdflib,
)
from ketsugo.check.formats import combined_report, format_json, format_text, format_ttl
from ketsugo.check.pyshacl_engine import POOL_MIN_REPORTS, _outcomes, graph_triples, validate_graph
from ketsugo.check.shapes import (
    CrossReportQuery,
    _cross_report_findings,
    cross_report_queries,
    load_shapes,
)
from ketsugo.errors import InputError, Issue
from ketsugo.graph.vocab import REFERENCE_GRAPH
from ketsugo.paths import SHAPES_DIR
from ketsugo.prefixes import PREFIXES
from ketsugo.store.disk import solutions
from ketsugo.store.disk import to_term as to_oxigraph  # rdflib → pyoxigraph, one term (the store's own)

__all__ = [  # names other modules import from here (the module was split; these stay importable)
    "DEFAULT_KIND",
    "FAIL_ON_HELP",
    "KGSH",
    "KIND_HEADINGS",
    "POOL_MIN_REPORTS",
    "SEVERITIES",
    "SEVERITY_JA",
    "CrossReportQuery",
    "Finding",
    "InternalError",
    "Validation",
    "combined_report",
    "cross_report_queries",
    "format_json",
    "format_text",
    "format_ttl",
    "graph_triples",
    "load_shapes",
    "parse_fail_on",
    "report_graphs",
    "to_oxigraph",
    "to_rdflib",
    "validate_graph",
    "validate_store",
]


def report_graphs(store: ox.Store) -> list[tuple[str, str]]:
    """(graph IRI, report file) of every report in the store, in a stable order."""
    rows = solutions(
        store.query(
            "SELECT DISTINCT ?g ?file WHERE { GRAPH ?g { ?r a kg:Report . OPTIONAL { ?r kg:sourceFile ?file } } }"
            " ORDER BY ?g",
            prefixes=PREFIXES,
        )
    )
    return [(row["g"].value, row["file"].value if row["file"] is not None else "") for row in rows]


def _progress(total: int, enabled: bool) -> Any:
    """A rich progress bar on stderr (reports done, ETA), or a stand-in that shows nothing."""
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("validating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("reports"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    progress.start()
    progress.add_task("validate", total=total)
    return progress


ENGINES = ("auto", "sparql", "pyshacl")
DEFAULT_ENGINE = "auto"


def validate_store(
    store: ox.Store,
    *,
    shapes_dir: Path = SHAPES_DIR,
    where: str = "",
    store_path: Path | None = None,
    jobs: int | None = None,
    shacl_report: bool = True,
    progress: bool = False,
    engine: str = DEFAULT_ENGINE,
    log: Callable[[str], None] | None = None,
) -> Validation:
    """Validate every report graph in the store on its own, then run the cross-report queries.

    ``engine``: "sparql" runs the shapes compiled into SPARQL queries on the store, every report
    at once (:mod:`ketsugo.check.sparql_engine`; an input error when a shape does not compile);
    "pyshacl" runs pyshacl report by report; "auto" compiles what it can and leaves the other
    shapes to pyshacl. Both give the same findings (tests/test_validate_engines.py).

    ``where`` names the store in error messages (its build directory). With ``store_path``
    (the on-disk store's directory) pyshacl validates several reports across ``jobs`` processes
    (default: every core), each opening the store read-only, and the SPARQL engine runs its
    queries on as many threads; the findings are the same, in the same order, as on one. ``shacl_report=False`` skips keeping the result graphs
    (``report_graph`` then holds the cross-report results only): memory stays flat with the
    number of reports. ``progress`` shows a progress bar on stderr; ``log`` receives what the
    SPARQL engine did (shapes left to pyshacl and why, the slowest queries).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    started = time.perf_counter()
    shapes = load_shapes(shapes_dir)
    graphs = report_graphs(store)
    if not graphs:
        raise InputError(Issue(where, 0, "--store", "the store holds no report graph: nothing to validate"))
    findings: list[Finding] = []
    result_graphs: list[Graph] = []
    files: list[str] = [name or iri for iri, name in graphs]
    left: Graph | None = shapes
    cross: list[Finding] | None = None
    if engine != "pyshacl":
        from concurrent.futures import ThreadPoolExecutor

        # the cross-report queries run beside the compiled shapes' (pyoxigraph leaves Python's lock
        # while it evaluates), not after them; done before any pyshacl worker process is started
        with ThreadPoolExecutor(max_workers=1) as side:
            crossing = side.submit(_cross_report_findings, store, cross_report_queries(shapes_dir))
            outcome = _sparql_engine(
                store, shapes, graphs, engine, where, shacl_report, log, jobs, store_path
            )
            cross = crossing.result()
        findings.extend(outcome.findings)
        if outcome.results is not None:
            result_graphs.append(outcome.results)
        left = outcome.left
    if left is not None:
        files = []
        findings.extend(
            _pyshacl_engine(
                store, left, graphs, shacl_report, store_path, jobs, progress, files, result_graphs
            )
        )
    if cross is None:
        cross = _cross_report_findings(store, cross_report_queries(shapes_dir))
    findings.extend(cross)
    findings.sort(key=_sort_key)
    report = combined_report(result_graphs, cross, shapes)
    return Validation(findings, report, files, time.perf_counter() - started)


@dataclass
class _SparqlRun:
    findings: list[Finding]
    results: Graph | None
    left: Graph | None  # the shapes left to pyshacl (None: every shape compiled)


def _sparql_engine(
    store: ox.Store,
    shapes: Graph,
    graphs: list[tuple[str, str]],
    engine: str,
    where: str,
    keep_results: bool,
    log: Callable[[str], None] | None,
    jobs: int | None,
    store_path: Path | None = None,
) -> _SparqlRun:
    from ketsugo.check.sparql_engine import compile_shapes, sparql_findings, timed, without_targets

    reference = str(REFERENCE_GRAPH)
    compiled = compile_shapes(store, shapes, [iri for iri, _ in graphs], reference)
    for shape, why in sorted(compiled.fallback.items(), key=lambda item: str(item[0])):
        if engine == "sparql":
            raise InputError(
                Issue(
                    where,
                    0,
                    "--engine",
                    f"shape {_curie(shape)} does not compile to SPARQL: {why} (use --engine auto)",
                )
            )
        if log is not None:
            log(f"pyshacl checks {_curie(shape)}: {why}")
    workers = jobs or os.cpu_count() or 1
    if store_path is not None:  # on disk: a chunk of reports at a time, in memory, across processes
        from ketsugo.check.sparql_chunks import chunked_findings

        outcome = chunked_findings(
            store,
            store_path,
            graphs,
            shapes,
            compiled.checks,
            reference,
            keep_results,
            workers,
            predicates=compiled.predicates,
        )
    else:
        outcome = sparql_findings(store, graphs, shapes, compiled.checks, reference, keep_results, workers)
    if log is not None:
        total = sum(c.seconds for c in compiled.checks)
        log(f"sparql engine: {len(compiled.checks)} queries, {total:.2f} s; the slowest:")
        timed(log, compiled.checks)
    left = None
    if compiled.fallback:
        left = without_targets(
            shapes, {c.shape for c in compiled.checks} | _compiled_node_shapes(shapes, compiled)
        )
    return _SparqlRun(outcome.findings, outcome.results, left)


def _compiled_node_shapes(shapes: Graph, compiled: Any) -> set[Any]:
    from ketsugo.check.sparql_engine import _node_shapes

    return {s for s in _node_shapes(shapes) if s not in compiled.fallback}


def _pyshacl_engine(
    store: ox.Store,
    shapes: Graph,
    graphs: list[tuple[str, str]],
    keep_results: bool,
    store_path: Path | None,
    jobs: int | None,
    progress: bool,
    files: list[str],
    result_graphs: list[Graph],
) -> list[Finding]:
    """pyshacl, report by report (across processes): the findings; names and result graphs appended."""
    findings: list[Finding] = []
    bar = _progress(len(graphs), progress and len(graphs) > 1)
    try:
        for outcome in _outcomes(
            store, shapes, graphs, keep_results, store_path, jobs if jobs is not None else os.cpu_count() or 1
        ):
            findings.extend(outcome.findings)
            files.append(outcome.name)
            if outcome.results is not None:
                results = Graph(bind_namespaces="none")
                results.addN((s, p, o, results) for s, p, o in outcome.results)
                result_graphs.append(results)
            if bar is not None:
                bar.advance(bar.task_ids[0])
    finally:
        if bar is not None:
            bar.stop()
    return findings
