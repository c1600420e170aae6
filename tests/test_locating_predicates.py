"""findings.LOCATING_PREDICATES lists the predicates that locating a finding reads (ketsugo.check
.sparql_chunks copies just those quads of a report for it): it must hold every predicate _where and
_kind look up. The look-ups are recorded on a small hand-made report graph whose nodes take every
branch of the locating code (a connection, a reading finding, a data item, a report, a node linked
by nothing), so a look-up added with a predicate the list lacks fails here."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from ketsugo.check import findings
from ketsugo.check.findings import LOCATING_PREDICATES
from ketsugo.graph.vocab import KG

X = Namespace("urn:x:")


class _Recording:
    """The look-ups of findings._where / _kind on an rdflib graph, each predicate noted."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.asked: set[str] = set()

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        self.asked.add(str(predicate))
        return list(self.graph.objects(subject, predicate))  # type: ignore[arg-type]

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        self.asked.add(str(predicate))
        return list(self.graph.subjects(predicate, obj))  # type: ignore[arg-type]


def _report() -> Graph:
    graph = Graph()
    for triple in [
        (X.report, RDF.type, KG.Report),
        (X.report, KG.sourceFile, Literal("gaibu.txt")),
        (X.c1, RDF.type, KG.Connection),
        (X.c1, KG.inReport, X.report),
        (X.c1, KG.sourceLine, Literal(12)),
        (X.c1, KG.connectionNumber, Literal(1)),
        (X.c1, KG.departmentsAsWritten, Literal("税務課")),
        (X.c1, KG.status, KG.EndedConnection),
        (X.c1, KG.hasDataItem, X.item),
        (X.issue, RDF.type, KG.ParseIssue),
        (X.issue, KG.inReport, X.report),
        (X.issue, KG.sourceLine, Literal(12)),
        (X.issue, KG.findingKind, Literal("reading")),
    ]:
        graph.add(triple)
    return graph


def _asked() -> set[str]:
    look = _Recording(_report())
    for focus in (X.c1, X.issue, X.item, X.report, X.alone):
        findings._where(look, focus)
    findings._kind(Graph(), None, X.issue, look)
    return look.asked


def _missing(listed: frozenset[str]) -> set[str]:
    return _asked() - listed


def test_the_locating_code_reads_what_it_should_on_the_hand_made_report() -> None:
    where = findings._where(_Recording(_report()), X.issue)
    assert (where.report, where.ended_connections, where.line, where.department) == (
        "gaibu.txt",
        (1,),
        12,
        "税務課",
    )


def test_every_predicate_looked_up_is_listed() -> None:
    assert _missing(LOCATING_PREDICATES) == set()


def test_nothing_is_listed_that_is_not_looked_up() -> None:
    assert set(LOCATING_PREDICATES) == _asked()


def test_a_predicate_left_out_of_the_list_is_caught() -> None:
    assert _missing(LOCATING_PREDICATES - {str(KG.status)}) == {str(KG.status)}
    assert isinstance(KG.status, URIRef)
