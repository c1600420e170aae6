"""Old-fashioned web pages (tests/cases/user15d/gamagori-2019 NOTES): header cells with a <br>, and
their browser copy, where such a header row comes over several lines. Made-up pages and texts
written for these tests; every expected value is read by hand from them."""

from __future__ import annotations

from pathlib import Path

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

_HEAD = "<th>番号</th><th>担当課</th><th>業務の名称</th><th>結合の相手方</th><th>項目</th><th>{way}</th><th>結合開始日</th><th>審議会</th>"


def _page(way: str) -> str:
    rows = [
        ("1", "市民課", "地方公共団体情報システム機構", "氏名<br>住所", "提供", "令和元年10月1日"),
        ("2", "税務課", "地方税共同機構", "氏名<br>所得", "受領", "令和元年5月1日"),
        ("3", "福祉課", "愛知県国民健康保険団体連合会", "氏名", "提供<br>受領", "令和2年1月6日"),
    ]
    body = "".join(
        f"<tr><th>{n}</th><td>{d}</td><td>{d}の事務</td><td>{p}</td><td>{i}</td><td>{w}</td><td>{s}</td><td>承認</td></tr>"
        for n, d, p, i, w, s in rows
    )
    return (
        "<html><head><meta charset='utf-8'></head><body><h1>令和元年度 外部結合の状況</h1>"
        "<h2>２　令和元年度に開始した結合</h2>"
        f"<table><tr>{_HEAD.format(way=way)}</tr>{body}</table></body></html>"
    )


def _html_rows(tmp_path: Path, way: str) -> dict[int, object]:
    path = tmp_path / "report.html"
    path.write_text(_page(way), encoding="utf-8")
    report = parse_report(read_source(path).text, "report.html", fiscal_year=2019)
    return {c.number: c for c in report.connections}


def test_a_header_cell_broken_by_br_names_the_direction_column(tmp_path: Path) -> None:
    rows = _html_rows(tmp_path, "提供<br>受領")
    assert [rows[n].direction for n in (1, 2, 3)] == ["to_party", "from_party", "both"]


def test_a_header_cell_broken_inside_one_word_still_joins_plain(tmp_path: Path) -> None:
    # 結合の<br>相手方 is one name broken: read 結合の相手方 (no separator put in)
    page = _page("提供・受領").replace("<th>結合の相手方</th>", "<th>結合の<br>相手方</th>")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    text = read_source(path).text
    assert "\t結合の相手方\t" in text
    rows = {c.number: c for c in parse_report(text, "report.html", fiscal_year=2019).connections}
    assert rows[2].counterparties_as_written == "地方税共同機構"
