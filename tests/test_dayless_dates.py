"""Dates written without a day, and a report of a body outside the offline code list
(tests/cases/dates9: hand-made reports, expectations written before ketsugo was run on them).

A month (令和4年10月, R4.10, 2022年11月, 令和4年12月中) is read as xsd:gYearMonth, a year (令和4年)
as xsd:gYear, a fiscal year (令和4年度, 年度中, 年度当初) as kg:startFiscalYear / kg:endFiscalYear;
随時 and 未定 give no date but an info finding; never a day the report does not state.
A 広域連合 whose well-formed code no offline list holds builds, with a curation info saying so.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.read.eras import EraDateError, parse_date_cell

CASES = Path(__file__).parent / "cases" / "dates9"
KG = "https://w3id.org/ketsugo#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPE = {"day": XSD + "date", "month": XSD + "gYearMonth", "year": XSD + "gYear"}


def _expected(case: str) -> dict:
    return tomllib.loads((CASES / case / "expected.toml").read_text(encoding="utf-8"))


def _build(case: str, where: Path, *options: str) -> tuple[Path, str]:
    _register_optional_commands()
    out = where / "build"
    args = ["build", str(CASES / case / "report.txt"), "--out", str(out), "-j", "1", *options]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out, result.output


@cache
def _validate(store: Path) -> tuple[int, list[dict]]:
    target = store.parent / "findings.json"
    result = CliRunner().invoke(
        cli, ["validate", "--store", str(store), "--format", "json", "-o", str(target)]
    )
    return result.exit_code, json.loads(target.read_text(encoding="utf-8"))


def _connection_values(store: Path, status: str) -> dict[int, dict[str, list[ox.Literal]]]:
    """connection No. → property local name → values, for the connections of one status."""
    db = ox.Store.read_only(str(store / "store"))
    query = f"""SELECT ?n ?p ?o WHERE {{ GRAPH ?g {{ ?c <{KG}status> <{KG}{status}> ;
        <{KG}connectionNumber> ?n ; ?p ?o FILTER(STRSTARTS(STR(?p), "{KG}")) }} }}"""
    found: dict[int, dict[str, list[ox.Literal]]] = {}
    for row in db.query(query):  # type: ignore[union-attr]
        number = int(row["n"].value)
        found.setdefault(number, {}).setdefault(row["p"].value.removeprefix(KG), []).append(row["o"])
    return found


@pytest.fixture(scope="module")
def nakano(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("nakano-2022", tmp_path_factory.mktemp("nakano"), "--municipality", "202118")[0]


def _check(row: dict, values: dict[str, list[ox.Literal]], prefix: str) -> None:
    date_key, fy_key, undetermined = f"{prefix}Date", f"{prefix}FiscalYear", f"{prefix}DateUndetermined"
    value = row.get(prefix)
    precision = row["precision"]
    assert [v.value for v in values.get(f"{prefix}DateAsWritten", [])] == [row["as_written"]]
    if precision in DATATYPE:
        assert [(v.value, v.datatype.value) for v in values.get(date_key, [])] == [
            (value, DATATYPE[precision])
        ]
        assert fy_key not in values
    elif precision == "fiscal-year":
        assert date_key not in values, "a fiscal year is no day, month or calendar year"
        assert [int(v.value) for v in values.get(fy_key, [])] == [int(value)]
    else:
        assert date_key not in values and fy_key not in values
        assert [v.value for v in values.get(undetermined, [])] == ["true"]
    if "note" in row:
        assert [v.value for v in values.get(f"{prefix}DateNote", [])] == [row["note"]]


@pytest.mark.parametrize("row", _expected("nakano-2022")["connection"], ids=lambda r: f"No.{r['number']}")
def test_start_dates_read_at_their_precision(nakano: Path, row: dict) -> None:
    _check(row, _connection_values(nakano, "NewConnection")[row["number"]], "start")


@pytest.mark.parametrize("row", _expected("nakano-2022")["ended"], ids=lambda r: f"No.{r['number']}")
def test_end_dates_read_at_their_precision(nakano: Path, row: dict) -> None:
    _check(row, _connection_values(nakano, "EndedConnection")[row["number"]], "end")


def test_no_violation_and_infos_where_expected(nakano: Path) -> None:
    code, findings = _validate(nakano)
    assert code == _expected("nakano-2022")["report"]["validate_exit"]
    assert not [f for f in findings if f["severity"] == "Violation"], findings
    for row in _expected("nakano-2022")["connection"]:
        about = [
            f
            for f in findings
            if f.get("connection") == row["number"]
            and f.get("section") == "new"
            and ("Date" in f["shape"] or row["as_written"] in json.dumps(f["message"], ensure_ascii=False))
        ]
        for word in row.get("info", []):
            assert any(word in f["message"]["en"] and f["severity"] == "Info" for f in about), (row, about)
        # a date read at its precision is no warning about the report
        assert not [f for f in about if f["severity"] != "Info"], (row, about)


def test_since_keeps_the_precision(nakano: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "recipients-of-category",
            "--store",
            str(nakano),
            "-p",
            "category=生年月日",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    since = {r["recipient_label"]["value"]: r["since"]["value"] for r in rows if "since" in r}
    for party, value in _expected("nakano-2022")["since"].items():
        assert since.get(party) == value, since


def test_flows_export_shows_the_date_as_written_precision(nakano: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "flows", "--store", str(nakano), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    starts = {
        int(r["connection_number"]["value"]): r.get("start_date", {}).get("value")
        for r in rows
        if r.get("status", {}).get("value") == "new"
    }
    assert starts[1] == "2022-10"
    assert starts[13] == "2022"
    assert starts[6] == "2022年度"


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("R4.10", "2022-10", "month"),
        ("令和4年10月", "2022-10", "month"),
        ("2022年10月", "2022-10", "month"),
        ("令和4年10月中", "2022-10", "month"),
        ("令和4年度", "2022", "fiscal-year"),
        ("令和4年度中", "2022", "fiscal-year"),
        ("令和4年度当初", "2022", "fiscal-year"),
        ("令和5年1月頃", "2023-01", "month"),
        ("令和4年10月（予定）", "2022-10", "month"),
        ("令和4年", "2022", "year"),
        ("随時", None, "undetermined"),
        ("未定", None, "undetermined"),
        ("令和4年10月1日", "2022-10-01", "day"),
    ],
)
def test_parse_date_cell(text: str, value: str | None, precision: str) -> None:
    read = parse_date_cell(text)
    assert (read.iso, read.precision) == (value, precision)


@pytest.mark.parametrize("text", ["令和4年13月", "令和4年0月", "R4.13", "令和0年度", "明日"])
def test_impossible_or_unknown_day_less_dates_are_refused(text: str) -> None:
    with pytest.raises(EraDateError):
        parse_date_cell(text)


# --- a 広域連合 with a code no offline list holds ---------------------------------------------------


@pytest.fixture(scope="module")
def koiki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    code = _expected("koiki-2022")["report"]["municipality_code"]
    return _build("koiki-2022", tmp_path_factory.mktemp("koiki"), "--municipality", code)


def test_body_outside_the_list_builds_with_its_title_name(koiki: tuple[Path, str]) -> None:
    out, _ = koiki
    expected = _expected("koiki-2022")["report"]
    db = ox.Store.read_only(str(out / "store"))
    town = f"http://w3id.org/ketsugo/id/municipality/{expected['municipality_code']}"
    labels = {
        r["l"].value
        for r in db.query(
            f"SELECT ?l WHERE {{ GRAPH ?g {{ ?r <{KG}municipality> ?t . ?t <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}"
        )  # type: ignore[union-attr]
    } | {
        r["l"].value
        for r in db.query(
            f"SELECT ?l WHERE {{ ?r <{KG}municipality> ?t . ?t <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
        )  # type: ignore[union-attr]
    }
    assert expected["name"] in labels, (town, labels)
    numbers = {
        r["n"].value for r in db.query(f"SELECT ?n WHERE {{ GRAPH ?g {{ ?c <{KG}connectionNumber> ?n }} }}")
    }  # type: ignore[union-attr]
    assert len(numbers) == expected["connections"]


def test_body_outside_the_list_is_a_curation_info_not_a_violation(koiki: tuple[Path, str]) -> None:
    out, _ = koiki
    expected = _expected("koiki-2022")["report"]
    code, findings = _validate(out)
    assert code == expected["validate_exit"]
    assert not [f for f in findings if f["severity"] == "Violation"], findings
    about = [f for f in findings if expected["curation_info"] in f["message"]["en"]]
    assert about and all(f["severity"] == "Info" and f["kind"] == "curation" for f in about), about


def test_body_name_from_the_option(tmp_path: Path) -> None:
    out = tmp_path / "build"
    args = ["build", str(CASES / "koiki-2022" / "report.txt"), "--out", str(out), "-j", "1"]
    result = CliRunner().invoke(
        cli, [*args, "--municipality", "139319", "--name", "東京都後期高齢者医療広域連合"]
    )
    assert result.exit_code == 0, result.output


def test_malformed_code_is_still_refused(tmp_path: Path) -> None:
    bad = _expected("koiki-2022")["malformed"]
    out = tmp_path / "build"
    args = ["build", str(CASES / "koiki-2022" / "report.txt"), "--out", str(out), "-j", "1"]
    result = CliRunner().invoke(cli, [*args, "--municipality", bad["code"]])
    assert result.exit_code == bad["exit"]
    assert "check digit" in result.output and "report.txt" in result.output
    assert not out.exists()


def test_body_named_by_the_metadata_publisher(tmp_path: Path) -> None:
    """A metadata file may give a body's code too: its publisher names the body."""
    report = tmp_path / "koiki.txt"
    text = (CASES / "koiki-2022" / "report.txt").read_text(encoding="utf-8")
    report.write_text(text.replace("東京都後期高齢者医療広域連合 外部", "外部", 1), encoding="utf-8")
    report.with_suffix(".toml").write_text(
        '[report]\nmunicipality_code = "139319"\nfiscal_year = 2022\npublisher = "東京都後期高齢者医療広域連合"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", str(report), "--out", str(tmp_path / "build"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "東京都後期高齢者医療広域連合 (139319)" in result.output


def test_body_without_a_name_anywhere_is_refused(tmp_path: Path) -> None:
    """No --name, no publisher and a title naming no body: a clear error, exit 2, no output."""
    report = tmp_path / "koiki.txt"
    text = (CASES / "koiki-2022" / "report.txt").read_text(encoding="utf-8")
    report.write_text(text.replace("東京都後期高齢者医療広域連合 外部", "外部", 1), encoding="utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["build", str(report), "--out", str(out), "-j", "1", "--municipality", "139319"]
    )
    assert result.exit_code == 2
    assert "koiki.txt" in result.output and "--name" in result.output
    assert not out.exists()
