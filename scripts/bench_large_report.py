"""Benchmark: one large report (thousands of rows), built end to end by the CLI.

Issue 10 ("Size of one report"): a single report's cost must grow with its rows, not faster, and
its memory must be bounded by what the store needs, not by Python objects per row. This writes
synthetic reports of N rows (rows drawn like scripts/gen_corpus.py draws them: the bundled
report's rows and common businesses, sampled item lists, several counterparties, council
decisions), runs ``ketsugo build REPORT --out DIR`` under ``/usr/bin/time -v`` for each size,
and prints rows, wall seconds, user CPU seconds, peak memory (MB) and the ratios between sizes
(a ratio of times near the ratio of rows is linear). Nothing is asserted.

With ``--compare OTHER/src`` each size is also built with that ketsugo (e.g. an unchanged checkout,
``git archive HEAD | tar -x -C /tmp/base``), side by side in the same run (the machine's load
then disturbs both alike), and the two builds' graph.nq, graph.trig, dataset.ttl and build.json
are compared byte for byte. A large report's lines are spilled to disk past KETSUGO_SPILL_BYTES
(ketsugo.graph.quadlines): set it in the environment to try another threshold.

Usage: python scripts/bench_large_report.py [--rows 2000 8000] [--keep DIR] [--src OTHER/src]
       [--compare OTHER/src]
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
assert _SPEC is not None and _SPEC.loader is not None
gen = importlib.util.module_from_spec(_SPEC)
sys.modules["gen_corpus"] = gen
_SPEC.loader.exec_module(gen)

CODE = "131041"  # 新宿区: a ward whose agencies the registry knows
NAME = "新宿区"


def large_report_text(rows: int, fiscal_year: int = 2021, seed: int = 1) -> str:
    """A valid report (the summary adds up) of ``rows`` new connections and no ended ones."""
    rng = random.Random(f"large-{seed}-{rows}")
    pool = gen.Pool([*gen._bundled_rows(), *gen.EXTRA_ROWS])
    reiwa = fiscal_year - 2018
    era, prev_era = f"令和{reiwa}年度", f"令和{reiwa - 1}年度"
    lines = []
    specific = 0
    for number in range(1, rows + 1):
        business, reason, subjects, items, flag = rng.choice(pool.businesses)
        specific += flag
        cells = [
            str(number),
            rng.choice(gen.DEPARTMENTS),
            business,
            reason,
            subjects,
            gen._sample_items(rng, items),
            "○" if flag else "",
            gen._legal_basis(rng, reiwa),
            gen._counterparty(rng),
            gen._date(rng, reiwa, *gen._start_day(rng)),
        ]
        lines.append("\t".join(cells))
    previous = 50
    return (
        "\n".join(
            [
                f"外部電子計算機との結合の状況（{era}）",
                "",
                "(1) 実施機関別外部電子計算機との結合件数",
                "",
                f"実施機関\t{prev_era}外部電子計算機との結合数\t新たな外部電子計算機との結合数\t"
                f"終了した外部電子計算機との結合数\t{era}外部電子計算機との結合数\t内、特定個人情報の取扱いがあるものの数",
                f"区長\t{previous}\t{rows}\t0\t{previous + rows}\t{specific}",
                f"合計\t{previous}\t{rows}\t0\t{previous + rows}\t{specific}",
                "",
                f"(2) 新たに外部計算機との結合を行った外部結合の内訳（{NAME}）",
                "",
                "\t".join(gen.HEADER),
                *lines,
                "",
                "(3) 外部計算機との結合を終了した外部結合の内訳",
                "",
                "実績はありません。",
            ]
        )
        + "\n"
    )


def measure(report: Path, out: Path, src: Path | None = None) -> tuple[float, float, float]:
    """(wall seconds, user CPU seconds, peak MB) of ``ketsugo build`` on one report (with the
    ketsugo package of ``src``, e.g. an unchanged copy to compare with, when given)."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "ketsugo", "build", str(report)]
    command += ["--municipality", CODE, "--fiscal-year", "2021", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(src)} if src is not None else None
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        sys.exit(f"build failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and user and peak, done.stderr[-2000:]
    hours, minutes, seconds = int(wall[1] or 0), int(wall[2]), float(wall[3])
    return hours * 3600 + minutes * 60 + seconds, float(user[1]), int(peak[1]) / 1024


OUTPUTS = ("graph.nq", "graph.trig", "dataset.ttl", "build.json")


def _unlabelled(path: Path) -> list[bytes]:
    """A file's lines sorted, blank node labels taken out (rdflib names the reference graph's blank
    nodes afresh in each process, so two runs of one version differ there)."""
    with path.open("rb") as handle:
        return sorted(re.sub(rb"_:\w+", b"_:", line) for line in handle)


def same_outputs(one: Path, other: Path) -> str:
    """Which outputs two builds of one report write alike: byte for byte, or but for blank node labels."""
    said = []
    for name in OUTPUTS:
        if not ((one / name).is_file() and (other / name).is_file()):  # graph.trig: `build --trig` only
            said.append(f"{name} not in both")
        elif filecmp.cmp(one / name, other / name, shallow=False):
            said.append(f"{name} same")
        elif _unlabelled(one / name) == _unlabelled(other / name):
            said.append(f"{name} same but blank node labels")
        else:
            said.append(f"{name} DIFFERS")
    return ", ".join(said)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--keep", type=Path, help="write the reports here and keep them")
    parser.add_argument("--src", type=Path, help="run the ketsugo package of this src/ directory")
    parser.add_argument("--compare", type=Path, help="also run this src/ directory's ketsugo, side by side")
    parser.add_argument("--write-only", action="store_true", help="write the reports, do not build")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ketsugo-large-"))
    folder = args.keep or work
    folder.mkdir(parents=True, exist_ok=True)
    versions = [("before", args.compare), ("now", args.src)] if args.compare else [("", args.src)]
    figures: dict[str, list[tuple[int, float, float, float]]] = {label: [] for label, _ in versions}
    try:
        for rows in args.rows:
            report = folder / f"large-{rows}.txt"
            report.write_text(large_report_text(rows), encoding="utf-8")
            if args.write_only:
                print(f"wrote {report}")
                continue
            for label, src in versions:
                wall, user, peak = measure(report, work / f"build-{rows}-{label}", src)
                figures[label].append((rows, wall, user, peak))
                print(
                    f"{label:>6} {rows:>7} rows  {wall:7.1f} s wall  {user:7.1f} s user  {peak:7.0f} MB",
                    flush=True,
                )
            if args.compare:
                print(f"{rows:>14} rows: {same_outputs(*(work / f'build-{rows}-{v}' for v, _ in versions))}")
            for label, _ in versions:
                shutil.rmtree(work / f"build-{rows}-{label}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for label, made in figures.items():
        for (r0, w0, u0, m0), (r1, w1, u1, m1) in itertools.pairwise(made):
            print(
                f"{label:>6} {r0} → {r1} rows (×{r1 / r0:.1f}): wall ×{w1 / w0:.2f}, user ×{u1 / u0:.2f}, "
                f"memory ×{m1 / m0:.2f}"
            )


if __name__ == "__main__":
    main()
