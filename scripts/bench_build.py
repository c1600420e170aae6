"""Benchmark: building the bundled report end to end, after start-up.

Measures in one run, on this machine:
- start-up: importing ketsugo's build stack and loading the curated reference data (once per process);
- work: read → parse → graph → N-Quads → pyoxigraph store → TriG, for the bundled report (median of N);
- the stages separately (parse, graph, write), so a regression shows where it is.
Figures are printed as seconds and as ratios to one another, never asserted (no timed tests).

Usage: python scripts/bench_build.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from ketsugo.graph.quads import build_graph
    from ketsugo.graph.reference import reference
    from ketsugo.graph.vocab import REFERENCE_GRAPH
    from ketsugo.pipeline import run_build
    from ketsugo.read.metadata import bundled_reports
    from ketsugo.read.parser import parse_report
    from ketsugo.read.textio import read_report_text
    from ketsugo.store.disk import to_quads, write_build

    imported = time.perf_counter() - t0
    t1 = time.perf_counter()
    ref = reference()
    reference_load = time.perf_counter() - t1

    meta = bundled_reports()[0]
    text = read_report_text(meta.path).text
    report = parse_report(text, str(meta.path))
    result = build_graph(report, meta, ref)
    quads = to_quads([(REFERENCE_GRAPH, ref.graph), (result.graph_iri, result.graph)])

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        parse = _median(lambda: parse_report(read_report_text(meta.path).text, str(meta.path)), args.repeat)
        graph = _median(lambda: build_graph(report, meta, ref), args.repeat)
        write = _median(lambda: write_build(quads, {}, out), args.repeat)
        total = _median(lambda: run_build([meta], out), args.repeat)

    startup = imported + reference_load
    print(f"bundled report: {len(report.connections)} connections, {len(quads)} quads with reference data")
    print(f"start-up  imports {imported:.3f} s + reference data {reference_load:.3f} s = {startup:.3f} s")
    print(f"work      end to end {total:.3f} s (median of {args.repeat})")
    print(
        f"  parse {parse * 1000:.1f} ms | graph {graph * 1000:.1f} ms | write store+files {write * 1000:.1f} ms"
    )
    print(
        f"ratios    work / start-up = {total / startup:.2f}; parse share {parse / total:.0%}, "
        f"graph share {graph / total:.0%}, write share {write / total:.0%}"
    )


if __name__ == "__main__":
    main()
