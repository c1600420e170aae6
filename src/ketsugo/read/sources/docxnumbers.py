"""The numbers Word draws before a paragraph from a list (numbering.xml), as the page shows them.

A heading 「(2)」 or 「２」 is often not typed: the paragraph belongs to a list (its own w:numPr, or
its style's, as a heading style numbered by the template) whose level draws "(%1)" counted in
its number format. Without it the heading reads 「新たに…」 and the section is not found; so each
paragraph's number is worked out as Word counts it — in document order, per list definition
(w:abstractNum: lists sharing one continue each other, a list whose level is given its own start,
w:startOverride, starts there), a level's count restarting when a level above it counts on — and
written before its text, apart by the level's suffix (a tab or a space: one space; nothing).

Number formats read: decimal (half-width, full-width, zero-padded, enclosed in a circle, in
parentheses, with a full stop), Latin letters, Roman numerals, アイウ/イロハ (full and half width),
Japanese numerals (一, 二 … 十一); a bullet is written as its character (a symbol font's private
character as ・). Any other format is written in decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ketsugo.read.normalize import GOJUON

if TYPE_CHECKING:
    from lxml.etree import _Element

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン"
_KANJI = "〇一二三四五六七八九"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


@dataclass(frozen=True)
class _Level:
    format: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"


@dataclass
class Numbering:
    """The document's lists, and their counts so far (:meth:`label` advances them)."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId → ilvl → level
    lists: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    starts: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → ilvl → its own start
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)  # paragraph style → (numId, ilvl)
    default_style: str = ""
    counts: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNumId → ilvl → count
    started: set[str] = field(default_factory=set)  # numIds whose own starts were applied

    @classmethod
    def of(cls, numbering: _Element | None, styles: _Element | None) -> Numbering:
        out = cls()
        if numbering is not None:
            for abstract in numbering.iterchildren(f"{_W}abstractNum"):
                out.levels[_val(abstract, "abstractNumId")] = {
                    _int(_val(level, "ilvl"), 0): _level(level) for level in abstract.iterchildren(f"{_W}lvl")
                }
            for num in numbering.iterchildren(f"{_W}num"):
                number = _val(num, "numId")
                out.lists[number] = _val(num.find(f"{_W}abstractNumId"), "val")
                for override in num.iterchildren(f"{_W}lvlOverride"):
                    start = override.find(f"{_W}startOverride")
                    if start is not None:
                        level = _int(_val(override, "ilvl"), 0)
                        out.starts.setdefault(number, {})[level] = _int(_val(start, "val"), 1)
        if styles is not None:
            out._read_styles(styles)
        return out

    def _read_styles(self, styles: _Element) -> None:
        own: dict[str, tuple[str | None, int | None]] = {}
        based: dict[str, str] = {}
        for style in styles.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            name = _val(style, "styleId")
            if style.get(f"{_W}default") in ("1", "true"):
                self.default_style = name
            parent = style.find(f"{_W}basedOn")
            if parent is not None:
                based[name] = _val(parent, "val")
            numbered = style.find(f"{_W}pPr/{_W}numPr")
            if numbered is not None:
                own[name] = _num_pr(numbered)
        for name in {*own, *based}:
            number, level, seen, at = None, None, set(), name
            while at and at not in seen and (number is None or level is None):  # up the basedOn chain
                seen.add(at)
                mine = own.get(at, (None, None))
                number = number if number is not None else mine[0]
                level = level if level is not None else mine[1]
                at = based.get(at, "")
            if number:
                self.styles[name] = (number, level or 0)

    def label(self, paragraph: _Element) -> str:
        """The number Word draws before ``paragraph`` with its suffix ("" when it has none); the
        list's count moves on."""
        properties = paragraph.find(f"{_W}pPr")
        style_name = self.default_style
        number: str | None = None
        level: int | None = None
        if properties is not None:
            style = properties.find(f"{_W}pStyle")
            style_name = _val(style, "val") if style is not None else style_name
            numbered = properties.find(f"{_W}numPr")
            if numbered is not None:
                number, level = _num_pr(numbered)
        inherited = self.styles.get(style_name)
        if number is None and inherited:
            number = inherited[0]
        if level is None:
            level = inherited[1] if inherited and number == inherited[0] else 0
        if not number or number == "0" or number not in self.lists:
            return ""
        abstract = self.lists[number]
        levels = self.levels.get(abstract, {})
        counts = self.counts.setdefault(abstract, {})
        if number not in self.started:
            self.started.add(number)
            for at, start in self.starts.get(number, {}).items():
                counts[at] = start - 1
        counts[level] = counts.get(level, levels.get(level, _Level()).start - 1) + 1
        for deeper in [at for at in counts if at > level]:
            del counts[deeper]
        shown = levels.get(level, _Level())
        if shown.format == "none":
            return ""
        text = shown.text
        for at in range(8, -1, -1):  # %10 does not exist: %1 … %9
            if f"%{at + 1}" in text:
                below = levels.get(at, _Level())
                count = counts.get(at, below.start)
                text = text.replace(f"%{at + 1}", number_text(count, below.format))
        if shown.format == "bullet":
            text = "".join("・" if "\ue000" <= ch <= "\uf8ff" else ch for ch in text)
        if not text:
            return ""
        return text + ("" if shown.suffix == "nothing" else " ")


