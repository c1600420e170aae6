"""Reading the National Tax Agency's corporate number bulk data (法人番号公表サイト, 基本3情報 CSV).

The national file holds about 5 million rows, so it is streamed: the csv module over a text
stream, one row at a time, and only rows whose :func:`~ketsugo.graph.orgnames.organisation_key`
is one the caller asks for are kept. Memory is bounded by the matches, not by the file.

Two layouts are read (docs/linking.md):

- the NTA layout: no header row, 30 columns in the order of the NTA resource definition
  (:data:`NTA_COLUMNS`; 一連番号, 法人番号, 処理区分, 訂正区分, 更新年月日, 変更年月日, 商号又は名称, …);
- a CSV with a header row naming its columns, in Japanese (法人番号, 商号又は名称, …) or by the
  NTA resource names (corporateNumber, name, …); it needs at least 法人番号 and 商号又は名称.

Encodings: UTF-8 (with or without BOM) and Shift_JIS/CP932, told apart on the first bytes.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ketsugo.errors import InputError, Issue
from ketsugo.export.link.identifiers import is_corporate_number
from ketsugo.graph.orgnames import organisation_key
from ketsugo.paths import reference_toml
from ketsugo.read.legalforms import legal_forms
from ketsugo.read.normalize import match_key, match_key_once

# (resource name, 項目名) in the order of the NTA resource definition (Web-API ver. 4 and the
# bulk download share it): the CSV has no header row, so the position is the column's name.
NTA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sequenceNumber", "一連番号"),
    ("corporateNumber", "法人番号"),
    ("process", "処理区分"),
    ("correct", "訂正区分"),
    ("updateDate", "更新年月日"),
    ("changeDate", "変更年月日"),
    ("name", "商号又は名称"),
    ("nameImageId", "商号又は名称イメージID"),
    ("kind", "法人種別"),
    ("prefectureName", "国内所在地（都道府県）"),
    ("cityName", "国内所在地（市区町村）"),
    ("streetNumber", "国内所在地（丁目番地等）"),
    ("addressImageId", "国内所在地イメージID"),
    ("prefectureCode", "都道府県コード"),
    ("cityCode", "市区町村コード"),
    ("postCode", "郵便番号"),
    ("addressOutside", "国外所在地"),
    ("addressOutsideImageId", "国外所在地イメージID"),
    ("closeDate", "登記記録の閉鎖等年月日"),
    ("closeCause", "登記記録の閉鎖等の事由"),
    ("successorCorporateNumber", "承継先法人番号"),
    ("changeCause", "変更事由の詳細"),
    ("assignmentDate", "法人番号指定年月日"),
    ("latest", "最新履歴"),
    ("enName", "商号又は名称（英語表記）"),
    ("enPrefectureName", "国内所在地（都道府県）（英語表記）"),
    ("enCityName", "国内所在地（市区町村丁目番地等）（英語表記）"),
    ("enAddressOutside", "国外所在地（英語表記）"),
    ("furigana", "フリガナ"),
    ("hihyoji", "検索対象除外"),
)
_DOTS = re.compile("[・·•‧]")  # as ketsugo.graph.orgnames leaves them out
DELETED = "99"  # 処理区分 削除: the number was withdrawn
_SNIFF = 1 << 16


@dataclass(frozen=True)
class CorporateKind:
    code: str
    ja: str
    en: str
    kg_class: str  # local name in kg:, "" when the code says nothing about the ketsugo class


@cache
def corporate_kinds() -> dict[str, CorporateKind]:
    """法人種別 code → its labels and ketsugo class (data/reference/corporate-kinds.toml)."""
    data = reference_toml("corporate-kinds.toml")
    return {k["code"]: CorporateKind(k["code"], k["ja"], k["en"], k["class"]) for k in data["kind"]}


@dataclass(frozen=True)
class NtaRecord:
    """One row of the file, with the fields ketsugo uses."""

    number: str
    name: str
    kind: str = ""
    prefecture: str = ""
    city: str = ""
    street: str = ""
    prefecture_code: str = ""
    city_code: str = ""
    postcode: str = ""
    update_date: str = ""
    close_date: str = ""
    line: int = 0
    source: str = ""  # the file it was read from

    @property
    def address(self) -> str:
        return f"{self.prefecture}{self.city}{self.street}"

    @property
    def closed(self) -> bool:
        return bool(self.close_date)


@dataclass
class ReadStats:
    """What reading one file found, for provenance and the user."""

    path: Path
    encoding: str = ""
    layout: str = ""  # "nta" or "header"
    rows: int = 0
    kept: int = 0
    latest_update: str = ""  # the largest 更新年月日 of the file: the date of its data
    bad_check_digits: int = 0


@cache
def _written_forms() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Every legal form as organisation_key sees it written (in full, or as (abbreviation)),
    by its first and by its last character."""
    forms: set[str] = set()
    for form in legal_forms():
        forms.add(match_key(form.name))
        forms.update(f"({match_key(a)})" for a in form.abbreviations)
    by_first: dict[str, list[str]] = {}
    by_last: dict[str, list[str]] = {}
    for written in sorted(forms):
        by_first.setdefault(written[0], []).append(written)
        by_last.setdefault(written[-1], []).append(written)
    return (
        {c: tuple(f) for c, f in by_first.items()},
        {c: tuple(f) for c, f in by_last.items()},
    )


