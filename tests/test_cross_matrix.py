"""`ketsugo export matrix`: the category × municipality matrix against hand-read counts.

The numbers come from tests/cases/cross/expected.toml (read by hand from the four reports there
before ketsugo ran on them) and, for the bundled report, from the hand-worked
tests/golden/categories-by-connection.md. The heat map is checked as a document: it parses,
names every municipality and category, and each cell's number and tooltip agree with the counts.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ketsugo.export import matrix as heat
from ketsugo.sparql.query import LocalBackend, QueryError

SVG = "{http://www.w3.org/2000/svg}"


def invoke(*args: str) -> Result:
    import ketsugo.cli.main
    from ketsugo.cli.main import cli

    ketsugo.cli.main._register_optional_commands()
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def table(cross_backend: LocalBackend) -> heat.Matrix:
    return heat.load_matrix(cross_backend)


def test_the_matrix_holds_the_hand_read_counts(table: heat.Matrix, cross_expected: dict[str, Any]) -> None:
    want = cross_expected["matrix"]
    assert [c.code for c in table.columns] == want["municipalities"]
    assert [c.label for c in table.columns] == want["municipality_labels"]
    assert [c.slug for c in table.categories] == want["categories"]  # most common first, ties by IRI
    assert table.counts == want["counts"]
    assert [table.total(i) for i in range(len(table.categories))] == want["totals"]
    assert [c.connections for c in table.columns] == want["municipality_totals"]
    assert table.fiscal_years == [2021, 2022]


def test_one_fiscal_year(cross_backend: LocalBackend, cross_expected: dict[str, Any]) -> None:
    want = cross_expected["matrix_2021"]
    table = heat.load_matrix(cross_backend, 2021)
    assert [c.code for c in table.columns] == want["municipalities"]
    assert {c.slug: row for c, row in zip(table.categories, table.counts, strict=True)} == want["rows"]
    assert table.fiscal_years == [2021]


def test_a_fiscal_year_the_build_does_not_hold_is_an_input_error(cross_backend: LocalBackend) -> None:
    with pytest.raises(QueryError, match=r"no report of fiscal year 2019 .*2021, 2022"):
        heat.load_matrix(cross_backend, 2019)


def test_shares_of_each_municipalitys_connections(table: heat.Matrix, cross_expected: dict[str, Any]) -> None:
    want = cross_expected["matrix"]
    for i, row in enumerate(want["counts"]):
        for j, count in enumerate(row):
            assert table.value(i, j, percent=True) == round(100 * count / want["municipality_totals"][j], 1)
    assert table.value(1, 0, percent=True) == 66.7  # 生年月日 in 4 of 市川市's 6 connections


def test_columns_by_total(cross_backend: LocalBackend) -> None:
    table = heat.sort_columns(heat.load_matrix(cross_backend, 2021), "total")
    # FY2021: 高松市 5 connections, 市川市 4
    assert [c.code for c in table.columns] == ["372013", "122033"]
    assert table.counts[0] == [5, 4]  # 氏名 follows its column


def test_by_prefecture_sums_the_municipalities_of_one_prefecture() -> None:
    table = heat.Matrix(
        categories=[
            heat.Category("kgc/name", "氏名", "Name"),
            heat.Category("kgc/dob", "生年月日", "Date of birth"),
        ],
        columns=[
            heat.Column("122033", "市川市", 6),
            heat.Column("122041", "船橋市", 3),
            heat.Column("202029", "松本市", 5),
        ],
        counts=[[6, 3, 5], [4, 0, 3]],
        fiscal_years=[2021],
    )
    prefectures = heat.by_prefecture(table)
    assert [(c.code, c.label, c.connections, c.members) for c in prefectures.columns] == [
        ("12", "千葉県", 9, 2),
        ("20", "長野県", 5, 1),
    ]
    assert prefectures.counts == [[9, 5], [4, 3]]
    assert prefectures.value(1, 0, percent=True) == round(100 * 4 / 9, 1)


def test_a_large_matrix_is_capped_for_the_picture_with_notes() -> None:
    from ketsugo.read.metadata import _municipalities

    towns = [m for m in _municipalities().values() if m.kind != "prefecture"][:400]
    categories = [heat.Category(f"kgc/c{i:02d}", f"区分{i}", f"category {i}") for i in range(90)]
    counts = [[(i + j) % 5 for j in range(len(towns))] for i in range(len(categories))]
    big = heat.Matrix(categories, [heat.Column(m.code, m.name, 10) for m in towns], counts, [2021])
    shown = heat.capped(big, max_categories=40, max_columns=60)
    assert shown.by == "prefecture" and len(shown.columns) <= 47
    assert sum(c.members for c in shown.columns) == 400
    assert len(shown.categories) == 40 and shown.hidden_categories == 50
    assert any("400 municipalities" in n for n in shown.notes)
    assert any("50 more" in n for n in shown.notes)
    svg = heat.to_svg(shown)
    root = ET.fromstring(svg)
    assert float(root.get("width", "0")) < 4000 and float(root.get("height", "0")) < 2000
    texts = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    assert "50 more in CSV/JSON" in texts and "summed by prefecture" in texts
    # fewer columns allowed than prefectures: the ones with most connections, with a note
    narrow = heat.capped(big, max_categories=5, max_columns=3)
    assert len(narrow.columns) == 3 and narrow.hidden_columns > 0


def test_csv_for_spreadsheets(table: heat.Matrix, cross_expected: dict[str, Any]) -> None:
    want = cross_expected["matrix"]
    rows = list(csv.reader(io.StringIO(heat.to_csv(table))))
    assert rows[0] == [
        "category",
        "category_ja",
        "category_en",
        "total",
        "市川市 (122033)",
        "松本市 (202029)",
        "高松市 (372013)",
    ]
    body = {r[0]: r for r in rows[1:-1]}
    assert list(body) == want["categories"]
    assert body["date-of-birth"][1:] == ["生年月日", "Date of birth", "10", "4", "3", "3"]
    assert body["bank-account"][4:] == ["0", "1", "0"]
    assert rows[-1][0] == "(connections)" and rows[-1][3:] == ["16", "6", "5", "5"]
    assert heat.to_csv(table, bom=True).startswith("\ufeffcategory,")


def test_json(table: heat.Matrix, cross_expected: dict[str, Any]) -> None:
    data = json.loads(heat.to_json(table))
    assert [c["code"] for c in data["columns"]] == cross_expected["matrix"]["municipalities"]
    assert [c["values"] for c in data["categories"]] == cross_expected["matrix"]["counts"]
    assert data["value"] == "count" and "connections" in data["counted"]
    shares = json.loads(heat.to_json(table, percent=True))
    assert shares["categories"][1]["values"] == [66.7, 60.0, 60.0]


def _cells(root: ET.Element) -> dict[str, str]:
    """Each cell's tooltip → the number written in it."""
    cells = {}
    for group in root.iter(SVG + "g"):
        tip, text = group.find(SVG + "title"), group.find(SVG + "text")
        if tip is not None and text is not None:
            cells[tip.text or ""] = text.text or ""
    return cells


