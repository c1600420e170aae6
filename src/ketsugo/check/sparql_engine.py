"""The SPARQL engine of ``ketsugo validate``: the SHACL shapes compiled into SPARQL SELECT queries
that pyoxigraph runs on the store itself, one query per constraint across every report graph.

pyshacl validates one report at a time (≈ 1 s of CPU a report: a national build takes a
quarter of an hour). The shapes use a small part of SHACL Core plus SPARQL-based constraints
and targets (``scripts/shacl_features.py`` lists what they use); each of those is written here
as a query over ``GRAPH ?ketsugoGraph {…}`` (the report) and the reference graph, as pyshacl
sees them merged (:mod:`ketsugo.check.sparql_rewrite` puts each triple pattern in the graph that can
hold it). A shape using anything else is not compiled: :func:`compile_shapes` says which and why,
and ``ketsugo validate`` leaves those shapes to pyshacl.

The findings are the ones pyshacl gives (focus, path, value, severity, messages, source shape,
report): message templates are filled as pyshacl fills them (``re.sub`` with the value's text),
duplicate rows dropped as pyshacl drops them, a node shape's SPARQL result without ``?value``
reports the focus node as its value. tests/test_validate_engines.py compares both engines.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from ketsugo.check.findings import (
    Finding,
    _curie,
    _GraphReader,
    _GraphsLookup,
    _kind,
    _label,
    _where,
    to_rdflib,
)
from ketsugo.check.sparql_rewrite import (
    GRAPH_VAR,
    RDF_TYPE,
    Placement,
    Rewriter,
    Unsupported,
    Where,
    _join,
    tokenize,
)
from ketsugo.graph.vocab import KG
from ketsugo.prefixes import PREFIXES

# Every sh: term the compiler understands; anything else in a shape leaves it to pyshacl.
SUPPORTED_FEATURES = frozenset(
    "sh:" + name
    for name in [
        "NodeShape",
        "PropertyShape",
        "SPARQLConstraint",
        "SPARQLTarget",
        "Violation",
        "Warning",
        "Info",
        "targetClass",
        "targetSubjectsOf",
        "targetObjectsOf",
        "target",
        "select",
        "prefixes",
        "declare",
        "prefix",
        "namespace",
        "property",
        "path",
        "inversePath",
        "alternativePath",
        "zeroOrMorePath",
        "oneOrMorePath",
        "zeroOrOnePath",
        "minCount",
        "maxCount",
        "datatype",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "in",
        "pattern",
        "flags",
        "class",
        "sparql",
        "message",
        "severity",
        "name",
        "description",
        "order",
        "group",
    ]
)
_IGNORED = {"sh:name", "sh:description", "sh:order", "sh:group", "sh:message", "sh:severity"}
_SH = str(SH)
_CASTABLE = {  # datatypes SPARQL can cast a string to: a literal of one is well-typed when the cast works
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time")
}
_SEVERITY_NAMES: dict[URIRef, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Check:
    """One constraint as one query, and what pyshacl would say about each of its rows."""

    shape: Node  # the source shape (a property shape for core constraints)
    component: URIRef  # sh:…ConstraintComponent
    query: str
    severity: str
    messages: list[Literal]  # templates, with their language
    path: Node | None  # the shape's sh:path (the result path when a row gives none)
    constraint: Node | None = None  # the sh:sparql node
    sparql: bool = False  # a SPARQL-based constraint: fill the templates, the focus is the value
    node_shape: bool = False
    seconds: float = 0.0
    rows: int = 0


@dataclass
class Compiled:
    checks: list[Check] = field(default_factory=list)
    fallback: dict[Node, str] = field(default_factory=dict)  # node shape → why it is left to pyshacl
    # the predicates the checks' triple patterns can match (None: any, a variable predicate)
    predicates: frozenset[str] | None = None


@dataclass(frozen=True)
class Row:
    """One distinct result: report graph, focus, path, value and the other selected variables."""

    graph: str
    focus: Any
    path: Any
    value: Any
    others: tuple[tuple[str, Any], ...]


def _curie_sh(node: Node) -> str:
    text = str(node)
    return "sh:" + text[len(_SH) :] if text.startswith(_SH) else text


# --- reading the shapes --------------------------------------------------------------------------


def _prefixes(shapes: Graph, owner: Node) -> dict[str, str]:
    """sh:prefixes → sh:declare → (sh:prefix, sh:namespace), as a dict."""
    found: dict[str, str] = {}
    for holder in shapes.objects(owner, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                found[str(prefix)] = str(namespace)
    return found


def _path_text(shapes: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return path.n3()
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(_path_text(shapes, p) for p in Collection(shapes, path)) + ")"
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return template.format(_path_text(shapes, inner))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    raise Unsupported(f"a path this engine does not know: {path!r}")


def _severity(shapes: Graph, shape: Node) -> str:
    severity = shapes.value(shape, SH.severity)
    return _SEVERITY_NAMES.get(severity, "Violation") if isinstance(severity, URIRef) else "Violation"


def _messages(shapes: Graph, *nodes: Node | None) -> list[Literal]:
    return [
        m
        for node in nodes
        if node is not None
        for m in shapes.objects(node, SH.message)
        if isinstance(m, Literal)
    ]


def _unsupported_terms(shapes: Graph, shape: Node, allowed: set[str]) -> list[str]:
    """sh: predicates of a shape this engine does not compile."""
    return sorted(
        {
            _curie_sh(p)
            for p in shapes.predicates(shape, None)
            if str(p).startswith(_SH) and _curie_sh(p) not in allowed
        }
    )


_NODE_SHAPE_TERMS = {
    "sh:targetClass",
    "sh:targetSubjectsOf",
    "sh:targetObjectsOf",
    "sh:target",
    "sh:property",
    "sh:sparql",
    "sh:prefixes",
    *_IGNORED,
}
_PROPERTY_TERMS = {
    "sh:path",
    "sh:minCount",
    "sh:maxCount",
    "sh:datatype",
    "sh:minInclusive",
    "sh:maxInclusive",
    "sh:minExclusive",
    "sh:maxExclusive",
    "sh:in",
    "sh:pattern",
    "sh:flags",
    "sh:class",
    *_IGNORED,
}


# --- compiling ---------------------------------------------------------------------------------------


def values_clause(graphs: Iterable[str]) -> str:
    """The report graphs a compiled query checks, as it writes them (one VALUES clause a target)."""
    return f"VALUES {GRAPH_VAR} {{ {' '.join(f'<{g}>' for g in graphs)} }}"


class Compiler:
    """Shapes → queries, for one store (where each predicate lives) and its report graphs."""

    def __init__(
        self,
        shapes: Graph,
        placement: Placement,
        graphs: list[str],
        reference_iri: str,
        subclasses: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.shapes = shapes
        self.placement = placement
        self.subclasses = subclasses  # a class and its subclasses, when the store knows them all
        self.reference_iri = reference_iri
        self.values = values_clause(graphs)

    def rewriter(self, prefixes: dict[str, str]) -> Rewriter:
        return Rewriter({**PREFIXES, **prefixes}, self.placement, self.reference_iri)

    def compile(self) -> Compiled:
        compiled = Compiled()
        for shape in _node_shapes(self.shapes):
            try:
                compiled.checks.extend(self._node_shape(shape))
            except Unsupported as exc:
                compiled.fallback[shape] = str(exc)
        return compiled

    def _node_shape(self, shape: Node) -> list[Check]:
        unknown = _unsupported_terms(self.shapes, shape, _NODE_SHAPE_TERMS)
        if unknown:
            raise Unsupported("uses " + ", ".join(unknown))
        if (shape, SH.deactivated, None) in self.shapes:
            raise Unsupported("sh:deactivated")
        targets = self._targets(shape)
        checks = [self._sparql(shape, c, targets) for c in self.shapes.objects(shape, SH.sparql)]
        for property_shape in self.shapes.objects(shape, SH.property):
            checks.extend(self._property_shape(property_shape, targets))
        return checks

    # --- targets: one subquery giving (?ketsugoGraph, ?this) once each
    def _targets(self, shape: Node) -> str:
        shapes = self.shapes
        rewriter = self.rewriter({})
        groups: list[str] = []
        for cls in shapes.objects(shape, SH.targetClass):
            known = self.subclasses(str(cls)) if self.subclasses is not None else None
            if known is None:
                groups.append(
                    rewriter.group(
                        f"{{ ?this a ?ketsugoClass . ?ketsugoClass <{RDFS.subClassOf}>* {cls.n3()} }}"
                    )
                )
            else:  # each class by name: a look-up of its instances, in the graph(s) that type them
                groups.extend(rewriter.group(f"{{ ?this a <{c}> }}") for c in known)
        for predicate in shapes.objects(shape, SH.targetSubjectsOf):
            groups.append(rewriter.group(f"{{ ?this {predicate.n3()} ?ketsugoObject }}"))
        for predicate in shapes.objects(shape, SH.targetObjectsOf):
            groups.append(rewriter.group(f"{{ ?ketsugoSubject {predicate.n3()} ?this }}"))
        for target in shapes.objects(shape, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) not in shapes:
                raise Unsupported("an sh:target that is not an sh:SPARQLTarget")
            select = _Select.read(str(shapes.value(target, SH.select)))
            if select.projection != ["?this"] or select.modifiers:
                raise Unsupported("a SPARQL target other than SELECT ?this WHERE {…}")
            groups.append(self.rewriter(_prefixes(shapes, target)).group(select.where))
        if not groups:
            raise Unsupported("no target this engine reads")
        union = " UNION ".join(groups)
        return f"{{ SELECT DISTINCT {GRAPH_VAR} ?this WHERE {{ {self.values} {union} }} }}"

    # --- SPARQL-based constraints
    def _sparql(self, shape: Node, constraint: Node, targets: str) -> Check:
        shapes = self.shapes
        if (constraint, SH.deactivated, None) in shapes:
            raise Unsupported("a deactivated SPARQL constraint")
        select = _Select.read(str(shapes.value(constraint, SH.select)))
        if "?failure" in select.projection or "$failure" in select.projection:
            raise Unsupported("?failure")
        rewriter = self.rewriter(_prefixes(shapes, constraint))
        where = rewriter.group(select.where, targets)
        messages = _messages(shapes, constraint, shape)  # pyshacl: the constraint's first
        if not messages:
            raise Unsupported("a SPARQL constraint without sh:message")
        return Check(
            shape=shape,
            component=SH.SPARQLConstraintComponent,
            query=select.assemble(where, rewriter.prefixes),
            severity=_severity(shapes, shape),
            messages=messages,
            path=None,
            constraint=constraint,
            sparql=True,
            node_shape=True,
        )

    # --- core constraints of a property shape
    def _property_shape(self, shape: Node, targets: str) -> list[Check]:
        shapes = self.shapes
        unknown = _unsupported_terms(shapes, shape, _PROPERTY_TERMS)
        if unknown:
            raise Unsupported(f"property shape {shape} uses " + ", ".join(unknown))
        path = shapes.value(shape, SH.path)
        if path is None:
            raise Unsupported(f"property shape {shape} without sh:path")
        messages = _messages(shapes, shape)
        if not messages:
            raise Unsupported(f"property shape {shape} without sh:message")
        p = _path_text(shapes, path)
        bodies: list[tuple[URIRef, str]] = []
        for count in shapes.objects(shape, SH.minCount):
            n = int(str(count))
            if n == 1:  # MINUS, not FILTER NOT EXISTS: one anti-join, not one look-up per focus node
                # (the same rows: every solution of the path binds ?this, always bound on the left)
                body = f"SELECT ?this WHERE {{ MINUS {{ ?this {p} ?ketsugoValue }} }}"
            else:
                body = (
                    f"SELECT ?this WHERE {{ OPTIONAL {{ ?this {p} ?ketsugoValue }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?ketsugoValue) < {n})"
                )
            if n > 0:
                bodies.append((SH.MinCountConstraintComponent, body))
        for count in shapes.objects(shape, SH.maxCount):
            bodies.append(
                (
                    SH.MaxCountConstraintComponent,
                    f"SELECT ?this WHERE {{ ?this {p} ?ketsugoValue }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?ketsugoValue) > {int(str(count))})",
                )
            )
        value_filters: list[tuple[URIRef, str]] = []
        for datatype in shapes.objects(shape, SH.datatype):
            test = f"isLiteral(?value) && sameTerm(DATATYPE(?value), {datatype.n3()})"
            if str(datatype) in _CASTABLE:
                test += f" && COALESCE({datatype.n3()}(STR(?value)) = {datatype.n3()}(STR(?value)), false)"
            value_filters.append((SH.DatatypeConstraintComponent, f"FILTER (!({test}))"))
        for predicate, operator, component in (
            (SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
            (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
            (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
            (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent),
        ):
            for bound in shapes.objects(shape, predicate):
                value_filters.append(
                    (component, f"FILTER (!COALESCE(?value {operator} {bound.n3()}, false))")
                )
        for members in shapes.objects(shape, SH["in"]):
            allowed = " || ".join(f"sameTerm(?value, {m.n3()})" for m in Collection(shapes, members))
            value_filters.append((SH.InConstraintComponent, f"FILTER (!({allowed or 'false'}))"))
        flags = shapes.value(shape, SH.flags)
        for pattern in shapes.objects(shape, SH.pattern):
            arguments = Literal(str(pattern)).n3() + (f", {Literal(str(flags)).n3()}" if flags else "")
            value_filters.append(
                (
                    SH.PatternConstraintComponent,
                    f"FILTER (isBlank(?value) || !REGEX(STR(?value), {arguments}))",
                )
            )
        for cls in shapes.objects(shape, SH["class"]):
            value_filters.append(
                (
                    SH.ClassConstraintComponent,
                    # MINUS as for sh:minCount: every solution binds ?value
                    f"MINUS {{ ?value a ?ketsugoType . ?ketsugoType <{RDFS.subClassOf}>* {cls.n3()} }}",
                )
            )
        for component, test in value_filters:
            bodies.append((component, f"SELECT ?this ?value WHERE {{ ?this {p} ?value . {test} }}"))
        checks = []
        rewriter = self.rewriter({})
        for component, body in bodies:
            select = _Select.read(body)
            checks.append(
                Check(
                    shape=shape,
                    component=component,
                    query=select.assemble(rewriter.group(select.where, targets), rewriter.prefixes),
                    severity=_severity(shapes, shape),
                    messages=messages,
                    path=path,
                )
            )
        return checks


def _node_shapes(shapes: Graph) -> list[Node]:
    """Shapes with targets of their own (property shapes are reached through sh:property)."""
    found: set[Node] = set()
    for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.targetNode):
        found.update(shapes.subjects(predicate, None))
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        found.add(shape)
    return sorted(found, key=str)


_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)


@dataclass
class _Select:
    """SELECT [DISTINCT] projection WHERE { … } modifiers, cut into its parts."""

    head: str  # SELECT or SELECT DISTINCT
    projection: list[str]  # as written: variables, (expr AS ?v), or *
    projection_text: str
    where: str
    modifiers: str

    @classmethod
    def read(cls, text: str) -> _Select:
        if "PREFIX" in text.upper().split("SELECT", 1)[0]:
            raise Unsupported("PREFIX inside sh:select")
        tokens = tokenize(text)
        if not tokens or tokens[0].upper() != "SELECT":
            raise Unsupported("not a SELECT query")
        at = 1
        head = "SELECT"
        if at < len(tokens) and tokens[at].upper() in ("DISTINCT", "REDUCED"):
            head += " " + tokens[at].upper()
            at += 1
        start = at
        while at < len(tokens) and tokens[at].upper() != "WHERE" and tokens[at].text != "{":
            at += 1
        projection = [t.text for t in tokens[start:at]]
        if at < len(tokens) and tokens[at].upper() == "WHERE":
            at += 1
        depth = 0
        for index in range(at, len(tokens)):
            if tokens[index].text == "{":
                depth += 1
            elif tokens[index].text == "}":
                depth -= 1
                if depth == 0:
                    end = index + 1
                    break
        else:
            raise Unsupported("unbalanced braces in sh:select")
        rest = tokens[end:]
        modifiers = " ".join(t.text for t in rest)
        if any(t.upper() in ("LIMIT", "OFFSET", "ORDER", "VALUES") for t in rest):
            raise Unsupported("LIMIT, OFFSET, ORDER BY or VALUES after the WHERE clause")
        projection_text = _join(projection)
        if _AGGREGATE.search(projection_text) and "GROUP" not in modifiers.upper():
            raise Unsupported("an aggregate without GROUP BY")
        # the WHERE group keeps its original text (strings with spaces and escapes) for the rewriter
        return cls(head, projection, projection_text, _group_text(text), modifiers)

    def assemble(self, where: str, prefixes: dict[str, str]) -> str:
        """The query over every report: ?ketsugoGraph selected and grouped by, the targets first."""
        projection = "*" if self.projection == ["*"] else f"{GRAPH_VAR} {self.projection_text}"
        modifiers = re.sub(r"(?i)\bGROUP\s+BY\b", f"GROUP BY {GRAPH_VAR}", self.modifiers, count=1)
        body = where
        header = "".join(f"PREFIX {p}: <{n}>\n" for p, n in prefixes.items())
        return f"{header}{self.head} {projection} WHERE {body} {modifiers}"


def _group_text(text: str) -> str:
    """The text of the first balanced { … } group (strings skipped), as written."""
    tokens = tokenize(text)
    depth = 0
    pieces: list[str] = []
    for token in tokens:
        if token.text == "{":
            depth += 1
        if depth:
            pieces.append(token.text)
        if token.text == "}":
            depth -= 1
            if depth == 0:
                break
    return _join(pieces)


# --- running ---------------------------------------------------------------------------------------------


def _where_in(store: ox.Store, reference_iri: str, predicate: str) -> Where:
    """Where the triples of one predicate are: the reference graph, report graphs or both."""
    return _placed(store, reference_iri, ox.NamedNode(predicate), None)


def _class_in(store: ox.Store, reference_iri: str, cls: str) -> Where:
    """Where the ``?x rdf:type <cls>`` triples are."""
    return _placed(store, reference_iri, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls))


def _placed(store: ox.Store, reference_iri: str, predicate: ox.NamedNode, obj: ox.NamedNode | None) -> Where:
    reference = ox.NamedNode(reference_iri)
    in_reference = next(iter(store.quads_for_pattern(None, predicate, obj, reference)), None) is not None
    in_reports = any(q.graph_name != reference for q in store.quads_for_pattern(None, predicate, obj, None))
    if in_reference and in_reports:
        return "both"
    return "reference" if in_reference else "report"


def _subclasses_known(store: ox.Store, reference_iri: str, _: str = "") -> bool:
    """Whether only the reference graph has rdfs:subClassOf triples (then its classes are known)."""
    reference = ox.NamedNode(reference_iri)
    sub_class_of = ox.NamedNode(str(RDFS.subClassOf))
    return not any(q.graph_name != reference for q in store.quads_for_pattern(None, sub_class_of, None, None))


def _subclasses_of(store: ox.Store, reference_iri: str, cls: str) -> tuple[str, ...]:
    """A class and its subclasses (rdfs:subClassOf*) in the reference graph, sorted."""
    rows = store.query(
        f"SELECT DISTINCT ?c WHERE {{ GRAPH <{reference_iri}> {{ ?c <{RDFS.subClassOf}>* <{cls}> }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    return tuple(sorted({cls} | {row["c"].value for row in rows if isinstance(row["c"], ox.NamedNode)}))


# what compiling may ask the store: (kind, argument) → answer
_QUESTIONS: dict[str, Callable[[ox.Store, str, str], object]] = {
    "where": _where_in,
    "class": _class_in,
    "subclasses known": _subclasses_known,
    "subclasses": _subclasses_of,
}
Asked = tuple[str, str, object]  # kind, argument, answer


class _Answers:
    """The store's answers to what compiling asks, each remembered in the order asked: compiling is
    a function of the shapes, the graphs and these answers, so a store giving the same answers to
    the same questions gets the same queries (see :func:`compile_shapes`)."""

    def __init__(self, store: ox.Store, reference_iri: str) -> None:
        self.store = store
        self.reference_iri = reference_iri
        self.asked: list[Asked] = []

    def __call__(self, kind: str, argument: str = "") -> Any:
        answer = _QUESTIONS[kind](self.store, self.reference_iri, argument)
        self.asked.append((kind, argument, answer))
        return answer

    def same(self, asked: Iterable[Asked]) -> bool:
        """Whether this store answers every question as another store did."""
        return all(_QUESTIONS[k](self.store, self.reference_iri, a) == answer for k, a, answer in asked)


def store_placement(store: ox.Store, reference_iri: str, answers: _Answers | None = None) -> Placement:
    """Where each predicate's triples are in this store: the reference graph, report graphs or both."""
    ask = answers if answers is not None else _Answers(store, reference_iri)
    return Placement(lambda predicate: ask("where", predicate), lambda cls: ask("class", cls))


