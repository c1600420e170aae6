"""A village's page (user20): counterparties in two columns 提供先 / 受領元, a summary table under a
heading that names no section, an item restricted in brackets (住所（村内に限る）)."""

from __future__ import annotations

from ketsugo.read.items import split_items
from ketsugo.read.parser import parse_report

REPORT = "\n".join(
    [
        "令和５年度 外部電子計算機との結合の状況",
        "結合の状況（件数）",
        "実施機関\t令和4年度末\t新規\t終了\t令和5年度末\tうち特定個人情報を含むもの",
        "村長\t5\t3\t0\t8\t1",
        "1. 令和５年度に新たに結合したもの",
        "No.\t担当課\t業務名\t記録項目\t提供先\t受領元\t開始日",
        "1\t総務課\t電子申請受付事務\t氏名、住所\t\t株式会社あいう\t2023/10/1",
        "2\t住民課\t戸籍事務\t氏名、本籍\t法務省\t法務省\t令和5年7月3日",
        "3\t福祉課\t予防接種事務\t氏名、生年月日\t長野県\t\t2023/6/1",
        "",
    ]
)


def test_two_counterparty_columns_give_the_party_and_the_way_data_flows() -> None:
    report = parse_report(REPORT, "r.txt")
    rows = {c.number: (c.counterparties_as_written, c.direction) for c in report.connections}
    assert rows == {
        1: ("株式会社あいう", "from_party"),
        2: ("法務省", "both"),
        3: ("長野県", "to_party"),
    }


def test_a_summary_table_under_a_heading_naming_no_section_is_read() -> None:
    (row,) = parse_report(REPORT, "r.txt").summary
    assert (row.previous, row.new, row.ended, row.current, row.specific) == (5, 3, 0, 8, 1)


def test_a_bracket_ending_in_ni_kagiru_is_a_qualifier() -> None:
    (item,) = split_items("住所（村内に限る）").items
    assert (item.name, item.qualifier) == ("住所", "村内に限る")


def test_two_different_parties_are_both_kept_and_say_no_one_way() -> None:
    text = REPORT.replace(
        "2\t住民課\t戸籍事務\t氏名、本籍\t法務省\t法務省", "2\t住民課\t戸籍事務\t氏名、本籍\t法務省\t長野県"
    )
    row = next(c for c in parse_report(text, "r.txt").connections if c.number == 2)
    assert (row.counterparties_as_written.splitlines(), row.direction) == (["法務省", "長野県"], None)
