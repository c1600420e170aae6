"""Reports worded as other municipalities write them (issue 9, parts 4-6): hand-made texts,
each expectation read off the text by hand."""

from __future__ import annotations

from datetime import date

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import headers, match_field, parse_report

T = "\t"


def row(*cells: str) -> str:
    return T.join(cells)


SUMMARY = "\n".join(
    [
        "令和3年度 外部電子計算機との結合の報告",
        "",
        "１ 実施機関別の外部結合の件数",
        row("実施機関", "令和2年度末", "新規", "終了", "令和3年度末"),
        row("市長", "10", "1", "1", "10"),
        row("教育委員会", "3", "0", "0", "3"),
        row("選挙管理委員会", "1", "0", "0", "1"),
        row("監査委員", "0", "0", "0", "0"),
        row("農業委員会", "0", "0", "0", "0"),
        row("公営企業管理者", "2", "0", "0", "2"),
        row("消防長", "1", "0", "0", "1"),
        row("議会", "0", "0", "0", "0"),
        row("合計", "17", "1", "1", "17"),
        "",
    ]
)

NEW_HEADER = row(
    "番号",
    "所管課",
    "事務事業名",
    "結合の目的",
    "対象者の範囲",
    "記録項目",
    "マイナンバーの有無",
    "根拠",
    "提供先",
    "運用開始日",
)
NEW_ROW = row(
    "1",
    "市民課",
    "住民票写しのコンビニ交付",
    "住民の利便性の向上",
    "住民",
    "「氏名、住所、生年月日等」",
    "有",
    "令和３年度第２回情報公開・個人情報保護審議会答申",
    "地方公共団体情報システム機構",
    "令和三年十月一日",
)
ENDED_HEADER = row("No.", "課", "業務名", "相手方", "終了年月日")
ENDED_ROW = row("1", "保険年金課", "国保資格照会", "国民健康保険中央会", "2021/3/31")


def report(*sections: str) -> str:
    return "\n".join([SUMMARY, *sections, ""])


NEW_SECTION = "\n".join(["２ 新たに外部結合を行ったもの", NEW_HEADER, NEW_ROW, ""])
ENDED_SECTION = "\n".join(["３ 外部結合を終了したもの", ENDED_HEADER, ENDED_ROW, ""])


def test_summary_with_other_agencies_keeps_their_names() -> None:
    parsed = parse_report(report(NEW_SECTION, ENDED_SECTION), "r.txt")
    assert [(r.agency, r.previous, r.new, r.ended, r.current) for r in parsed.summary] == [
        ("市長", 10, 1, 1, 10),
        ("教育委員会", 3, 0, 0, 3),
        ("選挙管理委員会", 1, 0, 0, 1),
        ("監査委員", 0, 0, 0, 0),
        ("農業委員会", 0, 0, 0, 0),
        ("公営企業管理者", 2, 0, 0, 2),
        ("消防長", 1, 0, 0, 1),
        ("議会", 0, 0, 0, 0),
        ("合計", 17, 1, 1, 17),
    ]
    assert [r.is_total for r in parsed.summary] == [False] * 8 + [True]


def test_other_header_wordings_fill_the_fields() -> None:
    parsed = parse_report(report(NEW_SECTION, ENDED_SECTION), "r.txt")
    new = next(c for c in parsed.connections if c.status == "new")
    assert (new.number, new.departments_as_written, new.business) == (1, "市民課", "住民票写しのコンビニ交付")
    assert (new.reason, new.subjects) == ("住民の利便性の向上", "住民")
    assert [i.name for i in new.items.items] == ["氏名", "住所", "生年月日"]
    assert new.items.open_ended is True
    assert new.specific_personal_information is True
    decision = new.legal_basis.decision
    assert (decision.fiscal_year, decision.meeting, decision.decision, decision.council) == (
        2021,
        2,
        "答申",
        "情報公開・個人情報保護審議会",
    )
    assert new.counterparties_as_written == "地方公共団体情報システム機構"
    assert new.start_date == date(2021, 10, 1)
    assert parsed.fiscal_year == 2021


def test_ended_table_with_five_columns() -> None:
    parsed = parse_report(report(NEW_SECTION, ENDED_SECTION), "r.txt")
    ended = next(c for c in parsed.connections if c.status == "ended")
    assert (ended.number, ended.line) == (1, 21)
    assert (ended.departments_as_written, ended.business) == ("保険年金課", "国保資格照会")
    assert ended.counterparties_as_written == "国民健康保険中央会"
    assert (ended.end_date, ended.start_date) == (date(2021, 3, 31), None)
    assert (ended.items_as_written, ended.reason, ended.subjects, ended.legal_basis) == (
        None,
        None,
        None,
        None,
    )
    assert ended.specific_personal_information is None
    assert ended.items.items == ()
    # no warning about the columns an ended table does not carry
    assert [i for i in parsed.issues if i.line == 20] == []


