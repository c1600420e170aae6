"""Reading a 条例根拠 cell: the council decision and the statutes cited in parentheses."""

from __future__ import annotations

from datetime import date

import pytest

from ketsugo.read.legal import blank_cell_note, decision_type, kanji_to_int, parse_legal_basis
from ketsugo.read.records import LegalBasis


def decision(result: LegalBasis) -> tuple[int, int, str] | None:
    d = result.decision
    return None if d is None else (d.fiscal_year, d.meeting, d.decision)


def citations(result: LegalBasis) -> list[tuple[str, str, int, bool]]:
    return [(s.law_name, s.article, s.paragraph, s.supplementary) for s in result.statutes]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("令和2年度第2回審議会承認", (2020, 2, "承認")),
        ("令和2年度第4回審議会了承", (2020, 4, "了承")),
        ("平成30年度第8回審議会承認", (2018, 8, "承認")),
        ("平成17年度第2回審議会承認", (2005, 2, "承認")),
        ("令和元年度第7回審議会承認", (2019, 7, "承認")),
        ("令和２年度第１０回審議会承認", (2020, 10, "承認")),
        ("令和二年度第三回審議会了承", (2020, 3, "了承")),
        ("R2年度第1回審議会承認", (2020, 1, "承認")),
        ("令和2年度 第2回 情報公開・個人情報保護審議会 承認", (2020, 2, "承認")),
    ],
)
def test_decision(cell: str, expected: tuple[int, int, str]) -> None:
    result = parse_legal_basis(cell)
    assert decision(result) == expected
    assert result.decision is not None and result.decision.as_written == cell
    assert (result.statutes, result.remarks) == ((), ())


def test_decision_with_statutes() -> None:
    cell = "令和2年度第4回審議会了承（予防接種法第6条第1項、予防接種法第29条、予防接種法附則第7条第2項、地方自治法第245条の9）"
    result = parse_legal_basis(cell)
    assert decision(result) == (2020, 4, "了承")
    assert result.decision is not None and result.decision.as_written == "令和2年度第4回審議会了承"
    assert citations(result) == [
        ("予防接種法", "6", 1, False),
        ("予防接種法", "29", 0, False),
        ("予防接種法", "7", 2, True),
        ("地方自治法", "245の9", 0, False),
    ]
    assert [s.as_written for s in result.statutes] == [
        "予防接種法第6条第1項",
        "予防接種法第29条",
        "予防接種法附則第7条第2項",
        "地方自治法第245条の9",
    ]
    assert [s.position for s in result.statutes] == [1, 2, 3, 4]
    assert result.as_written == cell and result.remarks == ()


def test_supplementary_provision() -> None:
    (citation,) = parse_legal_basis("令和2年度第4回審議会了承（予防接種法附則第7条第2項）").statutes
    assert (citation.law_name, citation.article, citation.paragraph, citation.supplementary) == (
        "予防接種法",
        "7",
        2,
        True,
    )


@pytest.mark.parametrize(
    ("inner", "article", "paragraph"),
    [
        ("地方自治法第245条の9", "245の9", 0),
        ("地方自治法第245条の9第1項", "245の9", 1),
        ("地方自治法第二百四十五条の九", "245の9", 0),
        ("地方自治法第二百四十五条の九第一項", "245の9", 1),
        ("地方自治法第２４５条の９第１項", "245の9", 1),
        ("地方自治法第十条", "10", 0),
    ],
)
def test_article_with_branch_number_and_kanji_numerals(inner: str, article: str, paragraph: int) -> None:
    (citation,) = parse_legal_basis(f"令和2年度第4回審議会了承（{inner}）").statutes
    assert (citation.law_name, citation.article, citation.paragraph) == ("地方自治法", article, paragraph)
    assert citation.as_written == inner


def test_kanji_in_a_law_name_stays_kanji() -> None:
    """Kanji numerals are read only where a number stands (after 第, before 条/項/号)."""
    (citation,) = parse_legal_basis(
        "令和2年度第1回審議会承認（一般社団法人及び一般財団法人に関する法律第一条）"
    ).statutes
    assert (citation.law_name, citation.article) == ("一般社団法人及び一般財団法人に関する法律", "1")


def test_same_law() -> None:
    cell = (
        "令和2年度第4回審議会了承（予防接種法第6条、同法第29条、同法施行令第1条、同令第2条、同法附則第7条）"
    )
    assert citations(parse_legal_basis(cell)) == [
        ("予防接種法", "6", 0, False),
        ("予防接種法", "29", 0, False),
        ("予防接種法施行令", "1", 0, False),
        ("予防接種法施行令", "2", 0, False),
        ("予防接種法", "7", 0, True),
    ]


