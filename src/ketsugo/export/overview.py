"""A static overview for print and slides: departments → data categories → recipients.

A Sankey-style drawing from the flow graph (ketsugo.export.visual): one unit of flow is a connection
carrying a category to a recipient, so a band's width counts connections. Bands of sensitive
categories are red (要配慮個人情報, My Number) or orange (financial, welfare, authentication),
with a legend. Unnamed recipients are grouped by kind with a count ("LGWAN-ASPサービス提供者 ×7"):
on a slide the number of such vendors matters more than which connection each one serves.
Labels sit inside their boxes and bands run only in the gaps between columns. A counterparty the
municipality receives data from (提供・受領の別: 受領) is marked "← 受領" ("↔ 提供・受領" both ways),
and the column is then titled "counterparty", with a line saying what the marks mean.

SVG is written directly; PNG is the same SVG rendered by resvg (the `resvg-py` wheel: no
system libraries, no browser), with the system's fonts for the Japanese text.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ketsugo.export import directions
from ketsugo.export.visual import (
    COLOURS,
    FLAGGED,
    SENSITIVE,
    fit,
    layer_titles,
    legend,
    text_width,
)

WIDTH, MARGIN, HEADER, BOX_WIDTH, PAD, MIN_BOX = 1280, 24, 96, 250, 5, 17
MAX_CATEGORIES = 26
FONT = "IPAGothic, Noto Sans CJK JP, Hiragino Sans, sans-serif"
COLUMNS = ("department", "category", "recipient")
Flow = tuple[str, str, str]  # (department, category, recipient key)
TITLES = {
    "department": "課 department",
    "category": "項目区分 data category",
    "recipient": "相手方 recipient",
}


@dataclass
class Box:
    key: str
    label: str
    column: int
    value: int = 0
    colour: str = "#6b7280"
    y: float = 0.0
    height: float = 0.0


def flows(graph: nx.DiGraph[str]) -> Counter[Flow]:
    """(department, category, recipient) → number of connections; unnamed recipients by kind."""
    nodes = graph.nodes
    out: Counter[Flow] = Counter()
    for conn, data in nodes(data=True):
        if data["kind"] != "connection":
            continue
        succ = list(graph.successors(conn))
        depts = [d for d in graph.predecessors(conn) if nodes[d]["kind"] == "department"]
        cats = [c for c in succ if nodes[c]["kind"] == "category"]
        recips = [_recipient_key(nodes[r], r) for r in succ if nodes[r]["kind"] == "recipient"]
        for dept in depts:
            for cat in cats:
                for recip in recips or ["(none)"]:
                    out[(dept, cat, recip)] += 1
    return out


def _recipient_key(data: dict[str, Any], node: str) -> str:
    """Unnamed parties grouped by kind, and by direction: a data source is never counted a recipient."""
    if not data.get("unnamed"):
        return node
    way = f":{data['direction']}" if data.get("direction") else ""
    return f"unnamed:{data.get('party_kind', 'Unnamed')}{way}"


def _boxes(graph: nx.DiGraph[str], units: Counter[Flow]) -> dict[str, Box]:
    nodes = graph.nodes
    boxes: dict[str, Box] = {}
    unnamed = defaultdict(set)
    for node, data in nodes(data=True):
        if data["kind"] == "recipient" and data.get("unnamed"):
            unnamed[_recipient_key(data, node)].add(node)
    for (dept, cat, recip), count in units.items():
        for column, key in enumerate((dept, cat, recip)):
            if key not in boxes:
                boxes[key] = _box(graph, key, column, unnamed)
            boxes[key].value += count
    return boxes


def _box(graph: nx.DiGraph[str], key: str, column: int, unnamed: dict[str, set[str]]) -> Box:
    if key in unnamed:
        first = graph.nodes[next(iter(unnamed[key]))]
        label = f"{first.get('party_kind_label') or first.get('label_as_written', '名称不記載')} ×{len(unnamed[key])}"
        return Box(key, _way(first) + label, column, colour=COLOURS["recipient"])
    if key.startswith("other:") or key == "(none)":
        return Box(key, key.split(":", 1)[-1], column)
    data = graph.nodes[key]
    colour = COLOURS[data["kind"]]
    if data["kind"] == "category" and data.get("sensitive"):
        colour = SENSITIVE if data.get("strict") else FLAGGED
    return Box(key, _way(data) + data["label"], column, colour=colour)


def _way(data: dict[str, Any]) -> str:
    """A data source's box says so first (a long label is cut at its end): "← 受領 " (received
    from it), "↔ 提供・受領 " (both ways)."""
    way = data.get("direction")
    return (
        "" if not way else ("↔ " if way == directions.source_terms()[directions.BOTH] else "← ") + way + " "
    )


def _merge_small_categories(
    graph: nx.DiGraph[str], units: Counter[Flow]
) -> tuple[Counter[Flow], dict[str, str]]:
    """Beyond MAX_CATEGORIES, the least-used insensitive categories share one box "その他 (N)"."""
    per_category: Counter[str] = Counter()
    for (_, cat, _), count in units.items():
        per_category[cat] += count
    if len(per_category) <= MAX_CATEGORIES:
        return units, {c: c for c in per_category}
    ranked = sorted(
        per_category,
        key=lambda c: (not graph.nodes[c].get("sensitive"), -per_category[c], graph.nodes[c]["label"]),
    )
    kept = set(ranked[: MAX_CATEGORIES - 1])
    other = f"other:その他の項目区分 other ({len(per_category) - len(kept)})"
    key = {c: c if c in kept else other for c in per_category}
    merged: Counter[Flow] = Counter()
    for (dept, cat, recip), count in units.items():
        merged[(dept, key[cat], recip)] += count
    return merged, key


def connection_counts(graph: nx.DiGraph[str], category_key: dict[str, str]) -> Counter[str]:
    """How many connections each box stands for (the number printed in it)."""
    nodes = graph.nodes
    seen: dict[str, set[str]] = defaultdict(set)
    for conn, data in nodes(data=True):
        if data["kind"] != "connection":
            continue
        for other in (*graph.predecessors(conn), *graph.successors(conn)):
            kind = nodes[other]["kind"]
            if kind == "department":
                seen[other].add(conn)
            elif kind == "category" and other in category_key:
                seen[category_key[other]].add(conn)
            elif kind == "recipient":
                seen[_recipient_key(nodes[other], other)].add(conn)
    return Counter({key: len(conns) for key, conns in seen.items()})


def _order(boxes: dict[str, Box], links: Counter[tuple[str, str]], sweeps: int = 6) -> list[list[Box]]:
    """Categories in groups (要配慮・My Number, other sensitive, the rest, その他 last), each group and
    the outer columns ordered by weighted barycentre sweeps, so bands cross as little as they can."""
    columns = [
        sorted((b for b in boxes.values() if b.column == i), key=lambda b: (-b.value, b.label))
        for i in range(3)
    ]

    for _ in range(sweeps):
        _sort(columns[1], columns[0], links, grouped=True)
        _sort(columns[2], columns[1], links)
        _sort(columns[1], columns[2], links, grouped=True)
        _sort(columns[0], columns[1], links)
    _sort(columns[2], columns[1], links)
    return columns


def _sort(column: list[Box], ref: list[Box], links: Counter[tuple[str, str]], grouped: bool = False) -> None:
    """In place, by the weighted mean row of each box's partners in ``ref`` (kept in groups if asked)."""
    rank = {b.key: i for i, b in enumerate(ref)}

    def centre(box: Box) -> float:
        weights = [(rank[o], w) for (_, o), w in _touching(links, box.key) if o in rank]
        total = sum(w for _, w in weights)
        return sum(r * w for r, w in weights) / total if total else len(rank)

    column.sort(key=lambda b: (_group(b) if grouped else 0, centre(b), -b.value))


