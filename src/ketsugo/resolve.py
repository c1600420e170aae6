"""Resolution of report cells against the curated registries.

Counterparties (結合の相手方) resolve to named organisations (``kid:org/…``) or to kinds of
unnamed party (``kg:PartyKind`` individuals); departments (結合を行った課) to department IRIs and
their implementing agency; 処理対象者 cells to data-subject classes; law names to ``kg:Law``
nodes. Every label, alias and pattern comes from the reference graph (``data/reference/*.ttl``):
this module holds matching rules only, no data.

Matching compares the keys of :mod:`ketsugo.normalize`: aliases of counterparties by
:func:`~ketsugo.normalize.fold` (white space kept, as it separates parties in a cell); labels of
agencies and laws and subject patterns by :func:`~ketsugo.normalize.match_key`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import ORG, SKOS

from ketsugo import vocab
from ketsugo.normalize import KeyedText, fold, match_key, normalize
from ketsugo.vocab import KG

_SEPARATORS = re.compile(r"[\s、，,；;]+")
_TRAILING_PARENTHETICAL = re.compile(r"[（(][^（）()]*[）)]$")
_QUOTES = "「」『』\"'“”"
_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


@dataclass(frozen=True)
class PartyMatch:
    as_written: str  # the segment of the cell
    organisation: URIRef | None  # kid:org/… when a named organisation
    kind: URIRef | None  # kg:PartyKind individual when a kind of party (unnamed)


class Registry:
    """Look-ups over the curated registries of a reference graph."""

    def __init__(
        self,
        party_aliases: dict[str, tuple[URIRef, bool]],
        ambiguous_aliases: dict[str, set[URIRef]],
        departments: dict[URIRef, URIRef | None],
        agencies: dict[tuple[str, str], URIRef],
        subject_patterns: list[tuple[str, URIRef]],
        laws: dict[str, URIRef],
    ) -> None:
        self._party_aliases = party_aliases  # key (white space kept) -> (IRI, is an organisation)
        self.ambiguous_aliases = ambiguous_aliases  # keys naming more than one organisation/party kind
        self._departments = departments  # department IRI -> agency IRI
        self._agencies = agencies  # (municipality code, label key) -> agency IRI
        self._subject_patterns = subject_patterns  # (pattern key, class IRI)
        self._laws = laws  # label key -> law IRI

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> Registry:
        """Build the registry from a graph holding the reference files (no inference needed)."""
        by_alias: dict[str, set[tuple[URIRef, bool]]] = defaultdict(set)
        by_match_key: dict[str, set[URIRef]] = defaultdict(set)
        for kind_class, is_org in ((KG.Organisation, True), (KG.PartyKind, False)):
            for node in graph.subjects(RDF.type, kind_class):
                if not isinstance(node, URIRef):
                    continue
                for label in _labels(graph, node):
                    key = fold(label).strip()
                    if key:
                        by_alias[key].add((node, is_org))
                        by_match_key[match_key(label)].add(node)
        ambiguous = {key: nodes for key, nodes in by_match_key.items() if len(nodes) > 1}
        party_aliases = {
            key: next(iter(entries))
            for key, entries in by_alias.items()
            if len(entries) == 1 and "".join(key.split()) not in ambiguous
        }

        departments: dict[URIRef, URIRef | None] = {}
        for dept in graph.subjects(RDF.type, KG.Department):
            if isinstance(dept, URIRef):
                unit_of = graph.value(dept, ORG.unitOf)
                departments[dept] = unit_of if isinstance(unit_of, URIRef) else None

        agencies: dict[tuple[str, str], URIRef] = {}
        for agency in graph.subjects(RDF.type, KG.ImplementingAgency):
            if not isinstance(agency, URIRef):
                continue
            for municipality in graph.objects(agency, ORG.subOrganizationOf):
                for code in graph.objects(municipality, KG.localGovernmentCode):
                    for label in _labels(graph, agency):
                        agencies.setdefault((str(code), match_key(label)), agency)

        subject_patterns: list[tuple[str, URIRef]] = []
        for concept in graph.subjects(RDF.type, KG.DataSubjectClass):
            if isinstance(concept, URIRef):
                for pattern in graph.objects(concept, KG.matchPattern):
                    key = match_key(str(pattern))
                    if key:
                        subject_patterns.append((key, concept))
        subject_patterns.sort(key=lambda entry: (entry[1], entry[0]))

        laws: dict[str, URIRef] = {}
        for law in sorted(graph.subjects(RDF.type, KG.Law)):
            if isinstance(law, URIRef):
                for label in _labels(graph, law):
                    laws.setdefault(match_key(label), law)

        return cls(party_aliases, ambiguous, departments, agencies, subject_patterns, laws)

    # -- counterparties -----------------------------------------------------------------------
    def counterparties(self, cell: str) -> tuple[list[PartyMatch], list[str]]:
        """Segment a 結合の相手方 cell: longest alias first; the rest split on white space.

        An unrecognised segment yields a PartyMatch with both organisation and kind None and a warning.
        """
        keyed = KeyedText(cell)
        key = keyed.key
        occurrences: list[tuple[int, int, URIRef, bool]] = []
        for alias, (node, is_org) in self._party_aliases.items():
            start = key.find(alias)
            while start != -1:
                occurrences.append((start, start + len(alias), node, is_org))
                start = key.find(alias, start + 1)
        occurrences.sort(key=lambda occ: (-(occ[1] - occ[0]), occ[0], str(occ[2])))
        taken = [False] * len(key)
        chosen: list[tuple[int, int, URIRef, bool]] = []
        for start, end, node, is_org in occurrences:
            if not any(taken[start:end]):
                chosen.append((start, end, node, is_org))
                for i in range(start, end):
                    taken[i] = True
        chosen.sort()

        found: list[tuple[int, PartyMatch]] = []
        warnings: list[str] = []
        for start, end, node, is_org in chosen:
            match = PartyMatch(
                as_written=keyed.original(start, end).strip(),
                organisation=node if is_org else None,
                kind=None if is_org else node,
            )
            found.append((keyed.original_span(start, end)[0], match))
        position = 0
        for start, end in [*((occ[0], occ[1]) for occ in chosen), (len(key), len(key))]:
            if position < start:
                gap_start, gap_end = keyed.original_span(position, start)
                for text, at in _split_separators(cell[gap_start:gap_end]):
                    found.append((gap_start + at, PartyMatch(as_written=text, organisation=None, kind=None)))
                    warnings.append(f"unrecognised counterparty: {text!r}")
            position = max(position, end)
        found.sort(key=lambda entry: entry[0])
        return [match for _, match in found], warnings

    # -- departments --------------------------------------------------------------------------
    def departments(
        self, cell: str, municipality_code: str
    ) -> tuple[list[tuple[str, URIRef, URIRef | None]], list[str]]:
        """Split a 結合を行った課 cell into (normalised name, department IRI, agency IRI or None)."""
        results: list[tuple[str, URIRef, URIRef | None]] = []
        warnings: list[str] = []
        seen: set[str] = set()
        for token in normalize(cell).split():
            for name in _split_department_names(token):
                if name in seen:
                    continue
                seen.add(name)
                iri = vocab.department(municipality_code, name)
                if iri in self._departments:
                    agency = self._departments[iri]
                    if agency is None:
                        warnings.append(f"department {name!r} has no implementing agency in the registry")
                else:
                    agency = None
                    warnings.append(f"unknown department {name!r} for municipality {municipality_code}")
                results.append((name, iri, agency))
        return results, warnings

    def agency(self, label: str, municipality_code: str) -> URIRef | None:
        """The implementing agency of a municipality named ``label`` (e.g. 区長 → …/agency/mayor)."""
        return self._agencies.get((municipality_code, match_key(label)))

    # -- data subjects ------------------------------------------------------------------------
    def subject_classes(self, text: str) -> list[URIRef]:
        """Data-subject classes whose patterns occur in a 処理対象者 cell, in order of first occurrence."""
        key = match_key(text)
        first: dict[URIRef, int] = {}
        for pattern, concept in self._subject_patterns:
            at = key.find(pattern)
            if at != -1 and (concept not in first or at < first[concept]):
                first[concept] = at
        return sorted(first, key=lambda concept: (first[concept], str(concept)))

    # -- laws ---------------------------------------------------------------------------------
    def law(self, name: str) -> URIRef | None:
        """A law by its full or short name; a trailing parenthetical (e.g. （厚生労働省令）) is ignored."""
        candidate = normalize(name).strip(_QUOTES)
        while candidate:
            found = self._laws.get(match_key(candidate))
            if found is not None:
                return found
            stripped = _TRAILING_PARENTHETICAL.sub("", candidate).strip()
            if stripped == candidate:
                return None
            candidate = stripped
        return None


def _labels(graph: rdflib.Graph, node: URIRef) -> list[str]:
    labels = []
    for prop in _LABEL_PROPERTIES:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                labels.append(str(value))
    return sorted(set(labels))


def _split_separators(text: str) -> list[tuple[str, int]]:
    """Non-empty pieces of ``text`` between white space and list separators, with their offsets."""
    pieces = []
    position = 0
    for separator in _SEPARATORS.finditer(text):
        if separator.start() > position:
            pieces.append((text[position : separator.start()], position))
        position = separator.end()
    if position < len(text):
        pieces.append((text[position:], position))
    return pieces


def _split_department_names(token: str) -> list[str]:
    """Split run-together names at a 課 boundary when both sides are names of ≥2 characters ending in 課."""
    for i, char in enumerate(token[:-1]):
        left, right = token[: i + 1], token[i + 1 :]
        if char == "課" and len(left) >= 2 and len(right) >= 2 and right.endswith("課"):
            return [left, *_split_department_names(right)]
    return [token]
