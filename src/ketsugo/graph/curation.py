"""Canonical form of curated Turtle files.

Curated registries are reviewed by people, so their text must be stable: the
same graph always serialises to the same bytes, and a lint test compares each
file with its canonical form (as bioregistry does for its JSON).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

HEADER = "# Curated file: edit, then run `python scripts/canonicalize.py` to rewrite it in canonical form.\n"


def canonical_turtle(text: str) -> str:
    """Return the canonical Turtle of ``text``: rdflib's sorted serialisation after a fixed header."""
    graph = Graph(bind_namespaces="none")
    graph.parse(data=text, format="turtle")
    for prefix, namespace in _declared_prefixes(text):
        graph.bind(prefix, namespace, override=True, replace=True)
    body = graph.serialize(format="turtle")
    return HEADER + body.rstrip("\n") + "\n"


def _declared_prefixes(text: str) -> list[tuple[str, str]]:
    """The @prefix lines of the source, so the canonical form keeps the author's prefixes."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("@prefix") and stripped.endswith("."):
            parts = stripped.split(None, 2)
            if len(parts) == 3:
                prefix = parts[1].rstrip(":")
                iri = parts[2].rstrip(" .").strip("<>")
                found.append((prefix, iri))
    return found


def load_turtle(paths: list[Path], what: str = "curated file") -> Graph:
    """Parse Turtle files into one graph; a bad file is an InputError naming it (not an rdflib trace)."""
    from ketsugo.errors import InputError, Issue

    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise InputError(Issue(str(path), 0, "", f"invalid Turtle in a {what}: {exc}")) from None
    return graph


def is_canonical(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return text == canonical_turtle(text)


def canonicalize(path: Path) -> bool:
    """Rewrite ``path`` in canonical form; return True when it changed."""
    text = path.read_text(encoding="utf-8")
    canonical = canonical_turtle(text)
    if canonical != text:
        path.write_text(canonical, encoding="utf-8")
        return True
    return False
