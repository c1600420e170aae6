"""Running SPARQL on the built store or on a remote SPARQL 1.1 endpoint, binding catalogue
parameters, and writing results in the W3C result formats or as a terminal table.

This is the one place queries are run: :func:`run` (any backend, any query form) returns an
:class:`Outcome`; ``ketsugo.sparql.select`` is a shorthand for a SELECT on a store.

Two backends answer the same query text the same way:

* :class:`LocalBackend` — the pyoxigraph store of `ketsugo build`, with the union of all graphs
  as the default graph; parameters are bound by the engine (pyoxigraph ``substitutions``).
* :class:`RemoteBackend` — any SPARQL 1.1 endpoint, through SPARQLWrapper. The default graph is
  made of the ketsugo graphs the endpoint holds (found once, sent as ``default-graph-uri``), so
  a plain Graph Store holding one graph per report answers like the local store. Parameters are
  bound by a ``VALUES`` block of RDF terms (each serialised by pyoxigraph, which escapes it),
  inserted right after the opening brace of the top-level WHERE group; user text is never
  pasted into the query. A catalogue query may therefore use a parameter only where both
  bindings mean the same (:func:`misplaced_parameters`; checked when the catalogue is read).

Look-ups that need several candidate values (the names a parameter may stand for) bind them as
rows of a ``VALUES`` block on both backends (``run(…, rows=…)``), also as RDF terms.

Network: ketsugo never fetches vocabularies or data at run time. This module talks only to the
endpoint a user names with --endpoint — typically `ketsugo serve` on http://127.0.0.1:PORT, or a
shared SPARQL server — and the tests use a local Oxigraph server on 127.0.0.1 only.

A parameter value that is a quote, a brace or a SPARQL keyword is only ever an RDF term: it
matches nothing (or, for a type that must name something known, such as a category, it is
rejected with the close matches).
"""

from __future__ import annotations

import difflib
import io
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ketsugo.errors import EXIT_INPUT_ERROR, KetsugoError, ServiceError
from ketsugo.normalize import match_key
from ketsugo.prefixes import KG, KGC, KID, PREFIXES, XSD, compact_iri

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ketsugo.catalogue import CatalogueQuery
    from ketsugo.terms import OxTerm

DEFAULT_PREFIXES = PREFIXES  # every query may use these without declaring them
SELECT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "ntriples")
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_QUERY_KEYWORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}

Row = Mapping[str, "OxTerm"]


class QueryError(KetsugoError):
    """The user's input cannot be run: a bad parameter, an unknown name, an invalid query (exit 2)."""

    exit_code = EXIT_INPUT_ERROR


class EndpointError(ServiceError):
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
        upper: str = word.upper()
        if upper in _QUERY_KEYWORDS:
            return upper
        if upper in _UPDATE_KEYWORDS:
            raise QueryError("SPARQL UPDATE is not run by ketsugo: only SELECT, ASK, CONSTRUCT and DESCRIBE")
    raise QueryError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")


# SERVICE as a keyword: not part of a variable, prefixed name or longer word (strings, comments
# and IRIs are blanked out first). A match is confirmed by rdflib's parser, which tells a
# prefixed name such as ex:a.SERVICE from the keyword; text rdflib cannot parse is refused.
_SERVICE_WORD = re.compile(r"(?<![?$:\w-])SERVICE(?![\w:-])", re.IGNORECASE)


def uses_service(text: str) -> bool:
    """Whether a query or update has a SERVICE clause (which would reach another endpoint)."""
    if not _SERVICE_WORD.search(strip_comments_and_strings(text)):
        return False
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for parse in (parseQuery, parseUpdate):
        try:
            tree = parse(text)
        except Exception:
            continue
        return _has_service(tree)
    return True


def _has_service(node: Any) -> bool:
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(v) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_has_service(v) for v in node)
    return False


SERVICE_REFUSED = (
    "the query has a SERVICE clause, which would make ketsugo send a request to another "
    "SPARQL endpoint over the network: refused (give --allow-service to allow it)"
)


