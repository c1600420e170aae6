"""Connection numbers as a reader finds them on paper, and the build summary's unnamed parties.

The report (tests/cases/fixes8/report.txt, made up and read by hand before ketsugo ran on it):
- section (2): No.1 住民課 → 地方公共団体情報システム機構 (生年月日); No.2 教育課 → 有限会社美星システム
  (学校名, 学年, 組, 出席番号); No.3 住民課 and No.4 税務課 → "LGWAN-ASP事業者", a vendor named only by
  its kind, both with 生年月日 (No.3 from R6.5.1, No.4 from R6.7.1);
- section (3): ended No.1 教育課 → 有限会社美星システム (氏名, 登校班), ended R6.5.31.
So the report has two connections numbered 1: new No.1 (J-LIS) and ended No.1 (the company).
有限会社美星システム is on new No.2 and on ended No.1; a note about it concerns exactly those two,
and must not read as if it concerned new No.1 (J-LIS).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from ketsugo.check.findings import Finding, Validation
from ketsugo.cli.main import _register_optional_commands, cli

REPORT = Path(__file__).parent / "cases" / "fixes8" / "report.txt"
COMPANY = "有限会社美星システム"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    _register_optional_commands()
    out = tmp_path_factory.mktemp("fixes8") / "build"
    result = CliRunner().invoke(cli, ["--lang", "en", "build", str(REPORT), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out, result.output


def _validate(store: Path, fmt: str, tmp_path: Path) -> str:
    target = tmp_path / f"findings.{fmt}"
    result = CliRunner().invoke(
        cli, ["validate", "--store", str(store), "--format", fmt, "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


# --- item 1: an ended connection is marked as ended wherever numbers are listed ---------------------


def test_company_note_marks_the_ended_connection_in_text(built: tuple[Path, str], tmp_path: Path) -> None:
    text = _validate(built[0], "text", tmp_path)
    lines = text.splitlines()
    where = [lines[i - 1] for i, line in enumerate(lines) if COMPANY in line and "法人番号" in line]
    assert len(where) == 1, where
    # new No.2 (line 15) and ended No.1, never a bare "No.1" (that is J-LIS's connection)
    assert where[0] == "report.txt:15  No.2, 終了No.1 / ended No.1  教育課  [kgsh:CorporateNumberShape]"


def test_company_note_says_each_connections_section_in_json(built: tuple[Path, str], tmp_path: Path) -> None:
    findings = json.loads(_validate(built[0], "json", tmp_path))
    note = [f for f in findings if f["shape"] == "kgsh:CorporateNumberShape" and f["value"] == COMPANY]
    assert len(note) == 1
    assert (note[0]["new_connections"], note[0]["ended_connections"]) == ([2], [1])
    assert note[0]["connections"] == [1, 2]  # as before: every number concerned


def test_a_finding_on_an_ended_connection_alone_is_marked_ended(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    text = _validate(built[0], "text", tmp_path)
    # the curation note about 教育課 of the ended table (line 22): ended No.1 alone
    assert any(
        line.startswith("report.txt:22  終了No.1 / ended No.1  教育課  ") for line in text.splitlines()
    )


def test_where_in_one_language() -> None:
    mixed = Finding(
        "Warning", "s", "f", "ja", "en", connections=(1, 2), new_connections=(2,), ended_connections=(1,)
    )
    assert (mixed.numbers("ja"), mixed.numbers("en")) == ("No.2, 終了No.1", "No.2, ended No.1")
    by_hand = Finding("Warning", "s", "f", "ja", "en", connections=(3,), section="ended")
    assert by_hand.numbers("en") == "ended No.3"


def test_briefing_points_to_the_ended_connection(built: tuple[Path, str]) -> None:
    """A warning about new No.2 and ended No.1: listed as No.2, 終了No.1 with the ended card's anchor,
    and on the cards of those two connections only (not on new No.1, J-LIS's)."""
    from ketsugo.export.briefing_collect import collect
    from ketsugo.export.briefing_render import to_html, to_markdown

    store = ox.Store.read_only(str(built[0] / "store"))
    finding = Finding(
        "Warning",
        "kgsh:Test",
        "urn:x",
        "テストの警告",
        "a test warning",
        report="report.txt",
        connections=(1, 2),
        new_connections=(2,),
        ended_connections=(1,),
    )
    briefing = collect(store, Validation([finding], Graph(), ["report.txt"]))
    (report,) = briefing.reports
    on_cards = {(c.is_new, c.number) for c in [*report.connections, *report.ended] if finding in c.findings}
    assert on_cards == {(True, 2), (False, 1)}
    md = to_markdown(briefing, "both")
    assert "- **警告 / Warning** No.2, 終了No.1" in md.splitlines()
    html = to_html(briefing, "both")
    assert (
        '<strong>警告 / Warning</strong> <a href="#no-203491-2024-2">No.2</a>, '
        '<a href="#ended-203491-2024-1">終了No.1</a>'
    ) in html


def test_summary_marks_an_ended_connections_unmapped_item(built: tuple[Path, str]) -> None:
    lines = built[1].splitlines()
    assert "  report.txt ended No.1: 登校班" in lines


# --- item 2: the summary says what its line of unnamed parties groups ------------------------------


def test_summary_says_the_unnamed_line_groups_separate_recipients(built: tuple[Path, str]) -> None:
    line = next(x for x in built[1].splitlines() if x.startswith("  LGWAN-ASPサービス提供者 (unnamed"))
    assert "2 recipients, possibly 2 different vendors (`ketsugo query` lists one row each)" in line
    assert line.endswith("— 2 connection(s): 青木村2024年度 No.3, 青木村2024年度 No.4 (since 2024-05-01)")


def test_an_unmatched_erratum_of_an_ended_connection_says_so(tmp_path: Path) -> None:
    """An erratum for section (3)'s No.1 that matches nothing names 終了No.1, not No.1 (new No.1 is
    another connection: the report's J-LIS one)."""
    from ketsugo.graph.reference import reference
    from ketsugo.pipeline import build_report
    from ketsugo.read.metadata import metadata_from_options

    path = tmp_path / "report.txt"
    path.write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "report.errata.toml").write_text(
        '[[erratum]]\nsection = "ended"\nconnection = 1\nfield = "business"\n'
        'as_written = "校務支援事業"\nread_as = "校務支援事務"\nreason = "a row the report does not have"\n',
        encoding="utf-8",
    )
    one = build_report(metadata_from_options(path, "203491", 2024), reference())
    (unmatched,) = [i for i in one.issues if "matches nothing" in i.message]
    assert "matches nothing: 終了No.1 business never says 「校務支援事業」" in unmatched.message


def test_the_japanese_summary_says_the_same(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--lang", "ja", "build", str(REPORT), "--out", str(tmp_path / "b"), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  report.txt 終了No.1: 登校班" in lines
    line = next(x for x in lines if x.startswith("  LGWAN-ASPサービス提供者（名称なし"))
    assert "2 件の相手方で、別々の事業者かもしれない（`ketsugo query` は結合ごとに 1 行で示す）" in line
    assert line.endswith("— 2 件: 青木村2024年度 No.3, 青木村2024年度 No.4（2024-05-01 から）")
