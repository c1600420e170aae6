"""Tables written sideways (field names down the first column, one connection per column) and
sections named only by a sheet's name (新規 / 廃止 / 件数), in every published form.

Expected rows are read by hand from the tables written here."""

from __future__ import annotations

import io

import openpyxl

from ketsugo.read.sources import source_text
from ketsugo.read.sources.tables import Row, Span, Table, TextLine, text_form

FIELDS = ["番号", "担当課", "業務名", "相手方", "記録項目", "開始年月日"]
COLUMNS = [
    ["1", "2", "3"],
    ["総務課", "", "財政課"],
    ["文書管理事務", "庶務事務", "予算編成事務"],
    ["株式会社甲", "株式会社乙", "株式会社丙"],
    ["氏名\n住所", "氏名", "氏名\n電話番号"],
    ["令和6年4月1日", "令和6年5月1日", "令和6年6月1日"],
]


def _sideways(where: str = "S") -> Table:
    rows = [
        Row(
            (name, *values),
            f"{where}!A{r + 1}",
            places=tuple(f"{where}!{'ABCD'[c]}{r + 1}" for c in range(4)),
        )
        for r, (name, values) in enumerate(zip(FIELDS, COLUMNS, strict=True))
    ]
    return Table(rows, [Span(1, 1, 1, 2)])  # 総務課 merged over Nos. 1 and 2 (B2:C2)


def test_a_table_naming_the_fields_down_its_first_column_is_read_turned() -> None:
    places: dict[int, dict[str, str]] = {}
    text, where, notes = text_form([_sideways()], places)
    assert text.splitlines() == [
        "番号\t担当課\t業務名\t相手方\t記録項目\t開始年月日",
        "1\t総務課\t文書管理事務\t株式会社甲\t氏名、住所\t令和6年4月1日",
        "2\t総務課\t庶務事務\t株式会社乙\t氏名\t令和6年5月1日",  # the merge across columns carried
        "3\t財政課\t予算編成事務\t株式会社丙\t氏名、電話番号\t令和6年6月1日",
    ]
    assert places[3]["相手方"] == "S!C4"  # No. 2's party: column C, the 相手方 row
    assert places[4]["業務名"] == "S!D3"
    assert where[2] == "S!B1"
    (note,) = notes
    assert note.severity == "info" and "transposed" in note.message and "S!A1" in note.message


def test_ordinary_tables_are_not_turned() -> None:
    header = Row(("No.", "担当課", "業務名", "相手方", "記録項目"), "T!A1")
    data = Row(("1", "総務課", "文書管理事務", "株式会社甲", "氏名"), "T!A2")
    text, _, notes = text_form([Table([header, data])])
    assert text.splitlines()[0].startswith("No.\t担当課") and not notes
    card = Table(
        [
            Row((name, values[0]), f"C!A{i}")
            for i, (name, values) in enumerate(zip(FIELDS, COLUMNS, strict=True))
        ]
    )
    text, _, notes = text_form([card])  # one connection's card (項目 | 内容): kept as a card
    assert text.splitlines()[0] == "番号\t1" and not notes
    summary = Table(
        [
            Row(("実施機関", "前年度末", "新規", "廃止", "本年度末"), "K!A1"),
            Row(("市長", "3", "1", "0", "4"), "K!A2"),
        ]
    )
    assert text_form([summary])[0].splitlines()[1] == "市長\t3\t1\t0\t4"


