"""A per-row 実施機関 column decides the row's implementing agency (a register's, and the ended table
of a prefecture's report: tests/cases/user12b/saga-2024 NOTES.md cause 6), and a workbook whose one
sheet is named 「…一覧」 over a register is no summary section. Expectations read by hand."""

from __future__ import annotations

from pathlib import Path

import ketsugo
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import source_text

# 佐賀県 (410004), FY2024: a new table without an 実施機関 column, an ended table with one
PREFECTURE = """佐賀県 外部電子計算機との結合の状況（令和6年度）

(2) 新たに結合を開始したもの
No.\t所属名\t業務名\t記録項目\t結合の相手方\t開始年月日
1\t総務課\t文書管理\t氏名、住所\t株式会社A\t令和6年5月1日

(3) 結合を終了したもの
No.\t実施機関\t所属名\t業務名\t結合の相手方\t終了年月日
1\t教育委員会\t教職員課\t給与事務\t株式会社B\t令和7年3月31日
2\t公安委員会\t会計課\t物品調達\t株式会社C\t令和6年9月30日
"""


def _agencies(kg: ketsugo.KnowledgeGraph) -> dict[tuple[str, int], str]:
    rows = kg.sparql(
        "SELECT ?n ?s ?a WHERE { ?c kg:connectionNumber ?n ; kg:status ?s ; kg:implementingAgency ?a }"
    )
    return {(str(r["s"]).rsplit("#", 1)[-1], r["n"]): str(r["a"]).rsplit("/", 1)[-1] for r in rows}


def test_an_agency_column_of_an_ended_table_decides_the_agency(tmp_path: Path) -> None:
    path = tmp_path / "saga.txt"
    path.write_text(PREFECTURE, encoding="utf-8")
    report = parse_report(PREFECTURE, str(path))
    assert not [i for i in report.issues if "unknown column" in i.message]
    kg = ketsugo.build([path], municipality="410004")
    assert _agencies(kg) == {
        ("NewConnection", 1): "mayor",  # the governor (the head's slug)
        ("EndedConnection", 1): "board-of-education",  # 教職員課 alone would be the governor's
        ("EndedConnection", 2): "public-safety-commission",
    }


def test_an_agency_cell_no_rule_knows_is_kept_with_a_warning(tmp_path: Path) -> None:
    text = PREFECTURE.replace("2\t公安委員会\t会計課", "2\t架空委員会\t会計課")
    path = tmp_path / "saga.txt"
    path.write_text(text, encoding="utf-8")
    kg = ketsugo.build([path], municipality="410004")
    assert _agencies(kg)[("EndedConnection", 2)] == "mayor"  # the department's rule decides
    cells = [str(r["v"]) for r in kg.sparql("SELECT ?v WHERE { ?c kg:otherCell ?v }")]
    assert "実施機関: 架空委員会" in cells
    assert any("架空委員会" in i.message and "known to no rule" in i.message for i in kg.issues)


def test_a_sheet_named_list_over_a_register_is_no_summary(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "外部結合一覧"  # 一覧 is a summary word of headers.toml [sections]
    sheet.append(
        [
            "ID",
            "年度",
            "区分",
            "実施機関",
            "担当部署",
            "事務名",
            "記録項目",
            "結合の相手方",
            "結合開始日",
            "結合終了日",
        ]
    )
    sheet.append(
        [
            1,
            "令和4年度",
            "新規",
            "熊本市長",
            "市民課",
            "住民票",
            "氏名、住所",
            "株式会社A",
            "2022-07-01",
            None,
        ]
    )
    sheet.append(
        [
            2,
            "令和4年度",
            "廃止",
            "熊本市長",
            "税務課",
            "課税",
            "氏名",
            "株式会社B",
            "2010-04-01",
            "2023-03-31",
        ]
    )
    target = tmp_path / "register.xlsx"
    book.save(target)
    read = source_text(target.read_bytes(), str(target))
    assert "【外部結合一覧】" not in read.text
    report = parse_report(read.text, str(target))
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "ended")]
    assert report.fiscal_year == 2022 and not report.summary
