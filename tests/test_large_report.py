"""One large report is built in bounded memory, and gives the bytes it gave when held whole (issue 10).

A report graph's lines are sorted into runs on disk once they pass a threshold
(KETSUGO_SPILL_BYTES), merged back a piece at a time, counted and turned into TriG from the merged
file. A tiny threshold here forces many runs on ordinary reports: every output (graph.nq, TriG,
store, dataset description, build.json) must be the bytes a build that never spilled writes, and
no temporary file may outlive the build, however it ends. (The memory itself is measured by
scripts/bench_large_report.py, not here.)
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketsugo.graph.quadlines import QuadLines
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import load_metadata
from ketsugo.store.disk import NQUADS, STORE, TRIG, BuildWriter
from ketsugo.store.graphstats import graph_stats

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"
OTHER = ROOT / "tests" / "cases" / "cross" / "matsumoto-2022.txt"
SMALL = "40000"  # bytes: the bundled report's ≈ 1 MB of N-Quads make some 25 runs


def _metas(*paths: Path) -> list:
    found = [load_metadata(path) for path in paths]
    assert all(found)
    return found


def _files(out: Path) -> dict[str, bytes]:
    """Every file of a build but the store (its bytes are RocksDB's), and the store's quads sorted
    (blank nodes unnamed: the store names them afresh at each load)."""
    made = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    store = ox.Store.read_only(str(out / STORE))
    made["store quads"] = b"\n".join(sorted(re.sub(r"_:\w+", "_:", str(q)).encode() for q in store))
    return made


def _spills(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the runs written (the test must show the large path was taken, not assume it)."""
    made: list[int] = []
    spill = QuadLines.spill

    def counted(self: QuadLines) -> None:
        made.append(len(self.raw))
        spill(self)

    monkeypatch.setattr(QuadLines, "spill", counted)
    return made


def _left(scratch: Path) -> list[str]:
    """What is left in the temporary folder (the builds' lock folder is meant to stay)."""
    return sorted(p.name for p in scratch.iterdir() if not p.name.startswith("ketsugo-locks-"))


# --- the lines ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(alphabet='<>ab"氏名😀 \\\r', max_size=12), max_size=60),
    st.integers(min_value=1, max_value=200),
)
def test_lines_spilled_in_runs_are_written_as_when_held(lines: list[str], spill_at: int) -> None:
    lines = [line for line in lines if "\n" not in line]
    held = QuadLines(lines, spill_at=10**9)
    spilled = QuadLines(lines, spill_at=spill_at)
    try:
        assert set(spilled) == set(held)  # each line at least once (a run holds it once)
        assert b"".join(spilled.chunks(size=7)) == held.nquads() == spilled.nquads()
        assert all(piece.endswith(b"\n") for piece in spilled.chunks(size=7))
    finally:
        spilled.close()


def test_the_spill_threshold_splits_a_graph_into_runs() -> None:
    lines = QuadLines(spill_at=100)
    for i in range(50):
        lines.append(f"<urn:s{i % 20:02}> <urn:p> <urn:o> <urn:g> .")  # 37 bytes: a run every 3 lines
        assert len(lines.raw) < 3  # never more held than the threshold
    assert lines.spilled
    assert len(lines) == 50  # 16 runs of 3 distinct lines, 2 held
    assert lines.nquads().count(b"\n") == 20
    lines.close()
    assert not lines.spilled


def test_a_graph_is_counted_alike_whole_and_in_pieces() -> None:
    nquads = b"".join(
        f"<urn:s{i // 3:03}> <http://ex.org/p{i % 3}> <http://other.org/o{i}> <urn:g> .\n".encode()
        for i in range(300)
    )
    lines = nquads.splitlines(keepends=True)
    pieces = [b"".join(lines[i : i + 7]) for i in range(0, len(lines), 7)]  # cut inside subjects
    whole = graph_stats("urn:g", nquads)
    assert whole.entities == 100 and whole.triples == 300
    assert whole.namespaces == frozenset({"http://ex.org/", "http://other.org/"})
    assert graph_stats("urn:g", pieces) == whole


def test_trig_given_in_pieces_declares_its_prefixes_once(tmp_path: Path) -> None:
    prefixes = b"@prefix a: <urn:a:> .\n@prefix b: <urn:b:> .\n"

    def pieces(text: bytes) -> Iterable[bytes]:
        return iter(text.splitlines(keepends=True))

    with BuildWriter(tmp_path / "out") as writer:
        writer.add(b"<urn:a:s> <urn:a:p> <urn:a:o> <urn:g1> .\n", prefixes + b"<urn:g1> {}\n")
        writer.add(iter([b"<urn:a:t> <urn:a:p> <urn:a:o> <urn:g2> .\n"]), pieces(prefixes + b"<urn:g2> {}\n"))
        writer.finish({})
    assert (tmp_path / "out" / TRIG).read_bytes() == prefixes + b"<urn:g1> {}\n<urn:g2> {}\n"
    assert (tmp_path / "out" / NQUADS).read_bytes().count(b"\n") == 2


