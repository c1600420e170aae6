"""Splitting a 個人情報記録の項目 cell: one test per rule of docs/items.md, on small hand-written cells."""

from __future__ import annotations

import shutil

import pytest

from ketsugo.read.items import split_items
from ketsugo.read.records import ItemList


def texts(result: ItemList) -> list[str]:
    return [i.as_written for i in result.items]


def groups(result: ItemList) -> list[tuple[str, str, str]]:
    return [(i.as_written, i.group, i.marker) for i in result.items]


# --- rule 1: the note ---------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["※", "*", "＊"])
def test_note_after_white_space_runs_to_the_end(marker: str) -> None:
    result = split_items(f"氏名、保護者氏名 {marker}氏名及び保護者氏名は、番号で管理")
    assert texts(result) == ["氏名", "保護者氏名"]
    assert result.note == f"{marker}氏名及び保護者氏名は、番号で管理"


def test_note_at_the_start_of_the_cell() -> None:
    result = split_items("※項目は別紙のとおり")
    assert (texts(result), result.note) == ([], "※項目は別紙のとおり")


def test_note_marker_inside_brackets_is_part_of_the_item() -> None:
    result = split_items("MPN（※）処理年月日、MPN（※）処理時刻")
    assert texts(result) == ["MPN（※）処理年月日", "MPN（※）処理時刻"]
    assert result.note == ""


def test_note_marker_not_after_white_space_is_part_of_the_item() -> None:
    assert texts(split_items("氏名※、住所")) == ["氏名※", "住所"]


# --- rule 2: separators ---------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["、", "，", ","])
def test_separators(separator: str) -> None:
    assert texts(split_items(f"氏名{separator}住所{separator}電話番号")) == ["氏名", "住所", "電話番号"]


def test_full_stop_between_items_is_a_separator_and_a_remark() -> None:
    result = split_items("送付先情報、税情報。生活保護関係情報")
    assert texts(result) == ["送付先情報", "税情報", "生活保護関係情報"]
    assert result.remarks == ("「。」 read as a separator after '税情報'",)


def test_separators_inside_brackets_do_not_split() -> None:
    assert texts(split_items("区自由使用欄[処理区分、賦課年度]、収納店舗コード「a、b」")) == [
        "区自由使用欄[処理区分、賦課年度]",
        "収納店舗コード「a、b」",
    ]


def test_white_space_before_a_group_marker_separates() -> None:
    result = split_items("①申込情報（申込番号、氏名） ②決済情報（金額、決済日）")
    assert texts(result) == ["申込番号", "氏名", "金額", "決済日"]


# --- rule 3: numbered groups ------------------------------------------------------------------


def test_numbered_groups() -> None:
    result = split_items("①給付対象者情報（住民番号、カナ氏名） ②給付申請状況（発送年月日、受理年月日）")
    assert groups(result) == [
        ("住民番号", "給付対象者情報", "①"),
        ("カナ氏名", "給付対象者情報", "①"),
        ("発送年月日", "給付申請状況", "②"),
        ("受理年月日", "給付申請状況", "②"),
    ]


def test_group_marker_without_white_space_before_it_does_not_split() -> None:
    assert texts(split_items("給付①対象者、口座番号")) == ["給付①対象者", "口座番号"]


def test_numbered_group_with_one_member_is_one_item_under_its_marker() -> None:
    # ②給付申請状況（発送年月日）: no separator inside, so the parenthesis is part of the name
    (item,) = split_items("②給付申請状況（発送年月日）").items
    assert (item.as_written, item.marker, item.name) == (
        "給付申請状況（発送年月日）",
        "②",
        "給付申請状況（発送年月日）",
    )


def test_numbered_marker_with_nothing_after_it_is_dropped_with_a_remark() -> None:
    result = split_items("①給付対象者情報（住民番号、氏名） ②")
    assert texts(result) == ["住民番号", "氏名"]
    assert result.remarks == ("group marker ② with nothing after it",)


# --- rule 4: bracket headings -------------------------------------------------------------------


