"""ketsugo: reports of external computer connections (外部結合) as a knowledge graph.

The library in three calls (details and examples: :mod:`ketsugo.api`)::

    import ketsugo
    kg = ketsugo.build(["report.txt"], municipality="131041")   # or ketsugo.open_build("build")
    kg.query("recipients-of-category", category="生年月日")
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "build", "open_build"]


def __getattr__(name: str) -> Any:
    """The API is imported on first use, so `ketsugo --version` and the CLI start fast."""
    if name in ("KnowledgeGraph", "build", "open_build"):
        from ketsugo import api

        return getattr(api, name)
    raise AttributeError(f"module 'ketsugo' has no attribute {name!r}")
