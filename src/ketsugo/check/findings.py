"""Findings of `ketsugo validate`: what one is, where it is on paper, which kind it is.

Both engines (pyshacl, :mod:`ketsugo.check.pyshacl_engine`; the compiled SPARQL queries,
:mod:`ketsugo.check.sparql_engine`) and the cross-report queries make :class:`Finding` objects
with the helpers here, so a finding reads the same whichever engine found it.

Each finding is of one of four kinds, never mixed (``ketsugo.errors.FINDING_KINDS``):
"report" (the report itself is wrong or incomplete), "disclosure" (what a reader cannot learn
from the report, e.g. a vendor named only by its kind: Info only, common practice rather than a
fault), "reading" (the text could not be read as expected) and "curation" (ketsugo's own
registries do not know a name: Info only, never a reason to distrust the report). A shape says its kind with ``kg:findingKind`` in its
Turtle; a kg:ParseIssue node's own ``kg:findingKind`` wins for the findings about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Identifier, Node

from ketsugo import prefixes
from ketsugo.errors import FINDING_KINDS
from ketsugo.graph.vocab import DPV, KG
from ketsugo.prefixes import PREFIXES, compact_iri
from ketsugo.store.disk import to_predicate, to_subject
from ketsugo.store.disk import to_term as to_oxigraph  # rdflib → pyoxigraph, one term

KGSH = Namespace(prefixes.KGSH)

SEVERITIES = ("Violation", "Warning", "Info")  # most severe first
SEVERITY_JA = {"Violation": "違反", "Warning": "警告", "Info": "情報"}
_SH_SEVERITY: dict[str, URIRef] = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
# keyed by any node (or none): a result's sh:resultSeverity as read from its graph
_SEVERITY_OF: dict[Node | None, str] = {iri: name for name, iri in _SH_SEVERITY.items()}
KIND_HEADINGS = {  # the four sections of the text output (English / Japanese)
    "report": ("The report itself", "報告書の記載について"),
    "disclosure": (
        "Disclosure gaps: what a reader cannot learn from the report (common practice, not an error)",
        "開示の不足：報告書からは分からないこと（よくある書き方で、誤りではない）",
    ),
    "reading": ("Reading the report", "報告書の読み取りについて"),
    "curation": (
        "Curation notes: ketsugo's own knowledge is incomplete",
        "ketsugo の登録簿・語彙への追加候補",
    ),
}
DEFAULT_KIND = "report"
_XSD_STRING = prefixes.XSD + "string"
# the IRI ketsugo.graph.vocab.parse_issue mints for a finding noted while reading (kg:ParseIssue)
_PARSE_ISSUE_IRI = re.compile(re.escape(prefixes.KID) + r"report/[^/]+/[0-9]+/issue/[0-9]+")


class InternalError(Exception):
    """A failure inside ketsugo or a library it runs (a bug), as opposed to the user's input."""


# --- findings ---------------------------------------------------------------------------------------


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
    # every connection concerned (a shared counterparty: several), sorted; new and ended ones are
    # numbered apart: new No.1 and ended No.1 give (1, 1)
    connections: tuple[int, ...] = ()
    section: str = ""  # "new" (section (2)) or "ended" (section (3)) for a connection
    # the same numbers by section (new and ended are numbered apart: ended No.1 is not No.1)
    new_connections: tuple[int, ...] = ()
    ended_connections: tuple[int, ...] = ()
    department: str = ""  # the 結合を行った課 cell as written
    line: int | None = None  # 1-based line in the report file
    value: str | None = None
    path: str | None = None
    kind: str = DEFAULT_KIND  # "report" | "disclosure" | "reading" | "curation" (FINDING_KINDS)

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        """Pickled as its fields in order (a worker process sends tens of thousands): a third of
        the bytes of the default (a dict of field names), read back in half the time."""
        return (type(self), tuple(getattr(self, name) for name in _FINDING_FIELDS))

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
            "new_connections": list(self.new_connections),
            "ended_connections": list(self.ended_connections),
            "department": self.department,
            "line": self.line,
            "value": self.value,
            "path": self.path,
            "message": {"ja": self.message_ja, "en": self.message_en},
            "noted_while_reading": self.noted_while_reading,
        }

    @property
    def noted_while_reading(self) -> bool:
        """Whether `ketsugo build` noted this while reading the report (a kg:ParseIssue, counted in
        its "finding(s) while reading"), as opposed to one of validate's own checks."""
        return bool(_PARSE_ISSUE_IRI.fullmatch(self.focus))

    def where(self) -> str:
        """FILE:LINE No.N DEPARTMENT, as far as known."""
        parts = [f"{self.report or '?'}:{self.line}" if self.line else (self.report or "(store)")]
        if self.connections:
            parts.append(self.numbers())
        if self.department:
            parts.append(self.department)
        return "  ".join(parts)

    def numbered(self) -> list[tuple[bool, int]]:
        """(ended?, No.) of each connection concerned, the new ones first: a report numbers its
        ended connections apart, so ended No.1 is another connection than No.1."""
        if self.new_connections or self.ended_connections:
            new, ended = self.new_connections, self.ended_connections
        elif self.section == "ended":  # a finding made without them (by hand, or an old pickle)
            new, ended = (), self.connections
        else:
            new, ended = self.connections, ()
        return [(False, n) for n in new] + [(True, n) for n in ended]

    def numbers(self, language: str = "") -> str:
        """ "No.2, 終了No.1 / ended No.1": an ended connection marked as the briefing marks it, in
        ``language`` ("ja" or "en"; both when not given)."""
        new = [f"No.{n}" for ended, n in self.numbered() if not ended]
        gone = [n for ended, n in self.numbered() if ended]
        if gone:
            ja = ", ".join(f"終了No.{n}" for n in gone)
            en = ", ".join(f"ended No.{n}" for n in gone)
            new.append({"ja": ja, "en": en}.get(language, f"{ja} / {en}"))
        return ", ".join(new)


