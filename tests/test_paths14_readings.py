"""Three readings of the fourteenth session (tests/cases/user16/okayama-2024/NOTES.md, causes 3–5):
a department path through an office (局　保健所　課), a term of law ending in 等 (国籍等), and an
article of the supplementary provisions (附則) as the harness reads it from the graph."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from ketsugo.graph.deptpaths import department_tokens
from ketsugo.read.items import split_items
from ketsugo.read.legal import parse_legal_basis, with_statutes

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # an office (保健所, 事務所) between a 局 or 部 and its 課 is one path, one department
        ("保健福祉局　保健所　健康づくり課", ["保健福祉局保健所健康づくり課"]),
        ("健康福祉部 保健所 保健予防課", ["健康福祉部保健所保健予防課"]),
        ("保健所　保健予防課", ["保健所保健予防課"]),
        ("保健福祉局 福祉事務所 保護課", ["保健福祉局福祉事務所保護課"]),
        # as before: a list separator, or two names of one level, are two departments
        ("保健所、市民課", ["保健所", "市民課"]),
        ("総務部 財政部", ["総務部", "財政部"]),
        ("生活福祉課 保護担当課", ["生活福祉課", "保護担当課"]),
    ],
)
def test_a_path_through_an_office_is_one_department(cell: str, names: list[str]) -> None:
    assert department_tokens(cell) == names


def test_kokuseki_to_is_a_term_of_law_not_and_the_like() -> None:
    # 住民基本台帳法第30条の45: 国籍等 (国籍 or 地域) is one item of a foreign resident's record
    listed = split_items("氏名、生年月日、国籍等、在留資格、在留期間")
    assert [i.name for i in listed.items] == ["氏名", "生年月日", "国籍等", "在留資格", "在留期間"]
    assert not listed.open_ended
    # any other item ending in 等 is still "and the like" (rule 9)
    listed = split_items("氏名、住所等")
    assert [i.name for i in listed.items] == ["氏名", "住所"] and listed.open_ended


def _harness():
    spec = importlib.util.spec_from_file_location("score_variants", ROOT / "scripts" / "score_variants.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("score_variants", module)
    spec.loader.exec_module(module)
    return module


def test_an_article_of_the_supplementary_provisions_is_scored_as_such() -> None:
    (citation,) = parse_legal_basis("令和5年度第4回審議会承認（地方税法附則第5条の8）").statutes
    assert (citation.law_name, citation.article, citation.supplementary) == ("地方税法", "5の8", True)
    score = _harness()
    kg = Namespace(score.KG)
    g = Graph()
    c, main, supp = URIRef("urn:c"), URIRef("urn:s1"), URIRef("urn:s2")
    for node, position, written, article in (
        (supp, 1, "地方税法附則第5条の8", "5の8"),
        (main, 2, "地方税法第5条", "5"),
    ):
        g.add((c, kg.citesStatute, node))
        g.add((node, kg.position, Literal(position)))
        g.add((node, kg.asWritten, Literal(written, lang="ja")))
        g.add((node, kg.article, Literal(article)))
    g.add((supp, kg.isSupplementaryProvision, Literal(True)))
    got = score.statutes(g, c)
    assert [s["article"] for s in got] == ["附則5の8", "5"]
    wanted = [{"law": "地方税法", "article": "附則5の8"}, {"law": "地方税法", "article": "5"}]
    assert score._statutes_match(wanted, got)
    assert not score._statutes_match([{"law": "地方税法", "article": "5の8"}, wanted[1]], got)


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        # two citations run together (a line break in the cell lost): two citations
        ("地方税法第321条の4番号法第19条第8号", [("地方税法", "321の4", 0), ("番号法", "19", 8)]),
        ("予防接種法第25条の2番号法第19条第8号", [("予防接種法", "25の2", 0), ("番号法", "19", 8)]),
        # one citation and words after it: one citation, the words kept as its rest
        ("番号法第19条第8号に基づく", [("番号法", "19", 8)]),
        ("住民基本台帳法第30条の9", [("住民基本台帳法", "30の9", 0)]),
    ],
)
def test_citations_run_together_are_two(cell: str, read: list[tuple[str, str, int]]) -> None:
    basis, _ = with_statutes(None, cell)
    assert [(s.law_name, s.article, s.item) for s in basis.statutes] == read


@pytest.mark.parametrize(
    ("cell", "parties"),
    [
        # a curated name and a party by rule written together (a typed break lost): two parties
        ("国民健康保険中央会社会保険診療報酬支払基金", ["国民健康保険中央会", "社会保険診療報酬支払基金"]),
        ("厚生労働省デジタル庁", ["厚生労働省", "デジタル庁"]),
        # one name: a place before a body's name, or a name no curated name stands in
        ("岡山県国民健康保険団体連合会", ["岡山県国民健康保険団体連合会"]),
        ("社会保険診療報酬支払基金", ["社会保険診療報酬支払基金"]),
    ],
)
def test_parties_run_together_are_apart(cell: str, parties: list[str]) -> None:
    from tests.test_resolve import registry

    found, _ = registry().counterparties(cell)
    assert [p.as_written for p in found] == parties


def _line(text: str, width: float = 10.0) -> dict[str, object]:
    """A PDF cell's text line as pdfplumber gives it: each character ``width`` wide from x = 0."""
    chars = [{"text": c, "x0": i * width, "x1": (i + 1) * width} for i, c in enumerate(text)]
    return {"text": text, "x0": 0.0, "x1": len(text) * width, "chars": chars}


