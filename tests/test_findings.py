"""Three kinds of finding (report / reading / curation), --fail-on per kind, exit codes, and
`ketsugo validate` on reports of another city written by hand (tests/cases/validate/reports/).

The expectations are read off those report texts: what is wrong in the report itself must be
found; what ketsugo's registries do not know must only ever be an Info curation note.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SH

from ketsugo.check.validate import (
    Validation,
    graph_triples,
    load_shapes,
    parse_fail_on,
    report_graphs,
    to_rdflib,
    validate_graph,
    validate_store,
)
from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.errors import FINDING_KINDS, InputError
from ketsugo.graph.vocab import KG, REFERENCE_GRAPH
from ketsugo.paths import REPORTS_DIR, SHAPES_DIR
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import open_store

from ._check_support import bundled_alone, validated_once  # noqa: F401 (a fixture)
from .conftest import CASES, fuzz_examples

REPORTS = CASES / "validate" / "reports"
BUNDLED = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"
HACHIOJI = "132012"  # 東京都八王子市: a city no registry of ketsugo describes


def _build(folder: Path, report: Path, code: str, year: int, *, lenient: bool = False) -> Path:
    out = folder / "out"
    run_build([metadata_from_options(report, code, year)], out, lenient=lenient)
    return out


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register_optional_commands()
    return CliRunner()


@pytest.fixture(scope="module")
def bundled_store() -> Path:
    return bundled_alone()  # the bundled report as 新宿区 FY2020, built once per process: only read


def _report_kind(validation: Validation) -> list[tuple[str, str, int | None]]:
    return sorted((f.severity, f.shape, f.connection) for f in validation.findings if f.kind == "report")


# --- the kinds in the shapes ----------------------------------------------------------------------


def test_every_shape_has_a_kind_and_curation_is_info() -> None:
    shapes = load_shapes()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    for shape in node_shapes:
        kinds = [str(k) for k in shapes.objects(shape, KG.findingKind)]
        assert len(kinds) == 1 and kinds[0] in FINDING_KINDS, (shape, kinds)
        if kinds == ["curation"]:
            owned = [shape, *shapes.objects(shape, SH.property)]
            assert all(shapes.value(s, SH.severity) == SH.Info for s in owned), shape


def test_parse_issues_carry_their_kind(bundled_store: Path) -> None:
    store = open_store(bundled_store)
    rows = store.query(
        "SELECT ?kind WHERE { GRAPH ?g { ?i a <https://w3id.org/ketsugo#ParseIssue> ; "
        "<https://w3id.org/ketsugo#findingKind> ?kind } }"
    )
    # line 31's 「。」 between items is the bundled report's one remark while reading it; the five
    # applied errata (data/reports/…errata.toml) are findings about the report itself
    assert Counter(row["kind"].value for row in rows) == Counter(reading=1, report=5)


# --- --fail-on -----------------------------------------------------------------------------------


def test_parse_fail_on() -> None:
    assert parse_fail_on("violation") == [
        ("report", "Violation"),
        ("reading", "Violation"),
    ]  # an unread part fails
    assert parse_fail_on("report:warning,curation:info") == [("report", "Warning"), ("curation", "Info")]
    assert parse_fail_on(["reading:warning", "Report:Violation"]) == [
        ("reading", "Warning"),
        ("report", "Violation"),
    ]
    assert parse_fail_on("all:info") == [(k, "Info") for k in FINDING_KINDS]
    for bad in ("fatal", "report:", "vendor:warning", "report:warning:x"):
        with pytest.raises(ValueError):
            parse_fail_on(bad)


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        # the bundled report: a report Violation (No.12), report Warnings, one reading Warning
        # (line 31), and curation notes (5 unmapped items, 6 companies without corporate number)
        ([], 1),
        (["--fail-on", "violation"], 1),
        (["--fail-on", "reading:violation"], 0),
        (["--fail-on", "reading:warning"], 1),
        (["--fail-on", "curation:warning"], 0),
        (["--fail-on", "curation:info"], 1),
        (["--fail-on", "reading:violation,curation:warning"], 0),
        (["--fail-on", "reading:violation", "--fail-on", "report:info"], 1),
    ],
)
@pytest.mark.usefixtures("validated_once")  # one validation of the bundled store for every case
def test_cli_fail_on_per_kind(runner: CliRunner, bundled_store: Path, fail_on: list[str], code: int) -> None:
    result = runner.invoke(cli, ["validate", "--store", str(bundled_store), "--format", "json", *fail_on])
    assert result.exit_code == code, result.output


@pytest.mark.usefixtures("validated_once")
def test_cli_fail_on_unreadable_exits_2(runner: CliRunner, bundled_store: Path) -> None:
    result = runner.invoke(cli, ["validate", "--store", str(bundled_store), "--fail-on", "vendor:warning"])
    assert result.exit_code == 2
    assert "vendor:warning" in result.output


def test_help_documents_exit_codes_and_fail_on(runner: CliRunner) -> None:
    text = runner.invoke(cli, ["validate", "--help"]).output
    for needle in ("0  nothing", "1  findings", "2  the store", "3  internal error", "curation:info", "KIND"):
        assert needle in text, needle


def test_internal_error_exits_3_with_one_line(
    runner: CliRunner, bundled_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ketsugo.check.validate

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug\nsecond line")

    monkeypatch.setattr(ketsugo.check.validate, "validate_store", broken)
    monkeypatch.delenv("KETSUGO_DEBUG", raising=False)
    result = runner.invoke(cli, ["validate", "--store", str(bundled_store)])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: internal error") and "KeyError" in lines[0]


# --- backslashes in cells (pyshacl fills messages with re.sub) --------------------------------------


def test_backslashes_in_cells_are_passed_through(runner: CliRunner, tmp_path: Path) -> None:
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    row = lines[36].split("\t")  # No.11 (line 37)
    row[5] = row[5] + "、C:\\user\\x01、\\u3042、\\1"  # three more items, each unmapped
    row[1] = row[1] + "\\g<0>"  # the department cell: quoted by the reading remark of an unknown one
    lines[36] = "\t".join(row)
    report = tmp_path / "backslash.txt"
    report.write_text("\n".join(lines), encoding="utf-8")
    out = _build(tmp_path, report, "131041", 2020)
    result = runner.invoke(cli, ["validate", "--store", str(out), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1  # No.12's My Number finding, as in the bundled report
    findings = json.loads(result.stdout)
    values = {
        f["value"] for f in findings if f["shape"] == "kgsh:DataItemCategoryShape" and f["connection"] == 11
    }
    assert values == {"C:\\user\\x01", "\\u3042", "\\1"}
    messages = " ".join(f["message"]["en"] + f["message"]["ja"] for f in findings)
    assert "「C:\\user\\x01」" in messages and "「\\u3042」" in messages and "「\\1」" in messages


# --- the shapes under plain pyshacl ------------------------------------------------------------------


_PREPARED: dict[tuple, object] = {}  # (text, base, namespaces) → translated query, for the whole module


@pytest.fixture
def prepared_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    """rdflib's own engine, each query text parsed once (as rdflib's prepared queries are): pyshacl
    sends the same text once per focus node, and parsing it is 4/5 of a plain run's time. One
    translation per text for the module: both parametrised runs send the same texts, and
    translating a text with the same base and namespaces always gives the same algebra (rdflib
    evaluates it without changing it)."""
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.evaluate import evalQuery
    from rdflib.plugins.sparql.parser import parseQuery

    prepared = _PREPARED

    def query(self, text, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(text, str):
            key = (text, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(text), base, initNs)
            text = prepared[key]
        return evalQuery(self.graph, text, initBindings, base)

    monkeypatch.setattr(processor.SPARQLProcessor, "query", query)


@functools.cache
def _plain_shapes() -> Graph:
    """Every shapes file read by rdflib as it is (not ketsugo's load_shapes), once for the module
    (pyshacl only adds its two system triples to a shapes graph, the same each time)."""
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def _plain_pyshacl_count(store: ox.Store, graph_iri: str) -> int:
    """pyshacl's own run (rdflib's SPARQL engine), all shapes, over one report graph plus the reference."""
    from pyshacl import validate

    data = Graph()
    for triple in [*graph_triples(store, graph_iri), *graph_triples(store, str(REFERENCE_GRAPH))]:
        data.add(tuple(to_rdflib(t) for t in triple))  # type: ignore[arg-type]
    _, results, _ = validate(
        data,
        shacl_graph=_plain_shapes(),
        advanced=True,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    return len(set(results.subjects(RDF.type, SH.ValidationResult)))


@pytest.mark.usefixtures("prepared_queries")
@pytest.mark.parametrize(
    ("first_of_no3", "numbering"),
    [
        ("3", []),  # 1, 2, 3: an empty GROUP BY must give no row (rdflib gives one)
        ("5", ["No.3 to No.4 are missing before No.5"]),  # 1, 2, 5
    ],
)
def test_plain_pyshacl_gives_the_same_results(
    tmp_path: Path, first_of_no3: str, numbering: list[str]
) -> None:
    text = (REPORTS / "other-city.txt").read_text(encoding="utf-8")
    report = tmp_path / "numbers.txt"
    report.write_text(text.replace("\n3\t学務課", f"\n{first_of_no3}\t学務課"), encoding="utf-8")
    store = open_store(_build(tmp_path, report, HACHIOJI, 2021))
    ((graph_iri, _),) = report_graphs(store)
    ours = validate_store(store)
    found = [
        f.message_en.split(": ", 1)[1] for f in ours.findings if f.shape == "kgsh:ConnectionNumberingShape"
    ]
    assert found == numbering
    shacl = [f for f in ours.findings if f.shape.startswith("kgsh:")]  # not the cross-report .rq
    assert _plain_pyshacl_count(store, graph_iri) == len(shacl)


# --- another city, written by hand -----------------------------------------------------------------
# other-city.txt: 八王子市 FY2021 (令和3年度), summary rows 市長 / 教育委員会 / 合計 that add up
# (9+2−0=11 with 1 ○, 4+1−0=5, 13+3−0=16), three new connections by departments no registry
# knows (市民課, 収納課, 学務課), to J-LIS (地方公共団体情報システム機構) with マイナンバー and ○,
# and to 株式会社X and 株式会社Y, all started in FY2021; no ended connection. Nothing is wrong
# in it: every finding must be a curation note (or, until h/resolve, a remark while reading).


@pytest.fixture(scope="module")
def other_city_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """other-city.txt built once for the module: only read."""
    return _build(tmp_path_factory.mktemp("city"), REPORTS / "other-city.txt", HACHIOJI, 2021)


@pytest.fixture(scope="module")
def other_city(other_city_store: Path) -> Validation:
    return validate_store(open_store(other_city_store))


def test_other_city_report_is_fine(other_city: Validation) -> None:
    assert _report_kind(other_city) == []
    assert not other_city.fails("report:info")
    curation = [f for f in other_city.findings if f.kind == "curation"]
    assert curation and {f.severity for f in curation} == {"Info"}
    # the companies no registry knows are noted with what to add and where
    unknown = {f.value for f in curation if f.shape == "kgsh:CounterpartyTypeShape"}
    assert unknown <= {"株式会社X", "株式会社Y"}
    assert all(
        "organizations.ttl" in f.message_en for f in curation if f.shape == "kgsh:CounterpartyTypeShape"
    )


@pytest.mark.usefixtures("validated_once")
def test_other_city_cli_exits_0(runner: CliRunner, other_city_store: Path) -> None:
    out = other_city_store
    assert runner.invoke(cli, ["validate", "--store", str(out)]).exit_code == 0
    assert runner.invoke(cli, ["validate", "--store", str(out), "--fail-on", "report:info"]).exit_code == 0


def test_other_city_only_curation_notes(other_city: Validation) -> None:
    assert {f.kind for f in other_city.findings} == {"curation"}
    assert {f.severity for f in other_city.findings} == {"Info"}
    # 市民課 and 収納課 are the mayor's, 学務課 the board of education's: no agency left unknown
    assert not [f for f in other_city.findings if f.shape == "kgsh:ImplementingAgencyKnownShape"]


# other-city-faults.txt: other-city.txt with three faults planted by hand —
# line 14 (No.1) lists マイナンバー with the 特定個人情報 cell blank; 市長's a + b − c says 12 for
# 9 + 2 − 0 (and 合計 17 for 13 + 3 − 0, so the columns still add up); No.3 has no start date
# (a lenient build keeps the row and records the reading error).


@pytest.fixture(scope="module")
def other_city_faults(tmp_path_factory: pytest.TempPathFactory) -> Validation:
    out = _build(
        tmp_path_factory.mktemp("faults"), REPORTS / "other-city-faults.txt", HACHIOJI, 2021, lenient=True
    )
    return validate_store(open_store(out))


def test_other_city_planted_faults_are_found(other_city_faults: Validation) -> None:
    assert _report_kind(other_city_faults) == sorted(
        [
            ("Violation", "kgsh:MyNumberShape", 1),
            ("Violation", "kgsh:SummaryArithmeticShape", None),  # 市長's row
            ("Violation", "kgsh:SummaryArithmeticShape", None),  # the total row
            ("Violation", "kgsh:StartDateShape", 3),
        ]
    )
    arithmetic = sorted(
        f.line or 0 for f in other_city_faults.findings if f.shape == "kgsh:SummaryArithmeticShape"
    )
    assert arithmetic == [7, 9]
    # the blank start date is the report's gap (StartDateShape above), not a problem of reading it
    assert not [f for f in other_city_faults.findings if f.kind == "reading" and f.severity == "Violation"]
    assert other_city_faults.fails("violation")
    assert {f.severity for f in other_city_faults.findings if f.kind == "curation"} <= {"Info"}


# other-city-ended.txt: other-city.txt's new connections, 市長 10 + 2 − 1 = 11 (合計 14 + 3 − 1 = 16),
# and an ended table of five columns only (No., 結合を行った課, 業務名, 結合の相手方, 終了年月日):
# No.1 納税課 ended with 株式会社Z on R3.3.31 (2021-03-31, in FY2020 as section (3) requires).


def test_ended_table_with_fewer_columns(tmp_path: Path) -> None:
    out = _build(tmp_path, REPORTS / "other-city-ended.txt", HACHIOJI, 2021)
    validation = validate_store(open_store(out))
    assert _report_kind(validation) == []
    assert not [f for f in validation.findings if f.kind == "reading" and f.severity != "Info"]
    ended = [f for f in validation.findings if f.section == "ended"]
    assert all(f.kind == "curation" for f in ended), ended


# other-city-annex.txt: other-city.txt with No.2's items 「別紙のとおり」 (in an annex, not in the
# report) and No.3's 「氏名、学年、学級等」 (a list ending in 等).


def test_items_in_an_annex_and_open_ended_lists(tmp_path: Path) -> None:
    out = _build(tmp_path, REPORTS / "other-city-annex.txt", HACHIOJI, 2021)
    validation = validate_store(open_store(out))
    assert _report_kind(validation) == [
        ("Info", "kgsh:OpenEndedItemListShape", 3),
        ("Warning", "kgsh:ItemsInAnnexShape", 2),
    ]
    # no data item is invented from 「別紙のとおり」
    assert not [
        f for f in validation.findings if f.value == "別紙のとおり" and f.shape != "kgsh:ItemsInAnnexShape"
    ]


def test_kinds_in_json_and_text(other_city_faults: Validation) -> None:
    from ketsugo.check.validate import format_json, format_text

    findings = json.loads(format_json(other_city_faults))
    assert Counter(f["kind"] for f in findings) == Counter(f.kind for f in other_city_faults.findings)
    text = format_text(other_city_faults)
    report = text.index("#### The report itself / 報告書の記載について")
    later = (
        [text.index("#### Curation notes")]
        if any(f.kind == "curation" for f in other_city_faults.findings)
        else []
    )
    if any(f.kind == "reading" for f in other_city_faults.findings):
        reading = text.index("#### Reading the report / 報告書の読み取りについて")
        assert report < reading and all(reading < at for at in later)
    assert all(report < at for at in later)


def test_validation_report_keeps_values_as_written(other_city_faults: Validation) -> None:
    values = set(other_city_faults.report_graph.objects(None, SH.value))
    assert Literal("マイナンバー") in values


# --- fuzz: report text with backslashes, quotes, braces and control characters through validate ------

_TRICKY = st.text(alphabet=st.sampled_from(list("\\ux01g<0>\"'{}?$ 氏名、\x07")), max_size=16)
_FUZZ_HEADER = (
    "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t"
    "外部結合に係る個人情報記録の項目\t特定個人情報の有無\t条例根拠\t結合の相手方\t結合の開始年月日"
)
_FUZZ_PREFIX = (
    "外部電子計算機との結合の状況（令和2年度）\n\n(2) 新たに外部計算機との結合を行った外部結合の内訳\n\n"
)


@pytest.fixture(scope="module")
def reference_graph() -> Graph:
    from ketsugo.graph.reference import reference

    return reference().graph


@settings(
    max_examples=fuzz_examples(6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(departments=_TRICKY, subjects=_TRICKY, items=_TRICKY, parties=_TRICKY, start=_TRICKY)
@example(
    departments="総務課\\g<0>",
    subjects="\\",
    items="C:\\user\\x01、\\u3042、\\1",
    parties="{?value}\\",
    start="",
)
def test_fuzz_validate_of_lenient_builds(
    reference_graph: Graph, departments: str, subjects: str, items: str, parties: str, start: str
) -> None:
    from ketsugo.graph.quads import build_graph
    from ketsugo.graph.reference import reference
    from ketsugo.read.metadata import ReportMetadata
    from ketsugo.read.parser import parse_report

    meta = ReportMetadata(
        path=Path("fuzz.txt"), municipality_code="131041", municipality_name="新宿区", fiscal_year=2020
    )
    row = "\t".join(
        ["1", departments, "業務", "理由", subjects, items, "", "令和2年度第1回審議会承認", parties, start]
    )
    try:
        report = parse_report(_FUZZ_PREFIX + _FUZZ_HEADER + "\n" + row + "\n", "fuzz.txt", lenient=True)
        result = build_graph(report, meta, reference())
    except InputError:
        return
    findings, _ = validate_graph(result.graph, reference_graph, report_file="fuzz.txt")
    for finding in findings:  # every finding is of one kind; curation notes are Info
        assert finding.kind in FINDING_KINDS
        assert finding.kind != "curation" or finding.severity == "Info"
    # items quoted in a message are quoted as written
    for finding in findings:
        if finding.shape == "kgsh:DataItemCategoryShape":
            assert f"「{finding.value}」" in finding.message_en
