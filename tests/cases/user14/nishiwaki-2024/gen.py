"""Made-up 外部結合 report of 西脇市 (兵庫県, 282138), FY2024, in a transposed Excel layout.

Writes report.xlsx, report.html (printed to report.pdf by Chromium) and report.txt (Excel copy).
"""

import datetime as dt
import html
import subprocess

from openpyxl import Workbook
from openpyxl.styles import Alignment

D = dt.date
TITLE_NEW = "令和６年度　外部結合の状況（新規）　西脇市"
TITLE_END = "令和６年度　外部結合の状況（廃止）　西脇市"
TITLE_SUM = "令和６年度　外部結合の件数　西脇市"

NEW_FIELDS = [
    "番号",
    "担当課",
    "業務の名称",
    "結合先",
    "提供する項目",
    "対象者",
    "特定個人情報",
    "開始日",
    "審議会",
    "根拠法令",
    "備考",
]
NEW = [
    [
        1,
        "市民課",
        "コンビニエンスストア等における証明書等の交付事務",
        "地方公共団体情報システム機構",
        "氏名\n生年月日\n性別\n住所\n本籍",
        "証明書の交付を申請した者",
        "有",
        D(2024, 6, 3),
        "令和６年度第１回審議会で承認",
        "住民基本台帳法第１２条の４",
        "",
    ],
    [
        2,
        "市民課",
        "戸籍情報システム標準化対応事務",
        "株式会社ＴＫＣ",
        "氏名\n生年月日\n本籍\n筆頭者氏名",
        "戸籍に記載されている者",
        "無",
        "令和6年7月1日",
        "令和６年度第１回審議会で承認",
        "戸籍法第１１８条",
        "ＬＧＷＡＮ－ＡＳＰ利用",
    ],
    [
        3,
        "税務課",
        "個人住民税の電子申告受付事務",
        "地方税共同機構",
        "氏名\n住所\n個人番号\n給与支払額",
        "市内に住所を有する給与所得者",
        "有",
        D(2024, 10, 1),
        "令和６年度第２回審議会で承認",
        "地方税法第３１７条の６",
        "",
    ],
    [
        4,
        "保険医療課",
        "国民健康保険オンライン資格確認事務",
        "兵庫県国民健康保険団体連合会\n公益社団法人国民健康保険中央会",
        "被保険者番号\n氏名\n生年月日\n個人番号",
        "国民健康保険の被保険者",
        "有",
        "令和６年４月１日",
        "令和６年度第１回審議会で承認",
        "国民健康保険法第１１３条の３",
        "",
    ],
    [
        5,
        "長寿福祉課",
        "介護認定審査会のオンライン開催事務",
        "株式会社ぎょうせい",
        "被保険者番号\n氏名\n要介護状態区分\n主治医意見書",
        "要介護認定の申請者",
        "無",
        D(2024, 8, 1),
        "令和６年度第１回審議会で承認",
        "",
        "",
    ],
    [
        6,
        "子育て支援課",
        "児童手当の電子申請受付事務",
        "デジタル庁",
        "氏名\n住所\n生年月日\n口座情報等",
        "児童手当の受給者",
        "有",
        "令和６年１０月１日",
        "令和６年度第２回審議会で承認",
        "児童手当法",
        "マイナポータル経由",
    ],
    [
        7,
        "健康課",
        "予防接種記録管理事務",
        "株式会社ジーシーシー",
        "氏名\n生年月日\n接種日\n接種ワクチン名",
        "予防接種の対象者",
        "無",
        D(2024, 11, 5),
        "令和６年度第２回審議会で承認",
        "予防接種法第５条",
        "",
    ],
    [
        8,
        "健康課",
        "がん検診結果管理事務",
        "公益財団法人兵庫県健康財団",
        "氏名\n生年月日\n受診日\n検診結果",
        "市が実施するがん検診の受診者",
        "無",
        "令和7年1月6日",
        "令和６年度第３回審議会で承認",
        "健康増進法第１９条の２",
        "",
    ],
    [
        9,
        "学校教育課",
        "校務支援システムクラウド化事務",
        "株式会社スズキ教育ソフト",
        "児童生徒氏名\n生年月日\n性別\n成績",
        "市立小中学校の児童生徒",
        "無",
        D(2024, 9, 2),
        "令和６年度第２回審議会で承認",
        "",
        "",
    ],
]
MERGED_NEW = [(0, 1), (6, 7)]  # 担当課 merged over Nos. 1–2 (市民課) and 7–8 (健康課)

END_FIELDS = ["番号", "担当課", "業務の名称", "結合先", "提供していた項目", "廃止日", "廃止の理由"]
END = [
    [
        1,
        "税務課",
        "固定資産税課税資料電算処理委託事務",
        "株式会社ＴＫＣ",
        "氏名\n住所\n課税標準額",
        D(2025, 3, 31),
        "基幹系システムの標準化に伴い委託を終了したため",
    ],
    [
        2,
        "学校教育課",
        "就学援助事務",
        "株式会社内田洋行",
        "児童生徒氏名\n保護者氏名\n住所",
        "令和7年3月31日",
        "校務支援システムに統合したため",
    ],
]

