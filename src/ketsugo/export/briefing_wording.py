"""What the briefing says: its fixed phrases in Japanese and English, and the document built
from the collected facts (summary table, key facts, findings, one card per connection).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ketsugo.check.validate import SEVERITY_JA, Finding
from ketsugo.export import directions
from ketsugo.export.briefing_collect import (
    SHOWN_SEVERITIES,
    Briefing,
    Category,
    Connection,
    Item,
    Recipient,
    Report,
    SubjectClass,
)
from ketsugo.export.briefing_model import (
    Block,
    Bullets,
    Card,
    Entry,
    Field,
    Fields,
    Heading,
    Inline,
    Nav,
    Para,
    Span,
    Table,
    joined,
    text,
)

LANGS = ("ja", "en", "both")

# =============================================================================== languages


class Words:
    """Fixed phrases and labels from the store in the language asked for (ja, en or both)."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}")
        self.lang = lang
        # the document's own punctuation (report text keeps its own)
        self.open, self.close, self.comma = ("（", "）", "、") if lang != "en" else (" (", ")", ", ")
        self.stop = "。" if lang != "en" else ". "

    def paren(self, inline: Inline) -> Inline:
        return [text(self.open), *inline, text(self.close)]

    def __call__(self, ja: str, en: str) -> str:
        """A fixed phrase of the document."""
        if self.lang == "ja":
            return ja
        if self.lang == "en":
            return en
        return f"{ja} / {en}"

    def name(self, ja: str | None, en: str | None) -> str:
        """A label read from the store: Japanese, English, or both when they differ."""
        ja, en = ja or "", en or ""
        if self.lang == "en":
            return en or ja
        if self.lang == "ja" or not en or en == ja:
            return ja or en
        return f"{ja} ({en})" if ja else en

    def paragraphs(self, ja: str, en: str) -> list[str]:
        """A fixed paragraph: one per language asked for."""
        return {"ja": [ja], "en": [en], "both": [ja, en]}[self.lang]

    def messages(self, finding: Finding) -> list[str]:
        return self.paragraphs(finding.message_ja, finding.message_en)

    def severity(self, severity: str) -> str:
        return self(SEVERITY_JA.get(severity, severity), severity)


# =============================================================================== the document


def document(briefing: Briefing, lang: str = "both") -> tuple[str, list[Block]]:
    """The title and blocks of the briefing."""
    w = Words(lang)
    title = w("外部結合の説明資料", "Briefing on external computer connections")
    blocks: list[Block] = [Heading(1, [text(title)])]
    for paragraph in w.paragraphs(
        "都道府県・市区町村は毎年、個人情報を扱う電子計算機を外部の相手（国の機関、地方共同法人、民間事業者など）と"
        "つないだ「外部結合」を報告しています。この資料は ketsugo がその報告書から作った知識グラフを読んで"
        "まとめたものです。報告書の記載は原文のまま載せ、ketsugo が読み取った内容（相手方の種別、項目の区分、"
        "配慮を要する情報など）を添えています。結合ごとに報告書の行番号を示しているので、原本と照らし合わせて"
        "確認できます。",
        "Every year, prefectures and municipalities report the external connections (外部結合) of their computers holding "
        "personal information to outside parties (national bodies, local joint corporations, private "
        "companies, …). This briefing reads the knowledge graph ketsugo built from such reports. Report "
        "text is quoted as written, in Japanese; what ketsugo read from it (the type of each recipient, "
        "the categories of the data items, sensitive data, …) is added. Each connection gives the line "
        "of the report, so that it can be checked against the original.",
    ):
        blocks.append(Para([text(paragraph)]))
    blocks.append(
        Para(
            [
                text("⚠", "warn"),
                text(
                    " "
                    + w("配慮を要する情報・処理対象者", "sensitive data or vulnerable data subjects")
                    + "　"
                ),
                text(w("名称不記載", "unnamed"), "unnamed"),
                text(
                    " "
                    + w(
                        "報告書が相手方の名称を書かず、種別だけを書いているもの",
                        "the report gives only a kind of party, not who it is",
                    )
                ),
            ],
            css="legend",
        )
    )
    if not briefing.reports:
        blocks.append(Para([text(w("報告書がありません。", "The build holds no report."))]))
    for finding in briefing.unplaced_findings:
        blocks.append(Bullets([_finding_entry(w, finding, None)]))
    for report in briefing.reports:
        blocks.extend(_report_blocks(w, briefing, report))
    return title, blocks


