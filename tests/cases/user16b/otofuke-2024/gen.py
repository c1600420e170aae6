"""Made-up 外部結合 report of 音更町 (北海道, 016314), FY2024 (令和６年度), as the 総務課 collects it.

A workbook: 表紙 (cover with ※ notes), 集計 (counts as formulas with Excel's cached values), then one
sheet per department (each: small title, the department merged across, table 新規 with its 計 row,
blank rows, table 廃止 with its 計 row; 〃 marks; one row hidden by the clerk; an autofilter; a cell
comment; dates as 和暦-formatted date cells or as text).

Writes report.xlsx, report.pdf (each sheet rendered as HTML, as Excel prints it, then Chromium
--print-to-pdf; the HTML is not kept) and report.txt (each sheet copied from Excel with Ctrl+A,
Ctrl+C: the sheet name on a line, then the used range tab-separated, CRLF, hidden rows included as
Excel copies them, cells with line breaks quoted).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
D = dt.date
WAREKI = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@'
KEN = '0"件"'


@dataclass
class F:
    """A formula with the value Excel caches for it, and the number format it is shown in."""

    expr: str
    cached: int
    fmt: str = "General"


def wareki(d: D) -> str:
    assert d >= D(2019, 5, 1)
    return f"令和{d.year - 2018}年{d.month}月{d.day}日"


def shown(v: object) -> str:
    """A cell as Excel shows it (and copies and prints it)."""
    if v is None:
        return ""
    if isinstance(v, D):
        return wareki(v)
    if isinstance(v, F):
        return f"{v.cached}件" if v.fmt == KEN else str(v.cached)
    return str(v)


NEW_HEAD = [
    "番号",
    "業務名",
    "結合の理由",
    "結合の相手方",
    "提供・受領の別",
    "結合する記録項目",
    "対象者の範囲",
    "特定個人情報",
    "根拠法令",
    "審議会",
    "結合開始日",
    "備考",
]
END_HEAD = [
    "番号",
    "業務名",
    "結合の相手方",
    "提供・受領の別",
    "結合していた記録項目",
    "廃止年月日",
    "廃止の理由",
]
NCOL = len(NEW_HEAD)

# department → (new rows, ended rows); a new row with number None is the one the clerk hid
DEPTS: dict[str, tuple[list[list[object]], list[list[object]]]] = {
    "総務課": (
        [
            [
                1,
                "電子申請受付事務",
                "行政手続のオンライン化により住民の利便性向上と事務の効率化を図るため",
                "株式会社グラファー",
                "受領",
                "氏名、住所、生年月日、電話番号、メールアドレス、申請内容",
                "電子申請を行った者",
                "無",
                "―",
                "令和6年度第1回審議会報告",
                D(2024, 7, 1),
                "LGWAN-ASP",
            ],
        ],
        [
            [
                1,
                "北海道電子自治体共同システムによる電子申請受付事務",
                "株式会社ＨＡＲＰ",
                "受領",
                "氏名、住所、電話番号、申請内容",
                "R7.3.31",
                "電子申請サービスを新たな事業者のサービスに移行したため",
            ],
        ],
    ),
    "税務課": (
        [
            [
                2,
                "個人住民税特別徴収税額通知の電子送付事務",
                "特別徴収義務者への税額通知を電子化し、送付事務の効率化を図るため",
                "地方税共同機構",
                "提供",
                "氏名\n住所\n個人番号\n特別徴収税額",
                "給与所得に係る特別徴収の対象となる納税義務者",
                "有",
                "地方税法第321条の4",
                "令和6年度第1回審議会承認",
                D(2024, 5, 13),
                "eLTAX",
            ],
            [
                3,
                "軽自動車税の申告情報の受領事務",
                "軽自動車の申告情報を電子的に受領し、課税事務の正確性を高めるため",
                "〃",
                "受領",
                "氏名\n住所\n車台番号\n標識番号",
                "町内に主たる定置場を有する軽自動車の所有者",
                "無",
                "地方税法第463条の17",
                "〃",
                "令和６年１０月１日",
                "軽自動車ＯＳＳ",
            ],
            [
                None,
                "固定資産税評価替えに係る画像データの提供",
                "評価替え事務の効率化のため",
                "株式会社パスコ",
                "提供",
                "所有者氏名、所在地番",
                "固定資産税の納税義務者",
                "無",
                "―",
                "",
                "",
                "取下げ（単独端末での処理のため外部結合に該当せず）",
            ],
        ],
        [
            [
                2,
                "課税資料のデータ入力委託事務",
                "株式会社ＤＮＰデータテクノ",
                "提供",
                "氏名、住所、給与支払額",
                D(2024, 9, 30),
                "eLTAXによる電子データでの受付に移行し、委託を終了したため",
            ],
        ],
    ),
    "町民課": (
        [
            [
                4,
                "戸籍証明書等の広域交付事務",
                "本籍地以外の市区町村の窓口で戸籍証明書等の交付を可能とするため",
                "法務省",
                "提供・受領",
                "氏名、生年月日、本籍、筆頭者氏名、父母の氏名",
                "本町に本籍を有する者",
                "無",
                "戸籍法第120条の2",
                "令和6年度第1回審議会報告",
                D(2024, 4, 1),
                "戸籍情報連携システム",
            ],
            [
                5,
                "住民票の写し等のコンビニ交付事務",
                "住民の利便性向上のため",
                "地方公共団体情報システム機構",
                "提供",
                "氏名、生年月日、性別、住所、本籍",
                "証明書の交付を申請した者",
                "無",
                "住民基本台帳法第12条の4",
                "〃",
                "R6.11.5",
                "",
            ],
        ],
        [],
    ),
    "保険年金課": (
        [
            [
                6,
                "国民健康保険事業の保険者事務共同処理",
                "被保険者の資格情報及び給付情報の処理を共同で行い、事務の効率化を図るため",
                "北海道国民健康保険団体連合会",
                "提供・受領",
                "被保険者番号\n氏名\n生年月日\n性別\n個人番号\n資格取得年月日",
                "国民健康保険の被保険者",
                "有",
                "国民健康保険法第45条第5項",
                "令和6年度第2回審議会承認",
                D(2024, 12, 2),
                "",
            ],
            [
                7,
                "後期高齢者医療の保険料賦課に係る所得情報の提供事務",
                "保険料の賦課に必要な所得情報を広域連合に提供するため",
                "北海道後期高齢者医療広域連合",
                "提供",
                "被保険者番号\n氏名\n住所\n所得額",
                "後期高齢者医療の被保険者",
                "有",
                "高齢者の医療の確保に関する法律第138条",
                "〃",
                "令和6年8月1日",
                "",
            ],
            [
                8,
                "国民年金保険料免除申請の電子送付事務",
                "免除等の申請書を電子媒体で送付し、審査の迅速化を図るため",
                "日本年金機構",
                "提供",
                "氏名、基礎年金番号、所得額、免除申請内容",
                "国民年金第1号被保険者",
                "有",
                "国民年金法第108条",
                "―",
                D(2025, 1, 6),
                "",
            ],
        ],
        [
            [
                3,
                "高額療養費支給申請勧奨通知作成事務",
                "株式会社データホライゾン",
                "提供",
                "被保険者番号、氏名、住所、診療報酬明細書情報",
                D(2025, 3, 31),
                "国民健康保険団体連合会の共同処理に移行したため",
            ],
        ],
    ),
    "健康推進課": (
        [
            [
                9,
                "予防接種記録の照会及び登録事務",
                "転入者の接種履歴を確認し、適切な接種勧奨を行うため",
                "デジタル庁",
                "提供・受領",
                "氏名、生年月日、個人番号、接種記録",
                "予防接種法に基づく予防接種の対象者",
                "有",
                "予防接種法第5条、行政手続における特定の個人を識別するための番号の利用等に関する法律第19条第8号",
                "令和6年度第2回審議会承認",
                D(2024, 10, 1),
                "ワクチン接種記録システム",
            ],
            [
                10,
                "特定健康診査等の結果の提供事務",
                "健診結果をマイナポータルで閲覧可能とするため",
                "社会保険診療報酬支払基金",
                "提供",
                "被保険者番号、氏名、生年月日、健診結果",
                "特定健康診査の受診者",
                "無",
                "高齢者の医療の確保に関する法律第27条",
                "〃",
                "R6.6.3",
                "",
            ],
        ],
        [],
    ),
    "子育て支援課": (
        [
            [
                11,
                "保育所等の利用申込みの電子申請受付事務",
                "保護者の来庁の負担を軽減するため",
                "LGWAN-ASPサービス提供事業者",
                "受領",
                "児童氏名、生年月日、保護者氏名、住所、就労状況",
                "保育所等の利用を申し込む保護者及びその児童",
                "無",
                "子ども・子育て支援法第20条",
                "令和6年度第1回審議会報告",
                D(2024, 9, 2),
                "",
            ],
            [
                12,
                "児童手当の電子申請受付事務",
                "〃",
                "デジタル庁",
                "受領",
                "氏名、住所、個人番号、口座情報等",
                "児童手当の受給者",
                "有",
                "児童手当法第7条",
                "〃",
                "令和6年10月1日",
                "マイナポータル経由",
            ],
        ],
        [
            [
                4,
                "子ども医療費助成の受給者情報提供事務",
                "北海道国民健康保険団体連合会",
                "提供",
                "受給者番号、氏名、生年月日",
                "令和7年3月31日",
                "助成の請求事務の見直しにより連携を終了したため",
            ],
        ],
    ),
    "学校教育課": (
        [
            [
                13,
                "校務支援システムのクラウド化",
                "教職員の働き方改革及び校務の効率化を図るため",
                "株式会社ＥＤＵＣＯＭ",
                "提供",
                "児童生徒氏名\n生年月日\n性別\n住所\n保護者氏名\n成績\n出欠情報",
                "町立小中学校の児童生徒及びその保護者",
                "無",
                "―",
                "令和6年度第2回審議会承認",
                D(2025, 2, 3),
                "",
            ],
            [
                14,
                "学習用端末のアカウント管理事務",
                "１人１台端末の利用に必要なアカウントを管理するため",
                "日本マイクロソフト株式会社",
                "〃",
                "児童生徒氏名、学年、学級、出席番号",
                "町立小中学校の児童生徒",
                "無",
                "―",
                "〃",
                "R6.4.8",
                "",
            ],
        ],
        [],
    ),
}
COMMENT = ("健康推進課", 9, "当初9月2日開始予定のところ、システム改修の遅れにより10月1日に変更（健康推進課）")

TITLE = "令和６年度　外部結合状況報告書（各課記入用）"
COVER = [
    "外部電子計算機との結合状況報告書",
    "",
    "令和６年度",
    "",
    "音更町",
    "",
    "（取りまとめ　総務部総務課）",
    "",
    "※　本報告書は、音更町個人情報保護審議会に報告するため、各課から提出された調書を取りまとめたものです。",
    "※　件数は令和7年3月31日現在です。",
    "※　各課のシートの「〃」は、上欄と同じであることを示します。",
    "※　提出後に取下げとなった案件は、行を非表示とし、件数に含めていません。",
    "※　「特定個人情報」欄の「有」は、個人番号を含む特定個人情報を結合により提供又は受領するものです。",
]
AGENCY = {"学校教育課": "教育委員会"}
PREV = {"町長": (38, 17), "教育委員会": (4, 0)}  # 令和5年度末件数, うち特定個人情報 at 令和6年度末


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    kinds: list[str]  # title, dept, label, head, data, hidden, total, blank, cover
    merges: list[tuple[int, int, int, int]]  # (row0, col0, row1, col1), 0-based inclusive
    total_cells: dict[str, tuple[int, int]]  # "new"/"end" → (row0, col0) of the 計 count


def dept_sheet(name: str) -> Sheet:
    new, end = DEPTS[name]
    rows: list[list[object]] = []
    kinds: list[str] = []

    def add(cells: list[object], kind: str) -> int:
        rows.append(cells + [None] * (NCOL - len(cells)))
        kinds.append(kind)
        return len(rows) - 1

    add([TITLE], "title")
    add([name], "dept")
    add([], "blank")
    add(["１　新規に結合したもの"], "label")
    add(list(NEW_HEAD), "head")
    first = len(rows)
    for r in new or [[None, "該当なし"]]:
        add(list(r), "hidden" if r[0] is None and r[1] != "該当なし" else "data")
    last = len(rows) - 1
    count = sum(1 for r in new if r[0] is not None)
    tn = add(["計", F(f"COUNTA(A{first + 1}:A{last + 1})", count, KEN)], "total")
    add([], "blank")
    add([], "blank")
    add(["２　廃止したもの"], "label")
    add(list(END_HEAD), "head")
    first = len(rows)
    for r in end or [[None, "該当なし"]]:
        add(list(r), "data")
    last = len(rows) - 1
    te = add(["計", F(f"COUNTA(A{first + 1}:A{last + 1})", len(end), KEN)], "total")
    return Sheet(name, rows, kinds, [(1, 0, 1, NCOL - 1)], {"new": (tn, 1), "end": (te, 1)})


def summary_sheet(depts: list[Sheet]) -> Sheet:
    head = [
        "実施機関",
        "令和5年度末件数",
        "新規結合",
        "結合廃止",
        "令和6年度末件数",
        "うち特定個人情報を含むもの",
    ]
    rows: list[list[object]] = [["外部結合の件数（集計）"], [], head]
    kinds = ["title", "blank", "head"]
    for i, agency in enumerate(["町長", "教育委員会"]):
        mine = [s for s in depts if AGENCY.get(s.name, "町長") == agency]
        r = 4 + i

        def total(key: str, mine: list[Sheet] = mine) -> F:
            refs = ",".join(
                f"'{s.name}'!{get_column_letter(s.total_cells[key][1] + 1)}{s.total_cells[key][0] + 1}"
                for s in mine
            )
            return F(f"SUM({refs})", sum(len(DEPTS[s.name][0 if key == "new" else 1]) for s in mine))

        new, end = total("new"), total("end")
        new.cached = sum(1 for s in mine for row in DEPTS[s.name][0] if row[0] is not None)
        prev, spec = PREV[agency]
        rows.append([agency, prev, new, end, F(f"B{r}+C{r}-D{r}", prev + new.cached - end.cached), spec])
        kinds.append("data")
    cached = [
        sum(int(x.cached if isinstance(x, F) else x) for x in (rows[3][c], rows[4][c]))  # type: ignore[union-attr]
        for c in range(1, 6)
    ]
    rows.append(
        ["合計"]
        + [
            F(f"SUM({get_column_letter(c + 1)}4:{get_column_letter(c + 1)}5)", cached[c - 1])
            for c in range(1, 6)
        ]
    )
    kinds.append("total")
    rows = [r + [None] * (6 - len(r)) for r in rows]
    return Sheet("集計", rows, kinds, [], {})


def cover_sheet() -> Sheet:
    return Sheet("表紙", [[c] for c in COVER], ["cover"] * len(COVER), [], {})


def sheets() -> list[Sheet]:
    depts = [dept_sheet(n) for n in DEPTS]
    return [cover_sheet(), summary_sheet(depts)] + depts


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xlsx(all_sheets: list[Sheet], out: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    cached: dict[str, dict[str, int]] = {}
    for s in all_sheets:
        ws = wb.create_sheet(s.name)
        cached[s.name] = {}
        for r, (row, kind) in enumerate(zip(s.rows, s.kinds), start=1):
            for c, v in enumerate(row, start=1):
                if v is None and kind not in ("head", "data", "hidden", "total"):
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(v, F):
                    cell.value = "=" + v.expr
                    cell.number_format = v.fmt
                    cached[s.name][cell.coordinate] = v.cached
                else:
                    cell.value = v
                if isinstance(v, D):
                    cell.number_format = WAREKI
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if s.name == "集計" and kind in ("head", "data", "total"):
                    cell.border = BOX
                elif kind in ("head", "data", "hidden") and c <= (
                    len(END_HEAD) if _is_end(s, r - 1) else NCOL
                ):
                    cell.border = BOX
                elif kind == "total" and c <= 2:
                    cell.border = BOX
                if kind == "title":
                    cell.font = Font(size=9)
                if kind == "dept":
                    cell.font = Font(size=14, bold=True)
                if kind == "cover" and r in (1, 3, 5):
                    cell.font = Font(size=18 if r == 1 else 14, bold=True)
            if kind == "hidden":
                ws.row_dimensions[r].hidden = True
        for r0, c0, r1, c1 in s.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        if s.name in DEPTS:
            head = s.kinds.index("head") + 1
            end = s.total_cells["new"][0]  # the row before 計
            ws.auto_filter.ref = f"A{head}:{get_column_letter(NCOL)}{end}"
            for i, w in enumerate([6, 24, 30, 22, 10, 28, 24, 8, 28, 22, 16, 18], start=1):
                ws.column_dimensions[get_column_letter(i)].width = w
            if s.name == COMMENT[0]:
                r = next(i for i, row in enumerate(s.rows) if row[0] == COMMENT[1] and s.kinds[i] == "data")
                ws.cell(row=r + 1, column=NEW_HEAD.index("結合開始日") + 1).comment = Comment(
                    COMMENT[2], "健康推進課"
                )
        if s.name == "集計":
            for i, w in enumerate([14, 16, 10, 10, 16, 24], start=1):
                ws.column_dimensions[get_column_letter(i)].width = w
    wb.save(out)
    # Excel saves each formula with its last computed value; openpyxl leaves <v> empty: fill it in
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        names = {f"xl/worksheets/sheet{i}.xml": s.name for i, s in enumerate(all_sheets, start=1)}
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in names and cached[names[item.filename]]:
                text = data.decode("utf-8")
                for coord, value in cached[names[item.filename]].items():
                    text, n = re.subn(
                        rf'(<c r="{coord}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?',
                        rf"\1<f>\2</f><v>{value}</v>",
                        text,
                    )
                    assert n == 1, (item.filename, coord, n)
                data = text.encode("utf-8")
            zout.writestr(item, data)
    tmp.replace(out)


def esc(v: object) -> str:
    return html.escape(shown(v)).replace("\n", "<br>")


def sheet_html(s: Sheet) -> str:
    """The sheet as Excel prints it: hidden rows left out, borders on the tables only."""
    out = [f'<section class="sheet {"cover" if s.name == "表紙" else ""}"><table>']
    width = max(len(r) for r in s.rows)
    for i, (row, kind) in enumerate(zip(s.rows, s.kinds)):
        if kind == "hidden":
            continue
        if kind in ("cover", "title", "label", "blank"):
            text = esc(row[0]) if row and row[0] is not None else "&nbsp;"
            out.append(f'<tr class="{kind}"><td colspan="{width}">{text}</td></tr>')
            continue
        if kind == "dept":
            out.append(f'<tr class="dept"><td colspan="{width}">{esc(row[0])}</td></tr>')
            continue
        cells = []
        for j, v in enumerate(row):
            boxed = kind in ("head", "data") and j < (len(END_HEAD) if _is_end(s, i) else width)
            boxed = boxed or (kind == "total" and (s.name == "集計" or j < 2))
            tag = "th" if kind == "head" else "td"
            cls = ' class="b"' if boxed else ""
            cells.append(f"<{tag}{cls}>{esc(v)}</{tag}>")
        out.append(f'<tr class="{kind}">' + "".join(cells) + "</tr>")
    out.append("</table></section>")
    return "\n".join(out)


def _is_end(s: Sheet, i: int) -> bool:
    return s.name in DEPTS and i > s.total_cells["new"][0]


def pdf(all_sheets: list[Sheet], out: Path) -> None:
    page = f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>音更町</title>
<style>@page {{ size: A4 landscape; margin: 12mm; }} body {{ font-size: 7.5pt; font-family: sans-serif; }}
section.sheet {{ page-break-after: always; }} table {{ border-collapse: collapse; }}
td, th {{ padding: 2px 3px; vertical-align: top; }} .b {{ border: 1px solid #000; }}
th.b {{ background: #ddd; }} tr.dept td {{ font-size: 14pt; font-weight: bold; text-align: center; }}
tr.title td {{ font-size: 7pt; }} section.cover td {{ font-size: 11pt; padding: 4px; }}
section.cover tr:nth-child(1) td {{ font-size: 22pt; text-align: center; font-weight: bold; padding-top: 40mm; }}
section.cover tr:nth-child(3) td, section.cover tr:nth-child(5) td
{{ font-size: 16pt; text-align: center; font-weight: bold; }}
section.cover tr:nth-child(7) td {{ text-align: center; }}</style></head><body>
{"".join(sheet_html(s) for s in all_sheets)}
</body></html>
"""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={Path(tmp) / 'report.pdf'}",
                src.as_uri(),
            ],
            check=True,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        shutil.copy(Path(tmp) / "report.pdf", out)


def tsv_cell(v: object) -> str:
    s = shown(v)
    return '"' + s.replace('"', '""') + '"' if "\n" in s or '"' in s else s


def txt(all_sheets: list[Sheet], out: Path) -> None:
    lines: list[str] = []
    for s in all_sheets:
        lines.append(s.name)
        width = max(len([x for x in r]) for r in s.rows)
        if s.name == "表紙":
            width = 1
        for row in s.rows:  # Ctrl+A, Ctrl+C: the used range, hidden rows too, padded with tabs
            lines.append("\t".join(tsv_cell(v) for v in (row + [None] * width)[:width]))
        lines.append("")
    out.write_bytes("\r\n".join(lines).encode("utf-8"))


if __name__ == "__main__":
    every = sheets()
    xlsx(every, HERE / "report.xlsx")
    pdf(every, HERE / "report.pdf")
    txt(every, HERE / "report.txt")
