"""Publish a made-up 嵐山町 (埼玉県) FY2024 外部結合 report as .docx, .html (→ .pdf) and .txt."""

import html
import pathlib

from docx import Document
from docx.shared import Pt

HERE = pathlib.Path(__file__).parent

TITLE = "令和６年度　外部電子計算機との結合に関する報告書"
DATE = "令和７年５月３０日"
SIGN = "嵐山町長　山田　一郎"
LEAD = (
    "嵐山町個人情報保護法施行条例第８条の規定により、令和６年度における外部電子計算機との"
    "結合の状況について、次のとおり報告します。"
)
SUMMARY_HEAD = ["実施機関", "前年度末件数", "新規", "廃止", "本年度末件数", "うち特定個人情報を含むもの"]
SUMMARY = [
    ["町長", "４０", "８", "２", "４６", "１５"],
    ["教育委員会", "５", "２", "０", "７", "１"],
    ["合計", "４５", "１０", "２", "５３", "１６"],
]
# new rows: (No, 担当課, 業務名, 相手方, 記録項目, 対象者, 根拠法令, 開始年月日, 特定個人情報, 審議会)
NEW_MAYOR = [
    (
        "１",
        "町民課",
        "住民票の写し等のコンビニ交付事務",
        "地方公共団体情報システム機構",
        "氏名\n住所\n生年月日\n性別",
        "住民基本台帳に記録されている者",
        "住民基本台帳法第１２条",
        "令和６年７月１日",
        "無",
        "令和６年度第１回\n承認",
    ),
    (
        "２",
        "町民課",
        "戸籍証明書等の広域交付事務",
        "法務省",
        "氏名\n本籍\n筆頭者氏名\n生年月日",
        "戸籍に記録されている者",
        "戸籍法第１２０条の２",
        "令和６年４月１日",
        "無",
        "令和６年度第１回\n承認",
    ),
    (
        "３",
        "町民課",
        "国民年金事務",
        "日本年金機構",
        "基礎年金番号\n氏名\n住所\n個人番号",
        "国民年金第１号被保険者",
        "国民年金法第１０８条",
        "令和６年６月３日",
        "有",
        "令和６年度第１回\n承認",
    ),
    (
        "４",
        "税務課",
        "個人住民税の電子申告受付事務",
        "地方税共同機構",
        "氏名\n住所\n個人番号\n所得額等",
        "町民税の納税義務者",
        "地方税法第７６２条",
        "令和６年１０月１日",
        "有",
        "令和６年度第２回\n承認",
    ),
    (
        "５",
        "税務課",
        "軽自動車税納税通知書印刷事務",
        "株式会社埼玉電算センター\n株式会社比企印刷",
        "氏名\n住所\n車両番号\n税額",
        "軽自動車税の納税義務者",
        "―",
        "令和６年４月１５日",
        "無",
        "令和６年度第１回\n報告",
    ),
    (
        "６",
        "健康福祉課",
        "後期高齢者医療事務",
        "埼玉県後期高齢者医療広域連合",
        "被保険者番号\n氏名\n生年月日\n個人番号",
        "後期高齢者医療の被保険者",
        "高齢者の医療の確保に関する法律第１３８条",
        "令和６年１２月２日",
        "有",
        "令和６年度第２回\n承認",
    ),
    (
        "７",
        "健康福祉課",
        "特定健康診査事務",
        "埼玉県国民健康保険団体連合会\n公益財団法人埼玉県健康づくり事業団",
        "被保険者番号\n氏名\n生年月日\n健診結果",
        "特定健康診査の受診者",
        "高齢者の医療の確保に関する法律第２０条",
        "令和６年５月１日",
        "無",
        "令和６年度第１回\n承認",
    ),
    (
        "８",
        "健康福祉課",
        "予防接種通知事務",
        "LGWAN-ASPサービス提供事業者",
        "氏名\n生年月日\n接種履歴",
        "予防接種の対象となる乳幼児の保護者",
        "予防接種法第５条",
        "令和７年１月６日",
        "無",
        "令和６年度第３回\n報告",
    ),
]
NEW_EDU = [
    (
        "９",
        "学校教育課",
        "就学援助事務",
        "株式会社比企システムズ",
        "児童生徒氏名\n保護者氏名\n住所\n世帯所得",
        "就学援助の申請者",
        "―",
        "令和６年８月１日",
        "無",
        "令和６年度第２回\n承認",
    ),
    (
        "１０",
        "学校教育課",
        "校務支援システム運用事務",
        "埼玉県教育委員会",
        "児童生徒氏名\n生年月日\n成績",
        "町立小中学校の児童生徒",
        "―",
        "令和６年４月１日",
        "無",
        "令和６年度第１回\n承認",
    ),
]
NEW_HEAD1 = [
    "No.",
    "担当課",
    "業務名",
    "結合の相手方",
    "結合の内容",
    "",
    "根拠法令",
    "開始年月日",
    "特定個人情報",
    "審議会",
]
NEW_HEAD2 = ["", "", "", "", "記録項目", "対象者", "", "", "", ""]
NEW_NOTES = [
    "※「特定個人情報」欄の「有」は、記録項目に個人番号を含むことを示す。",
    "※「審議会」欄は、嵐山町個人情報保護審議会への諮問（承認）又は報告の状況を示す。",
]
ENDED_HEAD = ["No.", "担当課", "業務名", "結合の相手方", "記録項目", "廃止年月日", "廃止の理由"]
ENDED = [
    (
        "１",
        "町民課",
        "住民票の写し等の自動交付機運用事務",
        "株式会社嵐山ビジネスサービス",
        "氏名\n住所\n生年月日",
        "令和６年６月３０日",
        "コンビニ交付への移行に伴い自動交付機を廃止したため",
    ),
    (
        "２",
        "健康福祉課",
        "母子健康手帳アプリ配信事務",
        "株式会社ミライヘルス",
        "氏名\n生年月日",
        "令和７年３月３１日",
        "契約期間が満了したため",
    ),
]
CLOSING = "以上のとおり報告します。なお、各結合については、個人情報の安全管理措置を講じています。"


