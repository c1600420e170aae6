"""Year over year in one build: a later report's ended rows linked to the earlier connections they end.

Expected by reading the two files: tests/cases/variants/shinjuku-2021/report.txt lists three ended
rows — 終了No.1 総務課 特別定額給付金給付事業に係る対象者情報の電子的送付 (R3. 3.31), 終了No.2 総務課
特別定額給付金給付事業に係るオンライン申請 (R3. 3.31), 終了No.3 教育支援課 デジタルドリル教材に係る外部結合;
the bundled FY2020 report lists them as its No.1, No.2 (地方公共団体情報システム機構, R2.5.15) and
No.20 (教育支援課, デジタルドリル教材に係る外部結合). Its new No.4 (文化観光課 新宿区博物館資料データベースの
運用) is the earlier No.6, listed again; its new No.1–3 (総務課 電子申請サービスの運用, 戸籍住民課
転出・転入手続…, 学校運営課 学校徴収金管理業務) appear nowhere in FY2020."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import BUNDLED, CASES

ID = "https://w3id.org/ketsugo/id/131041"
ENDS = ox.NamedNode("https://w3id.org/ketsugo#endsConnection")
CONTINUES = ox.NamedNode("https://w3id.org/ketsugo#continuesConnection")


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ketsugo.pipeline import resolve_metadata, run_build

    out = tmp_path_factory.mktemp("years") / "build"
    later = CASES / "variants" / "shinjuku-2021" / "report.txt"
    run_build([resolve_metadata(p, None, None) for p in (BUNDLED, later)], out, lenient=True, jobs=1)
    return out


def test_ended_rows_link_the_connections_they_end(two_years: Path) -> None:
    from ketsugo.store.disk import open_store

    store = open_store(two_years)
    links = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(None, ENDS, None, None)}
    assert links == {
        (f"{ID}/2021/ended-connection/1", f"{ID}/2020/connection/1"),
        (f"{ID}/2021/ended-connection/2", f"{ID}/2020/connection/2"),
        (f"{ID}/2021/ended-connection/3", f"{ID}/2020/connection/20"),
    }


def test_a_connection_listed_again_continues_the_earlier_one(two_years: Path) -> None:
    from ketsugo.store.disk import open_store

    store = open_store(two_years)
    links = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(None, CONTINUES, None, None)}
    assert links == {(f"{ID}/2021/connection/4", f"{ID}/2020/connection/6")}


def test_the_date_of_birth_answer_shows_the_earlier_connection_ended(two_years: Path) -> None:
    import ketsugo

    rows = ketsugo.open_build(two_years).query("recipients-of-category", category="生年月日")
    periods = [p for r in rows for p in str(r["periods"]).split(", ")]
    assert "新宿区2020年度 No.2 2020-05-15〜2021-03-31" in periods
    assert "新宿区2020年度 No.2 2020-05-15〜" not in periods


def test_a_single_report_has_no_links(bundled_build: Path) -> None:
    from ketsugo.store.disk import open_store

    store = open_store(bundled_build)
    assert not list(store.quads_for_pattern(None, ENDS, None, None))
    assert not list(store.quads_for_pattern(None, CONTINUES, None, None))


def test_the_build_summary_says_which_date_of_birth_flows_have_ended(two_years: Path) -> None:
    """The summary `ketsugo build` prints answered "(since 2020-05-15)" for a connection a later
    report lists as ended, as if the flow went on."""
    import io

    from rich.console import Console

    from ketsugo.cli.summary import _print_date_of_birth

    buffer = io.StringIO()
    _print_date_of_birth(Console(file=buffer, width=400), two_years)
    ended = [x.split("ended: ", 1)[1] for x in buffer.getvalue().splitlines() if "ended: " in x]
    assert any("新宿区2020年度 No.2 2020-05-15〜2021-03-31" in x for x in ended)
    assert not any("〜," in x or x.endswith("〜)") for x in ended)  # only the ended ones listed there
