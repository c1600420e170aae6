"""Old-fashioned web pages (tests/cases/user15d/gamagori-2019 NOTES): header cells with a <br>, and
their browser copy, where such a header row comes over several lines. Made-up pages and texts
written for these tests; every expected value is read by hand from them."""

from __future__ import annotations

from pathlib import Path

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

_HEAD = "<th>番号</th><th>担当課</th><th>業務の名称</th><th>結合の相手方</th><th>項目</th><th>{way}</th><th>結合開始日</th><th>審議会</th>"


def _page(way: str) -> str:
    rows = [
        ("1", "市民課", "地方公共団体情報システム機構", "氏名<br>住所", "提供", "令和元年10月1日"),
        ("2", "税務課", "地方税共同機構", "氏名<br>所得", "受領", "令和元年5月1日"),
        ("3", "福祉課", "愛知県国民健康保険団体連合会", "氏名", "提供<br>受領", "令和2年1月6日"),
    ]
    body = "".join(
        f"<tr><th>{n}</th><td>{d}</td><td>{d}の事務</td><td>{p}</td><td>{i}</td><td>{w}</td><td>{s}</td><td>承認</td></tr>"
        for n, d, p, i, w, s in rows
    )
    return (
        "<html><head><meta charset='utf-8'></head><body><h1>令和元年度 外部結合の状況</h1>"
        "<h2>２　令和元年度に開始した結合</h2>"
        f"<table><tr>{_HEAD.format(way=way)}</tr>{body}</table></body></html>"
    )


def _html_rows(tmp_path: Path, way: str) -> dict[int, object]:
    path = tmp_path / "report.html"
    path.write_text(_page(way), encoding="utf-8")
    report = parse_report(read_source(path).text, "report.html", fiscal_year=2019)
    return {c.number: c for c in report.connections}


def test_a_header_cell_broken_by_br_names_the_direction_column(tmp_path: Path) -> None:
    rows = _html_rows(tmp_path, "提供<br>受領")
    assert [rows[n].direction for n in (1, 2, 3)] == ["to_party", "from_party", "both"]


def test_a_header_cell_broken_inside_one_word_still_joins_plain(tmp_path: Path) -> None:
    # 結合の<br>相手方 is one name broken: read 結合の相手方 (no separator put in)
    page = _page("提供・受領").replace("<th>結合の相手方</th>", "<th>結合の<br>相手方</th>")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    text = read_source(path).text
    assert "\t結合の相手方\t" in text
    rows = {c.number: c for c in parse_report(text, "report.html", fiscal_year=2019).connections}
    assert rows[2].counterparties_as_written == "地方税共同機構"


# --- the browser's copy of such a page: header rows over lines -------------------------------

_COPY = "\n".join(
    [
        "外部結合の状況",
        "令和元年度（平成31年4月1日から令和2年3月31日まで）の状況を公表します。",
        "１　結合の件数",
        "実施機関\t平成30年度末",
        "結合件数\t令和元年度中",
        "新規\t令和元年度中",
        "終了\t令和元年度末",
        "結合件数\t左のうち特定個人",
        "情報を含むもの",
        "市長\t5\t2\t1\t6\t3",
        "２　令和元年度に開始した結合",
        "番号\t担当課\t業務の名称\t結合の相手方\t結合する個人情報の項目\t提供",
        "受領\t特定個人",
        "情報\t結合開始日\t審議会",
        "1\t市民課\t住民票の交付\t地方公共団体情報システム機構\t氏名",
        "生年月日\t提供\t無\t令和元年10月1日\t承認",
        "2\t税務課\t給与支払報告\t地方税共同機構\t氏名\t受領\t有\tH31.4.1\t承認",
        "",
    ]
)


def test_header_rows_broken_over_lines_in_a_copy_are_read_as_one_row() -> None:
    report = parse_report(_COPY, "copy.txt")  # strict, and no --fiscal-year: the headings say 2019
    assert report.fiscal_year == 2019
    (row,) = report.summary
    assert (row.agency, row.previous, row.new, row.ended, row.current, row.specific) == (
        "市長",
        5,
        2,
        1,
        6,
        3,
    )
    rows = {c.number: c for c in report.connections}
    assert rows[1].items_as_written.replace("\n", "、") == "氏名、生年月日"
    assert (rows[1].direction, rows[1].specific_personal_information) == ("to_party", False)
    assert (rows[2].direction, rows[2].specific_personal_information) == ("from_party", True)
    assert rows[2].start_date_as_written == "H31.4.1"
    joined = [i for i in report.issues if "header row broken inside its cells" in i.message]
    assert [i.line for i in joined] == [4, 12]


