"""SHACL and SPARQL checks of a built store: completeness and consistency findings.

Each report's named graph is validated on its own, together with the reference graph
(categories, organisation types, the ontology), so the work grows linearly with the
number of reports; checks across reports are the ODK-style ``shapes/*-violation.rq``
(``-warning.rq``, ``-info.rq``) queries, run once over the whole store and expected to
return no rows. Every finding says where it is on paper (report file, connection
number, department, line) and what is wrong, in Japanese and English.

Each finding is of one of three kinds, never mixed (``ketsugo.errors.FINDING_KINDS``):
"report" (the report itself is wrong or incomplete), "reading" (the text could not be read
as expected) and "curation" (ketsugo's own registries do not know a name: Info only, never
a reason to distrust the report). A shape says its kind with ``kg:findingKind`` in its
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

import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, SKOS
from rdflib.term import Identifier, Node

from ketsugo import prefixes
from ketsugo.curation import load_turtle
from ketsugo.errors import FINDING_KINDS, InputError, Issue
from ketsugo.paths import SHAPES_DIR
from ketsugo.prefixes import PREFIXES, compact_iri
from ketsugo.store import solutions, to_predicate, to_subject
from ketsugo.store import to_term as to_oxigraph  # rdflib → pyoxigraph, one term
from ketsugo.terms import OxTerm
from ketsugo.vocab import DPV, KG, REFERENCE_GRAPH

KGSH = Namespace(prefixes.KGSH)

SEVERITIES = ("Violation", "Warning", "Info")  # most severe first
SEVERITY_JA = {"Violation": "違反", "Warning": "警告", "Info": "情報"}
_SH_SEVERITY: dict[str, URIRef] = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
# keyed by any node (or none): a result's sh:resultSeverity as read from its graph
_SEVERITY_OF: dict[Node | None, str] = {iri: name for name, iri in _SH_SEVERITY.items()}
_QUERY_SUFFIXES = {"-violation.rq": "Violation", "-warning.rq": "Warning", "-info.rq": "Info"}
_XSD_STRING = prefixes.XSD + "string"
KIND_HEADINGS = {  # the three sections of the text output (English / Japanese)
    "report": ("The report itself", "報告書の記載について"),
    "reading": ("Reading the report", "報告書の読み取りについて"),
    "curation": (
        "Curation notes: ketsugo's own knowledge is incomplete",
        "ketsugo の登録簿・語彙への追加候補",
    ),
}
DEFAULT_KIND = "report"


class InternalError(Exception):
    """A failure inside ketsugo or a library it runs (a bug), as opposed to the user's input."""


# --- findings --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One problem, with where a reader finds it on paper."""

    severity: str  # "Violation" | "Warning" | "Info"
    shape: str  # e.g. "kgsh:MyNumberShape", or the file name of a cross-report query
    focus: str  # IRI (or blank node) of the node the problem is about
    message_ja: str
    message_en: str
    report: str = ""  # the report's file name (kg:sourceFile)
    connection: int | None = None  # No. of the connection, when the finding is about one
    connections: tuple[int, ...] = ()  # every connection concerned (a shared counterparty: several)
    section: str = ""  # "new" (section (2)) or "ended" (section (3)) for a connection
    department: str = ""  # the 結合を行った課 cell as written
    line: int | None = None  # 1-based line in the report file
    value: str | None = None
    path: str | None = None
    kind: str = DEFAULT_KIND  # "report" | "reading" | "curation" (FINDING_KINDS)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "shape": self.shape,
            "focus": self.focus,
            "report": self.report,
            "connection": self.connection,
            "connections": list(self.connections),
            "section": self.section,
            "department": self.department,
            "line": self.line,
            "value": self.value,
            "path": self.path,
            "message": {"ja": self.message_ja, "en": self.message_en},
        }

    def where(self) -> str:
        """FILE:LINE No.N DEPARTMENT, as far as known."""
        parts = [f"{self.report or '?'}:{self.line}" if self.line else (self.report or "(store)")]
        if self.connections:
            numbers = ", ".join(f"No.{n}" for n in self.connections)
            parts.append(numbers + (" (ended/終了)" if self.section == "ended" else ""))
        if self.department:
            parts.append(self.department)
        return "  ".join(parts)


