"""Where the project's shipped files live.

ketsugo ships its ontology, registries, shapes and queries as files beside the
package (installed editable from a checkout); this module is the one place that
knows where they are.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
REFERENCE_DIR = ROOT / "data" / "reference"
REPORTS_DIR = ROOT / "data" / "reports"
VOCAB_DIR = ROOT / "data" / "vocab"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"


def reference_files() -> list[Path]:
    """Every curated Turtle file loaded into the reference graph, in a stable order."""
    return sorted([*ONTOLOGY_DIR.glob("*.ttl"), *REFERENCE_DIR.glob("*.ttl")])
