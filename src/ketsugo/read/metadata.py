"""Report metadata: the TOML file beside a report, or options given on the command line."""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from ketsugo.errors import InputError, Issue
from ketsugo.paths import REPORTS_DIR, VOCAB_DIR, reference_toml
from ketsugo.read.eras import eras
from ketsugo.read.records import Report

T = TypeVar("T")


@dataclass(frozen=True)
class ReportMetadata:
    path: Path
    municipality_code: str
    municipality_name: str
    fiscal_year: int | None
    title: str = ""
    title_en: str = ""
    publisher: str = ""
    description: str = ""


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    prefecture: str
    kind: str = "city"  # "prefecture", "special-ward" (特別区), "city", "town", "village" or "ward" (of a designated city)
    # or "body": a body no offline list holds (一部事務組合, 広域連合), named with its report
    city: str = ""  # for a ward of a designated city: the city's name

    @property
    def full_name(self) -> str:
        """With its prefecture (and city): 神奈川県横浜市, 北海道札幌市中央区; a prefecture alone."""
        if self.kind in ("prefecture", "body"):  # a body's name says its place itself (東京都…広域連合)
            return self.name
        return f"{self.prefecture}{self.city}{self.name}"


def metadata_path(report: Path) -> Path:
    return report.with_suffix(".toml")


# The keys of [report] (docs/your-report.md); any other is a typo or a misunderstanding, said
# rather than ignored. Other top-level tables are left to other tools.
KNOWN_KEYS = frozenset(
    {"file", "municipality_code", "fiscal_year", "fiscal_year_ja", "title", "title_en", "publisher"}
    | {"language", "description"}
)
MAX_METADATA_BYTES = 1_000_000  # a metadata file is a few lines
LAST_FISCAL_YEAR = 9999  # a date's year has four digits


def load_metadata(report: Path) -> ReportMetadata | None:
    """The metadata beside ``report``, or None when there is none. Every problem is an InputError
    naming the file, the line of the key (when it can be told) and the key."""
    path = metadata_path(report)
    if not path.exists() and not path.is_symlink():
        return None
    where = str(path)
    text = _metadata_text(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Issue(where, 0, "report", f"invalid metadata file: {exc}")) from None
    except RecursionError:  # x = [[[[…]]]]: the TOML reader recurses once per level
        raise InputError(
            Issue(where, 0, "report", "invalid metadata file: values nested too deeply")
        ) from None
    data = document.get("report")
    if not isinstance(data, dict):
        found = "no [report] table" if data is None else f"report = {data!r}, not a table"
        raise InputError(
            Issue(where, 0, "report", f"invalid metadata file: {found} (see docs/your-report.md)")
        )
    lines = _key_lines(text)
    for key in data:
        if key not in KNOWN_KEYS:
            raise InputError(
                Issue(
                    where,
                    lines.get(key, 0),
                    key,
                    f"unknown key in [report] (known: {', '.join(sorted(KNOWN_KEYS))}); "
                    "a misspelt key would be ignored, so it is refused",
                )
            )
    for key, value in data.items():
        _typed(data, key, int if key == "fiscal_year" else str, where, lines)
        if isinstance(value, str):
            _no_controls(value, key, where, lines, allowed="\n\t" if key == "description" else "")
    code = _required(data, "municipality_code", str, where, lines)
    year = _typed(data, "fiscal_year", int, where, lines)
    check_fiscal_year(year, where, lines.get("fiscal_year", 0), "fiscal_year")
    _check_file(data.get("file"), report, where, lines)
    check_code(code, where)
    given = _typed(data, "publisher", str, where, lines)
    return ReportMetadata(
        path=report,
        municipality_code=code,
        municipality_name=body_name(code, given, report, where),
        fiscal_year=year,
        title=_typed(data, "title", str, where, lines) or "",
        title_en=_typed(data, "title_en", str, where, lines) or "",
        publisher=_typed(data, "publisher", str, where, lines) or "",
        description=(_typed(data, "description", str, where, lines) or "").strip(),
    )


