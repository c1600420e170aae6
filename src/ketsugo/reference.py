"""The curated reference data: ontology, categories and registries, loaded once.

Reference data is shared by every report: it goes into its own named graph in the
store and drives the resolution of categories, parties, departments and laws.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph

from ketsugo.categories import Categorizer
from ketsugo.curation import load_turtle
from ketsugo.errors import InputError, Issue
from ketsugo.paths import ONTOLOGY_DIR, reference_files
from ketsugo.resolve import Registry


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
    return Reference(graph, Categorizer.from_graph(graph), Registry.from_graph(graph))