def _report_name(w: Words, report: Report) -> str:
    ja = " — ".join(p for p in (report.municipality, report.title) if p)
    en = " — ".join(
        p for p in (report.municipality_en or report.municipality, report.title_en or report.title) if p
    )
    if not (report.title or report.title_en):
        ja, en = f"{ja} {report.fiscal_year}", f"{en} {report.fiscal_year}"
    return w(ja, en) if ja != en else ja


def _report_blocks(w: Words, briefing: Briefing, report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(2, [text(_report_name(w, report))], anchor=f"report-{report.slug}")]
    fy = report.fiscal_year
    facts = [
        Field(
            [text(w("自治体", "Municipality"))],
            [text(w.name(report.municipality, report.municipality_en))]
            + (w.paren([text(f"{w('団体コード', 'code')} {report.code}")]) if report.code else []),
        ),
        Field(
            [text(w("年度", "Fiscal year"))],
            [text(str(fy)), *w.paren([text(w(f"{fy}年4月〜{fy + 1}年3月", f"April {fy} – March {fy + 1}"))])],
        ),
        Field([text(w("出典ファイル", "Source file"))], [text(report.source_file or report.iri, "code")]),
    ]
    blocks.append(Fields(facts))
    blocks.append(
        Heading(
            3, [text("1. " + w("実施機関別の結合件数（集計表）", "Connections per agency (summary table)"))]
        )
    )
    blocks.extend(_summary_blocks(w, report))
    blocks.append(Heading(3, [text("2. " + w("主な事実", "Key facts"))]))
    blocks.extend(_key_fact_blocks(w, briefing, report))
    blocks.append(
        Heading(3, [text("3. " + w("確認すべき点（検証の指摘）", "Points to ask about (findings)"))])
    )
    blocks.extend(_finding_blocks(w, report))
    blocks.append(
        Heading(3, [text("4. " + w("新たに行った結合（結合ごと）", "New connections, one by one"))])
    )
    blocks.append(Nav(joined(([_ref(c)] for c in report.connections), " ")))
    blocks.extend(_card(w, briefing, report, c) for c in report.connections)
    if report.ended:
        blocks.append(Heading(3, [text("5. " + w("終了した結合", "Ended connections"))]))
        blocks.extend(_card(w, briefing, report, c) for c in report.ended)
    if report.changes:  # 変更 rows: changes to existing connections, neither new nor ended
        number = 6 if report.ended else 5
        heading = w("既存の結合の変更", "Changes to existing connections")
        blocks.append(Heading(3, [text(f"{number}. {heading}")]))
        blocks.extend(_card(w, briefing, report, c) for c in report.changes)
    return blocks


def _number(connection: Connection) -> str:
    """No.3, or 終了No.3 for a connection of the ended section (numbered apart from the new ones),
    as `ketsugo query` writes it."""
    if connection.is_change:
        return f"変更No.{connection.number}"
    return f"{'' if connection.is_new else '終了'}No.{connection.number}"


def _ref(connection: Connection) -> Span:
    return text(_number(connection), href=f"#{connection.anchor}")


def _refs(connections: Iterable[Connection]) -> Inline:
    return joined(([_ref(c)] for c in connections), ", ")


# --------------------------------------------------------------------------- 1. summary table


def _summary_blocks(w: Words, report: Report) -> list[Block]:
    if not report.summary:
        return [Para([text(w("集計表の記載がありません。", "The report has no summary table."))])]
    head = [
        [text(w("実施機関", "Implementing agency"))],
        [text("a " + w("前年度の結合数", "previous year"))],
        [text("b " + w("新たな結合", "new"))],
        [text("c " + w("終了した結合", "ended"))],
        [text("a+b−c " + w("当年度の結合数", "this year"))],
        [text(w("うち特定個人情報あり", "with My Number data"))],
        [text(w("行", "line"))],
    ]
    rows = []
    strong = []
    for index, row in enumerate(report.summary):
        cells = [[text(w.name(row.agency, row.agency_en) if not row.is_total else row.agency)]]
        cells.extend([text("" if n is None else str(n))] for n in row.counts)
        cells.append([text(str(row.line))])
        rows.append(cells)
        if row.is_total:
            strong.append(index)
    blocks: list[Block] = [Table(head, rows, numeric=(1, 2, 3, 4, 5, 6), strong_rows=tuple(strong))]
    blocks.extend(Para([text(note)]) for note in report.notes)
    return blocks


