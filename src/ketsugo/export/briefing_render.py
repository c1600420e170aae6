"""The briefing written out: Markdown, or a self-contained HTML page (no external CSS, scripts or
fonts); report text is escaped in both.
"""

from __future__ import annotations

import html
import re
from importlib.resources import files
from typing import Any

from ketsugo.export.briefing_collect import Briefing
from ketsugo.export.briefing_model import (
    Block,
    Bullets,
    Card,
    Fields,
    Heading,
    Inline,
    Nav,
    Para,
    Span,
    Table,
)
from ketsugo.export.briefing_wording import document

# =============================================================================== Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~#<])")


_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def md_escape(value: str) -> str:
    """Text as literal Markdown (backslash escapes): no emphasis, link, table cell, raw HTML or
    character reference can come of it, and it still reads as written."""
    value = _MD_SPECIAL.sub(r"\\\1", value)
    value = _MD_ENTITY.sub(r"\\&", value)
    return re.sub(r"\s*\n\s*", " ", value)


_MD_MARKS = {"strong": "**", "warn": "**", "unnamed": "**", "em": "*"}


def _md_inline(inline: Inline) -> str:
    """Spans as Markdown; neighbouring bold spans become one, with spaces kept outside the marks."""
    runs: list[tuple[str, str, str]] = []  # (mark or "code", href, text)
    for span in inline:
        if not span.text:
            continue
        mark = "code" if span.style == "code" else _MD_MARKS.get(span.style, "")
        body = span.text if mark == "code" else md_escape(span.text)
        if runs and runs[-1][:2] == (mark, span.href) and mark != "code":
            runs[-1] = (mark, span.href, runs[-1][2] + body)
        else:
            runs.append((mark, span.href, body))
    out = []
    for mark, href, body in runs:
        if mark == "code":
            body = "`" + body.replace("`", "'") + "`"
        elif mark:
            core = body.strip()
            if not core:
                out.append(body)
                continue
            lead, trail = body[: len(body) - len(body.lstrip())], body[len(body.rstrip()) :]
            body = f"{lead}{mark}{core}{mark}{trail}"
        if href and not href.startswith("#"):
            url = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            body = f"[{body}]({url})"
        out.append(body)
    return "".join(out)


def _md_line_start(line: str) -> str:
    """Escape what would make a paragraph a list item or quote."""
    return re.sub(r"^(\s*)([-+>]|\d+[.)])", lambda m: m.group(1) + "\\" + m.group(2), line)


def _md_blocks(blocks: list[Block]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + _md_inline(block.inline), ""]
        elif isinstance(block, Para):
            lines += [_md_line_start(_md_inline(block.inline)), ""]
        elif isinstance(block, Table):
            lines += [*_md_table(block), ""]
        elif isinstance(block, Bullets):
            lines += [*_md_entries([("", e.inline, e.children) for e in block.entries]), ""]
        elif isinstance(block, Fields):
            lines += [*_md_entries([(_md_label(f.label), f.value, f.children) for f in block.fields]), ""]
        elif isinstance(block, Card):
            lines += _md_blocks(block.blocks)
    return lines


def _md_label(label: Inline) -> str:
    return f"**{_md_inline(label)}**:"


def _md_entries(entries: list[tuple[str, Inline, list[Any]]]) -> list[str]:
    """A bullet list; each entry's label (Markdown already) before its text, children indented."""
    lines = []
    for label, inline, children in entries:
        rest = _md_inline(inline)
        lines.append("- " + (f"{label} {rest}" if label and rest else label or rest))
        for child in _md_blocks(children):
            lines.append(("  " + child) if child else "")
        while lines and lines[-1] == "":
            lines.pop()
    return lines


def _md_table(table: Table) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [row([_md_inline(h) for h in table.head])]
    lines.append(row(["---:" if i in table.numeric else "---" for i in range(len(table.head))]))
    for index, cells in enumerate(table.rows):
        shown = [_md_inline(c) for c in cells]
        if index in table.strong_rows:
            shown = [f"**{s}**" if s else s for s in shown]
        lines.append(row(shown))
    return lines


