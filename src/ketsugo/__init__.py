"""ketsugo: reports of external computer connections (外部結合) as a knowledge graph."""

__version__ = "0.1.0"
