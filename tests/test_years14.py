"""A file holding several fiscal years' reports (a running page 「令和５年度の外部結合」 then
「令和４年度の外部結合」): refused without --fiscal-year with one error naming the parts; with it,
only that year's part is read and the other is set aside with an info (read/yearparts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.read.parser import parse_report

HEAD = "No.\t実施機関\t担当課\t業務名\t記録項目\t特定個人情報\t結合の相手方\t提供・受領の別\t結合の開始年月日"
ENDED = "No.\t実施機関\t担当課\t業務名\t結合の相手方\t結合の終了年月日\t終了の理由"


def _year(era: str, before: str, rows: list[str], ended: list[str], counts: str) -> list[str]:
    return [
        f"令和{era}年度の外部結合",
        "",
        "(1) 実施機関別の外部結合件数",
        f"実施機関\t令和{before}年度末\t新規\t廃止\t令和{era}年度末\tうち特定個人情報を含むもの",
        counts,
        "",
        f"(2) 令和{era}年度に開始した外部結合",
        HEAD,
        *rows,
        "",
        f"(3) 令和{era}年度に終了した外部結合",
        ENDED,
        *ended,
        "",
    ]


# lines: 1 title, 3 the R5 heading, 18 (=3+15) … counted in the tests from the list itself
LINES = [
    "山川村　外部結合の状況",
    "",
    *_year(
        "5",
        "4",
        [
            "1\t村長\t総務課\t住民票交付事務\t氏名、住所\t無\t地方公共団体情報システム機構\t提供\t令和5年6月1日",
            "2\t村長\t総務課\t税務事務\t氏名、個人番号\t有\t地方税共同機構\t受領\t令和5年10月2日",
        ],
        ["1\t村長\t総務課\t旧システム事務\t株式会社山川計算センター\t令和6年3月31日\t契約の終了のため"],
        "村長\t10\t2\t1\t11\t3",
    ),
    *_year(
        "4",
        "3",
        [
            "1\t村長\t総務課\t電子申請事務\t氏名、メールアドレス\t無\t株式会社川谷システム\t提供・受領\t令和4年4月1日"
        ],
        ["1\t村長\t総務課\t郵送請求事務\t株式会社山谷ネット\t令和4年12月31日\t委託契約の終了のため"],
        "村長\t10\t1\t1\t10\t3",
    ),
    "問い合わせ先：山川村総務課",
]
TEXT = "\n".join(LINES) + "\n"
R5 = LINES.index("令和5年度の外部結合") + 1
R4 = LINES.index("令和4年度の外部結合") + 1


def test_two_years_without_a_year_is_one_clear_error() -> None:
    for lenient in (False, True):
        with pytest.raises(InputError) as raised:
            parse_report(TEXT, "page.txt", lenient=lenient)
        (issue,) = raised.value.issues
        assert issue.line == R5
        assert f"2023 (line {R5}" in issue.message and f"2022 (line {R4}" in issue.message
        assert "--fiscal-year" in issue.message


@pytest.mark.parametrize(("year", "numbers", "current", "other_line"), [(2023, 2, 11, R4), (2022, 1, 10, R5)])
def test_the_year_given_reads_its_part_only(year: int, numbers: int, current: int, other_line: int) -> None:
    report = parse_report(TEXT, "page.txt", part_year=year)
    assert report.fiscal_year == year
    assert not [i for i in report.issues if i.severity == "error"]
    assert len([c for c in report.connections if c.status == "new"]) == numbers
    assert len([c for c in report.connections if c.status == "ended"]) == 1
    assert [row.agency for row in report.summary] == ["村長"]  # one summary, never merged
    set_aside = [i for i in report.issues if i.line == other_line and i.severity == "info"]
    assert len(set_aside) == 1
    other = 2022 if year == 2023 else 2023
    assert f"fiscal year {other}'s part" in set_aside[0].message


def test_a_year_no_part_names_is_refused() -> None:
    with pytest.raises(InputError) as raised:
        parse_report(TEXT, "page.txt", part_year=2021)
    (issue,) = raised.value.issues
    assert "2021" in issue.message


def test_one_year_with_an_earlier_year_named_is_not_split() -> None:
    """A single report naming 令和４年度 in a line of its own (a note, the summary header) is one report."""
    one = [*LINES[: R4 - 1], "問い合わせ先：山川村総務課"]
    report = parse_report("\n".join(one) + "\n", "one.txt")
    assert report.fiscal_year == 2023


def test_cli_refuses_without_the_year_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", str(page), "--municipality", "143821", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "--fiscal-year" in result.output and f"page.txt:{R5}" in result.output
    assert not out.exists()
    result = CliRunner().invoke(
        cli, ["build", str(page), "--municipality", "143821", "--fiscal-year", "2022", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output


def test_the_harness_scores_the_report_fiscal_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report filed under another year than its expectations say is a wrong field."""
    import importlib.util
    import sys

    root = Path(__file__).resolve().parents[1]
    if "score_variants" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "score_variants", root / "scripts" / "score_variants.py"
        )
        assert spec is not None and spec.loader is not None
        sys.modules["score_variants"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["score_variants"])
    score = sys.modules["score_variants"]
    case = tmp_path / "page"
    case.mkdir()
    (case / "report.txt").write_text(TEXT, encoding="utf-8")
    (case / "expected.toml").write_text(
        '[report]\nmunicipality_code = "143821"\nfiscal_year = 2023\nfiscal_year_given = true\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(score, "CASES", tmp_path)
    right = score.check_case("page", validate=False)
    year = [c for c in right.checks if c.field == "fiscal_year"]
    assert len(year) == 1 and year[0].ok and year[0].got == 2023, right.error
    text = (case / "expected.toml").read_text(encoding="utf-8")
    (case / "expected.toml").write_text(text.replace("fiscal_year_given = true\n", ""), encoding="utf-8")
    refused = score.check_case("page", validate=False)  # two years, no year given: refused
    assert refused.error and "fiscal_year" in [c.field for c in refused.wrong()]


def test_the_closing_block_after_the_last_part_belongs_to_every_year() -> None:
    report = parse_report(TEXT, "page.txt", part_year=2023)
    last = len(LINES)  # 問い合わせ先：山川村総務課, after the 令和４年度 part
    assert any(line == last for line, _ in report.unread_lines)
    (set_aside,) = [i for i in report.issues if i.line == R4]
    assert f"lines {R4}–{last - 2}" in set_aside.message  # the part's last line before the blank one


def test_a_section_heading_naming_a_year_opens_no_part() -> None:
    """(2)新たに…の内訳（令和4年度） under a 令和5年度 title is a section heading (its year may
    disagree with the title: the old finding), not a second year's part."""
    from ketsugo.read.yearparts import year_parts

    lines = list(
        enumerate(
            ["令和5年度", "(1) 件数", "実施機関\t件数", "(2)新たに結合した外部結合の内訳（令和4年度）", HEAD],
            1,
        )
    )
    assert year_parts(lines) == []
