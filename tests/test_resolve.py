"""Resolution of every counterparty, department and subject cell of the bundled report.

The expected values were written by reading the report (data/reports/shinjuku-2020-gaibu-ketsugo.txt),
not by running ketsugo.
"""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Graph, Namespace, URIRef

from ketsugo.graph.resolve import PartyMatch, Registry, match_key
from ketsugo.paths import REFERENCE_DIR, REPORTS_DIR
from ketsugo.read.normalize import normalize

KG = Namespace("https://w3id.org/ketsugo#")
ID = "https://w3id.org/ketsugo/id/"
CODE = "131041"
REPORT = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"

LGWAN = KG.LGWANASPServiceProvider
PAYMENT = KG.PaymentServiceProvider
MAYOR = URIRef(f"{ID}{CODE}/agency/mayor")
BOARD = URIRef(f"{ID}{CODE}/agency/board-of-education")


def org(slug: str) -> URIRef:
    return URIRef(f"{ID}org/{slug}")


def dept(name: str) -> URIRef:
    return URIRef(f"{ID}{CODE}/department/{name}")


def subject(slug: str) -> URIRef:
    return URIRef(f"{ID}subject-class/{slug}")


def law(law_id: str) -> URIRef:
    return URIRef(f"{ID}law/{law_id}")


@cache
def registry() -> Registry:
    graph = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return Registry.from_graph(graph)


@cache
def report_rows() -> list[list[str]]:
    """The connection rows of the report: a number in the first column and ten tab-separated cells."""
    rows = []
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 10 and cells[0].isdigit():
            rows.append(cells)
    return rows


# ------------------------------------------------------------------ counterparties (結合の相手方)
# No. → [(segment as written, organisation slug or party kind)]
COUNTERPARTIES: dict[int, list[tuple[str, URIRef]]] = {
    1: [("LGWAN－ASPサービス提供者", LGWAN)],
    2: [("地方公共団体情報システム機構", org("j-lis"))],
    3: [("LGWAN-ASPサービス提供者", LGWAN)],
    4: [("LGWAN-ASPサービス事業者", LGWAN)],
    5: [("株式会社DNPアイディシステム", org("dnp-id-system"))],
    6: [("早稲田システム開発株式会社", org("waseda-system"))],
    7: [("LGWAN-ASPサービス提供者", LGWAN)],
    8: [("地方公共団体情報システム機構", org("j-lis"))],
    9: [("LGWAN-ASPサービス事業者", LGWAN)],
    10: [("みずほ情報総研株式会社", org("mizuho-research"))],
    11: [("厚生労働省", org("mhlw"))],
    12: [("内閣官房", org("cabinet-secretariat"))],
    13: [("国民健康保険中央会", org("kokuho-chuokai"))],
    14: [("LGWAN-ASPサービス事業者", LGWAN)],
    15: [("LGWAN-ASPサービス事業者", LGWAN)],
    16: [("国民健康保険中央会", org("kokuho-chuokai"))],
    17: [("株式会社NTTデータ", org("ntt-data"))],
    18: [("納付サービス提供者", PAYMENT)],
    19: [("LGWAN-ASPサービス提供者", LGWAN)],
    20: [("東日本電信電話株式会社", org("ntt-east"))],
    21: [("SBプレイヤーズ株式会社", org("sb-players"))],
    22: [
        ("マイクロソフト", org("microsoft")),
        # read as it is written, the misprint is a company no registry names (classified by its legal
        # form; middle dots do not count in its key); the report's errata file reads it as
        # NTTコミュニケーションズ株式会社 (test_errata.py)
        (
            "エヌ・ティ・ロ・コミュニケーション株式会社",
            URIRef(f"{ID}org/name/株式会社エヌティロコミュニケーション"),
        ),
        ("SKY株式会社", org("sky")),
    ],
}

