"""Open-data registers of 外部結合 (tests/cases/user12c/kumamoto-2022 and variants written here):
a CSV read as a table by its content, a file that is only one table (no section headings) read row
by row (区分, else the end date), ID as the number, the fiscal year from a 年度 column, the body
from 団体コード / 団体名 columns, a per-row 実施機関 column, ； between items, and 継続 rows as
continuing connections. Every expectation is read by hand from the text written here."""

from __future__ import annotations

from pathlib import Path

import pytest

import ketsugo
from ketsugo.errors import InputError
from ketsugo.read.items import split_items
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import source_text

HEAD = (
    "全国地方公共団体コード,ID,地方公共団体名,年度,区分,実施機関,担当部署,結合の名称（事務名）,結合の目的,"
    "結合の相手方,提供・受領の別,記録項目,対象者の範囲,特定個人情報の有無（有/無）,結合開始日,結合終了日,"
    "根拠法令,審議会,備考"
)
ROWS = (
    # No.1 new; its items written in quotes with half-width commas AND a line break inside the cell
    "431001,1,熊本市,2022年度,新規,熊本市長,中央区役所区民課,住民票の写しのコンビニ交付,利便性のため,"
    '地方公共団体情報システム機構,提供,"氏名,住所,\n生年月日",本市の住民,無,2022-07-01,,,,',
    # No.2 continuing (started 2002), J-LIS, 生年月日 among its items
    "431001,2,熊本市,2022年度,継続,熊本市長,北区役所区民課,住民基本台帳ネットワークシステム,本人確認のため,"
    "地方公共団体情報システム機構,提供,氏名；住所；生年月日,本市の住民,有,2002-08-05,,,,",
    # No.3 ended; the 実施機関 cell says 教育委員会 while the department (図書館) alone would not
    "431001,3,熊本市,2022年度,廃止,熊本市教育委員会,熊本市立図書館,予約資料の到着連絡,連絡のため,"
    "株式会社図書館流通センター,提供,利用者番号、氏名,図書館の利用登録者,無,2015-04-01,2022-06-30,,,廃止",
)


def _csv(rows: tuple[str, ...] = ROWS, head: str = HEAD) -> str:
    return "\r\n".join((head, *rows)) + "\r\n"


def test_a_csv_is_told_by_its_content_not_its_name() -> None:
    from ketsugo.read.sources.detect import looks_like_csv

    assert looks_like_csv(_csv())
    assert not looks_like_csv(_csv().replace(",", "\t"))  # the text form: tabs
    cards = "1　住民票の交付\n業務名：住民票の交付\n記録項目：氏名,住所,生年月日\n相手方：株式会社A\n"
    assert not looks_like_csv(cards)  # one line with commas among card lines


def test_a_cp932_csv_becomes_tab_separated_rows_with_its_file_lines(tmp_path: Path) -> None:
    data = _csv().encode("cp932")
    read = source_text(data, "register.txt")  # named .txt: the content decides
    assert read.encoding == "cp932"
    lines = read.text.splitlines()
    assert lines[0].split("\t")[1] == "ID"
    first = lines[1].split("\t")
    assert (
        first[1] == "1" and first[11] == "氏名,住所,生年月日"
    )  # one cell; the break after a comma adds none
    # the quoted cell spans file lines 2-3: No.2 stands on file line 4, text line 3
    assert read.where(1) == "CSV line 1" and read.where(2) == "CSV line 2" and read.where(3) == "CSV line 4"
    assert lines[2].split("\t")[4] == "継続"


def test_a_register_is_read_row_by_row_without_headings() -> None:
    read = source_text(_csv().encode("utf-8"), "r.csv")
    report = parse_report(read.text, "r.csv")
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "continuing"), (3, "ended")]
    assert report.fiscal_year == 2022  # from the 年度 column: no heading names a year
    assert (report.municipality_code, report.municipality_name) == ("431001", "熊本市")
    assert report.title == ""  # the header row is no title
    ended = report.connections[2]
    assert (ended.start_date_as_written, ended.end_date_as_written) == ("2015-04-01", "2022-06-30")
    assert [c.agency_as_written for c in report.connections] == ["熊本市長", "熊本市長", "熊本市教育委員会"]
    assert not [i for i in report.issues if "unknown column" in i.message]


def test_a_register_under_a_lone_list_heading_is_still_a_register() -> None:
    # 一覧 names the summary, section (1); the table under it opens with a connection header row
    read = source_text(_csv().encode("utf-8"), "r.csv")
    report = parse_report("(1) 外部結合一覧（令和4年度）\n\n" + read.text, "r.txt")
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "continuing"), (3, "ended")]
    assert not report.summary and report.fiscal_year == 2022