# Word writes a letter numbering up to ZZ…Z (the letter 30 times: 780); past it, the number (a list
# starting at 999,999,999 would otherwise draw a letter repeated 38 million times a paragraph).
_MAX_LETTERED = 26 * 30


def number_text(count: int, fmt: str) -> str:
    """``count`` written in Word's number format ``fmt``."""
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(count).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{count:02d}"
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= count <= 20:
        return chr(0x2460 + count - 1)
    if fmt == "decimalEnclosedParen" and 1 <= count <= 20:
        return chr(0x2474 + count - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= count <= 20:
        return chr(0x2488 + count - 1)
    if fmt in ("upperLetter", "lowerLetter") and 1 <= count <= _MAX_LETTERED:
        letter = chr(ord("A") + (count - 1) % 26) * ((count - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= count < 4000:
        roman, left = "", count
        for value, letters in _ROMAN:
            while left >= value:
                roman, left = roman + letters, left - value
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("aiueoFullWidth", "aiueo", "irohaFullWidth", "iroha") and count >= 1:
        kana = (GOJUON if fmt.startswith("aiueo") else _IROHA)[(count - 1) % 46]
        return kana if fmt.endswith("FullWidth") else _half_width(kana)
    if (
        fmt in ("japaneseCounting", "chineseCounting", "chineseCountingThousand", "japaneseLegal")
        and 1 <= count < 100
    ):
        tens, ones = divmod(count, 10)
        return (("" if tens == 1 else _KANJI[tens]) + "十" if tens else "") + (_KANJI[ones] if ones else "")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand") and count >= 0:
        return "".join(_KANJI[int(d)] for d in str(count))
    return str(count)


def _half_width(kana: str) -> str:
    import unicodedata

    half = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF66, 0xFF9E)}
    return half.get(kana, kana)


def _level(level: _Element) -> _Level:
    text = level.find(f"{_W}lvlText")
    return _Level(
        _val(level.find(f"{_W}numFmt"), "val") or "decimal",
        _val(text, "val") if text is not None else "",
        _int(_val(level.find(f"{_W}start"), "val"), 1),
        _val(level.find(f"{_W}suff"), "val") or "tab",
    )


def _num_pr(numbered: _Element) -> tuple[str | None, int | None]:
    number = numbered.find(f"{_W}numId")
    level = numbered.find(f"{_W}ilvl")
    return (
        _val(number, "val") if number is not None else None,
        _int(_val(level, "val"), 0) if level is not None else None,
    )


def _val(element: _Element | None, name: str) -> str:
    return (element.get(f"{_W}{name}") or "") if element is not None else ""


def _int(value: str, default: int) -> int:
    """``value`` as a whole number: ASCII digits, a minus before them (a "²" is a digit to
    str.isdigit, not to int), at most 9 of them (int refuses thousands); else ``default``."""
    digits = value.removeprefix("-")
    return int(value) if digits.isascii() and digits.isdigit() and len(digits) <= 9 else default
