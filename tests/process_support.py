"""Waiting on a process the tests started by the CPU it has spent, not by the clock.

A fixed sleep ("the update is being evaluated after 2 s") costs its full length on an idle machine,
and the process busy all that while burns a core the other test worker could use; on a loaded
machine the same sleep may give the process too little CPU to have started. The CPU time the
process (all its threads) has spent says what it has done, whatever the load."""

from __future__ import annotations

import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """The user + system CPU seconds process ``pid`` has spent (every thread), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def wait_for_cpu(pid: int, seconds: float, *, since: float = 0.0, timeout: float = 120.0) -> bool:
    """Wait until ``pid`` has spent ``seconds`` of CPU more than ``since`` (True), or ``timeout``
    seconds of the clock have passed or the process has ended (False)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cpu_seconds(pid) - since >= seconds:
            return True
        if not Path(f"/proc/{pid}").exists():
            return False
        time.sleep(0.02)
    return False
