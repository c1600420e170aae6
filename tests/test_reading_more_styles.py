"""Styles found when the variant reports were first scored (tests/cases/variants): each
expectation read off the cell text by hand."""

from __future__ import annotations

import pytest

from ketsugo.items import split_items
from ketsugo.legal import parse_legal_basis
from ketsugo.reference import reference


@pytest.mark.parametrize(
    ("cell", "names", "open_ended"),
    [
        ("「氏名」「住所」「生年月日」「性別」", ["氏名", "住所", "生年月日", "性別"], False),
        ("「氏名」 「住所」", ["氏名", "住所"], False),
        ("「氏名」、「住所」等", ["氏名", "住所"], True),
        ("「氏名、住所」", ["氏名", "住所"], False),
    ],
)
def test_items_each_in_quotation_marks(cell: str, names: list[str], open_ended: bool) -> None:
    items = split_items(cell)
    assert [i.name for i in items.items] == names
    assert items.open_ended is open_ended


def test_statutory_statement_in_parentheses_is_no_citation() -> None:
    basis = parse_legal_basis("令和3年度第3回審議会意見（法令に基づく）")
    assert basis.statutory and basis.statutes == ()
    assert basis.decision is not None and basis.decision.meeting == 3


def test_statutory_statement_beside_a_citation_keeps_the_citation() -> None:
    basis = parse_legal_basis("令和3年度第3回審議会承認（法令に基づく、住民基本台帳法第30条の9）")
    assert basis.statutory
    assert [(c.law_name, c.article) for c in basis.statutes] == [("住民基本台帳法", "30の9")]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("北アルプス広域連合", "LocalGovernment"),  # 広域連合: a special local public body
        ("〇〇地区衛生組合", "LocalGovernment"),  # 一部事務組合
        ("長野県後期高齢者医療広域連合", "PublicInsuranceBody"),  # insurer of 後期高齢者医療
        ("〇〇農業協同組合", "Association"),  # a cooperative, not a local government
    ],
)
def test_unions_and_cooperatives(name: str, kind: str) -> None:
    (party,), _ = reference().registry.counterparties(name)
    assert party.classification is not None and party.classification.kind_class == kind