@dataclass
class Validation:
    """Every finding, the standard SHACL validation report, and what was validated."""

    findings: list[Finding]
    report_graph: Graph
    reports: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, severity: str, kind: str | None = None) -> int:
        return sum(1 for f in self.findings if f.severity == severity and kind in (None, f.kind))

    def fails(self, rules: str | Iterable[tuple[str, str]]) -> bool:
        """Whether any finding is at or above a rule's severity, for that rule's kind.

        ``rules`` is a ``--fail-on`` text (see :func:`parse_fail_on`) or (kind, severity) pairs.
        """
        pairs = parse_fail_on(rules) if isinstance(rules, str) else list(rules)
        return any(
            f.kind == kind and _rank(f.severity) <= _rank(severity)
            for kind, severity in pairs
            for f in self.findings
        )


FAIL_ON_HELP = (
    "SEVERITY or KIND:SEVERITY, several separated by commas (or the option repeated); "
    "SEVERITY is violation, warning or info (that severity or a more serious one), KIND is "
    "report, reading, curation or all; a bare SEVERITY means report:SEVERITY."
)


def parse_fail_on(spec: str | Iterable[str]) -> list[tuple[str, str]]:
    """``"violation"``, ``"report:warning,curation:info"``, ``"all:warning"`` → (kind, Severity) pairs.

    Raises ValueError naming the part it cannot read.
    """
    texts = [spec] if isinstance(spec, str) else list(spec)
    pairs: list[tuple[str, str]] = []
    for text in texts:
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            kind, _, severity = part.rpartition(":")
            kind = kind.strip().lower() or DEFAULT_KIND
            severity = severity.strip().capitalize()
            if severity not in SEVERITIES or kind not in (*FINDING_KINDS, "all"):
                raise ValueError(f"cannot read {part!r}: {FAIL_ON_HELP}")
            kinds = FINDING_KINDS if kind == "all" else (kind,)
            pairs.extend((k, severity) for k in kinds)
    return pairs


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


# --- shapes and queries ----------------------------------------------------------------------------


@cache
def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    """Every ``*.ttl`` in the shapes directory, as one shapes graph."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise InputError(Issue(str(directory), 0, "", "no SHACL shapes (*.ttl) found"))
    graph = load_turtle(files, "shapes file")
    _compact_selects(graph)
    graph.bind("sh", SH)
    graph.bind("kgsh", KGSH)
    return graph


def _compact_selects(shapes: Graph) -> None:
    """Put each sh:select on one line (same query): pyshacl matches its checking regexes per
    line against the whole text for every focus node, which costs time with the text's lines."""
    for node, select in list(shapes.subject_objects(SH.select)):
        text = str(select)
        if not isinstance(select, Literal) or "#" in text:  # a comment (or a full IRI) would swallow
            continue  # the rest of a joined line; sh:select is always a literal (SHACL)
        compact = " ".join(line.strip() for line in text.splitlines() if line.strip())
        shapes.remove((node, SH.select, select))
        shapes.add((node, SH.select, Literal(compact, lang=select.language, datatype=select.datatype)))


@dataclass(frozen=True)
class CrossReportQuery:
    path: Path
    severity: str
    text: str


@cache
def cross_report_queries(directory: Path = SHAPES_DIR) -> tuple[CrossReportQuery, ...]:
    """``*-violation.rq``, ``*-warning.rq`` and ``*-info.rq``: SPARQL over the whole store, zero rows expected."""
    found = []
    for path in sorted(directory.glob("*.rq")):
        severity = next((s for suffix, s in _QUERY_SUFFIXES.items() if path.name.endswith(suffix)), None)
        if severity is not None:
            found.append(CrossReportQuery(path, severity, path.read_text(encoding="utf-8")))
    return tuple(found)


