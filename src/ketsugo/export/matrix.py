"""The category × municipality matrix: how many connections of each municipality carry each data category.

The question a national researcher asks first when comparing municipalities: which kinds of
personal data leave which town, and how often. The counting is done by SPARQL on the store (the
catalogue query ``category-municipality-counts``: one row per municipality, fiscal year and
category), so memory holds that small table, never the quads, at any corpus size; each
municipality's number of connections comes from ``my-number-share-by-municipality`` (a
connection carries several categories, so the column totals cannot be summed from the cells).

This module pivots the table, sorts it (most common categories first; municipalities by code or
by total), and writes it for spreadsheets (CSV with one column per municipality, JSON) and as a
heat map (SVG; PNG is the same SVG rendered by resvg, as for the overview). A picture with more
municipalities than fit is drawn by prefecture, and with more categories than fit keeps the most
common ones, each time with a note saying so; the CSV and JSON always hold every cell.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ketsugo.paths import QUERIES_DIR
from ketsugo.sparql.catalogue import get
from ketsugo.sparql.query import LocalBackend, QueryError, RemoteBackend, run_catalogue_query

COUNTS_QUERY = "category-municipality-counts"
TOTALS_QUERY = "my-number-share-by-municipality"
FLAGS_QUERY = "matrix-category-flags"  # under queries/export/
EXPORT_QUERIES = QUERIES_DIR / "export"

MAX_CATEGORIES = 40  # rows of the picture (the CSV and JSON hold them all)
MAX_COLUMNS = 60  # municipalities of the picture; more are drawn by prefecture
COUNTED = (
    "結合の数（項目がその区分を含む外部結合）",
    "connections whose data items include the category",
)
PERCENT = (
    "自治体の結合のうち、その区分を含むものの割合（%）",
    "share of the municipality's connections whose items include the category (%)",
)
Backend = LocalBackend | RemoteBackend


@dataclass(frozen=True)
class Column:
    """A municipality (or a prefecture: the sum of its municipalities) of the matrix."""

    code: str
    label: str
    connections: int  # all its connections, whatever their categories
    members: int = 1  # municipalities summed into it (a prefecture's column)

    @property
    def heading(self) -> str:
        return f"{self.label} ({self.code})"


@dataclass(frozen=True)
class Category:
    iri: str
    ja: str
    en: str
    strict: bool = False  # 要配慮個人情報 or My Number
    sensitive: bool = False  # any sensitivity flag

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        return f"{self.ja} {self.en}".strip() if self.ja != self.en else self.ja


@dataclass
class Matrix:
    """Counts of connections per category (rows) and municipality (columns)."""

    categories: list[Category]
    columns: list[Column]
    counts: list[list[int]]  # [category][column]
    fiscal_years: list[int]
    by: str = "municipality"  # or "prefecture"
    notes: list[str] = field(default_factory=list)
    hidden_categories: int = 0  # rows left out of a capped picture
    hidden_columns: int = 0

    def total(self, row: int) -> int:
        return sum(self.counts[row])

    def value(self, row: int, column: int, percent: bool) -> float:
        count = self.counts[row][column]
        if not percent:
            return count
        connections = self.columns[column].connections
        return round(100 * count / connections, 1) if connections else 0.0


# ---------------------------------------------------------------------------------- reading


def load_matrix(backend: Backend, fiscal_year: int | None = None) -> Matrix:
    """The matrix of a store, rows by total (most first, ties by IRI), columns by code."""
    given = {"fiscal_year": str(fiscal_year)} if fiscal_year is not None else {}
    rows = run_catalogue_query(backend, get(COUNTS_QUERY), given).records()
    reports = run_catalogue_query(backend, get(TOTALS_QUERY)).records()
    years = sorted({int(r["fiscal_year"]) for r in reports})
    if fiscal_year is not None and fiscal_year not in years:
        listed = ", ".join(map(str, years)) or "none"
        raise QueryError(f"no report of fiscal year {fiscal_year} in this build (fiscal years: {listed})")
    if fiscal_year is not None:
        reports = [r for r in reports if r["fiscal_year"] == fiscal_year]
        years = [fiscal_year]
    flags = {
        r["category"]: r for r in run_catalogue_query(backend, get(FLAGS_QUERY, EXPORT_QUERIES)).records()
    }
    return _pivot(rows, reports, flags, years)


def _pivot(
    rows: list[dict[str, Any]],
    reports: list[dict[str, Any]],
    flags: dict[str, dict[str, Any]],
    years: list[int],
) -> Matrix:
    connections: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    for report in reports:
        code = _code(report)
        connections[code] += int(report["connections"])
        labels[code] = str(report["municipality"])
    cells: dict[tuple[str, str], int] = defaultdict(int)
    categories: dict[str, Category] = {}
    for row in rows:
        code, iri = _code(row), str(row["category"])
        cells[(iri, code)] += int(row["connections"])  # the years of one municipality add up
        labels.setdefault(code, str(row["municipality"]))
        if iri not in categories:
            flag = flags.get(iri, {})
            ja = str(row.get("category_label") or row.get("category_en") or iri.rsplit("/", 1)[-1])
            categories[iri] = Category(
                iri,
                ja,
                str(row.get("category_en") or ja),
                strict=bool(flag.get("strict")),
                sensitive=bool(flag.get("sensitive")),
            )
    columns = [Column(code, labels[code], connections.get(code, 0)) for code in sorted(labels)]
    order = {c.code: i for i, c in enumerate(columns)}
    counts = [[0] * len(columns) for _ in categories]
    index = {iri: i for i, iri in enumerate(categories)}
    for (iri, code), count in cells.items():
        counts[index[iri]][order[code]] = count
    matrix = Matrix(list(categories.values()), columns, counts, years)
    return _sort_rows(matrix)


def _code(row: dict[str, Any]) -> str:
    """The local government code; a municipality without one is keyed by its name."""
    return str(row.get("code") or row["municipality"])


def _sort_rows(matrix: Matrix) -> Matrix:
    order = sorted(range(len(matrix.categories)), key=lambda i: (-matrix.total(i), matrix.categories[i].iri))
    return replace(
        matrix,
        categories=[matrix.categories[i] for i in order],
        counts=[matrix.counts[i] for i in order],
    )


def sort_columns(matrix: Matrix, key: str = "code") -> Matrix:
    """Columns by local government code, or by number of connections (most first)."""
    if key not in ("code", "total"):
        raise ValueError(f"columns sort by code or total, not {key!r}")
    n = len(matrix.columns)
    if key == "code":
        order = sorted(range(n), key=lambda j: matrix.columns[j].code)
    else:
        order = sorted(range(n), key=lambda j: (-matrix.columns[j].connections, matrix.columns[j].code))
    return _reorder_columns(matrix, order)


def _reorder_columns(matrix: Matrix, order: list[int]) -> Matrix:
    return replace(
        matrix,
        columns=[matrix.columns[j] for j in order],
        counts=[[row[j] for j in order] for row in matrix.counts],
    )


def by_prefecture(matrix: Matrix) -> Matrix:
    """One column per prefecture (the first two digits of the code), summing its municipalities."""
    from ketsugo.read.metadata import municipality

    if matrix.by == "prefecture":
        return matrix
    groups: dict[str, list[int]] = defaultdict(list)
    names: dict[str, str] = {}
    for j, column in enumerate(matrix.columns):
        key = column.code[:2] if column.code[:2].isdigit() else "?"
        groups[key].append(j)
        if key not in names:
            try:
                names[key] = municipality(column.code).prefecture or key
            except KeyError:
                names[key] = "不明 unknown"
    keys = sorted(groups)
    columns = [
        Column(
            key,
            names[key],
            sum(matrix.columns[j].connections for j in groups[key]),
            sum(matrix.columns[j].members for j in groups[key]),
        )
        for key in keys
    ]
    counts = [[sum(row[j] for j in groups[key]) for key in keys] for row in matrix.counts]
    return replace(matrix, columns=columns, counts=counts, by="prefecture")


def capped(matrix: Matrix, max_categories: int = MAX_CATEGORIES, max_columns: int = MAX_COLUMNS) -> Matrix:
    """What fits a picture: by prefecture beyond ``max_columns`` municipalities (then the
    prefectures with most connections), the ``max_categories`` most common categories; a note each."""
    notes = list(matrix.notes)
    if len(matrix.columns) > max_columns and matrix.by == "municipality":
        notes.append(
            f"{len(matrix.columns)} 自治体は多すぎるため都道府県ごとに合計 "
            f"({len(matrix.columns)} municipalities: summed by prefecture; CSV/JSON: every municipality)"
        )
        matrix = by_prefecture(matrix)
    hidden_columns = 0
    if len(matrix.columns) > max_columns:
        keep = sorted(
            sorted(range(len(matrix.columns)), key=lambda j: -matrix.columns[j].connections)[:max_columns]
        )
        hidden_columns = len(matrix.columns) - len(keep)
        notes.append(
            f"結合の多い {len(keep)} 列のみ表示、{hidden_columns} 列省略 "
            f"(the {len(keep)} columns with most connections; {hidden_columns} more in CSV/JSON)"
        )
        matrix = _reorder_columns(matrix, keep)
    hidden = max(0, len(matrix.categories) - max_categories)
    if hidden:
        notes.append(
            f"上位 {max_categories} 区分のみ表示、{hidden} 区分省略 "
            f"(the {max_categories} most common categories; {hidden} more in CSV/JSON)"
        )
        matrix = replace(
            matrix, categories=matrix.categories[:max_categories], counts=matrix.counts[:max_categories]
        )
    return replace(matrix, notes=notes, hidden_categories=hidden, hidden_columns=hidden_columns)


# ---------------------------------------------------------------------------------- writing


def title(matrix: Matrix, percent: bool = False) -> str:
    """What the picture and the JSON say they count, with the fiscal years covered."""
    what = "割合" if percent else "結合数"
    unit = "share of connections" if percent else "connections"
    where = "都道府県" if matrix.by == "prefecture" else "自治体"
    where_en = "prefecture" if matrix.by == "prefecture" else "municipality"
    return f"項目区分 × {where}の{what} — {unit} per data category and {where_en}{_years(matrix)}"


def _years(matrix: Matrix) -> str:
    years = matrix.fiscal_years
    if not years:
        return ""
    if len(years) == 1:
        return f" (FY{years[0]})"
    return f" (FY{years[0]}–{years[-1]})"


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def to_csv(matrix: Matrix, *, percent: bool = False, bom: bool = False) -> str:
    """Header: category, its ja and en labels, the row total, then one column per municipality
    ("市川市 (122033)"); a last row with each municipality's number of connections."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["category", "category_ja", "category_en", "total", *(c.heading for c in matrix.columns)])
    for i, category in enumerate(matrix.categories):
        cells = [_format(matrix.value(i, j, percent)) for j in range(len(matrix.columns))]
        total = matrix.total(i)
        writer.writerow([category.slug, category.ja, category.en, total, *cells])
    all_connections = sum(c.connections for c in matrix.columns)
    writer.writerow(
        [
            "(connections)",
            "結合の総数",
            "all connections",
            all_connections,
            *(c.connections for c in matrix.columns),
        ]
    )
    return buffer.getvalue()


