"""The on-disk build: writing a build directory atomically (ownership, lock, recoverable swap),
opening its pyoxigraph store, and writing output files without partial results.

Stage 3 of 7: imports graph, read and the base modules.
"""
