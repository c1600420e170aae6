"""What users see of the direction of a flow (提供・受領の別): the build summary, the drawings and the
briefing's mark.

tests/cases/direction/report.txt is made by hand; what each test expects was read from its text
before ketsugo was run on it: No.1 提供 to 株式会社前橋電算センター, No.2 受領 from 株式会社NTTデータ,
No.3 提供・受領 with 法務省, No.4 受領 from an unnamed LGWAN-ASPサービス提供者 — four counterparties
(three named, one unnamed), two of them data sources only, one both ways. No.1, 2 and 3 carry
生年月日; No.2's goes to the city, not to NTTデータ.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli

CASE = Path(__file__).parent / "cases" / "direction" / "report.txt"


def _build(out: Path, *lang: str) -> str:
    _register_optional_commands()
    result = CliRunner().invoke(cli, [*lang, "build", str(CASE), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("polish8") / "build"
    return out, _build(out, "--lang", "en")


def test_the_build_summary_counts_counterparties_and_data_sources(built: tuple[Path, str]) -> None:
    _, output = built
    assert "4 counterparties (3 named organisations, 1 unnamed; " in output
    assert "2 of them data sources only: 受領, 1 both ways: 提供・受領)" in output
    assert "recipients (" not in output


def test_the_build_summary_in_japanese(tmp_path: Path) -> None:
    output = _build(tmp_path / "build", "--lang", "ja")
    assert (
        "相手方 4（名称のある団体 3、名称の書かれていないもの 1。うち受領のみ（データの提供元） 2、提供・受領 1）"
        in output
    )


def test_the_date_of_birth_line_lists_recipients_only(built: tuple[Path, str]) -> None:
    _, output = built
    block = output.split("Which recipients receive date-of-birth data")[1].split("\nNext:")[0]
    listed = [line.strip().split(" — ")[0] for line in block.splitlines()[1:] if line.strip()]
    assert listed == ["株式会社前橋電算センター", "法務省"]
    assert "NTTデータ" not in block


def _briefing(store: Path, target: Path) -> list[str]:
    args = ["export", "briefing", "--store", str(store), "--format", "md", "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8").splitlines()


def test_the_briefing_mark_is_worded_in_data(
    built: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    from ketsugo.export import directions
    from ketsugo.paths import REFERENCE_DIR

    with (REFERENCE_DIR / "directions.toml").open("rb") as handle:
        marks = tomllib.load(handle)["mark"]
    assert marks == {"受領": "from", "提供・受領": "to and from"}
    # the words come from the file: other words there, other words in the briefing
    wording = {**directions._wording(), "mark": {"受領": "FROM-X", "提供・受領": "BOTH-X"}}
    monkeypatch.setattr(directions, "_wording", lambda: wording)
    lines = _briefing(built[0], tmp_path / "briefing.md")
    assert any("株式会社NTTデータ" in line and "受領 (FROM-X)" in line for line in lines)  # No.2
    assert any("法務省" in line and "提供・受領 (BOTH-X)" in line for line in lines)  # No.3
    source = (Path(__file__).parents[1] / "src" / "ketsugo" / "export" / "briefing_wording.py").read_text(
        encoding="utf-8"
    )
    assert '"to and from"' not in source


# ------------------------------------------------------------------ the drawings

NTT, MOJ, MAEBASHI = "株式会社NTTデータ", "法務省", "株式会社前橋電算センター"


def _export(store: Path, fmt: str, target: Path, *more: str) -> str:
    args = ["export", *more, "--store", str(store), "-o", str(target)]
    if fmt:
        args += ["--format", fmt]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def _dot_edges(dot: str) -> dict[str, str]:
    """Counterparty label → the arrow attributes of its connection's edge."""
    import re

    labels = dict(re.findall(r'^\s+("[^"]+") \[label="([^"]+)", fillcolor', dot, re.M))
    edges = re.findall(r'^\s+("[^"]+") -> ("[^"]+") \[(.*)\];$', dot, re.M)
    return {labels[target]: attrs for _, target, attrs in edges if labels.get(target) in (NTT, MOJ, MAEBASHI)}


