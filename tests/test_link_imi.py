"""`ketsugo export imi`: municipalities and organisations in IMI core vocabulary terms only.

Expected values read by hand: data/reference/organizations.ttl gives 厚生労働省 6000012070001;
新宿区 is 131041 (e-Stat C13104); tests/cases/link fixtures give ㈱ミドリ情報システム its number."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.paths import VOCAB_DIR
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import metadata_from_options

from .conftest import CASES

IC = "http://imi.go.jp/ns/core/rdf#"


def ic(name: str) -> URIRef:
    return URIRef(IC + name)


@pytest.fixture(scope="module")
def imi_terms() -> set[URIRef]:
    vocabulary = Graph().parse(VOCAB_DIR / "imi" / "imicore242.ttl", format="turtle")
    return {s for s in vocabulary.subjects() if isinstance(s, URIRef) and str(s).startswith(IC)}


def _export(store: Path) -> Graph:
    _register_optional_commands()
    result = CliRunner().invoke(cli, ["export", "imi", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return Graph().parse(data=result.output, format="json-ld")


@pytest.fixture(scope="module")
def bundled(bundled_build: Path) -> Graph:
    return _export(bundled_build)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    out = tmp_path_factory.mktemp("imi-link") / "build"
    run_build([metadata_from_options(CASES / "link" / "report.txt", "132039", 2021)], out)
    _register_optional_commands()
    sample = CASES / "link" / "nta-sample.csv"
    result = CliRunner().invoke(cli, ["link", "--store", str(out), "--corporate-numbers", str(sample)])
    assert result.exit_code == 0, result.output
    return _export(out)


@pytest.mark.parametrize("which", ["bundled", "linked"])
def test_only_imi_terms(which: str, request: pytest.FixtureRequest, imi_terms: set[URIRef]) -> None:
    graph: Graph = request.getfixturevalue(which)
    predicates = set(graph.predicates()) - {RDF.type}
    classes = set(graph.objects(None, RDF.type))
    assert predicates and classes
    assert predicates <= imi_terms, sorted(predicates - imi_terms)
    assert classes <= imi_terms, sorted(classes - imi_terms)


def _ids(graph: Graph, node: URIRef) -> set[tuple[str, str]]:
    return {
        (str(graph.value(graph.value(i, ic("体系")), ic("表記"))), str(graph.value(i, ic("識別値"))))
        for i in graph.objects(node, ic("ID"))
    }


def test_municipality_and_curated_organisation(bundled: Graph) -> None:
    shinjuku = URIRef("https://w3id.org/ketsugo/id/municipality/131041")
    assert (shinjuku, RDF.type, ic("組織型")) in bundled
    assert _ids(bundled, shinjuku) == {("全国地方公共団体コード", "131041")}
    address = bundled.value(shinjuku, ic("住所"))
    assert bundled.value(address, ic("市区町村コード")) == URIRef("http://data.e-stat.go.jp/lod/sac/C13104")
    mhlw = URIRef("https://w3id.org/ketsugo/id/org/mhlw")
    assert (mhlw, RDF.type, ic("法人型")) in bundled
    assert _ids(bundled, mhlw) == {("法人番号", "6000012070001")}
    assert bundled.value(bundled.value(mhlw, ic("名称")), ic("表記")) == Literal("厚生労働省")
    microsoft = URIRef("https://w3id.org/ketsugo/id/org/microsoft")
    assert (microsoft, RDF.type, ic("組織型")) in bundled and not _ids(bundled, microsoft)


def test_linked_company_kind_and_address(linked: Graph) -> None:
    midori = URIRef("https://w3id.org/ketsugo/id/org/name/株式会社ミドリ情報システム")
    assert (midori, RDF.type, ic("法人型")) in linked
    assert _ids(linked, midori) == {("法人番号", "2011001012345")}
    kind = linked.value(midori, ic("組織種別"))
    assert (str(linked.value(kind, ic("識別値"))), str(linked.value(kind, ic("表記")))) == ("301", "株式会社")
    address = linked.value(midori, ic("住所"))
    assert str(linked.value(address, ic("表記"))) == "東京都武蔵野市吉祥寺本町１丁目１０－１"
    assert str(linked.value(address, ic("郵便番号"))) == "1800004"
    musashino = URIRef("https://w3id.org/ketsugo/id/municipality/132039")
    assert (musashino, RDF.type, ic("法人型")) in linked
    assert _ids(linked, musashino) == {("全国地方公共団体コード", "132039"), ("法人番号", "8000020132039")}
    tozai = URIRef("https://w3id.org/ketsugo/id/org/name/株式会社東西システム")  # ambiguous: no number
    assert (tozai, RDF.type, ic("組織型")) in linked and not _ids(linked, tozai)
