"""The query catalogue: the `.rq` files under queries/, each with a grlc-style `#+` header.

A catalogue query is a SPARQL file that starts with comment lines `#+ …` holding a small
YAML document (the grlc convention)::

    #+ summary:
    #+   ja: ある種類の個人データを受け取る相手方
    #+   en: Recipients of a personal-data category
    #+ description: >
    #+   Which counterparties receive data of the given category …
    #+ tags: [recipients, categories]
    #+ parameters:
    #+   - name: category
    #+     type: category
    #+     description: a category as its ja or en label, slug or IRI
    #+     example: 生年月日

The header is read by the small YAML-subset parser below (block mappings and lists, flow
lists, quoted and plain scalars, folded `>` and literal `|` blocks), so no YAML library is
needed. The query text itself stays untouched: the header lines are SPARQL comments.

Parameters are bound by the engine (see ketsugo.query); every parameter's variable must
appear in the SELECT projection (pyoxigraph's substitution requires it), which
:func:`load_query` checks. `lists:` names the GROUP_CONCAT columns and their separators: SPARQL
leaves the order of concatenated values open, so ketsugo sorts their elements (numbers by value)
after the engine, and the same query gives the same cells on any store or endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ketsugo.paths import QUERIES_DIR

HEADER_PREFIX = "#+"
PARAMETER_TYPES = (
    "category",
    "counterparty",
    "sensitivity",
    "subject-class",
    "decision-type",
    "date",
    "integer",
    "string",
    "iri",
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CatalogueError(ValueError):
    """A malformed catalogue file, or a name the catalogue does not have."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str = ""
    default: str | None = None
    example: str | None = None
    required: bool = True

    def describe(self) -> str:
        bits = [f"{self.name} ({self.type})"]
        if self.default is not None:
            bits.append(f"default {self.default}")
        elif not self.required:
            bits.append("optional")
        if self.example is not None:
            bits.append(f"e.g. {self.example}")
        return ", ".join(bits)


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    path: Path
    text: str
    summary_ja: str
    summary_en: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    lists: dict[str, str] = field(default_factory=dict)  # GROUP_CONCAT column -> separator
    header: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


# ---------------------------------------------------------------------------------- catalogue


def query_paths(directory: Path = QUERIES_DIR) -> list[Path]:
    return sorted(directory.glob("*.rq"))


@cache
def catalogue(directory: Path = QUERIES_DIR) -> dict[str, CatalogueQuery]:
    """Every query of the catalogue by name (file stem), in name order."""
    return {path.stem: load_query(path) for path in query_paths(directory)}


def get(name: str, directory: Path = QUERIES_DIR) -> CatalogueQuery:
    """One query by name; a CatalogueError naming the close matches when there is none."""
    path = directory / f"{name}.rq"
    if _NAME_OR_DASH.match(name) and path.is_file():
        return load_query(path)
    import difflib

    names = [p.stem for p in query_paths(directory)]
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.4) or [n for n in names if name in n]
    hint = f"; did you mean: {', '.join(close)}?" if close else "; `ketsugo query --list` lists them"
    raise CatalogueError(f"no query named {name!r} in the catalogue{hint}")


_NAME_OR_DASH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def load_query(path: Path) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    try:
        header = parse_header(text)
        return _query_from_header(path, text, header)
    except CatalogueError as exc:
        raise CatalogueError(f"{path}: {exc}") from None


def _query_from_header(path: Path, text: str, header: dict[str, Any]) -> CatalogueQuery:
    summary = header.get("summary")
    if not isinstance(summary, dict) or not summary.get("ja") or not summary.get("en"):
        raise CatalogueError("header needs `summary:` with `ja:` and `en:`")
    tags = header.get("tags") or []
    if not isinstance(tags, list):
        raise CatalogueError("`tags:` must be a list")
    raw_parameters = header.get("parameters") or []
    if not isinstance(raw_parameters, list):
        raise CatalogueError("`parameters:` must be a list")
    parameters = tuple(_parameter(p) for p in raw_parameters)
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise CatalogueError("a parameter is declared twice")
    projection = select_projection(text)
    for parameter in parameters:
        if projection is not None and parameter.name not in projection:
            raise CatalogueError(
                f"parameter ?{parameter.name} is not in the SELECT projection (substitution needs it there)"
            )
    lists = header.get("lists") or {}
    if not isinstance(lists, dict) or not all(isinstance(v, str) and v for v in lists.values()):
        raise CatalogueError("`lists:` maps a column to its separator")
    for column in lists:
        if projection is not None and column not in projection:
            raise CatalogueError(f"list column ?{column} is not in the SELECT projection")
    return CatalogueQuery(
        name=path.stem,
        path=path,
        text=text,
        summary_ja=str(summary["ja"]),
        summary_en=str(summary["en"]),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(t) for t in tags),
        parameters=parameters,
        lists={str(k): v for k, v in lists.items()},
        header=header,
    )


