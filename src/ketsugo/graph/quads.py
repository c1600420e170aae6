"""Records + reference data → RDF: one named graph per report (the model is in docs/model.md).

Resolution against the registries happens here, never in the parser: the records say
what the report says; this stage links it to organisations, categories and laws and
lists what it could not link, so nothing unmatched goes unnoticed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import XSD, URIRef
from rdflib import namespace as rdflib_namespace

from ketsugo.errors import InputError, Issue
from ketsugo.graph import agencies, vocab
from ketsugo.graph.orgnames import label_among
from ketsugo.graph.owners import item_owner
from ketsugo.graph.partyrules import is_undecided
from ketsugo.graph.quadlines import QuadLines
from ketsugo.graph.reference import Reference
from ketsugo.graph.terms import Literal, Term, TextNamespace, literal_text, memo_categories, term, to_rdflib
from ketsugo.graph.years import year_link_lines
from ketsugo.read.eras import EraDateError, eras, further_dates, parse_era_date
from ketsugo.read.errata import Errata, apply_errata, errata_path, load_errata
from ketsugo.read.legal import blank_cell_note, decision_slug, decision_type, says_none
from ketsugo.read.messages_ja import translate
from ketsugo.read.metadata import ReportMetadata, is_listed, municipality
from ketsugo.read.records import Connection, Item, Report, SummaryRow

# Vocabulary terms as N-Triples text, each checked and written once: a national build adds ~10 M
# triples, and making a term object per triple (rdflib's, then pyoxigraph's) cost more than the
# rest of the build.
RDF = TextNamespace(rdflib_namespace.RDF)
RDFS = TextNamespace(rdflib_namespace.RDFS)
DCTERMS = TextNamespace(rdflib_namespace.DCTERMS)
SKOS = TextNamespace(rdflib_namespace.SKOS)
DPV, KG, ORG = (TextNamespace(ns) for ns in (vocab.DPV, vocab.KG, vocab.ORG))
# A term of a triple: N-Triples text as it is written (a vocabulary term, ja(), lit(), _Builder.node()),
# or an rdflib URIRef / pyoxigraph term, written by _Builder.add.
Node = str | URIRef | Term

if TYPE_CHECKING:
    from rdflib import Graph

    from ketsugo.graph.resolve import PartyMatch


# which way data flows (read.records.Connection.direction) → its individual in ontology/ketsugo.ttl
_DIRECTIONS = {"to_party": "ToCounterparty", "from_party": "FromCounterparty", "both": "BothWays"}
# how a connection links its counterparties, by direction (docs/model.md, Counterparties): a party
# the municipality only receives data from is a data source, never a recipient; no direction
# given (nearly every report) means the report's own words, 結合の相手方: a recipient
_PARTY_LINKS = {
    None: (DPV.hasRecipient,),
    "to_party": (DPV.hasRecipient,),
    "from_party": (DPV.hasDataSource,),
    "both": (DPV.hasRecipient, DPV.hasDataSource),
}
# the DPV role of a party, by the property that links it: stated, so DPV tools need no reasoner
_LINK_TYPES = {DPV.hasRecipient: DPV.Recipient, DPV.hasDataSource: DPV.DataSource}


@dataclass
class NamedOrganisation:
    """What a build says once about an organisation its reports name, in the reference graph (the
    default graph is the union of the graphs: a fact repeated in each report's graph would come
    once per report to every query). ``facts``: predicate and object as N-Triples text;
    ``written``: each spelling as written (NFKC) and how often, of which one is its label
    (orgnames.label_among); ``spellings``: other spellings seen (skos:altLabel)."""

    facts: list[str]
    spellings: list[str] = field(default_factory=list)
    # some connection of the build provides data to it (dpv:Recipient, said once here); that a
    # report receives data from it (dpv:DataSource) is said in that report's graph
    recipient: bool = False
    written: dict[str, int] = field(default_factory=dict)

    def chosen_label(self) -> str | None:
        """The label: a spelling the reports use (orgnames.label_among), None for a registry's."""
        return label_among(self.written) if self.written else None


@dataclass
class BuildResult:
    """A report's graph as N-Quads lines (in the report's named graph), and what could not be
    linked (each also recorded in the graph).

    Lines, because making a pyoxigraph ``Quad`` costs ~8 µs and a line ~2 µs: at national scale
    (~10 M quads) that is the difference between one minute and several. ``nquads()`` gives the
    sorted bytes a build writes; ``quads`` and ``graph`` (rdflib) are made only when asked."""

    graph_iri: URIRef
    fiscal_year: int
    warnings: list[Issue] = field(default_factory=list)
    unmapped_items: list[tuple[int, str, str]] = field(default_factory=list)  # (No., item, row status)
    lines: QuadLines = field(default_factory=QuadLines)
    # organisations the report names, described once per build (N-Triples IRI → its facts)
    organisations: dict[str, NamedOrganisation] = field(default_factory=dict)

    def nquads(self) -> bytes:
        """The graph as N-Quads, each distinct line once, sorted: the same report gives the same bytes."""
        return self.lines.nquads()

    @cached_property
    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS))

    @cached_property
    def graph(self) -> Graph:
        from rdflib import Graph

        made = Graph()
        # a report names the same terms again and again: each is converted once (3× faster)
        term = cache(to_rdflib)
        made.addN((term(q.subject), term(q.predicate), term(q.object), made) for q in self.quads)
        return made


def ja(text: str) -> str:
    """A Japanese literal (as N-Triples text)."""
    return literal_text(text, "ja")


def lit(value: object) -> str:
    """A literal typed from the Python value like terms.Literal (as N-Triples text)."""
    return literal_text(value)


