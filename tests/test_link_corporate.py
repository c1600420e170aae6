"""`ketsugo link --corporate-numbers`: the NTA CSV fixture (tests/cases/link/nta-sample.csv, written
by hand in the NTA layout, CP932) against a report of another municipality (report.txt, 武蔵野市).

Expected numbers are those written into the fixture by hand (see tests/cases/link/README.md)."""

from __future__ import annotations

import csv
import io
import shutil
import tracemalloc
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.errors import InputError
from ketsugo.export.link.corporate import LINK_GRAPH, match
from ketsugo.export.link.identifiers import corporate_number_check_digit, is_corporate_number
from ketsugo.export.link.nta import NTA_COLUMNS, NtaRecord, ReadStats, detect_encoding, nta_row, read_nta
from ketsugo.graph.orgnames import organisation_key
from ketsugo.pipeline import run_build
from ketsugo.prefixes import PREFIXES
from ketsugo.read.metadata import metadata_from_options
from ketsugo.store.disk import NQUADS, open_store

from .conftest import CASES

LINK = CASES / "link"
SAMPLE = LINK / "nta-sample.csv"
# the counterparty of connection No.N: one organisation per normalised name (ketsugo.graph.orgnames)
_PARTY_NAMES = {
    1: "株式会社ミドリ情報システム",
    2: "株式会社青葉データサービス",
    3: "株式会社さくらネット",
    4: "株式会社東西システム",
}


class _Parties:
    def format(self, number: int) -> str:
        return "https://w3id.org/ketsugo/id/org/name/" + _PARTY_NAMES[number]


PARTY = _Parties()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("link") / "build"
    run_build([metadata_from_options(LINK / "report.txt", "132039", 2021)], out)
    return out