@pytest.mark.parametrize(
    "header",
    [
        row("No.", "課", "業務名", "相手方", "結合の終了年月日"),
        row("No.", "担当課", "業務名", "結合先", "終了日"),
        row("番号", "所管課", "事務事業名", "接続先", "廃止年月日"),
        row("No.", "業務名", "提供先", "結合終了年月日"),
    ],
)
def test_ended_header_wordings(header: str) -> None:
    width = header.count(T) + 1
    cells = ["2", "介護保険課", "要介護認定", "国保連合会", "R3.3.31"]
    line = row(*(cells if width == 5 else [cells[0], cells[2], cells[3], cells[4]]))
    ended = "\n".join(["３ 外部結合を終了したもの", header, line, ""])
    parsed = parse_report(report(NEW_SECTION, ended), "r.txt")
    got = next(c for c in parsed.connections if c.status == "ended")
    assert (got.number, got.business, got.end_date) == (2, "要介護認定", date(2021, 3, 31))


def test_ended_table_without_departments_or_business_is_an_error() -> None:
    ended = "\n".join(
        ["３ 外部結合を終了したもの", row("No.", "相手方", "終了年月日"), row("1", "A社", "R3.3.31"), ""]
    )
    with pytest.raises(InputError) as caught:
        parse_report(report(NEW_SECTION, ended), "r.txt")
    assert [i.message.split(":")[0] for i in caught.value.issues] == [
        "required column missing from the header row"
    ]


def test_new_table_still_requires_items() -> None:
    header = row("No.", "課", "業務名", "相手方", "開始年月日")
    new = "\n".join(["２ 新たに外部結合を行ったもの", header, row("1", "市民課", "X", "A社", "R3.4.1"), ""])
    with pytest.raises(InputError) as caught:
        parse_report(report(new), "r.txt")
    assert any(i.field == "外部結合に係る個人情報記録の項目" for i in caught.value.issues)


@pytest.mark.parametrize(
    ("new_heading", "ended_heading"),
    [
        ("(2) 新たに外部結合を行ったもの", "(3) 外部結合を終了したもの"),
        ("（２）新たに外部結合を行ったもの", "（３）外部結合を終了したもの"),
        ("⑵ 新たに外部結合を行ったもの", "⑶ 外部結合を終了したもの"),
        ("2. 新たに外部結合を行ったもの", "3. 外部結合を終了したもの"),
        ("２．新たに外部結合を行ったもの", "３．外部結合を終了したもの"),
        ("【新規】", "【終了】"),
        ("【新たに結合したもの】", "【廃止したもの】"),
        # keywords decide over a number that names another section
        ("(3) 新規に結合したもの", "(2) 廃止したもの"),
    ],
)
def test_section_headings(new_heading: str, ended_heading: str) -> None:
    new = "\n".join([new_heading, NEW_HEADER, NEW_ROW, ""])
    ended = "\n".join([ended_heading, ENDED_HEADER, ENDED_ROW, ""])
    parsed = parse_report(report(new, ended), "r.txt")
    assert [(c.status, c.number) for c in parsed.connections] == [("new", 1), ("ended", 1)]
    assert parsed.unread_lines == ()


def test_numbered_line_without_a_keyword_is_no_heading() -> None:
    # "2. 住所" could be a wrapped item line: without 新た/終了 … it opens no section
    text = report(NEW_SECTION, "2. 住所", ENDED_SECTION)
    parsed = parse_report(text, "r.txt", lenient=True)
    assert [c.status for c in parsed.connections] == ["new", "ended"]


# --- rows wrapped across lines (text copied out of a PDF) -----------------------------------

WRAPPED = "\n".join(
    [
        "２ 新たに外部結合を行ったもの",
        NEW_HEADER,
        row("1", "市民課", "住民票写しのコンビニ交"),
        row(
            "付",
            "住民の利便性の向上",
            "住民",
            "氏名、住所",
            "有",
            "令和3年度第2回審議会承認",
            "地方公共団体情報システム機構",
            "令和3年10月1日",
        ),
        row(
            "2",
            "税務課",
            "課税資料の電子的提出",
            "事務の効率化",
            "納税義務者",
            "氏名、住所、",
            "",
            "令和3年度第2回審議会承認",
            "国税庁",
            "R3.4.1",
        ),
        "所得金額",
        "",
    ]
)


