"""What the CLI prints, in the reader's language: English as the code writes it, or Japanese.

The code that finds a problem keeps writing one English sentence with its values in it (an
Issue's message, an exception's text); nothing there changes. The Japanese wording is data:
``data/reference/messages-ja.toml`` maps each English *template* (the sentence with
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
import tomllib
from dataclasses import dataclass
from functools import cache

from ketsugo.paths import REFERENCE_DIR

LANGUAGES = ("en", "ja")
CATALOGUE = REFERENCE_DIR / "messages-ja.toml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DEPTH = 3  # a reason inside a reason inside a reason is translated; deeper ones stay as written

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


@dataclass(frozen=True)
class Template:
    english: str
    japanese: str
    pattern: re.Pattern[str]

    @property
    def literal(self) -> int:
        """How much fixed text the template has: the more, the more specific it is."""
        return len(_PLACEHOLDER.sub("", self.english))


def compile_template(english: str) -> re.Pattern[str]:
    """A regular expression matching the sentences made from ``english``; each placeholder a group."""
    pattern = []
    seen: set[str] = set()
    for index, part in enumerate(_PLACEHOLDER.split(english)):
        if index % 2 == 0:
            pattern.append(re.escape(part))
        elif part in seen:
            pattern.append(f"(?P={part})")
        elif index > 1 and not _PLACEHOLDER.split(english)[index - 1]:
            # right after another placeholder: an optional tail ("; hint", ", e.g. …") or nothing
            seen.add(part)
            pattern.append(f"(?P<{part}>(?:[;,] .*)?)")
        else:
            seen.add(part)
            pattern.append(f"(?P<{part}>.*?)")
    return re.compile("".join(pattern), re.DOTALL)


@cache
def templates() -> tuple[Template, ...]:
    """The catalogue, most specific template (most fixed text) first. A template whose fixed text
    has no letter ("{a}: {b}") would match any sentence: it is not one (the test says so)."""
    with CATALOGUE.open("rb") as handle:
        data = tomllib.load(handle)
    found = [
        Template(english, japanese, compile_template(english))
        for english, japanese in data["messages"].items()
        if has_words(english)
    ]
    return tuple(sorted(found, key=lambda t: -t.literal))


def has_words(english: str) -> bool:
    """Whether a template's fixed text (without its placeholders) has a letter in it."""
    return any(c.isalpha() for c in _PLACEHOLDER.sub("", english))


@cache
def words() -> dict[str, str]:
    """Single words the CLI prints around messages (error, warning, …) in Japanese."""
    with CATALOGUE.open("rb") as handle:
        return dict(tomllib.load(handle).get("words", {}))


def translate(sentence: str, depth: int = 0) -> str | None:
    """The Japanese of one whole sentence, or None when no template matches it."""
    found = _translated(sentence, depth)
    return found[0] if found is not None else None


def _translated(sentence: str, depth: int) -> tuple[str, int] | None:
    """The Japanese of a sentence and how many Latin letters it leaves untranslated (in values
    no template matched), or None. Of the templates that match, the one leaving fewest wins."""
    best: tuple[str, int] | None = None
    for template in templates():
        match = template.pattern.fullmatch(sentence)
        if match is None:
            continue
        values: dict[str, str] = {}
        left = 0
        for name, value in match.groupdict().items():
            # only a placeholder named with a trailing "_" holds a sentence or word to translate
            wanted = name.endswith("_") and depth < _DEPTH and value
            inner = _translated(value, depth + 1) if wanted else None
            values[name], untranslated = inner if inner is not None else (value, _latin(value))
            left += untranslated
        if best is None or left < best[1]:
            best = (template.japanese.format(**values), left)
        if left == 0:
            break
    return best


def _latin(text: str) -> int:
    return sum(1 for c in text if "a" <= c.lower() <= "z")


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
