"""An ended row matched to the earlier year's new one when a new clerk writes the department with
the levels above it (総務部 税務課 for 税務課) and the party and business otherwise (株式会社ＴＫＣ →
(株)TKC, a space, half-width letters): `ketsugo diff` and the build's year links pair them
(ketsugo.graph.years.match_flow). Values read by hand from the lines below."""

from __future__ import annotations

from ketsugo.export.diff import diff_reports, same_parties, to_table
from ketsugo.graph.years import same_department
from ketsugo.read.parser import parse_report

HEAD = "番号\t担当課\t業務名\t結合の相手方\t提供・受領の別\t記録項目\t結合開始日"
EARLIER = [
    "令和５年度　外部結合の状況",
    "１　外部結合の件数",
    "実施機関\t令和4年度末件数\t新規結合件数\t結合終了件数\t令和5年度末件数\tうち特定個人情報を含むもの",
    "市長\t5\t2\t0\t7\t1",
    "２　新規に結合したもの",
    HEAD,
    "1\t税務課\t軽自動車税納付確認事務\t株式会社ＴＫＣ\t提供\t車両番号、納付状況\t令和5年6月1日",
    "2\t市民課\t住民票交付事務\t地方公共団体情報システム機構\t提供\t氏名、住所\t令和5年5月1日",
]
LATER = [
    "令和６年度　外部結合の状況",
    "１　外部結合の件数",
    "実施機関\t令和5年度末件数\t新規結合件数\t結合終了件数\t令和6年度末件数\tうち特定個人情報を含むもの",
    "市長\t7\t1\t2\t6\t1",
    "２　新規に結合したもの",
    HEAD,
    "1\t総務部 総務課\t文書管理事務\t株式会社ドキュメント\t提供\t氏名\t2024/04/01",
    "３　結合を終了したもの",
    "番号\t所管課\t事務事業名\t接続先\t終了年月日\t終了理由",
    "1\t総務部 税務課\t軽自動車税 納付確認事務\t(株)TKC\t2024/09/30\t切替えのため",
    "2\t市民環境部 住民市民課\t住民票交付事務\t地方公共団体情報システム機構\t2024/09/30\t廃止のため",
]


def _report(lines: list[str]):
    return parse_report("\n".join(lines) + "\n", "r.txt")


def test_an_ended_row_with_the_department_under_its_bu_ends_the_earlier_new_one() -> None:
    changes = diff_reports(_report(EARLIER), _report(LATER))
    got = [(c.change, c.later_number, c.earlier_number) for c in changes]
    # No.2's 住民市民課 is another section than 市民課: not matched
    assert got == [("new", 1, None), ("ended", 1, 1), ("ended", 2, None)]


def test_same_department() -> None:
    assert same_department("総務部税務課", "税務課")
    assert same_department("学校教育課", "教育委員会事務局学校教育課")
    assert not same_department("住民市民課", "市民課")
    assert not same_department("税務課", "市民課")


def test_a_party_spelled_otherwise_is_no_change_of_counterparty() -> None:
    # the table names a new counterparty only when it is another organisation
    table = to_table(diff_reports(_report(EARLIER), _report(LATER)))
    assert "(earlier No.1)" in table
    assert "counterparty:" not in table
    assert same_parties("株式会社ＴＫＣ、地方税共同機構", "地方税共同機構／(株)TKC")
    assert not same_parties("株式会社ＴＫＣ", "株式会社ＴＫＣ、地方税共同機構")


def test_continuing_lists_the_earlier_connections_still_in_force() -> None:
    earlier = [*EARLIER, "3\t環境課\tごみアプリ配信事務\t株式会社アプリ\t提供\tメールアドレス\t令和5年9月1日"]
    earlier[3] = "市長\t4\t3\t0\t7\t1"
    changes = diff_reports(_report(earlier), _report(LATER), continuing=True)
    got = [(c.change, c.later_number, c.earlier_number) for c in changes]
    # the earlier No.1 ends (later 終了No.1); No.2 (市民課) and No.3 go on
    assert got[-2:] == [("continuing", None, 2), ("continuing", None, 3)]
    assert "(earlier No.3) ごみアプリ配信事務 [環境課]" in to_table(changes)


def test_the_table_aligns_continuing_with_the_other_kinds() -> None:
    earlier = [*EARLIER, "3\t環境課\tごみアプリ配信事務\t株式会社アプリ\t提供\tメールアドレス\t令和5年9月1日"]
    earlier[3] = "市長\t4\t3\t0\t7\t1"
    table = to_table(diff_reports(_report(earlier), _report(LATER), continuing=True))
    starts = {
        line.index(" ") + len(line[line.index(" ") :]) - len(line[line.index(" ") :].lstrip())
        for line in table.splitlines()
        if not line.startswith(" ")
    }
    assert starts == {11}