@pytest.mark.parametrize(
    ("lines", "cell"),
    [
        # a whole name filling its line, a second party's name under it: a typed break
        (["株式会社ぎょうせい", "日本電気株式会社"], "株式会社ぎょうせい\n日本電気株式会社"),
        # a name wrapped inside it: one name
        (["株式会社ぎょうせ", "い"], "株式会社ぎょうせい"),
        (["岡山県国民健康保険", "団体連合会"], "岡山県国民健康保険団体連合会"),
        # entries one a line, one filling its line: each line ends as an item's name ends
        (["学生納付特例の区分", "付加保険料の申出"], "学生納付特例の区分\n付加保険料の申出"),
        (["基礎年金番号", "氏名"], "基礎年金番号\n氏名"),
        (["口座情報", "成績など"], "口座情報\n成績など"),
        # the entry under a full line wraps too: read whole, it ends as a name ends
        (
            ["地震保険料の控除額", "住宅借入金等特別控", "除の額"],
            "地震保険料の控除額\n住宅借入金等特別控除の額",
        ),
        # a wrap inside one item: the line ends no name, the next opens none or is an ending alone
        (["住宅借入金等特別控", "除の額"], "住宅借入金等特別控除の額"),
        (["被保険者証記号", "番号"], "被保険者証記号番号"),
        (["世帯主の氏名", "の振り仮名"], "世帯主の氏名の振り仮名"),
        (["保険料の段階", "区分"], "保険料の段階区分"),
        # a list written with separators marks its own entries: a wrap
        (["氏名、住所、生年月", "日、性別"], "氏名、住所、生年月日、性別"),
        (["氏名 住所 生年月", "日 性別"], "氏名 住所 生年月日 性別"),
    ],
)
def test_a_pdf_cell_keeps_a_break_between_two_names_or_entries(lines: list[str], cell: str) -> None:
    from ketsugo.read.sources.pdf import _join_cell

    # every line but the last is full: a box 95 wide holds nine characters 10 wide, not a tenth
    limit = 10.0 * max(len(t) for t in lines[:-1]) + 5.0
    assert _join_cell([_line(t) for t in lines], limit) == cell


def test_a_pdf_list_written_with_markers_keeps_its_own_entries() -> None:
    from ketsugo.read.sources.pdf import _join_cell

    lines = ["ア 被保険者番号 イ 氏名", "ウ 所得額 エ 個人番号"]
    assert "\n" not in _join_cell([_line(t) for t in lines], 10.0 * len(lines[0]) + 5.0)
