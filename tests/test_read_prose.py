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
