"""SPARQL query text: telling its form, finding its WHERE group, binding values into it, and
explaining the engine's syntax errors.

Text is scanned with comments, strings and IRIs blanked out, so a keyword inside a literal never
counts. Values reach a query only as RDF terms serialised by pyoxigraph in a ``VALUES`` block
(:func:`bind_by_values`), never as pasted user text. A catalogue parameter may be bound that way
only where it means what an engine binding would (:func:`misplaced_parameters`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ketsugo.errors import EXIT_INPUT_ERROR, KetsugoError
from ketsugo.prefixes import PREFIXES

if TYPE_CHECKING:
    from ketsugo.graph.terms import OxTerm

DEFAULT_PREFIXES = PREFIXES  # every query may use these without declaring them
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_QUERY_KEYWORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}

Row = Mapping[str, "OxTerm"]


class QueryError(KetsugoError):
    """The user's input cannot be run: a bad parameter, an unknown name, an invalid query (exit 2)."""

    exit_code = EXIT_INPUT_ERROR


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
    """The text with comments, strings and IRIs blanked out (same length, so offsets hold).
    A query's text is checked several times (form, SERVICE, nesting, FROM), and one query runs
    once per report in the per-report exports: short texts are remembered."""
    return _strip_remembered(text) if len(text) <= 65536 else _strip(text)


@functools.lru_cache(maxsize=256)
def _strip_remembered(text: str) -> str:
    return _strip(text)


def _strip(text: str) -> str:
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


_LOAD_WORD = re.compile(r"\bLOAD\b", re.IGNORECASE)


def uses_load(text: str) -> bool:
    """Whether an update has a LOAD operation (which would fetch a document over the network)."""
    if not _LOAD_WORD.search(strip_comments_and_strings(text)):
        return False
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        tree = parseUpdate(text)
    except Exception:
        return True  # unreadable here: the word is there, so refuse rather than guess
    return _has_node(tree, "Load")


def _has_node(node: Any, name: str) -> bool:
    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_has_node(v, name) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_has_node(v, name) for v in node)
    return False


LOAD_REFUSED = (
    "the update has a LOAD operation, which would make ketsugo fetch a document over the "
    "network: refused (load files with `ketsugo load` or a Graph Store PUT/POST instead)"
)


SERVICE_REFUSED = (
    "the query has a SERVICE clause, which would make ketsugo send a request to another "
    "SPARQL endpoint over the network: refused (give --allow-service to allow it)"
)


# Brackets nested deeper than this are refused: the engine's parser recurses once per level and
# overflows its stack (a segmentation fault of the whole process) a few thousand levels down.
# ketsugo's own queries nest about ten deep.
MAX_NESTING = 200
_BRACKETS = re.compile(r"[(){}\[\]]")