# --- pyoxigraph → rdflib ---------------------------------------------------------------------------


def to_rdflib(term: Any) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def graph_triples(store: ox.Store, graph_iri: str) -> list[tuple[Any, Any, Any]]:
    """The triples of one named graph, as pyoxigraph terms."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))
    return [(q.subject, q.predicate, q.object) for q in quads]


# Prose for people in the reference graph (a quarter of it): no shape reads it, so it is not copied
# into every report's working graph.
_DOCUMENTATION = {
    ox.NamedNode(str(p))
    for p in (RDFS.comment, RDFS.isDefinedBy, SKOS.definition, SKOS.scopeNote, SKOS.note, SKOS.example)
}


def _without_documentation(triples: list[tuple[Any, Any, Any]]) -> list[tuple[Any, Any, Any]]:
    return [t for t in triples if t[1] not in _DOCUMENTATION]


class _Converter:
    """pyoxigraph → rdflib terms, each distinct term converted once."""

    def __init__(self, memo: dict[Any, Node] | None = None) -> None:
        self.memo: dict[Any, Node] = {} if memo is None else memo

    def __call__(self, term: Any) -> Node:
        found = self.memo.get(term)
        if found is None:
            found = self.memo[term] = to_rdflib(term)
        return found


class _WorkGraph(Graph):
    """An rdflib graph whose SPARQL queries run on pyoxigraph, over an in-memory copy of its triples.

    pyshacl looks triples up itself (core constraints: fast enough on rdflib) but runs a
    SPARQL constraint's text once per focus node; rdflib parses and evaluates each run in
    Python (several ms), pyoxigraph in well under one. Bindings pyshacl pre-binds
    ($this, …) become pyoxigraph substitutions.
    """

    def __init__(self) -> None:
        super().__init__(bind_namespaces="none")
        self.sparql_store = ox.Store()

    def add_oxigraph(self, triples: list[tuple[Any, Any, Any]], convert: _Converter) -> None:
        """Add triples given as pyoxigraph terms (from the store: converted for rdflib only).

        Straight into the rdflib store: Graph.addN re-checks every term's type (a third of the time),
        and these are rdflib terms by construction.
        """
        self.store.addN((convert(s), convert(p), convert(o), self) for s, p, o in triples)
        self.sparql_store.extend([ox.Quad(s, p, o) for s, p, o in triples])

    def add_rdflib(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples given as rdflib terms (a graph read from Turtle, in tests)."""
        kept = list(triples)
        self.addN((s, p, o, self) for s, p, o in kept)
        self.sparql_store.extend(
            [ox.Quad(to_subject(s), to_predicate(p), to_oxigraph(o)) for s, p, o in kept]
        )

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if not isinstance(query_object, str) or kwargs:
            return super().query(
                query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
            )
        from rdflib.query import Result
        from rdflib.term import Variable

        substitutions: dict[ox.Variable, OxTerm] = {
            ox.Variable(str(k)): to_oxigraph(v) for k, v in (initBindings or {}).items()
        }
        answer = self.sparql_store.query(query_object, substitutions=substitutions or None)
        if isinstance(answer, ox.QueryBoolean):
            asked = Result("ASK")
            asked.askAnswer = bool(answer)
            return asked
        if not isinstance(answer, ox.QuerySolutions):
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided)
        variables = [v.value for v in answer.variables]
        selected = Result("SELECT")
        selected.vars = [Variable(v) for v in variables]
        selected.bindings = [
            {Variable(v): to_rdflib(row[v]) for v in variables if row[v] is not None} for row in answer
        ]
        return selected


# --- running pyshacl -------------------------------------------------------------------------------