def refuse_service(text: str, allow_service: bool = False) -> None:
    """QueryError for a SERVICE clause unless the user allowed it."""
    if not allow_service and uses_service(text):
        raise QueryError(SERVICE_REFUSED)


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


def _closing(code: str, opening: int, pair: str = "{}") -> int:
    """Offset of the bracket closing the one at ``opening`` (len(code) when unbalanced)."""
    depth = 0
    for i in range(opening, len(code)):
        if code[i] == pair[0]:
            depth += 1
        elif code[i] == pair[1]:
            depth -= 1
            if depth == 0:
                return i
    return len(code)


def misplaced_parameters(text: str, names: Iterable[str]) -> dict[str, str]:
    """Parameters the two bindings (engine substitution locally, a top-level VALUES block remotely)
    could give different answers for, each with where it is used.

    A VALUES block at the top of the WHERE group joins with the group's solutions: a variable
    used in triple patterns anywhere in the group (UNION branches, OPTIONAL) means the same
    under both. It does not reach into a sub-SELECT (whose variables are its own), nor into an
    expression evaluated inside a nested group before the join (FILTER or BIND in a UNION
    branch, a MINUS or GRAPH group, a sub-group); a FILTER directly in an OPTIONAL group is fine
    (it is evaluated on the joined solution).
    """
    code = strip_comments_and_strings(text)
    top = where_brace(text)
    spans: list[tuple[int, int, str]] = []
    # sub-SELECTs: from the `{` enclosing the keyword to its matching `}`
    openings: list[int] = []
    for match in re.finditer(r"[{}]|(?<![?$:\w])(?:SELECT|FILTER|BIND)\b", code, re.IGNORECASE):
        token = match.group()
        if token == "{":
            openings.append(match.start())
            continue
        if token == "}":
            if openings:
                openings.pop()
            continue
        if match.start() < top or not openings:
            continue
        group = openings[-1]
        if token.upper() == "SELECT":
            spans.append((group, _closing(code, group), "inside a sub-SELECT"))
            continue
        if group == top:
            continue  # an expression of the top-level group sees the VALUES bindings
        if token.upper() == "FILTER" and re.search(r"OPTIONAL\s*$", code[:group], re.IGNORECASE):
            continue
        expression = re.compile(r"\s*(?:[A-Za-z_][\w:]*\s*)?\(").match(code, match.end())
        if expression is None:  # FILTER EXISTS / NOT EXISTS { … }: a pattern, joined as usual
            continue
        opening = expression.end() - 1
        spans.append((opening, _closing(code, opening, "()"), f"in a {token.upper()} inside a nested group"))
    found: dict[str, str] = {}
    for name in names:
        variable = re.compile(r"[?$]" + re.escape(name) + r"(?![A-Za-z0-9_])")
        for start, end, where in spans:
            if variable.search(code, start, end + 1):
                found.setdefault(name, where)
    return found


def values_block(rows: Sequence[Row]) -> str:
    """`VALUES (?a ?b) { (t1 t2) … }` of RDF terms serialised by pyoxigraph (escaped N-Triples
    form); a variable a row leaves out is UNDEF there."""
    names: list[str] = []
    for row in rows:
        names.extend(name for name in row if name not in names)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"not a variable name: {name!r}")
    lines = " ".join(
        "(" + " ".join(_term_syntax(row[name]) if name in row else "UNDEF" for name in names) + ")"
        for row in rows
    )
    variables = " ".join(f"?{name}" for name in names)
    return f" VALUES ({variables}) {{ {lines} }} "


def _term_syntax(term: Any) -> str:
    import pyoxigraph as ox

    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise QueryError(f"only IRIs and literals can be bound, not {term!r}")
    return str(term)


def bind_by_values(text: str, rows: Row | Sequence[Row]) -> str:
    """The query with a VALUES block of the given rows (or one row) at the start of its WHERE group.

    One empty row (no binding) leaves the text as it is; an empty list of rows binds no
    solution at all (the query then answers nothing).
    """
    if isinstance(rows, Mapping):
        if not rows:
            return text
        rows = [rows]
    at = where_brace(text) + 1
    return text[:at] + values_block(rows) + text[at:]