def test_bracket_headings_apply_up_to_the_next_bracket() -> None:
    result = split_items("【調定情報】 納付番号、氏名カナ 【収納情報】 支払合計額累積")
    assert groups(result) == [
        ("納付番号", "調定情報", "【】"),
        ("氏名カナ", "調定情報", "【】"),
        ("支払合計額累積", "収納情報", "【】"),
    ]


def test_unclosed_bracket_heading_is_a_remark() -> None:
    result = split_items("【調定情報 納付番号、氏名")
    assert texts(result) == []
    assert result.remarks[-1] == "unclosed 【 in '【調定情報 納付番号、氏名': read as a heading with no items"


def test_bracket_heading_without_items_is_a_remark() -> None:
    result = split_items("【調定情報】 【収納情報】 支払合計額累積")
    assert groups(result) == [("支払合計額累積", "収納情報", "【】")]
    assert result.remarks == ("heading 【調定情報】 has no items under it",)
    assert split_items("氏名 【収納情報】").remarks == ("heading 【収納情報】 has no items under it",)


def test_bracket_inside_an_item_is_not_a_heading() -> None:
    """Only 【 after white space opens a heading (docs/items.md rule 2); elsewhere it is text."""
    assert texts(split_items("区自由使用欄【処理区分、賦課年度】、収納店舗コード")) == [
        "区自由使用欄【処理区分、賦課年度】",
        "収納店舗コード",
    ]


def test_empty_bracket_heading_is_a_remark() -> None:
    result = split_items("【】 納付番号")
    assert texts(result) == ["納付番号"]
    assert result.remarks == ("empty 【】 heading in '【】 納付番号'",)


# --- rule 5: a heading with a list ---------------------------------------------------------------


def test_heading_with_a_list_is_a_group_without_a_marker() -> None:
    result = split_items("統計要件（世帯、訪問類型）、保護世帯構成")
    assert groups(result) == [
        ("世帯", "統計要件", ""),
        ("訪問類型", "統計要件", ""),
        ("保護世帯構成", "", ""),
    ]


def test_heading_with_a_list_joined_by_middle_dots_is_a_group() -> None:
    result = split_items("4情報（氏名・生年月日・性別・住所）、被保険者番号")
    assert groups(result) == [
        ("氏名", "4情報", ""),
        ("生年月日", "4情報", ""),
        ("性別", "4情報", ""),
        ("住所", "4情報", ""),
        ("被保険者番号", "", ""),
    ]
    # one ・ is a compound (rule 7), and a qualifier stays a qualifier (rule 6)
    assert [i.name for i in split_items("届出（転入・転出）").items] == ["届出（転入・転出）"]
    qualified = split_items("異動日（転入・転出・転居の場合）").items
    assert [(i.name, i.qualifier) for i in qualified] == [("異動日", "転入・転出・転居の場合")]


def test_nested_groups_are_recursive() -> None:
    result = split_items("納付内容カナ(項目(国民健康保険料)、年度、期別の内容)")
    assert groups(result) == [
        ("項目(国民健康保険料)", "納付内容カナ", ""),
        ("年度", "納付内容カナ", ""),
        ("期別の内容", "納付内容カナ", ""),
    ]


def test_group_inside_a_numbered_group_keeps_the_marker() -> None:
    result = split_items("①申込情報（申込番号、決済（金額、決済日））")
    assert groups(result) == [
        ("申込番号", "申込情報", "①"),
        ("金額", "決済", "①"),
        ("決済日", "決済", "①"),
    ]


def test_group_without_members_stays_one_item() -> None:
    result = split_items("減免証明（、）")
    assert texts(result) == ["減免証明（、）"]
    assert "group '減免証明' has no members: kept as one item '減免証明（、）'" in result.remarks


# --- rule 6: qualifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "name", "qualifier"),
    [
        (
            "性別・生年月日（ワンストップ特例希望ありの場合のみ）",
            "性別・生年月日",
            "ワンストップ特例希望ありの場合のみ",
        ),
        ("旧住所(転入の場合)", "旧住所", "転入の場合"),
    ],
)
def test_qualifier(cell: str, name: str, qualifier: str) -> None:
    (item,) = split_items(cell).items
    assert (item.as_written, item.name, item.qualifier, item.conditional) == (cell, name, qualifier, True)


