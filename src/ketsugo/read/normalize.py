"""Normalisation for derived values only; the original text is always kept beside them.

NFKC folds full-width letters, digits and brackets to their usual forms; dash
variants become "-". The katakana long-vowel mark ー is a letter, not a dash,
and NFKC leaves it alone, as we do.

Names are compared by one key, :func:`match_key` (NFKC, dashes as "-", case folded,
no white space): header aliases, category labels, registry labels and look-ups all
use it. :class:`KeyedText` is the same key with a map back to the text it came from,
for matching inside a longer text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# Dash variants folded to "-" (after NFKC, which already folds －, ﹣ and ﹘ to - or —).
# Not the long-vowel mark ー, which is a letter.
DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")
# Invisible formatting characters (Unicode Cf: zero-width spaces and joiners, soft hyphen, word
# joiner, direction marks and overrides, a byte order mark inside the text): copied from a web page,
# a PDF or a word processor into a name, they would make 厚生\u200b労働省 another organisation. NFKC
# keeps them; derived values drop them (the text as written keeps them).
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")

# Marks a Japanese line may not open with (禁則: a line breaker moves the character before them
# down too): closing brackets and punctuation, small kana, the long-vowel and iteration marks.
NO_LINE_START = frozenset(
    "、。，．,.）)」』】〕〉》］]｝}・：；:;！？!?ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)


def kinsoku_moved(after: str) -> bool:
    """Whether a line opening with ``after`` could not have taken its first character up onto the
    line before (禁則: it, or the character after it, may not open a line): a wrap, not a break typed
    with room left."""
    return after[:1] in NO_LINE_START or after[1:2] in NO_LINE_START


# The katakana in 五十音 order, as lists are lettered (ア, イ, ウ …): one order for every reader
GOJUON = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"


# The same few thousand cell texts, header names and labels are keyed again and again (a national
# build asked for ~3 M keys of ~10,000 distinct texts): each function below remembers its answers
# (bounded: a corpus's row texts do not all recur). NFKC and its regular expressions were ~15 % of
# a report's CPU.
_REMEMBERED = 2**16


@lru_cache(maxsize=_REMEMBERED)
def _nfkc(text: str) -> str:
    """NFKC with dash variants as "-" and invisible formatting characters dropped; white space and
    case as they are."""
    return DASHES.sub("-", unicodedata.normalize("NFKC", INVISIBLE.sub("", text)))


@lru_cache(maxsize=_REMEMBERED)
def normalize(text: str) -> str:
    """NFKC, dash variants to "-", runs of white space to one space, trimmed."""
    return _SPACES.sub(" ", _nfkc(text)).strip()


def compact(text: str) -> str:
    """Normalised text without any white space, for names whose spacing varies."""
    return normalize(text).replace(" ", "")


@lru_cache(maxsize=_REMEMBERED)
def fold(text: str) -> str:
    """NFKC, dash variants to "-", case folded; white space kept as it is."""
    return _nfkc(text).casefold()


@lru_cache(maxsize=_REMEMBERED)
def match_key(text: str) -> str:
    """The key two spellings of one name share: NFKC, dashes as "-", case folded, no white space."""
    return "".join(fold(text).split())


def match_key_once(text: str) -> str:
    """:func:`match_key` without remembering the answer: for texts that do not recur (a national
    register's millions of names, streamed), which would only fill the caches above."""
    nfkc = DASHES.sub("-", unicodedata.normalize("NFKC", INVISIBLE.sub("", text)))
    return "".join(nfkc.casefold().split())


@dataclass
class KeyedText:
    """A text with its key (:func:`fold`, or :func:`match_key` when ``spaces`` is false) and a map
    from each key character back to the span of the text it came from.

    The text is cut into clusters (a character plus what NFKC composes with it, such as ｶ + ﾞ),
    so that a key position always maps to whole characters of the text.
    """

    text: str
    spaces: bool = True
    key: str = ""
    starts: list[int] = field(default_factory=list)  # per key character: start of its cluster in text
    ends: list[int] = field(default_factory=list)  # per key character: end of its cluster in text

    def __post_init__(self) -> None:
        clusters: list[tuple[int, int]] = []
        for i, char in enumerate(self.text):
            if clusters:
                start, end = clusters[-1]
                previous = self.text[start:end]
                if fold(previous + char) != fold(previous) + fold(char):
                    clusters[-1] = (start, i + 1)
                    continue
            clusters.append((i, i + 1))
        pieces = []
        for start, end in clusters:
            piece = fold(self.text[start:end])
            if not self.spaces:
                piece = "".join(piece.split())
            pieces.append(piece)
            self.starts.extend([start] * len(piece))
            self.ends.extend([end] * len(piece))
        self.key = "".join(pieces)

    def original(self, key_start: int, key_end: int) -> str:
        """The text behind key[key_start:key_end]."""
        start, end = self.original_span(key_start, key_end)
        return self.text[start:end]

    def original_span(self, key_start: int, key_end: int) -> tuple[int, int]:
        """The span of the text behind key[key_start:key_end]; (0, 0) for an empty span."""
        if key_start >= key_end:
            return (0, 0)
        return (self.starts[key_start], self.ends[key_end - 1])
