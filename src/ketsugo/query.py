"""Running SPARQL on the built store or on a remote SPARQL 1.1 endpoint, binding catalogue
parameters, and writing results in the W3C result formats or as a terminal table.

Two backends answer the same query text the same way:

* :class:`LocalBackend` — the pyoxigraph store of `ketsugo build`, with the union of all graphs
  as the default graph; parameters are bound by the engine (pyoxigraph ``substitutions``).
* :class:`RemoteBackend` — any SPARQL 1.1 endpoint, through SPARQLWrapper. The default graph is
  made of the ketsugo graphs the endpoint holds (found once, sent as ``default-graph-uri``), so
  a plain Graph Store holding one graph per report answers like the local store. Parameters are
  bound by a ``VALUES`` block of RDF terms (each serialised by pyoxigraph, which escapes it),
  inserted right after the opening brace of the top-level WHERE group; user text is never
  pasted into the query.

A parameter value that is a quote, a brace or a SPARQL keyword is only ever an RDF term: it
matches nothing (or, for a type that must name something known, such as a category, it is
rejected with the close matches).
"""

from __future__ import annotations

import difflib
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ketsugo.normalize import compact
from ketsugo.sparql import DEFAULT_PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ketsugo.catalogue import CatalogueQuery

XSD = "http://www.w3.org/2001/XMLSchema#"
KG = "https://w3id.org/ketsugo#"
ID = "https://w3id.org/ketsugo/id/"
KGC = "https://w3id.org/ketsugo/id/category/"
GRAPH_NS = "https://w3id.org/ketsugo/graph/"

SELECT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "ntriples")
ALL_FORMATS = SELECT_FORMATS + GRAPH_FORMATS
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_QUERY_KEYWORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


class QueryError(Exception):
    """The user's input cannot be run: a bad parameter, an unknown name, an invalid query (exit 2)."""


class EndpointError(Exception):
    """A remote endpoint could not be reached or refused the request (exit 1)."""


# ------------------------------------------------------------------------------- query text


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def _scan(text: str) -> Iterable[tuple[str, int, int]]:
    """Spans of the text: ("code"|"comment"|"string"|"iri", start, end), in order."""
    i = 0
    n = len(text)
    code_start = 0
    while i < n:
        char = text[i]
        kind = None
        end = i
        if char == "#":
            end = text.find("\n", i)
            end = n if end == -1 else end
            kind = "comment"
        elif char in "'\"":
            triple = text[i : i + 3]
            if triple in ("'''", '"""'):
                close = text.find(triple, i + 3)
                while close != -1 and _escaped(text, close):
                    close = text.find(triple, close + 1)
                end = n if close == -1 else close + 3
            else:
                j = i + 1
                while j < n and text[j] != char and text[j] != "\n":
                    j += 2 if text[j] == "\\" else 1
                end = min(j + 1, n)
            kind = "string"
        elif char == "<":
            match = _IRIREF.match(text, i)
            if match:
                end = match.end()
                kind = "iri"
        if kind is None:
            i += 1
            continue
        if code_start < i:
            yield ("code", code_start, i)
        yield (kind, i, end)
        i = code_start = end
    if code_start < n:
        yield ("code", code_start, n)


