"""`ketsugo query --endpoint`, `ketsugo sparql --endpoint` and `ketsugo load --endpoint` talk only
to this machine unless --allow-remote, never through a proxy from the environment, and never follow
a redirect away. A remote host the user allows is reached as curl would: through the environment's
proxy, unless no_proxy names it.

A small http.server on 127.0.0.1 plays the endpoint (it records every request and answers any
SELECT with one row, n = 42); a second one plays an environment proxy that must receive nothing.
A remote name must be refused from the URL's text alone: socket.getaddrinfo fails the test.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

import ketsugo.cli.main

ketsugo.cli.main._register_optional_commands()
cli = ketsugo.cli.main.cli

QUERY = "SELECT ?n WHERE { ?s ?p ?n }"
ANSWER = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "42"}}]}}
NO_GRAPHS = {"head": {"vars": ["g"]}, "results": {"bindings": []}}


@dataclass
class Recorder:
    """A server on 127.0.0.1: the requests it received (method, path, SPARQL text)."""

    server: ThreadingHTTPServer
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    redirect_to: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


def _recorder() -> Recorder:
    recorder: Recorder

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            text = urllib.parse.parse_qs(body).get("query", [body])[0]
            recorder.requests.append(("POST", self.path, text))
            if recorder.redirect_to:
                self.send_response(307)
                self.send_header("Location", recorder.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = json.dumps(NO_GRAPHS if "kg:Report" in text else ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PUT(self) -> None:  # a Graph Store PUT of `ketsugo load`
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            recorder.requests.append(("PUT", self.path, ""))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            recorder.requests.append(("GET", self.path, ""))
            self.send_error(502)

        def log_message(self, format: str, *args: object) -> None:
            pass

    recorder = Recorder(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    threading.Thread(target=recorder.server.serve_forever, daemon=True).start()
    return recorder


@contextmanager
def _serving() -> Iterator[Recorder]:
    recorder = _recorder()
    try:
        yield recorder
    finally:
        recorder.server.shutdown()
        recorder.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Recorder]:
    with _serving() as recorder:
        yield recorder


PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def _without_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the environment the tests run in (a CI runner's would be asked otherwise)."""
    for name in (*PROXY_VARIABLES, "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A proxy named by the environment, as a corporate machine would have it: never used for this
    machine, used for a remote host the user allows."""
    with _serving() as recorder:
        _without_proxies(monkeypatch)
        for name in PROXY_VARIABLES:
            monkeypatch.setenv(name, recorder.url)
        yield recorder


@pytest.fixture
def no_lookup(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any name lookup fails the test (and is recorded, for a forked child's sake); an address
    literal (127.0.0.1, which a connection passes through getaddrinfo too) is no lookup."""
    import ipaddress

    looked_up: list[str] = []
    real = socket.getaddrinfo

    def refuse(host: object, *args: object, **kwargs: object) -> object:
        try:
            ipaddress.ip_address(str(host))
        except ValueError:
            looked_up.append(str(host))
            raise AssertionError(f"a name was looked up: {host}") from None
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return looked_up


def _invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.loopback
def test_sparql_reaches_the_local_endpoint_and_not_the_environment_proxy(
    endpoint: Recorder, proxy: Recorder
) -> None:
    result = _invoke("sparql", QUERY, "--endpoint", endpoint.url, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "42"]
    assert [text for _, _, text in endpoint.requests if "?n" in text]
    assert all(path == "/query" for _, path, _ in endpoint.requests)
    assert proxy.requests == []


@pytest.mark.loopback
def test_query_goes_to_the_local_endpoint_without_the_proxy(endpoint: Recorder, proxy: Recorder) -> None:
    """A catalogue query (its parameter resolved on the endpoint, then the query itself)."""
    result = _invoke("query", "search-connections", "-p", "text=x", "--endpoint", endpoint.url)
    assert endpoint.requests, result.output
    assert proxy.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://sparql.example.org/query",
        "https://query.wikidata.org/sparql",
        "http://192.0.2.7:7878",
        "http://[2001:db8::1]:7878/query",
        "http://127.0.0.1@evil.example/query",  # user info, not the host
        "http://localhost.evil.example/query",
        "http://x.localhost/query",  # resolving it may ask a DNS server
    ],
)
@pytest.mark.parametrize("command", ["query", "sparql"])
def test_another_host_is_refused_before_any_lookup(command: str, url: str, no_lookup: list[str]) -> None:
    args = ["recipients-of-category", "-p", "category=生年月日"] if command == "query" else [QUERY]
    result = _invoke(command, *args, "--endpoint", url)
    assert result.exit_code == 2, result.output
    assert "--allow-remote" in result.output and "not this machine" in result.output
    assert no_lookup == []


def test_allow_remote_lets_the_request_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """With --allow-remote the name is looked up (here: the lookup fails, as offline): the
    refusal was the option's doing, and the failure is an endpoint's (exit 1)."""
    _without_proxies(monkeypatch)  # else the proxy would be asked, and the name not looked up here
    looked_up: list[str] = []

    def offline(host: object, *args: object, **kwargs: object) -> object:
        looked_up.append(str(host))
        raise socket.gaierror(socket.EAI_NONAME, "no such name (test)")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    url = "http://sparql.example.org/query"
    result = _invoke("sparql", QUERY, "--endpoint", url, "--allow-remote", "--timeout", "0")
    assert result.exit_code == 1, result.output
    assert "sparql.example.org" in result.output
    assert looked_up == ["sparql.example.org"]


