"""The project's own input error: everything wrong with a file, each with file, line and field."""

from __future__ import annotations

from pathlib import Path

from ketsugo.records import Issue

EXIT_INPUT_ERROR = 2


class InputError(Exception):
    """Raised for input that cannot be read faithfully; carries every problem found."""

    def __init__(self, issues: list[Issue] | Issue):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


def os_problem(exc: OSError, path: Path) -> str:
    """A plain reason for a failed write: names a parent that is a file rather than saying "File exists"."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    return exc.strerror or str(exc)
