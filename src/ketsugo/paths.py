"""Where the project's shipped files live.

The top-level ``ontology/``, ``data/``, ``shapes/`` and ``queries/`` of the checkout are the
source of truth (that is where people edit them). A wheel carries copies of them inside the
package, under ``ketsugo/_data/`` (pyproject.toml: ``force-include``), read through
:mod:`importlib.resources`; an editable install from a checkout reads the checkout itself.
This module is the one place that knows which.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

_PACKAGED = Path(str(files("ketsugo") / "_data"))
# A checkout: src/ketsugo/paths.py → the checkout's root (None when installed from a wheel).
_CHECKOUT = Path(__file__).resolve().parent.parent.parent
CHECKOUT: Path | None = _CHECKOUT if (_CHECKOUT / "pyproject.toml").is_file() else None

ROOT = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
ONTOLOGY_DIR = ROOT / "ontology"
REFERENCE_DIR = ROOT / "data" / "reference"
REPORTS_DIR = ROOT / "data" / "reports"
VOCAB_DIR = ROOT / "data" / "vocab"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"


def reference_files() -> list[Path]:
    """Every curated Turtle file loaded into the reference graph, in a stable order."""
    return sorted([*ONTOLOGY_DIR.glob("*.ttl"), *REFERENCE_DIR.glob("*.ttl")])


@cache
def reference_toml(name: str) -> dict[str, Any]:
    """A curated TOML file of data/reference (``party-patterns.toml``, ``cells.toml`` …), read once
    per process by every module that takes a table of it. Callers must not change what it returns."""
    with (REFERENCE_DIR / name).open("rb") as handle:
        return tomllib.load(handle)
