"""The same queries through a real SPARQL 1.1 endpoint (Oxigraph) as through the embedded store.

A fixture starts `oxigraph serve --location TMP --bind 127.0.0.1:PORT` (a plain read-write server,
no union default graph), `ketsugo load --endpoint` pushes the built graphs to its Graph Store,
and every golden case must give the same result through `--endpoint` as from `--store`.
"""

from __future__ import annotations

import functools
import json
import urllib.request

import pytest
from click.testing import CliRunner

from ketsugo.sparql import server
from ketsugo.sparql.catalogue import catalogue
from ketsugo.sparql.query import LocalBackend, RemoteBackend, run_catalogue_query
from tests import local_http
from tests.test_query_support import built, golden_cases

CASES = golden_cases()
# one run with the defaults of every query, on top of the golden cases' parameters
RUNS = [(case.query, case.params) for case in CASES] + [
    (name, {}) for name, query in catalogue().items() if all(not p.required for p in query.parameters)
]


@functools.cache
def local_backend() -> LocalBackend:
    """The build's store, opened once for every comparison (queries only read it)."""
    return LocalBackend.open(built())


@pytest.fixture(scope="module")
def cli():
    import ketsugo.cli.main

    ketsugo.cli.main._register_optional_commands()
    return ketsugo.cli.main.cli


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, cli):
    location = tmp_path_factory.mktemp("oxigraph") / "db"
    process, port = server.start(location, writable=True, union_default_graph=False)
    try:
        url = server.base_url(port)
        result = CliRunner().invoke(cli, ["load", "--endpoint", url, "--store", str(built())])
        assert result.exit_code == 0, result.output
        assert "graph/reference" in result.output and "graph/131041/2020" in result.output
        yield url
    finally:
        server.stop(process)


@pytest.mark.loopback
def test_the_endpoint_holds_one_graph_per_report_and_the_reference(endpoint) -> None:
    remote = RemoteBackend(endpoint)
    assert remote.default_graphs() == [
        "https://w3id.org/ketsugo/graph/131041/2020",
        "https://w3id.org/ketsugo/graph/reference",
    ]


@pytest.mark.parametrize("name, params", RUNS, ids=[f"{n}:{','.join(p.values())}" for n, p in RUNS])
@pytest.mark.loopback
def test_identical_results_through_the_endpoint(endpoint, name: str, params: dict[str, str]) -> None:
    query = catalogue()[name]
    local = run_catalogue_query(local_backend(), query, params)
    remote = run_catalogue_query(RemoteBackend(endpoint), query, params)
    assert remote.variables == local.variables
    assert remote.rows == local.rows


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "table"])
@pytest.mark.loopback
def test_identical_output_through_the_cli(cli, endpoint, fmt: str) -> None:
    args = ["query", "recipients-of-category", "-p", "category=生年月日", "--format", fmt]
    local = CliRunner().invoke(cli, [*args, "--store", str(built())])
    remote = CliRunner().invoke(cli, [*args, "--endpoint", endpoint])
    assert local.exit_code == remote.exit_code == 0
    assert remote.stdout_bytes == local.stdout_bytes


@pytest.mark.loopback
def test_hostile_values_match_nothing_remotely(endpoint) -> None:
    query = catalogue()["search-connections"]
    for value in ('") } UNION { ?s ?p ?o } #', "' } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o", "}}} ?x"):
        assert run_catalogue_query(RemoteBackend(endpoint), query, {"text": value}).rows == []
    # the store is untouched
    assert run_catalogue_query(RemoteBackend(endpoint), catalogue()["summary-table"]).rows


@pytest.mark.loopback
def test_sparql_through_the_endpoint(cli, endpoint) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "sparql",
            "SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Connection }",
            "--endpoint",
            endpoint,
            "--format",
            "csv",
        ],
    )
    assert result.output.splitlines() == ["n", "22"]
    result = CliRunner().invoke(
        cli, ["sparql", "ASK { kid:org\\/j-lis a kg:Organisation }", "--endpoint", endpoint]
    )
    assert result.output.strip() == "true"
    result = CliRunner().invoke(
        cli,
        [
            "sparql",
            "DESCRIBE <https://w3id.org/ketsugo/id/org/mhlw>",
            "--endpoint",
            endpoint,
            "--format",
            "ntriples",
        ],
    )
    assert result.exit_code == 0 and "厚生労働省" in result.output
    result = CliRunner().invoke(cli, ["sparql", "SELECT ?x WHERE { ?x", "--endpoint", endpoint])
    assert result.exit_code == 2


@pytest.mark.loopback
def test_unknown_names_are_looked_up_on_the_endpoint(cli, endpoint) -> None:
    result = CliRunner().invoke(
        cli, ["query", "recipients-of-category", "--endpoint", endpoint, "-p", "category=生年月"]
    )
    assert (
        result.exit_code == 2
        and "生年月日 <https://w3id.org/ketsugo/id/category/date-of-birth>" in result.output
    )


@pytest.mark.loopback
def test_loading_twice_replaces_the_graphs(cli, endpoint) -> None:
    result = CliRunner().invoke(
        cli, ["load", "--endpoint", endpoint + "/store", "--store", str(built()), "-q"]
    )
    assert result.exit_code == 0 and result.output == ""
    body = local_http.urlopen(
        urllib.request.Request(
            endpoint
            + "/query?query="
            + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            headers={"Accept": "application/sparql-results+json"},
        )
    ).read()
    count = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert count == sum(1 for _ in LocalBackend.open(built(), "disk").store)


def test_an_unreachable_endpoint_exits_1(cli) -> None:
    url = server.base_url(server.free_port())
    result = CliRunner().invoke(cli, ["query", "summary-table", "--endpoint", url])
    assert result.exit_code == 1 and "error:" in result.output
    result = CliRunner().invoke(cli, ["load", "--endpoint", url, "--store", str(built())])
    assert result.exit_code == 1


@pytest.mark.loopback
def test_a_comment_with_an_update_word_is_still_a_query(cli, endpoint) -> None:
    """SPARQLWrapper guesses the form from the first keyword-like word, comments included ("adds",
    "drops"): ketsugo tells it the form it found, so the query is not sent as an update."""
    text = "# adds up the connections; drops nothing\nSELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Connection }"
    result = CliRunner().invoke(cli, ["sparql", text, "--endpoint", endpoint, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "22"]


@pytest.mark.loopback
def test_look_ups_and_errors_agree_through_the_endpoint(cli, endpoint) -> None:
    for param in ("category=birthdate", "sensitivity=foo"):
        name = "recipients-of-category" if param.startswith("category") else "sensitive-flows"
        local = CliRunner().invoke(cli, ["query", name, "-p", param, "--store", str(built())])
        remote = CliRunner().invoke(cli, ["query", name, "-p", param, "--endpoint", endpoint])
        assert local.exit_code == remote.exit_code == 2
        assert local.output == remote.output
