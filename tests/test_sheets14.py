"""sheets14: a workbook gathered from its departments, one sheet per 課 (tests/cases/user16b/
otofuke-2024 NOTES.md): the 課 named once by the sheet's title line over its sections, the fiscal
year on a cover line of its own, the summary titled 「外部結合の件数（集計）」, each sheet's tables
counted and said empty on their own. Expectations read by hand from the small texts below."""

from __future__ import annotations

from pathlib import Path

import ketsugo
from ketsugo.read.parser import parse_report

# A made-up town (音更町, 016314) in the layout of a workbook copied sheet by sheet: each 課's sheet
# a title, the 課 on a line of its own, then 「１　新規…」 and 「２　廃止…」 tables with no 課 column.
SHEETS = """外部結合状況報告書（令和6年度）

１　新規に結合したもの

番号\t業務名\t結合の相手方\t結合する記録項目\t結合開始日
1\t電子申請受付事務\t株式会社A\t氏名\t令和6年7月1日

２　廃止したもの

番号\t業務名\t結合の相手方\t廃止年月日
1\t旧電子申請受付事務\t株式会社B\t令和7年3月31日

各課記入用
税務課

１　新規に結合したもの

番号\t業務名\t結合の相手方\t結合する記録項目\t結合開始日
2\t特別徴収税額通知\t地方税共同機構\t氏名、個人番号\t令和6年5月13日

２　廃止したもの

番号\t業務名\t結合の相手方\t廃止年月日
2\t課税資料入力委託\t株式会社C\t令和6年9月30日

学校教育課

１　新規に結合したもの

番号\t業務名\t結合の相手方\t結合する記録項目\t結合開始日
3\t学習支援\t株式会社D\t児童生徒氏名\t令和6年4月1日
"""


def _first_sheet(department: str) -> str:
    """SHEETS with the first sheet's 課 on a line of its own under the report's title."""
    return SHEETS.replace("\n\n１　新規", f"\n{department}\n\n１　新規", 1)


def test_a_department_line_over_a_sheets_sections_gives_its_rows_department() -> None:
    report = parse_report(_first_sheet("総務課"), "r.txt")  # strict: no error (no 課 column)
    found = {(c.status, c.number): c.departments_as_written for c in report.connections}
    assert found == {
        ("new", 1): "総務課",
        ("ended", 1): "総務課",
        ("new", 2): "税務課",
        ("ended", 2): "税務課",
        ("new", 3): "学校教育課",
    }
    infos = [i for i in report.issues if "department heading over the sections below" in i.message]
    assert [i.line for i in infos] == [2, 15, 27]
    # the first sheet's 課 is no "text before the tables"
    assert not [i for i in report.issues if i.line == 2 and "text before the tables" in i.message]


def test_without_a_department_line_the_table_still_lacks_its_column() -> None:
    import pytest

    from ketsugo.errors import InputError

    with pytest.raises(InputError) as raised:
        parse_report(SHEETS.replace("税務課\n", "").replace("学校教育課\n", ""), "r.txt")
    assert "required column missing" in str(raised.value)


def test_a_table_with_its_own_department_column_keeps_it() -> None:
    text = _first_sheet("総務課").replace(
        "番号\t業務名\t結合の相手方\t結合する記録項目\t結合開始日\n2\t",
        "番号\t担当課\t業務名\t結合の相手方\t結合する記録項目\t結合開始日\n2\t市民税係\t",
        1,
    )
    report = parse_report(text, "r.txt")
    found = {(c.status, c.number): c.departments_as_written for c in report.connections}
    assert found[("new", 2)] == "市民税係"
    assert found[("ended", 2)] == "税務課"