def store_subclasses(
    store: ox.Store, reference_iri: str, answers: _Answers | None = None
) -> Callable[[str], list[str]] | None:
    """A class and its subclasses (rdfs:subClassOf*), read from the reference graph; None when a
    report graph has rdfs:subClassOf triples too (then the query follows the path itself)."""
    ask = answers if answers is not None else _Answers(store, reference_iri)
    if not ask("subclasses known"):
        return None
    return lambda cls: list(ask("subclasses", cls))


# compiled shapes, by (shapes graph, its triples, reference graph): each with the answers it was
# compiled with, and the shapes graph itself (so that its id names it while kept). Compiled for
# _GRAPHS, whose VALUES clause each caller's report graphs then replace (the rewrite copies the
# targets' text as it is). A few kept: one process validates one build; tests, a few kinds of store.
_GRAPHS = "urn:ketsugo:compiled-for-the-report-graphs"
_Key = tuple[int, frozenset[Any], str]
_COMPILED: dict[_Key, list[tuple[list[Asked], Compiled, Graph]]] = {}
_COMPILED_KEPT = 8


def compile_shapes(store: ox.Store, shapes: Graph, graphs: list[str], reference_iri: str) -> Compiled:
    """The shapes as queries for this store.

    Compiled once for the same shapes graph with the same triples and a store that answers what
    compiling asks (where a predicate lives, …) as the store compiled for did, whatever its graphs:
    the queries are then the same (checking the answers costs a few index look-ups; compiling,
    tenths of a second). Each caller gets its own checks (run_check writes its timings in them)."""
    key = (id(shapes), frozenset(shapes), reference_iri)
    answers = _Answers(store, reference_iri)
    for asked, compiled, _ in _COMPILED.get(key, []):
        if answers.same(asked):
            return _for_graphs(compiled, graphs)
    placement = store_placement(store, reference_iri, answers)
    subclasses = store_subclasses(store, reference_iri, answers)
    compiled = Compiler(shapes, placement, [_GRAPHS], reference_iri, subclasses).compile()
    compiled.predicates = None if placement.any_predicate else frozenset(placement.predicates)
    if key not in _COMPILED and len(_COMPILED) >= _COMPILED_KEPT:
        del _COMPILED[next(iter(_COMPILED))]  # the oldest
    kept = _COMPILED.setdefault(key, [])
    kept.insert(0, (answers.asked, compiled, shapes))
    del kept[_COMPILED_KEPT:]
    return _for_graphs(compiled, graphs)


