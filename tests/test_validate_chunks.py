"""The SPARQL engine run a chunk of reports at a time in in-memory stores (ketsugo.check.sparql_chunks)
gives what the queries over the whole on-disk store give: the same findings, in the same order once
sorted, with every field the same (a finding about an organisation several connections name lists
their departments in the store's order), and the same SHACL report. Whatever the chunks: one
report each, several, read from graph.nq or from the store, in this process or across two; a
report graph.nq lacks or splits, or one holding blank nodes, is read from the store."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from ketsugo.check.findings import Finding, _sort_key
from ketsugo.check.shapes import load_shapes
from ketsugo.check.sparql_chunks import NQUADS, _graph_token, byte_ranges, chunked_findings
from ketsugo.check.sparql_engine import SparqlOutcome, compile_shapes, sparql_findings
from ketsugo.check.validate import report_graphs, validate_store
from ketsugo.graph.vocab import KG, REFERENCE_GRAPH
from ketsugo.pipeline import run_build
from ketsugo.store.disk import STORE, open_store

from ._check_support import variants_build, wards_build, wards_validation
from .test_validate_parallel import _canonical

REFERENCE = str(REFERENCE_GRAPH)


@pytest.fixture(scope="module")
def bundled() -> Path:
    return wards_build()  # only read: a test that changes it copies it


@pytest.fixture(scope="module")
def variants() -> Path:
    return variants_build()


_WHOLE: dict[Path, SparqlOutcome] = {}


def _whole(build: Path) -> SparqlOutcome:
    """The findings (and SHACL results) of the whole-store queries over a build: what every chunked
    run of that build is compared with, computed once per build (the tests only read it)."""
    if build not in _WHOLE:
        store = open_store(build)
        shapes = load_shapes()
        graphs = report_graphs(store)
        checks = compile_shapes(store, shapes, [iri for iri, _ in graphs], REFERENCE).checks
        _WHOLE[build] = sparql_findings(store, graphs, shapes, checks, REFERENCE, True)
    return _WHOLE[build]


def _whole_and_chunked(build: Path, **options: object) -> tuple[SparqlOutcome, SparqlOutcome]:
    """The findings (and SHACL results) of the whole-store queries and of the chunked run."""
    whole = _whole(build)
    store = open_store(build)
    shapes = load_shapes()
    graphs = report_graphs(store)
    checks = compile_shapes(store, shapes, [iri for iri, _ in graphs], REFERENCE).checks
    jobs = int(str(options.pop("jobs", 1)))
    chunked = chunked_findings(store, build / STORE, graphs, shapes, checks, REFERENCE, True, jobs, **options)  # type: ignore[arg-type]
    return whole, chunked


def _sorted(findings: list[Finding]) -> list[Finding]:
    """In validate's order, ties (two reports of one file name) broken by every other field."""
    return sorted(findings, key=lambda f: (_sort_key(f), repr(f)))


def _assert_same(whole: SparqlOutcome, chunked: SparqlOutcome) -> None:
    assert whole.findings, "nothing found: the comparison would prove nothing"
    assert _sorted(chunked.findings) == _sorted(whole.findings)
    assert whole.results is not None and chunked.results is not None
    assert len(chunked.results) == len(whole.results)
    assert _canonical(chunked.results) == _canonical(whole.results)


CHUNKINGS = {
    "one report a chunk, graph.nq": {"chunk_bytes": 1},
    "default chunks, two jobs": {"jobs": 2},
    "small chunks, two processes": {"jobs": 2, "chunk_bytes": 50_000},
    "from the store, two reports a chunk": {"use_nquads": False, "chunk_reports": 2},
    "from the store, one report a chunk, two processes": {"use_nquads": False, "chunk_reports": 1, "jobs": 2},
}


