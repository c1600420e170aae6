"""Records → RDF: namespaces and minted IRIs, curated registries (reference data), resolution of
parties, agencies and data categories, and one named graph of quads per report.

Stage 2 of 7: imports read and the base modules.
"""
