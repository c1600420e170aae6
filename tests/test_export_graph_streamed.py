"""`ketsugo export graph` in every format on the four cross reports (tests/cases/cross/), against the
connections read by hand from them (the table at the top of tests/cases/cross/expected.toml, written
before ketsugo ran): GraphML and GEXF read back by networkx, DOT's nodes, and the RDF formats
(N-Quads, TriG, JSON-LD made one graph at a time) isomorphic to the build's graph.nq. `--report`
reads only that report's graphs: counted, and with every other report's lines of graph.nq broken.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.export import graphfiles, reportwise, visual
from ketsugo.store.disk import NQUADS, open_store

ID = "https://w3id.org/ketsugo/id/"
REPORTS = ("122033/2021", "122033/2022", "372013/2021", "202029/2022")
# connection → (its categories' slugs, its recipient as written; None: an unnamed LGWAN-ASP vendor),
# from the four reports' text
HAND_READ: dict[str, tuple[set[str], str | None]] = {
    "122033/2021/connection/1": (
        {"name", "address", "date-of-birth", "gender"},
        "地方公共団体情報システム機構",
    ),
    "122033/2021/connection/2": ({"name", "address", "date-of-birth", "my-number"}, "地方税共同機構"),
    "122033/2021/connection/3": ({"name", "date-of-birth", "my-number"}, "株式会社NTTデータ"),
    "122033/2021/connection/4": ({"name", "telephone-number", "email-address"}, None),
    "122033/2022/connection/1": ({"name", "address", "date-of-birth"}, "地方公共団体情報システム機構"),
    "122033/2022/connection/2": ({"name", "my-number"}, "厚生労働省"),
    "372013/2021/connection/1": (
        {"name", "address", "date-of-birth", "gender", "my-number"},
        "地方公共団体情報システム機構",
    ),
    "372013/2021/connection/2": ({"name", "date-of-birth", "telephone-number"}, "株式会社ミライ計算センター"),
    "372013/2021/connection/3": ({"name", "address"}, "厚生労働省"),
    "372013/2021/connection/4": ({"name", "my-number"}, "地方税共同機構"),
    "372013/2021/connection/5": ({"name", "date-of-birth"}, "株式会社NTTデータ"),
    "202029/2022/connection/1": (
        {"name", "address", "date-of-birth", "my-number"},
        "地方公共団体情報システム機構",
    ),
    "202029/2022/connection/2": ({"name", "address", "bank-account"}, "厚生労働省"),
    "202029/2022/connection/3": ({"name", "telephone-number"}, None),
    "202029/2022/connection/4": ({"name", "date-of-birth", "my-number"}, "株式会社ミライ計算センター"),
    "202029/2022/ended-connection/1": ({"name", "address", "date-of-birth"}, "株式会社NTTデータ"),
}


def _export(build: Path, fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["export", "graph", "--store", str(build), "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def _connections(graph: nx.DiGraph[str]) -> dict[str, tuple[set[str], str | None]]:
    """Each connection node's categories (slugs) and recipient (its label as written), keyed as HAND_READ."""
    out = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] != "connection":
            continue
        targets = [graph.nodes[t] for t in graph.successors(node)]
        slugs = {t["slug"] for t in targets if t["kind"] == "category"}
        recipients = [t for t in targets if t["kind"] == "recipient"]
        assert len(recipients) == 1, node
        written = recipients[0].get("label_as_written", recipients[0]["label"])
        out[node.removeprefix(ID)] = (slugs, None if recipients[0].get("unnamed") else written)
        if recipients[0].get("unnamed"):
            assert "LGWAN-ASP" in written
    return out


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_hold_every_connection_read_by_hand(cross_build: Path, fmt: str) -> None:
    text = _export(cross_build, fmt)
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    graph = read(io.BytesIO(text.encode("utf-8")))
    assert graph.is_directed()
    assert _connections(graph) == HAND_READ
    kinds = {d["kind"] for d in graph.nodes.values()}
    assert kinds == set(visual.LAYERS)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_read_back_as_networkx_writes_them(cross_build: Path, fmt: str) -> None:
    """The hand-written files say what networkx's own writers say: the same nodes, attributes
    (with their types) and edges once read back."""
    graph = visual.flow_graph(open_store(cross_build), cross_build)
    ours, theirs = io.BytesIO(), io.BytesIO()
    ours.write("".join(getattr(graphfiles, f"{fmt}_pieces")(graph)).encode("utf-8"))
    getattr(nx, f"write_{fmt}")(graph, theirs)
    read = getattr(nx, f"read_{fmt}")
    mine, reference = read(io.BytesIO(ours.getvalue())), read(io.BytesIO(theirs.getvalue()))
    assert dict(mine.nodes(data=True)) == dict(reference.nodes(data=True))
    assert {(a, b): d for a, b, d in mine.edges(data=True)} == {
        (a, b): {k: v for k, v in d.items() if k != "id"} | ({"id": d["id"]} if "id" in d else {})
        for a, b, d in reference.edges(data=True)
    }


def test_graph_files_escape_what_xml_reserves() -> None:
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_node('a&"<b>', kind="department", label="R&D <課> \"x\" 'y'", number=3, share=0.5, flag=True)
    graph.add_node("c", kind="agency", label="c")
    graph.add_edge('a&"<b>', "c", relation="unit of")
    for fmt in ("graphml", "gexf"):
        text = "".join(getattr(graphfiles, f"{fmt}_pieces")(graph))
        back = getattr(nx, f"read_{fmt}")(io.BytesIO(text.encode("utf-8")))
        assert back.nodes['a&"<b>']["label"] == "R&D <課> \"x\" 'y'"
        assert back.nodes['a&"<b>']["number"] == 3 and back.nodes['a&"<b>']["flag"] is True
        assert back.edges['a&"<b>', "c"]["relation"] == "unit of"


