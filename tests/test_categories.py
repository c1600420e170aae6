"""The personal-data category scheme (ontology/categories.ttl) and its matcher (ketsugo.graph.categories)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

import pytest
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from ketsugo.graph.categories import Categorizer, CategoryMatch
from ketsugo.graph.curation import is_canonical
from ketsugo.paths import ONTOLOGY_DIR, REPORTS_DIR, VOCAB_DIR
from ketsugo.read.normalize import match_key, normalize
from tests.conftest import turtle_graph

KG = Namespace("https://w3id.org/ketsugo#")
KGC = Namespace("https://w3id.org/ketsugo/id/category/")
PD = "https://w3id.org/dpv/pd#"
DPV = "https://w3id.org/dpv#"
IC = "http://imi.go.jp/ns/core/rdf#"
CATEGORIES = ONTOLOGY_DIR / "categories.ttl"
REPORT = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"
ITEMS_HEADER = "外部結合に係る個人情報記録の項目"
SCHEME = KG.DataItemCategoryScheme
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)

# Slugs other modules and tests rely on, and those the issue asked for by name.
REQUIRED_SLUGS = [
    "name",
    "date-of-birth",
    "age",
    "gender",
    "nationality",
    "facial-photo",
    "relationship",
    "address",
    "postal-code",
    "telephone-number",
    "email-address",
    "emergency-contact",
    "my-number",
    "resident-number",
    "insurance-number",
    "household-number",
    "recipient-number",
    "notice-number",
    "application-number",
    "household-composition",
    "guardian",
    "dependants",
    "bank-account",
    "payment-amount",
    "payment-record",
    "tax-assessment",
    "tax-information",
    "public-assistance",
    "benefit",
    "insurance-eligibility",
    "long-term-care-insurance",
    "insurance-premium",
    "diagnosis",
    "health-check-result",
    "medical-treatment",
    "infection",
    "vaccination",
    "school-affiliation",
    "learning-record",
    "user-id",
    "password",
    "electronic-certificate",
    "occupation",
    "workplace",
    "message-record",
    "residency-status",
    "disability-or-accessibility",
    "dv-protection",
    "administrative-record",
    "unspecified",
]


@cache
def scheme() -> Graph:
    return Graph().parse(CATEGORIES, format="turtle")


@cache
def categorizer() -> Categorizer:
    return Categorizer.from_graph(scheme())


@cache
def vocabulary(name: str) -> Graph:
    return turtle_graph(VOCAB_DIR / name)


def concepts() -> list[URIRef]:
    return sorted(c for c in scheme().subjects(RDF.type, KG.DataItemCategory) if isinstance(c, URIRef))


def slugs(text: str) -> list[str]:
    return [str(m.category).removeprefix(str(KGC)) for m in categorizer().categorize(text)]


def report_items() -> list[str]:
    """Every item of the report's items column, split roughly (on 、，,。 and white space)."""
    items: list[str] = []
    column = None
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if ITEMS_HEADER in cells:
            column = cells.index(ITEMS_HEADER)
        elif column is not None and len(cells) > column and cells[0].strip().isdigit():
            body = re.split(r"\s[※*＊]", cells[column])[0]  # drop the trailing note
            items.extend(piece for piece in re.split(r"[、，,。\s]+", body) if piece)
    return items


