"""`ketsugo link --report`: coverage of the links, per report and in total.

Expected counts read by hand: the bundled report names 13 organisations (its counterparty
column; the LGWAN-ASP and payment providers are unnamed), of which data/reference/organizations.ttl
gives 4 a corporate number (厚生労働省, NTTデータ, NTT東日本, NTTコミュニケーションズ) and 1 a Wikidata
item (NTT東日本). The 武蔵野市 fixture names 6 parties; the NTA fixture gives 3 of them a number,
NTT東日本 has its curated one, 東西システム is ambiguous and J-LIS is not in the fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.export.link.coverage import coverage
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import open_store

from .conftest import CASES

KID = "https://w3id.org/ketsugo/id/"


def _measures(store: Path) -> dict[str, tuple[int, int]]:
    result = coverage(open_store(store))
    return {m.name: (len(m.linked), m.total) for m in result.total}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("coverage") / "build"
    run_build([metadata_from_options(CASES / "link" / "report.txt", "132039", 2021)], out)
    return out


def test_bundled_report(bundled_build: Path) -> None:
    measures = _measures(bundled_build)
    assert measures["parties with a corporate number"] == (4, 13)
    assert measures["parties with a Wikidata item"] == (1, 13)
    assert measures["municipalities with an e-Stat area"] == (1, 1)


def test_corporate_numbers_raise_the_coverage(linked: Path) -> None:
    assert _measures(linked)["parties with a corporate number"] == (1, 6)  # NTT東日本, curated
    _register_optional_commands()
    sample = CASES / "link" / "nta-sample.csv"
    result = CliRunner().invoke(
        cli, ["link", "--store", str(linked), "--corporate-numbers", str(sample), "--report"]
    )
    assert result.exit_code == 0, result.output
    assert _measures(linked)["parties with a corporate number"] == (4, 6)
    total = next(m for m in coverage(open_store(linked)).total if m.name == "parties with a corporate number")
    assert total.unlinked == {KID + "org/name/株式会社東西システム", KID + "org/j-lis"}  # No.4: ambiguous
    assert "parties with a corporate number" in result.output and "4 / 6" in result.output
    assert "<https://w3id.org/ketsugo/graph/132039/2021>" in result.output
