"""Yes/no marks in the 特定個人情報 column (headers.toml [specific_personal_information]): the common
variants of ✕ and ○ are read, a mark that is read is no error, and a mark that cannot be read gives
no value (an error, but never a false stored beside it). Marks read by hand as a reader of a
Japanese table reads them."""

from __future__ import annotations

import pytest

from ketsugo.read.parser import parse_report

HEADER = "No.\t担当課\t業務名\t記録項目\t特定個人情報\t審議会\t結合の相手方\t開始年月日"


def _read(mark: str):  # type: ignore[no-untyped-def]
    row = (
        f"1\t市民課\t住民基本台帳事務\t氏名、住所\t{mark}\t令和4年度第1回審議会承認\t株式会社A\t令和4年6月1日"
    )
    text = "\n".join(["令和4年度 外部結合の状況", "", "（2）新たに結合したもの", "", HEADER, row, ""]) + "\n"
    report = parse_report(text, "t.txt", lenient=True)
    (connection,) = report.connections
    flag_issues = [i for i in report.issues if i.field == "特定個人情報"]
    return connection.specific_personal_information, flag_issues


@pytest.mark.parametrize("mark", ["✕", "✖", "×", "☓", "Ｘ", "X", "x", "✗", "✘"])
def test_crosses_read_as_no(mark: str) -> None:
    assert _read(mark) == (False, [])


@pytest.mark.parametrize("mark", ["〇", "○", "◯", "●", "◎", "✓", "✔"])
def test_circles_and_ticks_read_as_yes(mark: str) -> None:
    assert _read(mark) == (True, [])


def test_a_mark_that_cannot_be_read_gives_no_value() -> None:
    flag, issues = _read("要確認")
    assert flag is None
    assert len(issues) == 1 and issues[0].severity == "error"
