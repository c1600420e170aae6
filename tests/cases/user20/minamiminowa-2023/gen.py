"""Made-up 外部結合 report of 南箕輪村 (長野県, 203858), FY2023 (令和５年度), as a village posts it.

One simple page: title, a summary (村長, 教育委員会, 合計), table 1 (new connections) whose counterparty
is given in TWO columns 「提供先」 and 「受領元」 (a row fills one or both: the direction follows from
which), a council column left blank with a ※ note (no council needed from FY2023), table 2 (変更: two
changes to connections of earlier years), table 3 (終了: one row).

Writes report.html, report.txt (the page copied from a browser: each table row tab-separated) and,
when reportlab is installed, report.pdf (the same tables printed).
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent

TITLE = "令和５年度 南箕輪村 外部電子計算機との結合の状況"
INTRO = (
    "南箕輪村個人情報の保護に関する法律施行条例の規定に基づき、令和５年度における村の機関の"
    "電子計算機と外部の電子計算機との結合の状況を公表します。"
)
SUMMARY = [
    ["実施機関", "令和4年度末", "新規", "終了", "令和5年度末", "うち特定個人情報を含むもの"],
    ["村長", "20", "7", "1", "26", "6"],
    ["教育委員会", "3", "1", "0", "4", "0"],
    ["合計", "23", "8", "1", "30", "6"],
]
SUMMARY_NOTE = "※ 結合内容の変更（3.に記載）は、上の件数に含めていません。"
NEW_HEAD = [
    "No.",
    "担当課",
    "業務名",
    "結合の目的",
    "記録項目",
    "対象者",
    "提供先",
    "受領元",
    "特定個人情報",
    "審議会※",
    "開始日",
]
NEW = [
    ["1", "総務課", "電子申請受付事務", "行政手続のオンライン化により住民の利便性を高めるため",
     "氏名（カナ）、住所（村内に限る）、電話番号、申請内容", "電子申請を行った者",
     "", "株式会社トラストバンク", "非該当", "", "2023/10/1"],
    ["2", "税務課", "給与支払報告書受付事務", "給与支払報告書を電子的に受け付けるため",
     "氏名、住所、生年月日、個人番号、給与支払額", "村内に住所を有する給与所得者",
     "", "地方税共同機構", "該当", "", "令和5年5月15日"],
    ["3", "住民環境課", "戸籍情報連携事務", "戸籍証明書の広域交付に対応するため",
     "氏名、本籍、生年月日、戸籍の記載事項", "村に本籍を有する者",
     "法務省", "法務省", "非該当", "", "2024/3/1"],
    ["4", "健康福祉課", "予防接種記録管理事務", "予防接種の記録を県と共有するため",
     "氏名（カナ）、生年月日、性別、接種履歴", "予防接種の対象者",
     "長野県", "", "非該当", "", "令和5年7月3日"],
    ["5", "健康福祉課", "後期高齢者医療資格管理事務", "広域連合の標準システムと資格情報を連携するため",
     "被保険者番号、氏名、住所（村内に限る）、個人番号", "後期高齢者医療の被保険者",
     "長野県後期高齢者医療広域連合", "長野県後期高齢者医療広域連合", "該当", "", "2023/6/1"],
    ["6", "子育て支援課", "児童手当現況届電子受付事務", "現況届をオンラインで受け付けるため",
     "氏名、住所、口座情報", "児童手当の受給者",
     "", "LGWAN-ASPサービス提供事業者", "非該当", "", "令和5年11月1日"],
    ["7", "産業課", "ふるさと納税寄附受付事務", "寄附の申込みを電子的に受け付けるため",
     "氏名（カナ）、住所、電話番号、寄附金額", "寄附を申し込んだ者",
     "", "株式会社さとふる", "非該当", "", "2023/12/1"],
    ["8", "教育委員会事務局", "学校給食費管理事務", "給食費の口座振替を委託するため",
     "児童生徒氏名、学年、保護者氏名（カナ）、口座番号", "村立小中学校の児童生徒の保護者",
     "株式会社長野県協同電算", "", "非該当", "", "令和6年2月1日"],
]
NEW_NOTE = (
    "※ 令和5年4月1日の個人情報の保護に関する法律の改正法の施行により、外部結合について"
    "審議会への諮問・報告は不要となったため、審議会欄は空欄としています。"
)
CHANGE_HEAD = [
    "No.",
    "担当課",
    "業務名",
    "変更の理由",
    "記録項目（変更後）",
    "対象者",
    "提供先",
    "受領元",
    "特定個人情報",
    "審議会※",
    "変更日",
]
CHANGE = [
    ["1", "住民環境課", "国民健康保険資格管理事務", "令和3年度に開始した結合の記録項目に個人番号を追加するため",
     "被保険者番号、氏名、生年月日、個人番号（追加）", "国民健康保険の被保険者",
     "長野県国民健康保険団体連合会", "長野県国民健康保険団体連合会", "該当", "", "2023/9/1"],
    ["2", "健康福祉課", "健康診断結果管理事務",
     "システム更改に伴い結合先を変更したため（変更前：株式会社信州システム）",
     "氏名、生年月日、性別、健診結果", "特定健康診査の受診者",
     "株式会社伊那データセンター", "", "非該当", "", "令和6年1月4日"],
]
END_HEAD = ["No.", "担当課", "業務名", "結合先", "記録項目", "終了日", "終了の理由"]
END = [
    ["1", "総務課", "電子申請受付事務", "株式会社信州電子サービス", "氏名、住所、申請内容",
     "令和5年9月30日", "新たな電子申請サービス（1.のNo.1）へ移行したため"],
]

SECTIONS = [
    ("1. 令和５年度に新たに結合したもの", NEW_HEAD, NEW, NEW_NOTE),
    ("2. 令和５年度に結合を終了したもの", END_HEAD, END, None),
    ("3. 結合の内容を変更したもの", CHANGE_HEAD, CHANGE, NEW_NOTE),
]


def write_html() -> None:
    def table(rows: list[list[str]]) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>\n" for r in rows[1:]
        )
        return f"<table border=\"1\">\n<tr>{head}</tr>\n{body}</table>\n"

    parts = [
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">",
        f"<title>{html.escape(TITLE)}</title></head><body>",
        f"<h1>{html.escape(TITLE)}</h1>",
        f"<p>{html.escape(INTRO)}</p>",
        "<h2>結合の状況（件数）</h2>",
        table(SUMMARY),
        f"<p>{html.escape(SUMMARY_NOTE)}</p>",
    ]
    for heading, head, rows, note in SECTIONS:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(table([head, *rows]))
        if note:
            parts.append(f"<p>{html.escape(note)}</p>")
    parts.append("</body></html>\n")
    (HERE / "report.html").write_text("\n".join(parts), encoding="utf-8")


def write_txt() -> None:
    lines = [TITLE, INTRO, "結合の状況（件数）", *("\t".join(r) for r in SUMMARY), SUMMARY_NOTE]
    for heading, head, rows, note in SECTIONS:
        lines.append(heading)
        lines.extend("\t".join(r) for r in [head, *rows])
        if note:
            lines.append(note)
    (HERE / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_pdf() -> None:
    try:
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    except ImportError:
        return
    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")

    def table(rows: list[list[str]], widths: list[int]) -> Table:
        t = Table([[Paragraph(html.escape(c), cell) for c in r] for r in rows], colWidths=widths)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    wide = [22, 50, 70, 90, 110, 70, 80, 80, 40, 34, 56]
    widths = {id(NEW_HEAD): wide, id(CHANGE_HEAD): wide, id(END_HEAD): [22, 50, 90, 110, 150, 70, 150]}
    story = [
        Paragraph(html.escape(TITLE), body),
        Paragraph(html.escape(INTRO), body),
        Spacer(1, 6),
        Paragraph("結合の状況（件数）", body),
        table(SUMMARY, [80, 70, 50, 50, 70, 140]),
        Paragraph(html.escape(SUMMARY_NOTE), body),
    ]
    for heading, head, rows, note in SECTIONS:
        story += [Spacer(1, 8), Paragraph(html.escape(heading), body), table([head, *rows], widths[id(head)])]
        if note:
            story.append(Paragraph(html.escape(note), body))
    SimpleDocTemplate(
        str(HERE / "report.pdf"), pagesize=landscape(A4), leftMargin=30, rightMargin=30, topMargin=30
    ).build(story)


if __name__ == "__main__":
    write_html()
    write_txt()
    write_pdf()
