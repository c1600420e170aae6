"""The municipalities and organisations of a build as IMI core vocabulary JSON-LD (共通語彙基盤).

For systems that speak IMI rather than ketsugo: each municipality and each named counterparty
becomes an ic:法人型 (when its corporate number is known) or an ic:組織型, with ic:名称, ic:ID
(体系 "法人番号" or "全国地方公共団体コード"), ic:組織種別 (the NTA's 法人種別) and ic:住所 when known.
Every key is an IMI core term (``@vocab`` is the IMI namespace); tests check each one exists
in data/vocab/imi/imicore242.ttl.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from ketsugo.prefixes import ESTAT_SAC, IC, PREFIXES
from ketsugo.store.disk import solutions

CORPORATE_NUMBER_SCHEME = "法人番号"
LOCAL_GOVERNMENT_SCHEME = "全国地方公共団体コード"

_MUNICIPALITIES = f"""
SELECT ?m ?name ?code ?area ?number WHERE {{
  ?m a kg:Municipality .
  OPTIONAL {{ ?m kg:corporateNumber ?number }}
  OPTIONAL {{ ?m rdfs:label ?name FILTER(lang(?name) = "ja") }}
  OPTIONAL {{ ?m kg:localGovernmentCode ?code }}
  OPTIONAL {{ ?m rdfs:seeAlso ?area FILTER(STRSTARTS(STR(?area), "{ESTAT_SAC}")) }}
}}"""

_ORGANISATIONS = """
SELECT ?o ?name ?written ?number WHERE {
  { ?c dpv:hasRecipient|dpv:hasDataSource ?o } UNION { ?o a kg:Organisation }
  FILTER(isIRI(?o))
  FILTER NOT EXISTS { ?o kg:isUnnamed true }
  FILTER NOT EXISTS { ?o a kg:Municipality }
  OPTIONAL { ?o skos:prefLabel ?pref FILTER(lang(?pref) = "ja") }
  OPTIONAL { ?o rdfs:label ?label FILTER(lang(?label) = "ja") }
  OPTIONAL { ?o kg:asWritten ?written }
  BIND(COALESCE(?pref, ?label, ?written) AS ?name)
  FILTER(BOUND(?name))
  OPTIONAL { ?o kg:corporateNumber ?number }
}"""

_KINDS = """
SELECT ?o ?code ?label WHERE { ?o ic:組織種別 ?k . ?k ic:識別値 ?code . OPTIONAL { ?k ic:表記 ?label } }"""

_ADDRESSES = """
SELECT ?o ?text ?pref ?city ?post ?area WHERE {
  ?o ic:住所 ?a . ?a ic:表記 ?text .
  OPTIONAL { ?a ic:都道府県 ?pref } OPTIONAL { ?a ic:市区町村 ?city }
  OPTIONAL { ?a ic:郵便番号 ?post } OPTIONAL { ?a ic:市区町村コード ?area }
}"""


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    rows = solutions(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True))
    names = [v.value for v in rows.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in rows]


def _identifier(scheme: str, value: str) -> dict[str, Any]:
    return {"@type": "ID型", "体系": {"@type": "ID体系型", "表記": scheme}, "識別値": value}


def _name(text: str) -> dict[str, Any]:
    return {"@type": "名称型", "表記": text}


def organisations(store: ox.Store) -> list[dict[str, Any]]:
    """One IMI node per municipality and named organisation, in IRI order."""
    nodes: dict[str, dict[str, Any]] = {}
    for row in _rows(store, _MUNICIPALITIES):
        node = nodes.setdefault(row["m"], {"@id": row["m"], "@type": "組織型"})
        if "name" in row:
            node["表記"] = row["name"]
            node["名称"] = _name(row["name"])
        ids = node.setdefault("ID", [])
        for scheme, key in ((LOCAL_GOVERNMENT_SCHEME, "code"), (CORPORATE_NUMBER_SCHEME, "number")):
            if key in row and all(i["識別値"] != row[key] for i in ids):
                ids.append(_identifier(scheme, row[key]))
        if "number" in row:
            node["@type"] = "法人型"
        if not ids:
            del node["ID"]
        if "area" in row:
            node["住所"] = {"@type": "住所型", "市区町村コード": {"@id": row["area"]}}
            if "name" in row:
                node["住所"]["市区町村"] = row["name"]
    for row in _rows(store, _ORGANISATIONS):
        node = nodes.setdefault(row["o"], {"@id": row["o"], "@type": "組織型"})
        node.setdefault("表記", row["name"])
        node.setdefault("名称", _name(row["name"]))
        if "number" in row:
            node["@type"] = "法人型"
            ids = node.setdefault("ID", [])
            if all(i["識別値"] != row["number"] for i in ids):
                ids.append(_identifier(CORPORATE_NUMBER_SCHEME, row["number"]))
    for row in _rows(store, _KINDS):
        if row["o"] in nodes:
            kind = {
                "@type": "コード型",
                "コード種別": {"@type": "コードリスト型", "表記": "法人種別"},
                "識別値": row["code"],
            }
            if "label" in row:
                kind["表記"] = row["label"]
            nodes[row["o"]]["組織種別"] = kind
    for row in _rows(store, _ADDRESSES):
        if row["o"] in nodes:
            address: dict[str, Any] = {"@type": "住所型", "表記": row["text"]}
            for key, term in (("pref", "都道府県"), ("city", "市区町村"), ("post", "郵便番号")):
                if key in row:
                    address[term] = row[key]
            if "area" in row:
                address["市区町村コード"] = {"@id": row["area"]}
            nodes[row["o"]]["住所"] = address
    for node in nodes.values():
        if "ID" in node:
            node["ID"] = sorted(node["ID"], key=lambda i: (i["体系"]["表記"], i["識別値"]))
    return [nodes[iri] for iri in sorted(nodes)]


def imi_jsonld(store: ox.Store) -> str:
    """The IMI view as a JSON-LD document (compact, IMI terms as keys)."""
    document = {"@context": {"@vocab": IC, "ic": IC}, "@graph": organisations(store)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