def test_the_dot_drawing_points_each_arrow_the_way_data_flows(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    dot = _export(built[0], "dot", tmp_path / "g.dot", "graph")
    edges = _dot_edges(dot)
    assert "dir=" not in edges[MAEBASHI]  # No.1 提供: connection → party, as a recipient's
    assert "dir=back" in edges[NTT]  # No.2 受領: the arrow points from the party to the connection
    assert "dir=both" in edges[MOJ]  # No.3 提供・受領
    assert '"相手方 counterparty"' in dot and "相手方 recipient" not in dot
    assert "受領 received from the counterparty" in dot  # the legend


def test_the_svg_drawing_has_arrowheads_and_a_legend(built: tuple[Path, str], tmp_path: Path) -> None:
    svg = _export(built[0], "svg", tmp_path / "g.svg", "graph")
    paths = [line for line in svg.splitlines() if line.startswith("<path d=")]
    # four connection → counterparty edges (No.1 to No.4), one of them both ways
    assert sum('marker-end="url(#arrow-end)"' in p and "marker-start" not in p for p in paths) == 1  # No.1
    assert (
        sum('marker-start="url(#arrow-start)"' in p and "marker-end" not in p for p in paths) == 2
    )  # No.2, 4
    assert sum("marker-start" in p and "marker-end" in p for p in paths) == 1  # No.3
    assert ">相手方 counterparty<" in svg and "相手方 recipient" not in svg
    assert "← 受領 received from the counterparty (data source)" in svg


def test_the_page_says_what_the_arrows_mean(built: tuple[Path, str], tmp_path: Path) -> None:
    import json
    import re

    page = _export(built[0], "html", tmp_path / "g.html", "graph")
    payload = re.search(r"const DATA = (\{.*?\});\n", page, re.S)
    assert payload is not None
    data = json.loads(payload.group(1))
    assert [layer["title"] for layer in data["layers"] if layer["kind"] == "recipient"] == [
        "相手方 counterparty"
    ]
    assert len(data["arrows"]) == 3 and data["arrows"][1].startswith("← 受領")
    relations = {e["relation"] for e in data["edges"]}
    assert {"sends to", "receives from", "sends to and receives from"} <= relations


def test_the_overview_marks_the_data_sources(built: tuple[Path, str], tmp_path: Path) -> None:
    svg = _export(built[0], "", tmp_path / "o.svg", "overview")
    assert f"← 受領 {NTT}" in svg and f"↔ 提供・受領 {MOJ}" in svg
    assert "← 受領 LGWAN-ASPサービス提供者" in svg  # No.4, unnamed
    assert f">{MAEBASHI}<" in svg  # No.1: a recipient, unmarked
    assert "相手方 counterparty" in svg and "相手方 recipient" not in svg


@pytest.mark.loopback
def test_the_page_draws_the_arrows_in_a_browser(built: tuple[Path, str], tmp_path: Path) -> None:
    from tests.chromium import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set KETSUGO_CHROMIUM)")
    page = tmp_path / "g.html"
    _export(built[0], "html", page, "graph")
    browser = Browser(chromium, tmp_path / "chromium")
    try:
        browser.open(page.as_uri())
        count = "document.querySelectorAll('#graph path.edge[{}]').length"
        assert browser.eval(count.format("marker-end]:not([marker-start")) == 1  # No.1 提供
        assert browser.eval(count.format("marker-start]:not([marker-end")) == 2  # No.2, No.4 受領
        assert browser.eval(count.format("marker-start][marker-end")) == 1  # No.3 提供・受領
        assert browser.eval("document.querySelectorAll('#graph marker').length") == 2
        legend = browser.eval("document.getElementById('legend').textContent")
        assert "相手方 counterparty" in legend and "← 受領 received from the counterparty" in legend
        ntt = "document.querySelector('#graph .node[data-id$=\"ntt-data\"] title').textContent"
        assert "提供・受領の別 direction: 受領 (data source)" in browser.eval(ntt)  # No.2
        assert browser.console_errors() == []
    finally:
        browser.close()
