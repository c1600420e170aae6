"""Which way data flows (提供・受領の別): a party the municipality only receives data from is a data
source (dpv:hasDataSource), never a recipient; 提供・受領 links it both ways (docs/model.md,
Counterparties).

tests/cases/direction/report.txt is made by hand; what each test expects was read from its text
(and from tests/cases/variants/takasaki-2022/report.txt) before ketsugo was run on it:
No.1 提供 to 株式会社前橋電算センター, No.2 受領 from 株式会社NTTデータ, No.3 提供・受領 with 法務省
(No.1, 2 and 3 carry 生年月日), No.4 受領 from a party named only by its kind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

CASES = Path(__file__).parent / "cases"
CASE = CASES / "direction" / "report.txt"
TAKASAKI = CASES / "variants" / "takasaki-2022" / "report.txt"
DPV = "https://w3id.org/dpv#"


def _build(tmp_path_factory: pytest.TempPathFactory, report: Path, name: str) -> Path:
    _register_optional_commands()
    out = tmp_path_factory.mktemp(name) / "build"
    result = CliRunner().invoke(cli, ["build", str(report), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, CASE, "direction")


@pytest.fixture(scope="module")
def takasaki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, TAKASAKI, "takasaki")


def _query(store: Path, name: str, *params: str) -> list[dict[str, str]]:
    args = ["query", name, "--store", str(store), "--format", "json"]
    for param in params:
        args += ["-p", param]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def _links(store: Path) -> dict[int, set[str]]:
    """connection No. → the properties that link it to its counterparties."""
    from ketsugo.store.disk import open_store

    query = f"""SELECT ?n ?p WHERE {{ ?c <https://w3id.org/ketsugo#connectionNumber> ?n ; ?p ?party
        FILTER(?p IN (<{DPV}hasRecipient>, <{DPV}hasDataSource>)) }}"""
    found: dict[int, set[str]] = {}
    for row in open_store(store).query(query, use_default_graph_as_union=True):
        found.setdefault(int(row["n"].value), set()).add(row["p"].value.removeprefix(DPV))
    return found


def test_each_direction_links_its_counterparty_as_the_report_says(built: Path) -> None:
    assert _links(built) == {
        1: {"hasRecipient"},
        2: {"hasDataSource"},
        3: {"hasRecipient", "hasDataSource"},
        4: {"hasDataSource"},
    }


def test_date_of_birth_goes_only_to_the_parties_it_is_provided_to(built: Path) -> None:
    rows = _query(built, "recipients-of-category", "category=生年月日")
    # No.2 carries 生年月日 too, but the city receives it from 株式会社NTTデータ: no recipient
    assert sorted(r.get("recipient_label", "") for r in rows) == sorted(
        ["株式会社前橋電算センター", "法務省"]
    )


def test_takasaki_date_of_birth_recipients_leave_out_the_received_row(takasaki: Path) -> None:
    rows = _query(takasaki, "recipients-of-category", "category=生年月日")
    # No.1 (提供・受領) to 法務省; No.2 (受領) from 株式会社上州メディカルネット is no recipient
    assert [r.get("recipient_label", "") for r in rows] == ["法務省"]


def test_the_flows_export_shows_every_counterparty_with_its_direction(built: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "flows", "--store", str(built), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    seen = {(r["connection_number"], r["counterparty"], r["direction"]) for r in rows}
    assert seen == {
        (1, "株式会社前橋電算センター", "提供"),
        (2, "株式会社NTTデータ", "受領"),
        (3, "法務省", "提供・受領"),
        (4, "LGWAN-ASPサービス提供者", "受領"),
    }


def test_an_unnamed_data_source_is_listed_with_its_direction(built: Path) -> None:
    rows = _query(built, "unnamed-counterparties")
    assert [(r["connection_number"], r["as_written"], r["direction"]) for r in rows] == [
        ("4", "LGWAN-ASPサービス提供者", "受領")
    ]


def test_a_data_source_gives_no_violation(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "findings.json"
    result = CliRunner().invoke(
        cli, ["validate", "--store", str(built), "--format", "json", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(target.read_text(encoding="utf-8"))
    assert [f for f in findings if f["severity"] == "Violation"] == []
    # no "no counterparty" for the connections that only receive data
    assert not [f for f in findings if f["shape"] == "kgsh:ConnectionRecipientShape"]
    # the unnamed party of the 受領 row is still a disclosure gap, like any unnamed party
    unnamed = [f for f in findings if f["shape"] == "kgsh:UnnamedCounterpartyShape"]
    assert [f["connection"] for f in unnamed] == [4]


def test_the_briefing_marks_a_data_source(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "briefing.md"
    args = ["export", "briefing", "--store", str(built), "--format", "md", "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    ntt = [line for line in lines if "株式会社NTTデータ" in line]
    assert ntt and all("受領 (from)" in line for line in ntt)  # its card and the summary
    # the recipient of No.1 carries no mark: its card line names it alone
    card = [line for line in lines if "**株式会社前橋電算センター**" in line]
    assert card and all("受領" not in line and "提供" not in line for line in card)
    assert any("法務省" in line and "提供・受領" in line for line in lines)


def test_the_flow_graph_names_the_edge_of_a_data_source(built: Path) -> None:
    from ketsugo.store.disk import open_store

    text = (Path(__file__).parents[1] / "queries" / "export" / "flow-graph.rq").read_text(encoding="utf-8")
    relations = {
        row["relation"].value
        for row in open_store(built).query(text, use_default_graph_as_union=True)
        if row["target_kind"].value == "recipient"
    }
    assert relations == {"sends to", "receives from", "sends to and receives from"}


def test_a_data_source_is_still_a_party_for_corporate_numbers(built: Path) -> None:
    from ketsugo.export.link.corporate import party_keys
    from ketsugo.store.disk import open_store

    parties = {iri for found in party_keys(open_store(built)).values() for iri in found}
    assert "https://w3id.org/ketsugo/id/org/ntt-data" in parties  # No.2, 受領


def _types(store: Path, graph: str | None = None) -> dict[str, set[str]]:
    """each party's label → its DPV role types (dpv:Recipient / dpv:DataSource), in the union of the
    graphs or in one named graph."""
    from ketsugo.store.disk import open_store

    role = f"""?party a ?type FILTER(?type IN (<{DPV}Recipient>, <{DPV}DataSource>))"""
    where = f"GRAPH <{graph}> {{ {role} }}" if graph else role
    query = f"""SELECT ?label ?type WHERE {{
        ?c ?link ?party FILTER(?link IN (<{DPV}hasRecipient>, <{DPV}hasDataSource>))
        {{ ?party <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(lang(?label) = "ja") }}
        UNION {{ ?party <https://w3id.org/ketsugo#isUnnamed> true ; <https://w3id.org/ketsugo#asWritten> ?label }}
        {where} }}"""
    found: dict[str, set[str]] = {}
    for row in open_store(store).query(query, use_default_graph_as_union=True):
        found.setdefault(row["label"].value, set()).add(row["type"].value.removeprefix(DPV))
    return found


def test_a_party_is_typed_by_the_way_data_flows(built: Path) -> None:
    # read from the report: No.1 提供, No.2 受領, No.3 提供・受領, No.4 受領 (unnamed)
    assert _types(built) == {
        "株式会社前橋電算センター": {"Recipient"},
        "株式会社NTTデータ": {"DataSource"},
        "法務省": {"Recipient", "DataSource"},
        "LGWAN-ASPサービス提供者": {"DataSource"},
    }


def test_a_data_source_is_typed_in_the_report_graph(built: Path) -> None:
    graph = "https://w3id.org/ketsugo/graph/102016/2023"
    found = _types(built, graph)
    assert found.get("株式会社NTTデータ") == {"DataSource"}
    assert "DataSource" in found.get("法務省", set())


def test_an_organisation_is_a_recipient_of_the_build_when_any_report_sends_to_it() -> None:
    """Described once per build: one report only receiving from it and another sending to it make
    it a recipient (in the reference graph); receiving alone does not."""
    from ketsugo.graph.quads import NamedOrganisation, merge_organisations, organisation_nquads

    org = "<https://w3id.org/ketsugo/id/org/ntt-data>"
    only_source: dict[str, NamedOrganisation] = {}
    merge_organisations(only_source, {org: NamedOrganisation([])})
    assert b"Recipient" not in organisation_nquads(only_source)
    merge_organisations(only_source, {org: NamedOrganisation([], recipient=True)})
    assert f"{DPV}Recipient".encode() in organisation_nquads(only_source)