@pytest.mark.loopback
def test_a_redirect_to_another_host_is_refused(endpoint: Recorder, no_lookup: list[str]) -> None:
    endpoint.redirect_to = "http://evil.example/query"
    result = _invoke("sparql", QUERY, "--endpoint", endpoint.url, "--timeout", "0")
    assert result.exit_code == 2, result.output
    assert "evil.example" in result.output and "--allow-remote" in result.output
    assert no_lookup == []


def test_the_backend_refuses_another_host_by_itself() -> None:
    from ketsugo.sparql.query import QueryError, RemoteBackend

    with pytest.raises(QueryError, match="--allow-remote"):
        RemoteBackend("http://sparql.example.org/query")
    assert RemoteBackend("http://sparql.example.org/query", allow_remote=True).url.endswith("/query")


def test_this_machine_is_only_localhost_and_loopback_literals() -> None:
    from ketsugo.sparql.backends import this_machine

    assert this_machine("http://LOCALHOST:7878") and this_machine("http://127.0.0.2/")
    assert this_machine("http://[::1]:7878/query")
    for url in (
        "http://x.localhost/",
        "http://localhost./",
        "http://[::1/",
        "http://0x7f000001/",
        "file:///etc",
    ):
        assert not this_machine(url), url


def test_help_names_the_option() -> None:
    for command in ("query", "sparql"):
        result = _invoke(command, "--help")
        assert "--allow-remote" in result.output


@pytest.mark.loopback
def test_an_allowed_remote_host_goes_through_the_environment_proxy(
    proxy: Recorder, no_lookup: list[str]
) -> None:
    """--allow-remote: the remote endpoint is reached the way the environment says (a corporate
    proxy), so the name is the proxy's to resolve, not this machine's."""
    result = _invoke(
        "sparql", QUERY, "--endpoint", "http://sparql.example.org/query", "--allow-remote", "--timeout", "0"
    )
    assert result.exit_code == 0, result.output
    assert "42" in result.output
    assert [path for _, path, _ in proxy.requests if "sparql.example.org" in path]
    assert no_lookup == []


@pytest.mark.loopback
def test_this_machine_bypasses_the_proxy_even_with_allow_remote(endpoint: Recorder, proxy: Recorder) -> None:
    result = _invoke(
        "sparql", QUERY, "--endpoint", endpoint.url + "/query", "--allow-remote", "--timeout", "0"
    )
    assert result.exit_code == 0, result.output
    assert endpoint.requests and proxy.requests == []


def _offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Name lookups fail, as offline, and are recorded; address literals still connect."""
    import ipaddress

    looked_up: list[str] = []
    real = socket.getaddrinfo

    def offline(host: object, *args: object, **kwargs: object) -> object:
        try:
            ipaddress.ip_address(str(host))
        except ValueError:
            looked_up.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, "no such name (test)") from None
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    return looked_up


def test_no_proxy_sends_an_allowed_remote_host_direct(
    proxy: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """no_proxy naming the host: the request goes straight there (here the name is looked up and,
    offline, fails: exit 1), as curl does; the proxy hears nothing."""
    monkeypatch.setenv("no_proxy", "internal.example.org")
    looked_up = _offline(monkeypatch)
    url = "http://sparql.internal.example.org/query"
    result = _invoke("sparql", QUERY, "--endpoint", url, "--allow-remote", "--timeout", "0")
    assert result.exit_code == 1, result.output
    assert looked_up == ["sparql.internal.example.org"] and proxy.requests == []


def _load(endpoint: str, *more: str) -> object:
    from tests.test_query_support import built

    return _invoke("load", "--endpoint", endpoint, "--store", str(built()), "-q", *more)


@pytest.mark.loopback
def test_load_to_this_machine_goes_direct_whatever_the_proxy(
    endpoint: Recorder, proxy: Recorder, no_lookup: list[str]
) -> None:
    """`ketsugo load --endpoint http://127.0.0.1:PORT` with http_proxy set (for the internet):
    every PUT reaches the local server, none the proxy, with or without --allow-remote."""
    for more in ((), ("--allow-remote",)):
        endpoint.requests.clear()
        result = _load(endpoint.url + "/store", *more)
        assert result.exit_code == 0, result.output
        puts = [path for method, path, _ in endpoint.requests if method == "PUT"]
        assert puts and all(path.startswith("/store?graph=") for path in puts)
    assert proxy.requests == [] and no_lookup == []


@pytest.mark.loopback
def test_load_to_an_allowed_remote_host_goes_through_the_environment_proxy(
    proxy: Recorder, no_lookup: list[str]
) -> None:
    result = _load("http://store.example.org/store", "--allow-remote")
    assert result.exit_code == 0, result.output
    puts = [path for method, path, _ in proxy.requests if method == "PUT"]
    assert puts and all(path.startswith("http://store.example.org/store?graph=") for path in puts)
    assert no_lookup == []
