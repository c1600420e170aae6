"""Made-up 外部結合 report of 南伊勢町 (三重県, 244724), FY2024 (令和６年度), as an old word processor's
text save (一太郎's 「テキスト保存」, or a printout typed in a DOS-era editor): every table drawn with
box-drawing characters (┌─┬─┐ │ ├─┼─┤ └─┴─┘), each cell's text wrapped inside its box at the
box's width (a row runs over several text lines between ├ rules), a header whose names are broken
over two lines, CRLF line ends, Shift_JIS (CP932).

Writes report.txt. The wrap follows the word processor: a line takes as many characters as fit the
cell's width (a full-width character counts two half-width columns), except that a character that
may not open a line (、。）・ … : 禁則) is pushed down with the character before it (追い出し). A few cells
break on purpose: the items of No.5 one a line, the header names where the clerk pressed Enter.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
NO_LINE_START = set("、。，．,.）)」』】〕〉》］]｝}・：；:;！？!?ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")


def width(text: str) -> int:
    """Display columns as a CP932 terminal or printer shows them: a full-width character is two."""
    return sum(2 if unicodedata.east_asian_width(c) in "FWA" else 1 for c in text)


def wrap(text: str, room: int) -> list[str]:
    """The text wrapped at ``room`` columns (each piece of a typed line break wrapped by itself)."""
    lines: list[str] = []
    for piece in text.split("\n"):
        line = ""
        for char in piece:
            if width(line + char) > room:
                if char in NO_LINE_START and len(line) > 1:  # 追い出し: the last character goes down too
                    lines.append(line[:-1])
                    line = line[-1]
                else:
                    lines.append(line)
                    line = ""
            line += char
        lines.append(line)
    return lines


def pad(text: str, room: int, right: bool = False) -> str:
    gap = room - width(text)
    fill = "　" * (gap // 2) + " " * (gap % 2)
    return fill + text if right else text + fill


def rule(widths: list[int], left: str, mid: str, end: str) -> str:
    return left + mid.join("─" * (w // 2) for w in widths) + end


def table(head: list[str], rows: list[list[str]], widths: list[int], right: set[int] = frozenset()) -> list[str]:
    """A box-drawn table: the header row, then each row between ├ rules, every cell wrapped."""
    out = [rule(widths, "┌", "┬", "┐")]
    for index, row in enumerate([head, *rows]):
        if index:
            out.append(rule(widths, "├", "┼", "┤"))
        cells = [wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells)
        for n in range(height):
            parts = [
                pad(c[n] if n < len(c) else "", w, right=index > 0 and i in right)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ]
            out.append("│" + "│".join(parts) + "│")
    out.append(rule(widths, "└", "┴", "┘"))
    return out


TITLE = "　　　　　　　　令和６年度　外部電子計算機との結合状況報告書"
INTRO = [
    "　南伊勢町個人情報保護法施行条例第５条第２項の規定に基づき、令和６年度における外部電子計算機",
    "との結合（外部結合）の状況を次のとおり報告します。",
]
SUM_HEAD = ["実施機関", "令和５年度末\nの件数", "新規", "廃止", "令和６年度末\nの件数", "うち特定個人\n情報を含むもの"]
SUM = [
    ["町長", "48", "10", "2", "56", "20"],
    ["教育委員会", "5", "2", "1", "6", "0"],
    ["合計", "53", "12", "3", "62", "20"],
]
SUM_W = [14, 12, 6, 6, 12, 14]

NEW_HEAD = [
    "番号",
    "担当課",
    "業務名",
    "結合の理由",
    "結合の相手方",
    "提供・\n受領の別",
    "結合する記録項目",
    "対象者の範囲",
    "特定個人\n情報",
    "根拠法令",
    "審議会",
    "結合開始\n年月日",
]
NEW_W = [4, 10, 16, 16, 14, 8, 20, 14, 8, 14, 14, 12]
NEW = [
    ["１", "税務課", "個人住民税の特別徴収税額通知の電子送付事務",
     "特別徴収義務者への税額通知を電子化し、送付事務の効率化を図るため", "地方税共同機構", "提供",
     "氏名・住所・個人番号・特別徴収税額", "給与所得に係る特別徴収の対象となる納税義務者", "有",
     "地方税法第３２１条の４第１項", "令和６年度第１回承認", "R6.5.13"],
    ["２", "税務課", "固定資産税の登記済通知の電子受付事務",
     "登記済通知書を電子データで受領し、課税事務の正確性を高めるため", "法務省", "受領",
     "所有者氏名、所有者住所、所在地番、地目、地積", "町内に土地又は家屋を所有する者", "無",
     "地方税法第３８２条第１項", "令和６年度第１回承認", "令和6年4月1日"],
    ["３", "住民課", "住民票の写し等のコンビニ交付事務", "住民の利便性の向上のため",
     "地方公共団体情報システム機構", "提供", "氏名・生年月日・性別・住所・本籍・筆頭者氏名",
     "証明書の交付を申請した者", "無", "住民基本台帳法第１２条の４", "令和６年度第１回報告", "2024/6/3"],
    ["４", "住民課", "戸籍証明書等の広域交付事務",
     "本籍地以外の市区町村の窓口で戸籍証明書等の交付を可能とするため", "法務省", "提供・受領",
     "氏名、生年月日、本籍、父母の氏名", "本町に本籍を有する者", "無", "戸籍法第１２０条の２",
     "令和６年度第１回報告", "令和６年４月１日"],
    ["５", "保険年金課", "国民健康保険の資格管理及び給付に係る共同処理事務",
     "資格情報及び給付情報の処理を共同で行い、事務の効率化を図るため", "三重県国民健康保険団体連合会",
     "提供・受領", "被保険者番号\n氏名\n生年月日\n性別\n個人番号", "国民健康保険の被保険者", "有",
     "国民健康保険法第４５条第５項", "令和６年度第２回承認", "R6.10.1"],
    ["６", "保険年金課", "後期高齢者医療の保険料賦課に係る所得情報の提供事務",
     "保険料の賦課に必要な所得情報を広域連合に提供するため", "三重県後期高齢者医療広域連合", "提供",
     "被保険者番号・氏名・住所・所得額", "後期高齢者医療の被保険者", "有",
     "高齢者の医療の確保に関する法律第１３８条", "令和６年度第２回承認", "令和6年8月1日"],
    ["７", "健康福祉課", "予防接種記録の国のシステムへの登録事務",
     "接種記録を国のシステムに登録し、接種歴の確認を迅速に行うため", "厚生労働省", "提供",
     "氏名、生年月日、性別、個人番号、接種日、ワクチンの種類", "町内に住所を有する予防接種の対象者", "有",
     "予防接種法第２５条", "第２回審議会（令和６年８月２０日）承認", "2024/10/1"],
    ["８", "健康福祉課", "介護保険の認定調査票の電子作成事務",
     "認定調査票をタブレット端末で作成し、調査事務の効率化を図るため", "株式会社三重電子計算センター",
     "提供", "氏名・生年月日・住所・要介護度・認定調査の結果", "要介護認定の申請者", "無", "―",
     "令和６年度第１回承認", "R6.7.1"],
    ["９", "子育て支援課", "児童手当の電子申請受付事務",
     "マイナポータルからの申請を受け付け、申請者の利便性の向上を図るため", "デジタル庁", "受領",
     "氏名、住所、生年月日、個人番号、口座情報等", "児童手当の受給資格者", "有", "児童手当法第２９条の２",
     "令和６年度第３回承認", "令和6年12月2日"],
    ["１０", "保険年金課", "国民年金の資格取得届等の電子送付事務",
     "届書を電子媒体で送付し、審査の迅速化を図るため", "日本年金機構", "提供",
     "氏名、基礎年金番号、住所、資格取得年月日", "国民年金第１号被保険者", "有", "国民年金法第１２条第４項",
     "―", "令和7年1月6日"],
    ["１１", "学校教育課", "校務支援システムのクラウド利用事務",
     "校務の情報をクラウドで管理し、教職員の負担の軽減を図るため", "株式会社ＥＤＵＣＯＭ", "提供",
     "児童生徒氏名・生年月日・性別・保護者氏名・住所・成績", "町立小中学校の児童生徒及びその保護者", "無", "―",
     "令和６年度第１回承認", "R6.4.1"],
    ["１２", "学校教育課", "就学援助費の口座振込事務", "就学援助費を口座振込により支給するため",
     "株式会社百五銀行", "提供", "保護者氏名、口座番号、振込金額", "就学援助の認定を受けた保護者", "無",
     "学校教育法第１９条", "令和６年度第２回報告", "2024/9/2"],
]

END_HEAD = ["番号", "担当課", "業務名", "結合の相手方", "提供・\n受領の別", "結合していた記録項目", "廃止\n年月日", "廃止の理由"]
END_W = [4, 10, 18, 16, 8, 22, 12, 24]
END = [
    ["１", "税務課", "課税資料のデータ入力委託事務", "株式会社南勢データサービス", "提供",
     "氏名・住所・給与支払額・源泉徴収税額", "R7.3.31", "eLTAXによる電子データでの受付に移行し、委託を終了したため"],
    ["２", "保険年金課", "国民健康保険被保険者証の作成事務", "三重県国民健康保険団体連合会", "提供",
     "被保険者番号、氏名、生年月日、住所", "令和6年12月1日", "被保険者証の新規の発行が終了したため"],
    ["３", "学校教育課", "学校徴収金管理システムの利用事務", "株式会社内田洋行", "提供",
     "児童生徒氏名・保護者氏名・口座番号", "2025/3/31", "校務支援システムへ統合したため"],
]

NOTES = [
    "　※　「提供・受領の別」欄の「提供」は本町から相手方へ、「受領」は相手方から本町への個人情報の",
    "　　　流れを示す。",
    "　※　「審議会」欄は南伊勢町個人情報保護審議会への報告又は承認の状況を示す。「―」は該当なし。",
]


def report() -> list[str]:
    lines = [TITLE, "", *INTRO, "", "１　外部結合の件数", ""]
    lines += table(SUM_HEAD, SUM, SUM_W, right={1, 2, 3, 4, 5})
    lines += ["", "", "２　新たに結合を開始したもの", ""]
    lines += table(NEW_HEAD, NEW, NEW_W)
    lines += ["", "", "３　結合を廃止したもの", ""]
    lines += table(END_HEAD, END, END_W)
    lines += ["", *NOTES, "", "　　　　　　　　　　　　　　　　　　　　令和７年５月３０日　南伊勢町総務課", ""]
    return lines


def main() -> None:
    text = "\r\n".join(report())
    (HERE / "report.txt").write_bytes(text.encode("cp932"))


if __name__ == "__main__":
    main()
