"""Other layouts: columns in another order, rows in section (3), full-width digits."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from ketsugo.read.parser import parse_report
from tests.conftest import CASES

CASE = CASES / "reordered"


@pytest.fixture(scope="module")
def parsed():
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    with (CASE / "expected.toml").open("rb") as handle:
        return parse_report(text, "report.txt"), tomllib.load(handle)


def test_fiscal_year_from_headings(parsed) -> None:
    report, expected = parsed
    assert report.fiscal_year == expected["fiscal_year"]


def test_summary(parsed) -> None:
    report, expected = parsed
    got = [
        {
            "agency": r.agency,
            "a": r.previous,
            "b": r.new,
            "c": r.ended,
            "current": r.current,
            "specific": r.specific,
        }
        for r in report.summary
    ]
    assert got == expected["summary"]


def test_connections_by_header_names(parsed) -> None:
    report, expected = parsed
    assert len(report.connections) == len(expected["connection"])
    for got, want in zip(report.connections, expected["connection"], strict=True):
        assert (got.status, got.number, got.line) == (want["status"], want["number"], want["line"])
        assert got.departments_as_written == want["departments_as_written"]
        assert got.business == want["business"]
        assert got.counterparties_as_written == want["counterparties_as_written"]
        assert got.start_date == (date.fromisoformat(want["start_date"]) if "start_date" in want else None)
        assert got.end_date == (date.fromisoformat(want["end_date"]) if "end_date" in want else None)
        assert got.specific_personal_information is want["my_number"]
        assert [i.as_written for i in got.items.items] == want["items"]
        decision = got.legal_basis.decision
        assert [decision.fiscal_year, decision.meeting, decision.decision] == want["council"]
        assert [[s.law_name, s.article, s.paragraph] for s in got.legal_basis.statutes] == want["statutes"]


def test_nothing_unread(parsed) -> None:
    report, _ = parsed
    assert report.unread_lines == ()
    assert [i for i in report.issues if i.severity == "error"] == []
