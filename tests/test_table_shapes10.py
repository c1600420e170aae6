"""Table shapes of spreadsheets and web pages copied out as text (session 10, cols10): a council in
two sub-columns, 作成日 and 計 lines beside the tables, two-line summary headers, a dash as a count,
rows whose trailing empty cells were dropped. Small made-up reports; every expectation is read off
the text by hand."""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.columns import grouped_column_name
from ketsugo.read.parser import headers, match_field, parse_report
from ketsugo.read.records import Report

T = "\t"


def row(*cells: str) -> str:
    return T.join(cells)


TITLE = "令和6年度 〇〇町外部結合状況報告"
SUMMARY = [
    "1 実施機関別の結合件数",
    row("実施機関", "令和5年度末(a)", "新規(b)", "終了(c)", "令和6年度末(a+b-c)", "うち特定個人情報"),
    row("町長", "20", "2", "1", "21", "5"),
    row("教育委員会", "4", "0", "0", "4", "0"),
    row("合計", "24", "2", "1", "25", "5"),
]
NEW_HEADER = row("No.", "担当課", "業務名", "記録項目", "結合の相手方", "結合開始日", "備考")
ENDED_HEADER = row("No.", "担当課", "業務名", "結合の相手方", "結合終了日")
ENDED = [
    "3 令和6年度に結合を終了したもの",
    ENDED_HEADER,
    row("1", "税務課", "課税資料受付", "株式会社北町データ", "R6.9.30"),
]


def text(*lines: str) -> str:
    return "\n".join([*lines, ""])


def messages(parsed: Report, severity: str) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in parsed.issues if i.severity == severity]


def surprises(parsed: Report) -> list[tuple[int, str]]:
    """Warnings but those about the optional columns the small tables here leave out."""
    return [(n, m) for n, m in messages(parsed, "warning") if "not in the header" not in m]


# --- 1. a council in two sub-columns under one merged header -----------------------------------


def test_council_names_name_the_legal_basis_not_the_items() -> None:
    spec = headers()
    for name in ("個人情報保護審議会", "個人情報保護運営審議会", "情報公開・個人情報保護審議会"):
        assert match_field(name, spec.connection) == "legal_basis", name


def test_council_sub_columns_keep_the_group_name() -> None:
    # as the workbook reader names them: each column under its group, the group's fields taken
    assert grouped_column_name("個人情報保護審議会", "審議日") == "個人情報保護審議会 審議日"
    assert grouped_column_name("個人情報保護審議会", "結果", {"legal_basis"}) == "個人情報保護審議会 結果"
    # in a text copy the merged cell stands over its first column only
    assert grouped_column_name("", "結果", set(), spanning="個人情報保護審議会") == "個人情報保護審議会 結果"
    # a column of its own beside the party's name stays its own (所在地 under 結合の相手方)
    assert grouped_column_name("結合の相手方", "所在地", {"counterparties"}) == "所在地"
    assert grouped_column_name("", "所在地", set(), spanning="結合の相手方") == "所在地"


COUNCIL = [
    "2 令和6年度に新たに結合を開始したもの",
    row("No.", "担当課", "業務名", "記録項目", "結合の相手方", "個人情報保護審議会", "", "結合開始日"),
    row("", "", "", "", "", "審議日", "結果", ""),
    row(
        "1",
        "住民課",
        "証明書交付",
        "氏名、住所",
        "地方公共団体情報システム機構",
        "令和6年5月20日",
        "承認",
        "R6.7.1",
    ),
    row("2", "税務課", "申告受付", "氏名、住所", "地方税共同機構", "－", "不要", "R6.8.1"),
    row("3", "福祉課", "給付事務", "氏名", "株式会社南町システム", "令和6年6月3日", "報告", "R6.9.1"),
]


def test_council_in_two_sub_columns_is_one_decision() -> None:
    parsed = parse_report(text(TITLE, *SUMMARY, *COUNCIL, *ENDED), "r.txt")
    assert not messages(parsed, "error")
    assert not [m for _, m in messages(parsed, "warning") if "unknown column" in m]
    one, two, three = parsed.connections[:3]
    assert one.legal_basis is not None and one.legal_basis.decision is not None
    assert (one.legal_basis.decision.fiscal_year, one.legal_basis.decision.decision) == (2024, "承認")
    assert two.legal_basis is not None and two.legal_basis.decision is None  # － | 不要: none
    assert three.legal_basis is not None and three.legal_basis.decision is not None
    assert three.legal_basis.decision.decision == "報告"