# ---------------------------------------------------------------- matching, hand-checked


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("宛名番号", {"resident-number"}, {"name"}),
        ("旧宛名番号有効日", {"resident-number"}, {"name"}),
        ("宛名番号（住民番号）", {"resident-number"}, {"name"}),
        ("あて名", {"name"}, {"resident-number"}),
        ("世帯主漢字氏名", {"name"}, {"household-number"}),
        ("性別・生年月日（ワンストップ特例希望ありの場合のみ）", {"gender", "date-of-birth"}, set()),
        ("個人番号（マイナンバー）", {"my-number"}, {"name"}),
        ("マイナンバー", {"my-number"}, set()),
        ("住所地特例フラグ", {"insurance-eligibility"}, {"address"}),
        ("漢字住所", {"address"}, set()),
        ("漢字方書", {"address"}, set()),
        ("郵便番号", {"postal-code"}, {"address"}),
        ("カナ氏名", {"name"}, set()),
        ("氏名カナ", {"name"}, set()),
        ("被保険者氏名", {"name"}, {"insurance-number"}),
        ("世帯主名", {"name"}, set()),
        ("預金者名", {"name"}, {"bank-account"}),
        ("保護者氏名", {"name", "guardian"}, {"public-assistance"}),
        ("通称名", {"name"}, set()),
        ("生年月日", {"date-of-birth"}, set()),
        ("年代", {"age"}, set()),
        ("国籍", {"nationality"}, set()),
        ("連絡先電話番号", {"telephone-number"}, {"emergency-contact"}),
        ("緊急連絡先", {"emergency-contact"}, {"telephone-number"}),
        ("メールアドレス", {"email-address"}, set()),
        ("顔写真", {"facial-photo"}, set()),
        ("振込口座情報", {"bank-account"}, set()),
        ("口座番号", {"bank-account"}, set()),
        ("保護受給者口座情報", {"bank-account"}, set()),
        ("口座情報", {"bank-account"}, set()),
        ("口座不能理由", {"payment-record"}, {"bank-account"}),
        ("金融機関コード", {"payment-record"}, {"bank-account"}),
        ("代行会社コード", {"payment-record"}, set()),
        ("引落金融機関コード・支店コード", {"bank-account"}, {"payment-record"}),
        ("傷病名", {"diagnosis"}, set()),
        ("主傷病名", {"diagnosis"}, set()),
        ("認定疾病名コード", {"diagnosis"}, set()),
        ("健診結果", {"health-check-result"}, set()),
        ("健康診査結果", {"health-check-result"}, set()),
        ("問診結果", {"health-check-result"}, set()),
        ("療養の給付", {"medical-treatment"}, {"benefit"}),
        ("レセプト管理番号", {"medical-treatment", "record-number"}, set()),
        ("ユーザーID", {"user-id"}, set()),
        ("パスワード", {"password"}, set()),
        ("学校名", {"school-affiliation"}, set()),
        ("学習履歴", {"learning-record"}, set()),
        ("職業", {"occupation"}, set()),
        ("勤務先", {"workplace"}, set()),
        ("保険者番号", {"insurance-number"}, set()),
        ("被保険者証記号・番号", {"insurance-number"}, set()),
        ("国保記号番号", {"insurance-number"}, set()),
        ("市町村被保険者ID", {"insurance-number"}, set()),
        ("受給者番号", {"recipient-number"}, set()),
        ("公費負担番号", {"recipient-number"}, {"cost-sharing"}),
        ("世帯番号", {"household-number"}, set()),
        ("通知書番号", {"notice-number"}, set()),
        ("納付番号", {"notice-number"}, {"payment-record"}),
        ("申請書ID", {"application-number"}, set()),
        ("保護世帯構成", {"household-composition"}, set()),
        ("扶養義務者", {"dependants"}, set()),
        ("生活保護・中国残留邦人等支援給付等関係情報", {"public-assistance"}, set()),
        ("進学準備給付金", {"benefit"}, set()),
        ("税情報", {"tax-information"}, set()),
        ("賦課情報", {"tax-assessment"}, set()),
        ("延滞金納付額", {"arrears", "payment-amount"}, set()),
        ("国民健康保険料通知書番号・納付額", {"insurance-premium", "notice-number", "payment-amount"}, set()),
        ("資格取得日・喪失日", {"insurance-eligibility"}, set()),
        ("国保資格（喪失）取得年月日", {"insurance-eligibility"}, set()),
        ("一部負担金割合", {"cost-sharing"}, set()),
        ("受付年月日", {"administrative-record"}, set()),
        ("資格喪失届出日", {"insurance-eligibility", "administrative-record"}, set()),
        ("転出/死亡フラグ", {"residency-status"}, set()),
        ("接種券番号", {"vaccination"}, set()),
        ("濃厚接触者の場合は契機となった患者", {"infection"}, {"vaccination"}),
        ("点字希望有無", {"disability-or-accessibility"}, set()),
        ("電子証明書希望有無", {"electronic-certificate"}, set()),
        ("DV被害等に関する自己情報非開示申出の有無", {"dv-protection"}, set()),
        ("送付抑止フラグ", {"dv-protection"}, {"address"}),
        ("性別抑止フラグ", {"gender"}, set()),
        ("メッセージ記録", {"message-record"}, set()),
        ("原爆区分", {"public-medical-expense"}, set()),
        ("管轄保健所", {"jurisdiction"}, set()),
        ("レコード総件数", {"data-exchange-metadata"}, set()),
        ("届出書記載項目", {"unspecified"}, {"administrative-record"}),
        ("その他資料情報", {"unspecified"}, set()),
    ],
)
def test_hand_checked_mapping(text: str, present: set[str], absent: set[str]) -> None:
    found = set(slugs(text))
    assert present <= found, f"{text}: {sorted(found)}"
    assert not (absent & found), f"{text}: {sorted(found)}"


