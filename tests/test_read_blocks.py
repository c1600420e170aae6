"""Connections published as blocks of two-column 項目 | 内容 tables under numbered headings, section
headings with no number, and the My Number flag said in words (read/cards.py, read/layout.py,
read/saidflag.py). A made-up town's page; each expectation read off the text by hand."""

from __future__ import annotations

from ketsugo.read.cards import card_table
from ketsugo.read.headers import headers
from ketsugo.read.layout import ParseState
from ketsugo.read.parser import parse_report
from ketsugo.read.saidflag import said_flag

BLOCKS = """テスト町 令和5年度 外部結合の状況

新たに開始した外部結合

1　児童手当事務
項目\t内容
担当課\t子育て支援課
結合の相手方\t株式会社みらい計算センター
記録項目\t氏名、住所、口座番号　※個人番号を含まない
結合の目的\t手当の支給を委託するため
開始年月日\t令和5年5月8日

2. 介護保険事務
項目\t内容
担当課\t福祉課
業務名\t介護保険資格管理事務
結合の相手方\t国民健康保険中央会
記録項目\t被保険者番号、個人番号
結合の目的\t資格情報を照会するため
開始年月日\t令和5年6月1日
備考\t特定個人情報を含む結合です。

終了した外部結合

1　選挙事務
項目\t内容
担当課\t選挙管理委員会事務局
業務名\t選挙人名簿管理事務
結合の相手方\t株式会社テスト選挙
記録項目\t氏名、生年月日　※個人番号の取扱いに注意
終了年月日\t令和6年3月31日
"""


def test_each_block_is_a_connection_numbered_by_its_heading() -> None:
    report = parse_report(BLOCKS, "t.txt")
    new = [c for c in report.connections if c.status == "new"]
    ended = [c for c in report.connections if c.status == "ended"]
    assert [(c.number, c.departments_as_written) for c in new] == [(1, "子育て支援課"), (2, "福祉課")]
    # no 業務名 row: the heading's title is the business; a 業務名 row wins over the heading
    assert [c.business for c in new] == ["児童手当事務", "介護保険資格管理事務"]
    assert new[0].counterparties_as_written == "株式会社みらい計算センター"
    assert [i.name for i in new[0].items.items] == ["氏名", "住所", "口座番号"]
    assert new[1].start_date is not None and new[1].start_date.isoformat() == "2023-06-01"
    assert [(c.number, c.business) for c in ended] == [(1, "選挙人名簿管理事務")]
    assert ended[0].end_date is not None and ended[0].end_date.isoformat() == "2024-03-31"
    assert any("read as cards" in i.message for i in report.issues)


def test_the_flag_said_in_words() -> None:
    report = parse_report(BLOCKS, "t.txt")
    first, second, ended = report.connections
    assert first.specific_personal_information is False  # ※個人番号を含まない after the items
    assert first.items.note == "※個人番号を含まない"  # the note is kept
    assert second.specific_personal_information is True  # 備考: 特定個人情報を含む結合です。
    assert ended.specific_personal_information is None  # a note only mentioning 個人番号 says nothing
    assert any("from the report's words" in i.message and i.severity == "info" for i in report.issues)


def test_said_flag_wordings() -> None:
    assert said_flag(["※マイナンバーを含まない"]) == (False, "※マイナンバーを含まない")
    assert said_flag(["", "個人番号を含みます。"]) == (True, "個人番号を含みます。")
    assert said_flag(["個人番号を含むものは別表のとおり"]) is None


def test_a_two_column_table_of_rows_is_no_block() -> None:
    lines = list(enumerate(["番号\t業務名", "1\t税務事務", "2\t福祉事務", "3\t教育事務"], start=1))
    state = ParseState("t.txt", lenient=False)
    assert card_table(lines, headers(), state) == lines  # its left cells are numbers, not field names
    assert state.issues == []


def test_headings_with_no_number_and_numbered_sentences() -> None:
    from ketsugo.read.layout import _section_of

    assert _section_of("令和５年度に新たに開始した外部結合") == 2
    assert _section_of("　廃止した外部電子計算機との結合") == 3
    # a sentence, or a line not ending with the words of a heading, is none
    assert _section_of("次の外部結合を令和５年９月３０日に廃止しました。") is None
    assert _section_of("新たに開始した外部結合の一覧は次のとおり") is None
    # a numbered sentence naming 開始 and 廃止 opens no section (1)
    assert (
        _section_of("１　税務課が行っていた…事務の(株)テストとの結合。廃止の理由は、新システムの開始です。")
        is None
    )


def test_a_note_or_a_card_line_opens_no_section() -> None:
    from ketsugo.read.layout import CLOSING, _section_of

    assert _section_of("※新たに開始した外部結合") is None  # a note naming the section's words
    assert _section_of("問い合わせ先：テスト町総務課　電話０００") == CLOSING
    assert _section_of("連絡先：福祉課") is None  # a card's own field, perhaps