# --- whole builds --------------------------------------------------------------------------------


def test_a_build_whose_graphs_spill_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    metas = _metas(BUNDLED, OTHER)
    held = run_build(metas, tmp_path / "held", jobs=1, trig=True)
    runs = _spills(monkeypatch)
    monkeypatch.setenv("KETSUGO_SPILL_BYTES", SMALL)
    spilled = run_build(metas, tmp_path / "spilled", jobs=1, trig=True)
    assert len(runs) > 10
    assert spilled.triples == held.triples
    assert [r.recipients for r in spilled.reports] == [r.recipients for r in held.reports]
    assert _files(tmp_path / "spilled") == _files(tmp_path / "held")


def test_worker_processes_hand_a_spilled_graph_over_as_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Across processes a spilled graph comes back as files of the build's folder, not pickled bytes."""
    import ketsugo.pipeline as pipeline

    metas = _metas(BUNDLED, OTHER)
    run_build(metas, tmp_path / "held", jobs=1, trig=True)
    monkeypatch.setenv("KETSUGO_SPILL_BYTES", SMALL)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    handed: list[str] = []
    add = BuildWriter.add

    def watched(self: BuildWriter, nquads: bytes | Iterable[bytes], trig: bytes | Iterable[bytes]) -> int:
        handed.append(type(nquads).__name__)
        return add(self, nquads, trig)

    monkeypatch.setattr(BuildWriter, "add", watched)
    run_build(metas, tmp_path / "two", jobs=2, trig=True)
    # the reference graph, two spilled reports, then the organisations they name (described once)
    assert handed == ["bytes", "generator", "generator", "bytes"]
    assert _files(tmp_path / "two") == _files(tmp_path / "held")


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_no_temporary_file_outlives_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    """Spilled runs and graph files live in the build's own temporary folder, which goes with the build:
    after it succeeds, and when it is interrupted half way through copying a large graph in."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("KETSUGO_SPILL_BYTES", SMALL)
    metas = _metas(BUNDLED)
    run_build(metas, tmp_path / "ok", jobs=1, trig=True)
    assert _left(scratch) == []

    seen: list[list[str]] = []
    add = BuildWriter.add

    def interrupted(self: BuildWriter, nquads: bytes | Iterable[bytes], trig: bytes | Iterable[bytes]) -> int:
        if isinstance(nquads, bytes):  # the reference graph
            return add(self, nquads, trig)
        seen.append(sorted(p.name.split("-")[0] for p in scratch.glob("ketsugo-build-*/*")))

        def half(pieces: Iterable[bytes]) -> Iterator[bytes]:
            yield next(iter(pieces))
            raise failure("stopped half way")

        return add(self, half(nquads), trig)

    monkeypatch.setattr(BuildWriter, "add", interrupted)
    with pytest.raises(failure):
        run_build(metas, tmp_path / "stopped", jobs=1, trig=True)
    assert seen == [["graph", "graph"]]  # the graph's N-Quads and TriG, in the build's own folder
    assert _left(scratch) == []
    assert not (tmp_path / "stopped").exists()


def test_a_store_loaded_in_many_segments_holds_what_one_load_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is bulk-loaded from segment files as the graphs arrive (ketsugo.store.disk): cut
    into many small ones, it holds the same quads, every segment is loaded once and none is left."""
    import ketsugo.store.disk as disk

    metas = _metas(BUNDLED, OTHER)
    run_build(metas, tmp_path / "one", jobs=1)
    loaded: list[int] = []
    hand_over = BuildWriter._hand_over

    def counted(self: BuildWriter) -> None:
        if self._segment is not None:
            self._segment.flush()
            loaded.append(Path(self._segment.name).stat().st_size)
        hand_over(self)

    monkeypatch.setattr(BuildWriter, "_hand_over", counted)
    monkeypatch.setattr(disk, "LOAD_START_BYTES", 50_000)
    monkeypatch.setattr(disk, "LOAD_SEGMENT_BYTES", 200_000)
    run_build(metas, tmp_path / "many", jobs=1)
    monkeypatch.undo()
    nquads = (tmp_path / "many" / NQUADS).stat().st_size
    assert len(loaded) >= 3 and sum(loaded) == nquads
    assert _files(tmp_path / "many") == _files(tmp_path / "one")
    assert not (tmp_path / "many" / ".loading").exists()
