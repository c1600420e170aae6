"""A readable briefing of a build, for people who will not write SPARQL.

`ketsugo export briefing` writes one document for the whole build (every report in it), in
Markdown or as a self-contained HTML page (no external CSS, scripts or fonts): per report the
summary table, the key facts (recipients by type and those the report does not name, My Number,
sensitive data and vulnerable data subjects), the findings of `ketsugo validate`, and one card
per connection with every cell as written and what ketsugo read from it, with its source line.

Everything shown is read from the store by the ``queries/export/briefing-*.rq`` queries (and the
findings by running :mod:`ketsugo.check.validate` on the same store); the only text here is the
document's headings and fixed phrases, in Japanese and English. Both formats are written from
the same block structure, so they carry the same content; report text is escaped in both.

Four modules, one per concern: the facts read from the store (briefing_collect), the document's
blocks (briefing_model), its wording in Japanese and English (briefing_wording), and the Markdown
and HTML writers (briefing_render); this one chooses among them.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from ketsugo.export.briefing_collect import Briefing, Report, collect, reports_in
from ketsugo.export.briefing_render import to_html, to_markdown
from ketsugo.export.briefing_wording import Words

__all__ = ["FORMATS", "WRITERS", "Briefing", "briefing", "collect", "to_html", "to_markdown"]

FORMATS = ("md", "html")
WRITERS: dict[str, Callable[[Briefing, str], str]] = {"md": to_markdown, "html": to_html}


def briefing(
    store: ox.Store, fmt: str = "md", lang: str = "both", *, where: str = "", report: str | None = None
) -> str:
    """The briefing of every report in the store, or of one (``report``: CODE/YEAR such as
    131041/2020, or "latest"), as Markdown ("md") or HTML ("html")."""
    if fmt not in WRITERS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    Words(lang)  # reject an unknown language before the work
    if report is not None:
        _chosen(reports_in(store), report)  # and a report the build does not hold
    collected = collect(store, where=where)
    if report is not None:
        collected.reports = _chosen(collected.reports, report)
    return WRITERS[fmt](collected, lang)


def _chosen(reports: list[Report], wanted: str) -> list[Report]:
    """The report a reader chose: CODE/YEAR, or the latest year of the build."""
    from ketsugo.errors import InputError, Issue

    if wanted == "latest" and reports:
        latest = max(r.fiscal_year for r in reports)
        return [r for r in reports if r.fiscal_year == latest]
    chosen = [r for r in reports if f"{r.code}/{r.fiscal_year}" == wanted.strip()]
    if not chosen:
        known = ", ".join(f"{r.code}/{r.fiscal_year}" for r in reports) or "none"
        raise InputError(
            Issue("--report", 0, "--report", f"no report {wanted!r} in the build (it holds: {known})")
        )
    return chosen
