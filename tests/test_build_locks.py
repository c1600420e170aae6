"""Build locks (/tmp/ketsugo-locks-UID): one file per build path while a build of it runs, none after.

A new user found one lock file per build path ever built, never removed. The holder now removes
its file before it lets go (ketsugo.store.builddir._release); a process waiting meanwhile must
still get the lock only after the holder is done, and never two at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from ketsugo.paths import ROOT
from ketsugo.store.builddir import atomic_directory, lock_path

SRC = str(ROOT / "src")

# One build to TARGET: log "NAME in" once it holds the lock (and whether the lock file is there),
# wait for the file GATE (when given), log "NAME out", finish the build.
_HOLDER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from ketsugo.store.builddir import atomic_directory, lock_path
    target, log, name, gate = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]

    def say(line):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(line + "\\n")

    with atomic_directory(target) as work:
        say(f"{name} in {lock_path(target).exists()}")
        while gate and not Path(gate).exists():
            time.sleep(0.02)
        (work / "build.json").write_text('{"ketsugo": "t"}')
        say(f"{name} out")
    """
)


def _start(target: Path, log: Path, name: str, gate: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(target), str(log), name, str(gate or "")],
        env={**os.environ, "PYTHONPATH": SRC},
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(log: Path, line: str, process: subprocess.Popen[str]) -> None:
    """Until ``line`` is in the log (or the process ends: then it must have been written)."""
    while process.poll() is None:
        if log.is_file() and line in log.read_text(encoding="utf-8").splitlines():
            return
        try:
            process.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
    assert line in log.read_text(encoding="utf-8").splitlines(), process.stderr and process.stderr.read()


def test_a_finished_build_leaves_no_lock_file(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with atomic_directory(target) as work:
        assert lock_path(target).exists()  # held while the build runs
        (work / "build.json").write_text('{"ketsugo": "t"}')
    assert not lock_path(target).exists()


def test_a_waiting_build_gets_the_lock_only_after_the_holder_and_nothing_is_left(tmp_path: Path) -> None:
    target, log, gate = tmp_path / "out", tmp_path / "log", tmp_path / "gate"
    first = _start(target, log, "first", gate)
    _wait_for(log, "first in True", first)
    second = _start(target, log, "second")  # waits on the lock the first holds
    for _ in range(40):  # give it time to wait (and, were the lock broken, to get in)
        try:
            second.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        break
    assert "second in" not in log.read_text(encoding="utf-8")
    gate.touch()  # the first finishes, removing its lock file while it still holds it
    errors = [p.communicate(timeout=120)[1] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], errors
    # one after the other, each holding a lock file of its own while it ran
    assert log.read_text(encoding="utf-8").splitlines() == [
        "first in True",
        "first out",
        "second in True",
        "second out",
    ]
    assert not lock_path(target).exists()
    assert not any(lock_path(target).parent.glob(lock_path(target).name + "*"))