# --------------------------------------------------------------------------- 2. key facts


def _key_fact_blocks(w: Words, briefing: Briefing, report: Report) -> list[Block]:
    connections = report.connections + report.ended
    entries = [
        _count_entry(w, report),
        # a change's counterparties too (変更No.1 adds 個人番号 for デジタル庁): they receive data
        # under it, and the build summary counts every counterparty of the report
        _recipient_entry(w, connections + report.changes),
        _my_number_entry(w, briefing, report),
    ]
    entries.append(_sensitive_entry(w, briefing, connections))
    entries.append(_vulnerable_entry(w, connections))
    return [Bullets(entries)]


def _count_entry(w: Words, report: Report) -> Entry:
    inline = [
        text(w("結合の件数", "Connections") + ": "),
        text(w(f"新たな結合 {len(report.connections)} 件", f"{len(report.connections)} new"), "strong"),
    ]
    if report.connections:
        inline += w.paren(_refs(report.connections))
    inline.append(text(w.comma + w(f"終了した結合 {len(report.ended)} 件", f"{len(report.ended)} ended")))
    if report.ended:
        inline += w.paren(_refs(report.ended))
    elif report.ended_statement:
        inline += [text(" — " + w("報告書の記載", "the report says") + ": "), text(report.ended_statement)]
    if report.changes:  # neither new nor ended: counted apart
        count = len(report.changes)
        inline.append(
            text(w.comma + w(f"既存の結合の変更 {count} 件", f"{count} change(s) to existing connections"))
        )
        inline += w.paren(_refs(report.changes))
    return Entry(inline)


def _recipient_entry(w: Words, connections: list[Connection]) -> Entry:
    named: dict[str, tuple[Recipient, list[Connection]]] = {}
    unnamed: list[tuple[Recipient, Connection]] = []
    unresolved: list[tuple[Recipient, Connection]] = []
    for connection in connections:
        for recipient in connection.recipients:
            if recipient.named:  # a data source (受領) apart from the same party as a recipient
                named.setdefault(recipient.iri + (recipient.direction or ""), (recipient, []))[1].append(
                    connection
                )
            elif recipient.unnamed:
                unnamed.append((recipient, connection))
            else:
                unresolved.append((recipient, connection))
    children: list[Entry] = []
    by_type: dict[tuple[int, str], list[tuple[Recipient, list[Connection]]]] = {}
    for recipient, found in named.values():
        key = (recipient.type_rank, w.name(recipient.type_label, recipient.type_label_en))
        by_type.setdefault(key, []).append((recipient, found))
    type_entries = []
    for (_, type_name), members in sorted(by_type.items()):
        parts = [
            [text(w.name(r.label, r.label_en)), *_direction_mark(r), *w.paren(_refs(found))]
            for r, found in members
        ]
        type_entries.append(
            Entry(
                [
                    text(f"{type_name or w('種別不明', 'type unknown')} {len(members)}: ", "strong"),
                    *joined(parts, w.comma),
                ]
            )
        )
    children.append(
        Entry(_named_heading(w, named, unresolved), [Bullets(type_entries)] if type_entries else [])
    )
    kinds: dict[str, list[tuple[Recipient, Connection]]] = {}
    for recipient, connection in unnamed:
        kinds.setdefault(w.name(recipient.kind, recipient.kind_en), []).append((recipient, connection))
    kind_entries = [
        Entry(
            [
                text(f"{kind}: "),
                *joined([_ref(c), text(f"「{r.as_written or r.label}」")] for r, c in members),
            ]
        )
        for kind, members in kinds.items()
    ]
    unnamed_inline = [
        text(w(f"名称不記載の相手方 {len(unnamed)} 件", f"Unnamed counterparties: {len(unnamed)}"), "unnamed")
    ]
    if unnamed:
        unnamed_inline += w.paren(_refs(c for _, c in unnamed))
    unnamed_inline.append(
        text(
            " — "
            + w(
                "報告書は相手方の名称を書かず、種別（例：LGWAN-ASPサービス提供者）だけを書いています。"
                "実際にどの事業者がデータを受け取るのかは、報告書からは分かりません。",
                "the report does not name these parties, only their kind (e.g. LGWAN-ASPサービス提供者, an "
                "LGWAN-ASP service provider): who actually receives the data cannot be told from the report.",
            )
        )
    )
    children.append(Entry(unnamed_inline, [Bullets(kind_entries)] if kind_entries else []))
    if unresolved:
        children.append(
            Entry(
                [
                    text(w("読み取れなかった相手方", "Counterparties not recognised") + ": ", "strong"),
                    *joined([_ref(c), text(f"「{r.as_written or r.label}」")] for r, c in unresolved),
                ]
            )
        )
    return Entry([text(w("相手方", "Recipients"), "strong")], [Bullets(children)])


