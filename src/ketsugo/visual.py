"""The flow graph for visualisation: agency → department → connection → recipient / category.

Built from the store with two catalogue queries (queries/export/), held as a networkx
DiGraph, and written as GraphML or GEXF (Gephi, yEd, Cytoscape), DOT (Graphviz), a
static SVG, or a self-contained interactive HTML page (no network needed to open it).
Layout is layered and deterministic, so the same graph always draws the same picture.
"""

from __future__ import annotations

import html
import io
import json
from importlib.resources import files
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ketsugo.paths import QUERIES_DIR
from ketsugo.sparql import select

LAYERS = ("agency", "department", "connection", "recipient", "category")
LAYER_TITLES = {
    "agency": "実施機関 agency",
    "department": "課 department",
    "connection": "外部結合 connection",
    "recipient": "相手方 recipient",
    "category": "項目区分 data category",
}
COLOURS = {
    "agency": "#6b7280",
    "department": "#2563eb",
    "connection": "#0d9488",
    "recipient": "#d97706",
    "category": "#7c3aed",
}
SENSITIVE = "#dc2626"
COLUMN_WIDTH, ROW_HEIGHT, MARGIN = 280, 22, 40


def flow_graph(store: ox.Store) -> nx.DiGraph:
    edges = select(store, (QUERIES_DIR / "export" / "flow-graph.rq").read_text(encoding="utf-8")).records()
    nodes = select(
        store, (QUERIES_DIR / "export" / "flow-graph-nodes.rq").read_text(encoding="utf-8")
    ).records()
    graph = nx.DiGraph()
    for edge in edges:
        graph.add_node(edge["source"], kind=edge["source_kind"])
        graph.add_node(edge["target"], kind=edge["target_kind"])
        graph.add_edge(edge["source"], edge["target"], relation=edge["relation"])
    for node in nodes:
        if node["node"] in graph:
            graph.nodes[node["node"]].update(_attributes(node))
    for iri, data in graph.nodes(data=True):
        data.setdefault("label", iri.rsplit("/", 1)[-1])
        data["iri"] = iri
        if data["kind"] == "connection":
            data["my_number_item"] = any(
                "SpecificPersonalInformation" in graph.nodes[t].get("sensitivity", "")
                for t in graph.successors(iri)
            )
    _layout(graph)
    return graph


def _attributes(row: dict[str, Any]) -> dict[str, Any]:
    """GraphML/GEXF accept only scalars: keep strings, numbers and booleans; drop what is unbound."""
    out: dict[str, Any] = {}
    for key in ("label", "label_en", "number", "my_number", "unnamed", "sensitivity"):
        if row.get(key) not in (None, ""):
            out[key] = row[key]
    if row.get("start_date"):
        out["start_date"] = row["start_date"].isoformat()
    if row.get("type"):
        out["type"] = row["type"].rsplit("#", 1)[-1]
    if out.get("number") is not None:
        out["label"] = f"No.{out['number']} {out.get('label', '')}"
    return out


def _flagged(data: dict[str, Any]) -> bool:
    """Red: a sensitive category, or a connection with My Number data (○ in the report, or an item)."""
    return bool(data.get("sensitivity") or data.get("my_number") or data.get("my_number_item"))


def _layout(graph: nx.DiGraph) -> None:
    """Columns by kind; rows sorted by label (connections by number) — stable across runs."""
    for column, kind in enumerate(LAYERS):
        members = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
        members.sort(key=lambda n: (graph.nodes[n].get("number") or 0, graph.nodes[n]["label"], n))
        for row, node in enumerate(members):
            graph.nodes[node]["x"] = MARGIN + column * COLUMN_WIDTH
            graph.nodes[node]["y"] = MARGIN + 30 + row * ROW_HEIGHT


def to_graphml(graph: nx.DiGraph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def to_gexf(graph: nx.DiGraph) -> str:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT, one cluster-free rank per layer (render with `dot -Tsvg`)."""
    lines = [
        "digraph ketsugo {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="sans-serif"];',
    ]
    for kind in LAYERS:
        members = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
        lines.append("  { rank=same;")
        for node in members:
            data = graph.nodes[node]
            colour = SENSITIVE if _flagged(data) else COLOURS[kind]
            lines.append(
                f"    {_dot_id(node)} [label={_dot_id(data['label'])}, fillcolor={_dot_id(colour)}, "
                f'fontcolor="white", tooltip={_dot_id(kind)}];'
            )
        lines.append("  }")
    for source, target, data in graph.edges(data=True):
        lines.append(f"  {_dot_id(source)} -> {_dot_id(target)} [tooltip={_dot_id(data['relation'])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _size(graph: nx.DiGraph) -> tuple[int, int]:
    width = MARGIN * 2 + COLUMN_WIDTH * (len(LAYERS) - 1) + 220
    height = max((d["y"] for _, d in graph.nodes(data=True)), default=0) + MARGIN * 2
    return width, height


def to_svg(graph: nx.DiGraph) -> str:
    """A static layered drawing; sensitive categories and My Number connections in red."""
    width, height = _size(graph)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for column, kind in enumerate(LAYERS):
        out.append(
            f'<text x="{MARGIN + column * COLUMN_WIDTH}" y="{MARGIN}" font-weight="bold">'
            f"{html.escape(LAYER_TITLES[kind])}</text>"
        )
    for source, target in graph.edges():
        a, b = graph.nodes[source], graph.nodes[target]
        out.append(
            f'<line x1="{a["x"] + 8}" y1="{a["y"]}" x2="{b["x"] - 2}" y2="{b["y"]}" '
            'stroke="#9ca3af" stroke-opacity="0.5"/>'
        )
    for node, data in graph.nodes(data=True):
        colour = SENSITIVE if _flagged(data) else COLOURS[data["kind"]]
        label = html.escape(_short(data["label"]))
        out.append(
            f'<g><title>{html.escape(node)}</title><circle cx="{data["x"]}" cy="{data["y"]}" r="5" fill="{colour}"/>'
            f'<text x="{data["x"] + 9}" y="{data["y"] + 4}">{label}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def to_html(graph: nx.DiGraph, title: str = "ketsugo: personal-data flows") -> str:
    """A self-contained page: hover or click a node to follow its flows; search by label."""
    template = files("ketsugo").joinpath("templates/flows.html").read_text(encoding="utf-8")
    width, height = _size(graph)
    data = {
        "width": width,
        "height": height,
        "layers": [
            {"kind": k, "title": LAYER_TITLES[k], "colour": COLOURS[k], "x": MARGIN + i * COLUMN_WIDTH}
            for i, k in enumerate(LAYERS)
        ],
        "sensitive": SENSITIVE,
        "nodes": [{"id": n, **d} for n, d in graph.nodes(data=True)],
        "edges": [
            {"source": s, "target": t, "relation": d["relation"]} for s, t, d in graph.edges(data=True)
        ],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return template.replace("{{TITLE}}", html.escape(title)).replace("/*{{DATA}}*/null", payload)


def _short(label: str, limit: int = 20) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
