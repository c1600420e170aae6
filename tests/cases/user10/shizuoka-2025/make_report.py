"""Make report.xlsx and report.txt of a made-up 静岡市 (221007) FY2025 外部結合 report.

Written by a new user (helper user10) to publish the report the way a city's clerk might in
Excel: four sheets (概要, 新規, 変更, 廃止) and a legend sheet (凡例), a title and a 作成日 row
above each table, merged two-row headers, real date cells (和暦 formats and Western) beside
dates typed as text, items given as legend letters (A,C,E / A～E), a hidden 担当係 column and
an empty spacer column, a counterparty cell with two parties on two lines, ※ notes, a total row.
report.txt is the same content as a user copies each sheet out of Excel (Excel copies hidden
columns too, shows dates as formatted, quotes cells holding a line break), sheets one after
another. Run: python make_report.py (needs openpyxl).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).parent
GANNEN = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@'
SLASH = "yyyy/m/d"
KANJI = 'yyyy"年"m"月"d"日"'
TITLE = "令和７年度　静岡市外部電子計算機結合状況"
MADE = dt.datetime(2026, 5, 20)


def d(y: int, m: int, day: int, fmt: str = GANNEN) -> tuple[dt.datetime, str]:
    return (dt.datetime(y, m, day), fmt)


def shown(value) -> str:
    """What Excel shows (and copies) for a cell."""
    if isinstance(value, tuple):
        when, fmt = value
        if fmt == GANNEN:
            year = when.year - 2018
            return f"令和{'元' if year == 1 else year}年{when.month}月{when.day}日"
        if fmt == SLASH:
            return f"{when.year}/{when.month}/{when.day}"
        if fmt == KANJI:
            return f"{when.year}年{when.month}月{when.day}日"
        raise ValueError(fmt)
    if value is None:
        return ""
    text = str(value)
    return f'"{text}"' if "\n" in text else text


SUMMARY_HEAD = [
    ["実施機関", "外部結合の件数", None, None, None, "うち特定個人情報を含むもの"],
    [None, "令和6年度末(a)", "令和7年度新規(b)", "令和7年度終了(c)", "令和7年度末(a+b-c)", None],
]
SUMMARY = [
    ["市長", 212, 11, 3, 220, 58],
    ["教育委員会", 18, 2, 1, 19, 2],
    ["選挙管理委員会", 6, 1, 0, 7, 0],
    ["合　計", 236, 14, 4, 246, 60],
]

NEW_HEAD = [
    [
        "No.",
        "担当課",
        "担当係",
        "業務名",
        None,
        "結合の理由",
        "対象者",
        "記録項目",
        "特定個人情報",
        "結合の相手方",
        "根拠法令",
        "個人情報保護審議会",
        None,
        "結合開始日",
        "備考",
    ],
    [None] * 11 + ["審議日", "結果", None, None],
]
NEW = [
    [
        1,
        "市民局　市民課",
        "証明係",
        "戸籍証明書等コンビニ交付事務",
        None,
        "本籍地以外の市区町村に住所を有する者も、コンビニエンスストア等で戸籍証明書等を取得できるようにするため",
        "本市に本籍を有する者",
        "A,C,E,N",
        "－",
        "地方公共団体情報システム機構",
        "－",
        d(2025, 5, 27),
        "承認",
        "令和7年8月1日",
        None,
    ],
    [
        2,
        "市民局　市民課",
        "窓口係",
        "マイナンバーカード交付予約受付事務",
        None,
        "マイナンバーカードの交付予約をオンラインで受け付け、窓口の待ち時間を短縮するため",
        "マイナンバーカードの交付を受ける者",
        "A,B,C,F",
        "－",
        "㈱静岡ｼｽﾃﾑｻｰﾋﾞｽ",
        "－",
        d(2025, 6, 24),
        "承認",
        d(2025, 10, 1, SLASH),
        "予約システムはクラウドサービスを利用",
    ],
    [
        3,
        "財政局　市民税課",
        "特別徴収係",
        "個人住民税特別徴収税額通知（納税義務者用）電子送付事務",
        None,
        "特別徴収義務者を経由して納税義務者用の税額決定通知書を電子的に送付するため",
        "給与所得に係る特別徴収の対象となる納税義務者",
        "A,E,H,J",
        "○",
        "地方税共同機構",
        "地方税法第321条の4第1項",
        "－",
        "不要",
        d(2025, 5, 12),
        None,
    ],
    [
        4,
        "財政局　市民税課",
        "諸税係",
        "軽自動車税（種別割）課税資料電子受領事務",
        None,
        "軽自動車の検査・登録情報を電子的に受領し、課税事務の効率化を図るため",
        "本市に定置場を有する軽自動車の所有者",
        "A,E,J",
        "－",
        "地方税共同機構\n軽自動車検査協会",
        "－",
        d(2025, 5, 27),
        "承認",
        "R7.7.1",
        None,
    ],
    [
        5,
        "保健福祉長寿局　保険年金管理課",
        "資格係",
        "国民健康保険資格情報登録事務（オンライン資格確認）",
        None,
        "医療機関等でオンライン資格確認を行うため、被保険者の資格情報を医療保険者等向け中間サーバーに登録するため",
        "国民健康保険の被保険者",
        "A～E,H,K",
        "○",
        "社会保険診療報酬支払基金\n公益社団法人国民健康保険中央会",
        "番号法第9条第1項",
        "－",
        "不要",
        "R7.6.2",
        None,
    ],
    [
        6,
        "保健福祉長寿局　保険年金管理課",
        "年金係",
        "国民年金関係届書電子送付事務",
        None,
        "国民年金の資格取得届等を日本年金機構へ電子的に送付するため",
        "国民年金第1号被保険者",
        "A,B,C,D,E,H",
        "○",
        "日本年金機構",
        "国民年金法第3条第3項",
        "－",
        "不要",
        d(2025, 10, 1),
        None,
    ],
    [
        7,
        "こども未来局　子ども家庭課",
        "手当係",
        "児童手当認定請求書等電子申請受付事務",
        None,
        "マイナポータルを通じて児童手当の認定請求等をオンラインで受け付けるため",
        "児童手当の受給者、その配偶者及び児童",
        "A～E,G,H,I",
        "○",
        "デジタル庁",
        "－",
        d(2025, 5, 27),
        "報告",
        d(2025, 7, 1, KANJI),
        None,
    ],
    [
        8,
        "こども未来局　幼保支援課",
        "入所係",
        "保育所等利用申込オンライン受付事務",
        None,
        "保育所等の利用申込みをオンラインで受け付けるため",
        "保育所等の利用を希望する児童及びその保護者",
        "A～G,J",
        "－",
        "株式会社静岡システムサービス",
        "－",
        d(2025, 6, 24),
        "承認",
        d(2026, 1, 5),
        None,
    ],
    [
        9,
        "保健福祉長寿局　健康づくり推進課",
        "検診係",
        "がん検診結果データ化事務",
        None,
        "がん検診の受診結果の入力及びデータ化を委託するため",
        "本市が実施するがん検診の受診者",
        "A,C,D,E,M",
        "－",
        "（一財）静岡健康管理センター",
        "－",
        d(2025, 6, 24),
        "承認",
        "R7.9.1",
        None,
    ],
    [
        10,
        "保健福祉長寿局　健康づくり推進課",
        "予防接種係",
        "予防接種事務デジタル化（予診情報・接種記録連携）",
        None,
        "予防接種の予診情報及び接種記録を医療機関等と電子的に連携するため",
        "定期予防接種の対象者",
        "A～E,H,M",
        "○",
        "デジタル庁",
        "予防接種法",
        d(2026, 2, 17),
        "報告",
        "R8.3.2",
        "一部の医療機関から順次開始",
    ],
    [
        11,
        "保健福祉長寿局　障害福祉企画課",
        "給付係",
        "障害福祉サービス等給付費審査支払事務",
        None,
        "障害福祉サービス等給付費の審査及び支払を委託するため",
        "障害福祉サービス等の受給者",
        "A,C,E,K,L,P等",
        "－",
        "静岡県国民健康保険団体連合会",
        "障害者総合支援法第29条第7項",
        "－",
        "不要",
        d(2025, 4, 1),
        None,
    ],
    [
        12,
        "教育局　学事課",
        "就学支援係",
        "就学援助費口座振込事務",
        None,
        "就学援助費を保護者の指定口座に振り込むため",
        "就学援助の認定を受けた保護者",
        "A,B,E,I",
        "－",
        "株式会社ＮＴＴデータ",
        "－",
        d(2025, 5, 27),
        "承認",
        "令和7年7月10日",
        None,
    ],
    [
        13,
        "教育局　学校保健課",
        "保健係",
        "児童生徒健康診断結果管理事務",
        None,
        "学校健康診断の結果をクラウドサービスにより管理するため",
        "市立小中学校の児童生徒",
        "A,C,D,M,O",
        "－",
        "LGWAN-ASPサービス提供事業者",
        "－",
        d(2025, 6, 24),
        "承認",
        d(2025, 9, 1, SLASH),
        "廃止No.4の後継",
    ],
    [
        14,
        "選挙管理委員会事務局",
        "選挙係",
        "投票所入場整理券作成事務",
        None,
        "投票所入場整理券の作成及び封入封緘を委託するため",
        "選挙人名簿に登録されている者",
        "A〜E",
        "－",
        "富士通Japan株式会社",
        "－",
        d(2025, 5, 27),
        "承認",
        d(2025, 6, 2),
        None,
    ],
]
NEW_NOTES = [
    "※記録項目欄の記号は、「凡例」シートのとおり。",
    "※特定個人情報欄の「○」は、個人番号を含む特定個人情報を取り扱うものを示す。",
]

CHANGE_HEAD = [
    [
        "No.",
        "担当課",
        "業務名",
        "変更の理由",
        "記録項目（変更後）",
        "特定個人情報",
        "結合の相手方",
        "変更年月日",
    ]
]
CHANGE = [
    [
        1,
        "保健福祉長寿局　保険年金管理課",
        "国民健康保険料賦課事務",
        "情報提供ネットワークシステムによる所得情報の照会を開始し、個人番号を記録項目に追加したため",
        "A,C,E,H,J",
        "○",
        "地方公共団体情報システム機構",
        d(2025, 11, 4),
    ],
    [
        2,
        "教育局　学事課",
        "学齢簿管理事務",
        "委託先の変更（株式会社ＴＫＣから株式会社静岡システムサービスへ）のため",
        "A～E,G,O",
        "－",
        "株式会社静岡システムサービス",
        "令和8年1月13日",
    ],
]

ENDED_HEAD = [
    [
        "No.",
        "担当課",
        "業務名",
        "記録項目",
        "特定個人情報",
        "結合の相手方",
        "結合開始日",
        "結合終了日",
        "終了の理由",
    ]
]
ENDED = [
    [
        1,
        "市民局　市民課",
        "住民票の写し等郵送請求処理事務",
        "A,C,E",
        "－",
        "株式会社静岡データ処理センター",
        "平成28年4月1日",
        d(2025, 9, 30),
        "オンライン申請の開始に伴い委託を終了したため",
    ],
    [
        2,
        "保健福祉長寿局　保険年金管理課",
        "国民健康保険被保険者証作成事務",
        "A～E,K",
        "－",
        "静岡県国民健康保険団体連合会",
        "H30.4.1",
        "令和7年7月31日",
        "被保険者証の廃止（マイナ保険証への移行）のため",
    ],
    [
        3,
        "こども未来局　子ども家庭課",
        "こども医療費受給者証作成事務",
        "A,C,E,K",
        "－",
        "静岡印刷株式会社",
        "R2.4.1",
        "R8.3.31",
        "委託契約の満了のため",
    ],
    [
        4,
        "教育局　学校保健課",
        "就学時健康診断結果管理事務",
        "A,C,D,M",
        "－",
        "LGWAN-ASPサービス提供事業者",
        d(2022, 10, 1),
        d(2025, 8, 31, SLASH),
        "新規No.13のシステムへ移行したため",
    ],
]

LEGEND = [
    ("A", "氏名", "I", "口座情報"),
    ("B", "ﾌﾘｶﾞﾅ", "J", "課税情報"),
    ("C", "生年月日", "K", "被保険者番号"),
    ("D", "性別", "L", "給付情報"),
    ("E", "住所", "M", "健診情報"),
    ("F", "電話番号", "N", "本籍"),
    ("G", "続柄", "O", "学籍情報"),
    ("H", "個人番号", "P", "障害情報"),
]

thin = Side(style="thin")
BOX = Border(left=thin, right=thin, top=thin, bottom=thin)


def put(ws, row: int, col: int, value, *, box: bool = False) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, tuple):
        cell.value, cell.number_format = value
    else:
        cell.value = value
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if box:
        cell.border = BOX


def table(ws, top: int, head: list[list], rows: list[list]) -> int:
    for r, line in enumerate(head + rows):
        for c, value in enumerate(line, start=1):
            put(ws, top + r, c, value, box=True)
    return top + len(head) + len(rows)


def head_rows(ws, title: str, heading: str) -> None:
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value="作成日")
    put(ws, 2, 2, (MADE, GANNEN))
    ws.cell(row=3, column=1, value=heading).font = Font(bold=True)


def make_xlsx() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "概要"
    head_rows(ws, TITLE, "１　実施機関別の外部結合件数")
    end = table(ws, 4, SUMMARY_HEAD, SUMMARY)
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:E4")
    ws.merge_cells("F4:F5")
    ws.cell(row=end, column=1, value="※令和7年度末の件数は、令和8年3月31日現在のもの。")
    ws.column_dimensions["A"].width = 18

    ws = wb.create_sheet("新規")
    head_rows(ws, TITLE, "２　令和7年度に新たに外部結合を開始したもの")
    end = table(ws, 4, NEW_HEAD, NEW)
    for col in "ABCDEFGHIJKNO":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("L4:M4")
    ws.column_dimensions["C"].hidden = True  # 担当係: the clerk's working column
    ws.column_dimensions["E"].width = 2  # an empty spacer column
    for note in NEW_NOTES:
        ws.cell(row=end, column=1, value=note)
        end += 1

    ws = wb.create_sheet("変更")
    head_rows(ws, TITLE, "３　令和7年度に結合の内容を変更したもの")
    table(ws, 4, CHANGE_HEAD, CHANGE)

    ws = wb.create_sheet("廃止")
    head_rows(ws, TITLE, "４　令和7年度に外部結合を終了したもの")
    end = table(ws, 4, ENDED_HEAD, ENDED)
    put(ws, end, 1, "計", box=True)
    put(ws, end, 2, "4件", box=True)

    ws = wb.create_sheet("凡例")
    ws.cell(row=1, column=1, value="記録項目の凡例").font = Font(bold=True)
    table(ws, 2, [["記号", "項目名", None, "記号", "項目名"]], [[a, b, None, c, e] for a, b, c, e in LEGEND])
    wb.save(HERE / "report.xlsx")


def sheet_text(title: str, heading: str, head: list[list], rows: list[list], after: list[list]) -> list[str]:
    lines = [title, f"作成日\t{shown((MADE, GANNEN))}", heading]
    for line in head + rows + after:
        lines.append("\t".join(shown(v) for v in line).rstrip("\t"))
    return lines


def make_txt() -> None:
    lines: list[str] = []
    lines += sheet_text(
        TITLE,
        "１　実施機関別の外部結合件数",
        SUMMARY_HEAD,
        SUMMARY,
        [["※令和7年度末の件数は、令和8年3月31日現在のもの。"]],
    )
    lines.append("")
    lines += sheet_text(
        TITLE, "２　令和7年度に新たに外部結合を開始したもの", NEW_HEAD, NEW, [[n] for n in NEW_NOTES]
    )
    lines.append("")
    lines += sheet_text(TITLE, "３　令和7年度に結合の内容を変更したもの", CHANGE_HEAD, CHANGE, [])
    lines.append("")
    lines += sheet_text(TITLE, "４　令和7年度に外部結合を終了したもの", ENDED_HEAD, ENDED, [["計", "4件"]])
    lines.append("")
    lines.append("記録項目の凡例")
    lines.append("記号\t項目名\t\t記号\t項目名")
    lines += [f"{a}\t{b}\t\t{c}\t{e}" for a, b, c, e in LEGEND]
    (HERE / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    make_xlsx()
    make_txt()
