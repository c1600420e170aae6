"""HTTP from a test to a server it started on this machine, and nowhere else.

`urllib.request.urlopen` sends a request through any proxy the environment names (http_proxy on a
corporate machine or a CI runner), so a request meant for 127.0.0.1 could leave the machine. Tests
open their requests here instead: no proxy is ever used, and a URL whose host is not a loopback
address is refused before any connection is made (the program and its tests work offline).
"""

from __future__ import annotations

import ipaddress
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.client import HTTPResponse
from typing import cast
from urllib.parse import urlsplit

import pytest

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost
        loopback = False
    if not loopback:
        raise AssertionError(f"a test reached for {host}: tests talk only to servers on this machine")


HTTPError = urllib.error.HTTPError  # an answer with an error status, as urlopen raises it


def request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> urllib.request.Request:
    """A request for a server on this machine (a host that is not a loopback address is refused
    here already, before any request is made)."""
    _loopback(url)
    return urllib.request.Request(url, data=data, headers=headers or {}, method=method)


def urlopen(request: urllib.request.Request | str, timeout: float = 60) -> HTTPResponse:
    """``urllib.request.urlopen`` for a server on this machine: no proxy, loopback hosts only."""
    _loopback(request.full_url if isinstance(request, urllib.request.Request) else request)
    return cast(HTTPResponse, _OPENER.open(request, timeout=timeout))


@contextmanager
def answered_beside_a_proxy(
    monkeypatch: pytest.MonkeyPatch, variables: tuple[str, ...] = ("http_proxy", "HTTP_PROXY")
) -> Iterator[tuple[int, Callable[[], bool]]]:
    """A local HTTP server answering 200 "ok", and the environment's ``variables`` naming a recording
    proxy on this machine (no_proxy unset): yields the server's port and a function saying whether
    the proxy was asked — for tests that a request to this machine goes straight to it."""
    import socket
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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
    for name in variables:
        monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.getsockname()[1]}")

    def asked() -> bool:
        try:
            proxy.accept()[0].close()
        except TimeoutError:
            return False
        return True

    try:
        yield local.server_address[1], asked
    finally:
        local.shutdown()
        local.server_close()
        proxy.close()