def to_markdown(briefing: Briefing, lang: str = "both") -> str:
    _, blocks = document(briefing, lang)
    lines = _md_blocks(blocks)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# =============================================================================== HTML


def _h(value: str) -> str:
    return html.escape(value, quote=True)


def _safe_href(href: str) -> str:
    return href if href.startswith("#") or re.match(r"https?://", href) else ""


def _merged(inline: Inline) -> Inline:
    """Neighbouring spans of the same style and link as one."""
    out: Inline = []
    for span in inline:
        if out and (out[-1].style, out[-1].href) == (span.style, span.href):
            out[-1] = Span(out[-1].text + span.text, span.style, span.href)
        elif span.text:
            out.append(span)
    return out


def _html_inline(inline: Inline) -> str:
    out = []
    for span in _merged(inline):
        if not span.text:
            continue
        body = _h(span.text)
        if span.style == "strong":
            body = f"<strong>{body}</strong>"
        elif span.style == "em":
            body = f"<em>{body}</em>"
        elif span.style == "code":
            body = f"<code>{body}</code>"
        elif span.style in ("warn", "unnamed"):
            body = f'<strong class="{span.style}">{body}</strong>'
        href = _safe_href(span.href)
        if href:
            body = f'<a href="{_h(href)}">{body}</a>'
        out.append(body)
    return "".join(out)


def _html_blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            anchor = f' id="{_h(block.anchor)}"' if block.anchor else ""
            out.append(f"<h{block.level}{anchor}>{_html_inline(block.inline)}</h{block.level}>")
        elif isinstance(block, Para):
            css = f' class="{_h(block.css)}"' if block.css else ""
            out.append(f"<p{css}>{_html_inline(block.inline)}</p>")
        elif isinstance(block, Nav):
            out.append(f'<nav class="cards">{_html_inline(block.inline)}</nav>')
        elif isinstance(block, Table):
            out.append(_html_table(block))
        elif isinstance(block, Bullets):
            out.append("<ul>")
            for entry in block.entries:
                children = "".join(_html_blocks(entry.children))
                out.append(f"<li>{_html_inline(entry.inline)}{children}</li>")
            out.append("</ul>")
        elif isinstance(block, Fields):
            out.append('<dl class="fields">')
            for item in block.fields:
                children = "".join(_html_blocks(item.children))
                out.append(
                    f"<dt>{_html_inline(item.label)}</dt><dd>{_html_inline(item.value)}{children}</dd>"
                )
            out.append("</dl>")
        elif isinstance(block, Card):
            out.append(f'<section class="card" id="card-{_h(block.anchor)}">')
            out.extend(_html_blocks(block.blocks))
            out.append("</section>")
    return out


def _html_table(table: Table) -> str:
    def cell(tag: str, index: int, inline: Inline) -> str:
        css = ' class="num"' if index in table.numeric else ""
        return f"<{tag}{css}>{_html_inline(inline)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(table.head))
    rows = []
    for index, cells in enumerate(table.rows):
        css = ' class="total"' if index in table.strong_rows else ""
        rows.append(f"<tr{css}>" + "".join(cell("td", i, c) for i, c in enumerate(cells)) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def to_html(briefing: Briefing, lang: str = "both") -> str:
    """A self-contained page: the template's own style sheet, no script, nothing fetched."""
    title, blocks = document(briefing, lang)
    template = files("ketsugo").joinpath("templates/briefing.html").read_text(encoding="utf-8")
    body = "\n".join(_html_blocks(blocks))
    replacements = {"{{LANG}}": "en" if lang == "en" else "ja", "{{TITLE}}": _h(title), "{{BODY}}": body}
    return re.sub(r"\{\{(LANG|TITLE|BODY)\}\}", lambda m: replacements[m.group(0)], template)
