"""A slow SPARQL Update sent to `ketsugo serve --writable` must not make the server deaf to
SIGTERM (mission rule: never hang). The update runs inside pyoxigraph, which keeps the
interpreter busy; the server must still end promptly when asked, and the store it was writing
must still open afterwards (RocksDB applies an update whole or not at all)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ketsugo.sparql import server
from tests.test_query_support import built

# a triple cross join of the build's quads: far longer than any test would wait for
SLOW_UPDATE = (
    b"INSERT { GRAPH <urn:x:slow> { ?a <urn:x:p> ?c } } WHERE { GRAPH ?g { ?a ?p ?o } "
    b"GRAPH ?h { ?b ?q ?r } GRAPH ?i { ?c ?s ?t } "
    b'FILTER(STR(?o) = CONCAT(STR(?r), STR(?t), "zz")) }'
)


def _post_slow_update(url: str, outcome: list[object]) -> None:
    request = urllib.request.Request(
        url, data=SLOW_UPDATE, headers={"Content-Type": "application/sparql-update"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            outcome.append(response.status)
    except urllib.error.HTTPError as exc:
        outcome.append(exc.code)
    except OSError as exc:  # the connection closed without an answer
        outcome.append(exc)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_a_writable_server_during_a_slow_update(tmp_path: Path, signum: int) -> None:
    import pyoxigraph as ox

    copy = tmp_path / "build"
    shutil.copytree(built(), copy)
    before = len(ox.Store.read_only(str(copy / "store")))
    assert before > 1000  # enough quads that the cross join cannot finish in the test's time
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "serve", "--store", str(copy), "--port", str(port), "--writable"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    outcome: list[object] = []
    poster = threading.Thread(
        target=_post_slow_update, args=(server.base_url(port) + "/update", outcome), daemon=True
    )
    try:
        server.wait_until_ready(port, process)
        poster.start()
        time.sleep(2.0)  # the update is being evaluated
        assert process.poll() is None and not outcome
        process.send_signal(signum)
        process.wait(timeout=30)  # before the fix: never (only SIGKILL ended it)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    poster.join(timeout=30)
    assert not poster.is_alive()
    assert len(outcome) == 1 and (outcome[0] == 503 or isinstance(outcome[0], OSError)), outcome
    store = ox.Store.read_only(str(copy / "store"))  # the store opens, without the cut update
    assert len(store) == before
    assert not list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:x:slow")))