def _named_heading(
    w: Words,
    named: dict[str, tuple[Recipient, list[Connection]]],
    unresolved: list[tuple[Recipient, Connection]],
) -> Inline:
    """How many organisations the report names: each once (a party both sent to and received from
    is one organisation), those ketsugo did not recognise included and said apart — the count the
    build summary gives as "named organisations" (every counterparty that is not unnamed)."""
    recognised = len({recipient.iri for recipient, _ in named.values()})
    other = len({recipient.iri for recipient, _ in unresolved})
    total = recognised + other
    heading = [text(w(f"名称のある組織 {total} 団体", f"Named organisations: {total}"), "strong")]
    if other:
        heading.append(
            text(
                w(
                    f"（うち種別を読み取れたもの {recognised}、読み取れなかったもの {other}：下記）",
                    f" ({recognised} recognised by kind, {other} not recognised: below)",
                )
            )
        )
    return heading


def _my_number_entry(w: Words, briefing: Briefing, report: Report) -> Entry:
    connections = report.connections + report.ended
    marked = [c for c in connections if c.my_number]
    with_item = [c for c in connections if _my_number_categories(briefing, c)]
    children = [
        Entry(
            [
                text(
                    w("特定個人情報の有無に○", "Marked ○ for specific personal information")
                    + f" {len(marked)}: "
                )
            ]
            + (_refs(marked) if marked else [text(w("なし", "none"))])
        ),
        Entry(
            [
                text(
                    w("項目に個人番号（マイナンバー）がある", "A My Number item is listed")
                    + f" {len(with_item)}: "
                )
            ]
            + (_refs(with_item) if with_item else [text(w("なし", "none"))])
        ),
    ]
    unmarked = [c for c in with_item if not c.my_number]
    if unmarked:
        children.append(
            Entry(
                [
                    text("⚠ ", "warn"),
                    text(w("項目に個人番号があるのに○がない", "A My Number item but no ○") + ": ", "strong"),
                    *_refs(unmarked),
                ]
            )
        )
    silent = [c for c in marked if c not in with_item]
    if silent:
        children.append(
            Entry(
                [
                    text(
                        w(
                            "○があるが項目欄に個人番号の記載がない",
                            "Marked ○ but the items do not list the number",
                        )
                        + ": "
                    ),
                    *_refs(silent),
                ]
            )
        )
    changed = [c for c in report.changes if c.my_number or _my_number_categories(briefing, c)]
    if changed:  # a 変更 row adding My Number to an existing connection is no new connection
        children.append(
            Entry(
                [
                    text(
                        w(
                            "既存の結合の変更で特定個人情報を扱うもの",
                            "Changes to existing connections involving My Number",
                        )
                        + f" {len(changed)}: ",
                        "strong",
                    ),
                    *_refs(changed),
                ]
            )
        )
    total = next((row for row in report.summary if row.is_total), None)
    if total is not None and total.counts[4] is not None:
        children.append(
            Entry(
                [
                    text(
                        w(
                            f"集計表では当年度の結合 {total.counts[3]} 件のうち {total.counts[4]} 件が特定個人情報を扱う"
                            "（新規分に限らない）",
                            f"The summary table counts {total.counts[4]} of the year's {total.counts[3]} "
                            "connections as handling My Number data (not only the new ones)",
                        )
                        if total.counts[3] is not None
                        else w(  # the year's count unread or not given: never printed as None
                            f"集計表では {total.counts[4]} 件の結合が特定個人情報を扱う（新規分に限らない。"
                            "当年度の結合数は集計表から読めない）",
                            f"The summary table counts {total.counts[4]} connections as handling My Number "
                            "data (not only the new ones; the year's count is not read from it)",
                        )
                    )
                ]
            )
        )
    return Entry(
        [text(w("マイナンバー（特定個人情報）", "My Number (specific personal information)"), "strong")],
        [Bullets(children)],
    )


