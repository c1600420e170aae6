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
