"""Namespaces and the minting of instance IRIs (the patterns are listed in docs/model.md).

IRIs are deterministic: the same report always yields the same IRIs, so a rebuild gives
an isomorphic graph and links from elsewhere stay valid.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Namespace, URIRef

from ketsugo import prefixes as ns

KG, ID, KGC, GRAPH = Namespace(ns.KG), Namespace(ns.KID), Namespace(ns.KGC), Namespace(ns.GRAPH)
DPV, PD, IC, ORG, PROV, DCAT = (Namespace(x) for x in (ns.DPV, ns.PD, ns.IC, ns.ORG, ns.PROV, ns.DCAT))
ONTOLOGY = URIRef(ns.ONTOLOGY)
REFERENCE_GRAPH = URIRef(ns.REFERENCE_GRAPH)
PREFIXES = {name: Namespace(iri) for name, iri in ns.PREFIXES.items()}


_RESERVED = set(' <>"{}|\\^`/?#[]@%')
# RFC 3987 ucschar: the non-ASCII code points an IRI may hold as they are
_UCSCHAR = (
    (0xA0, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFEF),
    *((plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)),
    (0xE1000, 0xEFFFD),
)


def _kept(char: str) -> bool:
    code = ord(char)
    if code < 0x80:
        return code > 0x20 and char not in _RESERVED
    return any(low <= code <= high for low, high in _UCSCHAR)


def _segment(text: str) -> str:
    """An IRI path segment: kept readable (Japanese stays, as IRIs allow); reserved ASCII, controls
    and code points an IRI may not hold (U+FFFD, non-characters…) are percent-encoded."""
    return "".join(char if _kept(char) else quote(char, safe="") for char in text)


def municipality(code: str) -> URIRef:
    return ID[f"municipality/{code}"]


def estat_area(code: str) -> URIRef:
    """The e-Stat standard area code LOD IRI (5 digits: the local government code less its check digit);
    derived from the documented pattern (…/sac/C13000, C13101)."""
    return URIRef(f"{ns.ESTAT_SAC}C{code[:5]}")


def report(code: str, fiscal_year: int) -> URIRef:
    return ID[f"report/{code}/{fiscal_year}"]


def report_graph(code: str, fiscal_year: int) -> URIRef:
    return GRAPH[f"{code}/{fiscal_year}"]


def summary_row(code: str, fiscal_year: int, key: str) -> URIRef:
    return ID[f"report/{code}/{fiscal_year}/summary/{_segment(key)}"]


def connection(code: str, fiscal_year: int, number: int, status: str = "new") -> URIRef:
    base = {"new": "connection", "changed": "connection-change", "continuing": "continuing-connection"}.get(
        status, "ended-connection"
    )
    return ID[f"{code}/{fiscal_year}/{base}/{number}"]


def part_of(connection_iri: URIRef, kind: str, position: int | None = None) -> URIRef:
    """A node that belongs to one connection: its items, purpose, subjects, citations, parties."""
    suffix = f"/{kind}" if position is None else f"/{kind}/{position}"
    return URIRef(str(connection_iri) + suffix)


def organisation_by_key(key: str) -> URIRef:
    """An organisation no registry names: one IRI per organisation key (ketsugo.graph.orgnames), shared by
    every spelling, connection and report: 株式会社|abcシステム → kid:org/name/株式会社abcシステム."""
    form, _, name = key.partition("|")
    return ID[f"org/name/{_segment(form + name)}"]


def erratum(connection_iri: URIRef, position: int) -> URIRef:
    return URIRef(f"{connection_iri}/erratum/{position}")


def department(code: str, name: str) -> URIRef:
    return ID[f"{code}/department/{_segment(name)}"]


def agency(code: str, slug: str) -> URIRef:
    return ID[f"{code}/agency/{slug}"]


def council_decision(code: str, fiscal_year: int, meeting: int, decision: str) -> URIRef:
    kind = "approval" if decision == "承認" else "acknowledgement"
    return ID[f"{code}/council-decision/{fiscal_year}-{meeting}-{kind}"]


def unknown_law(name: str) -> URIRef:
    """A law the registry does not know yet: minted from its name, so it stays one node."""
    return ID[f"law/unresolved/{_segment(name)}"]


def parse_issue(code: str, fiscal_year: int, position: int) -> URIRef:
    return ID[f"report/{code}/{fiscal_year}/issue/{position}"]