def _my_number_categories(briefing: Briefing, connection: Connection) -> list[Category]:
    return [
        category
        for category in connection.categories.values()
        if any(briefing.flags.get(flag) and briefing.flags[flag].my_number for flag in category.flags)
    ]


def _sensitive_entry(w: Words, briefing: Briefing, connections: list[Connection]) -> Entry:
    children = []
    for flag in sorted(briefing.flags.values(), key=lambda f: (f.rank, f.iri)):
        if flag.my_number:
            continue  # reported with the ○ mark above
        found = [
            (c, [cat for cat in c.categories.values() if flag.iri in cat.flags])
            for c in connections
            if flag.iri in c.flags()
        ]
        if not found:
            continue
        parts = [
            [_ref(c), *w.paren(joined([[text(w.name(cat.label, cat.label_en))] for cat in cats], w.comma))]
            for c, cats in found
        ]
        inline = [
            text("⚠ ", "warn"),
            text(w.name(flag.label, flag.label_en) + f" {len(found)}: ", "strong"),
            *joined(parts, "; "),
        ]
        notes = [n for n in w.paragraphs(flag.comment or "", flag.comment_en or "") if n]
        notes = notes or [n for n in (flag.comment, flag.comment_en) if n][:1]
        children.append(
            Entry(inline, [Bullets([Entry([text(note, "em")]) for note in notes])] if notes else [])
        )
    if not children:
        children.append(Entry([text(w("該当なし", "none"))]))
    return Entry(
        [
            text(
                w(
                    "配慮を要する情報の流れ（項目の区分による）",
                    "Flows of sensitive data (by the category of the items)",
                ),
                "strong",
            )
        ],
        [Bullets(children)],
    )


def _vulnerable_entry(w: Words, connections: list[Connection]) -> Entry:
    classes: dict[str, tuple[SubjectClass, list[Connection]]] = {}
    for connection in connections:
        for subject_class in connection.subject_classes:
            if subject_class.vulnerable:
                classes.setdefault(subject_class.iri, (subject_class, []))[1].append(connection)
    children = [
        Entry(
            [
                text("⚠ ", "warn"),
                text(w.name(s.label, s.label_en) + f" {len(found)}: ", "strong"),
                *_refs(found),
            ]
        )
        for s, found in classes.values()
    ] or [Entry([text(w("該当なし", "none"))])]
    return Entry(
        [text(w("配慮を要する処理対象者", "Vulnerable data subjects"), "strong")],
        [Bullets(children)],
    )


# --------------------------------------------------------------------------- 3. findings


def _finding_blocks(w: Words, report: Report) -> list[Block]:
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SHOWN_SEVERITIES}
    summary = w.comma.join(f"{w.severity(s)} {n}" for s, n in counts.items())
    blocks: list[Block] = [
        Para(
            [
                text(summary + w.stop),
                text(
                    w(
                        "ketsugo validate の指摘のうち、報告書の記載について自治体に確かめたい点です。",
                        "These findings of ketsugo validate are about what the report says: points to ask the "
                        "municipality about.",
                    )
                ),
            ]
            + (
                [
                    text(
                        " "
                        + w(
                            f"このほか情報 {report.other_findings} 件は ketsugo validate で確認できます。",
                            f"{report.other_findings} more notes (Info) are listed by ketsugo validate.",
                        )
                    )
                ]
                if report.other_findings
                else []
            )
            + (
                [
                    text(
                        " "
                        + w(
                            f"ketsugo 自身の登録簿・語彙が知らない名称についての注記（報告書の誤りではない）"
                            f" {report.curation_notes} 件は、自治体に確かめる点ではありません"
                            "（ketsugo validate の curation の節）。",
                            f"{report.curation_notes} curation notes (names ketsugo's own registries do not "
                            "know yet: not a fault of the report) are not questions for the municipality "
                            "(ketsugo validate lists them).",
                        )
                    )
                ]
                if report.curation_notes
                else []
            )
        )
    ]
    connections = {c.number: c for c in report.connections}
    ended = {c.number: c for c in report.ended}
    if not report.findings:
        blocks.append(Para([text(w("指摘はありません。", "No findings."))]))
    else:
        blocks.append(_finding_bullets(w, report.findings, connections, ended))
    if report.disclosure_gaps:
        heading = w(
            f"開示の不足：報告書からは分からないこと {len(report.disclosure_gaps)} 件"
            "（よくある書き方で、報告書の誤りではありません）:",
            f"Disclosure gaps: {len(report.disclosure_gaps)} thing(s) a reader cannot learn "
            "from the report (common practice, not an error in it):",
        )
        blocks.append(Para([text(heading, "strong")]))
        blocks.append(_finding_bullets(w, report.disclosure_gaps, connections, ended))
    if report.reading_findings:
        heading = w(
            "報告書の読み取りの問題（ketsugo が本文を想定どおりに読めなかった箇所）:",
            "Problems reading the report (where ketsugo could not read the text as expected):",
        )
        blocks.append(Para([text(heading, "strong")]))
        blocks.append(_finding_bullets(w, report.reading_findings, connections, ended))
    return blocks


