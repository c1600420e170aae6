"""Catalogue parameters: a value typed by the user becomes a checked RDF term.

A name (category, counterparty, …) is resolved to the one IRI it stands for — by IRI, prefixed
name, slug or label — with the look-up's candidates bound as VALUES rows of RDF terms, never
pasted as text; an unknown or ambiguous name is a QueryError naming the close matches.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ketsugo.prefixes import KG, KGC, KID, XSD, compact_iri
from ketsugo.read.normalize import match_key
from ketsugo.sparql.backends import LocalBackend, RemoteBackend, run
from ketsugo.sparql.results import to_python
from ketsugo.sparql.text import DEFAULT_PREFIXES, QueryError

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ketsugo.graph.terms import OxTerm
    from ketsugo.sparql.catalogue import CatalogueQuery


@dataclass(frozen=True)
class _NamedType:
    classes: tuple[str, ...]  # rdf:type of the things a value may name (by label, slug or IRI)
    namespaces: tuple[str, ...]  # a bare slug is tried in these
    iri_only: tuple[str, ...] = ()  # rdf:type of things named only by their IRI


_NAMED_TYPES = {
    "category": _NamedType((KG + "DataItemCategory",), (KGC,)),
    # any recipient: a named organisation or kind of party, or (by IRI) one connection's unnamed party
    "counterparty": _NamedType(
        (KG + "Organisation", KG + "PartyKind"), (KID + "org/", KG), iri_only=(KG + "UnnamedCounterparty",)
    ),
    "sensitivity": _NamedType((KG + "Sensitivity",), (KG,)),
    "subject-class": _NamedType((KG + "DataSubjectClass",), (KID + "subject-class/",)),
    "decision-type": _NamedType((KG + "DecisionType",), (KG,)),
}
# A parameter value longer than this names nothing (the longest label is far shorter); refused at once.
MAX_VALUE_CHARS = 1000
# Up to this many things of a type, an unknown name is answered with all of them.
LIST_ALL_UP_TO = 20

# The look-up queries: their input (class, candidate IRI or label) is bound as VALUES rows.
_THINGS_BY_IRI = "SELECT DISTINCT ?thing WHERE { ?thing a ?class }"
_THINGS_BY_LABEL = (
    "SELECT DISTINCT ?thing WHERE { ?thing rdfs:label|skos:prefLabel|skos:altLabel ?label ; a ?class }"
)
_THINGS_OF_TYPE = (
    "SELECT DISTINCT ?thing ?class ?label ?shown WHERE { ?thing a ?class ."
    " OPTIONAL { ?thing rdfs:label|skos:prefLabel|skos:altLabel ?label }"
    ' OPTIONAL { ?thing skos:prefLabel|rdfs:label ?shown FILTER(lang(?shown) = "ja") } }'
)


def expand_iri(text: str) -> str | None:
    """A full IRI (optionally in <>), or a prefixed name with a default prefix; None otherwise."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://", value):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in DEFAULT_PREFIXES and local and not local.startswith("//"):
        return DEFAULT_PREFIXES[prefix] + local
    return None


def _class_rows(classes: Iterable[str]) -> list[dict[str, OxTerm]]:
    import pyoxigraph as ox

    return [{"class": ox.NamedNode(c)} for c in classes]


@dataclass
class _Things:
    """Every thing a named type may name: labels (IRI, label), a label to show, every IRI."""

    labelled: list[tuple[str, str]]
    shown: dict[str, str]
    iris: set[str]
    named: set[str]  # the IRIs of things named by label (not the IRI-only ones)


def _named_things(backend: LocalBackend | RemoteBackend, kind: _NamedType) -> _Things:
    things = _Things([], {}, set(), set())
    rows = run(backend, _THINGS_OF_TYPE, rows=_class_rows(kind.classes + kind.iri_only)).records()
    for row in rows:
        iri = row["thing"]
        things.iris.add(iri)
        if row["class"] not in kind.classes:
            continue
        things.named.add(iri)
        if row["label"] is not None:
            things.labelled.append((iri, row["label"]))
        if row["shown"] is not None:
            things.shown[iri] = min(things.shown.get(iri, row["shown"]), row["shown"])
    return things


def _slugs(text: str) -> list[str]:
    """Spellings of a slug or local name to try: as given, NFKC-normalised, that in lower case, and
    with its words joined by hyphens (slugs are lower-case words joined by "-")."""
    from ketsugo.read.normalize import normalize

    found: list[str] = []
    hyphenated = "-".join(normalize(text).lower().split())  # "My Number" → my-number
    for slug in (text.strip(), normalize(text), normalize(text).lower(), hyphenated):
        if slug and slug not in found and not re.search(r"[\s<>\"{}|^`\\]", slug):
            found.append(slug)
    return found


