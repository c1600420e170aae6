"""A web page with no <table> (pdf12): the connections as <h3> + <dl> blocks, the counts written as
sentences, is read as its text, as its select-all copy is; a page that says no report in its text
is refused, naming the file. The info on <dl> blocks names what was read. Made-up pages; each
expectation read off the page by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Connection
from ketsugo.read.sources import read_source

_DL = """<h3>{number}　{title}</h3>
<dl><dt>所管課</dt><dd>{department}</dd><dt>事務の名称</dt><dd>{business}</dd>
<dt>結合の相手方</dt><dd>{party}</dd><dt>提供・受領の別</dt><dd>提供</dd>
<dt>提供する記録項目</dt><dd>氏名、住所</dd><dt>特定個人情報の有無</dt><dd>無</dd>
<dt>{date_label}</dt><dd>{date}</dd></dl>"""


def _page(summary: str) -> str:
    new = [
        _DL.format(
            number="１", title="コンビニ交付", department="町民課", business="証明書交付事務",
            party="地方公共団体情報システム機構", date_label="結合開始日", date="令和5年6月1日",
        ),
        _DL.format(
            number="２", title="電子申請", department="総務課", business="電子申請事務",
            party="株式会社ＡＢＣ", date_label="結合開始日", date="令和5年7月3日",
        ),
    ]  # fmt: skip
    ended = _DL.format(
        number="１", title="自動交付機", department="町民課", business="自動交付機事務",
        party="株式会社ＤＥＦ", date_label="廃止年月日", date="令和6年3月31日",
    )  # fmt: skip
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><main>"
        "<h1>令和５年度 外部電子計算機との結合の状況</h1>"
        f"<h2>１　実施機関別の件数</h2>{summary}"
        f"<h2>２　令和５年度に開始した外部結合</h2>{''.join(new)}"
        f"<h2>３　令和５年度に廃止した外部結合</h2>{ended}"
        "</main></body></html>"
    )


PROSE = (
    "<p>町長が行う外部結合は、令和５年度末で１１件（前年度末１０件、新規２件、廃止１件）、"
    "うち個人番号を含むものは３件です。</p>"
)


def _connection(c: Connection) -> tuple[str, int, str, str, str, date | None]:
    when = c.start_date if c.status == "new" else c.end_date
    return (c.status, c.number, c.departments_as_written, c.business, c.counterparties_as_written, when)


def _read(tmp_path: Path, page: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    source = read_source(path)
    return source, source.findings_located(parse_report(source.text, str(path)))


def test_a_page_of_dl_blocks_and_prose_counts_is_read(tmp_path: Path) -> None:
    _, report = _read(tmp_path, _page(PROSE))
    assert [_connection(c) for c in report.connections] == [
        ("new", 1, "町民課", "証明書交付事務", "地方公共団体情報システム機構", date(2023, 6, 1)),
        ("new", 2, "総務課", "電子申請事務", "株式会社ＡＢＣ", date(2023, 7, 3)),
        ("ended", 1, "町民課", "自動交付機事務", "株式会社ＤＥＦ", date(2024, 3, 31)),
    ]
    (row,) = report.summary
    assert (row.agency, row.previous, row.new, row.ended, row.current, row.specific) == (
        "町長",
        10,
        2,
        1,
        11,
        3,
    )
    said = [i.message for i in report.issues if "read as cards" in i.message]
    # what was read is said: the page's <dl> blocks, not two-column tables
    assert len(said) == 2 and all("label and value lines" in m and "two-column" not in m for m in said)
    assert [i for i in report.issues if i.severity == "error"] == []


def test_a_page_whose_counts_are_a_dl_too_is_read_as_its_text(tmp_path: Path) -> None:
    """No table at all, the counts a <dl> too: the page is read as its text (what the parser makes
    of such counts is the parser's), each dt and dd a line, in the page's order."""
    path = tmp_path / "page.html"
    path.write_text(_page("<dl><dt>町長</dt><dd>新規 2件、廃止 1件</dd></dl>"), encoding="utf-8")
    lines = [line for line in read_source(path).text.splitlines() if line]
    assert lines[:3] == ["令和５年度 外部電子計算機との結合の状況", "１　実施機関別の件数", "町長"]
    assert lines[3:6] == ["新規 2件、廃止 1件", "２　令和５年度に開始した外部結合", "１　コンビニ交付"]


@pytest.mark.parametrize(
    "body",
    [
        "<h1>外部電子計算機との結合の状況</h1><p>準備中です。</p>",
        "<h1>外部結合</h1><p>このページは移動しました。</p><p>電話番号：019-000-0000</p>",
    ],
)
def test_a_page_that_says_no_report_is_refused(tmp_path: Path, body: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(f"<!DOCTYPE html><html><body><main>{body}</main></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_source(path)
    (issue,) = refused.value.issues
    assert (
        issue.path == str(path) and "no tables in this HTML page, and no report in its text" in issue.message
    )
