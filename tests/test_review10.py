"""review10: wordings that tempted this session's rules into a silent wrong reading.

Each expectation is read by hand from the text in the test: no value is copied from ketsugo's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ketsugo.read.legal import parse_legal_basis
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source


@pytest.mark.parametrize(
    ("cell", "negated"),
    [
        ("令和6年5月20日 不承認", "不承認"),
        ("令和6年度第1回審議会不承認", "不承認"),
        ("令和6年度第1回審議会 承認せず", "承認せず"),
        ("令和6年度第1回審議会 報告予定", "報告予定"),
        ("令和6年度第1回審議会未報告", "未報告"),
    ],
)
def test_a_decision_said_not_to_have_happened_is_no_decision(cell: str, negated: str) -> None:
    """不承認 holds 承認 and 未報告 holds 報告: read as the word they negate, they were approvals."""
    basis = parse_legal_basis(cell)
    assert basis.decision is None
    assert len(basis.remarks) == 1
    assert f"({negated})" in basis.remarks[0]


@pytest.mark.parametrize(
    ("cell", "word"),
    [
        ("令和6年度第1回審議会承認", "承認"),
        ("令和2年5月20日審議会答申", "答申"),
        ("令和4年度第1回審議会意見聴取", "意見聴取"),
    ],
)
def test_a_decision_that_happened_is_still_read(cell: str, word: str) -> None:
    basis = parse_legal_basis(cell)
    assert basis.decision is not None and basis.decision.decision == word
    assert basis.remarks == ()


_COUNCIL_PARTS = "\n".join(
    [
        "〇〇市 外部電子計算機との結合の状況（令和6年度）",
        "",
        "(2) 新たに外部計算機との結合を行った外部結合の内訳",
        "",
        "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t外部結合に係る個人情報記録の項目"
        "\t特定個人情報の有無\t個人情報保護審議会\t\t結合の相手方\t結合の開始年月日",
        "\t\t\t\t\t\t\t審議日\t結果",
        "1\t健康推進課\t予防接種事務\t予防接種記録を管理するため\t接種対象者\t氏名、住所\t無\t令和6年5月20日\t承認"
        "\t株式会社健診システム\t令和6年7月1日",
        "2\t福祉課\t給付事務\t給付金を支給するため\t受給者\t氏名\t無\t令和6年5月20日\t不承認"
        "\t社会福祉法人〇〇会\t令和6年8月1日",
        "",
    ]
)


def test_council_parts_date_and_a_negated_result() -> None:
    """審議日 | 結果 under one council header: 令和6年5月20日 | 不承認 is no approval of that day."""
    report = parse_report(_COUNCIL_PARTS, "<council parts>", lenient=True)
    first, second = report.connections
    assert first.legal_basis is not None and first.legal_basis.decision is not None
    assert first.legal_basis.decision.decision == "承認"
    assert str(first.legal_basis.decision.meeting_date) == "2024-05-20"
    assert second.legal_basis is not None and second.legal_basis.decision is None
    assert any("不承認" in issue.message and issue.line == 8 for issue in report.issues)


def _summary(note: str) -> str:
    return "\n".join(
        [
            "〇〇市 外部電子計算機との結合の状況（令和6年度）",
            "",
            "(1) 実施機関別外部電子計算機との結合件数",
            "",
            "実施機関\t令和5年度外部電子計算機との結合数\t新たな外部電子計算機との結合数\t終了した外部電子計算機との結合数"
            "\t令和6年度外部電子計算機との結合数\t内、特定個人情報の取扱いがあるものの数",
            "市長\t－\t1\t0\t8\t－",
            note,
            "",
            "(2) 新たに外部計算機との結合を行った外部結合の内訳",
            "",
            "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t外部結合に係る個人情報記録の項目"
            "\t特定個人情報の有無\t審議会\t結合の相手方\t結合の開始年月日",
            "1\t健康推進課\t予防接種事務\t予防接種記録を管理するため\t接種対象者\t氏名、住所\t無\t令和6年度第1回審議会承認"
            "\t株式会社健診システム\t令和6年7月1日",
            "",
        ]
    )


@pytest.mark.parametrize("note", ["※「－」は集計していないもの（不明）", "※－：不明"])
def test_a_dash_the_note_calls_unknown_is_no_zero(note: str) -> None:
    """The note says － is a count not kept: the previous count and the 特定個人情報 count are unknown."""
    report = parse_report(_summary(note), "<summary>", lenient=True)
    (row,) = report.summary
    assert (row.previous, row.new, row.ended, row.current, row.specific) == (None, 1, 0, 8, None)
    assert sum(1 for i in report.issues if i.severity == "warning" and note in i.message) == 2


def test_a_dash_the_note_calls_none_is_zero() -> None:
    report = parse_report(_summary("※「－」は該当なし"), "<summary>", lenient=True)
    (row,) = report.summary
    assert (row.previous, row.specific) == (0, 0)


def test_a_heading_naming_departments_over_a_report_table_is_no_contact_block(tmp_path: Path) -> None:
    """<h3>担当課ごとの結合一覧</h3> names 担当 and is short, like a contact heading; it titles the
    second table of the report, whose row No.2 (福祉課 → 社会福祉法人〇〇会) must be read."""
    head = "".join(f"<th>{h}</th>" for h in ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"])
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><h1>テスト市 外部電子計算機との結合の状況（令和6年度）</h1>"
        "<h2>(2) 新たに結合したもの</h2>"
        f"<h3>市長部局</h3><table><tr>{head}</tr><tr><td>1</td><td>住民課</td><td>証明</td>"
        "<td>氏名</td><td>総務省</td><td>令和6年4月1日</td></tr></table>"
        f"<h3>担当課ごとの結合一覧（教育委員会）</h3><table><tr>{head}</tr><tr><td>2</td><td>福祉課</td>"
        "<td>給付</td><td>氏名</td><td>社会福祉法人〇〇会</td><td>令和6年8月1日</td></tr></table>"
        "<h2>このページに関するお問い合わせ</h2><p>総務課 電話：000-000-0000</p></body></html>",
        encoding="utf-8",
    )
    source = read_source(page)
    assert "社会福祉法人〇〇会" in source.text
    assert "電話" not in source.text  # the page's real contact block is still furniture
    report = parse_report(source.text, "page.html", lenient=True)
    assert [(c.number, c.counterparties_as_written) for c in report.connections] == [
        (1, "総務省"),
        (2, "社会福祉法人〇〇会"),
    ]


def test_an_item_marked_removed_is_warned_about() -> None:
    """個人番号（削除） says the list lost 個人番号: read as an item, it must not pass without a word."""
    text = _summary("").replace("氏名、住所\t無", "氏名、個人番号（削除）、住所（追加）\t有")
    report = parse_report(text, "<removed>", lenient=True)
    (connection,) = report.connections
    assert [(i.name, i.note) for i in connection.items.items] == [
        ("氏名", ""),
        ("個人番号", "（削除）"),
        ("住所", "（追加）"),
    ]
    removed = [i for i in report.issues if i.severity == "warning" and "no longer sent" in i.message]
    assert [i.line for i in removed] == [12]
    assert "個人番号" in removed[0].message


def test_an_unnumbered_row_of_short_values_under_the_header_is_no_second_header_line() -> None:
    """A first row without a number whose values are short and hold no digit (未定, 審議予定) is a
    row in error (no number), not names that continue the header: its party must not become part
    of a column's name with only a 'header continued' warning."""
    lines = _COUNCIL_PARTS.splitlines()
    header = lines[4].replace("個人情報保護審議会\t\t", "審議会\t")
    row = "\t教育委員会事務局\t学齢簿管理\t就学事務のため\t児童生徒\t氏名、住所\t－\t審議予定\t株式会社教育システム\t未定"
    text = "\n".join([*lines[:4], header, row, ""])
    report = parse_report(text, "<unnumbered>", lenient=True)
    assert not [i for i in report.issues if "header row continued" in i.message]
    errors = [i for i in report.issues if i.severity == "error"]
    assert [i.line for i in errors] == [6]


