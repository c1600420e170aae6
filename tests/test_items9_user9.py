"""The user9 case (tests/cases/user9/takayama-2024: a made-up 高山市 FY2024 report published as
Excel, HTML and text copied out of Excel; expected.toml and NOTES.md written by hand before ketsugo
was run), for what items9 fixed: nested item lists, ✕ marks, the quoted rows of the text copy,
the cell a finding names, and a date cell ketsugo cannot read told as a reading finding.
Expectations read by hand from report.txt."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ketsugo.check.validate import Validation, validate_store
from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report, run_build
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.parser import parse_report
from ketsugo.store.disk import open_store

CASE = Path(__file__).parent / "cases" / "user9" / "takayama-2024"
CODE = "212032"


@pytest.fixture(scope="module")
def expected() -> dict:  # type: ignore[type-arg]
    with (CASE / "expected.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("form", ["xlsx", "html", "txt"])
def test_nested_items_read_as_the_leaves(form: str, expected: dict) -> None:  # type: ignore[type-arg]
    report = build_report(
        metadata_from_options(CASE / f"report.{form}", CODE, None), reference(), lenient=True
    )
    read = {(c.status, c.number): c for c in report.report.connections}
    for row in expected["connection"]:
        connection = read[(row["status"], row["number"])]
        assert [i.name for i in connection.items.items] == row["items"], (form, row["number"])
    first = read[("new", 1)].items.items
    assert [i.group for i in first] == ["住民票関係"] * 3 + ["戸籍関係"] * 2
    # ✕ is a plain no, 〇 a yes: no reading problem about the flag
    assert [i for i in report.report.issues if i.field == "特定個人情報"] == []
    assert {n: read[("new", n)].specific_personal_information for n in (1, 2)} == {1: False, 2: True}


def test_the_quoted_rows_of_the_text_copy_are_infos() -> None:
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    report = parse_report(text, "report.txt", lenient=True)
    joined = [i for i in report.issues if "read as one row" in i.message]
    assert len(joined) == 10  # 8 new rows (the 変更 row among them) and 2 ended ones
    assert {i.severity for i in joined} == {"info"}


def _validated(tmp_path: Path, text: str) -> Validation:
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    run_build([metadata_from_options(report, CODE, None)], out, lenient=True)
    return validate_store(open_store(out))


def test_a_date_ketsugo_cannot_read_is_a_reading_finding_not_the_reports_gap(tmp_path: Path) -> None:
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    assert text.count("\t令和6年5月\n") == 1  # No.2's start
    validation = _validated(tmp_path, text.replace("\t令和6年5月\n", "\t春ごろ\r\n"))
    on_2 = [f for f in validation.findings if f.connection == 2 and f.severity == "Violation"]
    assert [(f.shape, f.kind) for f in on_2] == [("kgsh:ParseErrorShape", "reading")]
    assert "春ごろ" in on_2[0].message_en
    # the rest of the report gives no violation at all (expected.toml: validate exit 0)
    others = [f for f in validation.findings if f.severity == "Violation" and f.connection != 2]
    assert others == []
