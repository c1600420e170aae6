"""Connections given as a web page's <dl> of dt/dd pairs under a numbered heading, in each form the
page is published in (the HTML, its select-all copy, its print), and what goes with them: a <br>
in a list value, the page's footer, two templates' wordings of one field, a two-level 枝番 in a
statute, and a report read as nothing. Made-up reports; each expectation read off the text by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ketsugo.errors import InputError
from ketsugo.read.legal import parse_legal_basis
from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

ROOT = Path(__file__).resolve().parents[1]

_BLOCKS = [
    (
        "１　住民票のコンビニ交付",
        [
            ("所管課", ["市民課"]),
            ("事務の名称", ["証明書自動交付事務"]),
            ("結合の相手方", ["地方公共団体情報システム機構"]),
            ("提供・受領の別", ["提供・受領"]),
            ("提供する記録項目", ["氏名、住所、生年月日 等"]),
            ("根拠法令", ["－"]),
            ("特定個人情報の有無", ["無"]),
            ("結合開始日", ["R5.6.1"]),
        ],
    ),
    (
        "２　給付金の支給",
        [
            ("担当課", ["こども課"]),
            ("業務の名称", ["給付金支給事務"]),
            ("結合先", ["株式会社ＡＢＣ", "株式会社ＤＥＦ"]),  # two parties, a <br> between
            ("データの流れ", ["提供"]),  # the other template's name of 提供・受領の別
            ("記録項目", ["申請者氏名、住所", "口座番号、給付額"]),  # items on two lines
            ("法令の根拠", ["地方税法第321条の7の4第1項"]),
            ("個人番号を含むか", ["含まない"]),
            ("開始年月日", ["令和5年7月3日"]),
        ],
    ),
]
_ENDED = (
    "１　自動交付機",
    [
        ("所管課", ["市民課"]),
        ("事務の名称", ["証明書交付事務"]),
        ("結合の相手方", ["（株）ＧＨＩ"]),
        ("廃止年月日", ["令和６年３月３１日"]),
        ("廃止の理由", ["コンビニ交付に移行したため"]),
    ],
)
_SUMMARY = (
    "１　実施機関別の件数\n実施機関\t前年度末件数\t新規\t廃止\t年度末件数\n"
    "町長\t10\t2\t1\t11\n合計\t10\t2\t1\t11\n"
)
_NEW_HEADING = "２　令和５年度に開始した外部結合"
_ENDED_HEADING = "３　令和５年度に廃止した外部結合"
_FOOTER = [
    "このページに関するお問い合わせ",
    "総務課 法務係",
    "電話番号：011-222-3333　ファクス番号：011-222-4444",
    "法人番号：1234567890123",
]


def _html(footer_in_main: bool = False) -> str:
    def block(heading: str, pairs: list[tuple[str, list[str]]]) -> str:
        dl = "".join(f"<dt>{k}</dt><dd>{'<br>'.join(v)}</dd>" for k, v in pairs)
        return f"<h3>{heading}</h3><dl>{dl}</dl>"

    footer = "<p>" + "<br>".join(_FOOTER) + "</p>"
    title, header, *rows = _SUMMARY.strip().split("\n")
    summary = (
        f"<h2>{title}</h2><table>"
        + "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in row.split("\t")) + "</tr>" for row in [header, *rows]
        )
        + "</table>"
    )
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"></head><body><main>'
        f"<h1>令和５年度 外部電子計算機との結合の状況</h1>{summary}"
        f"<h2>{_NEW_HEADING}</h2>{''.join(block(h, p) for h, p in _BLOCKS)}"
        f"<h2>{_ENDED_HEADING}</h2>{block(*_ENDED)}"
        f"{footer if footer_in_main else ''}</main><footer>{footer}</footer></body></html>"
    )


def _copy(blank: bool) -> str:
    """The page's select-all copy (each dt and dd line a line), or its print (``blank``: a blank
    line between a label and its value and after it, the lines of one value together)."""
    gap = [""] if blank else []
    lines = ["令和５年度 外部電子計算機との結合の状況", *_SUMMARY.strip().split("\n"), _NEW_HEADING]

    def block(heading: str, pairs: list[tuple[str, list[str]]]) -> None:
        lines.append(heading)
        for label, values in pairs:
            lines.extend([*gap, label, *gap, *values])

    for heading, pairs in _BLOCKS:
        block(heading, pairs)
    lines.append(_ENDED_HEADING)
    block(*_ENDED)
    lines.extend([*gap, *_FOOTER])
    return "\n".join(lines) + "\n"


def _read(form: str, tmp_path: Path) -> object:
    if form == "html":
        path = tmp_path / "report.html"
        path.write_text(_html(), encoding="utf-8")
        text = read_source(path).text
    else:
        text = _copy(blank=form == "print")
    return parse_report(text, "report.txt", fiscal_year=2023)


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_each_dl_block_is_a_connection(form: str, tmp_path: Path) -> None:
    report = _read(form, tmp_path)
    new = [c for c in report.connections if c.status == "new"]
    ended = [c for c in report.connections if c.status == "ended"]
    assert [(c.number, c.departments_as_written, c.business) for c in new] == [
        (1, "市民課", "証明書自動交付事務"),
        (2, "こども課", "給付金支給事務"),
    ]
    first, second = new
    assert first.counterparties_as_written == "地方公共団体情報システム機構"
    assert [i.name for i in first.items.items] == ["氏名", "住所", "生年月日"] and first.items.open_ended
    assert first.specific_personal_information is False and second.specific_personal_information is False
    assert first.start_date is not None and first.start_date.isoformat() == "2023-06-01"
    assert second.start_date is not None and second.start_date.isoformat() == "2023-07-03"
    # the heading's title is a short label, not the business (a row names the business)
    assert [(c.number, c.business, c.counterparties_as_written) for c in ended] == [
        (1, "証明書交付事務", "（株）ＧＨＩ")
    ]
    assert ended[0].end_date is not None and ended[0].end_date.isoformat() == "2024-03-31"
    assert ended[0].reason == "コンビニ交付に移行したため"  # the page's footer is no part of it


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_a_line_break_in_a_list_value_separates_entries(form: str, tmp_path: Path) -> None:
    second = _read(form, tmp_path).connections[1]
    assert "ＡＢＣ株式会社" not in second.counterparties_as_written
    assert second.counterparties_as_written.split() == ["株式会社ＡＢＣ", "株式会社ＤＥＦ"]
    assert [i.name for i in second.items.items] == ["申請者氏名", "住所", "口座番号", "給付額"]


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_two_templates_names_of_one_field_are_one_column(form: str, tmp_path: Path) -> None:
    report = _read(form, tmp_path)
    first, second = report.connections[:2]
    assert (first.direction, second.direction) == ("both", "to_party")
    assert not [i for i in report.issues if i.severity == "error"]
    assert not any("second column" in i.message for i in report.issues)
    # 法令の根拠 names the statutes: 第321条の7の4第1項, an article inserted twice
    assert second.legal_basis is not None
    [cited] = second.legal_basis.statutes
    assert (cited.law_name, cited.article, cited.paragraph) == ("地方税法", "321の7の4", 1)


def test_an_empty_value_the_print_left_out_is_empty(tmp_path: Path) -> None:
    # a print that drops the dd 「－」: 根拠法令 right above 特定個人情報の有無
    text = _copy(blank=True).replace("根拠法令\n\n－\n", "根拠法令\n", 1)
    first = parse_report(text, "report.txt", fiscal_year=2023).connections[0]
    assert first.specific_personal_information is False
    assert first.start_date is not None and first.start_date.isoformat() == "2023-06-01"


@pytest.mark.parametrize(
    "heading",
    [
        "【２】給付金の支給",
        "No.2 給付金の支給",
        "No．２　給付金の支給",
        "②給付金の支給",
        "2. 給付金の支給",
        "【２】",
    ],
)
def test_other_numbered_headings_give_the_number(heading: str) -> None:
    # ((2) 給付金の支給 is a section's heading wherever it stands: read/layout.py)
    text = _copy(blank=False).replace("２　給付金の支給", heading)
    report = parse_report(text, "report.txt", fiscal_year=2023)
    assert [c.number for c in report.connections if c.status == "new"] == [1, 2]


def test_the_page_footer_is_no_card_field() -> None:
    # cards of 項目：内容 lines, the page's footer right under the last one (no blank line)
    text = (
        "令和５年度 外部電子計算機との結合の状況\n"
        "(2) 新たに結合したもの\n実績はありません。\n(3) 廃止したもの\n"
        "番号：1\n担当課：市民課\n業務名：証明書交付事務\n結合の相手方：株式会社ＪＫＬ\n"
        "廃止年月日：令和6年3月31日\n廃止の理由：移行したため\n" + "\n".join(_FOOTER) + "\n"
    )
    report = parse_report(text, "report.txt", fiscal_year=2023, lenient=True)
    [ended] = report.connections
    assert (ended.number, ended.reason) == (1, "移行したため")  # not 019-… as its number
    assert not [i for i in report.issues if i.severity == "error"]
    # the footer, from its contact heading on, is said in one info holding its text
    [footer] = [i for i in report.issues if "footer" in i.message]
    assert footer.severity == "info" and "法人番号：1234567890123" in footer.as_written
    assert not any("電話番号" in text for _, text in report.unread_lines)


def test_statute_article_of_two_inserted_levels() -> None:
    for written in ("地方税法第321条の7の4第1項", "地方税法第三百二十一条の七の四第一項"):
        basis = parse_legal_basis(written)
        assert basis is not None
        [cited] = basis.statutes
        assert (cited.law_name, cited.article, cited.paragraph) == ("地方税法", "321の7の4", 1)


def test_a_report_read_as_nothing_is_refused_strictly() -> None:
    # the summary counts 2 new and 1 ended; the sections hold lines no layout reads
    text = (
        "令和５年度 外部電子計算機との結合の状況\n" + _SUMMARY
        + f"{_NEW_HEADING}\n市民課がＡ社と結合しました。\n市民課がＢ社と結合しました。\n"
        + f"{_ENDED_HEADING}\nＣ社との結合をやめました。\n"
    )  # fmt: skip
    with pytest.raises(InputError) as raised:
        parse_report(text, "report.txt", fiscal_year=2023)
    messages = [i.message for i in raised.value.issues]
    assert any("summary counts 2 new connection(s) but no row of one was read" in m for m in messages)
    assert any("summary counts 1 ended connection(s) but no row of one was read" in m for m in messages)
    lenient = parse_report(text, "report.txt", fiscal_year=2023, lenient=True)
    assert sum(1 for i in lenient.issues if "no row of one was read" in i.message) == 2


def test_a_section_saying_none_or_uncounted_is_no_error() -> None:
    text = (
        "令和５年度 外部電子計算機との結合の状況\n" + _SUMMARY.replace("2\t1\t11", "0\t1\t9")
        + f"{_NEW_HEADING}\n実績はありません。\n{_ENDED_HEADING}\n該当なし\n"
    )  # fmt: skip
    report = parse_report(text, "report.txt", fiscal_year=2023, lenient=True)
    assert not any("no row of one was read" in i.message for i in report.issues)


def test_strict_build_exits_2_and_lenient_validate_exits_1(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import _register_optional_commands, cli

    _register_optional_commands()

    report = tmp_path / "report.txt"
    report.write_text(
        "令和５年度 外部電子計算機との結合の状況\n" + _SUMMARY
        + f"{_NEW_HEADING}\n市民課がＡ社と結合しました。\n{_ENDED_HEADING}\nＣ社との結合をやめました。\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "build"
    runner = CliRunner()
    strict = runner.invoke(cli, ["build", str(report), "--municipality", "033219", "--out", str(out), "-q"])
    assert strict.exit_code == 2, strict.output
    assert "report.txt" in strict.output and "no row of one was read" in strict.output
    assert not out.exists()  # nothing written
    lenient = runner.invoke(
        cli, ["build", str(report), "--municipality", "033219", "--out", str(out), "-q", "--lenient"]
    )
    assert lenient.exit_code == 0, lenient.output
    validate = runner.invoke(cli, ["validate", "--store", str(out), "--fail-on", "reading:violation"])
    assert validate.exit_code == 1, validate.output


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