def test_a_legend_code_with_a_change_remark_or_a_mark_is_still_its_name() -> None:
    """凡例 A 氏名, B 住所, C 生年月日; the cell A、B（追加）、C※1: B stands for 住所 (added), C for
    生年月日 (with the mark ※1) — not items named 「B」 and 「C※1」."""
    lines = _summary("").splitlines()
    legend = ["凡例", "A：氏名", "B：住所", "C：生年月日", ""]
    text = "\n".join([*lines[:2], *legend, *lines[8:]]).replace("氏名、住所\t無", "A、B（追加）、C※1\t無")
    report = parse_report(text, "<legend>", lenient=True)
    (connection,) = report.connections
    assert [(i.name, i.note, i.footnote, i.legend_code) for i in connection.items.items] == [
        ("氏名", "", "", "A"),
        ("住所", "（追加）", "", "B"),
        ("生年月日", "", "※1", "C"),
    ]


def test_the_footer_of_the_reports_article_is_read(tmp_path: Path) -> None:
    """<article><footer> holds the article's own notes (※1 …): the report's text, not the site's
    footer; the page's own <footer> stays furniture."""
    head = "".join(f"<th>{h}</th>" for h in ["No.", "担当課", "業務名", "記録項目", "結合の相手方", "開始日"])
    page = tmp_path / "article.html"
    page.write_text(
        "<html><body><main><article><h1>テスト市 外部電子計算機との結合の状況（令和6年度）</h1>"
        f"<h2>(2) 新たに結合したもの</h2><table><tr>{head}</tr><tr><td>1</td><td>住民課</td><td>証明</td>"
        "<td>氏名、個人番号※1</td><td>総務省</td><td>令和6年4月1日</td></tr></table>"
        "<footer><p>※1 個人番号は住民票の写しの交付に限り提供する。</p></footer></article></main>"
        "<footer><p>テスト市役所 Copyright</p></footer></body></html>",
        encoding="utf-8",
    )
    text = read_source(page).text
    assert "※1 個人番号は住民票の写しの交付に限り提供する。" in text
    assert "Copyright" not in text


def test_a_bracketed_reference_word_alone_is_no_part_of_the_party() -> None:
    """株式会社健診システム（注） points to a note: the party is 株式会社健診システム; 株式会社健診システム注
    (no bracket, no number) is left as written."""
    text = _summary("").replace("株式会社健診システム", "株式会社健診システム（注）")
    (connection,) = parse_report(text, "<note>", lenient=True).connections
    assert connection.counterparties_as_written == "株式会社健診システム"
    text = _summary("").replace("株式会社健診システム", "株式会社健診システム注")
    (connection,) = parse_report(text, "<note>", lenient=True).connections
    assert connection.counterparties_as_written == "株式会社健診システム注"