def _for_graphs(compiled: Compiled, graphs: list[str]) -> Compiled:
    """A copy of the checks compiled for _GRAPHS, with the report graphs' VALUES clause instead."""
    placeholder, values = values_clause([_GRAPHS]), values_clause(graphs)
    return Compiled(
        [dataclasses.replace(c, query=c.query.replace(placeholder, values)) for c in compiled.checks],
        dict(compiled.fallback),
        compiled.predicates,
    )


def run_check(store: ox.Store, check: Check) -> list[Row]:
    """The check's distinct rows (pyshacl drops duplicate rows of one focus node too)."""
    started = time.perf_counter()
    answer = store.query(check.query)
    if not isinstance(answer, ox.QuerySolutions):
        raise Unsupported("not a SELECT")
    names = [v.value for v in answer.variables]
    others = [n for n in names if n not in (GRAPH_VAR[1:], "this", "path", "value")]
    seen: dict[Row, None] = {}
    for solution in answer:
        graph = solution[GRAPH_VAR[1:]]
        focus = solution["this"] if "this" in names else None
        path = solution["path"] if "path" in names else None
        value = solution["value"] if "value" in names else None
        if graph is None or (focus is None and path is None and value is None):
            continue
        row = Row(
            graph.value,
            focus,
            path,
            value,
            tuple((n, solution[n]) for n in others if solution[n] is not None),
        )
        seen.setdefault(row, None)
    check.seconds = time.perf_counter() - started
    check.rows = len(seen)
    return list(seen)


