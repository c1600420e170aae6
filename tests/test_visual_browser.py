"""The flows page in a real browser (headless Chromium over the DevTools protocol).

Two reports of one ward (the bundled FY2020 report and the hand-made FY2021 variant, which ends
three FY2020 connections and adds four) are built and exported as one page. The page must draw as
many boxes as the export has nodes, fit 1,400 and 1,000 px without sideways scrolling, keep labels
at 11 px or more, route no edge across a box, change what it shows when a filter changes, log no
error and fetch nothing but its own file. Skips only where no Chromium can be found (.ci/run
installs Debian's `chromium`).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from ketsugo.export import visual
from ketsugo.pipeline import resolve_metadata, run_build
from ketsugo.read.metadata import bundled_reports
from ketsugo.store.disk import open_store
from tests.chromium import Browser, find_chromium

ROOT = Path(__file__).resolve().parent.parent
VARIANT = ROOT / "tests" / "cases" / "variants" / "shinjuku-2021" / "report.txt"
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found (apt-get install chromium, or set KETSUGO_CHROMIUM)"
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> nx.DiGraph:
    out = tmp_path_factory.mktemp("browser") / "build"
    run_build([*bundled_reports(), resolve_metadata(VARIANT, None, None)], out)
    return visual.flow_graph(open_store(out))


@pytest.fixture(scope="module")
def page(graph: nx.DiGraph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "flows.html"
    path.write_text(visual.to_html(graph), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser(page: Path, tmp_path_factory):
    assert CHROMIUM is not None
    opened = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium"))
    opened.open(page.as_uri())
    yield opened
    opened.close()


def shown(browser: Browser) -> int:
    return browser.eval("document.querySelectorAll('#graph .node').length")


def choose(browser: Browser, control: str, value: str | bool) -> int:
    """Set a filter control as a reader would (value, then a change event); the boxes now shown."""
    prop = "checked" if isinstance(value, bool) else "value"
    browser.eval(
        f"(() => {{ const c = document.getElementById({control!r}); c.{prop} = {str(value).lower() if isinstance(value, bool) else repr(value)};"
        " c.dispatchEvent(new Event('change')); })()"
    )
    return shown(browser)


def reset(browser: Browser) -> None:
    browser.eval("document.getElementById('reset').click()")


@pytest.mark.loopback
def test_the_page_draws_every_node_of_the_export(browser: Browser, graph: nx.DiGraph) -> None:
    assert shown(browser) == graph.number_of_nodes()
    # 22 FY2020 connections + 4 new and 3 ended in FY2021 (tests/cases/variants/shinjuku-2021)
    assert browser.eval("document.querySelectorAll('#graph .node[data-kind=connection]').length") == 29
    # the two reports can be chosen, and "all" is the default
    assert browser.eval("[...document.getElementById('f-report').options].map(o => o.text)") == [
        "すべて all",
        "新宿区 2020年度",
        "新宿区 2021年度",
    ]


@pytest.mark.loopback
def test_unnamed_recipients_read_apart(browser: Browser) -> None:
    labels = browser.eval(
        "[...document.querySelectorAll('#graph .node[data-kind=recipient] title')].map(t => t.textContent.split('\\n')[0])"
    )
    unnamed = [label for label in labels if "LGWAN-ASP" in label]
    assert len(unnamed) >= 8  # eight LGWAN-ASP connections in FY2020 (No.1, 3, 4, 7, 9, 14, 15, 19)
    assert len(set(unnamed)) == len(unnamed)
    assert "LGWAN-ASPサービス提供者 (No.3)" in unnamed


@pytest.mark.parametrize("width", [1400, 1000])
@pytest.mark.loopback
def test_fits_the_width_with_legible_labels_and_no_edge_over_a_box(browser: Browser, width: int) -> None:
    browser.viewport(width)
    browser.eval("render()")
    assert browser.eval("document.documentElement.scrollWidth") <= width
    smallest = browser.eval(
        "Math.min(...[...document.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize)))"
    )
    assert smallest >= 11
    # each label stays inside its box
    spill = browser.eval(
        """[...document.querySelectorAll('#graph .node')].filter(g => {
             const r = g.querySelector('rect').getBBox(), t = g.querySelector('text').getBBox();
             return t.x + t.width > r.x + r.width + 0.5; }).length"""
    )
    assert spill == 0
    # every edge runs in a gap between columns: no box lies across its horizontal span
    crossing = browser.eval(
        """(() => { const boxes = [...document.querySelectorAll('#graph .node rect')].map(r => r.getBBox());
             return [...document.querySelectorAll('#graph path.edge')].filter(p => { const b = p.getBBox();
               return boxes.some(r => r.x < b.x + b.width - 0.5 && r.x + r.width > b.x + 0.5
                 && r.y < b.y + b.height && r.y + r.height > b.y); }).length; })()"""
    )
    assert crossing == 0
    browser.viewport(1400)
    browser.eval("render()")


@pytest.mark.loopback
def test_filters_change_what_is_shown(browser: Browser, graph: nx.DiGraph) -> None:
    everything = shown(browser)
    birth = next(n for n, d in graph.nodes(data=True) if d["kind"] == "category" and d["label"] == "生年月日")
    by_category = choose(browser, "f-category", birth)
    expected = visual.filter_graph(graph, visual.FlowFilter(categories=("date of birth",)))
    assert by_category == expected.number_of_nodes() < everything
    # FY2020 lists 生年月日 on No.1, 2, 3, 9, 11, 12, 13, 15, 16 (read off the report); FY2021 adds more
    numbers = browser.eval(
        "[...document.querySelectorAll('#graph .node[data-kind=connection] title')].map(t => t.textContent.split(' ').slice(0, 2).join(' '))"
    )
    # two reports in the page: each connection names its year
    assert {f"2020 No.{n}" for n in (1, 2, 3, 9, 11, 12, 13, 15, 16)} <= set(numbers)
    assert browser.eval("document.querySelectorAll('#graph .node[data-kind=category]').length") == 1
    reset(browser)
    assert shown(browser) == everything

    ended = choose(browser, "f-status", "ended")
    assert browser.eval("document.querySelectorAll('#graph .node[data-kind=connection]').length") == 3
    assert (
        browser.eval(
            "document.querySelectorAll('#graph .node[data-kind=connection] rect[stroke-dasharray]').length"
        )
        == 3
    )
    assert 0 < ended < everything
    reset(browser)

    report_2020 = next(r for r in visual.resolve_reports(graph, ("131041/2020",)))
    choose(browser, "f-report", report_2020)
    assert browser.eval("document.querySelectorAll('#graph .node[data-kind=connection]').length") == 22
    reset(browser)

    for control, value, flt in [
        ("f-sensitive", True, visual.FlowFilter(sensitive=True)),
        ("f-mynumber", True, visual.FlowFilter(my_number=True)),
        ("f-kind", "PrivateCompany", visual.FlowFilter(kinds=("民間事業者",))),
    ]:
        count = choose(browser, control, value)
        assert count == visual.filter_graph(graph, flt).number_of_nodes() < everything, control
        reset(browser)

    department = next(
        n for n, d in graph.nodes(data=True) if d["kind"] == "department" and d["label"] == "総務課"
    )
    choose(browser, "f-department", department)
    assert browser.eval("document.querySelectorAll('#graph .node[data-kind=department]').length") == 1
    reset(browser)


@pytest.mark.loopback
def test_the_timeline_filters_by_start_year(browser: Browser, graph: nx.DiGraph) -> None:
    years = browser.eval(
        "[...new Set([...document.querySelectorAll('#timeline .bar')].map(b => b.dataset.year))]"
    )
    assert "2020" in years and "2021" in years
    browser.eval(
        "document.querySelector('#timeline .bar[data-year=\"2020\"]').dispatchEvent(new Event('click'))"
    )
    conns = browser.eval("document.querySelectorAll('#graph .node[data-kind=connection]').length")
    expected = visual.filter_graph(graph, visual.FlowFilter(since=2020, until=2020))
    assert conns == sum(1 for d in expected.nodes.values() if d["kind"] == "connection") < 29
    reset(browser)


@pytest.mark.loopback
def test_clicking_a_connection_follows_its_flow(browser: Browser, graph: nx.DiGraph) -> None:
    no12 = "https://w3id.org/ketsugo/id/131041/2020/connection/12"
    browser.eval(
        f"document.querySelector('#graph .node[data-id=\"{no12}\"]').dispatchEvent(new Event('click'))"
    )
    lit = browser.eval("[...document.querySelectorAll('#graph .node:not(.dim)')].map(g => g.dataset.id)")
    expected = {no12, *graph.predecessors(no12), *graph.successors(no12)}
    expected |= {
        a for d in graph.predecessors(no12) for a in graph.successors(d) if graph.nodes[a]["kind"] == "agency"
    }
    assert set(lit) == expected
    assert browser.eval("document.querySelectorAll('#graph path.edge.hot').length") > 0
    assert "内閣官房" in browser.eval("document.getElementById('info').textContent")
    browser.eval(
        f"document.querySelector('#graph .node[data-id=\"{no12}\"]').dispatchEvent(new Event('click'))"
    )
    assert browser.eval("document.querySelectorAll('#graph .node.dim').length") == 0


@pytest.mark.loopback
def test_no_console_error_no_network_and_a_screenshot(browser: Browser, page: Path, tmp_path: Path) -> None:
    shot = browser.screenshot(tmp_path / "flows.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert browser.console_errors() == []
    requests = browser.requests()
    assert requests and all(url == page.as_uri() for url in requests), requests
