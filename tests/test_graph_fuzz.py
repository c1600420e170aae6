"""Fuzzing past the parser: any cell text that parses must also become a graph and a store.

The parser's own fuzzing (test_input_fuzz.py) stops at records; here random text goes into
the cells that become IRIs or literals (departments, counterparties, subjects, items, legal
basis), through the graph builder and the conversion to pyoxigraph quads. The only exception
allowed is the project's own InputError.
"""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ketsugo.errors import InputError
from ketsugo.graph.quads import build_graph
from ketsugo.graph.reference import reference
from ketsugo.read.metadata import ReportMetadata
from ketsugo.read.parser import parse_report
from ketsugo.store.disk import sorted_nquads, to_quads
from tests.conftest import fuzz_examples

HEADER = (
    "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t"
    "外部結合に係る個人情報記録の項目\t特定個人情報の有無\t条例根拠\t結合の相手方\t結合の開始年月日"
)
PREFIX = "外部電子計算機との結合の状況（令和2年度）\n\n(2) 新たに外部計算機との結合を行った外部結合の内訳\n\n"
META = ReportMetadata(
    path=__import__("pathlib").Path("fuzz.txt"),
    municipality_code="131041",
    municipality_name="新宿区",
    fiscal_year=2020,
)

cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=30
)


@settings(max_examples=fuzz_examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(departments=cell, subjects=cell, items=cell, legal=cell, parties=cell)
@example(
    departments="住宅\ufffd課", subjects="", items="氏名", legal="", parties="厚生労働省"
)  # U+FFFD in an IRI
@example(departments="総務課", subjects="", items="", legal="", parties="\ufdd0社")  # a non-character
def test_any_cell_that_parses_becomes_a_graph_and_quads(
    departments: str, subjects: str, items: str, legal: str, parties: str
) -> None:
    row = "\t".join(["1", departments, "業務", "理由", subjects, items, "", legal, parties, "R2.5.15"])
    try:
        report = parse_report(PREFIX + HEADER + "\n" + row + "\n", "fuzz.txt", lenient=True)
        result = build_graph(report, META, reference())
    except InputError:
        return
    quads = to_quads([(result.graph_iri, result.graph)])
    back = list(ox.parse(sorted_nquads(quads), format=ox.RdfFormat.N_QUADS))
    assert len(back) == len(set(quads))