def fill(template: str, row: Row) -> str:
    """A message template filled as pyshacl fills it: each bound variable, with ``re.sub``."""
    values: dict[str, Any] = dict(row.others)
    for name, term in (("this", row.focus), ("path", row.path), ("value", row.value)):
        if term is not None:
            values[name] = term
    for name, term in values.items():
        template = re.sub(f"{{[?$]{name}}}", term.value, template)
    return template


def timed(log: Callable[[str], None] | None, checks: Iterable[Check]) -> None:
    if log is None:
        return
    for check in sorted(checks, key=lambda c: -c.seconds)[:10]:
        log(f"  {check.seconds:6.2f} s  {check.rows:6d} row(s)  {check.shape} ({_curie_sh(check.component)})")


# --- rows → findings -----------------------------------------------------------------------------------


def _finding(check: Check, row: Row, shapes: Graph, look: _GraphsLookup, report_file: str) -> Finding:
    """What pyshacl reports for this row (see validate_pyshacl._findings_from_results)."""
    focus = to_rdflib(row.focus)
    value_term = row.value
    if value_term is None and check.sparql and check.node_shape:
        value_term = row.focus  # pyshacl: a node shape's result has the focus node as its value
    value = value_term.value if value_term is not None else None
    if check.sparql and isinstance(value_term, ox.Literal) and value is not None:
        value = value.replace("\\\\", "\\")  # the shapes double backslashes for pyshacl's re.sub
    messages: dict[str, str] = {}
    for template in check.messages:
        text = fill(str(template), row) if check.sparql else str(template)
        messages.setdefault(template.language or "en", text)
    en = messages.get("en") or next(iter(messages.values()), "")
    ja = messages.get("ja") or _label(shapes, check.shape, "ja", en)
    path = to_rdflib(row.path) if row.path is not None else check.path
    where = _where(look, focus, report_file)
    return Finding(
        severity=check.severity,
        shape=_curie(check.shape) if isinstance(check.shape, URIRef) else "(anonymous shape)",
        focus=str(focus),
        message_ja=ja,
        message_en=en,
        value=value,
        path=_curie(path) if isinstance(path, URIRef) else None,
        kind=_kind(shapes, check.shape, focus, look),
        **where.__dict__,
    )