def to_json(matrix: Matrix, *, percent: bool = False) -> str:
    data = {
        "title": title(matrix, percent),
        "counted": COUNTED[1],
        "value": "percent" if percent else "count",
        "by": matrix.by,
        "fiscal_years": matrix.fiscal_years,
        "columns": [
            {"code": c.code, "label": c.label, "connections": c.connections}
            | ({"municipalities": c.members} if matrix.by == "prefecture" else {})
            for c in matrix.columns
        ],
        "categories": [
            {
                "category": c.iri,
                "slug": c.slug,
                "ja": c.ja,
                "en": c.en,
                "sensitive": c.sensitive,
                "total": matrix.total(i),
                "values": [matrix.value(i, j, percent) for j in range(len(matrix.columns))],
            }
            for i, c in enumerate(matrix.categories)
        ],
        "notes": matrix.notes,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------- the heat map

FONT = "IPAGothic, Noto Sans CJK JP, Hiragino Sans, sans-serif"
CELL_W, CELL_H, MARGIN, LABEL_MAX, HEADING_MAX = 46, 22, 24, 330, 190
# ColorBrewer "Blues" (sequential, readable in greyscale); 0 is drawn apart, in light grey
SCALE = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
ZERO = "#f3f4f6"


def colour(value: float, top: float) -> str:
    """The cell colour of ``value`` on a linear scale from 0 to ``top``."""
    if value <= 0 or top <= 0:
        return ZERO
    share = min(1.0, value / top)
    return SCALE[min(len(SCALE) - 1, int(share * len(SCALE) - 1e-9))]


def to_svg(matrix: Matrix, *, percent: bool = False) -> str:
    """The heat map: categories down, municipalities across, the number in each cell, with a
    title saying what is counted, a legend with the scale, row and column totals and notes."""
    from ketsugo.export.visual import FLAGGED, SENSITIVE, fit, text_width

    columns, categories = matrix.columns, matrix.categories
    values = [[matrix.value(i, j, percent) for j in range(len(columns))] for i in range(len(categories))]
    top = 100.0 if percent else float(max((v for row in values for v in row), default=0))
    label_width = min(LABEL_MAX, max((text_width(c.label, 12) for c in categories), default=120) + 24)
    headings = [fit(f"{c.label} {c.code}", HEADING_MAX, 12) for c in columns]
    heading_height = min(HEADING_MAX, max((text_width(h, 12) for h in headings), default=40)) * 0.82 + 16
    top_y = MARGIN + 30 + 20 * (2 + len(matrix.notes)) + 56 + heading_height
    left = MARGIN + label_width
    grid_right = left + CELL_W * (len(columns) + 1)  # the last column: the row total
    what = PERCENT if percent else COUNTED
    lines = [
        f"数えるもの: {what[0]} — counted: {what[1]}",
        "1 件の結合は、その項目が直接含む区分ごとに 1 回数える — a connection counts once in each category its items name",
        *matrix.notes,
    ]
    legend, legend_right = _legend(
        MARGIN, MARGIN + 30 + 20 * len(lines) + 6, top, percent, SENSITIVE, FLAGGED
    )
    text_right = max(
        [
            MARGIN + text_width(title(matrix, percent), 18),
            legend_right,
            *(MARGIN + text_width(s, 12) for s in lines),
        ]
    )
    width = int(max(grid_right, text_right) + MARGIN)
    height = int(top_y + CELL_H * (len(categories) + 1) + 24 + MARGIN)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 8}" font-size="18" font-weight="bold">{html.escape(title(matrix, percent))}</text>',
    ]
    y = MARGIN + 30
    for line in lines:
        out.append(f'<text x="{MARGIN}" y="{y}" fill="#374151">{html.escape(line)}</text>')
        y += 20
    out += legend
    # column headings, slanted, ending above their column
    for j, heading in enumerate([*headings, "結合数 計 count" if percent else "計 total"]):
        x = left + CELL_W * j + CELL_W / 2
        out.append(
            f'<text transform="translate({x + 4:.1f},{top_y - 6:.1f}) rotate(-55)" '
            f'font-weight="{"bold" if j == len(columns) else "normal"}">{html.escape(heading)}</text>'
        )
    for i, category in enumerate(categories):
        row_y = top_y + CELL_H * i
        mark = SENSITIVE if category.strict else FLAGGED if category.sensitive else None
        if mark:
            out.append(f'<rect x="{MARGIN}" y="{row_y + 5}" width="6" height="{CELL_H - 10}" fill="{mark}"/>')
        out.append(
            f'<text x="{MARGIN + 12}" y="{row_y + CELL_H / 2 + 4:.1f}">'
            f"{html.escape(fit(category.label, label_width - 20, 12))}</text>"
        )
        for j, column in enumerate(columns):
            value = values[i][j]
            fill = colour(value, top)
            ink = "white" if fill in SCALE[4:] else "#111827"
            tip = (
                f"{column.heading} × {category.ja}: {_format(value)}{'%' if percent else ' 結合 connections'}"
            )
            shown = _format(value) if value else ""
            out.append(
                f"<g><title>{html.escape(tip)}</title>"
                f'<rect x="{left + CELL_W * j}" y="{row_y}" width="{CELL_W - 1}" height="{CELL_H - 1}" fill="{fill}"/>'
                f'<text x="{left + CELL_W * j + CELL_W / 2:.1f}" y="{row_y + CELL_H / 2 + 4:.1f}" '
                f'text-anchor="middle" fill="{ink}">{shown}</text></g>'
            )
        out.append(
            f'<text x="{left + CELL_W * len(columns) + CELL_W / 2:.1f}" y="{row_y + CELL_H / 2 + 4:.1f}" '
            f'text-anchor="middle" font-weight="bold">{matrix.total(i)}</text>'
        )
    # the last row: each column's number of connections (not a sum of the cells above)
    row_y = top_y + CELL_H * len(categories)
    out.append(
        f'<line x1="{MARGIN}" y1="{row_y + 1}" x2="{grid_right}" y2="{row_y + 1}" stroke="#9ca3af"/>'
        f'<text x="{MARGIN + 12}" y="{row_y + CELL_H / 2 + 5:.1f}" font-weight="bold">結合の総数 all connections</text>'
    )
    for j, count in enumerate([*(c.connections for c in columns), sum(c.connections for c in columns)]):
        out.append(
            f'<text x="{left + CELL_W * j + CELL_W / 2:.1f}" y="{row_y + CELL_H / 2 + 5:.1f}" '
            f'text-anchor="middle" font-weight="bold">{count}</text>'
        )
    if not categories:
        out.append(f'<text x="{MARGIN}" y="{top_y + 16}">結合がない — no connections</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend(
    x: float, y: float, top: float, percent: bool, strict: str, flagged: str
) -> tuple[list[str], float]:
    """The colour scale (0 apart, then the steps up to ``top``) and the row marks; and where it ends."""
    from ketsugo.export.visual import text_width

    out = [f'<text x="{x}" y="{y + 10}">{"割合 % share" if percent else "結合数 connections"}:</text>']
    x += text_width("結合数 connections:", 12) + 8
    out.append(f'<rect x="{x}" y="{y}" width="28" height="12" fill="{ZERO}" stroke="#d1d5db"/>')
    out.append(f'<text x="{x + 14}" y="{y + 26}" text-anchor="middle" font-size="10">0</text>')
    x += 40
    for k, fill in enumerate(SCALE):
        out.append(f'<rect x="{x + 28 * k}" y="{y}" width="28" height="12" fill="{fill}"/>')
    for k, tick in (
        (0, ">0"),
        (len(SCALE) // 2, _format(round(top / 2, 1) if percent else round(top / 2))),
        (len(SCALE), _format(top)),
    ):
        out.append(f'<text x="{x + 28 * k}" y="{y + 26}" text-anchor="middle" font-size="10">{tick}</text>')
    x += 28 * len(SCALE) + 30
    for fill, text in (
        (strict, "要配慮個人情報・マイナンバー special care / My Number"),
        (flagged, "その他の機微な情報 other sensitive"),
    ):
        out.append(f'<rect x="{x}" y="{y}" width="6" height="12" fill="{fill}"/>')
        out.append(f'<text x="{x + 12}" y="{y + 10}">{html.escape(text)}</text>')
        x += 12 + text_width(text, 12) + 24
    return out, x


def to_png(svg: str) -> bytes:
    """The SVG rendered to PNG, as the overview is (resvg, no browser)."""
    from ketsugo.export.overview import overview_png

    return overview_png(svg)
