"""A prefecture's report lists each implementing agency's connections under a heading of its own
(pref12, the 佐賀県 case of user12b): 「（1）知事」 … inside section ２, or 「実施機関：教育委員会」 above
an agency's sheet. The reports below are made up for these tests (山形県, 060003); every expectation
is read by hand from their text."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from ketsugo.errors import InputError
from ketsugo.graph.agencies import ListedAgencies, slug_for_label
from ketsugo.graph.partyrules import classify
from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report, resolve_metadata
from ketsugo.read.agencyheadings import labelled_agency, numbered_agency, with_agency_headings
from ketsugo.read.headers import headers
from ketsugo.read.parser import parse_report

CODE = "060003"  # 山形県
KG = "https://w3id.org/ketsugo#"

SUMMARY = """令和５年度　個人情報の外部結合の状況
山形県

１　外部結合の件数
実施機関\t前年度末\t新規\t終了\t本年度末\tうち特定個人情報
知事\t10\t2\t1\t11\t1
教育委員会\t5\t1\t1\t5\t0
水道事業管理者\t2\t1\t0\t3\t0
公営企業管理者\t3\t1\t0\t4\t0
合計\t20\t5\t2\t23\t1
"""
HEADER_NEW = "No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始日"
HEADER_ENDED = "No.\t担当課\t業務名\t記録項目\t結合の相手方\t終了日"

# PDF style: numbered agency sub-headings inside section ２, the second right under a row
NUMBERED = f"""{SUMMARY}
２　新たに結合を開始したもの
（１）知事
{HEADER_NEW}
1\t税務課\t県税の課税資料の送付\t氏名、住所\t県内35市町村\t令和5年4月1日
2\t人事課\t職員の給与振込\t氏名、口座番号\t株式会社山形中央銀行\t令和5年4月1日
（２）教育委員会
{HEADER_NEW}
3\t総務課\t教職員の給与支払\t氏名、個人番号\t株式会社東北計算センター\t令和5年6月1日

（３）水道事業管理者
{HEADER_NEW}
4\t総務課\t水道料金の口座振替\t氏名、口座番号\t株式会社山形中央銀行\t令和5年7月1日

（４）公営企業管理者
{HEADER_NEW}
5\t総務課\t工業用水道料金の口座振替\t使用者名、口座番号\t株式会社山形中央銀行\t令和5年8月1日

３　結合を終了したもの
{HEADER_ENDED}
1\t税務課\t納税通知書の作成委託\t氏名、住所\t株式会社東北計算センター\t令和5年9月30日
2\t総務課\t教員採用試験の受付委託\t氏名、住所\t株式会社東北計算センター\t令和5年6月30日
"""

# Excel style: each agency's sheet headed 「実施機関：…」 above its own sections ２ and ３
LABELLED = f"""{SUMMARY}
令和５年度　個人情報の外部結合の状況
実施機関：知事

２　新たに結合を開始したもの
{HEADER_NEW}
1\t税務課\t県税の課税資料の送付\t氏名、住所\t県内全市町村\t令和5年4月1日
2\t人事課\t職員の給与振込\t氏名、口座番号\t株式会社山形中央銀行\t令和5年4月1日

３　結合を終了したもの
{HEADER_ENDED}
1\t税務課\t納税通知書の作成委託\t氏名、住所\t株式会社東北計算センター\t令和5年9月30日

令和５年度　個人情報の外部結合の状況
実施機関：教育委員会

２　新たに結合を開始したもの
{HEADER_NEW}
3\t総務課\t教職員の給与支払\t氏名、個人番号\t株式会社東北計算センター\t令和5年6月1日

３　結合を終了したもの
{HEADER_ENDED}
2\t総務課\t教員採用試験の受付委託\t氏名、住所\t株式会社東北計算センター\t令和5年6月30日

令和５年度　個人情報の外部結合の状況
実施機関：水道事業管理者

２　新たに結合を開始したもの
{HEADER_NEW}
4\t総務課\t水道料金の口座振替\t氏名、口座番号\t株式会社山形中央銀行\t令和5年7月1日

令和５年度　個人情報の外部結合の状況
実施機関：公営企業管理者