def test_the_departments_agency_is_derived(tmp_path: Path) -> None:
    path = tmp_path / "otofuke.txt"
    summary = "（１）件数\n実施機関\t新規\t廃止\n町長\t2\t2\n教育委員会\t1\t0\n\n"
    title, rest = _first_sheet("総務課").split("\n", 1)
    text = f"{title}\n\n{summary}{rest}"  # the board of education listed
    path.write_text(text, encoding="utf-8")
    kg = ketsugo.build([path], municipality="016314")
    rows = kg.sparql(
        "SELECT ?n ?s ?a WHERE { ?c kg:connectionNumber ?n ; kg:status ?s ; kg:implementingAgency ?a }"
    )
    agencies = {(str(r["s"]).rsplit("#", 1)[-1], r["n"]): str(r["a"]).rsplit("/", 1)[-1] for r in rows}
    assert agencies == {
        ("NewConnection", 1): "mayor",
        ("EndedConnection", 1): "mayor",
        ("NewConnection", 2): "mayor",
        ("EndedConnection", 2): "mayor",
        ("NewConnection", 3): "board-of-education",
    }


def _year(opening: str) -> int | None:
    """The fiscal year read from SHEETS with its title line replaced by ``opening``."""
    text = opening + _first_sheet("総務課").split("\n", 1)[1]
    return parse_report(text, "r.txt").fiscal_year


def test_a_fiscal_year_on_a_cover_line_of_its_own() -> None:
    assert _year("外部電子計算機との結合状況報告書\n\n令和６年度\n\n音更町\n") == 2024
    assert _year("外部電子計算機との結合状況報告書\n（令和５年度）\n") == 2023


def test_a_fiscal_year_opening_a_sheets_title() -> None:
    # the first line (the cover's title) names no year; the first sheet's title does
    assert _year("外部電子計算機との結合状況報告書\n\n令和６年度　外部結合状況報告書（各課記入用）\n") == 2024


def test_a_fiscal_year_inside_a_sentence_or_disagreeing_lines_give_none() -> None:
    assert _year("外部結合状況報告書\n本報告書は令和6年度の結合をまとめたものです。\n") is None
    assert _year("外部結合状況報告書\n令和５年度\n令和６年度\n") is None
    # a heading naming the year still decides over a cover line
    assert _year("令和５年度　外部結合状況報告書\n令和６年度\n") == 2023


COVER_AND_SUMMARY = """外部電子計算機との結合状況報告書

令和６年度

外部結合の件数（集計）

実施機関\t令和5年度末件数\t新規結合\t結合廃止\t令和6年度末件数\tうち特定個人情報を含むもの
町長\t38\t12\t4\t46\t17
教育委員会\t4\t2\t0\t6\t0
合計\t42\t14\t4\t52\t17

"""


def test_a_summary_titled_without_a_number_and_with_a_remark_in_brackets() -> None:
    text = COVER_AND_SUMMARY + _first_sheet("総務課").split("\n", 1)[1]
    report = parse_report(text, "r.txt")
    counts = {s.agency: (s.previous, s.new, s.ended, s.current, s.specific) for s in report.summary}
    assert counts["町長"] == (38, 12, 4, 46, 17)
    assert counts["教育委員会"] == (4, 2, 0, 6, 0)
    assert report.fiscal_year == 2024
    assert not [i for i in report.issues if i.line <= 10 and i.severity != "info"]  # the summary's lines


def test_a_row_with_no_number_marked_withdrawn_is_not_read() -> None:
    row = "\t固定資産税評価替え\t株式会社E\t氏名\t令和6年6月1日\t取下げ（外部結合に該当せず）"
    text = (
        _first_sheet("総務課")
        .replace("結合開始日\n1\t", "結合開始日\t備考\n1\t", 1)
        .replace("令和6年7月1日\n", f"令和6年7月1日\t\n{row}\n", 1)
    )
    report = parse_report(text, "r.txt")  # strict: no error
    assert sorted((c.status, c.number) for c in report.connections)[:2] == [("ended", 1), ("ended", 2)]
    assert len([c for c in report.connections if c.status == "new"]) == 3
    warned = [i for i in report.issues if "withdrawn" in i.message]
    assert [(i.severity, i.line) for i in warned] == [("warning", 8)]
    assert any(line == 8 for line, _ in report.unread_lines)  # kept as written


