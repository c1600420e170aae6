"""An item read from an annex table of items (別表) stands on the annex row's line in the graph.

tests/cases/user13/kitakyushu-2024/report.txt: new No.1 (line 15) gives its items as 「別表1のとおり」;
別表１ (line 47, header line 48) lists 氏名, 生年月日, 性別, 住所, 住民票コード, 個人番号, 異動年月日,
異動事由 on lines 49–56 (read by hand). Provenance to the source line is the graph's promise: each
of those items must say its own line, the connection keeps its row's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ketsugo

REPORT = Path(__file__).parent / "cases" / "user13" / "kitakyushu-2024" / "report.txt"
ANNEX_1 = ["氏名", "生年月日", "性別", "住所", "住民票コード", "個人番号", "異動年月日", "異動事由"]


@pytest.fixture(scope="module")
def graph() -> ketsugo.KnowledgeGraph:
    return ketsugo.build([REPORT], municipality="401005")


def test_items_of_an_annex_name_its_lines(graph: ketsugo.KnowledgeGraph) -> None:
    rows = graph.sparql(
        """SELECT ?line ?written ?item_line WHERE {
             ?c kg:connectionNumber 1 ; kg:status kg:NewConnection ; kg:sourceLine ?line ;
                kg:hasDataItem ?item ; kg:itemOrder ?order .
             ?item kg:asWritten ?written ; kg:sourceLine ?item_line .
             BIND(STRLEN(STRBEFORE(?order, STRAFTER(STR(?item), "/item/"))) AS ?position)
           } ORDER BY ?position"""
    )
    assert {int(r["line"]) for r in rows} == {15}
    assert [str(r["written"]) for r in rows] == ANNEX_1
    assert [int(r["item_line"]) for r in rows] == list(range(49, 57))


def test_items_written_in_the_row_carry_no_line_of_their_own(graph: ketsugo.KnowledgeGraph) -> None:
    """No.5 (line 19) writes its items in its own cell: they stand on the connection's line."""
    rows = graph.sparql(
        """SELECT ?item WHERE {
             ?c kg:connectionNumber 5 ; kg:status kg:NewConnection ; kg:hasDataItem ?item .
             ?item kg:sourceLine ?line .
           }"""
    )
    assert rows == []