def _parameter(raw: Any) -> Parameter:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise CatalogueError("each parameter needs a `name:`")
    name = raw["name"]
    if not _NAME.match(name):
        raise CatalogueError(f"parameter name {name!r} is not a SPARQL variable name")
    kind = str(raw.get("type") or "string")
    if kind not in PARAMETER_TYPES:
        raise CatalogueError(
            f"parameter {name!r} has unknown type {kind!r} (one of {', '.join(PARAMETER_TYPES)})"
        )
    default = raw.get("default")
    example = raw.get("example")
    required = raw.get("required")
    if required is None:
        required = default is None
    return Parameter(
        name=name,
        type=kind,
        description=str(raw.get("description") or "").strip(),
        default=None if default is None else str(default),
        example=None if example is None else str(example),
        required=bool(required),
    )


def select_projection(text: str) -> set[str] | None:
    """The variables a SELECT query projects (None for `SELECT *` or other query forms)."""
    from ketsugo.query import strip_comments_and_strings

    code = strip_comments_and_strings(text)
    match = re.search(r"(?<![?$:\w])SELECT\b(.*?)(?:(?<![?$:\w])WHERE\b|\{)", code, re.IGNORECASE | re.DOTALL)
    if match is None or match.group(1).strip().endswith("*"):
        return None
    clause = match.group(1)
    # Variables named by `AS ?x` and bare `?x`, but not those used inside (expression AS ?x).
    names = set(re.findall(r"\bAS\s+[?$]([A-Za-z_][A-Za-z0-9_]*)", clause, re.IGNORECASE))
    depth = 0
    for token in re.finditer(r"[()]|[?$][A-Za-z_][A-Za-z0-9_]*", clause):
        if token.group() == "(":
            depth += 1
        elif token.group() == ")":
            depth -= 1
        elif depth == 0:
            names.add(token.group()[1:])
    return names


# ----------------------------------------------------------------------- the header (YAML subset)


def header_lines(text: str) -> list[str]:
    """The `#+` lines at the top of a query file, without the marker."""
    lines = []
    for line in text.splitlines():
        if line.startswith(HEADER_PREFIX):
            rest = line[len(HEADER_PREFIX) :]
            lines.append(rest[1:] if rest.startswith(" ") else rest)
        elif line.strip() == "" and not lines:
            continue
        else:
            break
    return lines


def parse_header(text: str) -> dict[str, Any]:
    lines = header_lines(text)
    if not lines:
        raise CatalogueError("no `#+` header at the top of the file")
    value = parse_yaml_subset("\n".join(lines))
    if not isinstance(value, dict):
        raise CatalogueError("the `#+` header must be a mapping")
    return value


