"""Connections written as prose blocks (read/proseblocks.py): a council's document, each connection
a numbered title then one 「（１）label　value」 line per field. Made-up reports of a made-up town;
each expectation read off the text by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ketsugo.read.agencyheadings import numbered_agency, with_agency_headings
from ketsugo.read.headers import headers
from ketsugo.read.parser import parse_report
from ketsugo.read.proseblocks import field_line
from ketsugo.read.sources import read_source

sys.path.insert(0, str(Path(__file__).parent))
from sources_fixtures import write_docx, write_pdf

SUMMARY = """テスト市 外部電子計算機との結合の状況（令和５年度）

(1) 外部結合の件数
実施機関\t令和4年度末\t新規\t終了\t令和5年度末\t特定個人情報
市長\t10\t1\t1\t10\t3
教育委員会\t2\t1\t0\t3\t0
合計\t12\t2\t1\t13\t3
"""

NEW = """
(2) 新たに結合したもの
次のとおり報告します。
１　住民票写しのコンビニ交付との結合
（１）実施機関　市長
（２）担当課　市民課
（３）結合先　地方公共団体情報システム機構
（４）結合の目的　住民票の写しを全国のコンビニエンスストアで
交付するため
（５）提供する個人情報　氏名、住所、生年月日（合計３項目）
（６）開始日　令和５年６月１日
（７）根拠　住民基本台帳法第１２条
（８）審議会　令和５年度第１回審議会で承認
２　学習用端末の管理
ア　実施機関：教育委員会
イ　担当課：学校教育課
ウ　結合先：株式会社テスト教育
エ　提供を受ける個人情報：児童生徒氏名、学年
オ　開始日：令和５年７月３日
"""

ENDED = """
(3) 結合を終了したもの
１　検診予約システムとの結合
（１）担当課　健康課
（２）結合先　株式会社テスト予約
（３）提供していた個人情報　氏名、電話番号
（４）結合期間　令和２年４月１日から令和６年３月３１日まで
（５）終了の理由　予約の受付を庁内で行うこととしたため
以上
"""

REPORT = SUMMARY + NEW + ENDED


def _connections(text: str) -> dict[tuple[str, int | None], object]:
    report = parse_report(text, "report.txt", fiscal_year=2023)
    assert not [i for i in report.issues if i.severity == "error"], report.issues
    return {(c.status, c.number): c for c in report.connections}


def _check(rows: dict) -> None:
    first, second, ended = rows[("new", 1)], rows[("new", 2)], rows[("ended", 1)]
    assert (first.departments_as_written, first.business) == ("市民課", "住民票写しのコンビニ交付との結合")
    assert first.agency_as_written == "市長"
    assert first.counterparties_as_written == "地方公共団体情報システム機構"
    # the wrapped line joins the value, without a space
    assert first.reason == "住民票の写しを全国のコンビニエンスストアで交付するため"
    # （合計３項目） is a count, no item
    assert [i.name for i in first.items.items] == ["氏名", "住所", "生年月日"]
    assert first.start_date is not None and first.start_date.isoformat() == "2023-06-01"
    assert first.direction == "to_party"
    # ア…オ markers and a colon: the same fields
    assert (second.agency_as_written, second.departments_as_written) == ("教育委員会", "学校教育課")
    assert second.business == "学習用端末の管理"
    assert [i.name for i in second.items.items] == ["児童生徒氏名", "学年"]
    assert second.direction == "from_party"
    # ended: the period gives both dates; 以上 is no part of the reason
    assert (ended.departments_as_written, ended.counterparties_as_written) == ("健康課", "株式会社テスト予約")
    assert ended.start_date is not None and ended.start_date.isoformat() == "2020-04-01"
    assert ended.end_date is not None and ended.end_date.isoformat() == "2024-03-31"
    assert ended.reason == "予約の受付を庁内で行うこととしたため"
    assert ended.direction == "to_party"


def test_prose_blocks_in_text_are_connections() -> None:
    rows = _connections(REPORT)
    assert sorted(rows) == [("ended", 1), ("new", 1), ("new", 2)]
    _check(rows)
    report = parse_report(REPORT, "report.txt", fiscal_year=2023)
    # the statute of 根拠 beside 審議会's decision
    first = next(c for c in report.connections if c.status == "new" and c.number == 1)
    assert "住民基本台帳法" in " ".join(s.law_name for s in first.legal_basis.statutes)
    # no field line is taken for a section heading or an agency's sub-heading
    assert not [i for i in report.issues if "agency heading" in i.message]
    assert any("prose blocks" in i.message for i in report.issues)


@pytest.mark.parametrize("form", ["docx", "pdf"])
def test_prose_blocks_in_docx_and_pdf(form: str, tmp_path: Path) -> None:
    writer = write_docx if form == "docx" else write_pdf
    path = writer(REPORT, tmp_path / f"report.{form}")
    _check(_connections(read_source(path).text))


def test_statutes_wrapped_after_a_whole_citation_are_two() -> None:
    text = REPORT.replace(
        "（７）根拠　住民基本台帳法第１２条\n",
        "（７）根拠　住民基本台帳法第１２条\n行政手続における特定の個人を識別するための番号の利用等に関する法律第\n１９条第６号\n",
    )
    report = parse_report(text, "report.txt", fiscal_year=2023)
    first = next(c for c in report.connections if c.status == "new" and c.number == 1)
    laws = [s.law_name for s in first.legal_basis.statutes]
    assert len(laws) == 2, laws
    assert [s.article for s in first.legal_basis.statutes] == ["12", "19"]


def test_a_sentence_is_no_field_line() -> None:
    spec = headers()
    assert field_line("（２）担当課　市民課", spec) == ("departments", "担当課", 2, "市民課")
    assert field_line("実施機関：市長", spec) == ("agency", "実施機関", None, "市長")
    # a word naming a field, then a particle: a sentence, no label
    assert field_line("（１）対象者は　本市に住民登録のある者です。", spec) is None
    assert field_line("対象者は、本市に住民登録のある者です。", spec) is None
    assert field_line("本事業の目的は　事務の効率化です", spec) is None
    # a sentence opening a block stays a line of its own; the blocks are read all the same
    report = parse_report(REPORT, "report.txt", fiscal_year=2023)
    assert any("次のとおり報告します" in text for _, text in report.unread_lines)


def test_a_field_line_is_no_agency_heading_and_an_agency_heading_still_is() -> None:
    words = ("新た", "終了", "件数")
    block = [
        "１　図書館システムのクラウド化",
        "（１）実施機関　教育委員会",
        "（２）担当課　生涯学習課",
        "（３）結合先　株式会社テスト図書",
        "（４）開始日　令和５年１１月１日",
    ]
    _, found = with_agency_headings([], list(enumerate(block, 1)), [], words)
    assert found == []  # the block's field lines, none an agency's sub-heading
    assert numbered_agency("（３）結合先　株式会社テスト教育", words) is None
    assert numbered_agency("（２）担当課　学校教育課", words) is None
    assert numbered_agency("（１）教育委員会", words) == "教育委員会"
    assert numbered_agency("（２）選挙管理委員会", words) == "選挙管理委員会"
    # a table under an agency's numbered sub-heading still belongs to it
    text = (
        SUMMARY.replace("新規\t終了", "新規\t終了").replace("市長\t10\t1\t1", "市長\t10\t1\t0")
        + """