def _run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    from pyshacl import validate

    try:  # pyshacl ≥ 0.30: hand over the graph itself, so our query() is the one called
        from pyshacl.graph_abstraction import DataGraph

        target: Any = DataGraph.from_rdflib_graph(data)
    except ImportError:  # pragma: no cover - older pyshacl takes the graph as is
        target = data
    try:
        _, results, text = validate(
            target,
            shacl_graph=shapes,
            inference="none",
            advanced=True,  # SPARQL-based targets
            inplace=True,  # the graph is ours and throwaway: no copy
            allow_warnings=True,
            allow_infos=True,
        )
    except Exception as exc:  # pyshacl's or the SPARQL engine's failure, not the user's input
        raise InternalError(f"SHACL validation failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(results, Graph):
        raise InternalError(f"SHACL validation failed: {text}")
    return results


def validate_graph(
    data: Graph, reference: Graph | None = None, *, report_file: str = "", shapes: Graph | None = None
) -> tuple[list[Finding], Graph]:
    """Validate one report's triples (plus the reference triples) against the shapes.

    Returns the findings and pyshacl's validation report graph (messages with language tags).
    """
    shapes = load_shapes() if shapes is None else shapes
    work = _WorkGraph()
    work.add_rdflib(data)
    if reference is not None:
        work.add_rdflib(reference)
    results = _run_pyshacl(work, shapes)
    findings = _findings_from_results(results, shapes, _GraphLookup(work), report_file)
    return findings, results


# --- the store -------------------------------------------------------------------------------------


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


@dataclass
class _Outcome:
    """One report's validation, as plain data a worker process sends back."""

    name: str  # the report file (or graph IRI)
    findings: list[Finding]
    results: list[tuple[Node, Node, Node]] | None = None  # pyshacl's report triples, when asked for


class _Validator:
    """What validating one report after another needs, built once per process: the shapes, the
    reference triples (documentation left out) and their rdflib terms, converted once.

    Each report gets a fresh work graph of its own triples plus the reference triples (rdflib's
    store takes as long to empty as to fill, so a shared graph would not be cheaper); the report's
    own terms are converted per report and dropped with it, so memory does not grow.
    """

    def __init__(self, store: ox.Store, shapes: Graph) -> None:
        self.store = store
        self.shapes = shapes
        self.reference = _without_documentation(graph_triples(store, str(REFERENCE_GRAPH)))
        self.reference_terms = _Converter()
        for triple in self.reference:
            for term in triple:
                self.reference_terms(term)

    def validate(self, graph_iri: str, file_name: str, keep_results: bool) -> _Outcome:
        convert = _Converter(dict(self.reference_terms.memo))
        work = _WorkGraph()
        work.add_oxigraph(graph_triples(self.store, graph_iri), convert)
        work.add_oxigraph(self.reference, convert)
        results = _run_pyshacl(work, self.shapes)
        findings = _findings_from_results(results, self.shapes, _GraphLookup(work), file_name)
        return _Outcome(file_name or graph_iri, findings, list(results) if keep_results else None)


# --- worker processes: each opens the store read-only and keeps its own _Validator -------------------

_WORKER: _Validator | None = None
POOL_MIN_REPORTS = 4  # fewer reports: a pool's start-up (imports, reference graph) costs more than it saves


def _start_worker(store_path: str, shape_triples: list[tuple[Node, Node, Node]]) -> None:
    global _WORKER
    shapes = Graph(bind_namespaces="none")
    shapes.addN((s, p, o, shapes) for s, p, o in shape_triples)  # same blank nodes as the parent's
    _WORKER = _Validator(ox.Store.read_only(store_path), shapes)


def _validate_in_worker(job: tuple[str, str, bool]) -> _Outcome:
    assert _WORKER is not None, "worker not started"
    return _WORKER.validate(*job)


def _outcomes(
    store: ox.Store,
    shapes: Graph,
    graphs: list[tuple[str, str]],
    keep_results: bool,
    store_path: Path | None,
    jobs: int,
) -> Iterator[_Outcome]:
    """Each report's outcome, in the order of ``graphs``: across ``jobs`` processes when worth it."""
    jobs = min(jobs, len(graphs))
    if store_path is None or jobs < 2 or len(graphs) < POOL_MIN_REPORTS:
        validator = _Validator(store, shapes)
        for graph_iri, file_name in graphs:
            yield validator.validate(graph_iri, file_name, keep_results)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a forked child would inherit the parent's open RocksDB handle and threads
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(str(store_path), list(shapes)),
    ) as pool:
        try:
            jobs_list = [(graph_iri, file_name, keep_results) for graph_iri, file_name in graphs]
            yield from pool.map(_validate_in_worker, jobs_list, chunksize=1)
        except BrokenProcessPool as exc:
            raise InternalError(f"SHACL validation failed: a worker process died ({exc})") from exc
        except BaseException:  # an error, Ctrl-C or an abandoned generator: do not finish every report first
            pool.shutdown(wait=False, cancel_futures=True)
            raise


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


