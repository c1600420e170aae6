"""The user10b case (tests/cases/user10b/kamikatsu-2024: a made-up 上勝町 FY2024 report, published as
an HTML page; expected.toml and NOTES.md written by hand before ketsugo was run) and user10
(tests/cases/user10/shizuoka-2025), for what cells10 fixed: a blank council cell (a gap before
FY2023, no fault after the 2023 law; the report's own header named, its note defining blank cited),
no "teach ketsugo" note on a cell read right (諮問不要（法令に基づく提供）), laws common in municipal
reports in the registry (地方税法, 農地法), party kinds (社会福祉協議会, 軽自動車検査協会), a change shown
as 変更No.N in the catalogue's answers, and one count of named organisations. Expectations are read
by hand from the reports' text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.check.validate import Validation, validate_store
from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.graph.partyrules import classify
from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report, digest, run_build
from ketsugo.read.legalforms import legal_forms
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import open_store

CASE = Path(__file__).parent / "cases" / "user10b" / "kamikatsu-2024"
CODE = "363022"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kamikatsu") / "build"
    run_build([metadata_from_options(CASE / "report.html", CODE, None)], out)
    return out


@pytest.fixture(scope="module")
def validation(built: Path) -> Validation:
    return validate_store(open_store(built))


def _shape(finding: object) -> str:
    return str(getattr(finding, "shape", "")).rsplit(":", 1)[-1]


# --- 1. a blank council cell --------------------------------------------------------------------


def test_blank_council_cells_of_fy2024_are_no_fault(validation: Validation) -> None:
    # No.4 <td></td> and No.5 &nbsp; under 審査会※3; ※3 says 空欄 = neither asked nor reported
    assert not [f for f in validation.findings if _shape(f) == "ConnectionLegalBasisShape"]
    blank = [f for f in validation.findings if _shape(f) == "CouncilCellBlankShape"]
    assert len(blank) == 2
    for finding in blank:
        assert finding.severity == "Info" and finding.kind == "report"
        text = f"{finding.message_en} {finding.message_ja}"
        assert "「審査会※3」" in text and "条例根拠" not in text  # the report's own header
        assert "空欄は審査会への諮問・報告を行っていないもの" in text  # its note, cited
    assert sorted(f.connection for f in blank) == [4, 5]


# --- 2. cells read right give no curation note; laws in the registry ------------------------------


def test_no_curation_note_on_wordings_read_right(validation: Validation) -> None:
    # No.12 諮問不要（法令に基づく提供）: read as statutory, no decision; nothing to teach ketsugo
    assert not [f for f in validation.findings if _shape(f) == "LegalBasisReadShape"]


@pytest.mark.parametrize(
    ("name", "law_id"),
    [
        ("地方税法", "325AC0000000226"),
        ("農地法", "327AC0000000229"),
        ("道路運送車両法", "326AC0000000185"),
        ("介護保険法", "409AC0000000123"),
        ("国民健康保険法", "333AC0000000192"),
        ("高齢者の医療の確保に関する法律", "357AC0000000080"),
        ("児童手当法", "346AC0000000073"),
        ("健康増進法", "414AC0000000103"),
        ("母子保健法", "340AC0000000141"),
        ("障害者総合支援法", "417AC0000000123"),
        ("公職選挙法", "325AC0000000100"),
        ("戸籍法", "322AC0000000224"),
        ("国民年金法", "334AC0000000141"),
    ],
)
def test_common_laws_are_in_the_registry(name: str, law_id: str) -> None:
    assert str(reference().registry.law(name)).endswith(f"/law/{law_id}")


def test_a_law_whose_id_was_not_verified_is_known_without_one() -> None:
    law = reference().registry.law("学校保健安全法")
    assert law is not None and "AC" not in str(law)


def test_the_laws_kamikatsu_cites_are_no_curation_notes(validation: Validation) -> None:
    unknown = [f.message_en for f in validation.findings if "not in the registry" in f.message_en]
    assert not [m for m in unknown if "地方税法" in m or "農地法" in m]


# --- 3. party kinds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("上勝町社会福祉協議会", "PublicInterestCorporation"),  # a 社会福祉法人, the form not written
        ("静岡県社会福祉協議会", "PublicInterestCorporation"),
        ("○○市社会福祉事業団", "PublicInterestCorporation"),
        ("軽自動車検査協会", "PublicBody"),  # a corporation of the 道路運送車両法
        ("日本赤十字社", "PublicBody"),  # no company, though its name ends in 社
        ("地方公共団体情報システム機構", "LocalJointCorporation"),
        ("全国農業協同組合連合会", "Association"),  # cooperatives stay associations
    ],
)
def test_party_kind_by_rule(name: str, kind: str) -> None:
    found = classify(name)
    assert found is not None and found.kind_class == kind


def test_social_welfare_corporation_is_no_general_association() -> None:
    form = next(f for f in legal_forms() if f.name == "社会福祉法人")
    assert form.kind == "PublicInterestCorporation"


def test_kamikatsu_social_welfare_council_in_the_graph(built: Path) -> None:
    store = open_store(built)
    rows = list(
        store.query(
            "PREFIX kg: <https://w3id.org/ketsugo#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?type WHERE { GRAPH ?g { ?org rdfs:label ?label ; a ?type } "
            "FILTER(STR(?label) = '上勝町社会福祉協議会') FILTER(STRSTARTS(STR(?type), 'https://w3id.org/ketsugo#')) }"
        )
    )
    kinds = {row["type"].value.rsplit("#", 1)[-1] for row in rows} - {"Organisation"}
    assert kinds == {"PublicInterestCorporation"}  # not Association (一般社団法人・一般財団法人等)


# --- 4. one count of named organisations ----------------------------------------------------------


def test_briefing_counts_named_organisations_as_the_build_summary(built: Path, tmp_path: Path) -> None:
    _register_optional_commands()
    out = tmp_path / "briefing.md"
    result = CliRunner().invoke(
        cli, ["export", "briefing", "--store", str(built), "--format", "md", "--lang", "en", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    # the build summary's "N named organisations" (ketsugo.cli.summary): counterparties not unnamed
    one = digest(build_report(metadata_from_options(CASE / "report.html", CODE, None), reference()))
    named = one.recipients - one.unnamed_recipients
    assert f"Named organisations: {named}" in out.read_text(encoding="utf-8")


# --- 5. a change is no connection in the catalogue's answers -------------------------------------


@pytest.mark.parametrize("query", ["data-subject-recipients", "statutes-cited"])
def test_a_change_is_labelled_as_a_change(built: Path, query: str) -> None:
    _register_optional_commands()
    result = CliRunner().invoke(cli, ["query", query, "--store", str(built), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    texts = [value["value"] for row in rows for value in row.values()]
    # 4. 結合内容を変更したもの: one change, No.1 (デジタル庁, 予防接種, 番号法, 2024-11-01), apart from new
    # No.1 (J-LIS, 2024-04): never written as a connection No.1
    assert any("上勝町2024年度 変更No.1" in t for t in texts), texts
    assert not [t for t in texts if "No.1 ?〜" in t]


def test_a_change_is_dated_by_its_change(built: Path) -> None:
    _register_optional_commands()
    result = CliRunner().invoke(
        cli, ["query", "data-subject-recipients", "--store", str(built), "--format", "json"]
    )
    rows = json.loads(result.output)["results"]["bindings"]
    periods = [row["periods"]["value"] for row in rows if "periods" in row]
    assert any("変更No.1 2024-11-01変更" in p for p in periods), periods


def test_a_change_counterparty_is_in_the_briefing(built: Path, tmp_path: Path) -> None:
    _register_optional_commands()
    out = tmp_path / "briefing.md"
    result = CliRunner().invoke(
        cli, ["export", "briefing", "--store", str(built), "--format", "md", "--lang", "en", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "デジタル庁 (変更No.1)" in out.read_text(encoding="utf-8")


# --- 6. the docs' figures -------------------------------------------------------------------------


def test_docs_count_the_variants_there_are() -> None:
    import re

    root = Path(__file__).parents[1]
    there = len(list((root / "tests" / "cases" / "variants").glob("*/expected.toml")))
    for doc in ("docs/your-report.md", "README.md"):
        said = re.findall(r"(\d+) hand-made (?:report )?variants", (root / doc).read_text(encoding="utf-8"))
        assert said and {int(n) for n in said} == {there}, (doc, said, there)
