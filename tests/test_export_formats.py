"""`ketsugo export graph` in every format, each read back by a parser of its own and checked for
content read by hand from the bundled report (data/reports/shinjuku-2020-gaibu-ketsugo.txt):

- No.2 (line 22) goes to 地方公共団体情報システム機構 (J-LIS);
- No.6 (line 30), 新宿区博物館資料データベースの運用, goes to 早稲田システム開発株式会社;
- No.12 (line 40) goes to 内閣官房 (the Cabinet Secretariat).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef

from ketsugo.cli.main import GRAPH_FORMATS, cli

ID = "https://w3id.org/ketsugo/id/"
DPV = "https://w3id.org/dpv#"
KG = "https://w3id.org/ketsugo#"
REPORT_GRAPH = URIRef("https://w3id.org/ketsugo/graph/131041/2020")
CONNECTION = ID + "131041/2020/connection/{}"
HAND_READ = {
    2: (URIRef(ID + "org/j-lis"), "地方公共団体情報システム機構"),
    6: (URIRef(ID + "org/waseda-system"), "早稲田システム開発株式会社"),
    12: (URIRef(ID + "org/cabinet-secretariat"), "内閣官房"),
}
MUSEUM = "新宿区博物館資料データベースの運用"


@pytest.fixture(scope="module")
def exported(bundled_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    files = {}
    runner = CliRunner()
    for fmt in GRAPH_FORMATS:
        target = out / f"graph.{fmt}"
        result = runner.invoke(
            cli, ["export", "graph", "--store", str(bundled_build), "--format", fmt, "-o", str(target)]
        )
        assert result.exit_code == 0, (fmt, result.output)
        files[fmt] = target
    return files


def test_every_format_is_tested() -> None:
    assert set(GRAPH_FORMATS) == {"graphml", "gexf", "dot", "svg", "html", "trig", "nquads", "jsonld"}


def _check_flow_graph(graph: nx.DiGraph) -> None:
    """Each hand-read connection has an edge to its recipient, found by the recipient's label."""
    labels = {node: data.get("label", "") for node, data in graph.nodes(data=True)}
    for number, (iri, name) in HAND_READ.items():
        connection = CONNECTION.format(number)
        assert connection in graph, number
        assert str(iri) in graph.successors(connection), (number, list(graph.successors(connection)))
        assert labels[str(iri)] == name
    assert MUSEUM in labels[CONNECTION.format(6)]


def test_graphml(exported: dict[str, Path]) -> None:
    _check_flow_graph(nx.read_graphml(exported["graphml"]))


def test_gexf(exported: dict[str, Path]) -> None:
    _check_flow_graph(nx.read_gexf(exported["gexf"]))


def test_dot(exported: dict[str, Path]) -> None:
    text = exported["dot"].read_text(encoding="utf-8")
    assert text.startswith("digraph ketsugo {") and text.rstrip().endswith("}")
    for number, (iri, name) in HAND_READ.items():
        assert f'"{iri}" [label="{name}"' in text, name
        assert f'"{CONNECTION.format(number)}" -> "{iri}"' in text, number


def test_svg(exported: dict[str, Path]) -> None:
    root = ET.parse(exported["svg"]).getroot()
    svg = "{http://www.w3.org/2000/svg}"
    titles = [title.text for title in root.iter(f"{svg}title")]
    texts = [text.text for text in root.iter(f"{svg}text")]
    for _, (_iri, name) in HAND_READ.items():  # each node's full label (ja / en) is its tooltip (title)
        assert any(title and (title == name or title.startswith(f"{name} / ")) for title in titles)
        assert any(text and name.startswith(text.rstrip("…")) for text in texts)


def test_html(exported: dict[str, Path]) -> None:
    page = exported["html"].read_text(encoding="utf-8")
    data = json.loads(page.split("const DATA = ", 1)[1].split(";\nconst NS", 1)[0])
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    edges = {(edge["source"], edge["target"]) for edge in data["edges"]}
    for number, (iri, name) in HAND_READ.items():
        assert labels[str(iri)] == name
        assert (CONNECTION.format(number), str(iri)) in edges


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")]
)
def test_rdf_dataset(exported: dict[str, Path], fmt: str, rdf_format: str) -> None:
    dataset = Dataset()
    dataset.parse(exported[fmt], format=rdf_format)
    report = dataset.graph(REPORT_GRAPH)
    for number, (iri, _) in HAND_READ.items():
        assert (URIRef(CONNECTION.format(number)), URIRef(DPV + "hasRecipient"), iri) in report, number
    assert (URIRef(CONNECTION.format(6)), URIRef(KG + "businessName"), Literal(MUSEUM, lang="ja")) in report
    reference = dataset.graph(URIRef("https://w3id.org/ketsugo/graph/reference"))
    labels = set(reference.objects(HAND_READ[12][0], URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")))
    assert Literal("内閣官房", lang="ja") in labels


def test_imi_profile_of_the_jsonld_export(bundled_build: Path) -> None:
    """`export graph --format jsonld --profile imi` (issue 14): IMI terms, the ward by name."""
    from click.testing import CliRunner

    from ketsugo.cli.main import cli

    result = CliRunner().invoke(
        cli, ["export", "graph", "--store", str(bundled_build), "--format", "jsonld", "--profile", "imi"]
    )
    assert result.exit_code == 0, result.output
    assert "新宿区" in result.output and "imi.go.jp/ns/core" in result.output
    wrong = CliRunner().invoke(cli, ["export", "graph", "--store", str(bundled_build), "--profile", "imi"])
    assert wrong.exit_code == 2
