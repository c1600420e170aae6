"""How ``ketsugo validate`` reads each report for its checks (ketsugo.check.sparql_chunks: a chunk of
graph.nq's bytes loaded leniently into an in-memory store; a finding located in that copy, and in the
on-disk store's order where several departments are listed): the findings are the whole-store
queries' findings, whatever the build looks like — one made with graph.trig beside graph.nq, one
whose store was loaded from several segment files (a report's lines split between two), one whose
graph.nq ends without a final line end — and when only the quads the checks can read (and those
that locate a finding) are copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import ketsugo.store.disk
from ketsugo.check.findings import LOCATING_PREDICATES
from ketsugo.check.shapes import load_shapes
from ketsugo.check.sparql_chunks import NQUADS, _graph_token, chunked_findings
from ketsugo.check.sparql_engine import compile_shapes
from ketsugo.check.sparql_rewrite import Placement, Rewriter
from ketsugo.check.validate import report_graphs
from ketsugo.graph.vocab import KG, REFERENCE_GRAPH
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import STORE, open_store

from ._check_support import wards_build
from .test_validate_chunks import _assert_same, _whole, _whole_and_chunked
from .test_validate_parallel import BUNDLED, SUMMARY_2021, _write_report

REFERENCE = str(REFERENCE_GRAPH)


def _reports(folder: Path) -> list[tuple[Path, str, int]]:
    """The bundled report in two wards and a later year of one (as tests/test_validate_parallel)."""
    row_17 = BUNDLED.read_text(encoding="utf-8").split("\n")[48]
    later = _write_report(folder / "fy2021.txt", 2021, SUMMARY_2021, [row_17])
    return [(BUNDLED, "131041", 2020), (later, "131041", 2021), (BUNDLED, "131067", 2020)]


def _build(folder: Path, **options: object) -> Path:
    out = folder / "out"
    metas = [metadata_from_options(path, code, year) for path, code, year in _reports(folder)]
    run_build(metas, out, **options)  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def plain() -> Path:
    """A build made with no option: the wards build the validation modules share (the bundled report
    in two wards, a later year of one and another ward; made once per process), only read."""
    return wards_build()


def test_a_build_with_trig_gives_the_whole_store_findings(tmp_path: Path) -> None:
    build = _build(tmp_path, trig=True)
    assert (build / "graph.trig").is_file()
    whole, chunked = _whole_and_chunked(build, chunk_bytes=1)
    _assert_same(whole, chunked)


def test_a_store_loaded_from_several_segments_gives_the_whole_store_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments of a few kilobytes: every report's lines are split between segment files."""
    monkeypatch.setattr(ketsugo.store.disk, "LOAD_SEGMENT_BYTES", 4096)
    monkeypatch.setattr(ketsugo.store.disk, "LOAD_START_BYTES", 1)
    build = _build(tmp_path)
    whole, chunked = _whole_and_chunked(build, chunk_bytes=1)
    _assert_same(whole, chunked)
    whole, chunked = _whole_and_chunked(build, jobs=2, chunk_bytes=50_000)
    _assert_same(whole, chunked)


def test_graph_nq_without_a_final_line_end(plain: Path, tmp_path: Path) -> None:
    """The last report graph at the very end of graph.nq, its last line (a connection's number)
    without a line end: read in full by the chunk that holds it (without that quad the connection
    would be reported as unnumbered)."""
    copy = tmp_path / "copy"
    shutil.copytree(plain, copy)
    nquads = copy / NQUADS
    lines = nquads.read_bytes().splitlines(keepends=True)
    reference = _graph_token(next(line for line in lines if b"/graph/reference>" in line))
    ordered = [line for line in lines if _graph_token(line) == reference]
    reports = [line for line in lines if _graph_token(line) != reference]
    last = _graph_token(reports[-1])
    number = next(line for line in reports if _graph_token(line) == last and b"#connectionNumber>" in line)
    reports.remove(number)
    data = b"".join([*ordered, *reports, number])
    assert data.endswith(b" .\n")
    nquads.write_bytes(data[:-1])
    for options in ({"chunk_bytes": 1}, {"chunk_bytes": 10**9}):
        whole, chunked = _whole_and_chunked(copy, **options)
        _assert_same(whole, chunked)


# --- only the quads the checks can read are copied -------------------------------------------------


def _placed(group: str) -> Placement:
    placement = Placement(lambda predicate: "report")
    Rewriter({}, placement, "urn:reference").group(group)
    return placement


def test_a_variable_predicate_is_limited_only_by_a_filter_of_its_own_group() -> None:
    listed = _placed("{ ?s <urn:a> ?o . ?s ?p ?v FILTER (?p IN (<urn:b>, <urn:c>)) }")
    assert not listed.any_predicate
    assert listed.predicates == {"urn:a", "urn:b", "urn:c"}
    assert _placed("{ ?s <urn:a> ?o . ?s ?p ?v }").any_predicate
    assert _placed("{ ?s ?p ?v FILTER (?p NOT IN (<urn:b>)) }").any_predicate
    assert _placed("{ ?s ?p ?v FILTER (?p IN (<urn:b>) || true) }").any_predicate
    # the filter in another group (an OPTIONAL's) does not limit the outer triple
    assert _placed("{ ?s ?p ?v OPTIONAL { ?s <urn:a> ?x FILTER (?p IN (<urn:b>)) } }").any_predicate


def test_the_checks_read_fewer_predicates_than_a_report_holds(plain: Path) -> None:
    store = open_store(plain)
    graphs = report_graphs(store)
    compiled = compile_shapes(store, load_shapes(), [iri for iri, _ in graphs], REFERENCE)
    assert compiled.predicates is not None
    held = {q.predicate.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graphs[0][0]))}
    assert held - compiled.predicates - LOCATING_PREDICATES  # some quads are left out of the copy
    # the summary-total check reads its columns through ?path, limited by FILTER (?path IN (…))
    assert str(KG.previousCount) in compiled.predicates


@pytest.mark.parametrize("jobs", [1, 2])
def test_copying_only_what_the_checks_read_gives_the_whole_store_findings(plain: Path, jobs: int) -> None:
    store = open_store(plain)
    shapes = load_shapes()
    graphs = report_graphs(store)
    whole = _whole(plain)  # the whole-store queries' findings, made once per build
    compiled = compile_shapes(store, shapes, [iri for iri, _ in graphs], REFERENCE)
    chunked = chunked_findings(
        store,
        plain / STORE,
        graphs,
        shapes,
        compiled.checks,
        REFERENCE,
        True,
        jobs,
        chunk_bytes=1,
        predicates=compiled.predicates,
    )
    _assert_same(whole, chunked)
