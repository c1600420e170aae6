"""Rewrite curated Turtle files in canonical form (run after editing one).

Usage: python scripts/canonicalize.py [FILE ...]   (default: every curated file)
"""

from __future__ import annotations

import sys
from pathlib import Path

from ketsugo.graph.curation import canonicalize

ROOT = Path(__file__).resolve().parent.parent
CURATED = sorted([*ROOT.glob("ontology/*.ttl"), *ROOT.glob("data/reference/*.ttl")])


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or CURATED
    for path in paths:
        if canonicalize(path):
            print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