class _Builder:
    def __init__(self, report: Report, meta: ReportMetadata, ref: Reference, fiscal_year: int) -> None:
        self.report = report
        self.meta = meta
        self.ref: Reference = memo_categories(ref)
        self.code = meta.municipality_code
        self.fy = fiscal_year
        self.report_iri = vocab.report(self.code, self.fy)
        self.result = BuildResult(vocab.report_graph(self.code, self.fy), self.fy)
        self._append = self.result.lines.raw.append
        self.graph_suffix = f" {term(self.result.graph_iri)} .\n"  # a line's end (QuadLines keeps it)
        # node → N-Triples text, once per report (nodes recur in many triples)
        self.terms: dict[str | Term, str] = {}
        # the report's data items, one node each (``_item``), by what the item says
        self.item_nodes: dict[tuple[object, ...], tuple[str, str, tuple[str, ...], bool]] = {}
        self.item_keys: dict[str, tuple[object, ...]] = {}  # key → the item it names
        # an item's IRI without its key and ">": the report's (checked) IRI + "/item/"
        self.item_base = f"{self.node(self.report_iri)[:-1]}/item/"

    def add(self, s: Node, p: Node, o: Node) -> None:
        """One triple of the report's graph, as an N-Quads line. A plain str is a term already
        written (see ``Node``); any other term is checked and written here, once per report."""
        self._append(
            f"{s if type(s) is str else self.node(s)} {p if type(p) is str else self.node(p)} "
            f"{o if type(o) is str else self.node(o)}{self.graph_suffix}".encode()
        )

    def node(self, node: Node) -> str:
        """The N-Triples text of a term (an IRI is checked: pyoxigraph refuses an invalid one)."""
        if type(node) is str:
            return node
        if type(node) is ox.Literal:
            return str(node)
        # an rdflib URIRef by its text: rdflib hashes a term in Python, a str hashes in C
        key = str(node) if isinstance(node, URIRef) else node
        found = self.terms.get(key)
        if found is None:
            found = self.terms[key] = str(term(node))
        return found

    def warn(self, line: int, field_name: str, message: str, as_written: str = "") -> None:
        self.result.warnings.append(Issue(self.report.path, line, field_name, message, as_written, "warning"))

    # --- report and summary ---------------------------------------------------------------

    def build(self) -> BuildResult:
        self._report_node()
        for row in self.report.summary:
            self._summary_row(row)
        check = self.result.lines.check  # past the spill threshold, the lines held go to disk
        for connection in self.report.connections:
            self._connection(connection)
            check()
        for change in self.report.changes:  # 変更 rows: a kg:ConnectionChange each, never a connection
            self._connection(change)
        self._issues([*self.report.issues, *self.result.warnings])
        return self.result

    def _report_node(self) -> None:
        self._apply_errata()
        self.listed_agencies: set[URIRef] = set()  # agencies of the summary table
        self.summary_agencies = agencies.ListedAgencies()  # its labels: two labels, two agencies
        self.written_nodes: set[URIRef] = set()  # agencies and departments whose facts are written
        r, meta = self.report_iri, self.meta
        town = vocab.municipality(self.code)
        self.add(r, RDF.type, KG.Report)
        self.add(r, KG.municipality, town)
        self.add(r, DCTERMS.publisher, town)
        if not self.ref.registry.is_curated(
            town
        ):  # a curated municipality's facts stay in the reference graph
            self.add(town, RDF.type, KG.Municipality)
            self.add(town, RDFS.label, ja(municipality(self.code).name))
            self.add(town, KG.localGovernmentCode, lit(self.code))
            if is_listed(self.code):  # an e-Stat area is a municipality's, not a 広域連合's
                self.add(town, RDFS.seeAlso, vocab.estat_area(self.code))
            else:
                self._curation_note(
                    1,
                    "municipality",
                    f"local government code {self.code} is in no offline list of municipalities "
                    f"(data/vocab/local-gov-code): read as the local public body {meta.municipality_name} "
                    "(an 一部事務組合, a 広域連合 …), named by --name, the metadata or the report's title",
                    self.code,
                )
        self.add(r, KG.fiscalYear, lit(self.fy))
        self.add(r, KG.sourceFile, lit(meta.path.name))
        self.add(r, KG.titleAsWritten, ja(self.report.title))
        if meta.title:
            self.add(r, DCTERMS.title, ja(meta.title))
        if meta.title_en:
            self.add(r, DCTERMS.title, literal_text(meta.title_en, "en"))
        if meta.description:
            self.add(r, DCTERMS.description, literal_text(meta.description, "en"))
        if self.report.summary_headers:
            self.add(r, KG.summaryHeaderAsWritten, ja("\t".join(self.report.summary_headers)))
        for header_row in dict.fromkeys(
            tuple(cell.header for cell in c.cells) for c in self.report.connections
        ):
            self.add(r, KG.connectionHeaderAsWritten, ja("\t".join(header_row)))
        # the fields the new connections give at all (a column or a form's row of the report): where
        # none gives one, its lack is the template's, not each row's (shapes/completeness.ttl)
        new = [c for c in self.report.connections if c.status == "new"]
        for prop, name in (
            (KG.reason, "reason"),
            (KG.subjectsAsWritten, "subjects"),
            (KG.specificPersonalInformationAsWritten, "specific_personal_information_as_written"),
        ):
            if any(getattr(c, name) is not None for c in new):
                self.add(r, KG.newConnectionsGive, prop)
        for note in self.report.summary_notes:
            self.add(r, KG.summaryNote, ja(note))
        for statement in self.report.statements:  # "no rows" lines, per section
            if statement.section == 4:  # a section of changes (変更したもの) saying it has none
                self.add(r, KG.sectionNote, ja(statement.text))
                continue
            prop = KG.endedConnectionsStatement if statement.section == 3 else KG.newConnectionsStatement
            self.add(r, prop, ja(statement.text))
        for _, note in self.report.section_notes:
            self.add(r, KG.sectionNote, ja(note))
        self._legal_basis_column(r)
        if self.report.combined_lists:  # one table of new and ended rows (区分): numbered together
            self.add(r, KG.listsNewAndEndedTogether, lit(True))
        for line_no, text in self.report.unread_lines:
            self.add(r, KG.unreadLine, ja(f"{line_no}: {text}"))

    def _legal_basis_column(self, r: URIRef) -> None:
        """The header of the new connections' council / 条例根拠 column as written, and the report's
        note saying what a blank cell there means: the shapes name the one and cite the other."""
        new_rows = (c for c in self.report.connections if c.status == "new")
        for header in dict.fromkeys(h for c in new_rows if (h := c.header_of("legal_basis"))):
            self.add(r, KG.legalBasisHeaderAsWritten, ja(header))
            note = blank_cell_note(header, (note for _, note in self.report.section_notes))
            if note:
                self.add(r, KG.legalBasisBlankNote, ja(note))

    def _summary_row(self, row: SummaryRow) -> None:
        agency = None if row.is_total else self._summary_agency(row)
        key = "total" if row.is_total else (str(agency).rsplit("/", 1)[-1] if agency else row.agency)
        node = vocab.summary_row(self.code, self.fy, key)
        self.add(node, RDF.type, KG.SummaryRow)
        self.add(node, KG.inReport, self.report_iri)
        self.add(node, RDFS.label, ja(row.agency))
        self.add(node, KG.isTotal, lit(row.is_total))
        self.add(node, KG.sourceLine, lit(row.line))
        if agency is not None:
            self.add(node, KG.agency, agency)
        for prop, value in (
            (KG.previousCount, row.previous),
            (KG.newCount, row.new),
            (KG.endedCount, row.ended),
            (KG.currentCount, row.current),
            (KG.specificPersonalInformationCount, row.specific),
        ):
            if value is not None:
                self.add(node, prop, lit(value))

    # --- connections ----------------------------------------------------------------------

    def _connection(self, row: Connection) -> None:
        iri = vocab.connection(self.code, self.fy, row.number, row.status)
        c = self.node(iri)  # the connection's subject text, written once for its ~60 triples
        add = self.add
        if row.status == "changed":  # a 変更 row: a change of its own, neither new nor ended
            add(c, RDF.type, KG.ConnectionChange)
        else:
            add(c, RDF.type, KG.Connection)
            add(c, RDF.type, DPV.Process)  # stated, not only inferred: DPV tools need no reasoner
        add(c, KG.connectionNumber, lit(row.number))
        add(c, KG.inReport, self.report_iri)  # a sub-property of prov:wasDerivedFrom (ontology)
        add(c, KG.sourceLine, lit(row.line))
        if row.status != "changed":
            add(c, KG.status, _STATUSES.get(row.status, KG.EndedConnection))
        number = {"new": "No.", "changed": "変更No.", "continuing": "継続No."}.get(
            row.status, "終了No."
        ) + str(row.number)
        add(c, RDFS.label, ja(f"{self.meta.municipality_name} {self.fy}年度 {number} {row.business}"))
        add(c, KG.businessName, ja(row.business))
        legal_text = row.legal_basis.as_written if row.legal_basis is not None else None
        flag = row.specific_personal_information
        # a column the report does not have is unknown: nothing is written (the parser has warned)
        for prop, value in (
            (KG.reason, row.reason),
            (KG.departmentsAsWritten, row.departments_as_written),
            (KG.subjectsAsWritten, row.subjects),
            (KG.itemsAsWritten, row.items_as_written),
            (KG.specificPersonalInformationAsWritten, row.specific_personal_information_as_written),
            (KG.legalBasisAsWritten, legal_text),
            (KG.counterpartiesAsWritten, row.counterparties_as_written),
            (KG.startDateAsWritten, row.start_date_as_written),
            (KG.startDateNote, row.start_date_note or None),
            (KG.endDateAsWritten, row.end_date_as_written or None),
            (KG.endDateNote, row.end_date_note or None),
            (KG.flowDirectionAsWritten, row.direction_as_written or None),
            (KG.changeDateAsWritten, row.change_date_as_written),
            (KG.changeDateNote, row.change_date_note or None),
        ):
            if value is not None:
                add(c, prop, ja(value))
        if flag is not None:
            add(c, KG.involvesSpecificPersonalInformation, lit(flag))
        if row.direction is not None:  # 提供 / 受領 / 提供・受領 (headers.toml [direction])
            add(c, KG.flowDirection, KG[_DIRECTIONS[row.direction]])
        for prop, day in (
            (KG.startDate, row.start_date),
            (KG.endDate, row.end_date),
            (KG.changeDate, row.change_date),
        ):
            if day is not None:
                add(c, prop, Literal(day, datatype=XSD.date))
        for prop, dayless in _dayless_dates(row):  # a month, a year, a fiscal year; 随時 / 未定
            add(c, prop, dayless)
        self._departments(c, row)
        self._purpose(iri, row)
        self._subjects(iri, row)
        self._items(iri, row)
        self._legal_basis(iri, row)
        self._counterparties(iri, row)
        for cell in row.extra_cells:
            add(c, KG.otherCell, ja(f"{cell.header}: {cell.text}"))

    def _departments(self, c: str, row: Connection) -> None:
        cell = self.errata.read(row, "departments", row.departments_as_written)
        found, notes = self.ref.registry.departments(cell, self.code, frozenset(self.listed_agencies))
        written = (row.agency_as_written or "").strip()  # a 実施機関 cell of the row's own
        said, where = (
            (written, f"its {row.header_of('agency')} cell")
            if written
            else (row.group_heading, f"heading 【{row.group_heading}】 above the row")
        )
        listed = self.summary_agencies.named(said, self.code) if said else None  # the summary's own
        grouped = URIRef(listed) if listed else None
        if said and grouped is None:
            grouped = self.ref.registry.agency(said, self.code)
            if grouped is not None:
                self._agency_node(grouped, said)
        if grouped is None and written:  # a 実施機関 cell no rule knows
            self.add(c, KG.otherCell, ja(f"{row.header_of('agency')}: {said}"))
            self.warn(
                row.line,
                row.header_of("agency"),
                f"implementing agency {said!r} is known to no rule (data/reference/agency-rules.toml): "
                "the department decides; the cell is kept as written",
                said,
            )
        if grouped is not None:  # 【教育委員会】 above the row, or its 実施機関 cell, says whose it is
            found = [m._replace(agency=grouped, rule=where) if m.rule else m for m in found]
        for message in notes:
            self._curation_note(row.line, row.header_of("departments"), message, row.departments_as_written)
        for name, department, agency, rule in found:
            self.add(c, KG.department, department)  # a sub-property of dpv:hasOrganisationalUnit (ontology)
            if not self.ref.registry.is_curated(department) and department not in self.written_nodes:
                self.written_nodes.add(department)
                self.add(department, RDF.type, KG.Department)
                self.add(department, RDFS.label, ja(name))
                if agency is not None:
                    self.add(department, ORG.unitOf, agency)
                if rule:
                    self.add(department, KG.attributedBy, lit(rule))
            if agency is not None:
                self._agency_node(agency)
                self.add(c, KG.implementingAgency, agency)
                self.add(c, DPV.hasDataController, agency)
        if not found:
            self.warn(
                row.line, row.header_of("departments"), "no department named", row.departments_as_written
            )

    def _summary_agency(self, row: SummaryRow) -> URIRef:
        """The agency a summary row names: the registry's or by rule; else one minted from its label,
        with a curation note (so every row has an agency to count connections against)."""
        agency = self.ref.registry.agency(row.agency, self.code)
        if agency is None:
            agency = vocab.agency(self.code, agencies.minted_slug(row.agency))
            self._curation_note(
                row.line,
                self.report.summary_headers[0] if self.report.summary_headers else "実施機関",
                f"implementing agency {row.agency!r} is known to no rule: add its label to "
                "data/reference/agency-rules.toml (or an agencies-CODE.ttl registry)",
                row.agency,
            )
        distinct, message = self.summary_agencies.distinct(str(agency), row.agency, self.code)
        if message:  # two agencies written apart are never one node (agencies.ListedAgencies)
            self.warn(row.line, "", message, row.agency)
            agency = URIRef(distinct)
        self.listed_agencies.add(agency)
        self._agency_node(agency, row.agency)
        return agency

    def _agency_node(self, agency: URIRef, as_written: str = "") -> None:
        """Type, label and municipality of an agency no registry states (once per report)."""
        if agency in self.written_nodes or self.ref.registry.is_curated(agency):
            return
        self.written_nodes.add(agency)
        slug = str(agency).rsplit("/", 1)[-1]
        self.add(agency, RDF.type, KG.ImplementingAgency)
        self.add(agency, RDFS.label, ja(agencies.agency_label(slug, self.code, as_written)))
        self.add(agency, ORG.subOrganizationOf, vocab.municipality(self.code))
        self.add(agency, KG.attributedBy, lit(f"rule: data/reference/agency-rules.toml ({slug})"))

    def _curation_note(self, line: int, field_name: str, message: str, as_written: str = "") -> None:
        """ketsugo's own knowledge is incomplete: an Info finding that says what to add where."""
        self.result.warnings.append(
            Issue(self.report.path, line, field_name, message, as_written, "info", kind="curation")
        )

    def _apply_errata(self) -> None:
        """The report's reviewed errata (data/reports/<report>.errata.toml), applied to the records:
        each applied one becomes an Info finding and a kg:Erratum node on its connection."""
        self.errata: Errata = apply_errata(
            self.report, load_errata(self.meta.path), str(errata_path(self.meta.path))
        )
        self.report = self.errata.report
        self.result.warnings.extend(self.errata.findings)
        for position, applied in enumerate(self.errata.applied, start=1):
            row, erratum = applied.connection, applied.erratum
            c = vocab.connection(self.code, self.fy, row.number, row.status)
            node = vocab.erratum(c, position)
            self.add(c, KG.erratum, node)
            self.add(node, RDF.type, KG.Erratum)
            self.add(node, KG.erratumField, lit(erratum.field))
            self.add(node, KG.asWritten, ja(erratum.as_written))
            self.add(node, KG.readAs, ja(erratum.read_as))
            self.add(node, KG.erratumReason, literal_text(erratum.reason, "en"))

    def _purpose(self, c: URIRef, row: Connection) -> None:
        purpose = vocab.part_of(c, "purpose")
        self.add(c, DPV.hasPurpose, purpose)
        self.add(purpose, RDF.type, KG.Purpose)
        self.add(purpose, RDF.type, DPV.Purpose)
        self.add(purpose, RDFS.label, ja(row.business))  # its reason is the connection's kg:reason

    def _subjects(self, c: URIRef, row: Connection) -> None:
        if row.subjects is None:
            return
        subjects = vocab.part_of(c, "subjects")
        self.add(c, DPV.hasDataSubject, subjects)
        self.add(subjects, RDF.type, KG.DataSubjectGroup)
        self.add(subjects, RDF.type, DPV.DataSubject)
        self.add(subjects, RDFS.label, ja(row.subjects))
        classes = self.ref.registry.subject_classes(row.subjects)
        for subject_class in classes:
            self.add(subjects, KG.subjectClass, subject_class)
        if row.subjects.strip() and not classes:
            self._curation_note(
                row.line,
                row.header_of("subjects"),
                "data subjects match no subject class: add a kg:matchPattern to data/reference/subject-classes.ttl",
                row.subjects,
            )

    def _items(self, c: URIRef, row: Connection) -> None:
        if row.items.note:
            self.add(c, KG.itemsNote, ja(row.items.note))
        if row.items.open_ended:  # the list ends in 等 / など: more items than those written
            self.add(c, KG.itemListOpenEnded, lit(True))
        if row.items.not_in_report:  # 別紙のとおり…: the items are in an annex, not in the report
            self.add(c, KG.itemsNotInReport, lit(True))
        if not row.items.items:
            return
        subject = self.node(c)
        g = self.graph_suffix
        append = self._append
        # an item written twice in one cell: each occurrence its node (the occurrence in its key)
        seen: dict[tuple[object, ...], int] = {}
        keys = []
        for item in row.items.items:
            said = _item_says(item)
            times = seen[said] = seen.get(said, 0) + 1
            node, key, categories, mapped = self._item(said if times == 1 else (*said, times), item)
            keys.append(key)
            append(f"{subject} {KG.hasDataItem} {node}{g}".encode())
            for category in categories:  # the connection's shortcut to its categories
                append(f"{subject} {DPV.hasPersonalData} {category}{g}".encode())
            if not mapped and row.status != "changed":  # the build summary counts connections' items
                self.result.unmapped_items.append((row.number, item.as_written, row.status))
        # the order of the items in the cell: their keys in that order (an item's position is 1 + the
        # keys before its own, docs/model.md, DataItem); an item node is shared by every row naming it
        append(f"{subject} {KG.itemOrder} {lit(' '.join(keys))}{g}".encode())

    def _item(self, said: tuple[object, ...], item: Item) -> tuple[str, str, tuple[str, ...], bool]:
        """The node of an item as the report writes it, its triples written once per report (the most
        frequent node of a graph: written line by line): one node per distinct item of the report,
        however many rows name it, its IRI keyed by all it says (``_item_says``). Only what says
        something is written (docs/model.md, DataItem): its text as written (also its display label)
        and categories always; its name only when it differs from the text, a qualifier's condition
        only when there is one. Its class follows from kg:hasDataItem (range kg:DataItem), its line is
        its connection's kg:sourceLine (its own only when read from an annex table of items, 別表１).
        Gives the node, its key, its categories (N-Triples) and whether any category matched."""
        known = self.item_nodes.get(said)
        if known is not None:
            return known
        key = item_key(said)
        while self.item_keys.setdefault(key, said) != said:  # two items, one digest (~never): the later moves
            key = item_key((*said, key))
        node = f"{self.item_base}{key}>"
        g = self.graph_suffix
        append = self._append
        append(f"{node} {KG.asWritten} {ja(item.as_written)}{g}".encode())
        if item.name != item.as_written:
            append(f"{node} {KG.itemName} {ja(item.name)}{g}".encode())
        if item.group:
            append(f"{node} {KG.groupHeading} {ja(item.group)}{g}".encode())
        if item.marker:
            append(f"{node} {KG.groupMarker} {lit(item.marker)}{g}".encode())
        if item.qualifier:
            append(f"{node} {KG.qualifier} {ja(item.qualifier)}{g}".encode())
        if item.conditional:
            append(f"{node} {KG.isConditional} {lit(True)}{g}".encode())
        for part in item.parts:
            append(f"{node} {KG.part} {ja(part)}{g}".encode())
        if item.legend_code:  # written as a code of the report's legend (凡例): docs/items.md rule 14
            append(f"{node} {KG.legendCode} {lit(item.legend_code)}{g}".encode())
        if item.note:  # 個人番号（追加）: how the item changed, not part of its name (rule 15)
            append(f"{node} {KG.itemRemark} {ja(item.note)}{g}".encode())
        if item.source_line:  # read from an annex table (別表１) the cell refers to: that row's line
            append(f"{node} {KG.sourceLine} {lit(item.source_line)}{g}".encode())
        categories = self.ref.categories
        matches = categories.categorize(item.name)
        found = tuple(self.node(match.category) for match in matches)
        for category in found:
            append(f"{node} {KG.hasCategory} {category}{g}".encode())
        if any(categories.is_vague(match.category) for match in matches):
            append(f"{node} {KG.isVague} {lit(True)}{g}".encode())
        owner = item_owner(item.name, matches, categories)
        if owner is not None:  # 児童氏名: the child's name (its category stays 氏名)
            append(f"{node} {KG.ownerAsWritten} {ja(owner.as_written)}{g}".encode())
            if owner.subject_class is not None:
                append(f"{node} {KG.itemOf} {self.node(owner.subject_class)}{g}".encode())
        known = self.item_nodes[said] = (node, key, found, bool(matches))
        return known

    def _legal_basis(self, c: URIRef, row: Connection) -> None:
        if row.legal_basis is None:
            return
        if row.legal_basis.statutory:  # the cell says the basis is a statute (法令に基づく…)
            self.add(c, KG.basedOnStatute, lit(True))
        elif says_none(row.legal_basis.as_written):  # 該当なし, 諮問不要, －: read, and none there
            self.add(c, KG.saysNoCouncilDecision, lit(True))
        decision = row.legal_basis.decision
        if decision is not None:
            kind = decision_type(decision.decision)
            node = vocab.council_decision(
                self.code, decision.fiscal_year, decision.meeting, decision.decision
            )
            if decision.meeting_date is not None or kind not in ("Approval", "Acknowledgement"):
                # vocab mints approval/acknowledgement by meeting only: others by kind and date
                when = decision.meeting_date.isoformat() if decision.meeting_date else decision.meeting
                slug = decision_slug(decision.decision)
                node = URIRef(str(node).rsplit("/", 1)[0] + f"/{decision.fiscal_year}-{when}-{slug}")
            self.add(c, DPV.hasLegalBasis, node)
            self.add(node, RDF.type, KG.CouncilDecision)
            self.add(node, RDF.type, DPV.LegalBasis)
            # one node per decision, so one label built from its parts (the cell as written stays on the connection)
            if decision.meeting:
                label = (
                    f"{fiscal_year_ja(decision.fiscal_year)}第{decision.meeting}回審議会{decision.decision}"
                )
            else:
                label = f"{decision.meeting_date}{decision.council or '審議会'}{decision.decision}"
            self.add(node, RDFS.label, ja(label))
            self.add(node, KG.fiscalYear, lit(decision.fiscal_year))
            if decision.meeting:
                self.add(node, KG.meetingNumber, lit(decision.meeting))
            if decision.meeting_date is not None:
                self.add(node, KG.meetingDate, Literal(decision.meeting_date, datatype=XSD.date))
            if decision.council:
                self.add(node, KG.councilName, ja(decision.council))
            self.add(node, KG.decisionType, KG[kind])
            self.add(node, KG.municipality, vocab.municipality(self.code))
        for citation in row.legal_basis.statutes:
            node = vocab.part_of(c, "citation", citation.position)
            self.add(c, KG.citesStatute, node)
            self.add(node, RDF.type, KG.StatuteCitation)
            self.add(node, KG.asWritten, ja(citation.as_written))
            self.add(node, RDFS.label, ja(citation.as_written))
            self.add(node, KG.position, lit(citation.position))
            if citation.article:
                self.add(node, KG.article, lit(citation.article))
            if citation.paragraph:
                self.add(node, KG.paragraph, lit(citation.paragraph))
            if citation.item:
                self.add(node, KG.itemNumber, lit(citation.item))
            if citation.rest:
                self.add(node, KG.provisionRest, ja(citation.rest))
            if citation.supplementary:  # written only when true, like every flag of an occurrence
                self.add(node, KG.isSupplementaryProvision, lit(True))
            law = self.ref.registry.law(citation.law_name)
            if law is None:
                law = vocab.unknown_law(citation.law_name)
                self.add(law, RDF.type, KG.Law)
                self.add(law, RDFS.label, ja(citation.law_name))
                # the report cites a law the registry does not know yet (no e-Gov law ID): the
                # registry's gap, not the report's, so a curation note, not a warning
                statutes = row.cell("statutes")  # a 法令 column beside 審議会 holds the citations
                cited_in = (
                    "statutes"
                    if statutes is not None and citation.as_written.strip() in statutes.text
                    else "legal_basis"
                )
                self._curation_note(
                    row.line,
                    row.header_of(cited_in),
                    f"law {citation.law_name!r} is not in the registry",
                    citation.as_written,
                )
            self.add(node, KG.law, law)
            self.add(c, DPV.hasApplicableLaw, law)

    def _counterparties(self, c: URIRef, row: Connection) -> None:
        cell = self.errata.read(row, "counterparties", row.counterparties_as_written)
        if is_undecided(cell):  # 未定（調達中）: no party chosen yet, not a party named 未定
            self.add(c, KG.counterpartyUndetermined, lit(True))
            self.result.warnings.append(
                Issue(
                    self.report.path,
                    row.line,
                    row.header_of("counterparties"),
                    f"the counterparty is not yet decided ({cell.strip()!r}): no party is read; who will "
                    "receive the data cannot be learnt from the report",
                    row.counterparties_as_written,
                    "info",
                    kind="disclosure",
                )
            )
            return
        parties, notes = self.ref.registry.counterparties(cell)
        for message in notes:
            self._curation_note(
                row.line,
                row.header_of("counterparties"),
                f"{message}: no rule classifies it; add the organisation (or an alias) to "
                "data/reference/organizations.ttl, or a name rule to data/reference/party-patterns.toml",
                row.counterparties_as_written,
            )
        for message in self.ref.registry.counterparty_warnings(cell):  # a guess or a party dropped
            self.warn(row.line, row.header_of("counterparties"), message, row.counterparties_as_written)
        links = _PARTY_LINKS[row.direction]
        nodes: list[Node] = []  # each party's node, by its position - 1
        for position, party in enumerate(parties, start=1):
            if party.organisation is not None:
                nodes.append(party.organisation)
                for link in links:
                    self.add(c, link, party.organisation)
                if party.classification is not None:
                    known = self._minted_organisation(party)
                else:  # a registry organisation: its facts are in the reference graph already
                    known = self.result.organisations.setdefault(
                        self.node(party.organisation), NamedOrganisation([])
                    )
                known.recipient = known.recipient or DPV.hasRecipient in links
                if DPV.hasDataSource in links:  # this report's own word: in its graph
                    self.add(party.organisation, RDF.type, DPV.DataSource)
                continue
            node = vocab.part_of(c, "party", position)
            nodes.append(node)
            for link in links:
                self.add(c, link, node)
            kind_class = KG.UnnamedCounterparty if party.kind is not None else KG.UnresolvedCounterparty
            self.add(node, RDF.type, kind_class)
            self.add(node, KG.counterpartyKind, kind_class)
            for link in links:  # its role follows its link: a recipient, a data source or both
                self.add(node, RDF.type, _LINK_TYPES[link])
            self.add(node, KG.asWritten, ja(party.as_written))
            self.add(node, RDFS.label, ja(party.as_written))
            if party.kind is not None:
                self.add(node, KG.partyKind, party.kind)
                self.add(node, KG.isUnnamed, lit(True))
                if party.classification is not None:
                    self.add(node, KG.classifiedBy, lit(party.classification.rule))
            else:
                self.add(node, KG.isUnresolved, lit(True))
        for position, party in enumerate(parties, start=1):
            if party.contractor is not None:
                self._subcontracting(c, position, party, nodes[position - 1], nodes[party.contractor], links)
        days = party_start_dates(row.start_date_as_written, len(parties)) if row.start_date else None
        for position, (party_node, day) in enumerate(zip(nodes, days or (), strict=False), start=1):
            # one date per party (令和3年4月1日、令和3年10月1日): each party's own start, beside the
            # connection's (the earliest)
            start = vocab.part_of(c, "party-start", position)
            self.add(c, KG.counterpartyStart, start)
            self.add(start, RDF.type, KG.CounterpartyStart)
            self.add(start, KG.counterparty, party_node)
            self.add(start, KG.partyStartDate, Literal(day, datatype=XSD.date))
        if not parties:
            self.warn(
                row.line,
                row.header_of("counterparties"),
                "no counterparty named",
                row.counterparties_as_written,
            )

    def _subcontracting(
        self, c: URIRef, position: int, party: PartyMatch, sub: Node, contractor: Node, links: tuple[str, ...]
    ) -> None:
        """A subcontractor named in brackets after its contractor (株式会社A（再委託先：株式会社B）):
        a qualified relation of the connection, as the same organisation may be named directly
        elsewhere; its words (the bracket) kept as written. A party data is provided to through
        another's subcontract is a DPV sub-processor (in the report's graph, like its other roles)."""
        node = vocab.part_of(c, "subcontracting", position)
        self.add(c, KG.subcontracting, node)
        self.add(node, RDF.type, KG.Subcontracting)
        self.add(node, KG.subcontractor, sub)
        self.add(node, KG.contractor, contractor)
        self.add(node, KG.asWritten, ja(party.as_written))
        if DPV.hasRecipient in links:
            self.add(sub, RDF.type, DPV.DataSubProcessor)

    def _minted_organisation(self, party: PartyMatch) -> NamedOrganisation:
        """An organisation no registry names, classified by rule. The report's graph keeps what the
        report says (its spelling, kg:asWritten); its class, label (a spelling as written:
        ``NamedOrganisation.chosen_label``), key and rule are described once per build
        (``BuildResult.organisations``)."""
        org, found = party.organisation, party.classification
        assert org is not None and found is not None  # the caller's condition; for the type checker
        self.add(org, KG.asWritten, ja(party.as_written))
        iri = self.node(org)
        known = self.result.organisations.get(iri)
        if known is None:
            kind = KG[found.kind_class]
            facts = [
                f"{RDF.type} {KG.Organisation}",
                f"{RDF.type} {kind}",
                f"{KG.counterpartyKind} {kind}",
                f"{KG.organisationKey} {lit(found.key)}",
                f"{KG.classifiedBy} {lit(found.rule)}",
            ]
            if found.local_government_code:
                facts.append(f"{KG.localGovernmentCode} {lit(found.local_government_code)}")
            known = self.result.organisations[iri] = NamedOrganisation(facts)
        known.written[found.label] = known.written.get(found.label, 0) + 1
        spelling = ja(found.spelling) if found.spelling else None
        if spelling is not None and spelling not in known.spellings:
            known.spellings.append(spelling)
        return known

    # --- issues ---------------------------------------------------------------------------

    def _issues(self, issues: list[Issue]) -> None:
        for position, issue in enumerate(issues, start=1):
            node = vocab.parse_issue(self.code, self.fy, position)
            self.add(self.report_iri, KG.hasIssue, node)
            self.add(node, RDF.type, KG.ParseIssue)
            self.add(node, KG.inReport, self.report_iri)
            self.add(node, KG.severity, lit(issue.severity))
            self.add(node, KG.findingKind, lit(issue.kind))  # reading / report / curation
            # the message as ketsugo writes it (English), and its Japanese where the catalogue
            # (data/reference/messages-ja.toml) has one: each tagged with the language it is in
            self.add(node, KG.message, literal_text(issue.message, "en"))
            japanese = translate(issue.message)
            if japanese is not None:
                self.add(node, KG.message, ja(japanese))
            if issue.line:
                self.add(node, KG.sourceLine, lit(issue.line))
            if issue.field:
                self.add(node, KG.field, ja(issue.field))
            if issue.as_written:
                self.add(node, KG.asWritten, ja(issue.as_written))


