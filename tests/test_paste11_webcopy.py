"""A web page's tables selected in a browser and pasted as text (tests/cases/user10b NOTES causes 7–9):
cells apart by a tab, a cell's <br> and <li> lines on lines of their own with nothing between them,
a cell spanning rows (rowspan) on the first of its rows only. Made-up tables written for these
tests; every expected value is read by hand from the text below."""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report

HEADER = "No.\t所管課\t事務の名称\t結合先\t記録項目\t個人番号利用事務\t開始年月日\t審査会"


def page(*rows: str) -> str:
    return "\n".join(["令和6年度 外部結合の状況", "2. 新たに開始した結合", HEADER, *rows, ""])


def connections(text: str, *, lenient: bool = False):
    report = parse_report(text, "copy.txt", lenient=lenient, fiscal_year=2024)
    return report, {c.number: c for c in report.connections}


# --- a cell spanning rows, written on its first row only --------------------------------------

SPANNED = page(
    "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名、住所\t－\t令和6年4月1日\t答申",
    "2\t印鑑登録証明事務\t株式会社かみやまシステム\t氏名、印鑑登録番号\t該当\t令和6年5月1日\t",
    "3\t税務課\t課税事務\t地方税共同機構\t氏名、所得\t該当\tR6.6.1\t報告",
)


def test_a_row_under_a_spanning_cell_takes_it_from_the_row_above() -> None:
    report, rows = connections(SPANNED)  # strict: read without an error
    assert rows[2].departments_as_written == "市民課"
    assert rows[2].business == "印鑑登録証明事務"
    assert rows[2].counterparties_as_written == "株式会社かみやまシステム"
    assert rows[2].specific_personal_information is True
    assert rows[2].start_date_as_written == "令和6年5月1日"
    assert rows[3].departments_as_written == "税務課"
    (carried,) = [i for i in report.issues if "taken from the row above" in i.message]
    assert (carried.line, carried.severity, carried.field) == (5, "info", "所管課")
    assert "市民課" in carried.message


def test_a_short_row_reading_as_well_as_it_stands_is_not_carried() -> None:
    # the row's cells fit their columns as they stand: its last cell (審査会) was left off
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名\t－\t令和6年4月1日\t答申",
        "2\t市民課\t印鑑登録証明事務\t株式会社かみやまシステム\t氏名\t該当\t令和6年5月1日",
    )
    report, rows = connections(text)
    assert rows[2].business == "印鑑登録証明事務"
    assert not [i for i in report.issues if "taken from the row above" in i.message]


def test_no_carry_into_a_column_that_never_spans() -> None:
    # the row lacks its date: no cell of a number, a flag or a date is ever taken from above
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名\t－\t令和6年4月1日\t答申",
        "2\t市民課\t印鑑登録証明事務\t株式会社かみやまシステム\t氏名\t該当\t答申",
    )
    with pytest.raises(InputError):
        connections(text)


# --- a cell's <br> / <li> lines ------------------------------------------------------------

LISTED = page(
    "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名",
    "生年月日",
    "性別",
    "本籍\t－\t令和6年4月1日\t令和6年3月19日",
    "第4回審査会",
    "答申",
)


def test_items_one_a_line_are_items() -> None:
    _report, rows = connections(LISTED)
    assert [i.name for i in rows[1].items.items] == ["氏名", "生年月日", "性別", "本籍"]
    assert rows[1].legal_basis is not None and rows[1].legal_basis.decision is not None
    assert rows[1].legal_basis.decision.meeting == 4


def test_items_wrapped_in_a_box_stay_one_text() -> None:
    # a PDF's text: the item's lines are as wide as the box but the last one
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t住民基本台帳ネット",
        "ワーク\t－\t令和6年4月1日\t答申",
    )
    _report, rows = connections(text)
    assert [i.name for i in rows[1].items.items] == ["住民基本台帳ネットワーク"]


def test_items_lines_that_may_be_run_together_are_warned_about() -> None:
    # wide over narrow, no separator anywhere: as a box wraps text, or as a web page lists two items
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t生年月日",
        "氏名\t－\t令和6年4月1日\t答申",
    )
    report, rows = connections(text)
    assert [i.name for i in rows[1].items.items] == ["生年月日氏名"]
    (warning,) = [i for i in report.issues if "items may be joined" in i.message]
    assert warning.severity == "warning" and ".html" in warning.message


