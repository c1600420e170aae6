#!/usr/bin/env python3
"""Measure `ketsugo query` start-up and query latency on a build (default: the bundled report).

Prints medians (not pass/fail): the start-up of a bare Python, of `ketsugo --version`, of
`ketsugo query … --format json` end to end, the time to open a build (on-disk store, or graph.nq
into memory), and each catalogue query's latency once the store is open, on the embedded store
(memory and disk) and, with --endpoint-too, through a local Oxigraph server.

    python scripts/bench_query.py [--store build] [--runs 15] [--endpoint-too]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

EXAMPLES = {  # a parameter value for every required parameter without a default
    "recipients-of-category": {"category": "生年月日"},
    "categories-of-counterparty": {"counterparty": "厚生労働省"},
    "connections-started-between": {"from": "2020-04-01", "to": "2021-03-31"},
    "search-connections": {"text": "ワクチン"},
}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_command(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def time_call(call, runs: int) -> float:
    call()  # warm-up (first use compiles nothing, but fills caches)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--store", type=Path, default=ROOT / "build", help="build directory (built if missing)"
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--endpoint-too", action="store_true", help="also time queries through Oxigraph")
    args = parser.parse_args()

    from ketsugo.sparql.catalogue import catalogue
    from ketsugo.sparql.query import LocalBackend, RemoteBackend, run_catalogue_query
    from ketsugo.store.disk import STORE

    store = args.store
    if not (store / STORE).is_dir():
        from ketsugo.pipeline import run_build
        from ketsugo.read.metadata import bundled_reports

        store = Path(tempfile.mkdtemp(prefix="ketsugo-bench-")) / "build"
        run_build(bundled_reports(), store)

    python = sys.executable
    runs = args.runs
    print(
        f"build: {store} ({(store / 'graph.nq').stat().st_size / 1e6:.1f} MB of N-Quads); medians of {runs} runs\n"
    )

    bare = time_command([python, "-c", "pass"], runs)
    ketsugo = [python, "-m", "ketsugo"]
    version = time_command([*ketsugo, "--version"], runs)
    end_to_end = time_command(
        [*ketsugo, "query", "summary-table", "--store", str(store), "--format", "json"], runs
    )
    with_param = [
        *ketsugo,
        "query",
        "recipients-of-category",
        "-p",
        "category=生年月日",
        "--store",
        str(store),
    ]
    end_to_end_param = time_command([*with_param, "--format", "json"], runs)
    end_to_end_table = time_command(with_param, runs)
    print("start-up (wall clock, new process)                    median ms   × bare python")
    for label, value in (
        ("python -c pass", bare),
        ("ketsugo --version", version),
        ("ketsugo query summary-table --format json", end_to_end),
        ("ketsugo query recipients-of-category -p … --format json", end_to_end_param),
        ("ketsugo query recipients-of-category -p … (table)", end_to_end_table),
    ):
        print(f"  {label:52} {value:8.1f}   {value / bare:5.2f}")

    open_memory = time_call(lambda: LocalBackend.open(store, "memory"), runs)
    open_disk = time_call(lambda: LocalBackend.open(store, "disk"), runs)
    print("\nopening the build (in process)                         median ms")
    print(f"  {'graph.nq into memory (--store-mode memory; auto here)':52} {open_memory:8.1f}")
    print(f"  {'on-disk store, read-only (--store-mode disk)':52} {open_disk:8.1f}")

    backends = {"memory": LocalBackend.open(store, "memory"), "disk": LocalBackend.open(store, "disk")}
    server_process = None
    if args.endpoint_too:
        from ketsugo.sparql import server
        from ketsugo.sparql.query import load_to_graph_store

        location = Path(tempfile.mkdtemp(prefix="ketsugo-bench-oxigraph-")) / "db"
        server_process, port = server.start(location, writable=True, union_default_graph=False)
        load_to_graph_store(backends["disk"].store, server.base_url(port))
        backends["endpoint"] = RemoteBackend(server.base_url(port))
    try:
        print("\nquery latency after start-up (parameters resolved and bound, rows collected), median ms")
        print(f"  {'query':34} {'rows':>5} " + " ".join(f"{name:>9}" for name in backends))
        latencies: dict[str, list[float]] = {name: [] for name in backends}
        for name, query in catalogue().items():
            params = EXAMPLES.get(name, {})
            rows = len(run_catalogue_query(backends["memory"], query, params).rows or [])
            cells = []
            for backend_name, backend in backends.items():
                value = time_call(lambda b=backend, q=query, p=params: run_catalogue_query(b, q, p), runs)
                latencies[backend_name].append(value)
                cells.append(f"{value:9.2f}")
            print(f"  {name:34} {rows:5} " + " ".join(cells))
        label = f"median over the {len(catalogue())} queries"
        print(f"  {label:34} {'':5} " + " ".join(f"{statistics.median(v):9.2f}" for v in latencies.values()))
    finally:
        if server_process is not None:
            from ketsugo.sparql import server

            server.stop(server_process)


if __name__ == "__main__":
    main()
