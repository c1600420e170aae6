"""Writes a made-up 岡山市 (331007) 外部結合 report for FY2024 (令和６年度) in every form:

report.html → report.pdf (headless Chromium, landscape A4, thead repeated on every page, running title
and 「－ n －」 page numbers in @page margin boxes), report.xlsx (one sheet, print titles = the header
row of table (2), a HIDDEN helper column O 「事務局メモ」), report.txt (the PDF's text as Chromium's PDF
viewer copies it: pdfium's text of each page, the engine of that viewer).
`python gen.py --expected` prints expected.toml from the same rows (checked by hand: NOTES.md).

Rows come from a seeded table of realistic pieces (random.Random(331007)): templates below, a few
expanded over the four 区役所, dates/council meetings drawn per row.
"""

import datetime as dt
import html as H
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
TITLE = "令和６年度　個人情報の電子計算機の外部結合に関する報告書"
CITY = "岡山市"
RUNNING = "令和６年度　外部結合の状況（岡山市個人情報保護審議会報告）"
RNG = random.Random(331007)

# ---- parties: name → (kind for expected.toml, entity) ----
P = {
    "jlis": ("地方公共団体情報システム機構", '["LocalJointCorporation", "PublicBody"]'),
    "eltax": ("地方税共同機構", '["LocalJointCorporation", "PublicBody"]'),
    "digital": ("デジタル庁", '"NationalGovernmentBody"'),
    "kokuhoren": ("岡山県国民健康保険団体連合会", '"PublicInsuranceBody"'),
    "chuokai": ("国民健康保険中央会", '["PublicInterestCorporation", "PublicInsuranceBody"]'),
    "kikin": ("社会保険診療報酬支払基金", '["PublicBody", "PublicInsuranceBody"]'),
    "nenkin": ("日本年金機構", '["PublicBody", "PublicInsuranceBody"]'),
    "koiki": ("岡山県後期高齢者医療広域連合", '["LocalGovernment", "PublicBody", "PublicInsuranceBody"]'),
    "pref": ("岡山県", '"LocalGovernment"'),
    "nta": ("国税庁", '"NationalGovernmentBody"'),
    "mhlw": ("厚生労働省", '"NationalGovernmentBody"'),
    "cfa": ("こども家庭庁", '"NationalGovernmentBody"'),
    "mext": ("文部科学省", '"NationalGovernmentBody"'),
    "jsc": ("独立行政法人日本スポーツ振興センター", '"PublicBody"'),
    "tkc": ("株式会社ＴＫＣ", '"PrivateCompany"'),
    "ryobi": ("株式会社両備システムズ", '"PrivateCompany"'),
    "gcc": ("株式会社ジーシーシー", '"PrivateCompany"'),
    "fjj": ("富士通Ｊａｐａｎ株式会社", '"PrivateCompany"'),
    "nec": ("日本電気株式会社", '"PrivateCompany"'),
    "hitachi": ("株式会社日立システムズ", '"PrivateCompany"'),
    "gyosei": ("株式会社ぎょうせい", '"PrivateCompany"'),
    "chugin": ("株式会社中国銀行", '"PrivateCompany"'),
    "yubin": ("日本郵便株式会社", '"PrivateCompany"'),
    "ntt": ("株式会社ＮＴＴデータ", '"PrivateCompany"'),
    "asp": ("LGWAN-ASPサービス提供者", '"unnamed"'),
    "kenko": ("公益財団法人岡山県健康づくり財団", '"PublicInterestCorporation"'),
    "fureai": ("公益財団法人岡山市ふれあい公社", '"PublicInterestCorporation"'),
    "ishikai": ("一般社団法人岡山市医師会", '"Association"'),
    "shika": ("一般社団法人岡山市歯科医師会", '"Association"'),
}

# ---- item pools ----
JUKI = ["氏名", "氏名の振り仮名", "生年月日", "性別", "住所", "住民票コード", "個人番号", "異動事由",
        "異動年月日", "世帯主の氏名", "世帯主との続柄", "本籍", "筆頭者の氏名", "転入前の住所",
        "転出先の住所", "住民となった年月日", "住所を定めた年月日", "届出の年月日", "国籍等",
        "在留資格", "在留期間", "在留カード等の番号"]
TAX = ["氏名", "生年月日", "性別", "住所", "個人番号", "宛名番号", "特別徴収義務者番号", "給与支払額",
       "給与所得控除後の金額", "所得控除の額の合計額", "源泉徴収税額", "社会保険料の金額",
       "生命保険料の控除額", "地震保険料の控除額", "住宅借入金等特別控除の額", "控除対象配偶者の氏名",
       "扶養親族の氏名", "扶養親族の個人番号", "特別徴収税額", "年税額", "月割額", "普通徴収への切替理由"]
KOKUHO = ["氏名", "氏名の振り仮名", "生年月日", "性別", "住所", "個人番号", "被保険者証記号番号",
          "資格取得年月日", "資格喪失年月日", "世帯主の氏名", "続柄", "一部負担金の割合", "限度額適用区分",
          "標準負担額減額区分", "特定疾病区分", "保険者番号", "高額療養費の支給額", "療養費の支給額",
          "保険料の賦課額", "所得区分"]
KAIGO = ["氏名", "生年月日", "性別", "住所", "被保険者番号", "要介護状態区分", "認定有効期間",
         "認定年月日", "負担割合", "居宅介護支援事業者名", "サービス種類", "サービス提供年月",
         "給付費", "利用者負担額", "住所地特例の区分", "保険料段階", "所得段階", "資格取得年月日",
         "資格喪失年月日"]
KENSHIN = ["氏名", "生年月日", "性別", "住所", "電話番号", "受診券番号", "受診日", "受診機関名",
           "身長", "体重", "腹囲", "血圧", "血糖", "中性脂肪", "HDLコレステロール",
           "LDLコレステロール", "尿検査", "問診結果", "判定結果"]