def test_council_sub_columns_as_a_workbook_names_them() -> None:
    header = row(
        "No.",
        "担当課",
        "業務名",
        "記録項目",
        "結合の相手方",
        "個人情報保護審議会 審議日",
        "個人情報保護審議会 結果",
        "結合開始日",
    )
    lines = [COUNCIL[0], header, *COUNCIL[3:]]
    parsed = parse_report(text(TITLE, *SUMMARY, *lines, *ENDED), "r.txt")  # strict: no second items column
    decision = parsed.connections[0].legal_basis.decision  # type: ignore[union-attr]
    assert decision is not None and (decision.fiscal_year, decision.decision) == (2024, "承認")


# --- 2. 作成日 rows and count lines beside the tables ----------------------------------------


def test_date_rows_and_count_lines_are_report_lines() -> None:
    dated = row("作成日", "令和7年5月20日")
    new = [
        dated,
        "2 令和6年度に新たに結合を開始したもの",
        NEW_HEADER,
        row("1", "住民課", "証明書交付", "氏名", "地方公共団体情報システム機構", "R6.7.1", "なし"),
        row("計", "1件"),
    ]
    ended = [*ENDED, "合計　1件"]
    parsed = parse_report(text(TITLE, dated, *SUMMARY, *new, *ended), "r.txt")  # strict: no error
    assert [r.agency for r in parsed.summary] == ["町長", "教育委員会", "合計"]
    assert [(c.status, c.number) for c in parsed.connections] == [("new", 1), ("ended", 1)]
    infos = messages(parsed, "info")
    assert [n for n, m in infos if "a date about the report (作成日)" in m] == [2, 8]
    assert [n for n, m in infos if "a count line under the table" in m] == [12, 16]
    assert not surprises(parsed)
    kept = [line for _, line in parsed.unread_lines]
    assert kept.count(dated) == 2 and row("計", "1件") in kept and "合計　1件" in kept


def test_a_date_row_in_one_cell_and_the_title_repeated() -> None:
    parsed = parse_report(
        text(
            TITLE, "更新日：2025年6月2日", *SUMMARY, TITLE, *ENDED, "2 新たに結合を開始したもの", "該当なし"
        ),
        "r.txt",
    )
    infos = messages(parsed, "info")
    assert (2, "a date about the report (更新日): report metadata, not a row; kept as written") in infos
    assert (8, "the report's title repeated (a page's or sheet's heading)") in infos
    assert not surprises(parsed)


# --- 3. a two-line summary header -----------------------------------------------------------


def _summary_of(*lines: str) -> list[tuple[str, int | None, int | None, int | None, int | None, int | None]]:
    parsed = parse_report(
        text(TITLE, "1 結合件数", *lines, *ENDED, "2 新たに結合を開始したもの", "該当なし"), "r.txt"
    )
    assert not messages(parsed, "error")
    return [(r.agency, r.previous, r.new, r.ended, r.current, r.specific) for r in parsed.summary]


def test_two_line_summary_header_of_a_spreadsheet() -> None:
    got = _summary_of(
        row("実施機関", "結合の件数", "", "", "", "うち特定個人情報を含むもの"),
        row("", "令和5年度末(a)", "令和6年度新規(b)", "令和6年度終了(c)", "令和6年度末(a+b-c)"),
        row("町長", "20", "2", "1", "21", "5"),
        row("合計", "20", "2", "1", "21", "5"),
    )
    assert got == [("町長", 20, 2, 1, 21, 5), ("合計", 20, 2, 1, 21, 5)]


def test_two_line_summary_header_of_a_web_page() -> None:
    # rowspan cells (実施機関, 令和5年度末) stand on the first line only; 令和6年度中 and 令和6年度末
    # each span two cells of the second line
    got = _summary_of(
        row("実施機関", "令和5年度末", "令和6年度中", "令和6年度末"),
        row("開始", "終了", "結合数", "うち個人番号を含むもの"),
        row("町長", "20", "2", "1", "21", "5"),
        row("合計", "20", "2", "1", "21", "5"),
    )
    assert got == [("町長", 20, 2, 1, 21, 5), ("合計", 20, 2, 1, 21, 5)]