def test_a_row_with_no_number_and_no_such_word_is_still_refused() -> None:
    import pytest

    from ketsugo.errors import InputError

    row = "\t固定資産税評価替え\t株式会社E\t氏名\t令和6年6月1日"
    text = _first_sheet("総務課").replace("令和6年7月1日\n", f"令和6年7月1日\n{row}\n", 1)
    with pytest.raises(InputError, match="expected a connection number"):
        parse_report(text, "r.txt")


def _counted(text: str) -> list[str]:
    """The warnings of the strict reading of ``text`` about count lines and 該当なし."""
    report = parse_report(text, "r.txt")
    return [
        i.message
        for i in report.issues
        if i.severity == "warning" and ("count line" in i.message or "says" in i.message)
    ]


# Three sheets: the second's 廃止 table says 該当なし and counts 0; the others count their own rows.
COUNTED = (
    _first_sheet("総務課")
    .replace("令和6年7月1日\n", "令和6年7月1日\n計\t1件\n", 1)
    .replace("令和7年3月31日\n", "令和7年3月31日\n計\t1件\n", 1)
    .replace("2\t課税資料入力委託\t株式会社C\t令和6年9月30日\n", "\t該当なし\t\t\n計\t0件\n", 1)
    .replace("令和6年5月13日\n", "令和6年5月13日\n計\t1件\n", 1)
    .replace(
        "令和6年4月1日\n",
        "令和6年4月1日\n計\t1件\n\n２　廃止したもの\n\n番号\t業務名\t結合の相手方\t廃止年月日\n2\t学籍管理\t株式会社F\t令和6年12月1日\n計\t1件\n",
        1,
    )
)


def test_each_sheets_count_line_and_empty_statement_speak_of_its_own_table() -> None:
    assert _counted(COUNTED) == []
    report = parse_report(COUNTED, "r.txt")
    assert [s.text for s in report.statements] == ["該当なし"]
    # the line 「|該当なし|…」 under the header row is no second header line
    assert not [i for i in report.issues if "header row continued" in i.message]


def test_a_count_line_disagreeing_with_its_own_table_is_still_said() -> None:
    text = COUNTED.replace("計\t0件", "計\t1件", 1)
    assert len(_counted(text)) == 1
    text = COUNTED.replace("令和6年12月1日\n計\t1件", "令和6年12月1日\n計\t2件", 1)
    assert len(_counted(text)) == 1


def test_a_sheets_title_and_name_above_its_department_line_are_its_heading() -> None:
    # Excel's copy of the workbook: each sheet's name, then its title, then the 課 line
    text = COUNTED.replace(
        "各課記入用\n税務課\n", "税務課\n令和６年度　外部結合状況報告書（各課記入用）\n税務課\n", 1
    )
    report = parse_report(text, "r.txt")
    assert not [i for i in report.issues if "not understood" in i.message]
    said = [i.as_written for i in report.issues if "the heading of a department's sheet" in i.message]
    assert said == ["税務課", "令和６年度　外部結合状況報告書（各課記入用）"]
    assert {c.number: c.departments_as_written for c in report.connections if c.status == "new"}[
        2
    ] == "税務課"
    # the report's first line stays its title
    assert report.title == "外部結合状況報告書（令和6年度）"


def test_a_cards_department_field_over_its_next_field_is_no_heading_over_sections() -> None:
    from ketsugo.read.deptscopes import take_department_scopes
    from ketsugo.read.layout import ParseState

    card = [
        "第２　新たに結合したもの",
        "１　住民票のコンビニ交付",
        "（１）実施機関　市長",
        "（２）担当課　市民課",
    ]
    card += ["（３）結合先　地方公共団体情報システム機構", "（４）開始日　令和６年５月７日"]
    state = ParseState("r.txt", lenient=False)
    lines = list(enumerate(card, start=1))
    assert take_department_scopes(lines, state) == lines
    assert state.department_scopes == []
