"""Validating reports across worker processes gives what one process gives: the same findings in
the same order, the same SHACL report; the linear cross-report queries give the rows the earlier
all-against-all ones gave."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

import ketsugo.check.validate
from ketsugo.check.validate import Validation, format_json, format_text, validate_store
from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.paths import REPORTS_DIR, SHAPES_DIR
from ketsugo.pipeline import run_build
from ketsugo.prefixes import PREFIXES
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import STORE, open_store

from .test_validate import _write_report

BUNDLED = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"

# Ward 131041 in two years (FY2021 repeats FY2020's No.17 as new and carries a wrong count over, as
# in test_validate's two_years), and two other wards with one year each, which nothing must be
# compared with: the cross-report checks have rows to find, all of them about 131041's FY2021.
SUMMARY_2021 = [
    "区長\t79\t1\t0\t80\t24",
    "教育委員会\t8\t0\t0\t8\t0",
    "選挙管理委員会\t0\t0\t0\t0\t0",
    "監査委員\t0\t0\t0\t0\t0",
    "議会\t0\t0\t0\t0\t0",
    "合計\t87\t1\t0\t88\t24",
]


@pytest.fixture(scope="module")
def build() -> Path:
    from ._check_support import wards_build

    return wards_build()  # made once per process, only read


def build_wards(folder: Path) -> Path:
    """The bundled report in two wards, a later year of one (cross-report rows) and another ward."""
    row_17 = BUNDLED.read_text(encoding="utf-8").split("\n")[48]
    later = _write_report(folder / "fy2021.txt", 2021, SUMMARY_2021, [row_17])
    other = _write_report(folder / "other-fy2021.txt", 2021, SUMMARY_2021, [row_17])
    reports = [(BUNDLED, "131041", 2020), (later, "131041", 2021), (other, "131059", 2021)]
    reports.append((BUNDLED, "131067", 2020))
    out = folder / "out"
    run_build([metadata_from_options(path, code, year) for path, code, year in reports], out)
    return out


@pytest.fixture(scope="module")
def serial(build: Path) -> Validation:
    from ._check_support import wards_validation

    return wards_validation(1)  # validate_store(open_store(build), store_path=build / STORE, jobs=1)


@pytest.fixture(scope="module")
def parallel(build: Path) -> Validation:
    from ._check_support import wards_validation

    assert ketsugo.check.validate.POOL_MIN_REPORTS <= 4  # so the pool is used
    return wards_validation(2)  # the same with jobs=2


def test_parallel_findings_equal_serial(serial: Validation, parallel: Validation) -> None:
    assert len(serial.reports) == 4
    assert parallel.reports == serial.reports
    assert parallel.findings == serial.findings  # same findings, same order
    assert format_json(parallel) == format_json(serial)
    assert format_text(parallel) == format_text(serial)


def _canonical(graph: Graph) -> set[str]:
    """The graph's triples with blank nodes labelled by RDF canonicalization (RDFC-1.0): two graphs
    are isomorphic exactly when these sets are equal. pyoxigraph does in milliseconds what
    rdflib.compare.isomorphic takes seconds for on results made of blank nodes."""
    dataset = ox.Dataset(ox.parse(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def test_parallel_shacl_report_equals_serial(serial: Validation, parallel: Validation) -> None:
    assert len(parallel.report_graph) == len(serial.report_graph)
    assert _canonical(parallel.report_graph) == _canonical(serial.report_graph)


def test_cross_report_findings_are_found(serial: Validation) -> None:
    cross = [f for f in serial.findings if f.shape.endswith(".rq")]
    assert {f.shape for f in cross} == {
        "new-connection-repeated-warning.rq",
        "summary-carry-over-violation.rq",
    }
    assert {f.report for f in cross} == {"fy2021.txt"}
    assert all("/131041/2021/" in f.focus for f in cross)  # other wards are never compared


def test_without_shacl_report_same_findings(build: Path, serial: Validation) -> None:
    lean = validate_store(open_store(build), store_path=build / STORE, jobs=2, shacl_report=False)
    assert lean.findings == serial.findings


def test_cli_jobs_same_output(build: Path) -> None:
    _register_optional_commands()
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        result = runner.invoke(cli, ["validate", "--store", str(build), "--format", "json", "-j", jobs])
        assert result.exit_code in (0, 1), result.output
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1]
    assert outputs[0]


# The cross-report queries as first written: every connection compared with every other one of the
# country (quadratic). The shipped queries join within one municipality first; the rows must match.
ORIGINAL_REPEATED = """
SELECT ?focus ?value ?ja ?en WHERE {
  ?focus a kg:Connection ; kg:status kg:NewConnection ; kg:inReport ?report ;
      kg:businessName ?business ; kg:startDate ?value .
  ?earlier a kg:Connection ; kg:status kg:NewConnection ; kg:inReport ?earlierReport ;
      kg:businessName ?business ; kg:startDate ?value ; kg:connectionNumber ?earlierNumber .
  ?report kg:municipality ?town ; kg:fiscalYear ?year .
  ?earlierReport kg:municipality ?town ; kg:fiscalYear ?earlierYear .
  FILTER (?earlierYear < ?year)
  BIND (CONCAT("業務名「", STR(?business), "」、開始年月日 ", STR(?value), " の結合は ", STR(?earlierYear),
               "年度の報告にも新規の結合（No.", STR(?earlierNumber), "）として載っている") AS ?ja)
  BIND (CONCAT("the connection 「", STR(?business), "」 started ", STR(?value),
               " is also listed as new in the fiscal year ",
               STR(?earlierYear), " report (No.", STR(?earlierNumber), ")") AS ?en)
}
"""

ORIGINAL_CARRY_OVER = """
SELECT ?focus ?value ?ja ?en WHERE {
  ?focus a kg:SummaryRow ; kg:inReport ?report ; kg:previousCount ?value .
  ?report kg:municipality ?town ; kg:fiscalYear ?year .
  ?earlier kg:municipality ?town ; kg:fiscalYear ?earlierYear .
  FILTER (?earlierYear = ?year - 1)
  ?earlierRow a kg:SummaryRow ; kg:inReport ?earlier ; kg:currentCount ?current .
  { ?focus kg:agency ?agency . ?earlierRow kg:agency ?agency . }
  UNION { ?focus kg:isTotal true . ?earlierRow kg:isTotal true . }
  FILTER (?value != ?current)
  OPTIONAL { ?focus rdfs:label ?name }
  OPTIONAL { ?earlier kg:sourceFile ?earlierFile }
  BIND (COALESCE(STR(?name), "") AS ?label)
  BIND (COALESCE(STR(?earlierFile), STR(?earlier)) AS ?source)
  BIND (CONCAT("集計表「", ?label, "」の行: 前年度の結合数（a）は ", STR(?value), " だが、", STR(?earlierYear),
               "年度の報告（", ?source, "）の報告年度の結合数（a + b − c）は ", STR(?current)) AS ?ja)
  BIND (CONCAT("summary row 「", ?label, "」: a (previous year) is ", STR(?value), ", but the fiscal year ",
               STR(?earlierYear), " report (", ?source, ") gives a + b − c = ", STR(?current)) AS ?en)
}
"""


def _rows(store, text: str) -> list[tuple[str, ...]]:
    rows = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    return sorted(tuple(str(row[v]) for v in ("focus", "value", "ja", "en")) for row in rows)


@pytest.mark.parametrize(
    ("name", "original"),
    [
        ("new-connection-repeated-warning.rq", ORIGINAL_REPEATED),
        ("summary-carry-over-violation.rq", ORIGINAL_CARRY_OVER),
    ],
)
def test_linear_queries_give_the_original_rows(build: Path, name: str, original: str) -> None:
    store = open_store(build)
    shipped = _rows(store, (SHAPES_DIR / name).read_text(encoding="utf-8"))
    assert shipped == _rows(store, original)
    assert shipped  # the build has something for each check to find
