"""SELECT on the embedded pyoxigraph store, for the modules that build on query results
(export, visual, briefing, summary): a shorthand of :func:`ketsugo.sparql.query.run`, the one runner.

The default graph is the union of all graphs (reports and reference data), so questions need
no GRAPH clauses; parameters are bound by the engine (``substitutions``), never pasted into
query text; the prefixes of :data:`ketsugo.prefixes.PREFIXES` need no declaration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ketsugo.prefixes import PREFIXES as DEFAULT_PREFIXES
from ketsugo.sparql.backends import LocalBackend, run
from ketsugo.sparql.results import Outcome, to_python
from ketsugo.sparql.text import QueryError

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["DEFAULT_PREFIXES", "Outcome", "Table", "select", "to_python"]

Table = Outcome  # what select() returns: .variables, .rows (pyoxigraph terms), .records() (Python values)


def select(store: ox.Store, query: str, bindings: dict[str, Any] | None = None) -> Outcome:
    """Run a SELECT query on a store; ``bindings`` map variable names to pyoxigraph terms."""
    outcome = run(LocalBackend(store), query, bindings)
    if outcome.form != "SELECT":
        raise QueryError(f"not a SELECT query (a {outcome.form} query)")
    return outcome
