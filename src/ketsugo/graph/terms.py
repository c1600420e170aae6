"""RDF terms made directly as pyoxigraph terms, so building a report's graph needs no rdflib objects.

`Literal(value, lang=None, datatype=None)` reads like rdflib's and types Python values the way
rdflib does (str → plain, bool → xsd:boolean, int → xsd:integer, float → xsd:double,
date → xsd:date, datetime → xsd:dateTime); `term()` turns any term (rdflib or pyoxigraph) into
a pyoxigraph one. Measured at national scale, making rdflib terms and then converting every one
of them cost more than parsing the reports; this keeps one kind of term from start to end.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache
from typing import Any

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = XSD + "string"
_TYPES = {
    bool: ox.NamedNode(XSD + "boolean"),
    int: ox.NamedNode(XSD + "integer"),
    float: ox.NamedNode(XSD + "double"),
    Decimal: ox.NamedNode(XSD + "decimal"),
    dt.date: ox.NamedNode(XSD + "date"),
    dt.datetime: ox.NamedNode(XSD + "dateTime"),
}
_TRUE = ox.Literal("true", datatype=_TYPES[bool])
_FALSE = ox.Literal("false", datatype=_TYPES[bool])

Term = ox.NamedNode | ox.BlankNode | ox.Literal
# Any term pyoxigraph hands back (quads, query rows): RDF 1.2 adds triple terms. pyoxigraph 0.5
# exports no name for this union, so it is spelled once here.
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


# What pyoxigraph escapes in a literal's N-Triples form (controls, ", \\, U+007F, U+FFFE, U+FFFF), and
# the surrogates it refuses: a text with none of them is written as it is (tests/test_read_speed_equivalence.py).
_ESCAPED = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff\ud800-\udfff]')
_INTEGER_SUFFIX = f'"^^<{XSD}integer>'
_TRUE_TEXT = f'"true"^^<{XSD}boolean>'
_FALSE_TEXT = f'"false"^^<{XSD}boolean>'


def literal_text(value: Any, lang: str | None = None) -> str:
    """The N-Triples text of ``Literal(value, lang)``, byte for byte as pyoxigraph writes it, without
    making the pyoxigraph term where it is plain (a report's graph writes ~5,000 literals)."""
    kind = type(value)
    if kind is str:
        if _ESCAPED.search(value) is None and (lang is None or lang.islower()):
            return f'"{value}"@{lang}' if lang else f'"{value}"'
    elif lang is None:
        if kind is bool:
            return _TRUE_TEXT if value else _FALSE_TEXT
        if kind is int:
            return f'"{value}{_INTEGER_SUFFIX}'
    return str(Literal(value, lang=lang))


def _lexical(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):  # date and datetime
        return value.isoformat()
    return str(value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """``text`` with lone surrogates written as escapes: a file name's bytes that are not UTF-8 (a
    Shift_JIS name from a Windows zip) reach Python as surrogates, which no RDF literal can hold;
    the name is kept readable, its undecodable bytes shown as ``\\xNN``."""
    if _SURROGATE.search(text) is None:
        return text

    def escaped(char: str) -> str:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte kept by Python's surrogateescape
            return f"\\x{code - 0xDC00:02x}"
        return f"\\u{code:04x}" if 0xD800 <= code <= 0xDFFF else char

    return "".join(escaped(c) for c in text)


def Literal(value: Any, lang: str | None = None, datatype: Any = None) -> ox.Literal:
    """A literal, typed from the Python value unless a language or a datatype is given."""
    if isinstance(value, str):
        value = _storable(value)
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype is not None:
        iri = datatype.value if isinstance(datatype, ox.NamedNode) else str(datatype)
        if iri == _STRING:
            return ox.Literal(str(value))
        return ox.Literal(_lexical(value), datatype=named(iri))
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    kind = _TYPES.get(type(value))
    if kind is None:
        return ox.Literal(str(value))
    return ox.Literal(_lexical(value), datatype=kind)


_NAMED: dict[str, ox.NamedNode] = {}
_NAMED_LIMIT = 50_000  # vocabulary terms repeat; instance IRIs do not — keep the cache bounded


def named(iri: str) -> ox.NamedNode:
    """A named node, cached by its IRI (the same vocabulary terms recur in every report)."""
    node = _NAMED.get(iri)
    if node is None:
        node = ox.NamedNode(iri)
        if len(_NAMED) < _NAMED_LIMIT:
            _NAMED[iri] = node
    return node


@cache
def _rdflib_terms() -> tuple[Any, Any, Any]:
    """rdflib's URIRef, BNode and Literal, imported when first needed (once, not per term)."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdflibLiteral

    return URIRef, BNode, RdflibLiteral


def term(node: Any) -> Term:
    """Any RDF term (pyoxigraph, or rdflib URIRef / BNode / Literal) as a pyoxigraph term."""
    if isinstance(node, ox.NamedNode | ox.Literal | ox.BlankNode):
        return node
    URIRef, BNode, RdflibLiteral = _rdflib_terms()
    if isinstance(node, URIRef):
        return named(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, RdflibLiteral):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=named(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(node: OxTerm) -> Any:
    """A pyoxigraph term as an rdflib term (for callers that still want an rdflib Graph)."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdflibLiteral

    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    if isinstance(node, ox.Triple):
        raise TypeError(f"a triple term has no rdflib form: {node}")
    if node.language:
        return RdflibLiteral(node.value, lang=node.language)
    datatype = node.datatype.value
    return RdflibLiteral(node.value, datatype=None if datatype == _STRING else URIRef(datatype))


class OxNamespace:
    """An rdflib namespace whose terms come out as pyoxigraph named nodes (``KG.Connection``),
    each made once and then read as a plain attribute; closed namespaces stay closed."""

    def __init__(self, namespace: Any):
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = named(str(getattr(self._namespace, name)))
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return named(str(self._namespace[name]))


class _MemoCategories:
    """A categorizer whose answers are remembered: item names recur across reports (氏名, 住所,
    生年月日…), and matching labels is the costliest step of building a report's graph."""

    def __init__(self, categorizer: Any):
        self._categorizer = categorizer
        self._memo: dict[str, Any] = {}

    def categorize(self, text: str) -> Any:
        found = self._memo.get(text)
        if found is None:
            found = self._categorizer.categorize(text)
            if len(self._memo) < 200_000:
                self._memo[text] = found
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._categorizer, name)


class TextNamespace:
    """A namespace whose terms come out as N-Triples text (``KG.Connection`` → ``"<…#Connection>"``),
    each checked as an IRI and written once, then read as a plain attribute; closed namespaces stay
    closed. For writing N-Quads lines, where a term is only ever needed as text."""

    def __init__(self, namespace: Any):
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        text = str(named(str(getattr(self._namespace, name))))
        setattr(self, name, text)
        return text

    def __getitem__(self, name: str) -> str:
        return str(named(str(self._namespace[name])))


_MEMOS: dict[int, Any] = {}


def memo_categories(ref: Any) -> Any:
    """The same reference data, with a categorizer that remembers (one per reference, per process)."""
    found = _MEMOS.get(id(ref))
    if found is None or found[0] is not ref:
        from dataclasses import replace

        found = _MEMOS[id(ref)] = (ref, replace(ref, categories=_MemoCategories(ref.categories)))
    return found[1]
