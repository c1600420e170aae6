"""Made-up 外部結合 report of 掛川市 (静岡県, 222135), FY2022 (令和4年度): one small 項目 | 内容 form
per connection (外部結合届出書 / 外部結合の概要), a summary table at the top, ended connections in a
section 「結合を廃止したもの」.

Writes report.html (printed to report.pdf by headless Chromium), report.xlsx (sheet 集計, one sheet
per connection: 1 … 12, 廃止1 … 廃止3) and report.txt (the page's text as Chromium's innerText
gives it, i.e. what a browser copies: table cells tab-joined, a <br> inside a cell a line break).
Run from this folder: python gen.py
"""

import datetime as dt
import html
import re
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

D = dt.date
H1 = "令和４年度　外部電子計算機との結合の状況について"
LEAD = (
    "掛川市個人情報保護条例第１２条第２項の規定により、令和４年度（令和４年４月１日から令和５年３月３１日まで）"
    "に市の実施機関が新たに開始した外部電子計算機との結合及び廃止した結合の状況を公表します。"
)
SUM_HEAD = ["実施機関", "令和３年度末の件数", "新規", "廃止", "令和４年度末の件数", "うち特定個人情報を含むもの"]
SUM = [
    ["市長", 58, 10, 2, 66, 21],
    ["教育委員会", 9, 1, 1, 9, 0],
    ["選挙管理委員会", 2, 1, 0, 3, 0],
    ["合計", 69, 12, 3, 78, 21],
]