def _finding_bullets(
    w: Words, findings: Iterable[Finding], connections: dict[int, Connection], ended: dict[int, Connection]
) -> Bullets:
    """Findings as a bullet list, each pointing to its connections (new or ended, numbered apart)."""
    return Bullets([_finding_entry(w, f, (connections, ended)) for f in findings])


def _finding_entry(
    w: Words,
    finding: Finding,
    pools: tuple[dict[int, Connection], dict[int, Connection]] | None,
    card: Connection | None = None,
) -> Entry:
    """A finding: severity, where (unless on the card of its connection), and its message."""
    inline = [text(w.severity(finding.severity), "warn" if finding.severity == "Violation" else "strong")]
    if card is not None:
        if finding.line and finding.line != card.line:
            inline.append(text(" · " + w(f"{finding.line}行目", f"line {finding.line}")))
        return Entry(inline, [Bullets([Entry([text(m)]) for m in w.messages(finding)])])
    where: list[Inline] = []
    if finding.connections:
        refs = [
            [_ref(pools[ended][n])]
            if pools and n in pools[ended]
            else [text(f"{'終了' if ended else ''}No.{n}")]
            for ended, n in finding.numbered()
        ]
        where.append(joined(refs, ", "))
    if finding.line:
        where.append([text(w(f"{finding.line}行目", f"line {finding.line}"))])
    if finding.department:
        where.append([text(finding.department)])
    if where:
        inline += [text(" "), *joined(where, " · ")]
    return Entry(inline, [Bullets([Entry([text(m)]) for m in w.messages(finding)])])


# --------------------------------------------------------------------------- 4. cards


def _change_field(w: Words, c: Connection) -> Field:
    """When a 変更 row's change was made (as written beside the date read) and, where the build
    holds the earlier report, which connection it changes."""
    value = [text(str(c.change_date or ""))]
    if c.change_date_as_written and str(c.change_date or "") != c.change_date_as_written:
        value.append(text(f" ({c.change_date_as_written})"))
    if c.changes:
        value.append(text(" — " + w(f"変更した結合: {c.changes}", f"changes connection {c.changes}")))
    return Field([text(w("変更年月日", "Date of the change"))], value)


def _card(w: Words, briefing: Briefing, report: Report, c: Connection) -> Card:
    fields = [
        Field([text(w("業務名", "Business"))], [text(c.business)]),
        Field(
            [
                text(
                    w("外部結合を行った理由", "Reason")
                    if c.is_new
                    else w("結合を終了した理由", "Reason for ending")
                )
            ],
            [text(c.reason or "")],
        ),
        Field(
            [text(w("結合を行った課・実施機関", "Department and agency"))],
            [text(c.departments or "")]
            + ([text(" — "), text(w.name(c.agency, c.agency_en))] if c.agency or c.agency_en else []),
        ),
        _recipients_field(w, c),
    ]
    if c.is_change:  # a 変更 row: the date of the change and the connection it changes
        fields.append(_change_field(w, c))
    else:
        fields.append(_date_field(w, c, start=True))
    if not c.is_change and (not c.is_new or c.end_date or c.end_date_as_written):
        fields.append(_date_field(w, c, start=False))
    if c.changed_by:  # changes later reports of the build make to it (kg:changesConnection)
        fields.append(Field([text(w("その後の変更", "Changed later"))], [text(" / ".join(c.changed_by))]))
    fields += [
        _legal_field(w, c),
        _subjects_field(w, c),
        _items_field(w, c),
        _categories_field(w, briefing, c),
        _my_number_field(w, briefing, c),
        Field(
            [text(w("指摘", "Findings"))],
            [] if c.findings else [text(w("なし", "none"))],
            [Bullets([_finding_entry(w, f, None, c) for f in c.findings])] if c.findings else [],
        ),
        Field(
            [text(w("出典", "Source"))],
            [
                text(report.source_file or report.iri, "code"),
                text(" " + w(f"{c.line}行目", f"line {c.line}")),
            ],
        ),
    ]
    heading = Heading(4, [text(_number(c) + " "), text(c.business)], anchor=c.anchor)
    return Card(c.anchor, [heading, Fields(fields)])