２　新たに結合を開始したもの
{HEADER_NEW}
5\t総務課\t工業用水道料金の口座振替\t使用者名、口座番号\t株式会社山形中央銀行\t令和5年8月1日
"""

# By hand: whose each row is (new No. → agency; ended No. → agency)
NEW_AGENCIES = {1: "知事", 2: "知事", 3: "教育委員会", 4: "水道事業管理者", 5: "公営企業管理者"}
ENDED_NUMBERED = {1: "", 2: ""}  # section ３ of the PDF style has no sub-heading: no heading's agency
ENDED_LABELLED = {1: "知事", 2: "教育委員会"}


def _graph(tmp_path: Path, text: str) -> rdflib.Graph:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    built = build_report(resolve_metadata(path, CODE, None), reference())
    graph = rdflib.Graph()
    for triple in built.result.graph:
        graph.add(triple)
    return graph


def _agency_of(graph: rdflib.Graph, number: int, kind: str = "connection") -> set[str]:
    rows = graph.query(
        f"""SELECT ?label WHERE {{ ?c <{KG}implementingAgency> ?a . ?a <http://www.w3.org/2000/01/rdf-schema#label> ?label .
        FILTER(STRENDS(STR(?c), "/{kind}/{number}")) }}"""
    )
    return {str(r[0]) for r in rows}


@pytest.mark.parametrize("text", [NUMBERED, LABELLED], ids=["numbered", "labelled"])
def test_rows_under_an_agency_heading_are_that_agencys(text: str) -> None:
    report = parse_report(text, "r.txt")
    new = {c.number: c.group_heading for c in report.connections if c.status == "new"}
    ended = {c.number: c.group_heading for c in report.connections if c.status == "ended"}
    assert new == NEW_AGENCIES
    assert ended == (ENDED_NUMBERED if text is NUMBERED else ENDED_LABELLED)
    assert not [i for i in report.issues if "not understood" in i.message]
    assert [r.agency for r in report.summary] == [
        "知事",
        "教育委員会",
        "水道事業管理者",
        "公営企業管理者",
        "合計",
    ]


def test_numbered_agency_lines_are_no_sections() -> None:
    """（３）水道事業管理者 is no section (3): every connection table stays in section ２."""
    report = parse_report(NUMBERED, "r.txt")
    assert sorted(c.number for c in report.connections if c.status == "new") == [1, 2, 3, 4, 5]
    assert sorted(c.number for c in report.connections if c.status == "ended") == [1, 2]


@pytest.mark.parametrize("text", [NUMBERED, LABELLED], ids=["numbered", "labelled"])
def test_graph_gives_each_row_its_headings_agency(tmp_path: Path, text: str) -> None:
    graph = _graph(tmp_path, text)
    for number, agency in NEW_AGENCIES.items():
        assert _agency_of(graph, number) == {f"山形県{agency}"}, number
    if text is LABELLED:
        assert _agency_of(graph, 2, "ended-connection") == {"山形県教育委員会"}


def test_two_managers_are_two_agencies_and_two_summary_rows(tmp_path: Path) -> None:
    """水道事業管理者 and 公営企業管理者 are two implementing agencies: two summary nodes with their
    own counts (2/1/0/3 and 3/1/0/4), never one node with both rows' counts."""
    graph = _graph(tmp_path, NUMBERED)
    rows = graph.query(
        f"""SELECT ?r ?a ?b WHERE {{ ?r a <{KG}SummaryRow> ; <{KG}agency> ?agency ;
        <{KG}previousCount> ?a ; <{KG}newCount> ?b . }}"""
    )
    counts = sorted((int(a), int(b)) for _, a, b in rows)
    assert counts == [(2, 1), (3, 1), (5, 1), (10, 2)]
    agencies = {str(o) for o in graph.objects(None, rdflib.URIRef(f"{KG}agency"))}
    assert len(agencies) == 4


def test_enterprise_managers_get_distinct_slugs() -> None:
    slugs = {
        label: slug_for_label(label, CODE)
        for label in ("病院事業管理者", "公営企業管理者", "水道事業管理者", "交通事業管理者")
    }
    assert len(set(slugs.values())) == 4, slugs


def test_two_labels_on_one_iri_are_kept_apart_with_a_message() -> None:
    """Two labels a rule gives one IRI (both …事業管理者 by the general rule) get two IRIs; the
    second's message says so. The same label again keeps its IRI and says nothing."""
    listed = ListedAgencies()
    iri = "https://example.org/060003/agency/public-enterprise-manager"
    first, said = listed.distinct(iri, "ガス事業管理者", CODE)
    assert (first, said) == (iri, "")
    second, said = listed.distinct(iri, "山形県電気事業管理者", CODE)
    assert second != iri and "ガス事業管理者" in said and "電気事業管理者" in said
    assert listed.distinct(iri, "ガス事業管理者", CODE) == (iri, "")
    assert listed.named("電気事業管理者", CODE) == second