# --- 4. a dash in a count cell ------------------------------------------------------------


def test_a_dash_in_a_count_cell_is_zero() -> None:
    got = _summary_of(
        SUMMARY[1],
        row("町長", "20", "2", "1", "21", "5件"),
        row("選挙管理委員会", "1", "－", "ー", "1", "-"),
        row("農業委員会", "1", "―", "0件", "1", "なし"),
    )
    assert got == [
        ("町長", 20, 2, 1, 21, 5),
        ("選挙管理委員会", 1, 0, 0, 1, 0),
        ("農業委員会", 1, 0, 0, 1, 0),
    ]


def test_a_blank_count_cell_stays_an_empty_count() -> None:
    parsed = parse_report(
        text(TITLE, "1 結合件数", SUMMARY[1], row("町長", "20", "", "1", "21", "5"), *ENDED),
        "r.txt",
        lenient=True,
    )
    assert parsed.summary[0].new is None
    assert [m for _, m in messages(parsed, "warning") if m == "empty count"]


# --- 5. rows whose trailing empty cells were dropped; notes under a table -----------------


SHORT = [
    "2 令和6年度に新たに結合を開始したもの",
    NEW_HEADER,
    row("1", "住民課", "証明書交付", "氏名", "地方公共団体情報システム機構", "R6.7.1"),
    row("2", "税務課", "申告受付", "氏名、住所", "地方税共同機構", "R6.8.1", "委託先変更"),
    row("3", "福祉課", "給付事務", "氏名", "株式会社南町システム", "令和6年9月2日"),
    "※記録項目欄の「氏名」は漢字及びカナを含む。",
    row("（注）相手方の名称は契約時のもの。", "", "", "", "", "", ""),
]


def test_rows_without_their_trailing_empty_cells_are_read_as_blank() -> None:
    parsed = parse_report(text(TITLE, *SUMMARY, *SHORT, *ENDED), "r.txt")  # strict: no error
    new = [c for c in parsed.connections if c.status == "new"]
    assert [(c.number, c.start_date_as_written) for c in new] == [
        (1, "R6.7.1"),
        (2, "R6.8.1"),
        (3, "令和6年9月2日"),
    ]
    assert [n for n, m in messages(parsed, "info") if "read as blank (trailing tabs dropped" in m] == [9, 11]
    assert [note for _, note in parsed.section_notes] == [
        "※記録項目欄の「氏名」は漢字及びカナを含む。",
        "（注）相手方の名称は契約時のもの。",
    ]
    assert not surprises(parsed)


def test_a_row_missing_a_required_cell_is_still_an_error() -> None:
    cut = [*SHORT[:2], row("1", "住民課", "証明書交付", "氏名")]  # no party, no date
    with pytest.raises(InputError) as caught:
        parse_report(text(TITLE, *SUMMARY, *cut, *ENDED), "r.txt")
    assert [i.message.split(":")[0] for i in caught.value.issues if i.severity == "error"] == [
        "too few fields"
    ]


def test_two_line_connection_header_of_a_web_page() -> None:
    # 結合する個人情報 spans 記録項目 | 対象者; the cells spanning both lines stand on the first only
    lines = [
        "2 令和6年度に新たに結合を開始したもの",
        row("No.", "所管課", "事務の名称", "結合する個人情報", "結合先", "開始年月日"),
        row("記録項目", "対象者"),
        row(
            "1",
            "住民課",
            "証明書交付",
            "氏名、住所",
            "町内に住所を有する者",
            "地方公共団体情報システム機構",
            "R6.7.1",
        ),
    ]
    parsed = parse_report(text(TITLE, *SUMMARY, *lines, *ENDED), "r.txt")  # strict: no error
    (one,) = [c for c in parsed.connections if c.status == "new"]
    assert (one.items_as_written, one.subjects, one.counterparties_as_written) == (
        "氏名、住所",
        "町内に住所を有する者",
        "地方公共団体情報システム機構",
    )
