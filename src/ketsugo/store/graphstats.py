"""Counts of a build's graphs, taken while they are written, for its DCAT/VoID description.

Counting a national store afterwards costs more than building it (a COUNT DISTINCT over 8 M
quads takes minutes on disk), so each worker measures the N-Quads of its own report graph —
triples, distinct IRI subjects, the vocabularies its predicates and IRI objects come from —
and the build adds them up. Entities of the whole dataset are distinct across graphs (one
organisation is described in many reports), so each graph also hands over 64-bit hashes of
its IRI subjects, and the build keeps the set of those (≈ 100 MB for the whole country rather
than the IRIs themselves).
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from ketsugo.prefixes import KID


@dataclass(frozen=True)
class GraphStats:
    """One named graph: its triples, distinct IRI subjects, the namespaces of its predicates and IRI
    objects (the vocabularies it uses), and the hashes of its IRI subjects."""

    graph: str
    triples: int
    entities: int
    namespaces: frozenset[str]
    subject_hashes: bytes  # array('Q') of 64-bit hashes, as bytes (cheap to send between processes)


def _hash(iri: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(iri, digest_size=8).digest(), "little")


# ketsugo's own instances: one namespace (their paths would give one per connection)
URI_SPACE = KID


def _namespace(iri: bytes) -> str:
    text = iri.decode("utf-8", "replace")
    if text.startswith(URI_SPACE):
        return URI_SPACE
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[: cut + 1] if cut >= 0 else text


class GraphCounter:
    """Counts one graph's sorted, de-duplicated N-Quads given in pieces cut at line ends (a large
    report's graph is written a piece at a time: its IRIs are not all held at once)."""

    def __init__(self, graph: str) -> None:
        self.graph = graph
        self.triples = 0
        self._hashes = array("Q")
        self._last: bytes | None = None
        self._namespaces: set[str] = set()

    def add(self, nquads: bytes) -> None:
        """A piece of whole lines. A split per line (an IRI holds no space or ``>``) costs a quarter
        of three multi-line regular expressions, whose ``^`` is tried at every byte (at 5,000 lines
        a report those were a third of its build)."""
        self.triples += nquads.count(b"\n")
        hashes, last = self._hashes, self._last
        iris: set[bytes] = set()
        for line in nquads.split(b"\n"):
            if not line:
                continue
            subject, predicate, rest = line.split(b" ", 2)
            if subject[0] == 60 and subject != last:  # an IRI (<): sorted lines keep a subject's together
                hashes.append(_hash(subject[1:-1]))
                last = subject
            iris.add(predicate[1:-1])
            if rest[0] == 60:
                iris.add(rest[1 : rest.index(b">")])
        self._last = last
        self._namespaces.update(_namespace(i) for i in iris)

    def stats(self) -> GraphStats:
        hashes = array("Q", sorted(set(self._hashes)))
        return GraphStats(
            graph=self.graph,
            triples=self.triples,
            entities=len(hashes),
            namespaces=frozenset(self._namespaces),
            subject_hashes=hashes.tobytes(),
        )


def graph_stats(graph: str, nquads: bytes | Iterable[bytes]) -> GraphStats:
    """Count one graph's sorted, de-duplicated N-Quads lines (one graph per call; bytes, or pieces
    cut at line ends)."""
    counter = GraphCounter(graph)
    for piece in [nquads] if isinstance(nquads, bytes) else nquads:
        counter.add(piece)
    return counter.stats()


@dataclass
class BuildStats:
    """The sum of a build's graphs (see the module docstring)."""

    graphs: dict[str, GraphStats] = field(default_factory=dict)
    _subjects: set[int] = field(default_factory=set)
    _namespaces: set[str] = field(default_factory=set)

    def add(self, stats: GraphStats) -> None:
        self.graphs[stats.graph] = stats
        hashes = array("Q")
        hashes.frombytes(stats.subject_hashes)
        self._subjects.update(hashes)
        self._namespaces |= stats.namespaces

    @property
    def triples(self) -> int:
        return sum(s.triples for s in self.graphs.values())

    @property
    def entities(self) -> int:
        """Distinct IRI subjects across all graphs (by 64-bit hash: a collision among a few million
        IRIs is about one in a million)."""
        return len(self._subjects)

    def uses(self, namespace: str) -> bool:
        """Whether any predicate or IRI object of the build lies in ``namespace``."""
        return any(n.startswith(namespace) for n in self._namespaces)
