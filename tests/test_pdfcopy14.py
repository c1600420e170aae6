"""A PDF viewer's copy of a report's text (select all, copy, paste: Acrobat, Chrome): a table's header
row comes as its names apart by single spaces, broken over lines where a name wrapped in its cell
(特定個⏎人情報), and then every cell stands on lines of its own (a cell's wraps too), with no tab.
No row has a fixed number of lines, so ketsugo refuses such a table with one error naming it, as
it refuses Word's plain-text save (read/cellperline.py); a space-separated summary, whose rows
stand one a line, is read as before. Line numbers below are read by hand from the texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report

CASE = Path(__file__).parent / "cases" / "user16" / "okayama-2024"

SUMMARY = """令和６年度 外部結合の状況
（１）実施機関別の外部結合の件数
実施機関 令和５年度末の結合件数（Ａ） 新規結合件数（Ｂ） 結合終了件数（Ｃ） 令和６年度末の結合件数（Ａ＋Ｂ－Ｃ）
町長 3 2 1 4
"""

# lines 6–9: the header of table (2), 特定個|人情報 and 提供・受|領の別 wrapped in their cells; its
# header again on line 28 (the next page, under the footer 「－ 1 －」), table (3)'s header on line 37
COPIED = (
    SUMMARY
    + """（２）新たに外部結合を行ったもの
No 担当課 業務名 結合の理由 対象者 記録項目 特定個
人情報
結合先 提供・受
領の別 結合開始日
1 町民課 住民票の写しの
コンビニ交付
住民の利便性を向
上させるため
住民票の写しの
交付を申請した者
氏名
住所
生年月日
有 地方公共団体情報シス
テム機構
提供 令和6年7月1日
2 税務課 課税資料の
電子送付
事務の効率化のた
め
給与所得者
－ 1 －
No 担当課 業務名 結合の理由 対象者 記録項目 特定個
人情報
結合先 提供・受
領の別 結合開始日
氏名
個人番号
給与支払額
有 地方税共同機構 受領 令和6年10月1日
（３）外部結合を終了したもの
No 担当課 業務名 結合先 記録項目 結合開始日 結合終了日 終了の理由
1 町民課 住民票の写しの郵送
請求
株式会社テスト 氏名
住所
令和元年10月
1日
令和6年9月30
日
電子申請に移行したため
"""
)


def test_a_table_copied_from_a_pdf_viewer_is_refused_once_per_table() -> None:
    with pytest.raises(InputError) as caught:
        parse_report(COPIED, "report.txt")
    issues = caught.value.issues  # these errors alone: the rest of the reading says nothing of use
    assert [(i.path, i.line) for i in issues] == [("report.txt", 6), ("report.txt", 37)]
    assert all("copied from a PDF viewer" in i.message and "tab-separated" in i.message for i in issues)
    assert "lines 6–9" in issues[0].message
    assert "repeated on line 28" in issues[0].message  # the next page's header: the same table's


def test_read_leniently_the_errors_stand_among_the_findings() -> None:
    report = parse_report(COPIED, "report.txt", lenient=True)
    said = [
        i.line for i in report.issues if "copied from a PDF viewer" in i.message and i.severity == "error"
    ]
    assert said == [6, 37]


def test_the_okayama_copy_is_refused_naming_its_two_tables() -> None:
    text = (CASE / "report.txt").read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_report(text, "report.txt")
    # table (2)'s header on lines 13–17 (repeated on each page), table (3)'s on line 1835
    assert [i.line for i in caught.value.issues] == [13, 1835]
    assert "lines 13–17" in caught.value.issues[0].message


def test_a_space_separated_summary_alone_is_read() -> None:
    text = (
        SUMMARY
        + "（２）新たに外部結合を行ったもの\n"
        + "No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日\n"
        + "1\t町民課\t住民票の写しの交付\t氏名、住所\t地方公共団体情報システム機構\t令和6年7月1日\n"
        + "2\t町民課\t戸籍の附票の写しの交付\t氏名、住所\t地方公共団体情報システム機構\t令和6年8月1日\n"
    )
    report = parse_report(text, "r.txt", lenient=True)
    assert not any("copied from a PDF viewer" in i.message for i in report.issues)
    assert [row.agency for row in report.summary] == ["町長"]
    assert [c.number for c in report.connections] == [1, 2]


def test_a_tab_separated_report_is_read() -> None:
    text = """令和６年度　外部結合の状況
１　結合の状況
実施機関\t前年度末件数\t新規\t廃止\t本年度末件数
町長\t1\t1\t0\t2
２　新たに開始した結合
No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日
1\t町民課\t住民票の写しのコンビニ交付\t氏名\t地方公共団体情報システム機構\t令和6年7月1日
\t\t\t住所\t\t
"""
    report = parse_report(text, "r.txt", lenient=True)
    assert not any("copied from a PDF viewer" in i.message for i in report.issues)
    assert [c.number for c in report.connections] == [1]


def test_a_space_separated_table_a_row_a_line_is_no_such_copy() -> None:
    """Each row whole on its line (cells apart by spaces): not cells one a line, not this refusal."""
    text = """２　新たに開始した結合
No. 担当課 業務名 記録項目 結合の相手方 開始年月日
1 町民課 住民票の写しのコンビニ交付 氏名、住所 地方公共団体情報システム機構 令和6年7月1日
2 税務課 課税資料の電子送付 氏名、個人番号 地方税共同機構 令和6年10月1日
"""
    report = parse_report(text, "r.txt", lenient=True)
    assert not any("copied from a PDF viewer" in i.message for i in report.issues)


def test_a_sentence_naming_columns_is_no_header() -> None:
    text = """２　新たに開始した結合
No の欄は番号、担当課 業務名 記録項目 結合の相手方 は別表のとおり
氏名
住所
"""
    report = parse_report(text, "r.txt", lenient=True)
    assert not any("copied from a PDF viewer" in i.message for i in report.issues)


def test_word_plain_text_save_keeps_its_own_error() -> None:
    """The header one name a line (Word's .txt save) is no PDF viewer's copy: its own error stands."""
    text = "２　新たに開始した結合\nNo.\n担当課\n業務名\n記録項目\n結合の相手方\n開始年月日\n1\n町民課\n住民票\n氏名\n"
    with pytest.raises(InputError) as caught:
        parse_report(text, "r.txt")
    assert [i.line for i in caught.value.issues] == [2]
    assert "one cell a line" in caught.value.issues[0].message
