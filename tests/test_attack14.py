"""An attacker's try on the readers added in the fourteenth session: box-drawn tables
(read/boxtables.py), department lines over sections (read/deptscopes.py), the fiscal year from a
cover line, withdrawn rows, signature lines, PDF item breaks (read/itemnames.py). Bad input either
reads or raises InputError (naming file, line and field), never anything else, and the work grows
at most linearly with the input: measured by counting the Python lines run (sys.settrace), so no
wall-clock threshold."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.read.boxtables import join_box_tables
from ketsugo.read.layout import ParseState
from ketsugo.read.parser import parse_report
from tests.conftest import fuzz_examples


def _work(work: Callable[[], object], where: str | None = None) -> int:
    """How many Python lines ``work()`` runs (a loop's line once a turn, a generator's too: see
    sys.settrace), or only those of the source file ``where`` ends with: a count of work, not of
    time."""
    count = 0

    def lines(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        count += 1
        return lines

    def calls(frame: FrameType, event: str, arg: object) -> Callable[..., object] | None:
        if where is None or frame.f_code.co_filename.endswith(where):
            return lines(frame, event, arg)
        return None

    previous = sys.gettrace()  # (a coverage tool's tracer: given back after)
    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def _numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), 1))


def _box_work(text: str) -> int:
    lines = _numbered(text)
    return _work(lambda: join_box_tables(lines, ParseState("t.txt", lenient=True)))


# How much more work four times the input may take: linear is 4, quadratic 16
_FOUR_TIMES = 6


def test_lines_of_bars_with_no_rule_are_looked_at_once_each() -> None:
    """│a│b│ lines with no rule anywhere are no box-drawn table (a run needs a rule and a boxed
    line): each run was looked at again from each of its lines, 2,000 lines took 17 s."""
    for line in ("│a│b│\n", "|a|b|\n", "├─┼─┤\n", "+---+---+\n"):
        small, large = _box_work(line * 100), _box_work(line * 400)
        assert large <= _FOUR_TIMES * small, (line, small, large)


def test_lines_of_bars_with_no_rule_are_left_as_they_are() -> None:
    text = "│a│b│\n" * 3 + "本文\n" + "├─┼─┤\n" * 2
    assert join_box_tables(_numbered(text), ParseState("t.txt", lenient=True)) == _numbered(text)


def test_a_row_of_thousands_of_cells_is_cut_into_its_columns_once() -> None:
    """Each cell of a line was looked for among all the row's columns: a box row of 400,000 cells
    (a 1 MB line) was 80 billion comparisons."""

    def table(cells: int) -> str:
        return "┌" + "─┬" * cells + "─┐\n" + "│" + "a│" * cells + "\n" + "└" + "─┴" * cells + "─┘"

    small, large = _box_work(table(500)), _box_work(table(2000))
    assert large <= _FOUR_TIMES * small, (small, large)


# Written as it shows: デジタル課 and ガス in decomposed form (テ + U+3099 …, as a Mac writes them), a
# zero-width space in 法務​省; the marks take no column on screen, so the bars stand in line.
DECOMPOSED = """\
┌──┬─────┬──────┬──────┬──────┬─────┐
│番号│担当課　　│業務名　　　│結合の相手方│記録項目　　│開始日　　│
├──┼─────┼──────┼──────┼──────┼─────┤
│１　│テ\u3099シ\u3099タル課│住民票の写し│法務\u200b省　　　│氏名　　　　│R6.4.1　　│
│　　│　　　　　│の交付事務　│　　　　　　│住所　　　　│　　　　　│
├──┼─────┼──────┼──────┼──────┼─────┤
│２　│カ\u3099ス課　　│ガス料金の減│東邦ガス株式│氏名、住所、│R6.5.1　　│
│　　│　　　　　│免事務　　　│会社　　　　│口座番号　　│　　　　　│
└──┴─────┴──────┴──────┴──────┴─────┘"""


def test_combining_and_zero_width_marks_take_no_column_of_a_box() -> None:
    """A combining mark was counted one or two columns wide (U+3099: 2), so the bars after it
    seemed to stand further right than the others: row 1's cells were read a column off
    (its 業務名 in the 担当課 cell)."""
    text = "\n".join(["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", DECOMPOSED, ""])
    rows = {c.number: c for c in parse_report(text, "t.txt").connections}
    assert unicodedata.normalize("NFC", rows[1].departments_as_written) == "デジタル課"
    assert rows[1].business == "住民票の写しの交付事務"
    assert [i.name for i in rows[1].items.items] == ["氏名", "住所"]
    assert rows[1].start_date == dt.date(2024, 4, 1)
    assert unicodedata.normalize("NFC", rows[2].departments_as_written) == "ガス課"
    assert rows[2].business == "ガス料金の減免事務"
    assert rows[2].counterparties_as_written == "東邦ガス株式会社"
    assert [i.name for i in rows[2].items.items] == ["氏名", "住所", "口座番号"]


HEADER = "番号\t担当課\t業務名\t結合の相手方\t記録項目\t結合開始日"


def _row(number: int) -> str:
    return f"{number}\t住民課\t業務{number}\t法務省\t氏名\tR6.4.1"


def _parse_work(text: str, where: str) -> int:
    return _work(lambda: parse_report(text, "t.txt", lenient=True), where)


def test_count_lines_under_sections_opened_again_and_again_take_linear_work() -> None:
    """Each 計 line looked at every row and every heading of the report: 8,000 sheets of 「２
    新たに…」 and 「３　廃止…」 tables each closed by 計 1件 took 33 s."""

    def report(sheets: int) -> str:
        parts = ["令和６年度　外部結合の状況", ""]
        for n in range(1, sheets + 1):
            parts += ["２　新たに結合を開始したもの", HEADER, _row(n), "計\t1件"]
            parts += ["３　結合を廃止したもの", HEADER.replace("開始", "終了"), _row(n), "計\t1件"]
        return "\n".join(parts)

    small, large = _parse_work(report(40), "read/layout.py"), _parse_work(report(160), "read/layout.py")
    assert large <= _FOUR_TIMES * small, (small, large)


def test_the_count_lines_of_each_sheet_still_count_its_own_rows() -> None:
    sheet_one = ["２　新たに結合を開始したもの", HEADER, _row(1), _row(2), "計\t2件"]
    ended = ["３　結合を廃止したもの", HEADER.replace("開始", "終了"), _row(1), "計\t2件"]
    sheet_two = ["２　新たに結合を開始したもの", HEADER, _row(3), "計\t1件", ""]
    text = "\n".join(["令和６年度　外部結合の状況", "", *sheet_one, *ended, *sheet_two])
    report = parse_report(text, "t.txt", lenient=True)
    counts = [i for i in report.issues if i.severity == "warning" and "count line" in i.message]
    assert [i.line for i in counts] == [11]  # section (3): 2 said, 1 read above it


def test_department_lines_over_thousands_of_sheets_take_linear_work() -> None:
    """Each table looked for its department among every department line of the report."""

    def report(sheets: int) -> str:
        parts = ["令和６年度　外部結合の状況", ""]
        for n in range(1, sheets + 1):
            parts += [
                "税務課",
                "２　新たに結合を開始したもの",
                HEADER.replace("担当課\t", ""),
                _row(n).replace("住民課\t", ""),
                "",
            ]
        return "\n".join(parts)

    small, large = (
        _parse_work(report(40), "read/deptscopes.py"),
        _parse_work(report(160), "read/deptscopes.py"),
    )
    assert large <= _FOUR_TIMES * small, (small, large)
    rows = parse_report(report(3), "t.txt").connections
    assert [(c.number, c.departments_as_written) for c in rows] == [
        (1, "税務課"),
        (2, "税務課"),
        (3, "税務課"),
    ]


def test_agency_headings_over_thousands_of_tables_take_linear_work() -> None:
    """Each line was looked for among the section headings' lines (a list), and each row among all
    the agency headings above it: 8,000 sheets took seconds in these alone."""

    def report(sheets: int) -> str:
        parts = ["令和６年度　外部結合の状況", ""]
        for n in range(1, sheets + 1):
            parts += ["２　新たに結合を開始したもの", "（１）町長", HEADER, _row(2 * n - 1)]
            parts += ["（２）教育委員会", HEADER, _row(2 * n), ""]
        return "\n".join(parts)

    where = "read/agencyheadings.py"
    small, large = _parse_work(report(40), where), _parse_work(report(160), where)
    assert large <= _FOUR_TIMES * small, (small, large)
    rows = parse_report(report(2), "t.txt").connections
    assert [(c.number, c.group_heading) for c in rows] == [
        (1, "町長"),
        (2, "教育委員会"),
        (3, "町長"),
        (4, "教育委員会"),
    ]


def _merged(rows: int, text_each: bool = False) -> str:
    """A table whose 担当課 cell is left open by every rule under its first row: one cell over all
    the rows (its text only in the first, or in each row's part of it)."""
    out = ["┌──┬─────┬──────┐", "│番号│担当課　　│業務名　　　│", "├──┼─────┼──────┤"]
    out.append("│１　│子育て支援│児童手当事務│")
    for n in range(2, rows + 1):
        out += ["├──┤　　　　　├──────┤", f"│{n:<4}│{'子育て支援' if text_each else '　' * 5}│保育所入所事│"]
    out.append("└──┴─────┴──────┘")
    return "\n".join(out)


def test_a_cell_merged_over_thousands_of_rows_is_shared_in_linear_work() -> None:
    """Each row of a merged cell walked back over the rows above it to share its text, and joined
    the lines of all of them again: 8,000 rows took 9 s. The counts are exact, so linear work is
    four times the work or a little less (the fixed costs)."""
    small, large = _box_work(_merged(100)), _box_work(_merged(400))
    assert large <= 4.4 * small, (small, large)
    rows = join_box_tables(_numbered(_merged(3)), ParseState("t.txt", lenient=True))
    assert [line.split("\t")[1] for _, line in rows[1:]] == ["子育て支援"] * 3


def test_a_merged_cell_whose_text_would_be_copied_into_rows_beyond_measure_is_refused() -> None:
    """With text in each row's part, a cell over n rows gives n rows the text of n lines: 8,000 rows
    of 400 kB would be over 600 MB. Refused as an InputError naming the table's first line."""
    text = "２　新たに結合を開始したもの\n" + _merged(3000, text_each=True)
    with pytest.raises(InputError, match="merged") as caught:
        parse_report(text, "t.txt", lenient=True)
    (issue,) = caught.value.issues
    assert (issue.path, issue.line) == ("t.txt", 2)


# --- fuzz: any text at all, box-drawn tables broken every way -------------------------------------
# Box-drawing strokes and ASCII ones, text of every width, the blanks a box is padded with, marks
# that take no column, a lone surrogate: what a broken text save may hold.
_BOX_CHARS = list("┌┐└┘├┤┬┴┼─│━┃┏┓┗┛┣┫┳┻╋═║╔╗╚╝╠╣╦╩╬+-|=:")
_TEXT_CHARS = [*"あ住民課１1aAｱｶﾞ（）、・ー①※○", "\u3099", "\u0301", "\u200b", "\ufeff", "\ud800"]
_BLANKS = [" ", "\u3000", "\t"]
_CHAR = st.sampled_from(_BOX_CHARS + _TEXT_CHARS + _BLANKS)


@st.composite
def _drawn_tables(draw: st.DrawFn) -> str:
    """A box-drawn table (light, heavy or ASCII; cells wrapped, some rules leaving cells open),
    then broken by a few edits: characters dropped, doubled or put in, lines dropped or repeated."""
    widths = draw(st.lists(st.integers(1, 6), min_size=1, max_size=6))
    across, down, bar = draw(st.sampled_from([("─", "┼", "│"), ("━", "╋", "┃"), ("-", "+", "|")]))
    lines = [down + down.join(across * w for w in widths) + down]
    for _ in range(draw(st.integers(1, 5))):
        for _ in range(draw(st.integers(1, 3))):
            cells = [draw(st.text(st.sampled_from(_TEXT_CHARS + _BLANKS), max_size=w)) for w in widths]
            lines.append(bar + bar.join(cells) + bar)
        opened = draw(st.lists(st.booleans(), min_size=len(widths), max_size=len(widths)))
        rule = ("　" * w if o else across * w for w, o in zip(widths, opened, strict=True))
        lines.append(down + down.join(rule) + down)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        edit = draw(st.sampled_from(["drop", "double", "insert", "drop-line", "repeat-line"]))
        place = draw(st.integers(0, len(line)))
        if edit == "drop":
            lines[at] = line[:place] + line[place + 1 :]
        elif edit == "double":
            lines[at] = line[: place + 1] + line[place:]
        elif edit == "insert":
            lines[at] = line[:place] + draw(_CHAR) + line[place:]
        elif edit == "drop-line" and len(lines) > 1:
            del lines[at]
        elif edit == "repeat-line":
            lines.insert(at, line)
    return "\n".join(lines)


_ANY_TEXT = st.one_of(
    _drawn_tables(),
    st.lists(st.text(_CHAR, max_size=30), max_size=12).map("\n".join),
)
# The most Python lines the box reader may run per character of its input, plus a fixed cost: a
# few dozen at most per character are run (each character is looked at by a handful of loops)
_LINES_PER_CHAR = 200
_FIXED = 5_000
_COPIES = 16


@settings(
    max_examples=fuzz_examples(120),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_ANY_TEXT)
def test_any_box_drawn_text_reads_or_is_refused_in_linear_work(text: str) -> None:
    lines = _numbered(text)
    try:
        few, many = (_box_work("\n".join([text] * copies)) for copies in (2, _COPIES))
    except InputError:
        return
    # eight times the text (copies one under another) is eight times the work, or less: 12 leaves room
    # for tables that end differently; a square of the lines would be 64
    assert many <= 1.5 * _COPIES / 2 * few + _FIXED, (few, many)
    assert many <= _LINES_PER_CHAR * _COPIES * len(text) + _FIXED, (many, len(text))
    read = join_box_tables(lines, ParseState("t.txt", lenient=True))
    numbers = [n for n, _ in read]
    assert numbers == sorted(numbers) and set(numbers) <= {n for n, _ in lines}
    report = "令和６年度　外部結合の状況\n\n２　新たに結合を開始したもの\n" + text
    for lenient in (False, True):
        with contextlib.suppress(InputError):
            parse_report(report, "t.txt", lenient=lenient)


COMPOSED = DECOMPOSED.replace("テ\u3099シ\u3099タル課", "デジタル課").replace("カ\u3099ス課", "ガス課")


def test_invisible_characters_on_a_box_drawn_tables_lines_leave_it_a_table() -> None:
    """A byte-order mark where two files were put together (at the head of the top rule), a
    zero-width space in a rule and before a bar: the lines looked like text, the rule inside
    like a rule leaving a cell open."""
    lines = COMPOSED.split("\n")
    lines[0] = "\ufeff" + lines[0]
    lines[2] = lines[2][:5] + "\u200b" + lines[2][5:]
    lines[3] = "\u200b" + lines[3]
    text = "\n".join(["令和６年度　外部結合の状況", "", "２　新たに結合を開始したもの", *lines, ""])
    rows = {c.number: c for c in parse_report(text, "t.txt").connections}
    assert sorted(rows) == [1, 2]
    assert rows[1].business == "住民票の写しの交付事務"
    assert rows[2].counterparties_as_written == "東邦ガス株式会社"


def test_a_build_given_the_fiscal_year_takes_it_where_the_headings_disagree(tmp_path: Path) -> None:
    """The headings name 令和５年度 and 令和３年度: with --fiscal-year the build stopped with 'the
    headings disagree …; give --fiscal-year' (the parser was never told the year was given)."""
    report = tmp_path / "disagree.txt"
    report.write_text(
        "令和５年度　外部結合の状況\n\n２　令和３年度に新たに結合を開始したもの\n"
        + HEADER
        + "\n"
        + _row(1)
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "build"
    given = ["build", str(report), "--municipality", "131041", "--out", str(out), "-j", "1"]
    result = CliRunner().invoke(cli, [*given, "--fiscal-year", "2023"])
    assert result.exit_code == 0, result.output
    assert "the fiscal year given (2023) is used" in result.output
    refused = CliRunner().invoke(cli, [*given[:-4], "--out", str(tmp_path / "other"), "-j", "1"])
    assert refused.exit_code == 2 and "give --fiscal-year" in refused.output
