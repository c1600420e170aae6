"""Running SPARQL on the embedded pyoxigraph store, and turning terms into plain values.

The default graph is the union of all graphs (reports and reference data), so
questions need no GRAPH clauses; parameters are bound by the engine
(`substitutions`), never pasted into query text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyoxigraph as ox

_XSD = "http://www.w3.org/2001/XMLSchema#"

# Prefixes every query may use without declaring them: the project's (the same as
# ketsugo.vocab.PREFIXES, kept here as plain strings so that querying never imports rdflib;
# a test checks they agree) and the W3C/DCMI ones the model uses.
DEFAULT_PREFIXES: dict[str, str] = {
    "kg": "https://w3id.org/ketsugo#",
    "kid": "https://w3id.org/ketsugo/id/",
    "kgc": "https://w3id.org/ketsugo/id/category/",
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "ic": "http://imi.go.jp/ns/core/rdf#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": _XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
}


@dataclass(frozen=True)
class Table:
    """A SELECT result: variable names and rows of pyoxigraph terms (None where unbound)."""

    variables: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [{v: to_python(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]


def select(store: ox.Store, query: str, bindings: dict[str, Any] | None = None) -> Table:
    substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    solutions = store.query(
        query,
        use_default_graph_as_union=True,
        substitutions=substitutions or None,
        prefixes=DEFAULT_PREFIXES,
    )
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("not a SELECT query")
    variables = [v.value for v in solutions.variables]
    return Table(variables, [[solution[v] for v in variables] for solution in solutions])


def to_python(term: Any) -> Any:
    """Literals to str/int/bool/date by datatype; IRIs to their string; None stays None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype == _XSD + "integer":
            return int(term.value)
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == _XSD + "date":
            return date.fromisoformat(term.value)
        return term.value
    return term.value