def _escaped(text: str, position: int) -> bool:
    backslashes = 0
    while position - backslashes - 1 >= 0 and text[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def strip_comments_and_strings(text: str) -> str:
    """The text with comments, strings and IRIs blanked out (same length, so offsets hold)."""
    out = []
    for kind, start, end in _scan(text):
        piece = text[start:end]
        out.append(piece if kind == "code" else re.sub(r"[^\n]", " ", piece))
    return "".join(out)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; QueryError for an update or something else."""
    code = strip_comments_and_strings(text)
    for word in re.findall(r"(?<![?$:\w])[A-Za-z]+(?![\w:])", code):
        upper = word.upper()
        if upper in _QUERY_KEYWORDS:
            return upper
        if upper in _UPDATE_KEYWORDS:
            raise QueryError("SPARQL UPDATE is not run by ketsugo: only SELECT, ASK, CONSTRUCT and DESCRIBE")
    raise QueryError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")


def where_brace(text: str) -> int:
    """Offset of the `{` opening the top-level WHERE group of a query."""
    code = strip_comments_and_strings(text)
    depth = 0
    first_brace = None
    after_where = False
    form = query_form(text)
    for match in re.finditer(r"[{}]|(?<![?$:\w])WHERE\b", code, re.IGNORECASE):
        token = match.group()
        if token == "{":
            if depth == 0:
                if after_where:
                    return match.start()
                if first_brace is None:
                    first_brace = match.start()
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            after_where = True
    if first_brace is None or form == "CONSTRUCT":
        raise QueryError("cannot find the WHERE clause of the query")
    return first_brace


def values_block(bindings: dict[str, ox.Term]) -> str:
    """`VALUES (?a ?b) { (t1 t2) }` of RDF terms serialised by pyoxigraph (escaped N-Triples form)."""
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"not a variable name: {name!r}")
    terms = " ".join(_term_syntax(bindings[name]) for name in names)
    variables = " ".join(f"?{name}" for name in names)
    return f" VALUES ({variables}) {{ ({terms}) }} "


def _term_syntax(term: Any) -> str:
    import pyoxigraph as ox

    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise QueryError(f"only IRIs and literals can be bound, not {term!r}")
    return str(term)


def bind_by_values(text: str, bindings: dict[str, ox.Term]) -> str:
    """The query with a VALUES block of the bindings at the start of its WHERE group."""
    if not bindings:
        return text
    at = where_brace(text) + 1
    return text[:at] + values_block(bindings) + text[at:]


def prologue(prefixes: dict[str, str] = DEFAULT_PREFIXES) -> str:
    """PREFIX lines for the default prefixes (a query's own declarations, coming later, win)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())


# ----------------------------------------------------------------------------------- backends


def require_build(build_dir: Path) -> Path:
    """The on-disk store directory of a build; InputError (exit 2) when there is no build there."""
    from ketsugo.errors import InputError
    from ketsugo.records import Issue

    disk = build_dir / "store"
    if not disk.is_dir():
        raise InputError(
            Issue(str(build_dir), 0, "--store", "no ketsugo build here: run `ketsugo build --out DIR` first")
        )
    return disk


STORE_MODES = ("auto", "disk", "memory")
# Up to this size of graph.nq, `auto` loads the build into memory: on a small build, loading takes
# about as long as opening the on-disk store, and queries then run several times faster.
MEMORY_LOAD_LIMIT = 32 * 1024 * 1024


class LocalBackend:
    """The built store; default graph = union of all graphs.

    ``open`` reads a build directory: its pyoxigraph on-disk store (``store/``), or the same quads
    from ``graph.nq`` (written by the same build) loaded into an in-memory pyoxigraph store.
    """

    description = "embedded store"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def open(cls, build_dir: Path, mode: str = "auto") -> LocalBackend:
        import pyoxigraph as ox

        if mode not in STORE_MODES:
            raise QueryError(f"store mode must be one of {', '.join(STORE_MODES)}, not {mode!r}")
        disk = require_build(build_dir)
        nquads = build_dir / "graph.nq"
        if mode == "memory" or (
            mode == "auto" and nquads.is_file() and nquads.stat().st_size <= MEMORY_LOAD_LIMIT
        ):
            store = ox.Store()
            store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
            return cls(store)
        return cls(ox.Store.read_only(str(disk)))

    def execute(self, text: str, bindings: dict[str, ox.Term] | None = None) -> Any:
        import pyoxigraph as ox

        query_form(text)
        try:
            return self.store.query(
                text,
                use_default_graph_as_union=True,
                substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()} or None,
                prefixes=DEFAULT_PREFIXES,
            )
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from None
        except RuntimeError as exc:
            raise QueryError(str(exc)) from None


class RemoteBackend:
    """A SPARQL 1.1 endpoint (query URL), reached with SPARQLWrapper."""

    def __init__(self, url: str, timeout: float = 60.0, default_graphs: Sequence[str] | None = None) -> None:
        self.url = query_endpoint_url(url)
        self.timeout = timeout
        self._default_graphs = list(default_graphs) if default_graphs is not None else None
        self.description = f"endpoint {self.url}"

    def default_graphs(self) -> list[str]:
        """The ketsugo graphs on the endpoint (reports and reference), found once; [] if none."""
        if self._default_graphs is None:
            self._default_graphs = []
            found = self._request(
                prologue()
                + "SELECT DISTINCT ?g WHERE { { GRAPH ?g { ?r a kg:Report } } "
                + "UNION { GRAPH ?g { ?c a kg:DataItemCategory } } }",
                "SELECT",
                graphs=[],
            )
            self._default_graphs = sorted(s["g"].value for s in found if s["g"] is not None)
        return self._default_graphs

    def execute(self, text: str, bindings: dict[str, ox.Term] | None = None) -> Any:
        form = query_form(text)
        full = prologue() + bind_by_values(text, bindings or {})
        return self._request(full, form, graphs=self.default_graphs())

    def _request(self, text: str, form: str, graphs: list[str]) -> Any:
        import pyoxigraph as ox
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        from ketsugo import __version__

        wrapper = SPARQLWrapper(self.url, agent=f"ketsugo/{__version__}")
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setQuery(text)
        wrapper.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
        for graph in graphs:
            wrapper.addDefaultGraph(graph)
        try:
            response = wrapper.query().response
            body = response.read()
        except QueryBadFormed as exc:
            raise QueryError(f"the endpoint rejected the query: {_short(exc)}") from None
        except SPARQLWrapperException as exc:
            raise EndpointError(f"{self.url}: {_short(exc)}") from None
        except OSError as exc:  # URLError, HTTPError, timeouts
            raise EndpointError(f"{self.url}: {exc}") from None
        if form in ("SELECT", "ASK"):
            try:
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            except (SyntaxError, ValueError) as exc:
                raise EndpointError(f"{self.url}: unreadable SPARQL JSON results: {exc}") from None
        try:
            return [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(body, format=ox.RdfFormat.TURTLE)
            ]
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.url}: unreadable Turtle: {exc}") from None


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:500]


