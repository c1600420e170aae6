"""Made-up 外部結合 report of 鯖江市 (福井県, 182079), FY2023, as an item check-matrix.

One row per connection; the personal-data items are COLUMNS under a merged header
「提供する個人情報の項目」 with ○ marks (some rows ●, 〇, ◯ or レ), the その他 column holding free
text. Writes report.xlsx (merged two-row header, 和暦 date cells), report.html (rowspan/colspan
header; printed to report.pdf, A4 landscape, by Chromium) and report.txt (the sheet copied from
Excel: tab-separated, as Excel shows each cell).
"""

import datetime as dt
import html
import shutil
import subprocess

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

D = dt.date
TITLE = "令和５年度　鯖江市外部結合状況報告書"
INTRO = "鯖江市個人情報保護法施行条例第７条の規定に基づき、令和５年度における外部結合の状況を報告します。"
H1 = "１　外部結合の件数"
H2 = "２　令和５年度に新たに開始した外部結合"
H3 = "３　令和５年度に終了した外部結合"
NOTE = "※　提供する個人情報の項目欄の○印は、当該項目を結合先に提供することを示す。"
DATED = "令和６年５月３１日現在　総務部総務課"

SUM_HEAD = ["実施機関", "令和４年度末件数", "新規", "終了", "令和５年度末件数", "うち特定個人情報"]
SUM = [
    ["市長", 52, 11, 3, 60, 21],
    ["教育委員会", 6, 1, 1, 6, 0],
    ["合計", 58, 12, 4, 66, 21],
]

ITEMS = ["氏名", "住所", "生年月日", "性別", "電話番号", "個人番号", "口座情報", "所得", "世帯", "その他"]
GROUP = "提供する個人情報の項目"
# columns before the item group, the item group, columns after it
NEW_PRE = ["番号", "課名", "事務の名称", "結合の理由", "結合先"]
NEW_POST = ["対象者", "特定個人情報", "根拠法令", "開始年月日", "審議会"]
END_PRE = ["番号", "課名", "事務の名称", "終了の理由", "結合先"]
END_POST = ["対象者", "特定個人情報", "根拠法令", "終了年月日", "審議会"]

