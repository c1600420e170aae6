"""What every `ketsugo` command shares: the one error handler and the `--store`, `--output` and
`--quiet` options.

Kept light (click only): the error classes are imported when an error is being handled, so
commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar, overload

import click

from ketsugo.errors import EXIT_INPUT_ERROR, EXIT_INTERNAL_ERROR, EXIT_SERVICE_ERROR

DEFAULT_STORE = Path("build")
DEFAULT_PORT = 7878  # `ketsugo serve`
DEFAULT_TIMEOUT = 30.0  # seconds a query may run (`ketsugo query`, `sparql`, `serve`)
EXIT_CODES_HELP = (
    "Exit status: 0 success; 1 findings at or above --fail-on (validate), or an endpoint or "
    "server failed; 2 bad input (a file, an option, a query, a build directory, a query over "
    "--timeout, no space left); 3 an internal error (a bug: KETSUGO_DEBUG=1 shows the traceback); "
    "130 stopped by Ctrl-C, 143 by SIGTERM (nothing half-written is left); 141 the reader of the "
    "output stopped reading (`| head`)."
)

__all__ = ["EXIT_SERVICE_ERROR", "exit_for", "handle_errors", "output_option", "quiet_option", "store_option"]

F = TypeVar("F", bound=Callable[..., Any])


def exit_for(exc: BaseException) -> tuple[int, list[str]]:
    """The exit code and the `error:` lines for any exception: the one place errors are mapped.

    A KetsugoError carries both (InputError, QueryError, a port in use: 2; EndpointError,
    ServerError: 1); an OSError about a path the user gave (a name too long, say) is input (2);
    anything else is a bug in ketsugo (3), told in one line.
    """
    from ketsugo.errors import KetsugoError

    if isinstance(exc, KetsugoError):
        return exc.exit_code, exc.messages()
    if isinstance(exc, OSError) and exc.filename is not None:
        # a path the system refuses (too long, a file where a folder should be…): the user's input
        name = str(exc.filename)
        shown = name if len(name) <= 80 else name[:77] + "…"
        return EXIT_INPUT_ERROR, [f"{shown}: {exc.strerror or exc}"]
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return EXIT_INTERNAL_ERROR, [
        f"internal error (a bug in ketsugo): {type(exc).__name__}: {first} "
        "(run again with KETSUGO_DEBUG=1 for the traceback, and please report it)"
    ]


ERRORS_SHOWN = 20  # a rejected file lists this many errors, then a count (--all-errors: all)
_show_all_errors = False


def _set_show_all(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    global _show_all_errors
    _show_all_errors = _show_all_errors or value


def all_errors_option(command: F) -> F:
    """`--all-errors`: list every error of a rejected file, not only the first ERRORS_SHOWN."""
    return click.option(
        "--all-errors",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_show_all,
        help=f"List every error of a rejected file (default: the first {ERRORS_SHOWN} and a count).",
    )(command)


def fail(exc: BaseException) -> NoReturn:
    """Print ``exc`` as `error: …` lines on stderr (a traceback only with KETSUGO_DEBUG=1) and exit."""
    import os

    code, lines = exit_for(exc)
    if code == EXIT_INTERNAL_ERROR and os.environ.get("KETSUGO_DEBUG") == "1":
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    from ketsugo.cli.messages import error_line

    shown = lines if _show_all_errors or len(lines) <= ERRORS_SHOWN else lines[:ERRORS_SHOWN]
    for line in shown:
        click.echo(error_line(visible(line)), err=True)
    if len(shown) < len(lines):
        click.echo(
            error_line(
                f"… and {len(lines) - len(shown)} more ({len(lines)} errors in all; "
                "give --all-errors to list every one)"
            ),
            err=True,
        )
    sys.exit(code)


_CONTROLS = {
    c: f"\\x{c:02x}" for c in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
}  # not tab, line end


def visible(message: str) -> str:
    """A message with its control characters written as ``\\x1b``: a file name or a value from a
    hostile file must not drive the terminal (escape sequences that clear it or set its title)."""
    return message.translate(_CONTROLS)


def handle_errors(command: F) -> F:
    """Let the one handler (:func:`fail`) report what a command raises; click's own exits pass."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            refuse_input_as_output(kwargs)
            return command(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            interrupted()
        except BrokenPipeError:
            reader_gone()
        except Exception as exc:
            fail(exc)

    return wrapper  # type: ignore[return-value]


EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report it: 128 + 2
EXIT_READER_GONE = 141  # the reader of standard output closed it (SIGPIPE), as shells report it: 128 + 13


def reader_gone() -> NoReturn:
    """Standard output's reader stopped reading (``… | head``): not a bug in ketsugo. Quietly, with
    the shell's code for it; Python's flush of the closed pipe at exit is sent to /dev/null so that
    it does not print a second error."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real standard output (a test's capture): nothing to silence
        pass
    sys.exit(EXIT_READER_GONE)


def interrupted() -> NoReturn:
    """Ctrl-C: said in one line with its own exit code (not click's "Aborted!" and 1, the code of
    findings); what was being written has been removed on the way out, as for any error."""
    from ketsugo.cli.messages import error_line

    click.echo(err=True)  # past the ^C the terminal printed
    click.echo(error_line("interrupted (Ctrl-C): stopped; nothing half-written is left"), err=True)
    sys.exit(EXIT_INTERRUPTED)


def refuse_input_as_output(arguments: dict[str, Any]) -> None:
    """An --output that is one of the same command's input files (a report, a query file) would
    destroy it: refused before any work (exit 2)."""
    import os

    from ketsugo.errors import InputError, Issue

    output = arguments.get("output")
    if not isinstance(output, Path) or not output.is_file():
        return
    for name, value in arguments.items():
        if name == "output":
            continue
        for candidate in value if isinstance(value, tuple) else (value,):
            if not isinstance(candidate, (str, Path)) or not str(candidate) or "\n" in str(candidate):
                continue
            try:
                same = Path(candidate).is_file() and os.path.samefile(candidate, output)
            except (OSError, ValueError):
                continue
            if same:
                raise InputError(
                    Issue(
                        str(output),
                        0,
                        "--output",
                        f"is also this command's input ({name.replace('_', ' ')}): it would be "
                        "overwritten; give another file name",
                    )
                )


class KetsugoGroup(click.Group):
    """The `ketsugo` group: errors of any command (and of the group itself) go to :func:`fail`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            fail(exc)


@overload
def store_option(command: F, *, default: Path | None = ..., help: str = ...) -> F: ...
@overload
def store_option(
    command: None = None, *, default: Path | None = ..., help: str = ...
) -> Callable[[F], F]: ...
def store_option(
    command: F | None = None,
    *,
    default: Path | None = DEFAULT_STORE,
    help: str = "Build directory to read (written by `ketsugo build --out DIR`).",
) -> F | Callable[[F], F]:
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


OUTPUT_HELP = "File to write (default: stdout)."


@overload
def output_option(command: F, *, help: str = ...) -> F: ...
@overload
def output_option(command: None = None, *, help: str = ...) -> Callable[[F], F]: ...
def output_option(command: F | None = None, *, help: str = OUTPUT_HELP) -> F | Callable[[F], F]:
    """The `--output FILE` / `-o` option (stdout when not given). Use as ``@output_option`` or
    ``@output_option(help=…)`` for a command that says more about what it writes."""

    def decorate(function: F) -> F:
        return click.option(
            "--output",
            "-o",
            type=click.Path(path_type=Path, dir_okay=False),
            callback=_checked_output,
            help=help,
        )(function)

    return decorate(command) if command is not None else decorate


def _checked_output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """`-o -` is standard output; a path ketsugo must not write is refused before any work
    (exit 2): a symbolic link, a device, a place inside a build directory, a folder that cannot
    be written (:func:`ketsugo.store.files.output_problem`)."""
    if value is None or str(value) == "-":
        return None
    from ketsugo.store.files import check_output

    check_output(value)  # an InputError: `error: FILE: [--output] …`, exit 2 (KetsugoGroup reports it)
    return value


def quiet_option(command: F) -> F:
    """The `--quiet` / `-q` flag of the commands that report progress."""
    return click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(command)
