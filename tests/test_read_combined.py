"""One table for the year's new and ended connections, a 区分 column saying which each row is
(新規 / 廃止 / 変更; headers.toml [row_status]). Expectations read off the rows by hand."""

from __future__ import annotations

from datetime import date

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report

HEAD = (
    "外部電子計算機との結合の状況（令和4年度）\n\n(2) 令和4年度に新規・廃止・変更した外部結合\n"
    "No.\t区分\t担当課\t業務名\t記録項目\t結合の相手方\t提供・受領の別\t実施年月日\n"
)
ROWS = (
    "1\t新規\t市民課\t戸籍事務\t氏名、本籍\t法務省\t提供\t令和4年6月1日\n"
    "2\t廃止\t納税課\t収納事務\t納付番号\t株式会社A\t受領\t令和5年3月31日\n"
    "3\t変更\t税務課\t住民税事務\t氏名、給与支払額\t地方税共同機構\t受領\t令和4年12月1日\n"
    "4\t新規\t学校教育課\t校務支援\t児童生徒氏名\t株式会社B\t提供\t令和4年8月22日\n"
)


def test_each_row_is_what_its_column_says() -> None:
    report = parse_report(HEAD + ROWS, "t.txt", fiscal_year=2022)
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "ended"), (4, "new")]
    ended = report.connections[1]
    # the one date column gives an ended row its end date, a new row its start date
    assert (ended.start_date, ended.end_date) == (None, date(2023, 3, 31))
    assert report.connections[0].start_date == date(2022, 6, 1)
    assert report.connections[0].end_date is None
    assert report.combined_lists


def test_a_changed_row_is_read_as_a_change_not_as_a_connection() -> None:
    # since changes9 a 変更 row is read (Report.changes, kg:ConnectionChange in the graph) with an
    # info, no longer kept as a note with a warning; it is still neither new nor ended
    report = parse_report(HEAD + ROWS, "t.txt", fiscal_year=2022)
    assert [n for n, _ in report.section_notes] == []
    assert [(c.number, c.status, c.change_date) for c in report.changes] == [
        (3, "changed", date(2022, 12, 1))
    ]
    assert 3 not in [c.number for c in report.connections]
    found = [i for i in report.issues if i.line == 7 and "neither new nor ended" in i.message]
    assert [i.severity for i in found] == ["info"]


def test_the_table_is_numbered_over_all_its_rows() -> None:
    report = parse_report(HEAD + ROWS.replace("4\t新規", "5\t新規"), "t.txt", fiscal_year=2022)
    assert any("No.5 where No.4 comes next" in i.message for i in report.issues if i.line == 8)
    clean = parse_report(HEAD + ROWS, "t.txt", fiscal_year=2022)
    assert not any("numbered in turn" in i.message for i in clean.issues)


def test_a_word_the_column_does_not_know_is_an_error() -> None:
    # 継続 is a status word now (a connection still running: a note; tests/test_read8fix_columns.py)
    with pytest.raises(InputError, match="found '休眠'"):
        parse_report(HEAD + ROWS.replace("1\t新規", "1\t休眠"), "t.txt", fiscal_year=2022)


def test_a_table_without_the_column_is_read_by_its_section() -> None:
    report = parse_report(
        HEAD.replace("\t区分", "") + ROWS.replace("\t新規", "").replace("\t廃止", "").replace("\t変更", ""),
        "t.txt",
        fiscal_year=2022,
    )
    assert {c.status for c in report.connections} == {"new"}
    assert not report.combined_lists


def test_which_way_data_flows_is_read_and_reaches_the_graph() -> None:
    from pathlib import Path

    from rdflib import Literal

    from ketsugo.graph.quads import build_graph
    from ketsugo.graph.reference import reference
    from ketsugo.graph.vocab import KG
    from ketsugo.read.metadata import ReportMetadata

    rows = ROWS.replace("\t受領\t令和5年", "\t提供・受領\t令和5年").replace(
        "\t受領\t令和4年12", "\t往復\t令和4年12"
    )
    report = parse_report(HEAD + rows, "t.txt", lenient=True, fiscal_year=2022)
    assert [(c.number, c.direction) for c in report.connections] == [
        (1, "to_party"),
        (2, "both"),
        (4, "to_party"),
    ]
    # the 提供・受領の別 column is a known field now: no warning that it is unknown
    assert not any("unknown column" in i.message for i in report.issues)
    meta = ReportMetadata(
        path=Path("t.txt"), municipality_code="102024", municipality_name="高崎市", fiscal_year=2022
    )
    graph = build_graph(report, meta, reference()).graph
    (ended,) = [c for c in graph.subjects(KG.connectionNumber, Literal(2))]
    assert graph.value(ended, KG.flowDirection) == KG.BothWays
    assert str(graph.value(ended, KG.flowDirectionAsWritten)) == "提供・受領"


def test_a_direction_word_not_known_is_kept_with_a_warning() -> None:
    rows = ROWS.replace("\t提供\t令和4年6月", "\t往復\t令和4年6月")
    report = parse_report(HEAD + rows, "t.txt", fiscal_year=2022)
    first = report.connections[0]
    assert (first.direction, first.direction_as_written) == (None, "往復")
    assert any("which way data flows" in i.message for i in report.issues if i.line == 5)