o = "○"
NEW = [
    [1, "市民窓口課", "住民票の写し等のコンビニ交付事務", "住民の利便性の向上のため",
     "地方公共団体情報システム機構",
     [o, o, o, o, "", "", "", "", o, "本籍、筆頭者氏名"],
     "証明書の交付を申請した者", "無", "住民基本台帳法第１２条の４", D(2023, 6, 1),
     "令和５年度第１回承認"],
    [2, "市民窓口課", "転出・転入手続のワンストップ化に係る事務",
     "マイナポータルから提出された転出届を受け付けるため", "デジタル庁",
     ["●", "●", "●", "●", "●", "●", "", "", "●", ""],
     "マイナポータルを利用して転出届を行った者", "有", "住民基本台帳法第２４条の２",
     D(2023, 4, 3), "令和４年度第４回承認"],
    [3, "税務課", "個人住民税特別徴収税額通知の電子送付事務",
     "特別徴収義務者への税額通知を電子化するため", "地方税共同機構",
     ["〇", "〇", "", "", "", "〇", "", "〇", "", "特別徴収税額"],
     "給与所得に係る特別徴収の対象者", "有", "地方税法第３２１条の４", D(2023, 5, 15),
     "令和５年度第１回承認"],
    [4, "保険年金課", "国民健康保険被保険者証等の作成事務",
     "被保険者証の作成を共同処理するため", "福井県国民健康保険団体連合会",
     [o, o, o, o, "", o, "", "", "", "被保険者記号番号、資格取得年月日"],
     "国民健康保険の被保険者", "有", "国民健康保険法第４５条第５項", D(2023, 8, 1),
     "令和５年度第１回承認"],
    [5, "保険年金課", "後期高齢者医療の資格及び保険料賦課に係る事務",
     "広域連合の標準システムと情報を連携するため", "福井県後期高齢者医療広域連合",
     [o, o, o, o, "", o, "", o, o, "保険者番号"],
     "後期高齢者医療の被保険者", "有", "高齢者の医療の確保に関する法律第４８条",
     D(2023, 10, 2), "令和５年度第２回承認"],
    [6, "長寿福祉課", "地域包括支援センター業務システムのクラウド利用事務",
     "相談記録をクラウドで一元管理するため", "株式会社ワイズマン",
     ["レ", "レ", "レ", "レ", "レ", "", "", "", "", "被保険者番号、要介護度"],
     "要支援・要介護認定者", "無", "", D(2023, 10, 1), "令和５年度第２回承認"],
    [7, "子育て支援課", "保育所等入所申込みの電子申請受付事務",
     "保護者が来庁せずに申し込めるようにするため", "株式会社グラファー",
     ["◯", "◯", "◯", "", "◯", "", "", "", "◯", "就労状況"],
     "保育所等への入所を希望する児童の保護者", "無", "児童福祉法第２４条", D(2023, 11, 1),
     "令和５年度第２回承認"],
    [8, "健康づくり課", "予防接種のインターネット予約事務",
     "接種予約の受付を２４時間可能とするため", "株式会社ミラボ",
     [o, "", o, "", o, "", "", "", "", "接種券番号"],
     "予防接種の対象者", "無", "予防接種法第５条第１項", D(2023, 9, 1), "令和５年度第２回承認"],
    [9, "社会福祉課", "医療扶助のオンライン資格確認事務",
     "医療機関で受給資格を確認できるようにするため", "社会保険診療報酬支払基金",
     [o, "", o, o, "", o, "", "", "", "受給者番号"],
     "生活保護法による医療扶助の受給者", "有", "生活保護法第３４条", D(2024, 3, 1),
     "令和５年度第３回報告"],
    [10, "上下水道課", "水道料金等の口座振替データ伝送事務",
     "口座振替データを電子的に授受するため", "株式会社福井銀行",
     [o, "", "", "", "", "", o, "", "", "お客様番号"],
     "水道料金等を口座振替により納付する者", "無", "", D(2023, 7, 3), "令和５年度第１回承認"],
    [11, "防災危機管理課", "避難行動要支援者名簿の地図システム管理事務",
     "要支援者の所在を地図上で把握するため", "株式会社ゼンリン",
     ["●", "●", "●", "●", "●", "", "", "", "●", "要介護度、障害の種別"],
     "避難行動要支援者", "無", "災害対策基本法第４９条の１０", D(2024, 1, 15),
     "令和５年度第３回承認"],
    [12, "学校教育課", "児童生徒の学習用端末アカウント管理事務",
     "学習用端末のアカウントを発行するため", "グーグル合同会社",
     [o, "", "", "", "", "", "", "", "", "学年、組、出席番号"],
     "市立小中学校の児童生徒", "無", "", D(2023, 4, 10), "令和４年度第４回承認"],
]
END = [
    [1, "税務課", "軽自動車税申告データの受付事務",
     "地方税共同機構経由の電子申告に移行したため", "一般社団法人全国軽自動車協会連合会",
     [o, o, "", "", "", "", "", "", "", "車台番号"],
     "軽自動車の所有者", "無", "地方税法第４６３条の１７", D(2024, 3, 31), "令和５年度第３回報告"],
    [2, "保険年金課", "国民年金被保険者異動情報の電子媒体による提出事務",
     "情報提供ネットワークシステムによる連携に移行したため", "日本年金機構",
     [o, o, o, o, "", o, "", "", "", "基礎年金番号"],
     "国民年金第１号被保険者", "有", "国民年金法第１２条", D(2023, 9, 30), "令和５年度第２回報告"],
    [3, "健康づくり課", "特定健康診査の受診勧奨業務委託",
     "委託契約の期間が満了したため", "株式会社ＳＯＭＰＯヘルスサポート",
     [o, "", o, "", o, "", "", "", "", ""],
     "特定健康診査の未受診者", "無", "", D(2024, 3, 31), "令和５年度第３回報告"],
    [4, "学校教育課", "学校徴収金管理システムの利用事務",
     "校務支援システムへ統合したため", "株式会社ＥＤＵＣＯＭ",
     [o, o, "", "", "", "", o, "", o, "保護者氏名"],
     "市立小中学校の児童生徒及び保護者", "無", "", D(2024, 3, 29), "令和５年度第３回報告"],
]


def shown(v: object) -> str:
    """A cell as Excel shows it (date cells in the sheet's 和暦 format ggge年m月d日)."""
    if isinstance(v, D):
        assert v >= D(2019, 5, 1)
        return f"令和{v.year - 2018}年{v.month}月{v.day}日"
    return str(v)


def flat(row: list[object]) -> list[object]:
    marks = row[5]
    assert isinstance(marks, list) and len(marks) == len(ITEMS)
    return row[:5] + marks + row[6:]


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
ERA = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@'


