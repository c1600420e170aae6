"""What the cross-municipality tests share: the four reports of tests/cases/cross/ and their
hand-read expectations (tests/cases/cross/expected.toml, written before ketsugo ran on them)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from tests.conftest import CASES

CROSS = CASES / "cross"


@cache
def expected() -> dict[str, Any]:
    with (CROSS / "expected.toml").open("rb") as handle:
        return tomllib.load(handle)


def build(out: Path) -> Path:
    """The four reports built into ``out`` (one process: they are small)."""
    from ketsugo.pipeline import run_build
    from ketsugo.read.metadata import load_metadata

    metas = [load_metadata(path) for path in sorted(CROSS.glob("*.txt"))]
    assert len(metas) == 4 and all(meta is not None for meta in metas)
    run_build([m for m in metas if m is not None], out, jobs=1, trig=False)
    return out
