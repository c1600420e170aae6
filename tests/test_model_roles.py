"""A subcontractor's role and an item's owner, kept in the graph (docs/model.md, Counterparties:
subcontractors; DataItem: owners).

tests/cases/model9/report.txt is made by hand; what each test expects was read from its text before
ketsugo was run on it: No.1 to 株式会社前橋電算センター, which subcontracts to 株式会社ジーシーシー
(再委託先：…), items 児童氏名, 児童生年月日, 保護者氏名, 保護者住所, 児童手当額; No.2 to 株式会社ジーシーシー
directly, items 氏名, 住所, 生年月日, 世帯主氏名; No.3 to 株式会社両毛システムズ, which subcontracts to
株式会社エスケイシー (…に再委託), and to an LGWAN-ASP provider, items 被保険者番号, 被保険者氏名,
配偶者の氏名, 扶養親族氏名.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

CASE = Path(__file__).parent / "cases" / "model9" / "report.txt"
KG = "https://w3id.org/ketsugo#"
DPV = "https://w3id.org/dpv#"
SUBJECT = "https://w3id.org/ketsugo/id/subject-class/"
GRAPH = "https://w3id.org/ketsugo/graph/102016/2023"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _register_optional_commands()
    out = tmp_path_factory.mktemp("model9") / "build"
    result = CliRunner().invoke(cli, ["build", str(CASE), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out


def _select(store: Path, query: str) -> list[dict[str, str]]:
    from ketsugo.store.disk import open_store

    prefixes = f"PREFIX kg: <{KG}> PREFIX dpv: <{DPV}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    rows = open_store(store).query(prefixes + query, use_default_graph_as_union=True)
    names = [v.value for v in rows.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in rows]


# --- subcontractors ---------------------------------------------------------------------------


def test_a_subcontractor_is_linked_to_its_contractor_on_its_connection(built: Path) -> None:
    rows = _select(
        built,
        """SELECT ?n ?sub ?contractor ?written WHERE {
            ?c kg:connectionNumber ?n ; kg:subcontracting ?s .
            ?s kg:subcontractor ?b ; kg:contractor ?a ; kg:asWritten ?written .
            ?b skos:prefLabel ?sub FILTER(lang(?sub) = "ja")
            ?a skos:prefLabel ?contractor FILTER(lang(?contractor) = "ja") }""",
    )
    assert sorted((int(r["n"]), r["sub"], r["contractor"], r["written"]) for r in rows) == [
        (1, "株式会社ジーシーシー", "株式会社前橋電算センター", "再委託先：株式会社ジーシーシー"),
        (3, "株式会社エスケイシー", "株式会社両毛システムズ", "株式会社エスケイシーに再委託"),
    ]


def test_a_subcontractor_is_still_a_recipient_and_a_dpv_sub_processor(built: Path) -> None:
    recipients = _select(
        built,
        "SELECT ?b WHERE { ?c kg:connectionNumber 1 ; kg:subcontracting/kg:subcontractor ?b . ?c dpv:hasRecipient ?b }",
    )
    assert len(recipients) == 1
    typed = _select(
        built,
        f"SELECT ?b WHERE {{ GRAPH <{GRAPH}> {{ ?b a dpv:DataSubProcessor }} }}",
    )
    assert sorted(r["b"].rsplit("/", 1)[-1] for r in typed) == [
        "株式会社エスケイシー",
        "株式会社ジーシーシー",
    ]


def test_the_flows_export_names_the_contractor_of_a_subcontractor(built: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "flows", "--store", str(built), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    seen = {(r["connection_number"], r["counterparty"], r["subcontractor_of"] or "") for r in rows}
    assert seen == {
        (1, "株式会社前橋電算センター", ""),
        (1, "株式会社ジーシーシー", "株式会社前橋電算センター"),
        (2, "株式会社ジーシーシー", ""),  # named directly: no subcontractor here
        (3, "株式会社両毛システムズ", ""),
        (3, "株式会社エスケイシー", "株式会社両毛システムズ"),
        (3, "LGWAN-ASPサービス提供者", ""),
    }


# --- whose item it is -------------------------------------------------------------------------


def _owners(store: Path) -> dict[tuple[int, str], tuple[str, str, frozenset[str]]]:
    """(No., item as written) → (owner words, owner subject class slug, categories)."""
    rows = _select(
        store,
        """SELECT ?n ?written ?owner ?class ?category WHERE {
            ?c kg:connectionNumber ?n ; kg:hasDataItem ?i . ?i kg:asWritten ?written .
            OPTIONAL { ?i kg:ownerAsWritten ?owner } OPTIONAL { ?i kg:itemOf ?class }
            OPTIONAL { ?i kg:hasCategory ?category } }""",
    )
    found: dict[tuple[int, str], tuple[str, str, frozenset[str]]] = {}
    for r in rows:
        key = (int(r["n"]), r["written"])
        owner, slug, cats = found.get(key, ("", "", frozenset()))
        category = r.get("category", "").rsplit("/", 1)[-1]
        found[key] = (
            r.get("owner", owner),
            r.get("class", "").removeprefix(SUBJECT) or slug,
            cats | ({category} if category else set()),
        )
    return found


def test_an_item_keeps_whose_it_is(built: Path) -> None:
    found = _owners(built)
    assert found[(1, "児童氏名")] == ("児童", "children", frozenset({"name"}))
    assert found[(1, "児童生年月日")] == ("児童", "children", frozenset({"date-of-birth"}))
    assert found[(1, "保護者氏名")][:2] == ("保護者", "guardians")
    assert "name" in found[(1, "保護者氏名")][2]
    assert found[(1, "保護者住所")][:2] == ("保護者", "guardians")
    assert found[(3, "被保険者氏名")][0] == "被保険者"
    assert found[(3, "配偶者の氏名")][0] == "配偶者"
    assert found[(3, "扶養親族氏名")][0] == "扶養親族"
    assert found[(2, "世帯主氏名")][0] == "世帯主"
    assert found[(2, "世帯主氏名")][2] == frozenset({"name"})


def test_a_word_that_only_starts_like_an_owner_has_none(built: Path) -> None:
    found = _owners(built)
    # 被保険者番号 is one term (the insured's number); 児童手当額 the amount of a benefit
    assert found[(3, "被保険者番号")][:2] == ("", "")
    assert found[(1, "児童手当額")][:2] == ("", "")
    assert found[(2, "氏名")][:2] == ("", "")


def test_a_childs_date_of_birth_is_still_date_of_birth(built: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "recipients-of-category",
            "--store",
            str(built),
            "--format",
            "json",
            "-p",
            "category=生年月日",
        ],
    )
    assert result.exit_code == 0, result.output
    labels = {r["recipient_label"]["value"] for r in json.loads(result.output)["results"]["bindings"]}
    # No.1 (児童生年月日) and No.2 (生年月日): both parties of No.1 and the party of No.2
    assert labels == {"株式会社前橋電算センター", "株式会社ジーシーシー"}


def test_an_owner_word_before_a_relation_is_no_owner() -> None:
    from ketsugo.graph.owners import item_owner
    from ketsugo.graph.reference import reference

    categories = reference().categories
    # one's relation to the householder, not the householder's: no owner
    name = "世帯主との続柄"
    assert item_owner(name, categories.categorize(name), categories) is None
    name = "保護者の氏名"
    owner = item_owner(name, categories.categorize(name), categories)
    assert owner is not None and owner.as_written == "保護者"


# --- a start date per party ---------------------------------------------------------------------

JOETSU = Path(__file__).parent / "cases" / "variants" / "joetsu-2021" / "report.txt"


@pytest.fixture(scope="module")
def joetsu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _register_optional_commands()
    out = tmp_path_factory.mktemp("joetsu") / "build"
    result = CliRunner().invoke(cli, ["build", str(JOETSU), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out


_PARTY_STARTS = """SELECT ?n ?label ?day WHERE {
    ?c kg:connectionNumber ?n ; kg:counterpartyStart ?q . ?q kg:counterparty ?p ; kg:partyStartDate ?day .
    ?p skos:prefLabel ?label FILTER(lang(?label) = "ja") }"""


def test_each_party_keeps_its_own_start_date(joetsu: Path) -> None:
    # read from the report: No.2 株式会社ペイメントジャパン 令和3年4月1日, 株式会社越後決済サービス 令和3年10月1日
    rows = _select(joetsu, _PARTY_STARTS)
    assert sorted((int(r["n"]), r["label"], r["day"]) for r in rows) == [
        (2, "株式会社ペイメントジャパン", "2021-04-01"),
        (2, "株式会社越後決済サービス", "2021-10-01"),
    ]
    # the connection keeps its own start, the earliest (it began with its first party)
    starts = _select(joetsu, "SELECT ?day WHERE { ?c kg:connectionNumber 2 ; kg:startDate ?day }")
    assert [r["day"] for r in starts] == ["2021-04-01"]


def test_a_connection_with_one_date_has_no_party_dates(built: Path) -> None:
    assert _select(built, _PARTY_STARTS) == []


def test_a_recipient_is_listed_since_its_own_start(joetsu: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "recipients-of-category",
            "--store",
            str(joetsu),
            "--format",
            "json",
            "-p",
            "category=納付",
        ],
    )
    assert result.exit_code == 0, result.output
    since = {
        r["recipient_label"]["value"]: r["since"]["value"]
        for r in json.loads(result.output)["results"]["bindings"]
    }
    # No.2 (納付番号, 納付金額): 株式会社越後決済サービス began 令和3年10月1日, not with the first party
    assert since == {"株式会社ペイメントジャパン": "2021-04-01", "株式会社越後決済サービス": "2021-10-01"}


def test_the_briefing_names_the_contractor_of_a_subcontractor(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "briefing.md"
    args = ["export", "briefing", "--store", str(built), "--format", "md", "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    cards = [
        line for line in target.read_text(encoding="utf-8").splitlines() if "**株式会社ジーシーシー**" in line
    ]
    # two cards name it: No.1 as 株式会社前橋電算センター's subcontractor, No.2 directly
    assert len(cards) == 2
    assert sum("株式会社前橋電算センター" in line for line in cards) == 1
