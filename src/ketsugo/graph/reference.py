"""The curated reference data: ontology, categories and registries, loaded once.

Reference data is shared by every report: it goes into its own named graph in the
store and drives the resolution of categories, parties, departments and laws.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import RDF, RDFS, Graph, URIRef

from ketsugo.errors import InputError, Issue
from ketsugo.graph.categories import Categorizer
from ketsugo.graph.curation import load_turtle
from ketsugo.graph.resolve import Registry
from ketsugo.graph.vocab import KG
from ketsugo.paths import ONTOLOGY_DIR, reference_files


@dataclass(frozen=True)
class Reference:
    graph: Graph
    categories: Categorizer
    registry: Registry


@cache
def reference() -> Reference:
    files = reference_files()
    if not files:
        raise InputError(
            Issue(
                str(ONTOLOGY_DIR),
                0,
                "",
                "ketsugo's data files are missing: install from a checkout (pip install -e .)",
            )
        )
    graph = load_turtle(files)
    _state_counterparty_kinds(graph)
    return Reference(graph, Categorizer.from_graph(graph), Registry.from_graph(graph))


def _state_counterparty_kinds(graph: Graph) -> None:
    """kg:counterpartyKind on every curated organisation: its class below kg:Organisation, so one
    triple pattern reads the kind of any recipient, curated, classified by rule or unnamed."""
    kinds = {c for c in graph.subjects(RDFS.subClassOf, KG.Organisation) if isinstance(c, URIRef)}
    for organisation in list(graph.subjects(RDF.type, KG.Organisation)):
        found = [t for t in graph.objects(organisation, RDF.type) if t in kinds] or [KG.Organisation]
        for kind in found:
            graph.add((organisation, KG.counterpartyKind, kind))
