"""Made-up 外部結合 report of 会津若松市 (福島県, 072028), FY2022 (令和４年度), as a Word document.

Writes report.docx (python-docx): a summary table, the new connections' table SPLIT in two Word
tables by a page break (the second repeats the header row), ※ footnotes under it explaining the
marks of its 備考 column, items typed one paragraph each inside their cell, and a table of the 2
ended connections. Also writes report.txt: the same document as a clerk's plain-text copy (each
table row one line, cells apart by tabs, a cell's paragraphs joined by 「、」).
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent

TITLE = "令和４年度　外部結合の状況について（報告）"
LEAD = (
    "　会津若松市個人情報保護条例第１１条第２項の規定により、令和４年度に新たに開始し、又は終了した"
    "外部結合の状況を次のとおり報告します。"
)
SUM_HEAD = ["実施機関", "令和３年度末", "新規", "終了", "令和４年度末", "うち特定個人情報"]
SUM = [
    ["市長", "41", "8", "2", "47", "16"],
    ["教育委員会", "4", "2", "0", "6", "0"],
    ["合計", "45", "10", "2", "53", "16"],
]
NEW_HEAD = [
    "番号", "実施機関", "担当課", "業務名", "結合先", "結合する個人情報", "処理対象者",
    "開始日", "根拠法令", "審議会", "備考",
]
# items: a list (one paragraph each in the cell)
NEW = [
    ["１", "市長", "市民課", "住民票の写し等のコンビニ交付", "地方公共団体情報システム機構",
     ["氏名", "生年月日", "性別", "住所", "世帯主氏名"],
     "利用者証明用電子証明書の発行を受けている住民", "令和４年４月１日", "住民基本台帳法第１２条",
     "令和４年度第１回審議会（報告）", ""],
    ["２", "市長", "国保年金課", "後期高齢者医療資格管理", "福島県後期高齢者医療広域連合",
     ["被保険者番号", "氏名", "生年月日", "住所", "個人番号"],
     "後期高齢者医療の被保険者", "令和４年６月１日", "高齢者の医療の確保に関する法律第４８条",
     "令和４年度第１回審議会（承認）", "※１"],
    ["３", "市長", "高齢福祉課", "見守り配食サービス事業", "社会福祉法人会津若松市社会福祉協議会",
     ["氏名", "住所", "電話番号", "緊急連絡先"],
     "配食サービスの利用者", "令和４年７月１日", "－",
     "令和４年度第１回審議会（承認）", ""],
    ["４", "市長", "健康増進課", "健康診査結果の電子送付", "一般財団法人福島県保健衛生協会",
     ["氏名", "生年月日", "性別", "健診結果等"],
     "特定健康診査の受診者", "令和４年８月１日", "健康増進法第１９条の２",
     "令和４年度第２回審議会（承認）", ""],
    ["５", "市長", "税務課", "個人住民税の電子申告受付", "地方税共同機構",
     ["氏名", "住所", "個人番号", "所得金額"],
     "個人住民税の申告者", "令和４年１０月３日", "地方税法第３１７条の２",
     "令和４年度第２回審議会（承認）", "※１"],
    ["６", "市長", "障がい者支援課", "障害福祉サービス費の審査支払", "福島県国民健康保険団体連合会",
     ["受給者証番号", "氏名", "生年月日", "支給決定内容"],
     "障害福祉サービスの支給決定を受けた者", "令和４年１０月１日",
     "障害者の日常生活及び社会生活を総合的に支援するための法律第２９条第７項",
     "令和４年度第２回審議会（承認）", ""],
    ["７", "市長", "こども家庭課", "児童手当の公金受取口座照会", "デジタル庁",
     ["氏名", "個人番号", "口座情報"],
     "児童手当の受給者", "令和４年１１月１日",
     "行政手続における特定の個人を識別するための番号の利用等に関する法律第１９条第８号",
     "令和４年度第２回審議会（承認）", "※１"],
    ["８", "市長", "介護保険課", "要介護認定審査会資料の電子化", "株式会社ＴＫＣ",
     ["被保険者番号", "氏名", "生年月日", "認定調査結果"],
     "要介護認定の申請者", "令和５年１月４日", "介護保険法第２７条",
     "令和４年度第２回審議会（承認）", "※２"],
    ["９", "教育委員会", "学校教育課", "学習用端末の認証基盤", "日本マイクロソフト株式会社",
     ["児童生徒氏名", "学校名", "学年", "組"],
     "市立小中学校の児童生徒", "令和４年４月６日", "－",
     "令和３年度第４回審議会（承認）", ""],
    ["１０", "教育委員会", "生涯学習総合センター", "図書館システムのクラウド化", "株式会社図書館流通センター",
     ["利用者番号", "氏名", "生年月日", "住所", "電話番号"],
     "図書館の利用登録者", "令和５年３月１日", "－",
     "令和４年度第２回審議会（承認）", "※２"],
]
SPLIT = 6  # rows 1–6 on the first page, 7–10 after the page break
NOTES = [
    "※１　特定個人情報を含むもの。",
    "※２　ＬＧＷＡＮ－ＡＳＰサービスを利用するもの。",
]
END_HEAD = ["番号", "実施機関", "担当課", "業務名", "結合先", "結合していた個人情報", "終了日", "終了の理由"]
END = [
    ["１", "市長", "市民課", "証明書自動交付機による交付", "株式会社ＴＫＣ",
     ["氏名", "生年月日", "住所"], "令和５年２月２８日",
     "コンビニ交付への移行に伴い、自動交付機を廃止したため"],
    ["２", "市長", "健康増進課", "健診結果データの受付", "株式会社会津計算センター",
     ["氏名", "生年月日", "健診結果"], "令和４年７月３１日",
     "委託先の変更に伴い結合を終了したため"],
]


def cell_text(cell, value) -> None:
    """Write a value into a table cell: a list is one paragraph per element."""
    values = value if isinstance(value, list) else [value]
    cell.text = values[0]
    for more in values[1:]:
        cell.add_paragraph(more)


def table(doc, head, rows) -> None:
    t = doc.add_table(rows=1, cols=len(head))
    t.style = "Table Grid"
    for cell, name in zip(t.rows[0].cells, head):
        cell_text(cell, name)
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row):
            cell_text(cell, value)


def docx() -> None:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    style = doc.styles["Normal"]
    style.font.size = Pt(9)
    doc.add_paragraph("会津若松市")
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(LEAD)
    doc.add_paragraph("１　外部結合の件数")
    table(doc, SUM_HEAD, SUM)
    doc.add_paragraph("")
    doc.add_paragraph("２　令和４年度に新たに開始した外部結合")
    table(doc, NEW_HEAD, NEW[:SPLIT])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    table(doc, NEW_HEAD, NEW[SPLIT:])
    for note in NOTES:
        doc.add_paragraph(note)
    doc.add_paragraph("")
    doc.add_paragraph("３　令和４年度に終了した外部結合")
    table(doc, END_HEAD, END)
    doc.save(HERE / "report.docx")


def txt() -> None:
    def line(row) -> str:
        return "\t".join("、".join(v) if isinstance(v, list) else v for v in row)

    out = ["会津若松市", TITLE, LEAD, "１　外部結合の件数", line(SUM_HEAD)]
    out += [line(r) for r in SUM]
    out += ["", "２　令和４年度に新たに開始した外部結合", line(NEW_HEAD)]
    out += [line(r) for r in NEW[:SPLIT]]
    out += ["", line(NEW_HEAD)]
    out += [line(r) for r in NEW[SPLIT:]]
    out += NOTES
    out += ["", "３　令和４年度に終了した外部結合", line(END_HEAD)]
    out += [line(r) for r in END]
    (HERE / "report.txt").write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    docx()
    txt()
