"""An item check-matrix (read/matrix.py): the items as columns under one header cell naming the
items field, each row marking its items (○ ● レ …), その他 holding free text; and a sheet copied out
of Excel whose every line is padded with tabs (read/layout.py). Made-up reports; every expectation
is read off the report text by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source
from tests.sources_fixtures import write_html, write_pdf, write_xlsx

T = "\t"
TITLE = "テスト市 外部電子計算機との結合の状況（令和5年度）"
UPPER = [
    "No.",
    "担当課",
    "業務名",
    "個人情報の項目",
    "",
    "",
    "",
    "",
    "結合の相手方",
    "特定個人情報",
    "開始日",
]
LOWER = ["", "", "", "氏名", "生年月日", "電話番号", "個人番号", "その他", "", "", ""]
ROWS = [
    [
        "1",
        "市民課",
        "証明書交付",
        "○",
        "○",
        "",
        "",
        "本籍、筆頭者氏名",
        "株式会社テスト",
        "無",
        "令和5年7月1日",
    ],
    ["2", "税務課", "課税事務", "●", "", "レ", "〇", "", "株式会社イチ", "有", "令和5年8月1日"],
    ["3", "保険課", "保険証作成", "◯", "×", "－", "", "", "株式会社ニ", "無", "令和5年9月1日"],
]


def _text(upper: list[str], lower: list[str], rows: list[list[str]], *, pad: int = 0) -> str:
    lines = [
        TITLE,
        "",
        "(2) 新たに結合したもの",
        "",
        T.join(upper),
        T.join(lower),
        *(T.join(r) for r in rows),
    ]
    return "\n".join(line + T * (pad - line.count(T)) if pad else line for line in lines) + "\n"


def _items(report) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[i.name for i in c.items.items] for c in report.connections]


WANTED = [["氏名", "生年月日", "本籍", "筆頭者氏名"], ["氏名", "電話番号", "個人番号"], ["氏名"]]


def test_a_check_matrix_in_the_text_form_gives_each_row_the_items_it_marks() -> None:
    report = parse_report(_text(UPPER, LOWER, ROWS), "t.txt")  # strict: no error
    assert _items(report) == WANTED
    # 個人番号 and 電話番号 are items here, not the 特定個人情報 or No. columns: those are read as written
    assert [c.number for c in report.connections] == [1, 2, 3]
    assert [c.specific_personal_information for c in report.connections] == [False, True, False]
    assert report.connections[0].items_as_written == "氏名、生年月日、本籍、筆頭者氏名"


@pytest.mark.parametrize("writer", [write_xlsx, write_html, write_pdf], ids=["xlsx", "html", "pdf"])
def test_a_check_matrix_under_a_merged_header_is_read_in_every_form(writer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = writer(_text(UPPER, LOWER, ROWS), tmp_path / f"report.{writer.__name__.rpartition('_')[2]}")
    source = read_source(path)
    report = parse_report(source.text, str(path))
    assert _items(report) == WANTED
    assert [c.specific_personal_information for c in report.connections] == [False, True, False]


def test_a_matrix_column_named_as_a_field_is_an_item() -> None:
    upper = ["番号", "課名", "事務の名称", "提供する個人情報の項目", "", "", "結合先", "開始年月日"]
    lower = ["", "", "", "番号", "個人番号", "住所", "", ""]
    rows = [
        ["1", "市民課", "交付事務", "○", "", "○", "株式会社テスト", "令和5年7月1日"],
        ["2", "税務課", "課税事務", "", "○", "○", "株式会社イチ", "令和5年8月1日"],
    ]
    report = parse_report(_text(upper, lower, rows), "t.txt")
    assert _items(report) == [["番号", "住所"], ["個人番号", "住所"]]
    assert [c.number for c in report.connections] == [1, 2]


def test_an_unknown_mark_is_kept_with_a_warning_naming_its_cell() -> None:
    rows = [ROWS[0], ["2", "税務課", "課税事務", "○", "△", "", "", "", "株式会社イチ", "有", "令和5年8月1日"]]
    report = parse_report(_text(UPPER, LOWER, rows), "t.txt", lenient=True)
    assert _items(report)[1] == ["氏名", "生年月日"]
    (warning,) = [i for i in report.issues if "△" in i.message]
    assert warning.line == 8 and "生年月日" in warning.field


def test_a_group_of_text_columns_is_no_matrix() -> None:
    upper = ["No.", "担当課", "業務名", "個人情報の項目", "", "結合の相手方", "開始日"]
    lower = ["", "", "", "記録項目", "備考", "", ""]
    rows = [["1", "市民課", "交付事務", "氏名、住所", "なし", "株式会社テスト", "令和5年7月1日"]]
    report = parse_report(_text(upper, lower, rows), "t.txt", lenient=True)
    assert _items(report) == [["氏名", "住所"]]
    assert not any("check-matrix" in i.message for i in report.issues)


def test_lines_padded_with_tabs_read_as_the_lines_without_them() -> None:
    plain = "\n".join(
        [
            TITLE,
            "",
            "(1) 外部結合の件数",
            "",
            "実施機関\t前年度末件数\t新規\t終了\t年度末件数",
            "市長\t5\t3\t0\t8",
            "",
            "(2) 新たに結合したもの",
            "",
            T.join(UPPER),
            T.join(LOWER),
            *(T.join(r) for r in ROWS),
            "",
        ]
    )
    padded = "\n".join(line + T * (14 - line.count(T)) for line in plain.split("\n"))
    report = parse_report(padded, "t.txt")
    assert [(s.agency, s.new) for s in report.summary] == [("市長", 3)]
    assert [c.status for c in report.connections] == ["new", "new", "new"]
    assert _items(report) == WANTED


def test_a_check_matrix_in_a_web_pages_copy_is_read() -> None:
    # a browser's copy: the cells spanning both header lines stand on the first line only, the
    # second holds only the sub-cells of 個人情報の項目
    upper = [c for c in UPPER if c]
    lower = [c for c in LOWER if c]
    report = parse_report(_text(upper, lower, ROWS), "t.txt")
    assert _items(report) == WANTED
    assert [c.specific_personal_information for c in report.connections] == [False, True, False]