def _candidate_iris(kind: _NamedType, text: str) -> list[str]:
    """The IRIs a value may spell: an IRI or prefixed name, or a slug in the type's namespaces."""
    full = expand_iri(text)
    candidates = [full] if full is not None else []
    candidates += [ns + slug for ns in kind.namespaces for slug in _slugs(text)]
    return list(dict.fromkeys(candidates))


def _quick_resolve(backend: LocalBackend | RemoteBackend, kind: _NamedType, text: str) -> str | None:
    """The common cases in two small queries: an IRI, prefixed name or slug, or a label spelled
    exactly. The candidates are bound as VALUES rows of RDF terms, never pasted as text."""
    import pyoxigraph as ox

    candidates: list[ox.NamedNode] = []
    for iri in _candidate_iris(kind, text):
        try:
            candidates.append(ox.NamedNode(iri))
        except ValueError:
            continue
    classes = [ox.NamedNode(c) for c in kind.classes + kind.iri_only]
    if candidates:
        rows: list[dict[str, OxTerm]] = [{"thing": c, "class": t} for c in candidates for t in classes]
        found: set[str] = {r["thing"] for r in run(backend, _THINGS_BY_IRI, rows=rows).records()}
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            return None  # ambiguous: the full look-up says so
    stripped = text.strip()
    labels = [ox.Literal(stripped, language="ja"), ox.Literal(stripped, language="en"), ox.Literal(stripped)]
    rows = [{"label": label, "class": ox.NamedNode(c)} for label in labels for c in kind.classes]
    found = {r["thing"] for r in run(backend, _THINGS_BY_LABEL, rows=rows).records()}
    return next(iter(found)) if len(found) == 1 else None


def resolve_named(backend: LocalBackend | RemoteBackend, kind_name: str, text: str) -> str:
    """The IRI a label, alias, slug, prefixed name or IRI names; QueryError with close matches
    (or, for a type with few things, every valid value)."""
    kind = _NAMED_TYPES[kind_name]
    quick = _quick_resolve(backend, kind, text)
    if quick is not None:
        return quick
    things = _named_things(backend, kind)
    for candidate in _candidate_iris(kind, text):
        if candidate in things.iris:
            return candidate
    key = match_key(text)
    by_key: dict[str, set[str]] = {}
    by_part: dict[str, set[str]] = {}
    for iri, label in things.labelled:
        by_key.setdefault(match_key(label), set()).add(iri)
        for part in _label_parts(label):
            by_part.setdefault(part, set()).add(iri)
    # a whole label first (any language, alt labels too); else the part of a label before or
    # inside its brackets: "Individual Number (My Number)" answers to "My Number"
    found = by_key.get(key) or by_part.get(key, set())
    if len(found) == 1:
        return next(iter(found))

    def entry(iri: str) -> str:
        return f"{things.shown[iri]} <{iri}>" if iri in things.shown else f"<{iri}>"

    if len(found) > 1:
        names = ", ".join(entry(i) for i in sorted(found))
        raise QueryError(f"{kind_name} {text!r} is ambiguous: it names {names}; give the IRI")
    close: list[str] = []
    for iri in _close_matches(key, things.labelled):
        if entry(iri) not in close:
            close.append(entry(iri))
    if close:
        hint = "; close matches: " + "; ".join(close[:8])
    elif len(things.named) <= LIST_ALL_UP_TO:
        valid = sorted(things.named, key=lambda i: (things.shown.get(i, ""), i))
        listed = "; ".join(
            f"{things.shown[i]} ({compact_iri(i)})" if i in things.shown else compact_iri(i) for i in valid
        )
        hint = f"; valid values: {listed}" if valid else "; the store has none"
    else:
        classes = " ".join(compact_iri(c) for c in kind.classes)
        hint = (
            f"; {len(things.named)} are known: list them with `ketsugo sparql 'SELECT ?iri ?label WHERE "
            f"{{ VALUES ?class {{ {classes} }} ?iri a ?class ; skos:prefLabel ?label }} ORDER BY ?label'`"
        )
    raise QueryError(f"unknown {kind_name} {text!r}{hint}")


_BRACKETED = re.compile(r"\s*(?P<outside>[^(（]+?)\s*[(（](?P<inside>[^)）]+)[)）]\s*")