def test_same_law_with_nothing_before_it_is_a_remark() -> None:
    result = parse_legal_basis("令和2年度第4回審議会了承（同法第29条）")
    assert citations(result) == [("同法", "29", 0, False)]
    assert result.remarks == ("'同法第29条': 同法 but no law is cited before it",)


def test_law_without_article_and_with_a_kind_in_brackets() -> None:
    cell = "令和2年度第9回審議会了承（特定健康診査及び特定保健指導の実施に関する基準（厚生労働省令））"
    result = parse_legal_basis(cell)
    assert citations(result) == [("特定健康診査及び特定保健指導の実施に関する基準", "", 0, False)]
    assert result.statutes[0].as_written == "特定健康診査及び特定保健指導の実施に関する基準（厚生労働省令）"
    assert result.remarks == ()


def test_half_width_brackets() -> None:
    cell = "令和2年度第2回審議会了承(東京におけるマンションの適正な管理の促進に関する条例施行規則)"
    result = parse_legal_basis(cell)
    assert decision(result) == (2020, 2, "了承")
    assert citations(result) == [
        ("東京におけるマンションの適正な管理の促進に関する条例施行規則", "", 0, False)
    ]


# A cell that only cites a statute or ordinance was remarked "no council decision" before
# issue 9; other municipalities cite their ordinance without a decision, so now it is not.
@pytest.mark.parametrize("cell", ["審議会承認済み", "審議会にて審議"])
def test_cell_without_a_decision(cell: str) -> None:
    result = parse_legal_basis(cell)
    assert result.decision is None
    assert result.remarks[0] == (f"no council decision (e.g. 令和2年度第2回審議会承認) found in {cell!r}")
    assert result.as_written == cell


@pytest.mark.parametrize("cell", ["（感染症法第12条第1項）", "感染症法第12条第1項"])
def test_statutes_are_read_even_without_a_decision(cell: str) -> None:
    result = parse_legal_basis(cell)
    assert citations(result) == [("感染症法", "12", 1, False)]
    assert result.decision is None and result.remarks == ()


def test_empty_cell() -> None:
    assert parse_legal_basis("") == LegalBasis("", None)
    assert parse_legal_basis("  ") == LegalBasis("  ", None)


def test_text_after_the_statute_list_is_a_remark() -> None:
    result = parse_legal_basis("令和2年度第4回審議会了承（感染症法第12条第1項）ほか")
    assert decision(result) == (2020, 4, "了承")
    assert citations(result) == [("感染症法", "12", 1, False)]
    assert result.remarks == (
        "text after the statute list is kept only as written: 'ほか' "
        "(in '令和2年度第4回審議会了承（感染症法第12条第1項）ほか')",
    )


def test_two_decisions_are_a_remark() -> None:
    result = parse_legal_basis("令和元年度第7回審議会承認、令和2年度第3回審議会了承")
    assert decision(result) == (2019, 7, "承認")
    assert result.remarks == (
        "more than one council decision in '令和元年度第7回審議会承認、令和2年度第3回審議会了承': "
        "only the first is read; '令和2年度第3回審議会了承' is kept only as written",
    )


def test_unreadable_article_is_a_remark() -> None:
    result = parse_legal_basis("令和2年度第4回審議会了承（感染症法第X条）")
    assert citations(result) == [("感染症法第X条", "", 0, False)]
    assert result.remarks == (
        "article not read in '感染症法第X条' (expected e.g. 地方自治法第245条の9第1項)",
    )


def test_kanji_to_int_is_still_importable_from_legal() -> None:
    assert kanji_to_int("二百四十五") == 245


def test_same_law_of_a_kind_never_cited_before_is_left_unresolved() -> None:
    """同令 with only a 法 cited before names no 令: it stays 同令, with a remark (no fallback)."""
    result = parse_legal_basis("令和2年度第4回審議会了承（予防接種法第6条、同令第2条、同法第7条）")
    assert citations(result) == [
        ("予防接種法", "6", 0, False),
        ("同令", "2", 0, False),
        ("予防接種法", "7", 0, False),
    ]
    assert result.remarks == (
        "'同令第2条': 同令 but no law ending in 令 is cited before it (only 予防接種法): left unresolved",
    )


def test_same_law_names_a_law_whose_name_ends_in_horitsu() -> None:
    name = "行政手続における特定の個人を識別するための番号の利用等に関する法律"
    result = parse_legal_basis(f"令和2年度第4回審議会了承（{name}第19条、同法第9条）")
    assert [s.law_name for s in result.statutes] == [name, name]
    assert result.remarks == ()