def validate_store(
    store: ox.Store,
    *,
    shapes_dir: Path = SHAPES_DIR,
    where: str = "",
    store_path: Path | None = None,
    jobs: int | None = None,
    shacl_report: bool = True,
    progress: bool = False,
) -> Validation:
    """Validate every report graph in the store on its own, then run the cross-report queries.

    ``where`` names the store in error messages (its build directory). With ``store_path``
    (the on-disk store's directory) several reports are validated across ``jobs`` processes
    (default: every core), each opening the store read-only; the findings are the same, in
    the same order, as on one. ``shacl_report=False`` skips keeping pyshacl's result graphs
    (``report_graph`` then holds the cross-report results only): memory stays flat with the
    number of reports. ``progress`` shows a progress bar on stderr.
    """
    started = time.perf_counter()
    shapes = load_shapes(shapes_dir)
    graphs = report_graphs(store)
    if not graphs:
        raise InputError(Issue(where, 0, "--store", "the store holds no report graph: nothing to validate"))
    findings: list[Finding] = []
    result_graphs: list[Graph] = []
    files: list[str] = []
    bar = _progress(len(graphs), progress and len(graphs) > 1)
    try:
        for outcome in _outcomes(
            store, shapes, graphs, shacl_report, store_path, jobs if jobs is not None else os.cpu_count() or 1
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
    cross = _cross_report_findings(store, cross_report_queries(shapes_dir))
    findings.extend(cross)
    findings.sort(key=_sort_key)
    report = combined_report(result_graphs, cross, shapes)
    return Validation(findings, report, files, time.perf_counter() - started)


def _sort_key(f: Finding) -> tuple[int, int, str, int, int, str, str]:
    return (
        FINDING_KINDS.index(f.kind) if f.kind in FINDING_KINDS else len(FINDING_KINDS),
        _rank(f.severity),
        f.report,
        f.line if f.line is not None else 10**9,
        f.connection if f.connection is not None else 10**9,
        f.shape,
        f.message_en,
    )


# --- from SHACL results to findings ----------------------------------------------------------------


class _GraphLookup:
    """Triple look-ups on an rdflib graph."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return list(self.graph.objects(subject, predicate))

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        return list(self.graph.subjects(predicate, obj))


class _StoreLookup:
    """The same look-ups on the pyoxigraph store (union of its graphs)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        if not isinstance(subject, URIRef | BNode):
            return []
        quads = self.store.quads_for_pattern(to_subject(subject), to_predicate(predicate), None, None)
        return list(dict.fromkeys(to_rdflib(q.object) for q in quads))

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        quads = self.store.quads_for_pattern(None, to_predicate(predicate), to_oxigraph(obj), None)
        return list(dict.fromkeys(to_rdflib(q.subject) for q in quads))


_PARENT_LINKS = (KG.hasDataItem, DPV.hasRecipient, DPV.hasDataSubject, DPV.hasPurpose, KG.citesStatute)


@dataclass(frozen=True)
class _Where:
    report: str = ""
    connection: int | None = None
    connections: tuple[int, ...] = ()
    section: str = ""
    department: str = ""
    line: int | None = None


def _ints(nodes: Iterable[Node]) -> list[int]:
    found = []
    for node in nodes:
        try:
            found.append(int(str(node)))
        except ValueError:
            continue
    return sorted(set(found))


def _where(look: Any, focus: Node, report_file: str = "") -> _Where:
    """Where a node is on paper: its report file, connection(s), department and line."""
    types = set(look.objects(focus, RDF.type))
    connections: list[Node] = []
    if KG.Connection in types:
        connections = [focus]
    elif KG.ParseIssue in types:  # the connection read from the same line of the same report
        in_reports = set(look.objects(focus, KG.inReport))
        connections = [
            c
            for line in look.objects(focus, KG.sourceLine)
            for c in look.subjects(KG.sourceLine, line)
            if KG.Connection in look.objects(c, RDF.type) and in_reports & set(look.objects(c, KG.inReport))
        ]
    else:
        for link in _PARENT_LINKS:
            connections = look.subjects(link, focus)
            if connections:
                break
    numbers = _ints(n for c in connections for n in look.objects(c, KG.connectionNumber))
    own_lines = _ints(look.objects(focus, KG.sourceLine))
    lines = own_lines or _ints(n for c in connections for n in look.objects(c, KG.sourceLine))
    departments = list(
        dict.fromkeys(str(d) for c in connections for d in look.objects(c, KG.departmentsAsWritten))
    )
    statuses = {s for c in connections for s in look.objects(c, KG.status)}
    section = ""
    if len(statuses) == 1:
        section = "ended" if KG.EndedConnection in statuses else "new"
    reports = [r for c in connections for r in look.objects(c, KG.inReport)] or look.objects(
        focus, KG.inReport
    )
    if KG.Report in types:
        reports = [focus]
    files = sorted({str(f) for r in reports for f in look.objects(r, KG.sourceFile)})
    return _Where(
        report=", ".join(files) or report_file,
        connection=numbers[0] if len(numbers) == 1 else None,
        connections=tuple(numbers),
        section=section,
        department="; ".join(departments),
        line=lines[0] if lines else None,
    )


def _curie(node: Node) -> str:
    return compact_iri(str(node), {**PREFIXES, "kgsh": prefixes.KGSH})


_PLACEHOLDER = re.compile(r"\{[?$]\w+\}")


def _template_regex(template: str) -> re.Pattern[str]:
    pieces = _PLACEHOLDER.split(template)
    return re.compile("(?s)" + ".*?".join(re.escape(p) for p in pieces) + "$")


@cache
def _templates(shapes: Graph, *nodes: Node) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(regex, language) of every sh:message on the given shape/constraint nodes."""
    found = []
    for node in nodes:
        if node is None:
            continue
        for message in shapes.objects(node, SH.message):
            if isinstance(message, Literal) and message.language:
                found.append((_template_regex(str(message)), message.language))
    return tuple(found)


def _language(message: Literal, templates: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    """pyshacl drops the language tag of a message it fills in; recover it from the template."""
    if message.language:
        return message.language
    for regex, language in templates:
        if regex.match(str(message)):
            return language
    return "en"


def _kind(shapes: Graph, shape: Node | None, focus: Node | None, look: Any) -> str:
    """The finding's kind: the ParseIssue's own, else the shape's (or its node shape's) kg:findingKind."""
    if focus is not None and KG.ParseIssue in look.objects(focus, RDF.type):
        for kind in look.objects(focus, KG.findingKind):
            if str(kind) in FINDING_KINDS:
                return str(kind)
    return _shape_kind(shapes, shape)


@cache
def _shape_kind(shapes: Graph, shape: Node | None) -> str:
    if shape is None:
        return DEFAULT_KIND
    owners = [shape, *shapes.subjects(SH.property, shape)]
    for owner in owners:
        for kind in shapes.objects(owner, KG.findingKind):
            if str(kind) in FINDING_KINDS:
                return str(kind)
    return DEFAULT_KIND


def _unescaped(results: Graph, result: Node, value: Node | None) -> Node | None:
    """The value as written: a SPARQL constraint's text value had its backslashes doubled for pyshacl."""
    if not isinstance(value, Literal) or "\\" not in str(value):
        return value
    if results.value(result, SH.sourceConstraintComponent) != SH.SPARQLConstraintComponent:
        return value
    plain = Literal(str(value).replace("\\\\", "\\"), lang=value.language, datatype=value.datatype)
    results.remove((result, SH.value, value))
    results.add((result, SH.value, plain))
    return plain