def merge_organisations(into: dict[str, NamedOrganisation], named: dict[str, NamedOrganisation]) -> None:
    """Add one report's organisations to a build's: the first report's description of each stays,
    the spellings of all are kept."""
    for iri, organisation in named.items():
        known = into.setdefault(iri, organisation)
        if known is not organisation:
            known.spellings.extend(s for s in organisation.spellings if s not in known.spellings)
            known.recipient = known.recipient or organisation.recipient
            for spelling, times in organisation.written.items():
                known.written[spelling] = known.written.get(spelling, 0) + times


def organisation_nquads(
    organisations: dict[str, NamedOrganisation], year_links: Iterable[tuple[str, str, str]] = ()
) -> bytes:
    """The build's organisations as sorted N-Quads of the reference graph (each fact once), with
    the links of later rows to the earlier connections they end or list again (ketsugo.graph.years)."""
    end = f" {term(vocab.REFERENCE_GRAPH)} .\n"
    lines = {f"{iri} {fact}{end}" for iri, o in organisations.items() for fact in o.facts}
    lines |= {f"{iri} {RDF.type} {DPV.Recipient}{end}" for iri, o in organisations.items() if o.recipient}
    lines |= year_link_lines(year_links)
    labels = {iri: ja(chosen) for iri, o in organisations.items() if (chosen := o.chosen_label()) is not None}
    lines |= {
        f"{iri} {p} {label}{end}" for iri, label in labels.items() for p in (RDFS.label, SKOS.prefLabel)
    }
    lines |= {
        f"{iri} {SKOS.altLabel} {spelling}{end}"
        for iri, o in organisations.items()
        for spelling in o.spellings
        if spelling != labels.get(iri)
    }
    return "".join(sorted(lines)).encode()