def test_the_heat_map_parses_and_holds_labels_and_values(
    table: heat.Matrix,
    cross_expected: dict[str, Any],
) -> None:
    root = ET.fromstring(heat.to_svg(heat.capped(table)))
    assert root.tag == SVG + "svg"
    texts = [t.text or "" for t in root.iter(SVG + "text")]
    joined = " ".join(texts)
    assert "項目区分 × 自治体の結合数" in texts[0] and "FY2021–2022" in texts[0]  # what is counted
    for heading in ("市川市 122033", "松本市 202029", "高松市 372013"):
        assert heading in texts
    for label in ("氏名 Name", "生年月日 Date of birth", "個人番号 Individual Number (My Number)"):
        assert label in texts
    assert "結合数 connections:" in texts and ">0" in texts  # the legend and its scale
    assert "結合の総数 all connections" in joined
    cells = _cells(root)
    want = cross_expected["matrix"]
    labels = dict(zip(want["categories"], ("氏名", "生年月日", "住所", "個人番号"), strict=False))
    for i, slug in enumerate(want["categories"][:4]):
        for j, code in enumerate(want["municipalities"]):
            name = want["municipality_labels"][j]
            count = want["counts"][i][j]
            tip = f"{name} ({code}) × {labels[slug]}: {count} 結合 connections"
            assert cells[tip] == str(count)
    # an empty cell shows no number: 松本市 has no 性別
    assert cells["松本市 (202029) × 性別: 0 結合 connections"] == ""


