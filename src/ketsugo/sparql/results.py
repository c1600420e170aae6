"""What a query gave (:class:`Outcome`), its terms as Python values, and the order of list cells.

SPARQL leaves the order of GROUP_CONCAT values open: :func:`sort_list_cells` sorts them
(numbers by value) so the same query gives the same cells on any store or endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ketsugo.prefixes import XSD
from ketsugo.sparql.text import QueryError


def to_python(term: Any) -> Any:
    """Literals to str/int/bool/date by datatype; IRIs to their string; None stays None."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype == XSD + "integer":
            return int(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == XSD + "date":
            return date.fromisoformat(term.value)
        return term.value
    return term.value


@dataclass
class Outcome:
    """What a query gave: SELECT rows, an ASK answer, or triples (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: list[str] | None = None
    rows: list[list[Any]] | None = None  # pyoxigraph terms, None where unbound
    boolean: bool | None = None
    triples: list[Any] | None = None

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain Python values (:func:`to_python`)."""
        if self.variables is None or self.rows is None:
            raise QueryError(f"a {self.form} query has no rows")
        return [{v: to_python(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def drop_columns(self, names: Iterable[str]) -> None:
        """Remove columns (a parameter's echo, which every row would repeat)."""
        if self.variables is None or self.rows is None:
            return
        dropped = set(names)
        keep = [i for i, v in enumerate(self.variables) if v not in dropped]
        self.variables = [self.variables[i] for i in keep]
        self.rows = [[row[i] for i in keep] for row in self.rows]


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Sort key comparing runs of digits by value: "No.2" before "No.10". The split puts the runs
    of digits at the odd places (the national answers sort tens of thousands of list items)."""
    return [
        (0, int(part)) if index & 1 else (1, part) for index, part in enumerate(_DIGITS.split(text)) if part
    ]


def sort_list_cells(outcome: Outcome, lists: dict[str, str]) -> None:
    """Sort the elements of GROUP_CONCAT cells (whose order SPARQL leaves open), keeping each literal's type."""
    import pyoxigraph as ox

    assert outcome.variables is not None and outcome.rows is not None
    for column, separator in lists.items():
        if column not in outcome.variables:
            continue
        index = outcome.variables.index(column)
        for row in outcome.rows:
            term = row[index]
            if not isinstance(term, ox.Literal) or separator not in term.value:
                continue
            value = separator.join(sorted(term.value.split(separator), key=natural_key))
            if term.language:
                row[index] = ox.Literal(value, language=term.language)
            else:
                row[index] = ox.Literal(value, datatype=term.datatype)
