"""The project's own input error: everything wrong with a file, each with file, line and field."""

from __future__ import annotations

from ketsugo.records import Issue

EXIT_INPUT_ERROR = 2


class InputError(Exception):
    """Raised for input that cannot be read faithfully; carries every problem found."""

    def __init__(self, issues: list[Issue] | Issue):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))
