"""Continuing connections (継続 rows of a register, kg:ContinuingConnection) in the flow graph.

tests/cases/user12c/kumamoto-2022 is an open-data register whose 区分 column marks the rows 3, 9,
13, 17 and 22 継続 (read by hand from report.csv). `export graph --status continuing` must draw
those five and no other connection; `--status new` none of them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

CASE = Path(__file__).parent / "cases" / "user12c" / "kumamoto-2022"
CONTINUING = {3, 9, 13, 17, 22}  # the 継続 rows of report.csv, by their ID column
NEW = {1, 2, 4, 5, 7, 8, 11, 12, 14, 16, 18, 20, 21, 23}  # the 新規 rows


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _register_optional_commands()
    out = tmp_path_factory.mktemp("kumamoto") / "build"
    args = ["build", str(CASE / "report.csv"), "--municipality", "431001", "--out", str(out), "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    _printed[out] = result.output
    return out


_printed: dict[Path, str] = {}


def test_build_counts_continuing_rows_apart(built: Path) -> None:
    """24 rows: 14 新規, 5 継続, 5 廃止 (report.csv's 区分 column); a continuing row is not ended."""
    assert "24 connections (14 new, 5 continuing, 5 ended)" in _printed[built]
    report = json.loads((built / "build.json").read_text(encoding="utf-8"))["reports"][0]
    assert report["continuing_connections"] == 5


def _drawn(built: Path, status: str, tmp_path: Path) -> dict[int, str]:
    target = tmp_path / f"{status}.graphml"
    args = [
        "export",
        "graph",
        "--store",
        str(built),
        "--format",
        "graphml",
        "--status",
        status,
        "-o",
        str(target),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(target)
    return {
        int(node.rsplit("/", 1)[-1]): data["status"]
        for node, data in graph.nodes(data=True)
        if data.get("kind") == "connection"
    }


def test_status_continuing_draws_the_register_rows_in_force(built: Path, tmp_path: Path) -> None:
    assert _drawn(built, "continuing", tmp_path) == dict.fromkeys(CONTINUING, "continuing")


def test_status_new_leaves_them_out(built: Path, tmp_path: Path) -> None:
    assert _drawn(built, "new", tmp_path) == dict.fromkeys(NEW, "new")


def test_answers_name_a_continuing_connection_as_such(built: Path) -> None:
    """J-LIS receives 生年月日 by the new No.1 and by the continuing No.22 (住民基本台帳ネットワーク
    システム, since 2002-08-05): the answer must say which is which, as it marks 終了No."""
    args = [
        "query",
        "recipients-of-category",
        "-p",
        "category=生年月日",
        "--store",
        str(built),
        "--format",
        "csv",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    row = next(
        r
        for r in csv.DictReader(io.StringIO(result.output))
        if r["recipient_label"] == "地方公共団体情報システム機構"
    )
    assert row["connection_list"] == "熊本市2022年度 No.1, 熊本市2022年度 継続No.22"