@pytest.mark.parametrize(
    ("inner", "article", "paragraph", "item"),
    [
        ("番号法第19条第8号", "19", 0, 8),
        ("番号法第19条第1項第8号", "19", 1, 8),
        ("番号法第十九条第八号", "19", 0, 8),
        ("番号法第９条第２項第３号", "9", 2, 3),
        ("番号法第19条", "19", 0, 0),
    ],
)
def test_item_go(inner: str, article: str, paragraph: int, item: int) -> None:
    result = parse_legal_basis(f"令和2年度第4回審議会了承（{inner}）")
    (citation,) = result.statutes
    assert (citation.law_name, citation.article, citation.paragraph, citation.item) == (
        "番号法",
        article,
        paragraph,
        item,
    )
    assert (citation.rest, result.remarks) == ("", ())


@pytest.mark.parametrize(
    ("inner", "rest"),
    [
        ("番号法第19条第8号ただし書", "ただし書"),
        ("地方自治法第245条の9第1項前段", "前段"),
        ("感染症法第12条各号", "各号"),
    ],
)
def test_text_after_the_article_is_kept_and_remarked(inner: str, rest: str) -> None:
    result = parse_legal_basis(f"令和2年度第4回審議会了承（{inner}）")
    (citation,) = result.statutes
    assert citation.rest == rest and citation.as_written == inner
    assert result.remarks == (
        f"{rest!r} after the article in {inner!r} is kept as written, not read "
        "(only law, article, paragraph 項 and item 号 are)",
    )


def full(result: LegalBasis) -> tuple[object, ...] | None:
    d = result.decision
    return None if d is None else (d.fiscal_year, d.meeting, d.decision, d.council, d.meeting_date)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("令和2年度第4回審議会承認", (2020, 4, "承認", "審議会", None)),
        ("令和２年度第４回審議会了承", (2020, 4, "了承", "審議会", None)),
        ("R2年度第4回個人情報保護審議会答申", (2020, 4, "答申", "個人情報保護審議会", None)),
        (
            "2020年度第4回情報公開・個人情報保護審議会意見",
            (2020, 4, "意見", "情報公開・個人情報保護審議会", None),
        ),
        ("令和3年度第1回個人情報保護運営審議会に報告", (2021, 1, "報告", "個人情報保護運営審議会", None)),
        ("令和元年度第10回個人情報保護審査会へ諮問", (2019, 10, "諮問", "個人情報保護審査会", None)),
        ("平成三十年度第二回審議会承認", (2018, 2, "承認", "審議会", None)),
        ("令和2年5月20日審議会答申", (2020, 0, "答申", "審議会", date(2020, 5, 20))),
        (
            "令和3年2月1日開催の個人情報保護審議会の意見",
            (2020, 0, "意見", "個人情報保護審議会", date(2021, 2, 1)),
        ),
        ("2021/3/31 審議会承認", (2020, 0, "承認", "審議会", date(2021, 3, 31))),
    ],
)
def test_other_council_wordings(cell: str, expected: tuple[object, ...]) -> None:
    result = parse_legal_basis(cell)
    assert full(result) == expected
    assert result.remarks == ()


def test_impossible_decision_date_is_no_decision() -> None:
    result = parse_legal_basis("令和2年2月30日審議会答申")
    assert result.decision is None
    assert result.remarks[0].startswith("no council decision")


def test_decision_words_map_to_decision_types() -> None:
    assert [decision_type(w) for w in ("承認", "了承", "答申", "意見", "報告", "諮問")] == [
        "Approval",
        "Acknowledgement",
        "CouncilReply",
        "CouncilOpinion",
        "ReportToCouncil",
        "ConsultationOfCouncil",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("新宿区個人情報保護条例第15条第2項第3号", ("新宿区個人情報保護条例", "15", 2, 3)),
        ("条例第8条第1項第5号", ("条例", "8", 1, 5)),
        ("〇〇市個人情報保護条例第十条第二項第一号", ("〇〇市個人情報保護条例", "10", 2, 1)),
    ],
)
def test_ordinance_citations(cell: str, expected: tuple[str, str, int, int]) -> None:
    result = parse_legal_basis(cell)
    (citation,) = result.statutes
    assert (citation.law_name, citation.article, citation.paragraph, citation.item) == expected
    assert result.decision is None and result.remarks == () and not result.statutory


