"""Streaming, multi-process builds: the same bytes on one process or several; directories as input;
literals typed the way rdflib types them; build.json stays small."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import XSD
from rdflib import Literal as RdflibLiteral

from ketsugo.export.dataset import dataset_text
from ketsugo.graph.terms import Literal, to_rdflib
from ketsugo.graph.vocab import REFERENCE_GRAPH
from ketsugo.paths import ROOT
from ketsugo.pipeline import MANIFEST_LIST_LIMIT, PARALLEL_FROM, run_build
from ketsugo.read.metadata import load_metadata
from ketsugo.sparql.select import select
from ketsugo.store.disk import NQUADS, TRIG, open_store


def _generator():
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_corpus", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Enough synthetic reports for the build to use worker processes."""
    where = tmp_path_factory.mktemp("corpus")
    _generator().generate(where, count=PARALLEL_FROM + 1, fiscal_year=2021)
    return where


def test_parallel_build_gives_the_same_bytes_as_one_process(corpus: Path, tmp_path: Path) -> None:
    metas = [load_metadata(p) for p in sorted(corpus.glob("*.txt"))]
    one = run_build(metas, tmp_path / "one", jobs=1, trig=True)
    two = run_build(metas, tmp_path / "two", jobs=2)
    assert (tmp_path / "one" / NQUADS).read_bytes() == (tmp_path / "two" / NQUADS).read_bytes()
    # graph.trig only when asked (--trig); the export makes the same bytes from graph.nq
    assert not (tmp_path / "two" / TRIG).exists()
    trig = "".join(dataset_text(open_store(tmp_path / "two"), "trig", tmp_path / "two")).encode()
    assert trig == (tmp_path / "one" / TRIG).read_bytes()
    assert one.triples == two.triples == (tmp_path / "two" / NQUADS).read_bytes().count(b"\n")
    # every report's graph is in the store, in the order given
    assert [r.meta.path for r in two.reports] == [m.path for m in metas]
    graphs = select(open_store(tmp_path / "two"), "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a kg:Report } }")
    assert len(graphs.rows) == len(metas)


def test_each_graph_is_sorted_and_the_trig_declares_prefixes_once(corpus: Path, tmp_path: Path) -> None:
    metas = [load_metadata(p) for p in sorted(corpus.glob("*.txt"))][:2]
    run_build(metas, tmp_path / "b", jobs=1, trig=True)
    by_graph: dict[str, list[str]] = {}
    for line in (tmp_path / "b" / NQUADS).read_text(encoding="utf-8").split("\n")[:-1]:
        by_graph.setdefault(line.rsplit(" ", 2)[-2], []).append(line)
    assert len(by_graph) == 3  # reference data and two reports
    reference = by_graph.pop(f"<{REFERENCE_GRAPH}>")
    assert all(lines == sorted(set(lines)) for lines in by_graph.values())
    # the reference graph: the curated data first, then the organisations the reports name (written
    # once, at the end of the build: docs/model.md), each part sorted, no line twice
    cut = next(i for i in range(1, len(reference)) if reference[i] < reference[i - 1])
    assert reference[:cut] == sorted(reference[:cut]) and reference[cut:] == sorted(reference[cut:])
    assert len(set(reference)) == len(reference)
    trig = (tmp_path / "b" / TRIG).read_text(encoding="utf-8")
    assert trig.count("@prefix kg: ") == 1


def test_build_of_a_directory_takes_every_report_with_its_metadata(
    tmp_path: Path, bundled_path: Path
) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(bundled_path, reports)
    shutil.copy(bundled_path.with_suffix(".toml"), reports)
    (reports / "notes.txt").write_text("no metadata beside me: not a report", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(reports), "--out", str(tmp_path / "b"), "-q"])
    assert result.exit_code == 0, result.output
    rows = select(open_store(tmp_path / "b"), "SELECT ?c WHERE { ?c a kg:Connection }").rows
    assert len(rows) == 22  # rows No.1–22 of the bundled report


def test_a_directory_without_reports_is_an_input_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--out", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "a directory with no report in it" in result.output
    assert not (tmp_path / "b").exists()


def test_manifest_lists_a_bounded_number_of_issues_with_the_counts(
    tmp_path: Path, bundled_path: Path
) -> None:
    # every line doubled as a note: many findings of one kind
    lines = bundled_path.read_text(encoding="utf-8").split("\n")
    noisy = tmp_path / "noisy.txt"
    extra = [f"余分な行 {n}" for n in range(MANIFEST_LIST_LIMIT + 10)]
    noisy.write_text("\n".join(lines[:5] + extra + lines[5:]), encoding="utf-8")
    from ketsugo.read.metadata import metadata_from_options

    build = run_build([metadata_from_options(noisy, "131041", 2020)], tmp_path / "b", lenient=True)
    report = json.loads((tmp_path / "b" / "build.json").read_text(encoding="utf-8"))["reports"][0]
    issues = build.reports[0].issues
    assert len(issues) > MANIFEST_LIST_LIMIT
    assert len(report["issues"]) == MANIFEST_LIST_LIMIT
    assert sum(report["issue_counts"].values()) == len(issues)


@pytest.mark.parametrize(
    "value",
    ["text", "", 0, 22, -3, True, False, 1.5, dt.date(2020, 5, 15)],
)
def test_literals_are_typed_like_rdflib(value) -> None:
    assert to_rdflib(Literal(value)) == RdflibLiteral(value)


def test_language_and_datatype_literals_match_rdflib() -> None:
    assert to_rdflib(Literal("生年月日", lang="ja")) == RdflibLiteral("生年月日", lang="ja")
    day = dt.date(2021, 3, 1)
    assert to_rdflib(Literal(day, datatype=XSD.date)) == RdflibLiteral(day, datatype=XSD.date)
    assert to_rdflib(Literal("x", datatype=XSD.string)) == RdflibLiteral("x")


def test_sigterm_during_a_build_leaves_nothing_behind(corpus: Path, tmp_path: Path) -> None:
    """`kill` (SIGTERM) while a build is being written: exit 143, no build directory, no temporary
    directory beside it (SIGTERM unwinds like an error; before, the process died where it stood)."""
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "build", str(corpus), "--out", str(out), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(3000):  # until the build's temporary directory exists (≤ 30 s)
        if any(tmp_path.glob(".out.*")) or process.poll() is not None:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the build ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=120)
    assert process.returncode == 143
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_sigterm_is_python_s_default_again_once_files_are_written(tmp_path: Path) -> None:
    """The unwinding handler is set only while files are written: elsewhere (a long query) a
    `kill` must end the process at once, which a Python handler would delay until the query
    returned (a national export graph outlived its SIGTERM by an hour)."""
    from ketsugo.store.files import sigterm_unwinds, write_atomically

    before = signal.getsignal(signal.SIGTERM)
    with sigterm_unwinds():
        assert signal.getsignal(signal.SIGTERM) is not before
    write_atomically(tmp_path / "x.txt", iter(["a", "b"]))
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "ab"
    assert signal.getsignal(signal.SIGTERM) is before