# Each form: (heading, [(項目, 内容), …]); 内容 may be a date (an Excel date cell in the workbook,
# 令和 text on the page) or hold "\n" (a <br> on the page, a line break in the cell).
NEW = [
    (
        "新規１　外部結合届出書",
        [
            ("件名", "戸籍証明書等のコンビニエンスストア等における交付"),
            ("所管課", "市民課"),
            ("結合の相手方", "地方公共団体情報システム機構"),
            ("結合の理由", "本籍地が本市にある市外在住者も、全国のコンビニエンスストア等で戸籍証明書を取得できるようにするため"),
            ("結合により提供する個人情報の項目", "氏名、生年月日、性別、本籍、筆頭者氏名、戸籍の身分事項"),
            ("対象者の範囲", "本市に本籍を有する者のうち、証明書の交付を申請した者"),
            ("特定個人情報の有無", "無"),
            ("根拠", "戸籍法第１０条第１項、住民基本台帳法第１２条第１項"),
            ("結合の開始予定日", D(2022, 7, 1)),
            ("審議会への諮問", "令和４年度第１回審議会（令和４年５月２４日）で承認"),
        ],
    ),
    (
        "新規２　外部結合届出書",
        [
            ("業務名", "国民健康保険のオンライン資格確認"),
            ("所管課", "健康福祉部　国保年金課"),
            ("結合の相手方", "社会保険診療報酬支払基金\n静岡県国民健康保険団体連合会"),
            ("提供・受領の別", "提供"),
            ("結合により提供する個人情報の項目", "被保険者番号\n氏名\n生年月日\n性別\n資格取得年月日\n資格喪失年月日"),
            ("対象者の範囲", "掛川市国民健康保険の被保険者"),
            ("結合の理由", "医療機関等の窓口で被保険者の資格を即時に確認できるようにし、過誤請求を防ぐため"),
            ("結合の開始予定日", "令和４年４月１日"),
            ("特定個人情報の有無", "有"),
            ("根拠", "国民健康保険法第１１３条の３"),
            ("審議会への諮問", "令和４年度第１回審議会（令和４年５月２４日）で承認"),
        ],
    ),
    (
        "新規３　外部結合の概要",
        [
            ("業務名", "給与支払報告書等の電子的受付（eLTAX）"),
            ("担当課", "税務課"),
            ("相手方", "地方税共同機構"),
            ("提供・受領の別", "受領"),
            ("取り扱う個人情報", "氏名、住所、生年月日、個人番号、支払金額、源泉徴収税額等"),
            ("対象となる個人", "市内に住所を有する給与所得者及び公的年金等受給者"),
            ("特定個人情報", "有（個人番号を含む）"),
            ("開始日", "R4.10.3"),
            ("法令上の根拠", "地方税法第３１７条の６第１項"),
            ("結合を必要とする理由", "事業者が提出する給与支払報告書を電子データで受け付け、課税事務の効率化を図るため"),
            ("審議会", "令和４年度第２回審議会（令和４年８月３０日）で承認"),
        ],
    ),
    (
        "新規４　外部結合の概要",
        [
            ("件名", "児童手当現況届等の電子申請の受付"),
            ("所管課", "こども希望課"),
            ("結合先", "デジタル庁（マイナポータル）"),
            ("情報の流れ", "受領"),
            ("提供・受領する個人情報", "①氏名　②住所　③生年月日　④個人番号　⑤所得の状況　⑥振込先口座"),
            ("対象者", "児童手当の受給者"),
            ("理由", "現況届等を来庁せずにオンラインで提出できるようにするため"),
            ("特定個人情報の有無", "あり"),
            ("根拠法令", "行政手続における特定の個人を識別するための番号の利用等に関する法律第１９条第８号"),
            ("開始予定日", "2022年6月1日"),
            ("個人情報保護審議会", "令和４年度第１回審議会（令和４年５月２４日）で承認"),
        ],
    ),
    (
        "新規５　外部結合届出書",
        [
            ("件名", "要介護認定情報の国保連合会への送付"),
            ("所管課", "長寿推進課"),
            ("結合の相手方", "静岡県国民健康保険団体連合会"),
            ("結合の理由", "介護給付費の審査支払に必要な認定情報を電子的に送付するため"),
            ("結合により提供する個人情報の項目", "被保険者番号、氏名、生年月日、要介護状態区分、認定有効期間"),
            ("対象者の範囲", "要介護・要支援認定を受けた介護保険の被保険者"),
            ("特定個人情報の有無", "無"),
            ("根拠", "介護保険法第４１条第１０項"),
            ("結合の開始予定日", D(2022, 10, 1)),
        ],
    ),
    (
        "新規６　外部結合届出書",
        [
            ("件名", "健康管理システムのクラウドサービス利用"),
            ("所管課", "健康づくり課"),
            ("結合の相手方", "株式会社両備システムズ（ＬＧＷＡＮ－ＡＳＰ）"),
            ("結合により提供する個人情報の項目", "氏名・生年月日・性別・住所・予防接種歴・健診結果"),
            ("対象者の範囲", "予防接種及び各種健（検）診の対象者"),
            ("特定個人情報の有無", "該当なし"),
            ("根拠", "―"),
            ("結合の開始予定日", "令和４年１１月１日"),
            ("審議会への諮問", "令和４年度第２回審議会（令和４年８月３０日）で承認"),
        ],
    ),
    (
        "新規７　外部結合の概要",
        [
            ("実施機関", "教育委員会"),
            ("件名", "児童生徒用学習端末のアカウント管理"),
            ("担当課", "学校教育課"),
            ("結合の相手方", "日本マイクロソフト株式会社"),
            ("提供する個人情報", "児童生徒の氏名、学校名、学年、組、出席番号"),
            ("対象者の範囲", "市立小・中学校に在籍する児童生徒"),
            ("結合の理由", "ＧＩＧＡスクール構想による学習用クラウドサービスを利用するため"),
            ("特定個人情報の有無", "無"),
            ("結合の開始予定日", "令和４年９月１日"),
            ("根拠", "なし"),
            ("審議会への諮問", "令和４年８月３０日開催の審議会に諮問し、適当である旨の答申を得た"),
        ],
    ),
    (
        "新規８　外部結合届出書",
        [
            ("件名", "避難所受付システムの導入"),
            ("所管課", "危機管理課"),
            ("結合の相手方", "凸版印刷株式会社"),
            ("結合の理由", "避難所での受付をマイナンバーカード等で迅速に行い、避難者の所在を把握するため"),
            ("結合により提供する個人情報の項目", "氏名、住所、生年月日、性別、要配慮事項"),
            ("対象者の範囲", "市の指定避難所に避難した者"),
            ("特定個人情報の有無", "無"),
            ("根拠", "災害対策基本法第９０条の３"),
            ("結合の開始予定日", D(2022, 12, 1)),
            ("審議会への諮問", "令和４年度第２回審議会（令和４年８月３０日）で承認"),
        ],
    ),
    (
        "新規９　外部結合の概要",
        [
            ("実施機関", "選挙管理委員会"),
            ("業務名", "期日前投票所における受付システムの利用"),
            ("所管課", "選挙管理委員会事務局"),
            ("結合の相手方", "株式会社ムサシ"),
            ("結合により提供する個人情報の項目", "選挙人名簿登録番号、氏名、生年月日、性別、住所、投票区"),
            ("対象者の範囲", "選挙人名簿に登録されている者"),
            ("特定個人情報の有無", "なし"),
            ("結合の開始予定日", "令和４年６月２２日"),
            ("根拠", "公職選挙法第１９条"),
            ("結合の理由", "期日前投票の受付と二重投票の防止を確実に行うため"),
            ("審議会への諮問", "令和４年度第１回審議会（令和４年５月２４日）で承認"),
        ],
    ),
    (
        "新規１０　外部結合届出書",
        [
            ("件名", "スマートフォン決済アプリによる市税等の納付"),
            ("所管課", "納税課"),
            ("結合の相手方", "株式会社ＮＴＴデータ"),
            ("提供・受領の別", "提供"),
            ("結合により提供する個人情報の項目", "納付番号、確認番号、税目、納付金額、納期限"),
            ("特定個人情報の有無", "無"),
            ("結合の理由", "納付方法を増やし、納税者の利便性の向上を図るため"),
            ("根拠", "地方自治法第２３１条の２の２"),
            ("結合の開始予定日", "令和５年１月４日"),
            ("審議会への諮問", "令和４年度第３回審議会（令和４年１１月２２日）へ報告"),
        ],
    ),
    (
        "新規１１　外部結合届出書",
        [
            ("件名", "障害福祉サービス費等の審査支払"),
            ("所管課", "福祉課"),
            ("結合の相手方", "静岡県国民健康保険団体連合会"),
            ("結合の理由", "障害福祉サービス等の給付費の審査及び支払事務を委託するため"),
            ("結合により提供する個人情報の項目", "受給者証番号、氏名、生年月日、支給決定の内容など"),
            ("対象者の範囲", "障害福祉サービス等の支給決定を受けた者"),
            ("特定個人情報の有無", "無"),
            ("結合の開始予定日", "令和４年１０月１日"),
            ("審議会への諮問", "令和４年度第２回審議会（令和４年８月３０日）で了承"),
        ],
    ),
    (
        "新規１２　外部結合届出書",
        [
            ("件名", "電子申請サービスの利用"),
            ("所管課", "情報政策課"),
            ("結合の相手方", "ＬＧＷＡＮ－ＡＳＰサービス提供事業者"),
            ("結合の理由", "各種申請・届出をインターネットから行えるようにするため"),
            ("結合により提供する個人情報の項目", "申請者の氏名、住所、電話番号、メールアドレス、申請内容"),
            ("対象者の範囲", "電子申請を利用して申請・届出を行う者"),
            ("特定個人情報の有無", "無"),
            ("根拠", "情報通信技術を活用した行政の推進等に関する法律第６条第１項"),
            ("結合の開始予定日", D(2023, 2, 1)),
            ("審議会への諮問", "令和４年度第３回審議会（令和４年１１月２２日）で承認"),
        ],
    ),
]

