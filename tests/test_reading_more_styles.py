"""Styles found when the variant reports were first scored (tests/cases/variants): each
expectation read off the cell text by hand."""

from __future__ import annotations

import pytest

from ketsugo.graph.reference import reference
from ketsugo.read.items import split_items
from ketsugo.read.legal import parse_legal_basis


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
        ("長野県後期高齢者医療広域連合", "LocalGovernment"),  # a 広域連合, also the insurer
        ("〇〇農業協同組合", "Association"),  # a cooperative, not a local government
    ],
)
def test_unions_and_cooperatives(name: str, kind: str) -> None:
    (party,), _ = reference().registry.counterparties(name)
    assert party.classification is not None and party.classification.kind_class == kind


# --- from the second set of unseen variants (tests/cases/variants/README.md, last section) -------

from ketsugo.graph.agencies import slug_for_label  # noqa: E402
from ketsugo.graph.deptpaths import department_tokens as _department_tokens  # noqa: E402
from ketsugo.graph.orgnames import full_form_name, written_full_form  # noqa: E402
from ketsugo.read.eras import EraDateError, parse_era_date  # noqa: E402
from ketsugo.read.parser import headers, parse_report  # noqa: E402


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2022年（令和4年）7月1日", "2022-07-01"),
        ("令和4年（2022年）7月1日", "2022-07-01"),
        ("R4年(2022年)4月1日から", "2022-04-01"),
    ],
)
def test_a_year_with_the_other_calendar_in_parentheses(text: str, iso: str) -> None:
    assert parse_era_date(text).value.isoformat() == iso


def test_a_year_and_a_gloss_that_disagree_is_refused() -> None:
    with pytest.raises(EraDateError, match="disagree"):
        parse_era_date("2022年（令和3年）7月1日")


def test_flag_words_of_other_municipalities() -> None:
    from ketsugo.read.normalize import match_key

    spec = headers()
    assert {match_key(w) for w in ("該当", "有", "●")} <= spec.true_marks
    assert {match_key(w) for w in ("非該当", "－", "対象外")} <= spec.false_marks


SUMMARY = "\t".join
HEAD = "令和4年度 外部結合の状況\n\n（1）実施機関別の件数\n\n"
SECTION2 = (
    "\n（2）新たに結合したもの\n\n"
    + SUMMARY(
        [
            "No.",
            "結合を行った課",
            "業務名",
            "外部結合に係る個人情報記録の項目",
            "結合の相手方",
            "結合の開始年月日",
        ]
    )
    + "\n"
    + SUMMARY(["1", "総務課", "業務", "氏名", "総務省", "R4.5.1"])
    + "\n"
)


@pytest.mark.parametrize(
    "header",
    [
        # no letter row, a comparison column between the counts
        [
            "実施機関",
            "令和３年度末 結合数",
            "令和４年度 新規 結合数",
            "令和４年度 終了 結合数",
            "令和４年度末 結合数",
            "前年度比",
            "うち特定個人情報",
        ],
        # letters at the end of the header cells, 廃止 for ended ones, no years
        [
            "実施機関",
            "前年度末件数（A）",
            "新規（B）",
            "廃止（C）",
            "本年度末件数（A＋B－C）",
            "（うち特定個人情報）",
        ],
    ],
)
def test_summary_columns_without_a_letter_row(header: list[str]) -> None:
    # 市長: 10 before, 1 new, 0 ended, 11 now (+1 over the year), 2 with My Number
    row = (
        ["市長", "10", "1", "0", "11", "2"] if len(header) == 6 else ["市長", "10", "1", "0", "11", "+1", "2"]
    )
    text = HEAD + SUMMARY(header) + "\n" + SUMMARY(row) + "\n" + SECTION2
    (summary,) = parse_report(text, "r.txt", lenient=True).summary
    assert (summary.previous, summary.new, summary.ended, summary.current, summary.specific) == (
        10,
        1,
        0,
        11,
        2,
    )


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("健康福祉部 国保年金課", ["健康福祉部国保年金課"]),  # a section of a division
        ("市民局窓口サービス課、各区戸籍課", ["市民局窓口サービス課", "各区戸籍課"]),
        ("生活福祉課 保護担当課", ["生活福祉課", "保護担当課"]),
        ("保育・幼稚園課", ["保育・幼稚園課"]),
    ],
)
def test_department_cells(cell: str, names: list[str]) -> None:
    assert _department_tokens(cell) == names


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("氏名・生年月日・性別・住所", ["氏名", "生年月日", "性別", "住所"]),
        ("性別・生年月日", ["性別・生年月日"]),  # one ・ alone: a compound item (rule 7)
        ("氏名 生年月日 住所 電話番号", ["氏名", "生年月日", "住所", "電話番号"]),
        ("User ID パスワード", ["User ID", "パスワード"]),
        ("氏名、住所", ["氏名", "住所"]),
    ],
)
def test_items_separated_by_middle_dots_or_spaces(cell: str, names: list[str]) -> None:
    assert [i.name for i in split_items(cell).items] == names


def test_any_public_enterprise_manager_label() -> None:
    assert slug_for_label("水道事業及び下水道事業管理者", "221309") == "public-enterprise-manager"


@pytest.mark.parametrize(
    ("name", "kind_class", "party_kind"),
    [
        ("国", "NationalGovernmentBody", ""),
        ("都道府県", "", "LocalGovernmentsInGeneral"),
        ("全国の市区町村", "", "LocalGovernmentsInGeneral"),
    ],
)
def test_the_state_and_local_governments_in_general(name: str, kind_class: str, party_kind: str) -> None:
    (party,), _ = reference().registry.counterparties(name)
    assert party.classification is not None
    assert (party.classification.kind_class, party.classification.party_kind) == (kind_class, party_kind)