def runs(groups: list[tuple]) -> list[int]:
    """Row spans of the department column: consecutive rows with the same 担当課."""
    spans, i = [], 0
    while i < len(groups):
        j = i
        while j < len(groups) and groups[j][1] == groups[i][1]:
            j += 1
        spans.append((i, j))
        i = j
    return spans


def set_cell(cell, text: str) -> None:
    p = cell.paragraphs[0]
    for k, line in enumerate(text.split("\n")):
        r = p.add_run(line)
        r.font.size = Pt(8)
        if k < len(text.split("\n")) - 1:
            r.add_break()


def docx_conn_table(doc, rows) -> None:
    t = doc.add_table(rows=2 + len(rows), cols=10)
    t.style = "Table Grid"
    for c in range(10):
        if c in (4, 5):
            set_cell(t.cell(1, c), NEW_HEAD2[c])
        else:
            t.cell(0, c).merge(t.cell(1, c))
    for c in range(10):
        if c != 5:
            set_cell(t.cell(0, c), NEW_HEAD1[c])
    t.cell(0, 4).merge(t.cell(0, 5))
    for i, row in enumerate(rows):
        for c, v in enumerate(row):
            if c == 1:
                continue
            set_cell(t.cell(2 + i, c), v)
    for a, b in runs(rows):
        cell = t.cell(2 + a, 1)
        if b - a > 1:
            cell = cell.merge(t.cell(2 + b - 1, 1))
        set_cell(cell, rows[a][1])


def build_docx() -> None:
    doc = Document()
    doc.add_paragraph(TITLE).runs[0].bold = True
    doc.add_paragraph(DATE)
    doc.add_paragraph(SIGN)
    doc.add_paragraph(LEAD)
    doc.add_paragraph("１　結合の状況")
    t = doc.add_table(rows=1 + len(SUMMARY), cols=6)
    t.style = "Table Grid"
    for r, row in enumerate([SUMMARY_HEAD, *SUMMARY]):
        for c, v in enumerate(row):
            set_cell(t.cell(r, c), v)
    doc.add_paragraph("２　新たに開始した結合")
    doc.add_paragraph("（１）町長が行うもの")
    docx_conn_table(doc, NEW_MAYOR)
    doc.add_paragraph("（２）教育委員会が行うもの")
    docx_conn_table(doc, NEW_EDU)
    for n in NEW_NOTES:
        doc.add_paragraph(n)
    doc.add_paragraph("３　廃止した結合")
    doc.add_paragraph("（１）町長が行うもの")
    t = doc.add_table(rows=1 + len(ENDED), cols=7)
    t.style = "Table Grid"
    for r, row in enumerate([ENDED_HEAD, *ENDED]):
        for c, v in enumerate(row):
            set_cell(t.cell(r, c), v)
    doc.add_paragraph("（２）教育委員会が行うもの")
    doc.add_paragraph("該当なし")
    doc.add_paragraph(CLOSING)
    doc.save(HERE / "report.docx")