@pytest.mark.parametrize("text", ["", "年度", "制度", "LGWAN-ASP", "令和2年度第2回審議会承認"])
def test_no_category(text: str) -> None:
    assert categorizer().categorize(text) == []


def test_matches_in_text_order_with_offsets_in_the_text() -> None:
    text = "性別・生年月日（ワンストップ特例希望ありの場合のみ）"
    matches = categorizer().categorize(text)
    assert matches == [
        CategoryMatch(KGC["gender"], "性別", 0, 2),
        CategoryMatch(KGC["date-of-birth"], "生年月日", 3, 7),
    ]
    assert [text[m.start : m.end] for m in matches] == ["性別", "生年月日"]


def test_offsets_refer_to_the_text_as_given_even_when_folding_changes_its_length() -> None:
    """Half-width kana with a voiced mark (ｻﾞ) fold to one character; white space is not in the key."""
    text = "ﾕｰｻﾞｰ ＩＤ、性 別"
    matches = categorizer().categorize(text)
    assert [m.category for m in matches] == [KGC["user-id"], KGC["gender"]]
    assert [text[m.start : m.end] for m in matches] == ["ﾕｰｻﾞｰ ＩＤ", "性 別"]


def test_longest_label_wins_even_when_a_shorter_one_starts_earlier() -> None:
    # 保険証回収 (eligibility) and 回収日 (administrative record) overlap: the longer one is taken.
    assert categorizer().categorize("保険証回収日") == [
        CategoryMatch(KGC["insurance-eligibility"], "保険証回収", 0, 5)
    ]


def test_width_case_and_dash_normalisation() -> None:
    assert normalize("ＬＧＷＡＮ－ＡＳＰ") == "LGWAN-ASP"
    assert normalize("a\u2010b\u2212c\u2013d") == "a-b-c-d"
    assert normalize("ﾕｰｻﾞｰ") == "ユーザー"  # half-width kana folded, long-vowel mark kept
    assert "ー" in normalize("パスワード")
    assert slugs("ユーザーＩＤ") == ["user-id"]
    assert slugs("ﾕｰｻﾞｰid") == ["user-id"]
    match = categorizer().categorize("ﾕｰｻﾞｰID")[0]
    assert match.label == "ユーザーID"  # the label as in the vocabulary, not as in the text


def test_is_vague() -> None:
    c = categorizer()
    assert c.is_vague(KGC["unspecified"])
    assert not c.is_vague(KGC["name"])
    assert all(c.is_vague(m.category) for m in c.categorize("届出書記載項目"))


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("生年月日", "date-of-birth"),
        ("date-of-birth", "date-of-birth"),
        ("Date of birth", "date-of-birth"),
        ("date of birth", "date-of-birth"),
        ("kgc:date-of-birth", "date-of-birth"),
        (str(KGC["date-of-birth"]), "date-of-birth"),
        ("マイナンバー", "my-number"),
        ("個人番号", "my-number"),
        ("ＭＰＮ", "payment-record"),
        (" 宛名番号 ", "resident-number"),
        ("Health check result", "health-check-result"),
    ],
)
def test_lookup(query: str, slug: str) -> None:
    assert categorizer().lookup(query) == KGC[slug]


@pytest.mark.parametrize("query", ["", "unknown-slug", "https://example.org/x", "年度"])
def test_lookup_unknown(query: str) -> None:
    assert categorizer().lookup(query) is None


def test_every_concept_is_found_by_its_slug_iri_and_labels() -> None:
    c = categorizer()
    for concept in concepts():
        assert c.lookup(str(concept)) == concept
        assert c.lookup(str(concept).removeprefix(str(KGC))) == concept
        for label in scheme().objects(concept, SKOS.prefLabel | SKOS.altLabel):
            assert c.lookup(str(label)) == concept, (concept, label)