ENDED = [
    (
        "廃止１　外部結合の概要",
        [
            ("件名", "軽自動車税申告データの受領"),
            ("所管課", "税務課"),
            ("結合の相手方", "一般社団法人全国軽自動車協会連合会"),
            ("提供していた個人情報の項目", "所有者の氏名、住所、車台番号、車両番号"),
            ("結合の廃止日", "令和５年３月３１日"),
            ("廃止の理由", "軽自動車税のワンストップサービスへ移行したため"),
        ],
    ),
    (
        "廃止２　外部結合の概要",
        [
            ("件名", "学校給食費の口座振替データの伝送"),
            ("所管課", "学校給食課"),
            ("結合の相手方", "株式会社静岡銀行"),
            ("提供していた個人情報の項目", "保護者の氏名、口座番号、振替金額"),
            ("当初の結合開始日", "平成２９年４月１日"),
            ("結合の廃止日", D(2023, 3, 31)),
            ("廃止の理由", "学校給食費の公会計化に伴い、市の収納システムでの口座振替に切り替えたため"),
        ],
    ),
    (
        "廃止３　外部結合の概要",
        [
            ("件名", "高齢者見守りサービスの利用者情報の提供"),
            ("所管課", "長寿推進課"),
            ("結合の相手方", "セコム株式会社"),
            ("提供していた個人情報の項目", "氏名、住所、電話番号、緊急連絡先"),
            ("結合の廃止日", "令和４年９月３０日"),
            ("廃止の理由", "事業の見直しにより見守りサービスを終了したため"),
        ],
    ),
]

