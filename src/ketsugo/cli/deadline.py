"""Running a query with a time limit: in a forked child process the parent kills at the deadline.

A pyoxigraph query cannot be cancelled from Python, so `ketsugo query` and `ketsugo sparql` run
the whole job (open the store, query, render the result) in a child made with ``fork`` before
any store is opened. The child sends back the rendered bytes (or its error lines and exit code)
through a pipe; at the deadline the parent kills it, so a runaway query cannot keep the machine
busy or grow without bound. Where ``fork`` does not exist, the job runs in this process.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ketsugo.errors import EXIT_INPUT_ERROR, KetsugoError, ReportedError


class QueryTimeout(KetsugoError):
    """A query ran past --timeout (the user's query: exit 2)."""

    exit_code = EXIT_INPUT_ERROR


def run_with_deadline(job: Callable[[], Any], seconds: float | None) -> Any:
    """``job()``'s (picklable) result, or its error re-raised; QueryTimeout after ``seconds``.

    ``seconds`` None or 0, or no ``fork`` here: run in this process, without a limit.
    """
    if not seconds or not hasattr(os, "fork"):
        with _interrupt_ends_at_once():
            return job()
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: do the job, send the outcome, and leave without cleanup handlers
        os.close(reader)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once, even mid-query
        _child(job, writer)
    os.close(writer)
    try:
        data = _read_until(reader, time.monotonic() + seconds)
    except BaseException:  # Ctrl-C (or anything) while waiting: the child goes too, never orphaned
        _kill(pid)
        raise
    finally:
        os.close(reader)
    if data is None:
        _kill(pid)
        raise QueryTimeout(
            f"the query did not finish within {seconds:g} s and was stopped "
            "(give a larger --timeout, or narrow the query)"
        )
    _, status = os.waitpid(pid, 0)
    if not data and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT:
        # Ctrl-C reached the child first: the child's default action ended it before this process
        # ran its own handler (a loaded machine); it is the same interruption
        raise KeyboardInterrupt
    if not data:
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"status {status >> 8}"
        raise ReportedError([f"the query process ended without an answer ({how}; out of memory?)"], 3)
    kind, *payload = pickle.loads(data)
    if kind == "ok":
        return payload[0]
    code, lines = payload
    raise ReportedError(lines, code)


@contextmanager
def _interrupt_ends_at_once() -> Iterator[None]:
    """While a query runs in this process: Ctrl-C ends it at once (the signal's default action).
    Python's own handler would wait for pyoxigraph to return, which a runaway query never does;
    nothing is being written meanwhile, so nothing is left half-done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _child(job: Callable[[], Any], writer: int) -> None:
    code = 0
    try:
        try:
            message: tuple[Any, ...] = ("ok", job())  # ("ok", value) or ("error", code, lines)
        except BaseException as exc:
            from ketsugo.cli.common import exit_for

            if isinstance(exc, SystemExit):
                raise
            if os.environ.get("KETSUGO_DEBUG") == "1":
                import traceback

                traceback.print_exception(exc, file=sys.stderr)
            message = ("error", *exit_for(exc))
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            written = os.write(writer, view)
            view = view[written:]
    except BaseException:
        code = 3
    finally:
        try:
            sys.stderr.flush()
        finally:
            os._exit(code)


def _read_until(reader: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None when the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([reader], [], [], left)
        if not ready:
            return None
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
