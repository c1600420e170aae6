"""The store's segments (ketsugo.store.disk.BuildWriter): told how many graphs are coming, the writer
hands segments to the loader so that the last one — loaded after every report is read — is small,
and a build smaller than one segment starts loading before its last report (issue 11)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

import ketsugo.store.disk as disk
from ketsugo.store.disk import NQUADS, BuildWriter, open_store

GRAPHS = 26
LINES = 100  # lines of a graph: ≈ 10 KB each


def _graph(number: int) -> bytes:
    return b"".join(
        f'<urn:ex:s{number}-{i:03}> <urn:ex:p> "{"x" * 60}" <urn:g{number}> .\n'.encode()
        for i in range(LINES)
    )


def _write(out: Path, monkeypatch: pytest.MonkeyPatch, expected: int | None) -> list[int]:
    """Write GRAPHS graphs; the sizes of the segments handed to the loader, in order."""
    sizes: list[int] = []
    hand_over = BuildWriter._hand_over

    def counted(self: BuildWriter) -> None:
        if self._segment is not None:
            self._segment.flush()
            sizes.append(Path(self._segment.name).stat().st_size)
        hand_over(self)

    with monkeypatch.context() as patched:
        patched.setattr(BuildWriter, "_hand_over", counted)
        patched.setattr(disk, "LOAD_START_BYTES", 1)
        patched.setattr(disk, "LOAD_SEGMENT_BYTES", 64_000)
        patched.setattr(disk, "LOAD_MIN_SEGMENT_BYTES", 8_000)
        with BuildWriter(out, trig=False, expected_graphs=expected) as writer:
            for number in range(GRAPHS):
                writer.add(_graph(number), b"")
            writer.finish({})
    return sizes


def test_the_last_segment_is_small_when_the_number_of_graphs_is_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph_bytes = max(len(_graph(n)) for n in range(GRAPHS))
    total = sum(len(_graph(n)) for n in range(GRAPHS))
    unknown = _write(tmp_path / "unknown", monkeypatch, None)
    known = _write(tmp_path / "known", monkeypatch, GRAPHS)
    assert sum(unknown) == sum(known) == total
    # without the count: segments of 64 KB, the rest (here ≈ 50 KB of 265) loaded at the end
    assert unknown[-1] > 4 * graph_bytes
    # with it: the segments shrink towards the end, the last holds about the minimum
    assert known[-1] <= 8_000 + graph_bytes
    assert all(later <= earlier + graph_bytes for earlier, later in pairwise(known))
    assert max(known) <= 64_000 + graph_bytes
    for name in ("unknown", "known"):
        assert (tmp_path / name / NQUADS).read_bytes() == b"".join(_graph(n) for n in range(GRAPHS))
        store = open_store(tmp_path / name)
        assert len(store) == GRAPHS * LINES
        assert len(list(store.named_graphs())) == GRAPHS
        assert not (tmp_path / name / ".loading").exists()


def test_a_build_smaller_than_a_segment_loads_in_several(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """265 KB with segments of up to 1 MB: one load at the end without the count, several with it."""
    monkeypatch.setattr(disk, "LOAD_SEGMENT_BYTES", 2**20)
    sizes: list[int] = []
    hand_over = BuildWriter._hand_over

    def counted(self: BuildWriter) -> None:
        if self._segment is not None:
            self._segment.flush()
            sizes.append(Path(self._segment.name).stat().st_size)
        hand_over(self)

    monkeypatch.setattr(BuildWriter, "_hand_over", counted)
    monkeypatch.setattr(disk, "LOAD_START_BYTES", 1)
    monkeypatch.setattr(disk, "LOAD_MIN_SEGMENT_BYTES", 8_000)
    with BuildWriter(tmp_path / "out", trig=False, expected_graphs=GRAPHS) as writer:
        for number in range(GRAPHS):
            writer.add(_graph(number), b"")
        writer.finish({})
    assert len(sizes) >= 4
    graph_bytes = max(len(_graph(n)) for n in range(GRAPHS))
    assert sizes[0] <= GRAPHS * graph_bytes / 2 + graph_bytes
    assert len(open_store(tmp_path / "out")) == GRAPHS * LINES