def nesting_problem(text: str) -> str | None:
    """Why a query is nested too deeply to be handed to an engine (None: it is not)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(strip_comments_and_strings(text)):
        if bracket in "({[":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if deepest <= MAX_NESTING:
        return None
    return (
        f"the query's brackets are nested {deepest} deep: at most {MAX_NESTING} are run (deeper, "
        "the SPARQL parser would overflow its stack)"
    )


def refuse_deep_nesting(text: str) -> None:
    """QueryError for a query nested too deeply (see :data:`MAX_NESTING`)."""
    problem = nesting_problem(text)
    if problem is not None:
        raise QueryError(problem)


# FROM / FROM NAMED as a keyword (strings, comments and IRIs blanked out first): a dataset clause.
_FROM_WORD = re.compile(r"(?<![?$:\w-])FROM(?![\w:-])", re.IGNORECASE)


def has_dataset_clause(text: str) -> bool:
    """Whether a query names its own dataset (FROM, FROM NAMED): then the engine's default (the
    union of every graph) must not replace it, or `FROM <g>` would be silently ignored."""
    return _FROM_WORD.search(strip_comments_and_strings(text)) is not None


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


def select_projection(text: str) -> set[str] | None:
    """The variables a SELECT query projects (None for `SELECT *` or other query forms)."""
    code = strip_comments_and_strings(text)
    match = re.search(r"(?<![?$:\w])SELECT\b(.*?)(?:(?<![?$:\w])WHERE\b|\{)", code, re.IGNORECASE | re.DOTALL)
    if match is None or match.group(1).strip().endswith("*"):
        return None
    clause = match.group(1)
    # Variables named by `AS ?x` and bare `?x`, but not those used inside (expression AS ?x).
    names = set(re.findall(r"\bAS\s+[?$]([A-Za-z_][A-Za-z0-9_]*)", clause, re.IGNORECASE))
    depth = 0
    for token in re.finditer(r"[()]|[?$][A-Za-z_][A-Za-z0-9_]*", clause):
        if token.group() == "(":
            depth += 1
        elif token.group() == ")":
            depth -= 1
        elif depth == 0:
            names.add(token.group()[1:])
    return names


def _sub_select_spans(code: str, top: int) -> list[tuple[int, int, int]]:
    """The sub-SELECTs directly inside the top-level WHERE group and below: (the `{` enclosing
    the keyword, the keyword, the matching `}`), outermost first."""
    spans: list[tuple[int, int, int]] = []
    openings: list[int] = []
    for match in re.finditer(r"[{}]|(?<![?$:\w])SELECT\b", code, re.IGNORECASE):
        token = match.group()
        if token == "{":
            openings.append(match.start())
        elif token == "}":
            if openings:
                openings.pop()
        elif match.start() > top and openings:
            spans.append((openings[-1], match.start(), _closing(code, openings[-1])))
    return spans


def _binding_sub_select(text: str, names: Sequence[str]) -> tuple[int, int] | None:
    """(start, end) of the sub-SELECT that holds every use of these variables inside the
    top-level WHERE group and projects them all; None when there is no such sub-SELECT."""
    top = where_brace(text)
    if not names:
        return None
    code = strip_comments_and_strings(text)
    end = _closing(code, top)
    variables = re.compile(r"[?$](?:" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z0-9_])")
    uses = [m.start() for m in variables.finditer(code, top, end + 1)]
    if not uses:
        return None
    for opening, keyword, closing in _sub_select_spans(code, top):
        if all(opening < use < closing for use in uses):
            projection = select_projection(text[keyword:closing])
            return (keyword, closing) if projection is None or set(names) <= projection else None
    return None


def binding_brace(text: str, names: Iterable[str]) -> int:
    """Offset of the `{` where a VALUES block binding these variables belongs.

    The top-level WHERE group, unless every use of the variables there lies inside one
    sub-SELECT that projects them all: then that sub-SELECT's WHERE group. Bound there, the
    values restrict the sub-SELECT before it groups and aggregates; bound at the top they would
    only filter its finished groups — the same answer (the sub-SELECT projects them, so its groups
    are split by them), but only after every group was computed.
    """
    span = _binding_sub_select(text, list(names))
    if span is None:
        return where_brace(text)
    return span[0] + where_brace(text[span[0] : span[1]])


def misplaced_parameters(text: str, names: Iterable[str]) -> dict[str, str]:
    """Parameters the two bindings (engine substitution locally, a top-level VALUES block remotely)
    could give different answers for, each with where it is used.

    A VALUES block at the top of the WHERE group joins with the group's solutions: a variable
    used in triple patterns anywhere in the group (UNION branches, OPTIONAL) means the same
    under both. It does not reach into a sub-SELECT (whose variables are its own), nor into an
    expression evaluated inside a nested group before the join (FILTER or BIND in a UNION
    branch, a MINUS or GRAPH group, a sub-group); a FILTER directly in an OPTIONAL group is fine
    (it is evaluated on the joined solution). Parameters used only inside one sub-SELECT that
    projects them are bound at the start of that sub-SELECT's WHERE group
    (:func:`binding_brace`), on both backends, and judged there by the same rules.
    """
    names = list(names)
    span = _binding_sub_select(text, names)
    if span is not None:  # bound inside the one sub-SELECT that uses them: judged there, as a query
        return misplaced_parameters(text[span[0] : span[1]], names)
    top = where_brace(text)
    code = strip_comments_and_strings(text)
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
    at = binding_brace(text, {name for row in rows for name in row}) + 1
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
