"""Loose headers (区分, 結合の形態) name the status / direction column only when their cells are
that column's words (headers.toml ``columns_by_cells``); otherwise they are unknown columns, kept
as written. Expectations read off the rows by hand."""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report

TITLE = "外部電子計算機との結合の状況（令和4年度）\n\n(2) 令和4年度に新たに開始した外部結合\n"
HEAD = "No.\t区分\t担当課\t業務名\t記録項目\t結合の相手方\t結合の形態\t開始年月日\n"


def _rows(kinds: tuple[str, str, str], lines: tuple[str, str, str]) -> str:
    return (
        f"1\t{kinds[0]}\t市民課\t戸籍事務\t氏名、本籍\t法務省\t{lines[0]}\t令和4年6月1日\n"
        f"2\t{kinds[1]}\t納税課\t収納事務\t納付番号\t株式会社A\t{lines[1]}\t令和4年7月1日\n"
        f"3\t{kinds[2]}\t学校教育課\t校務支援\t児童生徒氏名\t株式会社B\t{lines[2]}\t令和4年8月22日\n"
    )


def test_a_kubun_column_of_other_words_is_an_unknown_column_and_the_table_builds() -> None:
    text = TITLE + HEAD + _rows(("委託", "提供", "照会"), ("専用回線", "LGWAN", "インターネット"))
    report = parse_report(text, "t.txt", fiscal_year=2022)
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "new"), (3, "new")]
    unknown = {i.field for i in report.issues if "unknown column" in i.message}
    assert unknown == {"区分", "結合の形態"}
    first = report.connections[0]
    assert [(c.header, c.text) for c in first.extra_cells] == [("区分", "委託"), ("結合の形態", "専用回線")]
    # 結合の形態 naming the kind of line is no direction: nothing read, nothing warned about
    assert all(c.direction is None and c.direction_as_written is None for c in report.connections)
    assert not any("which way data flows" in i.message for i in report.issues)
    assert not report.combined_lists


def test_a_kubun_column_of_status_words_still_says_new_or_ended() -> None:
    text = TITLE + HEAD + _rows(("新規", "廃止", "新規"), ("提供", "受領", "提供・受領"))
    report = parse_report(text, "t.txt", fiscal_year=2022)
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "ended"), (3, "new")]
    # 結合の形態 whose cells are 提供 / 受領 is the direction column
    assert [c.direction for c in report.connections] == ["to_party", "from_party", "both"]
    assert not any("unknown column" in i.message for i in report.issues)


def test_a_continued_row_is_a_continuing_connection_neither_new_nor_ended() -> None:
    # design changed (csv12, docs/model.md "Continuing connections"): a 継続 row is a connection in
    # force, read with status "continuing" (it was a note with a warning before)
    text = TITLE + HEAD + _rows(("新規", "継続", "廃止"), ("提供", "受領", "提供"))
    report = parse_report(text, "t.txt", fiscal_year=2022)
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "continuing"), (3, "ended")]
    assert not report.section_notes
    (info,) = [i for i in report.issues if i.line == 6 and i.field == "区分"]
    assert info.severity == "info" and "continuing connection" in info.message
    # its one date column is its start date (it began in an earlier year), never an end date
    continuing = report.connections[1]
    assert continuing.start_date_as_written == "令和4年7月1日" and continuing.end_date is None


def test_one_unknown_word_among_status_words_is_still_an_error() -> None:
    text = TITLE + HEAD + _rows(("新規", "廃止", "不明"), ("提供", "受領", "提供"))
    with pytest.raises(InputError, match="found '不明'"):
        parse_report(text, "t.txt", fiscal_year=2022)


def test_a_kubun_column_of_direction_words_is_the_direction() -> None:
    head = HEAD.replace("\t結合の形態", "")
    rows = "".join(
        line.rsplit("\t", 2)[0] + "\t" + line.rsplit("\t", 1)[1] + "\n"
        for line in _rows(("提供", "受領", "提供・受領"), ("x", "x", "x")).splitlines()
    )
    report = parse_report(TITLE + head + rows, "t.txt", fiscal_year=2022)
    assert [(c.number, c.status, c.direction) for c in report.connections] == [
        (1, "new", "to_party"),
        (2, "new", "from_party"),
        (3, "new", "both"),
    ]


def test_a_remarks_column_is_kept_with_an_info_not_a_warning() -> None:
    """備考 is a column reports are expected to have (the report's own notes): its cells are kept as
    written like an unknown column's, with an info; a column nobody knows still warns."""
    head = "No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日\t備考\t作業欄\n"
    rows = (
        "1\t市民課\t戸籍事務\t氏名、本籍\t法務省\t令和4年6月1日\t緊急のため事後報告\t済\n"
        "2\t納税課\t収納事務\t納付番号\t株式会社A\t令和4年7月1日\t\t\n"
    )
    report = parse_report(TITLE + head + rows, "t.txt", fiscal_year=2022)
    by_field = {i.field: i.severity for i in report.issues if "column: its cells are kept" in i.message}
    assert by_field == {"備考": "info", "作業欄": "warning"}
    first = report.connections[0]
    assert [(c.header, c.text) for c in first.extra_cells] == [
        ("備考", "緊急のため事後報告"),
        ("作業欄", "済"),
    ]