def test_a_company_keeps_its_own_word_order_as_an_alternative_label() -> None:
    assert full_form_name("日本電気株式会社") == full_form_name("株式会社日本電気") == "株式会社日本電気"
    assert written_full_form("日本電気（株）") == "日本電気株式会社"
    assert written_full_form("㈱ABC") == "株式会社ABC"


def test_a_numbered_meeting_with_its_date_in_parentheses() -> None:
    decision = parse_legal_basis("第1回審議会（令和4年5月25日）承認").decision
    assert decision is not None
    assert (decision.fiscal_year, decision.meeting, decision.decision) == (2022, 1, "承認")
    assert decision.meeting_date is not None and decision.meeting_date.isoformat() == "2022-05-25"


# --- from the third set of unseen variants (tests/cases/variants/README.md, third round) --------


@pytest.mark.parametrize(
    ("cell", "fiscal_year", "meeting", "word"),
    [
        ("第1回審議会承認（R3.6.24）", 2021, 1, "承認"),
        ("審議会報告（令和4年5月30日）", 2022, 0, "報告"),
        ("承認（令和4年度第1回）", 2022, 1, "承認"),
        ("令和4年8月 審査会承認", 2022, 0, "承認"),  # a month alone: its fiscal year only
        ("適当（令和2年6月26日答申）", 2020, 0, "答申"),
    ],
)
def test_decisions_read_across_parentheses(cell: str, fiscal_year: int, meeting: int, word: str) -> None:
    basis = parse_legal_basis(cell)
    assert basis.decision is not None and basis.statutes == ()
    assert (basis.decision.fiscal_year, basis.decision.meeting, basis.decision.decision) == (
        fiscal_year,
        meeting,
        word,
    )


def test_a_wording_in_parentheses_is_no_statute() -> None:
    basis = parse_legal_basis("諮問不要（法令に基づく提供）")
    assert basis.statutory and basis.statutes == ()


def test_numbering_with_a_closing_parenthesis() -> None:
    assert [i.name for i in split_items("1)被保険者番号 2)氏名 3)生年月日").items] == [
        "被保険者番号",
        "氏名",
        "生年月日",
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("国立大学法人琉球大学", "PublicBody"),
        ("鳥取県西部広域行政管理組合", "LocalGovernment"),
        ("鶴岡商工会議所", "Association"),
    ],
)
def test_more_public_bodies(name: str, kind: str) -> None:
    (party,), _ = reference().registry.counterparties(name)
    assert party.classification is not None and party.classification.kind_class == kind


REPORT_3 = "\n".join(
    [
        "令和4年度 外部結合の状況",
        "",
        "第1 実施機関別の外部結合の状況",
        "",
        "区分\t前年度末\t増\t減\t年度末\tうち個人番号を含むもの",
        "村長\t18\t1\t0\t19\t1",
        "",
        "第2 新規に実施した外部結合",
        "",
        "番号\t担当課\t業務名\t提供・受領する個人情報\t個人番号\t相手方\t結合日",
        "1\t住民課\t住民票交付\t氏名、住所\t含む\t地方公共団体情報システム機構\tR4.7.1",
        "以下余白",
        "",
    ]
)


def test_third_round_headings_columns_and_flags() -> None:
    parsed = parse_report(REPORT_3, "r.txt")  # strict: every column and mark is read
    (summary,) = parsed.summary
    assert (summary.previous, summary.new, summary.ended, summary.current, summary.specific) == (
        18,
        1,
        0,
        19,
        1,
    )
    (row,) = parsed.connections
    assert [i.name for i in row.items.items] == ["氏名", "住所"]
    assert row.specific_personal_information is True
    assert row.start_date is not None and row.start_date.isoformat() == "2022-07-01"
    assert (12, "以下余白") in parsed.section_notes  # layout, kept as a note, not part of the row


def test_a_bracketed_agency_line_inside_the_table_groups_the_rows_below() -> None:
    from ketsugo.graph.quads import build_graph
    from ketsugo.read.metadata import metadata_from_options

    text = REPORT_3.replace(
        "1\t住民課\t住民票交付\t氏名、住所\t含む\t地方公共団体情報システム機構\tR4.7.1",
        "【村長】\n1\t住民課\t住民票交付\t氏名、住所\t含む\t地方公共団体情報システム機構\tR4.7.1\n"
        "【教育委員会】\n2\t文化課\t文化財案内\t氏名\t含まない\t株式会社X\tR4.8.1",
    ).replace("村長\t18\t1\t0\t19\t1", "村長\t18\t1\t0\t19\t1\n教育委員会\t3\t1\t0\t4\t0")
    parsed = parse_report(text, "r.txt")
    assert [(c.number, c.group_heading) for c in parsed.connections] == [(1, "村長"), (2, "教育委員会")]
    from pathlib import Path

    # 恩納村 (473111): 文化課 has no rule of its own; the heading above it says 教育委員会
    graph = build_graph(parsed, metadata_from_options(Path("r.txt"), "473111", 2022), reference()).graph
    agency = "https://w3id.org/ketsugo/id/473111/agency/"
    rows = graph.query(
        "SELECT ?n ?a WHERE { ?c <https://w3id.org/ketsugo#connectionNumber> ?n ; "
        "<https://w3id.org/ketsugo#implementingAgency> ?a }"
    )
    assert sorted((int(n), str(a).removeprefix(agency)) for n, a in rows) == [
        (1, "mayor"),
        (2, "board-of-education"),
    ]
