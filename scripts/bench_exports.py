"""Wall time, CPU time and peak memory of `ketsugo export flows` and `ketsugo export graph` on a build.

    python scripts/bench_exports.py /tmp/bench-nat/build-400
    python scripts/bench_exports.py /tmp/bench-nat/build-100 --compare HEAD~5 --what flows graph:graphml

Each export runs as its own `python -m ketsugo` process (as a user runs it); CPU is that process's
user + system time with its worker processes', peak memory the largest sum of the resident memory
of the process and its workers (sampled every 50 ms). With ``--compare REV`` the same exports run
first with the code of git revision REV (a copy of it under a temporary folder), and the ratios
old / new are printed, with whether both wrote the same bytes. The machine is shared: compare the
CPU figures, or ratios within one run, rather than wall times across runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WHAT = (
    "flows",
    "graph:graphml",
    "graph:gexf",
    "graph:html",
    "graph:svg",
    "graph:dot",
    "graph:nquads",
)
ALL_WHAT = (*DEFAULT_WHAT, "graph:trig", "graph:jsonld")


@dataclass
class Run:
    what: str
    wall: float
    cpu: float
    peak_mb: float
    status: int
    size_mb: float
    digest: str
    said: str


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and every process descending from it, in kB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    total, family = 0, {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                changed = True
    for pid in family:
        total += rss.get(pid, 0)
    return total


def measure(what: str, build: Path, out: Path, pythonpath: str | None) -> Run:
    """One export in its own process: wall, CPU (with its workers), peak memory of the tree."""
    command, _, fmt = what.partition(":")
    args = [sys.executable, "-m", "ketsugo", "export", command, "--store", str(build), "-o", str(out)]
    if fmt:
        args += ["--format", fmt]
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    said = (process.stderr.read() if process.stderr else "").strip().splitlines()
    process.returncode = os.waitstatus_to_exitcode(status)
    digest, size = "", 0.0
    if out.is_file():
        digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
        size = out.stat().st_size / 2**20
        out.unlink()
    return Run(
        what,
        wall,
        usage.ru_utime + usage.ru_stime,
        peak / 1024,
        process.returncode,
        size,
        digest,
        said[-1][:110] if said else "",
    )


def checkout(rev: str, into: Path) -> Path:
    """The source tree of ``rev`` (git archive), for running the old code beside the new."""
    archive = into / "old.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "old", filter="data")
    return into / "old" / "src"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("build", type=Path, help="a build directory (ketsugo build --out)")
    parser.add_argument(
        "--what",
        nargs="+",
        default=list(DEFAULT_WHAT),
        choices=ALL_WHAT,
        help="exports to run (graph:FORMAT is `export graph --format FORMAT`)",
    )
    parser.add_argument("--compare", metavar="REV", help="run each export with git revision REV first")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as work:
        folder = Path(work)
        old_src = str(checkout(options.compare, folder)) if options.compare else None
        print(f"{options.build}: wall s, CPU s (with workers), peak MB (process and workers), output MB")
        for what in options.what:
            suffix = what.partition(":")[2] or "csv"
            new = measure(what, options.build, folder / f"new.{suffix}", None)
            line = f"{what:14} new {_figures(new)}"
            if old_src is not None:
                old = measure(what, options.build, folder / f"old.{suffix}", old_src)
                same = "same bytes" if old.digest and old.digest == new.digest else "output differs"
                line += (
                    f" | old {_figures(old)} | old/new: wall {_ratio(old.wall, new.wall)}, "
                    f"CPU {_ratio(old.cpu, new.cpu)}, memory {_ratio(old.peak_mb, new.peak_mb)}; {same}"
                )
            print(line, flush=True)
            for run in (new,):
                if run.status != 0:
                    print(f"{'':14} exit {run.status}: {run.said}", flush=True)


def _figures(run: Run) -> str:
    return f"{run.wall:7.1f} s {run.cpu:7.1f} s CPU {run.peak_mb:7.0f} MB out {run.size_mb:6.1f} MB"


def _ratio(old: float, new: float) -> str:
    return f"{old / new:.1f}×" if new > 0 else "–"


if __name__ == "__main__":
    main()
