"""Writing output files so that a failure never leaves a partial file, readable by others."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ketsugo.errors import InputError, Issue, os_problem


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, written as they come: a national export is not held whole)
    to ``path`` through a temporary file, so a failure leaves no partial file."""
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
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes 0600; others may need to read an export
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
