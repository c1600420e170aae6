"""Tables drawn with box-drawing characters (read/boxtables.py): an old word processor's text save
(一太郎) or a table typed in an editor, each cell's text wrapped inside its box, so that one row runs
over several text lines between ├ rules. The report below is written by hand; every value asserted
is read from it by eye."""

from __future__ import annotations

import datetime as dt

from ketsugo.read.parser import parse_report

SUMMARY = """\
┌─────┬──────┬──┬──┬──────┬──────┐
│実施機関　│令和５年度末│新規│廃止│令和６年度末│うち特定個人│
│　　　　　│の件数　　　│　　│　　│の件数　　　│情報　　　　│
├─────┼──────┼──┼──┼──────┼──────┤
│町長　　　│　　　　　40│　 2│　 1│　　　　　41│　　　　　10│
├─────┼──────┼──┼──┼──────┼──────┤
│合計　　　│　　　　　40│　 2│　 1│　　　　　41│　　　　　10│
└─────┴──────┴──┴──┴──────┴──────┘"""

NEW = """\
┌──┬─────┬──────┬──────┬────┬─────────┬──────┐
│番号│担当課　　│業務名　　　│結合の相手方│提供・　│結合する記録項目　│結合開始　　│
│　　│　　　　　│　　　　　　│　　　　　　│受領の別│　　　　　　　　　│年月日　　　│
├──┼─────┼──────┼──────┼────┼─────────┼──────┤
│１　│住民課　　│住民票の写し│地方公共団体│提供・受│氏名・生年月日・性│令和6年4月1 │
│　　│　　　　　│等のコンビニ│情報システム│領　　　│別・住所　　　　　│日　　　　　│
│　　│　　　　　│交付事務　　│機構　　　　│　　　　│　　　　　　　　　│　　　　　　│
├──┼─────┼──────┼──────┼────┼─────────┼──────┤
│２　│保険年金課│国民健康保険│株式会社南勢│提供　　│被保険者番号　　　│R6.10.1　　 │
│　　│　　　　　│の共同処理事│　　　　　　│　　　　│氏名　　　　　　　│　　　　　　│
│　　│　　　　　│務　　　　　│　　　　　　│　　　　│生年月日　　　　　│　　　　　　│
└──┴─────┴──────┴──────┴────┴─────────┴──────┘"""

ENDED = """\
┌──┬─────┬──────┬──────┬──────┬──────────┐
│番号│担当課　　│業務名　　　│結合の相手方│廃止　　　　│廃止の理由　　　　　│
│　　│　　　　　│　　　　　　│　　　　　　│年月日　　　│　　　　　　　　　　│
├──┼─────┼──────┼──────┼──────┼──────────┤
│１　│税務課　　│課税資料の入│株式会社北勢│2025/3/31　 │電子データでの受付に│
│　　│　　　　　│力委託事務　│　　　　　　│　　　　　　│移行したため　　　　│
└──┴─────┴──────┴──────┴──────┴──────────┘"""


def _report() -> str:
    return "\n".join(
        [
            "令和６年度　外部結合の状況",
            "",
            "１　外部結合の件数",
            SUMMARY,
            "",
            "２　新たに結合を開始したもの",
            NEW,
            "",
            "３　結合を廃止したもの",
            ENDED,
            "",
        ]
    )


def test_a_box_drawn_table_is_read_row_by_row_with_its_wrapped_cells_joined() -> None:
    report = parse_report(_report(), "t.txt")  # strict: no error
    rows = {(c.status, c.number): c for c in report.connections}
    assert sorted(rows) == [("ended", 1), ("new", 1), ("new", 2)]
    one = rows["new", 1]
    assert one.departments_as_written == "住民課"
    assert one.business == "住民票の写し等のコンビニ交付事務"
    assert one.counterparties_as_written == "地方公共団体情報システム機構"
    assert one.direction == "both"  # 提供・受｜領
    assert [i.name for i in one.items.items] == ["氏名", "生年月日", "性別", "住所"]
    assert one.start_date == dt.date(2024, 4, 1)  # 令和6年4月1｜日
    assert one.line == 18  # the row's first text line
    two = rows["new", 2]
    assert two.business == "国民健康保険の共同処理事務"
    # typed one a line: each line ends far short of its box
    assert [i.name for i in two.items.items] == ["被保険者番号", "氏名", "生年月日"]
    assert two.start_date == dt.date(2024, 10, 1)
    ended = rows["ended", 1]
    assert ended.business == "課税資料の入力委託事務"
    assert ended.reason == "電子データでの受付に移行したため"
    assert ended.end_date == dt.date(2025, 3, 31)


