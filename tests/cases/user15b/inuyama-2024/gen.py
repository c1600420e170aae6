"""Made-up 外部結合 report of 犬山市 (愛知県, 232157), FY2024, as a council document in prose.

Writes report.docx (python-docx, typed numbers, hanging indents), report.pdf (the equivalent HTML
printed by headless Chromium) and report.txt (the PDF's text as its viewer copies it: PDFium's
get_text_range, which is what Chromium's own PDF viewer copies).
"""

import html
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent

HEAD = [
    ("right", "資料３"),
    ("right", "令和７年２月１３日"),
    ("center", "令和６年度第３回犬山市個人情報保護審議会"),
    ("title", "報告第３号　外部結合について"),
]
LEAD = (
    "　令和６年度中に、市の機関が新たに開始し、又は終了した外部結合（実施機関が保有する電子計算機と"
    "実施機関以外の者が保有する電子計算機とを通信回線で結合し、個人情報を提供等することをいう。）"
    "について、次のとおり報告します。"
)
SUM_HEAD = ["実施機関", "令和５年度末", "新規", "終了", "令和６年度末", "うち特定個人情報"]
SUM = [
    ["市長", "52", "8", "2", "58", "21"],
    ["教育委員会", "6", "2", "1", "7", "0"],
    ["選挙管理委員会", "1", "1", "0", "2", "0"],
    ["合計", "59", "11", "3", "67", "21"],
]
SUM_NOTE = "※令和６年度末の件数は、令和７年３月３１日に終了する予定のものを除いた見込みの件数です。"

