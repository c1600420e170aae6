"""Both engines of `ketsugo validate` give the same findings: pyshacl report by report, and the
shapes compiled into SPARQL queries over every report at once (ketsugo.check.sparql_engine).

Compared: every case of tests/cases/validate/cases.toml, the bundled report's build (with a
later year and other wards beside it, so cross-report nodes are shared), and every hand-made
variant of tests/cases/variants built leniently into one store. A difference is printed as the
findings only one engine gave.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from ketsugo.check.findings import Finding
from ketsugo.check.sparql_engine import validate_graph_sparql
from ketsugo.check.validate import validate_store
from ketsugo.graph.reference import reference
from ketsugo.sparql.query import open_build

from ._check_support import (
    bundled_alone,
    case_by_pyshacl,
    case_graph,
    variant_metadata,
    variants_build,
    wards_build,
)
from .test_validate import CASE_LIST

Key = tuple[object, ...]


def _key(f: Finding) -> Key:
    return (
        f.report,
        f.focus,
        f.path,
        f.severity,
        f.shape,
        f.message_en,
        f.message_ja,
        f.value,
        f.kind,
        f.line,
    )


def engine_diff(pyshacl: list[Finding], sparql: list[Finding]) -> str:
    """The findings only one engine gave, one a line; empty when both agree."""
    a, b = {_key(f) for f in pyshacl}, {_key(f) for f in sparql}
    lines = [f"pyshacl only: {k}" for k in sorted(a - b, key=str)]
    lines += [f"sparql only:  {k}" for k in sorted(b - a, key=str)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def reference_graph() -> Graph:
    return reference().graph


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_case_same_findings(case: dict, reference_graph: Graph) -> None:
    # pyshacl's findings on the case (validate_graph, with the reference graph): run once per process
    # and case, as tests/test_validate.py checks them against the case's expectations
    by_pyshacl = case_by_pyshacl(case)
    by_sparql, _, left_to_pyshacl = validate_graph_sparql(
        case_graph(case), reference_graph, report_file="case.txt"
    )
    # a case may put a predicate of a repeated path (skos:broader*) in the report too: that shape
    # is then pyshacl's; everything else is compiled
    assert len(left_to_pyshacl) <= 1, left_to_pyshacl
    assert len(by_sparql) == len(by_pyshacl), engine_diff(by_pyshacl, by_sparql)
    assert not engine_diff(by_pyshacl, by_sparql), engine_diff(by_pyshacl, by_sparql)


def _compare(out: Path) -> list[Finding]:
    store = open_build(out, "disk")
    by_pyshacl = validate_store(store, engine="pyshacl", jobs=1).findings
    by_sparql = validate_store(store, engine="sparql").findings
    assert by_sparql, "nothing found: the comparison would prove nothing"
    assert len(by_sparql) == len(by_pyshacl), engine_diff(by_pyshacl, by_sparql)
    assert not engine_diff(by_pyshacl, by_sparql), engine_diff(by_pyshacl, by_sparql)
    return by_sparql


def test_bundled_and_later_years_same_findings() -> None:
    """The bundled report, a later year of the ward (cross-report rows) and two other wards."""
    findings = _compare(wards_build())
    # the bundled report's My Number finding (read by hand: No.12, 特定個人情報 blank) in both wards
    my_number = [f for f in findings if f.shape == "kgsh:MyNumberShape"]
    assert {f.connection for f in my_number} == {12}
    assert len({f.focus.split("/id/")[1].split("/")[0] for f in my_number}) == 2


def test_variants_same_findings() -> None:
    """Every hand-made variant, built leniently into one store."""
    assert len(variant_metadata()) >= 10
    _compare(variants_build())


def test_cli_engines_agree_and_verbose_says_what_ran() -> None:
    import json

    from click.testing import CliRunner

    from ketsugo.cli.main import _register_optional_commands, cli

    _register_optional_commands()
    out = bundled_alone()  # the bundled report as 新宿区 FY2020: only read
    runner = CliRunner()
    answers = {}
    for engine in ("pyshacl", "sparql"):
        result = runner.invoke(
            cli, ["validate", "--store", str(out), "--format", "json", "--engine", engine, "-v"]
        )
        assert result.exit_code == 1, result.output  # the bundled report's My Number violation
        answers[engine] = sorted(
            json.dumps(f, sort_keys=True, ensure_ascii=False) for f in json.loads(result.stdout)
        )
    assert answers["pyshacl"] == answers["sparql"]
    assert "sparql engine:" in result.stderr
    bad = runner.invoke(cli, ["validate", "--store", str(out), "--engine", "fast"])
    assert bad.exit_code == 2
