"""The Oxigraph SPARQL server (the `oxigraph` command of the `oxigraph` PyPI package) over a built store.

`ketsugo serve` runs ``oxigraph serve-read-only --location BUILD/store --bind 127.0.0.1:PORT
--union-default-graph --timeout-s T`` on a private port behind ketsugo.sparql.gate (which keeps the
limits: SERVICE, time, memory, result size, idle connections): loopback only, always read-only
(with ``--writable`` the front door applies writes itself: Oxigraph's port has no access
control), and with the union of the graphs as the default graph, so remote queries see what
local ones do. The helpers here also start and stop a server for tests and benchmarks.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from ketsugo.errors import EXIT_INPUT_ERROR, KetsugoError, ServiceError

HOST = "127.0.0.1"


class ServerError(ServiceError, RuntimeError):
    """The Oxigraph server could not be started or did not answer (exit 1)."""


class PortInUseError(KetsugoError, ValueError):
    """The port asked for is taken (the user's choice: exit 2)."""

    exit_code = EXIT_INPUT_ERROR


def oxigraph_binary() -> str:
    """Path of the `oxigraph` command: beside this Python first (same venv), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServerError("the `oxigraph` command is not installed (pip install 'oxigraph>=0.5,<0.6')")
    return found


def serve_command(
    location: Path | None,
    port: int,
    *,
    writable: bool = False,
    union_default_graph: bool = True,
    timeout: float | None = None,
) -> list[str]:
    """The oxigraph command line; ``location`` None = in-memory (only with ``writable``);
    ``timeout``: oxigraph's own query time limit (it stops most queries; ketsugo.sparql.gate the rest)."""
    command = [oxigraph_binary(), "serve" if writable else "serve-read-only"]
    if location is not None:
        command += ["--location", str(location)]
    elif not writable:
        raise ServerError("a read-only server needs a store location")
    command += ["--bind", f"{HOST}:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    if timeout:
        command += ["--timeout-s", str(max(1, round(timeout)))]
    return command


def check_port_free(port: int) -> None:
    """PortInUseError when something already listens on (or holds) HOST:port.

    Checked before the server starts, because oxigraph reports a taken port with a Rust
    backtrace. Binds as the server will (SO_REUSEADDR, as Rust's TcpListener does), so a port
    left in TIME_WAIT by a stopped server counts as free.
    """
    import errno

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                reason = "is in use" if exc.errno == errno.EADDRINUSE else "may not be used by this user"
                raise PortInUseError(f"port {port} {reason} on {HOST}: choose another with --port") from None
            raise ServerError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]  # (host, port) for AF_INET
        return port


def base_url(port: int) -> str:
    return f"http://{HOST}:{port}"


# Requests to the Oxigraph this machine runs: never through a proxy the environment names
# (http_proxy), which would send them off the machine and never reach the server.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def wait_until_ready(
    port: int, process: subprocess.Popen[bytes] | None = None, timeout: float = 20.0
) -> None:
    """Poll the server's query endpoint until it answers (or the process dies, or time runs out)."""
    deadline = time.monotonic() + timeout
    url = base_url(port) + "/query?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServerError(f"oxigraph exited with status {process.returncode} before answering")
        try:
            with _DIRECT.open(url, timeout=1.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise ServerError(f"oxigraph did not answer on {base_url(port)} within {timeout:.0f}s")


def start(
    location: Path | None,
    port: int | None = None,
    *,
    writable: bool = False,
    union_default_graph: bool = True,
    log: Path | None = None,
) -> tuple[subprocess.Popen[bytes], int]:
    """Start a server in the background and wait until it answers; returns (process, port)."""
    port = port or free_port()
    command = serve_command(location, port, writable=writable, union_default_graph=union_default_graph)
    if log is None:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    else:
        with open(log, "wb") as output:
            process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
    try:
        wait_until_ready(port, process)
    except BaseException:
        stop(process)
        raise
    return process, port


def stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate a server started by :func:`start` (kill it if it does not stop in time)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
