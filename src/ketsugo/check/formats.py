"""Output of `ketsugo validate`: the SHACL validation report (Turtle), text and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ketsugo.check.findings import (
    _SH_SEVERITY,
    KGSH,
    KIND_HEADINGS,
    SEVERITIES,
    SEVERITY_JA,
    Finding,
    Validation,
)
from ketsugo.errors import FINDING_KINDS
from ketsugo.graph.vocab import KG
from ketsugo.prefixes import PREFIXES


def combined_report(
    result_graphs: Iterable[Graph], extra: Iterable[Finding] = (), shapes: Graph | None = None
) -> Graph:
    """One sh:ValidationReport holding every result (per-report pyshacl results + cross-report rows)."""
    out = Graph(bind_namespaces="none")
    out.bind("sh", SH)
    out.bind("kgsh", KGSH)
    out.bind("rdf", RDF)
    out.bind("rdfs", RDFS)
    out.bind("xsd", XSD)
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    report = BNode()
    out.add((report, RDF.type, SH.ValidationReport))
    count = 0
    constraints: set[Node] = set()
    for results in result_graphs:
        own = set(results.subjects(RDF.type, SH.ValidationReport))
        for s, p, o in results:
            if s in own:
                if p == SH.result:
                    out.add((report, SH.result, o))
                    count += 1
                continue
            out.add((s, p, o))
            if p == SH.sourceConstraint and isinstance(o, BNode):
                constraints.add(o)
    if shapes is not None:  # describe the (anonymous) SPARQL constraints the results point to
        for node in constraints:
            for triple in shapes.triples((node, None, None)):
                out.add(triple)
    for finding in extra:
        node = BNode()
        out.add((report, SH.result, node))
        out.add((node, RDF.type, SH.ValidationResult))
        out.add((node, SH.resultSeverity, _SH_SEVERITY[finding.severity]))
        out.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        out.add((node, SH.sourceShape, KGSH[finding.shape.removesuffix(".rq")]))
        if finding.focus:
            out.add((node, SH.focusNode, URIRef(finding.focus)))
        if finding.value is not None:
            out.add((node, SH.value, Literal(finding.value)))
        out.add((node, SH.resultMessage, Literal(finding.message_ja, lang="ja")))
        out.add((node, SH.resultMessage, Literal(finding.message_en, lang="en")))
        out.add((node, KG.findingKind, Literal(finding.kind)))
        count += 1
    out.add((report, SH.conforms, Literal(count == 0)))
    return out


# --- output formats ----------------------------------------------------------------------------------


def _counts(findings: list[Finding]) -> tuple[str, str]:
    """ "1 violation(s), 0 warning(s), 5 info(s)" and its Japanese, for the given findings."""
    en = ", ".join(f"{sum(1 for f in findings if f.severity == s)} {s.lower()}(s)" for s in SEVERITIES)
    ja = "、".join(f"{SEVERITY_JA[s]} {sum(1 for f in findings if f.severity == s)} 件" for s in SEVERITIES)
    return en, ja


def format_text(validation: Validation) -> str:
    """Findings in four sections by kind (the report / disclosure gaps / reading it / curation notes), then by
    severity; each in Japanese and English, with file, line, No. and department."""
    counts, counts_ja = _counts(validation.findings)
    reports = len(validation.reports)
    lines = [f"ketsugo validate: {reports} report(s) / 報告 {reports} 件 — {counts} / {counts_ja}"]
    lines.extend(_origin_line(validation.findings))
    for kind in FINDING_KINDS:
        of_kind = [f for f in validation.findings if f.kind == kind]
        if not of_kind:
            continue
        english, japanese = KIND_HEADINGS[kind]
        kind_counts, kind_counts_ja = _counts(of_kind)
        lines.append("")
        lines.append(f"#### {english} / {japanese}: {kind_counts} / {kind_counts_ja}")
        for severity in SEVERITIES:
            group = [f for f in of_kind if f.severity == severity]
            if not group:
                continue
            lines.append("")
            lines.append(f"== {severity} / {SEVERITY_JA[severity]} ({len(group)}) ==")
            for finding in group:
                lines.append(f"{finding.where()}  [{finding.shape}]")
                lines.append(f"  ja: {finding.message_ja}")
                lines.append(f"  en: {finding.message_en}")
    if not validation.findings:
        lines.append("no findings / 指摘事項なし")
    return "\n".join(lines) + "\n"


def origin_counts(findings: list[Finding]) -> tuple[int, int]:
    """(noted while reading, by validate's own checks): `ketsugo build` counts only the first."""
    reading = sum(1 for f in findings if f.noted_while_reading)
    return reading, len(findings) - reading


def _origin_line(findings: list[Finding]) -> list[str]:
    """Why these counts exceed the "finding(s) while reading" of `ketsugo build`."""
    reading, own = origin_counts(findings)
    if not findings:
        return []
    return [
        f"  of these, {reading} were noted while reading the report (the findings `ketsugo build` counts) "
        f"and {own} come from validate's own checks / うち {reading} 件は報告書の読み取り時の記録"
        f"（ketsugo build が数えるもの）、{own} 件は validate 自身の検査による"
    ]


def format_json(validation: Validation) -> str:
    """A JSON array, one finding per line: readable, diffable line by line, and written by the C
    encoder (``indent=`` takes Python's own, ≈ 3 s for a national build's 100,000 findings)."""
    if not validation.findings:
        return "[]\n"
    lines = (json.dumps(f.to_json(), ensure_ascii=False) for f in validation.findings)
    return "[\n" + ",\n".join(lines) + "\n]\n"


def format_ttl(validation: Validation) -> str:
    return validation.report_graph.serialize(format="turtle")