def test_shared_label_is_an_error() -> None:
    graph = Graph()
    for slug in ("a", "b"):
        graph.add((KGC[slug], RDF.type, KG.DataItemCategory))
        graph.add((KGC[slug], SKOS.prefLabel, Literal("氏名", lang="ja")))
    with pytest.raises(ValueError, match="氏名"):
        Categorizer.from_graph(graph)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 番号 alone is no My Number; numbers of other schemes are their own categories
        ("番号", set()),
        ("法人番号", {"corporation"}),
        ("基礎年金番号", {"pension-number"}),
        ("住民票コード", {"resident-record-code"}),
        ("旅券番号", {"passport-number"}),
        # 氏名 inside a longer item is still a name; the rest says whose
        ("保護者氏名", {"guardian", "name"}),
        ("世帯主氏名", {"name"}),
        ("筆頭者氏名", {"family-register", "name"}),
        ("選挙人の氏名", {"name"}),
        # a longer label decides
        ("所得割額", {"tax-assessment"}),
        ("合計所得金額", {"income"}),
        ("認知症", {"diagnosis"}),
        ("出席番号", {"school-affiliation"}),
        ("就学援助", {"school-attendance-aid"}),
        ("軽自動車税", {"tax-information"}),
        ("精神障害者保健福祉手帳の等級", {"disability-grade"}),
        ("要介護認定区分", {"care-need-certification"}),
    ],
)
def test_exact_categories(text: str, expected: set[str]) -> None:
    assert set(slugs(text)) == expected, f"{text}: {slugs(text)}"


def test_hidden_label_adds_a_second_category_for_the_same_span() -> None:
    matches = categorizer().categorize("特別児童扶養手当")
    assert [(m.category, m.start, m.end) for m in matches] == [
        (KGC["benefit"], 0, 8),
        (KGC["disability-or-accessibility"], 0, 8),
    ]


def test_hidden_label_without_an_owner_is_a_plain_label() -> None:
    graph = Graph()
    graph.add((KGC["a"], RDF.type, KG.DataItemCategory))
    graph.add((KGC["a"], SKOS.hiddenLabel, Literal("甲乙", lang="ja")))
    assert [m.category for m in Categorizer.from_graph(graph).categorize("甲乙丙")] == [KGC["a"]]


def test_every_hidden_label_means_something_its_owner_does_not() -> None:
    g = scheme()
    for concept in concepts():
        for label in g.objects(concept, SKOS.hiddenLabel):
            owners = set(g.subjects(SKOS.altLabel, label)) | set(g.subjects(SKOS.prefLabel, label))
            assert owners and concept not in owners, (concept, label)


def test_share_of_report_items_mapped() -> None:
    items = report_items()
    assert len(items) > 350
    unmapped = [item for item in items if not categorizer().categorize(item)]
    share = 1 - len(unmapped) / len(items)
    assert share >= 0.95, f"{share:.1%} mapped; unmapped: {unmapped}"


# ---------------------------------------------------------------- lint of the scheme


def test_file_is_canonical() -> None:
    assert is_canonical(CATEGORIES), "run: python scripts/canonicalize.py ontology/categories.ttl"


def test_scheme_size_and_required_slugs() -> None:
    found = {str(c).removeprefix(str(KGC)) for c in concepts()}
    assert len(found) >= 45
    assert set(REQUIRED_SLUGS) <= found, sorted(set(REQUIRED_SLUGS) - found)
    assert all(str(c).startswith(str(KGC)) for c in concepts())
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", slug) for slug in found)


def test_every_concept_is_complete() -> None:
    g = scheme()
    for concept in concepts():
        assert (concept, RDF.type, SKOS.Concept) in g, concept
        assert (concept, SKOS.inScheme, SCHEME) in g, concept
        for prop in (SKOS.prefLabel, SKOS.definition):
            languages = Counter(label.language for label in g.objects(concept, prop))
            assert languages["ja"] == 1 and languages["en"] == 1, (concept, prop, languages)
        for label in g.objects(concept, SKOS.altLabel):
            assert isinstance(label, Literal) and label.language == "ja", (concept, label)


def test_hierarchy() -> None:
    g = scheme()
    known = set(concepts())
    tops = set(g.subjects(SKOS.topConceptOf, SCHEME))
    assert len(tops) >= 10
    for concept in known:
        parents = set(g.objects(concept, SKOS.broader))
        assert parents <= known, concept
        assert (concept in tops) != bool(parents), f"{concept}: a top concept xor has skos:broader"
        seen = {concept}
        while parents:  # no cycles: walking up ends at a top concept
            (parent,) = parents
            assert parent not in seen, concept
            seen.add(parent)
            parents = set(g.objects(parent, SKOS.broader))


def test_labels_unique_after_normalisation() -> None:
    g = scheme()
    owners: dict[str, set[URIRef]] = {}
    for concept in concepts():
        labels = [*g.objects(concept, SKOS.altLabel)]
        labels += [label for label in g.objects(concept, SKOS.prefLabel) if label.language == "ja"]
        keys = [match_key(str(label)) for label in labels]
        assert len(keys) == len(set(keys)), f"{concept} repeats a label"
        for key in keys:
            assert key == match_key(unicodedata.normalize("NFKC", key))
            owners.setdefault(key, set()).add(concept)
    shared = {key: sorted(owner) for key, owner in owners.items() if len(owner) > 1}
    assert not shared, shared