def test_a_line_holding_only_a_section_name_above_a_table_is_its_heading() -> None:
    title = TextLine("令和６年度　外部結合の状況（廃止）　某市", "p2")
    text, _, notes = text_form([TextLine("廃止", "h2"), title, _sideways()])
    assert text.splitlines()[:3] == ["【廃止】", "", "令和６年度　外部結合の状況（廃止）　某市"]
    assert any("【廃止】" in n.message for n in notes)
    summary = Table(
        [
            Row(("実施機関", "前年度末", "新規", "廃止", "本年度末"), "K!A1"),
            Row(("市長", "3", "1", "0", "4"), "K!A2"),
        ]
    )
    for name, heading in (("件数表", "【件数表】"), ("総括", "【総括】"), ("件数", "【件数】")):
        assert text_form([TextLine(name, "h"), summary])[0].splitlines()[0] == heading
        # a summary's name over connections says what the sheet is (a list), not a section
        assert text_form([TextLine(name, "h"), _sideways()])[0].splitlines()[0] == name
    for name, heading in (("終了", "【終了】"), ("新規", "【新規】")):
        assert text_form([TextLine(name, "h"), _sideways()])[0].splitlines()[0] == heading
    for kept in ("新規事業の状況について", "■新規", "備考"):  # too long, already a heading, no section
        assert text_form([TextLine(kept, "h"), _sideways()])[0].splitlines()[0] == kept
    # with no table below, a lone word is no heading
    assert text_form([TextLine("廃止", "h")])[0] == "廃止\n"


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "終了"
    sheet["A1"] = "令和６年度　外部結合の状況（終了）　某市"
    for r, (name, values) in enumerate(zip(FIELDS, COLUMNS, strict=True), start=3):
        sheet.cell(r, 1, name)
        for c, value in enumerate(values, start=2):
            if value:
                sheet.cell(r, c, value)
    sheet.merge_cells("B4:C4")
    summary = book.create_sheet("件数表")
    summary["A1"] = "令和６年度　外部結合の件数　某市"
    for r, row in enumerate(
        [("実施機関", "前年度末", "新規", "廃止", "本年度末"), ("市長", 3, 1, 0, 4)], start=3
    ):
        for c, value in enumerate(row, start=1):
            summary.cell(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbooks_sheet_names_head_its_sideways_tables_under_a_title() -> None:
    source = source_text(_workbook(), "book.xlsx")
    lines = source.text.splitlines()
    assert lines[:5] == [
        "令和６年度　外部結合の状況（終了）　某市",
        "",
        "【終了】",
        "",
        "番号\t担当課\t業務名\t相手方\t記録項目\t開始年月日",
    ]
    assert lines[6] == "2\t総務課\t庶務事務\t株式会社乙\t氏名\t令和6年5月1日"
    assert "【件数表】" in lines
    assert source.cell_locations[7]["相手方"] == "終了!C6"
    assert any("transposed" in f.message and f.severity == "info" for f in source.findings)


def test_a_text_copy_of_a_sideways_sheet_is_read_turned() -> None:
    copied = (
        "新規\n令和６年度　外部結合の状況（新規）　某市\n\n"
        "番号\t1\t2\t3\n担当課\t総務課\t\t財政課\n業務名\t文書管理事務\t庶務事務\t予算編成事務\n"
        "相手方\t株式会社甲\t株式会社乙\t株式会社丙\n"
        '記録項目\t"氏名\n住所"\t氏名\t"氏名\n電話番号"\n'
        "開始年月日\t令和6年4月1日\t令和6年5月1日\t令和6年6月1日\n"
    )
    source = source_text(copied.encode(), "copy.txt")
    lines = source.text.splitlines()
    assert lines[:4] == [
        "【新規】",
        "令和６年度　外部結合の状況（新規）　某市",
        "",
        "番号\t担当課\t業務名\t相手方\t記録項目\t開始年月日",
    ]
    assert lines[4] == "1\t総務課\t文書管理事務\t株式会社甲\t氏名、住所\t令和6年4月1日"
    assert lines[6] == "3\t財政課\t予算編成事務\t株式会社丙\t氏名、電話番号\t令和6年6月1日"
    assert source.cell_locations[6]["相手方"] == "line 7 column 3"  # No. 2's party, as copied
    assert source.where(2) == "line 2"
    plain = "【新規】\nNo.\t担当課\t業務名\t相手方\t記録項目\n1\t総務課\t文書管理事務\t株式会社甲\t氏名\n"
    assert source_text(plain.encode(), "plain.txt").text == plain  # nothing to turn: read as written


def test_a_sheet_name_heads_no_table_under_a_title_that_is_not_the_reports() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "概要"
    sheet["A1"] = "令和６年度　外部結合の状況　某市"
    sheet["A3"], sheet["B3"] = "作成日", "令和7年5月20日"
    sheet["A4"], sheet["B4"] = "担当", "総務課"
    out = io.BytesIO()
    book.save(out)
    assert "【概要】" not in source_text(out.getvalue(), "book.xlsx").text