@pytest.mark.parametrize(
    "cell", ["個人番号（マイナンバー）", "国保適用開始（終了・変更）届出日", "項目(国民健康保険料)"]
)
def test_other_parentheses_stay_in_the_name(cell: str) -> None:
    (item,) = split_items(cell).items
    assert (item.name, item.qualifier, item.conditional) == (cell, "", False)


# --- rule 7: compounds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("性別・生年月日", ("性別", "生年月日")),
        ("転出/死亡フラグ", ("転出", "死亡フラグ")),
        ("資格取得日／喪失日", ("資格取得日", "喪失日")),
        ("国保適用開始（終了・変更）届出日", ()),  # ・ inside brackets does not split
        ("氏名", ()),
    ],
)
def test_compounds(cell: str, parts: tuple[str, ...]) -> None:
    (item,) = split_items(cell).items
    assert (item.as_written, item.parts) == (cell, parts)


def test_compound_with_a_qualifier_splits_the_name_only() -> None:
    (item,) = split_items("性別・生年月日（ワンストップ特例希望ありの場合のみ）").items
    assert item.parts == ("性別", "生年月日")


# --- rule 8: empty pieces -------------------------------------------------------------------------


def test_empty_pieces_are_dropped_with_a_warning() -> None:
    result = split_items("氏名、、住所、")
    assert texts(result) == ["氏名", "住所"]
    assert result.remarks == ("empty item before '、'", "empty item after a trailing '、'")


def test_empty_cell() -> None:
    assert split_items("") == ItemList(())
    assert split_items("   ") == ItemList(())


# --- positions ------------------------------------------------------------------------------------


def test_positions_number_leaves_in_reading_order_and_duplicates_are_kept() -> None:
    result = split_items("①発送（あて名、年月日） ②受理（あて名、年月日）、あて名")
    assert [(i.position, i.as_written) for i in result.items] == [
        (1, "あて名"),
        (2, "年月日"),
        (3, "あて名"),
        (4, "年月日"),
        (5, "あて名"),
    ]


def test_unbalanced_brackets_are_a_remark_and_the_text_is_kept() -> None:
    result = split_items("氏名（カナ、住所")
    assert texts(result) == ["氏名（カナ、住所"]
    assert result.remarks == ("unbalanced brackets in '氏名（カナ、住所'",)


def test_very_deep_nesting_is_kept_as_one_item() -> None:
    cell = "a"
    for _ in range(30):
        cell = f"X（{cell}、c）"
    result = split_items(cell)
    assert len(result.items) == 21 and result.remarks[0].startswith("groups nested more than 20 deep")


# --- the bracket walk all splitting shares --------------------------------------------------


def test_walk_yields_each_character_with_its_depth() -> None:
    from ketsugo.read.brackets import walk

    assert [(c, d) for _, c, d in walk("a（b【c】）d")] == [
        ("a", 0),
        ("（", 0),
        ("b", 1),
        ("【", 1),
        ("c", 2),
        ("】", 1),
        ("）", 0),
        ("d", 0),
    ]
    assert [d for _, _, d in walk("）a（")] == [0, 0, 0], "a closing bracket with nothing open is at depth 0"
    assert [(i, d) for i, _, d in walk("(a)b", reverse=True)] == [(3, 0), (2, 0), (1, 1), (0, 0)]
    assert [d for _, _, d in walk("【(a)】", "(", ")")] == [0, 0, 1, 0, 0], "only the brackets given count"


def test_bracket_helpers_agree_with_the_walk() -> None:
    from ketsugo.read.brackets import depth_at_end, matching, split_top_level, trailing_paren

    assert split_top_level("a、b（c、d）、e", "、") == ["a", "b（c、d）", "e"]
    assert matching("【a（b）】c", 0) == 5 and matching("（a", 0) == -1
    assert trailing_paren("性別（a（b））") == 2 and trailing_paren("a（b）c") == -1
    assert (depth_at_end("a（b"), depth_at_end("a（b）"), depth_at_end("a）")) == (1, 0, 0)


