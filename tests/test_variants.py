"""Hand-made report variants (tests/cases/variants): build strictly, match field by field, validate.

The expectations were read by hand from each report before ketsugo was run on it (format and
the readings a tool could make two ways: tests/cases/variants/README.md). The checks live in
scripts/score_variants.py, which also prints the score; here each variant is one test whose
failure lists every wrong field with both values.

Every variant must build strictly, match every field and validate as expected.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("score_variants", ROOT / "scripts" / "score_variants.py")
score = importlib.util.module_from_spec(_SPEC)
sys.modules["score_variants"] = score
_SPEC.loader.exec_module(score)

NAMES = score.case_names()
TOTAL_ROWS = {"合計", "計"}


@cache
def checked(name: str):
    return score.check_case(name, validate=True)


def _report(checks) -> str:
    return "\n".join(c.line() for c in checks)


# --- the yardstick itself: always green -----------------------------------------------------------


def test_there_are_ten_variants() -> None:
    assert len(NAMES) >= 10


@pytest.mark.parametrize("name", NAMES)
def test_expectation_is_complete_and_consistent(name: str) -> None:
    """Every connection has every field; codes are real; clean variants add up by hand."""
    expected = score.load_expected(name)
    folder = score.CASES / name
    assert (folder / "report.txt").is_file()
    vocab = ROOT / "data/vocab/local-gov-code"
    cities = json.loads((vocab / "cities.json").read_text(encoding="utf-8"))
    prefectures = json.loads((vocab / "prefectures.json").read_text(encoding="utf-8"))
    codes = {c["code"]: c["city_name"] for c in cities} | {p["code"]: p["name"] for p in prefectures}
    if (folder / "report.toml").is_file():
        import tomllib

        code = tomllib.loads((folder / "report.toml").read_text(encoding="utf-8"))["report"][
            "municipality_code"
        ]
    else:
        code = expected["report"]["municipality_code"]
    assert code in codes
    assert codes[code] in (folder / "report.txt").read_text(encoding="utf-8")
    required = {"status", "number", "departments", "agency", "business", "reason", "subjects", "items"}
    required |= {"specific", "council", "counterparties"}
    connections = expected["connection"]
    assert sum(c["status"] == "new" for c in connections) <= 12  # a report may list no new rows (該当なし)
    for row in connections:
        assert required <= row.keys(), (row["number"], required - row.keys())
        assert ("start_date" in row) == (row["status"] == "new")
        assert ("end_date" in row) == (row["status"] == "ended")
        for party in row["counterparties"]:
            kinds = [party["kind"]] if isinstance(party["kind"], str) else party["kind"]
            assert set(kinds) <= {*score.KINDS, "unnamed"}
    if expected["report"]["validate_exit"] == 0:
        _adds_up(expected)


def _adds_up(expected: dict) -> None:
    rows = expected.get("summary", [])
    if not rows:  # a report with no summary table (oarai-2021): nothing to add up
        return
    agencies = [r for r in rows if r["agency"] not in TOTAL_ROWS]
    (total,) = [r for r in rows if r["agency"] in TOTAL_ROWS]
    for row in rows:
        assert row["a"] + row["b"] - row["c"] == row["current"], row
    for column in ("a", "b", "c", "current", "specific"):
        assert sum(r[column] for r in agencies) == total[column], column
    listed = Counter((c["status"], c["agency"]) for c in expected["connection"])
    for row in agencies:
        assert listed[("new", row["agency"])] == row["b"], row["agency"]
        assert listed[("ended", row["agency"])] == row["c"], row["agency"]


def test_harness_sees_a_wrong_kind_and_a_wrong_party() -> None:
    got = [{"node": "x", "names": {score.key("株式会社ＡＢＣ")}, "kinds": ["PrivateCompany"]}]
    assert score._match_parties([{"name": "株式会社ABC"}], got) == [0]
    assert score._match_parties([{"name": "株式会社XYZ"}], got) == [None]
    assert score._kind_ok(["LocalJointCorporation", "PublicBody"], ["PublicBody"])
    assert not score._kind_ok("PrivateCompany", ["UnresolvedCounterparty"])
    wanted = [{"law": "住民基本台帳法", "article": "30の9"}]
    cited = [{"names": {"住民基本台帳法"}, "article": "30の9", "paragraph": None, "item": None}]
    assert score._statutes_match(wanted, cited)
    assert not score._statutes_match(wanted, [{**cited[0], "article": "30"}])


# --- the variants against ketsugo --------------------------------------------------------------


# Known misses, each a reading ketsugo does not make yet (tests/cases/variants/README.md):
KNOWN_MISSES: dict[str, str] = {}


def _known(name: str) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[name])] if name in KNOWN_MISSES else []


@pytest.mark.parametrize("name", [pytest.param(n, marks=_known(n)) for n in NAMES])
def test_variant_fields(name: str) -> None:
    result = checked(name)
    assert not result.error, f"build failed: {result.error}"
    wrong = [c for c in result.wrong() if c.where not in ("findings", "diff")]
    assert not wrong, f"{len(wrong)} of {result.total} fields wrong:\n{_report(wrong)}"


@pytest.mark.parametrize("name", [pytest.param(n, marks=_known(n)) for n in NAMES])
def test_variant_validate(name: str) -> None:
    """`ketsugo validate` exits 0 on a clean variant and names each planted fault."""
    result = checked(name)
    assert not result.error, f"build failed: {result.error}"
    wrong = [c for c in result.wrong() if c.where == "findings"]
    assert not wrong, _report(wrong)


def test_hand_checked_diff() -> None:
    """shinjuku-2021 against the bundled FY2020 report: new, ended and changed connections."""
    result = checked("shinjuku-2021")
    wrong = [c for c in result.checks if c.where == "diff" and not c.ok]
    assert not wrong, _report(wrong)
