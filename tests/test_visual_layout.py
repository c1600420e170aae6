"""The drawings read at a glance: unnamed parties told apart, ranks in order, no overlaps, fewer crossings.

Expectations are read off data/reports/shinjuku-2020-gaibu-ketsugo.txt: the counterparty cell
is "LGWAN-ASPサービス提供者/事業者" (no name) on No.1, 3, 4, 7, 9, 14, 15 and 19, and
"納付サービス提供者" on No.18.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from itertools import combinations, pairwise
from pathlib import Path

import networkx as nx
import pytest

from ketsugo.export import visual
from ketsugo.store.disk import open_store


@pytest.fixture(scope="module")
def graph(bundled_build: Path) -> nx.DiGraph:
    return visual.flow_graph(open_store(bundled_build))


def test_unnamed_recipients_are_labelled_with_their_connection(graph: nx.DiGraph) -> None:
    unnamed = {d["label"] for d in graph.nodes.values() if d["kind"] == "recipient" and d.get("unnamed")}
    assert {f"LGWAN-ASPサービス提供者 (No.{n})" for n in (1, 3, 4, 7, 9, 14, 15, 19)} <= unnamed
    assert "納付サービス提供者 (No.18)" in unnamed
    assert len(unnamed) == 9


def test_recipients_carry_their_kind(graph: nx.DiGraph) -> None:
    kinds = {d["label"]: d.get("party_kind") for d in graph.nodes.values() if d["kind"] == "recipient"}
    assert kinds["内閣官房"] == "NationalGovernmentBody"
    assert kinds["厚生労働省"] == "NationalGovernmentBody"
    assert kinds["株式会社DNPアイディシステム"] == "PrivateCompany"
    assert kinds["LGWAN-ASPサービス提供者 (No.3)"] == "LGWANASPServiceProvider"
    assert all(kinds.values()), [k for k, v in kinds.items() if not v]


def test_dot_ranks_read_agency_to_category(graph: nx.DiGraph) -> None:
    dot = visual.to_dot(graph)
    ranks = re.findall(r"subgraph rank_(\w+) \{ rank=same;", dot)
    assert ranks == list(visual.LAYERS)
    chain = next(line for line in dot.splitlines() if "style=invis" in line)
    assert [m for m in re.findall(r'"column:(\w+)"', chain)] == list(visual.LAYERS)
    # the department → agency relation is drawn from the agency (left) to the department
    agency = next(n for n, d in graph.nodes(data=True) if d["kind"] == "agency")
    department = next(iter(graph.predecessors(agency)))
    assert f'"{agency}" -> "{department}" [dir=back' in dot
    assert f'"{department}" -> "{agency}"' not in dot


def test_columns_have_no_overlapping_boxes(graph: nx.DiGraph) -> None:
    rows = defaultdict(list)
    for data in graph.nodes.values():
        rows[data["kind"]].append(data["y"])
    for kind, ys in rows.items():
        ys.sort()
        assert all(b - a >= visual.ROW_HEIGHT - 0.01 for a, b in pairwise(ys)), kind
    xs = {kind: visual.column_layout(visual.SVG_WIDTH)[kind] for kind in visual.LAYERS}
    for a, b in zip(visual.LAYERS, visual.LAYERS[1:], strict=False):
        assert xs[a][0] + xs[a][1] < xs[b][0]  # a gap for the edges between every two columns


def _crossings(graph: nx.DiGraph, position: dict[str, float]) -> int:
    edges = [(a, b) for a, b, _ in visual.drawn_edges(graph)]
    by_pair = defaultdict(list)
    for a, b in edges:
        by_pair[(graph.nodes[a]["kind"], graph.nodes[b]["kind"])].append((position[a], position[b]))
    return sum(
        1
        for pairs in by_pair.values()
        for (a1, b1), (a2, b2) in combinations(pairs, 2)
        if (a1 - a2) * (b1 - b2) < 0
    )


def test_barycentre_order_cuts_crossings(graph: nx.DiGraph) -> None:
    by_label = {}
    for kind in visual.LAYERS:
        members = sorted(
            (n for n, d in graph.nodes(data=True) if d["kind"] == kind),
            key=lambda n: (graph.nodes[n].get("number") or 0, graph.nodes[n]["label"], n),
        )
        by_label.update({n: i for i, n in enumerate(members)})
    laid_out = {n: d["y"] for n, d in graph.nodes(data=True)}
    assert _crossings(graph, laid_out) < 0.7 * _crossings(graph, by_label)


def test_svg_labels_fit_their_boxes_and_keep_the_connection_number(graph: nx.DiGraph) -> None:
    root = ET.fromstring(visual.to_svg(graph))
    ns = "{http://www.w3.org/2000/svg}"
    for group in root.iter(f"{ns}g"):
        rect, text = group.find(f"{ns}rect"), group.find(f"{ns}text")
        assert visual.text_width(text.text) <= float(rect.get("width")) - 14
        assert float(text.get("y")) > 0
    labels = [t.text for t in root.iter(f"{ns}text")]
    assert any(label.endswith("(No.19)") for label in labels)


def test_fit_keeps_the_tail_that_tells_parties_apart() -> None:
    cut = visual.fit("LGWAN-ASPサービス提供者 (2021 終了 No.1)", 130)
    assert cut.endswith("(2021 終了 No.1)") and "…" in cut
    assert visual.fit("短い", 100) == "短い"
