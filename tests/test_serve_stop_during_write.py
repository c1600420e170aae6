"""A slow SPARQL Update sent to `ketsugo serve --writable` must not make the server deaf to
SIGTERM (mission rule: never hang). The update runs inside pyoxigraph, which keeps the
interpreter busy; the server must still end promptly when asked, and the store it was writing
must still open afterwards (RocksDB applies an update whole or not at all).

The server is started as a script's background job is (``ketsugo serve &``, a test runner started
so): with SIGINT and SIGQUIT ignored. Python then installs no KeyboardInterrupt, and before
ketsugo took SIGINT itself the server never heard it (the hang of this test's SIGINT case)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from ketsugo.sparql import server
from tests import local_http
from tests.process_support import cpu_seconds, wait_for_cpu
from tests.test_query_support import built

# a triple cross join of the build's quads: far longer than any test would wait for
SLOW_UPDATE = (
    b"INSERT { GRAPH <urn:x:slow> { ?a <urn:x:p> ?c } } WHERE { GRAPH ?g { ?a ?p ?o } "
    b"GRAPH ?h { ?b ?q ?r } GRAPH ?i { ?c ?s ?t } "
    b'FILTER(STR(?o) = CONCAT(STR(?r), STR(?t), "zz")) }'
)
UPDATE_UNDER_WAY = 0.3  # CPU seconds the server spends on SLOW_UPDATE before the signal


def as_a_background_job() -> None:
    """In the child, before exec: the signals a shell's ``&`` without job control ignores."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)


def _post_slow_update(url: str, outcome: list[object]) -> None:
    request = local_http.request(
        url, data=SLOW_UPDATE, headers={"Content-Type": "application/sparql-update"}, method="POST"
    )
    try:
        with local_http.urlopen(request, timeout=120) as response:
            outcome.append(response.status)
    except local_http.HTTPError as exc:
        outcome.append(exc.code)
    except OSError as exc:  # the connection closed without an answer
        outcome.append(exc)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.loopback
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
        preexec_fn=as_a_background_job,
    )
    outcome: list[object] = []
    poster = threading.Thread(
        target=_post_slow_update, args=(server.base_url(port) + "/update", outcome), daemon=True
    )
    try:
        server.wait_until_ready(port, process)
        idle = cpu_seconds(process.pid)
        poster.start()
        # the update is being evaluated: the server has spent UPDATE_UNDER_WAY s of CPU on it (a fixed
        # sleep of 2 s cost 2 s of a core on an idle machine, and too little CPU on a loaded one)
        assert wait_for_cpu(process.pid, UPDATE_UNDER_WAY, since=idle), "the update never got going"
        assert process.poll() is None and not outcome
        process.send_signal(signum)
        process.wait(timeout=30)  # before: never (SIGTERM: close waited; SIGINT: ignored)
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


@pytest.mark.parametrize("inherited", ["ignored", "default"])
@pytest.mark.loopback
def test_sigint_stops_a_server_whatever_it_inherited(inherited: str) -> None:
    """`kill -INT` (or Ctrl-C) stops `ketsugo serve`, also when it was started with SIGINT ignored
    (a background job of a script). Before: ignored, the server ran on until killed."""
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "serve", "--store", str(built()), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        preexec_fn=as_a_background_job if inherited == "ignored" else None,
    )
    try:
        server.wait_until_ready(port, process)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    server.check_port_free(port)  # the front door is closed


@pytest.mark.loopback
def test_waiting_for_the_server_never_goes_through_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy named by the environment (http_proxy on a corporate machine or a CI runner) is not
    asked for the server ketsugo started on this machine: the readiness probe goes straight to it."""
    with local_http.answered_beside_a_proxy(monkeypatch) as (port, asked):
        server.wait_until_ready(port, timeout=5.0)
        assert not asked()


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie nobody reaps has ended too)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.loopback
def test_an_oxigraph_restarted_by_a_request_dies_with_a_killed_server(tmp_path: Path) -> None:
    """After a write, the read that follows restarts Oxigraph from its request's thread. Linux ties
    a child's parent-death signal to the thread that started it, which ends: before, that Oxigraph
    outlived a killed `ketsugo serve`, holding its port and the store."""
    import os

    from tests.test_fixes8_serve import _children

    copy = tmp_path / "build"
    shutil.copytree(built(), copy)
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "serve", "--store", str(copy), "--port", str(port), "--writable"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    oxigraph: int | None = None
    try:
        server.wait_until_ready(port, process)
        insert = local_http.request(
            server.base_url(port) + "/update",
            data=b"INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> <urn:x:b> } }",
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        with local_http.urlopen(insert, timeout=60) as response:
            assert response.status == 204
        ask = "ASK { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> <urn:x:b> } }"
        url = server.base_url(port) + "/query?query=" + urllib.parse.quote(ask)
        with local_http.urlopen(local_http.request(url, headers={"Accept": "text/csv"})) as answer:
            assert b"true" in answer.read()  # served by the Oxigraph this read started
        (oxigraph,) = [
            child
            for child in _children(process.pid)
            if Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0].endswith(b"oxigraph")
        ]
        process.kill()
        process.wait(timeout=30)
        for _ in range(600):
            if _gone(oxigraph):
                break
            time.sleep(0.05)
        assert _gone(oxigraph)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if oxigraph is not None and not _gone(oxigraph):
            os.kill(oxigraph, signal.SIGKILL)


@pytest.mark.loopback
def test_nothing_starts_once_the_server_is_stopping(tmp_path: Path) -> None:
    """A write that reaches the store only as the server stops (its request read, the signal
    already handled) is not begun: before, it opened the store and ran while the process
    ended. Nor does a late request start Oxigraph again."""
    import pyoxigraph as ox

    from ketsugo.sparql import frontwrites, gate

    copy = tmp_path / "build"
    shutil.copytree(built(), copy)
    before = len(ox.Store.read_only(str(copy / "store")))
    backend = gate.Backend(copy / "store", writable=True, timeout=10, max_memory_mb=0)
    backend.start()
    assert backend.close(wait=30)
    applied: list[object] = []

    def change(store: ox.Store) -> frontwrites.Answer:
        applied.append(store)
        return frontwrites.Answer(204)

    answer = backend.write(change)
    assert answer.status == 503 and applied == []
    with pytest.raises(server.ServerError):
        backend.start()
    assert backend.process is not None and backend.process.poll() is not None
    assert len(ox.Store.read_only(str(copy / "store"))) == before
