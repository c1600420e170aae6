"""`ketsugo diff` of a council member's two reports of 多治見市 (tests/cases/user18): FY2023 as an
Excel workbook, FY2024 as a web page in another clerk's template (部 before each 課, (株) for
株式会社, half-width letters). What diff must say is tests/cases/user18/tajimi-2023-2024/
expected-diff.toml, read by hand from the two reports before ketsugo was run on them."""

from __future__ import annotations

import json
import tomllib

from click.testing import CliRunner

from ketsugo.cli.main import cli
from tests.conftest import CASES

HERE = CASES / "user18"
EXPECTED = tomllib.loads((HERE / "tajimi-2023-2024" / "expected-diff.toml").read_text(encoding="utf-8"))


def _diff(*more: str) -> list[dict]:
    report = EXPECTED["report"]
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            str(HERE / report["earlier"]),
            str(HERE / report["later"]),
            "--municipality",
            report["municipality_code"],
            "--format",
            "json",
            *more,
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_diff_names_new_and_ended_connections_and_the_earlier_ones_they_end() -> None:
    got = [(c["change"], c["later_number"], c["earlier_number"], c["business"]) for c in _diff()]
    wanted = [
        (c["change"], c["later_number"], c.get("earlier_number"), c["business"]) for c in EXPECTED["change"]
    ]
    assert got == wanted


def test_the_ended_rows_name_both_years_counterparties_as_written() -> None:
    got = {
        c["later_number"]: (c["earlier_counterparty"], c["later_counterparty"])
        for c in _diff()
        if c["change"] == "ended"
    }
    for c in EXPECTED["change"]:
        if c["change"] == "ended" and "earlier_counterparty" in c:
            assert got[c["later_number"]] == (c["earlier_counterparty"], c["later_counterparty"])


def test_the_continuing_connections_are_neither_new_nor_ended() -> None:
    matched = {c["earlier_number"] for c in _diff() if c["earlier_number"] is not None}
    assert not matched & set(EXPECTED["report"]["continuing"])


def test_continuing_lists_the_earlier_connections_still_in_force() -> None:
    got = [c["earlier_number"] for c in _diff("--continuing") if c["change"] == "continuing"]
    assert got == EXPECTED["report"]["continuing"]
