"""The pyoxigraph terms the linking steps write: one place for the two small factories."""

from __future__ import annotations

import pyoxigraph as ox


def named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def literal(text: str, language: str | None = None, datatype: str | None = None) -> ox.Literal:
    """A plain, language-tagged (``language``) or typed (``datatype`` IRI) literal."""
    if language:
        return ox.Literal(text, language=language)
    if datatype:
        return ox.Literal(text, datatype=named(datatype))
    return ox.Literal(text)
