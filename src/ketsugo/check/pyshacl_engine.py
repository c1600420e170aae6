"""The pyshacl engine of `ketsugo validate`: each report's named graph validated on its own,
together with the reference graph (categories, organisation types, the ontology), so the work
grows linearly with the number of reports, across worker processes.

pyshacl runs on a small rdflib graph per report (converted from the pyoxigraph quads),
never on the store itself. pyshacl runs a SPARQL constraint once per focus node, and
rdflib parses and evaluates each run in Python (about 10 ms a time); the graph handed
to pyshacl therefore answers SPARQL from an in-memory pyoxigraph copy of its triples,
while the core constraints use rdflib's triple look-ups as usual.

pyshacl fills ``{?var}`` in a message with ``re.sub``, which reads a backslash in the value as
an escape: every SELECT variable that carries report text doubles its backslashes (a
``REPLACE`` with ``"$1$1"``, see shapes/README.md), so the message shows the text as written;
:func:`_findings_from_results` halves them again in the value it reports.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from ketsugo.check.findings import (
    _SEVERITY_OF,
    Finding,
    InternalError,
    _curie,
    _GraphLookup,
    _kind,
    _label,
    _Where,
    _where,
    to_rdflib,
)
from ketsugo.check.shapes import load_shapes
from ketsugo.graph.terms import OxTerm
from ketsugo.graph.vocab import KG, REFERENCE_GRAPH
from ketsugo.store.disk import shared_quads, to_predicate, to_subject
from ketsugo.store.disk import to_term as to_oxigraph


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

    def __init__(self, store: Memory | None = None) -> None:
        super().__init__(store=store if store is not None else "default", bind_namespaces="none")
        self.sparql_store = ox.Store()

    def add_oxigraph(self, triples: list[tuple[Any, Any, Any]], convert: _Converter) -> None:
        """Add triples given as pyoxigraph terms (from the store: converted for rdflib only)."""
        self.add_converted([(convert(s), convert(p), convert(o)) for s, p, o in triples], triples)

    def add_converted(
        self, triples: list[tuple[Node, Node, Node]], terms: list[tuple[Any, Any, Any]] | list[ox.Quad]
    ) -> None:
        """Add triples in both forms: rdflib terms, and the same triples (or quads in the default
        graph) as pyoxigraph terms.

        Straight into the rdflib store: Graph.addN re-checks every term's type (a third of the time),
        and these are rdflib terms by construction.
        """
        self.store.addN((s, p, o, self) for s, p, o in triples)
        self.sparql_store.extend([t if isinstance(t, ox.Quad) else ox.Quad(*t) for t in terms])

    def add_rdflib(
        self, triples: Iterable[tuple[Node, Node, Node]], quads: list[ox.Quad] | None = None
    ) -> None:
        """Add triples given as rdflib terms (a graph read from Turtle, in tests); ``quads``, their
        pyoxigraph form when already made (the shared reference graph: converted once)."""
        kept = list(triples)
        self.addN((s, p, o, self) for s, p, o in kept)
        self.sparql_store.extend(
            quads
            if quads is not None
            else [ox.Quad(to_subject(s), to_predicate(p), to_oxigraph(o)) for s, p, o in kept]
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
    if reference is not None and _REUSE_LOCK.acquire(blocking=False):
        try:
            return _validate_beside_reference(data, reference, shapes, report_file)
        finally:
            _REUSE_LOCK.release()
    work = _WorkGraph()
    work.add_rdflib(data)
    if reference is not None:
        work.add_converted(_shared_triples(reference), shared_quads(reference))
    results = _run_pyshacl(work, shapes)
    findings = _findings_from_results(results, shapes, _GraphLookup(work), report_file)
    return findings, results


@dataclass
class _ReferenceWork:
    """A work graph holding only the reference triples, lent to one validation after another."""

    reference: Graph  # held, so its id (part of the key) is not reused
    work: _WorkGraph
    size: int  # its triples between validations
    lent: int = 0


_REUSED: dict[tuple[int, int], _ReferenceWork] = {}
_REUSE_LOCK = threading.Lock()  # one validation at a time borrows it; another thread builds its own
_REUSE_LIMIT = 64  # then a new one: rdflib's store keeps an empty index entry for each removed term


def _validate_beside_reference(
    data: Graph, reference: Graph, shapes: Graph, report_file: str
) -> tuple[list[Finding], Graph]:
    """:func:`validate_graph` on a work graph that already holds the reference triples: the report's
    triples are added, validated with them and taken out again (filling rdflib's store with the
    reference graph was two thirds of a small graph's validation). The same triples, so the same
    findings; only the order in which rdflib lists the triples differs."""
    key = (id(reference), len(reference))
    held = _REUSED.get(key)
    if held is None or held.lent >= _REUSE_LIMIT:
        _REUSED.clear()
        work = _WorkGraph()
        work.add_converted(_shared_triples(reference), shared_quads(reference))
        held = _REUSED[key] = _ReferenceWork(reference, work, len(work))
    held.lent += 1
    work = held.work
    added = [triple for triple in dict.fromkeys(data) if triple not in work]
    quads = [ox.Quad(to_subject(s), to_predicate(p), to_oxigraph(o)) for s, p, o in added]
    quads = [quad for quad in quads if quad not in work.sparql_store]  # only what is taken out again
    work.addN((s, p, o, work) for s, p, o in added)
    work.sparql_store.extend(quads)
    try:
        results = _run_pyshacl(work, shapes)
        findings = _findings_from_results(results, shapes, _GraphLookup(work), report_file)
    except BaseException:
        _REUSED.clear()
        raise
    for triple in added:
        work.remove(triple)
    for quad in quads:
        work.sparql_store.remove(quad)
    if len(work) != held.size:  # pyshacl added a triple of its own: do not lend this graph again
        _REUSED.clear()
    return findings, results


def _shared_triples(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The triples of a graph many validations share (the reference graph), listed once per process
    (reading them out of rdflib's store took a sixth of the time of adding them). Kept while the
    graph is the same object of the same size (the graph is held, so its id is not reused)."""
    key = (id(graph), len(graph))
    found = _SHARED_TRIPLES.get(key)
    if found is None:
        if len(_SHARED_TRIPLES) >= 8:
            _SHARED_TRIPLES.clear()
        found = _SHARED_TRIPLES[key] = (graph, list(graph))
    return found[1]


_SHARED_TRIPLES: dict[tuple[int, int], tuple[Graph, list[tuple[Node, Node, Node]]]] = {}


@dataclass
class _Outcome:
    """One report's validation, as plain data a worker process sends back."""

    name: str  # the report file (or graph IRI)
    findings: list[Finding]
    results: list[tuple[Node, Node, Node]] | None = None  # pyshacl's report triples, when asked for


class _Validator:
    """What validating one report after another needs, built once per process: the shapes, the
    reference triples (documentation left out), their rdflib terms (converted once) and a template
    work graph holding them.

    Each report gets a fresh work graph: the template's rdflib indexes, shared until changed
    (:class:`_SharedMemory`, :func:`_copy_triples`) plus its own triples, and a
    fresh pyoxigraph copy for SPARQL (pyoxigraph's in-memory store keeps what is removed from it,
    so one store is not reused for report after report). The report's own terms are converted per
    report and dropped with it, so memory does not grow.
    """

    def __init__(self, store: ox.Store, shapes: Graph) -> None:
        self.store = store
        self.shapes = shapes
        self.reference = _without_documentation(graph_triples(store, str(REFERENCE_GRAPH)))
        self.reference_quads = [ox.Quad(s, p, o) for s, p, o in self.reference]
        self.reference_terms = _Converter()
        convert = self.reference_terms
        self.reference_rdflib = [(convert(s), convert(p), convert(o)) for s, p, o in self.reference]
        self.template = Graph(bind_namespaces="none")  # only read: copied into each work graph
        self.template.store.addN((s, p, o, self.template) for s, p, o in self.reference_rdflib)

    def work_graph(self) -> _WorkGraph:
        """A work graph holding the reference triples, for one report."""
        work = _WorkGraph(_SharedMemory())
        if not _copy_triples(self.template, work):
            work.store.addN((s, p, o, work) for s, p, o in self.reference_rdflib)
        work.sparql_store.extend(self.reference_quads)
        return work

    def validate(self, graph_iri: str, file_name: str, keep_results: bool) -> _Outcome:
        convert = _Converter(dict(self.reference_terms.memo))
        work = self.work_graph()
        work.add_oxigraph(graph_triples(self.store, graph_iri), convert)
        results = _run_pyshacl(work, self.shapes)
        findings = _findings_from_results(results, self.shapes, _GraphLookup(work), file_name)
        return _Outcome(file_name or graph_iri, findings, list(results) if keep_results else None)


class _SharedMemory(Memory):
    """rdflib's in-memory store, filled by :func:`_copy_triples` with another store's indexes shared,
    not copied: each inner dict is copied the first time a triple added or removed here would change
    it (copy on write), so the other store never sees a change made here (the other store is only
    read while its copies are in use: _Validator's template). The dicts end as a deep
    copy would leave them, keys in the same order: rdflib lists the same triples in the same order.

    Copying the reference graph's indexes whole (≈ 4,000 triples, three nested indexes) was a
    tenth of a report's validation; a report's own triples touch a few hundred inner dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.owned: set[int] = set()  # ids of the inner dicts that are this store's own (held by it)

    def _own(self, index: dict[Any, dict[Any, Any]], first: Any, second: Any) -> None:
        """Make index[first] and index[first][second] this store's own (copied when shared)."""
        inner = index.get(first)
        if inner is None:
            return
        if id(inner) not in self.owned:
            inner = index[first] = dict(inner)
            self.owned.add(id(inner))
        leaf = inner.get(second)
        if leaf is not None and id(leaf) not in self.owned:
            leaf = inner[second] = dict(leaf)
            self.owned.add(id(leaf))

    def _own_paths(self, triple: tuple[Any, Any, Any]) -> None:
        s, p, o = triple
        self._own(_private(self, "spo"), s, p)
        self._own(_private(self, "pos"), p, o)
        self._own(_private(self, "osp"), o, s)

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        self._own_paths(triple)
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        for triple, _ in list(self.triples(triple_pattern, context)):
            self._own_paths(triple)
        super().remove(triple_pattern, context)


def _private(store: Any, name: str) -> Any:
    """A private attribute of rdflib's ``Memory`` store (its name mangled by Python)."""
    return getattr(store, "_Memory__" + name)


def _copy_triples(source: Graph, target: Graph) -> bool:
    """Fill the empty ``target`` with ``source``'s triples by copying rdflib's in-memory indexes
    (nested dicts) instead of adding triple by triple (rdflib's ``Memory.add`` dispatches an event
    and re-indexes each one). Nothing is shared but the (immutable) terms, so changing either graph
    afterwards leaves the other as it was; into a :class:`_SharedMemory`, the inner dicts are shared
    until the target changes them (then the source must not change). Only for a plain ``Memory``
    source and a ``Memory`` (or ``_SharedMemory``) target whose one context is
    the graph itself; returns False (nothing done) otherwise, or when rdflib's internals are not
    the ones this was written for: the caller then adds the triples."""
    src, dst = source.store, target.store
    if type(src) is not Memory or type(dst) not in (Memory, _SharedMemory) or len(target):
        return False
    shared = isinstance(dst, _SharedMemory)  # its indexes' inner dicts copied when first changed
    try:
        old: str = _private(src, "ctx_to_str")(source)
        new: str = _private(dst, "ctx_to_str")(target)

        def field(name: str) -> Any:
            return _private(src, name)

        if set(field("contextTriples")) - {None, old} or field("all_contexts") - {source}:
            return False  # other graphs in the store: not ours to copy

        def renamed(contexts: dict[str | None, bool]) -> dict[str | None, bool]:
            return {new if key == old else key: quoted for key, quoted in contexts.items()}

        copied: dict[str, Any] = {
            name: dict(field(name))
            if shared
            else {a: {b: dict(c) for b, c in inner.items()} for a, inner in field(name).items()}
            for name in ("spo", "pos", "osp")
        }
        copied["tripleContexts"] = {t: renamed(c) for t, c in field("tripleContexts").items()}
        copied["contextTriples"] = {
            new if key == old else key: set(triples) for key, triples in field("contextTriples").items()
        }
        default = field("defaultContexts")
        copied["defaultContexts"] = None if default is None else renamed(default)
        copied["all_contexts"] = {target} if field("all_contexts") else set()
    except (AttributeError, TypeError):
        return False
    for name, value in copied.items():
        setattr(dst, "_Memory__" + name, value)
    if len(target) != len(source):  # pragma: no cover - rdflib changed: undo, let the caller add
        for name, value in vars(Memory()).items():
            if name.startswith("_Memory__"):
                setattr(dst, name, value)
        return False
    return True


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


# --- from SHACL results to findings ----------------------------------------------------------------


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
