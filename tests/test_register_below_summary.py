"""A report of a summary table and then ONE table of every connection, each row's 区分 saying new or
ended, under a heading that names no section (「２　結合の内訳」): read as a register under the
summary (it was refused: "no section (2)"). Values read by hand from the text below."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

REPORT = "\n".join(
    [
        "大山崎町　外部電子計算機との結合状況（令和６年度）",
        "",
        "１　結合の件数",
        "実施機関\t前年度末件数\t新規\t廃止\t年度末件数",
        "町長\t12\t3\t1\t14",
        "合計\t12\t3\t1\t14",
        "",
        "２　結合の内訳",
        "番号\t区分\t担当課\t事務の名称\t結合先\t目的\t対象者\t提供する項目\t開始年月日\t終了年月日",
        "1\t新規\t総務課\tふるさと納税事務\t株式会社トラストバンク\t寄附申込の受付のため\t寄附者\t"
        "氏名・住所・電話番号・寄附金額\t2024年10月1日\t",
        "2\t新規\t住民課\t住民票の写しのコンビニ交付\t地方公共団体情報システム機構\t\t住民\t"
        "氏名、住所、生年月日、性別\t2024年6月3日\t",
        "3\t新規\t健康課\t予防接種記録の照会\t厚生労働省\t接種記録の照会のため\t予防接種の対象者\t"
        "氏名、生年月日、接種記録\t令和6年12月2日\t",
        "1\t廃止\t税務課\t軽自動車税申告\t一般社団法人全国軽自動車協会連合会\t\t\t\t\t令和7年3月31日",
    ]
)


def test_one_table_of_every_connection_under_the_summary() -> None:
    report = parse_report(REPORT + "\n", "oyamazaki.txt")
    assert report.fiscal_year == 2024
    assert [(r.agency, r.previous, r.new, r.ended, r.current) for r in report.summary] == [
        ("町長", 12, 3, 1, 14),
        ("合計", 12, 3, 1, 14),
    ]
    assert [(c.status, c.number, c.departments_as_written, c.business) for c in report.connections] == [
        ("new", 1, "総務課", "ふるさと納税事務"),
        ("new", 2, "住民課", "住民票の写しのコンビニ交付"),
        ("new", 3, "健康課", "予防接種記録の照会"),
        ("ended", 1, "税務課", "軽自動車税申告"),
    ]
    new2 = report.connections[1]
    assert new2.reason == ""  # a blank cell of the 目的 column: the report's gap, not an unknown
    assert new2.subjects == "住民"
    assert new2.counterparties_as_written == "地方公共団体情報システム機構"
    assert not [i for i in report.issues if i.severity == "error"]
    assert not [
        i for i in report.issues if "not understood" in i.message
    ]  # 「２　結合の内訳」 heads the table
