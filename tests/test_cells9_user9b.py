"""The user9b case (tests/cases/user9b/kirishima-2023: a made-up 霧島市 FY2023 report; expected.toml
and NOTES.md written by hand before ketsugo was run), for what cells9 fixed: a count of the items
closing an item list (住所等5項目, 出欠状況（5項目）: docs/items.md rule 13), a counterparty not chosen
yet (未定（調達中）: no party, kg:counterpartyUndetermined), and a 審議会 cell saying there is no
decision (該当なし: no warning). Expectations read by hand from report.txt."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.check.validate import validate_store
from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.graph.partyrules import is_undecided
from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report, run_build
from ketsugo.read.items import count_remark, split_items
from ketsugo.read.legal import parse_legal_basis
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import open_store

CASE = Path(__file__).parent / "cases" / "user9b" / "kirishima-2023"
CODE = "462187"


# --- rule 13: a count of the items -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "names", "open_ended", "count"),
    [
        ("氏名、生年月日、住所等5項目", ["氏名", "生年月日", "住所"], True, 5),
        (
            "児童生徒氏名、生年月日、住所、成績、出欠状況（5項目）",
            ["児童生徒氏名", "生年月日", "住所", "成績", "出欠状況"],
            False,
            5,
        ),
        ("納付番号、氏名、納付金額（3項目）", ["納付番号", "氏名", "納付金額"], False, 3),
        ("氏名、住所(計２項目)", ["氏名", "住所"], False, 2),
        ("氏名、住所、計2項目", ["氏名", "住所"], False, 2),
        ("氏名、住所ほか3項目", ["氏名", "住所"], True, 3),
        ("氏名等3項目", ["氏名"], True, 3),
        ("氏名、住所（4項目）", ["氏名", "住所"], True, 4),  # counts more than it names
        ("「氏名、住所」等5項目", ["氏名", "住所"], True, 5),
        ("氏名・住所・生年月日（三項目）", ["氏名", "住所", "生年月日"], False, 3),
    ],
)
def test_a_count_closing_the_list_is_no_part_of_an_item(
    cell: str, names: list[str], open_ended: bool, count: int
) -> None:
    read = split_items(cell)
    assert [i.name for i in read.items] == names
    assert (read.open_ended, read.count) == (open_ended, count)
    assert read.count_as_written and read.count_as_written in cell
    assert read.count_as_written in count_remark(read)


def test_the_last_item_keeps_the_count_as_written() -> None:
    last = split_items("氏名、生年月日、住所等5項目").items[-1]
    assert (last.name, last.as_written) == ("住所", "住所等5項目")
    last = split_items("納付番号、氏名、納付金額（3項目）").items[-1]
    assert (last.name, last.as_written) == ("納付金額", "納付金額（3項目）")


@pytest.mark.parametrize(
    "cell",
    [
        "4情報",
        "基本4情報",
        "4項目",
        "第1号被保険者",
        "3歳児健診結果",
        "健診結果（10項目）",
        "氏名、基本4項目",
        "氏名、基本4情報",
    ],
)
def test_digits_that_are_no_count_stay_in_the_items(cell: str) -> None:
    read = split_items(cell)
    assert [i.as_written for i in read.items] == [p for p in cell.split("、")]
    assert [i.name for i in read.items] == [p for p in cell.split("、")]
    assert (read.count, read.count_as_written, read.open_ended) == (0, "", False)


# --- an undecided counterparty, a 審議会 cell saying none ------------------------------------------


@pytest.mark.parametrize(
    ("cell", "undecided"),
    [
        ("未定（調達中）", True),
        ("未定", True),
        ("調達中", True),
        ("選定中", True),
        ("入札予定", True),
        ("決定次第", True),
        ("入札により決定", True),
        ("委託事業者（未定）", False),  # the kind is named: an unnamed contractor, as before
        ("株式会社A（予定）", False),
        ("未定、株式会社A", False),
        ("", False),
    ],
)
def test_an_undecided_counterparty(cell: str, undecided: bool) -> None:
    assert is_undecided(cell) is undecided


@pytest.mark.parametrize("cell", ["該当なし", "不要", "なし", "－", "該当なし。"])
def test_a_council_cell_saying_none_is_no_decision_and_no_remark(cell: str) -> None:
    read = parse_legal_basis(cell)
    assert (read.decision, read.statutes, read.remarks) == (None, (), ())


def test_a_council_cell_saying_something_else_is_still_remarked() -> None:
    assert parse_legal_basis("審議中").remarks


# --- the case --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected() -> dict:  # type: ignore[type-arg]
    with (CASE / "expected.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kirishima") / "build"
    run_build([metadata_from_options(CASE / "report.txt", CODE, None)], out)
    return out


def test_the_case_reads_items_without_counts(expected: dict) -> None:  # type: ignore[type-arg]
    report = build_report(metadata_from_options(CASE / "report.txt", CODE, None), reference())
    read = {(c.status, c.number): c for c in report.report.connections}
    for row in expected["connection"]:
        items = read[(row["status"], row["number"])].items
        assert [i.name for i in items.items] == row["items"], row["number"]
        assert items.open_ended == row.get("items_open_ended", False), row["number"]
    infos = [i for i in report.report.issues if "count of its items" in i.message]
    # line 19: row 8 区分 継続, a continuing connection since csv12 (its （6項目） count is read too)
    assert {(i.line, i.severity) for i in infos} == {(line, "info") for line in (12, 13, 14, 16, 18, 19)}
    assert not [i for i in report.report.issues if "no council decision" in i.message]


def test_the_undecided_party_is_no_party(built: Path) -> None:
    validation = validate_store(open_store(built))
    assert not [f for f in validation.findings if f.severity == "Violation"]
    store = open_store(built)
    prefix = "PREFIX kg: <https://w3id.org/ketsugo#> PREFIX dpv: <https://w3id.org/dpv#>"
    rows = list(
        store.query(
            f"{prefix} SELECT ?c ?u WHERE {{ GRAPH ?g {{ ?c kg:connectionNumber 6 ; kg:counterpartiesAsWritten ?w . "
            "OPTIONAL { ?c kg:counterpartyUndetermined ?u } "
            "FILTER NOT EXISTS { ?c dpv:hasRecipient|dpv:hasDataSource ?p } } }"
        )
    )
    assert len(rows) == 1 and rows[0]["u"] is not None and rows[0]["u"].value == "true"
    parties = list(
        store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX kg: <https://w3id.org/ketsugo#> "
            "SELECT ?p WHERE { GRAPH ?g { ?p rdfs:label ?label FILTER (CONTAINS(STR(?label), '未定') "
            "&& !STRSTARTS(STR(?p), STR(kg:))) } }"
        )
    )
    assert parties == []  # no organisation nor unresolved party named 未定
    told = [f for f in validation.findings if "not yet decided" in f.message_en]
    assert [(f.connection, f.severity, f.kind) for f in told] == [(6, "Info", "disclosure")]
    assert not [f for f in validation.findings if f.connection == 6 and "no counterparty" in f.message_en]


def test_recipients_of_date_of_birth_match_the_hand_list(built: Path) -> None:
    _register_optional_commands()
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "recipients-of-category",
            "--store",
            str(built),
            "-p",
            "category=生年月日",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    labels = {r["recipient_label"]["value"] for r in rows}
    # expected.toml's header, read by hand: No.1, No.2 (two), No.4, No.7, and デジタル庁 (ended No.9)
    assert {"地方公共団体情報システム機構", "厚生労働省", "株式会社内田洋行"} <= labels
    assert any("都道府県" in label for label in labels)
    assert any("LGWAN-ASP" in label for label in labels)
    assert not [label for label in labels if "未定" in label]
    assert labels <= {"地方公共団体情報システム機構", "厚生労働省", "株式会社内田洋行", "デジタル庁"} | {
        label for label in labels if "都道府県" in label or "LGWAN-ASP" in label
    }