def test_two_general_managers_in_one_report_are_two_nodes(tmp_path: Path) -> None:
    text = NUMBERED.replace("水道事業管理者", "ガス事業管理者").replace("公営企業管理者", "電気事業管理者")
    graph = _graph(tmp_path, text)
    agencies = {str(o) for o in graph.objects(None, rdflib.URIRef(f"{KG}agency"))}
    assert len(agencies) == 4
    assert _agency_of(graph, 4) == {"山形県ガス事業管理者"}
    assert _agency_of(graph, 5) == {"山形県電気事業管理者"}


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        ("（1）知事", "知事"),
        ("⑵ 山形県教育委員会", "山形県教育委員会"),
        ("(3)公安委員会", "公安委員会"),
        ("（４）病院事業管理者", "病院事業管理者"),
        ("（5）収用委員会", "収用委員会"),
        ("【教育委員会】", "教育委員会"),
        ("（2）新たに結合を開始したもの", None),
        ("（1）教育委員会の外部結合の件数", None),
        ("(3)生年月日", None),
        ("1. 市民課", None),
        ("（1）知事\t1\t2", None),
    ],
)
def test_numbered_agency_line(line: str, agency: str | None) -> None:
    words = [w for ws in headers().section_words.values() for w in ws]
    assert numbered_agency(line, words) == agency


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        ("実施機関：教育委員会", "教育委員会"),
        ("実施機関: 知事", "知事"),
        ("実施機関\t公安委員会", "公安委員会"),
        ("実施機関　病院事業管理者", "病院事業管理者"),
        ("実施機関\t前年度末\t新規", None),
        ("実施機関", None),
        ("実施機関　市民の皆様へ", None),
    ],
)
def test_labelled_agency_line(line: str, agency: str | None) -> None:
    assert labelled_agency(line) == agency


@pytest.mark.parametrize(
    "name",
    [
        "県内20市町",
        "県内３５市町村",
        "県内全市町村",
        "管内の市町村",
        "各都道府県警察",
        "全国の都道府県警察本部",
    ],
)
def test_classes_of_local_governments_are_unnamed_local_governments(name: str) -> None:
    found = classify(name)
    assert found is not None and found.party_kind == "LocalGovernmentsInGeneral", found


@pytest.mark.parametrize("name", ["山形市", "山形県警察本部長", "市町村振興協会"])
def test_a_named_body_is_no_class(name: str) -> None:
    found = classify(name)
    assert found is None or found.party_kind != "LocalGovernmentsInGeneral", found


def test_connection_table_under_the_summary_says_a_section_heading_was_missed() -> None:
    """Without its section heading, a connection table runs on under the summary table: one error
    at its header row saying a section's boundary was missed — not a tab inside a cell (a PDF or a
    workbook has none) and not one error per row."""
    text = NUMBERED.replace("２　新たに結合を開始したもの\n（１）知事\n", "")
    with pytest.raises(InputError) as raised:
        parse_report(text, "r.txt")
    messages = [i.message for i in raised.value.issues]
    at_header = [m for m in messages if "section" in m and "summary" in m]
    assert at_header and "boundary" in at_header[0]
    assert not [m for m in messages if "tab inside a cell" in m]


def test_an_agency_field_of_a_card_is_no_heading() -> None:
    """実施機関 | 村長 among a card's 項目 | 内容 rows is the card's own field (read/cards.py), not a
    heading over the cards after it (user11b/umaji-2022: card 10 is 教育委員会's); a 実施機関：… line
    under a page's title is one."""
    written = [
        "１　住民票の写し等のコンビニ交付",
        "項目\t内容",
        "実施機関\t村長",
        "担当課\t住民課",
        "",
        "令和５年度　外部結合の状況",
        "実施機関：教育委員会",
        "",
        "２　新たに結合を開始したもの",
    ]
    _, found = with_agency_headings([], list(enumerate(written, start=1)), [], [])
    assert [(h.line, h.agency) for h in found] == [(7, "教育委員会")]


def test_connection_rows_under_the_summary_say_a_section_heading_was_missed() -> None:
    """The same with the connection table's header row lost too (a page break): the first row,
    numbered and wider than the summary, is named as a connection row."""
    text = NUMBERED.replace(f"２　新たに結合を開始したもの\n（１）知事\n{HEADER_NEW}\n", "")
    with pytest.raises(InputError) as raised:
        parse_report(text, "r.txt")
    messages = [i.message for i in raised.value.issues]
    astray = [m for m in messages if "boundary" in m]
    assert len(astray) == 1 and "connection row (No. 1" in astray[0], messages
    assert not [m for m in messages if "tab inside a cell" in m]