(2) 新たに結合したもの
（１）教育委員会
番号\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日
1\t学校教育課\t学習用端末の管理\t氏名\t株式会社テスト教育\t令和5年7月3日
（２）市長
番号\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日
2\t市民課\t証明書交付\t氏名\t地方公共団体情報システム機構\t令和5年6月1日
"""
    )
    report = parse_report(text, "report.txt", fiscal_year=2023)
    agencies = {c.number: c.group_heading for c in report.connections}
    assert agencies == {1: "教育委員会", 2: "市長"}


def test_a_space_separated_summary_is_read() -> None:
    spaced = SUMMARY.replace("\t", " ")
    report = parse_report(spaced + NEW + ENDED, "report.txt", fiscal_year=2023)
    counts = {
        row.agency: (row.previous, row.new, row.ended, row.current, row.specific) for row in report.summary
    }
    assert counts["市長"] == (10, 1, 1, 10, 3)
    assert counts["合計"] == (12, 2, 1, 13, 3)
    assert not [i for i in report.issues if i.severity == "error"]


def test_an_unread_section_names_the_summary_column() -> None:
    text = SUMMARY + "\n(2) 新たに結合したもの\n別紙のとおり\n\n(3) 結合を終了したもの\n別紙のとおり\n"
    report = parse_report(text, "report.txt", fiscal_year=2023, lenient=True)
    fields = {i.field for i in report.issues if "no row of one was read" in i.message}
    assert fields == {"新規", "終了"}
