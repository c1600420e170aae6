"""The parser against the hand-checked expectation file, row by row and cell by cell."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report
from ketsugo.read.textio import read_report_text


@pytest.fixture(scope="module")
def report(bundled_path) -> Report:
    return parse_report(read_report_text(bundled_path).text, str(bundled_path))


def test_report_level(report: Report, expected) -> None:
    meta = expected["report"]
    assert report.fiscal_year == meta["fiscal_year"]
    assert len([c for c in report.connections if c.status == "new"]) == meta["new_connections"]
    assert len([c for c in report.connections if c.status == "ended"]) == meta["ended_connections"]
    assert list(report.summary_notes) == meta["summary_notes"]
    assert report.ended_connections_statement == "実績はありません。"
    assert report.unread_lines == ()


def test_summary_table(report: Report, expected) -> None:
    rows = [
        (r.line, r.agency, r.is_total, r.previous, r.new, r.ended, r.current, r.specific)
        for r in report.summary
    ]
    wanted = [
        (e["line"], e["agency"], e["is_total"], e["a"], e["b"], e["c"], e["current"], e["specific"])
        for e in expected["summary"]
    ]
    assert rows == wanted


def _by_number(report: Report, number: int):
    return next(c for c in report.connections if c.number == number)


def _cases(expected_file_connections):
    return [pytest.param(c, id=f"No.{c['number']}") for c in expected_file_connections]


def pytest_generate_tests(metafunc) -> None:
    if "row" in metafunc.fixturenames:
        import tomllib

        from tests.conftest import EXPECTED

        with EXPECTED.open("rb") as handle:
            rows = tomllib.load(handle)["connection"]
        metafunc.parametrize("row", _cases(rows))


def test_connection_cells(report: Report, row) -> None:
    got = _by_number(report, row["number"])
    assert got.line == row["line"]
    assert got.departments_as_written == row["departments_as_written"]
    assert got.business == row["business"]
    assert got.subjects == row["subjects"]
    assert got.counterparties_as_written == row["counterparties_as_written"]
    assert got.legal_basis.as_written == row["legal_basis_as_written"]
    assert got.start_date_as_written.startswith(row["start_date_as_written"])


def test_connection_derived(report: Report, row) -> None:
    got = _by_number(report, row["number"])
    assert got.specific_personal_information is row["my_number"]
    assert got.start_date == date.fromisoformat(row["start_date"])
    assert got.start_date_note == row["start_date_note"]
    decision = got.legal_basis.decision
    assert (decision.fiscal_year, decision.meeting, decision.decision) == (
        row["council_fiscal_year"],
        row["council_meeting"],
        row["council_decision"],
    )
    statutes = [(s.article, s.paragraph, s.supplementary) for s in got.legal_basis.statutes]
    assert statutes == [(s["article"], s["paragraph"], s["supplementary"]) for s in row["statutes"]]
    for citation, wanted in zip(got.legal_basis.statutes, row["statutes"], strict=True):
        # the law's name without a trailing kind in brackets, e.g. …基準（厚生労働省令） → …基準
        assert citation.law_name == re.sub(r"[（(][^（）()]*[）)]$", "", wanted["law"])


def test_connection_items(report: Report, row) -> None:
    got = _by_number(report, row["number"])
    assert got.items.note == row["items_note"]
    items = [
        {
            "text": i.as_written,
            "group": i.group,
            "marker": i.marker,
            "name": i.name,
            "qualifier": i.qualifier,
            "conditional": i.conditional,
            "parts": list(i.parts),
        }
        for i in got.items.items
    ]
    wanted = [
        {
            "text": e["text"],
            "group": e["group"],
            "marker": e["marker"],
            "name": e.get("name", e["text"]),
            "qualifier": e.get("qualifier", ""),
            "conditional": e.get("conditional", False),
            "parts": e.get("parts", []),
        }
        for e in row["items"]
    ]
    assert items == wanted
    assert [i.position for i in got.items.items] == list(range(1, len(wanted) + 1))
