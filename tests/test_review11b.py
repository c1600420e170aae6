"""Review of the eleventh session's new readers (csv12, dl12, paste11, office12): realistic files a
municipality could publish that the readers misread. Made-up reports; every expectation is read by
hand from the text written here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ketsugo.read.parser import parse_report
from ketsugo.read.sources import read_source

_TITLE = "令和５年度 外部電子計算機との結合の状況"
_SUMMARY = ["実施機関\t前年度末件数\t新規\t廃止\t年度末件数", "町長\t10\t1\t0\t11", "合計\t10\t1\t0\t11"]
_NEW = "２　令和５年度に開始した外部結合"


def _dl_pairs(items: list[str]) -> list[tuple[str, list[str]]]:
    return [
        ("所管課", ["市民課"]),
        ("事務の名称", ["証明書自動交付事務"]),
        ("結合の相手方", ["地方公共団体情報システム機構"]),
        ("提供する記録項目", items),  # one item a line: a <br> between them
        ("特定個人情報の有無", ["無"]),
        ("結合開始日", ["R5.6.1"]),
    ]


def _dl_text(form: str, tmp_path: Path, heading: str, pairs: list[tuple[str, list[str]]]) -> str:
    """A page of one <dl> card under its heading: the HTML read, its select-all copy or its print."""
    if form == "html":
        rows = "".join(f"<tr><td>{c.replace(chr(9), '</td><td>')}</td></tr>" for c in _SUMMARY)
        dl = "".join(f"<dt>{k}</dt><dd>{'<br>'.join(v)}</dd>" for k, v in pairs)
        path = tmp_path / "report.html"
        path.write_text(
            f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"></head><body><main><h1>{_TITLE}</h1>'
            f"<h2>１　実施機関別の件数</h2><table>{rows}</table><h2>{_NEW}</h2><h3>{heading}</h3><dl>{dl}</dl>"
            "<h2>３　令和５年度に廃止した外部結合</h2><p>該当なし</p></main></body></html>",
            encoding="utf-8",
        )
        return read_source(path).text
    gap = [""] if form == "print" else []
    lines = [_TITLE, "１　実施機関別の件数", *_SUMMARY, _NEW, heading]
    for label, values in pairs:
        lines.extend([*gap, label, *gap, *values])
    return "\n".join([*lines, "３　令和５年度に廃止した外部結合", "該当なし"]) + "\n"


@pytest.mark.parametrize("form", ["html", "copy", "print"])
def test_items_one_a_line_named_like_a_number_or_a_footer_stay_items(form: str, tmp_path: Path) -> None:
    # 宛名番号 / 電話番号 end in 番号 (the number's column name), 電話番号 labels a page's footer
    # line, 個人番号 names the 特定個人情報 column: under 提供する記録項目 each is one more item
    items = ["宛名番号", "氏名", "電話番号", "生年月日", "個人番号"]
    text = _dl_text(form, tmp_path, "１　住民票のコンビニ交付", _dl_pairs(items))
    report = parse_report(text, "report.txt", fiscal_year=2023)
    first = report.connections[0]
    assert (first.number, first.business) == (1, "証明書自動交付事務")
    assert [i.name for i in first.items.items] == items
    assert first.specific_personal_information is False  # its own row says 無
    assert first.start_date is not None and first.start_date.isoformat() == "2023-06-01"
    assert not report.unread_lines


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