@pytest.fixture
def build(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    return copy


def _run(*args: str) -> object:
    _register_optional_commands()
    return CliRunner().invoke(cli, list(args))


def _numbers(build: Path) -> dict[str, str]:
    store = open_store(build)
    rows = store.query(
        f"SELECT ?p ?n WHERE {{ GRAPH <{LINK_GRAPH}> {{ ?p kg:corporateNumber ?n }} }}", prefixes=PREFIXES
    )
    return {row["p"].value: row["n"].value for row in rows}


def test_column_layout_is_the_nta_resource_definition() -> None:
    names = [label for _, label in NTA_COLUMNS]
    assert len(names) == 30
    assert names[:9] == [
        "一連番号",
        "法人番号",
        "処理区分",
        "訂正区分",
        "更新年月日",
        "変更年月日",
        "商号又は名称",
        "商号又は名称イメージID",
        "法人種別",
    ]
    assert names[15] == "郵便番号" and names[28] == "フリガナ" and names[29] == "検索対象除外"


def test_check_digit() -> None:
    assert is_corporate_number("6000012070001")  # 厚生労働省, organizations.ttl
    assert is_corporate_number("8011101028104")
    assert not is_corporate_number("1234567890123")
    assert not is_corporate_number("600001207000")
    assert corporate_number_check_digit("000012070001") == 6


def test_fixture_is_shift_jis_without_header() -> None:
    raw = SAMPLE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert detect_encoding(SAMPLE) == "cp932"
    first = next(csv.reader(io.StringIO(raw.decode("cp932"))))
    assert first[1] == "2011001012345" and first[6] == "株式会社ミドリ情報システム"


def test_companies_of_another_municipality_get_numbers_kinds_and_addresses(build: Path) -> None:
    result = _run("link", "--store", str(build), "--corporate-numbers", str(SAMPLE))
    assert result.exit_code == 0, result.output
    numbers = _numbers(build)
    assert numbers == {
        PARTY.format(1): "2011001012345",  # ㈱ミドリ情報システム
        PARTY.format(2): "4011001023456",  # 青葉データサービス株式会社
        PARTY.format(3): "5120001034567",  # （株）さくらネット (the row with a bad check digit skipped)
        # the municipality: the 地方公共団体 of its prefecture, not the 武蔵野市 of 北海道 (made up)
        "https://w3id.org/ketsugo/id/municipality/132039": "8000020132039",
    }
    store = open_store(build)
    kind = store.query(
        f"SELECT ?code ?label ?class ?address WHERE {{ GRAPH <{LINK_GRAPH}> {{ <{PARTY.format(1)}> "
        "ic:組織種別 [ ic:識別値 ?code ; ic:表記 ?label ] ; kg:counterpartyKind ?class ; ic:住所/ic:表記 ?address } }",
        prefixes=PREFIXES,
    )
    rows = [(r["code"].value, r["label"].value, r["class"].value, r["address"].value) for r in kind]
    assert rows == [
        ("301", "株式会社", PREFIXES["kg"] + "PrivateCompany", "東京都武蔵野市吉祥寺本町１丁目１０－１")
    ]
    assert (
        "AMBIGUOUS" in result.output and "8011001045678" in result.output and "9120001056789" in result.output
    )
    assert "6120001034567" in result.stderr  # the bad check digit is warned about


def test_ambiguous_name_is_listed_not_asserted(built: Path) -> None:
    links = match(open_store(built), [SAMPLE])
    assert [a.parties for a in links.ambiguous] == [(PARTY.format(4),)]  # 東西システム株式会社
    assert {r.number for r in links.ambiguous[0].candidates} == {"8011001045678", "9120001056789"}
    assert PARTY.format(4) not in links.assigned


def test_curated_number_is_kept(built: Path) -> None:
    links = match(open_store(built), [SAMPLE])
    ntt_east = "https://w3id.org/ketsugo/id/org/ntt-east"
    assert links.agreements == {ntt_east: "8011101028104"}
    assert ntt_east not in links.assigned


def test_deleted_and_closed_rows(tmp_path: Path) -> None:
    # the deleted row (処理区分 99) of 株式会社ミドリ情報システム is not read, so that name is not ambiguous
    keys = {organisation_key("株式会社ミドリ情報システム")}
    numbers = [r.number for _, r in read_nta(SAMPLE, keys)]
    assert numbers == ["2011001012345"]


def test_disagreement_with_a_curated_number_header_layout(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    # UTF-8, with a header row naming the columns; a made-up number for a curated organisation
    path.write_text(
        "法人番号,商号又は名称,法人種別,国内所在地（都道府県）\n"
        "7011001101234,東日本電信電話株式会社,301,東京都\n",
        encoding="utf-8",
    )
    links = match(open_store(built), [path])
    assert [(d.curated, d.found.number) for d in links.disagreements] == [("8011101028104", "7011001101234")]
    assert links.assigned == {}
    assert links.stats[0].layout == "header" and links.stats[0].encoding == "utf-8-sig"


def test_failed_link_leaves_the_build_unchanged(build: Path, tmp_path: Path) -> None:
    before = (build / NQUADS).read_bytes()
    bad = tmp_path / "short.csv"
    bad.write_text('"1","2011001012345","01"\n', encoding="utf-8")
    result = _run("link", "--store", str(build), "--corporate-numbers", str(bad))
    assert result.exit_code == 2
    assert "short.csv:1" in result.output
    assert (build / NQUADS).read_bytes() == before
    assert _numbers(build) == {}


def test_graph_nq_follows_the_store(build: Path) -> None:
    assert _run("link", "--store", str(build), "--corporate-numbers", str(SAMPLE)).exit_code == 0
    text = (build / NQUADS).read_text(encoding="utf-8")
    assert text.count(f"<{LINK_GRAPH}>") == len(
        list(open_store(build).quads_for_pattern(None, None, None, ox.NamedNode(LINK_GRAPH)))
    )
    # running again replaces the graph instead of adding to it
    assert _run("link", "--store", str(build), "--corporate-numbers", str(SAMPLE)).exit_code == 0
    assert len(_numbers(build)) == 4


def test_bad_encoding_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(SAMPLE.read_bytes())
    with pytest.raises(InputError) as caught:
        list(read_nta(path, set(), encoding="utf-8"))
    assert "bad.csv" in str(caught.value) and "encoding" in str(caught.value)


def test_streams_in_bounded_memory(tmp_path: Path) -> None:
    """24,000 rows (4 MB): peak Python memory stays far below the file's size (only matches are kept).

    The file is three times the bound, so a reader that held it, or its rows, would fail; more
    rows would only make tracemalloc's bookkeeping slower (the reader's own peak is about 0.2 MB,
    whatever the file's size)."""
    path = tmp_path / "big.csv"
    template = nta_row(
        NtaRecord("{number}", "株式会社テスト商事{i}", "301", "東京都", "千代田区", "丸の内{i}", "13", "101")
    )
    line = ",".join(f'"{cell}"' for cell in template) + "\r\n"
    filler = "6000012070001"  # any valid number: the rows that do not match are not looked at closely
    with path.open("w", encoding="cp932", newline="") as out:
        for i in range(24_000):
            number = f"{corporate_number_check_digit(f'{i:012d}')}{i:012d}" if i in (77, 23_999) else filler
            out.write(line.format(number=number, i=i))
    size = path.stat().st_size
    keys = {organisation_key("株式会社テスト商事77"), organisation_key("(株)テスト商事23999")}
    stats = ReadStats(path)
    tracemalloc.start()
    try:
        found = [r.number for _, r in read_nta(path, keys, stats=stats)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.rows == 24_000 and len(found) == 2
    assert size > 3_900_000
    assert peak < 1_300_000, peak  # about a megabyte at most, whatever the file's size


def test_nothing_to_do_is_an_input_error(build: Path) -> None:
    result = _run("link", "--store", str(build))
    assert result.exit_code == 2
    assert "--corporate-numbers" in result.output


def test_store_held_by_another_writer_is_an_input_error(build: Path) -> None:
    holder = ox.Store(str(build / "store"))  # as `ketsugo serve` would hold it
    try:
        result = _run("link", "--store", str(build), "--corporate-numbers", str(SAMPLE))
    finally:
        del holder
    assert result.exit_code == 2
    assert "ketsugo serve" in result.output
    assert _numbers(build) == {}
