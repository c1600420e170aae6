"""Marks a spreadsheet's copy uses for what it does not write twice (read/ditto.py, directed.py,
footmarks.py): ditto marks and merged blanks, item columns split by direction, ※-marked items, and
sections headed by ■ instead of a number. The tables are written by hand here; each test fails on
the reading before these rules (a mark kept as the value, a build error, an absent flag)."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t審議会\t結合の相手方\t開始年月日"


def _report(
    *rows: str, heading: str = "（2）新たに結合したもの", header: str = HEADER, after: str = ""
) -> str:
    return "\n".join(["令和4年度 外部結合の状況", "", heading, "", header, *rows, "", after]) + "\n"


def _rows(text: str):
    report = parse_report(text, "t.txt", lenient=True)
    return report, {c.number: c for c in report.connections}


ROW1 = "1\t市民課\t住民基本台帳事務\t氏名、住所\t無\t令和4年度第1回審議会承認\t株式会社A\t令和4年6月1日"


def test_ditto_marks_read_the_row_above() -> None:
    report, rows = _rows(
        _report(
            ROW1,
            "2\t〃\t同上\t上に同じ\t″\t同上\t株式会社B\t令和4年7月1日",
            "3\t同上\t戸籍事務\t本籍\t有\t〃\t〃\t令和4年8月1日",
        )
    )
    assert rows[2].departments_as_written == "市民課"
    assert rows[2].business == "住民基本台帳事務"
    assert [i.name for i in rows[2].items.items] == ["氏名", "住所"]
    assert rows[2].specific_personal_information is False
    assert rows[2].legal_basis is not None and rows[2].legal_basis.decision is not None
    assert rows[2].legal_basis.decision.meeting == 1
    assert rows[3].departments_as_written == "市民課"  # a mark under a mark: the value both stand for
    assert rows[3].counterparties_as_written == "株式会社B"
    read = [i for i in report.issues if i.line == 7 and "ditto mark" in i.message]
    assert len(read) == 5  # each cell read so is a finding holding the mark as written
    assert {i.as_written for i in read} == {"〃", "同上", "上に同じ", "″"}
    # a ditto mark says what it stands for: an info, not a warning a reader must look into
    assert {i.severity for i in read} == {"info"}


def test_merged_blank_reads_the_row_above_for_department_and_business_only() -> None:
    report, rows = _rows(_report(ROW1, "2\t\t\t氏名\t\t\t株式会社B\t令和4年7月1日"))
    filled = [i for i in report.issues if "under a merged cell" in i.message]
    # a blank is only the layout's hint (it may also mean none): each cell filled so is a warning
    assert [(i.field, i.severity) for i in filled] == [("担当課", "warning"), ("業務名", "warning")]
    assert rows[2].departments_as_written == "市民課"
    assert rows[2].business == "住民基本台帳事務"
    assert rows[2].legal_basis is None or rows[2].legal_basis.decision is None  # a blank 審議会 stays blank


def test_a_ditto_with_nothing_above_is_kept_with_a_warning() -> None:
    report, rows = _rows(_report("1\t同上\t住民基本台帳事務\t氏名\t無\t\t株式会社A\t令和4年6月1日"))
    # the mark names nothing: no department called 同上, a blank (a gap validate finds); the
    # finding keeps the mark as written
    assert rows[1].departments_as_written == ""
    said = [i for i in report.issues if "there is none in this table" in i.message]
    assert [(i.field, i.as_written, i.severity) for i in said] == [("担当課", "同上", "warning")]


def test_a_repeated_header_goes_on_a_new_table_starts_afresh() -> None:
    page = _report(ROW1, HEADER, "2\t〃\t〃\t氏名\t無\t\t株式会社B\t令和4年7月1日")
    assert _rows(page)[1][2].departments_as_written == "市民課"
    other = HEADER.replace("担当課", "所管課")
    fresh = _report(ROW1, other, "2\t〃\t戸籍事務\t氏名\t無\t\t株式会社B\t令和4年7月1日")
    assert _rows(fresh)[1][2].departments_as_written == ""  # a new table: 〃 stands for nothing


def test_same_as_left() -> None:
    header = "No.\t担当課\t業務名\t提供する個人情報\t受領する個人情報\t結合の相手方\t開始年月日"
    _, rows = _rows(
        _report("1\t市民課\t住民基本台帳事務\t氏名、住所\t同左\t株式会社A\t令和4年6月1日", header=header)
    )
    assert [i.name for i in rows[1].items.items] == ["氏名", "住所"]
    assert rows[1].direction == "both"


DIRECTED = "No.\t担当課\t業務名\t提供する個人情報\t受領する個人情報\t結合の相手方\t開始年月日"


def test_item_columns_split_by_direction() -> None:
    report, rows = _rows(
        _report(
            "1\t市民課\t住民基本台帳事務\t氏名、住所\t住所、転出日\t株式会社A\t令和4年6月1日",
            "2\t市民課\t戸籍事務\t\t本籍\t株式会社A\t令和4年6月1日",
            "3\t市民課\t印鑑登録事務\t印鑑登録番号\t－\t株式会社A\t令和4年6月1日",
            header=DIRECTED,
        )
    )
    assert not [i for i in report.issues if i.severity == "error"]
    assert [i.name for i in rows[1].items.items] == ["氏名", "住所", "転出日"]  # 住所 once
    assert [i.position for i in rows[1].items.items] == [1, 2, 3]
    assert (rows[1].direction, rows[2].direction, rows[3].direction) == ("both", "from_party", "to_party")
    assert [i.name for i in rows[3].items.items] == ["印鑑登録番号"]


def test_a_lone_given_column_is_the_items_column() -> None:
    header = "No.\t担当課\t業務名\t提供する個人情報\t結合の相手方\t開始年月日"
    _, rows = _rows(
        _report("1\t市民課\t住民基本台帳事務\t氏名、住所\t株式会社A\t令和4年6月1日", header=header)
    )
    assert [i.name for i in rows[1].items.items] == ["氏名", "住所"]
    assert rows[1].direction is None


MARKED = "No.\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日"
MARKED_ROWS = (
    "1\t市民課\t住民基本台帳事務\t氏名、個人番号※\t株式会社A\t令和4年6月1日",
    "2\t市民課\t戸籍事務\t氏名、本籍\t株式会社A\t令和4年6月1日",
)


def test_specific_from_marked_items_a_note_explains() -> None:
    report, rows = _rows(_report(*MARKED_ROWS, header=MARKED, after="※　※印を付した項目は特定個人情報です。"))
    assert [i.name for i in rows[1].items.items] == ["氏名", "個人番号"]
    assert rows[1].items.items[1].as_written == "個人番号※"
    assert (rows[1].specific_personal_information, rows[2].specific_personal_information) == (True, False)
    assert any("the note at line" in i.message for i in report.issues if i.line == 6)
    # the missing 特定個人情報 column is no loss: the note gives its values, so no warning says
    # "its values are unknown"; an info says where they came from
    absent = [
        i for i in report.issues if i.field == "特定個人情報の有無" and "not in the header" in i.message
    ]
    assert [(i.severity, i.message) for i in absent] == [
        (
            "info",
            "column 特定個人情報の有無 not in the header: read from the items marked ※ (the note at line 9)",
        )
    ]


def test_marked_items_without_a_note_say_nothing_of_the_flag() -> None:
    report, rows = _rows(_report(*MARKED_ROWS, header=MARKED, after="※　金額は年額です。"))
    assert rows[1].specific_personal_information is None
    absent = [
        i for i in report.issues if i.field == "特定個人情報の有無" and "not in the header" in i.message
    ]
    assert [i.severity for i in absent] == ["warning"]  # unknown indeed
    assert [i.name for i in rows[1].items.items] == [
        "氏名",
        "個人番号",
    ]  # the mark is still no part of the name


def test_sections_headed_by_a_mark() -> None:
    text = _report(ROW1, heading="■新たに結合を開始したもの", header=HEADER) + (
        "■結合を廃止したもの\n\nNo.\t担当課\t業務名\t結合の相手方\t廃止日\n"
        "1\t税務課\t収納事務\t株式会社C\t令和5年3月31日\n\n■問い合わせ先\n総務課\n"
    )
    report, _ = _rows(text)
    assert [(c.status, c.number) for c in report.connections] == [("new", 1), ("ended", 1)]
    assert [n for n, _ in report.unread_lines] == [14, 15]  # a ■ line with no section word is no heading
    # a closing block (■問い合わせ先, headers.toml [sections] closing) is kept as written with an
    # info: it is what reports end with, not a line ketsugo failed to read
    kept = [(i.line, i.severity) for i in report.issues if i.line in (14, 15)]
    assert kept == [(14, "info"), (15, "info")]


def test_text_before_the_tables_is_an_info_and_a_row_there_a_warning() -> None:
    text = (
        "令和4年度 外部結合の状況\n"
        "○○町個人情報保護条例第11条の規定により、令和4年度の外部結合の状況を次のとおり公表します。\n"
        "1\t市民課\t住民基本台帳事務\n"  # cells before any heading: a row read nowhere
        "（2）新たに結合したもの\n" + HEADER + "\n" + ROW1 + "\n"
    )
    report, rows = _rows(text)
    assert list(rows) == [1]
    assert [n for n, _ in report.unread_lines] == [2, 3]  # both kept as written
    found = {i.line: i for i in report.issues if i.line in (2, 3)}
    assert found[2].severity == "info" and "opening words" in found[2].message
    assert (
        found[3].severity == "warning"
        and found[3].message == "line not understood; kept as written in the graph"
    )


def test_an_unknown_numbered_section_is_still_a_warning() -> None:
    text = _report(ROW1) + "（4）その他\n別の表の説明\n"
    report, _ = _rows(text)
    unread = [i for i in report.issues if i.message.startswith("line not understood")]
    assert [i.severity for i in unread] == ["warning", "warning"]


def test_a_ditto_in_the_first_row_is_no_party_and_no_recipient() -> None:
    """〃 in the party column of a table's first row names nothing: no organisation called 〃."""
    report, rows = _rows(_report("1\t市民課\t住民基本台帳事務\t氏名\t無\t\t〃\t令和4年6月1日"))
    assert rows[1].counterparties_as_written == ""
    assert [i.as_written for i in report.issues if "there is none in this table" in i.message] == ["〃"]


def test_same_as_left_in_the_first_column_is_blank() -> None:
    header = "担当課\tNo.\t業務名\t記録項目\t結合の相手方\t開始年月日"
    report, rows = _rows(_report("同左\t1\t住民基本台帳事務\t氏名\t株式会社A\t令和4年6月1日", header=header))
    assert rows[1].departments_as_written == ""
    assert [i.as_written for i in report.issues if "cell to the left" in i.message] == ["同左"]