def xlsx() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "外部結合"
    ws["A1"] = TITLE
    ws["A2"] = INTRO
    r = 4
    ws.cell(row=r, column=1, value=H1)
    r += 1
    for row in [SUM_HEAD] + SUM:
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v).border = BOX
        r += 1
    r += 1

    def table(heading: str, pre: list[str], post: list[str], rows: list[list[object]]) -> int:
        nonlocal r
        ws.cell(row=r, column=1, value=heading)
        r += 1
        top, sub = r, r + 1
        col = 1
        for h in pre:
            ws.cell(row=top, column=col, value=h)
            ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
            col += 1
        ws.cell(row=top, column=col, value=GROUP)
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(ITEMS) - 1)
        for i, h in enumerate(ITEMS):
            ws.cell(row=sub, column=col + i, value=h)
        col += len(ITEMS)
        for h in post:
            ws.cell(row=top, column=col, value=h)
            ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
            col += 1
        last = col - 1
        r = sub + 1
        for row in rows:
            for c, v in enumerate(flat(row), start=1):
                cell = ws.cell(row=r, column=c, value=(v if v != "" else None))
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if isinstance(v, D):
                    cell.number_format = ERA
            r += 1
        for rr in range(top, r):
            for cc in range(1, last + 1):
                ws.cell(row=rr, column=cc).border = BOX
        r += 1
        return last

    table(H2, NEW_PRE, NEW_POST, NEW)
    table(H3, END_PRE, END_POST, END)
    ws.cell(row=r, column=1, value=NOTE)
    ws.cell(row=r + 1, column=1, value=DATED)
    for i in range(6, 16):
        ws.column_dimensions[chr(64 + i)].width = 4.5
    wb.save("report.xlsx")


def esc(v: object) -> str:
    return html.escape(shown(v))


def table_html(heading: str, pre: list[str], post: list[str], rows: list[list[object]]) -> str:
    out = [f"<h3>{esc(heading)}</h3>", '<table class="m">', "<thead><tr>"]
    out += [f'<th rowspan="2">{esc(h)}</th>' for h in pre]
    out.append(f'<th colspan="{len(ITEMS)}">{esc(GROUP)}</th>')
    out += [f'<th rowspan="2">{esc(h)}</th>' for h in post]
    out.append("</tr><tr>")
    out += [f'<th class="i">{esc(h)}</th>' for h in ITEMS]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in flat(row)) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def report_html() -> None:
    summ = "<table>\n<tr>" + "".join(f"<th>{esc(h)}</th>" for h in SUM_HEAD) + "</tr>\n"
    summ += "\n".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for r in SUM)
    summ += "\n</table>"
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{esc(TITLE)}</title>
<style>@page {{ size: A4 landscape; margin: 10mm; }} body {{ font-size: 7.5pt; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }}
th, td {{ border: 1px solid #000; padding: 2px; vertical-align: middle; }}
th {{ background: #ddd; }} th.i {{ writing-mode: vertical-rl; white-space: nowrap; }}
table.m td:nth-child(n+6):nth-child(-n+14) {{ text-align: center; }}</style></head>
<body>
<h2>{esc(TITLE)}</h2>
<p>{esc(INTRO)}</p>
<h3>{esc(H1)}</h3>
{summ}
{table_html(H2, NEW_PRE, NEW_POST, NEW)}
{table_html(H3, END_PRE, END_POST, END)}
<p>{esc(NOTE)}</p>
<p>{esc(DATED)}</p>
</body></html>
"""
    with open("report.html", "w", encoding="utf-8") as f:
        f.write(page)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         "--print-to-pdf=report.pdf", "report.html"],
        check=True,
        stderr=subprocess.DEVNULL,
    )


def report_txt() -> None:
    """The used range copied from Excel: a merged cell copies as its value then empty cells."""
    width = len(NEW_PRE) + len(ITEMS) + len(NEW_POST)

    def line(cells: list[object]) -> str:
        cells = [shown(v) for v in cells] + [""] * (width - len(cells))
        return "\t".join(cells)

    lines = [line([TITLE]), line([INTRO]), line([]), line([H1])]
    lines += [line(r) for r in [SUM_HEAD] + SUM]
    lines.append(line([]))
    for heading, pre, post, rows in ((H2, NEW_PRE, NEW_POST, NEW), (H3, END_PRE, END_POST, END)):
        lines.append(line([heading]))
        lines.append(line(pre + [GROUP] + [""] * (len(ITEMS) - 1) + post))
        lines.append(line([""] * len(pre) + ITEMS + [""] * len(post)))
        lines += [line(flat(r)) for r in rows]
        lines.append(line([]))
    lines.append(line([NOTE]))
    lines.append(line([DATED]))
    with open("report.txt", "w", encoding="utf-8") as f:
        f.write("\r\n".join(lines) + "\r\n")


if __name__ == "__main__":
    xlsx()
    report_html()
    report_txt()
