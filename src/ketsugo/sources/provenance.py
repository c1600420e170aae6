"""Where each record stood in the published file, in the graph beside its line number.

The graph keeps ``kg:sourceLine`` (the line of the text form) on every record and finding;
for a report read from a PDF, workbook or HTML page, :func:`add_source_locations` adds
``kg:sourceLocation`` ("p.3 table 2 row 4", "Sheet1!A12", "table 2 row 4") to each node that
has a source line, so a reader can find the row in the file the municipality published.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, Literal

from ketsugo.vocab import KG


def add_source_locations(graph: Graph, locations: Mapping[int, str]) -> int:
    """Add kg:sourceLocation beside every kg:sourceLine the map knows; returns how many."""
    added = 0
    for node, _, line in list(graph.triples((None, KG.sourceLine, None))):
        if not isinstance(line, Literal):  # kg:sourceLine is always an integer literal
            continue
        place = locations.get(int(line.toPython()))
        if place:
            graph.add((node, KG.sourceLocation, Literal(place)))
            added += 1
    return added
