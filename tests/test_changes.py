"""Rows reporting a change to an existing connection (区分 変更): a kg:ConnectionChange of their own,
every cell kept, never counted as a new or ended connection, shown where people read (flows,
my-number-connections, the briefing, the build summary).

tests/cases/changes9: hand-made reports (前橋市 FY2022 and FY2023 — one table with 区分 新規 /
変更 / 廃止 —, 桐生市 FY2023 — a new-connections table with 区分 新規 / 変更 and a section (3)),
沼田市 FY2023 — a section (4) of changes with a 変更年月日 column —, and expected.toml, written by
hand before ketsugo was run on them.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.read.parser import parse_report

CASES = Path(__file__).parent / "cases" / "changes9"
KG = "https://w3id.org/ketsugo#"
DPV = "https://w3id.org/dpv#"
EXPECTED = tomllib.loads((CASES / "expected.toml").read_text(encoding="utf-8"))
# where each case's change connects: report file → (municipality code, fiscal year)
WHERE = {"maebashi-2023": ("102016", 2023), "kiryu-2023": ("102032", 2023), "numata-2023": ("102067", 2023)}


def _run(*args: str) -> str:
    _register_optional_commands()
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Two builds: 前橋市 FY2022 + FY2023 (the change links to FY2022), 桐生市 FY2023 alone."""
    where = tmp_path_factory.mktemp("changes9")
    made: dict[str, tuple[Path, str]] = {}
    for name, files, code in (
        ("maebashi-2023", ("maebashi-2022.txt", "maebashi-2023.txt"), "102016"),
        ("kiryu-2023", ("kiryu-2023.txt",), "102032"),
        ("numata-2023", ("numata-2023.txt",), "102067"),
    ):
        out = where / name
        output = _run(
            "build", *(str(CASES / f) for f in files), "--municipality", code, "--out", str(out), "-j", "1"
        )
        made[name] = (out, output)
    return made


@cache
def _store(out: Path) -> ox.Store:
    return ox.Store.read_only(str(out / "store"))


def _values(store: ox.Store, node: str, prop: str) -> list[object]:
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH ?g {{ <{node}> <{prop}> ?o }} }}")
    return sorted(r["o"].value for r in rows)  # type: ignore[union-attr]


def _change_iri(case: str, number: int) -> str:
    code, year = WHERE[case]
    return f"https://w3id.org/ketsugo/id/{code}/{year}/connection-change/{number}"


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", WHERE)
def test_a_change_row_is_read_as_a_change_not_a_connection(case: str) -> None:
    report = parse_report((CASES / f"{case}.txt").read_text(encoding="utf-8"), f"{case}.txt")
    wanted = EXPECTED[case]
    assert sorted(c.number for c in report.connections if c.status == "new") == wanted["new"]
    assert sorted(c.number for c in report.connections if c.status == "ended") == wanted["ended"]
    assert [c.number for c in report.changes] == [c["number"] for c in wanted["change"]]
    for change, row in zip(report.changes, wanted["change"], strict=True):
        assert change.status == "changed"
        assert change.change_date is not None and change.change_date.isoformat() == row["change_date"]
        assert change.start_date is None and change.end_date is None  # the date is the change's
        # the finding is an info now (the row is read), no longer a warning that it was not
        found = [i for i in report.issues if i.line == change.line and "neither new nor ended" in i.message]
        assert [i.severity for i in found] == ([] if row["finding"] == "none" else [row["finding"]])
    assert not [n for n, text in report.section_notes if "変更" in text.split("\t")[:2]]  # no longer a note


