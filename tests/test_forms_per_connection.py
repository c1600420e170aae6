"""One two-column form (項目 | 内容) per connection, each under a heading that names its list
before its number (新規１　外部結合届出書, 廃止１　外部結合の概要), its rows in varying order and
some left out (read/cards.py); a line break typed in a list cell (<br>, Alt+Enter, a browser copy's
line); a 特定個人情報 mark with a remark in brackets (有（個人番号を含む）). A made-up city's page,
published as a browser copy (text), a web page and a workbook of one sheet per form; every
expectation read off the text below by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

TITLE = "テスト市 令和5年度 外部結合の状況"
SUMMARY = [
    "１　外部結合の件数",
    "実施機関\t前年度末の件数\t新規\t廃止\t本年度末の件数",
    "市長\t10\t2\t1\t11",
]
NEW = "２　新たに結合を開始したもの"
ENDED = "３　結合を廃止したもの"
BR = "\n"  # a line break typed inside a cell
FORMS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        NEW,
        "新規１　外部結合届出書",
        [
            ("件名", "住民票の写しの広域交付"),
            ("所管課", "市民課"),
            ("結合の相手方", "地方公共団体情報システム機構"),
            ("結合により提供する個人情報の項目", "氏名、住所"),
            ("対象者の範囲", "証明書を申請した者"),
            ("特定個人情報の有無", "有（個人番号を含む）"),
            ("根拠", "住民基本台帳法第１２条第１項"),
            ("結合の開始予定日", "令和５年７月１日"),
            ("審議会への諮問", "令和５年度第１回審議会（令和５年５月２４日）で承認"),
        ],
    ),
    (
        NEW,
        "新規２　外部結合の概要",
        [
            ("業務名", "国民健康保険の資格確認"),
            ("担当課", "保険年金課"),
            ("相手方", f"社会保険診療報酬支払基金{BR}国民健康保険中央会"),
            ("提供・受領の別", "提供"),
            ("提供する個人情報", f"被保険者番号{BR}氏名{BR}性別"),
            ("特定個人情報", "無"),
            ("開始日", "令和５年４月１日"),
        ],
    ),
    (
        ENDED,
        "廃止１　外部結合の概要",
        [
            ("業務名", "軽自動車税の申告受付"),
            ("担当課", "税務課"),
            ("相手方", "株式会社テスト計算センター"),
            ("廃止の理由", "サービスの終了のため"),
            ("結合の廃止日", "令和５年９月３０日"),
        ],
    ),
]


def _forms(numbered: bool) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """FORMS; ``numbered``: their headings with the number first (No.１　外部結合届出書), a layout read
    before, so that each test of a later cause fails by that cause alone."""
    if not numbered:
        return FORMS
    return [(h, "No." + title.removeprefix("新規").removeprefix("廃止"), rows) for h, title, rows in FORMS]


def _copy(numbered: bool = False) -> str:
    """What select-all and copy gives: cells tab-joined, a cell's <br> a line break, no blank lines."""
    lines = [TITLE, *SUMMARY]
    section = ""
    for heading, title, rows in _forms(numbered):
        if heading != section:
            lines.append(heading)
            section = heading
        lines += [title, "項目\t内容", *(f"{label}\t{value}" for label, value in rows)]
    return "\n".join(lines) + "\n"


def _html(numbered: bool) -> str:
    def table(rows: list[list[str]]) -> str:
        cells = "".join(
            "<tr>" + "".join(f"<td>{c.replace(BR, '<br>')}</td>" for c in row) + "</tr>" for row in rows
        )
        return f"<table>{cells}</table>"

    head, *counts = (line.split("\t") for line in SUMMARY[1:])
    parts = [f"<h1>{TITLE}</h1>", f"<h2>{SUMMARY[0]}</h2>", table([head, *counts])]
    section = ""
    for heading, title, rows in _forms(numbered):
        if heading != section:
            parts.append(f"<h2>{heading}</h2>")
            section = heading
        parts += [f"<h3>{title}</h3>", table([["項目", "内容"], *[[k, v] for k, v in rows]])]
    return "<html><body>" + "".join(parts) + "</body></html>"


