"""Tests talk to the servers they start on this machine through tests/local_http.py only: a
request from `urllib.request.urlopen` (or SPARQLWrapper, which uses it) goes through a proxy the
environment names, so under ``http_proxy=…`` a test meant for 127.0.0.1 left the machine and
failed (eleven server tests did)."""

from __future__ import annotations

import re
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


@pytest.mark.loopback
def test_a_request_to_this_machine_never_asks_the_environment_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    variables = ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
    with local_http.answered_beside_a_proxy(monkeypatch, variables) as (port, asked):
        with local_http.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.read() == b"ok"
        assert not asked()


def test_another_host_is_refused_before_any_connection() -> None:
    with pytest.raises(AssertionError, match=r"example\.org"):
        local_http.urlopen("http://example.org/")
