"""What the CLI prints, in the reader's language: English as the code writes it, or Japanese.

The code that finds a problem keeps writing one English sentence with its values in it (an
Issue's message, an exception's text); nothing there changes. The Japanese wording is data
(the catalogue and its matching live in :mod:`ketsugo.read.messages_ja`, below the graph builder,
which stores both languages of a finding): ``data/reference/messages-ja.toml`` maps each English *template* (the sentence with
``{placeholders}`` where the values go) to a Japanese template with the same placeholders.
At print time, in one place (the error handler, the build summary), :func:`localise` finds
the template a sentence was made from, reads the values back out of it and puts them into
the Japanese template. A placeholder named with a trailing underscore (``{hint_}``) holds a
sentence or word of the catalogue itself (a reason inside a reason, "start" or "end") and is
translated too; any other value (a cell, a name, a number) is kept as written. A sentence no template matches is printed as written: English is never lost.

The language: ``ketsugo --lang ja|en``, else the environment variable ``KETSUGO_LANG``, else
the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: one starting with ``ja`` means Japanese),
else English.
"""

from __future__ import annotations

import os
import re
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.messages_ja import (  # noqa: F401 (the catalogue's names, as the CLI has always offered them)
    CATALOGUE,
    Template,
    _latin,
    _translated,
    compile_template,
    has_words,
    templates,
    translate,
)

LANGUAGES = ("en", "ja")

_chosen: str | None = None  # set by `ketsugo --lang`


def set_language(language: str | None) -> None:
    """Choose the language for what follows (None: from the environment again)."""
    global _chosen
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    _chosen = language


def language() -> str:
    """The chosen language: --lang, else KETSUGO_LANG, else the locale's (ja…: Japanese), else en."""
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get("KETSUGO_LANG", "").strip().lower()
    if wanted in LANGUAGES:
        return wanted
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:  # the first one set decides, as for gettext
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


@cache
def words() -> dict[str, str]:
    """Single words the CLI prints around messages (error, warning, …) in Japanese."""
    return dict(reference_toml(CATALOGUE.name).get("words", {}))


_PREFIX = re.compile(r": (?:\[[^\]\n]*\] )?")  # "FILE:LINE: [FIELD] " before an Issue's message


def localise(text: str, lang: str | None = None) -> str:
    """``text`` in the chosen language. A line "FILE:LINE: [FIELD] message" keeps its place and
    field and gets the message translated; text no template matches stays as written. Of the
    readings (the whole text a sentence, or a place then a sentence), the one that leaves the
    fewest Latin letters untranslated wins."""
    if (lang or language()) != "ja":
        return text
    best = _translated(text, 0)
    for place in _PREFIX.finditer(text):
        rest = _translated(text[place.end() :], 0)
        if rest is None:
            continue
        left = rest[1] + _latin(text[: place.end()])
        if best is None or left < best[1]:
            best = (text[: place.end()] + rest[0], left)
    return best[0] if best is not None else text


def word(english: str, lang: str | None = None) -> str:
    """A single word (error, warning, info…) in the chosen language."""
    if (lang or language()) != "ja":
        return english
    return words().get(english, english)


def error_line(message: str, lang: str | None = None) -> str:
    """The line the CLI prints for an error: `error: …` or `エラー: …`."""
    return f"{word('error', lang)}: {localise(message, lang)}"