def test_wrapped_row_is_joined_in_strict_mode() -> None:
    parsed = parse_report(report(WRAPPED, ENDED_SECTION), "r.txt")
    first, second = (c for c in parsed.connections if c.status == "new")
    assert first.business == "住民票写しのコンビニ交付"  # the break fell inside the cell
    assert (first.reason, first.subjects) == ("住民の利便性の向上", "住民")
    assert first.counterparties_as_written == "地方公共団体情報システム機構"
    assert first.start_date == date(2021, 10, 1)
    assert first.line == 17
    # a complete row continued by a lone line: the rest of its last cell
    assert second.start_date_as_written == "R3.4.1所得金額"
    warnings = [i for i in parsed.issues if "row continued" in i.message]
    assert [(w.line, w.severity, w.kind) for w in warnings] == [
        (17, "warning", "reading"),
        (19, "warning", "reading"),
    ]
    assert warnings[0].as_written == "\n".join(WRAPPED.split("\n")[2:4])
    assert warnings[0].field == "事務事業名"


def test_lone_continuation_of_the_last_cell() -> None:
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            NEW_HEADER,
            row(
                "1",
                "市民課",
                "X",
                "Y",
                "住民",
                "氏名",
                "",
                "令和3年度第2回審議会承認",
                "地方公共団体情報",
                "令和3年10月1日",
            ),
            "",
        ]
    )
    header = row(
        "番号",
        "所管課",
        "事務事業名",
        "結合の目的",
        "対象者の範囲",
        "記録項目",
        "マイナンバーの有無",
        "根拠",
        "運用開始日",
        "提供先",
    )
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            header,
            row(
                "1",
                "市民課",
                "X",
                "Y",
                "住民",
                "氏名",
                "",
                "令和3年度第2回審議会承認",
                "令和3年10月1日",
                "地方公共団体情報",
            ),
            "システム機構",
            "",
        ]
    )
    parsed = parse_report(report(new), "r.txt")
    (got,) = parsed.connections
    assert got.counterparties_as_written == "地方公共団体情報システム機構"


def test_latin_words_broken_across_lines_keep_a_space() -> None:
    header = row("No.", "課", "業務名", "項目", "相手方", "開始年月日")
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            header,
            row(
                "1",
                "教育支援課",
                "Sky",
            ),
            row("Menu Cloud", "氏名", "Sky株式会社", "R3.4.1"),
            "",
        ]
    )
    (got,) = parse_report(report(new), "r.txt").connections
    assert got.business == "Sky Menu Cloud"


def test_join_that_does_not_fit_still_stops_strict_mode() -> None:
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            NEW_HEADER,
            row("1", "市民課", "住民票写しのコンビニ交"),
            row("付", "住民", "氏名"),
            "",
        ]
    )
    with pytest.raises(InputError) as caught:
        parse_report(report(new), "r.txt")
    assert [(i.line, i.message.split(":")[0]) for i in caught.value.issues if i.severity == "error"] == [
        (17, "too few fields")
    ]


def test_join_that_does_not_fit_is_kept_in_lenient_mode() -> None:
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            NEW_HEADER,
            row("1", "市民課", "住民票写しのコンビニ交"),
            row("付", "住民", "氏名"),
            "",
        ]
    )
    parsed = parse_report(report(new), "r.txt", lenient=True)
    (got,) = parsed.connections
    assert (got.business, got.reason, got.subjects) == ("住民票写しのコンビニ交付", "住民", "氏名")
    assert got.counterparties_as_written == ""
    kinds = {(i.severity, i.message.split(" ")[0]) for i in parsed.issues if i.line == 17}
    assert ("warning", "row") in kinds and ("error", "too") in kinds


def test_short_row_followed_by_a_new_row_is_not_joined() -> None:
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            NEW_HEADER,
            row("1", "市民課", "X"),
            NEW_ROW.replace("1", "2", 1),
            "",
        ]
    )
    parsed = parse_report(report(new), "r.txt", lenient=True)
    assert [c.number for c in parsed.connections] == [1, 2]
    assert not [i for i in parsed.issues if "row continued" in i.message]


# --- findings about the report itself ----------------------------------------------------------


def test_impossible_date_is_a_report_finding() -> None:
    bad = NEW_ROW.replace("令和三年十月一日", "令和3年2月30日")
    new = "\n".join(["２ 新たに外部結合を行ったもの", NEW_HEADER, bad, ""])
    parsed = parse_report(report(new), "r.txt", lenient=True)
    (issue,) = [i for i in parsed.issues if i.field == "運用開始日"]
    assert (issue.severity, issue.kind) == ("error", "report")


def test_missing_start_date_is_left_to_validate() -> None:
    bad = NEW_ROW.replace("令和三年十月一日", "")
    new = "\n".join(["２ 新たに外部結合を行ったもの", NEW_HEADER, bad, ""])
    parsed = parse_report(report(new), "r.txt")  # strict: the report's own gap does not stop the build
    assert not [i for i in parsed.issues if i.field == "運用開始日"]  # kgsh:StartDateShape reports it
    (connection,) = parsed.connections
    assert connection.start_date is None and connection.start_date_as_written == ""


