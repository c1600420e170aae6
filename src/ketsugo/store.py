"""Writing a build directory atomically, and opening its pyoxigraph store.

A build directory holds `graph.nq` (sorted N-Quads), `graph.trig`, `store/` (the
pyoxigraph on-disk store later commands open) and `build.json` (what was built and
what could not be linked). It is written beside the target and swapped in at the
end, so a failed build leaves the previous directory untouched and no partial files
(ketsugo.builddir: ownership, lock and swap; re-exported here).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ketsugo.builddir import atomic_directory, open_store
from ketsugo.prefixes import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

STORE = "store"
NQUADS = "graph.nq"
TRIG = "graph.trig"
MANIFEST = "build.json"

__all__ = [
    "MANIFEST",
    "NQUADS",
    "STORE",
    "TRIG",
    "atomic_directory",
    "open_store",
    "sorted_nquads",
    "to_quads",
    "write_build",
]


def to_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as a pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_quads(graphs: Iterable[tuple[URIRef, Graph]]) -> list[ox.Quad]:
    """rdflib graphs → pyoxigraph quads, each graph under its IRI (faster than an rdflib Dataset)."""
    quads: list[ox.Quad] = []
    for iri, graph in graphs:
        name = ox.NamedNode(str(iri))
        quads.extend(ox.Quad(to_term(s), to_term(p), to_term(o), name) for s, p, o in graph)
    return quads


def sorted_nquads(quads: list[ox.Quad]) -> bytes:
    """N-Quads with lines sorted, so the same graph gives the same bytes (blank nodes aside)."""
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    # split("\n"), not splitlines(): U+2028 and the like may stand inside a literal
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_build(quads: list[ox.Quad], manifest: dict, out: Path) -> None:
    with atomic_directory(out) as work:
        (work / NQUADS).write_bytes(sorted_nquads(quads))
        grouped = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate)))
        (work / TRIG).write_bytes(ox.serialize(grouped, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
        store = ox.Store(str(work / STORE))
        store.bulk_extend(quads)
        store.optimize()
        store.flush()
        del store
        (work / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
