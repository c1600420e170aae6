"""Every curated TOML file of data/reference is read through ketsugo.paths.reference_toml (one
cached reader): no module opens one itself."""

from __future__ import annotations

import re
from pathlib import Path

import ketsugo

SRC = Path(ketsugo.__file__).parent
OPENS_ITSELF = re.compile(
    r"""REFERENCE_DIR\s*/\s*["'][^"']+\.toml["']\)\.(?:open|read_)|CATALOGUE\.(?:open|read_)"""
)
LEFT = {"paths.py"}


def test_no_module_opens_a_reference_toml_itself() -> None:
    found = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if str(path.relative_to(SRC)) not in LEFT and OPENS_ITSELF.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_pattern_finds_an_open() -> None:
    assert OPENS_ITSELF.search('with (REFERENCE_DIR / "cells.toml").open("rb") as handle:')
    assert not OPENS_ITSELF.search('reference_toml("cells.toml")')
