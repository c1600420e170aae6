"""Benchmark of `ketsugo validate` on synthetic national-scale builds: wall time, CPU time and peak
memory of the whole process tree (the command and its worker processes), per size and per report,
for both engines side by side (pyshacl report by report across cores; the shapes compiled into
SPARQL queries over the store) and the ratio pyshacl / sparql.

For each size N (default 10, 100, 400, 1747) it uses WORK/build-N when it exists; otherwise it writes
a corpus of N reports with scripts/gen_corpus.py (the synthetic national corpus) into WORK/corpus-N
and builds it with `ketsugo build`. Each validation runs in its own process; memory is the largest
sum of the resident sizes of the command and all its descendants, sampled from /proc every 50 ms
(ru_maxrss alone would give the largest single process, not the tree).

With ``--profile BUILD`` it instead opens one build's store read-only in this process and prints
where the SPARQL engine's time goes: each compiled query (CPU seconds of its thread, wall seconds,
rows), turning the rows into findings, and each cross-report query; the slowest first. With
``--chunks N`` it times the engine ``ketsugo validate`` runs on a build directory instead (a chunk of
reports at a time in memory, :mod:`ketsugo.check.sparql_chunks`) on its first N chunks: the copy,
each query and the findings, in CPU milliseconds a report.

With ``--compare OLD`` (a checkout of an earlier ketsugo, e.g. ``git worktree add /tmp/old HEAD~3``)
it runs that version's `ketsugo validate` and this one's side by side on each build (the SPARQL
engine, text, JSON and Turtle), prints both figures and their ratio, and checks that the outputs
are the same: text and JSON byte for byte, the Turtle reports as RDF (blank nodes canonicalized);
exit status 1 when one differs.

Usage: python scripts/bench_validate.py [--work DIR] [--sizes 10,100,400,1747] [--jobs N]
       [--engines pyshacl,sparql] [--keep]
       python scripts/bench_validate.py --profile BUILD [--top N] [--chunks N]
       python scripts/bench_validate.py --compare OLD --work DIR [--sizes 100,400] [--formats json,text,ttl]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KETSUGO = [sys.executable, "-m", "ketsugo"]
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    """ppid → pids, for every process /proc shows."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE
        todo.extend(tree.get(current, []))
    return total


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command; wall seconds, CPU seconds (user + system, with its children), peak tree RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0, 1):  # 1: findings, which a synthetic corpus has
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss": peak / 2**20, "largest": after.ru_maxrss / 1024}


def ensure_build(work: Path, size: int) -> Path:
    build = work / f"build-{size}"
    if (build / "store").is_dir():
        return build
    generator = ROOT / "scripts" / "gen_corpus.py"
    if not generator.is_file():
        raise SystemExit(f"no {build} and no {generator} to write a corpus with")
    corpus = work / f"corpus-{size}"
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(generator), str(corpus), "--count", str(size)], check=True)
    subprocess.run([*KETSUGO, "build", str(corpus), "--out", str(build), "-q"], check=True)
    return build


def profile_chunks(build: Path, top: int, chunks: int) -> None:
    """Time the chunked engine's steps (ketsugo.check.sparql_chunks) on the first chunks of a build,
    in this process: copying a chunk into memory, each query, making the findings (CPU a report)."""
    import dataclasses

    import pyoxigraph as ox

    from ketsugo.check import sparql_chunks as chunked
    from ketsugo.check import sparql_engine as engine
    from ketsugo.check.shapes import load_shapes
    from ketsugo.check.validate import report_graphs
    from ketsugo.graph.vocab import REFERENCE_GRAPH

    store = ox.Store.read_only(str(build / "store"))
    shapes = load_shapes()
    graphs = report_graphs(store)
    iris = [iri for iri, _ in graphs]
    reference = str(REFERENCE_GRAPH)
    checks = engine.compile_shapes(store, shapes, iris, reference).checks
    everything = engine.values_clause(iris)
    runner = chunked.ChunkRunner(
        store,
        build / chunked.NQUADS,
        shapes,
        [dataclasses.replace(c, query="") for c in checks],
        [c.query.split(everything) for c in checks],
        dict(graphs),
        reference,
        False,
    )
    tasks = chunked.plan(build / chunked.NQUADS, iris, chunked.CHUNK_BYTES, chunked.CHUNK_REPORTS)
    spent = {"copy": 0.0, "queries": 0.0, "findings": 0.0}
    per_check: dict[str, float] = {}
    run_check, copy = chunked.run_check, runner._copy

    def timed_check(memory: ox.Store, check: engine.Check) -> list[engine.Row]:
        started = time.process_time()
        rows = run_check(memory, check)
        seconds = time.process_time() - started
        spent["queries"] += seconds
        name = f"{engine._curie_sh(check.shape)} {engine._curie_sh(check.component)}"
        per_check[name] = per_check.get(name, 0.0) + seconds
        return rows

    def timed_copy(memory: ox.Store, task: chunked.Task) -> list[str]:
        started = time.process_time()
        found = copy(memory, task)
        spent["copy"] += time.process_time() - started
        return found

    chunked.run_check = timed_check  # type: ignore[assignment]
    runner._copy = timed_copy  # type: ignore[method-assign]
    reports = findings = 0
    for task in tasks[:chunks]:
        started = time.process_time()
        outcome = runner.run(task)
        spent["findings"] += time.process_time() - started
        reports += len(outcome.graphs)
        findings += len(outcome.found)
    spent["findings"] -= spent["copy"] + spent["queries"]
    print(f"{len(tasks)} chunks; the first {min(chunks, len(tasks))}: {reports} reports, {findings} findings")
    for step, seconds in spent.items():
        print(f"  {step}: {seconds:6.2f} s CPU, {1000 * seconds / max(1, reports):5.1f} ms a report")
    for name, seconds in sorted(per_check.items(), key=lambda item: -item[1])[:top]:
        print(f"  {1000 * seconds / max(1, reports):5.1f} ms a report  {name}")


