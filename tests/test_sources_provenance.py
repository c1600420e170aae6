"""Each record read from a published file can say where it stood there (sheet and cell here)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from ketsugo.graph.reference import reference
from ketsugo.graph.vocab import KG
from ketsugo.pipeline import build_report
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.sources import read_source
from tests.sources_fixtures import write_xlsx

CONNECTION = "https://w3id.org/ketsugo/id/131041/2020/connection/{}"


def test_connections_get_the_cell_they_came_from(tmp_path: Path, bundled_path: Path) -> None:
    path = write_xlsx(bundled_path.read_text(encoding="utf-8"), tmp_path / "report.xlsx")
    graph = build_report(metadata_from_options(path, "131041", 2020), reference()).result.graph
    assert len(list(graph.triples((None, KG.sourceLocation, None)))) >= 22  # every connection at least
    # by the fixture's layout: sheet 内訳 holds heading (2) in row 1, the first block's header in
    # row 3 and No.1, No.2 in rows 4-5; the second block's header in row 7, No.3 in row 8
    assert (URIRef(CONNECTION.format(1)), KG.sourceLocation, Literal("内訳!A4")) in graph
    assert (URIRef(CONNECTION.format(3)), KG.sourceLocation, Literal("内訳!A8")) in graph


def test_a_text_report_has_no_locations(bundled_path: Path) -> None:
    assert read_source(bundled_path).locations == {}
