"""Writing output files so that a failure never leaves a partial file, readable by others, and
never costs a user a file: :func:`output_problem` says, before any work, why a path must not be
written (a symbolic link, a folder, a device, a place inside a build directory, a folder that
cannot be written); a named pipe or a character device (``/dev/null``) is written as a stream —
never replaced by a regular file, which as root would replace the device itself."""

from __future__ import annotations

import errno
import os
import signal
import stat
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


def _streamed(path: Path) -> bool:
    """A named pipe or a character device: written in place, as a stream."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


OWNER = ".ketsugo-build.json"  # a build directory's ownership record (ketsugo.store.builddir)
MANIFEST = "build.json"  # and its manifest, which a build written before that record has


def is_build_directory(folder: Path) -> bool:
    """Whether ``folder`` is a ketsugo build directory: its ownership record, or (written before
    that record existed) a build.json naming ketsugo."""
    import json

    for record in (folder / OWNER, folder / MANIFEST):
        try:
            data = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else None
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "ketsugo" in data:
            return True
    return False


def enclosing_build(path: Path) -> Path | None:
    """The ketsugo build directory ``path`` lies in (its ownership record or a ketsugo build.json
    in a folder above it), or None. Its files belong to ketsugo: the next build replaces them."""
    for folder in Path(os.path.abspath(path)).parents:
        if is_build_directory(folder):
            return folder
    return None


def _writable_folder(path: Path) -> str | None:
    """Why no file can be made beside ``path`` (None: one can): tried with a temporary file in the
    nearest folder that exists, so that a refusal comes before any work (root included)."""
    folder = Path(os.path.abspath(path)).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    try:
        handle, probe = tempfile.mkstemp(prefix=".ketsugo-probe.", dir=folder)
    except OSError as exc:
        return f"cannot write in {folder}: {exc.strerror or exc}"
    os.close(handle)
    os.unlink(probe)
    return None


def _metadata_table(path: Path) -> bool:
    """Whether ``path`` is a small TOML file with a [report] table: a report's metadata."""
    import tomllib

    try:
        if not path.is_file() or path.stat().st_size > 1_000_000:
            return False
        return isinstance(tomllib.loads(path.read_text(encoding="utf-8")).get("report"), dict)
    except (OSError, ValueError, RecursionError):  # unreadable, not TOML, nested too deeply
        return False


def _report_named(path: Path) -> str | None:
    """What makes the existing file ``path`` a report or a report's metadata (a REPORT.toml with a
    [report] table beside REPORT.txt/.pdf/.xlsx/.html), or None."""
    if path.suffix.lower() == ".toml":
        return "is a report's metadata file" if _metadata_table(path) else None
    metadata = path.with_suffix(".toml")
    if _metadata_table(metadata):
        return f"is a report (its metadata file {metadata.name} is beside it)"
    return None


def output_problem(path: Path) -> str | None:
    """Why ketsugo must not write ``path`` (None: it may), judged before any work."""
    if not str(path):
        return "an empty file name"
    if path.is_symlink():
        return (
            f"is a symbolic link (to {os.readlink(path)}): ketsugo neither writes through it nor "
            "replaces it; give the file itself or another name"
        )
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # a folder above it is missing, or a file
        mode = None
    except OSError as exc:
        return exc.strerror or str(exc)
    if mode is not None:
        if stat.S_ISDIR(mode):
            return "is a folder, not a file"
        if stat.S_ISBLK(mode):
            return "is a block device (a disk): never written"
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            return "is not a regular file (a socket?): not written"
    report = _report_named(path) if mode is not None else None
    if report is not None:
        return f"{report}: not overwritten; give another file name"
    build = enclosing_build(path)
    if build is not None:
        return (
            f"is inside the ketsugo build directory {build}, whose files the build owns (the next "
            "build replaces them all; queries read them): write it elsewhere"
        )
    if mode is not None and not stat.S_ISREG(mode):
        return None  # a named pipe or a device: written in place, no file is made beside it
    return _writable_folder(path)


def check_output(path: Path) -> None:
    """Refuse an output ketsugo must not write (InputError, exit 2), before any work."""
    problem = output_problem(path)
    if problem is not None:
        raise InputError(Issue(str(path), 0, "--output", problem))


def write_atomically(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, written as they come: a national export is not held whole;
    or bytes, a picture) to ``path`` through a temporary file, so a failure leaves no partial file. A named pipe or a
    character device is written in place (see the module's docstring); what
    :func:`output_problem` refuses is never written."""
    check_output(path)
    if _streamed(path):
        _write_stream(path, text)
        return
    with sigterm_unwinds():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError as exc:
            raise InputError(
                Issue(str(path), 0, "--output", f"cannot write here: {os_problem(exc, path)}")
            ) from None
        try:
            _write_to(handle, text)
            os.chmod(
                temporary, 0o666 & ~current_umask()
            )  # mkstemp makes 0600; others may need to read an export
            os.replace(temporary, path)
        except BaseException as exc:
            Path(temporary).unlink(missing_ok=True)
            _raise_if_full(exc, path, "nothing was replaced")
            raise


def _raise_if_full(exc: BaseException, path: Path, outcome: str) -> None:
    """A full disk (or quota) while writing is the place's problem, not a bug: exit 2, said plainly."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise InputError(
            Issue(str(path), 0, "--output", f"no space left on the device while writing: {outcome}")
        ) from None


def _write_to(handle: int, text: str | bytes | Iterable[str]) -> None:
    """Write text (UTF-8, line ends as given), its pieces, or bytes to an open file descriptor."""
    if isinstance(text, bytes):
        with os.fdopen(handle, "wb") as binary:
            binary.write(text)
        return
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        if isinstance(text, str):
            out.write(text)
        else:
            out.writelines(text)


def _write_stream(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Write to a named pipe or a device in place. A pipe nobody reads is refused at once (opened
    without blocking), rather than waiting for a reader forever."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        why = (
            "a named pipe (FIFO) no process is reading: start the reader first"
            if exc.errno == errno.ENXIO
            else (exc.strerror or str(exc))
        )
        raise InputError(Issue(str(path), 0, "--output", f"cannot write here: {why}")) from None
    os.set_blocking(handle, True)
    try:
        _write_to(handle, text)
    except OSError as exc:
        _raise_if_full(exc, path, "the output is incomplete")
        if exc.errno == errno.EPIPE:
            raise InputError(
                Issue(
                    str(path),
                    0,
                    "--output",
                    "the reader of the named pipe went away: the output is incomplete",
                )
            ) from None
        raise