def test_a_row_of_its_own_under_a_whole_header_is_not_joined_to_it() -> None:
    # a complete summary header: the line under it is a row (its counts), nothing joins
    text = _COPY.replace(
        "実施機関\t平成30年度末\n結合件数\t令和元年度中\n新規\t令和元年度中\n終了\t令和元年度末\n"
        "結合件数\t左のうち特定個人\n情報を含むもの",
        "実施機関\t平成30年度末結合件数\t令和元年度中新規\t令和元年度中終了\t令和元年度末結合件数"
        "\t左のうち特定個人情報を含むもの",
    )
    report = parse_report(text, "copy.txt")
    assert [i.line for i in report.issues if "header row broken inside its cells" in i.message] == [7]


def test_a_second_header_row_of_sub_columns_is_no_broken_cell() -> None:
    # 記録項目 ⇥ 対象者 under 結合する個人情報 (a header cell spanning two columns): the first piece
    # names a column of its own after 審査会, which names one too — a row of its own, not 審査会記録項目
    text = "\n".join(
        [
            "令和6年度 外部結合の状況",
            "2. 令和6年度に新たに開始した結合",
            "No.\t所管課\t事務の名称\t結合先\t結合する個人情報\t開始年月\t審査会",
            "記録項目\t対象者",
            "1\t住民課\t証明書交付事務\t地方公共団体情報システム機構\t氏名\t町民\t令和6年4月1日\t答申",
            "",
        ]
    )
    report = parse_report(text, "copy.txt", lenient=True, fiscal_year=2024)
    assert not [i for i in report.issues if "header row broken inside its cells" in i.message]


_HEADER = "番号\t担当課\t業務の名称\t結合の相手方\t結合する個人情報の項目\t提供・受領\t結合開始日\t審議会"


def _copied(*rows: str) -> dict[int, object]:
    text = "\n".join(["令和元年度 外部結合の状況", "２　令和元年度に開始した結合", _HEADER, *rows, ""])
    return {c.number: c for c in parse_report(text, "copy.txt", fiscal_year=2019).connections}


def test_a_direction_cell_of_a_word_a_line_in_a_copy_is_both_ways() -> None:
    rows = _copied(
        "1\t福祉課\t審査支払事務\t国民健康保険中央会\t氏名\t提供",
        "受領\t令和2年1月6日\t承認",
        "2\t税務課\t課税事務\t地方税共同機構\t氏名\t受領\t令和2年1月6日\t承認",
    )
    assert (rows[1].direction, rows[2].direction) == ("both", "from_party")


def test_a_second_party_on_its_own_line_in_a_copy_is_a_second_party() -> None:
    rows = _copied(
        "1\t保険年金課\t資格確認事務\t愛知県国民健康保険団体連合会",
        "公益社団法人国民健康保険中央会\t氏名\t提供\t令和元年10月1日\t承認",
        "2\t市民課\t住民票の交付\t地方公共団体情報システ",
        "ム機構\t氏名\t提供\t令和元年10月1日\t承認",
    )
    # two names, apart (as the page's own cell gives them, <br> between), not one glued name
    assert rows[1].counterparties_as_written.split() == [
        "愛知県国民健康保険団体連合会",
        "公益社団法人国民健康保険中央会",
    ]
    assert rows[2].counterparties_as_written == "地方公共団体情報システム機構"  # one name wrapped


# --- the print of such a page: the site's menu in a shaded column beside the report --------------