_FINDING_FIELDS = tuple(Finding.__dataclass_fields__)


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
    "report, reading, curation or all; a bare SEVERITY means report:SEVERITY and reading:violation "
    "(a report ketsugo could not read whole, built with --lenient, fails too)."
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
            bare = not kind.strip()
            kind = kind.strip().lower() or DEFAULT_KIND
            severity = severity.strip().capitalize()
            if severity not in SEVERITIES or kind not in (*FINDING_KINDS, "all"):
                raise ValueError(f"cannot read {part!r}: {FAIL_ON_HELP}")
            kinds = FINDING_KINDS if kind == "all" else (kind,)
            pairs.extend((k, severity) for k in kinds)
            if bare:  # what the report says can only be checked where it was read: an unread part fails
                pairs.append(("reading", "Violation"))
    return pairs


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


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


# --- where a finding is on paper -------------------------------------------------------------------


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


class _GraphIndex:
    """A small graph's triples (the reference graph), read once: (s, p) → objects, (p, o) → subjects.

    Validations read the reference graph as asked (:class:`_GraphReader`), indexing it whole only
    after many look-ups."""

    def __init__(self, quads: Iterable[ox.Quad], convert: dict[Any, Node]):
        self.forward: dict[tuple[Node, Node], list[Node]] = {}
        self.backward: dict[tuple[Node, Node], list[Node]] = {}
        for quad in quads:
            s, p, o = (_converted(convert, term) for term in (quad.subject, quad.predicate, quad.object))
            self.forward.setdefault((s, p), []).append(o)
            self.backward.setdefault((p, o), []).append(s)

    def objects_of(self, key: tuple[Node, Node], subject: Any, predicate: ox.NamedNode) -> list[Node]:
        """The objects of ``key`` (subject, predicate), given also as pyoxigraph terms."""
        return self.forward.get(key, [])

    def subjects_of(self, key: tuple[Node, Node], predicate: ox.NamedNode, obj: Any) -> list[Node]:
        """The subjects of ``key`` (predicate, object), given also as pyoxigraph terms."""
        return self.backward.get(key, [])


