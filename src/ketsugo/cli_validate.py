"""`ketsugo validate`: SHACL and SPARQL checks of a built store (the checks live in ketsugo.validate)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ketsugo.cli_common import handle_errors, store_option

FAIL_ON = ("violation", "warning", "info")


def register(group: click.Group) -> None:
    group.add_command(validate)


@click.command("validate")
@store_option(help="Build directory whose store to check (written by `ketsugo build --out`).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl"]),
    default="text",
    show_default=True,
    help="text: findings by severity, in Japanese and English; json: a list of findings; "
    "ttl: the SHACL validation report (sh:ValidationReport).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="violation",
    show_default=True,
    help="Exit 1 when a finding of this severity or a more serious one is found.",
)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="File to write (default: stdout)."
)
@handle_errors
def validate(store: Path, fmt: str, fail_on: str, output: Path | None) -> None:
    """Check every report in the store for completeness and consistency.

    Exit status: 0 when nothing at or above --fail-on was found, 1 otherwise, 2 when the
    store cannot be read.
    """
    from ketsugo.cli import emit
    from ketsugo.query import open_build
    from ketsugo.validate import SEVERITIES, format_json, format_text, format_ttl, validate_store

    validation = validate_store(open_build(store, "disk"), where=str(store))
    formatter = {"text": format_text, "json": format_json, "ttl": format_ttl}[fmt]
    emit(formatter(validation), output)
    counts = ", ".join(f"{validation.count(s)} {s.lower()}(s)" for s in SEVERITIES)
    written = f"wrote {output}: " if output is not None else ""
    click.echo(
        f"{written}{counts} in {len(validation.reports)} report(s), {validation.seconds:.2f} s", err=True
    )
    sys.exit(1 if validation.fails(fail_on) else 0)
