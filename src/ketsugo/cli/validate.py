"""`ketsugo validate`: SHACL and SPARQL checks of a built store (the checks live in ketsugo.check.validate)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ketsugo.cli.common import handle_errors, output_option, store_option

EXIT_FINDINGS = 1  # findings at or above --fail-on
DEFAULT_FAIL_ON = "violation"  # report:violation and reading:violation

F = TypeVar("F", bound=Callable[..., Any])


def register(group: click.Group) -> None:
    group.add_command(validate)


def _fail_on(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[tuple[str, str]]:
    """Read every --fail-on (repeated, or comma-separated) into (kind, Severity) pairs; a bad one exits 2."""
    from ketsugo.check.validate import parse_fail_on

    try:
        return parse_fail_on(value or (DEFAULT_FAIL_ON,))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command("validate")
@store_option(help="Build directory whose store to check (written by `ketsugo build --out`).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl"]),
    default="text",
    show_default=True,
    help="text: findings in sections by kind, then by severity, in Japanese and English; "
    'json: a list of findings, each with its "kind"; ttl: the SHACL validation report (sh:ValidationReport).',
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    callback=_fail_on,
    metavar="[KIND:]SEVERITY",
    help="Exit 1 when a finding of this kind and this severity or a more serious one is found. "
    "SEVERITY: violation, warning or info; KIND: report (the report itself), disclosure (what a reader "
    "cannot learn from the report, e.g. a vendor named only by its kind; always info), reading (problems of "
    "reading the text), curation (names ketsugo's registries do not know; always info), or all. "
    "A bare SEVERITY means report:SEVERITY and reading:violation (a report not read whole fails). Repeat the option or separate with commas, e.g. "
    "--fail-on report:warning,reading:warning or --fail-on curation:info. "
    f"[default: {DEFAULT_FAIL_ON}]",
)
@output_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes validating reports side by side with pyshacl, threads running the SPARQL engine's queries (default: every core).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "sparql", "pyshacl"]),
    default="auto",
    show_default=True,
    help="sparql: the shapes compiled into SPARQL queries run on the store, every report at once "
    "(fast); pyshacl: pyshacl report by report; auto: sparql, with pyshacl for any shape that does "
    "not compile (--verbose says which). Both give the same findings.",
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Say on stderr which engine checked what, and the slowest queries."
)
@handle_errors
def validate(
    store: Path,
    fmt: str,
    fail_on: list[tuple[str, str]],
    output: Path | None,
    jobs: int | None,
    engine: str,
    verbose: bool,
) -> None:
    """Check every report in the store for completeness and consistency.

    Findings are of four kinds, kept apart: the report itself (a My Number item with a blank
    flag, summary arithmetic, a missing start date …), disclosure gaps (what a reader cannot
    learn from the report, e.g. a vendor named only by its kind: Info), reading the text
    (problems of a lenient build), and curation notes (a name or wording ketsugo's registries do not know yet: Info,
    with what to add and where; never a reason to distrust the report).

    \b
    Exit status:
      0  nothing at or above --fail-on was found
      1  findings at or above --fail-on (by default: a violation in the report itself, or a part of it
         ketsugo could not read, in a --lenient build)
      2  the store cannot be read, or an option is wrong
      3  internal error: a bug in ketsugo (one line on stderr; KETSUGO_DEBUG=1 adds the traceback)
    """
    from ketsugo.check.validate import SEVERITIES, format_json, format_text, format_ttl, validate_store
    from ketsugo.errors import FINDING_KINDS
    from ketsugo.sparql.query import open_build
    from ketsugo.store.disk import STORE

    validation = validate_store(
        open_build(store, "disk"),
        where=str(store),
        store_path=store / STORE,
        jobs=jobs,
        shacl_report=fmt == "ttl",  # pyshacl's result graphs are kept only to be printed
        progress=sys.stderr.isatty(),
        engine=engine,
        log=(lambda line: click.echo(line, err=True)) if verbose else None,
    )
    formatter = {"text": format_text, "json": format_json, "ttl": format_ttl}[fmt]
    text = formatter(validation)
    if output is None:
        click.echo(text, nl=False)
    else:  # one line says it was written, with the counts (below)
        from ketsugo.store.files import write_atomically

        write_atomically(output, text)
    per_kind = "; ".join(
        f"{kind}: " + ", ".join(f"{validation.count(s, kind)} {s.lower()}(s)" for s in SEVERITIES)
        for kind in FINDING_KINDS
    )
    from ketsugo.check.formats import origin_counts

    reading, own = origin_counts(validation.findings)
    written = f"wrote {output}: " if output is not None else ""
    click.echo(
        f"{written}{per_kind} in {len(validation.reports)} report(s) ({reading} noted while reading, as "
        f"`ketsugo build` counts them; {own} from validate's own checks), {validation.seconds:.2f} s",
        err=True,
    )
    sys.exit(EXIT_FINDINGS if validation.fails(fail_on) else 0)
