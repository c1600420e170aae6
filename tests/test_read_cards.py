"""Connections written as cards, one 項目：内容 line per field (read/cards.py). Made-up reports;
each expectation read off the text by hand."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

CARDS = """テスト町 外部電子計算機との結合の状況（令和4年度）

(2) 新たに結合したもの

番号：1
担当課：総務課
業務名：メール配信事務
記録項目：
　・氏名
　・メールアドレス
　など
特定個人情報：無
結合の相手方：株式会社テスト
開始年月日：令和4年6月1日
備考：試行運用

番号 ： 2
担当課 ： 税務課
業務名 ： 課税事務
記録項目 ： 氏名、住所
結合の相手方 ： テスト法務局
開始年月日 ： 令和4年7月1日

※ 日付は結合を開始した日です。

注：金額の単位は円です。
"""


def test_each_card_is_a_row() -> None:
    report = parse_report(CARDS, "t.txt")
    first, second = report.connections
    assert (first.number, first.departments_as_written, first.business) == (1, "総務課", "メール配信事務")
    assert [i.name for i in first.items.items] == ["氏名", "メールアドレス"]
    assert first.items.open_ended
    assert first.specific_personal_information is False
    assert first.start_date is not None and first.start_date.isoformat() == "2022-06-01"
    # spaces around the colon: the same keys
    assert (second.number, second.counterparties_as_written) == (2, "テスト法務局")
    assert [i.name for i in second.items.items] == ["氏名", "住所"]


def test_a_key_no_field_names_is_kept_and_notes_stay_notes() -> None:
    report = parse_report(CARDS, "t.txt")
    first, second = report.connections
    assert [(c.header, c.text) for c in first.extra_cells] == [("備考", "試行運用")]
    assert second.extra_cells == ()
    assert any("※ 日付" in note for _, note in report.section_notes)
    # a short key after a blank line names no field: a line of its own, not a column of card 2
    assert any("注：金額" in text for _, text in report.unread_lines)
    assert any("written as cards" in i.message and i.severity == "warning" for i in report.issues)


def test_a_table_with_a_colon_in_a_cell_is_no_card() -> None:
    text = "\n".join(
        [
            "テスト町 外部電子計算機との結合の状況（令和4年度）",
            "",
            "(2) 新たに結合したもの",
            "",
            "No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始日",
            "1\t総務課\t番号：1の事務\t氏名\t株式会社テスト\t令和4年6月1日",
            "",
        ]
    )
    (row,) = parse_report(text, "t.txt").connections
    assert row.business == "番号：1の事務"


def test_cards_headed_by_a_bare_number_and_keys_with_brackets() -> None:
    text = "\n".join(
        [
            "テスト町 外部電子計算機との結合の状況（令和4年度）",
            "",
            "(2) 新たに結合したもの",
            "",
            "【1】",
            "担当課：住民課",
            "業務名：住民記録事務",
            "記録項目：",
            "・氏名：漢字及びカナ",
            "・住所",
            "結合の相手方（委託先）：株式会社テスト",
            "開始日：令和4年6月1日",
            "",
            "【2】",
            "番号：2",
            "担当課：税務課",
            "業務名：課税事務",
            "記録項目：氏名",
            "結合の相手方（委託先）：株式会社テスト",
            "開始日：令和4年7月1日",
            "",
        ]
    )
    first, second = parse_report(text, "t.txt").connections
    assert first.number == 1 and first.departments_as_written == "住民課"
    # a bullet with a colon inside is an item, not a key
    assert [i.as_written for i in first.items.items][:1] == ["氏名：漢字及びカナ"]
    assert len(first.items.items) == 2
    assert first.counterparties_as_written == "株式会社テスト"
    assert (second.number, second.business) == (2, "課税事務")  # 【2】 then 番号：2: one card