class _GraphReader(_GraphIndex):
    """The answers of :class:`_GraphIndex` made from the graph afresh (same lists, same order), each
    read from the store when first asked and remembered.

    Indexing a build's reference graph up front converted all its terms (≈ 4,000 quads, tens of
    ms) for the few dozen look-ups one validation makes, and every build's reference graph differs
    (it describes the organisations the build's reports name), so no index was reused across
    builds. pyoxigraph answers a pattern in the order of a scan of the graph (a store keeps one
    order per index), so each list is the one the whole graph's index holds. After
    ``read_all_after`` look-ups (an on-disk store, whose look-ups cost tens of µs, with findings in
    many reports) the graph is indexed whole after all."""

    def __init__(self, store: ox.Store, graph: str, convert: dict[Any, Node], read_all_after: int = 2000):
        super().__init__((), convert)
        self.store = store
        self.graph = ox.NamedNode(graph)
        self.convert = convert
        self.left = read_all_after  # look-ups before the graph is indexed whole
        self.whole: _GraphIndex | None = None

    def objects_of(self, key: tuple[Node, Node], subject: Any, predicate: ox.NamedNode) -> list[Node]:
        if self.whole is not None:
            return self.whole.forward.get(key, [])
        found = self.forward.get(key)
        if found is None:
            if self._indexed():
                return self.objects_of(key, subject, predicate)
            quads = self.store.quads_for_pattern(subject, predicate, None, self.graph)
            found = self.forward[key] = [_converted(self.convert, q.object) for q in quads]
        return found

    def subjects_of(self, key: tuple[Node, Node], predicate: ox.NamedNode, obj: Any) -> list[Node]:
        if self.whole is not None:
            return self.whole.backward.get(key, [])
        found = self.backward.get(key)
        if found is None:
            if self._indexed():
                return self.subjects_of(key, predicate, obj)
            quads = self.store.quads_for_pattern(None, predicate, obj, self.graph)
            found = self.backward[key] = [_converted(self.convert, q.subject) for q in quads]
        return found

    def _indexed(self) -> bool:
        """Count a look-up; whether the graph has just been indexed whole instead."""
        self.left -= 1
        if self.left >= 0:
            return False
        self.whole = _GraphIndex(self.store.quads_for_pattern(None, None, None, self.graph), self.convert)
        return True


def _converted(convert: dict[Any, Node], term: Any) -> Node:
    found = convert.get(term)
    if found is None:
        found = convert[term] = to_rdflib(term)
    return found


_PREDICATES: dict[Node, ox.NamedNode] = {}  # rdflib → pyoxigraph, the few predicates looked up


class _GraphsLookup:
    """The same look-ups on one report's data graph (its named graph and the reference graph), as
    pyshacl sees it; a node shared by several reports (an organisation) is then looked up in this
    report only.

    Each look-up in the report's graph is one index look-up, remembered (the findings of one report
    ask about the same few nodes again and again); the reference graph's answers come from
    ``reference`` (an index, or a :class:`_GraphReader`), shared by every report, as is ``convert``
    (pyoxigraph term → rdflib term)."""

    def __init__(self, store: ox.Store, graph: str, reference: _GraphIndex, convert: dict[Any, Node]):
        self.store = store
        self.graph = ox.NamedNode(graph)
        self.reference = reference
        self.convert = convert
        self.back: dict[Node, Any] = {}  # rdflib term → pyoxigraph term, for the terms converted here
        self.forward: dict[tuple[Node, Node], list[Node]] = {}
        self.backward: dict[tuple[Node, Node], list[Node]] = {}

    def _rdflib(self, term: Any) -> Node:
        found = _converted(self.convert, term)
        self.back[found] = term
        return found

    def _predicate(self, predicate: Node) -> ox.NamedNode:
        found = _PREDICATES.get(predicate)
        if found is None:
            found = _PREDICATES[predicate] = to_predicate(predicate)
        return found

    def _oxigraph(self, term: Node) -> Any:
        found = self.back.get(term)
        return found if found is not None else to_oxigraph(term)

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        if not isinstance(subject, URIRef | BNode):
            return []
        key = (subject, predicate)
        found = self.forward.get(key)
        if found is None:
            term = self._oxigraph(subject)
            quads = self._quads(term, predicate, None, forward=True)
            mine = [self._rdflib(q.object) for q in quads]
            theirs = self.reference.objects_of(key, term, self._predicate(predicate))
            found = self.forward[key] = list(dict.fromkeys(mine + theirs))
        return found

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        key = (predicate, obj)
        found = self.backward.get(key)
        if found is None:
            term = self._oxigraph(obj)
            quads = self._quads(None, predicate, term, forward=False)
            mine = [self._rdflib(q.subject) for q in quads]
            theirs = self.reference.subjects_of(key, self._predicate(predicate), term)
            found = self.backward[key] = list(dict.fromkeys(mine + theirs))
        return found

    def _quads(self, subject: Any, predicate: Node, obj: Any, *, forward: bool) -> Iterable[ox.Quad]:
        """The report graph's quads of one look-up (``forward``: objects of a subject, else
        subjects of an object); a subclass may read them elsewhere or in another order."""
        return self.store.quads_for_pattern(subject, self._predicate(predicate), obj, self.graph)