def query_endpoint_url(url: str) -> str:
    """A server root (``http://host:port`` or ``…/``) becomes Oxigraph's ``…/query``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"not an http(s) URL: {url!r}")
    if parts.path in ("", "/"):
        return urlunsplit((parts.scheme, parts.netloc, "/query", parts.query, ""))
    return url


def graph_store_url(url: str) -> str:
    """A server root or its ``/query`` URL becomes Oxigraph's Graph Store endpoint ``…/store``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"not an http(s) URL: {url!r}")
    path = parts.path
    if path in ("", "/"):
        path = "/store"
    elif path.endswith("/query") or path.endswith("/sparql"):
        path = path.rsplit("/", 1)[0] + "/store"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def select(backend: LocalBackend | RemoteBackend, text: str) -> list[dict[str, Any]]:
    """Rows of a SELECT query as dicts of pyoxigraph terms (None where unbound)."""
    solutions = backend.execute(text)
    variables = [v.value for v in solutions.variables]
    return [{v: solution[v] for v in variables} for solution in solutions]


# --------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class _NamedType:
    classes: tuple[str, ...]  # rdf:type of the things a value may name
    namespaces: tuple[str, ...]  # a bare slug is tried in these
    also_recipients: bool = False  # any counterparty node (by IRI only)


_NAMED_TYPES = {
    "category": _NamedType((KG + "DataItemCategory",), (KGC,)),
    "counterparty": _NamedType(
        (KG + "Organisation", KG + "PartyKind"), (ID + "org/", KG), also_recipients=True
    ),
    "sensitivity": _NamedType((KG + "Sensitivity",), (KG,)),
    "subject-class": _NamedType((KG + "DataSubjectClass",), (ID + "subject-class/",)),
    "decision-type": _NamedType((KG + "DecisionType",), (KG,)),
}


def lookup_key(text: str) -> str:
    """Two spellings of one name share this key: NFKC, dashes as "-", case folded, no white space."""
    return compact(text).casefold()


