"""Columns a header row lacks, the header text cells carry, and the lines of sections (2) and (3)
that are not table rows: statements (実績はありません。), subtitles and ※ notes.

Each case is the small valid report (tests/cases/malformed/valid.txt) with one thing changed.
"""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report, Statement
from tests.conftest import CASES

VALID = (CASES / "malformed" / "valid.txt").read_text(encoding="utf-8")
HEADER_LINE = 15  # the connection header row of valid.txt
SECTION_2 = "(2)新たに外部計算機との結合を行った外部結合の内訳"
SECTION_3 = "(3) 外部計算機との結合を終了した外部結合の内訳"


def _without_column(text: str, header: str) -> str:
    """``text`` with the column named ``header`` taken out of the connection table."""
    lines = text.split("\n")
    cells = lines[HEADER_LINE - 1].split("\t")
    index = cells.index(header)
    width = len(cells)
    out = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) == width:
            del fields[index]
        out.append("\t".join(fields))
    return "\n".join(out)


def _warnings(report: Report) -> list[tuple[int, str, str]]:
    return [(i.line, i.field, i.message) for i in report.issues if i.severity == "warning"]


# --- a column the header row lacks is unknown, not blank ------------------------------------------


def test_missing_specific_personal_information_column_is_unknown_not_false() -> None:
    report = parse_report(_without_column(VALID, "特定個人情報の有無"), "r.txt")
    assert [c.specific_personal_information for c in report.connections] == [None, None, None]
    assert [c.specific_personal_information_as_written for c in report.connections] == [None, None, None]
    assert _warnings(report) == [
        (
            HEADER_LINE,
            "特定個人情報の有無",
            "column 特定個人情報の有無 not in the header: its values are unknown",
        )
    ]


def test_a_blank_cell_under_the_column_is_still_false() -> None:
    report = parse_report(VALID, "r.txt")
    assert [c.specific_personal_information for c in report.connections] == [False, True, False]
    assert [c.specific_personal_information_as_written for c in report.connections] == ["", "○", ""]
    assert _warnings(report) == []


@pytest.mark.parametrize(
    ("header", "attributes"),
    [
        ("外部結合を行った理由", ("reason",)),
        ("外部結合による処理対象者", ("subjects",)),
        ("条例根拠", ("legal_basis",)),
    ],
)
def test_every_optional_column_missing_is_none(header: str, attributes: tuple[str, ...]) -> None:
    report = parse_report(_without_column(VALID, header), "r.txt")
    for attribute in attributes:
        assert [getattr(c, attribute) for c in report.connections] == [None, None, None]
    assert _warnings(report) == [
        (HEADER_LINE, header, f"column {header} not in the header: its values are unknown")
    ]


def test_missing_column_is_warned_once_however_often_the_header_repeats() -> None:
    lines = _without_column(VALID, "特定個人情報の有無").split("\n")
    header, first_row = lines[HEADER_LINE - 1], lines[HEADER_LINE]
    lines[HEADER_LINE + 3 : HEADER_LINE + 3] = ["", header, "4" + first_row.removeprefix("1")]
    report = parse_report("\n".join(lines), "r.txt")
    assert [c.number for c in report.connections] == [1, 2, 3, 4]
    assert [c.specific_personal_information for c in report.connections] == [None] * 4
    assert [w for w in _warnings(report) if "not in the header" in w[2]] == [
        (
            HEADER_LINE,
            "特定個人情報の有無",
            "column 特定個人情報の有無 not in the header: its values are unknown",
        )
    ]


def test_no_end_date_among_new_connections_and_no_start_date_among_ended_ones_are_expected() -> None:
    """Section (2) has no end-date column, section (3) often no start-date column: no warning."""
    report = parse_report((CASES / "reordered" / "report.txt").read_text(encoding="utf-8"), "r.txt")
    assert not [w for w in _warnings(report) if "not in the header" in w[2]]
    new = [c for c in report.connections if c.status == "new"]
    ended = [c for c in report.connections if c.status == "ended"]
    assert {(c.end_date_as_written, c.end_date_note) for c in new} == {(None, None)}
    assert {(c.start_date_as_written, c.start_date_note) for c in ended} == {(None, None)}
    assert ended[0].end_date_as_written == "R3.3.31" and ended[0].end_date_note == ""


def test_cells_carry_the_header_as_written_and_the_field_they_fill() -> None:
    text = VALID.replace("\t結合を行った課\t", "\t担当課\t", 1)
    report = parse_report(text, "r.txt")
    row = report.connections[0]
    assert row.departments_as_written == "総務課"
    assert row.header_of("departments") == "担当課"
    assert row.header_of("counterparties") == "結合の相手方"
    assert row.header_of("end_date") == ""
    cell = row.cell("departments")
    assert cell is not None and (cell.header, cell.field, cell.column, cell.line) == (
        "担当課",
        "departments",
        2,
        16,
    )
    assert [c.field for c in row.cells] == [
        "number",
        "departments",
        "business",
        "reason",
        "subjects",
        "items",
        "specific",
        "legal_basis",
        "counterparties",
        "start_date",
    ]
    assert [c.field for c in report.summary[0].cells] == [
        "agency",
        "previous",
        "new",
        "ended",
        "current",
        "specific",
    ]