def prologue(prefixes: dict[str, str] = DEFAULT_PREFIXES) -> str:
    """PREFIX lines for the default prefixes (a query's own declarations, coming later, win)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())


def syntax_message(exc: BaseException, text: str) -> str:
    """A short account of the engine's parse error: its first line, the place, the predefined prefixes.

    pyoxigraph lists every character class it would have accepted; only the first line of its
    message (without the classes) is kept, and the line of the query is shown with a caret.
    """
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
    place = re.match(r"error at (\d+):(\d+): ", first)
    detail = first[place.end() :] if place else first
    if detail.startswith("expected one of"):
        tokens = [t for t in re.findall(r'"(?:[^"\\]|\\.)*"|\b[A-Z][A-Z_]+\b', detail) if t != "Prefix"]
        detail = "expected one of " + ", ".join(tokens) if tokens else "unexpected text"
    predefined = "predefined: " + ", ".join(f"{p}:" for p in DEFAULT_PREFIXES)
    shown = detail
    if "prefix not found" in first.lower():
        name = _undeclared_prefix(text, place)
        what = f"the prefix {name}:" if name is not None else "a prefix"
        shown = f"{what} is not declared ({predefined}; declare another with PREFIX name: <IRI>)"
    else:
        name = _undeclared_prefix(text, None)
        if name is not None:  # the engine does not always say so (e.g. for the empty prefix `:`)
            shown = f"{detail} (note: the prefix {name}: is not declared; {predefined})"
    if place is None:
        return f"invalid SPARQL: {shown}"
    line, column = int(place.group(1)), int(place.group(2))
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    pointer = ""
    if source.strip() and len(source) <= 200:
        pointer = f"\n  {source}\n  {' ' * max(column - 1, 0)}^"
    return f"invalid SPARQL at line {line}, column {column}: {shown}{pointer}"


def _undeclared_prefix(text: str, place: re.Match[str] | None) -> str | None:
    """An undeclared prefix the query uses: the one just before the engine's error place if given,
    else the first one in the text."""
    declared = set(DEFAULT_PREFIXES) | {
        m.group(1) or "" for m in re.finditer(r"PREFIX\s+([A-Za-z][\w.-]*)?:", text, re.IGNORECASE)
    }
    candidates: list[str] = []
    if place is not None:
        lines = text.splitlines()
        line, column = int(place.group(1)), int(place.group(2))
        if 0 < line <= len(lines):
            before = strip_comments_and_strings(lines[line - 1])[: column - 1]
            match = re.search(r"(?<![\w?$:])([A-Za-z][\w.-]*)?:[\w.%\\-]*$", before)
            if match:
                candidates.append(match.group(1) or "")
    code = strip_comments_and_strings(text)
    used = re.finditer(r"(?<![\w?$:/])([A-Za-z][\w.-]*)?:(?=[\w%\\])(?!//)", code)
    candidates += [m.group(1) or "" for m in used]
    return next((c for c in candidates if c not in declared), None)


# ----------------------------------------------------------------------------------- backends

STORE_MODES = ("auto", "disk", "memory")
# Up to this size of graph.nq, `auto` loads the build into memory: on a small build, loading takes
# about as long as opening the on-disk store, and queries then run several times faster.
MEMORY_LOAD_LIMIT = 32 * 1024 * 1024


def damaged_build(build_dir: Path, what: str) -> Exception:
    """The error for a build directory that cannot be read (exit 2): say so, and how to rebuild."""
    from shlex import quote

    from ketsugo.errors import InputError, Issue

    return InputError(
        Issue(
            str(build_dir),
            0,
            "--store",
            f"the build directory is damaged ({what}): rebuild it with `ketsugo build --out {quote(str(build_dir))}`",
        )
    )


def _first_line(exc: BaseException) -> str:
    text = (exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def open_build(build_dir: Path, mode: str = "auto") -> ox.Store:
    """The store of a build directory: its on-disk pyoxigraph store (``store/``), or the same quads
    from ``graph.nq`` (written by the same build) loaded into an in-memory store.

    No build there: the InputError of :func:`ketsugo.store.open_store`; a build that cannot be
    read (a damaged store or graph.nq): an InputError saying to rebuild.
    """
    import pyoxigraph as ox

    from ketsugo.builddir import recover
    from ketsugo.store import NQUADS, STORE, open_store

    if mode not in STORE_MODES:
        raise QueryError(f"store mode must be one of {', '.join(STORE_MODES)}, not {mode!r}")
    recover(build_dir)  # a build killed while swapping directories: complete or undo it first
    nquads = build_dir / NQUADS
    in_memory = mode == "memory" or (
        mode == "auto" and nquads.is_file() and nquads.stat().st_size <= MEMORY_LOAD_LIMIT
    )
    if not in_memory:
        try:
            return open_store(build_dir)
        except (OSError, RuntimeError, ValueError) as exc:  # RocksDB: "Corruption: …", I/O errors
            raise damaged_build(build_dir, f"{STORE}/: {_first_line(exc)}") from None
    if not nquads.is_file():
        if not (build_dir / STORE).is_dir():
            open_store(build_dir)  # raises its "no ketsugo build here"
        raise damaged_build(build_dir, f"{NQUADS} is missing")
    store = ox.Store()
    try:
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        raise damaged_build(build_dir, f"{NQUADS}: {_first_line(exc)}") from None
    return store


class LocalBackend:
    """The built store; default graph = union of all graphs."""

    description = "embedded store"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def open(cls, build_dir: Path, mode: str = "auto") -> LocalBackend:
        """A build directory's store (see :func:`open_build`)."""
        return cls(open_build(build_dir, mode))

    def execute(self, text: str, bindings: Row | None = None, rows: Sequence[Row] | None = None) -> Any:
        import pyoxigraph as ox

        query_form(text)
        if rows is not None:
            text = bind_by_values(text, rows)
        try:
            return self.store.query(
                text,
                use_default_graph_as_union=True,
                substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()} or None,
                prefixes=DEFAULT_PREFIXES,
            )
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc, text)) from None
        except RuntimeError as exc:
            raise QueryError(_first_line(exc)) from None


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

    def execute(self, text: str, bindings: Row | None = None, rows: Sequence[Row] | None = None) -> Any:
        form = query_form(text)
        if rows is not None:
            text = bind_by_values(text, rows)
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
        # SPARQLWrapper guesses the form from the first keyword-like text, comments and strings
        # included ("# adds up…" reads as ADD, an update): ketsugo knows it
        wrapper.queryType = form
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


