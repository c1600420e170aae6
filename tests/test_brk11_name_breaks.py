"""A line break typed inside one counterparty's name (地方公共団体情報<br>システム機構) is no list
separator: the party is one, each such join an info; two named parties on two lines stay two.
Read on the HTML and Word forms (written by tests/sources_fixtures.py) and on the text form with
the cell quoted over lines (a spreadsheet's copy). Expected values are read by hand from the cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source
from tests import sources_fixtures

HEADER = "No.\t結合を行った課\t業務名\t外部結合に係る個人情報記録の項目\t結合の相手方\t結合の開始年月日"
CELLS = {  # the cell as typed (a break inside it) → the parties a reader sees in it
    1: ("地方公共団体情報\nシステム機構", ["地方公共団体情報システム機構"]),
    2: ("社会保険診療報酬\n支払基金", ["社会保険診療報酬支払基金"]),
    3: ("長野県国民健康保険\n団体連合会", ["長野県国民健康保険団体連合会"]),
    4: ("株式会社Ａ\n株式会社Ｂ", ["株式会社Ａ", "株式会社Ｂ"]),
    5: ("デジタル庁\n地方公共団体情報システム機構", ["デジタル庁", "地方公共団体情報システム機構"]),
    6: ("株式会社ABC\nシステムズ", ["株式会社ABC", "システムズ"]),  # the name before is whole: maybe two
}
JOINED = {1, 2, 3}


def _report() -> str:
    rows = "\n".join(
        f'{n}\t総務課\t給与事務\t氏名\t"{cell}"\t令和5年4月1日' for n, (cell, _) in CELLS.items()
    )
    return f"青木村 外部電子計算機との結合の状況（令和5年度）\n\n(2) 新たに外部計算機との結合を行った外部結合の内訳\n\n{HEADER}\n{rows}\n"


def _parties(written: str) -> list[str]:
    return [p for p in re.split(r"[ 、\u3000]", written) if p]


@pytest.mark.parametrize("form", ["txt", "html", "docx"])
def test_a_break_inside_a_name_joins_and_two_names_stay_two(form: str, tmp_path: Path) -> None:
    text = _report()
    path = tmp_path / f"report.{form}"
    if form == "txt":
        path.write_text(text, encoding="utf-8")
    elif form == "html":
        sources_fixtures.write_html(text, path)
    else:
        sources_fixtures.write_docx(text, path)
    source = read_source(path)
    report = parse_report(source.text, str(path))
    got = {c.number: _parties(c.counterparties_as_written) for c in report.connections}
    assert got == {n: parties for n, (_, parties) in CELLS.items()}
    if form != "txt":  # the published forms: each join an info naming both lines
        joins = [f for f in source.findings if "inside a party's name" in f.message]
        assert len(joins) == len(JOINED)
        assert all(f.severity == "info" for f in joins)
        for n in JOINED:
            first, second = CELLS[n][0].split("\n")
            assert any(first in f.message and second in f.message for f in joins)


def test_a_known_name_broken_anywhere_joins() -> None:
    """The registry's name joined (厚生労働 / 省) though the piece after is no ending word of a body."""
    from ketsugo.read.sources.tables import join_parties

    joined, warnings, infos = join_parties(["厚生労働", "省"], " ")
    assert (joined, warnings, len(infos)) == ("厚生労働省", [], 1)
