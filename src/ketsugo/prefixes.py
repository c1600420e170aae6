"""The project's namespaces, declared once, as plain strings (docs/model.md, "Namespaces").

Nothing here imports rdflib, so querying, serving and the catalogue start fast; the rdflib
``Namespace`` objects of :mod:`ketsugo.graph.vocab` are meant to be made from these strings.
:data:`PREFIXES` are the prefixes every SPARQL query may use without declaring them, and the
ones written into Turtle/TriG output.
"""

from __future__ import annotations

KG = "https://w3id.org/ketsugo#"
KID = "https://w3id.org/ketsugo/id/"
KGC = "https://w3id.org/ketsugo/id/category/"
GRAPH = "https://w3id.org/ketsugo/graph/"
KGSH = "https://w3id.org/ketsugo/shapes#"
DPV = "https://w3id.org/dpv#"
PD = "https://w3id.org/dpv/pd#"
IC = "http://imi.go.jp/ns/core/rdf#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
ESTAT_SAC = "http://data.e-stat.go.jp/lod/sac/"  # e-Stat standard area codes (LOD)

ONTOLOGY = "https://w3id.org/ketsugo"
REFERENCE_GRAPH = GRAPH + "reference"

# In the order vocab.PREFIXES has always had (Turtle/TriG output lists them in this order).
PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dct": DCT,
    "kg": KG,
    "kid": KID,
    "kgc": KGC,
    "dpv": DPV,
    "pd": PD,
    "ic": IC,
    "org": ORG,
    "prov": PROV,
    "dcat": DCAT,
}


def compact_iri(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``kg:Connection`` for ``https://w3id.org/ketsugo#Connection``: the longest matching namespace wins."""
    best: tuple[str, str] | None = None
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return iri
    return f"{best[0]}:{iri[len(best[1]) :]}"
