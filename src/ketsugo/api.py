"""ketsugo as a library: build a knowledge graph from reports, open a built one, ask it, check it
and export it — the same work as the ``ketsugo`` command, for notebooks and pipelines.

>>> import ketsugo
>>> kg = ketsugo.build()  # the bundled report (Shinjuku, FY2020), in memory
>>> [r["fiscal_year"] for r in kg.reports]
[2020]
>>> rows = kg.query("recipients-of-category", category="生年月日")
>>> "厚生労働省" in {r["recipient_label"] for r in rows}
True
>>> kg.sparql("ASK { ?c kg:connectionNumber 12 }")
True
>>> sorted({f.severity for f in kg.validate().findings})
['Info', 'Violation', 'Warning']
>>> any(row["counterparty"] == "厚生労働省" for row in kg.flows())
True

Errors are :class:`ketsugo.errors.InputError` (bad input: file, line and field) or the query
errors of :mod:`ketsugo.sparql.query`; nothing is printed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ketsugo.check.validate import Validation
    from ketsugo.pipeline import Build

__all__ = ["KnowledgeGraph", "build", "open_build"]

EXPORT_FORMATS = ("csv", "json", "graphml", "gexf", "dot", "svg", "html", "trig", "nquads", "jsonld", "md")


class KnowledgeGraph:
    """A built knowledge graph: its pyoxigraph store, and what the build said about each report."""

    def __init__(self, store: ox.Store, where: str = "", built: Build | None = None) -> None:
        self.store = store
        self.where = where  # the build directory, "" when built in memory
        self._built = built

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.where or '(in memory)'}: {len(self.reports)} report(s)>"

    @property
    def reports(self) -> list[dict[str, Any]]:
        """One dict per report: graph IRI, municipality code, fiscal year, source file."""
        from ketsugo.sparql.select import select

        rows = select(
            self.store,
            """SELECT ?graph ?code ?fiscal_year ?file WHERE {
                 GRAPH ?graph { ?r a kg:Report ; kg:municipality ?m ; kg:fiscalYear ?fiscal_year ;
                                   kg:sourceFile ?file }
                 ?m kg:localGovernmentCode ?code }
               ORDER BY ?code ?fiscal_year""",
        ).records()
        return list({row["graph"]: row for row in rows}.values())

    @property
    def issues(self) -> list[Any]:
        """What reading and linking found while building (empty for a build opened from disk:
        its findings are in the graph, see :meth:`validate`)."""
        return self._built.issues if self._built is not None else []

    def query(self, name: str, **params: str) -> list[dict[str, Any]]:
        """Run the catalogue query ``name`` (``ketsugo query --list``) with its parameters, given as
        labels, slugs or IRIs as on the command line; rows as dicts of plain Python values."""
        from ketsugo.sparql.catalogue import get
        from ketsugo.sparql.query import LocalBackend, run_catalogue_query

        outcome = run_catalogue_query(LocalBackend(self.store), get(name), dict(params))
        return outcome.records()

    def sparql(self, text: str, **bindings: Any) -> Any:
        """Run a SPARQL query (ketsugo's prefixes need no declaration). SELECT gives rows as dicts,
        ASK a bool, CONSTRUCT/DESCRIBE a list of pyoxigraph triples. ``bindings`` (variable →
        pyoxigraph term, or a plain string/number) are bound by the engine, never pasted."""
        from ketsugo.sparql.query import LocalBackend, run

        outcome = run(LocalBackend(self.store), text, {k: _term(v) for k, v in bindings.items()} or None)
        if outcome.form == "SELECT":
            return outcome.records()
        if outcome.form == "ASK":
            return outcome.boolean
        return outcome.triples

    def validate(self) -> Validation:
        """The SHACL and cross-report checks (``ketsugo validate``): ``.findings``, ``.fails(level)``."""
        from ketsugo.check.validate import validate_store

        return validate_store(self.store, where=self.where)

    def flows(self) -> list[dict[str, Any]]:
        """One dict per connection × counterparty × data item (``ketsugo export flows``)."""
        from ketsugo.export.flowtable import flows

        return flows(self.store)[1]

    def export(self, fmt: str, path: str | PathLike[str] | None = None) -> str:
        """The graph or the flows table as text in ``fmt`` (one of :data:`EXPORT_FORMATS`; "md" is
        the briefing); written atomically to ``path`` too when given. The text is held whole: for
        a large build, :meth:`export_to` writes it as it is made."""
        text = "".join(_pieces(self.store, fmt, self.where))
        if path is not None:
            from ketsugo.store.files import write_atomically

            write_atomically(Path(path), text)
        return text

    def export_to(self, fmt: str, target: str | PathLike[str] | TextIO) -> None:
        """Write the export in ``fmt`` as :meth:`export` gives it, piece by piece as it is made (the
        flows table a few reports at a time, the dataset in pieces of its file): to a path
        (atomically: a failure leaves no file) or to an open text file such as ``sys.stdout``.
        Memory stays that of a few reports whatever the size of the build (the drawings and the
        briefing excepted: they are made whole)."""
        pieces = _pieces(self.store, fmt, self.where)
        if isinstance(target, str | PathLike):
            from ketsugo.store.files import write_atomically

            write_atomically(Path(target), pieces)
            return
        for piece in pieces:
            target.write(piece)


def build(
    reports: str | PathLike[str] | Iterable[str | PathLike[str]] = (),
    out: str | PathLike[str] | None = None,
    *,
    municipality: str | None = None,
    fiscal_year: int | None = None,
    lenient: bool = False,
    encoding: str | None = None,
) -> KnowledgeGraph:
    """Build the knowledge graph of ``reports`` — one path, or several (default: every bundled
    report).

    ``out``: the build directory to write (as ``ketsugo build --out``); None keeps the graph in
    memory only. ``municipality`` / ``fiscal_year`` are for reports without a metadata file.
    """
    import pyoxigraph as ox

    from ketsugo.pipeline import resolve_metadata, run_build
    from ketsugo.read.metadata import bundled_reports
    from ketsugo.store.disk import NQUADS

    # one report given alone (a str is an iterable of characters: "t" would be read as a file)
    paths = [Path(reports)] if isinstance(reports, (str, PathLike)) else [Path(p) for p in reports]
    metas = [resolve_metadata(p, municipality, fiscal_year) for p in paths] if paths else bundled_reports()
    if out is not None:
        built = run_build(metas, Path(out), encoding=encoding, lenient=lenient)
        return KnowledgeGraph(_open(Path(out)), str(out), built)
    with tempfile.TemporaryDirectory(prefix="ketsugo-") as work:
        target = Path(work) / "build"
        built = run_build(metas, target, encoding=encoding, lenient=lenient)
        store = ox.Store()
        store.bulk_load(path=str(target / NQUADS), format=ox.RdfFormat.N_QUADS)
    return KnowledgeGraph(store, "", built)


def open_build(out: str | PathLike[str]) -> KnowledgeGraph:
    """A build directory written earlier (``ketsugo build --out DIR``), opened read-only."""
    return KnowledgeGraph(_open(Path(out)), str(out))


def _open(directory: Path) -> ox.Store:
    from ketsugo.sparql.query import open_build as open_store_of

    return open_store_of(directory, "disk")


def _term(value: Any) -> Any:
    """A plain value as a pyoxigraph literal (an IRI must be given as a pyoxigraph NamedNode)."""
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    return ox.Literal(str(value))


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _pieces(store: ox.Store, fmt: str, where: str) -> Iterator[str]:
    """One export format as text, in pieces (the same writers as ``ketsugo export``). A format that
    is not known is refused before anything is made."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    return _made(store, fmt, where)


def _made(store: ox.Store, fmt: str, where: str) -> Iterator[str]:
    build_dir = Path(where) if where else None
    if fmt in ("csv", "json"):
        from ketsugo.export.flowtable import csv_chunks, flow_rows, json_chunks

        columns, rows = flow_rows(store, build_dir)
        yield from csv_chunks(columns, rows) if fmt == "csv" else json_chunks(columns, rows)
    elif fmt in ("trig", "nquads", "jsonld"):
        from ketsugo.export.dataset import dataset_text

        yield from dataset_text(store, fmt, build_dir)
    elif fmt == "md":
        from ketsugo.export.briefing import briefing

        yield briefing(store, fmt="md", where=where)
    else:
        from ketsugo.export import visual

        writer = getattr(visual, f"to_{fmt}")
        yield str(writer(visual.flow_graph(store, build_dir)))
