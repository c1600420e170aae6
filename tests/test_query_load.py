"""`ketsugo load --bulk`: a build goes to a real Oxigraph server in a few requests, replacing the
graphs of the same names and leaving the server's other graphs alone.

The server is `oxigraph serve --location TMP --bind 127.0.0.1:PORT` (read-write, no union default
graph); what it holds afterwards is read back with a Graph Store GET of the whole dataset.
"""

from __future__ import annotations

import urllib.request
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.sparql import server
from ketsugo.sparql.graphstore import load_to_graph_store, update_url
from ketsugo.sparql.query import LocalBackend
from tests import local_http
from tests.test_query_support import built

REPORT_GRAPH = "https://w3id.org/ketsugo/graph/131041/2020"
OTHER_GRAPH = "http://example.org/someone-elses-graph"


@pytest.fixture
def endpoint(tmp_path):
    process, port = server.start(tmp_path / "db", writable=True, union_default_graph=False)
    try:
        yield server.base_url(port)
    finally:
        server.stop(process)


def _post(url: str, body: bytes, content_type: str) -> None:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    with local_http.urlopen(request, timeout=30):
        pass


def _shape(quads: Iterable[ox.Quad]) -> Counter[tuple[str, ...]]:
    """The quads with every blank node written alike (a server names them anew)."""

    def term(t: object) -> str:
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)

    return Counter((term(q.subject), term(q.predicate), term(q.object), term(q.graph_name)) for q in quads)


def _held(url: str) -> Counter[tuple[str, ...]]:
    request = urllib.request.Request(url + "/store", headers={"Accept": "application/n-quads"})
    with local_http.urlopen(request, timeout=30) as response:
        return _shape(ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))


def _built_quads() -> Counter[tuple[str, ...]]:
    return _shape(LocalBackend.open(built(), "disk").store)


@pytest.mark.loopback
def test_bulk_load_replaces_the_build_graphs_and_keeps_the_others(endpoint) -> None:
    stale = f'<http://example.org/x> <http://example.org/p> "stale" <{REPORT_GRAPH}> .\n'
    other = f'<http://example.org/x> <http://example.org/p> "kept" <{OTHER_GRAPH}> .\n'
    _post(endpoint + "/store", (stale + other).encode(), "application/n-quads")
    loaded = load_to_graph_store(LocalBackend.open(built(), "disk").store, endpoint, bulk=True)
    assert [g.graph for g in loaded] == [REPORT_GRAPH, "https://w3id.org/ketsugo/graph/reference"]
    # one DROP update, then both graphs in one N-Quads POST (the bundled build is far below a chunk)
    assert {g.request for g in loaded} == {2}
    held = _held(endpoint)
    kept = _shape([ox.Quad(
        ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"), ox.Literal("kept"),
        ox.NamedNode(OTHER_GRAPH),
    )])  # fmt: skip
    assert held == _built_quads() + kept  # the stale triple is gone, the other graph kept
    assert sum(g.triples for g in loaded) == _built_quads().total()


@pytest.mark.loopback
def test_small_chunks_send_one_graph_per_request_and_twice_is_the_same(endpoint) -> None:
    store = LocalBackend.open(built(), "disk").store
    loaded = load_to_graph_store(store, endpoint, bulk=True, chunk_bytes=1)
    assert [g.request for g in loaded] == [2, 3]
    load_to_graph_store(store, endpoint, bulk=True, chunk_bytes=1)
    assert _held(endpoint) == _built_quads()


@pytest.mark.loopback
def test_bulk_and_one_put_per_graph_leave_the_same_data(endpoint, tmp_path) -> None:
    import ketsugo.cli.main

    ketsugo.cli.main._register_optional_commands()
    result = CliRunner().invoke(
        ketsugo.cli.main.cli, ["load", "--endpoint", endpoint, "--store", str(built()), "--bulk"]
    )
    assert result.exit_code == 0, result.output
    assert "2 graphs" in result.output and "in 2 requests" in result.output
    after_bulk = _held(endpoint)
    result = CliRunner().invoke(
        ketsugo.cli.main.cli, ["load", "--endpoint", endpoint, "--store", str(built())]
    )
    assert result.exit_code == 0, result.output
    assert "in 2 requests" in result.output  # one PUT per graph
    assert _held(endpoint) == after_bulk == _built_quads()


def test_the_update_endpoint_is_beside_the_graph_store() -> None:
    assert update_url("http://127.0.0.1:7878") == "http://127.0.0.1:7878/update"
    assert update_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/update"
    assert update_url("http://h/ds/store") == "http://h/ds/update"


@pytest.mark.parametrize(
    "url", ["http://example.org/store", "http://10.0.0.7:7878", "https://[2001:db8::1]/"]
)
def test_load_to_another_host_is_refused_without_allow_remote(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ketsugo works offline: a build goes only to a server on this machine unless the user says
    --allow-remote; refused before any request (a request would fail the test), exit 2."""
    from ketsugo.cli.main import cli

    def no_request(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request was attempted")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_request)
    result = CliRunner().invoke(cli, ["load", "--endpoint", url, "--store", str(built())])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def test_this_machine_is_read_from_the_url_alone() -> None:
    from ketsugo.sparql.graphstore import this_machine

    for url in (
        "http://localhost:7878",
        "http://127.0.0.1:7878/query",
        "http://[::1]:7878",
        "http://127.8.0.1/",
    ):
        assert this_machine(url), url
    for url in (
        "http://example.org:7878",
        "http://192.0.2.1/query",
        "http://[2001:db8::1]/",
        "http://localhost.example.org/",
    ):
        assert not this_machine(url), url
