"""Reports nobody curated: counterparties classified by rule, agencies and departments attributed by
rule, one IRI per organisation across reports, no triple stated in two graphs.

Every expectation here was written by reading the hand-made report text below and the bundled
local-government code list (data/vocab/local-gov-code/cities.json: 横浜市 141003, 瑞穂町 133035,
檜原村 133078), not by running ketsugo.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ketsugo.check.validate import validate_store
from ketsugo.graph.resolve import Registry
from ketsugo.paths import REFERENCE_DIR
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import open_store

ID = "https://w3id.org/ketsugo/id/"
KG = "https://w3id.org/ketsugo#"
PREFIXES = "PREFIX kg: <https://w3id.org/ketsugo#>\nPREFIX dpv: <https://w3id.org/dpv#>\n"
PREFIXES += "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"


@cache
def registry() -> Registry:
    graph = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return Registry.from_graph(graph)


def parties(cell: str) -> list[tuple[str, str | None, str]]:
    """(as written, IRI, class or party kind) of each party of a cell."""
    matches, _ = registry().counterparties(cell)
    found = []
    for m in matches:
        if m.kind is not None:
            found.append((m.as_written, None, str(m.kind).removeprefix(KG)))
        elif m.organisation is not None:
            kind = m.classification.kind_class if m.classification else "curated"
            found.append((m.as_written, str(m.organisation).removeprefix(ID), kind))
        else:
            found.append((m.as_written, None, "unresolved"))
    return found


# --------------------------------------------------------------------- counterparties by rule
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("㈱ABCシステム", [("㈱ABCシステム", "org/name/株式会社abcシステム", "PrivateCompany")]),
        (
            "ＡＢＣシステム（株）",
            [("ＡＢＣシステム（株）", "org/name/株式会社abcシステム", "PrivateCompany")],
        ),
        (
            "(株)A、B(株)",
            [
                ("(株)A", "org/name/株式会社a", "PrivateCompany"),
                ("B(株)", "org/name/株式会社b", "PrivateCompany"),
            ],
        ),
        (
            "A株式会社・B株式会社",
            [
                ("A株式会社", "org/name/株式会社a", "PrivateCompany"),
                ("B株式会社", "org/name/株式会社b", "PrivateCompany"),
            ],
        ),
        ("株式会社 A", [("株式会社 A", "org/name/株式会社a", "PrivateCompany")]),
        ("A 株式会社", [("A 株式会社", "org/name/株式会社a", "PrivateCompany")]),
        (
            "NTT東日本 株式会社NTTデータ",
            [("NTT東日本", "org/ntt-east", "curated"), ("株式会社NTTデータ", "org/ntt-data", "curated")],
        ),
        ("A(株)ほか", [("A(株)ほか", "org/name/株式会社a", "PrivateCompany")]),
        ("有限会社C", [("有限会社C", "org/name/有限会社c", "PrivateCompany")]),
        ("一般財団法人D", [("一般財団法人D", "org/name/一般財団法人d", "Association")]),
        ("公益社団法人E", [("公益社団法人E", "org/name/公益社団法人e", "PublicInterestCorporation")]),
        (
            "地方独立行政法人F病院機構",
            [("地方独立行政法人F病院機構", "org/name/地方独立行政法人f病院機構", "PublicBody")],
        ),
        ("地方税共同機構", [("地方税共同機構", "org/name/地方税共同機構", "LocalJointCorporation")]),
        ("総務省", [("総務省", "org/name/総務省", "NationalGovernmentBody")]),
        ("デジタル庁", [("デジタル庁", "org/name/デジタル庁", "NationalGovernmentBody")]),
        (
            "〇〇県国民健康保険団体連合会",
            [
                (
                    "〇〇県国民健康保険団体連合会",
                    "org/name/〇〇県国民健康保険団体連合会",
                    "PublicInsuranceBody",
                )
            ],
        ),
        (
            "社会保険診療報酬支払基金",
            [("社会保険診療報酬支払基金", "org/name/社会保険診療報酬支払基金", "PublicInsuranceBody")],
        ),
        ("横浜市", [("横浜市", "org/name/神奈川県横浜市", "LocalGovernment")]),
        ("横浜市役所", [("横浜市役所", "org/name/神奈川県横浜市", "LocalGovernment")]),
        ("委託事業者", [("委託事業者", None, "Contractor")]),
        ("LGWAN-ASP事業者", [("LGWAN-ASP事業者", None, "LGWANASPServiceProvider")]),
        ("A社", [("A社", "org/name/a社", "PrivateCompany")]),
        ("謎の団体", [("謎の団体", None, "unresolved")]),
        # the organisation named in brackets is the party; a bracketed note is not part of the name
        ("委託事業者（株式会社X）", [("委託事業者（株式会社X）", "org/name/株式会社x", "PrivateCompany")]),
        ("株式会社X（LGWAN-ASP）", [("株式会社X（LGWAN-ASP）", "org/name/株式会社x", "PrivateCompany")]),
        # an office after a white space belongs to the party before it
        ("株式会社Ｘ　東京支店", [("株式会社Ｘ\u3000東京支店", "org/name/株式会社x", "PrivateCompany")]),
        # no space, but the legal form written last ends the name: the rest is the office
        ("Ｘ株式会社東京支店", [("Ｘ株式会社東京支店", "org/name/株式会社x", "PrivateCompany")]),
        # the form in front and no space: an office after a place (or a bare 本社) is cut off
        ("株式会社Ｘ松山支店", [("株式会社Ｘ松山支店", "org/name/株式会社x", "PrivateCompany")]),
        ("株式会社Ｘ東北支社", [("株式会社Ｘ東北支社", "org/name/株式会社x", "PrivateCompany")]),
        ("株式会社Ｘ本社", [("株式会社Ｘ本社", "org/name/株式会社x", "PrivateCompany")]),
        # … but never down to the legal form alone, and センター after no place is part of the name
        ("株式会社松山支店", [("株式会社松山支店", "org/name/株式会社松山支店", "PrivateCompany")]),
        (
            "株式会社Ｘ情報センター",
            [("株式会社Ｘ情報センター", "org/name/株式会社x情報センター", "PrivateCompany")],
        ),
        # a form in front (財団法人 inside 一般財団法人) cuts nothing: センター is part of the name
        (
            "一般財団法人Ｘ情報センター",
            [("一般財団法人Ｘ情報センター", "org/name/一般財団法人x情報センター", "Association")],
        ),
        # a party written after its role and a colon: the role is a note, the party the name
        ("委託先：株式会社Ｘ", [("委託先：株式会社Ｘ", "org/name/株式会社x", "PrivateCompany")]),
        ("提供先:横浜市", [("提供先:横浜市", "org/name/神奈川県横浜市", "LocalGovernment")]),
        # white space inside brackets cuts nothing: the bracket is a note on the party before it
        (
            "株式会社Ｘ（法人番号 5280001009990）",
            [("株式会社Ｘ（法人番号 5280001009990）", "org/name/株式会社x", "PrivateCompany")],
        ),
        (
            "株式会社Ｘ（〒100-0001 東京都千代田区）、合同会社Ｙ",
            [
                ("株式会社Ｘ（〒100-0001 東京都千代田区）", "org/name/株式会社x", "PrivateCompany"),
                ("合同会社Ｙ", "org/name/合同会社y", "PrivateCompany"),
            ],
        ),
        # an address beside the name (after a space, or in brackets) says where the party is: a note
        (
            "株式会社Ｘ　東京都千代田区一番町1-1",
            [("株式会社Ｘ\u3000東京都千代田区一番町1-1", "org/name/株式会社x", "PrivateCompany")],
        ),
        (
            "株式会社Ｘ 〒100-0001 東京都千代田区一番町1-1、合同会社Ｙ",
            [
                ("株式会社Ｘ 〒100-0001 東京都千代田区一番町1-1", "org/name/株式会社x", "PrivateCompany"),
                ("合同会社Ｙ", "org/name/合同会社y", "PrivateCompany"),
            ],
        ),
        (
            "〇〇県後期高齢者医療広域連合（〒100-0001 〇〇県〇〇市一番町1-1）",
            [
                (
                    "〇〇県後期高齢者医療広域連合（〒100-0001 〇〇県〇〇市一番町1-1）",
                    "org/name/〇〇県後期高齢者医療広域連合",
                    "LocalGovernment",
                )
            ],
        ),
        # a name with a legal form of its own keeps it: a place in brackets is where it is
        (
            "株式会社Ｘ（東京都千代田区）",
            [("株式会社Ｘ（東京都千代田区）", "org/name/株式会社x", "PrivateCompany")],
        ),
        # Latin words apart only by white space are one name (no rule classifies it: unresolved)
        ("Example Web Services", [("Example Web Services", None, "unresolved")]),
    ],
)
def test_counterparty_classified_by_rule(cell: str, expected: list) -> None:
    assert parties(cell) == expected


def test_no_party_is_only_a_legal_form() -> None:
    for cell in (
        "(株)A、B(株)",
        "株式会社 A",
        "A 株式会社",
        "(株) A (株) B",
        "A社・(株)B",
        "A株式会社・B株式会社",
    ):
        matches, _ = registry().counterparties(cell)
        for m in matches:
            assert m.as_written.strip() not in {"(株)", "株式会社"}, (cell, m)
            assert m.organisation is not None, (cell, m)


def test_local_government_code_from_the_list() -> None:
    (match,), _ = registry().counterparties("横浜市")
    assert match.classification.local_government_code == "141003"
    assert match.classification.label == "横浜市"


def test_a_name_two_places_share_has_no_code() -> None:
    (match,), _ = registry().counterparties("府中市")  # 東京都府中市 and 広島県府中市
    assert match.classification.kind_class == "LocalGovernment"
    assert match.classification.local_government_code == ""
    assert parties("広島県府中市")[0][1] == "org/name/広島県府中市"


def test_curated_local_government_wins_by_its_code() -> None:
    assert parties("東京都新宿区") == [("東京都新宿区", "org/shinjuku-city", "curated")]
    assert parties("東京都庁") == [("東京都庁", "org/tokyo-metropolitan-government", "curated")]


# --------------------------------------------------------------------- two uncurated reports
HEADER = (
    "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t"
    "外部結合に係る個人情報記録の項目\t特定個人情報の有無\t条例根拠\t結合の相手方\t結合の開始年月日"
)


def _summary(rows: list[str]) -> list[str]:
    return [
        "(1) 実施機関別外部電子計算機との結合件数",
        "",
        "実施機関\t令和元年度外部電子計算機との結合数\t新たな外部電子計算機との結合数\t"
        "終了した外部電子計算機との結合数\t令和2年度外部電子計算機との結合数\t内、特定個人情報の取扱いがあるものの数",
        "\ta\tb\tc\ta + b - c\t",
        *rows,
        "",
        "(2)新たに外部計算機との結合を行った外部結合の内訳",
        "",
        HEADER,
    ]


# 横浜市 (a city): 市長 has No.1 and 3, 教育委員会 No.2 (学務課), 選挙管理委員会 No.4; the summary agrees.
YOKOHAMA = [
    "外部電子計算機との結合の状況（令和2年度）",
    "",
    *_summary(
        [
            "市長\t0\t2\t0\t2\t0",
            "教育委員会\t0\t1\t0\t1\t0",
            "選挙管理委員会\t0\t1\t0\t1\t0",
            "合計\t0\t4\t0\t4\t0",
        ]
    ),
    "1\t税制課\t市税の納付\t納付のため\t納税義務者\t氏名、住所\t\t令和2年度第1回審議会承認\t㈱ABCシステム\tR2.5.1",
    "2\t学務課\t就学事務\t事務のため\t児童\t氏名\t\t令和2年度第1回審議会承認\t〇〇県国民健康保険団体連合会、総務省\tR2.6.1",
    "3\t健康福祉課\t健診\t健診のため\t受診者\t氏名\t\t令和2年度第1回審議会承認\t(株)A、B(株)\tR2.7.1",
    "4\t選挙管理委員会事務局\t選挙事務\t選挙のため\t選挙人\t氏名\t\t令和2年度第1回審議会承認\t委託事業者\tR2.8.1",
]
# 瑞穂町 (a town): 町長 has No.1 (総務課, whose cell names the company with another spelling);
# 農業委員会 No.2 (農業委員会事務局); 議会 No.3 (議会事務局).
MIZUHO = [
    "外部電子計算機との結合の状況（令和2年度）",
    "",
    *_summary(
        [
            "町長\t0\t1\t0\t1\t0",
            "農業委員会\t0\t1\t0\t1\t0",
            "議会\t0\t1\t0\t1\t0",
            "合計\t0\t3\t0\t3\t0",
        ]
    ),
    "1\t総務課\t庶務\t事務のため\t町民\t氏名\t\t令和2年度第1回審議会承認\tＡＢＣシステム（株）\tR2.5.1",
    "2\t農業委員会事務局\t農地台帳\t事務のため\t農業者\t氏名\t\t令和2年度第1回審議会承認\t横浜市\tR2.6.1",
    "3\t議会事務局\t議事録\t事務のため\t議員\t氏名\t\t令和2年度第1回審議会承認\t株式会社 A\tR2.7.1",
]
# 檜原村 (a village): 村長 only, a 消防 department with no 消防長 row stays with 村長.
HINOHARA = [
    "外部電子計算機との結合の状況（令和2年度）",
    "",
    *_summary(["村長\t0\t1\t0\t1\t0", "合計\t0\t1\t0\t1\t0"]),
    "1\t消防係\t防災\t防災のため\t見学者\t氏名\t\t令和2年度第1回審議会承認\t東京都庁\tR2.5.1",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("open-world")
    metas = []
    for name, code, lines in (
        ("yokohama", "141003", YOKOHAMA),
        ("mizuho", "133035", MIZUHO),
        ("hinohara", "133078", HINOHARA),
    ):
        path = folder / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        metas.append(metadata_from_options(path, code, 2020))
    out = folder / "build"
    run_build(metas, out)
    return out


@pytest.fixture(scope="module")
def store(built: Path) -> ox.Store:
    return open_store(built)


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return sorted(
        tuple(term.value if term is not None else "" for term in row)
        for row in store.query(PREFIXES + query, use_default_graph_as_union=True)
    )


def test_one_iri_for_one_company_across_reports(store: ox.Store) -> None:
    company = "<https://w3id.org/ketsugo/id/org/name/株式会社abcシステム>"
    found = select(store, f"SELECT DISTINCT ?c WHERE {{ ?c dpv:hasRecipient {company} }}")
    assert found == sorted([(f"{ID}141003/2020/connection/1",), (f"{ID}133035/2020/connection/1",)])
    spellings = select(store, f"SELECT DISTINCT ?w WHERE {{ {company} kg:asWritten ?w }}")
    assert spellings == sorted([("ＡＢＣシステム（株）",), ("㈱ABCシステム",)])
    kinds = select(
        store, f"SELECT DISTINCT ?k ?r WHERE {{ {company} kg:counterpartyKind ?k ; kg:classifiedBy ?r }}"
    )
    assert kinds == [(f"{KG}PrivateCompany", "legal form: 株式会社")]
    labels = select(store, f"SELECT DISTINCT ?l WHERE {{ {company} rdfs:label ?l }}")
    # one label, a spelling the reports use (NFKC), never one re-composed with the form moved
    assert labels in ([("(株)ABCシステム",)], [("ABCシステム(株)",)])


def test_every_recipient_has_a_kind(store: ox.Store) -> None:
    assert (
        select(
            store,
            "SELECT ?r WHERE { ?c dpv:hasRecipient ?r FILTER NOT EXISTS { ?r kg:counterpartyKind ?k } }",
        )
        == []
    )
    kinds = dict(
        select(
            store,
            "SELECT ?w ?k WHERE { ?c dpv:hasRecipient ?r . ?r kg:counterpartyKind ?k . { ?r kg:asWritten ?w } UNION { ?r rdfs:label ?w } }",
        )
    )
    assert kinds["〇〇県国民健康保険団体連合会"] == f"{KG}PublicInsuranceBody"
    assert kinds["総務省"] == f"{KG}NationalGovernmentBody"
    assert kinds["横浜市"] == f"{KG}LocalGovernment"
    assert kinds["委託事業者"] == f"{KG}UnnamedCounterparty"
    assert kinds["東京都"] == f"{KG}LocalGovernment"  # 東京都庁 → the curated Tokyo Metropolitan Government


def test_local_government_counterparty_has_its_code(store: ox.Store) -> None:
    assert select(
        store,
        "SELECT ?code WHERE { <https://w3id.org/ketsugo/id/org/name/神奈川県横浜市> kg:localGovernmentCode ?code }",
    ) == [("141003",)]


AGENCIES = [
    # (connection, agency IRI) read off the summary rows and department names above
    ("141003/2020/connection/1", "141003/agency/mayor"),
    ("141003/2020/connection/2", "141003/agency/board-of-education"),
    ("141003/2020/connection/3", "141003/agency/mayor"),
    ("141003/2020/connection/4", "141003/agency/election-commission"),
    ("133035/2020/connection/1", "133035/agency/mayor"),
    ("133035/2020/connection/2", "133035/agency/agricultural-committee"),
    ("133035/2020/connection/3", "133035/agency/assembly"),
    ("133078/2020/connection/1", "133078/agency/mayor"),
]


def test_agencies_by_rule(store: ox.Store) -> None:
    found = select(store, "SELECT ?c ?a WHERE { ?c kg:implementingAgency ?a }")
    assert found == sorted((ID + c, ID + a) for c, a in AGENCIES)
    labels = dict(select(store, "SELECT ?a ?l WHERE { ?a a kg:ImplementingAgency ; rdfs:label ?l }"))
    assert labels[f"{ID}141003/agency/mayor"] == "横浜市長"
    assert labels[f"{ID}133035/agency/mayor"] == "瑞穂町長"
    assert labels[f"{ID}133078/agency/mayor"] == "檜原村長"
    assert labels[f"{ID}141003/agency/board-of-education"] == "横浜市教育委員会"
    rules = dict(select(store, "SELECT ?d ?r WHERE { ?d a kg:Department ; kg:attributedBy ?r }"))
    assert rules[f"{ID}141003/department/学務課"] == "rule: 学務 → 教育委員会"
    assert rules[f"{ID}133078/department/消防係"] == "rule: otherwise the executive head → 村長"


def test_summary_rows_use_the_same_agencies(store: ox.Store) -> None:
    found = select(store, "SELECT ?label ?a WHERE { ?s a kg:SummaryRow ; rdfs:label ?label ; kg:agency ?a }")
    assert ("教育委員会", f"{ID}141003/agency/board-of-education") in found
    assert ("農業委員会", f"{ID}133035/agency/agricultural-committee") in found
    assert ("村長", f"{ID}133078/agency/mayor") in found


def test_consistent_reports_get_no_summary_finding(store: ox.Store) -> None:
    shapes = {f.shape for f in validate_store(store).findings}
    assert not {s for s in shapes if "Summary" in s}, shapes
    assert "kgsh:ParseErrorShape" not in shapes


def test_curation_notes_are_info(tmp_path: Path) -> None:
    from ketsugo.graph.reference import reference
    from ketsugo.pipeline import build_report

    path = tmp_path / "r.txt"
    path.write_text(
        "\n".join(
            [
                *HINOHARA[:-1],
                "1\t消防係\t防災\t防災のため\t見学者\t氏名\t\t令和2年度第1回審議会承認\t謎の団体\tR2.5.1",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    one = build_report(metadata_from_options(path, "133078", 2020), reference())
    notes = [i for i in one.issues if i.kind == "curation"]
    assert notes and all(i.severity == "info" for i in notes)
    assert any("謎の団体" in i.message and "organizations.ttl" in i.message for i in notes)
    assert any("消防係" in i.message and "departments-133078.ttl" in i.message for i in notes)
    assert any(i.as_written == "見学者" and "subject-classes.ttl" in i.message for i in notes)
    assert not [i for i in one.issues if i.severity in ("warning", "error")]


# --------------------------------------------------------------------- one graph per triple
def test_union_default_graph_counts_each_department_once(bundled_build: Path) -> None:
    store = open_store(bundled_build)
    for kind in ("Department", "Municipality", "ImplementingAgency"):
        ((all_, distinct),) = select(
            store, f"SELECT (COUNT(?d) AS ?n) (COUNT(DISTINCT ?d) AS ?m) WHERE {{ ?d a kg:{kind} }}"
        )
        assert all_ == distinct, kind
    ((labels,),) = select(
        store,
        "SELECT (COUNT(?l) AS ?n) WHERE { <https://w3id.org/ketsugo/id/municipality/131041> rdfs:label ?l }",
    )
    assert labels == "2"  # 新宿区@ja and Shinjuku City@en, from the reference graph only
    # the 12 departments of the report (総務課 … 教育支援課) are curated: stated in the reference graph only
    ((n,),) = select(store, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?c kg:department ?d }")
    assert n == "12"
