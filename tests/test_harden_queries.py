"""Queries and the server: no SERVICE unasked, a time limit, idle clients block nobody."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.paths import ROOT
from ketsugo.sparql import server
from ketsugo.sparql.query import uses_service
from tests import local_http
from tests.conftest import ConnectionCounter, bundled_build_dir

_register_optional_commands()

CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's build of the bundled report (copying is cheaper than building;
    a copy, as the server started here opens it)."""
    out = tmp_path_factory.mktemp("harden-q") / "b"
    shutil.copytree(bundled_build_dir(), out)
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", True),
        ("select * { ?s ?p ?o .service silent <http://x/> { } }", True),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ('SELECT * { ?s ?p "SERVICE <http://x/> {}" }', False),
        ("# SERVICE <http://x/>\nSELECT * { ?s ?p ?o }", False),
        ("SELECT ?service { ?service a <http://example.org/SERVICE> }", False),
        ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", False),
        ("SELECT * { ?s ex:a.SERVICE ?o }", False),
    ],
)
def test_service_is_found_by_parsing_not_by_substring(text: str, expected: bool) -> None:
    assert uses_service(text) is expected


def test_sparql_refuses_service_and_reaches_nobody(built: Path) -> None:
    listener = ConnectionCounter()
    query = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["sparql", "--store", str(built), query])
    assert result.exit_code == 2, result.output
    assert "SERVICE" in result.output and "--allow-service" in result.output
    assert "Traceback" not in result.output
    assert listener.connections() == 0


@pytest.mark.loopback
def test_sparql_allows_service_when_asked(built: Path) -> None:
    listener = ConnectionCounter()
    query = f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    done = threading.Thread(
        target=CliRunner().invoke,
        args=(cli, ["sparql", "--store", str(built), "--allow-service", "--timeout", "5", query]),
        daemon=True,
    )
    done.start()
    # the listener takes each connection and closes it at once: the query's SERVICE call fails
    # (SILENT: no error) instead of waiting for an answer until the 5 s limit stops it
    counted, deadline = 0, time.monotonic() + 60
    while done.is_alive() and time.monotonic() < deadline:
        counted += listener.connections()
    done.join(timeout=1)
    assert not done.is_alive()
    assert counted + listener.connections() == 1  # allowed: the request went out


def test_sparql_stops_a_runaway_query_at_the_timeout(built: Path) -> None:
    result = CliRunner().invoke(cli, ["sparql", "--store", str(built), "--timeout", "1", CROSS_JOIN])
    assert result.exit_code == 2, result.output
    assert "did not finish within 1 s" in result.output


def test_query_command_has_the_same_timeout_and_service_rules() -> None:
    import click

    from ketsugo.cli.query import register

    group = click.Group()
    register(group)
    names = {p.name for p in group.commands["query"].params}
    assert {"timeout", "allow_service"} <= names
    names = {p.name for p in group.commands["serve"].params}
    assert {"timeout", "allow_service"} <= names


def test_normal_queries_still_answer_through_the_child(built: Path, tmp_path: Path) -> None:
    output = tmp_path / "d.csv"
    result = CliRunner().invoke(
        cli,
        [
            "sparql",
            "--store",
            str(built),
            "--format",
            "csv",
            "-o",
            str(output),
            "SELECT DISTINCT ?d WHERE { ?d a kg:Department }",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "新宿区" not in output.read_text(encoding="utf-8").splitlines()[0]
    assert len(output.read_text(encoding="utf-8").splitlines()) > 1


# ------------------------------------------------------------------------------ the server


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[int]:
    port = server.free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ketsugo",
            "serve",
            "--store",
            str(built),
            "--port",
            str(port),
            "--timeout",  # the shortest limit Oxigraph takes (whole seconds): the runaway query
            "1",  # below waits for it (and the front door for it + 2 s) before its 503
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        server.wait_until_ready(port, process, timeout=60)
        yield port
    finally:
        server.stop(process)


def _ask(port: int, query: str, timeout: float = 30) -> tuple[int, bytes]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        server.base_url(port) + "/query",
        data=data,
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with local_http.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.loopback
def test_the_server_refuses_service_and_reaches_nobody(served: int) -> None:
    listener = ConnectionCounter()
    status, body = _ask(served, f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}")
    assert status == 403
    assert b"SERVICE" in body
    assert listener.connections() == 0


@pytest.mark.loopback
def test_the_server_answers_an_ordinary_query(served: int) -> None:
    from ketsugo.prefixes import KG

    status, body = _ask(served, f"ASK {{ ?d a <{KG}Department> }}")
    assert status == 200, body


@pytest.mark.loopback
def test_idle_connections_do_not_block_a_real_query(served: int) -> None:
    """300 half-sent requests (plain `oxigraph serve-read-only` stops answering anyone at 256)."""
    idle = []
    try:
        for _ in range(300):
            sock = socket.create_connection((server.HOST, served), timeout=5)
            sock.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nquery=")
            idle.append(sock)
        answers: list[int] = []
        thread = threading.Thread(target=lambda: answers.append(_ask(served, "ASK {}")[0]), daemon=True)
        thread.start()
        thread.join(timeout=60)
        assert answers == [200]
    finally:
        for sock in idle:
            sock.close()


@pytest.mark.loopback
def test_a_runaway_query_is_stopped_and_the_server_answers_again(served: int) -> None:
    results: list[tuple[int, bytes]] = []
    thread = threading.Thread(
        target=lambda: results.append(_ask(served, CROSS_JOIN, timeout=120)), daemon=True
    )
    thread.start()
    thread.join(timeout=150)
    assert results and results[0][0] == 503, results
    assert b"did not finish" in results[0][1] or b"stopped" in results[0][1]
    assert _ask(served, "ASK {}")[0] == 200


def test_query_command_stops_at_its_timeout_too(built: Path) -> None:
    """Opening the store alone takes longer than a millisecond: the child is stopped."""
    result = CliRunner().invoke(
        cli, ["query", "summary-check", "--store", str(built), "--store-mode", "disk", "--timeout", "0.001"]
    )
    assert result.exit_code == 2, result.output
    assert "did not finish within 0.001 s" in result.output
    normal = CliRunner().invoke(cli, ["query", "summary-check", "--store", str(built)])
    assert normal.exit_code == 0, normal.output
