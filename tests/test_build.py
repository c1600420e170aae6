"""End to end: the bundled report built into a directory, checked against hand-read facts."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef

from ketsugo.export.dataset import dataset_text
from ketsugo.export.flowtable import flows, flows_csv
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import bundled_reports, metadata_from_options
from ketsugo.sparql.select import select
from ketsugo.store.disk import MANIFEST, NQUADS, TRIG, open_store

CONNECTION = "https://w3id.org/ketsugo/id/131041/2020/connection/{}"
REPORT_GRAPH = URIRef("https://w3id.org/ketsugo/graph/131041/2020")


@pytest.fixture(scope="module")
def built(bundled_build: Path) -> Path:
    """The bundled report's build directory (built once per session, tests/conftest.py)."""
    return bundled_build


def _report_lines(nquads: Path) -> set[bytes]:
    """The report's named graph in graph.nq, as its set of N-Quads lines: a report's graph has no
    blank node, so two such graphs are isomorphic exactly when they hold the same lines (making
    rdflib graphs of them to compare took most of the test's time)."""
    end = f" <{REPORT_GRAPH}> .".encode()
    return {line for line in nquads.read_bytes().splitlines() if line.endswith(end)}


def test_outputs_parse_with_rdflib_and_pyoxigraph(built: Path) -> None:
    assert (built / MANIFEST).is_file()
    ds = Dataset()
    ds.parse(built / NQUADS, format="nquads")
    assert not (built / TRIG).exists()  # written only with --trig: the export makes it from graph.nq
    trig = Dataset()
    trig.parse(data="".join(dataset_text(open_store(built), "trig", built)), format="trig")
    quads = list(ox.parse(path=str(built / NQUADS), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == sum(1 for _ in ds.quads()) == sum(1 for _ in trig.quads())
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert str(REPORT_GRAPH) in graphs
    assert "https://w3id.org/ketsugo/graph/reference" in graphs


def test_rebuild_is_isomorphic(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    run_build(bundled_reports(), again)
    first = _report_lines(built / NQUADS)
    assert len(first) > 0
    assert first == _report_lines(again / NQUADS)
    assert (built / NQUADS).read_bytes().count(b"\n") == (again / NQUADS).read_bytes().count(b"\n")


def test_all_connections_with_provenance(built: Path) -> None:
    rows = select(
        open_store(built),
        """SELECT ?c ?n ?line ?file WHERE {
             ?c a kg:Connection ; kg:connectionNumber ?n ; kg:sourceLine ?line ; kg:inReport ?r .
             ?r kg:sourceFile ?file }""",
    ).records()
    assert sorted(r["n"] for r in rows) == list(range(1, 23))
    assert {r["file"] for r in rows} == {"shinjuku-2020-gaibu-ketsugo.txt"}
    lines = {r["n"]: r["line"] for r in rows}
    assert (lines[1], lines[12], lines[22]) == (21, 40, 58)  # read off the report with cat -n


def test_summary_table_in_graph(built: Path) -> None:
    rows = select(
        open_store(built),
        """SELECT ?label ?a ?b ?c ?cur ?s WHERE { ?row a kg:SummaryRow ; rdfs:label ?label ; kg:previousCount ?a ;
           kg:newCount ?b ; kg:endedCount ?c ; kg:currentCount ?cur ; kg:specificPersonalInformationCount ?s }""",
    ).records()
    got = {r["label"]: (r["a"], r["b"], r["c"], r["cur"], r["s"]) for r in rows}
    assert got == {
        "区長": (61, 19, 0, 80, 24),
        "教育委員会": (5, 3, 0, 8, 0),
        "選挙管理委員会": (0, 0, 0, 0, 0),
        "監査委員": (0, 0, 0, 0, 0),
        "議会": (0, 0, 0, 0, 0),
        "合計": (66, 22, 0, 88, 24),
    }


def test_new_connections_per_agency_agree_with_summary(built: Path) -> None:
    rows = select(
        open_store(built),
        """SELECT ?b (COUNT(DISTINCT ?c) AS ?listed) WHERE {
             ?row a kg:SummaryRow ; kg:agency ?agency ; kg:newCount ?b .
             OPTIONAL { ?c kg:implementingAgency ?agency ; kg:status kg:NewConnection } } GROUP BY ?row ?b""",
    ).records()
    assert rows and all(r["b"] == r["listed"] for r in rows)


def test_department_spellings_give_the_same_departments(built: Path) -> None:
    store = open_store(built)
    query = "SELECT ?c ?d WHERE { ?c kg:department ?d }"
    eight = {r["d"] for r in select(store, query, {"c": ox.NamedNode(CONNECTION.format(8))}).records()}
    nine = {r["d"] for r in select(store, query, {"c": ox.NamedNode(CONNECTION.format(9))}).records()}
    assert eight == nine and len(eight) == 2  # 生活福祉課 保護担当課 / 生活福祉課保護担当課


def test_flows_table_has_one_row_per_connection_recipient_item(built: Path, expected) -> None:
    columns, rows = flows(open_store(built))
    for needed in (
        "report",
        "connection_number",
        "departments",
        "implementing_agency",
        "business",
        "counterparty",
        "data_item",
        "start_date",
        "specific_personal_information",
        "council_decision",
        "statutes",
    ):
        assert needed in columns
    wanted = sum(len(c["items"]) * len(c["counterparties"]) for c in expected["connection"])
    assert len(rows) == wanted
    text = flows_csv(columns, rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert {r["status"] for r in parsed} == {"new"}  # section (3) of the report: 実績はありません
    no12 = [r for r in parsed if r["connection_number"] == "12"]
    assert {r["counterparty"] for r in no12} == {"内閣官房"}
    assert "マイナンバー" in {r["data_item"] for r in no12}
    assert {r["specific_personal_information"] for r in no12} == {"false"}
    no22 = {r["counterparty"] for r in parsed if r["connection_number"] == "22"}
    assert len(no22) == 3
    no11 = [r for r in parsed if r["connection_number"] == "11"]
    assert {r["statutes"] for r in no11} == {"感染症法第12条第1項"}
    assert {r["start_date"] for r in no11} == {"2020-08-03"}


def test_export_cli_writes_file(built: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    out = tmp_path / "flows.json"
    result = CliRunner().invoke(
        cli, ["export", "flows", "--store", str(built), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("[")


def test_missing_store_is_an_input_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    result = CliRunner().invoke(cli, ["export", "flows", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "no ketsugo build here" in result.output


def test_out_that_is_not_a_build_is_not_replaced(tmp_path: Path) -> None:
    from ketsugo.errors import InputError

    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(InputError):
        run_build(bundled_reports(), precious)
    assert (precious / "keep.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["docs"]
    shutil.rmtree(precious)


def test_report_without_metadata_takes_options_and_infers_the_year(
    tmp_path: Path, bundled_path: Path
) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    report = tmp_path / "elsewhere.txt"
    shutil.copy(bundled_path, report)
    runner = CliRunner()
    missing = runner.invoke(cli, ["build", str(report), "--out", str(tmp_path / "b0")])
    assert missing.exit_code == 2
    assert "give --municipality CODE" in missing.output
    result = runner.invoke(
        cli, ["build", str(report), "--municipality", "131041", "--out", str(tmp_path / "b"), "-q"]
    )
    assert result.exit_code == 0, result.output
    rows = select(
        open_store(tmp_path / "b"), "SELECT ?fy WHERE { ?r a kg:Report ; kg:fiscalYear ?fy }"
    ).records()
    assert rows == [{"fy": 2020}]  # 令和2年度, from the report's own headings


def test_one_council_decision_in_two_spellings_is_one_node_with_one_label(
    tmp_path: Path, bundled_path: Path
) -> None:
    """No.1 and No.2 cite 令和2年度第2回審議会承認; writing No.1's with full-width digits must not split it."""
    from ketsugo.read.metadata import metadata_from_options

    lines = bundled_path.read_text(encoding="utf-8").split("\n")
    lines[20] = lines[20].replace("令和2年度第2回審議会承認", "令和２年度第２回審議会承認")  # line 21 = No.1
    report = tmp_path / "variant.txt"
    report.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "b"
    run_build([metadata_from_options(report, "131041", 2020)], out)
    store = open_store(out)
    rows = select(
        store,
        "SELECT ?d ?label WHERE { ?c kg:connectionNumber ?n ; dpv:hasLegalBasis ?d . ?d rdfs:label ?label "
        "FILTER(?n IN (1, 2)) }",
    ).records()
    assert {(r["d"], r["label"]) for r in rows} == {
        ("https://w3id.org/ketsugo/id/131041/council-decision/2020-2-approval", "令和2年度第2回審議会承認")
    }
    _, flows_rows = flows(store)
    assert sum(1 for r in flows_rows if r["connection_number"] == 1) == 25  # 25 items × 1 recipient


def test_a_missing_column_is_unknown_in_the_graph_not_false(tmp_path: Path, bundled_path: Path) -> None:
    """Without the 特定個人情報の有無 column nothing may claim 'no My Number': the flag is left out."""
    from ketsugo.read.metadata import metadata_from_options

    def drop_seventh(line: str) -> str:
        cells = line.split("\t")
        return "\t".join(cells[:6] + cells[7:]) if len(cells) == 10 else line

    lines = bundled_path.read_text(encoding="utf-8").split("\n")
    report = tmp_path / "no-flag.txt"
    report.write_text("\n".join(drop_seventh(line) for line in lines), encoding="utf-8")
    out = tmp_path / "b"
    build = run_build([metadata_from_options(report, "131041", 2020)], out)
    assert any("特定個人情報の有無" in i.message and i.severity == "warning" for i in build.issues)
    store = open_store(out)
    flags = select(store, "SELECT ?c WHERE { ?c kg:involvesSpecificPersonalInformation ?f }").records()
    written = select(store, "SELECT ?c WHERE { ?c kg:specificPersonalInformationAsWritten ?f }").records()
    assert flags == [] and written == []
    assert len(select(store, "SELECT ?c WHERE { ?c a kg:Connection }").rows) == 22


def test_flows_keep_a_connection_without_items_and_an_unknown_company_is_listed(tmp_path: Path) -> None:
    """A row whose items are blank still appears in flows; a company the registry does not know shows up
    in private-company-flows, marked unregistered, instead of vanishing."""
    from ketsugo.read.metadata import metadata_from_options
    from ketsugo.sparql.catalogue import get
    from ketsugo.sparql.query import LocalBackend, run_catalogue_query

    header = (
        "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t"
        "外部結合に係る個人情報記録の項目\t特定個人情報の有無\t条例根拠\t結合の相手方\t結合の開始年月日"
    )
    rows = [
        "1\t総務課\t試験業務\t試験のため\t区民\t氏名、住所\t\t令和2年度第2回審議会承認\t株式会社サンプルシステム\tR2.5.15",
        "2\t総務課\t空欄の業務\t試験のため\t区民\t\t\t令和2年度第2回審議会承認\t厚生労働省\tR2.6.1",
    ]
    text = (
        "外部電子計算機との結合の状況（令和2年度）\n\n(2) 新たに外部計算機との結合を行った外部結合の内訳\n\n"
    )
    report = tmp_path / "small.txt"
    report.write_text(text + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "b"
    run_build([metadata_from_options(report, "131041", 2020)], out)
    store = open_store(out)
    _, flow_rows = flows(store)
    assert sorted({r["connection_number"] for r in flow_rows}) == [1, 2]
    blank = [r for r in flow_rows if r["connection_number"] == 2]
    assert len(blank) == 1 and blank[0]["data_item"] is None and blank[0]["counterparty"] == "厚生労働省"
    companies = run_catalogue_query(LocalBackend(store), get("private-company-flows")).records()
    assert [(r["company_label"], r["registered"], r["data_items"]) for r in companies] == [
        ("株式会社サンプルシステム", False, 2)
    ]


def test_options_that_contradict_the_report_are_caught(tmp_path: Path, bundled_path: Path) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    report = tmp_path / "copy.txt"
    shutil.copy(bundled_path, report)
    runner = CliRunner()
    year = runner.invoke(
        cli,
        [
            "build",
            str(report),
            "--municipality",
            "131041",
            "--fiscal-year",
            "2021",
            "--out",
            str(tmp_path / "a"),
        ],
    )
    assert year.exit_code == 2
    assert "the report's headings say fiscal year 2020, --fiscal-year says 2021" in year.output
    assert not (tmp_path / "a").exists()
    town = runner.invoke(
        cli, ["build", str(report), "--municipality", "131016", "--out", str(tmp_path / "b")]
    )
    assert town.exit_code == 0, town.output  # a warning, not an error: the text might quote another ward
    assert "the report names 新宿区 (131041), never 千代田区 (131016)" in town.output


def test_paths_the_system_refuses_are_input_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import _register_optional_commands, cli

    _register_optional_commands()
    runner = CliRunner()
    missing = runner.invoke(cli, ["build", str(tmp_path / "nosuch.txt")])
    assert missing.exit_code == 2 and "cannot read the file: No such file or directory" in missing.output
    long_store = runner.invoke(cli, ["query", "flows", "--store", str(tmp_path / ("x" * 300))])
    assert long_store.exit_code == 2 and "File name too long" in long_store.output
    assert "Traceback" not in long_store.output


def test_a_no_rows_statement_of_section_2_is_kept_in_the_graph(tmp_path: Path) -> None:
    """「実績はありません。」 under (2) is what the report says about new connections: it must not vanish."""
    from ketsugo.read.metadata import metadata_from_options

    text = (
        "新宿区 外部電子計算機との結合の状況（令和2年度）\n\n"
        "(2) 新たに外部計算機との結合を行った外部結合の内訳\n\n実績はありません。\n\n"
        "(3) 外部計算機との結合を終了した外部結合の内訳\n\n実績はありません。\n"
    )
    report = tmp_path / "empty.txt"
    report.write_text(text, encoding="utf-8")
    out = tmp_path / "b"
    run_build([metadata_from_options(report, "131041", 2020)], out)
    rows = select(
        open_store(out),
        "SELECT ?new ?ended WHERE { ?r kg:newConnectionsStatement ?new ; kg:endedConnectionsStatement ?ended }",
    ).records()
    assert rows == [{"new": "実績はありません。", "ended": "実績はありません。"}]


def test_a_file_given_twice_is_refused_before_any_work(tmp_path: Path) -> None:
    """`ketsugo build DIR DIR/a.txt` names one report twice: said as such (exit 2, no build
    directory), not as two reports of one municipality and year."""
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    report = bundled_reports()[0].path
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["build", str(report), str(report.parent / "." / report.name), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "the same file is given twice" in result.output
    assert not out.exists()


def test_one_text_given_for_two_municipalities_is_built(tmp_path: Path) -> None:
    """One text given as the reports of two municipalities (a template shared by wards) is two
    reports, not one file given twice."""
    report = bundled_reports()[0].path
    out = tmp_path / "b"
    run_build(
        [metadata_from_options(report, "131041", 2020), metadata_from_options(report, "131059", 2020)], out
    )
    rows = select(open_store(out), "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a kg:Report }").records()
    assert rows == [{"n": 2}]
