from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from ketsugo.paths import REPORTS_DIR, ROOT

BUNDLED = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"
EXPECTED = ROOT / "tests" / "expected" / "shinjuku-2020.toml"
CASES = ROOT / "tests" / "cases"

# What the CLI prints follows the locale (ketsugo.messages): tests expect English wherever they run,
# unless they ask for Japanese (--lang ja, or KETSUGO_LANG set in the test).
os.environ["KETSUGO_LANG"] = "en"


@pytest.fixture(scope="session")
def expected() -> dict:
    """Hand-checked values of the bundled report (written by reading it, not by running ketsugo)."""
    with EXPECTED.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="session")
def bundled_path() -> Path:
    return BUNDLED
