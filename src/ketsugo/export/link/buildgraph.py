"""Replacing one named graph in a build: its store, graph.nq and (when the build has one) graph.trig together.

A linking step owns one named graph. Replacing it is one SPARQL update (DROP GRAPH, INSERT
DATA), which Oxigraph runs as one transaction: if it fails, the store is unchanged. The
build's graph.nq and graph.trig are written beside their old versions first and swapped in
after the store has changed, so the files and the store keep telling the same story.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ketsugo.errors import InputError, Issue
from ketsugo.prefixes import PREFIXES
from ketsugo.store.disk import NQUADS, STORE, TRIG, sorted_nquads, written


def open_writable(build_dir: Path) -> ox.Store:
    """The build's store opened read-write, with a clear error when another process holds it."""
    path = build_dir / STORE
    if not path.is_dir():
        raise InputError(
            Issue(
                str(build_dir.absolute()),
                0,
                "--store",
                "no ketsugo build here: run `ketsugo build --out DIR` first, or name a build with --store DIR",
            )
        )
    try:
        return ox.Store(str(path))
    except OSError as exc:
        raise InputError(
            Issue(
                str(build_dir),
                0,
                "--store",
                f"cannot open the store for writing ({exc}); is `ketsugo serve` running on it? Stop it first",
            )
        ) from None


def _insert_data(graph: str, quads: list[ox.Quad]) -> str:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    body = written(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).decode("utf-8")
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def _temporary(path: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return Path(name)


def replace_graph(build_dir: Path, graph: str, quads: Sequence[ox.Triple | ox.Quad]) -> int:
    """Make ``graph`` of the build hold exactly ``quads`` (their graph name is ignored).

    Returns the number of triples written. Nothing changes when this fails.
    """
    store = open_writable(build_dir)
    name = ox.NamedNode(graph)
    kept = [q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != name]
    new = [ox.Quad(q.subject, q.predicate, q.object, name) for q in quads]
    everything = kept + new
    nquads = sorted_nquads(everything)
    staged = [(_temporary(build_dir / NQUADS, nquads), build_dir / NQUADS)]
    try:
        if (build_dir / TRIG).is_file():  # written only by `ketsugo build --trig`: kept in step
            grouped = sorted(everything, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate)))
            trig = written(ox.serialize(grouped, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
            staged.append((_temporary(build_dir / TRIG, trig), build_dir / TRIG))
        store.update(_insert_data(graph, new))
        store.flush()
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    finally:
        del store
    for temporary, target in staged:
        os.replace(temporary, target)
    return len(new)