SUM_HEAD = ["実施機関", "令和５年度末件数", "新規", "廃止", "令和６年度末件数", "うち特定個人情報"]
SUM = [["市長", 40, 8, 1, 47, 15], ["教育委員会", 5, 1, 1, 5, 0], ["合計", 45, 9, 2, 52, 15]]


def shown(v: object) -> str:
    """A cell as Excel shows it (date cells in the sheet's yyyy/m/d format)."""
    if isinstance(v, D):
        return f"{v.year}/{v.month}/{v.day}"
    return str(v)


def transposed(fields: list[str], cols: list[list[object]]) -> list[list[object]]:
    return [[f] + [c[i] for c in cols] for i, f in enumerate(fields)]


def xlsx() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "新規"
    ws["A1"] = TITLE_NEW
    for r, row in enumerate(transposed(NEW_FIELDS, NEW), start=3):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(v, D):
                cell.number_format = "yyyy/m/d"
    for a, b in MERGED_NEW:
        ws.merge_cells(start_row=4, start_column=a + 2, end_row=4, end_column=b + 2)
    ws2 = wb.create_sheet("廃止")
    ws2["A1"] = TITLE_END
    for r, row in enumerate(transposed(END_FIELDS, END), start=3):
        for c, v in enumerate(row, start=1):
            cell = ws2.cell(row=r, column=c, value=v)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(v, D):
                cell.number_format = "yyyy/m/d"
    ws3 = wb.create_sheet("件数")
    ws3["A1"] = TITLE_SUM
    for r, row in enumerate([SUM_HEAD] + SUM, start=3):
        for c, v in enumerate(row, start=1):
            ws3.cell(row=r, column=c, value=v)
    wb.save("report.xlsx")


def esc(v: object) -> str:
    return html.escape(shown(v)).replace("\n", "<br>")


def table_t(fields: list[str], cols: list[list[object]], merged: list[tuple[int, int]]) -> str:
    out = ["<table>"]
    for i, f in enumerate(fields):
        tds = []
        skip = set()
        for j, c in enumerate(cols):
            if j in skip:
                continue
            span = next((b - a + 1 for a, b in merged if a == j and i == 1), 1)
            skip.update(range(j + 1, j + span))
            tds.append(f'<td colspan="{span}">' if span > 1 else "<td>")
            tds[-1] += esc(c[i]) + "</td>"
        out.append(f"<tr><th>{esc(f)}</th>{''.join(tds)}</tr>")
    out.append("</table>")
    return "\n".join(out)


def report_html() -> None:
    summ = "<table>\n<tr>" + "".join(f"<th>{esc(h)}</th>" for h in SUM_HEAD) + "</tr>\n"
    summ += "\n".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for r in SUM)
    summ += "\n</table>"
    page = f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{TITLE_NEW}</title>
<style>@page {{ size: A4 landscape; }} body {{ font-size: 8pt; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }} th, td {{ border: 1px solid #000;
padding: 2px; vertical-align: top; }} th {{ background: #eee; white-space: nowrap; }}</style></head><body>
<h2>新規</h2><p>{TITLE_NEW}</p>
{table_t(NEW_FIELDS, NEW, MERGED_NEW)}
<h2>廃止</h2><p>{TITLE_END}</p>
{table_t(END_FIELDS, END, [])}
<h2>件数</h2><p>{TITLE_SUM}</p>
{summ}
</body></html>
"""
    with open("report.html", "w", encoding="utf-8") as f:
        f.write(page)
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--print-to-pdf=report.pdf",
            "report.html",
        ],
        check=True,
        stderr=subprocess.DEVNULL,
    )


def tsv_cell(v: object) -> str:
    s = shown(v)
    return '"' + s.replace('"', '""') + '"' if "\n" in s else s


def report_txt() -> None:
    lines: list[str] = []

    def sheet(name: str, title: str, rows: list[list[object]]) -> None:
        lines.append(name)
        lines.append(title)
        lines.append("")
        lines.extend("\t".join(tsv_cell(v) for v in r) for r in rows)
        lines.append("")

    new_rows = transposed(NEW_FIELDS, NEW)
    for a, b in MERGED_NEW:  # a merged cell copies as its value then empty cells
        for j in range(a + 1, b + 1):
            new_rows[1][j + 1] = ""
    sheet("新規", TITLE_NEW, new_rows)
    sheet("廃止", TITLE_END, transposed(END_FIELDS, END))
    sheet("件数", TITLE_SUM, [SUM_HEAD] + SUM)
    with open("report.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    xlsx()
    report_html()
    report_txt()
