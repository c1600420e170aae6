"""report.txt from report.html: what a browser gives when the page's content (from the title to
the last table) is selected and pasted into a text editor — cells apart by a tab, a line per
table row, a <br> or <li> inside a cell a line break (so such a row runs over lines), a
rowspan cell only on its first row, &nbsp; a space, <sup>※1</sup> inline. Made by the user, not
by ketsugo."""

from pathlib import Path

from lxml import html

BLOCKS = {"h1", "h2", "p", "caption", "li"}


def inline(el) -> str:
    """A cell's text as a browser renders it: <br> and list items on lines of their own."""
    out = [el.text or ""]
    for child in el:
        if child.tag == "br":
            out.append("\n")
        elif child.tag in ("ul", "ol"):
            out.append("\n".join(inline(li) for li in child if li.tag == "li"))
        else:
            out.append(inline(child))
        out.append(child.tail or "")
    return "".join(out).replace("\xa0", " ")


def main() -> None:
    here = Path(__file__).parent
    root = html.fromstring((here / "report.html").read_text(encoding="utf-8"))
    contents = root.get_element_by_id("contents")
    lines: list[str] = []
    for el in contents:
        if el.get("class") in ("sns", "contact"):
            continue
        if el.tag == "table":
            cap = el.find("caption")
            if cap is not None:
                lines.append(inline(cap).strip())
            for tr in el.iter("tr"):
                lines.append("\t".join(inline(c).strip(" ") for c in tr if c.tag in ("th", "td")))
        elif el.tag in BLOCKS:
            lines.append(inline(el).strip())
    (here / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