def _metadata_text(path: Path) -> str:
    """The metadata file's text: a regular UTF-8 file of reasonable size (a FIFO is never opened)."""
    from ketsugo.read.textio import unreadable

    where = str(path)
    reason = unreadable(path)
    if reason is not None:
        raise InputError(Issue(where, 0, "", f"cannot read the metadata file: {reason}"))
    size = path.stat().st_size
    if size > MAX_METADATA_BYTES:
        raise InputError(
            Issue(
                where,
                0,
                "",
                f"the metadata file is {size:,} bytes; one is a few lines (at most {MAX_METADATA_BYTES:,})",
            )
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            Issue(
                where,
                line,
                "",
                f"the metadata file is not UTF-8 (byte 0x{data[exc.start]:02X}): save it as UTF-8",
            )
        ) from None


_KEY_LINE = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    """The line of each key of the [report] table (for messages); a key written twice is a TOML error."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.strip("[] \t").strip("\"'")
            continue
        match = _KEY_LINE.match(line)
        if match and table == "report":
            lines.setdefault(next(g for g in match.groups() if g), number)
    return lines


def _no_controls(value: str, key: str, where: str, lines: dict[str, int], allowed: str) -> None:
    for char in value:
        if char not in allowed and unicodedata.category(char) == "Cc":
            raise InputError(
                Issue(where, lines.get(key, 0), key, f"control character U+{ord(char):04X} in the value")
            )


def _check_file(name: object, report: Path, where: str, lines: dict[str, int]) -> None:
    """``file`` names the report beside the metadata file (its own folder, its own stem): never a
    path elsewhere (../, /etc/…), which a reader of the metadata could be led to."""
    if name is None:
        return
    assert isinstance(name, str)
    plain = name and "/" not in name and "\\" not in name and name not in (".", "..")
    if not plain or Path(name).stem != metadata_path(report).stem:
        raise InputError(
            Issue(
                where,
                lines.get("file", 0),
                "file",
                f"names {name!r}: expected the report beside this file, e.g. {report.name!r} (a name, no folder)",
            )
        )


def _required(data: dict[str, Any], key: str, kind: type[T], where: str, lines: dict[str, int]) -> T:
    value = _typed(data, key, kind, where, lines)
    if value is None:
        raise InputError(Issue(where, 0, key, "missing from the metadata file"))
    return value


def _typed(
    data: dict[str, Any], key: str, kind: type[T], where: str, lines: dict[str, int] | None = None
) -> T | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:59] + "…"
        raise InputError(
            Issue(
                where,
                (lines or {}).get(key, 0),
                key,
                f"expected {_KIND_NAMES.get(kind, kind.__name__)}, found {shown}",
            )
        )
    return value


_KIND_NAMES = {str: "a string (in quotes)", int: "a whole number"}


def metadata_from_options(
    report: Path, code: str | None, fiscal_year: int | None, name: str | None = None
) -> ReportMetadata:
    """Metadata for a report without a TOML file: the municipality must be given (and, for a body no
    offline list holds, its name by ``name`` or the report's title)."""
    if not code:
        raise InputError(
            Issue(
                str(report),
                0,
                "",
                "no metadata file beside the report: give --municipality CODE (e.g. 131041)",
            )
        )
    code = check_code(code, str(report))
    check_fiscal_year(fiscal_year, str(report), 0, "--fiscal-year")
    _name_agrees(code, name, str(report))
    name = body_name(code, name, report, str(report))
    return ReportMetadata(report, code, name, fiscal_year, publisher=name)


def names_agree(given: str, known: str) -> bool:
    """Whether a name given by the user names the body known (新宿区 ⊂ 東京都新宿区, 新宿区役所)."""
    written, known = "".join(given.split()), "".join(known.split())
    return bool(written) and (known in written or written in known)


def check_register_body(report: Report, code: str, name: str) -> None:
    """An open-data register's 全国地方公共団体コード / 地方公共団体名 columns must name the body the
    report is built for (``code``, ``name``): else the file is another body's, an error at its first
    row. A 5-digit code (no check digit) compares with the first five digits."""
    first = next((c for row in report.connections for c in row.cells if c.field == "municipality_code"), None)
    given = report.municipality_code
    if given is not None and given[:5] != code[:5]:
        raise InputError(
            Issue(
                report.path,
                first.line if first is not None else 0,
                first.header.strip() if first is not None else "",
                f"the register names local government {given}, the build is for {code} ({name}): "
                "is the file or --municipality wrong?",
                given,
            )
        )
    named = next((c for row in report.connections for c in row.cells if c.field == "municipality_name"), None)
    if report.municipality_name is not None and not names_agree(report.municipality_name, name):
        raise InputError(
            Issue(
                report.path,
                named.line if named is not None else 0,
                named.header.strip() if named is not None else "",
                f"the register names {report.municipality_name}, the build is for {name} ({code}): "
                "is the file or --municipality wrong?",
                report.municipality_name,
            )
        )


def _name_agrees(code: str, given: str | None, where: str) -> None:
    """--name is for a body no offline list holds; for a listed code it must name that municipality
    (新宿区, 東京都新宿区, 新宿区役所), else the code or the name is wrong, which would build a report
    under another municipality without a word (it was ignored)."""
    if not given or not given.strip() or not is_listed(code):
        return
    listed = municipality(code).name
    if names_agree(given, listed):
        return
    raise InputError(
        Issue(
            where,
            0,
            "name",
            f"--name {given.strip()} does not name the body of code {code} ({listed}): --name is for a "
            "body no offline list holds; leave it out, or check the code",
        )
    )


def check_fiscal_year(year: int | None, where: str, line: int, field: str) -> None:
    """A fiscal year given by the user is one of the eras' years, with four digits."""
    first = min(e.start.year for e in eras())
    if year is not None and not first <= year <= LAST_FISCAL_YEAR:
        raise InputError(
            Issue(where, line, field, f"{year} is not a fiscal year ({first}–{LAST_FISCAL_YEAR})")
        )


def bundled_reports() -> list[ReportMetadata]:
    """Every report shipped in data/reports: each .toml names its .txt, which must sit beside it."""
    found = []
    for toml_path in sorted(REPORTS_DIR.glob("*.toml")):
        if toml_path.name.endswith(".errata.toml"):  # a report's errata (ketsugo.read.errata), not metadata
            continue
        data = tomllib.loads(toml_path.read_text(encoding="utf-8")).get("report", {})
        report = REPORTS_DIR / str(data.get("file", ""))
        if report.with_suffix(".toml") != toml_path or not report.is_file():
            raise InputError(
                Issue(
                    str(toml_path),
                    0,
                    "file",
                    f"names {data.get('file')!r}: expected {toml_path.stem}.txt beside it",
                )
            )
        meta = load_metadata(report)
        if meta is not None:
            found.append(meta)
    return found


def check_code(code: str, where: str) -> str:
    """A 6-digit local government code with a valid JIS X 0402 check digit. A code no offline list
    holds (an 一部事務組合, a 広域連合) is well-formed too: :func:`body_name` names its body."""
    if len(code) != 6 or not code.isdigit():
        raise InputError(
            Issue(where, 0, "municipality", f"expected a 6-digit local government code, got {code!r}")
        )
    weights = (6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(code[:5], weights, strict=True)) % 11
    check = (11 - remainder) % 10
    if int(code[5]) != check:
        raise InputError(Issue(where, 0, "municipality", f"check digit of {code} should be {check}"))
    return code


# Bodies of well-formed codes no offline list holds, named when their report's metadata is made
# (before any worker process is forked: pipeline.build_outcomes), so that municipality() knows them.
_OTHER_BODIES: dict[str, Municipality] = {}


def is_listed(code: str) -> bool:
    """Whether the offline lists (data/vocab/local-gov-code) hold the code."""
    return code in _municipalities()


def body_name(code: str, given: str | None, report: Path, where: str) -> str:
    """The name of the body a (well-formed) code stands for: the offline list's, else ``given``
    (--name, the metadata's publisher), else the body the report's title names (bodies.toml)."""
    if is_listed(code):
        return municipality(code).name
    prefecture = _prefecture_name(code)
    if not prefecture:  # a check digit alone is no place: JIS X 0402 codes begin with 01–47
        raise InputError(
            Issue(
                where,
                0,
                "municipality",
                f"code {code} begins with {code[:2]}, the code of no prefecture (01 to 47): "
                "a local government code begins with its prefecture's",
            )
        )
    name = (given or "").strip() or title_body_name(report)
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise InputError(
            Issue(where, 0, "name", f"the body's name {name!r} holds a control character (--name, publisher)")
        )
    if not name:
        raise InputError(
            Issue(
                where,
                0,
                "municipality",
                f"code {code} is in no offline list of municipalities (data/vocab/local-gov-code) and the "
                "report's title names no body ending in a word of data/reference/bodies.toml: give the "
                "body's name with --name NAME (e.g. --name 東京都後期高齢者医療広域連合)",
            )
        )
    _OTHER_BODIES[code] = Municipality(code, name, prefecture, "body")
    return name


def title_body_name(report: Path) -> str:
    """The body the report's first line names (…広域連合, …組合: bodies.toml), or ""."""
    from ketsugo.read.normalize import normalize
    from ketsugo.read.textio import read_report_text

    if str(report) == "-" or not report.is_file():
        return ""
    try:
        text = read_report_text(report).text
    except (InputError, OSError, ValueError):  # a PDF or a workbook: give --name
        return ""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = normalize(first)
    endings = sorted(reference_toml("bodies.toml")["name_endings"], key=len, reverse=True)
    found = [title.index(e) + len(e) for e in endings if e in title]
    if not found:
        return ""
    # the body's name alone: not a year before it, nor the report's words before a bracket
    return re.split(r"[\s(\[（［【「]", title[: min(found)])[-1]


def _prefecture_name(code: str) -> str:
    """The prefecture whose two digits begin the code ("" when none)."""
    return next(
        (m.name for m in _municipalities().values() if m.kind == "prefecture" and m.code[:2] == code[:2]), ""
    )


def municipalities_named_in(text: str) -> list[Municipality]:
    """Cities, towns, villages and wards (not prefectures) whose name of 3 characters or more
    (新宿区, 八王子市) the text mentions."""
    return [
        m for m in _municipalities().values() if m.code[2:5] != "000" and len(m.name) >= 3 and m.name in text
    ]


def place_names() -> frozenset[str]:
    """Local governments' names without their last character when it says the kind (松山市 → 松山,
    東京都 → 東京, 北海道 kept), of two characters or more: the places offices are named after."""
    return _place_names()


@cache
def _place_names() -> frozenset[str]:
    names = set()
    for m in _municipalities().values():
        stem = m.name[:-1] if m.name[-1:] in "都府県市町村区" else m.name
        if len(stem) >= 2:
            names.add(stem)
    return frozenset(names)


def municipality(code: str) -> Municipality:
    """The local government (or a body named with its report: :func:`body_name`) of a code; a code of
    neither (a body's, read back from a store by a later command) is a body with no name, in the
    prefecture its first two digits say."""
    found = _municipalities().get(code) or _OTHER_BODIES.get(code)
    return found if found is not None else Municipality(code, "", _prefecture_name(code), "body")


@cache
def _municipalities() -> dict[str, Municipality]:
    """Codes → names from the shipped local-government-code lists (wards and cities)."""
    found: dict[str, Municipality] = {}
    folder = VOCAB_DIR / "local-gov-code"
    for name in ("cities.json", "wards.json", "prefectures.json"):
        for entry in json.loads((folder / name).read_text(encoding="utf-8")):
            label = (
                entry.get("ward_name")
                or entry.get("city_name")
                or entry.get("pref_name")
                or entry.get("name")
            )
            code = str(entry["code"])
            kind = _kind_of(entry.get("type", ""), code, label)
            city = entry.get("city_name", "") if kind == "ward" else ""
            found[code] = Municipality(code, label, entry.get("pref_name", ""), kind, city)
    return found


def _kind_of(listed: str, code: str, name: str) -> str:
    """The kind of local government: the list's type, refined by the name's last character for cities
    (the list calls towns, villages and Tokyo's special wards "city" too)."""
    if listed in ("prefecture", "ward"):
        return listed
    return {"区": "special-ward", "町": "town", "村": "village"}.get(name[-1:], "city")


def local_governments_named(name: str) -> list[Municipality]:
    """Local governments (prefectures included) whose name, with or without its prefecture (and city),
    is ``name``: 横浜市 and 神奈川県横浜市 → 141003; 府中市 → two (Tokyo, Hiroshima)."""
    return list(_by_name().get(name, ()))


@cache
def _by_name() -> dict[str, tuple[Municipality, ...]]:
    found: dict[str, list[Municipality]] = {}
    for m in _municipalities().values():
        names = {m.full_name}
        if m.kind != "ward":  # a ward of a designated city is named with its city (横浜市西区)
            names.add(m.name)
        else:
            names.add(f"{m.city}{m.name}")
        for name in names:
            found.setdefault(name, []).append(m)
    return {name: tuple(sorted(ms, key=lambda m: m.code)) for name, ms in found.items()}
