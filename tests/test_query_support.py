"""Shared helpers for the query, catalogue and server tests (no tests here).

The bundled report is built once per test process into a temporary directory; the golden files
under tests/golden/NAME/CASE.toml hold hand-checked expected rows (see tests/golden/README.md).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ketsugo.paths import ROOT
from tests.conftest import bundled_build_dir

GOLDEN = ROOT / "tests" / "golden"
LIST_SEPARATORS = (", ", " / ")


def built() -> Path:
    """A build directory of the bundled report: the one build of this test process (conftest)."""
    return bundled_build_dir()


@dataclass
class GoldenCase:
    query: str
    case: str
    path: Path
    params: dict[str, str]
    columns: list[str]
    rows: list[dict[str, Any]]
    ordered: bool = False
    order_by: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    derive: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.query}/{self.case}"


@functools.cache
def golden_cases() -> list[GoldenCase]:
    """Read once per test process (two modules parametrise over them; nobody changes them)."""
    cases = []
    for path in sorted(GOLDEN.glob("*/*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        rows = data.get("rows", [])
        columns = data.get("columns") or (list(rows[0]) if rows else [])
        cases.append(
            GoldenCase(
                query=path.parent.name,
                case=path.stem,
                path=path,
                params={k: str(v) for k, v in data.get("params", {}).items()},
                columns=columns,
                rows=rows,
                ordered=bool(data.get("ordered", False)),
                order_by=list(data.get("order_by", [])),
                lists=list(data.get("lists", [])),
                derive=str(data.get("derive", "")),
                data=data,
            )
        )
    return cases


def plain(term: Any) -> Any:
    """A result term as golden files write it: IRIs with known prefixes shortened, literals as Python values."""
    import pyoxigraph as ox

    from ketsugo.sparql.query import compact_iri
    from ketsugo.sparql.select import to_python

    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    return to_python(term)


def split_list(value: Any) -> Any:
    """A GROUP_CONCAT list cell as a sorted list (element order is not defined by SPARQL)."""
    if value is None:
        return []
    text = str(value)
    for separator in LIST_SEPARATORS:
        if separator in text:
            return sorted(text.split(separator))
    return [text] if text else []


def comparable(row: dict[str, Any], columns: list[str], lists: list[str]) -> tuple:
    values = []
    for column in columns:
        value = row.get(column)
        if column in lists:
            value = tuple(sorted(value)) if isinstance(value, list) else tuple(split_list(value))
        elif isinstance(value, date):
            value = value.isoformat()
        values.append(value)
    return tuple(values)


def sort_key(row: dict[str, Any], order_by: list[str]) -> tuple:
    key = []
    for column in order_by:
        descending = column.startswith("-")
        value = row.get(column.lstrip("-"))
        if descending:
            assert isinstance(value, int), f"descending order only on numbers ({column})"
            value = -value
        key.append((value is not None, value if value is not None else ""))
    return tuple(key)
