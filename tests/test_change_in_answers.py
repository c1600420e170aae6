"""A change row (変更No.1 of tests/cases/user10b/kamikatsu-2024: デジタル庁 receives 生年月日 from the
date of the change, 令和6年11月1日, read by hand in expected.toml [[change]]) in the date-of-birth
answer: listed as 変更No.1 with the date of the change, not counted as a connection. It was shown as
「No.1 ?〜」, like new No.1 (地方公共団体情報システム機構) beside it, and counted as one connection."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.sparql.catalogue import get
from ketsugo.sparql.query import LocalBackend, run_catalogue_query
from ketsugo.store.disk import open_store

CASE = Path(__file__).parent / "cases" / "user10b" / "kamikatsu-2024"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("change-answers") / "build"
    result = CliRunner().invoke(
        cli, ["build", str(CASE / "report.html"), "--municipality", "363022", "--out", str(out), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def test_the_change_is_listed_as_a_change_with_its_date(built: tuple[Path, str]) -> None:
    out, _ = built
    outcome = run_catalogue_query(
        LocalBackend(open_store(out)), get("recipients-of-category"), {"category": "生年月日"}
    )
    rows = {row["recipient_label"]: row for row in outcome.records()}
    digital = rows["デジタル庁"]
    assert digital["connections"] == 0  # a change is no connection of its own
    assert digital["connection_list"] == "上勝町2024年度 変更No.1"
    assert digital["periods"] == "上勝町2024年度 変更No.1 2024-11-01変更"
    jlis = rows["地方公共団体情報システム機構"]
    assert jlis["connections"] == 1 and jlis["connection_list"] == "上勝町2024年度 No.1"


def test_the_build_summary_says_it_is_only_a_change(built: tuple[Path, str]) -> None:
    _, output = built
    line = next(line for line in output.splitlines() if "デジタル庁" in line)
    assert "変更No.1" in line and "2024-11-01" in line
    assert "0 connection" not in line and "start date not given" not in line