def _xlsx(path: Path, numbered: bool) -> None:
    """A sheet 集計, then one sheet per form (named 1, 2, 廃止1): the section's heading, the form's."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    sheet.title = "集計"
    sheet.append([TITLE])
    sheet.append([SUMMARY[0]])
    for line in SUMMARY[1:]:
        sheet.append([int(c) if c.isdigit() else c for c in line.split("\t")])
    for heading, title, rows in _forms(numbered):
        name = title.split("　")[0].replace("新規", "").replace("No.", "")
        sheet = book.create_sheet(name.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        sheet.append([heading])
        sheet.append([title])
        sheet.append([])
        sheet.append(["項目", "内容"])
        for label, value in rows:
            sheet.append([label, value])
            if BR in value:
                sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True)
    book.save(path)


def _read(form: str, tmp_path: Path, numbered: bool = False):
    if form == "txt":
        text = _copy(numbered)
    else:
        path = tmp_path / f"report.{form}"
        if form == "html":
            path.write_text(_html(numbered), encoding="utf-8")
        else:
            _xlsx(path, numbered)
        text = read_source(path).text
    return parse_report(text, "report.txt", fiscal_year=2023, lenient=True)  # each test: its own cause


@pytest.mark.parametrize("form", ["txt", "html", "xlsx"])
def test_each_form_is_a_connection_numbered_by_its_heading(form: str, tmp_path: Path) -> None:
    report = _read(form, tmp_path)
    assert [i.message for i in report.issues if i.severity == "error"] == []
    new = [c for c in report.connections if c.status == "new"]
    ended = [c for c in report.connections if c.status == "ended"]
    assert [(c.number, c.departments_as_written, c.business) for c in new] == [
        (1, "市民課", "住民票の写しの広域交付"),
        (2, "保険年金課", "国民健康保険の資格確認"),
    ]
    assert [(c.number, c.departments_as_written, c.reason) for c in ended] == [
        (1, "税務課", "サービスの終了のため")
    ]
    assert ended[0].end_date is not None and ended[0].end_date.isoformat() == "2023-09-30"
    assert new[0].start_date is not None and new[0].start_date.isoformat() == "2023-07-01"


@pytest.mark.parametrize("numbered", [False, True])
@pytest.mark.parametrize("form", ["txt", "html", "xlsx"])
def test_a_line_break_in_a_list_cell_separates_entries(form: str, numbered: bool, tmp_path: Path) -> None:
    second = [c for c in _read(form, tmp_path, numbered).connections if c.status == "new"][1]
    assert [i.name for i in second.items.items] == ["被保険者番号", "氏名", "性別"]
    parties = second.counterparties_as_written
    assert "社会保険診療報酬支払基金" in parties and "国民健康保険中央会" in parties
    assert "支払基金国民健康保険中央会" not in parties
    assert second.direction == "to_party"


@pytest.mark.parametrize("numbered", [False, True])
@pytest.mark.parametrize("form", ["txt", "html", "xlsx"])
def test_a_field_a_form_has_no_row_for_is_absent(form: str, numbered: bool, tmp_path: Path) -> None:
    first, second = [c for c in _read(form, tmp_path, numbered).connections if c.status == "new"]
    assert first.subjects == "証明書を申請した者"
    assert (second.reason, second.subjects, second.legal_basis) == (None, None, None)
    assert first.direction is None  # No.1 has no 提供・受領 row


@pytest.mark.parametrize("numbered", [False, True])
@pytest.mark.parametrize("form", ["txt", "html", "xlsx"])
def test_a_council_row_beside_a_basis_row_is_the_council_part(
    form: str, numbered: bool, tmp_path: Path
) -> None:
    report = _read(form, tmp_path, numbered)
    first = next(c for c in report.connections if c.status == "new")
    basis = first.legal_basis
    assert basis is not None and basis.decision is not None
    assert (basis.decision.fiscal_year, basis.decision.meeting, basis.decision.decision) == (2023, 1, "承認")
    assert [(s.law_name, s.article, s.paragraph) for s in basis.statutes] == [("住民基本台帳法", "12", 1)]
    assert not any("second column for the same field" in i.message for i in report.issues)


@pytest.mark.parametrize("numbered", [False, True])
@pytest.mark.parametrize("form", ["txt", "html", "xlsx"])
def test_a_mark_with_a_remark_in_brackets_is_read(form: str, numbered: bool, tmp_path: Path) -> None:
    report = _read(form, tmp_path, numbered)
    first, second = [c for c in report.connections if c.status == "new"]
    assert (first.specific_personal_information, second.specific_personal_information) == (True, False)
    assert first.specific_personal_information_as_written == "有（個人番号を含む）"
    said = [i for i in report.issues if "（個人番号を含む）" in i.message]
    assert said and said[0].severity == "info" and "remark" in said[0].message


def test_an_unknown_mark_error_names_the_words_read() -> None:
    text = _copy().replace("有（個人番号を含む）", "要確認")
    errors = [
        i
        for i in parse_report(text, "report.txt", fiscal_year=2023, lenient=True).issues
        if i.severity == "error"
    ]
    assert len(errors) == 1
    assert "有" in errors[0].message and "無" in errors[0].message and "'要確認'" in errors[0].message


def test_a_section_read_as_nothing_names_the_summary_column() -> None:
    text = _copy()
    start, end = text.index("新規１"), text.index(ENDED)
    text = text[:start] + "準備中です。\n" + text[end:]
    errors = [
        i
        for i in parse_report(text, "report.txt", fiscal_year=2023, lenient=True).issues
        if i.severity == "error"
    ]
    unread = [i for i in errors if "no row of one was read" in i.message]
    assert [i.field for i in unread] == ["新規"]


def _one_form(rows: list[tuple[str, str]]) -> str:
    lines = [TITLE, NEW, "新規１　外部結合の概要", "項目\t内容", "業務名\t証明書交付", "担当課\t市民課"]
    lines += ["相手方\t地方公共団体情報システム機構", "開始日\t令和５年７月１日"]
    return "\n".join([*lines, *(f"{k}\t{v}" for k, v in rows)]) + "\n"


def test_two_rows_of_one_field_are_one_value_joined_in_order() -> None:
    text = _one_form([("記録項目", "氏名、住所"), ("個人情報の項目", "生年月日")])
    report = parse_report(text, "report.txt", fiscal_year=2023)
    (only,) = report.connections
    assert [i.name for i in only.items.items] == ["氏名", "住所", "生年月日"]
    assert any("joined in order" in i.message for i in report.issues)


def test_rows_of_the_items_given_and_received_are_both_read() -> None:
    text = _one_form([("提供する個人情報", "氏名"), ("受領する個人情報", "住所")])
    report = parse_report(text, "report.txt", fiscal_year=2023)
    (only,) = report.connections
    assert sorted(i.name for i in only.items.items) == ["住所", "氏名"]
    assert not any("joined in order" in i.message for i in report.issues)
