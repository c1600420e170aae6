"""Two made-up 外部結合 reports of 多治見市 (岐阜県, 212041): FY2023 and FY2024, by different clerks.

- ../tajimi-2023/report.xlsx: 令和５年度, one sheet (merged title cells, 1 件数 summary, 2 新規 table
  of 10 rows with 和暦-formatted date cells, 3 終了 table of 2 rows); report.txt = the sheet copied
  from Excel (Ctrl+A, Ctrl+C: tab-separated, dates as shown, CRLF).
- ../tajimi-2024/report.html: 令和６年度, a new clerk's page (other columns and order: No. / 所管課
  (部 and 課) / 事務事業名 / 接続先 / 提供項目 / 提供／受領 / 開始年月日 / 目的; dates 2024/04/01;
  the counterparties written (株), ㈱, half-width); report.txt = the page copied from a browser.

FY2024's 終了 table ends two connections FY2023 listed as new (written differently) and one older.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
OLD = HERE.parent / "tajimi-2023"
NEW = HERE.parent / "tajimi-2024"
D = dt.date
WAREKI = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@'

SUMMARY_2023 = [
    ("市長", 40, 9, 2, 47, 15),
    ("教育委員会", 5, 1, 0, 6, 1),
    ("合計", 45, 10, 2, 53, 16),
]
# 番号, 担当課, 業務名, 結合の相手方, 提供・受領の別, 記録項目, 特定個人情報, 結合の理由, 結合開始日
NEW_2023 = [
    (1, "市民課", "住民票等のコンビニ交付事務", "地方公共団体情報システム機構", "提供",
     "氏名、住所、生年月日、性別", "無", "住民の利便性の向上を図るため", D(2023, 5, 1)),
    (2, "税務課", "個人住民税の電子申告受付事務", "地方税共同機構", "受領",
     "氏名、住所、生年月日、個人番号、所得金額", "有", "電子申告データを受領するため", D(2023, 4, 1)),
    (3, "税務課", "軽自動車税納付確認事務", "株式会社ＴＫＣ", "提供",
     "車両番号、納付状況", "無", "納付確認を迅速に行うため", D(2023, 6, 1)),
    (4, "保険年金課", "国民健康保険資格確認事務", "岐阜県国民健康保険団体連合会", "提供・受領",
     "氏名、生年月日、性別、被保険者番号、資格取得年月日", "有", "資格情報を正確に管理するため", D(2023, 4, 1)),
    (5, "健康増進課", "ＷＥＢ健診予約事務", "株式会社岐阜健康管理センター", "受領",
     "氏名、電話番号、予約日時", "無", "健診予約の利便性の向上を図るため", D(2023, 7, 1)),
    (6, "子育て支援課", "児童手当オンライン申請受付事務", "デジタル庁", "受領",
     "氏名、住所、生年月日、個人番号、口座情報", "有", "行政手続のオンライン化のため", D(2023, 10, 1)),
    (7, "高齢福祉課", "介護保険認定調査委託事務", "株式会社ケアサポート東濃", "提供",
     "氏名、住所、生年月日、要介護度", "無", "認定調査を委託するため", D(2023, 4, 1)),
    (8, "環境課", "ごみ収集カレンダーアプリ配信事務", "株式会社アプリクラフト", "提供",
     "メールアドレス、地区名", "無", "ごみ収集日を周知するため", D(2023, 9, 1)),
    (9, "総務課", "電子申請受付事務", "ネクストデジタル株式会社", "受領",
     "氏名、住所、電話番号、メールアドレス、申請内容", "無", "行政手続のオンライン化のため", D(2023, 11, 1)),
    (10, "学校教育課", "学習用端末アカウント管理事務", "株式会社エデュテック岐阜", "提供",
     "児童生徒氏名、学年、組、出席番号", "無", "学習用端末を利用するため", D(2023, 4, 1)),
]
# 番号, 担当課, 業務名, 結合の相手方, 終了の理由, 終了年月日
END_2023 = [
    (1, "市民課", "窓口予約受付事務", "株式会社ヨヤクネット", "窓口予約システムを廃止したため", D(2023, 9, 30)),
    (2, "税務課", "固定資産税課税資料作成事務", "一般財団法人資産評価システム研究センター",
     "事務の見直しにより結合を要しなくなったため", D(2024, 3, 31)),
]

SUMMARY_2024 = [
    ("市長", 47, 7, 3, 51, 17),
    ("教育委員会", 6, 1, 0, 7, 1),
    ("合計", 53, 8, 3, 58, 18),
]
# No., 所管課, 事務事業名, 接続先, 提供項目, 提供／受領, 開始年月日, 目的
NEW_2024 = [
    (1, "総務部 総務課", "文書管理システム運用事務", "株式会社ドキュメントワークス", "氏名、住所、文書件名",
     "提供", D(2024, 4, 1), "文書管理の効率化のため"),
    (2, "総務部 税務課", "森林環境税賦課事務", "地方税共同機構", "氏名、住所、生年月日、個人番号、税額",
     "双方", D(2024, 6, 1), "森林環境税の賦課徴収のため"),
    (3, "市民環境部 市民課", "戸籍証明書の広域交付事務", "法務省", "氏名、本籍、生年月日、戸籍事項",
     "受領", D(2024, 4, 1), "戸籍法の改正に対応するため"),
    (4, "市民環境部 市民課", "転出届オンライン受付事務", "デジタル庁", "氏名、住所、生年月日、転出先、個人番号",
     "受領", D(2024, 5, 1), "引越し手続のオンライン化のため"),
    (5, "福祉部 子育て支援課", "保育所入所申請オンライン受付事務", "デジタル庁", "氏名、生年月日、保護者氏名、就労状況",
     "受領", D(2024, 10, 1), "入所申請のオンライン化のため"),
    (6, "福祉部 高齢福祉課", "高齢者見守りサービス事務", "(株)みまもりリンク", "氏名、住所、電話番号、緊急連絡先",
     "提供", D(2024, 7, 1), "高齢者の見守りを行うため"),
    (7, "福祉部 健康増進課", "予防接種記録管理事務", "一般社団法人岐阜県医師会", "氏名、生年月日、接種日、ワクチンの種類",
     "双方", D(2024, 4, 1), "予防接種の記録を共有するため"),
    (8, "教育委員会事務局 学校教育課", "校務支援システム運用事務", "株式会社エデュテック岐阜", "児童生徒氏名、学年、成績",
     "提供", D(2024, 4, 1), "校務の効率化のため"),
]
# No., 所管課, 事務事業名, 接続先, 終了年月日, 終了理由
END_2024 = [
    (1, "総務部 税務課", "軽自動車税 納付確認事務", "(株)TKC", D(2024, 9, 30), "地方税共同機構を経由する確認に切り替えたため"),
    (2, "福祉部 健康増進課", "WEB健診予約事務", "㈱岐阜健康管理センター", D(2025, 3, 31), "電子申請システムでの予約に統合したため"),
    (3, "市民環境部 環境課", "粗大ごみ受付事務", "株式会社クリーンコール", D(2024, 6, 30), "受付業務を直営に戻したため"),
]


def wareki(d: D) -> str:
    return f"令和{d.year - 2018}年{d.month}月{d.day}日"


def slash(d: D) -> str:
    return f"{d.year}/{d.month:02d}/{d.day:02d}"


def write_2023() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "令和5年度"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    rows: list[list[object]] = []

    def put(values: list[object], boxed: bool = False) -> None:
        rows.append(values)
        r = len(rows)
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, D):
                cell.number_format = WAREKI
            if boxed:
                cell.border = box
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    put(["令和５年度　外部結合の状況について"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=9)
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    put(["多治見市個人情報保護審議会　報告資料"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=9)
    ws["A2"].alignment = Alignment(horizontal="center")
    put([])
    put(["１　外部結合の件数"])
    put(["実施機関", "令和4年度末件数", "新規結合件数", "結合終了件数", "令和5年度末件数", "うち特定個人情報を含むもの"], True)
    for s in SUMMARY_2023:
        put(list(s), True)
    put([])
    put(["２　新規に結合したもの"])
    put(["番号", "担当課", "業務名", "結合の相手方", "提供・受領の別", "記録項目", "特定個人情報", "結合の理由", "結合開始日"], True)
    for n in NEW_2023:
        put(list(n), True)
    put([])
    put(["３　結合を終了したもの"])
    put(["番号", "担当課", "業務名", "結合の相手方", "終了の理由", "終了年月日"], True)
    for e in END_2023:
        put(list(e), True)
    for col, width in zip("ABCDEFGHI", (6, 12, 30, 28, 10, 36, 10, 30, 16)):
        ws.column_dimensions[col].width = width
    wb.properties.creator = "多治見市総務課"
    wb.save(OLD / "report.xlsx")
    width = max(len(r) for r in rows)
    text = []
    for r in rows:  # Excel's copy: the used range, every row as wide, dates as shown
        cells = [wareki(v) if isinstance(v, D) else ("" if v is None else str(v)) for v in r]
        text.append("\t".join(cells + [""] * (width - len(cells))))
    (OLD / "report.txt").write_bytes(("\r\n".join(text) + "\r\n").encode("utf-8"))


def write_2024() -> None:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8"><title>令和６年度 外部結合実施状況報告｜多治見市</title></head><body>',
        '<div id="header">多治見市ホームページ</div>',
        "<h1>令和６年度 外部結合実施状況報告</h1>",
        "<p>多治見市個人情報保護審議会に、令和６年度における電子計算機の外部結合の実施状況を報告します。</p>",
        "<h2>件数</h2>",
        "<table border=\"1\"><tr><th>実施機関</th><th>前年度末</th><th>新規</th><th>終了</th><th>本年度末</th><th>特定個人情報を含むもの</th></tr>",
    ]
    lines = [
        "令和６年度 外部結合実施状況報告",
        "多治見市個人情報保護審議会に、令和６年度における電子計算機の外部結合の実施状況を報告します。",
        "件数",
        "実施機関\t前年度末\t新規\t終了\t本年度末\t特定個人情報を含むもの",
    ]
    for s in SUMMARY_2024:
        parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in s) + "</tr>")
        lines.append("\t".join(str(v) for v in s))
    parts.append("</table>")
    head = ["No.", "所管課", "事務事業名", "接続先", "提供項目", "提供／受領", "開始年月日", "目的"]
    parts += ["<h2>新たに外部結合を開始したもの</h2>", '<table border="1"><tr>' + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    lines += ["新たに外部結合を開始したもの", "\t".join(head)]
    for n in NEW_2024:
        cells = [slash(v) if isinstance(v, D) else str(v) for v in n]
        parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
        lines.append("\t".join(cells))
    parts.append("</table>")
    head = ["No.", "所管課", "事務事業名", "接続先", "終了年月日", "終了理由"]
    parts += ["<h2>外部結合を終了したもの</h2>", '<table border="1"><tr>' + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    lines += ["外部結合を終了したもの", "\t".join(head)]
    for n in END_2024:
        cells = [slash(v) if isinstance(v, D) else str(v) for v in n]
        parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
        lines.append("\t".join(cells))
    parts += ["</table>", "<p>問合せ先：総務部 総務課</p>", '<div id="footer">© 多治見市</div>', "</body></html>"]
    (NEW / "report.html").write_text("\n".join(parts) + "\n", encoding="utf-8")
    (NEW / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_2023()
    write_2024()