# --- the graph ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", WHERE)
def test_the_change_is_a_node_of_its_own_with_every_cell(builds, case: str) -> None:
    store = _store(builds[case][0])
    for row in EXPECTED[case]["change"]:
        node = _change_iri(case, row["number"])
        assert _values(store, node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == [
            KG + "ConnectionChange"
        ]
        assert _values(store, node, KG + "status") == []  # neither new nor ended
        assert _values(store, node, KG + "businessName") == [row["business"]]
        assert _values(store, node, KG + "reason") == [row["reason"]]
        assert _values(store, node, KG + "departmentsAsWritten") == row["departments"]
        assert _values(store, node, KG + "involvesSpecificPersonalInformation") == [
            str(row["specific"]).lower()
        ]
        assert _values(store, node, KG + "changeDate") == [row["change_date"]]
        items = store.query(
            f"SELECT ?w ?p WHERE {{ GRAPH ?g {{ <{node}> <{KG}hasDataItem> ?i ; <{KG}itemOrder> ?order . "
            f"?i <{KG}asWritten> ?w "
            f'BIND(STRLEN(STRBEFORE(?order, STRAFTER(STR(?i), "/item/"))) AS ?p) }} }} ORDER BY ?p'
        )
        assert [r["w"].value for r in items] == row["items"]  # type: ignore[union-attr]
        my_number = store.query(
            f"SELECT ?w WHERE {{ GRAPH ?g {{ <{node}> <{KG}hasDataItem> ?i . ?i <{KG}asWritten> ?w ; "
            f"<{KG}hasCategory> <https://w3id.org/ketsugo/id/category/my-number> }} }}"
        )
        assert [r["w"].value for r in my_number] == row["my_number_items"]  # type: ignore[union-attr]
        links = {"from": [DPV + "hasDataSource"], "absent": [DPV + "hasRecipient"]}[row["direction"]]
        parties = store.query(
            f"SELECT ?p ?link ?l WHERE {{ <{node}> ?link ?p . ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l "
            f'FILTER(?link IN (<{DPV}hasRecipient>, <{DPV}hasDataSource>) && lang(?l) = "ja") }}',
            use_default_graph_as_union=True,
        )
        got = sorted({(r["link"].value, r["l"].value) for r in parties})  # type: ignore[union-attr]
        assert got == [(link, name) for link in links for name in row["counterparties"]]
        council = store.query(
            f"SELECT ?y ?m WHERE {{ <{node}> <{DPV}hasLegalBasis> ?d . ?d <{KG}fiscalYear> ?y ; "
            f"<{KG}meetingNumber> ?m }}",
            use_default_graph_as_union=True,
        )
        assert [(int(r["y"].value), int(r["m"].value)) for r in council] == [  # type: ignore[union-attr]
            (row["council"]["fiscal_year"], row["council"]["meeting"])
        ]
        changes = _values(store, node, KG + "changesConnection")
        if row["changes"] == "absent":
            assert changes == []
        else:
            earlier, number = row["changes"].split(" No.")
            year = earlier.rsplit("-", 1)[1]
            assert changes == [f"https://w3id.org/ketsugo/id/{WHERE[case][0]}/{year}/connection/{number}"]


@pytest.mark.parametrize("case", WHERE)
def test_the_summary_still_counts_only_new_and_ended_rows(builds, case: str) -> None:
    out = builds[case][0]
    rows = json.loads(_run("query", "summary-check", "--store", str(out), "--format", "json"))
    wanted = EXPECTED[case]["summary"]
    year = WHERE[case][1]
    checked = [b for b in rows["results"]["bindings"] if int(b["fiscal_year"]["value"]) == year]
    assert len(checked) == 2  # 市長 and 合計
    for binding in checked:
        assert int(binding["stated_new"]["value"]) == wanted["b"]
        assert int(binding["stated_ended"]["value"]) == wanted["c"]
        assert binding["consistent"]["value"] == "true"
        assert int(binding["listed_new"]["value"]) == wanted["b"] == len(EXPECTED[case]["new"])
        assert int(binding["listed_ended"]["value"]) == wanted["c"] == len(EXPECTED[case]["ended"])


@pytest.mark.parametrize("case", WHERE)
def test_validate_finds_nothing_wrong_with_a_change(builds, case: str) -> None:
    out = builds[case][0]
    target = out.parent / f"{case}-findings.json"
    _run("validate", "--store", str(out), "--format", "json", "-o", str(target))
    findings = json.loads(target.read_text(encoding="utf-8"))
    assert not [f for f in findings if f["severity"] in ("Violation", "Warning")], findings


# --- where people read ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", WHERE)
def test_flows_show_the_change_as_changed(builds, case: str) -> None:
    out = builds[case][0]
    rows = list(csv.DictReader(io.StringIO(_run("export", "flows", "--store", str(out), "--format", "csv"))))
    for row in EXPECTED[case]["change"]:
        number = str(row["number"])  # a change may share its No. with a new row (a section of its own)
        mine = [
            r
            for r in rows
            if (r["report"], r["connection_number"], r["status"]) == (f"{case}.txt", number, "changed")
        ]
        assert [r["data_item"] for r in mine] == row["items"] * len(row["counterparties"])
        assert {r["change_date"] for r in mine} == {row["change_date"]}
        assert {r["start_date"] for r in mine} == {""}
    # the new and ended rows keep their status
    others = {(r["connection_number"], r["status"]) for r in rows if r["report"] == f"{case}.txt"}
    assert {n for n, s in others if s == "new"} == {str(n) for n in EXPECTED[case]["new"]}


@pytest.mark.parametrize("case", WHERE)
def test_my_number_connections_list_the_change(builds, case: str) -> None:
    out = builds[case][0]
    answer = json.loads(_run("query", "my-number-connections", "--store", str(out), "--format", "json"))
    rows = [
        {k: v["value"] for k, v in b.items()}
        for b in answer["results"]["bindings"]
        if b["status"]["value"] == "changed"
    ]
    wanted = [c for c in EXPECTED[case]["change"] if c["specific"] or c["my_number_items"]]
    assert sorted(int(r["connection_number"]) for r in rows) == [c["number"] for c in wanted]
    for row, change in zip(sorted(rows, key=lambda r: int(r["connection_number"])), wanted, strict=True):
        assert row["my_number_items"].split(" / ") == change["my_number_items"]
        assert row["change_date"] == change["change_date"]
        recipients = change["counterparties"] if change["direction"] != "from" else []
        assert [r for r in row.get("recipients", "").split(" / ") if r] == recipients


@pytest.mark.parametrize("case", WHERE)
def test_the_briefing_lists_the_change(builds, case: str, tmp_path: Path) -> None:
    out = builds[case][0]
    target = tmp_path / "briefing.md"
    _run("export", "briefing", "--store", str(out), "--format", "md", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    for change in EXPECTED[case]["change"]:
        ref = f"変更No.{change['number']}"
        assert f"既存の結合の変更 {len(EXPECTED[case]['change'])} 件" in text  # the count, apart
        assert f"#### {ref} {change['business']}" in text  # its card
        assert "既存の結合の変更で特定個人情報を扱うもの" in text and ref in text
        if change["changes"] != "absent":
            year, number = change["changes"].rsplit("-", 1)[1].split(" No.")
            assert f"変更した結合: {year} No.{number}" in text
            # and a line under the connection it changes (its card in the earlier report)
            card = text.split(f"#### No.{number} ")[1].split("####")[0]
            code_year = WHERE[case][1]
            assert f"その後の変更 / Changed later**: {code_year} {ref} ({change['change_date']})" in card


@pytest.mark.parametrize("case", WHERE)
def test_the_build_summary_names_the_changes(builds, case: str) -> None:
    output = builds[case][1]
    numbers = ", ".join(f"No.{c['number']}" for c in EXPECTED[case]["change"])
    assert f"{len(EXPECTED[case]['change'])} change(s) to existing connections (変更: {numbers})" in output
    new, ended = len(EXPECTED[case]["new"]), len(EXPECTED[case]["ended"])
    assert f"{new + ended} connections ({new} new, {ended} ended)" in output


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("(4) 令和5年度に内容を変更した外部結合", 4),  # changes alone: a section of changes
        ("（２）令和6年度に開始し、又は変更した外部結合", 2),  # new and changed rows: still (2)
        ("(2) 令和4年度に新規・廃止・変更した外部結合の一覧", 2),  # one table for the year: still (2)
        ("(3) 令和5年度に終了した外部結合", 3),
    ],
)
def test_a_heading_naming_only_changes_opens_a_section_of_changes(heading: str, section: int) -> None:
    from ketsugo.read.layout import _section_of

    assert _section_of(heading) == section


def test_a_section_of_changes_saying_it_has_none_is_kept_as_a_note() -> None:
    text = (CASES / "numata-2023.txt").read_text(encoding="utf-8")
    head, _ = text.split("(4)", 1)
    report = parse_report(head + "(4) 令和5年度に内容を変更した外部結合\n\n該当なし\n", "numata-2023.txt")
    assert report.changes == ()
    assert not [i for i in report.issues if i.severity != "info"]
    assert ("該当なし", 4) in [(s.text, s.section) for s in report.statements]
