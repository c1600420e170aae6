"""Made-up 外部結合 report of 蒲郡市 (愛知県, 232149), FY2019 (令和元年度), as an old-fashioned web page.

Writes report.html (Shift_JIS bytes, <meta charset=Shift_JIS>, the report's tables nested in a
site layout table), report.pdf (Chromium's print of it) and report.txt (the page as the browser
copies it: document.body.innerText, taken from headless Chromium).
"""

import html
import re
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE = "通信回線による電子計算機の結合（オンライン結合）の状況"

SUM_HEAD = ["実施機関", "平成30年度末<br>結合件数", "令和元年度中<br>新規", "令和元年度中<br>終了", "令和元年度末<br>結合件数", "左のうち特定個人<br>情報を含むもの"]
SUM = [["市長", 52, 9, 2, 59, 18], ["教育委員会", 7, 1, 1, 7, 0], ["合計", 59, 10, 3, 66, 18]]

NEW_HEAD = ["番号", "実施機関", "担当課", "業務の名称", "結合の相手方", "結合する個人情報の項目", "対象者", "結合の理由", "提供<br>受領", "特定個人<br>情報", "結合開始日", "審議会", "根拠法令"]
# fmt: off
NEW = [
    ["1", "市長", "市民課", "コンビニエンスストアにおける住民票の写し等の交付事務", "地方公共団体情報システム機構",
     "氏名<br>住所<br>生年月日<br>性別<br>本籍", "証明書の交付を申請した者",
     "市民の利便性の向上を図るため", "提供", "無", "令和元年十月一日",
     "令和元年度第2回審議会（令和元年7月25日）で承認", "住民基本台帳法第12条の4"],
    ["2", "市長", "保険年金課", "国民健康保険オンライン資格確認準備事務", "愛知県国民健康保険団体連合会<br>公益社団法人国民健康保険中央会",
     "被保険者記号番号<br>氏名<br>生年月日<br>性別<br>個人番号", "国民健康保険の被保険者",
     "オンライン資格確認の実施に向け、被保険者の資格情報を登録するため", "提供", "有", "2019年（令和元年）10月",
     "令和元年度第2回審議会（令和元年7月25日）で承認", "国民健康保険法第113条の3第1項"],
    ["3", "市長", "税務課", "個人住民税の給与支払報告書電子受付事務", "地方税共同機構",
     "氏名<br>住所<br>生年月日<br>個人番号<br>給与支払額<br>源泉徴収税額", "市内に住所を有する給与所得者",
     "eLTAXによる給与支払報告書の電子的提出に対応するため", "受領", "有", "H31.4.1",
     "平成30年度第4回審議会（平成31年3月20日）で承認", "地方税法第317条の6第1項"],
    ["4", "市長", "税務課", "軽自動車税申告情報受付事務", "一般社団法人全国軽自動車協会連合会",
     "所有者氏名<br>所有者住所<br>車両番号<br>車台番号", "市内に定置場を有する軽自動車の所有者",
     "軽自動車の登録手続のワンストップサービスに参加するため", "受領", "無", "令和元年5月1日",
     "平成30年度第4回審議会（平成31年3月20日）で承認", "－"],
    ["5", "市長", "長寿課", "介護認定審査会資料作成業務", "株式会社中日本ヘルスケアシステムズ",
     "被保険者番号<br>氏名<br>生年月日<br>性別<br>要介護状態区分<br>認定調査結果", "要介護認定の申請者",
     "審査会資料の作成を効率化するため", "提供", "無", "R1.10.1",
     "令和元年度第1回審議会（令和元年5月30日）で承認", "－"],
    ["6", "市長", "子育て支援課", "児童手当の電子申請受付事務", "内閣府",
     "申請者氏名<br>住所<br>生年月日<br>個人番号<br>口座情報等", "児童手当の受給資格者",
     "マイナポータル（ぴったりサービス）による電子申請を受け付けるため", "受領", "有", "R元.12.2",
     "令和元年度第3回審議会（令和元年10月24日）で承認", "児童手当法第7条"],
    ["7", "市長", "健康推進課", "健康管理システム運用事務", "株式会社ＲＫＫＣＳ",
     "氏名<br>生年月日<br>性別<br>住所<br>予防接種履歴<br>健診結果", "予防接種及び健康診査の対象者",
     "健康管理システムをＬＧＷＡＮ－ＡＳＰによるクラウド利用に切り替え、経費を削減するため", "提供", "無", "令和元年１１月５日",
     "令和元年度第2回審議会（令和元年7月25日）で承認", "予防接種法第5条第1項<br>健康増進法第19条の2"],
    ["8", "市長", "安全安心課", "避難行動要支援者名簿管理事務", "株式会社ゼンリン",
     "氏名<br>住所<br>生年月日<br>要支援区分<br>緊急連絡先", "避難行動要支援者",
     "地図情報と連携して名簿を管理するため", "提供", "無", "平成31年4月1日",
     "平成30年度第4回審議会（平成31年3月20日）で承認", "災害対策基本法第49条の10"],
    ["9", "市長", "福祉課", "障害福祉サービス費等の審査支払事務", "愛知県国民健康保険団体連合会",
     "受給者証番号<br>氏名<br>生年月日<br>サービス内容<br>請求額", "障害福祉サービスの受給者",
     "障害福祉サービス費等の審査及び支払を国保連合会に委託するため", "提供<br>受領", "無", "令和2年1月6日",
     "法令に基づくため諮問不要", "障害者の日常生活及び社会生活を総合的に支援するための法律第29条第7項"],
    ["10", "教育委員会", "学校教育課", "校務支援システム運用事務", "株式会社ＥＤＵＣＯＭ",
     "児童生徒氏名<br>生年月日<br>性別<br>保護者氏名<br>成績<br>出欠状況など", "市立小中学校の児童生徒",
     "教職員の校務負担を軽減するため", "提供", "無", "R2.2.3",
     "令和元年度第4回審議会（令和2年1月23日）で承認", ""],
]
# fmt: on

