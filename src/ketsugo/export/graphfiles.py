"""The flow graph as GraphML and GEXF, written in pieces as text (`ketsugo export graph`).

Why not networkx's writers: they build the whole XML document as element objects before a byte
is written (a national graph, ≈ 80,000 nodes and 370,000 edges, took ≈ 20 s of CPU for GraphML
and ≈ 40 s for GEXF, and memory in proportion). The files here hold the same things in the same
shape — networkx reads them back to the same graph (tested) — written a few thousand elements at a
time, so the text of the whole file is never held.

GraphML declares a key per attribute name, domain and type (as networkx does: ``y`` may be an
integer on one node and a float on another); GEXF one attribute per name, of the widest type its
values take (long < double), with the node's ``label`` as its label, as networkx writes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

# elements written together in one piece
PIECE_ELEMENTS = 2000

_GRAPHML_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}
_WIDER = {"long": 0, "double": 1}

_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
)


def _type_name(value: Any) -> str:
    """GraphML's name for the type of ``value`` (anything else is written as a string)."""
    return _GRAPHML_TYPES.get(type(value), "string")


def _text(value: Any) -> str:
    """A value as GraphML/GEXF text: booleans in lower case, numbers as Python writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _pieces(lines: Iterable[str]) -> Iterator[str]:
    """Lines joined a few thousand at a time."""
    held: list[str] = []
    for line in lines:
        held.append(line)
        if len(held) >= PIECE_ELEMENTS:
            yield "".join(held)
            held = []
    if held:
        yield "".join(held)


# ------------------------------------------------------------------ GraphML


def graphml_pieces(graph: nx.DiGraph[str]) -> Iterator[str]:
    """``graph`` as GraphML (directed), in pieces."""
    keys: dict[tuple[str, str, str], str] = {}
    for domain, items in (
        ("node", graph.nodes.values()),
        ("edge", (d for _, _, d in graph.edges(data=True))),
    ):
        for data in items:
            for name, value in data.items():
                keys.setdefault((domain, name, _type_name(value)), f"d{len(keys)}")
    yield _GRAPHML_HEAD + "".join(
        f'<key id="{key}" for="{domain}" attr.name={quoteattr(name)} attr.type="{kind}"/>\n'
        for (domain, name, kind), key in keys.items()
    )
    yield '<graph edgedefault="directed">\n'
    yield from _pieces(_graphml_elements(graph, keys))
    yield "</graph></graphml>\n"


def _graphml_elements(graph: nx.DiGraph[str], keys: dict[tuple[str, str, str], str]) -> Iterator[str]:
    for node, data in graph.nodes(data=True):
        yield f"<node id={quoteattr(str(node))}>{_graphml_data('node', data, keys)}</node>\n"
    for source, target, data in graph.edges(data=True):
        yield (
            f"<edge source={quoteattr(str(source))} target={quoteattr(str(target))}>"
            f"{_graphml_data('edge', data, keys)}</edge>\n"
        )


def _graphml_data(domain: str, data: dict[str, Any], keys: dict[tuple[str, str, str], str]) -> str:
    return "".join(
        f'<data key="{keys[(domain, name, _type_name(value))]}">{escape(_text(value))}</data>'
        for name, value in data.items()
    )


# ------------------------------------------------------------------ GEXF


def gexf_pieces(graph: nx.DiGraph[str]) -> Iterator[str]:
    """``graph`` as GEXF 1.2 (directed, static), in pieces; a node's ``label`` is its GEXF label."""
    node_types = _gexf_types(d for d in graph.nodes.values())
    edge_types = _gexf_types(d for _, _, d in graph.edges(data=True))
    node_types.pop("label", None)
    ids: dict[tuple[str, str], str] = {}
    for domain, types in (("node", node_types), ("edge", edge_types)):
        for name in types:
            ids[(domain, name)] = str(len(ids))
    head = [
        _GEXF_HEAD,
        f'  <meta lastmodifieddate="{date.today().isoformat()}">\n    <creator>ketsugo</creator>\n  </meta>\n',
        '  <graph defaultedgetype="directed" mode="static" name="">\n',
    ]
    for domain, types in (("edge", edge_types), ("node", node_types)):
        if types:
            head.append(f'    <attributes mode="static" class="{domain}">\n')
            head.extend(
                f'      <attribute id="{ids[(domain, name)]}" title={quoteattr(name)} type="{kind}" />\n'
                for name, kind in types.items()
            )
            head.append("    </attributes>\n")
    yield "".join(head) + "    <nodes>\n"
    yield from _pieces(_gexf_nodes(graph, ids))
    yield "    </nodes>\n    <edges>\n"
    yield from _pieces(_gexf_edges(graph, ids))
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _gexf_types(items: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Each attribute's GEXF type: the widest its values take (an integer among floats: double)."""
    types: dict[str, str] = {}
    for data in items:
        for name, value in data.items():
            kind = _type_name(value)
            known = types.setdefault(name, kind)
            if known != kind and known in _WIDER and kind in _WIDER:
                types[name] = max(known, kind, key=_WIDER.__getitem__)
    return types


def _attvalues(domain: str, data: dict[str, Any], ids: dict[tuple[str, str], str]) -> str:
    values = "".join(
        f'<attvalue for="{ids[(domain, name)]}" value={quoteattr(_text(value))} />'
        for name, value in data.items()
        if (domain, name) in ids
    )
    return f"<attvalues>{values}</attvalues>" if values else ""


def _gexf_nodes(graph: nx.DiGraph[str], ids: dict[tuple[str, str], str]) -> Iterator[str]:
    for node, data in graph.nodes(data=True):
        label = quoteattr(str(data.get("label", node)))
        yield f"      <node id={quoteattr(str(node))} label={label}>{_attvalues('node', data, ids)}</node>\n"


def _gexf_edges(graph: nx.DiGraph[str], ids: dict[tuple[str, str], str]) -> Iterator[str]:
    for number, (source, target, data) in enumerate(graph.edges(data=True)):
        yield (
            f'      <edge source={quoteattr(str(source))} target={quoteattr(str(target))} id="{number}">'
            f"{_attvalues('edge', data, ids)}</edge>\n"
        )