def _findings_from_results(results: Graph, shapes: Graph, look: Any, report_file: str) -> list[Finding]:
    findings = []
    for result in list(results.subjects(RDF.type, SH.ValidationResult)):
        shape = results.value(result, SH.sourceShape)
        constraint = results.value(result, SH.sourceConstraint)
        focus = results.value(result, SH.focusNode)
        value = _unescaped(results, result, results.value(result, SH.value))
        path = results.value(result, SH.resultPath)
        severity = _SEVERITY_OF.get(results.value(result, SH.resultSeverity), "Violation")
        templates = _templates(shapes, shape, constraint)
        messages: dict[str, str] = {}
        for message in list(results.objects(result, SH.resultMessage)):
            if not isinstance(message, Literal):
                continue
            language = _language(message, templates)
            if not message.language:  # put the tag back, for the Turtle report
                results.remove((result, SH.resultMessage, message))
                results.add((result, SH.resultMessage, Literal(str(message), lang=language)))
            messages.setdefault(language, str(message))
        en = messages.get("en") or next(iter(messages.values()), "")
        ja = messages.get("ja") or _label(shapes, shape, "ja", en)
        where = _where(look, focus, report_file) if focus is not None else _Where(report=report_file)
        kind = _kind(shapes, shape, focus, look)
        results.add((result, KG.findingKind, Literal(kind)))  # the kind in the SHACL report too
        findings.append(
            Finding(
                severity=severity,
                shape=_curie(shape) if isinstance(shape, URIRef) else "(anonymous shape)",
                focus=str(focus),
                message_ja=ja,
                message_en=en,
                value=str(value) if value is not None else None,
                path=_curie(path) if isinstance(path, URIRef) else None,
                kind=kind,
                **where.__dict__,
            )
        )
    return findings


