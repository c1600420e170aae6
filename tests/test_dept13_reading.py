"""Departments written as an organisational path, a city's own hospital and a 地方公社 as
counterparties, and a statute cell wrapped inside a citation (user13's case, general rules).

Each expected value is read by hand from the cell as a person writes it, not from ketsugo's output.
"""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Graph

from ketsugo.graph.partyrules import classify
from ketsugo.graph.resolve import Registry
from ketsugo.paths import REFERENCE_DIR
from ketsugo.read.legal import with_statutes
from ketsugo.read.sources.tables import join_list

CODE = "401307"  # 福岡市, a designated city no registry of this repository curates


@cache
def registry() -> Registry:
    graph = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return Registry.from_graph(graph)


def names(cell: str) -> list[str]:
    return [found.name for found in registry().departments(cell, CODE)[0]]


# ------------------------------------------------------------------ departments
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # one department, its path written with spaces (局 / 部 / 課; a ward office and its section)
        ("保健福祉局　地域福祉部　保護課", ["保健福祉局地域福祉部保護課"]),
        ("こども未来局 こども家庭部 こども家庭課", ["こども未来局こども家庭部こども家庭課"]),
        ("財政局　税務部　市民税課", ["財政局税務部市民税課"]),
        ("博多区役所　市民課", ["博多区役所市民課"]),
        ("教育委員会事務局　学校教育部　学事課", ["教育委員会事務局学校教育部学事課"]),
        ("西区役所　地域保健福祉課", ["西区役所地域保健福祉課"]),
        ("早良区役所　入部出張所", ["早良区役所入部出張所"]),
        ("市民局　市民課", ["市民局市民課"]),  # as before: 局 and its 課
        # two departments: list separators, or two sections, or two divisions of one level
        ("市民局窓口サービス課、各区戸籍課", ["市民局窓口サービス課", "各区戸籍課"]),
        ("中央区役所　市民課、東区役所　市民課", ["中央区役所市民課", "東区役所市民課"]),
        (
            "保健福祉局　地域福祉部　保護課／こども未来局　保育課",
            ["保健福祉局地域福祉部保護課", "こども未来局保育課"],
        ),
        ("市民課　税務課", ["市民課", "税務課"]),
        ("市民課・税務課", ["市民課", "税務課"]),
        ("総務部　財政部", ["総務部", "財政部"]),
        ("保健福祉局　保護課　介護保険課", ["保健福祉局保護課", "介護保険課"]),
        # a ・ inside a bureau's name is part of it
        ("財政・変革局　税務部　税制課", ["財政・変革局税務部税制課"]),
    ],
)
def test_an_organisational_path_is_one_department(cell: str, expected: list[str]) -> None:
    assert names(cell) == expected


def test_a_path_keeps_its_agency_by_its_top() -> None:
    found, _ = registry().departments("教育委員会事務局　総務部　教職員課", CODE)
    assert [str(f.agency).rsplit("/", 1)[-1] for f in found] == ["board-of-education"]


# ------------------------------------------------------------------ counterparties
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("福岡市立こども病院", "LocalGovernment"),  # the city's own hospital (病院事業)
        ("大分県立病院", "LocalGovernment"),
        ("久留米市立医療センター", "LocalGovernment"),
        ("福岡市土地開発公社", "PublicBody"),  # 公有地の拡大の推進に関する法律
        ("福岡県住宅供給公社", "PublicBody"),  # 地方住宅供給公社法
        ("住宅供給公社", "PublicBody"),  # not a company (…社)
        ("名古屋高速道路公社", "PublicBody"),  # 地方道路公社法
    ],
)
def test_a_local_governments_hospital_and_a_local_public_corporation(name: str, kind: str) -> None:
    found = classify(name)
    assert found is not None and found.kind_class == kind


def test_a_hospital_run_by_a_corporation_is_the_corporations() -> None:
    found = classify("地方独立行政法人福岡市立病院機構")
    assert found is not None and found.kind_class == "PublicBody"
    assert classify("横浜市立大学附属病院") is None  # a 公立大学法人's, not the city's


# ------------------------------------------------------------------ statutes
def articles(cell: str) -> list[tuple[str, str, int, int]]:
    basis, _ = with_statutes(None, cell)
    return [(c.law_name, c.article, c.paragraph, c.item) for c in basis.statutes]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["国民健康保険法第113条の", "3、番号法第19条第8号"],
            [("国民健康保険法", "113の3", 0, 0), ("番号法", "19", 0, 8)],
        ),
        (["番号法第19条第", "8号"], [("番号法", "19", 0, 8)]),
        (["地方税法第294", "条第1項"], [("地方税法", "294", 1, 0)]),
        (["住民基本台帳法第30条", "の9"], [("住民基本台帳法", "30の9", 0, 0)]),
        # a break after a whole citation still separates two
        (
            ["住民基本台帳法第30条の9", "番号法第19条第8号"],
            [("住民基本台帳法", "30の9", 0, 0), ("番号法", "19", 0, 8)],
        ),
    ],
)
def test_a_line_wrap_inside_a_citation_joins_with_nothing(
    lines: list[str], expected: list[tuple[str, str, int, int]]
) -> None:
    cell = join_list(lines, "、")  # a statutes cell's line break: the list's separator
    assert articles(cell) == expected