def test_a_box_drawn_summary_is_read_with_its_header_names_over_two_lines() -> None:
    report = parse_report(_report(), "t.txt")
    assert report.fiscal_year == 2024
    first = report.summary[0]
    assert first.agency == "町長"
    assert (first.previous, first.new, first.ended, first.current, first.specific) == (40, 2, 1, 41, 10)


UNRULED = """\
┌──┬─────┬──────┬──────┬──────┐
│番号│担当課　　│業務名　　　│結合の相手方│結合開始日　│
├──┼─────┼──────┼──────┼──────┤
│１　│住民課　　│住民票の写し│法務省　　　│R6.4.1　　　│
│　　│　　　　　│の交付事務　│　　　　　　│　　　　　　│
│２　│税務課　　│軽自動車税の│地方税共同機│2024/5/1　　│
│　　│　　　　　│申告受付事務│構　　　　　│　　　　　　│
│３　│子育て支援│児童手当事務│デジタル庁　│令和6年6月3 │
│　　│課　　　　│　　　　　　│　　　　　　│日　　　　　│
└──┴─────┴──────┴──────┴──────┘"""


def test_a_box_drawn_table_with_no_rules_between_its_rows_starts_a_row_at_each_number() -> None:
    text = "\n".join(["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", UNRULED, ""])
    report = parse_report(text, "t.txt", lenient=True)
    rows = {c.number: c for c in report.connections}
    assert sorted(rows) == [1, 2, 3]
    assert rows[1].business == "住民票の写しの交付事務"
    assert rows[2].counterparties_as_written == "地方税共同機構"
    assert rows[2].start_date == dt.date(2024, 5, 1)
    assert rows[3].departments_as_written == "子育て支援課"
    assert rows[3].start_date == dt.date(2024, 6, 3)


def test_a_box_drawn_table_with_no_inner_rule_at_all_keeps_its_header_whole() -> None:
    lines = UNRULED.split("\n")
    text = "\n".join(
        ["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", *lines[:2], *lines[3:], ""]
    )
    report = parse_report(text, "t.txt", lenient=True)
    assert sorted(c.number for c in report.connections) == [1, 2, 3]


def _drawn(rows: list[list[str]], widths: list[int], bar: str, rule: str, pad: str = " ") -> str:
    """A table drawn as a text editor does: each row's cells given line by line (lines of a cell
    apart by ⏎, written by hand below), each padded by ``pad`` on both sides to its column's width."""
    from ketsugo.read.wrapping import display_width

    def line(pieces: list[str]) -> str:
        return (
            bar
            + bar.join(
                pad + p + " " * (w - 2 * len(pad) - display_width(p)) + pad
                for p, w in zip(pieces, widths, strict=True)
            )
            + bar
        )

    out = [rule]
    for row in rows:
        height = max(len(cell.split("⏎")) for cell in row)
        split = [cell.split("⏎") + [""] * (height - len(cell.split("⏎"))) for cell in row]
        out += [line([c[n] for c in split]) for n in range(height)]
        out.append(rule)
    return "\n".join(out)


PADDED_ROWS = [
    ["番号", "担当課", "業務名", "記録項目", "結合の相手方", "結合開始日"],
    # 住民票の写し fills its box (12 columns inside the padding): wrapped; 氏名 / 住所 end far short
    ["1", "住民課", "住民票の写し⏎の交付事務", "氏名⏎住所", "法務省", "R6.4.1"],
    # 氏名・住所・生年 fills the box (one space each side left alone): wrapped, 月日 ends the item
    ["2", "税務課", "軽自動車税", "氏名・住所・生年⏎月日", "株式会社北勢", "2024/5/1"],
]
WIDTHS = [6, 10, 14, 18, 14, 12]


def _three(table: str) -> dict[int, object]:
    text = "\n".join(["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", table, ""])
    report = parse_report(text, "t.txt")
    return {c.number: c for c in report.connections}