# bytes of an item's key (its IRI's last segment, as hex): 48 bits, so two items of one report all but
# never share one (a report has a few hundred distinct items; if they do, _Builder._item keys the later
# apart); all keys one length, so a position is counted from kg:itemOrder by the length of the keys
# before it
ITEM_KEY_BYTES = 6


def _item_says(item: Item) -> tuple[object, ...]:
    """All an item's node says (``_Builder._item``), the key of the node: the same item written in
    many rows of a report is one node. Its position is not in it (each row's is in its kg:itemOrder);
    its parts are a set in the graph, so sorted here."""
    return (
        item.as_written,
        item.name,
        item.group,
        item.marker,
        item.qualifier,
        item.conditional,
        tuple(sorted(item.parts)),
        item.legend_code,
        item.note,
        item.source_line,
    )


def item_key(said: tuple[object, ...]) -> str:
    """The last segment of an item's IRI: a digest of all its node says (``_item_says``; with the
    occurrence, 2, 3 …, after it for an item written again in the same cell), so the same report gives
    the same IRIs. ``ITEM_KEY_BYTES`` long, as hexadecimal."""
    return hashlib.blake2b(repr(said).encode(), digest_size=ITEM_KEY_BYTES).hexdigest()


def party_start_dates(cell: str | None, parties: int) -> list[date] | None:
    """The start dates of a cell giving one per party, in the order of the parties
    (令和3年4月1日、令和3年10月1日 with two parties), or None: one date, dates that are all the
    same, or as many dates as parties not given (then the connection's one date must do)."""
    if not cell or parties < 2:
        return None
    try:
        first = parse_era_date(cell)
    except EraDateError:
        return None
    days = [first.value, *further_dates(first.note)]
    if len(days) != parties or len(set(days)) == 1:
        return None
    return days


