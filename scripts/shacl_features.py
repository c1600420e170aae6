"""Which SHACL features the shapes use: every predicate in the sh: namespace in shapes/*.ttl and
data/reference/shapes/*.ttl, with how often it occurs and whether the SPARQL engine of
``ketsugo validate`` (ketsugo.check.sparql_engine) compiles it, so a new feature is noticed before
it silently falls back to pyshacl.

Usage: python scripts/shacl_features.py [FILE.ttl …]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [*sorted((ROOT / "shapes").glob("*.ttl")), *sorted((ROOT / "data/reference/shapes").glob("*.ttl"))]


def features(paths: list[Path]) -> dict[str, Counter[str]]:
    """sh: predicate (and sh: class used as an rdf:type) → occurrences per file."""
    found: dict[str, Counter[str]] = {}
    for path in paths:
        graph = Graph().parse(path, format="turtle")
        for _, predicate, obj in graph:
            for term in (predicate, obj):
                if isinstance(term, URIRef) and str(term).startswith(str(SH)):
                    name = "sh:" + str(term)[len(str(SH)) :]
                    found.setdefault(name, Counter())[path.name] += 1
    return found


def main() -> None:
    from ketsugo.check.sparql_engine import SUPPORTED_FEATURES

    paths = [Path(p) for p in sys.argv[1:]] or DEFAULT
    print("| feature | compiled by the SPARQL engine | files (occurrences) |")
    print("|---|---|---|")
    for name, per_file in sorted(features(paths).items()):
        files = ", ".join(f"{f} ({n})" for f, n in sorted(per_file.items()))
        print(f"| {name} | {'yes' if name in SUPPORTED_FEATURES else 'NO (pyshacl)'} | {files} |")


if __name__ == "__main__":
    main()