END_HEAD = ["番号", "実施機関", "担当課", "業務の名称", "結合の相手方", "結合していた個人情報の項目", "結合終了日", "終了の理由"]
# fmt: off
END = [
    ["1", "市長", "税務課", "固定資産税課税資料電算処理業務", "株式会社三河コンピュータサービス",
     "氏名<br>住所<br>課税標準額", "令和2年3月31日", "基幹系システムの更新に伴い委託を終了したため"],
    ["2", "市長", "保険年金課", "国民年金被保険者異動報告事務", "日本年金機構",
     "氏名<br>基礎年金番号<br>生年月日<br>資格取得年月日", "H31.4.30", "電子媒体による報告に切り替えたため"],
    ["3", "教育委員会", "生涯学習課", "図書館システム利用者管理業務", "株式会社図書館流通センター",
     "利用者氏名<br>住所<br>電話番号<br>生年月日", "令和元年十二月二十七日", "図書館システムを自庁設置型に移行したため"],
]
# fmt: on

MENU = ["トップページ", "くらしの情報", "健康・福祉", "子育て・教育", "観光・文化", "市政情報", "└ 情報公開", "└ 個人情報保護", "サイトマップ"]


def row(cells: list[object], head_first: bool) -> str:
    out = []
    for i, c in enumerate(cells):
        tag = "th" if (i == 0 and head_first) else "td"
        out.append(f"<{tag}>{c}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"


def table(head: list[str], rows: list[list[object]]) -> str:
    lines = ['<table border="1" cellspacing="0" cellpadding="3" width="100%">']
    lines.append("<tr>" + "".join(f'<th bgcolor="#ccffcc">{h}</th>' for h in head) + "</tr>")
    lines += [row(r, True) for r in rows]
    lines.append("</table>")
    return "\n".join(lines)


def page() -> str:
    menu = "<br>\n".join(f'<a href="#">{html.escape(m)}</a>' for m in MENU)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="ja">
<head>
<meta charset=Shift_JIS>
<title>{TITLE}｜蒲郡市</title>
<style>@page {{ size: A4 landscape; margin: 10mm; }} body {{ font-size: 9pt; }}</style>
</head>
<body bgcolor="#ffffff">
<table width="100%" border="0" cellspacing="0" cellpadding="4">
<tr><td colspan="2" bgcolor="#003399"><font color="#ffffff" size="+2"><b>蒲郡市</b></font>　<font color="#ffffff" size="-1">Gamagori City Official Website</font></td></tr>
<tr>
<td width="140" valign="top" bgcolor="#eeeeff">
<b>メニュー</b><br>
{menu}
</td>
<td valign="top">
<p><font size="-1">現在の位置：トップページ &gt; 市政情報 &gt; 個人情報保護 &gt; オンライン結合の状況</font></p>
<h2>{TITLE}</h2>
<p>蒲郡市個人情報保護条例第12条第2項の規定により、令和元年度（平成31年4月1日から令和2年3月31日まで）における通信回線による電子計算機の結合（オンライン結合）の状況を次のとおり公表します。</p>
<h3>１　結合の件数</h3>
{table(SUM_HEAD, SUM)}
<h3>２　令和元年度に開始した結合</h3>
{table(NEW_HEAD, NEW)}
<p><font size="-1">※「提供」は本市から相手方へ、「受領」は相手方から本市へ個人情報が送られるものです。</font></p>
<h3>３　令和元年度に終了した結合</h3>
{table(END_HEAD, END)}
<hr>
<p>このページに関するお問い合わせ<br>
総務部 行政課 文書法規係<br>
電話：0533-66-1100（代表）</p>
<p align="right"><font size="-1">更新日：令和2年6月15日</font></p>
</td>
</tr>
<tr><td colspan="2" align="center" bgcolor="#003399"><font color="#ffffff" size="-1">Copyright (C) Gamagori City. All Rights Reserved.</font></td></tr>
</table>
</body>
</html>
"""


def main() -> None:
    text = page()
    (HERE / "report.html").write_bytes(text.encode("cp932"))
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--print-to-pdf=" + str(HERE / "report.pdf"), str(HERE / "report.html")],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    # the browser's copy: innerText of the page, read by headless Chromium itself
    grab = text.replace(
        "</body>",
        "<script>window.addEventListener('load',()=>{const t=document.body.innerText;"
        "document.body.textContent='';const p=document.createElement('pre');p.id='copy';"
        "p.textContent=t;document.body.appendChild(p);});</script></body>",
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_bytes(grab.encode("cp932"))
        dom = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", str(src)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    copied = html.unescape(re.search(r'<pre id="copy">(.*?)</pre>', dom, re.S).group(1))
    (HERE / "report.txt").write_text(copied.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