GAKKO = ["児童生徒の氏名", "生年月日", "性別", "学校名", "学年", "学級", "出席番号", "保護者の氏名",
         "住所", "電話番号", "身長", "体重", "視力", "聴力", "歯科検診結果", "出欠の状況", "けがの状況"]


def W(*a):
    return list(a)


# 'dept' may hold "{ku}" (expanded over the four wards); 'st' = statutes (law, article, paragraph, item)
T = [
    # ---------------- 市長 ----------------
    dict(ag="市長", dept="市民生活局　市民生活部　市民課",
         bus="住民基本台帳ネットワークシステムによる本人確認情報の提供",
         why="国の機関等への本人確認情報の提供を行うため", sub="本市の住民基本台帳に記録されている者",
         items=JUKI, sp=True, pa=["jlis"], dir="提供", st=[("住民基本台帳法", "30の6", None, None)]),
    dict(ag="市長", dept="市民生活局　市民生活部　市民課",
         bus="コンビニエンスストア等における証明書等の自動交付",
         why="休日及び夜間における証明書の交付により市民の利便性を向上させるため",
         sub="証明書の交付を申請した者", items=["氏名", "生年月日", "性別", "住所", "本籍", "筆頭者の氏名",
                                          "世帯主の氏名", "続柄", "住民票コード", "前住所", "課税標準額",
                                          "所得金額", "控除額", "税額", "利用者証明用電子証明書のシリアル番号"],
         sp=False, pa=["jlis"], dir="提供・受領", st=[("住民基本台帳法", "12の4", None, None)]),
    dict(ag="市長", dept="{ku}役所　市民保険年金課",
         bus="国民年金被保険者の資格異動情報の日本年金機構への送付",
         why="国民年金の資格取得等の届出を電子媒体によらず送付するため",
         sub="国民年金の第１号被保険者及び届出をした者",
         items=["氏名", "氏名の振り仮名", "生年月日", "性別", "住所", "基礎年金番号", "個人番号",
                "資格取得年月日", "資格喪失年月日", "種別変更年月日", "届出年月日", "保険料免除の区分",
                "免除申請年月日", "学生納付特例の区分", "付加保険料の申出", "産前産後期間"],
         sp=True, pa=["nenkin"], dir="提供", st=[("国民年金法", "12", 1, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="財政局　税務部　市民税課",
         bus="給与支払報告書等の電子的提出の受付", why="特別徴収義務者からの給与支払報告書をeLTAXで受け付けるため",
         sub="給与所得者", items=TAX, sp=True, pa=["eltax"], dir="受領",
         st=[("地方税法", "317の6", 1, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="財政局　税務部　市民税課",
         bus="特別徴収税額通知の電子送付", why="特別徴収義務者への税額通知を電子化するため",
         sub="給与所得に係る特別徴収の納税義務者", items=TAX[:18], sp=True, pa=["eltax"], dir="提供",
         st=[("地方税法", "321の4", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="財政局　税務部　市民税課",
         bus="国税連携による確定申告書等の情報の受領", why="所得税の確定申告書の内容を個人住民税の賦課に用いるため",
         sub="所得税の確定申告を行った者",
         items=["氏名", "生年月日", "住所", "個人番号", "所得の種類", "収入金額", "所得金額", "所得控除額",
                "配偶者の氏名", "扶養親族の氏名", "事業専従者の氏名", "寄附金の額", "還付先口座"],
         sp=True, pa=["nta", "eltax"], dir="受領", st=[("地方税法", "45の3", 2, None)]),
    dict(ag="市長", dept="財政局　税務部　資産税課",
         bus="登記済通知書の電子データによる受領", why="固定資産税の課税台帳を登記の内容に合わせて更新するため",
         sub="土地及び家屋の所有者", items=["所有者の氏名", "所有者の住所", "持分", "所在地番", "地目",
                                        "地積", "家屋番号", "種類", "構造", "床面積", "登記原因", "登記年月日"],
         sp=False, pa=["ryobi"], dir="受領", st=[("地方税法", "382", 1, None)]),
    dict(ag="市長", dept="財政局　税務部　納税課",
         bus="地方税統一QRコードによる納付情報の受領", why="スマートフォン決済等による納付を確認するため",
         sub="市税の納税義務者", items=["氏名", "納付番号", "確認番号", "納付区分", "税目", "年度", "期別",
                                    "納付額", "納付日"], sp=False, pa=["eltax"], dir="受領", st=[], etc=True),
    dict(ag="市長", dept="財政局　税務部　納税課",
         bus="口座振替依頼の電子受付", why="金融機関の窓口に行かずに口座振替を申し込めるようにするため",
         sub="口座振替を申し込んだ納税義務者", items=["氏名", "住所", "電話番号", "税目", "金融機関コード",
                                             "支店コード", "預金種目", "口座番号", "口座名義人"],
         sp=False, pa=["chugin", "ntt"], dir="受領", st=[]),
    dict(ag="市長", dept="{ku}役所　市民保険年金課",
         bus="国民健康保険の資格情報のオンライン資格確認等システムへの登録",
         why="医療機関等で資格を確認できるようにするため", sub="国民健康保険の被保険者", items=KOKUHO,
         sp=True, pa=["kokuhoren", "chuokai", "kikin"], dir="提供",
         st=[("国民健康保険法", "113の3", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="保健福祉局　保健福祉部　保険年金課",
         bus="国民健康保険の診療報酬明細書の審査支払", why="診療報酬の審査支払を委託するため",
         sub="国民健康保険の被保険者", items=KOKUHO[:16], sp=False, pa=["kokuhoren"], dir="提供・受領",
         st=[("国民健康保険法", "45", 5, None)]),
    dict(ag="市長", dept="保健福祉局　保健福祉部　保険年金課",
         bus="特定健康診査等データの管理", why="特定健康診査の結果を国保データベースで管理し保健事業に用いるため",
         sub="40歳以上74歳以下の国民健康保険の被保険者", items=KENSHIN, sp=False,
         pa=["kokuhoren", "chuokai"], dir="提供・受領", st=[("高齢者の医療の確保に関する法律", "20", None, None)]),
    dict(ag="市長", dept="保健福祉局　保健福祉部　保険年金課",
         bus="後期高齢者医療の資格及び保険料情報の広域連合との連携", why="後期高齢者医療の事務を広域連合と分担するため",
         sub="後期高齢者医療の被保険者", items=["氏名", "生年月日", "性別", "住所", "個人番号", "被保険者番号",
                                         "資格取得年月日", "資格喪失年月日", "保険料額", "納付額", "所得額",
                                         "世帯主の氏名", "口座情報"], sp=True, pa=["koiki"], dir="提供・受領",
         st=[("高齢者の医療の確保に関する法律", "138", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="保健福祉局　保健福祉部　医療助成課",
         bus="子ども医療費公費負担情報のオンライン資格確認等システムへの登録",
         why="医療機関等で公費負担の資格を確認できるようにするため", sub="子ども医療費の受給者",
         items=["受給者の氏名", "生年月日", "性別", "住所", "公費負担者番号", "受給者番号", "資格取得年月日",
                "資格喪失年月日", "自己負担の区分", "保護者の氏名"], sp=False, pa=["kikin"], dir="提供",
         st=[]),
    dict(ag="市長", dept="保健福祉局　保健福祉部　医療助成課",
         bus="心身障害者医療費の審査支払", why="医療費の審査支払を国保連合会に委託するため",
         sub="心身障害者医療費の受給者", items=["受給者の氏名", "生年月日", "住所", "受給者番号", "保険者番号",
                                         "被保険者証記号番号", "診療年月", "医療機関コード", "医療費の額",
                                         "助成額"], sp=False, pa=["kokuhoren", "kikin"], dir="提供・受領", st=[],
         etc=True),
    dict(ag="市長", dept="保健福祉局　保健福祉部　生活福祉課",
         bus="医療扶助のオンライン資格確認", why="医療扶助の資格確認を医療機関で行えるようにするため",
         sub="医療扶助を受ける被保護者", items=["氏名", "生年月日", "性別", "住所", "公費負担者番号",
                                         "受給者番号", "医療券の有効期間", "指定医療機関名"],
         sp=False, pa=["kikin"], dir="提供", st=[("生活保護法", "34", None, None)]),
    dict(ag="市長", dept="保健福祉局　保健福祉部　生活福祉課",
         bus="生活保護に係る年金受給状況の照会", why="保護の要否の判定に必要な収入を把握するため",
         sub="被保護者及び保護の申請者", items=["氏名", "生年月日", "基礎年金番号", "個人番号", "年金の種類",
                                         "年金額", "支払期月"], sp=True, pa=["nenkin"], dir="受領",
         st=[("生活保護法", "29", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="保健福祉局　高齢福祉部　介護保険課",
         bus="介護保険の資格及び給付情報の国保連合会との連携", why="介護給付費の審査支払を委託するため",
         sub="介護保険の被保険者", items=KAIGO, sp=False, pa=["kokuhoren"], dir="提供・受領",
         st=[("介護保険法", "41", 10, None)]),
    dict(ag="市長", dept="保健福祉局　高齢福祉部　介護保険課",
         bus="要介護認定情報の厚生労働省への提供", why="介護保険総合データベースに認定情報を登録するため",
         sub="要介護認定の申請者", items=["被保険者番号", "生年月日", "性別", "要介護状態区分", "認定調査の結果",
                                       "主治医意見書の内容", "認定年月日"], sp=False, pa=["mhlw"], dir="提供",
         st=[("介護保険法", "118の2", 1, None)]),
    dict(ag="市長", dept="保健福祉局　高齢福祉部　介護保険課",
         bus="介護認定審査会資料のペーパーレス化", why="審査会委員が資料をタブレット端末で閲覧できるようにするため",
         sub="要介護認定の申請者", items=["被保険者番号", "年齢", "性別", "要介護状態区分", "認定調査の結果",
                                       "特記事項", "主治医意見書の内容"], sp=False, pa=["asp"], dir="提供", st=[]),
    dict(ag="市長", dept="保健福祉局　保健福祉部　障害福祉課",
         bus="障害福祉サービス費等の審査支払", why="障害福祉サービス費の審査支払を国保連合会に委託するため",
         sub="障害福祉サービスの支給決定を受けた者", items=["氏名", "生年月日", "住所", "受給者証番号",
                                                   "支給決定の内容", "支給量", "利用者負担上限月額",
                                                   "サービス提供事業所名", "サービス提供年月", "給付費の額"],
         sp=False, pa=["kokuhoren"], dir="提供・受領",
         st=[("障害者の日常生活及び社会生活を総合的に支援するための法律", "29", 7, None)]),
    dict(ag="市長", dept="保健福祉局　保健所　健康づくり課",
         bus="がん検診の受診結果の受領", why="検診実施機関から受診結果を受け取り精密検査の受診を勧奨するため",
         sub="がん検診の受診者", items=["氏名", "生年月日", "性別", "住所", "受診券番号", "検診の種類", "受診日",
                                     "検診結果", "精密検査の要否"], sp=False, pa=["kenko", "ishikai"],
         dir="受領", st=[("健康増進法", "19の2", None, None)]),
    dict(ag="市長", dept="保健福祉局　保健所　健康づくり課",
         bus="歯周病検診の受診結果の受領", why="検診結果を集計し歯科保健事業に用いるため",
         sub="歯周病検診の受診者", items=["氏名", "生年月日", "性別", "住所", "受診日", "歯科医療機関名",
                                      "検診結果"], sp=False, pa=["shika"], dir="受領",
         st=[("健康増進法", "19の2", None, None)]),
    dict(ag="市長", dept="保健福祉局　保健所　保健管理課",
         bus="予防接種記録の電子化及び予防接種データベースへの登録", why="接種記録を国のデータベースに登録するため",
         sub="定期予防接種の対象者", items=["氏名", "生年月日", "性別", "住所", "個人番号", "ワクチンの種類",
                                       "接種日", "接種回数", "ロット番号", "接種医療機関名"],
         sp=True, pa=["mhlw", "digital"], dir="提供",
         st=[("予防接種法", "25の2", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="保健福祉局　保健所　感染症対策課",
         bus="感染症発生届の電子的な受付", why="医師からの発生届を感染症サーベイランスシステムで受け付けるため",
         sub="感染症の患者及び無症状病原体保有者", items=["氏名", "生年月日", "性別", "住所", "電話番号", "職業",
                                                 "病名", "症状", "診断方法", "発病年月日", "診断年月日",
                                                 "感染原因", "感染地域"], sp=False, pa=["mhlw"], dir="受領",
         st=[("感染症の予防及び感染症の患者に対する医療に関する法律", "12", 1, None)]),
    dict(ag="市長", dept="岡山っ子育成局　子育て支援部　こども福祉課",
         bus="児童手当の電子申請の受付", why="マイナポータルから児童手当の認定請求等を受け付けるため",
         sub="児童手当の受給者及び請求者", items=["請求者の氏名", "生年月日", "住所", "個人番号", "電話番号",
                                           "児童の氏名", "児童の生年月日", "児童の個人番号", "続柄",
                                           "配偶者の氏名", "加入年金の種類", "金融機関名", "口座番号"],
         sp=True, pa=["digital"], dir="受領", st=[("児童手当法", "7", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="岡山っ子育成局　子育て支援部　こども福祉課",
         bus="児童扶養手当の所得情報等の照会", why="手当額の算定に必要な所得等を把握するため",
         sub="児童扶養手当の受給者及び扶養義務者", items=["氏名", "生年月日", "個人番号", "所得額", "控除額",
                                                 "公的年金の受給状況"], sp=True, pa=["digital"], dir="受領",
         st=[("児童扶養手当法", "30", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="岡山っ子育成局　就園管理課",
         bus="保育施設等の利用申込みの電子受付", why="保育施設の利用申込みをオンラインで受け付けるため",
         sub="保育施設の利用を申し込んだ保護者及び児童",
         items=["保護者の氏名", "保護者の生年月日", "住所", "電話番号", "メールアドレス", "勤務先",
                "就労時間", "児童の氏名", "児童の生年月日", "児童の性別", "希望施設", "希望開始日",
                "障害の有無", "健康状態", "兄弟姉妹の在園状況", "世帯の状況"],
         sp=False, pa=["asp"], dir="受領", st=[]),
    dict(ag="市長", dept="岡山っ子育成局　地域子育て支援課",
         bus="妊婦健康診査費の審査支払", why="妊婦健康診査の費用の審査支払を委託するため",
         sub="妊婦健康診査受診票の交付を受けた妊婦", items=["氏名", "生年月日", "住所", "受診票番号", "受診日",
                                                  "医療機関名", "健診の結果", "請求額"],
         sp=False, pa=["kokuhoren"], dir="提供・受領", st=[("母子保健法", "13", None, None)]),
    dict(ag="市長", dept="総務局　行政改革推進部　デジタル推進課",
         bus="電子申請サービスの運用", why="各種の申請及び届出をオンラインで受け付けるため",
         sub="電子申請を行った者", items=["氏名", "住所", "生年月日", "電話番号", "メールアドレス",
                                      "申請の内容", "添付書類"], sp=False, pa=["asp"], dir="受領", st=[],
         etc=True),
    dict(ag="市長", dept="総務局　行政改革推進部　デジタル推進課",
         bus="ガバメントクラウドへの基幹業務システムの移行", why="標準準拠システムをガバメントクラウド上で運用するため",
         sub="基幹業務システムに記録されている者", items=["住民記録", "地方税", "国民健康保険", "国民年金",
                                                "介護保険", "障害者福祉", "児童手当", "生活保護",
                                                "後期高齢者医療", "就学", "選挙人名簿管理"],
         sp=True, pa=["digital", "tkc", "fjj", "ryobi"], dir="提供・受領",
         st=[("地方公共団体情報システムの標準化に関する法律", "10", None, None)]),
    dict(ag="市長", dept="総務局　総務法務部　総務課",
         bus="公文書の電子的な送付の受付", why="国及び他の地方公共団体からの公文書をLGWANで受け付けるため",
         sub="公文書に記載された者", items=["氏名", "住所", "文書の内容"], sp=False, pa=["asp"], dir="受領",
         st=[]),
    dict(ag="市長", dept="環境局　環境部　環境事業課",
         bus="粗大ごみ収集のインターネット受付", why="粗大ごみの収集申込みを24時間受け付けるため",
         sub="粗大ごみの収集を申し込んだ者", items=["氏名", "住所", "電話番号", "メールアドレス", "品目",
                                              "収集日"], sp=False, pa=["fureai", "gcc"], dir="受領", st=[]),
    dict(ag="市長", dept="都市整備局　住宅・建築部　住宅課",
         bus="市営住宅の家賃決定のための所得情報の照会", why="入居者の収入を把握し家賃を決定するため",
         sub="市営住宅の入居者及び同居者", items=["氏名", "生年月日", "個人番号", "所得額", "控除額"],
         sp=True, pa=["digital"], dir="受領", st=[("公営住宅法", "34", None, None), ("番号法", "19", None, 8)]),
    dict(ag="市長", dept="市民生活局　市民生活部　市民課",
         bus="マイナンバーカードの交付予約", why="カードの受取予約をインターネットで受け付けるため",
         sub="マイナンバーカードの交付を申請した者", items=["氏名", "生年月日", "電話番号", "メールアドレス",
                                                  "交付通知書番号", "予約日時", "受取窓口"],
         sp=False, pa=["asp"], dir="受領", st=[]),
    dict(ag="市長", dept="{ku}役所　地域福祉課",
         bus="福祉給付金等の口座振込データの送付", why="給付金を受給者の口座に振り込むため",
         sub="福祉給付金の受給者", items=["氏名", "住所", "金融機関コード", "支店コード", "預金種目", "口座番号",
                                      "口座名義人", "振込額"], sp=False, pa=["chugin"], dir="提供", st=[]),
    dict(ag="市長", dept="市民生活局　市民生活部　市民課",
         bus="戸籍情報連携システムによる戸籍情報の提供", why="戸籍謄本等の提出を不要とするため",
         sub="本市に本籍を有する者", items=["氏名", "生年月日", "性別", "本籍", "筆頭者の氏名", "父母の氏名",
                                        "続柄", "身分事項", "戸籍の異動事由", "異動年月日", "個人番号"],
         sp=True, pa=["jlis"], dir="提供", st=[("戸籍法", "118", None, None)]),
    dict(ag="市長", dept="財政局　税務部　市民税課",
         bus="ふるさと納税ワンストップ特例申請の電子受付", why="寄附者からの特例申請をオンラインで受け付けるため",
         sub="ふるさと納税を行い特例申請をした者", items=["氏名", "生年月日", "性別", "住所", "個人番号",
                                                "寄附金額", "寄附年月日", "電話番号"],
         sp=True, pa=["asp", "eltax"], dir="受領",
         st=[("地方税法", "附則5の8", None, None), ("番号法", "19", None, 8)]),
    # ---------------- 教育委員会 ----------------
    dict(ag="教育委員会", dept="教育委員会事務局　学校教育部　就学課",
         bus="就学援助の申請のオンライン受付", why="就学援助の申請を電子で受け付けるため",
         sub="就学援助を申請した保護者及びその児童生徒", items=["保護者の氏名", "住所", "電話番号", "児童生徒の氏名",
                                                     "生年月日", "学校名", "学年", "世帯員の氏名",
                                                     "所得額", "口座情報"], sp=False, pa=["asp"], dir="受領",
         st=[("学校教育法", "19", None, None)]),
    dict(ag="教育委員会", dept="教育委員会事務局　学校教育部　保健体育課",
         bus="学校の管理下における災害共済給付の電子請求", why="災害共済給付の請求をオンラインで行うため",
         sub="災害共済給付の対象となる児童生徒", items=GAKKO, sp=False, pa=["jsc"], dir="提供",
         st=[("独立行政法人日本スポーツ振興センター法", "15", 1, 7)]),
    dict(ag="教育委員会", dept="教育委員会事務局　学校教育部　指導課",
         bus="全国学力・学習状況調査のオンライン実施", why="国が行う調査にオンラインで解答させるため",
         sub="調査の対象となる小学校第６学年及び中学校第３学年の児童生徒",
         items=["学校名", "学年", "学級", "出席番号", "性別", "解答", "質問紙調査の回答"],
         sp=False, pa=["mext"], dir="提供", st=[]),
    dict(ag="教育委員会", dept="教育委員会事務局　学校教育部　指導課",
         bus="学習用端末のクラウド型学習支援サービスの利用", why="児童生徒が家庭でも学習できるようにするため",
         sub="市立小中学校の児童生徒及び教職員", items=["氏名", "学校名", "学年", "学級", "出席番号",
                                                "アカウント名", "学習履歴", "提出物"],
         sp=False, pa=["gyosei", "nec"], dir="提供・受領", st=[]),
    dict(ag="教育委員会", dept="教育委員会事務局　生涯学習部　中央図書館",
         bus="図書館の電子書籍貸出サービス", why="電子書籍を貸し出すため",
         sub="電子書籍の利用登録をした者", items=["利用者番号", "パスワード", "貸出履歴"], sp=False,
         pa=["hitachi"], dir="提供", st=[]),
    # ---------------- 選挙管理委員会 ----------------
    dict(ag="選挙管理委員会", dept="選挙管理委員会事務局",
         bus="期日前投票所における選挙人名簿対照のオンライン化", why="期日前投票所で二重投票を防止するため",
         sub="本市の選挙人名簿に登録されている者", items=["氏名", "生年月日", "性別", "住所", "投票区",
                                                "選挙人名簿の登録番号", "投票済みの区分"],
         sp=False, pa=["hitachi"], dir="提供・受領", st=[("公職選挙法", "48の2", None, None)]),
    # ---------------- 水道事業管理者 ----------------
    dict(ag="水道事業管理者", dept="水道局　お客さまサービス課",
         bus="水道使用開始・中止の電子受付", why="使用開始等の届出をインターネットで受け付けるため",
         sub="水道の使用者", items=["氏名", "住所", "電話番号", "メールアドレス", "使用開始日", "使用中止日",
                                  "お客さま番号", "精算方法"], sp=False, pa=["asp"], dir="受領", st=[]),
    dict(ag="水道事業管理者", dept="水道局　料金課",
         bus="水道料金のスマートフォン決済の収納情報の受領", why="スマートフォン決済による納付を確認するため",
         sub="水道料金の納付者", items=["お客さま番号", "氏名", "納付額", "納付日", "収納機関"], sp=False,
         pa=["yubin", "ntt"], dir="受領", st=[]),
]

WARDS = ["北区", "中区", "東区", "南区"]
START = [dt.date(2024, 4, 1), dt.date(2024, 5, 1), dt.date(2024, 6, 3), dt.date(2024, 7, 1),
         dt.date(2024, 8, 1), dt.date(2024, 10, 1), dt.date(2024, 11, 5), dt.date(2025, 1, 6),
         dt.date(2025, 2, 3), dt.date(2025, 3, 3)]


def expand():
    rows = []
    for t in T:
        if "{ku}" in t["dept"]:
            for ku in WARDS:
                rows.append(dict(t, dept=t["dept"].replace("{ku}", ku)))
        else:
            rows.append(dict(t))
    # a second pass over some templates with another vendor/department: same business in the
    # other wards' 地域こども相談センター etc. keeps the list long (60–90 rows)
    extra = []
    for ku in WARDS:
        extra.append(dict(ag="市長", dept=f"{ku}役所　地域こども相談センター",
                          bus="乳幼児健康診査の結果の受領", why="健診実施医療機関から健診結果を受け取るため",
                          sub="乳幼児健康診査の対象となる乳幼児", items=["乳幼児の氏名", "生年月日", "性別",
                                                             "保護者の氏名", "住所", "受診日", "身長",
                                                             "体重", "頭囲", "発達の状況", "判定結果"],
                          sp=False, pa=["ishikai"], dir="受領", st=[("母子保健法", "12", None, None)]))
    mayor = [r for r in rows if r["ag"] == "市長"] + extra
    others = [r for r in rows if r["ag"] != "市長"]
    rows = mayor + others
    for r in rows:
        d = RNG.choice(START)
        r["start"] = d
        # council: the meeting before the start (FY2024 meetings: 1 May, 2 Jul, 3 Oct, 4 Jan)
        if d < dt.date(2024, 6, 1):
            r["council"] = (2023, 4, "承認")
        elif d < dt.date(2024, 8, 1):
            r["council"] = (2024, 1, "承認")
        elif d < dt.date(2024, 11, 1):
            r["council"] = (2024, 2, "承認")
        elif d < dt.date(2025, 2, 1):
            r["council"] = (2024, 3, "承認")
        else:
            r["council"] = (2024, 4, "承認")
        if r["pa"] == ["asp"] and RNG.random() < 0.5:
            r["council"] = (r["council"][0], r["council"][1], "報告")
        r.setdefault("etc", False)
    for i, r in enumerate(rows, 1):
        r["no"] = i
    return rows


ENDED = [
    dict(ag="市長", dept="市民生活局　市民生活部　市民課", bus="住民票の写し等の郵送請求の電子受付",
         pa=["asp"], items=["氏名", "住所", "生年月日", "電話番号", "請求の内容"], start=dt.date(2019, 10, 1),
         end=dt.date(2024, 9, 30), why="国の電子申請サービスに移行したため"),
    dict(ag="市長", dept="財政局　税務部　市民税課", bus="特別徴収税額通知の光ディスクによる送付",
         pa=["ryobi"], items=["氏名", "住所", "個人番号", "特別徴収税額", "月割額"], start=dt.date(2018, 5, 1),
         end=dt.date(2024, 4, 30), why="eLTAXによる電子送付に一本化したため"),
    dict(ag="市長", dept="保健福祉局　保健福祉部　保険年金課", bus="国民健康保険被保険者証の作成委託",
         pa=["tkc"], items=["氏名", "生年月日", "性別", "住所", "被保険者証記号番号", "有効期限"],
         start=dt.date(2015, 8, 1), end=dt.date(2024, 12, 1), why="被保険者証の新規発行が終了したため"),
    dict(ag="市長", dept="保健福祉局　高齢福祉部　介護保険課", bus="介護保険料の口座振替データの送付",
         pa=["chugin"], items=["氏名", "口座番号", "振替額"], start=dt.date(2012, 4, 1),
         end=dt.date(2025, 3, 31), why="収納代行業者経由に切り替えたため"),
    dict(ag="市長", dept="岡山っ子育成局　就園管理課", bus="保育料の算定のための所得情報の受領",
         pa=["gcc"], items=["保護者の氏名", "所得額", "市民税所得割額"], start=dt.date(2016, 4, 1),
         end=dt.date(2024, 8, 31), why="庁内システムで照会する方式に改めたため"),
    dict(ag="市長", dept="環境局　環境部　環境事業課", bus="ごみ分別アプリの利用者登録",
         pa=["gcc"], items=["メールアドレス", "居住地区"], start=dt.date(2020, 7, 1), end=dt.date(2024, 6, 30),
         why="アプリの提供を終了したため"),
    dict(ag="教育委員会", dept="教育委員会事務局　学校教育部　保健体育課", bus="学校健康診断結果の集計委託",
         pa=["kenko"], items=["児童生徒の氏名", "学校名", "学年", "健診結果"], start=dt.date(2017, 4, 1),
         end=dt.date(2025, 3, 31), why="校務支援システムで集計することとしたため"),
    dict(ag="教育委員会", dept="教育委員会事務局　生涯学習部　中央図書館", bus="図書館の予約メール配信",
         pa=["hitachi"], items=["利用者番号", "メールアドレス"], start=dt.date(2014, 4, 1),
         end=dt.date(2024, 10, 31), why="図書館システムの更新により庁内で配信することとしたため"),
    dict(ag="水道事業管理者", dept="水道局　料金課", bus="水道料金の納入通知書の印刷委託",
         pa=["hitachi"], items=["お客さま番号", "氏名", "住所", "使用水量", "料金"], start=dt.date(2013, 4, 1),
         end=dt.date(2024, 9, 30), why="印刷業務を庁内で行うこととしたため"),
]
for i, e in enumerate(ENDED, 1):
    e["no"] = i

AGENCIES = ["市長", "教育委員会", "選挙管理委員会", "水道事業管理者"]
PREV = {"市長": 318, "教育委員会": 42, "選挙管理委員会": 6, "水道事業管理者": 15}
SPEC_PREV = {"市長": 96, "教育委員会": 3, "選挙管理委員会": 0, "水道事業管理者": 0}
ROWS = expand()


def summary():
    out = []
    tot = [0, 0, 0, 0, 0]
    for ag in AGENCIES:
        b = sum(1 for r in ROWS if r["ag"] == ag)
        c = sum(1 for e in ENDED if e["ag"] == ag)
        a = PREV[ag]
        sp = SPEC_PREV[ag] + sum(1 for r in ROWS if r["ag"] == ag and r["sp"])
        row = [a, b, c, a + b - c, sp]
        tot = [x + y for x, y in zip(tot, row)]
        out.append([ag] + row)
    out.append(["合計"] + tot)
    return out


def reiwa(d):
    if d < dt.date(2019, 5, 1):
        return f"平成{d.year - 1988}年{d.month}月{d.day}日"
    y = d.year - 2018
    return f"令和{'元' if y == 1 else y}年{d.month}月{d.day}日"


def statute_text(st):
    parts = []
    for law, art, para, item in st:
        pre = "附則" if art.startswith("附則") else ""
        num, _, sub = art.removeprefix("附則").partition("の")
        s = f"{law}{pre}第{num}条" + (f"の{sub}" if sub else "")
        if para:
            s += f"第{para}項"
        if item:
            s += f"第{item}号"
        parts.append(s)
    return "\n".join(parts) if parts else "－"


def items_text(r):
    its = list(r["items"])
    if r.get("etc"):
        its[-1] += "等"
    return "\n".join(its)


def council_text(c):
    fy, m, d = c
    return f"令和{fy - 2018}年度第{m}回\n{d}"


NEW_HEAD = ["No", "実施機関", "担当課", "業務名", "結合の理由", "対象者", "記録項目", "特定個人情報",
            "結合先", "提供・受領の別", "根拠法令", "審議会", "結合開始日"]
END_HEAD = ["No", "実施機関", "担当課", "業務名", "結合先", "記録項目", "結合開始日", "結合終了日", "終了の理由"]
SUM_HEAD = ["実施機関", "令和５年度末の結合件数（Ａ）", "新規結合件数（Ｂ）", "結合終了件数（Ｃ）",
            "令和６年度末の結合件数（Ａ＋Ｂ－Ｃ）", "うち特定個人情報を含むもの"]


def new_cells(r):
    return [str(r["no"]), r["ag"], r["dept"], r["bus"], r["why"], r["sub"], items_text(r),
            "有" if r["sp"] else "無", "\n".join(P[k][0] for k in r["pa"]), r["dir"], statute_text(r["st"]),
            council_text(r["council"]), reiwa(r["start"])]


def end_cells(e):
    return [str(e["no"]), e["ag"], e["dept"], e["bus"], "\n".join(P[k][0] for k in e["pa"]),
            "\n".join(e["items"]), reiwa(e["start"]), reiwa(e["end"]), e["why"]]


MEMO = {3: "R6.4 年金機構と覚書済", 12: "国保連契約R7.3更新", 30: "クラウド移行 第2期はR7",
        41: "要確認：委託先の再委託", 47: "選管と協議中"}


def cell(s):
    return H.escape(s).replace("\n", "<br>")


def html():
    css = """
@page { size: A4 landscape; margin: 16mm 10mm 14mm 10mm;
  @top-center { content: "%s"; font-size: 8pt; }
  @bottom-center { content: "－ " counter(page) " －"; font-size: 9pt; } }
body { font-family: "Noto Sans CJK JP", "IPAGothic", sans-serif; font-size: 7.5pt; }
h1 { font-size: 13pt; text-align: center; margin: 0 0 4px; }
p.city { text-align: right; font-size: 10pt; margin: 0 0 8px; }
h2 { font-size: 10pt; margin: 10px 0 4px; }
table { border-collapse: collapse; width: 100%%; }
th, td { border: 0.6px solid #000; padding: 2px 3px; vertical-align: top; }
th { background: #dde; font-weight: normal; }
thead { display: table-header-group; }
tr { break-inside: auto; }
td.n { text-align: center; }
tr.kei td { background: #f2f2f2; }
""" % RUNNING
    out = [f"<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'><title>{TITLE}</title>"
           f"<style>{css}</style></head><body>", f"<h1>{TITLE}</h1>", f"<p class='city'>{CITY}</p>"]
    out.append("<h2>（１）実施機関別の外部結合の件数</h2><table><thead><tr>"
               + "".join(f"<th>{cell(h)}</th>" for h in SUM_HEAD) + "</tr></thead><tbody>")
    for row in summary():
        out.append("<tr>" + "".join(f"<td class='n'>{cell(str(x))}</td>" for x in row) + "</tr>")
    out.append("</tbody></table>")
    widths = [3, 5, 8, 10, 10, 8, 10, 4, 10, 5, 10, 6, 7]
    out.append("<h2>（２）新たに外部結合を行ったもの</h2><table><colgroup>"
               + "".join(f"<col style='width:{w}%'>" for w in widths) + "</colgroup><thead><tr>"
               + "".join(f"<th>{cell(h)}</th>" for h in NEW_HEAD) + "</tr></thead><tbody>")
    for ag in AGENCIES:
        rs = [r for r in ROWS if r["ag"] == ag]
        for r in rs:
            out.append("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in new_cells(r)) + "</tr>")
        out.append(f"<tr class='kei'><td colspan='3'>{ag}　計</td><td colspan='10'>{len(rs)}件</td></tr>")
    out.append("</tbody></table>")
    out.append("<h2 style='break-before: page'>（３）外部結合を終了したもの</h2><table><thead><tr>"
               + "".join(f"<th>{cell(h)}</th>" for h in END_HEAD) + "</tr></thead><tbody>")
    for e in ENDED:
        out.append("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in end_cells(e)) + "</tr>")
    out.append("</tbody></table></body></html>")
    return "\n".join(out)


def xlsx(path):
    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "外部結合報告"
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([TITLE])
    ws.append([CITY])
    ws.append([])
    ws.append(["（１）実施機関別の外部結合の件数"])
    ws.append(SUM_HEAD)
    for row in summary():
        ws.append(row)
    ws.append([])
    ws.append(["（２）新たに外部結合を行ったもの"])
    ws.append(NEW_HEAD + [None, "事務局メモ"])
    head_row = ws.max_row
    for ag in AGENCIES:
        rs = [r for r in ROWS if r["ag"] == ag]
        for r in rs:
            c = new_cells(r)
            c[0] = r["no"]
            c[12] = r["start"]
            ws.append(c + [None, MEMO.get(r["no"])])
            ws.cell(ws.max_row, 13).number_format = 'ggge"年"m"月"d"日"'
        ws.append([f"{ag}　計", None, None, f"{len(rs)}件"])
    ws.append([])
    ws.append(["（３）外部結合を終了したもの"])
    ws.append(END_HEAD)
    for e in ENDED:
        c = end_cells(e)
        c[0] = e["no"]
        c[6], c[7] = e["start"], e["end"]
        ws.append(c)
        for k in (7, 8):
            ws.cell(ws.max_row, k).number_format = 'ggge"年"m"月"d"日"'
    for row in ws.iter_rows():
        for c in row:
            c.alignment = wrap
    for col, w in zip("ABCDEFGHIJKLM", [5, 10, 18, 24, 24, 18, 22, 8, 22, 9, 24, 12, 14]):
        ws.column_dimensions[col].width = w
    ws.column_dimensions["O"].hidden = True  # the clerk's helper column: in the file, not printed
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.print_area = f"A1:M{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = RUNNING
    ws.oddFooter.center.text = "－ &P －"
    wb.save(path)


def viewer_text(pdf):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for page in doc:
        tp = page.get_textpage()
        pages.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(pages)


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expected():
    o = ["[report]", 'municipality_code = "331007"', "fiscal_year = 2024", "validate_exit = 1", ""]
    for row in summary():
        o += ["[[summary]]", f"agency = {toml_str(row[0])}", f"a = {row[1]}", f"b = {row[2]}",
              f"c = {row[3]}", f"current = {row[4]}", f"specific = {row[5]}", ""]

    def parties(keys):
        # a party named only by its kind (LGWAN-ASPサービス提供者) is no one organisation: no entity
        return "[" + ", ".join(f"{{ name = {toml_str(P[k][0])}, kind = {P[k][1]}"
                               + ("" if k == "asp" else f", entity = {toml_str(k)}") + " }" for k in keys) + "]"

    def statutes(st):
        out = []
        for law, art, para, item in st:
            s = f"{{ law = {toml_str(law)}, article = {toml_str(art)}"
            if para:
                s += f", paragraph = {para}"
            if item:
                s += f", item = {item}"
            out.append(s + " }")
        return "[" + ", ".join(out) + "]"

    dirs = {"提供": "to", "受領": "from", "提供・受領": "both"}
    for r in ROWS:
        fy, m, d = r["council"]
        o += ["[[connection]]", 'status = "new"', f"number = {r['no']}", f"departments = [{toml_str(r['dept'])}]",
              f"agency = {toml_str(r['ag'])}", f"business = {toml_str(r['bus'])}", f"reason = {toml_str(r['why'])}",
              f"subjects = {toml_str(r['sub'])}", "items = [" + ", ".join(toml_str(i) for i in r["items"]) + "]",
              f"items_open_ended = {'true' if r['etc'] else 'false'}", f"specific = {'true' if r['sp'] else 'false'}",
              f'council = {{ fiscal_year = {fy}, meeting = {m}, decision = "{d}" }}',
              f"statutes = {statutes(r['st'])}", f"counterparties = {parties(r['pa'])}",
              f'start_date = "{r["start"].isoformat()}"', f'direction = "{dirs[r["dir"]]}"', ""]
    for e in ENDED:
        o += ["[[connection]]", 'status = "ended"', f"number = {e['no']}", f"departments = [{toml_str(e['dept'])}]",
              f"agency = {toml_str(e['ag'])}", f"business = {toml_str(e['bus'])}", f"reason = {toml_str(e['why'])}",
              'subjects = "absent"', "items = [" + ", ".join(toml_str(i) for i in e["items"]) + "]",
              'specific = "absent"', 'council = "absent"', "statutes = []",
              f"counterparties = {parties(e['pa'])}", f'start_date = "{e["start"].isoformat()}"',
              f'end_date = "{e["end"].isoformat()}"', ""]
    o += ["[findings]", "violations = [", '  { about = ["MyNumberShape", "個人番号"], connection = 17 },', "]", ""]
    return "\n".join(o)


if __name__ == "__main__":
    if "--expected" in sys.argv:
        print(expected())
        sys.exit()
    xlsx(HERE / "report.xlsx")
    # the HTML is only the print source (the city publishes PDF and Excel): kept out of the folder
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "report.html").write_text(html(), encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={HERE / 'report.pdf'}", str(Path(tmp) / "report.html")],
                       check=True, capture_output=True)
    (HERE / "report.txt").write_text(viewer_text(HERE / "report.pdf"), encoding="utf-8")