# ------------------------------------------------------------------ departments (結合を行った課)
DEPARTMENTS: dict[int, list[tuple[str, URIRef]]] = {
    1: [("総務課", MAYOR)],
    2: [("総務課", MAYOR)],
    3: [("総務課", MAYOR)],
    4: [("税務課", MAYOR)],
    5: [("戸籍住民課", MAYOR)],
    6: [("文化観光課", MAYOR)],
    7: [("介護保険課", MAYOR)],
    8: [("生活福祉課", MAYOR), ("保護担当課", MAYOR)],
    9: [("生活福祉課", MAYOR), ("保護担当課", MAYOR)],
    10: [("生活福祉課", MAYOR)],
    11: [("保健予防課", MAYOR)],
    12: [("保健予防課", MAYOR)],
    13: [("健康づくり課", MAYOR)],
    14: [("医療保険年金課", MAYOR)],
    15: [("医療保険年金課", MAYOR)],
    16: [("医療保険年金課", MAYOR)],
    17: [("医療保険年金課", MAYOR)],
    18: [("医療保険年金課", MAYOR)],
    19: [("住宅課", MAYOR)],
    20: [("教育支援課", BOARD)],
    21: [("教育支援課", BOARD)],
    22: [("教育支援課", BOARD)],
}

# ------------------------------------------------------------------ data subjects (処理対象者)
SUBJECTS: dict[int, set[str]] = {
    1: {"registered-residents"},  # 令和2年4月27時点で新宿区の住民基本台帳に記載されている者
    2: {"registered-residents"},
    3: {"donors"},  # ふるさと納税（寄附金）寄附者
    4: {"taxpayers"},  # 特別区民税・都民税・軽自動車税納税義務者
    5: {"card-applicants"},  # マイナンバーカードの交付申請を行う者
    6: {"museum-donors"},  # 収蔵資料の寄贈者及び寄託者
    7: {"care-insured"},  # 新宿区介護保険被保険者
    8: {"public-assistance-recipients"},  # 区内生活保護受給者
    9: {"public-assistance-recipients", "china-left-behind-support-recipients"},
    10: {"public-assistance-recipients", "former-public-assistance-recipients"},
    11: {"patients-and-contacts"},  # 感染症患者、…議事症患者及び…濃厚接触者
    12: {"registered-residents"},  # 新宿区民（住民基本台帳上の区民）
    13: {"health-check-targets"},  # 特定健康診査対象者
    14: {"health-insurance-premium-payers"},  # 国民健康保険料の納付義務者
    15: {"health-insurance-insured", "health-insurance-householders"},  # …被保険者及びその世帯主
    16: {"health-insurance-insured", "health-insurance-household-members", "former-insured"},
    17: {"health-insurance-insured", "health-insurance-householders"},  # …被保険者及びその世帯主
    18: {"health-insurance-premium-payers"},
    19: {"condominium-managers"},  # …管理組合の理事長又は区分所有者(管理組合がない場合)
    20: {"children-and-pupils"},  # 区立学校の児童・生徒
    21: {"children-and-pupils"},
    22: {"children-and-pupils"},
}


def test_report_rows_are_all_covered() -> None:
    numbers = [int(row[0]) for row in report_rows()]
    assert numbers == list(range(1, 23))
    assert set(COUNTERPARTIES) == set(DEPARTMENTS) == set(SUBJECTS) == set(numbers)


def expected_match(as_written: str, target: URIRef | None) -> PartyMatch:
    if target is None:
        return PartyMatch(as_written=as_written, organisation=None, kind=None)
    if str(target).startswith(str(KG)):
        return PartyMatch(as_written=as_written, organisation=None, kind=target)
    return PartyMatch(as_written=as_written, organisation=target, kind=None)


@pytest.mark.parametrize("number", sorted(COUNTERPARTIES))
def test_counterparty_cell(number: int) -> None:
    cell = report_rows()[number - 1][8]
    matches, notes = registry().counterparties(cell)
    assert notes == []
    assert matches == [expected_match(text, target) for text, target in COUNTERPARTIES[number]]
    for match in matches:
        assert match.as_written in cell


@pytest.mark.parametrize("number", sorted(DEPARTMENTS))
def test_department_cell(number: int) -> None:
    cell = report_rows()[number - 1][1]
    found, notes = registry().departments(cell, CODE)
    assert notes == []
    assert [tuple(f[:3]) for f in found] == [
        (name, dept(name), agency) for name, agency in DEPARTMENTS[number]
    ]
    assert all(f.rule == "" for f in found)  # every department of the bundled report is curated


@pytest.mark.parametrize("number", sorted(SUBJECTS))
def test_subject_cell(number: int) -> None:
    cell = report_rows()[number - 1][4]
    classes = registry().subject_classes(cell)
    assert classes, cell
    assert len(classes) == len(set(classes))
    assert set(classes) == {subject(slug) for slug in SUBJECTS[number]}