def _label(shapes: Graph, shape: Node | None, language: str, fallback: str) -> str:
    if shape is not None:
        for label in shapes.objects(shape, RDFS.label):
            if isinstance(label, Literal) and label.language == language:
                return f"{label}: {fallback}"
    return fallback


# --- cross-report queries --------------------------------------------------------------------------


def _cross_report_findings(store: ox.Store, queries: Iterable[CrossReportQuery]) -> list[Finding]:
    """Each row of a ``*-violation.rq`` (…) query is a finding: ?focus, and ?ja / ?en messages, ?value."""
    findings = []
    look = _StoreLookup(store)
    for query in queries:
        rows = store.query(query.text, use_default_graph_as_union=True, prefixes=PREFIXES)
        if not isinstance(rows, ox.QuerySolutions):
            raise InputError(Issue(str(query.path), 0, "", "a cross-report check must be a SELECT query"))
        for row in rows:
            focus = row["focus"]
            focus_term = to_rdflib(focus) if focus is not None else None
            where = _where(look, focus_term) if focus_term is not None else _Where()
            ja, en = row["ja"], row["en"]
            value = row["value"]
            findings.append(
                Finding(
                    severity=query.severity,
                    shape=query.path.name,
                    focus=str(focus_term) if focus_term is not None else "",
                    message_ja=ja.value if ja is not None else query.path.stem,
                    message_en=en.value if en is not None else query.path.stem,
                    value=value.value if value is not None else None,
                    **where.__dict__,
                )
            )
    return findings


# --- the SHACL validation report -------------------------------------------------------------------