def _recipients_field(w: Words, c: Connection) -> Field:
    entries = []
    for r in c.recipients:
        if r.named:
            type_name = w.name(r.type_label, r.type_label_en)
            entries.append(
                Entry(
                    [text(w.name(r.label, r.label_en), "strong")]
                    + _direction_mark(r)
                    + _subcontract_mark(w, r)
                    + ([text(f" — {type_name}")] if type_name else [])
                )
            )
        elif r.unnamed:
            kind, kind_en = r.kind or r.kind_en or "", r.kind_en or r.kind or ""
            entries.append(
                Entry(
                    [
                        text(f"「{r.as_written or r.label}」 "),
                        *_direction_mark(r, before="", after=" "),
                        *_subcontract_mark(w, r, before="", after=" "),
                        text(w("名称不記載", "unnamed"), "unnamed"),
                        text(
                            " — "
                            + w(
                                f"報告書は種別（{kind}）だけを書き、事業者名を書いていない",
                                f"the report gives only the kind of party ({kind_en}), not its name",
                            )
                        ),
                    ]
                )
            )
        else:
            entries.append(
                Entry(
                    [
                        text(f"「{r.as_written or r.label}」 "),
                        *_direction_mark(r, before="", after=" "),
                        text(w("読み取れず", "not recognised"), "unnamed"),
                    ]
                )
            )
    shown = {r.as_written or r.label for r in c.recipients}
    children: list[Block] = [Bullets(entries)] if entries else []
    value: Inline = []
    if c.counterparties and (len(c.recipients) != 1 or c.counterparties not in shown):
        value = [text(w("原文", "as written") + ": "), text(c.counterparties)]
    elif not entries:
        value = [text(w("記載なし", "not given"))]
    return Field([text(w("結合の相手方", "Recipients"))], value, children)


def _subcontract_mark(w: Words, r: Recipient, before: str = " ", after: str = "") -> list[Span]:
    """A party the report names as another's subcontractor (再委託先) says whose."""
    if r.subcontractor_of is None:
        return []
    whose = r.subcontractor_of
    return [text(f"{before}[{w(f'{whose}の再委託先', f'subcontractor of {whose}')}]{after}", "em")]


def _direction_mark(r: Recipient, before: str = " ", after: str = "") -> list[Span]:
    """A counterparty the connection receives data from is marked, never shown as a plain recipient."""
    if r.direction is None:
        return []
    return [text(f"{before}[{r.direction} ({directions.mark(r.direction)})]{after}", "em")]


def _date_field(w: Words, c: Connection, *, start: bool) -> Field:
    day, written, note = (
        (c.start_date, c.start_date_as_written, c.start_date_note)
        if start
        else (c.end_date, c.end_date_as_written, c.end_date_note)
    )
    shown = day.isoformat() if isinstance(day, date) else day  # a month, a year, a fiscal year: as text
    value: Inline = [text(shown, "strong")] if shown else [text(w("日付なし", "no date"))]
    if written:
        value += w.paren([text(w("原文", "as written") + ": "), text(written)])
    if note:
        value += [text(" — " + w("注記", "remark") + ": "), text(note, "warn")]
    label = w("結合の開始年月日", "Start date") if start else w("結合の終了年月日", "End date")
    return Field([text(label)], value)


def _legal_field(w: Words, c: Connection) -> Field:
    entries = []
    for ref in c.legal:
        if ref.kind == "decision":
            kind = w.name(ref.label, ref.label_en)
            entries.append(
                Entry(
                    [text(w("審議会", "Council") + ": "), text(ref.text)]
                    + (w.paren([text(kind)]) if kind else [])
                )
            )
        else:
            law = w.name(ref.label, ref.label_en)
            inline = [text(w("法令", "Statute") + ": "), text(ref.text)]
            if law:
                inline.append(text(" — "))
                inline.append(text(law, href=ref.link or ""))
            if ref.law_number:
                inline += w.paren([text(ref.law_number)])
            entries.append(Entry(inline))
    value = (
        [text(w("原文", "as written") + ": "), text(c.legal_basis)]
        if c.legal_basis
        else [text(w("記載なし", "not given"))]
    )
    return Field([text(w("条例根拠", "Legal basis"))], value, [Bullets(entries)] if entries else [])