def test_decision_with_an_ordinance_citation() -> None:
    result = parse_legal_basis("令和2年度第3回審議会承認（条例第15条第2項第3号）")
    assert full(result) == (2020, 3, "承認", "審議会", None)
    assert [(c.law_name, c.article, c.paragraph, c.item) for c in result.statutes] == [("条例", "15", 2, 3)]


@pytest.mark.parametrize(
    ("cell", "laws"),
    [
        ("法令に基づく", []),
        ("法令等の規定に基づく", []),
        ("法令に定めがあるとき", []),
        ("法令に基づく（住民基本台帳法第30条の9）", ["住民基本台帳法"]),
        ("法令に定めがあるとき 番号法第19条第8号", ["番号法"]),
    ],
)
def test_statutory_basis_is_flagged(cell: str, laws: list[str]) -> None:
    result = parse_legal_basis(cell)
    assert result.statutory
    assert [c.law_name for c in result.statutes] == laws
    assert result.decision is None and result.remarks == ()


def test_bundled_wording_is_not_statutory() -> None:
    assert not parse_legal_basis("令和2年度第4回審議会了承（感染症法第12条第1項）").statutory


def test_a_decision_with_its_fiscal_year_and_no_meeting_number() -> None:
    """令和2年度審議会承認 / 承認済（令和3年度）: the year and the decision are read, the meeting is not
    written (0): other municipalities write no meeting number."""
    assert decision(parse_legal_basis("令和2年度審議会承認")) == (2020, 0, "承認")
    assert decision(parse_legal_basis("承認済（令和3年度）")) == (2021, 0, "承認")


@pytest.mark.parametrize("cell", ["0412年度第1回承認", "承認（0412年度第1回）", "0999年度審議会承認"])
def test_a_western_year_before_every_era_is_not_a_decision_year(cell: str) -> None:
    """0412年度 (a zero typed first, or noise) is no fiscal year any report can mean: no decision is
    read from it, and the cell is remarked, not turned into a year the graph cannot name (a
    hypothesis example crashed the build with it)."""
    result = parse_legal_basis(cell)
    assert result.decision is None
    assert result.remarks and "no council decision" in result.remarks[0]


def test_fiscal_year_ja_before_every_era_does_not_crash() -> None:
    from ketsugo.graph.quads import fiscal_year_ja

    assert fiscal_year_ja(2019) == "令和元年度"
    assert fiscal_year_ja(412) == "412年度"


# --- a note under the table defining a blank council cell (cells.toml [legal] blank_words) ------


def test_blank_cell_note_found_by_its_mark_or_the_column_name() -> None:
    notes = [
        "※1 個人番号利用事務：該当するものを「該当」としています。",
        "※3 審査会：上勝町個人情報保護審査会。空欄は審査会への諮問・報告を行っていないものです。",
    ]
    assert blank_cell_note("審査会※3", notes) == notes[1]  # the mark ※3 of the header
    assert blank_cell_note("審査会", notes) == notes[1]  # the column's name in the note
    # a note of another column, or one not saying what blank means, is no definition
    assert blank_cell_note("審議会※2", ["※2 審議会：上勝町個人情報保護審議会。"]) == ""
    assert blank_cell_note("条例根拠", ["※1 空欄は該当しないもの"]) == ""


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # a consultation and, in the same sentence, what came of it: the outcome is the decision
        ("令和４年８月３０日開催の審議会に諮問し、適当である旨の答申を得た", (2022, 0, "答申")),
        ("令和5年度第2回審議会に諮問し、承認を得た", (2023, 2, "承認")),
        # a consultation alone stays one
        ("令和４年８月３０日開催の審議会に諮問", (2022, 0, "諮問")),
        # the next sentence is another matter: the consultation stays
        ("令和5年度第2回審議会に諮問。答申は次回", (2023, 2, "諮問")),
    ],
)
def test_a_consultation_and_its_outcome(cell: str, expected: tuple[int, int, str]) -> None:
    decision = parse_legal_basis(cell).decision
    assert decision is not None
    assert (decision.fiscal_year, decision.meeting, decision.decision) == expected


def test_a_dated_meeting_reported_to_with_he() -> None:
    """「第３回審議会（令和４年１１月２２日）へ報告」: へ is a particle like に, the meeting number kept."""
    decision = parse_legal_basis("令和４年度第３回審議会（令和４年１１月２２日）へ報告").decision
    assert decision is not None
    assert (decision.fiscal_year, decision.meeting, decision.decision) == (2022, 3, "報告")
    assert decision.meeting_date == date(2022, 11, 22)