def profile(build: Path, top: int) -> None:
    """Time each step of the SPARQL engine on one build, one query at a time (CPU of this thread)."""
    from ketsugo.check import sparql_engine as engine
    from ketsugo.check.shapes import _cross_report_findings, cross_report_queries, load_shapes
    from ketsugo.check.validate import report_graphs
    from ketsugo.graph.vocab import REFERENCE_GRAPH
    from ketsugo.sparql.query import open_build

    def clock() -> tuple[float, float]:
        return time.thread_time(), time.perf_counter()

    def since(start: tuple[float, float]) -> str:
        cpu, wall = clock()
        return f"{cpu - start[0]:7.2f} s CPU {wall - start[1]:7.2f} s wall"

    start = clock()
    store = open_build(build, "disk")
    shapes = load_shapes()
    graphs = report_graphs(store)
    print(f"open, shapes, {len(graphs)} report graphs: {since(start)}")
    start = clock()
    reference = str(REFERENCE_GRAPH)
    compiled = engine.compile_shapes(store, shapes, [iri for iri, _ in graphs], reference)
    print(f"compile {len(compiled.checks)} checks ({len(compiled.fallback)} left to pyshacl): {since(start)}")
    timings: list[tuple[float, float, int, str]] = []
    answers = []
    all_queries = clock()
    for check in compiled.checks:
        one = clock()
        rows = engine.run_check(store, check)
        cpu, wall = clock()
        answers.append(rows)
        name = f"{engine._curie_sh(check.shape)} {engine._curie_sh(check.component)}"
        timings.append((cpu - one[0], wall - one[1], len(rows), name))
    print(f"all queries: {since(all_queries)}, {sum(len(r) for r in answers)} rows")
    for cpu, wall, rows, name in sorted(timings, reverse=True)[:top]:
        print(f"  {cpu:7.2f} s CPU {wall:7.2f} s wall {rows:7d} rows  {name}")
    start = clock()
    import cProfile
    import pstats

    profiler = cProfile.Profile() if os.environ.get("BENCH_CPROFILE") else None
    if profiler is not None:
        profiler.enable()
    findings = engine.findings_from_rows(store, graphs, shapes, compiled.checks, answers, reference, False)
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"rows → {len(findings.findings)} findings: {since(start)}")
    for query in cross_report_queries():
        start = clock()
        found = _cross_report_findings(store, [query])
        print(f"cross-report {query.path.name}: {len(found)} findings, {since(start)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


def _canonical_turtle(path: Path) -> set[str]:
    """A Turtle file's triples, blank nodes labelled by RDF canonicalization (RDFC-1.0)."""
    import pyoxigraph as ox

    dataset = ox.Dataset(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def compare(old: Path, work: Path, sizes: list[int], formats: list[str], jobs: list[str]) -> bool:
    """The earlier checkout's validate and this one's, side by side: figures, ratio, same outputs."""
    old_env = {**os.environ, "PYTHONPATH": str(old / "src")}
    new_env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    same = True
    outputs = Path(tempfile.mkdtemp(prefix="ketsugo-compare-"))  # never inside WORK (it may be shared)
    print(
        "| reports | format | old wall | new wall | old CPU | new CPU | old peak | new peak | wall ratio | output |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        build = ensure_build(work, size)
        for fmt in formats:
            figures = {}
            for name, env in (("old", old_env), ("new", new_env)):
                output = outputs / f"{size}-{name}.{fmt}"
                command = [*KETSUGO, "validate", "--store", str(build), "--format", fmt, "-o", str(output)]
                figures[name] = measure([*command, *jobs], env)
            old_out, new_out = (outputs / f"{size}-{n}.{fmt}" for n in ("old", "new"))
            if fmt == "ttl":
                equal = _canonical_turtle(old_out) == _canonical_turtle(new_out)
            else:
                equal = old_out.read_bytes() == new_out.read_bytes()
            same = same and equal
            a, b = figures["old"], figures["new"]
            print(
                f"| {size} | {fmt} | {a['wall']:.1f} s | {b['wall']:.1f} s | {a['cpu']:.1f} s | {b['cpu']:.1f} s "
                f"| {a['rss']:.0f} MB | {b['rss']:.0f} MB | {a['wall'] / b['wall']:.1f}× "
                f"| {'same' if equal else 'DIFFERS'} |",
                flush=True,
            )
            for path in (old_out, new_out):
                path.unlink()
    shutil.rmtree(outputs, ignore_errors=True)
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="directory of corpus-N / build-N (default: a temp dir)")
    parser.add_argument("--sizes", default="10,100,400,1747")
    parser.add_argument("--jobs", type=int, help="worker processes for validate (default: every core)")
    parser.add_argument("--engines", default="pyshacl,sparql", help="engines to compare (default: both)")
    parser.add_argument("--keep", action="store_true", help="keep a temporary --work directory")
    parser.add_argument("--profile", type=Path, metavar="BUILD", help="time each step on this build instead")
    parser.add_argument(
        "--chunks", type=int, metavar="N", help="with --profile: the chunked engine, on its first N chunks"
    )
    parser.add_argument("--top", type=int, default=25, help="with --profile: the slowest N queries")
    parser.add_argument("--compare", type=Path, metavar="OLD", help="an earlier checkout to compare with")
    parser.add_argument("--formats", default="json,text,ttl", help="with --compare: output formats")
    args = parser.parse_args()
    if args.profile is not None and args.chunks:
        profile_chunks(args.profile, args.top, args.chunks)
        return
    if args.profile is not None:
        profile(args.profile, args.top)
        return
    if args.compare is not None:
        if args.work is None:
            raise SystemExit("--compare needs --work (the builds to validate)")
        jobs = ["-j", str(args.jobs)] if args.jobs else []
        sizes = [int(s) for s in args.sizes.split(",")]
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        if not compare(args.compare, args.work, sizes, formats, jobs):
            raise SystemExit(1)
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="ketsugo-bench-validate-"))
    work.mkdir(parents=True, exist_ok=True)
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    print(f"ketsugo validate, {os.cpu_count()} core(s); CPU = user + system of the whole process tree")
    print(
        "| reports | engine | wall | CPU | peak memory (tree) | largest process | CPU per report | findings |"
    )
    print("|---|---|---|---|---|---|---|---|")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            build = ensure_build(work, size)
            results = {}
            for engine in engines:
                output = work / f"findings-{size}-{engine}.json"
                command = [
                    *KETSUGO,
                    "validate",
                    "--store",
                    str(build),
                    "--format",
                    "json",
                    "--engine",
                    engine,
                ]
                result = measure([*command, "-o", str(output), *jobs])
                result["findings"] = len(json.loads(output.read_text(encoding="utf-8")))
                results[engine] = result
                print(
                    f"| {size} | {engine} | {result['wall']:.1f} s | {result['cpu']:.1f} s | {result['rss']:.0f} MB "
                    f"| {result['largest']:.0f} MB | {1000 * result['cpu'] / size:.0f} ms | {result['findings']} |",
                    flush=True,
                )
            if {"pyshacl", "sparql"} <= results.keys():
                slow, fast = results["pyshacl"], results["sparql"]
                print(
                    f"| {size} | ratio pyshacl/sparql | {slow['wall'] / fast['wall']:.1f}× | "
                    f"{slow['cpu'] / fast['cpu']:.1f}× | {slow['rss'] / fast['rss']:.1f}× | | | "
                    f"{'same count' if slow['findings'] == fast['findings'] else 'COUNTS DIFFER'} |",
                    flush=True,
                )
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
