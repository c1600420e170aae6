"""The wording of a flow's direction (提供・受領の別) in the briefing and the drawings, read from
data/reference/directions.toml so the words are kept in one place, as data."""

from __future__ import annotations

from typing import Any

from ketsugo.paths import reference_toml

# the flow graph's relations (queries/export/flow-graph.rq): which way an edge's data goes
SENDS, RECEIVES, BOTH = "sends to", "receives from", "sends to and receives from"


def _wording() -> dict[str, Any]:
    return reference_toml("directions.toml")


def source_terms() -> dict[str, str]:
    """Relation → the report's term, for the relations that bring data from a counterparty
    ("receives from" → 受領, "sends to and receives from" → 提供・受領)."""
    return dict(_wording()["term"])


def mark(direction: str) -> str:
    """The briefing's English gloss of a direction (受領 → "from"); an unknown term stands as it is."""
    glosses: dict[str, str] = _wording()["mark"]
    return glosses.get(direction, direction)


def layer_title(directed: bool) -> str:
    """The counterparty column's title: "counterparty" once data sources are drawn."""
    graph: dict[str, Any] = _wording()["graph"]
    return str(graph["layer"] if directed else graph["layer_recipients"])


def legend() -> dict[str, str]:
    """Relation → what its arrow means, in the order the legend shows them."""
    return dict(_wording()["graph"]["legend"])