# (heading, [(label, value), ...]); a value with "\n" has a line break typed by the clerk
NEW = [
    (
        "戸籍証明書コンビニ交付サービスとの結合",
        [
            ("実施機関", "市長"),
            ("担当課", "市民課"),
            ("結合先", "地方公共団体情報システム機構"),
            (
                "結合の目的",
                "本籍地が本市にある者が、全国のコンビニエンスストア等に設置されたマルチコピー機で"
                "戸籍謄本・抄本及び戸籍の附票の写しの交付を受けられるようにするため",
            ),
            ("提供する個人情報", "本籍、筆頭者氏名、氏名、生年月日、父母の氏名、続柄、身分事項（合計７項目）"),
            ("対象者", "本市に本籍を有する者のうち、利用者証明用電子証明書の発行を受けている者"),
            ("開始日", "令和６年５月７日"),
            ("根拠", "戸籍法第１２０条の２"),
            ("特定個人情報", "含まない"),
            ("審議会", "令和６年度第１回審議会（令和６年５月２３日）に報告"),
        ],
    ),
    (
        "公金受取口座情報の照会に係る結合",
        [
            ("実施機関", "市長"),
            ("担当課", "子育て支援課"),
            ("結合先", "デジタル庁"),
            ("結合の目的", "児童手当の支給に当たり、受給者が登録した公金受取口座の情報を照会し、振込先とするため"),
            ("提供を受ける個人情報", "金融機関名、支店名、口座種別、口座番号、口座名義人（合計５項目）"),
            ("対象者", "児童手当の受給者のうち、公金受取口座を登録している者"),
            ("開始日", "令和６年６月１０日"),
            (
                "根拠",
                "公的給付の支給等の迅速かつ確実な実施のための預貯金口座の登録等に関する法律第１０条",
            ),
            ("特定個人情報", "含む"),
            ("審議会", "諮問不要（法令に基づくもの）"),
        ],
    ),
    (
        "国民健康保険資格確認書作成システムとの結合",
        [
            ("実施機関", "市長"),
            ("担当課", "保険年金課"),
            ("結合先", "愛知県国民健康保険団体連合会"),
            (
                "結合の目的",
                "被保険者証の新規発行の終了に伴い、マイナ保険証を保有していない被保険者に交付する"
                "資格確認書の作成を委託するため",
            ),
            (
                "提供する個人情報",
                "被保険者記号番号、氏名、生年月日、性別、住所、資格取得年月日、個人番号（合計７項目）",
            ),
            ("対象者", "国民健康保険の被保険者"),
            ("開始日", "令和６年１２月２日"),
            (
                "根拠",
                "国民健康保険法第１１３条の３\n"
                "行政手続における特定の個人を識別するための番号の利用等に関する法律第１９条第６号",
            ),
            ("特定個人情報", "含む"),
            ("審議会", "令和６年度第２回審議会（令和６年８月２２日）で承認"),
        ],
    ),
    (
        "主治医意見書電子化サービスとの結合",
        [
            ("実施機関", "市長"),
            ("担当課", "長寿社会課"),
            ("結合先", "ＬＧＷＡＮ－ＡＳＰサービス提供事業者（株式会社ＴＫＣ）"),
            (
                "結合の目的",
                "要介護認定に必要な主治医意見書を医療機関から電子的に受け取り、認定事務の期間を"
                "短縮するため",
            ),
            (
                "提供する個人情報",
                "被保険者番号、氏名、生年月日、住所、要介護状態区分、主治医意見書の内容等（合計６項目）",
            ),
            ("対象者", "要介護認定及び要支援認定の申請者"),
            ("開始日", "令和６年７月１日"),
            ("根拠", "介護保険法第２７条第３項"),
            ("特定個人情報", "含まない"),
            ("審議会", "令和６年度第１回審議会（令和６年５月２３日）で承認"),
        ],
    ),
    (
        "電子申請受付サービスとの結合",
        [
            ("実施機関", "市長"),
            ("担当課", "企画広報課、市民課"),
            ("結合先", "株式会社グラファー"),
            ("結合の目的", "各種申請・届出をスマートフォン等からオンラインで受け付けるため"),
            ("提供する個人情報", "氏名、住所、電話番号、メールアドレス、申請内容（合計５項目）"),
            ("対象者", "電子申請を利用する者"),
            ("開始日", "令和６年９月２日"),
            ("根拠", "情報通信技術を活用した行政の推進等に関する法律第６条"),
            ("特定個人情報", "含まない"),
            ("審議会", "令和６年度第２回審議会（令和６年８月２２日）で承認"),
        ],
    ),
    (
        "後期高齢者健康診査結果データ連携",
        [
            ("実施機関", "市長"),
            ("担当課", "保険年金課"),
            ("結合先", "一般社団法人尾北医師会"),
            (
                "結合の目的",
                "後期高齢者健康診査の受診券情報を実施医療機関と共有し、受診結果を速やかに把握する"
                "ため",
            ),
            ("提供する個人情報", "氏名、生年月日、性別、被保険者番号、受診券番号（合計５項目）"),
            ("対象者", "後期高齢者医療制度の被保険者のうち、健康診査の対象となる者"),
            ("開始日", "令和６年６月３日"),
            ("根拠", "高齢者の医療の確保に関する法律第１２５条第１項"),
            ("特定個人情報", "含まない"),
            ("審議会", "令和６年度第１回審議会（令和６年５月２３日）で承認"),
        ],
    ),
    (
        "特別徴収税額通知の電子送付に係る結合",
        [
            ("実施機関", "市長"),
            ("担当課", "税務課"),
            ("結合先", "地方税共同機構"),
            (
                "結合の目的",
                "給与所得に係る個人住民税の特別徴収税額の通知を、ｅＬＴＡＸを経由して特別徴収義務者に"
                "電子的に送付するため",
            ),
            ("提供する個人情報", "氏名、住所、個人番号、給与所得の金額、特別徴収税額（合計５項目）"),
            ("対象者", "給与所得に係る個人住民税の特別徴収の対象となる者"),
            ("開始日", "令和６年５月１５日"),
            ("根拠", "地方税法第３２１条の４第１項"),
            ("特定個人情報", "含む"),
            ("審議会", "諮問不要（法令に基づくもの）"),
        ],
    ),
    (
        "障害福祉サービス費等審査支払システムとの結合",
        [
            ("実施機関", "市長"),
            ("担当課", "福祉課"),
            ("結合先", "愛知県国民健康保険団体連合会、公益社団法人国民健康保険中央会"),
            ("結合の目的", "障害福祉サービス費等の審査及び支払に関する事務を委託するため"),
            (
                "提供する個人情報",
                "受給者証番号、氏名、生年月日、支給決定内容、利用者負担上限月額（合計５項目）",
            ),
            ("対象者", "障害福祉サービス等の支給決定を受けた者"),
            ("開始日", "令和６年４月１日"),
            (
                "根拠",
                "障害者の日常生活及び社会生活を総合的に支援するための法律第２９条第７項",
            ),
            ("特定個人情報", "含まない"),
            ("審議会", "令和６年度第１回審議会（令和６年５月２３日）に報告"),
        ],
    ),
    (
        "校務支援システムのクラウド化",
        [
            ("実施機関", "教育委員会"),
            ("担当課", "学校教育課"),
            ("結合先", "株式会社ＥＤＵＣＯＭ"),
            ("結合の目的", "市立小中学校の校務支援システムをクラウド環境に移行し、教職員の校務を効率化するため"),
            (
                "提供する個人情報",
                "児童生徒氏名、生年月日、性別、住所、保護者氏名、成績、出欠状況、健康診断結果（合計８項目）",
            ),
            ("対象者", "市立小中学校に在籍する児童生徒及びその保護者"),
            ("開始日", "令和６年４月１日"),
            ("根拠", "―"),
            ("特定個人情報", "含まない"),
            ("審議会", "令和５年度第４回審議会（令和６年２月１５日）で承認"),
        ],
    ),
    (
        "図書館システムのクラウド化",
        [
            ("実施機関", "教育委員会"),
            ("担当課", "生涯学習課"),
            ("結合先", "株式会社図書館流通センター"),
            ("結合の目的", "図書館システムをクラウドサービスに移行し、利用者情報及び貸出情報を管理するため"),
            ("提供する個人情報", "利用者番号、氏名、生年月日、住所、電話番号、貸出履歴（合計６項目）"),
            ("対象者", "市立図書館の利用登録者"),
            ("開始日", "令和６年１１月５日"),
            ("根拠", "―"),
            ("特定個人情報", "含まない"),
            ("審議会", "令和６年度第２回審議会（令和６年８月２２日）で承認"),
        ],
    ),
    (
        "期日前投票所における名簿対照システムとの結合",
        [
            ("実施機関", "選挙管理委員会"),
            ("担当課", "選挙管理委員会事務局"),
            ("結合先", "株式会社ムサシ"),
            (
                "結合の目的",
                "複数の期日前投票所で選挙人名簿の対照をオンラインで行い、二重投票を防止するため",
            ),
            (
                "提供する個人情報",
                "選挙人名簿登録番号、氏名、生年月日、性別、住所、投票状況（合計６項目）",
            ),
            ("対象者", "本市の選挙人名簿に登録されている者"),
            ("開始日", "令和６年１０月１５日"),
            ("根拠", "公職選挙法第４８条の２"),
            ("特定個人情報", "含まない"),
            ("審議会", "令和６年度第２回審議会（令和６年８月２２日）で承認"),
        ],
    ),
]
ENDED = [
    (
        "住民税申告支援システムとの結合",
        [
            ("実施機関", "市長"),
            ("担当課", "税務課"),
            ("結合先", "株式会社ＴＫＣ"),
            ("提供していた個人情報", "氏名、住所、生年月日、前年の所得金額（合計４項目）"),
            ("終了日", "令和６年９月３０日"),
            ("終了の理由", "基幹系システムの標準化に伴い、申告受付の機能を庁内のシステムに統合したため"),
        ],
    ),
    (
        "保育所等入所申込みの電子受付",
        [
            ("実施機関", "市長"),
            ("担当課", "子育て支援課"),
            ("結合先", "株式会社トラストバンク"),
            ("提供していた個人情報", "保護者氏名、児童氏名、生年月日、住所、就労状況（合計５項目）"),
            ("結合期間", "令和２年１０月１日から令和７年３月３１日（予定）まで"),
            ("終了の理由", "電子申請の受付を株式会社グラファーのサービスに一本化するため（第２の５参照）"),
        ],
    ),
    (
        "校務支援システム（オンプレミス版）の保守に係る結合",
        [
            ("実施機関", "教育委員会"),
            ("担当課", "学校教育課"),
            ("結合先", "株式会社ＥＤＵＣＯＭ"),
            ("提供していた個人情報", "児童生徒氏名、生年月日、成績、出欠状況（合計４項目）"),
            ("終了日", "令和６年７月３１日"),
            ("終了の理由", "クラウド版への移行及びデータの移行が完了したため"),
        ],
    ),
]
NUM = "０１２３４５６７８９"


