"""A prefecture's executive agency named by the prefecture's name (埼玉県教育委員会, as the 嵐山町 case
of user13b names its party) is a body of a local government, not an unresolved name
(data/reference/party-patterns.toml, rule "agency of a prefecture")."""

from __future__ import annotations

import pytest

from ketsugo.graph.partyrules import classify


@pytest.mark.parametrize(
    "name",
    ["埼玉県教育委員会", "大阪府選挙管理委員会", "北海道教育委員会", "神奈川県警察本部", "東京都監査委員"],
)
def test_a_prefectures_agency_is_a_local_government(name: str) -> None:
    found = classify(name)
    assert found is not None and found.kind_class == "LocalGovernment", found
    assert found.label == name  # its own node, named as written: not the prefecture's


@pytest.mark.parametrize("name", ["他県教育委員会", "県教育委員会", "埼玉教育委員会"])
def test_no_prefecture_named_no_prefectures_agency(name: str) -> None:
    found = classify(name)
    assert found is None or found.rule != "rule: agency of a prefecture", found


def test_a_class_of_agencies_stays_a_class() -> None:
    found = classify("各都道府県教育委員会")
    assert found is not None and found.party_kind == "LocalGovernmentsInGeneral"
