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

The header is read with PyYAML (``yaml.safe_load``; a key given twice is an error). The query
text itself stays untouched: the header lines are SPARQL comments.

Parameters are bound as RDF terms (see ketsugo.sparql.query); every parameter's variable must
appear in the SELECT projection (pyoxigraph's substitution requires it), and must not be used
where a VALUES binding would mean something else than an engine's (inside a sub-SELECT that does
not project it, or in a FILTER/BIND of a nested group): :func:`load_query` checks both. Parameters
used only inside one sub-SELECT that projects them are bound there, before it groups
(ketsugo.sparql.text.binding_brace). A parameter with
``column: false`` is projected only for the engine: ketsugo drops its column from the results,
so rows do not all repeat the value given. ``not_before: OTHER`` makes a value before OTHER's
an error (an empty period). `lists:` names the GROUP_CONCAT columns and their separators: SPARQL
leaves the order of concatenated values open, so ketsugo sorts their elements (numbers by value)
after the engine, and the same query gives the same cells on any store or endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ketsugo.errors import EXIT_INPUT_ERROR, KetsugoError
from ketsugo.paths import QUERIES_DIR
from ketsugo.sparql.text import (
    QueryError,
    misplaced_parameters,
    select_projection,
)

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


class CatalogueError(KetsugoError, ValueError):
    """A malformed catalogue file, or a name the catalogue does not have: the user's input (exit 2)."""

    exit_code = EXIT_INPUT_ERROR


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str = ""
    default: str | None = None
    example: str | None = None
    required: bool = True
    column: bool = True  # False: projected for the engine only, not shown in the results
    not_before: str | None = None  # another parameter this one's value may not be before

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
    by_name = {p.name: p for p in parameters}
    for parameter in parameters:
        other = by_name.get(parameter.not_before or "")
        if parameter.not_before is not None and (
            other is None or other is parameter or other.type != parameter.type
        ):
            raise CatalogueError(
                f"parameter {parameter.name!r}: `not_before:` must name another {parameter.type} parameter"
            )
        if parameter.not_before is not None and parameter.type not in ("date", "integer"):
            raise CatalogueError(f"parameter {parameter.name!r}: `not_before:` needs a date or integer")
    projection = select_projection(text)
    for parameter in parameters:
        if projection is not None and parameter.name not in projection:
            raise CatalogueError(
                f"parameter ?{parameter.name} is not in the SELECT projection (substitution needs it there)"
            )
    try:
        misplaced = misplaced_parameters(text, names) if names else {}
    except QueryError as exc:
        raise CatalogueError(str(exc)) from None
    if misplaced:
        name, where = next(iter(misplaced.items()))
        raise CatalogueError(
            f"parameter ?{name} is used {where}: bound there by the engine (local store) and by a "
            "top-level VALUES block (remote endpoint), it could answer differently; use it in the "
            "top-level group"
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
    unknown = sorted(set(raw) - _PARAMETER_KEYS)
    if unknown:
        raise CatalogueError(
            f"parameter {name!r} has unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_PARAMETER_KEYS))})"
        )
    default = raw.get("default")
    example = raw.get("example")
    required = raw.get("required")
    if required is None:
        required = default is None
    column = raw.get("column", True)
    for key, flag in (("required", required), ("column", column)):
        if not isinstance(flag, bool):
            raise CatalogueError(f"parameter {name!r}: `{key}:` is true or false, not {flag!r}")
    not_before = raw.get("not_before")
    if not_before is not None and not isinstance(not_before, str):
        raise CatalogueError(f"parameter {name!r}: `not_before:` names a parameter")
    return Parameter(
        name=name,
        type=kind,
        description=str(raw.get("description") or "").strip(),
        default=None if default is None else str(default),
        example=None if example is None else str(example),
        required=required,
        column=column,
        not_before=not_before,
    )


_PARAMETER_KEYS = {"name", "type", "description", "default", "example", "required", "column", "not_before"}


# ------------------------------------------------------------------------------------ the header


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
    """The `#+` header as a mapping (YAML, read by PyYAML's safe loader)."""
    import yaml

    lines = header_lines(text)
    if not lines:
        raise CatalogueError("no `#+` header at the top of the file")
    try:
        value = yaml.load("\n".join(lines), Loader=_header_loader())  # safe: a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise CatalogueError(f"the `#+` header is not valid YAML: {_yaml_problem(exc)}") from None
    if not isinstance(value, dict):
        raise CatalogueError("the `#+` header must be a mapping")
    return value


def _yaml_problem(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"header line {mark.line + 1}: {problem}" if mark is not None else " ".join(str(exc).split())


@cache
def _header_loader() -> type:
    """yaml.SafeLoader that refuses a key given twice (PyYAML would keep the last silently)."""
    import yaml
    from yaml.constructor import SafeConstructor
    from yaml.nodes import MappingNode

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class HeaderLoader(base):  # type: ignore[misc, valid-type]
        pass

    def mapping(loader: SafeConstructor, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return loader.construct_mapping(node, deep=deep)

    HeaderLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return HeaderLoader
