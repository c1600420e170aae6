"""The Oxigraph process behind `ketsugo serve` listens on a private port that the front door
(ketsugo.sparql.gate) forwards to, and that any local user (or a web page that finds the port)
could reach directly, past the front door's checks. It must be read-only (`oxigraph
serve-read-only`) and on 127.0.0.1 only: an update sent straight to it is refused and the store
keeps every quad."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ketsugo.sparql import server
from tests import local_http
from tests.test_query_support import built
from tests.test_server import count_quads


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started, from any of its threads (Oxigraph is started by a spawner thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _oxigraph_behind(pid: int) -> list[str]:
    """The command line of the oxigraph process `ketsugo serve` (process ``pid``) started."""
    for _ in range(200):
        for child in _children(pid):
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if any(part.endswith(b"oxigraph") for part in command[:1]):
                return [part.decode() for part in command if part]
        time.sleep(0.05)
    raise AssertionError("no oxigraph process under ketsugo serve")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.loopback
def test_the_private_oxigraph_port_is_loopback_and_refuses_an_update() -> None:
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "serve", "--store", str(built()), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        server.wait_until_ready(port, process)
        command = _oxigraph_behind(process.pid)
        assert command[1] == "serve-read-only"
        host, _, private = command[command.index("--bind") + 1].rpartition(":")
        assert host == "127.0.0.1" and int(private) != port
        behind = server.base_url(int(private))
        before = count_quads(behind)
        update = urllib.request.Request(
            behind + "/update",
            data=b"update=DROP%20ALL",  # what a web page's form could send
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            local_http.urlopen(update, timeout=30)
        assert 400 <= refused.value.code < 500
        assert count_quads(behind) == before > 0
        assert count_quads(server.base_url(port)) == before
    finally:
        server.stop(process)


def _post(url: str, body: bytes, content_type: str) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with local_http.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.loopback
def test_a_writable_server_takes_updates_only_through_its_front_door(tmp_path: Path) -> None:
    """oxigraph has no access control, so even with --writable its private port stays read-only
    (an update sent straight to it is refused); ketsugo's front door applies the writes itself."""
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(built(), copy)
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "serve", "--store", str(copy), "--port", str(port), "--writable"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    front = server.base_url(port)
    try:
        server.wait_until_ready(port, process)
        command = _oxigraph_behind(process.pid)
        assert command[1] == "serve-read-only"
        behind = server.base_url(int(command[command.index("--bind") + 1].rpartition(":")[2]))
        before = count_quads(front)
        assert before > 0
        refused = _post(behind + "/update", b"update=DROP%20ALL", "application/x-www-form-urlencoded")
        assert 400 <= refused < 500
        assert count_quads(front) == before
        # through the front door: a SPARQL Update, then a Graph Store PUT of a new graph
        insert = b"INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> <urn:x:b> } }"
        assert _post(front + "/update", insert, "application/sparql-update") == 204
        assert count_quads(front) == before + 1
        put = urllib.request.Request(
            front + "/store?graph=urn%3Ax%3Ah",
            data=b"<urn:x:a> <urn:x:p> <urn:x:c> .\n<urn:x:a> <urn:x:p> <urn:x:d> .\n",
            headers={"Content-Type": "application/n-triples"},
            method="PUT",
        )
        with local_http.urlopen(put, timeout=60) as response:
            assert response.status == 201
        assert count_quads(front) == before + 3
        bad = _post(front + "/store?graph=urn%3Ax%3Ah", b"not turtle <", "text/turtle")
        assert bad == 400 and count_quads(front) == before + 3
        # a last write, and no read after it: Oxigraph serves it once writes pause
        more = b"<urn:x:a> <urn:x:p> <urn:x:e> .\n"
        assert _post(front + "/store?graph=urn%3Ax%3Ah", more, "application/n-triples") == 204
        command = _oxigraph_behind(process.pid)
        assert command[1] == "serve-read-only"  # the private port stays refused after restarts
        private = int(command[command.index("--bind") + 1].rpartition(":")[2])
        server.wait_until_ready(private)
        behind = server.base_url(private)
        assert 400 <= _post(behind + "/update", b"DROP ALL", "application/sparql-update") < 500
        assert count_quads(behind) == before + 4
    finally:
        server.stop(process)
        _, err = process.communicate()
    assert "accepts updates from any program or user" not in err


@pytest.mark.loopback
def test_a_build_into_the_served_folder_waits_for_the_writes_and_breaks_nothing(tmp_path: Path) -> None:
    """`serve --writable` keeps the store open for writing between writes; a build swapping the
    directory meanwhile would receive that store's files (RocksDB writes by path) and be broken.
    So the front door holds the build's lock while the store is open: the build waits for the
    writes to pause, then swaps in a whole store."""
    import shutil
    import threading

    import pyoxigraph as ox

    from ketsugo.paths import ROOT
    from ketsugo.sparql import frontwrites, gate

    copy = tmp_path / "build"
    shutil.copytree(built(), copy)
    fresh = ox.Store.read_only(str(built() / "store"))
    expected = len(fresh)
    del fresh
    backend = gate.Backend((copy / "store").resolve(), writable=True, timeout=0, max_memory_mb=0)
    backend.start()
    statuses: list[int] = []
    stop = threading.Event()

    def keep_writing() -> None:
        number = 0
        while not stop.is_set():
            body = f"<urn:x:a> <urn:x:p> <urn:x:n{number}> .\n".encode()
            number += 1
            answer = backend.write(
                lambda store, body=body: frontwrites.apply(
                    store,
                    "POST",
                    "/store?graph=urn%3Ax%3Aw",
                    "application/n-triples",
                    body,
                    "http://127.0.0.1:1",
                )
            )
            statuses.append(answer.status)
            time.sleep(0.1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(0.5)
        report = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"
        build = subprocess.Popen(
            [sys.executable, "-m", "ketsugo", "build", str(report), "--out", str(copy)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        time.sleep(3.0)  # writes go on while the build reads and writes its new directory
        stop.set()
        writer.join()
        _, err = build.communicate(timeout=600)
        assert build.returncode == 0, err
    finally:
        stop.set()
        backend.close()
    assert statuses and set(statuses) <= {201, 204}  # every write applied (201: the graph made)
    rebuilt = ox.Store.read_only(str(copy / "store"))  # a whole store: it opens, and holds the build
    assert len(rebuilt) == expected
    assert not list(rebuilt.quads_for_pattern(None, None, None, ox.NamedNode("urn:x:w")))
