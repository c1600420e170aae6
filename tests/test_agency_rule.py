"""Departments no registry knows, attributed to an implementing agency by rule: the top of the
name decides (an agency named outright, then the division), a section's word only without a
division. Names here are made up; the expected agencies follow from how Japanese municipal
organisations are named (a 課 belongs to the 部 it is written under)."""

from __future__ import annotations

import pytest

from ketsugo.graph.agencies import department_rule, division_of

CITY = "131202"  # a special ward: the head is 区長
LISTED = frozenset({"board-of-education", "election-commission", "public-enterprise-manager"})


@pytest.mark.parametrize(
    "name, agency",
    [
        # the division decides, whatever a section's word suggests alone
        ("まちづくり部生涯学習推進課", "mayor"),
        ("市民生活部図書館サービス課", "mayor"),
        ("こども未来部学校支援課", "mayor"),
        ("教育総務部学事課", "board-of-education"),
        ("生涯学習部スポーツ振興課", "board-of-education"),
        ("上下水道局営業課", "public-enterprise-manager"),
        ("健康福祉部国保年金課", "mayor"),
        # an agency named outright, even under another's division
        ("総務部選挙管理委員会事務局", "election-commission"),
        ("教育委員会事務局学務課", "board-of-education"),
        # no division: the name's words, else the head
        ("生涯学習課", "board-of-education"),
        ("学務課", "board-of-education"),
        ("部活動支援課", "mayor"),
        ("議会事務局", "assembly"),
        # 議会 inside a longer word (協議会, 審議会) names no assembly; the assembly itself still counts
        ("地域協議会推進課", "mayor"),
        ("審議会事務室", "mayor"),
        ("協議会・議会連絡課", "assembly"),
        ("区議会事務局議事課", "assembly"),
        ("戸籍住民課", "mayor"),
    ],
)
def test_department_rule(name: str, agency: str) -> None:
    assert department_rule(name, CITY, LISTED)[0] == agency


def test_an_unlisted_agency_division_goes_to_the_head() -> None:
    assert department_rule("上下水道局営業課", CITY, frozenset())[0] == "mayor"


def test_division_of() -> None:
    assert division_of("健康福祉部国保年金課") == "健康福祉部"
    assert division_of("上下水道局お客さまセンター") == "上下水道局"
    assert division_of("教育委員会事務局学務課") == "教育委員会事務局"
    assert division_of("部活動支援課") == ""
    assert division_of("区民部") == ""  # a division alone: no section after it


PREFECTURE = "380008"  # 愛媛県: the head is 知事


@pytest.mark.parametrize(
    "listed, agency",
    [
        # a prefecture listing both: the police headquarters' sections are the chief of police's
        (frozenset({"police-chief", "public-safety-commission"}), "police-chief"),
        # listing only the commission: they are the commission's
        (frozenset({"public-safety-commission"}), "public-safety-commission"),
        # listing neither: the head's, as any department no listed agency claims
        (frozenset(), "mayor"),
    ],
)
def test_police_departments(listed: frozenset[str], agency: str) -> None:
    assert department_rule("警察本部生活安全部地域課", PREFECTURE, listed)[0] == agency


def test_the_commission_and_the_chief_of_police_are_two_agencies() -> None:
    from ketsugo.graph.agencies import slug_for_label

    assert slug_for_label("公安委員会", PREFECTURE) == "public-safety-commission"
    assert slug_for_label("愛媛県警察本部長", PREFECTURE) == "police-chief"
    assert slug_for_label("警視総監", "130001") == "police-chief"
