"""Three readings of the fourteenth session (tests/cases/user16/okayama-2024/NOTES.md, causes 3–5):
a department path through an office (局　保健所　課), a term of law ending in 等 (国籍等), and an
article of the supplementary provisions (附則) as the harness reads it from the graph."""

from __future__ import annotations

import pytest

from ketsugo.graph.deptpaths import department_tokens
from ketsugo.read.items import split_items


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
