"""Questions to a built store: the query catalogue (queries/*.rq), SPARQL text handling,
parameters, local and remote backends, result rendering, the SPARQL server and its gate.

Stage 4 of 7 (beside check, which it does not import): imports store, graph, read and the base
modules.
"""
