"""Worker processes build at most a few chunks of reports ahead of the writer (ketsugo.pipeline:
AHEAD_CHUNKS_PER_JOB), so finished graphs do not pile up in the main process while the store loads;
the reports still come back complete and in the order given (issue 11)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import ketsugo.pipeline as pipeline
from ketsugo.paths import ROOT
from ketsugo.read.metadata import load_metadata
from ketsugo.store.disk import NQUADS

REPORTS = 14


def _generator():  # scripts/gen_corpus.py, as tests/test_scale.py loads it
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_corpus", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def metas(tmp_path_factory):
    where = tmp_path_factory.mktemp("corpus")
    _generator().generate(where, count=REPORTS, fiscal_year=2021)
    return [load_metadata(p) for p in sorted(where.glob("*.txt"))]


def test_workers_run_only_a_few_chunks_ahead_and_keep_the_order(
    metas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted: list[int] = []  # chunks in flight when each was submitted
    taken: list[int] = []
    outcomes = pipeline._outcomes

    real_submit = pipeline.ProcessPoolExecutor.submit

    def submit(self, fn, *args, **kwargs):
        submitted.append(len(taken))
        return real_submit(self, fn, *args, **kwargs)

    def counted(*args, **kwargs):
        for outcome in outcomes(*args, **kwargs):
            taken.append(1)
            yield outcome

    one = pipeline.run_build(metas, tmp_path / "one", jobs=1)
    monkeypatch.setattr(pipeline, "AHEAD_CHUNKS_PER_JOB", 1)
    monkeypatch.setattr(pipeline.ProcessPoolExecutor, "submit", submit)
    monkeypatch.setattr(pipeline, "_outcomes", counted)
    two = pipeline.run_build(metas, tmp_path / "two", jobs=2)
    # one report a chunk (14 reports, 2 jobs): a chunk is submitted only once the one two before it
    # was taken — the third after the first report was taken, the fourth after the second, …
    assert len(submitted) == REPORTS
    assert submitted == [0, 0, *range(1, REPORTS - 1)]
    assert (tmp_path / "one" / NQUADS).read_bytes() == (tmp_path / "two" / NQUADS).read_bytes()
    assert [r.meta.path for r in two.reports] == [m.path for m in metas] == [r.meta.path for r in one.reports]
