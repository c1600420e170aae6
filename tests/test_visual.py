"""The flow graph drawn for people: node counts read off the report, and each format readable."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from ketsugo.export import visual
from ketsugo.store.disk import open_store


@pytest.fixture(scope="module")
def graph(bundled_build: Path) -> nx.DiGraph:
    return visual.flow_graph(open_store(bundled_build))


def test_node_kinds_match_the_report(graph: nx.DiGraph) -> None:
    kinds = Counter(d["kind"] for _, d in graph.nodes(data=True))
    # 22 connections; 12 departments (生活福祉課 and 保護担当課 counted apart); 2 agencies (区長, 教育委員会);
    # 13 named organisations + 9 unnamed LGWAN-ASP / payment providers (No.1,3,4,7,9,14,15,18,19).
    assert kinds["connection"] == 22
    assert kinds["department"] == 12
    assert kinds["agency"] == 2
    assert kinds["recipient"] == 22
    assert kinds["category"] > 40


def test_connection_12_reaches_the_cabinet_secretariat_and_my_number(graph: nx.DiGraph) -> None:
    node = "https://w3id.org/ketsugo/id/131041/2020/connection/12"
    targets = {graph.nodes[t]["label"] for t in graph.successors(node)}
    assert "内閣官房" in targets
    assert "個人番号" in targets  # the category of マイナンバー
    assert graph.nodes[node]["my_number"] is False  # the report leaves 特定個人情報 blank
    assert graph.nodes[node]["my_number_item"] is True  # … yet lists マイナンバー: drawn red all the same
    no1 = "https://w3id.org/ketsugo/id/131041/2020/connection/1"
    assert graph.nodes[no1]["my_number_item"] is False


def test_graphml_and_gexf_read_back(graph: nx.DiGraph) -> None:
    back = nx.read_graphml(io.BytesIO(visual.to_graphml(graph).encode("utf-8")))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    gexf = nx.read_gexf(io.BytesIO(visual.to_gexf(graph).encode("utf-8")))
    assert gexf.number_of_nodes() == graph.number_of_nodes()


def test_dot_names_every_edge(graph: nx.DiGraph) -> None:
    dot = visual.to_dot(graph)
    assert dot.startswith("digraph ketsugo {")
    edges = [line for line in dot.splitlines() if " -> " in line and "style=invis" not in line]
    assert len(edges) == graph.number_of_edges()  # the header chain (invisible) apart


def test_svg_is_well_formed(graph: nx.DiGraph) -> None:
    root = ET.fromstring(visual.to_svg(graph))
    circles = root.findall(".//{http://www.w3.org/2000/svg}circle")
    assert len(circles) == graph.number_of_nodes()


def test_html_is_self_contained(graph: nx.DiGraph, tmp_path: Path) -> None:
    page = visual.to_html(graph)
    assert "<script src" not in page and "<link" not in page  # nothing fetched when opened offline
    payload = page.split("const DATA = ", 1)[1].split(";\nconst NS", 1)[0]
    data = json.loads(payload)
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
