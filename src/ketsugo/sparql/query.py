"""Running SPARQL on the built store or on a remote SPARQL 1.1 endpoint: the entry point.

:func:`run` (any backend, any query form) returns an :class:`Outcome`;
:func:`run_catalogue_query` runs a catalogue query with its parameters bound.
``ketsugo.sparql.select.select`` is a shorthand for a SELECT on a store. The work is done in modules
along the seams, each importable on its own (none imports this one):

* :mod:`ketsugo.sparql.text` — query text: its form, WHERE group, VALUES binding, syntax errors;
* :mod:`ketsugo.sparql.backends` — the embedded store and a remote endpoint, and :func:`run`;
* :mod:`ketsugo.sparql.params` — catalogue parameters: user text to checked RDF terms;
* :mod:`ketsugo.sparql.results` — :class:`Outcome`, Python values, sorted list cells;
* :mod:`ketsugo.sparql.render` — the W3C result formats and the terminal table;
* :mod:`ketsugo.sparql.graphstore` — pushing a build to a SPARQL Graph Store (`ketsugo load`).

The names they define are imported here too, where callers have always found them.

Binding: user text is never pasted into a query. A catalogue parameter becomes an RDF term
(:mod:`ketsugo.sparql.params`), bound as one row of an inline ``VALUES`` block at the start of the
top-level WHERE group, locally and remotely alike; the catalogue checks that each parameter is used
only where that binding means what an engine binding (pyoxigraph ``substitutions``) would
(:func:`misplaced_parameters`). A value that is a quote, a brace or a SPARQL keyword is only ever
an RDF term: it matches nothing (or, for a type that must name something known, such as a
category, it is rejected with the close matches).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketsugo.prefixes import compact_iri
from ketsugo.sparql.backends import (
    MEMORY_LOAD_LIMIT,
    STORE_MODES,
    EndpointError,
    LocalBackend,
    RemoteBackend,
    damaged_build,
    open_build,
    query_endpoint_url,
    run,
)
from ketsugo.sparql.graphstore import LoadedGraph, graph_store_url, load_to_graph_store
from ketsugo.sparql.params import (
    _THINGS_BY_IRI,
    _THINGS_BY_LABEL,
    _THINGS_OF_TYPE,
    LIST_ALL_UP_TO,
    bind_parameters,
    expand_iri,
    parameter_term,
    parse_param_options,
    resolve_named,
)
from ketsugo.sparql.render import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    display,
    render_table,
    serialize_results,
    terminal_width,
    to_sparql_json,
    write_outcome,
)
from ketsugo.sparql.results import Outcome, natural_key, sort_list_cells, to_python
from ketsugo.sparql.text import (
    DEFAULT_PREFIXES,
    SERVICE_REFUSED,
    QueryError,
    Row,
    bind_by_values,
    misplaced_parameters,
    prologue,
    query_form,
    refuse_service,
    strip_comments_and_strings,
    syntax_message,
    uses_service,
    values_block,
    where_brace,
)

if TYPE_CHECKING:
    from ketsugo.sparql.catalogue import CatalogueQuery

__all__ = [
    "DEFAULT_PREFIXES",
    "GRAPH_FORMATS",
    "LIST_ALL_UP_TO",
    "MEMORY_LOAD_LIMIT",
    "SELECT_FORMATS",
    "SERVICE_REFUSED",
    "STORE_MODES",
    "_THINGS_BY_IRI",
    "_THINGS_BY_LABEL",
    "_THINGS_OF_TYPE",
    "EndpointError",
    "LoadedGraph",
    "LocalBackend",
    "Outcome",
    "QueryError",
    "RemoteBackend",
    "Row",
    "bind_by_values",
    "bind_parameters",
    "compact_iri",
    "damaged_build",
    "display",
    "expand_iri",
    "graph_store_url",
    "load_to_graph_store",
    "misplaced_parameters",
    "natural_key",
    "open_build",
    "parameter_term",
    "parse_param_options",
    "prologue",
    "query_endpoint_url",
    "query_form",
    "refuse_service",
    "render_table",
    "resolve_named",
    "run",
    "run_catalogue_query",
    "serialize_results",
    "sort_list_cells",
    "strip_comments_and_strings",
    "syntax_message",
    "terminal_width",
    "to_python",
    "to_sparql_json",
    "uses_service",
    "values_block",
    "where_brace",
    "write_outcome",
]


def run_catalogue_query(
    backend: LocalBackend | RemoteBackend,
    query: CatalogueQuery,
    given: dict[str, str] | None = None,
    *,
    allow_service: bool = False,
) -> Outcome:
    """A catalogue query with its parameters bound; list cells sorted; echo columns dropped.

    The parameters are bound as one row of an inline VALUES block of RDF terms on both backends
    (the catalogue checks that a parameter is used only where that means what the engine's
    binding would): pyoxigraph plans with the value known, where a ``substitutions`` binding
    leaves it a variable (several times slower on a large store).
    """
    bindings = bind_parameters(query, given or {}, backend)
    outcome = run(backend, query.text, rows=[bindings] if bindings else None, allow_service=allow_service)
    if query.lists and outcome.rows is not None and outcome.variables is not None:
        sort_list_cells(outcome, query.lists)
    outcome.drop_columns(p.name for p in query.parameters if not p.column)
    return outcome
