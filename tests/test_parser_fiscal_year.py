"""The report's fiscal year comes from its layout (title, section headings, summary header), never
from table rows; when those disagree the parser asks for --fiscal-year."""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report
from tests.conftest import BUNDLED, CASES

VALID = (CASES / "malformed" / "valid.txt").read_text(encoding="utf-8")
TITLE = "外部電子計算機との結合の状況（令和2年度）"
PREVIOUS = "令和元年度外部電子計算機との結合数"
CURRENT = "令和2年度外部電子計算機との結合数"


def _errors(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_report(text, "r.txt")
    return [str(i) for i in caught.value.issues]


def test_title_and_summary_header_agree() -> None:
    assert parse_report(VALID, "r.txt").fiscal_year == 2020


def test_the_summary_header_alone_names_the_year() -> None:
    """The bundled report's title names no year; its summary header names 令和元年度 and 令和2年度."""
    assert parse_report(BUNDLED.read_text(encoding="utf-8"), "r.txt").fiscal_year == 2020
    text = VALID.replace(TITLE, "外部電子計算機との結合の状況", 1)
    assert parse_report(text, "r.txt").fiscal_year == 2020


def test_table_rows_do_not_name_the_year() -> None:
    """A council decision of 令和5年度 in a row is no heading: with no year in the layout, none."""
    text = VALID.replace(TITLE, "外部電子計算機との結合の状況", 1)
    text = text.replace(PREVIOUS, "前年度外部電子計算機との結合数", 1).replace(CURRENT, "当年度の結合数", 1)
    text = text.replace("令和2年度第2回審議会承認", "令和5年度第2回審議会承認", 1)
    report = parse_report(text, "r.txt")
    assert report.fiscal_year is None
    assert next(c.legal_basis.decision.fiscal_year for c in report.connections if c.legal_basis) == 2023


def test_title_and_summary_header_disagree_is_an_error_asking_for_the_year() -> None:
    text = VALID.replace(TITLE, "外部電子計算機との結合の状況（令和3年度）", 1)
    assert _errors(text) == [
        "r.txt:5: the headings disagree about the fiscal year: "
        "line 1 names 2021 ('外部電子計算機との結合の状況（令和3年度）'); "
        "line 5 names 2019, 2020 (the summary header); "
        "give --fiscal-year"
    ]


def test_a_section_heading_may_name_the_year_too() -> None:
    heading = "(2)新たに外部計算機との結合を行った外部結合の内訳"
    assert parse_report(VALID.replace(heading, heading + "（令和2年度）"), "r.txt").fiscal_year == 2020
    errors = _errors(VALID.replace(heading, heading + "（令和4年度）"))
    assert len(errors) == 1 and errors[0].startswith("r.txt:13: the headings disagree about the fiscal year")


def test_a_summary_header_naming_more_than_the_previous_and_current_year_is_unclear() -> None:
    text = VALID.replace(PREVIOUS, "平成30年度外部電子計算機との結合数", 1)
    (error,) = _errors(text)
    assert error.startswith("r.txt:5: the headings disagree about the fiscal year: ")
    assert error.endswith("give --fiscal-year")


def test_a_given_year_turns_the_disagreement_into_a_warning() -> None:
    text = VALID.replace(TITLE, "外部電子計算機との結合の状況（令和3年度）", 1)
    report = parse_report(text, "r.txt", fiscal_year=2020)
    assert report.fiscal_year is None
    (warning,) = [i for i in report.issues if "disagree" in i.message]
    assert warning.severity == "warning"
    assert warning.message.endswith("the fiscal year given (2020) is used")


def test_lenient_parse_records_the_disagreement() -> None:
    text = VALID.replace(TITLE, "外部電子計算機との結合の状況（令和3年度）", 1)
    report = parse_report(text, "r.txt", lenient=True)
    assert report.fiscal_year is None
    assert [i.severity for i in report.issues if "disagree" in i.message] == ["error"]
