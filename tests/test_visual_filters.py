"""Filters of `ketsugo export graph` (and visual.filter_graph), against the bundled report read by hand.

From data/reports/shinjuku-2020-gaibu-ketsugo.txt: 生年月日 is listed on No.1, 2, 3, 9, 11, 12,
13, 15, 16; the 特定個人情報 column has ○ on No.4, 8, 9, 13, 16, and No.12 lists マイナンバー;
総務課 runs No.1, 2, 3; the national bodies are 厚生労働省 (No.11) and 内閣官房 (No.12); every
connection is new (section 2); No.17 started H18.6.1 (2006), all others in R2 (2020).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.export import visual
from ketsugo.store.disk import open_store


@pytest.fixture(scope="module")
def built(bundled_build: Path) -> Path:
    return bundled_build


@pytest.fixture(scope="module")
def graph(built: Path) -> nx.DiGraph:
    return visual.flow_graph(open_store(built))


def numbers(graph: nx.DiGraph) -> set[int]:
    return {int(d["number"]) for d in graph.nodes.values() if d["kind"] == "connection"}


def labels(graph: nx.DiGraph, kind: str) -> set[str]:
    return {d["label"] for d in graph.nodes.values() if d["kind"] == kind}


DATE_OF_BIRTH = {1, 2, 3, 9, 11, 12, 13, 15, 16}


@pytest.mark.parametrize("name", ["生年月日", "date of birth", "Date Of Birth", "ＤＡＴＥ　ＯＦ　ＢＩＲＴＨ"])
def test_category_by_label_in_either_language(graph: nx.DiGraph, name: str) -> None:
    only = visual.filter_graph(graph, visual.FlowFilter(categories=(name,)))
    assert numbers(only) == DATE_OF_BIRTH
    assert labels(only, "category") == {"生年月日"}  # the category column narrows to what was asked


def test_category_by_slug(graph: nx.DiGraph) -> None:
    slug = next(
        d["slug"] for d in graph.nodes.values() if d["kind"] == "category" and d["label"] == "生年月日"
    )
    assert numbers(visual.filter_graph(graph, visual.FlowFilter(categories=(slug,)))) == DATE_OF_BIRTH


def test_my_number_only(graph: nx.DiGraph) -> None:
    assert numbers(visual.filter_graph(graph, visual.FlowFilter(my_number=True))) == {4, 8, 9, 12, 13, 16}


def test_sensitive_only_keeps_only_flagged_categories(graph: nx.DiGraph) -> None:
    only = visual.filter_graph(graph, visual.FlowFilter(sensitive=True))
    assert {"個人番号", "診療"} <= labels(only, "category")
    assert "生年月日" not in labels(only, "category") and "氏名" not in labels(only, "category")
    assert all(d.get("sensitive") for d in only.nodes.values() if d["kind"] == "category")


@pytest.mark.parametrize(
    "kind", ["国の機関", "NationalGovernmentBody", "national government body", "National government"]
)
def test_counterparty_kind(graph: nx.DiGraph, kind: str) -> None:
    only = visual.filter_graph(graph, visual.FlowFilter(kinds=(kind,)))
    assert labels(only, "recipient") == {"厚生労働省", "内閣官房"}
    assert numbers(only) == {11, 12}


def test_unnamed_kind(graph: nx.DiGraph) -> None:
    only = visual.filter_graph(graph, visual.FlowFilter(kinds=("unnamed",)))
    assert numbers(only) == {1, 3, 4, 7, 9, 14, 15, 18, 19}


def test_department_and_year_and_status(graph: nx.DiGraph) -> None:
    assert numbers(visual.filter_graph(graph, visual.FlowFilter(departments=("総務課",)))) == {1, 2, 3}
    assert numbers(visual.filter_graph(graph, visual.FlowFilter(until=2019))) == {17}
    assert numbers(visual.filter_graph(graph, visual.FlowFilter(since=2020))) == set(range(1, 23)) - {17}
    assert numbers(visual.filter_graph(graph, visual.FlowFilter(status="ended"))) == set()
    assert len(numbers(visual.filter_graph(graph, visual.FlowFilter(status="new")))) == 22


def test_filters_combine(graph: nx.DiGraph) -> None:
    both = visual.FlowFilter(categories=("生年月日",), my_number=True)
    assert numbers(visual.filter_graph(graph, both)) == DATE_OF_BIRTH & {4, 8, 9, 12, 13, 16}


def test_unknown_names_are_errors_not_empty_drawings(graph: nx.DiGraph) -> None:
    for bad in (
        visual.FlowFilter(categories=("no such category",)),
        visual.FlowFilter(kinds=("martians",)),
        visual.FlowFilter(departments=("宇宙課",)),
        visual.FlowFilter(reports=("https://example.org/none",)),
    ):
        with pytest.raises(ValueError):
            visual.filter_graph(graph, bad)


def test_cli_export_graph_filters(built: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["export", "graph", "--store", str(built), "--format", "dot", "--category", "date of birth"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count('tooltip="connection"') == len(DATE_OF_BIRTH)
    result = runner.invoke(
        cli,
        [
            "export",
            "graph",
            "--store",
            str(built),
            "--format",
            "graphml",
            "--my-number",
            "--kind",
            "国の機関",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "内閣官房" in result.output and "厚生労働省" not in result.output  # No.11 has no My Number
    result = runner.invoke(cli, ["export", "graph", "--store", str(built), "--category", "nonsense"])
    assert result.exit_code == 2
    assert "unknown category" in result.output
    result = runner.invoke(
        cli, ["export", "graph", "--store", str(built), "--report", "latest", "--format", "dot"]
    )
    assert result.exit_code == 0 and result.output.count('tooltip="connection"') == 22
