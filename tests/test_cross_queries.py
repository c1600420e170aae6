"""The cross-municipality questions of the catalogue, across several reports.

Four small reports of three municipalities (tests/cases/cross/: 市川市 FY2021 and FY2022, 高松市
FY2021, 松本市 FY2022) are built into one store; every expected value in
tests/cases/cross/expected.toml was read by hand from those reports and the category labels
before ketsugo ran on them. They share counterparties (J-LIS, 地方税共同機構, 厚生労働省, NTTデータ,
and a company no registry names, spelled two ways), so a query that counted reports instead of
municipalities, or spellings instead of organisations, gives other numbers.
"""

from __future__ import annotations

from typing import Any

import pytest

from ketsugo.sparql.catalogue import get
from ketsugo.sparql.query import LocalBackend, run_catalogue_query

CATEGORY = "https://w3id.org/ketsugo/id/category/"
KG = "https://w3id.org/ketsugo#"


def answer(cross_backend: LocalBackend, name: str, **params: str) -> list[dict[str, Any]]:
    return run_catalogue_query(cross_backend, get(name), params).records()


def test_counterparties_are_counted_by_municipality_not_by_report(
    cross_backend: LocalBackend, cross_expected: dict[str, Any]
) -> None:
    rows = answer(cross_backend, "counterparties-by-municipalities")
    got = {r["counterparty_label"]: r for r in rows}
    expected = cross_expected["counterparty"]
    assert set(got) == {e["label"] for e in expected}  # unnamed LGWAN-ASP parties left out
    for e in expected:
        row = got[e["label"]]
        assert (row["municipalities"], row["connections"]) == (e["municipalities"], e["connections"]), e[
            "label"
        ]
        assert row["ended"] == e.get("ended", 0), e["label"]
        if "kind_class" in e:
            assert row["counterparty_kind_class"] == KG + e["kind_class"]
    # J-LIS: 4 connections in 4 reports, but 3 municipalities (市川市 twice)
    assert got["地方公共団体情報システム機構"]["reports"] == 4
    # most municipalities first, then most connections
    assert [r["counterparty_label"] for r in rows][:1] == ["地方公共団体情報システム機構"]
    keys = [(-r["municipalities"], -r["connections"]) for r in rows]
    assert keys == sorted(keys)
    assert got["株式会社NTTデータ"]["counterparty_kind"] == "民間事業者"


def test_one_company_however_it_is_spelled(cross_backend: LocalBackend) -> None:
    """株式会社ミライ計算センター (高松市) and ㈱ミライ計算センター (松本市) are one organisation."""
    rows = answer(cross_backend, "counterparties-by-municipalities")
    mirai = [r for r in rows if "ミライ計算センター" in r["counterparty_label"]]
    assert len(mirai) == 1 and mirai[0]["municipalities"] == 2


@pytest.mark.parametrize(
    ("params", "key"),
    [({}, "to_companies_date_of_birth"), ({"category": "個人番号"}, "to_companies_my_number")],
    ids=["date-of-birth (default)", "my-number"],
)
def test_municipalities_sending_a_category_to_companies(
    cross_backend: LocalBackend, cross_expected: dict[str, Any], params: dict[str, str], key: str
) -> None:
    rows = answer(cross_backend, "municipalities-sending-category-to-companies", **params)
    got = {r["code"]: r for r in rows}
    expected = {e["code"]: e for e in cross_expected[key]}
    assert set(got) == set(expected)
    for code, e in expected.items():
        row = got[code]
        assert (row["companies"], row["connections"]) == (e["companies"], e["connections"]), code
        assert sorted(row["company_list"].split(" / ")) == sorted(e["company_list"]), code
        if "flagged" in e:
            assert row["my_number_flagged"] == e["flagged"], code
    assert "category" not in (rows[0] if rows else {})  # the parameter is not echoed


def test_the_my_number_question_by_english_name_and_by_a_broader_category(
    cross_backend: LocalBackend,
) -> None:
    by_label = answer(cross_backend, "municipalities-sending-category-to-companies", category="My Number")
    assert {r["code"] for r in by_label} == {"122033", "202029"}
    # identity is broader than date of birth and name: every company connection carries a name
    broader = answer(cross_backend, "municipalities-sending-category-to-companies", category="identity")
    assert {r["code"]: r["connections"] for r in broader} == {"122033": 1, "202029": 2, "372013": 2}


