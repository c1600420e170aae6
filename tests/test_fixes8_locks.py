"""A build killed with SIGKILL (no handler runs, nothing is cleaned up) leaves its lock file in
/tmp/ketsugo-locks-UID. The lock is an OS lock (filelock's fcntl lock on the file), released by
the kernel when the process dies, so the file left behind is free: the next build must neither
fail, nor wait ("waiting for another ketsugo build …"), nor warn, and it removes the file when done
(its holder removes it, ketsugo.store.builddir._release), with the killed build's .tmp directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock

from ketsugo.paths import ROOT
from ketsugo.store.builddir import lock_path

REPORT = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"


def _build(target: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "build", str(REPORT), "--out", str(target), "-j", "1"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _writing(target: Path) -> list[Path]:
    """The build's temporary directory: made only once the build holds the lock."""
    return list(target.parent.glob(f".{target.name}.*.tmp"))


def test_a_build_killed_holding_the_lock_leaves_a_free_lock_the_next_build_takes_and_removes(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out"
    killed = _build(target)
    try:
        while not _writing(target):  # the build holds the lock once it writes its .tmp directory
            assert killed.poll() is None, killed.communicate()
            time.sleep(0.005)
        os.kill(killed.pid, signal.SIGKILL)
    finally:
        killed.communicate()
    assert killed.returncode == -signal.SIGKILL
    assert lock_path(target).exists() and _writing(target)  # what a SIGKILL leaves behind
    assert not target.exists()

    probe = FileLock(str(lock_path(target)))
    probe.acquire(timeout=0)  # an OS lock: the kernel let go of it with the killed process
    probe.release()
    assert lock_path(target).exists()  # still there for the next build to find

    again = _build(target)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert "waiting" not in err and "lock" not in err.lower(), err
    assert "公益社団法人国民健康保険中央会" in out  # the summary, as after any build
    assert (target / "build.json").is_file()
    assert not lock_path(target).exists()  # the stale file is removed by its new holder
    assert not _writing(target)  # and the killed build's directory with it
