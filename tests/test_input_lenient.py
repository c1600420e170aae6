"""--lenient: every problem becomes a kg:ParseIssue in the report's graph, and whatever could
be read is still there. Nothing is skipped without a finding that holds it as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.graph.reference import reference
from ketsugo.graph.vocab import KG
from ketsugo.pipeline import ReportBuild, build_report
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.parser import parse_report
from tests.conftest import CASES

MALFORMED = CASES / "malformed"
CONNECTION = "https://w3id.org/ketsugo/id/131041/2020/connection/{}"
REPORT = URIRef("https://w3id.org/ketsugo/id/report/131041/2020")


def _lenient(path: Path) -> ReportBuild:
    return build_report(metadata_from_options(path, "131041", 2020), reference(), lenient=True)


def _findings(graph: Graph) -> list[tuple[int, str, str, str, str]]:
    """(line, severity, field, message, as written) of every ParseIssue, in line order."""
    rows = []
    for node in graph.objects(REPORT, KG.hasIssue):
        assert (node, RDF.type, KG.ParseIssue) in graph

        def value(prop: URIRef, node: URIRef = node) -> str:
            # a message is stored in English (@en) and, where translated, Japanese (@ja): the English
            found = [
                o
                for o in graph.objects(node, prop)
                if prop != KG.message or getattr(o, "language", None) in (None, "en")
            ]
            return "" if not found else str(found[0])

        rows.append(
            (
                int(value(KG.sourceLine) or 0),
                value(KG.severity),
                value(KG.field),
                value(KG.message),
                value(KG.asWritten),
            )
        )
    return sorted(rows)


def _one(graph: Graph, subject: URIRef, prop: URIRef) -> Literal | None:
    values = list(graph.objects(subject, prop))
    assert len(values) <= 1, f"{subject} has {len(values)} values of {prop}"
    return values[0] if values else None


@pytest.fixture(scope="module")
def several() -> ReportBuild:
    return _lenient(MALFORMED / "several-problems.txt")


def test_strict_mode_stops_on_the_same_file() -> None:
    with pytest.raises(InputError):
        parse_report((MALFORMED / "several-problems.txt").read_text(encoding="utf-8"), "r.txt")


def test_each_problem_is_a_parse_issue(several: ReportBuild) -> None:
    errors = [f for f in _findings(several.result.graph) if f[1] == "error"]
    assert [(line, field, message) for line, _, field, message, _ in errors] == [
        (16, "結合の開始年月日", "impossible date 'R2.2.30': day must be in 1..29 in February 2020"),
        (
            17,
            "結合の開始年月日",
            "too few fields: 9 where the connection header row (line 15) has 10; missing 結合の開始年月日",
        ),
        (
            19,
            "No.",
            "duplicate connection number 3: already used at line 18; this row is kept only in this finding",
        ),
        (
            20,
            "特定個人情報の有無",
            "expected a mark of yes (○, 有, あり …) or of no (a blank, 無, なし, ― …) as headers.toml [specific_personal_information] lists them, found '有り？'",
        ),
    ]
    assert [i for i in several.report.issues if i.severity == "error"] == [
        i for i in several.report.issues if i.severity == "error" and i.line in (16, 17, 19, 20)
    ]


def test_row_with_a_bad_date_keeps_its_connection(several: ReportBuild) -> None:
    g = several.result.graph
    first = URIRef(CONNECTION.format(1))
    assert _one(g, first, KG.connectionNumber) == Literal(1)
    assert _one(g, first, KG.startDate) is None
    assert str(_one(g, first, KG.startDateAsWritten)) == "R2.2.30"
    assert _one(g, first, KG.sourceLine) == Literal(16)
    assert len(list(g.objects(first, KG.hasDataItem))) == 6


def test_short_row_keeps_what_it_has(several: ReportBuild) -> None:
    g = several.result.graph
    second = URIRef(CONNECTION.format(2))
    assert str(_one(g, second, KG.businessName)) == "特別区民税・都民税・軽自動車税"
    assert str(_one(g, second, KG.counterpartiesAsWritten)) == "LGWAN-ASPサービス事業者"
    assert _one(g, second, KG.startDate) is None
    assert str(_one(g, second, KG.startDateAsWritten)) == ""


def test_duplicate_number_keeps_the_first_row_and_the_second_as_written(several: ReportBuild) -> None:
    g = several.result.graph
    third = URIRef(CONNECTION.format(3))
    assert _one(g, third, KG.sourceLine) == Literal(18)
    assert "学習成果物" not in str(_one(g, third, KG.itemsAsWritten))
    finding = next(f for f in _findings(g) if f[0] == 19)
    row = (MALFORMED / "several-problems.txt").read_text(encoding="utf-8").split("\n")[18]
    assert finding[4] == row and "学習成果物" in row


def test_bad_flag_gives_no_value_and_keeps_the_text(several: ReportBuild) -> None:
    # items9: a mark not read is no guessed "no" (it was stored false beside its reading error)
    g = several.result.graph
    fourth = URIRef(CONNECTION.format(4))
    assert _one(g, fourth, KG.involvesSpecificPersonalInformation) is None
    assert str(_one(g, fourth, KG.specificPersonalInformationAsWritten)) == "有り？"


@pytest.mark.parametrize(
    ("case", "connections", "lines"),
    [
        # the stray field shifts the cells after it: the date and the flag are misread too
        ("too-many-fields", [1, 2, 3], [18, 18, 18]),
        ("impossible-date", [1, 2, 3], [18]),
        ("unknown-era", [1, 2, 3], [17]),
        ("missing-header", [], [15, 16, 17]),
        ("missing-column", [1, 2, 3], [15]),
        ("duplicate-number", [1, 2], [18]),
        ("bad-count", [1, 2, 3], [8]),
    ],
)
def test_lenient_build_of_each_case(case: str, connections: list[int], lines: list[int]) -> None:
    built = _lenient(MALFORMED / f"{case}.txt")
    g = built.result.graph
    assert sorted(int(n) for n in g.objects(None, KG.connectionNumber)) == connections
    assert [f[0] for f in _findings(g) if f[1] == "error"] == lines


def test_rows_not_read_are_findings_with_their_text() -> None:
    """Without a header row no row can be read; each is a finding holding the row as written."""
    built = _lenient(MALFORMED / "missing-header.txt")
    text = (MALFORMED / "missing-header.txt").read_text(encoding="utf-8").split("\n")
    kept = {f[0]: f[4] for f in _findings(built.result.graph) if f[1] == "error"}
    assert kept == {n: text[n - 1] for n in (15, 16, 17)}


def test_surplus_field_is_kept_as_another_cell() -> None:
    built = _lenient(MALFORMED / "too-many-fields.txt")
    third = URIRef(CONNECTION.format(3))
    assert str(_one(built.result.graph, third, KG.otherCell)) == "field 11 (no header): R2. 6. 1"


def test_control_character_is_a_finding_and_the_graph_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes((MALFORMED / "valid.txt").read_bytes().replace(b"R2. 6. 1", b"R2. 6.\x07 1"))
    built = _lenient(path)
    g = built.result.graph
    assert not any(isinstance(o, Literal) and "\x07" in str(o) for o in g.objects()), (
        "no control character in the graph"
    )
    third = URIRef(CONNECTION.format(3))
    assert str(_one(g, third, KG.startDateAsWritten)) == "R2. 6.\ufffd 1"
    control = next(f for f in _findings(g) if f[3].startswith("control character"))
    assert control[0] == 18 and control[4].endswith("R2. 6.\\x07 1")


def test_cli_lenient_exits_0_and_records_the_issues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.txt").write_bytes((MALFORMED / "several-problems.txt").read_bytes())
    args = ["build", "report.txt", "--municipality", "131041", "--out", "out", "-q", "--lenient"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    errors = [i["line"] for i in manifest["reports"][0]["issues"] if i["severity"] == "error"]
    assert errors == [16, 17, 19, 20]
