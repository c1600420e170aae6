"""Tests talk to the servers they start on this machine through tests/local_http.py only: a
request from `urllib.request.urlopen` (or SPARQLWrapper, which uses it) goes through a proxy the
environment names, so under ``http_proxy=…`` a test meant for 127.0.0.1 left the machine and
failed (eleven server tests did)."""

from __future__ import annotations

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests import local_http

TESTS = Path(__file__).parent
# a request sent some other way than local_http: urllib's urlopen, SPARQLWrapper, requests/httpx
OTHER_CLIENTS = re.compile(
    r"(?<!local_http\.)(?<!def )\burlopen\(|SPARQLWrapper\("
    r"|(?<![\w.])(?:requests|httpx)\.(?:get|post|put|delete|head|request|Session|Client)\("
)


def test_no_test_opens_http_requests_but_through_local_http() -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(TESTS.glob("*.py"))
        if path.name not in ("local_http.py", Path(__file__).name)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OTHER_CLIENTS.search(line)
    ]
    assert found == []


def test_the_pattern_finds_what_it_is_for() -> None:
    for line in ("with urllib.request.urlopen(request) as r:", "SPARQLWrapper(url)", "requests.get(url)"):
        assert OTHER_CLIENTS.search(line), line
    for line in (
        "with local_http.urlopen(request) as r:",
        "def urlopen(request):",
        "recorder.requests.append(x)",
    ):
        assert not OTHER_CLIENTS.search(line), line


def test_a_request_to_this_machine_never_asks_the_environment_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    local = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=local.serve_forever, daemon=True).start()
    proxy = socket.socket()
    proxy.bind(("127.0.0.1", 0))
    proxy.listen(4)
    proxy.settimeout(0.2)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.getsockname()[1]}")
    try:
        with local_http.urlopen(f"http://127.0.0.1:{local.server_address[1]}/", timeout=30) as response:
            assert response.read() == b"ok"
        try:
            proxy.accept()[0].close()
            asked = True
        except TimeoutError:
            asked = False
    finally:
        local.shutdown()
        local.server_close()
        proxy.close()
    assert not asked


def test_another_host_is_refused_before_any_connection() -> None:
    with pytest.raises(AssertionError, match=r"example\.org"):
        local_http.urlopen("http://example.org/")
