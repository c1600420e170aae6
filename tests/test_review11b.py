"""Review of the eleventh session's new readers (csv12, dl12, paste11, office12): realistic files a
municipality could publish that the readers misread. Made-up reports; every expectation is read by
hand from the text written here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

_TITLE = "令和５年度 外部電子計算機との結合の状況"
_SUMMARY = ["実施機関\t前年度末件数\t新規\t廃止\t年度末件数", "町長\t10\t1\t0\t11", "合計\t10\t1\t0\t11"]
_NEW = "２　令和５年度に開始した外部結合"


def _dl_pairs(items: list[str]) -> list[tuple[str, list[str]]]:
    return [
        ("所管課", ["市民課"]),
        ("事務の名称", ["証明書自動交付事務"]),
        ("結合の相手方", ["地方公共団体情報システム機構"]),
        ("提供する記録項目", items),  # one item a line: a <br> between them
        ("特定個人情報の有無", ["無"]),
        ("結合開始日", ["R5.6.1"]),
    ]


def _dl_text(form: str, tmp_path: Path, heading: str, pairs: list[tuple[str, list[str]]]) -> str:
    """A page of one <dl> card under its heading: the HTML read, its select-all copy or its print."""
    if form == "html":
        rows = "".join(f"<tr><td>{c.replace(chr(9), '</td><td>')}</td></tr>" for c in _SUMMARY)
        dl = "".join(f"<dt>{k}</dt><dd>{'<br>'.join(v)}</dd>" for k, v in pairs)
        path = tmp_path / "report.html"
        path.write_text(
            f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"></head><body><main><h1>{_TITLE}</h1>'
            f"<h2>１　実施機関別の件数</h2><table>{rows}</table><h2>{_NEW}</h2><h3>{heading}</h3><dl>{dl}</dl>"
            "<h2>３　令和５年度に廃止した外部結合</h2><p>該当なし</p></main></body></html>",
            encoding="utf-8",
        )
        return read_source(path).text
    gap = [""] if form == "print" else []
    lines = [_TITLE, "１　実施機関別の件数", *_SUMMARY, _NEW, heading]
    for label, values in pairs:
        lines.extend([*gap, label, *gap, *values])
    return "\n".join([*lines, "３　令和５年度に廃止した外部結合", "該当なし"]) + "\n"


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_items_one_a_line_named_like_a_number_or_a_footer_stay_items(form: str, tmp_path: Path) -> None:
    # 宛名番号 / 電話番号 end in 番号 (the number's column name), 電話番号 labels a page's footer
    # line, 個人番号 names the 特定個人情報 column: under 提供する記録項目 each is one more item
    items = ["宛名番号", "氏名", "電話番号", "生年月日", "個人番号"]
    text = _dl_text(form, tmp_path, "１　住民票のコンビニ交付", _dl_pairs(items))
    report = parse_report(text, "report.txt", fiscal_year=2023)
    first = report.connections[0]
    assert (first.number, first.business) == (1, "証明書自動交付事務")
    assert [i.name for i in first.items.items] == items
    assert first.specific_personal_information is False  # its own row says 無
    assert first.start_date is not None and first.start_date.isoformat() == "2023-06-01"
    assert not report.unread_lines


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_a_value_line_naming_another_field_inside_a_value_stays_the_value(form: str, tmp_path: Path) -> None:
    # 所属 / 事業所名 name the department's column (所管課 named it above), 対象者氏名 holds 対象者;
    # 対象者の確認のため (結合の目的's second line) too; （市民課窓口業務） holds 業務 under 事務の名称
    pairs = _dl_pairs(["氏名", "所属", "対象者氏名", "事業所名"])
    pairs[1] = ("事務の名称", ["住民基本台帳事務", "（市民課窓口業務）"])
    pairs.insert(5, ("結合の目的", ["児童手当の支給に係る", "対象者の確認のため"]))
    # a label holding a field's name inside (審議会), over a value holding another's (法令)
    pairs.insert(5, ("審議会への諮問", ["諮問不要（法令に基づく提供）"]))
    report = parse_report(_dl_text(form, tmp_path, "１　住民票", pairs), "report.txt", fiscal_year=2023)
    [card] = report.connections
    assert card.departments_as_written == "市民課"
    assert card.business == "住民基本台帳事務（市民課窓口業務）"
    assert [i.name for i in card.items.items] == ["氏名", "所属", "対象者氏名", "事業所名"]
    assert card.reason == "児童手当の支給に係る対象者の確認のため"
    assert card.legal_basis is not None and card.legal_basis.as_written == "諮問不要（法令に基づく提供）"
    assert card.specific_personal_information is False
    assert card.start_date is not None and card.start_date.isoformat() == "2023-06-01"
    assert not report.unread_lines


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_a_direction_label_under_a_party_list_stays_a_label(form: str, tmp_path: Path) -> None:
    # 提供・受領の別 names a field of marks, but its value here is a sentence: still its label
    pairs = _dl_pairs(["氏名", "住所"])
    pairs.insert(3, ("提供・受領の別", ["本市から相手方へ提供"]))
    report = parse_report(_dl_text(form, tmp_path, "１　住民票", pairs), "report.txt", fiscal_year=2023)
    [card] = report.connections
    assert card.counterparties_as_written == "地方公共団体情報システム機構"
    assert [i.name for i in card.items.items] == ["氏名", "住所"]


_GLOSSARY = [
    (
        "外部結合",
        "実施機関が保有する電子計算機と実施機関以外の者が保有する電子計算機とを通信回線で結合すること",
    ),
    ("結合の相手方", "実施機関から個人情報の提供を受け、又は実施機関に提供する者"),
    ("記録項目", "外部結合により提供し、又は受領する個人情報の項目"),
    ("特定個人情報", "個人番号をその内容に含む個人情報"),
]


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_a_glossary_dl_under_the_last_card_is_none_of_it(form: str, tmp_path: Path) -> None:
    # the page ends with 用語の説明, a <dl> of the report's terms: the card above keeps its values
    pairs = [
        ("所管課", ["市民課"]),
        ("事務の名称", ["証明書交付事務"]),
        ("結合の相手方", ["（株）ＧＨＩ"]),
        ("記録項目", ["氏名、住所"]),
        ("特定個人情報の有無", ["無"]),
        ("結合開始日", ["R5.6.1"]),
        ("結合の目的", ["コンビニ交付のため"]),
    ]
    text = _dl_text(form, tmp_path, "１　証明書のコンビニ交付", pairs)
    if form == "html":
        page = (tmp_path / "report.html").read_text(encoding="utf-8")
        terms = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in _GLOSSARY)
        page = page.replace("<h2>３", f"<h3>用語の説明</h3><dl>{terms}</dl><h2>３", 1)
        (tmp_path / "report.html").write_text(page, encoding="utf-8")
        text = read_source(tmp_path / "report.html").text
    else:
        gap = [""] if form == "print" else []
        glossary = [line for k, v in _GLOSSARY for line in (*gap, k, *gap, v)]
        text = text.replace("３　令和５年度", "\n".join(["用語の説明", *glossary, "３　令和５年度"]), 1)
    report = parse_report(text, "report.txt", fiscal_year=2023)
    [card] = report.connections
    assert card.reason == "コンビニ交付のため"
    assert card.counterparties_as_written == "（株）ＧＨＩ"
    assert card.specific_personal_information is False
    assert [i.name for i in card.items.items] == ["氏名", "住所"]


def test_a_glossary_of_term_colon_lines_under_the_last_card_is_none_of_it() -> None:
    text = (
        "令和５年度 外部電子計算機との結合の状況\n(2) 新たに結合したもの\n実績はありません。\n(3) 廃止したもの\n"
        "番号：1\n担当課：市民課\n業務名：証明書交付事務\n結合の相手方：株式会社ＪＫＬ\n"
        "廃止年月日：令和6年3月31日\n廃止の理由：移行したため\n【用語の説明】\n"
        + "".join(f"{k}：{v}\n" for k, v in _GLOSSARY)
    )
    report = parse_report(text, "report.txt", fiscal_year=2023, lenient=True)
    [ended] = report.connections
    assert (ended.number, ended.reason) == (1, "移行したため")
    assert ended.counterparties_as_written == "株式会社ＪＫＬ"
    assert not ended.items.items  # the glossary's 記録項目：… is no item list of the card
    assert not [i for i in report.issues if "second column" in i.message]


def test_a_party_spanning_rows_in_a_pasted_table_is_taken_from_the_row_above() -> None:
    # one 結合先 (地方公共団体情報システム機構) spans rows 1–2 of the page: the copy writes it on row 1
    # only, and row 2 (市民課, its own business) comes one cell short at the party
    header = "No.\t所管課\t事務の名称\t結合先\t記録項目\t個人番号利用事務\t開始年月日\t審査会"
    text = "\n".join(
        [
            "令和6年度 外部結合の状況",
            "2. 新たに開始した結合",
            header,
            "1\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t氏名、住所\t－\t令和6年4月1日\t答申",
            "2\t市民課\t印鑑登録証明事務\t氏名、印鑑登録番号\t該当\t令和6年5月1日\t答申",
            "3\t税務課\t課税事務\t地方税共同機構\t氏名、所得\t該当\tR6.6.1\t報告",
            "",
        ]
    )
    report = parse_report(text, "copy.txt", fiscal_year=2024)
    second = report.connections[1]
    assert (second.departments_as_written, second.business) == ("市民課", "印鑑登録証明事務")
    assert second.counterparties_as_written == "地方公共団体情報システム機構"
    assert [i.name for i in second.items.items] == ["氏名", "印鑑登録番号"]
    assert second.specific_personal_information is True
    (carried,) = [i for i in report.issues if "taken from the row above" in i.message]
    assert carried.field == "結合先"


def test_a_docx_table_with_a_small_table_in_a_cell_is_still_a_table(tmp_path: Path) -> None:
    # Word: 記録項目 of No.1 typed as a one-column table inside its cell (氏名 / 住所)
    import docx

    document = docx.Document()
    document.add_paragraph("令和５年度 外部電子計算機との結合の状況")
    document.add_paragraph("(1) 件数")
    summary = [["実施機関", "前年度末", "新規", "廃止", "年度末"], ["市長", "10", "2", "0", "12"]]
    table = document.add_table(rows=2, cols=5)
    for r, values in enumerate(summary):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph("(2) 新たに結合したもの")
    rows = [
        ["No.", "担当課", "業務名", "結合の相手方", "記録項目", "特定個人情報", "開始年月日"],
        [
            "1",
            "市民課",
            "住民票の写しのコンビニ交付",
            "地方公共団体情報システム機構",
            "",
            "無",
            "令和5年6月1日",
        ],
        ["2", "税務課", "課税事務", "地方税共同機構", "氏名、所得", "有", "令和5年7月1日"],
    ]
    table = document.add_table(rows=3, cols=7)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    inner = table.cell(1, 4).add_table(rows=2, cols=1)
    inner.cell(0, 0).text, inner.cell(1, 0).text = "氏名", "住所"
    document.add_paragraph("(3) 廃止したもの")
    document.add_paragraph("該当なし")
    path = tmp_path / "report.docx"
    document.save(str(path))
    report = parse_report(read_source(path).text, "report.docx")
    assert [(c.number, c.business) for c in report.connections] == [
        (1, "住民票の写しのコンビニ交付"),
        (2, "課税事務"),
    ]
    assert [i.name for i in report.connections[0].items.items] == ["氏名", "住所"]
    assert report.connections[1].specific_personal_information is True


def test_a_docx_frame_of_two_rows_and_columns_around_the_report_is_a_layout_table(tmp_path: Path) -> None:
    # Word: a 2 × 2 frame — 資料２ | 令和5年5月 over the report's content in one cell
    import docx

    document = docx.Document()
    frame = document.add_table(rows=2, cols=2)
    frame.cell(0, 0).text, frame.cell(0, 1).text = "資料２", "令和5年5月"
    body = frame.cell(1, 0)
    body.text = "令和５年度 外部電子計算機との結合の状況"
    body.add_paragraph("(2) 新たに結合したもの")
    rows = [
        ["No.", "担当課", "業務名", "結合の相手方", "記録項目", "開始年月日"],
        [
            "1",
            "市民課",
            "住民票の写しのコンビニ交付",
            "地方公共団体情報システム機構",
            "氏名、住所",
            "令和5年6月1日",
        ],
        ["2", "税務課", "課税事務", "地方税共同機構", "氏名、所得", "令和5年7月1日"],
    ]
    table = body.add_table(rows=3, cols=6)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    body.add_paragraph("(3) 廃止したもの")
    body.add_paragraph("該当なし")
    path = tmp_path / "report.docx"
    document.save(str(path))
    report = parse_report(read_source(path).text, "report.docx", fiscal_year=2023)
    assert [(c.number, c.business) for c in report.connections] == [
        (1, "住民票の写しのコンビニ交付"),
        (2, "課税事務"),
    ]


def test_a_docx_table_drawn_in_a_text_box_is_a_table(tmp_path: Path) -> None:
    # Word: the connection table placed in a text box (a frame drawn on the page) under (2)
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("令和５年度 外部電子計算機との結合の状況")
    document.add_paragraph("(2) 新たに結合したもの")
    rows = [
        ["No.", "担当課", "業務名", "結合の相手方", "記録項目", "開始年月日"],
        [
            "1",
            "市民課",
            "住民票の写しのコンビニ交付",
            "地方公共団体情報システム機構",
            "氏名、住所",
            "令和5年6月1日",
        ],
        ["2", "税務課", "課税事務", "地方税共同機構", "氏名、所得", "令和5年7月1日"],
    ]
    table = document.add_table(rows=3, cols=6)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    anchor = document.add_paragraph()
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    run = parse_xml(
        f'<w:r xmlns:w="{w}" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>新規の外部結合</w:t></w:r></w:p>"
        "</w:txbxContent></wps:txbx></w:drawing></w:r>"
    )
    anchor._p.append(run)
    content = run.find(f".//{{{w}}}txbxContent")
    content.append(table._tbl)  # moved from the body into the text box
    content.append(parse_xml(f'<w:p xmlns:w="{w}"/>'))
    document.add_paragraph("(3) 廃止したもの")
    document.add_paragraph("該当なし")
    path = tmp_path / "report.docx"
    document.save(str(path))
    report = parse_report(read_source(path).text, "report.docx", fiscal_year=2023)
    assert [(c.number, c.departments_as_written, c.business) for c in report.connections] == [
        (1, "市民課", "住民票の写しのコンビニ交付"),
        (2, "税務課", "課税事務"),
    ]
    assert [i.name for i in report.connections[1].items.items] == ["氏名", "所得"]


def _xls_register(path: Path, *, error_party: bool = False) -> Path:
    """An Excel 97-2003 register of 札幌市: 全国地方公共団体コード typed as a number and shown with
    its leading zero by the number format 000000 (011002)."""
    import datetime

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("外部結合", cell_overwrite_ok=True)
    code, day = xlwt.easyxf(num_format_str="000000"), xlwt.easyxf(num_format_str="yyyy/mm/dd")
    head = [
        "全国地方公共団体コード",
        "ID",
        "地方公共団体名",
        "年度",
        "区分",
        "担当部署",
        "結合の名称（事務名）",
    ]
    head += ["結合の相手方", "記録項目", "結合開始日", "結合終了日"]
    rows = [
        [
            1,
            "札幌市",
            "2022年度",
            "新規",
            "市民課",
            "住民票交付",
            "地方公共団体情報システム機構",
            "氏名、住所",
        ],
        [2, "札幌市", "2022年度", "継続", "税務課", "課税", "地方税共同機構", "氏名、所得"],
    ]
    starts = [datetime.date(2022, 7, 1), datetime.date(2016, 1, 4)]
    for c, value in enumerate(head):
        sheet.write(0, c, value)
    for r, (values, start) in enumerate(zip(rows, starts, strict=True), start=1):
        sheet.write(r, 0, 11002, code)
        for c, value in enumerate(values, start=1):
            sheet.write(r, c, value)
        sheet.write(r, 9, start, day)
    if error_party:
        sheet.row(2).set_cell_error(7, 0x2A)  # #N/A: a lookup formula that found nothing
    book.save(str(path))
    return path


def test_an_xls_number_shown_with_leading_zeros_is_read_as_shown(tmp_path: Path) -> None:
    import ketsugo

    path = _xls_register(tmp_path / "register.xls")
    assert read_source(path).text.splitlines()[1].split("\t")[0] == "011002"
    kg = ketsugo.build([path], municipality="011002")  # was refused: "names local government 11002"
    numbers = {r["n"] for r in kg.sparql("SELECT ?n WHERE { ?c kg:connectionNumber ?n }")}
    assert numbers == {1, 2}


def test_an_xls_cell_showing_an_excel_error_is_a_finding_naming_it(tmp_path: Path) -> None:
    read = read_source(_xls_register(tmp_path / "register.xls", error_party=True))
    (finding,) = [f for f in read.findings if "Excel error" in f.message]
    assert (finding.field, finding.as_written, finding.severity) == ("外部結合!H3", "#N/A", "warning")


_REGISTER = [
    "全国地方公共団体コード,ID,地方公共団体名,年度,区分,担当部署,結合の名称（事務名）,結合の目的,結合の相手方,記録項目,結合開始日,結合終了日",
    "431001,1,熊本市,2022年度,新規,区民課,住民票の写しのコンビニ交付,利便性のため,地方公共団体情報システム機構,氏名；住所,2022-07-01,",
    # the purpose pasted into Excel from another document with a tab in it (quoted by the CSV writer)
    '431001,2,熊本市,2022年度,継続,区民課,住民基本台帳ネットワークシステム,"本人確認\tのため",'
    "地方公共団体情報システム機構,氏名；住所,2002-08-05,",
    "431001,3,熊本市,2022年度,廃止,図書館,予約資料の到着連絡,連絡のため,株式会社図書館流通センター,氏名,2015-04-01,2022-06-30",
]


def test_a_csv_with_a_tab_inside_one_cell_is_still_a_csv() -> None:
    from ketsugo.read.sources import source_text

    read = source_text(("\r\n".join(_REGISTER) + "\r\n").encode("cp932"), "register.csv")
    report = parse_report(read.text, "register.csv")
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "continuing"), (3, "ended")]
    assert report.connections[1].reason == "本人確認 のため"  # the tab in the cell: a space


def test_a_text_form_report_whose_cells_hold_commas_is_not_a_csv() -> None:
    from ketsugo.read.sources.detect import looks_like_csv

    rows = [
        "No.\t担当課\t業務名\t結合の相手方\t記録項目",
        "1\t市民課\t住民票\t地方公共団体情報システム機構\t氏名,住所,生年月日",
        "2\t税務課\t課税\t地方税共同機構\t氏名,住所,所得",
        "3\t福祉課\t見守り\t株式会社Ｂ\t氏名,住所,電話番号",
    ]
    assert not looks_like_csv("\n".join(["令和4年度 外部結合の状況", "(2) 新たに結合したもの", *rows]) + "\n")


def test_an_empty_row_between_a_registers_rows_keeps_the_table() -> None:
    # the sheet had an empty row between No.1 and No.2; Excel saved it as commas only
    from ketsugo.read.sources import source_text

    rows = [_REGISTER[0], _REGISTER[1], "," * 11, _REGISTER[2].replace("\t", ""), _REGISTER[3]]
    read = source_text(("\r\n".join(rows) + "\r\n").encode("cp932"), "register.csv")
    report = parse_report(read.text, "register.csv")  # strict: was "too few fields" at No.2
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "continuing"), (3, "ended")]
    assert (
        report.connections[2].end_date is not None
        and report.connections[2].end_date.isoformat() == "2022-06-30"
    )


def test_a_register_saved_with_semicolons_is_a_csv() -> None:
    # Excel set to a locale whose decimal mark is a comma saves CSV with semicolons
    from ketsugo.read.sources import source_text

    rows = [r.replace(",", ";") for r in (_REGISTER[0], _REGISTER[1], _REGISTER[3])]
    read = source_text(("\r\n".join(rows) + "\r\n").encode("utf-8-sig"), "register.csv")
    report = parse_report(read.text, "register.csv")  # was "no section (2)"
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (3, "ended")]
    assert [i.name for i in report.connections[0].items.items] == ["氏名", "住所"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_an_xlsx_number_shown_with_leading_zeros_is_read_as_shown(tmp_path: Path) -> None:
    """The same register saved as .xlsx: 11002 under the number format 000000 shows 011002 (札幌市),
    as it does in the .xls (the two readers read one workbook alike)."""
    import datetime

    import openpyxl

    import ketsugo

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "外部結合"
    sheet.append(
        [
            "全国地方公共団体コード",
            "ID",
            "地方公共団体名",
            "年度",
            "区分",
            "担当部署",
            "結合の名称（事務名）",
            "結合の相手方",
            "記録項目",
            "結合開始日",
            "結合終了日",
        ]
    )
    rows = [
        [
            11002,
            1,
            "札幌市",
            "2022年度",
            "新規",
            "市民課",
            "住民票交付",
            "地方公共団体情報システム機構",
            "氏名、住所",
        ],
        [11002, 2, "札幌市", "2022年度", "継続", "税務課", "課税", "地方税共同機構", "氏名、所得"],
    ]
    for values, start in zip(rows, [datetime.date(2022, 7, 1), datetime.date(2016, 1, 4)], strict=True):
        sheet.append([*values, start])
        sheet.cell(sheet.max_row, 1).number_format = "000000"
    path = tmp_path / "register.xlsx"
    book.save(path)
    assert read_source(path).text.splitlines()[1].split("\t")[0] == "011002"
    kg = ketsugo.build([path], municipality="011002")  # was refused: "names local government 11002"
    numbers = {r["n"] for r in kg.sparql("SELECT ?n WHERE { ?c kg:connectionNumber ?n }")}
    assert numbers == {1, 2}
