"""Make the made-up 八戸市 FY2023 report: report.xlsx (openpyxl), report.html → report.pdf
(chromium --print-to-pdf: LibreOffice is not installed here), report.txt (a clerk's
tab-separated copy: multi-line cells in double quotes). One content, three forms."""

import html
import subprocess
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).parent
TITLE = "八戸市外部電子計算機結合状況報告（令和5年度）"
PREAMBLE = (
    "八戸市個人情報の保護に関する法律施行条例第8条の規定に基づき、令和5年度における"
    "外部電子計算機との結合の状況を次のとおり報告します。"
)
SUMMARY_HEAD = ["実施機関", "前年度末件数", "新規", "廃止", "令和5年度末件数", "うち特定個人情報"]
SUMMARY = [
    ["市長", "38", "8", "2", "44", "12"],
    ["教育委員会", "4", "1", "1", "4", "0"],
    ["合計", "42", "9", "3", "48", "12"],
]
NEW_HEAD = [
    "番号",
    "業務名",
    "結合の理由",
    "処理対象者",
    "記録項目",
    "特定個人情報",
    "相手方（名称・所在地）",
    "結合の形態",
    "開始時期",
    "審議会",
]
NEW = [
    (
        "1　市民防災部 市民課",
        [
            [
                "1",
                "住民票の写し等のコンビニ交付",
                "市民の利便性向上のため、コンビニエンスストアに設置されたキオスク端末で住民票の写し等の証明書を交付する",
                "本市に住民登録のある者及び本市に本籍を有する者",
                "氏名、住所及び生年月日",
                "無",
                "地方公共団体情報システム機構\n東京都千代田区一番町25番地",
                "LGWAN",
                "2023年4月～",
                "令和5年6月28日答申",
            ],
            [
                "2",
                "戸籍証明書の広域交付",
                "戸籍法の一部改正により、本籍地以外の市区町村の窓口で戸籍証明書を請求できるようにするため",
                "本市に本籍を有する者",
                "本籍、筆頭者の氏名、氏名、生年月日及び続柄",
                "無",
                "法務省\n東京都千代田区霞が関一丁目1番1号",
                "専用線",
                "令和6年3月1日",
                "令和5年10月25日答申",
            ],
        ],
    ),
    (
        "2　健康福祉部 生活福祉課",
        [
            [
                "3",
                "医療扶助のオンライン資格確認",
                "医療扶助のオンライン資格確認を導入し、医療機関等が受給者の資格を確認できるようにするため",
                "医療扶助を受ける被保護者",
                "氏名、性別、生年月日、住所及び医療券の情報",
                "有",
                "社会保険診療報酬支払基金\n東京都港区新橋二丁目1番3号",
                "専用線",
                "2024年3月～",
                "令和5年10月25日答申",
            ],
            [
                "4",
                "生活保護システムのクラウド移行",
                "生活保護システムを事業者のデータセンターへ移行し、運用経費を削減するため",
                "被保護世帯の世帯員",
                "世帯員の氏名等",
                "有",
                "株式会社みちのく情報システム\n青森県八戸市大字長苗代字中坪74番地1",
                "インターネット",
                "令和5年度当初",
                "令和5年2月15日答申",
            ],
        ],
    ),
    (
        "3　健康福祉部 介護保険課",
        [
            [
                "5",
                "介護認定審査会のオンライン開催",
                "介護認定審査会をオンラインで開催し、審査資料を委員が端末で閲覧できるようにするため",
                "要介護認定の申請者",
                "被保険者番号、氏名、年齢、性別、要介護状態区分及び主治医意見書の内容",
                "無",
                "LGWAN-ASPサービス提供事業者",
                "LGWAN",
                "2023年7月～",
                "令和5年6月28日答申",
            ],
        ],
    ),
    (
        "4　財政部 収納課",
        [
            [
                "6",
                "市税のスマートフォン決済",
                "市税の納付手段を拡充し、納税者の利便性を高めるため",
                "市税の納税義務者",
                "納付番号、税目、納付金額及び納期限",
                "無",
                "株式会社NTTデータ\n東京都江東区豊洲三丁目3番3号",
                "インターネット",
                "2023年10月1日",
                "令和5年6月28日答申",
            ],
        ],
    ),
    (
        "5　財政部 住民税課",
        [
            [
                "7",
                "特別徴収税額通知の電子送付",
                "特別徴収義務者に対し、税額決定通知を電子的に送付するため",
                "給与所得に係る特別徴収の納税義務者",
                "氏名、住所、個人番号及び特別徴収税額",
                "有",
                "地方税共同機構\n東京都千代田区一番町25番地",
                "LGWAN",
                "2023年5月～",
                "令和5年2月15日答申",
            ],
        ],
    ),
    (
        "6　こども未来部 こども家庭課",
        [
            [
                "8",
                "児童手当の電子申請",
                "児童手当の認定請求及び現況届をオンラインで受け付けるため",
                "児童手当の受給者及びその配偶者",
                "受給者の氏名、住所、生年月日、口座情報等",
                "有",
                "デジタル庁\n東京都千代田区紀尾井町1番3号",
                "インターネット",
                "2023年6月～",
                "令和5年6月28日答申",
            ],
        ],
    ),
    (
        "7　教育委員会 学校教育課",
        [
            [
                "9",
                "校務支援システムのクラウド化",
                "教職員の校務負担を軽減するため、成績処理及び出欠管理をクラウド上のシステムで行う",
                "市立小・中学校の児童生徒及びその保護者",
                "児童生徒の氏名、生年月日、学年、組、成績及び保護者の氏名",
                "無",
                "株式会社内田洋行\n東京都中央区新川二丁目4番7号",
                "インターネット",
                "2023年9月～",
                "令和5年6月28日答申",
            ],
        ],
    ),
]
END_HEAD = [
    "番号",
    "業務名",
    "記録項目",
    "特定個人情報",
    "相手方（名称・所在地）",
    "結合の形態",
    "廃止年月日",
    "廃止の理由",
]
ENDED = [
    (
        "1　市民防災部 市民課",
        [
            [
                "1",
                "住民票の写しの郵送請求の電子申請",
                "氏名、住所及び請求内容",
                "無",
                "株式会社エーデル\n青森県青森市新町一丁目2番3号",
                "インターネット",
                "2023年9月30日",
                "マイナポータルでの申請受付に移行したため",
            ],
        ],
    ),
    (
        "2　健康福祉部 健康づくり推進課",
        [
            [
                "2",
                "がん検診結果のデータ作成委託",
                "受診者の氏名、生年月日、性別及び検診結果",
                "無",
                "公益財団法人青森県総合健診センター\n青森県青森市大字高田字川瀬217番地10",
                "専用線",
                "令和6年3月31日",
                "委託契約の終了に伴い、電子媒体による授受に変更したため",
            ],
        ],
    ),
    (
        "3　教育委員会 教育総務課",
        [
            [
                "3",
                "就学援助の申請管理",
                "保護者の氏名、住所、世帯の所得額等",
                "無",
                "株式会社ぎょうせい\n東京都江東区新木場一丁目18番11号",
                "インターネット",
                "2024年3月31日",
                "庁内の就学援助システムへ統合したため",
            ],
        ],
    ),
]


