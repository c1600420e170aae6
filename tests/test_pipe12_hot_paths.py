"""The per-report hot paths of a national build remember what recurs (issue 11): the keys of cell
texts and header names (NFKC), and which field a header names. Checked by counting the work done,
never by timing it; the answers stay those of the plain computation."""

from __future__ import annotations

import unicodedata

import pytest

import ketsugo.read.headers as headers
from ketsugo.read.normalize import fold, match_key, normalize


def test_a_text_is_normalised_once_however_often_it_is_keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    plain = unicodedata.normalize

    def counted(form: str, text: str) -> str:
        calls.append(text)
        return plain(form, text)

    monkeypatch.setattr(unicodedata, "normalize", counted)
    text = "ＡＢＣ　－ 住民基本台帳 (test_pipe12 once)"
    for _ in range(5):
        assert match_key(text) == "abc-住民基本台帳(test_pipe12once)"
        assert fold(text) == "abc - 住民基本台帳 (test_pipe12 once)"
        assert normalize(text) == "ABC - 住民基本台帳 (test_pipe12 once)"
    assert calls.count(text) == 1


def test_a_header_is_matched_once_per_table_of_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    plain = headers._match_field

    def counted(header: str, aliases: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
        calls.append(header)
        return plain(header, aliases)

    monkeypatch.setattr(headers, "_match_field", counted)
    aliases = {"number": ("番号", "No."), "departments": ("担当課", "課")}
    for _ in range(3):
        assert headers.match_field("担当課名", aliases) == "departments"
        assert headers.match_field("課税区分", aliases) is None  # a one-character alias only whole
    assert calls == ["担当課名", "課税区分"]
    # another table of aliases (same size, other words) has its own answers
    other = {"number": ("項番",), "departments": ("所管",)}
    assert headers.match_field("担当課名", other) is None
    assert headers.match_field("所管課", other) == "departments"


def test_a_finding_is_translated_once_however_often_it_recurs(monkeypatch: pytest.MonkeyPatch) -> None:
    import ketsugo.read.messages_ja as messages

    calls: list[str] = []
    plain = messages._translated

    def counted(sentence: str, depth: int) -> tuple[str, int] | None:
        calls.append(sentence)
        return plain(sentence, depth)

    monkeypatch.setattr(messages, "_translated", counted)
    sentence = "rule: otherwise the executive head → 市長 (test_pipe12)"
    answers = {messages.translate(sentence) for _ in range(4)}
    assert len(answers) == 1
    assert calls.count(sentence) == 1


def test_stray_letters_split_words_with_a_pattern_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from ketsugo.read.legend import stray_letters

    def looked_up(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("re.split looks its pattern up at every call")

    monkeypatch.setattr(re, "split", looked_up)
    assert stray_letters("A 株式会社Ｂ") == ["A"]
    assert stray_letters("Plan A") == []


@pytest.mark.parametrize(
    "text", ["株式会社　ＮＴＴデータ", "ＡＢＣ－ｘｙｚ\u200b", " (株) テスト ", "Ⅱ期・第２"]
)
def test_match_key_once_is_match_key_without_remembering(text: str) -> None:
    """The streamed register's names (export/link/nta.could_match) use the key unremembered: the same key."""
    from ketsugo.read.normalize import match_key, match_key_once

    match_key.cache_clear()
    assert match_key_once(text) == match_key(text)
    before = match_key.cache_info().currsize
    match_key_once(text + "x")
    assert match_key.cache_info().currsize == before