# ------------------------------------------------------------------ segmentation details
def test_uncurated_company_is_classified_by_its_legal_form() -> None:
    matches, notes = registry().counterparties("厚生労働省 未知の事業者株式会社")
    assert matches == [
        PartyMatch("厚生労働省", org("mhlw"), None),
        PartyMatch("未知の事業者株式会社", URIRef(f"{ID}org/name/株式会社未知の事業者"), None),
    ]
    assert notes == []  # a classified company is no curation note
    assert matches[1].classification.kind_class == "PrivateCompany"
    assert matches[1].classification.rule == "legal form: 株式会社"


def test_unclassifiable_cell_is_one_unknown_party_with_a_note() -> None:
    matches, notes = registry().counterparties("どこかの団体")
    assert matches == [PartyMatch("どこかの団体", None, None)]
    assert len(notes) == 1 and "どこかの団体" in notes[0]


def test_empty_cell() -> None:
    assert registry().counterparties("") == ([], [])
    assert registry().counterparties(" \u3000") == ([], [])
    assert registry().departments("", CODE) == ([], [])


@pytest.mark.parametrize(
    "cell",
    [
        "LGWAN‐ASPサービス提供者",  # U+2010
        "LGWAN−ASPサービス提供者",  # U+2212
        "LGWAN–ASPサービス提供者",  # U+2013
        "ＬＧＷＡＮ－ＡＳＰサービス提供者",  # full width
        "LGWAN-ASPサービス認定事業者",
        "LGWAN-ASPサービス提供事業者",
    ],
)
def test_lgwan_spellings(cell: str) -> None:
    matches, warnings = registry().counterparties(cell)
    assert warnings == []
    assert matches == [PartyMatch(cell, None, LGWAN)]


def test_payment_provider_spellings() -> None:
    for cell in ("納付サービス提供者", "納付サービス提供事業者"):
        assert registry().counterparties(cell) == ([PartyMatch(cell, None, PAYMENT)], [])


def test_longest_alias_wins() -> None:
    # "NTTデータ" and "株式会社NTTデータ" are both aliases: the longer one covers the cell.
    assert registry().counterparties("株式会社NTTデータ") == (
        [PartyMatch("株式会社NTTデータ", org("ntt-data"), None)],
        [],
    )


def test_ideographic_space_and_list_separators() -> None:
    matches, warnings = registry().counterparties("厚生労働省、内閣官房\u3000国保中央会")
    assert warnings == []
    assert [m.organisation for m in matches] == [
        org("mhlw"),
        org("cabinet-secretariat"),
        org("kokuho-chuokai"),
    ]
    assert [m.as_written for m in matches] == ["厚生労働省", "内閣官房", "国保中央会"]


def test_formal_and_short_names_of_ntt_communications() -> None:
    for cell in (
        "エヌ・ティ・ティ・コミュニケーションズ株式会社",
        "NTTコミュニケーションズ株式会社",
        "ＮＴＴコミュニケーションズ（株）",
        "(株)NTTコミュニケーションズ",
    ):
        assert registry().counterparties(cell) == ([PartyMatch(cell, org("ntt-communications"), None)], [])


def test_case_of_latin_letters_is_ignored() -> None:
    assert registry().counterparties("Sky株式会社") == ([PartyMatch("Sky株式会社", org("sky"), None)], [])


# ------------------------------------------------------------------ departments
def test_space_and_no_space_give_the_same_two() -> None:
    with_space = registry().departments("生活福祉課 保護担当課", CODE)
    without = registry().departments("生活福祉課保護担当課", CODE)
    assert with_space == without
    assert [f.name for f in with_space[0]] == ["生活福祉課", "保護担当課"]


def test_no_split_inside_a_name_starting_with_ka() -> None:
    found, notes = registry().departments("課税課", CODE)
    assert [f.name for f in found] == ["課税課"]
    assert notes  # not in the registry: a curation note


def test_unknown_department_is_attributed_by_rule_with_a_note() -> None:
    found, notes = registry().departments("未来課", CODE)
    assert found == [("未来課", dept("未来課"), MAYOR, "rule: otherwise the executive head → 区長")]
    assert len(notes) == 1
    assert "未来課" in notes[0] and "departments-131041.ttl" in notes[0]


