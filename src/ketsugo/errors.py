"""The project's own input error: everything wrong with a file, each with file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_INPUT_ERROR = 2

# The three kinds of finding (Issue.kind), in the order reports list them.
FINDING_KINDS = ("report", "reading", "curation")


@dataclass(frozen=True)
class Issue:
    """Something the parser could not read as expected: an error, or a finding in lenient mode."""

    path: str
    line: int
    field: str
    message: str
    as_written: str = ""
    severity: str = "error"  # "error" stops a strict parse; "warning" never does; "info" only informs
    # Which of three kinds of finding this is, never mixed (see FINDING_KINDS):
    # "reading": ketsugo could not read the text as expected (lenient mode keeps going);
    # "report": the report itself is wrong or incomplete (e.g. a My Number item with a blank flag);
    # "curation": ketsugo's own knowledge is incomplete (a name no curated registry knows) —
    #   never a reason to distrust the report, never a violation.
    kind: str = "reading"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f" [{self.field}]" if self.field else ""
        return f"{where}:{what} {self.message}"


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