def _result_triples(check: Check, row: Row, finding: Finding) -> list[tuple[Node, Node, Node]]:
    """The finding as an sh:ValidationResult, for the Turtle report."""
    node = BNode()
    triples: list[tuple[Node, Node, Node]] = [
        (node, RDF.type, SH.ValidationResult),
        (node, SH.sourceShape, check.shape),
        (node, SH.sourceConstraintComponent, check.component),
        (node, SH.resultSeverity, SH[check.severity]),
        (node, SH.focusNode, to_rdflib(row.focus)),
        (node, SH.resultMessage, Literal(finding.message_ja, lang="ja")),
        (node, SH.resultMessage, Literal(finding.message_en, lang="en")),
        (node, KG.findingKind, Literal(finding.kind)),
    ]
    if check.constraint is not None:
        triples.append((node, SH.sourceConstraint, check.constraint))
    path = to_rdflib(row.path) if row.path is not None else check.path
    if isinstance(path, URIRef):
        triples.append((node, SH.resultPath, path))
    if finding.value is not None:
        value = row.value if row.value is not None else (row.focus if check.node_shape else None)
        term = to_rdflib(value) if value is not None else Literal(finding.value)
        if isinstance(term, Literal):
            term = Literal(finding.value, lang=term.language, datatype=term.datatype)
        triples.append((node, SH.value, term))
    return triples