def combined_report(
    result_graphs: Iterable[Graph], extra: Iterable[Finding] = (), shapes: Graph | None = None
) -> Graph:
    """One sh:ValidationReport holding every result (per-report pyshacl results + cross-report rows)."""
    out = Graph(bind_namespaces="none")
    out.bind("sh", SH)
    out.bind("kgsh", KGSH)
    out.bind("rdf", RDF)
    out.bind("rdfs", RDFS)
    out.bind("xsd", XSD)
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    report = BNode()
    out.add((report, RDF.type, SH.ValidationReport))
    count = 0
    constraints: set[Node] = set()
    for results in result_graphs:
        own = set(results.subjects(RDF.type, SH.ValidationReport))
        for s, p, o in results:
            if s in own:
                if p == SH.result:
                    out.add((report, SH.result, o))
                    count += 1
                continue
            out.add((s, p, o))
            if p == SH.sourceConstraint and isinstance(o, BNode):
                constraints.add(o)
    if shapes is not None:  # describe the (anonymous) SPARQL constraints the results point to
        for node in constraints:
            for triple in shapes.triples((node, None, None)):
                out.add(triple)
    for finding in extra:
        node = BNode()
        out.add((report, SH.result, node))
        out.add((node, RDF.type, SH.ValidationResult))
        out.add((node, SH.resultSeverity, _SH_SEVERITY[finding.severity]))
        out.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        out.add((node, SH.sourceShape, KGSH[finding.shape.removesuffix(".rq")]))
        if finding.focus:
            out.add((node, SH.focusNode, URIRef(finding.focus)))
        if finding.value is not None:
            out.add((node, SH.value, Literal(finding.value)))
        out.add((node, SH.resultMessage, Literal(finding.message_ja, lang="ja")))
        out.add((node, SH.resultMessage, Literal(finding.message_en, lang="en")))
        out.add((node, KG.findingKind, Literal(finding.kind)))
        count += 1
    out.add((report, SH.conforms, Literal(count == 0)))
    return out


# --- output formats ----------------------------------------------------------------------------------


def _counts(findings: list[Finding]) -> tuple[str, str]:
    """ "1 violation(s), 0 warning(s), 5 info(s)" and its Japanese, for the given findings."""
    en = ", ".join(f"{sum(1 for f in findings if f.severity == s)} {s.lower()}(s)" for s in SEVERITIES)
    ja = "、".join(f"{SEVERITY_JA[s]} {sum(1 for f in findings if f.severity == s)} 件" for s in SEVERITIES)
    return en, ja


def format_text(validation: Validation) -> str:
    """Findings in three sections by kind (the report / reading it / curation notes), then by
    severity; each in Japanese and English, with file, line, No. and department."""
    counts, counts_ja = _counts(validation.findings)
    reports = len(validation.reports)
    lines = [f"ketsugo validate: {reports} report(s) / 報告 {reports} 件 — {counts} / {counts_ja}"]
    for kind in FINDING_KINDS:
        of_kind = [f for f in validation.findings if f.kind == kind]
        if not of_kind:
            continue
        english, japanese = KIND_HEADINGS[kind]
        kind_counts, kind_counts_ja = _counts(of_kind)
        lines.append("")
        lines.append(f"#### {english} / {japanese}: {kind_counts} / {kind_counts_ja}")
        for severity in SEVERITIES:
            group = [f for f in of_kind if f.severity == severity]
            if not group:
                continue
            lines.append("")
            lines.append(f"== {severity} / {SEVERITY_JA[severity]} ({len(group)}) ==")
            for finding in group:
                lines.append(f"{finding.where()}  [{finding.shape}]")
                lines.append(f"  ja: {finding.message_ja}")
                lines.append(f"  en: {finding.message_en}")
    if not validation.findings:
        lines.append("no findings / 指摘事項なし")
    return "\n".join(lines) + "\n"


def format_json(validation: Validation) -> str:
    return json.dumps([f.to_json() for f in validation.findings], ensure_ascii=False, indent=2) + "\n"


def format_ttl(validation: Validation) -> str:
    return validation.report_graph.serialize(format="turtle")