def fiscal_year_ja(year: int) -> str:
    """2005 → 平成17年度, 2019 → 令和元年度: the era of the year the fiscal year starts in, as reports write it."""
    era = max((e for e in eras() if e.start.year <= year), key=lambda e: e.start, default=None)
    if era is None:  # before every era known (the reader refuses such years; kept safe here)
        return f"{year}年度"
    number = year - era.start.year + 1
    return f"{era.name}{'元' if number == 1 else number}年度"


def build_graph(report: Report, meta: ReportMetadata, ref: Reference) -> BuildResult:
    """The named graph of one report. The fiscal year comes from metadata, else the report's headings
    (the pipeline has already refused a build where the two disagree)."""
    fiscal_year = meta.fiscal_year or report.fiscal_year
    if fiscal_year is None:
        raise InputError(
            Issue(report.path, 0, "", "cannot tell the fiscal year: no 令和N年度 heading; give --fiscal-year")
        )
    return _Builder(report, meta, ref, fiscal_year).build()


_DAYLESS = {"month": XSD.gYearMonth, "year": XSD.gYear}
# a connection's kg:status by the reader's status (a 変更 row has none: a kg:ConnectionChange)
_STATUSES = {"new": KG.NewConnection, "ended": KG.EndedConnection, "continuing": KG.ContinuingConnection}


def _dayless_dates(row: Connection) -> list[tuple[str, ox.Literal]]:
    """A start or end written without a day, at its precision (docs/model.md, Dates): a month as
    xsd:gYearMonth and a year as xsd:gYear on kg:startDate / kg:endDate, a fiscal year as
    kg:startFiscalYear / kg:endFiscalYear (like kg:fiscalYear), 随時 / 未定 as
    kg:startDateUndetermined / kg:endDateUndetermined true. Never a day the report does not state."""
    found: list[tuple[str, ox.Literal]] = []
    for prefix, period in (
        ("start", row.start_period),
        ("end", row.end_period),
        ("change", row.change_period),
    ):
        if period is None:
            continue
        if period.precision in _DAYLESS:
            found.append(
                (getattr(KG, f"{prefix}Date"), Literal(period.iso, datatype=_DAYLESS[period.precision]))
            )
        elif period.precision == "fiscal-year":
            found.append((getattr(KG, f"{prefix}FiscalYear"), Literal(period.year, datatype=XSD.integer)))
        elif period.precision == "undetermined":
            found.append((getattr(KG, f"{prefix}DateUndetermined"), Literal(True)))
    return found