def could_match(name: str, rests: set[str]) -> bool:
    """A cheap test that never says no to a name whose organisation key has its name part in
    ``rests``: organisation_key strips one legal form from the start or the end of the same
    folded text, so the name part is the text, or the text less a form at one end."""
    key = _DOTS.sub("", match_key_once(name))  # millions of names that do not recur: not remembered
    if not key:
        return False
    if key in rests:
        return True
    by_first, by_last = _written_forms()
    for form in by_first.get(key[0], ()):
        if key.startswith(form) and key[len(form) :] in rests:
            return True
    for form in by_last.get(key[-1], ()):
        if key.endswith(form) and key[: len(key) - len(form)] in rests:
            return True
    return False


def detect_encoding(path: Path) -> str:
    """utf-8-sig when the first 64 KiB decode as UTF-8 (the NTA "Unicode" files), else cp932
    (the NTA "Shift-JIS" files; CP932 is the superset Windows and the NTA use)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8-sig"


def _header_columns(row: list[str]) -> dict[str, int] | None:
    """Column positions by resource name when ``row`` is a header row, else None."""
    by_label = {label: resource for resource, label in NTA_COLUMNS}
    resources = {resource for resource, _ in NTA_COLUMNS}
    found: dict[str, int] = {}
    for position, cell in enumerate(row):
        text = cell.strip().replace("(", "（").replace(")", "）")
        resource = by_label.get(text) or (cell.strip() if cell.strip() in resources else None)
        if resource is not None and resource not in found:
            found[resource] = position
    if "corporateNumber" in found or "name" in found:
        return found
    return None


def read_nta(
    path: Path,
    keys: set[str] | None = None,
    *,
    encoding: str | None = None,
    stats: ReadStats | None = None,
    warn: Callable[[Issue], None] | None = None,
) -> Iterator[tuple[str, NtaRecord]]:
    """(organisation key, record) for every row whose key is in ``keys`` (every row when None).

    Only rows that may match are looked at closely (:func:`could_match` first, then the key): of
    those, a row with a bad check digit is skipped with a warning, and rows marked deleted
    (処理区分 99) or past history (最新履歴 0) are skipped. A row too short for the layout is an
    input error naming the file and line. ``stats`` is filled as the file is read.
    """
    stats = stats if stats is not None else ReadStats(path)
    encoding = encoding or detect_encoding(path)
    stats.encoding = encoding
    where = str(path)
    try:
        handle = path.open("r", encoding=encoding, newline="")
    except OSError as exc:
        raise InputError(
            Issue(where, 0, "--corporate-numbers", f"cannot read it: {exc.strerror or exc}")
        ) from None
    rests = {key.split("|", 1)[-1] for key in keys or ()}
    with handle:
        reader = csv.reader(handle)
        columns: dict[str, int] | None = None
        try:
            for row in reader:
                line = reader.line_num
                if not row or not any(cell.strip() for cell in row):
                    continue
                if columns is None:
                    columns = _header_columns(row)
                    if columns is not None:
                        if "corporateNumber" not in columns or "name" not in columns:
                            raise InputError(
                                Issue(where, line, "header", "a header row needs 法人番号 and 商号又は名称")
                            )
                        stats.layout = "header"
                        continue
                    columns = {resource: i for i, (resource, _) in enumerate(NTA_COLUMNS)}
                    stats.layout = "nta"
                stats.rows += 1
                _check_width(row, columns, where, line, stats.layout)
                name = _cell(row, columns, "name")
                if keys is not None and not could_match(name, rests):
                    updated = _cell(row, columns, "updateDate")
                    if updated > stats.latest_update:
                        stats.latest_update = updated
                    continue
                record = _record(row, columns, where, line)
                if record is None:
                    continue
                if record.update_date > stats.latest_update:
                    stats.latest_update = record.update_date
                if not is_corporate_number(record.number):
                    stats.bad_check_digits += 1
                    if warn is not None:
                        warn(
                            Issue(
                                where,
                                line,
                                "法人番号",
                                f"{record.number!r} is not a valid corporate number (check digit): row skipped",
                                as_written=record.number,
                                severity="warning",
                            )
                        )
                    continue
                key = organisation_key(record.name)
                if keys is None or key in keys:
                    stats.kept += 1
                    yield key, record
        except UnicodeDecodeError as exc:
            raise InputError(
                Issue(
                    where,
                    reader.line_num + 1,
                    "encoding",
                    f"not {encoding} text ({exc.reason}); give the encoding with --encoding",
                )
            ) from None
        except csv.Error as exc:
            raise InputError(Issue(where, reader.line_num, "csv", str(exc))) from None


def _cell(row: list[str], columns: dict[str, int], resource: str) -> str:
    position = columns.get(resource)
    return row[position].strip() if position is not None and position < len(row) else ""


def _check_width(row: list[str], columns: dict[str, int], where: str, line: int, layout: str) -> None:
    needed = max(columns["corporateNumber"], columns["name"]) + 1
    if len(row) < needed:
        detail = " (the NTA layout has no header row: 法人番号 is column 2, 商号又は名称 column 7)"
        raise InputError(
            Issue(
                where,
                line,
                "row",
                f"{len(row)} columns, expected at least {needed}{detail if layout == 'nta' else ''}",
                as_written=",".join(row)[:80],
            )
        )


def _record(row: list[str], columns: dict[str, int], where: str, line: int) -> NtaRecord | None:
    """The record of one data row; None for a deleted or past-history row."""

    def cell(resource: str) -> str:
        return _cell(row, columns, resource)

    if cell("process") == DELETED or cell("latest") == "0":
        return None
    return NtaRecord(
        number=cell("corporateNumber"),
        name=cell("name"),
        kind=cell("kind"),
        prefecture=cell("prefectureName"),
        city=cell("cityName"),
        street=cell("streetNumber"),
        prefecture_code=cell("prefectureCode"),
        city_code=cell("cityCode"),
        postcode=cell("postCode"),
        update_date=cell("updateDate"),
        close_date=cell("closeDate"),
        line=line,
        source=where,
    )


def nta_row(record: NtaRecord, sequence: int = 1, process: str = "01") -> list[str]:
    """A row in the NTA layout (30 columns) for ``record``: for writing test fixtures."""
    values = {
        "sequenceNumber": str(sequence),
        "corporateNumber": record.number,
        "process": process,
        "correct": "0",
        "updateDate": record.update_date,
        "changeDate": record.update_date,
        "name": record.name,
        "kind": record.kind,
        "prefectureName": record.prefecture,
        "cityName": record.city,
        "streetNumber": record.street,
        "prefectureCode": record.prefecture_code,
        "cityCode": record.city_code,
        "postCode": record.postcode,
        "closeDate": record.close_date,
        "latest": "1",
        "hihyoji": "0",
    }
    return [values.get(resource, "") for resource, _ in NTA_COLUMNS]