def test_a_register_without_kubun_says_it_by_its_dates() -> None:
    head = "No,担当課,業務名,記録項目,結合の相手方,開始日,終了日,年度"
    rows = (
        "1,市民課,住民票,氏名、住所,株式会社A,2022-06-01,,令和4年度",  # started in FY2022: new
        "2,税務課,課税,氏名、所得,地方税共同機構,2016-01-04,,令和4年度",  # before 1 April 2022: continuing
        "3,福祉課,見守り,氏名、住所,株式会社B,2014-10-01,2022-12-31,令和4年度",  # end date: ended
    )
    report = parse_report(source_text(_csv(rows, head).encode(), "r.csv").text, "r.csv")
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "continuing"), (3, "ended")]
    assert report.fiscal_year == 2022


def test_a_jokyo_column_of_status_words_is_the_status() -> None:
    head = "番号,状況,担当課,業務名,記録項目,結合の相手方,開始日,終了日"
    rows = (
        "1,新規,市民課,住民票,氏名、住所,株式会社A,令和4年6月1日,",
        "2,継続,税務課,課税,氏名、所得,地方税共同機構,平成28年1月4日,",
        "3,廃止,福祉課,見守り,氏名、住所,株式会社B,平成26年10月1日,",  # no end date: 状況 alone says so
    )
    report = parse_report(source_text(_csv(rows, head).encode(), "r.csv").text, "r.csv", fiscal_year=2022)
    assert [(c.number, c.status) for c in report.connections] == [(1, "new"), (2, "continuing"), (3, "ended")]


def test_rows_naming_two_fiscal_years_are_an_error_at_the_line() -> None:
    rows = (ROWS[0], ROWS[1].replace("2022年度", "2023年度"), ROWS[2])
    text = source_text(_csv(rows).encode(), "r.csv").text
    with pytest.raises(InputError) as caught:
        parse_report(text, "r.csv")
    (issue,) = [i for i in caught.value.issues if "fiscal year" in i.message]
    assert (issue.line, issue.field) == (3, "年度") and "2023" in issue.message


def test_id_names_the_number_only_as_the_whole_header() -> None:
    head = HEAD.replace(",ID,", ",患者ID,")  # 患者ID is no number column: then no register table
    text = source_text(_csv(ROWS, head).encode(), "r.csv").text
    with pytest.raises(InputError, match="no section"):
        parse_report(text, "r.csv")


def test_items_split_at_full_and_half_width_semicolons() -> None:
    assert [i.name for i in split_items("氏名；住所；生年月日").items] == ["氏名", "住所", "生年月日"]
    assert [i.name for i in split_items("受給者証番号;氏名").items] == ["受給者証番号", "氏名"]


def _built(tmp_path: Path, text: str, code: str = "431001") -> ketsugo.KnowledgeGraph:
    path = tmp_path / "register.csv"
    path.write_bytes(text.encode("cp932"))
    return ketsugo.build([path], municipality=code)


def test_a_continuing_connection_is_listed_as_a_recipient_but_never_counted(tmp_path: Path) -> None:
    kg = _built(tmp_path, _csv())
    statuses = {
        r["n"]: str(r["s"])
        for r in kg.sparql("SELECT ?n ?s WHERE { ?c kg:connectionNumber ?n ; kg:status ?s }")
    }
    kg_ns = "https://w3id.org/ketsugo#"
    assert statuses == {
        1: kg_ns + "NewConnection",
        2: kg_ns + "ContinuingConnection",
        3: kg_ns + "EndedConnection",
    }
    rows = kg.query("recipients-of-category", category="生年月日")
    jlis = [r for r in rows if r["recipient_label"] == "地方公共団体情報システム機構"]
    assert len(jlis) == 1 and jlis[0]["connections"] == 2  # the new No.1 and the continuing No.2
    assert "2002-08-05" in jlis[0]["periods"]
    assert not [f for f in kg.validate().findings if f.severity == "violation"]
    places = {
        r["n"]: str(r["p"])
        for r in kg.sparql("SELECT ?n ?p WHERE { ?c kg:connectionNumber ?n ; kg:sourceLocation ?p }")
    }
    assert places == {1: "CSV line 2", 2: "CSV line 4", 3: "CSV line 5"}  # No.1's cell spans lines 2-3
    flows = {(r["connection_number"], r["status"]) for r in kg.flows()}
    assert flows == {(1, "new"), (2, "continuing"), (3, "ended")}
    # the 実施機関 cell decides the agency of the ended row (図書館 alone is the mayor's)
    agencies = {
        r["n"]: str(r["a"]).rsplit("/", 1)[-1]
        for r in kg.sparql("SELECT ?n ?a WHERE { ?c kg:connectionNumber ?n ; kg:implementingAgency ?a }")
    }
    assert agencies == {1: "mayor", 2: "mayor", 3: "board-of-education"}


def test_a_register_of_another_body_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the register names local government 431001"):
        _built(tmp_path, _csv(), code="401005")  # 福岡市