def expand_iri(text: str) -> str | None:
    """A full IRI (optionally in <>), or a prefixed name with a default prefix; None otherwise."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://", value):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in DEFAULT_PREFIXES and local and not local.startswith("//"):
        return DEFAULT_PREFIXES[prefix] + local
    return None


def _named_things(
    backend: LocalBackend | RemoteBackend, kind: _NamedType
) -> tuple[list[tuple[str, str]], dict[str, str], set[str]]:
    """(IRI, label) pairs of every thing of the type, a label to show per IRI, and every IRI."""
    classes = " ".join(f"<{c}>" for c in kind.classes)
    rows = select(
        backend,
        "SELECT DISTINCT ?thing ?label ?shown WHERE { VALUES ?class { "
        + classes
        + " } ?thing a ?class . OPTIONAL { ?thing rdfs:label|skos:prefLabel|skos:altLabel ?label }"
        + ' OPTIONAL { ?thing skos:prefLabel|rdfs:label ?shown FILTER(lang(?shown) = "ja") } }',
    )
    labelled: list[tuple[str, str]] = []
    shown: dict[str, str] = {}
    iris: set[str] = set()
    for row in rows:
        iri = row["thing"].value
        iris.add(iri)
        if row["label"] is not None:
            labelled.append((iri, row["label"].value))
        if row["shown"] is not None:
            shown[iri] = min(shown.get(iri, row["shown"].value), row["shown"].value)
    if kind.also_recipients:
        iris.update(
            r["thing"].value
            for r in select(backend, "SELECT DISTINCT ?thing WHERE { ?c dpv:hasRecipient ?thing }")
        )
    return labelled, shown, iris


def _slugs(text: str) -> list[str]:
    """Spellings of a slug or local name to try: as given, NFKC-normalised, and that in lower case."""
    from ketsugo.normalize import normalize

    found: list[str] = []
    for slug in (text.strip(), normalize(text), normalize(text).lower()):
        if slug and slug not in found and not re.search(r"[\s<>\"{}|^`\\]", slug):
            found.append(slug)
    return found


def _quick_resolve(backend: LocalBackend | RemoteBackend, kind: _NamedType, text: str) -> str | None:
    """The common cases in one small query: an IRI, prefixed name or slug, or a label spelled exactly.

    The candidates are RDF terms serialised by pyoxigraph (escaped), never raw user text.
    """
    import pyoxigraph as ox

    candidates: list[ox.Term] = []
    full = expand_iri(text)
    for iri in ([full] if full else []) + [ns + slug for ns in kind.namespaces for slug in _slugs(text)]:
        try:
            candidates.append(ox.NamedNode(iri))
        except ValueError:
            continue
    stripped = text.strip()
    labels = [ox.Literal(stripped, language="ja"), ox.Literal(stripped, language="en"), ox.Literal(stripped)]
    classes = " ".join(f"<{c}>" for c in kind.classes)
    parts = []
    if candidates:
        parts.append(
            "{ VALUES ?thing { "
            + " ".join(str(c) for c in candidates)
            + " } ?thing a ?class BIND(0 AS ?rank) }"
        )
        if kind.also_recipients:
            parts.append(
                "{ VALUES ?thing { "
                + " ".join(str(c) for c in candidates)
                + " } FILTER EXISTS { ?connection dpv:hasRecipient ?thing } BIND(0 AS ?rank) }"
            )
    parts.append(
        "{ VALUES ?label { "
        + " ".join(str(label) for label in labels)
        + " } ?thing rdfs:label|skos:prefLabel|skos:altLabel ?label ; a ?class BIND(1 AS ?rank) }"
    )
    rows = select(
        backend,
        "SELECT DISTINCT ?thing ?rank WHERE { VALUES ?class { "
        + classes
        + " } "
        + " UNION ".join(parts)
        + " }",
    )
    for rank in (0, 1):
        found = {r["thing"].value for r in rows if int(r["rank"].value) == rank}
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            return None  # ambiguous: the full look-up says so
    return None


def resolve_named(backend: LocalBackend | RemoteBackend, kind_name: str, text: str) -> str:
    """The IRI a label, alias, slug, prefixed name or IRI names; QueryError with close matches."""
    kind = _NAMED_TYPES[kind_name]
    quick = _quick_resolve(backend, kind, text)
    if quick is not None:
        return quick
    labelled, shown, iris = _named_things(backend, kind)
    candidates: list[str] = []
    full = expand_iri(text)
    if full is not None:
        candidates.append(full)
    candidates.extend(ns + slug for ns in kind.namespaces for slug in _slugs(text))
    for candidate in candidates:
        if candidate in iris:
            return candidate
    key = lookup_key(text)
    by_key: dict[str, set[str]] = {}
    for iri, label in labelled:
        by_key.setdefault(lookup_key(label), set()).add(iri)
    found = by_key.get(key, set())
    if len(found) == 1:
        return next(iter(found))

    def entry(iri: str) -> str:
        return f"{shown[iri]} <{iri}>" if iri in shown else f"<{iri}>"

    if len(found) > 1:
        names = ", ".join(entry(i) for i in sorted(found))
        raise QueryError(f"{kind_name} {text!r} is ambiguous: it names {names}; give the IRI")
    close_keys = [k for k in sorted(by_key) if key and (key in k or k in key)]
    close_keys += [
        k for k in difflib.get_close_matches(key, list(by_key), n=6, cutoff=0.6) if k not in close_keys
    ]
    close: list[str] = []
    for close_key in close_keys:
        for iri in sorted(by_key[close_key]):
            if entry(iri) not in close:
                close.append(entry(iri))
    hint = ("; close matches: " + "; ".join(close[:8])) if close else ""
    raise QueryError(f"unknown {kind_name} {text!r}{hint}")


def parse_param_options(options: Iterable[str]) -> dict[str, str]:
    """`--param k=v` options to a dict; QueryError for a malformed one or a repeated name."""
    values: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryError(f"--param takes NAME=VALUE, not {option!r}")
        if name in values:
            raise QueryError(f"--param {name} given twice")
        values[name] = value
    return values


def bind_parameters(
    query: CatalogueQuery, given: dict[str, str], backend: LocalBackend | RemoteBackend
) -> dict[str, ox.Term]:
    """RDF terms for the query's parameters: given values, else defaults; checked and resolved."""
    known = {p.name for p in query.parameters}
    unknown = sorted(set(given) - known)
    if unknown:
        listed = ", ".join(p.describe() for p in query.parameters) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (parameters: {listed})")
    bindings: dict[str, ox.Term] = {}
    for parameter in query.parameters:
        value = given.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                example = f", e.g. --param {parameter.name}={parameter.example}" if parameter.example else ""
                raise QueryError(
                    f"query {query.name} needs --param {parameter.name}=… ({parameter.type}{example})"
                )
            continue
        bindings[parameter.name] = parameter_term(parameter.type, value, backend, parameter.name)
    return bindings


