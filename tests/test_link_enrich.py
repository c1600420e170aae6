"""`ketsugo link --endpoint`: Wikidata items from a local oxigraph server holding a small
Wikidata-shaped fixture (tests/cases/link/wikidata.ttl); nothing reaches the internet.

Expected links read from the fixture by hand: ミドリ情報システム by its corporate number (P3225,
which the NTA fixture gives it first), 青葉データサービス by its label, 武蔵野市 by P429; 東西システム
株式会社 answers two items (listed); NTT東日本's curated Q11527212 is kept; J-LIS is not looked up
by label (its name has no legal form)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.export.link.enrich import ENRICH_GRAPH
from ketsugo.pipeline import run_build
from ketsugo.prefixes import PREFIXES
from ketsugo.read.metadata import metadata_from_options
from ketsugo.sparql import server
from ketsugo.store.disk import open_store

from .conftest import CASES

LINK = CASES / "link"
WD = "http://www.wikidata.org/entity/"
KID = "https://w3id.org/ketsugo/id/"
# the counterparty of connection No.N: one organisation per normalised name (ketsugo.graph.orgnames)
_PARTY_NAMES = {
    1: "株式会社ミドリ情報システム",
    2: "株式会社青葉データサービス",
    3: "株式会社さくらネット",
    4: "株式会社東西システム",
}


class _Parties:
    def format(self, number: int) -> str:
        return "https://w3id.org/ketsugo/id/org/name/" + _PARTY_NAMES[number]


PARTY = _Parties()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    location = tmp_path_factory.mktemp("wikidata") / "db"
    store = ox.Store(str(location))
    store.load(path=str(LINK / "wikidata.ttl"), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    process, port = server.start(location)
    try:
        yield server.base_url(port) + "/query"
    finally:
        server.stop(process)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory, endpoint: str) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("enrich") / "build"
    run_build([metadata_from_options(LINK / "report.txt", "132039", 2021)], out)
    _register_optional_commands()
    runner = CliRunner()
    result = runner.invoke(
        cli, ["link", "--store", str(out), "--corporate-numbers", str(LINK / "nta-sample.csv")]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["link", "--store", str(out), "--endpoint", endpoint])
    assert result.exit_code == 0, result.output
    return out, result.output


def _matches(build: Path) -> dict[str, str]:
    rows = open_store(build).query(
        f"SELECT ?s ?o WHERE {{ GRAPH <{ENRICH_GRAPH}> {{ ?s skos:exactMatch ?o }} }}", prefixes=PREFIXES
    )
    return {r["s"].value: r["o"].value for r in rows}


@pytest.mark.loopback
def test_wikidata_links(build: tuple[Path, str]) -> None:
    out, _ = build
    assert _matches(out) == {
        PARTY.format(1): WD + "Q90000001",  # by P3225
        PARTY.format(2): WD + "Q90000002",  # by label
        KID + "municipality/132039": WD + "Q90000005",  # by P429
    }


@pytest.mark.loopback
def test_ambiguous_and_curated_are_listed(build: tuple[Path, str]) -> None:
    _, output = build
    assert "AMBIGUOUS" in output and "Q90000003" in output and "Q90000004" in output
    assert "kid:org/ntt-east" in output and "confirmed" in output
    assert "Q90000006" not in output


@pytest.mark.loopback
def test_provenance(build: tuple[Path, str], endpoint: str) -> None:
    out, _ = build
    rows = open_store(out).query(
        f"""SELECT ?rule ?activity ?source WHERE {{ GRAPH <{ENRICH_GRAPH}> {{
              ?e dct:subject <{PARTY.format(1)}> ; prov:value <{WD}Q90000001> ;
                 dct:conformsTo ?rule ; prov:wasGeneratedBy ?activity ; prov:wasDerivedFrom ?source .
              ?activity prov:used ?source ; prov:endedAtTime ?t }} }}""",
        prefixes=PREFIXES,
    )
    found = [(r["rule"].value, r["source"].value) for r in rows]
    assert found == [(KID + "link/rule/wikidata-p3225", endpoint)]


@pytest.mark.loopback
def test_unreachable_endpoint_exits_1(tmp_path: Path, build: tuple[Path, str]) -> None:
    out, _ = build
    before = _matches(out)
    url = server.base_url(server.free_port()) + "/query"
    _register_optional_commands()
    result = CliRunner().invoke(cli, ["link", "--store", str(out), "--endpoint", url])
    assert result.exit_code == 1, result.output
    assert _matches(out) == before