def test_sensitive_rows_are_marked(table: heat.Matrix) -> None:
    from ketsugo.export.visual import FLAGGED, SENSITIVE

    assert [c.slug for c in table.categories if c.strict] == ["my-number"]
    assert {c.slug for c in table.categories if c.sensitive} == {"my-number", "bank-account"}
    svg = heat.to_svg(table)
    assert f'fill="{SENSITIVE}"' in svg and f'fill="{FLAGGED}"' in svg


def test_the_bundled_report_as_one_column(bundled_build: Path) -> None:
    """新宿区 FY2020: 22 connections; name in 16, date of birth in 9, My Number in 2 (hand-counted
    in tests/golden/categories-by-connection.md)."""
    from ketsugo.store.disk import open_store

    table = heat.load_matrix(LocalBackend(open_store(bundled_build)))
    assert [(c.code, c.label, c.connections) for c in table.columns] == [("131041", "新宿区", 22)]
    counts = {c.slug: row[0] for c, row in zip(table.categories, table.counts, strict=True)}
    assert (counts["name"], counts["date-of-birth"], counts["my-number"]) == (16, 9, 2)
    assert table.categories[0].slug == "name"
    assert sum(counts.values()) == 184  # (connection, category) pairs


# ------------------------------------------------------------------------------------- the CLI


def test_cli_writes_every_format(cross_build: Path, tmp_path: Path) -> None:
    result = invoke("export", "matrix", "--store", str(cross_build))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2] == "date-of-birth,生年月日,Date of birth,10,4,3,3"
    result = invoke("export", "matrix", "--store", str(cross_build), "--format", "json", "--value", "percent")
    assert result.exit_code == 0 and json.loads(result.output)["value"] == "percent"
    svg = tmp_path / "m.svg"
    result = invoke("export", "matrix", "--store", str(cross_build), "--format", "svg", "-o", str(svg))
    assert result.exit_code == 0 and ET.parse(svg).getroot().tag == SVG + "svg"
    png = tmp_path / "m.png"
    result = invoke("export", "matrix", "--store", str(cross_build), "--format", "png", "-o", str(png))
    assert result.exit_code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = invoke(
        "export",
        "matrix",
        "--store",
        str(cross_build),
        "--by",
        "prefecture",
        "--fiscal-year",
        "2021",
        "--sort",
        "total",
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[0].endswith("total,香川県 (37),千葉県 (12)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fiscal-year", "1999"], "no report of fiscal year 1999"),
        (["--format", "xlsx"], "xlsx"),
        (["--max-categories", "0"], "max-categories"),
    ],
)
def test_cli_refuses_bad_input_with_exit_2(cross_build: Path, args: list[str], message: str) -> None:
    result = invoke("export", "matrix", "--store", str(cross_build), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_without_a_build_is_an_input_error(tmp_path: Path) -> None:
    result = invoke("export", "matrix", "--store", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "nothing" in result.output


def test_the_error_is_told_in_japanese(cross_build: Path) -> None:
    result = invoke("--lang", "ja", "export", "matrix", "--store", str(cross_build), "--fiscal-year", "1999")
    assert result.exit_code == 2
    assert "1999 年度の報告書はない" in result.output


def test_a_png_goes_through_the_same_safe_writing_as_text(cross_build: Path, tmp_path: Path) -> None:
    """A picture is written like any export: through a temporary file (the same bytes, mode as the
    umask says), and a named pipe nobody reads is refused at once (it used to wait forever)."""
    import os
    import threading

    png = tmp_path / "m.png"
    png.write_bytes(b"an older picture")
    result = invoke("export", "matrix", "--store", str(cross_build), "--format", "png", "-o", str(png))
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.png"]  # no temporary file left beside it
    fifo = tmp_path / "nobody-reads"
    os.mkfifo(fifo)
    outcome: list[Result] = []
    worker = threading.Thread(
        target=lambda: outcome.append(
            invoke("export", "matrix", "--store", str(cross_build), "--format", "png", "-o", str(fifo))
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # free the writer so the test process can end
        with open(fifo, "rb") as reader:
            reader.read()
        pytest.fail("writing a picture to a named pipe nobody reads did not return")
    assert outcome[0].exit_code == 2 and "named pipe" in outcome[0].output
