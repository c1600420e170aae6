"""The Japanese of the English sentences ketsugo writes: the catalogue data/reference/messages-ja.toml.

The code that finds a problem writes one English sentence with its values in it (an Issue's
message, an exception's text). The catalogue maps each English *template* (the sentence with
``{placeholders}`` where the values go) to a Japanese template with the same placeholders;
:func:`translate` finds the template a sentence was made from, reads the values back out of it
and puts them into the Japanese template. A placeholder named with a trailing underscore
(``{hint_}``) holds a sentence or word of the catalogue itself and is translated too; any other
value (a cell, a name, a number) is kept as written.

It lives below every stage that writes messages, so that the graph builder can store a finding's
Japanese beside its English (kg:message @ja / @en) and the CLI can print either
(:mod:`ketsugo.cli.messages` chooses the language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ketsugo.paths import REFERENCE_DIR, reference_toml

CATALOGUE = REFERENCE_DIR / "messages-ja.toml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DEPTH = 3  # a reason inside a reason inside a reason is translated; deeper ones stay as written


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


_KEY = 4  # templates are indexed by the first characters of their fixed start


@cache
def _index() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """The templates (by their place in :func:`templates`) that a sentence beginning with given
    characters may be made from: those whose fixed start is that long, by its first characters,
    and the rest (a start shorter than that, or a placeholder first), which any sentence may be.
    Trying ≈ 300 templates on every finding was 6 % of a national build."""
    keyed: dict[str, list[int]] = {}
    loose: list[int] = []
    for number, template in enumerate(templates()):
        start = _PLACEHOLDER.split(template.english)[0]
        if len(start) >= _KEY:
            keyed.setdefault(start[:_KEY], []).append(number)
        else:
            loose.append(number)
    return {k: tuple(v) for k, v in keyed.items()}, tuple(loose)


@cache
def _pieces() -> tuple[tuple[str, ...], ...]:
    """Each template's fixed text between placeholders: every piece stands in a sentence made from it."""
    return tuple(tuple(p for p in _PLACEHOLDER.split(t.english)[::2] if p) for t in templates())


def candidates(sentence: str) -> list[Template]:
    """The templates ``sentence`` may be made from, in the catalogue's order (most specific first):
    their fixed start begins it and each of their fixed pieces stands in it (a regular expression's
    full match, tried next, costs far more than these tests)."""
    keyed, loose = _index()
    every, pieces = templates(), _pieces()
    return [
        every[n]
        for n in sorted((*keyed.get(sentence[:_KEY], ()), *loose))
        if all(piece in sentence for piece in pieces[n])
    ]


@cache
def templates() -> tuple[Template, ...]:
    """The catalogue, most specific template (most fixed text) first. A template whose fixed text
    has no letter ("{a}: {b}") would match any sentence: it is not one (the test says so)."""
    data = reference_toml(CATALOGUE.name)
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
def suffixes() -> tuple[Template, ...]:
    """What may follow any sentence ([suffixes]: where a finding stood in the published file)."""
    data = reference_toml(CATALOGUE.name).get("suffixes", {})
    return tuple(
        Template(e, j, re.compile(compile_template(e).pattern + r"\Z", re.DOTALL)) for e, j in data.items()
    )


# the same findings recur in report after report ("rule: otherwise the executive head → 市長"):
# each sentence is translated once (matching the templates was ~9 % of a report's CPU)
@lru_cache(maxsize=2**14)
def translate(sentence: str, depth: int = 0) -> str | None:
    """The Japanese of one whole sentence, or None when no template matches it."""
    found = _translated(sentence, depth)
    return found[0] if found is not None else None


def _translated(sentence: str, depth: int) -> tuple[str, int] | None:
    """The Japanese of a sentence and how many Latin letters it leaves untranslated (in values
    no template matched), or None. Of the templates that match, the one leaving fewest wins; a
    sentence followed by a suffix (its place in the published file) is translated apart from it."""
    best = _whole(sentence, depth)
    for suffix in suffixes():
        tail = suffix.pattern.search(sentence)
        head = _whole(sentence[: tail.start()], depth) if tail and tail.start() else None
        if tail is not None and head is not None and (best is None or head[1] < best[1]):
            best = (head[0] + suffix.japanese.format(**tail.groupdict()), head[1])
    return best


def _whole(sentence: str, depth: int) -> tuple[str, int] | None:
    """As :func:`_translated`, the sentence matched by one template as a whole."""
    best: tuple[str, int] | None = None
    for template in candidates(sentence):
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
