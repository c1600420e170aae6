"""Counterparty cells: a role before a colon is a word of the role vocabulary (else two parties);
an address needs an address's shape; a subcontractor in brackets is a party of its own; one
address rule for quoted cells and the graph. Expectations read off the cells by hand."""

from __future__ import annotations

import pytest

from ketsugo.graph.partyrules import is_address, split_role_label
from ketsugo.graph.reference import reference
from ketsugo.read.quoted import cell_lines_read


def _parties(cell: str) -> tuple[list[tuple[str, str]], list[str]]:
    found, notes = reference().registry.counterparties(cell)
    return [(m.as_written, str(m.organisation or m.kind or "")) for m in found], notes


def _names(cell: str) -> list[str]:
    """The organisations of a cell, by the end of their IRIs (a name's key for a minted one)."""
    return [iri.rsplit("/", 1)[-1] for _, iri in _parties(cell)[0]]


def test_a_name_before_a_colon_is_a_party_not_a_role() -> None:
    assert split_role_label("株式会社A：株式会社B") is None
    assert _names("株式会社A：株式会社B") == ["株式会社a", "株式会社b"]


@pytest.mark.parametrize(
    "cell", ["委託先：株式会社B", "再委託先:株式会社B", "提供元：株式会社B", "データ提供先：株式会社B"]
)
def test_a_role_before_a_colon_is_a_note_on_the_party(cell: str) -> None:
    assert _names(cell) == ["株式会社b"]
    assert _parties(cell)[0][0][0] == cell  # the role stays in the text as written


def test_a_place_name_is_no_address() -> None:
    assert not is_address("横浜市2区選挙管理委員会")
    parties, notes = _parties("厚生労働省 横浜市2区選挙管理委員会")
    assert [text for text, _ in parties] == ["厚生労働省", "横浜市2区選挙管理委員会"]
    assert notes == ["unrecognised counterparty: '横浜市2区選挙管理委員会'"]


@pytest.mark.parametrize(
    "text",
    [
        "東京都千代田区一番町1-1",
        "千代田区一番町25番地",
        "島根県松江市大正町5番地",
        "〒690-0002 島根県松江市",
        "新宿区西新宿2丁目8番1号",
    ],
)
def test_an_address_has_an_address_shape(text: str) -> None:
    assert is_address(text)


@pytest.mark.parametrize(
    ("cell", "note"),
    [
        ("株式会社A（株式会社Bに再委託）", "株式会社Bに再委託"),
        ("株式会社A（再委託先：株式会社B）", "再委託先：株式会社B"),
    ],
)
def test_a_subcontractor_in_brackets_is_a_party_of_its_own(cell: str, note: str) -> None:
    parties, notes = _parties(cell)
    assert [iri.rsplit("/", 1)[-1] for _, iri in parties] == ["株式会社a", "株式会社b"]
    assert parties[1][0] == note  # kept with the bracket's words: it is a 再委託先
    assert notes == []


def test_an_unknown_subcontractor_is_kept_with_a_finding() -> None:
    parties, notes = _parties("株式会社A（再委託先：ほげ）")
    assert len(parties) == 2 and parties[1] == ("再委託先：ほげ", "")
    assert notes == ["unrecognised counterparty: 'ほげ'"]


def test_an_address_line_under_a_company_in_a_quoted_cell_is_a_note_on_it() -> None:
    read = cell_lines_read("株式会社A\n東京都千代田区一番町1-1\n合同会社B", "counterparties")
    assert read == "株式会社A（東京都千代田区一番町1-1）、合同会社B"
    assert _names(read) == ["株式会社a", "合同会社b"]


def test_what_is_neither_a_role_nor_a_party_before_a_colon_stays_a_note() -> None:
    parties, notes = _parties("令和3年10月から：株式会社B")
    assert [(text, iri.rsplit("/", 1)[-1]) for text, iri in parties] == [
        ("令和3年10月から：株式会社B", "株式会社b")
    ]
    assert notes == []
