"""Writing output files so that a failure never leaves a partial file, readable by others."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from ketsugo.errors import InputError, Issue, os_problem


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _unwind(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While files are being written: SIGTERM (a `kill`, a CI timeout) raises SystemExit(143), so
    the temporary file or folder is removed on the way out, as for any error. Outside, Python's
    default stands: the process ends at once, even inside a long query (a Python handler would
    wait for the query to return). Only the main thread can set handlers; elsewhere, unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _unwind)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, written as they come: a national export is not held whole)
    to ``path`` through a temporary file, so a failure leaves no partial file."""
    with sigterm_unwinds():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError as exc:
            raise InputError(
                Issue(str(path), 0, "--output", f"cannot write here: {os_problem(exc, path)}")
            ) from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                if isinstance(text, str):
                    out.write(text)
                else:
                    out.writelines(text)
            os.chmod(
                temporary, 0o666 & ~current_umask()
            )  # mkstemp makes 0600; others may need to read an export
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