def _framed_pdf(out: Path) -> Path:
    """A page as a browser prints an old site's layout: a white page background and a shaded menu
    column (filled, no outline) down the left, the report's headings and ruled tables beside it,
    the table reaching the background's foot (the layout's edges meet the table's rules)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    font = ParagraphStyle("cell", fontName="HeiseiKakuGo-W5", fontSize=8, leading=10)
    width, height = landscape(A4)
    canvas = Canvas(str(out), pagesize=(width, height))
    rows = [
        ["番号", "担当課", "業務の名称", "結合の相手方", "結合する個人情報の項目", "結合開始日", "審議会"],
        [
            "1",
            "市民課",
            "住民票の交付事務",
            "地方公共団体情報システム機構",
            "氏名、住所",
            "令和元年10月1日",
            "承認",
        ],
        ["2", "税務課", "給与支払報告の受付事務", "地方税共同機構", "氏名、所得", "令和元年5月1日", "承認"],
    ]
    table = Table(
        [[Paragraph(c, font) for c in row] for row in rows], colWidths=[40, 60, 130, 150, 130, 90, 60]
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.75, colors.black)]))
    table.wrapOn(canvas, width, height)
    foot = 60.0  # the table and the layout's background end together
    canvas.setFillColor(colors.white)
    canvas.rect(28, foot, width - 56, height - 28 - foot, stroke=0, fill=1)
    canvas.setFillColorRGB(0.93, 0.93, 1.0)
    canvas.rect(34, foot, 110, height - 40 - foot, stroke=0, fill=1)  # the menu column
    canvas.setFillColor(colors.black)
    canvas.setFont("HeiseiKakuGo-W5", 10)
    for n, word in enumerate(["メニュー", "トップページ", "くらしの情報", "市政情報", "サイトマップ"]):
        canvas.drawString(40, height - 60 - 16 * n, word)
    canvas.drawString(160, height - 60, "令和元年度 外部結合の状況")
    canvas.drawString(160, height - 90, "２　令和元年度に開始した結合")
    table.drawOn(canvas, 160, foot)
    canvas.save()
    return out


def test_a_printed_site_menu_column_is_no_column_of_the_report(tmp_path: Path) -> None:
    source = read_source(_framed_pdf(tmp_path / "report.pdf"))
    assert "メニュー" not in source.text  # not a cell, nor a line interleaved with the headings
    report = parse_report(source.text, "report.pdf", fiscal_year=2019)
    rows = {c.number: c for c in report.connections}
    assert (rows[1].departments_as_written, rows[1].counterparties_as_written) == (
        "市民課",
        "地方公共団体情報システム機構",
    )
    assert (rows[2].departments_as_written, rows[2].start_date_as_written) == ("税務課", "令和元年5月1日")
    (left_out,) = [i for i in source.findings if "menu column" in i.message]
    assert "トップページ" in left_out.as_written


def test_a_word_of_each_way_joined_without_a_separator_is_both_ways() -> None:
    # a print joins a narrow cell's lines 提供 / 受領 as wrapped text: header and cell 提供受領
    text = "\n".join(
        [
            "令和元年度 外部結合の状況",
            "２　令和元年度に開始した結合",
            _HEADER.replace("提供・受領", "提供受領"),
            "1\t福祉課\t審査支払事務\t国民健康保険中央会\t氏名\t提供受領\t令和2年1月6日\t承認",
            "2\t税務課\t課税事務\t地方税共同機構\t氏名\t受領\t令和2年1月6日\t承認",
            "",
        ]
    )
    rows = {c.number: c for c in parse_report(text, "print.txt", fiscal_year=2019).connections}
    assert (rows[1].direction, rows[2].direction) == ("both", "from_party")


def test_item_lines_ending_with_room_for_the_next_word_were_broken_on_purpose() -> None:
    # 車両番号 ends two columns short of 所有者住所: 車 would have fit, so the break was typed
    rows = _copied(
        "1\t税務課\t申告受付事務\t全国軽自動車協会連合会\t所有者氏名",
        "所有者住所",
        "車両番号",
        "車台番号\t受領\t令和元年5月1日\t承認",
        # a box wrapped before 日、 (a mark may not open a line: 日 moves down with it) — one text
        "2\t長寿課\t資料作成業務\t中日本ヘルスケアシステムズ\t被保険者番号",
        "氏名生年月",
        "日、性別\t提供\t令和元年10月1日\t承認",
    )
    assert rows[1].items_as_written.replace("\n", "、") == "所有者氏名、所有者住所、車両番号、車台番号"
    assert rows[2].items_as_written.replace("\n", "、") == "被保険者番号氏名生年月日、性別"
