"""Errata per report: the bundled report's misprints are read as its errata file says, visibly.

Expectations written by reading data/reports/shinjuku-2020-gaibu-ketsugo.txt (No.7's items
被保険者異本情報 and 送付策情報, No.11's 議事症患者, No.22's エヌ・ティ・ロ・コミュニケーション株式会社 and
SKY株式会社) and the reviewed errata file beside it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef

from ketsugo.errors import InputError
from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report
from ketsugo.read.errata import apply_errata, load_errata
from ketsugo.read.metadata import bundled_reports, metadata_from_options

KG = Namespace("https://w3id.org/ketsugo#")
KGC = Namespace("https://w3id.org/ketsugo/id/category/")
DPV = Namespace("https://w3id.org/dpv#")
C = "https://w3id.org/ketsugo/id/131041/2020/connection/{}"


@cache
def bundled():
    return build_report(bundled_reports()[0], reference())


def test_items_keep_their_text_and_are_read_as_corrected() -> None:
    graph = bundled().result.graph
    items = {
        str(graph.value(node, KG.asWritten)): node
        for node in graph.objects(URIRef(C.format(7)), KG.hasDataItem)
    }
    basic = items["被保険者異本情報"]
    assert graph.value(basic, KG.itemName) == Literal("被保険者基本情報", lang="ja")
    assert (basic, KG.hasCategory, KGC["insurance-eligibility"]) in graph
    address = items["送付策情報"]
    assert graph.value(address, KG.itemName) == Literal("送付先情報", lang="ja")
    assert (address, KG.hasCategory, KGC.address) in graph


def test_counterparty_misprint_links_the_company_and_the_cell_stays_as_written() -> None:
    graph = bundled().result.graph
    c = URIRef(C.format(22))
    recipients = set(graph.objects(c, DPV.hasRecipient))
    org = "https://w3id.org/ketsugo/id/org/"
    assert recipients == {URIRef(org + "microsoft"), URIRef(org + "ntt-communications"), URIRef(org + "sky")}
    assert str(graph.value(c, KG.counterpartiesAsWritten)) == (
        "マイクロソフト エヌ・ティ・ロ・コミュニケーション株式会社 SKY株式会社"
    )


def test_each_applied_erratum_is_a_node_and_an_info_finding() -> None:
    one = bundled()
    graph = one.result.graph
    errata = {
        (str(c).rsplit("/", 1)[-1], str(graph.value(e, KG.asWritten)), str(graph.value(e, KG.readAs)))
        for c, e in graph.subject_objects(KG.erratum)
    }
    assert errata == {
        ("7", "被保険者異本情報", "被保険者基本情報"),
        ("7", "送付策情報", "送付先情報"),
        ("11", "議事症患者", "疑似症患者"),
        ("22", "エヌ・ティ・ロ・コミュニケーション株式会社", "NTTコミュニケーションズ株式会社"),
        ("22", "SKY株式会社", "Sky株式会社"),
    }
    for _, e in graph.subject_objects(KG.erratum):
        assert (e, KG.erratumReason, None) in graph and (e, KG.erratumField, None) in graph
    found = [i for i in one.issues if i.message.startswith("erratum:")]
    assert len(found) == 5
    assert {(i.severity, i.kind) for i in found} == {("info", "report")}
    assert {i.line for i in found} == {31, 37, 58}


def _report(tmp_path: Path, errata: str) -> Path:
    text = (
        "外部電子計算機との結合の状況（令和2年度）\n\n(2) 新たに外部計算機との結合を行った外部結合の内訳\n\n"
        "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t"
        "外部結合に係る個人情報記録の項目\t特定個人情報の有無\t条例根拠\t結合の相手方\t結合の開始年月日\n"
        "1\t総務課\t試験\t試験のため\t区民\t氏命、住所\t\t令和2年度第2回審議会承認\t株式会社サンプノレ\tR2.5.15\n"
    )
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "r.errata.toml").write_text(errata, encoding="utf-8")
    return path


def test_errata_of_a_new_report(tmp_path: Path) -> None:
    path = _report(
        tmp_path,
        """
[[erratum]]
connection = 1
field = "items"
as_written = "氏命"
read_as = "氏名"
reason = "命/名 share the reading めい"

[[erratum]]
field = "counterparties"
as_written = "サンプノレ"
read_as = "サンプル"
reason = "ノレ is ル split in two"

[[erratum]]
connection = 2
field = "items"
as_written = "住所"
read_as = "住居"
reason = "a row the report does not have"
""",
    )
    one = build_report(metadata_from_options(path, "131041", 2020), reference())
    graph = one.result.graph
    c = URIRef(C.format(1))
    # an item's name is written only where it differs from its text as written (docs/model.md)
    names = {
        str(graph.value(i, KG.asWritten)): str(graph.value(i, KG.itemName) or graph.value(i, KG.asWritten))
        for i in graph.objects(c, KG.hasDataItem)
    }
    assert names == {"氏命": "氏名", "住所": "住所"}
    assert set(graph.objects(c, DPV.hasRecipient)) == {
        URIRef("https://w3id.org/ketsugo/id/org/name/株式会社サンプル")
    }
    unmatched = [i for i in one.issues if "matches nothing" in i.message]
    assert len(unmatched) == 1 and unmatched[0].severity == "warning" and "No.2" in unmatched[0].message


def test_malformed_errata_file_is_an_input_error(tmp_path: Path) -> None:
    path = _report(tmp_path, '[[erratum]]\nfield = "colour"\nas_written = "a"\nread_as = "b"\nreason = "c"\n')
    with pytest.raises(InputError) as caught:
        load_errata(path)
    assert "r.errata.toml" in str(caught.value) and "colour" in str(caught.value)
    path = _report(tmp_path, '[[erratum]]\nfield = "items"\nas_written = "a"\n')
    with pytest.raises(InputError):
        load_errata(path)


def test_no_errata_file_changes_nothing(tmp_path: Path) -> None:
    report = bundled_reports()[0]
    from ketsugo.read.parser import parse_report
    from ketsugo.read.textio import read_report_text

    parsed = parse_report(read_report_text(report.path, None).text, str(report.path))
    applied = apply_errata(parsed, [])
    assert applied.report == parsed and applied.findings == [] and applied.applied == []
