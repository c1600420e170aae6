"""Category labels in item text: a katakana label inside a longer katakana word is not that label
(クラス in クラスター); the card is not the number (マイナンバーカード). Expectations by hand."""

from __future__ import annotations

import pytest

from ketsugo.graph.reference import reference


def _slugs(text: str) -> set[str]:
    return {str(m.category).rsplit("/", 1)[-1] for m in reference().categories.categorize(text)}


@pytest.mark.parametrize("text", ["クラスター情報", "クラスター発生施設名", "発生クラスター"])
def test_a_katakana_label_inside_a_longer_katakana_word_is_not_that_label(text: str) -> None:
    assert "school-affiliation" not in _slugs(text)


@pytest.mark.parametrize("text", ["クラス", "学年・クラス", "所属クラス", "クラス名"])
def test_a_true_school_class_is_still_read(text: str) -> None:
    assert "school-affiliation" in _slugs(text)


def test_a_katakana_word_that_compounds_does_not_hide_the_label() -> None:
    # ウイルス is a word of its own (cells.toml [categories]): ワクチン after it is still vaccination
    assert _slugs("新型コロナウイルスワクチン") == _slugs("ワクチン")
    assert _slugs("ワクチン") != set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("マイナンバーカードの利用者証明用電子証明書", {"my-number-card", "electronic-certificate"}),
        ("マイナンバーカード交付状況", {"my-number-card"}),
        ("個人番号カード", {"my-number-card"}),
        ("個人番号カード交付日", {"my-number-card"}),
        ("個人番号", {"my-number"}),
        ("マイナンバー", {"my-number"}),
    ],
)
def test_the_card_is_not_the_number(text: str, expected: set[str]) -> None:
    assert _slugs(text) == expected


def test_the_card_is_no_specific_personal_information() -> None:
    from rdflib import URIRef

    from ketsugo.graph.vocab import KG, KGC

    graph = reference().graph
    assert graph.value(URIRef(KGC["my-number-card"]), KG.sensitivity) is None
    assert graph.value(URIRef(KGC["my-number"]), KG.sensitivity) == KG.SpecificPersonalInformation