def test_department_of_another_municipality_is_attributed_by_rule() -> None:
    # 千代田区 (131016), a special ward like 新宿区: its head is 区長, slug mayor
    found, notes = registry().departments("総務課", "131016")
    assert [tuple(f[:3]) for f in found] == [
        ("総務課", URIRef(f"{ID}131016/department/総務課"), URIRef(f"{ID}131016/agency/mayor"))
    ]
    assert notes


def test_full_width_space_and_width_are_normalised() -> None:
    found, _ = registry().departments("生活福祉課\u3000保護担当課", CODE)
    assert [f.name for f in found] == ["生活福祉課", "保護担当課"]


# ------------------------------------------------------------------ agencies
@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("区長", "mayor"),
        ("教育委員会", "board-of-education"),
        ("選挙管理委員会", "election-commission"),
        ("監査委員", "audit-commissioners"),
        ("議会", "assembly"),
    ],
)
def test_agency(label: str, slug: str) -> None:
    assert registry().agency(label, CODE) == URIRef(f"{ID}{CODE}/agency/{slug}")


def test_agency_rows_of_the_summary_table() -> None:
    labels = []
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 6 and cells[0] and cells[1].isdigit() and cells[0] != "合計":
            labels.append(cells[0])
    assert labels == ["区長", "教育委員会", "選挙管理委員会", "監査委員", "議会"]
    assert all(registry().agency(label, CODE) is not None for label in labels)


def test_unknown_agency() -> None:
    assert registry().agency("合計", CODE) is None
    assert registry().agency("謎の機関", CODE) is None


def test_agency_of_an_uncurated_municipality_by_rule() -> None:
    assert registry().agency("区長", "131016") == URIRef(f"{ID}131016/agency/mayor")


# ------------------------------------------------------------------ laws
@pytest.mark.parametrize(
    ("name", "law_id"),
    [
        ("感染症法", "410AC0000000114"),
        ("感染症の予防及び感染症の患者に対する医療に関する法律", "410AC0000000114"),
        ("予防接種法", "323AC0000000068"),
        ("地方自治法", "322AC0000000067"),
        ("健康保険法", "211AC0000000070"),
        ("番号法", "425AC0000000027"),
        ("行政手続における特定の個人を識別するための番号の利用等に関する法律", "425AC0000000027"),
        ("個人情報保護法", "415AC0000000057"),
        ("個人情報の保護に関する法律", "415AC0000000057"),
        ("生活保護法", "325AC0000000144"),
        ("住民基本台帳法", "342AC0000000081"),
        ("特定健康診査及び特定保健指導の実施に関する基準", "419M60000100157"),
        ("特定健康診査及び特定保健指導の実施に関する基準（厚生労働省令）", "419M60000100157"),
        ("特定健診基準", "419M60000100157"),
        (
            "東京におけるマンションの適正な管理の促進に関する条例施行規則",
            "tokyo-condominium-management-ordinance-rule",
        ),
    ],
)
def test_law(name: str, law_id: str) -> None:
    assert registry().law(name) == law(law_id)


def test_unknown_law() -> None:
    assert registry().law("架空法") is None
    assert registry().law("") is None


# ------------------------------------------------------------------ helpers
def test_normalise_keeps_the_long_vowel_mark() -> None:
    assert normalize("サーバー－ｻｰﾊﾞｰ‐−–") == "サーバー-サーバー---"


def test_match_key_ignores_width_case_and_space() -> None:
    assert match_key("ＳＫＹ 株式会社") == match_key("sky株式会社")


def test_one_match_key_for_every_stage() -> None:
    """Registries, categories and header aliases all compare by ketsugo.read.normalize.match_key."""
    import ketsugo.graph.categories
    import ketsugo.graph.resolve
    import ketsugo.read.headers
    import ketsugo.read.normalize

    assert ketsugo.graph.resolve.match_key is ketsugo.read.normalize.match_key
    assert ketsugo.graph.categories.match_key is ketsugo.read.normalize.match_key
    assert ketsugo.read.headers.match_key is ketsugo.read.normalize.match_key
    key = ketsugo.read.normalize.match_key
    # the one dash set: every variant (NFKC leaves ‐ ‑ ‒ – — ― − alone; folds － ﹣ ﹘) reads as "-"
    assert {key(f"a{dash}b") for dash in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"} == {
        "a-b"
    }
    assert key("ＬＧＷＡＮ－ＡＳＰ サービス") == key("lgwan-aspサービス") == "lgwan-aspサービス"
    assert key("サーバー") != key("サーバ-"), "the long-vowel mark is a letter, not a dash"