@dataclass
class SparqlOutcome:
    findings: list[Finding]
    results: Graph | None
    checks: list[Check]


def sparql_findings(
    store: ox.Store,
    graphs: list[tuple[str, str]],
    shapes: Graph,
    checks: list[Check],
    reference_iri: str,
    keep_results: bool,
    jobs: int = 1,
) -> SparqlOutcome:
    """Run every compiled check on the store; each row becomes the finding pyshacl would give.

    The queries run over the whole store on ``jobs`` threads (pyoxigraph evaluates them outside
    Python's lock, so two cores share the work); the findings are made in this thread, in the
    order of the checks, each check's as soon as its rows are there (while the next queries run).
    An on-disk store is better checked a chunk of reports at a time
    (:func:`ketsugo.check.sparql_chunks.chunked_findings`: linear in the number of reports)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        answers = pool.map(lambda check: run_check(store, check), checks)
        return findings_from_rows(store, graphs, shapes, checks, answers, reference_iri, keep_results)


def findings_from_rows(
    store: ox.Store,
    graphs: list[tuple[str, str]],
    shapes: Graph,
    checks: list[Check],
    answers: Iterable[list[Row]],
    reference_iri: str,
    keep_results: bool,
) -> SparqlOutcome:
    """Each check's rows as the findings pyshacl would give, in the order of the checks."""
    files = dict(graphs)
    lookups: dict[str, _GraphsLookup] = {}
    convert: dict[Any, Node] = {}  # pyoxigraph → rdflib terms, for every report
    reference = _GraphReader(store, reference_iri, convert)  # for every report, read as asked
    findings: list[Finding] = []
    triples: list[list[tuple[Node, Node, Node]]] = []
    for check, rows in zip(checks, answers, strict=True):
        for row in rows:
            look = lookups.get(row.graph)
            if look is None:
                look = lookups[row.graph] = _GraphsLookup(store, row.graph, reference, convert)
            finding = _finding(check, row, shapes, look, files.get(row.graph, ""))
            findings.append(finding)
            if keep_results:
                triples.append(_result_triples(check, row, finding))
    return SparqlOutcome(findings, result_graph(triples) if keep_results else None, checks)


