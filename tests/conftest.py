from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ketsugo.paths import REPORTS_DIR, ROOT

BUNDLED = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"
EXPECTED = ROOT / "tests" / "expected" / "shinjuku-2020.toml"
CASES = ROOT / "tests" / "cases"


@pytest.fixture(scope="session")
def expected() -> dict:
    """Hand-checked values of the bundled report (written by reading it, not by running ketsugo)."""
    with EXPECTED.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="session")
def bundled_path() -> Path:
    return BUNDLED


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled report built once for the whole session (`ketsugo build --out DIR`).

    Read-only for tests: a test that changes a build directory builds its own."""
    from ketsugo.metadata import bundled_reports
    from ketsugo.pipeline import run_build

    out = tmp_path_factory.mktemp("bundled-build") / "out"
    run_build(bundled_reports(), out)
    return out