def test_referenced_vocabulary_terms_exist() -> None:
    g = scheme()
    pd_terms = set(vocabulary("dpv/pd.ttl").subjects(SKOS.prefLabel, None))
    dpv_terms = set(vocabulary("dpv/dpv.ttl").subjects(SKOS.prefLabel, None))
    imi = vocabulary("imi/imicore242.ttl")
    imi_properties = set(imi.subjects(RDF.type, OWL.ObjectProperty)) | set(
        imi.subjects(RDF.type, OWL.DatatypeProperty)
    )
    for s, p, o in g:
        if isinstance(o, URIRef) and str(o).startswith(PD):
            assert o in pd_terms, (s, p, o)
        elif isinstance(o, URIRef) and str(o).startswith(DPV):
            assert o in dpv_terms, (s, p, o)
        elif isinstance(o, URIRef) and str(o).startswith(IC):
            assert p in (KG.imiProperty, SKOS.closeMatch) and o in imi_properties, (s, p, o)
    for concept in concepts():
        for prop in MAPPINGS:
            for target in g.objects(concept, prop):
                assert str(target).startswith((PD, DPV, IC)), (concept, prop, target)
        # an IMI property is linked both ways: kg:imiProperty (for tools) and skos:closeMatch (SKOS readers)
        assert set(g.objects(concept, KG.imiProperty)) == {
            t for t in g.objects(concept, SKOS.closeMatch) if str(t).startswith(IC)
        }, concept
    expected = {
        "name": "氏名",
        "date-of-birth": "生年月日",
        "gender": "性別",
        "address": "住所",
        "telephone-number": "電話番号",
        "postal-code": "郵便番号",
        "email-address": "Eメールアドレス",
    }
    for slug, prop in expected.items():
        assert g.value(KGC[slug], KG.imiProperty) == URIRef(IC + prop)


def test_dpv_mappings_of_core_categories() -> None:
    g = scheme()
    expected = {
        "name": "Name",
        "date-of-birth": "BirthDate",
        "gender": "Gender",
        "address": "PhysicalAddress",
        "postal-code": "PostalCode",
        "telephone-number": "TelephoneNumber",
        "email-address": "EmailAddress",
        "bank-account": "BankAccount",
        "age": "Age",
        "nationality": "Nationality",
        "password": "Password",
        "user-id": "Username",
    }
    for slug, term in expected.items():
        assert (KGC[slug], SKOS.exactMatch, URIRef(PD + term)) in g, slug


def test_sensitivity_flags() -> None:
    g = scheme()
    ontology = Graph().parse(ONTOLOGY_DIR / "ketsugo.ttl", format="turtle")
    flags = set(ontology.subjects(RDF.type, KG.Sensitivity))

    def flagged(flag: str) -> set[str]:
        return {str(c).removeprefix(str(KGC)) for c in g.subjects(KG.sensitivity, KG[flag])}

    assert set(g.objects(None, KG.sensitivity)) <= flags
    assert flagged("SpecificPersonalInformation") == {"my-number"}
    special = flagged("SpecialCarePersonalInformation")
    assert {"diagnosis", "health-check-result", "medical-treatment", "infection"} <= special
    assert {"disability-or-accessibility"} <= special
    assert not {"public-assistance", "vaccination", "name", "my-number"} & special
    assert "public-assistance" in flagged("WelfareInformation")
    assert {"bank-account", "payment-amount", "payment-record", "tax-assessment"} <= flagged(
        "FinancialInformation"
    )
    appi = {  # APPI art. 2(3) and Cabinet Order art. 2, one category each at least
        "race-or-ethnicity", "belief", "social-status", "diagnosis", "criminal-record", "crime-victim",
        "disability-or-accessibility", "disability-grade", "health-check-result", "health-guidance",
        "medical-treatment",
    }  # fmt: skip
    assert appi <= special, sorted(appi - special)
    assert not {"family-register", "nationality", "civil-status", "pension"} & special
    assert "school-attendance-aid" in flagged("WelfareInformation")
    assert flagged("AuthenticationSecret") == {"password"}
    assert flagged("ChildData") == set()  # a property of data subjects, not of categories


def test_only_unspecified_is_vague() -> None:
    vague = {c for c in concepts() if scheme().value(c, KG.isVague) == Literal(True)}
    assert vague == {KGC["unspecified"]}