def _subjects_field(w: Words, c: Connection) -> Field:
    entries = [
        Entry(
            [
                text("⚠ " + w.name(s.label, s.label_en), "warn"),
                text(" — " + w("配慮を要する人々", "vulnerable")),
            ]
            if s.vulnerable
            else [text(w.name(s.label, s.label_en))]
        )
        for s in c.subject_classes
    ]
    return Field(
        [text(w("外部結合による処理対象者", "Data subjects"))],
        [text(c.subjects or "")],
        [Bullets(entries)] if entries else [],
    )


def item_lines(items: list[Item]) -> list[tuple[str | None, list[str]]]:
    """The items as the report groups them: (heading such as ①給付対象者情報 or 【調定情報】, texts).

    A group written ``X（a、b）`` without a marker stays inline, in the line it sits in."""
    lines: list[tuple[str | None, list[str]]] = []
    current: tuple[str, str] | None = None
    index = 0
    while index < len(items):
        item = items[index]
        key = (item.group_marker, item.group_heading)
        run = []
        while index < len(items) and (items[index].group_marker, items[index].group_heading) == key:
            run.append(items[index].as_written)
            index += 1
        marker, heading = key
        if marker:
            if current != (marker, heading or ""):
                shown = f"【{heading}】" if marker == "【】" else f"{marker}{heading or ''}"
                lines.append((shown, []))
                current = (marker, heading or "")
            lines[-1][1].extend(run)
            continue
        piece = [f"{heading}（{'、'.join(run)}）"] if heading else run
        if not lines:
            lines.append((None, []))
        lines[-1][1].extend(piece)
    return lines


def _items_field(w: Words, c: Connection) -> Field:
    lines = item_lines(c.items)
    entries = [
        Entry(([text(head, "strong"), text(" ")] if head else []) + [text("、".join(texts))])
        for head, texts in lines
    ]
    if c.items_note:
        entries.append(Entry([text(w("注", "note") + ": "), text(c.items_note)]))
    value: Inline = [] if entries else [text(c.items_as_written or w("記載なし", "not given"))]
    return Field(
        [text(w("外部結合に係る個人情報記録の項目", "Data items (as written)"))],
        value,
        [Bullets(entries)] if entries else [],
    )


def _categories_field(w: Words, briefing: Briefing, c: Connection) -> Field:
    parts: list[Inline] = []
    for category in c.categories.values():
        name = w.name(category.label, category.label_en)
        if not category.flags:
            parts.append([text(name)])
            continue
        flags = "・".join(
            w.name(briefing.flags[f].label, briefing.flags[f].label_en) if f in briefing.flags else f
            for f in category.flags
        )
        parts.append(
            [
                text("⚠", "warn"),
                text(name, "warn"),
                text(f" [{flags}] ← "),
                text("、".join(category.items)),
            ]
        )
    value = joined(parts, "; ") if parts else [text(w("区分なし", "none"))]
    unmapped = [i.as_written for i in c.items if not i.categories]
    children: list[Block] = []
    if unmapped:
        children.append(
            Bullets(
                [
                    Entry(
                        [
                            text(w("区分に当てはまらない項目", "Items of no category") + ": "),
                            text("、".join(unmapped)),
                        ]
                    )
                ]
            )
        )
    return Field([text(w("項目の区分", "Data categories"))], value, children)


def _my_number_field(w: Words, briefing: Briefing, c: Connection) -> Field:
    written = (c.my_number_as_written or "").strip()
    value: Inline = [text(written, "strong") if written else text(w("（空欄）", "(blank)"))]
    items = [item for cat in _my_number_categories(briefing, c) for item in cat.items]
    if items:
        value += [
            text(" — "),
            text(w("項目に個人番号がある", "a My Number item is listed") + ": ", "warn"),
            text("、".join(dict.fromkeys(items))),
        ]
    return Field([text(w("特定個人情報の有無（原文）", "My Number mark (as written)"))], value)
