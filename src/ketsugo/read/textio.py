"""Reading report files: bytes to text, whatever encoding the municipality used.

Japanese government files come as UTF-8 (with or without BOM) or Shift_JIS/CP932,
often with CRLF line ends, now and then as EUC-JP, ISO-2022-JP or UTF-16. The
order of trial:

1. ``--encoding`` when given: that codec, strictly, and nothing else;
2. a byte-order mark (UTF-8, UTF-16);
3. NUL bytes: UTF-16 without a BOM if they fall on every other byte, else binary;
4. ISO-2022-JP escape sequences;
5. strict UTF-8;
6. strict CP932 (the Windows form of Shift_JIS) — or EUC-JP when that reads the
   bytes as well and gives far more plausible Japanese (EUC-JP bytes often decode as
   CP932 half-width katakana);
7. charset-normalizer, as the last resort.

The text that comes out has "\\n" line ends (CRLF and CR unified), no BOM, and is
checked for binary content. Every failure is an InputError naming the file, the
line and what was expected.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ketsugo.errors import InputError, Issue

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Names people give that Python does not know.
_ALIASES = {"windows-31j": "cp932", "windows_31j": "cp932", "ms-kanji": "cp932", "x-sjis": "shift_jis"}
# Control characters a text file may hold besides tab and line ends, and how the parser reads
# each (with a warning): a form feed (a page break, as PDF-to-text tools write) as a line break,
# a vertical tab (a line break inside a cell, as word processors write) as a space, and the DOS
# end-of-file mark (dropped here when it ends the file) as nothing. Any other C0/C1 control
# character suggests binary data: the parser reports it as an error.
LAYOUT_CONTROLS = {"\x0c": "form feed", "\x0b": "vertical tab", "\x1a": "DOS end-of-file mark"}
_TEXT_CONTROLS = frozenset("\t\n\r") | frozenset(LAYOUT_CONTROLS)
# The other control characters (Unicode category Cc is exactly U+0000–U+001F and U+007F–U+009F),
# found by one regular expression: a character-by-character loop took 40 s on 50 MB.
_OTHER_CONTROLS = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in _TEXT_CONTROLS)
    + "]"
)
# A report's line is a heading or one table row; a longer line is no report (a file without line
# ends, a dump): refused at once, before slower readings (era years, NFKC) go over all of it.
MAX_LINE_CHARS = 1_000_000
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(B", b"\x1b$(D")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


STDIN = "-"  # a report read from standard input
STDIN_NAME = "<stdin>"


def unreadable(path: Path) -> str | None:
    """Why ``path`` is not a report file ketsugo can read (None: a regular file), without opening it:
    a FIFO or a device would block or never end, so neither is ever read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop (the link points back to itself): not a file"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"a broken symbolic link (to {os.readlink(path)}): no such file"
        return exc.strerror or str(exc)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory, not a report file"
    if stat.S_ISFIFO(mode):
        return f"a named pipe (FIFO), not a regular file: not read (give {STDIN} to read standard input)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file: not read"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file: not read"
    return "not a regular file: not read"


# No report (text, PDF, workbook or page) is this large: a larger file, or an endless standard
# input (`yes | ketsugo build -`), is refused before it fills the memory.
MAX_REPORT_BYTES = 256 * 1024 * 1024


def _too_large(name: str) -> InputError:
    return InputError(
        Issue(name, 0, "", f"larger than {MAX_REPORT_BYTES:,} bytes: no report is that large; not read")
    )


