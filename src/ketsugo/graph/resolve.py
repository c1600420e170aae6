"""Resolution of report cells against the curated registries.

Counterparties (結合の相手方) resolve to named organisations (``kid:org/…``) or to kinds of
unnamed party (``kg:PartyKind`` individuals); departments (結合を行った課) to department IRIs and
their implementing agency; 処理対象者 cells to data-subject classes; law names to ``kg:Law``
nodes. Every label, alias and pattern comes from the reference graph (``data/reference/*.ttl``):
this module holds matching rules only, no data.

A name no registry knows is still classified (:mod:`ketsugo.graph.partyrules`: legal form, name rules,
the local-government code list) and gets one IRI per organisation key (:mod:`ketsugo.graph.orgnames`),
so spellings of one organisation are one node across connections and reports; a department no
registry knows is attributed to an agency by rule (:mod:`ketsugo.graph.agencies`). Only what no rule
can place becomes a curation note.

Matching compares the keys of :mod:`ketsugo.read.normalize`: aliases of counterparties by
:func:`~ketsugo.read.normalize.fold` (white space kept, as it separates parties in a cell); labels of
agencies and laws and subject patterns by :func:`~ketsugo.read.normalize.match_key`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import ORG, SKOS

from ketsugo.graph import agencies, vocab
from ketsugo.graph.deptpaths import department_tokens
from ketsugo.graph.orgnames import (
    ends_with_legal_form,
    has_legal_form,
    is_only_legal_form,
    organisation_key,
    starts_with_legal_form,
)
from ketsugo.graph.partyrules import (
    Classification,
    classify,
    detail_pattern,
    is_address,
    is_detail,
    is_office,
    office_start,
    split_at_colon,
    split_parenthetical,
    split_role_label,
    strip_open_ended,
    subcontractor,
)
from ketsugo.graph.vocab import KG
from ketsugo.read.legalforms import legal_forms
from ketsugo.read.normalize import KeyedText, fold, match_key, normalize

MEMO_LIMIT = 50_000  # cells whose resolution a Registry remembers
_SEPARATORS = re.compile(r"[\s、，,；;／/]+|及び|並びに")
_TRAILING_PARENTHETICAL = re.compile(r"[（(][^（）()]*[）)]$")
_QUOTES = "「」『』\"'“”"
_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


@dataclass(frozen=True)
class PartyMatch:
    as_written: str  # the segment of the cell
    organisation: URIRef | None  # kid:org/… when a named organisation
    kind: URIRef | None  # kg:PartyKind individual when a kind of party (unnamed)
    # how it was placed (not compared: two matches are equal when they name the same party):
    # None for a curated registry entry; else the rule, class, key and label of the classification
    classification: Classification | None = field(default=None, compare=False)
    open_ended: bool = field(default=False, compare=False)  # written with ほか / 等 after it
    # a subcontractor written in brackets after its contractor (株式会社A（再委託先：株式会社B）):
    # the index of the contractor among the cell's parties (0-based), else None
    contractor: int | None = field(default=None, compare=False)

    @property
    def curated(self) -> bool:
        return self.classification is None and (self.organisation is not None or self.kind is not None)


class DepartmentMatch(NamedTuple):
    name: str  # normalised
    department: URIRef
    agency: URIRef | None
    rule: str  # "" when a registry attributes it; else the rule that did (kept as kg:attributedBy)


class Registry:
    """Look-ups over the curated registries of a reference graph."""

    def __init__(
        self,
        party_aliases: dict[str, tuple[URIRef, bool]],
        ambiguous_aliases: dict[str, set[URIRef]],
        departments: dict[URIRef, URIRef | None],
        agencies: dict[tuple[str, str], URIRef],
        subject_patterns: list[tuple[str, URIRef]],
        laws: dict[str, URIRef],
        organisation_keys: dict[str, URIRef] | None = None,
        local_governments: dict[str, URIRef] | None = None,
        curated_places: frozenset[URIRef] = frozenset(),
        subject_labels: dict[str, URIRef] | None = None,
    ) -> None:
        self._party_aliases = party_aliases  # key (white space kept) -> (IRI, is an organisation)
        self.ambiguous_aliases = ambiguous_aliases  # keys naming more than one organisation/party kind
        self._departments = departments  # department IRI -> agency IRI
        self._agencies = agencies  # (municipality code, label key) -> agency IRI
        self._subject_patterns = subject_patterns  # (pattern key, class IRI)
        self._subject_labels = subject_labels or {}  # whole-cell key -> class IRI (kg:matchLabel)
        self._laws = laws  # label key -> law IRI
        self._organisation_keys = organisation_keys or {}  # orgnames.organisation_key -> organisation
        self._local_governments = local_governments or {}  # local government code -> organisation
        self._local_government_nodes = frozenset(self._local_governments.values())
        self.curated_agencies = frozenset(agencies.values())
        self.curated_places = curated_places  # municipalities, departments and agencies of the registry
        # answers per cell: the same cells recur across rows and reports (immutable answers only)
        self._memo: dict[tuple[Any, ...], Any] = {}

    def _remembered(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        found = self._memo.get(key)
        if found is None:
            found = compute()
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return found

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> Registry:
        """Build the registry from a graph holding the reference files (no inference needed)."""
        by_alias: dict[str, set[tuple[URIRef, bool]]] = defaultdict(set)
        by_match_key: dict[str, set[URIRef]] = defaultdict(set)
        for kind_class, is_org in ((KG.Organisation, True), (KG.PartyKind, False)):
            for node in graph.subjects(RDF.type, kind_class):
                if not isinstance(node, URIRef):
                    continue
                for label in _labels(graph, node):
                    key = fold(label).strip()
                    if key:
                        by_alias[key].add((node, is_org))
                        by_match_key[match_key(label)].add(node)
        ambiguous = {key: nodes for key, nodes in by_match_key.items() if len(nodes) > 1}
        by_org_key: dict[str, set[URIRef]] = defaultdict(set)
        local_governments: dict[str, URIRef] = {}
        for node in graph.subjects(RDF.type, KG.Organisation):
            if isinstance(node, URIRef):
                for label in _labels(graph, node):
                    by_org_key[organisation_key(label)].add(node)
                for code in graph.objects(node, KG.localGovernmentCode):
                    local_governments.setdefault(str(code), node)
        organisation_keys = {key: next(iter(nodes)) for key, nodes in by_org_key.items() if len(nodes) == 1}
        party_aliases = {
            key: next(iter(entries))
            for key, entries in by_alias.items()
            if len(entries) == 1 and "".join(key.split()) not in ambiguous
        }

        departments: dict[URIRef, URIRef | None] = {}
        for dept in graph.subjects(RDF.type, KG.Department):
            if isinstance(dept, URIRef):
                unit_of = graph.value(dept, ORG.unitOf)
                departments[dept] = unit_of if isinstance(unit_of, URIRef) else None

        agencies: dict[tuple[str, str], URIRef] = {}
        for agency in graph.subjects(RDF.type, KG.ImplementingAgency):
            if not isinstance(agency, URIRef):
                continue
            for municipality in graph.objects(agency, ORG.subOrganizationOf):
                for code in graph.objects(municipality, KG.localGovernmentCode):
                    for label in _labels(graph, agency):
                        agencies.setdefault((str(code), match_key(label)), agency)

        subject_patterns: list[tuple[str, URIRef]] = []
        for concept in graph.subjects(RDF.type, KG.DataSubjectClass):
            if isinstance(concept, URIRef):
                for pattern in graph.objects(concept, KG.matchPattern):
                    key = match_key(str(pattern))
                    if key:
                        subject_patterns.append((key, concept))
        subject_patterns.sort(key=lambda entry: (entry[1], entry[0]))
        subject_labels: dict[str, URIRef] = {}
        for concept in sorted(
            c for c in graph.subjects(RDF.type, KG.DataSubjectClass) if isinstance(c, URIRef)
        ):
            for whole in graph.objects(concept, KG.matchLabel):
                subject_labels.setdefault(match_key(str(whole)), concept)

        laws: dict[str, URIRef] = {}
        for law in sorted(s for s in graph.subjects(RDF.type, KG.Law) if isinstance(s, URIRef)):
            for label in _labels(graph, law):
                laws.setdefault(match_key(label), law)

        places = {
            node
            for kind in (KG.Municipality, KG.Department, KG.ImplementingAgency)
            for node in graph.subjects(RDF.type, kind)
            if isinstance(node, URIRef)
        }
        return cls(
            party_aliases,
            ambiguous,
            departments,
            agencies,
            subject_patterns,
            laws,
            organisation_keys,
            local_governments,
            frozenset(places),
            subject_labels,
        )

    # -- counterparties -----------------------------------------------------------------------
    def counterparties(self, cell: str) -> tuple[list[PartyMatch], list[str]]:
        """The parties of a 結合の相手方 cell and the curation notes (see ``_counterparties``)."""
        found, notes, _ = self._remembered(("counterparties", cell), lambda: self._counterparties(cell))
        return list(found), list(notes)

    def counterparty_warnings(self, cell: str) -> list[str]:
        """What of a 結合の相手方 cell was read only by a guess or dropped (an unclosed bracket, a
        party named as its own subcontractor): warnings, not curation notes, as no registry entry
        would mend them."""
        _, _, warnings = self._remembered(("counterparties", cell), lambda: self._counterparties(cell))
        return list(warnings)

    def _counterparties(self, cell: str) -> tuple[tuple[PartyMatch, ...], tuple[str, ...], tuple[str, ...]]:
        """The parties of a 結合の相手方 cell, in order, each placed: a curated organisation or kind of
        party, else classified by rule (:func:`ketsugo.graph.partyrules.classify`), else unresolved.

        The cell is cut at separators (、 , white space, ／, 及び) and at a ・ next to a legal form;
        a piece that is only a legal form (「株式会社 A」) joins its name; adjacent pieces whose
        join is a curated name are one party; a detail under a label (所在地：…, 代表者：…) joins
        the party before it (:func:`_join_details`). A subcontractor in brackets after a party (株式会社A
        （再委託先：株式会社B）) is a party too, written with the bracket's words; nested brackets
        (再々委託先) give the subcontractor's own. The notes name what no rule could place; the
        warnings what was read by a guess or dropped.
        """
        pieces = _join_after_space(cell, _join_lone_forms(cell, _pieces(cell)), is_office)
        pieces = self._join_known(cell, _join_after_space(cell, pieces, is_address))
        pieces = _join_details(cell, pieces, self._names_a_party)
        found: list[PartyMatch] = []
        notes: list[str] = []
        warnings: list[str] = []
        for start, end in pieces:
            text = cell[start:end].strip()
            if self._subcontract_piece(text, found, notes, warnings):
                continue
            sub = _subcontracted(text)
            matches = self._party(text) if sub is None else self._contractor(text, sub[2])
            if matches is None:
                matches = [PartyMatch(as_written=text, organisation=None, kind=None)]
                notes.append(f"unrecognised counterparty: {text!r}")
            found.extend(matches)
            if sub is not None:  # 株式会社A（株式会社Bに再委託）: B is a party too, A's subcontractor
                if sub[3]:
                    warnings.append(f"unclosed bracket, read as closed at the end of the cell: {text!r}")
                more, more_notes, more_warnings = self._counterparties(sub[1])
                self._add_subcontractors(found, sub[0], more, warnings)
                notes.extend(more_notes)
                warnings.extend(more_warnings)
        return tuple(found), tuple(notes), tuple(warnings)

    def _subcontract_piece(
        self, text: str, found: list[PartyMatch], notes: list[str], warnings: list[str]
    ) -> bool:
        """Whether a piece is a subcontract by itself, apart from its contractor (株式会社A、株式会社Bに
        再委託; 株式会社A、再委託先：株式会社B), and then its parties are added: subcontractors of the one
        party before it; with none or several before it, parties of their own and a warning, as
        whose subcontractor they are is not written."""
        name = _raw_name(text, subcontractor(text))
        if name is None:
            return False
        more, more_notes, more_warnings = self._counterparties(name)
        notes.extend(more_notes)
        warnings.extend(more_warnings)
        direct = [at for at, m in enumerate(found) if m.contractor is None]
        if len(direct) == 1:
            self._add_subcontractors(found, text, more, warnings, direct[0])
            return True
        warnings.append(
            f"a subcontractor whose contractor is not clear, read as a party of its own: {text!r}"
        )
        base = len(found)
        alone = sum(1 for m in more if m.contractor is None) == 1
        found.extend(
            replace(m, as_written=text, contractor=None)
            if m.contractor is None and alone
            else replace(m, contractor=None if m.contractor is None else base + m.contractor)
            for m in more
        )
        return True

    def _contractor(self, text: str, head: str) -> list[PartyMatch] | None:
        """The party written before its subcontractor's bracket (株式会社A（再委託先：…） → 株式会社A),
        kept as written with the bracket; read by itself, so a nested or unclosed bracket does not
        become part of its name."""
        matches = self._party(head)
        if matches is None:
            return None
        return [*matches[:-1], replace(matches[-1], as_written=text)]

    @staticmethod
    def _add_subcontractors(
        found: list[PartyMatch],
        note: str,
        more: tuple[PartyMatch, ...],
        warnings: list[str],
        contractor: int | None = None,
    ) -> None:
        """The parties of a subcontractor's bracket, after its contractor (the last party found unless
        given): a
        direct subcontractor keeps the bracket's words as written (one) or its own with them (several);
        a nested one (再々委託) keeps its own and its own contractor. A party named as its
        contractor's own subcontractor is no second party: one party, and a warning."""
        contractor = len(found) - 1 if contractor is None else contractor
        direct = sum(1 for m in more if m.contractor is None)
        at: list[int] = []  # where each of ``more`` went in ``found``
        for m in more:
            owner = contractor if m.contractor is None else at[m.contractor]
            mine = found[owner]
            if (m.organisation, m.kind) == (mine.organisation, mine.kind) and (m.organisation or m.kind):
                warnings.append(f"a party named as its own subcontractor, kept once: {note!r}")
                at.append(owner)
                continue
            written = m.as_written
            if m.contractor is None:
                written = note if direct == 1 else f"{m.as_written}（{note}）"
            at.append(len(found))
            found.append(replace(m, as_written=written, contractor=owner))

    def _curated_party(self, text: str) -> PartyMatch | None:
        organisation = self._organisation_keys.get(organisation_key(text))
        if organisation is not None:
            return PartyMatch(text, organisation, None)
        entry = self._party_aliases.get(fold(text).strip())
        if entry is None:
            entry = self._party_aliases.get(match_key(text))
        if entry is not None:
            node, is_org = entry
            return PartyMatch(text, node if is_org else None, None if is_org else node)
        return None

    def _party(self, text: str) -> list[PartyMatch] | None:
        """One piece of a cell: curated, classified, or run-together curated names; None if none."""
        # details first: 担当：情報システム課ほか is no party written "and others"
        core, open_ended = strip_open_ended(_without_details(normalize(text)))
        core = _without_office(_without_address(core))
        found = self._curated_party(core)
        labelled = split_role_label(core) if found is None else None
        if labelled is not None:  # 委託先：株式会社X: the role is a note, the party the name after it
            after_label = self._party(labelled[1])
            if after_label is not None and len(after_label) == 1:
                return [replace(after_label[0], as_written=text)]
        sides = split_at_colon(core) if found is None and labelled is None else None
        if sides is not None:  # 株式会社A：株式会社B (no role before the colon): two parties
            left, right = self._party(sides[0]), self._party(sides[1])
            if left is not None and right is not None:
                return [*left, *right]
            if right is not None and len(right) == 1:  # 令和3年度～：株式会社B: a note, kept as written
                return [replace(right[0], as_written=text)]
        parts = split_parenthetical(core) if found is None else None
        # a name with a legal form of its own, or an address in the brackets: the bracket is a note
        # on the name (株式会社A（東京都千代田区）), not the party
        noted = parts is not None and (
            has_legal_form(parts[0])
            or is_address(parts[1])
            or is_detail(parts[1])
            or subcontractor(parts[1]) is not None
        )
        if parts is not None and not noted:  # 委託事業者（株式会社X）: the organisation named in brackets
            named = self._curated_or_classified(parts[1])
            found = named if named is not None and named.organisation is not None else None
        if found is None and parts is not None:  # 株式会社ABC（LGWAN-ASP）: a note on the name
            found = self._curated_or_classified(parts[0])
        if found is None:
            found = self._classified(core)
            apart = self._run_together(text) if found is not None else None
            if apart is not None and self._two_named(apart):
                return apart  # 国民健康保険中央会社会保険診療報酬支払基金: two parties, not one name
        if found is not None:
            return [PartyMatch(text, found.organisation, found.kind, found.classification, open_ended)]
        return self._run_together(text)

    def _two_named(self, parts: list[PartyMatch]) -> bool:
        """Whether a name placed by rule is rather several parties written without a separator (a
        typed line break lost, as a PDF's full line joins the next): a curated name and the rest
        parties by rule, none a local government (岡山県 before 国民健康保険団体連合会 is the place in
        one name) and none a kind of party alone."""
        return (
            len(parts) > 1
            and any(p.curated for p in parts)
            and all(p.organisation is not None for p in parts)
            and not any(p.organisation in self._local_government_nodes for p in parts)
            and not any(
                p.classification is not None and p.classification.local_government_code for p in parts
            )
        )

    def _names_a_party(self, text: str) -> bool:
        """Whether a piece after a party's detail is a party by itself, so the detail ends before it:
        a legal form, a role or detail label, a curated or classified name — but a local government
        is a place in an address (所在地：東京都 千代田区…), and a person's name is none of these."""
        if is_detail(text) or split_role_label(text) is not None or has_legal_form(text):
            return True
        found = classify(text)
        if found is not None:
            return found.kind_class != "LocalGovernment"
        return self._curated_party(text) is not None

    def _curated_or_classified(self, text: str) -> PartyMatch | None:
        return self._curated_party(text) or self._classified(text)

    def _classified(self, text: str) -> PartyMatch | None:
        found = classify(text)
        if found is None:
            return None
        if found.party_kind:
            return PartyMatch(text, None, KG[found.party_kind], found)
        curated = self._local_governments.get(found.local_government_code) or self._organisation_keys.get(
            found.key
        )
        if curated is not None:
            return PartyMatch(text, curated, None)
        return PartyMatch(text, vocab.organisation_by_key(found.key), None, found)

    def _run_together(self, text: str) -> list[PartyMatch] | None:
        """Curated names written without a separator (厚生労働省内閣官房): the longest aliases first;
        accepted only when every other part of the text is a party by rule (else None)."""
        keyed = KeyedText(text)
        key = keyed.key
        occurrences: list[tuple[int, int, URIRef, bool]] = []
        for alias, (node, is_org) in self._party_aliases.items():
            start = key.find(alias)
            while start != -1:
                occurrences.append((start, start + len(alias), node, is_org))
                start = key.find(alias, start + 1)
        occurrences.sort(key=lambda occ: (-(occ[1] - occ[0]), occ[0], str(occ[2])))
        taken = [False] * len(key)
        chosen: list[tuple[int, int, URIRef, bool]] = []
        for start, end, node, is_org in occurrences:
            if not any(taken[start:end]):
                chosen.append((start, end, node, is_org))
                taken[start:end] = [True] * (end - start)
        if not chosen:
            return None
        chosen.sort()
        found: list[tuple[int, PartyMatch]] = []
        spans = []
        for start, end, node, is_org in chosen:
            span = keyed.original_span(start, end)
            spans.append(span)
            found.append(
                (
                    span[0],
                    PartyMatch(text[span[0] : span[1]].strip(), *((node, None) if is_org else (None, node))),
                )
            )
        position = 0
        for span_start, span_end in [*spans, (len(text), len(text))]:
            gap = text[position:span_start]
            if gap.strip() and not is_only_legal_form(gap):
                piece = self._classified(gap.strip())
                if piece is None:
                    return None
                found.append((position, piece))
            position = max(position, span_end)
        found.sort(key=lambda entry: entry[0])
        return [match for _, match in found]

    def _join_known(self, cell: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Join adjacent pieces whose text together (white space dropped) is a curated name, longest first."""
        joined: list[tuple[int, int]] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i + 1, -1):
                span = (pieces[i][0], pieces[j - 1][1])
                if self._curated_party(cell[span[0] : span[1]]):
                    joined.append(span)
                    i = j
                    break
            else:
                joined.append(pieces[i])
                i += 1
        return joined

    # -- departments --------------------------------------------------------------------------
    def departments(
        self, cell: str, municipality_code: str, listed: frozenset[URIRef] = frozenset()
    ) -> tuple[list[DepartmentMatch], list[str]]:
        """The departments of a 結合を行った課 cell and the curation notes (see ``_departments_of``)."""
        found, notes = self._remembered(
            ("departments", cell, municipality_code, listed),
            lambda: self._departments_of(cell, municipality_code, listed),
        )
        return list(found), list(notes)

    def _departments_of(
        self, cell: str, municipality_code: str, listed: frozenset[URIRef]
    ) -> tuple[tuple[DepartmentMatch, ...], tuple[str, ...]]:
        """Split a 結合を行った課 cell into departments, each with its agency: the registry's, else by
        rule (:func:`ketsugo.graph.agencies.department_rule`; ``listed`` are the agencies the report's
        summary table names, for rules that apply only where the agency exists). The notes are
        curation notes: what to add to the registry."""
        results: list[DepartmentMatch] = []
        notes: list[str] = []
        seen: set[str] = set()
        listed_slugs = self._remembered(
            ("listed slugs", municipality_code, listed),
            lambda: frozenset(
                str(a).rsplit("/", 1)[-1]
                for a in (*listed, *self.curated_agencies)
                if str(a).startswith(str(vocab.agency(municipality_code, "")))
            ),
        )
        for token in department_tokens(cell):
            for name in _split_department_names(token):
                if name in seen:
                    continue
                seen.add(name)
                iri = vocab.department(municipality_code, name)
                agency = self._departments.get(iri)
                rule = ""
                if agency is None:
                    slug, rule = agencies.department_rule(name, municipality_code, listed_slugs)
                    agency = vocab.agency(municipality_code, slug)
                    where = f"data/reference/departments-{municipality_code}.ttl"
                    if iri in self._departments:
                        notes.append(
                            f"department {name!r} has no implementing agency in {where}: attributed by {rule}"
                        )
                    else:
                        notes.append(
                            f"department {name!r} is not in the registry: attributed by {rule}; "
                            f"add it to {where} (kg:Department with org:unitOf its agency) to confirm"
                            " (docs/your-report.md shows such a file)"
                        )
                results.append(DepartmentMatch(name, iri, agency, rule))
        return tuple(results), tuple(notes)

    def agency(self, label: str, municipality_code: str) -> URIRef | None:
        """The implementing agency of a municipality named ``label`` (e.g. 区長 → …/agency/mayor): the
        registry's, else by rule (agency-rules.toml); None when neither knows the label."""
        curated = self._agencies.get((municipality_code, match_key(label)))
        if curated is not None:
            return curated
        slug = agencies.slug_for_label(label, municipality_code)
        return vocab.agency(municipality_code, slug) if slug else None

    def is_curated(self, node: URIRef) -> bool:
        """True for a municipality, department or agency a registry file states (type and label)."""
        return node in self.curated_places

    # -- data subjects ------------------------------------------------------------------------
    def subject_classes(self, text: str) -> list[URIRef]:
        """Data-subject classes whose patterns occur in a 処理対象者 cell, in order of first occurrence."""
        return list(self._remembered(("subjects", text), lambda: tuple(self._subject_classes(text))))

    def _subject_classes(self, text: str) -> list[URIRef]:
        """A cell that is just a word too general for a fragment (住民, 市民: a fragment would also
        match 市民税) is matched whole (kg:matchLabel); else by the fragments it contains."""
        key = match_key(text)
        whole = self._subject_labels.get(key)
        if whole is not None:
            return [whole]
        first: dict[URIRef, int] = {}
        for pattern, concept in self._subject_patterns:
            at = key.find(pattern)
            if at != -1 and (concept not in first or at < first[concept]):
                first[concept] = at
        return sorted(first, key=lambda concept: (first[concept], str(concept)))

    # -- laws ---------------------------------------------------------------------------------
    def law(self, name: str) -> URIRef | None:
        """A law by its full or short name; a trailing parenthetical (e.g. （厚生労働省令）) is ignored."""
        candidate = normalize(name).strip(_QUOTES)
        while candidate:
            found = self._laws.get(match_key(candidate))
            if found is not None:
                return found
            stripped = _TRAILING_PARENTHETICAL.sub("", candidate).strip()
            if stripped == candidate:
                return None
            candidate = stripped
        return None


def _labels(graph: rdflib.Graph, node: URIRef) -> list[str]:
    labels = []
    for prop in _LABEL_PROPERTIES:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                labels.append(str(value))
    return sorted(set(labels))


def _split_separators(text: str) -> list[tuple[str, int]]:
    """Non-empty pieces of ``text`` between white space and list separators, with their offsets;
    never inside brackets (株式会社A（法人番号 1234…）, A（〒100-0001 東京都…）: a note on A)."""
    pieces = []
    position = 0
    for separator in _SEPARATORS.finditer(text):
        if _bracket_depth(text, separator.start()) > 0:
            continue
        if separator.start() > position:
            pieces.append((text[position : separator.start()], position))
        position = separator.end()
    if position < len(text):
        pieces.append((text[position:], position))
    return pieces


def _bracket_depth(text: str, at: int) -> int:
    """How many round brackets are open at ``text[at]`` (an unclosed one counts only until its text
    ends, so a stray bracket cannot hold a whole cell together: see the caller's check)."""
    before = text[:at]
    opened = before.count("（") + before.count("(") - before.count("）") - before.count(")")
    if opened <= 0:
        return 0
    after = text[at:]
    return opened if after.count("）") + after.count(")") >= opened else 0


def _split_department_names(token: str) -> list[str]:
    """Split run-together names at a 課 boundary when both sides are names of ≥2 characters ending in 課."""
    for i, char in enumerate(token[:-1]):
        left, right = token[: i + 1], token[i + 1 :]
        if char == "課" and len(left) >= 2 and len(right) >= 2 and right.endswith("課"):
            return [left, *_split_department_names(right)]
    return [token]


def _pieces(cell: str) -> list[tuple[int, int]]:
    """Spans of the pieces of a cell between separators, also cut at a ・ that follows or precedes
    a legal form (A株式会社・B株式会社), never inside a name (エヌ・ティ・ティ)."""
    spans = []
    for text, at in _split_separators(cell):
        start = 0
        for dot in re.finditer("[・･]", text):
            left, right = text[start : dot.start()], text[dot.end() :]
            if left and right and (ends_with_legal_form(left) or starts_with_legal_form(right)):
                spans.append((at + start, at + dot.start()))
                start = dot.end()
        spans.append((at + start, at + len(text)))
    spans = [(a, b) for a, b in spans if cell[a:b].strip()]
    joined: list[tuple[int, int]] = []
    for start, end in spans:  # Latin words apart only by white space are one name (Amazon Web Services)
        if (
            joined
            and cell[joined[-1][1] : start].isspace()
            and _latin(cell[joined[-1][0] : joined[-1][1]])
            and _latin(cell[start:end])
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _latin(text: str) -> bool:
    folded = normalize(text)
    return bool(folded) and folded.isascii() and any(c.isalpha() for c in folded)


def _join_lone_forms(cell: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A piece that is only a legal form ((株), 株式会社) is part of a name, never a party: it joins
    the next piece when that has no legal form of its own (「株式会社 A」), else the previous one."""
    spans = list(spans)
    i = 0
    while i < len(spans):
        if len(spans) > 1 and is_only_legal_form(cell[spans[i][0] : spans[i][1]]):
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            prev = spans[i - 1] if i > 0 else None
            if nxt is not None and (prev is None or not has_legal_form(cell[nxt[0] : nxt[1]])):
                spans[i : i + 2] = [(spans[i][0], nxt[1])]
            elif prev is not None:
                spans[i - 1 : i + 1] = [(prev[0], spans[i][1])]
                i -= 1
            continue
        i += 1
    return spans


def _subcontracted(text: str) -> tuple[str, str, str, bool] | None:
    """(the bracket as written, the subcontractor it names, the party before it, whether the bracket
    is left open) of a party written with its subcontractor in brackets after it (株式会社A（再委託先：
    株式会社B） → (再委託先：株式会社B, 株式会社B, 株式会社A, False); partyrules.subcontractor), or None.
    The bracket is the last one at the top level, nested brackets within it (再々委託先) kept; one
    opened and never closed is read as closed at the text's end. The bracket's words are kept as
    the subcontractor's text as written, so that the graph says it is a 再委託先."""
    found = _last_bracket(text.strip())
    if found is None:
        return None
    head, note, unclosed = found
    name = _raw_name(note, subcontractor(note))
    return None if name is None or not head else (note, name, head, unclosed)


def _raw_name(note: str, name: str | None) -> str | None:
    """The subcontractor's name as the note writes it (its start or end), when NFKC kept its length;
    else as normalised (partyrules.subcontractor reads the normalised note)."""
    if name is None:
        return None
    for raw in (note[-len(name) :], note[: len(name)]):
        if normalize(raw).strip() == name:
            return raw.strip()
    return name


def _last_bracket(text: str) -> tuple[str, str, bool] | None:
    """(the text before, the words within, whether left open) of the outermost bracket that ends the
    text (A（B（C）） → A, B（C）), or of the first bracket opened and never closed (A（B → A, B);
    None when the text ends otherwise or its brackets do not pair."""
    depth, opened = 0, -1
    for at, char in enumerate(text):
        if char in "（(":
            if depth == 0:
                opened = at
            depth += 1
        elif char in "）)":
            depth -= 1
            if depth < 0:
                return None
    if opened < 0:
        return None
    if depth > 0:  # left open: the last bracket opened at the top level holds the rest
        return text[:opened].strip(), text[opened + 1 :].strip(), True
    if not text.endswith(("）", ")")):
        return None
    return text[:opened].strip(), text[opened + 1 : -1].strip(), False


def _without_office(text: str) -> str:
    """The party without a trailing office joined to it (株式会社A 東京支店 → 株式会社A), also with no
    space where a legal form written last ends the name (A株式会社東京支店 → A株式会社). With the
    form in front and no space, only a bare 本社/本店 or an office after a place is cut
    (株式会社A松山支店 → 株式会社A; partyrules.office_start); 株式会社A情報センター stays whole."""
    head, _, tail = text.rstrip().rpartition(" ")
    if head.strip() and tail and is_office(tail):
        return head.strip()
    if starts_with_legal_form(text):  # 一般財団法人…センター: the form in front, cut only by place
        cut = office_start(text)
        return text if cut is None else text[:cut]
    for form in legal_forms():
        at = text.find(form.name)
        end = at + len(form.name)
        if at > 0 and text[end:].strip() and is_office(text[end:]):
            return text[:end]
    return text


def _without_address(text: str) -> str:
    """The party without its address written after a white space (株式会社A 東京都千代田区一番町1-1,
    株式会社A 〒100-0001 …: party-patterns.toml `addresses`)."""
    for space in re.finditer(r"\s+", text):
        if space.start() > 0 and _bracket_depth(text, space.start()) == 0 and is_address(text[space.end() :]):
            return text[: space.start()]
    return text


def _without_details(text: str) -> str:
    """The party without the details written after its name under labels (株式会社A 所在地：東京都…
    代表者：… → 株式会社A; party-patterns.toml `detail_labels`), outside brackets."""
    for found in detail_pattern().finditer(text):
        if found.start() > 0 and _bracket_depth(text, found.start()) == 0:
            return text[: found.start()]
    return text


def _join_details(
    cell: str, spans: list[tuple[int, int]], names_a_party: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """A detail under a label (所在地：…, 代表者：…; partyrules.is_detail) joins the party before it,
    whatever separates them (a line break read as 、 or as a space); so do the pieces after it apart
    only by white space (代表取締役　森下　健一, an address with spaces) until one that
    ``names_a_party`` by itself. A detail with no party before it is left as it is."""
    joined: list[tuple[int, int]] = []
    in_detail = False
    for start, end in spans:
        text = cell[start:end]
        if joined and is_detail(text):
            joined[-1] = (joined[-1][0], end)
            in_detail = True
        elif in_detail and cell[joined[-1][1] : start].isspace() and not names_a_party(text):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
            in_detail = False
    return joined


def _join_after_space(
    cell: str, spans: list[tuple[int, int]], belongs: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """A piece after a white space that ``belongs`` to the party before it joins that party: an
    address (〒100-0001, 東京都千代田区一番町1-1) says where the party is, an office (東京支店)
    which of its offices — neither is a party of its own."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        gap = cell[joined[-1][1] : start] if joined else ""
        if joined and gap.isspace() and belongs(cell[start:end]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined
