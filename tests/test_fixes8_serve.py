"""The Oxigraph process behind `ketsugo serve` listens on a private port that the front door
(ketsugo.sparql.gate) forwards to, and that any local user (or a web page that finds the port)
could reach directly, past the front door's checks. It must be read-only (`oxigraph
serve-read-only`) and on 127.0.0.1 only: an update sent straight to it is refused and the store
keeps every quad."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ketsugo.sparql import server
from tests.test_query_support import built
from tests.test_server import count_quads


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.is_file() else []


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
            urllib.request.urlopen(update, timeout=30)
        assert 400 <= refused.value.code < 500
        assert count_quads(behind) == before > 0
        assert count_quads(server.base_url(port)) == before
    finally:
        server.stop(process)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_a_writable_server_warns_that_its_oxigraph_port_takes_updates(tmp_path: Path) -> None:
    """oxigraph has no access control, so with --writable its private port takes updates: the
    user is told which port, and that it is open to every local user."""
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
    try:
        server.wait_until_ready(port, process)
        private = _oxigraph_behind(process.pid)
        bind = private[private.index("--bind") + 1]
    finally:
        server.stop(process)
        _, err = process.communicate()
    assert f"warning: with --writable, the Oxigraph process behind it (http://{bind})" in err
    assert "accepts updates from any program or user on this machine" in err
