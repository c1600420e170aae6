"""ketsugo's errors: one base class whose exit code the CLI uses, handled in one place.

Exit codes (documented in `ketsugo --help` and README):
0 success; 1 findings at or above --fail-on (validate), or a service ketsugo talks to failed;
2 the user's input (a file, an option, a query, a build directory) cannot be used;
3 an internal error (a bug in ketsugo; KETSUGO_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_SERVICE_ERROR = 1
EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 3

# The kinds of finding (Issue.kind), in the order reports list them. "disclosure": what a reader
# cannot learn from the report although it is not wrong (a vendor named only by its kind): Info only.
FINDING_KINDS = ("report", "disclosure", "reading", "curation")


@dataclass(frozen=True)
class Issue:
    """Something the parser could not read as expected: an error, or a finding in lenient mode."""

    path: str
    line: int
    field: str
    message: str
    as_written: str = ""
    severity: str = "error"  # "error" stops a strict parse; "warning" never does; "info" only informs
    # Which of four kinds of finding this is, never mixed (see FINDING_KINDS):
    # "reading": ketsugo could not read the text as expected (lenient mode keeps going);
    # "report": the report itself is wrong or incomplete (e.g. a My Number item with a blank flag);
    # "disclosure": what a reader cannot learn from the report (a vendor named only by its kind) —
    #   common practice, always an info;
    # "curation": ketsugo's own knowledge is incomplete (a name no curated registry knows) —
    #   never a reason to distrust the report, never a violation.
    kind: str = "reading"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f" [{self.field}]" if self.field else ""
        return f"{where}:{what} {self.message}"


class KetsugoError(Exception):
    """Every error ketsugo reports to the user: a message and the exit code it ends with."""

    exit_code = EXIT_INTERNAL_ERROR

    def messages(self) -> list[str]:
        """The lines printed after `error: `."""
        return [str(self)]


class InputError(KetsugoError):
    """Raised for input that cannot be read faithfully; carries every problem found."""

    exit_code = EXIT_INPUT_ERROR

    def __init__(self, issues: list[Issue] | Issue):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

    def messages(self) -> list[str]:
        return [str(i) for i in self.issues]


class ServiceError(KetsugoError):
    """A service ketsugo talks to (an endpoint, the Oxigraph server) failed: not the user's input."""

    exit_code = EXIT_SERVICE_ERROR


class InternalError(KetsugoError):
    """Something ketsugo itself got wrong (a bug), reported without a traceback."""

    exit_code = EXIT_INTERNAL_ERROR


class ReportedError(KetsugoError):
    """An error already described elsewhere (e.g. in a child process): its lines and exit code."""

    def __init__(self, lines: list[str], exit_code: int):
        self.lines = list(lines)
        self.exit_code = exit_code
        super().__init__("\n".join(self.lines))

    def messages(self) -> list[str]:
        return self.lines


def os_problem(exc: OSError, path: Path) -> str:
    """A plain reason for a failed write: names a parent that is a file rather than saying "File exists"."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    return exc.strerror or str(exc)