def _group(box: Box) -> int:
    if box.key.startswith("other:"):
        return 3
    return {SENSITIVE: 0, FLAGGED: 1}.get(box.colour, 2)


def _touching(links: Counter[tuple[str, str]], key: str) -> list[tuple[tuple[str, str], int]]:
    out = []
    for (a, b), w in links.items():
        if a == key:
            out.append(((a, b), w))
        elif b == key:
            out.append(((b, a), w))
    return out


def overview_svg(graph: nx.DiGraph[str], title: str = "") -> str:
    """The overview as an SVG document (width 1280 px; height grows with the number of boxes)."""
    units, category_key = _merge_small_categories(graph, flows(graph))
    boxes = _boxes(graph, units)
    counts = connection_counts(graph, category_key)
    links: Counter[tuple[str, str]] = Counter()
    for (dept, cat, recip), count in units.items():
        links[(dept, cat)] += count
        links[(cat, recip)] += count
    columns = _order(boxes, links)
    tallest = max((len(c) for c in columns), default=1)
    total = max((sum(b.value for b in c) for c in columns), default=1) or 1
    body = max(560, tallest * (MIN_BOX + PAD) + 140)
    scale = (body - tallest * PAD) / total
    for column in columns:
        y: float = HEADER + 24
        for box in column:
            box.height = max(MIN_BOX, box.value * scale)
            box.y = y
            y += box.height + PAD
    height = int(max(HEADER + 24 + sum(b.height + PAD for b in c) for c in columns) + 24) if boxes else 200
    gap = (WIDTH - 2 * MARGIN - 3 * BOX_WIDTH) / 2
    xs = [MARGIN + i * (BOX_WIDTH + gap) for i in range(3)]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" font-size="13">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{MARGIN}" y="30" font-size="20" font-weight="bold">{html.escape(title or "個人データの流れ Personal-data flows")}</text>',
        f'<text x="{MARGIN}" y="52" font-size="13" fill="#374151">課 → 項目区分 → 相手方。数字＝結合の数、帯の太さ＝結合×項目の数。'
        "Numbers: connections. Band width: connections × data categories sent.</text>",
    ]
    out += _legend(MARGIN, 74)
    titles = {**TITLES, "recipient": layer_titles(graph)["recipient"]}
    if notes := legend(graph):  # a data source's box is marked ← 受領 / ↔ 提供・受領: say what that means
        out.append(
            f'<text x="{MARGIN}" y="{HEADER - 4}" font-size="12" fill="#374151">{html.escape("　".join(notes))}</text>'
        )
    for i, kind in enumerate(COLUMNS):
        out.append(
            f'<text x="{xs[i]}" y="{HEADER + 14}" font-size="14" font-weight="bold">{titles[kind]}</text>'
        )
    out += _bands(columns, links, xs, boxes)
    for i, column in enumerate(columns):
        for box in column:
            out.append(
                f"<g><title>{html.escape(box.label)}: {counts.get(box.key, 0)} 結合 connections</title>"
                f'<rect x="{xs[i]}" y="{box.y:.1f}" width="{BOX_WIDTH}" height="{box.height:.1f}" rx="3" '
                f'fill="{box.colour}" fill-opacity="0.16" stroke="{box.colour}"/>'
                f'<rect x="{xs[i]}" y="{box.y:.1f}" width="5" height="{box.height:.1f}" fill="{box.colour}"/>'
                f'<text x="{xs[i] + 10}" y="{box.y + min(box.height / 2, 10) + 4.5:.1f}">'
                f"{html.escape(fit(box.label, BOX_WIDTH - 50, 13))}</text>"
                f'<text x="{xs[i] + BOX_WIDTH - 6}" y="{box.y + min(box.height / 2, 10) + 4.5:.1f}" '
                f'text-anchor="end" fill="#374151">{counts.get(box.key, "")}</text></g>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend(x: float, y: float) -> list[str]:
    items = [
        (SENSITIVE, "要配慮個人情報・マイナンバー special care / My Number"),
        (FLAGGED, "その他の機微な情報（金融・福祉・認証） other sensitive"),
        ("#94a3b8", "その他 other data"),
    ]
    out = []
    for colour, text in items:
        out.append(f'<rect x="{x}" y="{y - 11}" width="22" height="12" fill="{colour}" fill-opacity="0.6"/>')
        out.append(f'<text x="{x + 28}" y="{y}" font-size="13">{html.escape(text)}</text>')
        x += 28 + text_width(text, 13) + 26
    return out


def _bands(
    columns: list[list[Box]], links: Counter[tuple[str, str]], xs: list[float], boxes: dict[str, Box]
) -> list[str]:
    """Each link a filled band; its ends stacked on each box in the order of the other side's boxes."""
    position = {b.key: (i, j) for i, column in enumerate(columns) for j, b in enumerate(column)}
    out_offset: dict[str, float] = defaultdict(float)
    in_offset: dict[str, float] = defaultdict(float)
    drawn = []
    ordered = sorted(links.items(), key=lambda kv: (position[kv[0][0]], position[kv[0][1]]))
    bands = []
    for (a, b), value in ordered:
        src, dst = boxes[a], boxes[b]
        h1 = value * src.height / src.value
        y1 = src.y + out_offset[a]
        out_offset[a] += h1
        bands.append((a, b, value, y1, h1))
    for a, b, value, y1, h1 in sorted(bands, key=lambda t: (position[t[1]], position[t[0]])):
        dst = boxes[b]
        h2 = value * dst.height / dst.value
        y2 = dst.y + in_offset[b]
        in_offset[b] += h2
        x1 = xs[boxes[a].column] + BOX_WIDTH
        x2 = xs[dst.column]
        mid = (x1 + x2) / 2
        cat = boxes[a] if boxes[a].column == 1 else dst
        colour = cat.colour if cat.colour in (SENSITIVE, FLAGGED) else "#94a3b8"
        opacity = 0.55 if colour != "#94a3b8" else 0.35
        drawn.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f} '
            f'L{x2:.1f},{y2 + h2:.1f} C{mid:.1f},{y2 + h2:.1f} {mid:.1f},{y1 + h1:.1f} {x1:.1f},{y1 + h1:.1f} Z" '
            f'fill="{colour}" fill-opacity="{opacity}"><title>{html.escape(boxes[a].label)} → '
            f"{html.escape(dst.label)}: {value}</title></path>"
        )
    # grey first, coloured on top: sensitive bands stay visible where bands overlap
    return sorted(drawn, key=lambda s: "#94a3b8" not in s)


def overview_png(svg: str, zoom: float = 2.0) -> bytes:
    """The SVG rendered to PNG (by default at twice its size, sharp on slides), white background."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, background="#ffffff", zoom=zoom))