def read_report_bytes(path: Path) -> tuple[bytes, str]:
    """The bytes of ``path`` (``-``: standard input) and the name to report them under; InputError
    for a missing or special file (a FIFO or a device is never opened: it could hang) and for one
    over :data:`MAX_REPORT_BYTES`."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read(MAX_REPORT_BYTES + 1)
        if len(data) > MAX_REPORT_BYTES:
            raise _too_large(STDIN_NAME)
        return data, STDIN_NAME
    reason = unreadable(path)
    if reason is not None:
        raise InputError(Issue(str(path), 0, "", f"cannot read the file: {reason}"))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(Issue(str(path), 0, "", f"cannot read the file: {exc.strerror or exc}")) from None
    if len(data) > MAX_REPORT_BYTES:
        raise _too_large(str(path))
    return data, str(path)


def read_report_text(path: Path, encoding: str | None = None) -> DecodedText:
    """Decode ``path`` (``-``: standard input); InputError for a missing, special, empty, binary or
    undecodable file."""
    data, name = read_report_bytes(path)
    return decode(data, name, encoding)


def decode(data: bytes, path: str, encoding: str | None = None, *, report_lines: bool = True) -> DecodedText:
    """Bytes of a report → text with "\\n" line ends; ``encoding`` overrides detection.
    ``report_lines``: the lines are a report's (at most :data:`MAX_LINE_CHARS` each); not so for
    the source of an HTML page, which may be written on one line."""
    if not data:
        raise InputError(Issue(path, 0, "", "the file is empty (0 bytes): expected a 外部結合 report"))
    decoded = _decode_as(data, path, encoding) if encoding else _detect(data, path)
    if not decoded.text.strip():
        raise InputError(
            Issue(path, 0, "", "the file is empty (only white space): expected a 外部結合 report")
        )
    _check_text(decoded, path, given=bool(encoding))
    if report_lines:
        _check_line_lengths(decoded.text, path)
    return decoded


def _check_line_lengths(text: str, path: str) -> None:
    start, line = 0, 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            raise InputError(
                Issue(
                    path,
                    line,
                    "",
                    f"the line is {end - start:,} characters long; a report's line (a heading or one "
                    f"table row) has at most {MAX_LINE_CHARS:,}: is this a 外部結合 report with its line ends?",
                )
            )
        start, line = end + 1, line + 1


def _detect(data: bytes, path: str) -> DecodedText:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, path, name)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        offset = data.index(b"\x00")
        raise InputError(
            Issue(
                path,
                _line_of(data, offset),
                "",
                f"binary file: NUL byte at byte {offset}; expected a text report "
                "(tab-separated UTF-8 or Shift_JIS)",
            )
        )
    if b"\x1b" in data and any(escape in data for escape in _ISO2022_ESCAPES):
        text = _strict(data, "iso2022_jp")
        if text is not None:
            return DecodedText(text, "iso2022_jp")
    text = _strict(data, "utf-8")
    if text is not None:
        return DecodedText(text, "utf-8")
    _refuse_nearly_utf8(data, path)
    cp932 = _strict(data, "cp932")
    euc = _strict(data, "euc_jp")
    if cp932 is not None and (euc is None or _plausibility(cp932) >= _plausibility(euc)):
        return DecodedText(cp932, "cp932")
    if euc is not None:
        return DecodedText(euc, "euc_jp")
    return _charset_normalizer(data, path)


def _bad_utf8(data: bytes, limit: int) -> list[tuple[int, int]]:
    """(start, end) of the bytes that are not UTF-8, up to ``limit`` + 1 of them."""
    bad: list[tuple[int, int]] = []
    start = 0
    while len(bad) <= limit:
        try:
            data[start:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad.append((start + exc.start, start + exc.end))
            start += exc.end
    return bad


def _refuse_nearly_utf8(data: bytes, path: str) -> None:
    """A UTF-8 file with a few bad bytes (cut mid-character, a stray Latin-1 byte, a pasted CP932
    line) is not another encoding: say which line and byte are bad rather than guess."""
    bad = _bad_utf8(data, 20)
    multibyte = sum(1 for b in data if b >= 0xC2)  # lead bytes of UTF-8 characters (and others)
    if len(bad) > 20 or multibyte < 10 * len(bad):
        return
    start, _ = bad[0]
    line = _line_of(data, start)
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    lines = sorted({_line_of(data, s) for s, _ in bad})
    more = "; the file ends mid-character (cut short?)" if bad[-1][1] >= len(data) else ""
    if len(bad) > 1:
        shown = ", ".join(str(n) for n in lines[:5]) + (" …" if len(lines) > 5 else "")
        more = f"; {len(bad)} bad spots in all, on line(s) {shown}" + more
    raise InputError(
        Issue(
            path,
            line,
            "",
            f"the file is UTF-8 except line {line}, byte 0x{data[start]:02X} at column {column}{more} "
            "(a file cut mid-character, a stray byte, or a line in another encoding?): fix the byte(s), "
            "or give --encoding if the file is not UTF-8",
        )
    )


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return _clean(data.decode(encoding))
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> DecodedText | None:
    """UTF-16 text of mostly ASCII-range characters has its NULs on every other byte."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd > 3 * even:
        name = "utf-16-le"
    elif even > 3 * odd:
        name = "utf-16-be"
    else:
        return None
    text = _strict(data, name)
    if text is None or _first_control(text) is not None:
        return None
    return DecodedText(text, name)