def test_the_long_form_counts_per_municipality_and_year(
    cross_backend: LocalBackend, cross_expected: dict[str, Any]
) -> None:
    rows = answer(cross_backend, "category-municipality-counts")
    got: dict[tuple[str, int], dict[str, int]] = {}
    for r in rows:
        got.setdefault((r["code"], r["fiscal_year"]), {})[r["category"].removeprefix(CATEGORY)] = r[
            "connections"
        ]
    expected = {(e["code"], e["fiscal_year"]): e["counts"] for e in cross_expected["long"]}
    assert got == expected
    ended = {(r["code"], r["category"].removeprefix(CATEGORY)): r["ended"] for r in rows if r["ended"]}
    # 松本市's ended connection carries 氏名, 住所 and 生年月日
    assert ended == {("202029", "name"): 1, ("202029", "address"): 1, ("202029", "date-of-birth"): 1}
    labels = {r["category"].removeprefix(CATEGORY): r["category_label"] for r in rows}
    assert labels["date-of-birth"] == "生年月日"


def test_the_long_form_of_one_fiscal_year(
    cross_backend: LocalBackend, cross_expected: dict[str, Any]
) -> None:
    rows = answer(cross_backend, "category-municipality-counts", fiscal_year="2021")
    assert {r["fiscal_year"] for r in rows} == {2021}
    assert {r["code"] for r in rows} == set(cross_expected["matrix_2021"]["municipalities"])


def test_my_number_share_per_report(cross_backend: LocalBackend, cross_expected: dict[str, Any]) -> None:
    rows = answer(cross_backend, "my-number-share-by-municipality")
    got = {(r["code"], r["fiscal_year"]): r for r in rows}
    assert len(rows) == len(got) == 4  # one row per report, however many reports name the town
    for e in cross_expected["my_number_share"]:
        row = got[(e["code"], e["fiscal_year"])]
        for column in ("connections", "my_number_connections", "flagged", "unflagged_with_item"):
            assert row[column] == e[column], (e["code"], e["fiscal_year"], column)
        share = round(100 * e["my_number_connections"] / e["connections"], 1)
        assert float(row["percent"]) == share
    percents = [float(r["percent"]) for r in rows]
    assert percents == sorted(percents, reverse=True)


def test_categories_by_municipalities(cross_backend: LocalBackend, cross_expected: dict[str, Any]) -> None:
    rows = answer(cross_backend, "categories-by-municipalities")
    got = {r["category"].removeprefix(CATEGORY): [r["municipalities"], r["connections"]] for r in rows}
    assert got == cross_expected["categories_reach"]
    sensitive = {r["category"].removeprefix(CATEGORY) for r in rows if r["sensitive"]}
    assert {"my-number", "bank-account"} <= sensitive and "name" not in sensitive


def test_the_queries_are_listed_in_the_catalogue() -> None:
    from click.testing import CliRunner

    import ketsugo.cli.main
    from ketsugo.cli.main import cli

    ketsugo.cli.main._register_optional_commands()
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    for name in (
        "counterparties-by-municipalities",
        "municipalities-sending-category-to-companies",
        "category-municipality-counts",
        "my-number-share-by-municipality",
        "categories-by-municipalities",
    ):
        assert name in result.output


def test_since_is_the_earliest_start_date_even_when_an_ended_connection_has_none(
    cross_backend: LocalBackend,
) -> None:
    """Date of birth goes to 株式会社NTTデータ from 市川市 FY2021 No.3 (R3.10. 1), 高松市 FY2021 No.5
    (R3. 8. 1) and 松本市 FY2022's ended No.1 (its table gives only the end date, R5. 3.31). Read
    by hand: since = 2021-08-01. (MIN over a group holding a connection with no start date gave
    no value at all: "since ?".)"""
    rows = answer(cross_backend, "recipients-of-category", category="date-of-birth")
    ntt = [r for r in rows if "NTTデータ" in str(r["recipient_label"])]
    assert len(ntt) == 1
    assert str(ntt[0]["since"]) == "2021-08-01"
    assert ntt[0]["connections"] == 3