# --- a qualifier in brackets on a line of its own, under a complete row ------------------------


def test_a_parenthesis_alone_on_the_next_line_is_the_last_cells_rest() -> None:
    text = page(
        "1\t税務課\t給与支払報告書受付事務\t地方税共同機構\t氏名、個人番号\t該当\tR6.5.15\t諮問不要",
        "（地方税法第317条の6第1項）",
        "2\t税務課\t課税事務\t国税庁\t氏名\t該当\tR6.6.1\t報告",
    )
    _report, rows = connections(text)
    basis = rows[1].legal_basis
    assert basis is not None
    assert basis.as_written == "諮問不要（地方税法第317条の6第1項）"
    assert [(s.law_name, s.article) for s in basis.statutes] == [("地方税法", "317の6")]


def test_a_note_under_the_table_is_no_cells_rest() -> None:
    text = page(
        "1\t税務課\t課税事務\t国税庁\t氏名\t該当\tR6.6.1\t報告",
        "（注）審査会欄の「報告」は事後報告です。",
    )
    report, rows = connections(text)
    assert rows[1].legal_basis is not None and rows[1].legal_basis.as_written == "報告"
    assert any("（注）審査会欄" in note for _, note in report.section_notes)


def test_a_short_row_not_carried_points_at_the_page_itself() -> None:
    # the row lacks its date, which never spans: an error, and a warning naming the way out
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名\t－\t令和6年4月1日\t答申",
        "2\t市民課\t印鑑登録証明事務\t株式会社かみやまシステム\t氏名\t該当\t答申",
    )
    report, _ = connections(text, lenient=True)
    (hint,) = [i for i in report.issues if "build the page itself (.html)" in i.message]
    assert (hint.line, hint.severity) == (5, "warning")
    assert any(i.severity == "error" and i.line == 5 for i in report.issues)


# --- a paragraph break inside a cell (<br><br>): a blank line in the copy ----------------------


def test_a_blank_line_inside_a_cell_does_not_end_the_row() -> None:
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名",
        "",
        "住所\t－\t令和6年4月1日\t答申",
    )
    _report, rows = connections(text)  # strict: the row is read whole
    assert [i.name for i in rows[1].items.items] == ["氏名", "住所"]
    assert rows[1].start_date_as_written == "令和6年4月1日"


def test_a_blank_line_under_a_complete_row_still_ends_it() -> None:
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名\t－\t令和6年4月1日\t答申",
        "",
        "（注）審査会欄の「答申」は審査会の答申を受けたものです。",
    )
    report, rows = connections(text)
    assert rows[1].legal_basis is not None and rows[1].legal_basis.as_written == "答申"
    assert any("（注）" in note for _, note in report.section_notes)


# --- the summary's letter row under a header cell spanning both lines ---------------------------


def test_letters_under_counts_when_the_agency_cell_spans_both_header_lines() -> None:
    text = "\n".join(
        [
            "令和6年度 外部結合の状況",
            "1. 結合の件数",
            "実施機関\t前年度末の結合数\t新たな結合数\t終了した結合数\t本年度末の結合数\tうち特定個人情報",
            "a\tb\tc\ta+b-c",  # no cell under 実施機関: the copy wrote it on the first line only
            "町長\t6\t3\t1\t8\t1",
            "2. 新たに開始した結合",
            HEADER,
            "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名\t－\t令和6年4月1日\t答申",
            "",
        ]
    )
    report = parse_report(text, "copy.txt", fiscal_year=2024)  # strict
    (row,) = report.summary
    assert row.agency == "町長"
    assert (row.previous, row.new, row.ended, row.current) == (6, 3, 1, 8)


def test_a_partys_address_on_the_line_under_its_name_is_its_address() -> None:
    text = page(
        "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構",
        "東京都千代田区一番町25番地\t氏名\t－\t令和6年4月1日\t答申",
        "2\t税務課\t課税事務\t株式会社あおば情報",
        "サービス\t氏名\t該当\tR6.6.1\t報告",
    )
    _report, rows = connections(text)
    assert rows[1].counterparties_as_written == "地方公共団体情報システム機構（東京都千代田区一番町25番地）"
    assert rows[2].counterparties_as_written == "株式会社あおば情報サービス"  # a name wrapped: one name
