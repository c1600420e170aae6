"""The fast paths of reading and graph-building give what the plain ones give (issues 10 and 11).

Reading a report and writing its graph were made faster by shortcuts: N-Triples text written
without making a pyoxigraph term, bracket depths computed once per cell, the places where a
marker may start found by one scan, and answers remembered per cell text. Each shortcut is
checked here against the plain computation it replaces (pyoxigraph's own writing, brackets.walk,
items.marker_at at every index), and the memos against what they must never do: keep an answer
after the word lists changed, or carry one row's line number to another row.
(scripts/snapshot_outputs.py compares the whole output of every test case before and after a change.)
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketsugo.graph.quadlines import QuadLines
from ketsugo.graph.terms import Literal, literal_text
from ketsugo.read import items as items_module
from ketsugo.read.brackets import CLOSERS, OPENERS, depth_at_end, depths, top_level, walk
from ketsugo.read.items import marker_at, marker_starts, split_items
from tests.conftest import fuzz_examples

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"

# text made of the characters the cell rules look at: brackets, separators, markers, spaces, digits
CELL_CHARS = OPENERS + CLOSERS + "、，,。・/／ 　\t※*①②⑴⑵(（)）1２.．アイ氏名住所等など別紙のとおりabcXY"
cell_text = st.text(alphabet=CELL_CHARS, max_size=40)


# --- literals written as text are what pyoxigraph writes ---------------------------------------


def test_every_character_is_written_as_pyoxigraph_writes_it() -> None:
    """Every code point but the surrogates (which pyoxigraph refuses), in runs of 512: pyoxigraph
    escapes character by character, so a run it writes unescaped holds no character it escapes."""
    codes = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(codes), 512):
        text = "".join(chr(c) for c in codes[start : start + 512])
        assert literal_text(text, "ja") == str(ox.Literal(text, language="ja")), hex(codes[start])
        assert literal_text(text) == str(ox.Literal(text)), hex(codes[start])


def test_a_surrogate_is_written_escaped_by_both_paths() -> None:
    """Was refused (ValueError); a file name that is not UTF-8 reaches a literal as surrogates,
    now kept with its bytes shown escaped (tests/test_harden_attack.py)."""
    assert literal_text("a\ud800", "ja") == str(Literal("a\ud800", lang="ja")) == '"a\\\\ud800"@ja'
    assert literal_text("a\udcff") == '"a\\\\xff"'


@pytest.mark.parametrize(
    "value",
    [True, False, 0, 7, -12, 10**30, 1.5, dt.date(2020, 6, 1), "", "氏名", 'say "hi"\\', "x\ny"],
)
def test_typed_literals_match_the_term_module(value: object) -> None:
    assert literal_text(value) == str(Literal(value))


def test_another_language_tag_is_written_as_pyoxigraph_writes_it() -> None:
    assert literal_text("Report", "en") == '"Report"@en'
    assert literal_text("Report", "EN") == str(ox.Literal("Report", language="EN"))


# --- bracket depths and marker places ----------------------------------------------------------


@settings(max_examples=fuzz_examples(300), deadline=None)
@given(cell_text)
def test_depths_are_the_walk_s_depths(text: str) -> None:
    walked = [(index, char, depth) for index, char, depth in walk(text)]
    assert depths(text) == [depth for _, _, depth in walked]
    assert top_level(text) == [(index, char) for index, char, depth in walked if depth == 0]
    final = 0
    for _, char, depth in walked:
        final = depth + 1 if char in OPENERS else depth
    assert depth_at_end(text) == final


@settings(max_examples=fuzz_examples(300), deadline=None)
@given(cell_text)
def test_a_marker_starts_only_where_the_scan_says(text: str) -> None:
    starts = marker_starts(text)
    for index in range(len(text)):
        if marker_at(text, index):
            assert index in starts, (text, index)


@settings(max_examples=fuzz_examples(300), deadline=None)
@given(cell_text, st.data())
def test_between_words_is_the_rule_of_docs_items(text: str, data: st.DataObject) -> None:
    """The rule as first written (with slices of the whole text), against the scan that replaced it."""
    if not text:
        return
    index = data.draw(st.integers(0, len(text) - 1))
    before = text[:index].rstrip()[-1:]
    after = text[index:].lstrip()[:1]
    if not before or not after or text[index - 1].isspace():
        expected = False
    else:
        expected = not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())
    assert items_module._between_words(text, index) == expected


def test_a_long_cell_is_read_whole() -> None:
    """Thousands of items in one cell, then a group marker and space-separated names: every item
    read, in order (the cell is scanned once for markers; it once was at every character)."""
    names = [f"項目{n}" for n in range(3000)]
    found = split_items("、".join(names) + " ①" + " ".join(names[:500]))
    assert [item.name for item in found.items[:3000]] == names


# --- remembered answers -----------------------------------------------------------------------


def test_a_remembered_split_is_a_fresh_one() -> None:
    cells = [
        line.split("\t")[5]
        for line in BUNDLED.read_text(encoding="utf-8").splitlines()
        if line.count("\t") >= 9
    ]
    assert len(cells) >= 20
    for cell in cells:
        first, again = split_items(cell), split_items(cell)
        assert again is first  # remembered
        assert split_items.__wrapped__(cell) == first  # type: ignore[attr-defined]


def test_a_memo_forgets_when_the_word_lists_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ｜ as one more separator (cells.toml), a cell read before is read again, not recalled.
    (｜: a mark cells.toml does not list; ； is a separator since csv12.)"""
    from ketsugo.paths import REFERENCE_DIR

    assert [i.name for i in split_items("氏名｜住所").items] == ["氏名｜住所"]
    table = (REFERENCE_DIR / "cells.toml").read_text(encoding="utf-8")
    table = table.replace(
        'separators = ["、", "，", ",", "。", "；", ";"]',
        'separators = ["、", "，", ",", "。", "；", ";", "｜"]',
    )
    import ketsugo.paths as paths_module

    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    (tmp_path / "reference" / "cells.toml").write_text(table, encoding="utf-8")
    items_module.words.cache_clear()
    paths_module.reference_toml.cache_clear()
    monkeypatch.setattr(paths_module, "REFERENCE_DIR", tmp_path / "reference")
    try:
        assert [i.name for i in split_items("氏名｜住所").items] == ["氏名", "住所"]
    finally:
        monkeypatch.undo()
        items_module.words.cache_clear()
        paths_module.reference_toml.cache_clear()
    assert [i.name for i in split_items("氏名｜住所").items] == ["氏名｜住所"]