def parameter_term(kind: str, value: str, backend: LocalBackend | RemoteBackend, name: str = "") -> ox.Term:
    import pyoxigraph as ox

    label = f"--param {name}" if name else kind
    if kind in _NAMED_TYPES:
        if not value.strip():
            raise QueryError(f"{label}: empty {kind}")
        return ox.NamedNode(resolve_named(backend, kind, value))
    if kind == "date":
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise QueryError(f"{label}: {value!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"{label}: {value!r} is not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "iri":
        full = expand_iri(value)
        try:
            return ox.NamedNode(full if full is not None else value.strip())
        except ValueError:
            raise QueryError(f"{label}: {value!r} is not an IRI") from None
    return ox.Literal(value)


# --------------------------------------------------------------------------------- running


@dataclass
class Outcome:
    """What a query gave: SELECT rows, an ASK answer, or triples (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: list[str] | None = None
    rows: list[list[Any]] | None = None  # pyoxigraph terms, None where unbound
    boolean: bool | None = None
    triples: list[Any] | None = None
    raw: Any = None  # the engine's one-shot result, for serialising without copying

    def records(self) -> list[dict[str, Any]]:
        from ketsugo.sparql import to_python

        assert self.variables is not None and self.rows is not None
        return [{v: to_python(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]


def run(
    backend: LocalBackend | RemoteBackend, text: str, bindings: dict[str, ox.Term] | None = None
) -> Outcome:
    """Run a query and collect its result (rows, boolean or triples)."""
    import pyoxigraph as ox

    form = query_form(text)
    result = backend.execute(text, bindings)
    if isinstance(result, ox.QueryBoolean):
        return Outcome("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[solution[v] for v in variables] for solution in result]
        return Outcome("SELECT", variables=variables, rows=rows)
    return Outcome(form, triples=[t if isinstance(t, ox.Triple) else t.triple for t in result])


def run_catalogue_query(
    backend: LocalBackend | RemoteBackend, query: CatalogueQuery, given: dict[str, str] | None = None
) -> Outcome:
    outcome = run(backend, query.text, bind_parameters(query, given or {}, backend))
    if query.lists and outcome.rows is not None and outcome.variables is not None:
        sort_list_cells(outcome, query.lists)
    return outcome


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Sort key comparing runs of digits by value: "No.2" before "No.10"."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part]


def sort_list_cells(outcome: Outcome, lists: dict[str, str]) -> None:
    """Sort the elements of GROUP_CONCAT cells (whose order SPARQL leaves open), keeping each literal's type."""
    import pyoxigraph as ox

    assert outcome.variables is not None and outcome.rows is not None
    for column, separator in lists.items():
        if column not in outcome.variables:
            continue
        index = outcome.variables.index(column)
        for row in outcome.rows:
            term = row[index]
            if not isinstance(term, ox.Literal) or separator not in term.value:
                continue
            value = separator.join(sorted(term.value.split(separator), key=natural_key))
            if term.language:
                row[index] = ox.Literal(value, language=term.language)
            else:
                row[index] = ox.Literal(value, datatype=term.datatype)


# ---------------------------------------------------------------------------------- output


def write_outcome(outcome: Outcome, fmt: str, out: IO[bytes], *, color: bool = False) -> None:
    """Write a result: W3C SPARQL 1.1 JSON/CSV/TSV, Turtle/N-Triples, or a terminal table."""
    import pyoxigraph as ox

    if outcome.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in (*GRAPH_FORMATS, "table"):
            raise QueryError(f"a {outcome.form} result is a graph: use --format turtle or ntriples")
        rdf_format = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        prefixes = DEFAULT_PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
        data = ox.serialize(outcome.triples or [], format=rdf_format, prefixes=prefixes)
        out.write(data or b"")
        return
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"a {outcome.form} result is a table: use --format table, csv, tsv or json")
    if fmt == "table":
        out.write(render_table(outcome, color=color).encode("utf-8"))
        return
    out.write(serialize_results(outcome, fmt))