def test_no_bracket_depth_loop_outside_brackets_walk() -> None:
    """The depth bookkeeping is written once, in brackets.walk."""
    import inspect

    import ketsugo.read.brackets
    import ketsugo.read.items
    import ketsugo.read.legal

    for module in (ketsugo.read.items, ketsugo.read.legal):
        assert "depth += 1" not in inspect.getsource(module), module.__name__
        assert "depth -= 1" not in inspect.getsource(module), module.__name__
    source = inspect.getsource(ketsugo.read.brackets)
    assert source.count("depth += 1") == 1 and source.count("depth - 1") == 1


# --- the marks come from data/reference/cells.toml ----------------------------------------


@pytest.fixture
def other_cell_words(tmp_path, monkeypatch):
    """cells.toml with ； as one more separator and 時のみ as one more qualifier ending."""
    import ketsugo.read.items as items_module
    import ketsugo.read.legal as legal_module
    from ketsugo.paths import REFERENCE_DIR

    table = (REFERENCE_DIR / "cells.toml").read_text(encoding="utf-8")
    table = table.replace(
        'separators = ["、", "，", ",", "。"]', 'separators = ["、", "，", ",", "。", "；"]'
    )
    table = table.replace(
        'qualifier_endings = ["場合のみ", "場合", "に限る", "に限ります"]',
        'qualifier_endings = ["場合のみ", "場合", "時のみ"]',
    )
    table = table.replace('"同条例" = ["条例"]', '"同条例" = ["条例"]\n"同省令" = ["省令"]')
    import ketsugo.paths as paths_module

    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    (tmp_path / "reference" / "cells.toml").write_text(table, encoding="utf-8")
    for cached in (items_module.words, legal_module.words, paths_module.reference_toml):
        cached.cache_clear()
    monkeypatch.setattr(paths_module, "REFERENCE_DIR", tmp_path / "reference")
    yield
    monkeypatch.undo()
    for cached in (items_module.words, legal_module.words, paths_module.reference_toml):
        cached.cache_clear()


@pytest.mark.usefixtures("other_cell_words")
def test_marks_are_read_from_cells_toml() -> None:
    from ketsugo.read.legal import parse_legal_basis

    result = split_items("氏名；住所、電話番号（日中不在時のみ）")
    assert texts(result) == ["氏名", "住所", "電話番号（日中不在時のみ）"]
    assert (result.items[2].name, result.items[2].qualifier) == ("電話番号", "日中不在時のみ")
    legal = parse_legal_basis("令和2年度第1回審議会承認（予防接種法施行規則第1条、同省令第2条）")
    assert [s.law_name for s in legal.statutes] == ["予防接種法施行規則", "同省令"]


def test_shipped_cells_toml_gives_the_documented_marks() -> None:
    from ketsugo.read.items import words
    from ketsugo.read.legal import words as legal_words

    marks = words()
    assert (marks.separators, marks.note_markers, marks.compound_separators) == (
        "、，,。；;",
        "※*＊",
        "・/／",
    )
    assert marks.qualifier_endings == ("場合のみ", "場合", "に限る", "に限ります")
    assert marks.group_markers == "".join(chr(c) for c in range(0x2460, 0x2474))
    assert legal_words().same_law["同法"] == ("法", "法律")


# --- issue 9: other municipalities' item styles (docs/items.md rules 0, 2b, 3, 9, 10) ---------


def names(cell: str) -> list[tuple[str, str, str]]:
    return [(i.name, i.marker, i.group) for i in split_items(cell).items]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("「氏名、住所、生年月日」", [("氏名", "", ""), ("住所", "", ""), ("生年月日", "", "")]),
        ("「氏名」、「住所」", [("氏名", "", ""), ("住所", "", "")]),
        ("『氏名』、『性別』", [("氏名", "", ""), ("性別", "", "")]),
    ],
)
def test_quotation_marks(cell: str, expected: list[tuple[str, str, str]]) -> None:
    assert names(cell) == expected