@pytest.mark.parametrize("chunking", list(CHUNKINGS), ids=list(CHUNKINGS))
def test_bundled_chunks_give_the_whole_store_findings(bundled: Path, chunking: str) -> None:
    whole, chunked = _whole_and_chunked(bundled, **CHUNKINGS[chunking])
    _assert_same(whole, chunked)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four reports of the synthetic national corpus (scripts/gen_corpus.py): several chunks of 50 kB
    each (so the two-process case starts its pool), and organisations several connections of several
    departments name (asserted below); more reports would take longer and show nothing more."""
    from ketsugo.read.metadata import load_metadata

    from .test_scale import _generator

    folder = tmp_path_factory.mktemp("chunks-synthetic")
    _generator().generate(folder / "corpus", count=4, fiscal_year=2021)
    out = folder / "out"
    run_build([load_metadata(p) for p in sorted((folder / "corpus").glob("*.txt"))], out)
    return out


@pytest.mark.parametrize("chunking", ["one report a chunk, graph.nq", "small chunks, two processes"])
def test_synthetic_chunks_give_the_whole_store_findings(synthetic: Path, chunking: str) -> None:
    assert len(byte_ranges(synthetic / NQUADS, 50_000)) >= 4  # two processes: a pool is started
    whole, chunked = _whole_and_chunked(synthetic, **CHUNKINGS[chunking])
    _assert_same(whole, chunked)
    # the corpus has counterparties several connections of several departments name: a finding
    # about one lists the departments in the store's order (compared above), which the in-memory
    # copy alone would not follow
    assert [f for f in chunked.findings if len(f.connections) > 1 and ";" in f.department]


@pytest.mark.parametrize("chunking", ["one report a chunk, graph.nq", "from the store, two reports a chunk"])
def test_variants_chunks_give_the_whole_store_findings(variants: Path, chunking: str) -> None:
    whole, chunked = _whole_and_chunked(variants, **CHUNKINGS[chunking])
    _assert_same(whole, chunked)


def test_validate_store_on_disk_equals_in_memory_path(bundled: Path) -> None:
    """validate_store with the store's path (chunks) and without (the whole-store queries): the
    same findings; in the same order but for those its sort cannot tell apart (the bundled report
    built for two wards: one file name), which keep the order of the report graphs, on one core
    or two."""
    store = open_store(bundled)
    chunked = wards_validation(2)  # validate_store(store, store_path=bundled / STORE, jobs=2), made once
    whole = validate_store(store, jobs=2)
    assert _sorted(chunked.findings) == _sorted(whole.findings)
    assert [_sort_key(f) for f in chunked.findings] == [_sort_key(f) for f in whole.findings]
    assert _canonical(chunked.report_graph) == _canonical(whole.report_graph)
    one_core = wards_validation(1)  # the same on one core (made once per process)
    assert one_core.findings == chunked.findings
    ties = [(a, b) for a, b in itertools.pairwise(chunked.findings) if _sort_key(a) == _sort_key(b)]
    assert ties and all("/131041/" in a.focus and "/131067/" in b.focus for a, b in ties if a != b)


def _report_lines(nquads: Path) -> dict[bytes, list[bytes]]:
    """graph.nq's lines by graph name, in order."""
    lines: dict[bytes, list[bytes]] = {}
    for line in nquads.read_bytes().splitlines(keepends=True):
        lines.setdefault(_graph_token(line), []).append(line)
    return lines


def test_byte_ranges_never_split_a_graph(bundled: Path) -> None:
    nquads = bundled / NQUADS
    data = nquads.read_bytes()
    for size in (1, 1000, 40_000, 10**9):
        ranges = byte_ranges(nquads, size)
        assert b"".join(data[a:b] for a, b in ranges) == data
        seen: dict[bytes, int] = {}
        for index, (a, b) in enumerate(ranges):
            for graph in {_graph_token(line) for line in data[a:b].splitlines()}:
                assert seen.setdefault(graph, index) == index or graph == f"<{REFERENCE}>".encode()
        assert len(seen) == 5  # four reports and the reference graph (at the start and the end)


def _copy_build(build: Path, folder: Path) -> Path:
    copy = folder / "copy"
    shutil.copytree(build, copy)
    return copy


def test_reports_graph_nq_lacks_or_splits_are_read_from_the_store(bundled: Path, tmp_path: Path) -> None:
    copy = _copy_build(bundled, tmp_path)
    nquads = copy / NQUADS
    by_graph = _report_lines(nquads)
    reports = [g for g in by_graph if g != f"<{REFERENCE}>".encode()]
    lacking, split = reports[0], reports[1]
    kept = [line for graph, lines in by_graph.items() if graph not in (lacking, split) for line in lines]
    halves = by_graph[split][: len(by_graph[split]) // 2], by_graph[split][len(by_graph[split]) // 2 :]
    nquads.write_bytes(b"".join([*halves[0], *kept, *halves[1]]))
    whole, chunked = _whole_and_chunked(copy, chunk_bytes=1)
    _assert_same(whole, chunked)


def test_blank_nodes_of_a_report_keep_the_stores_names(bundled: Path, tmp_path: Path) -> None:
    """A report graph with a blank node: the store named it when it loaded graph.nq, and the
    finding about it must show that name, not the one a second parse of graph.nq would give."""
    copy = _copy_build(bundled, tmp_path)
    store = ox.Store(str(copy / STORE))
    graph, report = next(
        (q.graph_name, q.subject)
        for q in store.quads_for_pattern(None, ox.NamedNode(str(KG.sourceFile)), None, None)
    )
    node = ox.BlankNode()
    typed = ox.Quad(
        node,
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(str(KG.Connection)),
        graph,
    )
    store.extend([typed, ox.Quad(node, ox.NamedNode(str(KG.inReport)), report, graph)])
    store.flush()
    del store
    # in graph.nq among the graph's lines, as a build writes them: with a label of its own
    lines = (copy / NQUADS).read_bytes().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if _graph_token(line) == str(graph).encode())
    lines[at + 1 : at + 1] = [
        f"_:unnamed {typed.predicate} {typed.object} {graph} .\n".encode(),
        f"_:unnamed <{KG.inReport}> {report} {graph} .\n".encode(),
    ]
    (copy / NQUADS).write_bytes(b"".join(lines))
    whole, chunked = _whole_and_chunked(copy, chunk_bytes=1)
    about = [f for f in whole.findings if f.focus == node.value]
    assert about  # a connection without number, status, … : findings about the blank node
    _assert_same(whole, chunked)
