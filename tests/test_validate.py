"""`ketsugo validate`: every shape on small graphs, and the bundled report's findings checked by hand."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SH

from ketsugo.check.validate import (
    Finding,
    Validation,
    format_json,
    format_text,
    format_ttl,
    load_shapes,
    validate_graph,
    validate_store,
)
from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.graph.reference import reference
from ketsugo.graph.vocab import KG
from ketsugo.paths import REPORTS_DIR
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import open_store

from ._check_support import (  # validated_once: a fixture
    UPDATE_PREFIXES,
    base_graph,
    bundled_alone,
    case_by_pyshacl,
    validated_once,  # noqa: F401
)
from .conftest import CASES

VALIDATE_CASES = CASES / "validate"
BUNDLED = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"
FILE = BUNDLED.name


def _cases() -> list[dict]:
    with (VALIDATE_CASES / "cases.toml").open("rb") as handle:
        return tomllib.load(handle)["case"]


CASE_LIST = _cases()


def _kinds(findings: list[Finding]) -> Counter[str]:
    return Counter(f"{f.severity} {f.shape}" for f in findings)


def _messages(findings: list[Finding]) -> str:
    return "\n".join(f"{f.severity} {f.shape} {f.message_en} / {f.message_ja}" for f in findings)


# --- every shape on a small graph ------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_graph() -> Graph:
    return reference().graph


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_shape_case(case: dict) -> None:
    # validate_graph on the case's graph with the reference graph, run once per process and case
    # (tests/test_validate_engines.py compares the SPARQL engine with the same findings)
    findings = case_by_pyshacl(case)
    assert _kinds(findings) == Counter(case["expect"]), _messages(findings)
    for text in case.get("contains", []):
        assert any(text in f.message_ja or text in f.message_en for f in findings), (
            text,
            _messages(findings),
        )
    for finding in findings:  # every finding speaks both languages and says where it is
        assert finding.message_ja and finding.message_en and finding.message_ja != finding.message_en
        assert finding.report == "case.txt"


def test_every_shape_has_a_passing_and_a_failing_case() -> None:
    shapes = load_shapes()
    checking = {
        "kgsh:" + str(s).rsplit("#", 1)[1]
        for s in {*shapes.subjects(SH.path, None), *shapes.subjects(SH.sparql, None)}
        if "#" in str(s)
    }
    failing = {kind.split(" ", 1)[1] for case in CASE_LIST for kind in case["expect"]}
    assert checking <= failing, sorted(checking - failing)
    assert any(not case["expect"] for case in CASE_LIST)  # base.ttl and the boundary cases pass


def test_finding_says_where_it_is(reference_graph: Graph) -> None:
    data = base_graph()
    data.update(UPDATE_PREFIXES + "DELETE WHERE { ?c kg:businessName ?b }")
    (finding,), results = validate_graph(data, reference_graph, report_file="case.txt")
    assert (finding.connection, finding.line, finding.department, finding.section) == (1, 21, "総務課", "new")
    assert finding.focus == "https://w3id.org/ketsugo/id/131041/2020/connection/1"
    assert finding.path == "kg:businessName"
    languages = {m.language for m in results.objects(None, SH.resultMessage)}
    assert languages == {"ja", "en"}


# --- the bundled report ------------------------------------------------------------------------------


def _build(tmp_path_factory: pytest.TempPathFactory, name: str, reports: list[tuple[Path, int]]) -> Path:
    out = tmp_path_factory.mktemp(name) / "out"
    run_build([metadata_from_options(path, "131041", year) for path, year in reports], out)
    return out


@pytest.fixture(scope="module")
def bundled_store() -> Path:
    return bundled_alone()  # the bundled report as 新宿区 FY2020, built once per process: only read


@pytest.fixture(scope="module")
def bundled(bundled_store: Path) -> Validation:
    return validate_store(open_store(bundled_store))


# The line of each connection row in the report file.
LINES = {1: 21, 2: 22, 3: 25, 4: 26, 5: 27, 6: 30, 7: 31, 8: 32, 9: 35, 10: 36, 11: 37}
LINES |= {12: 40, 13: 41, 14: 44, 15: 45, 16: 48, 17: 49, 18: 52, 19: 53, 20: 54, 21: 57, 22: 58}

# What a careful reader of shinjuku-2020-gaibu-ketsugo.txt finds (read from the paper, not from a run):
# (severity, shape, No., value) — value None where it is not compared.
BUNDLED_FINDINGS = [
    # No.12 lists 「マイナンバー」 but its 特定個人情報の有無 cell is blank.
    ("Violation", "kgsh:MyNumberShape", 12, "マイナンバー"),
    # 結合の相手方 names only a kind of party (LGWAN-ASP service / payment service), not the vendor:
    # a disclosure gap (Info), not a fault.
    ("Info", "kgsh:UnnamedCounterpartyShape", 1, "LGWAN－ASPサービス提供者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 3, "LGWAN-ASPサービス提供者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 4, "LGWAN-ASPサービス事業者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 7, "LGWAN-ASPサービス提供者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 9, "LGWAN-ASPサービス事業者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 14, "LGWAN-ASPサービス事業者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 15, "LGWAN-ASPサービス事業者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 18, "納付サービス提供者"),
    ("Info", "kgsh:UnnamedCounterpartyShape", 19, "LGWAN-ASPサービス提供者"),
    # No.14's reason is about モバイル納付 with a 納付サービス提供事業者, No.18's about ペイジー with an
    # LGWAN-ASPサービス認定事業者, yet their 結合の相手方 cells say the other way round: looks swapped.
    ("Warning", "kgsh:ReasonCounterpartyShape", 14, "LGWAN-ASPサービス事業者"),
    ("Warning", "kgsh:ReasonCounterpartyShape", 18, "納付サービス提供者"),
    # Items that say what flows only in the vaguest terms: No.19's whole item list is
    # 「届出書記載項目」 (the items of the notification form), and No.6 ends its list with the catch-all
    # 「その他資料情報」 (other information on the materials) — both in the vague category.
    ("Warning", "kgsh:VagueDataItemShape", 6, "その他資料情報"),
    ("Warning", "kgsh:VagueDataItemShape", 19, "届出書記載項目"),
    # Items the category vocabulary does not cover (the ones `ketsugo build` lists as unmapped):
    # ketsugo's knowledge is incomplete, not the report — curation notes.
    ("Info", "kgsh:DataItemCategoryShape", 4, "年度"),
    ("Info", "kgsh:DataItemCategoryShape", 8, "世帯"),
    ("Info", "kgsh:DataItemCategoryShape", 16, "制度"),
    ("Info", "kgsh:DataItemCategoryShape", 16, "証明区分"),
    ("Info", "kgsh:DataItemCategoryShape", 18, "年度"),
    # Line 31 (No.7): 「税情報。生活保護…」 has 「。」 where 「、」 is meant (a parse warning of the build).
    ("Warning", "kgsh:ParseWarningShape", 7, None),
    # No.17 started H18.6.1 (2006-06-01), long before FY2020; the cell itself says 記載漏れ.
    ("Info", "kgsh:StartDateRemarkShape", 17, "2006-06-01"),
    # Named private companies whose corporate number the registry does not have.
    ("Info", "kgsh:CorporateNumberShape", 5, "株式会社DNPアイディシステム"),
    ("Info", "kgsh:CorporateNumberShape", 6, "早稲田システム開発株式会社"),
    ("Info", "kgsh:CorporateNumberShape", 10, "みずほ情報総研株式会社"),
    ("Info", "kgsh:CorporateNumberShape", 21, "SBプレイヤーズ株式会社"),
    ("Info", "kgsh:CorporateNumberShape", 22, "Sky株式会社"),
    ("Info", "kgsh:CorporateNumberShape", 22, "マイクロソフト"),
    # The report's misprints, read as data/reports/shinjuku-2020-gaibu-ketsugo.read.errata.toml says
    # (被保険者異本情報, 送付策情報 in No.7's items; 議事症患者 in No.11's subjects; エヌ・ティ・ロ・
    # コミュニケーション株式会社 and SKY株式会社 in No.22's counterparties): one Info finding each.
    ("Info", "kgsh:ParseInfoShape", 7, "被保険者異本情報"),
    ("Info", "kgsh:ParseInfoShape", 7, "送付策情報"),
    ("Info", "kgsh:ParseInfoShape", 11, "議事症患者"),
    ("Info", "kgsh:ParseInfoShape", 22, "エヌ・ティ・ロ・コミュニケーション株式会社"),
    ("Info", "kgsh:ParseInfoShape", 22, "SKY株式会社"),
]
# Not findings, checked one by one: every other start date (R2.4.1 … R3.3.1) lies in FY2020
# (2020-04-01 … 2021-03-31); the summary table adds up (61+19−0=80, 5+3−0=8, totals 66, 22, 0, 88,
# 24) and matches the lists (No.1–19 区長's departments, No.20–22 教育支援課; none ended); No.1–22
# run without a gap; NTT DATA, NTT East and NTT Communications have corporate numbers.


# The kind of each finding: the registries' gaps are curation notes, the line-31 remark is about
# reading the text, everything else is about the report itself.
BUNDLED_KINDS = {
    "kgsh:DataItemCategoryShape": "curation",
    "kgsh:CorporateNumberShape": "curation",
    "kgsh:ParseWarningShape": "reading",
    "kgsh:UnnamedCounterpartyShape": "disclosure",  # a vendor named only by its kind: a gap, not a fault
}


def test_bundled_finding_kinds(bundled: Validation) -> None:
    for finding in bundled.findings:
        assert finding.kind == BUNDLED_KINDS.get(finding.shape, "report"), finding
    assert Counter(f.kind for f in bundled.findings) == Counter(
        report=11, disclosure=9, reading=1, curation=11
    )  # report: 6 + the 5 applied errata (Info); disclosure: the 9 unnamed counterparties
    curation = [f for f in bundled.findings if f.kind == "curation"]
    assert {f.severity for f in curation} == {"Info"}


ERRATA_WRITTEN = [
    "被保険者異本情報",
    "送付策情報",
    "議事症患者",
    "エヌ・ティ・ロ・コミュニケーション株式会社",
    "SKY株式会社",
]


def test_bundled_report_findings(bundled: Validation) -> None:
    unchecked_value = {"kgsh:ParseWarningShape"}  # its value is the parser's message

    def value(f: Finding) -> str | None:
        if f.shape == "kgsh:ParseInfoShape":  # the erratum's message: which misprint it reads
            return next((v for v in ERRATA_WRITTEN if f"「{v}」" in f.message_en), f.value)
        return None if f.shape in unchecked_value else f.value

    got = sorted((f.severity, f.shape, f.connection, value(f)) for f in bundled.findings)
    assert got == sorted(BUNDLED_FINDINGS), format_text(bundled)


def test_bundled_findings_point_at_the_paper(bundled: Validation) -> None:
    for finding in bundled.findings:
        assert finding.report == FILE
        assert finding.connection is not None and finding.line == LINES[finding.connection]
        assert finding.section == "new"
    by_shape = {f.shape: f for f in bundled.findings}
    my_number = by_shape["kgsh:MyNumberShape"]
    assert my_number.department == "保健予防課"
    assert "特定個人情報の有無が○になっていない（空欄）" in my_number.message_ja
    remark = by_shape["kgsh:StartDateRemarkShape"]
    assert "「記載漏れ」" in remark.message_ja and "「記載漏れ」" in remark.message_en
    assert "2006-06-01" in remark.message_en and "2020-04-01" in remark.message_en
    assert by_shape["kgsh:ParseWarningShape"].line == 31


def test_bundled_report_validates_the_same_again(bundled_store: Path, bundled: Validation) -> None:
    """A second run (imports and parsed shapes cached by the first) finds exactly the same.
    No wall-clock bound: timing belongs to a benchmark, not to a test on a shared machine."""
    again = validate_store(open_store(bundled_store))
    assert again.findings and again.findings == bundled.findings


# --- the summary table altered by one digit ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "old", "new", "expected"),
    [
        # 区長 a: 61 → 62: 62 + 19 − 0 ≠ 80, and 62 + 5 ≠ 66 in column a.
        (9, "区長\t61", "区長\t62", ["kgsh:SummaryArithmeticShape", "kgsh:SummaryTotalShape"]),
        # 区長 b: 19 → 18: the row, column b, and the 19 rows listed for 区長 all disagree.
        (
            9,
            "区長\t61\t19",
            "区長\t61\t18",
            ["kgsh:SummaryArithmeticShape", "kgsh:SummaryTotalShape", "kgsh:SummaryListedShape"],
        ),
        # 合計 a + b − c: 88 → 89.
        (14, "\t88\t", "\t89\t", ["kgsh:SummaryArithmeticShape", "kgsh:SummaryTotalShape"]),
    ],
)
def test_summary_altered_by_one_digit(
    tmp_path_factory: pytest.TempPathFactory, line: int, old: str, new: str, expected: list[str]
) -> None:
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    folder = tmp_path_factory.mktemp("altered")
    report = folder / "altered.txt"
    report.write_text("\n".join(lines), encoding="utf-8")
    validation = validate_store(open_store(_build(tmp_path_factory, "altered", [(report, 2020)])))
    violations = [f for f in validation.findings if f.severity == "Violation"]
    assert sorted({f.shape for f in violations if f.shape != "kgsh:MyNumberShape"}) == sorted(expected)
    for finding in violations:
        if finding.shape != "kgsh:MyNumberShape":
            assert finding.report == "altered.txt" and finding.line in (line, 14)
            assert finding.connection is None


# --- across reports ------------------------------------------------------------------------------------


def _write_report(path: Path, fiscal_year: int, summary: list[str], rows: list[str]) -> Path:
    """A report in the bundled report's layout, with the given summary lines and connection rows."""
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    era = {2020: ("令和元年度", "令和2年度"), 2021: ("令和2年度", "令和3年度")}[fiscal_year]

    def heading(text: str) -> str:
        return text.replace("令和2年度", "\0").replace("令和元年度", era[0]).replace("\0", era[1])

    numbered = [f"{n}\t{row.split(chr(9), 1)[1]}" for n, row in enumerate(rows, start=1)]
    text = [
        *lines[:6],
        heading(lines[6]),
        lines[7],
        *summary,
        *lines[14:20],
        *numbered,
        "",
        lines[59],
        "",
        heading(lines[61]),
        "",
        lines[63],
    ]
    path.write_text("\n".join(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Validation:
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    folder = tmp_path_factory.mktemp("fy2021")
    # FY2021: 区長's a is 79 where FY2020 ended with 80 (and so is the total); 教育委員会 carries 8 over
    # correctly; the single new row is FY2020's No.17 again (same business, same start date).
    summary = [
        "区長\t79\t1\t0\t80\t24",
        "教育委員会\t8\t0\t0\t8\t0",
        "選挙管理委員会\t0\t0\t0\t0\t0",
        "監査委員\t0\t0\t0\t0\t0",
        "議会\t0\t0\t0\t0\t0",
        "合計\t87\t1\t0\t88\t24",
    ]
    later = _write_report(folder / "fy2021.txt", 2021, summary, [lines[48]])
    out = _build(tmp_path_factory, "two-years", [(BUNDLED, 2020), (later, 2021)])
    return validate_store(open_store(out))


def test_carry_over_between_years(two_years: Validation) -> None:
    carry = [f for f in two_years.findings if f.shape == "summary-carry-over-violation.rq"]
    assert sorted((f.severity, f.report, f.line, f.value) for f in carry) == [
        ("Violation", "fy2021.txt", 9, "79"),
        ("Violation", "fy2021.txt", 14, "87"),
    ]
    assert "2020年度の報告（shinjuku-2020-gaibu-ketsugo.txt）の報告年度の結合数（a + b − c）は 80" in (
        carry[0].message_ja + carry[1].message_ja
    )


def test_connection_listed_new_twice(two_years: Validation) -> None:
    repeated = [f for f in two_years.findings if f.shape == "new-connection-repeated-warning.rq"]
    assert [(f.severity, f.report, f.connection, f.value) for f in repeated] == [
        ("Warning", "fy2021.txt", 1, "2006-06-01")
    ]
    assert "No.17" in repeated[0].message_en and "No.17" in repeated[0].message_ja


def test_reports_validated_one_by_one(two_years: Validation) -> None:
    assert two_years.reports == [FILE, "fy2021.txt"]
    # the FY2020 findings are those of the bundled report alone
    fy2020 = [f for f in two_years.findings if f.report == FILE]
    assert len(fy2020) == len(BUNDLED_FINDINGS)


# --- the command ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register_optional_commands()
    return CliRunner()


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One connection (FY2020's No.11, to the MHLW) and a summary that agrees: nothing to find."""
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    summary = [
        "区長\t0\t1\t0\t1\t0",
        "教育委員会\t0\t0\t0\t0\t0",
        "選挙管理委員会\t0\t0\t0\t0\t0",
        "監査委員\t0\t0\t0\t0\t0",
        "議会\t0\t0\t0\t0\t0",
        "合計\t0\t1\t0\t1\t0",
    ]
    report = _write_report(tmp_path_factory.mktemp("clean") / "clean.txt", 2020, summary, [lines[36]])
    return _build(tmp_path_factory, "clean", [(report, 2020)])


@pytest.mark.usefixtures("validated_once")
def test_cli_clean_store_exits_0(runner: CliRunner, clean_store: Path) -> None:
    result = runner.invoke(cli, ["validate", "--store", str(clean_store), "--fail-on", "info"])
    assert result.exit_code == 0, result.output
    assert "no findings / 指摘事項なし" in result.output


@pytest.mark.usefixtures("validated_once")
def test_cli_text_and_exit_codes(runner: CliRunner, bundled_store: Path) -> None:
    result = runner.invoke(cli, ["validate", "--store", str(bundled_store)])
    assert result.exit_code == 1  # the My Number violation
    text = result.output
    report = text.index(
        "#### The report itself / 報告書の記載について: 1 violation(s), 4 warning(s), 6 info(s)"
    )
    disclosure = text.index(  # the 9 counterparties named only by their kind: Info, a section of their own
        "#### Disclosure gaps: what a reader cannot learn from the report (common practice, not an error)"
        " / 開示の不足：報告書からは分からないこと（よくある書き方で、誤りではない）: 0 violation(s), 0 warning(s), 9 info(s)"
    )
    reading = text.index("#### Reading the report / 報告書の読み取りについて: 0 violation(s), 1 warning(s)")
    curation = text.index(
        "#### Curation notes: ketsugo's own knowledge is incomplete / ketsugo の登録簿・語彙"
    )
    assert (
        report
        < text.index("== Violation / 違反 (1) ==")
        < text.index("== Warning / 警告 (4) ==")
        < disclosure
        < reading
    )
    assert reading < curation < text.index("== Info / 情報 (11) ==")
    assert "[kgsh:DataItemCategoryShape]" in text[curation:]
    assert "[kgsh:ParseWarningShape]" in text[reading:curation]
    assert text[disclosure:reading].count("[kgsh:UnnamedCounterpartyShape]") == 9
    assert "[kgsh:UnnamedCounterpartyShape]" not in text[:disclosure] + text[reading:]
    assert f"{FILE}:40  No.12  保健予防課  [kgsh:MyNumberShape]" in text
    assert "  ja: 項目「マイナンバー」は個人番号（マイナンバー）にあたるのに" in text
    assert "  en: item 「マイナンバー」 is an Individual Number (My Number)" in text


@pytest.mark.usefixtures("validated_once")
def test_cli_fail_on(runner: CliRunner, clean_store: Path, tmp_path: Path) -> None:
    # a store whose only finding is a warning: passes by default, fails with --fail-on warning
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    summary = [
        "区長\t0\t1\t0\t1\t0",
        "教育委員会\t0\t0\t0\t0\t0",
        "選挙管理委員会\t0\t0\t0\t0\t0",
        "監査委員\t0\t0\t0\t0\t0",
        "議会\t0\t0\t0\t0\t0",
        "合計\t0\t1\t0\t1\t0",
    ]
    report = _write_report(tmp_path / "warn.txt", 2020, summary, [lines[52]])  # No.19: vague, unnamed
    out = tmp_path / "out"
    run_build([metadata_from_options(report, "131041", 2020)], out)
    assert runner.invoke(cli, ["validate", "--store", str(out)]).exit_code == 0
    assert runner.invoke(cli, ["validate", "--store", str(out), "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(cli, ["validate", "--store", str(clean_store), "--fail-on", "info"]).exit_code == 0


@pytest.mark.usefixtures("validated_once")
def test_cli_json(runner: CliRunner, bundled_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "findings.json"
    result = runner.invoke(
        cli, ["validate", "--store", str(bundled_store), "--format", "json", "--output", str(target)]
    )
    assert result.exit_code == 1
    findings = json.loads(target.read_text(encoding="utf-8"))
    assert len(findings) == len(BUNDLED_FINDINGS)
    first = findings[0]
    assert first["severity"] == "Violation" and first["shape"] == "kgsh:MyNumberShape"
    assert first["focus"] == "https://w3id.org/ketsugo/id/131041/2020/connection/12"
    assert (first["connection"], first["line"], first["report"]) == (12, 40, FILE)
    assert set(first["message"]) == {"ja", "en"}
    assert {f["severity"] for f in findings} == {"Violation", "Warning", "Info"}
    assert first["kind"] == "report"
    assert {f["kind"] for f in findings} == {"report", "disclosure", "reading", "curation"}
    assert {f["severity"] for f in findings if f["kind"] == "disclosure"} == {"Info"}
    assert {f["severity"] for f in findings if f["kind"] == "curation"} == {"Info"}


def test_cli_ttl_is_a_shacl_report(runner: CliRunner, bundled_store: Path) -> None:
    result = runner.invoke(cli, ["validate", "--store", str(bundled_store), "--format", "ttl"])
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    results = list(report.objects(node, SH.result))
    assert len(results) == len(BUNDLED_FINDINGS)
    for result_node in results:
        assert report.value(result_node, SH.focusNode) is not None
        assert report.value(result_node, SH.resultSeverity) in (SH.Violation, SH.Warning, SH.Info)
        languages = {m.language for m in report.objects(result_node, SH.resultMessage)}
        assert languages == {"ja", "en"}
    kinds = Counter(str(k) for r in results for k in report.objects(r, KG.findingKind))
    # report: 6 + the 5 applied errata (Info); disclosure: the 9 unnamed counterparties
    assert kinds == Counter(report=11, disclosure=9, reading=1, curation=11)


def test_cli_no_store_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", "--store", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "no ketsugo build here" in result.output


def test_cli_damaged_store_exits_2(runner: CliRunner, bundled_store: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(bundled_store, copy)
    (copy / "store" / "CURRENT").write_bytes(b"garbage")
    result = runner.invoke(cli, ["validate", "--store", str(copy)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "build directory is damaged" in result.output
    assert "Traceback" not in result.output and "rebuild it with `ketsugo build --out" in result.output


def test_formats_agree(bundled: Validation) -> None:
    assert len(json.loads(format_json(bundled))) == len(bundled.findings)
    assert format_text(bundled).count("  ja: ") == len(bundled.findings)
    assert format_ttl(bundled).count("sh:ValidationResult") >= len(bundled.findings)


def test_lenient_build_problems_are_findings(tmp_path_factory: pytest.TempPathFactory) -> None:
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    lines[36] = lines[36].replace("R2. 8. 3", "R2.13.3")  # No.11: no 13th month
    report = tmp_path_factory.mktemp("lenient") / "lenient.txt"
    report.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path_factory.mktemp("lenient-build") / "out"
    run_build([metadata_from_options(report, "131041", 2020)], out, lenient=True)
    validation = validate_store(open_store(out))
    on_11 = sorted((f.severity, f.shape) for f in validation.findings if f.connection == 11)
    # the date cell was written: the parse error says what is wrong with it (an impossible date: the
    # report's fault), and no second finding says the start date is missing (items9)
    assert on_11 == [("Violation", "kgsh:ParseErrorShape")]
    (error,) = [f for f in validation.findings if f.shape == "kgsh:ParseErrorShape"]
    assert error.line == 37 and "R2.13.3" in error.message_ja and "R2.13.3" in error.message_en
    assert error.kind == "report"
