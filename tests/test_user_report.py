"""A new user's first report (tests/cases/variants/aoki-2023: 青木村 FY2023, written by hand with its
expectations before ketsugo was run on it), tried as a user tries it: build, validate, export.

What a careful reader of the report expects, beyond the field-by-field comparison of
tests/test_variants.py:
- two connections (No.1, No.4) name their vendor only by its kind (LGWAN-ASP事業者): a disclosure
  gap, an Info of its own kind, not a warning about the report;
- the items 学年 and 学級 are school affiliation, whose label must cover them (not 学校名);
  給与支払額 (salary paid) is income, not a record of a payment or settlement;
- the flows table keeps each council decision as written, with the council's own name;
- what `ketsugo build` counts as findings while reading agrees with `ketsugo validate`.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

CASE = Path(__file__).parent / "cases" / "variants" / "aoki-2023"
LGWAN = "LGWAN-ASP事業者"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _register_optional_commands()
    out = tmp_path_factory.mktemp("aoki") / "build"
    result = CliRunner().invoke(cli, ["build", str(CASE / "report.txt"), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    _build_output[str(out)] = result.output
    return out


_build_output: dict[str, str] = {}


@cache
def _validate(store: str, fmt: str) -> tuple[int, str]:
    """Exit status and the findings `ketsugo validate --format FMT` writes (--output: no stderr in it)."""
    target = Path(store).parent / f"findings.{fmt}"
    result = CliRunner().invoke(cli, ["validate", "--store", store, "--format", fmt, "--output", str(target)])
    return result.exit_code, target.read_text(encoding="utf-8")


# --- 1. a vendor named only by its kind ----------------------------------------------------------


def test_unnamed_vendor_is_a_disclosure_gap_in_json(built: Path) -> None:
    code, output = _validate(str(built), "json")
    assert code == 0
    unnamed = [f for f in json.loads(output) if f["shape"] == "kgsh:UnnamedCounterpartyShape"]
    assert sorted(f["connection"] for f in unnamed) == [1, 4]
    assert {(f["kind"], f["severity"], f["value"]) for f in unnamed} == {("disclosure", "Info", LGWAN)}


def test_unnamed_vendor_is_listed_under_its_own_heading(built: Path) -> None:
    code, text = _validate(str(built), "text")
    assert code == 0
    heading = text.index("#### Disclosure gaps: what a reader cannot learn from the report")
    report_section = text.find("#### The report itself")
    assert report_section == -1 or "UnnamedCounterparty" not in text[report_section:heading]
    after = text[heading:]
    nxt = after.find("\n#### ", 1)
    section = after if nxt == -1 else after[:nxt]
    assert "0 warning(s), 2 info(s)" in section.splitlines()[0]
    assert section.count("[kgsh:UnnamedCounterpartyShape]") == 2


def test_briefing_lists_the_gap_apart(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "briefing.md"
    result = CliRunner().invoke(
        cli, ["export", "briefing", "--store", str(built), "--format", "md", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "開示の不足" in text and "Disclosure gaps: 2" in text
    assert "警告 / Warning 0" in text  # nothing to ask the village about: the report is not wrong


# --- 2. what the items mean --------------------------------------------------------------------


def _item_categories(store: Path) -> dict[tuple[int, str], set[str]]:
    """(connection No., item as written) → slugs of its categories, for the new connections."""
    from ketsugo.store.disk import open_store

    query = """
        PREFIX kg: <https://w3id.org/ketsugo#>
        SELECT ?n ?text ?category WHERE {
            ?c kg:connectionNumber ?n ; kg:status kg:NewConnection ; kg:hasDataItem ?item .
            ?item kg:asWritten ?text .
            OPTIONAL { ?item kg:hasCategory ?category }
        }"""
    found: dict[tuple[int, str], set[str]] = {}
    for row in open_store(store).query(query, use_default_graph_as_union=True):
        slugs = found.setdefault((int(row["n"].value), row["text"].value), set())
        if row["category"] is not None:
            slugs.add(row["category"].value.rsplit("/", 1)[-1])
    return found


def test_salary_paid_is_income_not_a_payment_record(built: Path) -> None:
    categories = _item_categories(built)
    for number in (1, 2):  # 給与支払額 in the payroll (No.1) and the salary reports (No.2)
        assert categories[(number, "給与支払額")] == {"income"}
    assert categories[(1, "振込口座")] == {"bank-account"}  # the account salaries go to


def test_school_year_and_class_have_a_label_that_covers_them(built: Path) -> None:
    from rdflib.namespace import SKOS

    from ketsugo.graph.reference import reference
    from ketsugo.graph.vocab import KGC

    categories = _item_categories(built)
    assert categories[(4, "学年")] == categories[(4, "学級")] == {"school-affiliation"}
    labels = {
        str(label.language): str(label)
        for label in reference().graph.objects(KGC["school-affiliation"], SKOS.prefLabel)
    }
    assert set(labels) == {"ja", "en"}
    assert labels["ja"] != "学校名" and "学年" in labels["ja"] and "学級" in labels["ja"]
    assert "year" in labels["en"] and "class" in labels["en"]


# --- 3. the council decision in the flows table ---------------------------------------------------


def _flows(store: Path, tmp_path: Path) -> list[dict[str, str]]:
    target = tmp_path / "flows.csv"
    result = CliRunner().invoke(
        cli, ["export", "flows", "--store", str(store), "--format", "csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))


def test_flows_keep_the_council_decision_as_written(built: Path, tmp_path: Path) -> None:
    decisions = {
        (r["status"], r["connection_number"], r["council_decision"]) for r in _flows(built, tmp_path)
    }
    assert decisions == {
        ("new", "1", "令和5年度第1回青木村個人情報保護審議会承認"),
        ("new", "2", "令和5年度第1回青木村個人情報保護審議会承認"),
        ("new", "3", "令和5年度第2回青木村個人情報保護審議会承認"),
        ("new", "4", "令和5年度第1回青木村個人情報保護審議会承認"),
        ("ended", "1", ""),  # the ended table has no council column
    }


def test_flows_normalise_only_the_spacing_of_the_decision(tmp_path: Path) -> None:
    """Spaces (full-width, doubled) become one; a statute cited in brackets after the decision is
    the statutes column, not part of the decision."""
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    cell = "令和5年度第2回青木村個人情報保護審議会承認"
    assert text.count(cell) == 1
    spaced = text.replace(cell, "令和5年度第2回　青木村個人情報保護審議会  承認（住民基本台帳法第30条の9）")
    folder = tmp_path / "spaced"
    folder.mkdir()
    (folder / "report.txt").write_text(spaced, encoding="utf-8")
    (folder / "report.toml").write_text((CASE / "report.toml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", str(folder / "report.txt"), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    rows = [r for r in _flows(out, tmp_path) if (r["status"], r["connection_number"]) == ("new", "3")]
    assert {r["council_decision"] for r in rows} == {"令和5年度第2回 青木村個人情報保護審議会 承認"}
    assert {r["statutes"] for r in rows} == {"住民基本台帳法第30条の9"}


# --- 4. the counts of build and validate -----------------------------------------------------------


def test_build_and_validate_counts_agree_and_say_why_they_differ(built: Path) -> None:
    import re

    headline = re.search(
        r"(\d+) finding\(s\) while reading \(`ketsugo validate` lists these", _build_output[str(built)]
    )
    assert headline is not None, _build_output[str(built)]
    read = int(headline[1])
    _, output = _validate(str(built), "json")
    findings = json.loads(output)
    assert sum(f["noted_while_reading"] for f in findings) == read
    own = len(findings) - read
    assert own > 0  # e.g. the unnamed vendors: validate's own checks, which build does not count
    assert not any(f["noted_while_reading"] for f in findings if f["kind"] == "disclosure")
    _, text = _validate(str(built), "text")
    assert (
        f"of these, {read} were noted while reading the report (the findings `ketsugo build` counts)" in text
    )
    assert f"and {own} come from validate's own checks" in text


# --- 5. the messages stored in the graph ------------------------------------------------------------


def test_stored_messages_are_tagged_with_their_language(built: Path) -> None:
    from ketsugo.store.disk import open_store

    query = """
        PREFIX kg: <https://w3id.org/ketsugo#>
        SELECT ?issue ?message WHERE { ?issue a kg:ParseIssue ; kg:message ?message }"""
    messages: dict[str, dict[str, str]] = {}
    for row in open_store(built).query(query, use_default_graph_as_union=True):
        by_language = messages.setdefault(row["issue"].value, {})
        assert row["message"].language not in by_language, row
        by_language[row["message"].language or ""] = row["message"].value
    assert messages
    for by_language in messages.values():
        assert set(by_language) <= {"en", "ja"} and "en" in by_language  # none untagged
        english = by_language["en"]
        assert english.isascii() or "'" in english  # English, with values quoted as written
        if "ja" in by_language:
            assert by_language["ja"] != english
    # the departments no registry knows (No.1's 総務課, …): the catalogue has their Japanese
    assert any("登録簿にない" in m.get("ja", "") for m in messages.values())


def test_validate_prints_japanese_on_the_japanese_line(built: Path) -> None:
    _, output = _validate(str(built), "json")
    read = [f for f in json.loads(output) if f["noted_while_reading"]]
    assert read
    for finding in read:
        assert "is not in the registry" not in finding["message"]["ja"], finding
        assert "rule:" not in finding["message"]["ja"], finding  # the agency rule quoted, in Japanese too
        assert "（英文のみ）" not in finding["message"]["ja"], finding


@pytest.mark.parametrize(
    "written",
    [
        "令和5年度第2回承認（青木村個人情報保護審議会）",  # the council named in the bracket
        "令和5年度第2回青木村個人情報保護審議会承認（令和5年8月10日）",  # the meeting's date
    ],
)
def test_flows_keep_a_closing_bracket_that_is_no_statute(tmp_path: Path, written: str) -> None:
    """Only a bracket holding a statute the connection cites is left to the statutes column; one
    naming the council or a date is part of the decision as written (before: cut, and found nowhere
    in the table)."""
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    cell = "令和5年度第2回青木村個人情報保護審議会承認"
    assert text.count(cell) == 1
    folder = tmp_path / "bracket"
    folder.mkdir()
    (folder / "report.txt").write_text(text.replace(cell, written), encoding="utf-8")
    (folder / "report.toml").write_text((CASE / "report.toml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", str(folder / "report.txt"), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    rows = [r for r in _flows(out, tmp_path) if (r["status"], r["connection_number"]) == ("new", "3")]
    assert {r["council_decision"] for r in rows} == {written}


def test_the_briefing_of_a_village_does_not_speak_of_a_ward(built: Path) -> None:
    """The briefing's opening paragraph said 区の外の相手 (outside the ward) for every report, the
    wording of a Tokyo ward; 青木村 is a village."""
    result = CliRunner().invoke(cli, ["export", "briefing", "--store", str(built), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "区の外" not in result.output
    assert "外部の相手" in result.output


def test_the_briefing_tells_an_ended_connection_from_a_new_one_of_the_same_number(built: Path) -> None:
    """The report numbers its ended connections apart (終了 No.1 beside new No.1): the briefing wrote
    both as "No.1", and the reason for ending under the heading of the reason for connecting."""
    result = CliRunner().invoke(cli, ["export", "briefing", "--store", str(built), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "#### 終了No.1 健康管理事務" in result.output
    assert "**結合を終了した理由 / Reason for ending**: 新システムへの移行のため" in result.output
