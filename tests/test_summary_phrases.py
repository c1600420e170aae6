"""The build summary's phrases are data (data/reference/summary-phrases.toml), each in English and
Japanese with the same placeholders; src/ketsugo/cli/summary.py writes none of them itself."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

from ketsugo.cli import summary
from ketsugo.paths import REFERENCE_DIR

SOURCE = Path(summary.__file__).read_text(encoding="utf-8")
KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff]")  # kana, not the middle dot of 提供・受領


def _phrases() -> dict[str, dict[str, str]]:
    with (REFERENCE_DIR / summary.PHRASES).open("rb") as handle:
        return dict(tomllib.load(handle)["phrases"])


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_phrase_has_both_languages_with_the_same_placeholders() -> None:
    phrases = _phrases()
    assert phrases
    for key, phrase in phrases.items():
        assert set(phrase) == {"en", "ja"}, key
        assert phrase["en"].strip(" \n") and phrase["ja"].strip(" \n"), key
        assert _placeholders(phrase["en"]) == _placeholders(phrase["ja"]), key


def test_the_phrases_the_summary_asks_for_are_there_and_all_are_used() -> None:
    asked = set(re.findall(r"""_w\(\s*["'](\w+)["']""", SOURCE))
    assert asked == set(_phrases())


def test_the_summary_writes_no_japanese_itself() -> None:
    """Kana in summary.py would be a phrase written in Python (kanji alone: 生年月日, a category's
    name it asks the query for, is no phrase)."""
    assert not KANA.search(SOURCE)
    assert "def _w(en: str, ja: str)" not in SOURCE