# the terms _where and _kind ask about, read once (rdflib's namespace look-ups cost in a loop)
_TYPE: URIRef = RDF.type
_CONNECTION: URIRef = KG.Connection
_PARSE_ISSUE: URIRef = KG.ParseIssue
_IN_REPORT: URIRef = KG.inReport
_SOURCE_LINE: URIRef = KG.sourceLine
_NUMBER: URIRef = KG.connectionNumber
_DEPARTMENTS: URIRef = KG.departmentsAsWritten
_STATUS: URIRef = KG.status
_ENDED: URIRef = KG.EndedConnection
_REPORT: URIRef = KG.Report
_SOURCE_FILE: URIRef = KG.sourceFile
_FINDING_KIND: URIRef = KG.findingKind
_PARENT_LINKS = (
    KG.hasDataItem,
    DPV.hasRecipient,
    DPV.hasDataSource,  # the counterparty of a 受領 row (docs/model.md, Counterparties)
    DPV.hasDataSubject,
    DPV.hasPurpose,
    KG.citesStatute,
)
# every predicate _where and _kind look up (ketsugo.check.sparql_chunks copies these quads of a report);
# tests/test_locating_predicates.py records their look-ups and fails when one is missing here
LOCATING_PREDICATES = frozenset(
    str(p)
    for p in (
        _TYPE,
        _IN_REPORT,
        _SOURCE_LINE,
        _NUMBER,
        _DEPARTMENTS,
        _STATUS,
        _SOURCE_FILE,
        _FINDING_KIND,
        *_PARENT_LINKS,
    )
)


@dataclass(frozen=True)
class _Where:
    report: str = ""
    connection: int | None = None
    connections: tuple[int, ...] = ()
    section: str = ""
    new_connections: tuple[int, ...] = ()
    ended_connections: tuple[int, ...] = ()
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
    types = set(look.objects(focus, _TYPE))
    connections: list[Node] = []
    if _CONNECTION in types:
        connections = [focus]
    elif _PARSE_ISSUE in types:  # the connection read from the same line of the same report
        # the nodes on its line (few), then of those the connections of its report (asked node by
        # node: listing every node of a report, thousands, cost more than the finding)
        in_reports = set(look.objects(focus, _IN_REPORT))
        connections = [
            c
            for line in look.objects(focus, _SOURCE_LINE)
            for c in look.subjects(_SOURCE_LINE, line)
            if not in_reports.isdisjoint(look.objects(c, _IN_REPORT))
            and _CONNECTION in look.objects(c, _TYPE)
        ]
    else:
        for link in _PARENT_LINKS:
            connections = look.subjects(link, focus)
            if connections:
                break
    own_lines = _ints(look.objects(focus, _SOURCE_LINE))
    lines = own_lines or _ints(n for c in connections for n in look.objects(c, _SOURCE_LINE))
    departments = list(dict.fromkeys(str(d) for c in connections for d in look.objects(c, _DEPARTMENTS)))
    status_of = {c: set(look.objects(c, _STATUS)) for c in connections}
    statuses = {s for found in status_of.values() for s in found}
    section = ""
    if len(statuses) == 1:
        section = "ended" if _ENDED in statuses else "new"
    ended_numbers = _ints(n for c in connections if _ENDED in status_of[c] for n in look.objects(c, _NUMBER))
    new_numbers = _ints(
        n for c in connections if _ENDED not in status_of[c] for n in look.objects(c, _NUMBER)
    )
    # new No.1 and ended No.1 are two connections: 1 twice, and no single "connection"
    # (new_connections / ended_connections tell them apart)
    numbers = sorted([*new_numbers, *ended_numbers])
    reports = [r for c in connections for r in look.objects(c, _IN_REPORT)] or look.objects(focus, _IN_REPORT)
    if _REPORT in types:
        reports = [focus]
    files = sorted({str(f) for r in reports for f in look.objects(r, _SOURCE_FILE)})
    return _Where(
        report=", ".join(files) or report_file,
        connection=numbers[0] if len(numbers) == 1 else None,
        connections=tuple(numbers),
        section=section,
        new_connections=tuple(new_numbers),
        ended_connections=tuple(ended_numbers),
        department="; ".join(departments),
        line=lines[0] if lines else None,
    )


@lru_cache(maxsize=4096)  # a finding's shape and path: a few dozen, asked for every finding
def _curie(node: Node) -> str:
    return compact_iri(str(node), {**PREFIXES, "kgsh": prefixes.KGSH})


def _kind(shapes: Graph, shape: Node | None, focus: Node | None, look: Any) -> str:
    """The finding's kind: the ParseIssue's own, else the shape's (or its node shape's) kg:findingKind."""
    if focus is not None and _PARSE_ISSUE in look.objects(focus, _TYPE):
        for kind in look.objects(focus, _FINDING_KIND):
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


def _label(shapes: Graph, shape: Node | None, language: str, fallback: str) -> str:
    if shape is not None:
        for label in shapes.objects(shape, RDFS.label):
            if isinstance(label, Literal) and label.language == language:
                return f"{label}: {fallback}"
    return fallback