def _plausibility(text: str) -> int:
    """How much ``text`` looks like Japanese prose: kana and kanji count, half-width kana and private use against."""
    score = 0
    for char in text:
        code = ord(char)
        if 0x3040 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF or 0xFF01 <= code <= 0xFF5E:
            score += 2
        elif 0xFF61 <= code <= 0xFF9F or 0xE000 <= code <= 0xF8FF or unicodedata.category(char) == "Cc":
            score -= 3
    return score


def _charset_normalizer(data: bytes, path: str) -> DecodedText:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            Issue(
                path,
                0,
                "",
                "cannot tell the text encoding (tried UTF-8, CP932/Shift_JIS, EUC-JP): "
                "give --encoding, or check that the file is a text report",
            )
        )
    return DecodedText(_clean(str(best)), best.encoding)


def _decode_as(data: bytes, path: str, encoding: str) -> DecodedText:
    name = _ALIASES.get(encoding.strip().lower(), encoding.strip())
    try:
        codec = codecs.lookup(name)
    except LookupError:
        codec = None
    # rot13, hex, base64, zlib … are codecs but not text encodings: bytes.decode refuses them
    if codec is None or not getattr(codec, "_is_text_encoding", True):
        raise InputError(
            Issue(path, 0, "--encoding", f"unknown encoding {encoding!r} (e.g. utf-8, cp932, euc_jp)")
        ) from None
    try:
        return DecodedText(_clean(data.decode(codec.name)), codec.name)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : min(exc.end, exc.start + 4)].hex(" ")
        hint = _hint(data, codec.name)
        raise InputError(
            Issue(
                path,
                line,
                "--encoding",
                f"not valid {encoding}: byte(s) {bad} at byte {column} of the line ({exc.reason}){hint}",
            )
        ) from None


def _hint(data: bytes, tried: str) -> str:
    """Which encoding would have read the bytes, for the error message."""
    for name in ("utf-8", "cp932", "euc_jp"):
        if name != tried and _strict(data, name) is not None:
            if name == "cp932" and tried == "shift_jis":
                return "; it reads as cp932 (Windows Shift_JIS, which adds ①, №, ㈱ and other symbols)"
            return f"; it reads as {name}: give --encoding {name}, or leave --encoding out to detect it"
    return ""


def _clean(text: str) -> str:
    """Unify line ends to "\\n"; drop a leading byte-order mark and a trailing DOS end-of-file mark."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1] if text.endswith("\x1a") else text


def _first_control(text: str) -> int | None:
    found = _OTHER_CONTROLS.search(text)
    return found.start() if found else None


def _check_text(decoded: DecodedText, path: str, *, given: bool) -> None:
    """A text with many control characters is binary data (or text read in the wrong encoding).

    A few stray ones are left to the parser, which reports each at its line and field.
    """
    text = decoded.text
    controls = sum(1 for _ in _OTHER_CONTROLS.finditer(text))
    if controls * 100 <= len(text):
        return
    index = _first_control(text)
    assert index is not None
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    raise InputError(
        Issue(
            path,
            line,
            "",
            f"binary data: control character U+{ord(text[index]):04X} at column {column} "
            f"(read as {decoded.encoding}); expected a text report"
            + ("; is --encoding right?" if given else ""),
        )
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
