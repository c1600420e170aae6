"""A single letter standing as a word of its own among names (an item 「A」 in 「氏名、A、住所」, a party
cell 「A 株式会社Ｂ」) where the report's legend gives no such code: warned about, kept as written.

Each report is written by hand; the findings expected are read by hand from its text."""

from __future__ import annotations

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t結合開始日"
LEGEND = "凡例\n記号\t項目名\nA\t氏名\nB\t住所\nC\t生年月日"


def _report(items: str, parties: str, after: str = "") -> Report:
    lines = ["令和7年度　外部結合の状況", "(2) 新たに外部結合を開始したもの", HEADER]
    lines += [f"1\t市民課\t業務1\t{items}\t－\t{parties}\t令和7年8月1日", "", after, ""]
    return parse_report("\n".join(lines), "stray.txt", lenient=True)


def _stray(report: Report, field: str) -> list[str]:
    return [
        i.message
        for i in report.issues
        if i.field == field and i.severity == "warning" and "letter" in i.message and i.line == 4
    ]


def test_a_stray_letter_among_item_names_is_warned() -> None:
    report = _report("氏名、A、住所", "株式会社Ｂ")
    assert [i.name for i in report.connections[0].items.items] == ["氏名", "A", "住所"]  # kept as written
    (said,) = _stray(report, "記録項目")
    assert "stray letter A" in said and "no code of a legend" in said


def test_a_letter_the_legend_gives_among_names_is_asked_about() -> None:
    report = _report("生年月日、B、電話番号", "株式会社Ｂ", after=LEGEND)
    (said,) = _stray(report, "記録項目")
    assert "B = 住所" in said


def test_a_stray_letter_before_a_party_is_warned() -> None:
    report = _report("氏名", "A 株式会社Ｂ")
    (said,) = _stray(report, "結合の相手方")
    assert "stray letter A" in said and "'A 株式会社Ｂ'" in said
    report = _report("氏名", "株式会社Ｂ、Ｃ")
    assert len(_stray(report, "結合の相手方")) == 1


@pytest.mark.parametrize(
    ("items", "parties"),
    [
        ("氏名、ビタミンA摂取量", "Ａ社"),
        ("氏名、Ｂ型肝炎ウイルス検査結果", "ＮＴＴ東日本株式会社"),
        ("氏名、住所", "Plan A Inc."),
        ("氏名、血液型", "LGWAN-ASP事業者（J:COM株式会社）"),
    ],
)
def test_letters_in_names_are_no_stray_letters(items: str, parties: str) -> None:
    report = _report(items, parties)
    assert _stray(report, "記録項目") == [] and _stray(report, "結合の相手方") == []


def test_letters_alone_still_ask_for_a_legend_once() -> None:
    report = _report("A、C", "株式会社Ｂ")
    said = [i.message for i in report.issues if i.line == 4 and i.field == "記録項目"]
    assert len(said) == 1 and "look like the codes of a legend" in said[0]
