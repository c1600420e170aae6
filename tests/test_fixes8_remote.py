"""RemoteBackend reads an endpoint's answer once: it parsed each SELECT answer twice (once to see
that it is whole, once to return it). A stub opener hands it a canned answer (no server, no
network), and a counting stub of pyoxigraph.parse_query_results counts the parses."""

from __future__ import annotations

import io
import json
from typing import Any

import pyoxigraph as ox
import pytest

from ketsugo.sparql import backends
from ketsugo.sparql.backends import EndpointError, RemoteBackend, run

ANSWER = {
    "head": {"vars": ["name", "n"]},
    "results": {
        "bindings": [
            {"name": {"type": "literal", "value": "厚生労働省"}, "n": {"type": "literal", "value": "1"}},
            {"name": {"type": "literal", "value": "内閣官房"}},
        ]
    },
}


class _Opener:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def open(self, request: Any, timeout: Any = None) -> io.BytesIO:
        return io.BytesIO(self.body)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    real = ox.parse_query_results

    def counting(*args: Any, **kwargs: Any) -> Any:
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ox, "parse_query_results", counting)
    return counted


def _remote(monkeypatch: pytest.MonkeyPatch, body: bytes) -> RemoteBackend:
    monkeypatch.setattr(backends, "endpoint_opener", lambda *a, **k: _Opener(body))
    return RemoteBackend("http://127.0.0.1:1/query", default_graphs=[])


def test_a_select_answer_is_parsed_once(monkeypatch: pytest.MonkeyPatch, parses: list[int]) -> None:
    remote = _remote(monkeypatch, json.dumps(ANSWER).encode())
    outcome = run(remote, "SELECT ?name ?n WHERE { ?s ?p ?name }")
    assert len(parses) == 1
    assert outcome.variables == ["name", "n"]
    assert [[t.value if t is not None else None for t in row] for row in outcome.rows] == [
        ["厚生労働省", "1"],
        ["内閣官房", None],
    ]


def test_an_ask_answer_is_parsed_once(monkeypatch: pytest.MonkeyPatch, parses: list[int]) -> None:
    remote = _remote(monkeypatch, b'{"head": {}, "boolean": true}')
    assert run(remote, "ASK { ?s ?p ?o }").boolean is True
    assert len(parses) == 1


def test_a_cut_answer_is_still_an_endpoint_error(monkeypatch: pytest.MonkeyPatch) -> None:
    body = json.dumps(ANSWER).encode()
    remote = _remote(monkeypatch, body[: len(body) - 40])
    with pytest.raises(EndpointError, match="unreadable SPARQL JSON results"):
        run(remote, "SELECT ?name ?n WHERE { ?s ?p ?name }")
