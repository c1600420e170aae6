"""Normalisation is explicit and reversible: the graph keeps every string as written, and
full-width forms and dash variants are folded only in values derived from them.

Fixture: tests/cases/encodings/widths-and-dashes.txt — the small valid report with
full-width digits (Ｒ２．５．１５, No. ２, 第１２条), half-width katakana (ﾕｰｻﾞｰID) and the
counterparty's hyphen written as ‐ (U+2010), − (U+2212), – (U+2013) and － (U+FF0D).
"""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import XSD, Literal, URIRef

from ketsugo.graph.reference import reference
from ketsugo.graph.vocab import KG
from ketsugo.pipeline import ReportBuild, build_report
from ketsugo.read.items import split_items
from ketsugo.read.legal import parse_legal_basis
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.normalize import compact, normalize
from ketsugo.read.parser import parse_report
from tests.conftest import CASES

FIXTURE = CASES / "encodings" / "widths-and-dashes.txt"
CONNECTION = "https://w3id.org/ketsugo/id/131041/2020/connection/{}"


@pytest.fixture(scope="module")
def built() -> ReportBuild:
    return build_report(metadata_from_options(FIXTURE, "131041", 2020), reference())


def _value(built: ReportBuild, number: int, prop: URIRef):
    return built.result.graph.value(URIRef(CONNECTION.format(number)), prop)


@pytest.mark.parametrize(
    ("written", "derived"),
    [
        ("LGWAN－ASP", "LGWAN-ASP"),  # U+FF0D full-width hyphen-minus
        ("LGWAN‐ASP", "LGWAN-ASP"),  # U+2010 hyphen
        ("LGWAN−ASP", "LGWAN-ASP"),  # U+2212 minus sign
        ("LGWAN–ASP", "LGWAN-ASP"),  # U+2013 en dash
        ("ＬＧＷＡＮ", "LGWAN"),  # full-width Latin letters
        ("Ｒ２．５．１５", "R2.5.15"),  # full-width digits and dots
        ("（感染症法）", "(感染症法)"),  # full-width brackets
        ("ﾕｰｻﾞｰID", "ユーザーID"),  # half-width katakana and its long-vowel mark
        ("ユーザー", "ユーザー"),  # the katakana long-vowel mark ー is a letter, not a dash
        ("データ・ベース", "データ・ベース"),
    ],
)
def test_normalize_folds_widths_and_dashes_but_not_the_long_vowel_mark(written: str, derived: str) -> None:
    assert normalize(written) == derived


def test_long_vowel_mark_survives_compact() -> None:
    assert compact(" ユーザー ID ") == "ユーザーID"
    assert "-" not in normalize("ーｰ")


def test_counterparties_are_kept_as_written_and_resolve_alike(built: ReportBuild) -> None:
    graph = built.result.graph
    written = {n: str(_value(built, n, KG.counterpartiesAsWritten)) for n in (1, 2, 3, 4)}
    assert written == {
        1: "LGWAN－ASPサービス提供者",
        2: "LGWAN‐ASPサービス事業者",
        3: "LGWAN−ASPサービス提供者",
        4: "ＬＧＷＡＮ–ＡＳＰサービス提供者",
    }
    kinds = set()
    for number in (1, 2, 3, 4):
        (party,) = graph.objects(
            URIRef(CONNECTION.format(number)), URIRef("https://w3id.org/dpv#hasRecipient")
        )
        assert str(graph.value(party, KG.asWritten)) == written[number]
        kinds.add(graph.value(party, KG.partyKind))
    assert kinds == {KG.LGWANASPServiceProvider}


def test_dates_and_numbers_written_full_width(built: ReportBuild) -> None:
    assert str(_value(built, 1, KG.startDateAsWritten)) == "Ｒ２．５．１５"
    assert _value(built, 1, KG.startDate) == Literal(date(2020, 5, 15), datatype=XSD.date)
    assert str(_value(built, 2, KG.startDateAsWritten)) == "令和２年４月１日"
    assert _value(built, 2, KG.startDate) == Literal(date(2020, 4, 1), datatype=XSD.date)
    assert _value(built, 2, KG.connectionNumber) == Literal(2)


def test_citation_written_full_width(built: ReportBuild) -> None:
    graph = built.result.graph
    assert (
        str(_value(built, 1, KG.legalBasisAsWritten))
        == "令和２年度第２回審議会承認（感染症法第１２条第１項）"
    )
    (citation,) = graph.objects(URIRef(CONNECTION.format(1)), KG.citesStatute)
    assert str(graph.value(citation, KG.asWritten)) == "感染症法第１２条第１項"
    assert (str(graph.value(citation, KG.article)), graph.value(citation, KG.paragraph)) == ("12", Literal(1))


def test_items_keep_the_long_vowel_mark_and_their_width(built: ReportBuild) -> None:
    graph = built.result.graph
    texts = {}
    for number in (3, 4):
        connection = URIRef(CONNECTION.format(number))
        first = str(graph.value(connection, KG.itemOrder)).split()[0]  # the first item of the cell
        (item,) = (i for i in graph.objects(connection, KG.hasDataItem) if str(i).endswith(f"/item/{first}"))
        texts[number] = (str(graph.value(item, KG.asWritten)), graph.value(item, KG.itemName))
    # the name is the text as written (kg:itemName is written only when it differs: docs/model.md)
    assert texts == {3: ("ﾕｰｻﾞｰID", None), 4: ("ユーザーID", None)}


def test_every_cell_is_kept_verbatim() -> None:
    """Every field of every row, byte for byte, is in the records the graph is built from."""
    text = FIXTURE.read_text(encoding="utf-8")
    report = parse_report(text, FIXTURE.name)
    lines = text.split("\n")
    for connection in report.connections:
        assert "\t".join(c.text for c in connection.cells) == lines[connection.line - 1]


def test_cell_parsers_keep_the_text_as_written() -> None:
    items = split_items("ﾕｰｻﾞｰＩＤ、パスワード（英数字）")
    assert [i.as_written for i in items.items] == ["ﾕｰｻﾞｰＩＤ", "パスワード（英数字）"]
    legal = parse_legal_basis("令和２年度第２回審議会承認（地方自治法第２４５条の９）")
    assert legal.statutes[0].as_written == "地方自治法第２４５条の９"
    assert legal.statutes[0].article == "245の9"
    assert legal.decision is not None and legal.decision.as_written == "令和２年度第２回審議会承認"