def lines() -> list[list[str] | str]:
    """The report as a sequence of text lines (str) and table rows (list of cells)."""
    out: list[list[str] | str] = [
        TITLE,
        "",
        PREAMBLE,
        "",
        "（１）実施機関別の結合件数",
        SUMMARY_HEAD,
        *SUMMARY,
        "",
    ]
    out.append("（２）令和5年度に新たに結合したもの")
    for dept, rows in NEW:
        out += ["", dept, NEW_HEAD, *rows]
    out += ["", "（３）結合を廃止したもの"]
    for dept, rows in ENDED:
        out += ["", dept, END_HEAD, *rows]
    return out


def write_xlsx() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "令和5年度"
    for item in lines():
        if isinstance(item, str):
            ws.append([item] if item else [])
        else:
            ws.append(item)
            for cell in ws[ws.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJ", [8, 22, 36, 22, 30, 10, 30, 12, 14, 18]):
        ws.column_dimensions[col].width = width
    ws.page_setup.orientation = "landscape"
    wb.save(HERE / "report.xlsx")


def write_txt() -> None:
    def cell(c: str) -> str:
        return f'"{c}"' if "\n" in c else c

    text = []
    for item in lines():
        text.append(item if isinstance(item, str) else "\t".join(cell(c) for c in item))
    (HERE / "report.txt").write_text("\n".join(text) + "\n", encoding="utf-8")


def write_pdf() -> None:
    parts = [
        "<!doctype html><html lang='ja'><head><meta charset='utf-8'><style>",
        "@page { size: A4 landscape; margin: 15mm; } body { font-family: 'Noto Sans CJK JP', sans-serif; font-size: 10pt; }",
        "table { border-collapse: collapse; width: 100%; margin-bottom: 4mm; } td, th { border: 1px solid #000; padding: 2mm; vertical-align: top; }",
        "h1 { font-size: 14pt; text-align: center; } p.dept { font-weight: bold; margin: 3mm 0 1mm; }",
        "</style></head><body>",
    ]
    table: list[str] = []
    first = True

    def close() -> None:
        if table:
            parts.append("<table>" + "".join(table) + "</table>")
            table.clear()

    for item in lines():
        if isinstance(item, str):
            close()
            first = True
            if item == TITLE:
                parts.append(f"<h1>{html.escape(item)}</h1>")
            elif item:
                parts.append(f"<p class='dept'>{html.escape(item)}</p>")
        else:
            tag = "th" if first else "td"
            first = False
            table.append(
                "<tr>"
                + "".join(f"<{tag}>{html.escape(c).replace(chr(10), '<br>')}</{tag}>" for c in item)
                + "</tr>"
            )
    close()
    parts.append("</body></html>")
    src = HERE / "report.html"
    src.write_text("\n".join(parts), encoding="utf-8")
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={HERE / 'report.pdf'}",
            src.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    src.unlink()


if __name__ == "__main__":
    write_xlsx()
    write_txt()
    write_pdf()
