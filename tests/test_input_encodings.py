"""The same report in any encoding a municipality uses gives the same graph.

The variants are written to a temporary directory by the test (no committed binaries):
UTF-8 with and without BOM, CP932 (Windows Shift_JIS), each with LF, CRLF or CR line
ends, and, for a text without CP932-only symbols, strict Shift_JIS, EUC-JP,
ISO-2022-JP and UTF-16. Each is built end to end (read → parse → graph) and its graph compared
with the UTF-8 one: the same N-Quads lines (a report's graph has no blank node, so two graphs
are isomorphic exactly when they hold the same lines; making rdflib graphs to compare was
four fifths of this module's time).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ketsugo.errors import InputError
from ketsugo.graph.reference import reference
from ketsugo.pipeline import build_report
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.textio import DecodedText, decode, read_report_text
from tests.conftest import BUNDLED

TEXT = BUNDLED.read_text(encoding="utf-8")
# Strict Shift_JIS (JIS X 0208) lacks the NEC symbols CP932 adds, such as ① ② ③, and
# maps the byte pair 81 7C to U+2212 where CP932 gives U+FF0D. A report that is to
# round-trip through it (or EUC-JP, ISO-2022-JP) must do without them.
JIS_SAFE = TEXT.replace("①", "(1)").replace("②", "(2)").replace("③", "(3)").replace("－", "-")
NAME = "shinjuku.txt"  # the same file name everywhere: kg:sourceFile is part of the graph


def _write(directory: Path, data: bytes) -> Path:
    directory.mkdir(parents=True)
    path = directory / NAME
    path.write_bytes(data)
    return path


def _graph(path: Path, encoding: str | None = None) -> frozenset[bytes]:
    """The report's graph as its set of N-Quads lines."""
    meta = metadata_from_options(path, "131041", 2020)
    lines = frozenset(build_report(meta, reference(), encoding=encoding).result.nquads().splitlines())
    assert lines
    return lines


def _newlines(text: str, newline: str) -> str:
    return text.replace("\n", newline)


@pytest.fixture(scope="module")
def utf8_graph(tmp_path_factory) -> frozenset[bytes]:
    return _graph(_write(tmp_path_factory.mktemp("enc") / "reference", TEXT.encode("utf-8")))


@pytest.fixture(scope="module")
def jis_safe_graph(tmp_path_factory) -> frozenset[bytes]:
    return _graph(_write(tmp_path_factory.mktemp("enc") / "reference", JIS_SAFE.encode("utf-8")))


def test_bundled_report_round_trips_through_cp932() -> None:
    assert TEXT.encode("cp932").decode("cp932") == TEXT
    with pytest.raises(UnicodeEncodeError):  # why the variants below use CP932, not strict Shift_JIS
        TEXT.encode("shift_jis")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize(
    ("codec", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932")],
    ids=["utf-8", "utf-8-bom", "cp932"],
)
def test_encodings_give_isomorphic_graphs(
    tmp_path: Path, utf8_graph: frozenset[bytes], codec: str, detected: str, newline: str
) -> None:
    path = _write(tmp_path / "variant", _newlines(TEXT, newline).encode(codec))
    decoded = read_report_text(path)
    assert decoded.encoding == detected
    assert decoded.text == TEXT
    assert _graph(path) == utf8_graph


@pytest.mark.parametrize(
    ("codec", "detected"),
    [
        ("shift_jis", "cp932"),
        ("euc_jp", "euc_jp"),
        ("iso2022_jp", "iso2022_jp"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_other_japanese_encodings(
    tmp_path: Path, jis_safe_graph: frozenset[bytes], codec: str, detected: str
) -> None:
    path = _write(tmp_path / "variant", _newlines(JIS_SAFE, "\r\n").encode(codec))
    decoded = read_report_text(path)
    assert (decoded.encoding, decoded.text) == (detected, JIS_SAFE)
    assert _graph(path) == jis_safe_graph


@pytest.mark.parametrize("given", ["cp932", "CP932", "ms932", "windows-31j"])
def test_encoding_option_overrides_detection(
    tmp_path: Path, utf8_graph: frozenset[bytes], given: str
) -> None:
    path = _write(tmp_path / "variant", _newlines(TEXT, "\r\n").encode("cp932"))
    assert read_report_text(path, given).text == TEXT
    assert _graph(path, given) == utf8_graph


def test_encoding_option_is_obeyed_even_when_wrong(tmp_path: Path) -> None:
    """--encoding utf-8 on a CP932 file: no silent fallback, an error that names the fix."""
    data = TEXT.encode("cp932")
    path = _write(tmp_path / "variant", data)
    with pytest.raises(InputError) as caught:
        read_report_text(path, "utf-8")
    (issue,) = caught.value.issues
    assert (issue.path, issue.line, issue.field) == (str(path), 3, "--encoding")
    assert issue.message == (
        "not valid utf-8: byte(s) 8a at byte 5 of the line (invalid start byte); "
        "it reads as cp932: give --encoding cp932, or leave --encoding out to detect it"
    )


def test_strict_shift_jis_names_cp932(tmp_path: Path) -> None:
    path = _write(tmp_path / "variant", TEXT.encode("cp932"))
    with pytest.raises(InputError) as caught:
        read_report_text(path, "shift_jis")
    (issue,) = caught.value.issues
    line = next(n for n, text in enumerate(TEXT.split("\n"), 1) if "①" in text)
    assert issue.line == line
    assert issue.message.startswith("not valid shift_jis: byte(s) 87 ")
    assert issue.message.endswith(
        "it reads as cp932 (Windows Shift_JIS, which adds ①, №, ㈱ and other symbols)"
    )


def test_unknown_encoding_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "variant", TEXT.encode("utf-8"))
    with pytest.raises(InputError) as caught:
        read_report_text(path, "klingon")
    assert [str(i) for i in caught.value.issues] == [
        f"{path}: [--encoding] unknown encoding 'klingon' (e.g. utf-8, cp932, euc_jp)"
    ]


def test_euc_jp_is_not_mistaken_for_cp932() -> None:
    """EUC-JP bytes that also decode as CP932 read as half-width katakana there; EUC-JP wins."""
    text = "外個人記録の状況\nあいうえお\n"
    data = text.encode("euc_jp")
    assert data.decode("cp932") != text  # both decoders accept these bytes
    assert decode(data, "x.txt") == DecodedText(text, "euc_jp")


def test_byte_order_mark_is_dropped_under_an_explicit_encoding() -> None:
    assert decode(b"\xef\xbb\xbf(2)\n", "x.txt", "utf-8").text == "(2)\n"


def test_dos_end_of_file_mark_is_dropped() -> None:
    assert decode(b"(2)\r\n\x1a", "x.txt").text == "(2)\n"
