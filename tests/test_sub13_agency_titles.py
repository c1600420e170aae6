"""A small town numbers each agency's table inside sections ２ and ３ as a sub-item whose title names
the agency and says the rows are its own: 「２　新たに開始した結合」 then 「（１）町長が行うもの」 and
「（２）教育委員会が行うもの」 (user13b, the 嵐山町 case). The （１）/（２） count the agencies, not the
report's sections. The report below is made up for these tests (鳩山町-like, 埼玉県 113484); every
expectation is read by hand from its text."""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.agencyheadings import numbered_agency
from ketsugo.read.headers import headers
from ketsugo.read.parser import parse_report

SUMMARY = """令和６年度　外部電子計算機との結合に関する報告書
１　結合の状況
実施機関\t前年度末件数\t新規\t廃止\t本年度末件数
町長\t10\t2\t1\t11
教育委員会\t3\t1\t0\t4
合計\t13\t3\t1\t15
"""
HEADER_NEW = "No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日"
HEADER_ENDED = "No.\t担当課\t業務名\t記録項目\t結合の相手方\t廃止年月日"


def _report(first: str, second: str) -> str:
    return f"""{SUMMARY}
２　新たに開始した結合
（１）{first}
{HEADER_NEW}
1\t町民課\t住民票の写しのコンビニ交付\t氏名、住所\t地方公共団体情報システム機構\t令和6年7月1日
2\t税務課\t個人住民税の電子申告\t氏名、個人番号\t地方税共同機構\t令和6年10月1日
（２）{second}
{HEADER_NEW}
3\t学校教育課\t就学援助\t氏名、住所\t株式会社鳩山システムズ\t令和6年8月1日
３　廃止した結合
（１）{first}
{HEADER_ENDED}
1\t町民課\t自動交付機の運用\t氏名、住所\t株式会社鳩山ビジネス\t令和6年6月30日
（２）{second}
該当なし
"""


# By hand: new No. → agency, ended No. → agency
NEW = {1: "町長", 2: "町長", 3: "教育委員会"}
ENDED = {1: "町長"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("町長が行うもの", "教育委員会が行うもの"),
        ("町長が行う結合", "教育委員会が行う結合"),
        ("町長に係るもの", "教育委員会に係るもの"),
        ("町長分", "教育委員会分"),
        ("町長関係", "教育委員会関係"),
    ],
)
def test_agency_sub_items_inside_sections_are_no_sections(first: str, second: str) -> None:
    report = parse_report(_report(first, second), "r.txt")
    new = {c.number: c.group_heading for c in report.connections if c.status == "new"}
    ended = {c.number: c.group_heading for c in report.connections if c.status == "ended"}
    assert new == NEW
    assert ended == ENDED
    assert [r.agency for r in report.summary] == ["町長", "教育委員会", "合計"]
    infos = [i.message for i in report.issues if "agency heading" in i.message]
    assert len(infos) == 4  # each sub-item kept with an info: whose rows follow


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        ("（１）町長が行うもの", "町長"),
        ("（２）教育委員会が行うもの", "教育委員会"),
        ("(1) 市長部局に係るもの", "市長部局"),
        ("⑵選挙管理委員会関係", "選挙管理委員会"),
        # a section's heading is never an agency's sub-heading, whatever it ends with
        ("（２）新たに開始した結合", None),
        ("（３）廃止したもの", None),
        ("（１）町長が新たに開始した結合", None),
        ("（１）結合の状況", None),
        # no agency before the wording: a department, a lone 長
        ("（１）住民課が行うもの", None),
        ("（１）長分", None),
    ],
)
def test_agency_name_before_a_wording(line: str, agency: str | None) -> None:
    words = tuple(w for ws in headers().section_words.values() for w in ws)
    assert numbered_agency(line, words) == agency


def test_a_true_section_heading_after_a_sub_item_still_opens_its_section() -> None:
    text = _report("町長が行うもの", "教育委員会が行うもの").replace("３　廃止した結合", "（３）廃止した結合")
    report = parse_report(text, "r.txt")
    assert {c.number for c in report.connections if c.status == "ended"} == {1}


def test_sub_items_that_name_no_agency_still_say_where_the_sections_restarted() -> None:
    """A sub-item this reading cannot take for an agency's (（１）本庁舎分 names none) still sends the
    rows to section (1); the error names the line that went back to section (1), not a missing
    heading that is there."""
    text = _report("本庁舎分", "出先機関分")
    with pytest.raises(InputError) as caught:
        parse_report(text, "r.txt")
    said = "\n".join(i.message for i in caught.value.issues)
    assert "（１）本庁舎分" in said
    assert "was not found above it" not in said
