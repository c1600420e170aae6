"""What every `ketsugo` command shares: the one error handler and the `--store` option.

Kept light (click only): the error classes are imported when an error is being handled, so
commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ketsugo.errors import EXIT_INPUT_ERROR

DEFAULT_STORE = Path("build")
DEFAULT_PORT = 7878  # `ketsugo serve`
EXIT_SERVICE_ERROR = 1  # a SPARQL endpoint or the Oxigraph server failed: not the user's input

F = TypeVar("F", bound=Callable[..., Any])


def _input_error_types() -> tuple[type[BaseException], ...]:
    """Problems with what the user gave (files, options, parameters, queries): exit 2."""
    from ketsugo.catalogue import CatalogueError
    from ketsugo.errors import InputError
    from ketsugo.query import QueryError
    from ketsugo.server import PortInUseError

    return (InputError, QueryError, CatalogueError, PortInUseError)


def _service_error_types() -> tuple[type[BaseException], ...]:
    """Failures of a service ketsugo talks to (an endpoint, the Oxigraph server): exit 1."""
    from ketsugo.query import EndpointError
    from ketsugo.server import ServerError

    return (EndpointError, ServerError)


def handle_errors(command: F) -> F:
    """Print ketsugo's errors as `error: …` on stderr (`エラー: …` in Japanese, see
    ketsugo.messages), without a traceback, and exit.

    InputError (one line per issue: FILE:LINE: [FIELD] message), QueryError, CatalogueError and
    a port in use exit 2, and so does an OSError about a path the user gave (a name too long, say);
    EndpointError and ServerError exit 1. Anything else is a bug and keeps its traceback.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Exception as exc:
            from ketsugo.errors import InputError
            from ketsugo.messages import error_line

            if isinstance(exc, _input_error_types()):
                messages = [str(i) for i in exc.issues] if isinstance(exc, InputError) else [str(exc)]
                for message in messages:
                    click.echo(error_line(message), err=True)
                sys.exit(EXIT_INPUT_ERROR)
            if isinstance(exc, _service_error_types()):
                click.echo(error_line(str(exc)), err=True)
                sys.exit(EXIT_SERVICE_ERROR)
            if isinstance(exc, OSError) and exc.filename is not None:
                # a path the system refuses (too long, a file where a folder should be…): the user's input
                name = str(exc.filename)
                shown = name if len(name) <= 80 else name[:77] + "…"
                click.echo(error_line(f"{shown}: {exc.strerror or exc}"), err=True)
                sys.exit(EXIT_INPUT_ERROR)
            raise

    return wrapper  # type: ignore[return-value]


def store_option(
    command: F | None = None,
    *,
    default: Path | None = DEFAULT_STORE,
    help: str = "Build directory to read (written by `ketsugo build --out DIR`).",
) -> Any:
    """The `--store DIR` option (a build directory). Use as ``@store_option`` or
    ``@store_option(help=…, default=None)``; with ``default=None`` the help names the default
    (for commands that must tell "not given" from "given", e.g. beside --endpoint)."""

    def decorate(function: F) -> F:
        text = help if default is not None else f"{help.rstrip('.')} (default: {DEFAULT_STORE})."
        return click.option(
            "--store",
            type=click.Path(path_type=Path, file_okay=False),
            default=default,
            show_default=default is not None,
            help=text,
        )(function)

    return decorate(command) if command is not None else decorate