# --------------------------------------------------------------------------------- running


def to_python(term: Any) -> Any:
    """Literals to str/int/bool/date by datatype; IRIs to their string; None stays None."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype == XSD + "integer":
            return int(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == XSD + "date":
            return date.fromisoformat(term.value)
        return term.value
    return term.value


@dataclass
class Outcome:
    """What a query gave: SELECT rows, an ASK answer, or triples (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: list[str] | None = None
    rows: list[list[Any]] | None = None  # pyoxigraph terms, None where unbound
    boolean: bool | None = None
    triples: list[Any] | None = None

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain Python values (:func:`to_python`)."""
        if self.variables is None or self.rows is None:
            raise QueryError(f"a {self.form} query has no rows")
        return [{v: to_python(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def drop_columns(self, names: Iterable[str]) -> None:
        """Remove columns (a parameter's echo, which every row would repeat)."""
        if self.variables is None or self.rows is None:
            return
        dropped = set(names)
        keep = [i for i, v in enumerate(self.variables) if v not in dropped]
        self.variables = [self.variables[i] for i in keep]
        self.rows = [[row[i] for i in keep] for row in self.rows]


def run(
    backend: LocalBackend | RemoteBackend,
    text: str,
    bindings: Row | None = None,
    rows: Sequence[Row] | None = None,
    *,
    allow_service: bool = False,
) -> Outcome:
    """Run a query and collect its result (rows, boolean or triples).

    ``bindings``: one value per variable, bound by the engine (locally) or a VALUES block
    (remotely); ``rows``: several rows of values, bound by a VALUES block on both backends.
    A SERVICE clause is refused unless ``allow_service`` (ketsugo never reaches out unasked).
    """
    import pyoxigraph as ox

    form = query_form(text)
    refuse_service(text, allow_service)
    result = backend.execute(text, bindings, rows)
    if isinstance(result, ox.QueryBoolean):
        return Outcome("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions = [[solution[v] for v in variables] for solution in result]
        return Outcome("SELECT", variables=variables, rows=solutions)
    return Outcome(form, triples=[t if isinstance(t, ox.Triple) else t.triple for t in result])


def run_catalogue_query(
    backend: LocalBackend | RemoteBackend,
    query: CatalogueQuery,
    given: dict[str, str] | None = None,
    *,
    allow_service: bool = False,
) -> Outcome:
    """A catalogue query with its parameters bound; list cells sorted; echo columns dropped.

    The parameters are bound as one row of an inline VALUES block of RDF terms on both backends
    (the catalogue checks that a parameter is used only where that means what the engine's
    binding would): pyoxigraph plans with the value known, where a ``substitutions`` binding
    leaves it a variable (several times slower on a large store).
    """
    bindings = bind_parameters(query, given or {}, backend)
    outcome = run(backend, query.text, rows=[bindings] if bindings else None, allow_service=allow_service)
    if query.lists and outcome.rows is not None and outcome.variables is not None:
        sort_list_cells(outcome, query.lists)
    outcome.drop_columns(p.name for p in query.parameters if not p.column)
    return outcome


# --------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class _NamedType:
    classes: tuple[str, ...]  # rdf:type of the things a value may name (by label, slug or IRI)
    namespaces: tuple[str, ...]  # a bare slug is tried in these
    iri_only: tuple[str, ...] = ()  # rdf:type of things named only by their IRI


_NAMED_TYPES = {
    "category": _NamedType((KG + "DataItemCategory",), (KGC,)),
    # any recipient: a named organisation or kind of party, or (by IRI) one connection's unnamed party
    "counterparty": _NamedType(
        (KG + "Organisation", KG + "PartyKind"), (KID + "org/", KG), iri_only=(KG + "UnnamedCounterparty",)
    ),
    "sensitivity": _NamedType((KG + "Sensitivity",), (KG,)),
    "subject-class": _NamedType((KG + "DataSubjectClass",), (KID + "subject-class/",)),
    "decision-type": _NamedType((KG + "DecisionType",), (KG,)),
}
# Up to this many things of a type, an unknown name is answered with all of them.
LIST_ALL_UP_TO = 20

# The look-up queries: their input (class, candidate IRI or label) is bound as VALUES rows.
_THINGS_BY_IRI = "SELECT DISTINCT ?thing WHERE { ?thing a ?class }"
_THINGS_BY_LABEL = (
    "SELECT DISTINCT ?thing WHERE { ?thing rdfs:label|skos:prefLabel|skos:altLabel ?label ; a ?class }"
)
_THINGS_OF_TYPE = (
    "SELECT DISTINCT ?thing ?class ?label ?shown WHERE { ?thing a ?class ."
    " OPTIONAL { ?thing rdfs:label|skos:prefLabel|skos:altLabel ?label }"
    ' OPTIONAL { ?thing skos:prefLabel|rdfs:label ?shown FILTER(lang(?shown) = "ja") } }'
)


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


def _class_rows(classes: Iterable[str]) -> list[dict[str, OxTerm]]:
    import pyoxigraph as ox

    return [{"class": ox.NamedNode(c)} for c in classes]


@dataclass
class _Things:
    """Every thing a named type may name: labels (IRI, label), a label to show, every IRI."""

    labelled: list[tuple[str, str]]
    shown: dict[str, str]
    iris: set[str]
    named: set[str]  # the IRIs of things named by label (not the IRI-only ones)


def _named_things(backend: LocalBackend | RemoteBackend, kind: _NamedType) -> _Things:
    things = _Things([], {}, set(), set())
    rows = run(backend, _THINGS_OF_TYPE, rows=_class_rows(kind.classes + kind.iri_only)).records()
    for row in rows:
        iri = row["thing"]
        things.iris.add(iri)
        if row["class"] not in kind.classes:
            continue
        things.named.add(iri)
        if row["label"] is not None:
            things.labelled.append((iri, row["label"]))
        if row["shown"] is not None:
            things.shown[iri] = min(things.shown.get(iri, row["shown"]), row["shown"])
    return things


def _slugs(text: str) -> list[str]:
    """Spellings of a slug or local name to try: as given, NFKC-normalised, that in lower case, and
    with its words joined by hyphens (slugs are lower-case words joined by "-")."""
    from ketsugo.normalize import normalize

    found: list[str] = []
    hyphenated = "-".join(normalize(text).lower().split())  # "My Number" → my-number
    for slug in (text.strip(), normalize(text), normalize(text).lower(), hyphenated):
        if slug and slug not in found and not re.search(r"[\s<>\"{}|^`\\]", slug):
            found.append(slug)
    return found


def _candidate_iris(kind: _NamedType, text: str) -> list[str]:
    """The IRIs a value may spell: an IRI or prefixed name, or a slug in the type's namespaces."""
    full = expand_iri(text)
    candidates = [full] if full is not None else []
    candidates += [ns + slug for ns in kind.namespaces for slug in _slugs(text)]
    return list(dict.fromkeys(candidates))


def _quick_resolve(backend: LocalBackend | RemoteBackend, kind: _NamedType, text: str) -> str | None:
    """The common cases in two small queries: an IRI, prefixed name or slug, or a label spelled
    exactly. The candidates are bound as VALUES rows of RDF terms, never pasted as text."""
    import pyoxigraph as ox

    candidates: list[ox.NamedNode] = []
    for iri in _candidate_iris(kind, text):
        try:
            candidates.append(ox.NamedNode(iri))
        except ValueError:
            continue
    classes = [ox.NamedNode(c) for c in kind.classes + kind.iri_only]
    if candidates:
        rows: list[dict[str, OxTerm]] = [{"thing": c, "class": t} for c in candidates for t in classes]
        found: set[str] = {r["thing"] for r in run(backend, _THINGS_BY_IRI, rows=rows).records()}
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            return None  # ambiguous: the full look-up says so
    stripped = text.strip()
    labels = [ox.Literal(stripped, language="ja"), ox.Literal(stripped, language="en"), ox.Literal(stripped)]
    rows = [{"label": label, "class": ox.NamedNode(c)} for label in labels for c in kind.classes]
    found = {r["thing"] for r in run(backend, _THINGS_BY_LABEL, rows=rows).records()}
    return next(iter(found)) if len(found) == 1 else None


def resolve_named(backend: LocalBackend | RemoteBackend, kind_name: str, text: str) -> str:
    """The IRI a label, alias, slug, prefixed name or IRI names; QueryError with close matches
    (or, for a type with few things, every valid value)."""
    kind = _NAMED_TYPES[kind_name]
    quick = _quick_resolve(backend, kind, text)
    if quick is not None:
        return quick
    things = _named_things(backend, kind)
    for candidate in _candidate_iris(kind, text):
        if candidate in things.iris:
            return candidate
    key = match_key(text)
    by_key: dict[str, set[str]] = {}
    by_part: dict[str, set[str]] = {}
    for iri, label in things.labelled:
        by_key.setdefault(match_key(label), set()).add(iri)
        for part in _label_parts(label):
            by_part.setdefault(part, set()).add(iri)
    # a whole label first (any language, alt labels too); else the part of a label before or
    # inside its brackets: "Individual Number (My Number)" answers to "My Number"
    found = by_key.get(key) or by_part.get(key, set())
    if len(found) == 1:
        return next(iter(found))

    def entry(iri: str) -> str:
        return f"{things.shown[iri]} <{iri}>" if iri in things.shown else f"<{iri}>"

    if len(found) > 1:
        names = ", ".join(entry(i) for i in sorted(found))
        raise QueryError(f"{kind_name} {text!r} is ambiguous: it names {names}; give the IRI")
    close: list[str] = []
    for iri in _close_matches(key, things.labelled):
        if entry(iri) not in close:
            close.append(entry(iri))
    if close:
        hint = "; close matches: " + "; ".join(close[:8])
    elif len(things.named) <= LIST_ALL_UP_TO:
        valid = sorted(things.named, key=lambda i: (things.shown.get(i, ""), i))
        listed = "; ".join(
            f"{things.shown[i]} ({compact_iri(i)})" if i in things.shown else compact_iri(i) for i in valid
        )
        hint = f"; valid values: {listed}" if valid else "; the store has none"
    else:
        classes = " ".join(compact_iri(c) for c in kind.classes)
        hint = (
            f"; {len(things.named)} are known: list them with `ketsugo sparql 'SELECT ?iri ?label WHERE "
            f"{{ VALUES ?class {{ {classes} }} ?iri a ?class ; skos:prefLabel ?label }} ORDER BY ?label'`"
        )
    raise QueryError(f"unknown {kind_name} {text!r}{hint}")


_BRACKETED = re.compile(r"\s*(?P<outside>[^(（]+?)\s*[(（](?P<inside>[^)）]+)[)）]\s*")


def _label_parts(label: str) -> set[str]:
    """The keys of a label "X (Y)" or "X（Y）" other than its whole: X and Y (each a name in itself)."""
    found = _BRACKETED.fullmatch(label)
    if found is None:
        return set()
    return {match_key(found["outside"]), match_key(found["inside"])} - {"", match_key(label)}


def _words(text: str) -> list[str]:
    from ketsugo.normalize import normalize

    return [w for w in re.findall(r"[^\W_]+", normalize(text).casefold()) if len(w) >= 3]


def _close_matches(key: str, labelled: list[tuple[str, str]]) -> list[str]:
    """IRIs whose labels are close to a name's key, closest first.

    A label close to it: one key inside the other (生年月 / 生年月日), a similar spelling
    (difflib), or the same words in another order or run together (birthdate / Date of birth).
    """
    if not key:
        return []
    scores: dict[str, float] = {}
    by_key: dict[str, set[str]] = {}
    for iri, label in labelled:
        by_key.setdefault(match_key(label), set()).add(iri)
        words = _words(label)
        covered = sum(len(w) for w in words if w in key)
        if covered and covered / len(key) >= 0.6:
            scores[iri] = max(scores.get(iri, 0.0), 1.0 + covered / len(key))
    for label_key, iris in by_key.items():
        score = 0.0
        if key in label_key or label_key in key:
            score = 2.0 + min(len(key), len(label_key)) / max(len(key), len(label_key))
        else:
            ratio = difflib.SequenceMatcher(None, key, label_key).ratio()
            score = ratio if ratio >= 0.6 else 0.0
        for iri in iris:
            if score:
                scores[iri] = max(scores.get(iri, 0.0), score)
    return sorted(scores, key=lambda iri: (-scores[iri], iri))


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
) -> dict[str, ox.NamedNode | ox.Literal]:
    """RDF terms for the query's parameters: given values, else defaults; checked and resolved."""
    known = {p.name for p in query.parameters}
    unknown = sorted(set(given) - known)
    if unknown:
        listed = ", ".join(p.describe() for p in query.parameters) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (parameters: {listed})")
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
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
    for parameter in query.parameters:
        earlier = parameter.not_before
        if earlier is None or parameter.name not in bindings or earlier not in bindings:
            continue
        if to_python(bindings[parameter.name]) < to_python(bindings[earlier]):
            raise QueryError(
                f"--param {parameter.name}={bindings[parameter.name].value} is before "
                f"--param {earlier}={bindings[earlier].value}: nothing can fall between them"
            )
    return bindings


def parameter_term(
    kind: str, value: str, backend: LocalBackend | RemoteBackend, name: str = ""
) -> ox.NamedNode | ox.Literal:
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


def write_outcome(
    outcome: Outcome, fmt: str, out: IO[bytes], *, color: bool = False, width: int | None = None
) -> None:
    """Write a result: W3C SPARQL 1.1 JSON/CSV/TSV, Turtle/N-Triples, or a table (``width``: see
    :func:`render_table`)."""
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
        out.write(render_table(outcome, color=color, width=width).encode("utf-8"))
        return
    out.write(serialize_results(outcome, fmt))


def serialize_results(outcome: Outcome, fmt: str) -> bytes:
    """The result in a W3C SPARQL 1.1 Query Results format (serialised by pyoxigraph)."""
    import pyoxigraph as ox

    from ketsugo.store import written

    results_format = {
        "json": ox.QueryResultsFormat.JSON,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }[fmt]
    # pyoxigraph serialises only its own result objects: rebuild one from the rows through the
    # (lossless) W3C JSON form.
    parsed = ox.parse_query_results(to_sparql_json(outcome), format=ox.QueryResultsFormat.JSON)
    return written(parsed.serialize(format=results_format))


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


# A terminal table keeps columns up to this wide whole; wider ones are folded, each to at least
# NARROWEST_FOLDED cells: below that a folded cell reads as fragments, and each row is shown as a
# record instead.
WHOLE_COLUMN = 16
NARROWEST_FOLDED = 20


def render_table(outcome: Outcome, *, color: bool = False, width: int | None = None) -> str:
    """A readable table (rich; East Asian wide characters are aligned) and the row count.

    ``width``: the terminal's width. The table fits it: long cells are wrapped or folded, and when
    the columns cannot all get :data:`NARROWEST_COLUMN` cells (or their whole text), each row is
    shown as a record instead ("column  value" lines, a blank line between rows). None (output
    piped or written to a file): no cell is ever wrapped, each row stays on one line however wide.
    """
    from rich import box
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or 80,
        highlight=False,
        emoji=False,
        markup=False,
    )
    if outcome.form == "ASK":
        console.print("true" if outcome.boolean else "false")
        return buffer.getvalue()
    assert outcome.variables is not None and outcome.rows is not None
    cells = [[display(term) for term in row] for row in outcome.rows]
    if width is not None and not _columns_fit(outcome.variables, cells, width):
        _print_records(console, outcome.variables, cells, color=color)
    else:
        table = Table(
            box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold" if color else ""
        )
        for variable in outcome.variables:
            if width is None:
                table.add_column(variable, no_wrap=True, overflow="ignore")
            else:
                table.add_column(variable, overflow="fold")
        for row in cells:
            table.add_row(*row)
        if width is None:  # as wide as the widest row (cell widths count East Asian characters as two)
            console.width = max(
                Measurement.get(console, console.options.update_width(10**6), table).maximum, 80
            )
        console.print(table)
    count = len(outcome.rows)
    console.print(f"{count} row{'s' if count != 1 else ''}")
    if width is None:
        return buffer.getvalue()
    # rich pads every cell to its column's width: a terminal gets no trailing blanks
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _columns_fit(variables: Sequence[str], cells: list[list[str]], width: int) -> bool:
    """Whether the columns fit ``width``: the narrow ones whole, each wide one folded to at least
    NARROWEST_FOLDED cells (cell widths count East Asian characters as two)."""
    from rich.cells import cell_len

    space = width - 2 * (len(variables) - 1)  # a space of padding on each side between columns
    folded = 0
    for index, variable in enumerate(variables):
        widest = max([cell_len(variable), *(cell_len(row[index]) for row in cells)])
        if widest <= WHOLE_COLUMN:
            space -= widest
        else:
            folded += 1
    return space >= folded * NARROWEST_FOLDED


def _print_records(console: Any, variables: Sequence[str], cells: list[list[str]], *, color: bool) -> None:
    """Each row as a block of "column  value" lines, values wrapped or folded to the width."""
    from rich.table import Table

    for number, row in enumerate(cells, start=1):
        if number > 1:
            console.print()
        console.print(f"[{number}]", style="bold" if color else None)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold" if color else None)
        grid.add_column(overflow="fold")
        for variable, value in zip(variables, row, strict=True):
            grid.add_row(variable, value)
        console.print(grid)


def terminal_width() -> int | None:
    """The width of the terminal stdout writes to; None when it is not a terminal (no wrapping)."""
    import shutil

    if sys.stdout.isatty():
        return shutil.get_terminal_size((120, 24)).columns
    return None


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