KANJI_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def wareki(d: dt.date) -> str:
    """A date as the page writes it: 令和４年７月１日 (平成 before 2019-05-01)."""
    if d >= D(2019, 5, 1):
        era, y = "令和", d.year - 2018
    else:
        era, y = "平成", d.year - 1988
    return f"{era}{y}年{d.month}月{d.day}日".translate(KANJI_DIGITS)


def shown(v: object) -> str:
    return wareki(v) if isinstance(v, D) else str(v)


def esc(v: object) -> str:
    return html.escape(shown(v)).replace("\n", "<br>")


def form_table(rows: list[tuple[str, object]]) -> str:
    out = ['<table class="form">', "<tr><th>項目</th><th>内容</th></tr>"]
    out += [f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows]
    out.append("</table>")
    return "\n".join(out)


def page() -> str:
    summ = ["<table>", "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in SUM_HEAD) + "</tr>"]
    summ += ["<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for r in SUM]
    summ.append("</table>")
    parts = [
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">',
        f"<title>{H1}｜掛川市</title>",
        "<style>body { font-size: 10pt; } table { border-collapse: collapse; margin: 0 0 1em; }",
        "th, td { border: 1px solid #555; padding: 3px 6px; vertical-align: top; text-align: left; }",
        "table.form th { width: 14em; background: #eef; } table.form td { width: 30em; }</style>",
        "</head><body>",
        f"<h1>{H1}</h1>",
        f"<p>{LEAD}</p>",
        "<h2>１　外部結合の件数</h2>",
        "\n".join(summ),
        "<h2>２　新たに結合を開始したもの</h2>",
    ]
    for head, rows in NEW:
        parts += [f"<h3>{esc(head)}</h3>", form_table(rows)]
    parts.append("<h2>３　結合を廃止したもの</h2>")
    for head, rows in ENDED:
        parts += [f"<h3>{esc(head)}</h3>", form_table(rows)]
    parts += ["<p>お問い合わせ：総務課　行政係</p>", "</body></html>", ""]
    return "\n".join(parts)


def chromium(*args: str) -> str:
    return subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def browser_copy(src: str) -> str:
    """document.body.innerText of the page, as Chromium lays it out (what select-all + copy gives)."""
    script = (
        "<script>window.onload=function(){var t=document.body.innerText;"
        "document.body.innerHTML='';var p=document.createElement('pre');p.id='copy';"
        "p.textContent=t;document.body.appendChild(p);};</script>"
    )
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "page.html"
        f.write_text(src.replace("</body>", script + "</body>"), encoding="utf-8")
        dom = chromium("--virtual-time-budget=2000", "--dump-dom", f.as_uri())
    m = re.search(r'<pre id="copy">(.*?)</pre>', dom, re.S)
    assert m, dom[:500]
    return html.unescape(m.group(1))


def xlsx() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "集計"
    ws["A1"] = H1
    ws["A2"] = "１　外部結合の件数"
    for r, row in enumerate([SUM_HEAD] + SUM, start=3):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    for names, forms, title in (
        ([str(i) for i in range(1, len(NEW) + 1)], NEW, "２　新たに結合を開始したもの"),
        ([f"廃止{i}" for i in range(1, len(ENDED) + 1)], ENDED, "３　結合を廃止したもの"),
    ):
        for name, (head, rows) in zip(names, forms):
            s = wb.create_sheet(name)
            s["A1"] = title
            s["A2"] = head
            s["A2"].font = Font(bold=True)
            s.cell(row=4, column=1, value="項目")
            s.cell(row=4, column=2, value="内容")
            for r, (k, v) in enumerate(rows, start=5):
                s.cell(row=r, column=1, value=k)
                cell = s.cell(row=r, column=2, value=v)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(v, D):
                    cell.number_format = "[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\";@"
            s.column_dimensions["A"].width = 34
            s.column_dimensions["B"].width = 60
    wb.save("report.xlsx")


def main() -> None:
    src = page()
    Path("report.html").write_text(src, encoding="utf-8")
    chromium("--no-pdf-header-footer", "--print-to-pdf=report.pdf", "report.html")
    Path("report.txt").write_text(browser_copy(src), encoding="utf-8")
    xlsx()


if __name__ == "__main__":
    main()
