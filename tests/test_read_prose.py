"""Section (1)'s counts written as sentences, with no summary table (read/prosecounts.py). A made-up
town's page; each expectation read off the text by hand."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

PROSE = """テスト町 令和5年度 外部結合の状況

外部結合の件数
町長が行う外部結合は、令和５年度末で１２件（前年度末１１件、新規２件、廃止１件）、うち個人番号を含むものは３件です。農業委員会が行う外部結合は、令和５年度末で２件（前年度末２件、新規０件、廃止０件）です。

(2) 新たに開始した外部結合
番号\t担当課\t業務名\t記録項目\t結合の相手方\t開始年月日
1\t総務課\t文書管理事務\t氏名\t株式会社テスト\t令和5年5月1日
"""


def test_counts_read_from_sentences() -> None:
    report = parse_report(PROSE, "t.txt")
    got = [(r.agency, r.previous, r.new, r.ended, r.current, r.specific) for r in report.summary]
    assert got == [("町長", 11, 2, 1, 12, 3), ("農業委員会", 2, 0, 0, 2, None)]
    assert all(r.line == 4 for r in report.summary)
    assert sum("read from a sentence" in i.message for i in report.issues) == 2
    assert not any(line_no == 4 for line_no, _ in report.unread_lines)


def test_a_sentence_of_other_counts_is_no_row() -> None:
    text = PROSE.replace("（前年度末１１件、新規２件、廃止１件）", "").replace(
        "（前年度末２件、新規０件、廃止０件）", ""
    )
    report = parse_report(text, "t.txt", lenient=True)
    assert report.summary == ()


ENDED = """テスト町 令和5年度 外部結合の状況

(2) 新たに開始した外部結合
実績はありません。

終了した外部結合

次の外部結合を令和５年１２月２８日に終了しました。

１　税務課が行っていた軽自動車税事務の株式会社テスト電算との結合（記録項目：氏名、住所、車両番号）。終了の理由は、システムを更新したためです。

２　福祉課が行っていた障害者福祉事務の社会福祉法人テスト会との結合。

お問い合わせ先：テスト町総務課　電話０００－０００－００００
"""


def test_ended_connections_read_from_sentences() -> None:
    report = parse_report(ENDED, "t.txt")
    first, second = report.connections
    assert (first.number, first.status, first.departments_as_written) == (1, "ended", "税務課")
    assert (first.business, first.counterparties_as_written) == ("軽自動車税事務", "株式会社テスト電算")
    assert [i.name for i in first.items.items] == ["氏名", "住所", "車両番号"]
    assert first.reason == "システムを更新したため"
    assert first.end_date is not None and first.end_date.isoformat() == "2023-12-28"
    assert (second.number, second.business, second.counterparties_as_written) == (
        2,
        "障害者福祉事務",
        "社会福祉法人テスト会",
    )
    assert second.end_date == first.end_date and not second.reason  # no reason given: a blank cell
    # the contact line closing the page is no part of the last connection
    assert not any("問い合わせ" in (c.reason or "") for c in report.connections)
    assert any("numbered sentences" in i.message for i in report.issues)