def h(s: str) -> str:
    return html.escape(s).replace("\n", "<br>")


def html_conn_table(rows) -> str:
    out = ["<table>", "<tr>"]
    for c, v in enumerate(NEW_HEAD1):
        if c == 4:
            out.append(f'<th colspan="2">{h(v)}</th>')
        elif c != 5:
            out.append(f'<th rowspan="2">{h(v)}</th>')
    out.append("</tr><tr><th>記録項目</th><th>対象者</th></tr>")
    starts = {a: b - a for a, b in runs(rows)}
    for i, row in enumerate(rows):
        out.append("<tr>")
        for c, v in enumerate(row):
            if c == 1:
                if i in starts:
                    out.append(f'<td rowspan="{starts[i]}">{h(v)}</td>')
                continue
            out.append(f"<td>{h(v)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def build_html() -> None:
    p = lambda s: f"<p>{h(s)}</p>"  # noqa: E731
    body = [
        f'<p class="title">{h(TITLE)}</p>',
        f'<p class="r">{h(DATE)}</p>',
        f'<p class="r">{h(SIGN)}</p>',
        p(LEAD),
        p("１　結合の状況"),
        "<table><tr>"
        + "".join(f"<th>{h(v)}</th>" for v in SUMMARY_HEAD)
        + "</tr>"
        + "".join("<tr>" + "".join(f"<td>{h(v)}</td>" for v in r) + "</tr>" for r in SUMMARY)
        + "</table>",
        p("２　新たに開始した結合"),
        p("（１）町長が行うもの"),
        html_conn_table(NEW_MAYOR),
        p("（２）教育委員会が行うもの"),
        html_conn_table(NEW_EDU),
        *map(p, NEW_NOTES),
        p("３　廃止した結合"),
        p("（１）町長が行うもの"),
        "<table><tr>"
        + "".join(f"<th>{h(v)}</th>" for v in ENDED_HEAD)
        + "</tr>"
        + "".join("<tr>" + "".join(f"<td>{h(v)}</td>" for v in r) + "</tr>" for r in ENDED)
        + "</table>",
        p("（２）教育委員会が行うもの"),
        p("該当なし"),
        p(CLOSING),
    ]
    css = (
        "body{font-family:serif;font-size:9pt}table{border-collapse:collapse;margin:4pt 0}"
        "td,th{border:1px solid #000;padding:2pt;vertical-align:top}.title{text-align:center;"
        "font-weight:bold;font-size:12pt}.r{text-align:right}"
    )
    (HERE / "report.html").write_text(
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{h(TITLE)}</title>'
        f"<style>{css}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n",
        encoding="utf-8",
    )


def build_txt() -> None:
    """Word's plain-text save: paragraphs on lines; each table cell's lines on their own lines
    (a merged cell once, at its first row)."""
    lines = [TITLE, DATE, SIGN, LEAD, "１　結合の状況"]
    for r in [SUMMARY_HEAD, *SUMMARY]:
        lines += r
    lines += ["２　新たに開始した結合", "（１）町長が行うもの"]

    def conn(rows):
        out = [v for v in NEW_HEAD1 if v] + ["記録項目", "対象者"]
        starts = {a for a, _ in runs(rows)}
        for i, row in enumerate(rows):
            for c, v in enumerate(row):
                if c == 1 and i not in starts:
                    continue
                out += v.split("\n")
        return out

    lines += conn(NEW_MAYOR) + ["（２）教育委員会が行うもの"] + conn(NEW_EDU) + NEW_NOTES
    lines += ["３　廃止した結合", "（１）町長が行うもの", *ENDED_HEAD]
    for r in ENDED:
        for v in r:
            lines += v.split("\n")
    lines += ["（２）教育委員会が行うもの", "該当なし", CLOSING]
    (HERE / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build_docx()
    build_html()
    build_txt()