def test_headers_are_matched_by_the_one_match_key() -> None:
    """Case, width and white space do not matter in a header: ｎｏ. and NO. and No. are one."""
    text = VALID.replace("No.\t結合を行った課", "ｎｏ．\t結合を 行った課", 1)
    report = parse_report(text, "r.txt")
    assert [c.number for c in report.connections] == [1, 2, 3]
    assert report.connections[0].header_of("departments") == "結合を 行った課"


# --- statements, subtitles and notes in sections (2) and (3) --------------------------------------


def test_a_line_that_only_contains_nashi_is_not_a_statement() -> None:
    line = "上記のほか該当なしの課もある"
    text = VALID.replace(SECTION_2 + "\n", f"{SECTION_2}\n{line}\n", 1)
    report = parse_report(text, "r.txt")
    assert report.unread_lines == ((14, line),)
    assert (14, "", "line not understood; kept as written in the graph") in _warnings(report)
    assert report.statements == (Statement(3, 23, "実績はありません。"),)
    assert report.ended_connections_statement == "実績はありません。"


def test_the_statement_of_each_section_is_kept() -> None:
    text = VALID.replace(SECTION_3 + "\n\n実績はありません。", SECTION_3 + "\n\n該当なし", 1)
    text = text.split(SECTION_2)[0] + SECTION_2 + "\n\nなし。\n\n" + SECTION_3 + text.split(SECTION_3)[1]
    report = parse_report(text, "r.txt")
    assert report.connections == ()
    assert report.statements == (Statement(2, 15, "なし。"), Statement(3, 19, "該当なし"))
    assert report.ended_connections_statement == "該当なし"
    assert report.unread_lines == ()


@pytest.mark.parametrize("line", ["実績はありません。", "実績はありません", "　なし ", "該当はありません。"])
def test_whole_line_statements(line: str) -> None:
    text = VALID.replace("実績はありません。", line, 1)
    report = parse_report(text, "r.txt")
    assert report.statements == (Statement(3, 22, line.strip()),)


def test_notes_in_sections_2_and_3_are_kept_with_their_lines() -> None:
    text = VALID.replace(SECTION_2 + "\n", f"{SECTION_2}\n※ 変更なし\n", 1)
    text = text.replace("実績はありません。", "実績はありません。\n＊本人同意に基づくものを除く。", 1)
    report = parse_report(text, "r.txt")
    assert report.section_notes == ((14, "※ 変更なし"), (24, "＊本人同意に基づくものを除く。"))
    assert report.unread_lines == ()
    assert report.statements == (Statement(3, 23, "実績はありません。"),)


def test_a_statement_beside_rows_is_kept_and_warned_about() -> None:
    text = VALID.replace(SECTION_2 + "\n", f"{SECTION_2}\n該当なし\n", 1)
    report = parse_report(text, "r.txt")
    assert len(report.connections) == 3
    assert Statement(2, 14, "該当なし") in report.statements
    assert (14, "", "section (2) says '該当なし' but has 3 row(s) (line 17 …): both are kept") in _warnings(
        report
    )


def test_nothing_in_sections_2_and_3_disappears() -> None:
    """Every non-blank line is a row, a header, a statement, a note or an unread line."""
    extra = ["該当なし", "上記以外なし", "※ 注記", "（再掲）", "その他"]
    text = VALID.replace("実績はありません。", "\n".join(extra), 1)
    report = parse_report(text, "r.txt", lenient=True)
    lines = text.split("\n")
    accounted = {c.line for c in report.connections}
    accounted |= {s.line for s in report.statements}
    accounted |= {n for n, _ in report.section_notes}
    accounted |= {n for n, _ in report.unread_lines}
    accounted |= {n for n, line in enumerate(lines, 1) if line.startswith(("No.", "(", "（"))}
    section_2 = lines.index(SECTION_2) + 1
    wanted = {n for n, line in enumerate(lines, 1) if n > section_2 and line.strip()}
    assert wanted <= accounted


def test_required_column_missing_is_still_an_error() -> None:
    with pytest.raises(InputError) as caught:
        parse_report(_without_column(VALID, "結合の相手方"), "r.txt")
    assert [i.message for i in caught.value.issues] == [
        "required column missing from the header row: expected a cell named "
        "結合の相手方 / 相手方 / 提供先 / 接続先 / 結合先 / 結合の相手先 / 相手先 / 相手 / 結合相手 / 提供・受領先"
    ]


def test_an_unknown_section_keeps_its_heading_as_an_unread_line() -> None:
    text = VALID + "\n(4) 参考\n本人同意に基づく結合"
    report = parse_report(text, "r.txt")
    assert report.unread_lines == ((24, "(4) 参考"), (25, "本人同意に基づく結合"))
    assert [w[0] for w in _warnings(report)] == [24, 25]
