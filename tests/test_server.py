"""`ketsugo serve`: Oxigraph over the built store, loopback only, read-only unless asked."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from ketsugo.sparql import server
from ketsugo.sparql.catalogue import catalogue
from ketsugo.sparql.query import LocalBackend, RemoteBackend, run_catalogue_query
from tests import local_http
from tests.test_query_support import built


@pytest.fixture(scope="module")
def cli():
    import ketsugo.cli.main

    ketsugo.cli.main._register_optional_commands()
    return ketsugo.cli.main.cli


@pytest.fixture(scope="module")
def served():
    """`ketsugo serve --store BUILD --port N` as a real subprocess; stopped afterwards."""
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "serve", "--store", str(built()), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    try:
        server.wait_until_ready(port, process)
        yield server.base_url(port)
    finally:
        server.stop(process)
        if process.stderr is not None:
            process.stderr.close()


def count_quads(url: str) -> int:
    request = urllib.request.Request(
        url + "/query?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        headers={"Accept": "text/csv"},
    )
    with local_http.urlopen(request) as response:
        return int(response.read().decode().split()[-1])


@pytest.mark.loopback
def test_serve_answers_like_the_embedded_store(served) -> None:
    for name, params in (("recipients-of-category", {"category": "生年月日"}), ("summary-check", {})):
        query = catalogue()[name]
        local = run_catalogue_query(LocalBackend.open(built()), query, params)
        assert run_catalogue_query(RemoteBackend(served), query, params).rows == local.rows


@pytest.mark.loopback
def test_union_default_graph_needs_no_graph_list(served) -> None:
    remote = RemoteBackend(served, default_graphs=[])  # rely on the server's union default graph
    rows = run_catalogue_query(remote, catalogue()["summary-table"]).rows
    assert len(rows) == 6


@pytest.mark.loopback
def test_a_read_only_server_refuses_update(served) -> None:
    before = count_quads(served)
    update = urllib.request.Request(
        served + "/update",
        data=b"DELETE WHERE { GRAPH ?g { ?s ?p ?o } } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        local_http.urlopen(update)
    assert 400 <= refused.value.code < 600
    put = urllib.request.Request(
        served + "/store?default",
        data=b"<urn:a> <urn:b> <urn:c> .\n",
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    with pytest.raises(urllib.error.HTTPError):
        local_http.urlopen(put)
    assert count_quads(served) == before > 0


@pytest.mark.loopback
def test_ketsugo_load_into_a_read_only_server_fails(cli, served) -> None:
    result = CliRunner().invoke(cli, ["load", "--endpoint", served, "--store", str(built())])
    assert result.exit_code == 1 and "refused" in result.output


def test_serve_binds_loopback_only_and_builds_the_command() -> None:
    command = server.serve_command(built() / "store", 7000)
    assert command[1] == "serve-read-only"
    assert command[command.index("--bind") + 1] == "127.0.0.1:7000"
    assert "--union-default-graph" in command
    assert server.serve_command(built() / "store", 7000, writable=True)[1] == "serve"


def test_serve_without_a_build_exits_2(cli, tmp_path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path)])
    assert result.exit_code == 2 and "no ketsugo build" in result.output


def test_serve_on_a_port_in_use_says_so_and_exits_2(cli) -> None:
    """Checked before oxigraph starts: no "SPARQL endpoint … Ctrl-C stops it" line, no Rust backtrace."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((server.HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--store", str(built()), "--port", str(port)])
    assert result.exit_code == 2
    assert result.output == f"error: port {port} is in use on 127.0.0.1: choose another with --port\n"


def test_the_port_check_accepts_a_free_port() -> None:
    server.check_port_free(server.free_port())


def test_serve_on_a_damaged_build_exits_2(cli, tmp_path) -> None:
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(built(), copy)
    (copy / "store" / "CURRENT").write_bytes(b"garbage")
    result = CliRunner().invoke(cli, ["serve", "--store", str(copy), "--port", str(server.free_port())])
    assert result.exit_code == 2
    assert "build directory is damaged" in result.output and "SPARQL endpoint" not in result.output
