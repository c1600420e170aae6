"""`ketsugo serve` notices a rebuilt build and serves the new store (issue 13)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ketsugo.sparql import gate


def test_a_rebuilt_store_is_served_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "build" / "store"
    store.mkdir(parents=True)
    backend = gate.Backend(store, writable=False, timeout=30, max_memory_mb=0)
    started: list[int] = []
    monkeypatch.setattr(
        backend,
        "start",
        lambda: (started.append(1), setattr(backend, "_identity", backend._store_identity())),
    )
    monkeypatch.setattr(backend, "stop", lambda: None)
    backend.start()
    assert not backend.reload_if_rebuilt()  # nothing changed
    shutil.move(str(tmp_path / "build"), str(tmp_path / "old"))  # what `ketsugo build` does: a new folder
    store.mkdir(parents=True)
    assert backend.reload_if_rebuilt()
    assert len(started) == 2
    assert not backend.reload_if_rebuilt()  # once