def result_graph(results: Iterable[list[tuple[Node, Node, Node]]]) -> Graph:
    """One sh:ValidationReport with each finding's sh:ValidationResult (its node first)."""
    graph = Graph(bind_namespaces="none")
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    for triples in results:
        graph.add((report, SH.result, triples[0][0]))
        for triple in triples:
            graph.add(triple)
    return graph


def without_targets(shapes: Graph, compiled: Iterable[Node]) -> Graph:
    """The shapes graph with the compiled node shapes' targets taken away: what pyshacl still checks."""
    done = set(compiled)
    targets = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.targetNode}
    left = Graph(bind_namespaces="none")
    left.addN((s, p, o, left) for s, p, o in shapes if not (s in done and p in targets))
    return left


def validate_graph_sparql(
    data: Graph, reference: Graph | None = None, *, report_file: str = "", shapes: Graph | None = None
) -> tuple[list[Finding], Graph, list[str]]:
    """One report's triples (plus the reference triples) checked by the SPARQL engine, in an
    in-memory store: the counterpart of :func:`ketsugo.check.pyshacl_engine.validate_graph`. Shapes
    that do not compile for this data are left to pyshacl, as ``--engine auto`` does; their IRIs
    are returned third."""
    from ketsugo.check.shapes import load_shapes
    from ketsugo.graph.vocab import REFERENCE_GRAPH
    from ketsugo.store.disk import shared_quads, to_quads

    shapes = load_shapes() if shapes is None else shapes
    store = ox.Store()
    graph_iri = "https://w3id.org/ketsugo/graph/validate-graph"
    store.extend(to_quads([(URIRef(graph_iri), data)]))
    if reference is not None:
        store.extend(shared_quads(reference, str(REFERENCE_GRAPH)))
    compiled = compile_shapes(store, shapes, [graph_iri], str(REFERENCE_GRAPH))
    outcome = sparql_findings(
        store, [(graph_iri, report_file)], shapes, compiled.checks, str(REFERENCE_GRAPH), True
    )
    assert outcome.results is not None
    findings, results = outcome.findings, outcome.results
    if compiled.fallback:  # as `--engine auto` does: pyshacl for the shapes that did not compile
        from ketsugo.check.pyshacl_engine import validate_graph

        done = {s for s in _node_shapes(shapes) if s not in compiled.fallback}
        more, more_results = validate_graph(
            data, reference, report_file=report_file, shapes=without_targets(shapes, done)
        )
        findings += more
        results += more_results
    return findings, results, sorted(str(s) for s in compiled.fallback)