def _label_parts(label: str) -> set[str]:
    """The keys of a label "X (Y)" or "X（Y）" other than its whole: X and Y (each a name in itself)."""
    found = _BRACKETED.fullmatch(label)
    if found is None:
        return set()
    return {match_key(found["outside"]), match_key(found["inside"])} - {"", match_key(label)}


def _words(text: str) -> list[str]:
    from ketsugo.read.normalize import normalize

    return [w for w in re.findall(r"[^\W_]+", normalize(text).casefold()) if len(w) >= 3]


def _close_matches(key: str, labelled: list[tuple[str, str]]) -> list[str]:
    """IRIs whose labels are close to a name's key, closest first.

    A label close to it: one key inside the other (生年月 / 生年月日), a similar spelling
    (difflib), or the same words in another order or run together (birthdate / Date of birth).
    """
    if not key:
        return []
    scores: dict[str, float] = {}
    by_key: dict[str, set[str]] = {}
    for iri, label in labelled:
        by_key.setdefault(match_key(label), set()).add(iri)
        words = _words(label)
        covered = sum(len(w) for w in words if w in key)
        if covered and covered / len(key) >= 0.6:
            scores[iri] = max(scores.get(iri, 0.0), 1.0 + covered / len(key))
    for label_key, iris in by_key.items():
        score = 0.0
        if key in label_key or label_key in key:
            score = 2.0 + min(len(key), len(label_key)) / max(len(key), len(label_key))
        else:
            ratio = difflib.SequenceMatcher(None, key, label_key).ratio()
            score = ratio if ratio >= 0.6 else 0.0
        for iri in iris:
            if score:
                scores[iri] = max(scores.get(iri, 0.0), score)
    return sorted(scores, key=lambda iri: (-scores[iri], iri))


def parse_param_options(options: Iterable[str]) -> dict[str, str]:
    """`--param k=v` options to a dict; QueryError for a malformed one or a repeated name."""
    values: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryError(f"--param takes NAME=VALUE, not {option!r}")
        if name in values:
            raise QueryError(f"--param {name} given twice")
        values[name] = value
    return values


def bind_parameters(
    query: CatalogueQuery, given: dict[str, str], backend: LocalBackend | RemoteBackend
) -> dict[str, ox.NamedNode | ox.Literal]:
    """RDF terms for the query's parameters: given values, else defaults; checked and resolved."""
    known = {p.name for p in query.parameters}
    unknown = sorted(set(given) - known)
    if unknown:
        listed = ", ".join(p.describe() for p in query.parameters) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (parameters: {listed})")
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for parameter in query.parameters:
        value = given.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                example = f", e.g. --param {parameter.name}={parameter.example}" if parameter.example else ""
                raise QueryError(
                    f"query {query.name} needs --param {parameter.name}=… ({parameter.type}{example})"
                )
            continue
        bindings[parameter.name] = parameter_term(parameter.type, value, backend, parameter.name)
    for parameter in query.parameters:
        earlier = parameter.not_before
        if earlier is None or parameter.name not in bindings or earlier not in bindings:
            continue
        if to_python(bindings[parameter.name]) < to_python(bindings[earlier]):
            raise QueryError(
                f"--param {parameter.name}={bindings[parameter.name].value} is before "
                f"--param {earlier}={bindings[earlier].value}: nothing can fall between them"
            )
    return bindings


def parameter_term(
    kind: str, value: str, backend: LocalBackend | RemoteBackend, name: str = ""
) -> ox.NamedNode | ox.Literal:
    import pyoxigraph as ox

    label = f"--param {name}" if name else kind
    if len(value) > MAX_VALUE_CHARS:  # refused before any look-up: the search for close names grows with it
        raise QueryError(
            f"{label}: a value of {len(value):,} characters ({value[:40]!r}…): no {kind} is that long "
            f"(at most {MAX_VALUE_CHARS:,} characters)"
        )
    if kind in _NAMED_TYPES:
        if not value.strip():
            raise QueryError(f"{label}: empty {kind}")
        return ox.NamedNode(resolve_named(backend, kind, value))
    if kind == "date":
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise QueryError(f"{label}: {value!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"{label}: {value!r} is not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "iri":
        full = expand_iri(value)
        try:
            return ox.NamedNode(full if full is not None else value.strip())
        except ValueError:
            raise QueryError(f"{label}: {value!r} is not an IRI") from None
    return ox.Literal(value)
