"""Links from a build to national data: corporate numbers (NTA bulk CSV), Wikidata (SPARQL
endpoints), a DCAT/VoID description of the build, IMI and coverage views.

Each linking step writes its own named graph (``https://w3id.org/ketsugo/graph/link/…``) into a
build's store, with PROV provenance, and never overwrites a curated fact: see docs/linking.md.
"""
