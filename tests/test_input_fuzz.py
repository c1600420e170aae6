"""Property-based tests: mutated reports and cells either parse or raise InputError — never anything else.

Mutations are the kinds a report suffers on its way from a spreadsheet to a text file:
characters deleted, doubled or swapped, tabs lost or added, lines dropped, doubled or
swapped, stray Unicode (control characters, full-width forms, dashes, kanji numerals,
brackets), and truncation. Examples are bounded so the whole module runs in seconds.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketsugo.errors import InputError
from ketsugo.read.eras import EraDateError, eras, parse_era_date
from ketsugo.read.items import split_items
from ketsugo.read.legal import parse_legal_basis
from ketsugo.read.parser import parse_report
from ketsugo.read.records import Report
from ketsugo.read.textio import decode
from tests.conftest import BUNDLED, CASES, fuzz_examples

SMALL = (CASES / "malformed" / "valid.txt").read_text(encoding="utf-8")
BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")
REORDERED = (CASES / "reordered" / "report.txt").read_text(encoding="utf-8")

# 200 examples a test in CI (HYPOTHESIS_PROFILE=ci, a few seconds), 50 in an ordinary run (see
# tests/conftest.py); KETSUGO_FUZZ_EXAMPLES=5000 for a long local hunt.
EXAMPLES = int(os.environ.get("KETSUGO_FUZZ_EXAMPLES", "0")) or fuzz_examples(200)
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=_HEALTH)
# The bundled report is 60 lines of long cells: fewer examples, same kinds of mutation.
FUZZ_LARGE = settings(max_examples=max(1, EXAMPLES // 4), deadline=None, suppress_health_check=_HEALTH)

# Characters that matter to the parser, mixed with any Unicode at all.
SPECIAL = list(
    "\t\n\r\x00\x07\x0b\x0c\x1a\x85\u2028\ufeff\ufffd（）()【】「」①⑳、，,。・／/※＊*○〇有無"
    "－‐−–ー0１２３十百千元年月日度第条項号の附則同法令和平成RrHhX.．"
)
CHAR = st.one_of(st.sampled_from(SPECIAL), st.characters())
SNIPPET = st.text(CHAR, min_size=1, max_size=12)


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    """``base`` after a few random edits, character- and line-wise."""
    text = base
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(
                [
                    "delete",
                    "duplicate",
                    "swap",
                    "insert",
                    "tab-delete",
                    "tab-insert",
                    "line-delete",
                    "line-duplicate",
                    "line-swap",
                    "line-insert",
                    "truncate",
                ]
            )
        )
        if not text:
            text = draw(SNIPPET)
            continue
        at = draw(st.integers(0, len(text) - 1))
        lines = text.split("\n")
        row = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "duplicate":
            text = text[: at + 1] + text[at:]
        elif kind == "swap" and at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        elif kind == "insert":
            text = text[:at] + draw(SNIPPET) + text[at:]
        elif kind == "tab-delete" and "\t" in text:
            tabs = [i for i, c in enumerate(text) if c == "\t"]
            i = draw(st.sampled_from(tabs))
            text = text[:i] + text[i + 1 :]
        elif kind == "tab-insert":
            text = text[:at] + "\t" + text[at:]
        elif kind == "line-delete":
            del lines[row]
            text = "\n".join(lines)
        elif kind == "line-duplicate":
            lines.insert(row, lines[row])
            text = "\n".join(lines)
        elif kind == "line-swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[row], lines[other] = lines[other], lines[row]
            text = "\n".join(lines)
        elif kind == "line-insert":
            lines.insert(row, draw(st.text(CHAR, max_size=40)))
            text = "\n".join(lines)
        elif kind == "truncate":
            text = text[:at]
    return text


def _parse_both(text: str) -> None:
    """Strict: a report or InputError. Lenient: always a report, and every error is a finding."""
    try:
        report = parse_report(text, "fuzz.txt")
    except InputError as exc:
        assert exc.issues, "an InputError must name at least one problem"
        for issue in exc.issues:
            assert issue.severity == "error" and issue.message and str(issue).startswith("fuzz.txt")
    else:
        assert isinstance(report, Report)
        assert not [i for i in report.issues if i.severity == "error"]
    lenient = parse_report(text, "fuzz.txt", lenient=True)
    assert isinstance(lenient, Report)
    numbers = [(c.status, c.number) for c in lenient.connections]
    assert len(numbers) == len(set(numbers)), "lenient mode must not keep two rows with one IRI"


@FUZZ
@given(mutated(SMALL))
def test_mutated_small_report(text: str) -> None:
    _parse_both(text)


@FUZZ_LARGE
@given(mutated(BUNDLED_TEXT))
def test_mutated_bundled_report(text: str) -> None:
    _parse_both(text)


@FUZZ
@given(mutated(REORDERED))
def test_mutated_reordered_report(text: str) -> None:
    _parse_both(text)


@FUZZ
@given(st.text(CHAR, max_size=300))
def test_arbitrary_text(text: str) -> None:
    _parse_both(text)


@FUZZ
@given(st.one_of(st.binary(max_size=400), mutated(SMALL).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_decode_bytes(data: bytes) -> None:
    """Any bytes: text (then parsed) or an InputError naming the file."""
    try:
        decoded = decode(data, "fuzz.txt")
    except InputError as exc:
        assert all(str(issue).startswith("fuzz.txt") for issue in exc.issues)
        return
    assert "\r" not in decoded.text and not decoded.text.startswith("\ufeff")
    _parse_both(decoded.text)


@FUZZ
@given(
    st.binary(max_size=200), st.sampled_from(["utf-8", "cp932", "shift_jis", "euc_jp", "utf-16", "nonsense"])
)
def test_decode_with_encoding(data: bytes, encoding: str) -> None:
    with contextlib.suppress(InputError):
        decode(data, "fuzz.txt", encoding)


# --- the cell parsers on their own ----------------------------------------------------------

ITEM_CELLS = [
    "①給付対象者情報（住民番号、カナ氏名） ②給付申請状況（発送年月日、受理年月日）",
    "【調定情報】 納付番号、氏名カナ 【収納情報】 MPN（※）処理年月日",
    "納付内容カナ(項目(国民健康保険料)、年度、期別の内容)、性別・生年月日（ワンストップ特例希望ありの場合のみ）",
    "ユーザーID、パスワード、氏名 *氏名は番号で管理",
]
LEGAL_CELLS = [
    "令和2年度第4回審議会了承（予防接種法第6条第1項、同法附則第7条第2項、地方自治法第245条の9）",
    "平成30年度第8回審議会承認",
    "令和2年度第9回審議会了承（特定健康診査及び特定保健指導の実施に関する基準（厚生労働省令））",
]
DATE_CELLS = ["R2.5.15", "H18.6.1 記載漏れ", "令和元年5月1日", "Ｒ２．８．１", "平成三十年四月一日"]


def _cells(examples: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.text(CHAR, max_size=80), *(mutated(e) for e in examples))


@FUZZ
@given(_cells(ITEM_CELLS))
def test_split_items_never_crashes(cell: str) -> None:
    result = split_items(cell)
    assert [i.position for i in result.items] == list(range(1, len(result.items) + 1))
    for item in result.items:
        assert item.as_written.strip(), "no empty item is kept"
        assert item.as_written in cell, "an item is a piece of the cell as written"


@FUZZ
@given(_cells(LEGAL_CELLS))
def test_parse_legal_basis_never_crashes(cell: str) -> None:
    result = parse_legal_basis(cell)
    assert result.as_written == cell
    for citation in result.statutes:
        assert citation.as_written in cell


@FUZZ
@given(_cells(DATE_CELLS))
def test_parse_era_date_raises_only_era_date_error(cell: str) -> None:
    try:
        parsed = parse_era_date(cell)
    except EraDateError as exc:
        assert str(exc)
        return
    assert parsed.value >= (parsed.era.start if parsed.era else min(e.start for e in eras()))


@pytest.mark.parametrize(
    "text",
    [
        "R" + "9" * 5000 + ".1.1",
        "R99999999999999999999.1.1",
        "R2.99999999999999999999.1",
        "令和" + "9" * 5000 + "年度",
    ],
)
def test_overlong_numbers_are_era_date_errors(text: str) -> None:
    """Found by fuzzing: overlong numbers used to escape as OverflowError / ValueError."""
    with pytest.raises(EraDateError):
        parse_era_date(text)


def test_overlong_numbers_elsewhere_are_read_or_reported(tmp_path: Path) -> None:
    """Found by fuzzing: 5000-digit article, meeting, section and connection numbers."""
    digits = "9" * 5000
    legal = parse_legal_basis(f"令和2年度第{digits}回審議会承認（地方自治法第{digits}条第{digits}項）")
    assert legal.decision is None and legal.remarks
    report = SMALL.replace("\n3\t教育支援課", f"\n{digits}\t教育支援課").replace(
        "(3) 外部", f"({digits}) 外部"
    )
    with pytest.raises(InputError) as caught:
        parse_report(report, "r.txt")
    assert any("expected a connection number" in i.message for i in caught.value.issues)


def test_deeply_nested_groups_do_not_recurse_forever() -> None:
    cell = "a"
    for _ in range(2000):
        cell = f"X（{cell}、c）"
    result = split_items(cell)
    assert result.items and any("nested" in r for r in result.remarks)
