"""Reading report files: bytes to text, whatever encoding the municipality used.

Japanese government files come as UTF-8 (with or without BOM) or Shift_JIS/CP932,
often with CRLF line ends. A strict try in order (BOM, UTF-8, CP932) decides, with
charset-normalizer as the last resort; `--encoding` overrides all of it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ketsugo.errors import InputError
from ketsugo.records import Issue

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def read_report_text(path: Path, encoding: str | None = None) -> DecodedText:
    """Decode ``path``; raise InputError for a missing, empty, binary or undecodable file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Issue(str(path), 0, "", f"cannot read the file: {exc.strerror}")) from None
    return decode(data, str(path), encoding)


def decode(data: bytes, path: str, encoding: str | None = None) -> DecodedText:
    if not data.strip():
        raise InputError(Issue(path, 0, "", "the file is empty"))
    if encoding:
        return _decode_as(data, path, encoding)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, path, name)
    if b"\x00" in data:
        raise InputError(
            Issue(path, _line_of(data, data.index(b"\x00")), "", "binary file (NUL byte): not a text report")
        )
    for name in ("utf-8", "cp932"):
        try:
            return DecodedText(_unify_newlines(data.decode(name)), name)
        except UnicodeDecodeError:
            continue
    return _detect(data, path)


def _decode_as(data: bytes, path: str, encoding: str) -> DecodedText:
    try:
        return DecodedText(_unify_newlines(data.decode(encoding)), encoding)
    except LookupError:
        raise InputError(Issue(path, 0, "", f"unknown encoding {encoding!r}")) from None
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise InputError(
            Issue(path, line, "", f"not valid {encoding} at byte {exc.start}: {exc.reason}")
        ) from None


def _detect(data: bytes, path: str) -> DecodedText:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            Issue(path, 0, "", "cannot tell the text encoding (tried UTF-8, CP932); give --encoding")
        )
    return DecodedText(_unify_newlines(str(best)), best.encoding)


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