def test_a_box_drawn_table_with_a_space_inside_each_cell_wraps_at_the_text_width() -> None:
    rule = "├" + "┼".join("─" * (w // 2) for w in WIDTHS) + "┤"
    rows = _three(_drawn(PADDED_ROWS, WIDTHS, "│", rule))
    assert rows[1].business == "住民票の写しの交付事務"  # type: ignore[attr-defined]
    assert [i.name for i in rows[1].items.items] == ["氏名", "住所"]  # type: ignore[attr-defined]
    assert [i.name for i in rows[2].items.items] == ["氏名", "住所", "生年月日"]  # type: ignore[attr-defined]


def test_a_table_drawn_with_ascii_rules_and_bars_is_read_as_a_box_drawn_one() -> None:
    rule = "+" + "+".join("-" * w for w in WIDTHS) + "+"
    rows = _three(_drawn(PADDED_ROWS, WIDTHS, "|", rule))
    assert rows[1].business == "住民票の写しの交付事務"  # type: ignore[attr-defined]
    assert [i.name for i in rows[1].items.items] == ["氏名", "住所"]  # type: ignore[attr-defined]
    assert rows[2].counterparties_as_written == "株式会社北勢"  # type: ignore[attr-defined]
    assert rows[2].start_date == dt.date(2024, 5, 1)  # type: ignore[attr-defined]


MERGED = """\
┌──┬─────┬──────┬──────┬──────┬──────┐
│番号│担当課　　│業務名　　　│記録項目　　│結合の相手方│結合開始日　│
├──┼─────┼──────┼──────┼──────┼──────┤
│１　│保険年金課│国民健康保険│氏名、住所　│三重県国民健│R6.4.1　　　│
│　　│　　　　　│の資格管理事│　　　　　　│康保険団体連│　　　　　　│
│　　│　　　　　│務　　　　　│　　　　　　│合会　　　　│　　　　　　│
├──┤　　　　　├──────┼──────┤　　　　　　├──────┤
│２　│　　　　　│後期高齢者医│氏名、所得　│　　　　　　│R6.5.1　　　│
│　　│　　　　　│療の賦課事務│　　　　　　│　　　　　　│　　　　　　│
└──┴─────┴──────┴──────┴──────┴──────┘"""


def test_a_cell_merged_over_two_rows_of_a_box_drawn_table_is_each_rows() -> None:
    """The rule between rows 1 and 2 leaves 担当課 and 結合の相手方 open: one cell over both rows."""
    text = "\n".join(["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", MERGED, ""])
    report = parse_report(text, "t.txt")
    rows = {c.number: c for c in report.connections}
    assert sorted(rows) == [1, 2]
    assert rows[2].departments_as_written == "保険年金課"
    assert rows[1].counterparties_as_written == "三重県国民健康保険団体連合会"
    assert rows[2].counterparties_as_written == "三重県国民健康保険団体連合会"
    assert rows[2].business == "後期高齢者医療の賦課事務"
    assert rows[2].start_date == dt.date(2024, 5, 1)


def test_a_box_drawn_table_set_in_from_the_margin_keeps_its_merged_cells() -> None:
    indented = "\n".join("　　" + line for line in MERGED.split("\n"))
    text = "\n".join(["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", indented, ""])
    rows = {c.number: c for c in parse_report(text, "t.txt").connections}
    assert rows[2].counterparties_as_written == "三重県国民健康保険団体連合会"


MERGED_THREE = """\
┌──┬─────┬──────┬──────┬──────┐
│番号│担当課　　│業務名　　　│記録項目　　│結合開始日　│
├──┼─────┼──────┼──────┼──────┤
│１　│子育て支援│児童手当事務│氏名、住所　│R6.4.1　　　│
├──┤課　　　　├──────┼──────┼──────┤
│２　│　　　　　│保育所入所事│氏名、生年月│R6.5.1　　　│
│　　│　　　　　│務　　　　　│日　　　　　│　　　　　　│
├──┤　　　　　├──────┼──────┼──────┤
│３　│　　　　　│児童扶養手当│氏名　　　　│R6.6.1　　　│
│　　│　　　　　│事務　　　　│　　　　　　│　　　　　　│
└──┴─────┴──────┴──────┴──────┘"""


def test_a_cell_merged_over_three_rows_with_its_text_beside_a_rule_is_each_rows() -> None:
    """子育て支援｜課: the cell's second line stands on the rule's line, the cell open below it."""
    text = "\n".join(["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", MERGED_THREE, ""])
    report = parse_report(text, "t.txt", lenient=True)
    rows = {c.number: c for c in report.connections}
    assert [rows[n].departments_as_written for n in (1, 2, 3)] == ["子育て支援課"] * 3
    assert rows[2].business == "保育所入所事務"
    assert [i.name for i in rows[2].items.items] == ["氏名", "生年月日"]


def test_a_table_drawn_with_heavy_lines_is_read_as_a_light_one() -> None:
    heavy = str.maketrans("┌┬┐├┼┤└┴┘─│", "┏┳┓┣╋┫┗┻┛━┃")
    text = "\n".join(
        ["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", MERGED.translate(heavy), ""]
    )
    rows = {c.number: c for c in parse_report(text, "t.txt").connections}
    assert rows[1].business == "国民健康保険の資格管理事務"
    assert rows[2].counterparties_as_written == "三重県国民健康保険団体連合会"