def test_dot_draws_every_connection(cross_build: Path) -> None:
    dot = _export(cross_build, "dot")
    drawn = [line for line in dot.splitlines() if 'tooltip="connection"' in line]
    assert len(drawn) == len(HAND_READ)


def _canonical(quads: Any) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG), ("jsonld", ox.RdfFormat.JSON_LD)],
)
def test_rdf_formats_are_the_dataset_of_graph_nq(
    cross_build: Path, fmt: str, rdf_format: ox.RdfFormat
) -> None:
    text = _export(cross_build, fmt)
    exported = _canonical(ox.parse(text.encode("utf-8"), format=rdf_format))
    built = _canonical(ox.parse(path=str(cross_build / NQUADS), format=ox.RdfFormat.N_QUADS))
    assert exported == built
    graphs = {q.graph_name for q in exported}
    for report in REPORTS:
        assert ox.NamedNode(f"https://w3id.org/ketsugo/graph/{report}") in graphs


def test_jsonld_is_one_object_per_named_graph(cross_build: Path) -> None:
    """An expanded JSON-LD document: an array of {"@id", "@graph"} objects, one per named graph as
    graph.nq holds it (a graph written in two places, as the reference graph may be, in two objects:
    JSON-LD merges them)."""
    import json

    document = json.loads(_export(cross_build, "jsonld"))
    ids = [item["@id"] for item in document if "@graph" in item]
    reports = [i for i in ids if i.rsplit("/", 2)[-2].isdigit()]
    assert sorted(reports) == sorted(f"https://w3id.org/ketsugo/graph/{r}" for r in REPORTS)
    assert "https://w3id.org/ketsugo/graph/reference" in ids


def test_report_reads_only_that_reports_graphs(cross_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[set[str]] = []
    real = visual.report_graph_rows

    def counted(store: ox.Store, graphs: list[ox.NamedNode] | None) -> Any:
        asked.append({g.value for g in graphs or []})
        return real(store, graphs)

    monkeypatch.setattr(visual, "report_graph_rows", counted)
    monkeypatch.setattr(reportwise, "PARALLEL_FROM", 10**6)  # in this process, where it is counted
    graph = nx.read_graphml(io.BytesIO(_export(cross_build, "graphml", "--report", "122033/2022").encode()))
    assert len(asked) == 1
    reports = {g for g in asked[0] if "/graph/" in g and g.rsplit("/", 2)[-2].isdigit()}
    assert reports == {"https://w3id.org/ketsugo/graph/122033/2022"}
    expected = {k: v for k, v in HAND_READ.items() if k.startswith("122033/2022/")}
    assert _connections(graph) == expected


def test_report_in_workers_never_reads_the_other_reports(
    cross_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every other report's lines of graph.nq made unreadable (their graph names kept): the
    selected report still exports, so nothing of the others was parsed."""
    build = tmp_path / "build"
    shutil.copytree(cross_build, build)
    kept = b"<https://w3id.org/ketsugo/graph/372013/2021> .\n"
    lines = (build / NQUADS).read_bytes().splitlines(keepends=True)
    broken = [
        line
        if line.endswith(kept) or b"/graph/" not in line or b"/graph/reference" in line
        else _broken(line)
        for line in lines
    ]
    assert broken != lines
    (build / NQUADS).write_bytes(b"".join(broken))
    monkeypatch.setattr(reportwise, "PARALLEL_FROM", 1)
    store = open_store(build)
    graph = visual.flow_graph(
        store, build, jobs=2, reports=["https://w3id.org/ketsugo/id/report/372013/2021"]
    )
    expected = {k: v for k, v in HAND_READ.items() if k.startswith("372013/2021/")}
    assert _connections(graph) == expected
    with pytest.raises(SyntaxError):  # the broken lines do break a reading of every report
        visual.flow_graph(store, build, jobs=2)


def _broken(line: bytes) -> bytes:
    """A line pyoxigraph cannot parse that still ends with its graph's name."""
    return b'<x> <y> "unterminated ' + line[line.rfind(b" <", 0, len(line) - 3) :]


def test_unknown_report_is_refused_before_any_graph(cross_build: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["export", "graph", "--store", str(cross_build), "--format", "graphml", "--report", "999999/2020"],
    )
    assert result.exit_code == 2
    assert "unknown report: '999999/2020'" in result.output
    assert "122033/2022" in result.output  # the known ones listed


def test_jsonld_of_graphs_too_large_to_hold_spools_them_and_leaves_no_file(
    cross_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graph larger than GRAPH_HELD_BYTES goes through a temporary file (a national report graph
    can be large): the same dataset comes out, and no temporary file is left behind."""
    import glob
    import tempfile

    from ketsugo.export import dataset

    monkeypatch.setattr(dataset, "GRAPH_HELD_BYTES", 1024)  # every graph here is larger
    before = set(glob.glob(str(Path(tempfile.gettempdir()) / "*.nq")))
    text = _export(cross_build, "jsonld")
    exported = _canonical(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.JSON_LD))
    built = _canonical(ox.parse(path=str(cross_build / NQUADS), format=ox.RdfFormat.N_QUADS))
    assert exported == built
    assert set(glob.glob(str(Path(tempfile.gettempdir()) / "*.nq"))) == before
