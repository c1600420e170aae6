"""A web page's tables under headings naming what they list, with no number or mark
(新たに外部結合を開始したもの, 外部結合を終了したもの), and 双方 for data flowing both ways
(headers.toml [sections] bare_endings, [direction] both). Values read by hand from LINES."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

LINES = [
    "令和６年度 外部結合実施状況報告",
    "件数",
    "実施機関\t前年度末\t新規\t終了\t本年度末\t特定個人情報を含むもの",
    "市長\t10\t2\t1\t11\t3",
    "新たに外部結合を開始したもの",
    "No.\t所管課\t事務事業名\t接続先\t提供項目\t提供／受領\t開始年月日\t目的",
    "1\t総務部 税務課\t森林環境税賦課事務\t地方税共同機構\t氏名、住所\t双方\t2024/06/01\t賦課のため",
    "2\t市民課\t転出届受付事務\tデジタル庁\t氏名、転出先\t受領\t2024/05/01\t受付のため",
    "外部結合を終了したもの",
    "No.\t所管課\t事務事業名\t接続先\t終了年月日\t終了理由",
    "1\t環境課\t粗大ごみ受付事務\t株式会社クリーンコール\t2024/06/30\t直営に戻したため",
]


def test_headings_naming_what_the_table_lists_open_the_sections() -> None:
    report = parse_report("\n".join(LINES) + "\n", "page.txt")
    got = [(c.status, c.number, c.business) for c in report.connections]
    assert got == [
        ("new", 1, "森林環境税賦課事務"),
        ("new", 2, "転出届受付事務"),
        ("ended", 1, "粗大ごみ受付事務"),
    ]


def test_sohou_is_both_ways() -> None:
    report = parse_report("\n".join(LINES) + "\n", "page.txt")
    assert [c.direction for c in report.connections if c.status == "new"] == ["both", "from_party"]


def test_a_pages_short_heading_is_not_called_a_sheets_name(tmp_path) -> None:
    from ketsugo.read.sources import read_source

    page = tmp_path / "page.html"
    page.write_text(
        '<html><body><h1>令和６年度 外部結合実施状況報告</h1><h2>件数</h2><table border="1">'
        "<tr><th>実施機関</th><th>前年度末</th><th>新規</th><th>終了</th><th>本年度末</th></tr>"
        "<tr><td>市長</td><td>1</td><td>0</td><td>0</td><td>1</td></tr></table></body></html>",
        encoding="utf-8",
    )
    notes = [f.message for f in read_source(page, None).findings if f.as_written == "件数"]
    assert len(notes) == 1 and "a short heading" in notes[0], notes