def zen(n: int) -> str:
    return "".join(NUM[int(d)] for d in str(n))


def blocks() -> list[tuple[str, str]]:
    """(kind, text) paragraphs of the body after the summary: sec, conn, field."""
    out: list[tuple[str, str]] = [("sec", "第２　新たに結合したもの")]
    for i, (head, fields) in enumerate(NEW, start=1):
        out.append(("conn", f"{zen(i)}　{head}"))
        out += [("field", f"（{zen(k)}）{lab}　{val}") for k, (lab, val) in enumerate(fields, start=1)]
    out.append(("sec", "第３　結合を終了したもの"))
    for i, (head, fields) in enumerate(ENDED, start=1):
        out.append(("conn", f"{zen(i)}　{head}"))
        out += [("field", f"（{zen(k)}）{lab}　{val}") for k, (lab, val) in enumerate(fields, start=1)]
    out.append(("right", "以上"))
    return out


def build_docx() -> None:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    style = doc.styles["Normal"]
    style.font.name = "ＭＳ 明朝"
    style.font.size = Pt(10.5)
    for kind, text in HEAD:
        p = doc.add_paragraph(text)
        if kind == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.runs[0].bold = True
            p.runs[0].font.size = Pt(14)
    doc.add_paragraph(LEAD)
    doc.add_paragraph("第１　外部結合の件数")
    t = doc.add_table(rows=1 + len(SUM), cols=len(SUM_HEAD))
    t.style = "Table Grid"
    for r, row in enumerate([SUM_HEAD, *SUM]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    doc.add_paragraph(SUM_NOTE)
    for kind, text in blocks():
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        if kind == "conn":
            fmt.left_indent, fmt.first_line_indent = Mm(7.4), Mm(-3.7)
        elif kind == "field":  # hanging indent: a wrapped line starts under the label
            fmt.left_indent, fmt.first_line_indent = Mm(14.8), Mm(-7.4)
        elif kind == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        lines = text.split("\n")
        for k, line in enumerate(lines):
            run = p.add_run(line)
            if k < len(lines) - 1:
                run.add_break()  # Shift+Enter; the next line typed under the value with spaces
        if "\n" in text:
            # the clerk lined the second statute up with full-width spaces after the break
            p.runs[1].text = "　　　　" + p.runs[1].text
    doc.save(HERE / "report.docx")


def build_html(path: Path) -> None:
    def h(s: str) -> str:
        return html.escape(s)

    body = []
    for kind, text in HEAD:
        cls = {"right": "r", "center": "c", "title": "t"}[kind]
        body.append(f'<p class="{cls}">{h(text)}</p>')
    body.append(f"<p>{h(LEAD)}</p>")
    body.append("<p>第１　外部結合の件数</p>")
    body.append("<table>")
    body.append("<tr>" + "".join(f"<th>{h(x)}</th>" for x in SUM_HEAD) + "</tr>")
    for row in SUM:
        body.append("<tr>" + "".join(f"<td>{h(x)}</td>" for x in row) + "</tr>")
    body.append("</table>")
    body.append(f"<p>{h(SUM_NOTE)}</p>")
    for kind, text in blocks():
        cls = {"sec": "s", "conn": "n", "field": "f", "right": "r"}[kind]
        inner = "<br>".join(
            h(("　　　　" if k else "") + line) for k, line in enumerate(text.split("\n"))
        )
        body.append(f'<p class="{cls}">{inner}</p>')
    page = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>報告第３号</title>'
        "<style>@page { size: A4; margin: 25mm; } body { font-family: serif; font-size: 10.5pt; }"
        " p { margin: 0 0 2pt 0; } .r { text-align: right; } .c { text-align: center; }"
        " .t { text-align: center; font-weight: bold; font-size: 14pt; margin: 8pt 0; }"
        " .s { margin-top: 8pt; } .n { padding-left: 2em; text-indent: -1em; margin-top: 4pt; }"
        " .f { padding-left: 4em; text-indent: -2em; }"
        " table { border-collapse: collapse; margin: 4pt 0; }"
        " th, td { border: 1px solid #000; padding: 2pt 6pt; } td { text-align: right; }"
        " td:first-child { text-align: left; }</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")


def build_pdf() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        build_html(page)
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={HERE / 'report.pdf'}",
                str(page),
            ],
            check=True,
            stderr=subprocess.DEVNULL,
        )


def build_txt() -> None:
    """Select all, copy, in the PDF viewer: PDFium's text of each page, pages one after another."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(HERE / "report.pdf")
    pages = []
    for page in pdf:
        tp = page.get_textpage()
        pages.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
    (HERE / "report.txt").write_text("\n".join(p.rstrip("\n") for p in pages) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build_docx()
    build_pdf()
    build_txt()
