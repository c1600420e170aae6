"""dept11: department headings above tables, 及び in item lists, an unread summary column.

Expectations read by hand from the wordings (tests/cases/user11/hachinohe-2023 style)."""

from __future__ import annotations

from ketsugo.read.columns import department_heading
from ketsugo.read.items import split_items


def _names(cell: str) -> list[str]:
    return [item.name for item in split_items(cell).items]


def test_connective_joins_the_last_two_items() -> None:
    assert _names("氏名、住所及び生年月日") == ["氏名", "住所", "生年月日"]
    assert _names("個人番号及び特別徴収税額") == ["個人番号", "特別徴収税額"]
    assert _names("納付番号、税目、納付金額並びに納期限") == ["納付番号", "税目", "納付金額", "納期限"]
    assert _names("氏名、住所又は電話番号") == ["氏名", "住所", "電話番号"]


def test_connective_with_a_shared_head_stays_one_item() -> None:
    assert _names("医療及び介護の記録") == ["医療及び介護の記録"]
    assert _names("住所及び医療券の情報") == ["住所", "医療券の情報"]  # 住所 is an item by itself


def test_department_heading_lines() -> None:
    assert department_heading("1　市民防災部 市民課") == ("市民課", "市民防災部")
    assert department_heading("【市民課】") == ("市民課", "")
    assert department_heading("■税務課") == ("税務課", "")
    assert department_heading("7　教育委員会 学校教育課") == ("学校教育課", "教育委員会")
    assert department_heading("福祉課") == ("福祉課", "")
    assert department_heading("番号\t業務名\t課") is None
    assert department_heading("次のとおり報告します。") is None
    assert department_heading("（２）令和5年度に新たに結合したもの") is None


def _summary(header: str) -> tuple[list[object], list[str]]:
    from ketsugo.read.layout import ParseState
    from ketsugo.read.summary import parse_summary

    state = ParseState("r.txt", lenient=False)
    lines = [(1, header), (2, "市長\t38\t8\t2\t44\t12")]
    _, rows, _ = parse_summary(lines, state)
    return list(rows), [f"{i.severity}:{i.field}" for i in state.issues]


def test_year_end_count_after_the_previous_years_is_the_current_count() -> None:
    rows, issues = _summary("実施機関\t前年度末件数\t新規\t廃止\t令和5年度末件数\tうち特定個人情報")
    row = rows[0]
    assert (row.previous, row.new, row.ended, row.current, row.specific) == (38, 8, 2, 44, 12)  # type: ignore[attr-defined]
    assert not [i for i in issues if i.startswith("warning")]


def test_a_summary_column_not_read_is_named() -> None:
    rows, issues = _summary("実施機関\t前年度末件数\t新規\t廃止\t見込み件数\tうち特定個人情報")
    assert rows[0].current is None  # type: ignore[attr-defined]
    assert "warning:見込み件数" in issues


_HEADED = """ある市外部結合報告（令和5年度）

（１）実施機関別の結合件数
実施機関\t前年度末件数\t新規\t廃止\t令和5年度末件数\tうち特定個人情報
市長\t1\t2\t0\t3\t0

（２）令和5年度に新たに結合したもの

1　市民部 市民課
番号\t業務名\t記録項目\t相手方\t開始時期
1\t証明書交付\t氏名\t法務省\t令和5年4月1日
■税務課
番号\t業務名\t記録項目\t相手方\t開始時期
2\t税の通知\t氏名\t地方税共同機構\t令和5年5月1日
【福祉課】
3\t福祉の通知\t氏名\t法務省\t令和5年6月1日
"""


def test_department_heading_above_a_table_without_a_department_column() -> None:
    from ketsugo.read.parser import parse_report

    report = parse_report(_HEADED, "r.txt")  # strict: no error
    by_number = {c.number: c.departments_as_written for c in report.connections}
    assert by_number == {1: "市民課", 2: "税務課", 3: "福祉課"}
    assert report.summary[0].current == 3


def test_a_department_column_keeps_its_own_cells() -> None:
    from ketsugo.read.parser import parse_report

    text = _HEADED.replace("番号\t業務名\t記録項目", "番号\t担当課\t業務名\t記録項目").replace(
        "1\t証明書交付", "1\t戸籍課\t証明書交付"
    )
    text = text.split("■税務課")[0]
    report = parse_report(text, "r.txt")
    assert [c.departments_as_written for c in report.connections] == ["戸籍課"]


def test_a_labelled_description_is_not_split_at_a_connective() -> None:
    assert _names("氏名：漢字及びカナ") == ["氏名：漢字及びカナ"]