def test_quoted_item_keeps_its_quotes_as_written() -> None:
    (item, _) = split_items("「氏名」、住所").items
    assert (item.as_written, item.name) == ("「氏名」", "氏名")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("(1)氏名 (2)住所 (3)生年月日", [("氏名", "(1)", ""), ("住所", "(2)", ""), ("生年月日", "(3)", "")]),
        ("（１）氏名　（２）住所", [("氏名", "（１）", ""), ("住所", "（２）", "")]),
        ("⑴氏名 ⑵住所", [("氏名", "⑴", ""), ("住所", "⑵", "")]),
        ("1. 氏名 2. 住所", [("氏名", "1.", ""), ("住所", "2.", "")]),
        ("１．氏名　２．住所", [("氏名", "１．", ""), ("住所", "２．", "")]),
        ("ア 氏名 イ 住所 ウ 性別", [("氏名", "ア", ""), ("住所", "イ", ""), ("性別", "ウ", "")]),
        ("(ア)氏名 (イ)住所", [("氏名", "(ア)", ""), ("住所", "(イ)", "")]),
        (
            "⑴世帯情報（氏名、住所） ⑵所得情報（課税額、所得）",
            [
                ("氏名", "⑴", "世帯情報"),
                ("住所", "⑴", "世帯情報"),
                ("課税額", "⑵", "所得情報"),
                ("所得", "⑵", "所得情報"),
            ],
        ),
        ("1.5倍加算、氏名", [("1.5倍加算", "", ""), ("氏名", "", "")]),
        ("カナ氏名、アドレス", [("カナ氏名", "", ""), ("アドレス", "", "")]),
    ],
)
def test_numbering_markers(cell: str, expected: list[tuple[str, str, str]]) -> None:
    assert names(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("氏名 ／ 住所 ／ 電話番号", ["氏名", "住所", "電話番号"]),
        ("氏名／ 住所", ["氏名", "住所"]),
        ("氏名／住所／生年月日", ["氏名", "住所", "生年月日"]),
        ("氏名、転出/死亡フラグ", ["氏名", "転出/死亡フラグ"]),
        ("転出/死亡フラグ", ["転出/死亡フラグ"]),
        ("性別／生年月日、氏名", ["性別／生年月日", "氏名"]),
    ],
)
def test_slashes_separate_only_between_items(cell: str, expected: list[str]) -> None:
    assert [i.name for i in split_items(cell).items] == expected


def test_compound_with_slash_keeps_its_parts() -> None:
    (_, item) = split_items("氏名、転出/死亡フラグ").items
    assert item.parts == ("転出", "死亡フラグ")


@pytest.mark.parametrize(
    ("cell", "expected", "open_ended"),
    [
        ("氏名、住所、生年月日等", ["氏名", "住所", "生年月日"], True),
        ("氏名、住所など", ["氏名", "住所"], True),
        ("氏名、住所ほか", ["氏名", "住所"], True),
        ("氏名、住所、等", ["氏名", "住所"], True),
        ("氏名、住所 等", ["氏名", "住所"], True),
        ("「氏名、住所」等", ["氏名", "住所"], True),
        ("氏名等、住所", ["氏名", "住所"], False),
        ("氏名、平等割額", ["氏名", "平等割額"], False),
        ("氏名、均等", ["氏名", "均等"], False),
        ("氏名、住所", ["氏名", "住所"], False),
    ],
)
def test_and_the_like(cell: str, expected: list[str], open_ended: bool) -> None:
    result = split_items(cell)
    assert [i.name for i in result.items] == expected
    assert result.open_ended is open_ended


def test_and_the_like_keeps_as_written() -> None:
    items = split_items("氏名等、住所、生年月日等").items
    assert [i.as_written for i in items] == ["氏名等", "住所", "生年月日等"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("別紙のとおり", []),
        ("別紙参照", []),
        ("別表のとおり", []),
        ("別添", []),
        ("添付資料のとおり", []),
        ("別紙２のとおり", []),
        ("氏名、住所、その他別紙のとおり", ["氏名", "住所"]),
    ],
)
def test_items_not_in_the_report(cell: str, expected: list[str]) -> None:
    result = split_items(cell)
    assert [i.name for i in result.items] == expected
    assert result.not_in_report is True


def test_ordinary_list_is_in_the_report() -> None:
    result = split_items("氏名、住所（別居の場合）")
    assert result.not_in_report is False and result.open_ended is False