def _nquads(text: str, tmp_path: Path, name: str) -> str:
    from ketsugo.pipeline import _build_one, resolve_metadata

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    digest, problems, nquads, _, _ = _build_one(resolve_metadata(path, "131041", 2020), None, False, False)
    assert digest is not None, problems
    return nquads.decode("utf-8")


def test_line_numbers_are_never_recalled_from_another_row(tmp_path: Path) -> None:
    """The bundled report, and the same report three lines lower (blank lines on top), built one
    after the other in one process (every cell remembered from the first): each row of the
    second keeps its own line, three more than in the first, and nothing else differs."""
    text = BUNDLED.read_text(encoding="utf-8")
    first = _nquads(text, tmp_path, "a.txt")
    lower = _nquads("\n\n\n" + text, tmp_path, "b.txt")
    again = _nquads(text, tmp_path, "a.txt")
    assert again == first

    def shifted(nquads: str) -> list[str]:
        def later(found: re.Match[str]) -> str:
            return f'{found[1]}"{int(found[2]) + 3}"'

        lines = [re.sub(r'(sourceLine> )"(\d+)"', later, line) for line in nquads.splitlines()]
        return sorted(lines)

    def named_b(nquads: str) -> list[str]:  # the source file's name is in the graph
        return sorted(line.replace('"b.txt"', '"a.txt"') for line in nquads.splitlines())

    # every connection, summary row and finding has its line (an item stands on its connection's:
    # docs/model.md), so there are lines to shift
    assert len(re.findall("sourceLine>", first)) > 20
    assert shifted(first) == named_b(lower)


# --- the lines of a graph -----------------------------------------------------------------------


def test_lines_are_written_sorted_once_each_whatever_their_order() -> None:
    lines = QuadLines(['<b> <p> "x" .', '<a> <p> "氏名"@ja .', '<b> <p> "x" .'])
    lines.extend(['<a> <p> "住所"@ja .', "<c> <p> <d> ."])
    assert next(iter(lines)) == '<b> <p> "x" .'
    written = lines.nquads().decode("utf-8").splitlines()
    assert written == sorted(set(written)) and len(written) == 4
    assert QuadLines().nquads() == b""


@settings(max_examples=fuzz_examples(200), deadline=None)
@given(st.lists(st.text(alphabet='<>ab"氏名住所😀 \\', max_size=12), max_size=30))
def test_bytes_sort_as_the_text_sorts(lines: list[str]) -> None:
    """UTF-8 byte order is code point order: the bytes written are the sorted, distinct text."""
    lines = [line for line in lines if "\n" not in line]
    expected = ("\n".join(sorted(set(lines))) + "\n").encode("utf-8") if lines else b""
    assert QuadLines(lines).nquads() == expected
