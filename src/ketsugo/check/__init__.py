"""Checks of a built store: SHACL and SPARQL checks, their findings and formatters.

Stage 4 of 7 (beside sparql, which it does not import): imports store, graph, read and the base
modules.
"""