def parse_yaml_subset(text: str) -> Any:
    """A small YAML subset: block mappings/lists, flow lists, scalars, `>`/`|` blocks, comments."""
    lines: list[tuple[int, str, int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise CatalogueError(f"header line {number}: tab in indentation")
        lines.append((len(raw) - len(raw.lstrip(" ")), raw.rstrip(), number))
    parser = _YamlParser(lines)
    value = parser.block(0)
    parser.skip_blank()
    if parser.position < len(parser.lines):
        raise CatalogueError(f"header line {parser.lines[parser.position][2]}: unexpected indentation")
    return value


class _YamlParser:
    def __init__(self, lines: list[tuple[int, str, int]]) -> None:
        self.lines = lines
        self.position = 0

    def skip_blank(self) -> None:
        while self.position < len(self.lines):
            _, text, _ = self.lines[self.position]
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                return
            self.position += 1

    def block(self, indent: int) -> Any:
        self.skip_blank()
        if self.position >= len(self.lines):
            return None
        line_indent, text, _ = self.lines[self.position]
        if line_indent < indent:
            return None
        if text.strip().startswith("- ") or text.strip() == "-":
            return self.sequence(line_indent)
        return self.mapping(line_indent)

    def mapping(self, indent: int, first: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        pending = first
        while True:
            if pending is None:
                self.skip_blank()
                if self.position >= len(self.lines):
                    break
                line_indent, text, number = self.lines[self.position]
                if line_indent < indent:
                    break
                if line_indent > indent:
                    raise CatalogueError(f"header line {number}: unexpected indentation")
                content = text.strip()
                self.position += 1
            else:
                content, number = pending, self.lines[self.position - 1][2]
                pending = None
            key, sep, rest = content.partition(":")
            if not sep or not key.strip() or (rest and not rest.startswith(" ")):
                raise CatalogueError(f"header line {number}: expected `key: value`")
            key = _scalar(key.strip(), number)
            if key in result:
                raise CatalogueError(f"header line {number}: duplicate key {key!r}")
            result[key] = self.value(_strip_comment(rest).strip(), indent, number)
        return result

    def sequence(self, indent: int) -> list[Any]:
        result: list[Any] = []
        while True:
            self.skip_blank()
            if self.position >= len(self.lines):
                break
            line_indent, text, number = self.lines[self.position]
            content = text.strip()
            if line_indent != indent or not (content.startswith("- ") or content == "-"):
                if line_indent > indent:
                    raise CatalogueError(f"header line {number}: unexpected indentation")
                break
            self.position += 1
            item = content[1:].strip()
            item_indent = indent + (len(content) - len(content[1:].lstrip())) if item else indent + 2
            if not item:
                result.append(self.block(indent + 1))
            elif re.match(r"^[^'\"\[{][^:]*:( |$)", item):
                result.append(self.mapping(item_indent, first=item))
            else:
                result.append(self.value(_strip_comment(item).strip(), indent, number))
        return result

    def value(self, rest: str, indent: int, number: int) -> Any:
        if rest in (">", "|", ">-", "|-", ">+", "|+"):
            return self.block_scalar(rest, indent)
        if rest:
            return _scalar(rest, number)
        self.skip_blank()
        if self.position < len(self.lines) and self.lines[self.position][0] > indent:
            return self.block(indent + 1)
        if (
            self.position < len(self.lines)
            and self.lines[self.position][0] == indent
            and self.lines[self.position][1].strip().startswith("- ")
        ):
            return self.sequence(indent)
        return None

    def block_scalar(self, style: str, indent: int) -> str:
        collected: list[str] = []
        block_indent: int | None = None
        while self.position < len(self.lines):
            line_indent, text, _ = self.lines[self.position]
            if text.strip() and line_indent <= indent:
                break
            if text.strip() and block_indent is None:
                block_indent = line_indent
            collected.append(text[block_indent or 0 :] if text.strip() else "")
            self.position += 1
        while collected and not collected[-1]:
            collected.pop()
        if style.startswith("|"):
            body = "\n".join(collected)
        else:
            paragraphs: list[str] = []
            current: list[str] = []
            for line in collected:
                if line:
                    current.append(line.strip())
                else:
                    paragraphs.append(" ".join(current))
                    current = []
            paragraphs.append(" ".join(current))
            body = "\n".join(paragraphs)
        return body if style.endswith("-") else body + "\n"


def _strip_comment(text: str) -> str:
    quote = ""
    for i, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i]
    return text


def _scalar(text: str, number: int) -> Any:
    if text.startswith("[") or text.startswith("{"):
        return _flow(text, number)
    if text[0] in "'\"":
        if len(text) < 2 or text[-1] != text[0]:
            raise CatalogueError(f"header line {number}: unterminated quoted value")
        inner = text[1:-1]
        if text[0] == "'":
            return inner.replace("''", "'")
        escapes = {"\\": "\\", '"': '"', "n": "\n", "t": "\t"}
        return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), inner)
    lowered = text.lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    if lowered in ("null", "~"):
        return None
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    return text


def _flow(text: str, number: int) -> Any:
    if text.startswith("{"):
        if text != "{}":
            raise CatalogueError(f"header line {number}: flow mappings are not supported (write a block)")
        return {}
    if not text.endswith("]"):
        raise CatalogueError(f"header line {number}: unterminated list")
    inner = text[1:-1].strip()
    if not inner:
        return []
    items: list[str] = []
    current = ""
    quote = ""
    for char in inner:
        if quote:
            current += char
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current += char
        elif char == ",":
            items.append(current.strip())
            current = ""
        elif char in "[]{}":
            raise CatalogueError(f"header line {number}: nested flow collections are not supported")
        else:
            current += char
    items.append(current.strip())
    return [_scalar(item, number) for item in items if item]