def serialize_results(outcome: Outcome, fmt: str) -> bytes:
    """The result in a W3C SPARQL 1.1 Query Results format (serialised by pyoxigraph)."""
    import pyoxigraph as ox

    results_format = {
        "json": ox.QueryResultsFormat.JSON,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }[fmt]
    # pyoxigraph serialises only its own result objects: rebuild one from the rows through the
    # (lossless) W3C JSON form.
    return ox.parse_query_results(to_sparql_json(outcome), format=ox.QueryResultsFormat.JSON).serialize(
        format=results_format
    )


def to_sparql_json(outcome: Outcome) -> bytes:
    import json

    if outcome.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(outcome.boolean)}).encode("utf-8")
    assert outcome.variables is not None and outcome.rows is not None
    bindings = []
    for row in outcome.rows:
        binding = {}
        for variable, term in zip(outcome.variables, row, strict=True):
            if term is not None:
                binding[variable] = _json_term(term)
        bindings.append(binding)
    data = {"head": {"vars": outcome.variables}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        entry = {"type": "literal", "value": term.value}
        if term.language:
            entry["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype.value != XSD + "string":
            entry["datatype"] = term.datatype.value
        return entry
    raise QueryError(f"cannot write {term!r} as SPARQL JSON")


def display(term: Any) -> str:
    """A term as shown in a table: IRIs with a known prefix shortened, literals as their text."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def compact_iri(iri: str) -> str:
    best = None
    for prefix, namespace in DEFAULT_PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return iri
    return f"{best[0]}:{iri[len(best[1]) :]}"


def render_table(outcome: Outcome, *, color: bool = False, width: int | None = None) -> str:
    """A readable table (rich; East Asian wide characters are aligned) and the row count."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or _terminal_width(),
        highlight=False,
        emoji=False,
        markup=False,
    )
    if outcome.form == "ASK":
        console.print("true" if outcome.boolean else "false")
        return buffer.getvalue()
    assert outcome.variables is not None and outcome.rows is not None
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold" if color else "")
    for variable in outcome.variables:
        table.add_column(variable, overflow="fold")
    for row in outcome.rows:
        table.add_row(*(display(term) for term in row))
    console.print(table)
    count = len(outcome.rows)
    console.print(f"{count} row{'s' if count != 1 else ''}")
    return buffer.getvalue()


def _terminal_width() -> int:
    import shutil

    if sys.stdout.isatty():
        return shutil.get_terminal_size((120, 24)).columns
    return 200


# ------------------------------------------------------------------------ pushing to a store


@dataclass(frozen=True)
class LoadedGraph:
    graph: str
    triples: int
    status: int


def load_to_graph_store(store: ox.Store, url: str, timeout: float = 60.0) -> list[LoadedGraph]:
    """PUT every named graph of the store to a SPARQL 1.1 Graph Store endpoint (N-Triples).

    One request per graph (each report's graph and the reference graph), replacing what the
    endpoint held under that name. ``url`` is the Graph Store endpoint, or a server root /
    ``…/query`` URL, taken as Oxigraph's ``…/store``.
    """
    import urllib.error
    import urllib.request
    from urllib.parse import quote

    import pyoxigraph as ox

    from ketsugo import __version__

    target = graph_store_url(url)
    loaded = []
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        request = urllib.request.Request(
            f"{target}?graph={quote(graph.value, safe='')}",
            data=body,
            method="PUT",
            headers={"Content-Type": "application/n-triples", "User-Agent": f"ketsugo/{__version__}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:300]
            raise EndpointError(
                f"{target}: PUT of graph <{graph.value}> refused: HTTP {exc.code} {detail}"
            ) from None
        except OSError as exc:
            raise EndpointError(f"{target}: {exc}") from None
        loaded.append(LoadedGraph(graph.value, len(triples), status))
    return loaded
