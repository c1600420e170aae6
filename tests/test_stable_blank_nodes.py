"""The same graph gives the same N-Quads bytes in every process: blank nodes (the reference graph's
[ … ] nodes, imi:ID and its 体系) are named by what is said about them, not by the parser's random
label (before, two builds of the same report differed in those lines)."""

from __future__ import annotations

from rdflib import Graph, URIRef

from ketsugo.store.disk import sorted_nquads, stable_blank_nodes, to_quads

TURTLE = """
@prefix ic: <http://imi.go.jp/ns/core/rdf#> .
<http://example.org/a> ic:ID [ ic:識別値 "1" ; ic:体系 [ ic:表記 "法人番号" ] ] .
<http://example.org/b> ic:ID [ ic:識別値 "2" ; ic:体系 [ ic:表記 "法人番号" ] ] .
<http://example.org/c> ic:ID [ ic:識別値 "3" ; ic:体系 [ ic:表記 "法人番号" ] ] .
"""


def _bytes() -> bytes:
    graph = Graph().parse(data=TURTLE, format="turtle")  # fresh random blank labels each parse
    return sorted_nquads(stable_blank_nodes(to_quads([(URIRef("http://example.org/g"), graph)])))


def test_two_parses_of_one_graph_give_the_same_bytes() -> None:
    first, second = _bytes(), _bytes()
    assert first == second
    # and every node keeps what is said about it: a's ID is 1 and its scheme is its own node
    lines = first.decode().splitlines()
    a_id = next(line.split()[2] for line in lines if line.startswith("<http://example.org/a>"))
    assert f'{a_id} <http://imi.go.jp/ns/core/rdf#識別値> "1"' in first.decode()
    schemes = {line.split()[2] for line in lines if "#体系>" in line}
    assert len(schemes) == 3


def test_a_graph_without_blank_nodes_is_left_as_it_is() -> None:
    graph = Graph().parse(data="<http://example.org/a> <http://example.org/p> 'x' .", format="turtle")
    quads = to_quads([(URIRef("http://example.org/g"), graph)])
    assert stable_blank_nodes(quads) == quads
