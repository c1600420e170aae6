"""Benchmark: `ketsugo build` of a synthetic national corpus, against the naive rdflib path.

One command prints every figure of issue 11 on this machine:
- the one-invocation build (`ketsugo build DIR`) of the first 10, 100, 400 and 1,747 reports of
  the corpus: wall time, CPU time (all processes), peak memory of the whole process tree
  (sampled every 0.1 s) and of the largest single process, quads;
- "which recipients receive date-of-birth data" on each build, from the on-disk store: the
  catalogue query in process (the median of five warm runs of `run_catalogue_query`: the category resolved, then bound as an
  inline VALUES row), the same query text with the category inlined as VALUES by hand, the same through every data item (before the query used the direct link
  connection → category, dpv:hasPersonalData),
  and the CLI (`ketsugo query recipients-of-category -p category=生年月日`, start-up included), as CSV
  and as the table a pipe gets;
- the cross-report check new-connection-repeated-warning.rq on each build;
- `ketsugo validate --format json`, `ketsugo export flows --format csv` and `ketsugo export graph
  --format graphml` on each build: wall, CPU and peak memory of the process tree (issue 11's goals:
  60 s and 2 GB each at national scale);
- how each cost grows with the reports: the exponent b of cost ∝ reports^b between the smallest
  and the largest size (1.0 = linear), and the cost per report at each size;
- the floor under each build: its graph.nq bulk-loaded alone into a fresh on-disk store (one call,
  then optimize), wall and CPU;
- the naive path on 100 reports: rdflib Dataset parse of the same graph.nq + the same query in
  rdflib (in a subprocess, for its peak memory), and the ratios ketsugo : naive.
A CPU calibration (a fixed Python loop) and the load average are printed first: figures taken
while other work shares the cores are slower by about the same factor.
Nothing is asserted (no timed tests); a step that exceeds its time limit is printed as "> limit".

Usage: python scripts/bench_national.py [--corpus DIR] [--sizes 10,100,400,1747] [--jobs N]
       [--naive-timeout 300] [--query-timeout 120] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

CATEGORY_IRI = "https://w3id.org/ketsugo/id/category/date-of-birth"


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    todo.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str], timeout: float | None = None, ok: tuple[int, ...] = (0,)) -> dict:
    """Run ``command``: wall and CPU seconds, peak memory of its process tree and of its largest process
    (``ok``: the exit statuses that are not a failure, e.g. validate's 1 for findings)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        timed_out = True
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode not in (*ok, None) and not timed_out:
        raise SystemExit(f"failed: {' '.join(command)}\n{err[-2000:]}")
    return {
        "wall": wall,
        "cpu": cpu,
        "tree_peak": peak,
        "process_peak": after.ru_maxrss * 1024,  # the largest child so far (kB on Linux)
        "timed_out": timed_out,
        "stdout": out,
    }


def subset(corpus: Path, n: int, where: Path) -> Path:
    """A directory with the first ``n`` reports of ``corpus`` (symbolic links)."""
    target = where / f"reports-{n}"
    target.mkdir(parents=True, exist_ok=True)
    for report in sorted(corpus.glob("*.txt"))[:n]:
        for path in (report, report.with_suffix(".toml")):
            link = target / path.name
            if not link.exists():
                link.symlink_to(path.resolve())
    return target


def calibration() -> float:
    """Milliseconds for a fixed loop (sum of range(10**6)), best of 5: how fast this CPU is right now."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - started)
    return best * 1000


# --- helpers run in a subprocess (for their own time limit and memory) --------------------------------


def query_variants(category_iri: str) -> dict[str, str]:
    text = (ROOT / "queries" / "recipients-of-category.rq").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^#\+.*\n", "", text)
    inlined = text.replace("WHERE {", f"WHERE {{ VALUES ?category {{ <{category_iri}> }}", 1)
    # the query before it followed the direct connection → category link: through every data item
    items = re.sub(
        r"\?narrower skos:broader\* \?category \.\s*\?connection dpv:hasPersonalData \?narrower ;",
        "?item kg:hasCategory/skos:broader* ?category .\n  ?connection kg:hasDataItem ?item ;",
        inlined,
    )
    return {"substituted": text, "values": inlined, "items": items}


def _query_child(build: str, variant: str) -> None:
    from ketsugo.store.disk import open_store

    store = open_store(Path(build))
    if variant == "catalogue":
        from ketsugo.sparql.catalogue import get
        from ketsugo.sparql.query import LocalBackend, run_catalogue_query

        run_catalogue_query(LocalBackend(store), get("recipients-of-category"), {"category": "生年月日"})
        times = []  # warm: the median of five runs after one
        for _ in range(5):
            started = time.perf_counter()
            outcome = run_catalogue_query(
                LocalBackend(store), get("recipients-of-category"), {"category": "生年月日"}
            )
            times.append(time.perf_counter() - started)
        print(json.dumps({"seconds": statistics.median(times), "rows": len(outcome.rows)}))
        return
    if variant == "repeated":
        text = (ROOT / "shapes" / "new-connection-repeated-warning.rq").read_text(encoding="utf-8")
        started = time.perf_counter()
        rows = len(list(store.query(text, use_default_graph_as_union=True)))
    else:
        from ketsugo.prefixes import PREFIXES

        text = query_variants(CATEGORY_IRI)[variant]
        started = time.perf_counter()
        # the catalogue declares the usual prefixes for its queries (rdf:, …): so does this
        rows = len(list(store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)))
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))


def _naive_child(nquads: str) -> None:
    """The naive path: rdflib Dataset parse of graph.nq, then the same query in rdflib."""
    from rdflib import Dataset, URIRef

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    loaded = time.perf_counter() - started
    print(json.dumps({"load": loaded}), flush=True)
    text = query_variants(CATEGORY_IRI)["substituted"]
    started = time.perf_counter()
    rows = len(list(dataset.query(text, initBindings={"category": URIRef(CATEGORY_IRI)})))
    print(json.dumps({"query": time.perf_counter() - started, "rows": rows}), flush=True)


def _load_child(nquads: str) -> None:
    """The floor under a build: graph.nq bulk-loaded, in one call, into a fresh on-disk store."""
    import pyoxigraph as ox

    with tempfile.TemporaryDirectory(prefix="ketsugo-load-") as where:
        store = ox.Store(where)
        store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
        del store


# --- the benchmark -------------------------------------------------------------------------------------


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def _secs(run: dict, key: str = "wall", limit: float | None = None) -> str:
    return f"> {limit:.0f} s" if run.get("timed_out") else f"{run[key]:.2f} s"


def _tool(run: dict, limit: float) -> str:
    """Wall, CPU and tree peak of one command (its exit status when it failed to run)."""
    if run.get("timed_out"):
        return f"> {limit:.0f} s"
    return f"{run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU, {_mb(run['tree_peak'])}"


def _growth(results: dict[int, dict]) -> None:
    """How each cost grows with the corpus: b in cost ∝ reports^b between the smallest and the
    largest size measured (1.0 is linear), and the cost per report at each size."""
    import math

    sizes = sorted(n for n in results if not results[n]["build"].get("timed_out"))
    if len(sizes) < 2:
        return
    small, large = sizes[0], sizes[-1]
    print(f"\ngrowth from {small} to {large} reports (b in cost ∝ reports^b; 1.0 = linear) and per report:")
    for name in ("build", "validate", "flows", "graphml"):
        runs = [results[n].get(name) for n in (small, large)]
        if any(r is None or r.get("timed_out") for r in runs):
            print(f"  {name:<9} not measured at both sizes")
            continue
        parts = []
        for key in ("wall", "cpu"):
            a, b = runs[0][key], runs[1][key]
            exponent = math.log(b / a) / math.log(large / small) if a > 0 and b > 0 else float("nan")
            per = ", ".join(f"{results[n][name][key] / n * 1000:.0f} ms" for n in sizes)
            parts.append(f"{key} b = {exponent:.2f} ({per} per report)")
        print(f"  {name:<9} " + "; ".join(parts))


def _query(build: Path, variant: str, timeout: float) -> dict:
    run = measure([sys.executable, __file__, "--_query", str(build), variant], timeout=timeout)
    if run["timed_out"]:
        return {"timed_out": True, "seconds": timeout, "rows": "?"}
    return json.loads(run["stdout"].strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="reports to build (default: generate all 1,747)")
    parser.add_argument("--sizes", default="10,100,400,1747")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--naive-size", type=int, default=100)
    parser.add_argument("--naive-timeout", type=float, default=300)
    parser.add_argument("--query-timeout", type=float, default=120)
    parser.add_argument("--build-timeout", type=float, default=1800)
    parser.add_argument("--keep", type=Path, help="keep the builds here")
    parser.add_argument("--_query", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--_naive", help=argparse.SUPPRESS)
    parser.add_argument("--_load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._query:
        return _query_child(*args._query)
    if args._naive:
        return _naive_child(args._naive)
    if args._load:
        return _load_child(args._load)

    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="ketsugo-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    ketsugo = [sys.executable, "-m", "ketsugo"]
    try:
        print(
            f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
            f"calibration sum(range(10**6)) = {calibration():.0f} ms (≈ 15–25 ms on an idle modern core)"
        )
        corpus = args.corpus
        if corpus is None:
            from gen_corpus import generate

            corpus = work / "corpus"
            started = time.perf_counter()
            generate(corpus)
            print(
                f"corpus: generated {len(list(corpus.glob('*.txt')))} reports in {time.perf_counter() - started:.1f} s"
            )
        results = {}
        print(
            "\nreports | connections | quads | build wall | build CPU | peak memory (tree) | largest process "
            "| DOB catalogue (median of 5) | DOB VALUES | DOB via items | DOB CLI (CSV) | DOB CLI (table) | repeated-check | store load alone (wall, CPU)"
        )
        for n in sizes:
            reports = subset(corpus, n, work)
            out = work / f"build-{n}"
            command = [*ketsugo, "build", str(reports), "--out", str(out), "-q"]
            if args.jobs:
                command += ["--jobs", str(args.jobs)]
            build = measure(command, timeout=args.build_timeout)
            if build["timed_out"]:
                print(f"{n:>7} | build > {args.build_timeout:.0f} s")
                continue
            manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
            connections = sum(r["connections"] for r in manifest["reports"])
            timeout = args.query_timeout
            queries = {v: _query(out, v, timeout) for v in ("catalogue", "values", "items", "repeated")}
            cli = measure(
                [*ketsugo, "query", "recipients-of-category", "--store", str(out), "-p", "category=生年月日",
                 "--format", "csv", "-o", os.devnull],
                timeout=timeout,
            )  # fmt: skip
            # the same as a table written to a file (the bytes a pipe gets: every row on one line)
            cli_table = measure(
                [*ketsugo, "query", "recipients-of-category", "--store", str(out), "-p", "category=生年月日",
                 "--format", "table", "-o", os.devnull],
                timeout=timeout,
            )  # fmt: skip
            # what the store's bulk loader alone needs for these quads: the floor under the build
            load = measure(
                [sys.executable, __file__, "--_load", str(out / "graph.nq")], timeout=args.build_timeout
            )
            # the checks and the two streaming exports of the same build (tree peak: worker processes too)
            tools = {
                "validate": measure(
                    [*ketsugo, "validate", "--store", str(out), "--format", "json"],
                    timeout=args.build_timeout,
                    ok=(0, 1),  # 1: findings (the corpus has irregular reports on purpose)
                ),
                "flows": measure(
                    [*ketsugo, "export", "flows", "--store", str(out), "--format", "csv", "-o", os.devnull],
                    timeout=args.build_timeout,
                ),
                "graphml": measure(
                    [
                        *ketsugo,
                        "export",
                        "graph",
                        "--store",
                        str(out),
                        "--format",
                        "graphml",
                        "-o",
                        os.devnull,
                    ],
                    timeout=args.build_timeout,
                ),
            }
            results[n] = {"build": build, "queries": queries, "cli": cli, "quads": manifest["quads"], **tools}

            def q(v: str, queries: dict = queries, timeout: float = timeout) -> str:
                r = queries[v]
                return (
                    f"> {timeout:.0f} s"
                    if r.get("timed_out")
                    else f"{r['seconds'] * 1000:,.0f} ms ({r['rows']} rows)"
                )

            print(
                f"{n:>7} | {connections:>11,} | {manifest['quads']:>9,} | {build['wall']:8.1f} s | {build['cpu']:7.1f} s "
                f"| {_mb(build['tree_peak']):>10} | {_mb(build['process_peak']):>10} | {q('catalogue')} | {q('values')} "
                f"| {q('items')} | {_secs(cli, limit=timeout)} | {_secs(cli_table, limit=timeout)} | {q('repeated')} "
                f"| {_secs(load)}, {load['cpu']:.1f} s",
                flush=True,
            )
            print(
                "        "
                + " | ".join(
                    f"{name} {_tool(tools[name], args.build_timeout)}"
                    for name in ("validate", "flows", "graphml")
                ),
                flush=True,
            )
        _growth(results)
        n = args.naive_size
        if n in results:
            nquads = work / f"build-{n}" / "graph.nq"
            naive = measure([sys.executable, __file__, "--_naive", str(nquads)], timeout=args.naive_timeout)
            lines = [json.loads(line) for line in naive["stdout"].splitlines() if line.startswith("{")]
            load = next((x["load"] for x in lines if "load" in x), None)
            query = next((x["query"] for x in lines if "query" in x), None)
            ours = results[n]
            ours_query = ours["queries"]["catalogue"]
            print(
                f"\nnaive path on {n} reports (rdflib Dataset parse of graph.nq + the same query in rdflib):"
            )
            print(
                f"  load {'> limit' if load is None else f'{load:.1f} s'}, query "
                f"{'> ' + str(int(args.naive_timeout)) + ' s (stopped)' if query is None else f'{query:.1f} s'}, "
                f"peak memory {_mb(naive['tree_peak'])}"
            )
            naive_total = naive["wall"]
            ours_total = ours["build"]["wall"] + ours["cli"]["wall"]
            bound = "≥ " if query is None else ""
            print(
                f"  ketsugo: build {ours['build']['wall']:.1f} s + CLI query {ours['cli']['wall']:.2f} s; "
                f"in-process query {ours_query['seconds']:.2f} s; peak memory {_mb(ours['build']['tree_peak'])}"
            )
            cli = ours["cli"]
            print(
                f"  from what each has on disk (naive: graph.nq; ketsugo: its store) to the answer — "
                f"ketsugo CLI {cli['wall']:.2f} s, {_mb(cli['tree_peak'])}: naive : ketsugo time "
                f"{bound}{naive_total / max(cli['wall'], 1e-6):.1f}×, memory "
                f"{naive['tree_peak'] / max(cli['tree_peak'], 1):.1f}×"
            )
            print(
                f"  from the report texts (ketsugo build + CLI query) — naive : ketsugo time (load + query) "
                f"{bound}{naive_total / ours_total:.1f}×, "
                f"query alone {bound}{(query or naive_total - (load or 0)) / max(ours_query['seconds'], 1e-6):.1f}×, "
                f"memory {naive['tree_peak'] / max(ours['build']['tree_peak'], 1):.1f}× (build peak)"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
