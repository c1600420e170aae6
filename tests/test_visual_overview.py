"""The static overview (departments → categories → recipients) for print and slides, SVG and PNG."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.export import overview, visual
from ketsugo.store.disk import open_store

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def built(bundled_build: Path) -> Path:
    return bundled_build


@pytest.fixture(scope="module")
def graph(built: Path) -> nx.DiGraph:
    return visual.flow_graph(open_store(built))


def test_overview_groups_unnamed_vendors_and_marks_sensitive_flows(graph: nx.DiGraph) -> None:
    root = ET.fromstring(overview.overview_svg(graph, "t"))
    texts = [t.text or "" for t in root.iter(f"{NS}text")]
    # eight unnamed LGWAN-ASP providers in the report (No.1, 3, 4, 7, 9, 14, 15, 19): one box with a count
    assert "LGWAN-ASPサービス提供者 ×8" in texts
    assert "総務課" in texts and "生年月日" in texts and "内閣官房" in texts
    fills = [p.get("fill") for p in root.iter(f"{NS}path")]
    assert visual.SENSITIVE in fills  # e.g. 個人番号 to 内閣官房 (No.12)
    assert any("要配慮個人情報" in t for t in texts)  # the legend


def test_overview_counts_connections(graph: nx.DiGraph) -> None:
    units = overview.flows(graph)
    # 個人番号 is listed on No.12 (マイナンバー; 保健予防課 → 内閣官房) and No.16 (個人番号（マイナンバー）;
    # 医療保険年金課 → 国民健康保険中央会), once each
    my_number = {
        (graph.nodes[d]["label"], graph.nodes[r]["label"]): n
        for (d, c, r), n in units.items()
        if graph.nodes[c]["label"] == "個人番号"
    }
    assert my_number == {
        ("保健予防課", "内閣官房"): 1,
        ("医療保険年金課", "公益社団法人国民健康保険中央会"): 1,
    }


def test_overview_png_renders(graph: nx.DiGraph) -> None:
    svg = overview.overview_svg(graph, "t")
    png = overview.overview_png(svg)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    root = ET.fromstring(svg)
    assert width == 2 * int(root.get("width")) and height == 2 * int(root.get("height"))


def test_cli_export_overview(built: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "overview.png"
    result = runner.invoke(
        cli, ["export", "overview", "--store", str(built), "--format", "png", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG"
    result = runner.invoke(cli, ["export", "overview", "--store", str(built), "--sensitive"])
    assert result.exit_code == 0 and result.output.startswith("<svg")
    assert "新宿区 2020年度" in result.output