def test_unreadable_date_is_a_reading_finding() -> None:
    # a month alone (令和3年10月) is read since dates9, at its precision (tests/test_dayless_dates.py)
    bad = NEW_ROW.replace("令和三年十月一日", "十月の初め")
    new = "\n".join(["２ 新たに外部結合を行ったもの", NEW_HEADER, bad, ""])
    parsed = parse_report(report(new), "r.txt", lenient=True)
    (issue,) = [i for i in parsed.issues if i.field == "運用開始日"]
    assert issue.kind == "reading" and "not a date" in issue.message


def test_items_not_in_report_and_ordinance_basis() -> None:
    cells = NEW_ROW.split(T)
    cells[5], cells[7] = "別紙のとおり", "〇〇市個人情報保護条例第8条第1項第5号"
    new = "\n".join(["２ 新たに外部結合を行ったもの", NEW_HEADER, row(*cells), ""])
    (got,) = parse_report(report(new), "r.txt").connections
    assert (got.items.items, got.items.not_in_report) == ((), True)
    assert got.legal_basis.decision is None
    assert [(s.law_name, s.article, s.paragraph, s.item) for s in got.legal_basis.statutes] == [
        ("〇〇市個人情報保護条例", "8", 1, 5)
    ]


def test_numbered_item_line_after_a_row_is_a_continuation_not_a_heading() -> None:
    header = row("No.", "課", "業務名", "相手方", "開始年月日", "項目")
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            header,
            row("1", "市民課", "X", "A社", "R3.4.1", "(1)氏名 (2)住所"),
            "(3)生年月日",
            "",
        ]
    )
    parsed = parse_report(report(new), "r.txt")
    (got,) = parsed.connections
    assert [(i.name, i.marker) for i in got.items.items] == [
        ("氏名", "(1)"),
        ("住所", "(2)"),
        ("生年月日", "(3)"),
    ]
    assert [n for n, _ in parsed.section_notes] == []


def test_one_character_alias_names_only_the_whole_header() -> None:
    header = row("No.", "課", "業務名", "課税区分", "項目", "相手方", "開始年月日")
    new = "\n".join(
        [
            "２ 新たに外部結合を行ったもの",
            header,
            row("1", "税務課", "X", "普通", "氏名", "A社", "R3.4.1"),
            "",
        ]
    )
    (got,) = parse_report(report(new), "r.txt", lenient=True).connections
    assert got.departments_as_written == "税務課"
    assert [c.text for c in got.extra_cells] == ["普通"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("所管課", "departments"),
        ("担当部署", "departments"),
        ("部課名", "departments"),
        ("事務事業名", "business"),
        ("業務の名称", "business"),
        ("結合の目的", "reason"),
        ("目的", "reason"),
        ("対象者の範囲", "subjects"),
        ("記録項目", "items"),
        ("個人情報の項目", "items"),
        ("提供先", "counterparties"),
        ("接続先", "counterparties"),
        ("結合先", "counterparties"),
        ("開始日", "start_date"),
        ("結合開始年月日", "start_date"),
        ("運用開始日", "start_date"),
        ("根拠", "legal_basis"),
        ("審議会", "legal_basis"),
        ("審議会承認等", "legal_basis"),
        ("マイナンバーの有無", "specific"),
        ("特定個人情報の取扱い", "specific"),
        ("個人番号の有無", "specific"),
        ("終了年月日", "end_date"),
        ("結合の終了年月日", "end_date"),
        ("終了日", "end_date"),
        ("廃止年月日", "end_date"),
        ("結合終了年月日", "end_date"),
        # a new user's page (fourteenth session): a subjects column named for whose record it is,
        # a start date as 結合した日 (both were dropped or refused)
        ("記録されている本人", "subjects"),
        ("記録されている者", "subjects"),
        ("結合した日", "start_date"),
        ("結合した年月日", "start_date"),
    ],
)
def test_header_wordings(header: str, field: str) -> None:
    assert match_field(header, headers().connection) == field


def test_ended_row_without_an_end_date_is_left_to_validate() -> None:
    ended = "\n".join(
        [
            "３ 外部結合を終了したもの",
            ENDED_HEADER,
            row("1", "保険年金課", "国保資格照会", "国保中央会", ""),
            "",
        ]
    )
    parsed = parse_report(report(NEW_SECTION, ended), "r.txt")  # strict: no stop
    assert not [i for i in parsed.issues if i.line == 21]  # kgsh:EndDateShape reports it
    (ended_row,) = [c for c in parsed.connections if c.status == "ended"]
    assert ended_row.end_date is None
