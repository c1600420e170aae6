"""Lines under the last table that are neither rows nor unknown text: a ※ note wrapped onto an
indented line of its own, and the dated line saying when and by whom the report was written
(令和７年５月３０日　南伊勢町総務課). Before, each was 「line not understood」 (a warning). The
report below is written by hand."""

from __future__ import annotations

from ketsugo.read.parser import parse_report

HEADER = "番号\t担当課\t業務名\t記録項目\t結合の相手方\t結合開始日"


def _report(*tail: str) -> str:
    return "\n".join(
        [
            "令和６年度　外部結合の状況",
            "",
            "２　新たに結合を開始したもの",
            HEADER,
            "1\t住民課\t住民票の写しの交付事務\t氏名、本籍\t法務省\t令和6年4月1日",
            "",
            *tail,
            "",
        ]
    )


def _not_understood(text: str) -> list[int]:
    report = parse_report(text, "t.txt")
    return [i.line for i in report.issues if "line not understood" in i.message]


def test_a_note_wrapped_onto_an_indented_line_is_one_note() -> None:
    text = _report(
        "　※　「提供・受領の別」欄の「提供」は本町から相手方への個人情報の",
        "　　　流れを示す。",
        "　※　「―」は該当なし。",
    )
    assert _not_understood(text) == []
    notes = [n for _, n in parse_report(text, "t.txt").section_notes]
    assert "※　「提供・受領の別」欄の「提供」は本町から相手方への個人情報の流れを示す。" in notes


def test_a_dated_signature_line_is_about_the_report() -> None:
    for line in ("　　　　　令和７年５月３０日　南伊勢町総務課", "令和６年５月３１日現在　総務部総務課"):
        text = _report(line)
        assert _not_understood(text) == [], line
        said = [i for i in parse_report(text, "t.txt").issues if i.line == 7]
        assert [i.severity for i in said] == ["info"], line


def test_a_sentence_opening_with_a_date_is_still_not_understood() -> None:
    text = _report("令和７年５月３０日　総務課において取りまとめた内容を公表する。")
    assert _not_understood(text) == [7]


def test_a_report_read_as_nothing_is_refused_even_without_a_summary() -> None:
    """Section (2) holds lines but not one row, summary row or statement was read (a layout ketsugo
    does not know): strictly an error, not a graph of no connections built with exit 0 while the
    build says 「NOTHING WAS READ … ketsugo validate fails on it」 and validate passes."""
    import pytest

    from ketsugo.errors import InputError

    text = "\n".join(
        [
            "令和６年度　外部結合の状況",
            "",
            "２　新たに結合を開始したもの",
            "住民課では、住民票の写しの交付のため法務省と結合を開始した（令和6年4月1日）。",
            "税務課では、軽自動車税の申告のため地方税共同機構と結合を開始した（令和6年5月1日）。",
            "",
            "３　結合を廃止したもの",
            "該当なし",
            "",
        ]
    )
    with pytest.raises(InputError, match="nothing was read"):
        parse_report(text, "t.txt")
    lenient = parse_report(text, "t.txt", lenient=True)
    assert [i.line for i in lenient.issues if i.severity == "error"] == [4]


def test_sections_that_say_they_are_empty_are_no_report_read_as_nothing() -> None:
    text = "\n".join(
        [
            "令和６年度　外部結合の状況",
            "",
            "２　新たに結合を開始したもの",
            "該当なし",
            "",
            "３　結合を廃止したもの",
            "該当なし",
            "",
        ]
    )
    assert not [i for i in parse_report(text, "t.txt").issues if i.severity == "error"]


def test_a_dated_event_is_no_signature() -> None:
    """令和5年7月27日 審議会へ報告 (a card's value under 審議会, shiwa-2023): a date and what happened."""
    from ketsugo.read.layout import _signature

    assert _signature("令和5年7月27日 審議会へ報告") is None
    assert _signature("令和７年５月３０日　南伊勢町総務課") == "南伊勢町総務課"
