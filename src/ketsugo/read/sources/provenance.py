"""Where each record stood in the published file, in the graph beside its line number.

The graph keeps ``kg:sourceLine`` (the line of the text form) on every record and finding;
for a report read from a PDF, workbook or HTML page, :func:`location_lines` gives
``kg:sourceLocation`` ("p.3 table 2 row 4", "Sheet1!A12", "table 2 row 4") for each node that
has a source line, so a reader can find the row in the file the municipality published.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ketsugo.prefixes import KG

_SOURCE_LINE = re.compile(
    rf'^(?P<subject><[^>]*>) <{re.escape(KG)}sourceLine> "(?P<line>[0-9]+)"\^\^<[^>]*> (?P<graph><[^>]*>) \.$'
)


def location_lines(lines: Iterable[str], locations: Mapping[int, str]) -> list[str]:
    """N-Quads lines of kg:sourceLocation beside every kg:sourceLine (in N-Quads ``lines``) that the
    map of the published file knows."""
    if not locations:
        return []
    added = []
    for line in lines:
        match = _SOURCE_LINE.match(line)
        place = locations.get(int(match["line"])) if match else None
        if match and place:
            added.append(f"{match['subject']} <{KG}sourceLocation> {ox.Literal(place)} {match['graph']} .")
    return added
