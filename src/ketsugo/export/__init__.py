"""What leaves a build: the flows table (CSV/JSON), drawings (GraphML, GEXF, DOT, SVG, HTML), the
briefing, year-over-year diffs, and links to national data (corporate numbers, DCAT, IMI).

Stage 5 of 7: imports check, sparql, store, graph, read and the base modules.
"""
