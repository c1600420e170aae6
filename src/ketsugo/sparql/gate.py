"""The front door of `ketsugo serve`: limits the Oxigraph server does not keep by itself.

`ketsugo serve` runs Oxigraph on a private loopback port and this small HTTP server on the port
the user asked for. It forwards every request and adds what one runaway or idle client must not
be able to break:

* **SERVICE** clauses (which make the server reach other endpoints) are refused with 403 unless
  ``--allow-service``;
* **time**: a query still running after ``--timeout`` seconds gets 503, and Oxigraph (which
  cannot always cancel a query — an ORDER BY over a cross join keeps growing) is restarted;
* **memory**: Oxigraph runs under an address-space limit (``--max-memory``); a query that needs
  more ends that process, the client gets 503 and Oxigraph is restarted;
* **result size**: an answer larger than ``--max-result-mb`` is not sent (507);
* **idle or half-sent connections** each wait in their own thread and are closed after
  ``IDLE_SECONDS``; at most ``MAX_CONNECTIONS`` are open at once (the next get 503 at once);
* **web pages of other sites** (403, :func:`request_problem`): a browser sends any page's form
  POST to 127.0.0.1 without asking, and a name of another site may resolve to 127.0.0.1 (DNS
  rebinding); a request whose Host is not this machine, or whose Origin or Sec-Fetch-Site says
  it comes from another site, is refused — so no page can drop a ``--writable`` store or read
  the graphs. Oxigraph's own query page (same origin) and clients without a browser still work;
* **one reading of a request**: a second Content-Type (or Host, or Origin) is refused (400), so
  the SERVICE check and Oxigraph never read different headers;
* **writes only through the front door**: Oxigraph runs read-only even with ``--writable`` (its
  port has no access control: any local user could write there); the front door applies updates
  and Graph Store writes itself (ketsugo.sparql.frontwrites), after the checks above.
* **stopping**: SIGTERM, SIGINT or Ctrl-C end the server within CLOSE_WAIT_SECONDS even while an
  update runs (pyoxigraph cannot cancel one, and ``--timeout`` does not bound it; see
  :func:`serve`), also when it was started with SIGINT ignored (:func:`handle_stop_signals`);
  every Oxigraph it started dies with it, even when it is killed (:class:`_Spawner`).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from ketsugo.errors import InputError
from ketsugo.sparql import frontwrites, server

if TYPE_CHECKING:
    import pyoxigraph as ox
    from filelock import BaseFileLock

try:
    import resource  # imported here: a forked child must not import
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

IDLE_SECONDS = 10.0
WRITE_QUIET_SECONDS = 0.5  # after the last write, Oxigraph serves the written store
MAX_CONNECTIONS = 512
CLOSE_WAIT_SECONDS = 5.0  # how long a stopping server waits for a write under way
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # a query or update text
MAX_WRITE_BYTES = 1024 * 1024 * 1024  # a Graph Store upload to a --writable server
_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade"}


class Backend:
    """The Oxigraph process behind the front door, restarted after a stopped query."""

    def __init__(self, location: Path, *, writable: bool, timeout: float, max_memory_mb: int) -> None:
        self.location = location
        self.writable = writable
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self.port = server.free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self.generation = 0
        self._identity: tuple[int, int] | None = None
        self._readers = 0  # requests being forwarded; a write waits for them and stops new ones
        self._writing = False
        self._turns = threading.Condition()
        self._store: ox.Store | None = None  # open for writing while Oxigraph is stopped
        self._build_lock: BaseFileLock | None = None  # the build's lock, held while _store is open
        self._last_write = 0.0
        self._timer: threading.Thread | None = None
        self._closed = False  # set by close(): nothing starts any more (no write, no Oxigraph)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold while a request is forwarded to Oxigraph: no write starts meanwhile, and one
        that has just ended is made visible first (the store closed, Oxigraph started on it)."""
        with self._turns:
            self._turns.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            self._settle()
            yield
        finally:
            with self._turns:
                self._readers -= 1
                self._turns.notify_all()

    def write(self, change: Callable[[ox.Store], frontwrites.Answer]) -> frontwrites.Answer:
        """Apply ``change`` to the store opened read-write by ketsugo, with Oxigraph stopped (a
        read-only opener beside a writer is undefined behaviour). The store stays open for the
        writes that follow (one PUT per graph): Oxigraph starts again on the next read, or when
        no write has come for WRITE_QUIET_SECONDS."""
        with self._turns:
            self._turns.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            with self._lock:
                if self._closed:  # a write that came in as the server stopped: not begun
                    return frontwrites.Answer(503, "ketsugo serve is stopping: the write was not applied")
                store = self._store
                if store is None:
                    held = _hold_build(self.location)
                    if isinstance(held, frontwrites.Answer):
                        return held
                    self.stop()
                    opened = _open_for_writing(self.location)
                    if isinstance(opened, frontwrites.Answer):
                        _let_go(held)
                        self.start()
                        return opened
                    store, self._store, self._build_lock = opened, opened, held
                answer = _changed(store, change)
                del store
                self._last_write = time.monotonic()
                self._settle_later()
                return answer
        finally:
            with self._turns:
                self._writing = False
                self._turns.notify_all()

    def _settle(self) -> None:
        """Close the store written last and serve it (caller holds a reading turn)."""
        with self._lock:
            if self._store is not None:
                self._store = None  # its last reference: RocksDB closes it here
                self._release_build()
                self.start()

    def _release_build(self) -> None:
        """Give the build's lock back once the store written is closed (caller holds the lock)."""
        if self._build_lock is not None:
            _let_go(self._build_lock)
            self._build_lock = None

    def _settle_later(self) -> None:
        """Serve the written store once writes have paused (a timer; caller holds the lock)."""
        if self._timer is not None and self._timer.is_alive():
            return

        def quiet() -> None:
            while (wait := self._last_write + WRITE_QUIET_SECONDS - time.monotonic()) > 0:
                time.sleep(wait)
            with contextlib.suppress(server.ServerError), self.reading():
                pass  # a reading turn settles the store

        self._timer = threading.Thread(target=quiet, name="ketsugo-serve-settle", daemon=True)
        self._timer.start()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (the server is stopping)."""
        return self._closed

    def _store_identity(self) -> tuple[int, int] | None:
        """The served store folder's device and inode: a rebuild swaps in a new folder."""
        try:
            stat = self.location.stat()
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    def reload_if_rebuilt(self) -> bool:
        """Serve the new store when `ketsugo build` has replaced the build since Oxigraph started
        (a read-only server would otherwise go on answering from the old, deleted one)."""
        if self.writable:
            return False
        now = self._store_identity()
        if now is None or now == self._identity:
            return False
        with self._lock:
            if self._store_identity() == self._identity:
                return False
            self.stop()
            self.start()
        sys.stderr.write(f"ketsugo serve: the build was rebuilt; now serving {self.location}\n")
        return True

    def start(self) -> None:
        if self._closed:  # a request's late restart must not outlive the stop
            raise server.ServerError("ketsugo serve is stopping")
        command = server.serve_command(self.location, self.port, timeout=self.timeout or None)
        self.process = _SPAWNER.popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=self._limit,
        )
        server.wait_until_ready(self.port, self.process)
        self._identity = self._store_identity()
        self.generation += 1

    def _limit(self) -> None:
        """In the child, before exec: the memory limit, and death with ketsugo (Linux; the
        spawner's thread, which Linux watches, lives as long as ketsugo)."""
        _die_with_parent()
        if self.max_memory_mb and resource is not None:
            limit = self.max_memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def restart(self, seen: int) -> None:
        """Restart Oxigraph once for the failure a request saw in generation ``seen``."""
        with self._lock:
            if seen != self.generation and self.process is not None and self.process.poll() is None:
                return  # another request restarted it already
            self.stop()
            self.start()

    def stop(self) -> None:
        if self.process is not None:
            server.stop(self.process, timeout=5.0)

    def close(self, wait: float | None = None) -> bool:
        """At the end of `ketsugo serve`: Oxigraph stopped, a store open for writing closed.
        Waits at most ``wait`` seconds (None: as long as it takes) for a write under way, which
        pyoxigraph cannot cancel; False when one still runs (Oxigraph stopped, the store left to it).
        No write begins and no Oxigraph starts afterwards: the process may end with no thread
        writing the store."""
        self._closed = True
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            self.stop()
            return False
        try:
            self._store = None
            self._release_build()
            self.stop()
        finally:
            self._lock.release()
        return True


def _hold_build(location: Path) -> BaseFileLock | frontwrites.Answer:
    """The lock of the build whose store is ``location`` (…/BUILD/store), or a 503 while a build
    writes there: a build swapping the directory under a store open for writing would receive
    that store's files (RocksDB writes by path) and be broken."""
    from ketsugo.store.builddir import hold_lock

    try:
        lock = hold_lock(location.parent)
    except (OSError, InputError) as exc:
        return frontwrites.Answer(503, f"the build's lock could not be taken: {exc}")
    if lock is None:
        return frontwrites.Answer(
            503, "a ketsugo build is writing this build directory: try again when it has finished"
        )
    return lock


def _let_go(lock: BaseFileLock) -> None:
    from ketsugo.store.builddir import release_lock

    release_lock(lock)


def _open_for_writing(location: Path) -> ox.Store | frontwrites.Answer:
    """The store opened read-write, or a 503 when another program holds it (a build writing it)."""
    import pyoxigraph as ox

    try:
        return ox.Store(str(location))
    except OSError as exc:
        return frontwrites.Answer(503, f"the store could not be opened for writing: {exc}")


def _changed(store: ox.Store, change: Callable[[ox.Store], frontwrites.Answer]) -> frontwrites.Answer:
    """Apply and flush one write; an unexpected failure is a 500 (and leaves no traceback
    holding the store open)."""
    try:
        answer = change(store)
        store.flush()
        return answer
    except Exception as exc:
        return frontwrites.Answer(500, f"the write failed: {type(exc).__name__}: {exc}")


def _prctl() -> object | None:
    """libc's prctl, looked up in the parent (a forked child must not import or dlopen)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl() if sys.platform.startswith("linux") else None


class _Spawner:
    """Starts Oxigraph processes from one thread that lives as long as ketsugo.

    Linux's parent-death signal (PR_SET_PDEATHSIG) fires when the *thread* that forked the child
    ends. Oxigraph is restarted by whichever thread needs it (a request's, after a write or a
    stopped query), and those threads end; a process they started could not be tied to ketsugo's
    life, and outlived a killed `ketsugo serve` (holding the port and the store). Every start
    goes through this thread instead, so every Oxigraph dies with ketsugo."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], subprocess.Popen[bytes]], _Outcome]] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def popen(self, *args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        """``subprocess.Popen(*args, **kwargs)``, run on the spawner's thread."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ketsugo-serve-spawner", daemon=True)
                self._thread.start()
        outcome = _Outcome()
        self._jobs.put((lambda: subprocess.Popen(*args, **kwargs), outcome))
        outcome.done.wait()
        if outcome.error is not None:
            raise outcome.error
        assert outcome.process is not None
        return outcome.process

    def _run(self) -> None:
        while True:
            job, outcome = self._jobs.get()
            try:
                outcome.process = job()
            except BaseException as exc:  # handed to the caller, which raises it
                outcome.error = exc
            finally:
                outcome.done.set()


class _Outcome:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.process: subprocess.Popen[bytes] | None = None
        self.error: BaseException | None = None


_SPAWNER = _Spawner()


def _die_with_parent() -> None:
    """Ask Linux to end this process when its parent ends, so Oxigraph never outlives `ketsugo serve`."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # type: ignore[operator]  # PR_SET_PDEATHSIG


class Front(ThreadingHTTPServer):
    """One thread per connection, at most MAX_CONNECTIONS at a time."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        port: int,
        backend: Backend,
        *,
        allow_service: bool = False,
        max_result_bytes: int = 100 * 1024 * 1024,
        idle_seconds: float = IDLE_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.backend = backend
        self.allow_service = allow_service
        self.max_result_bytes = max_result_bytes
        self.idle_seconds = idle_seconds
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__((server.HOST, port), _Handler)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(_plain(503, "too many open connections; try again shortly"))
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        if not self.backend.closed:  # a request cut by the stop is no error worth a traceback
            super().handle_error(request, client_address)

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            request.settimeout(self.idle_seconds)
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _plain(status: int, text: str) -> bytes:
    body = (text + "\n").encode("utf-8")
    reason = http.client.responses.get(status, "")
    head = (
        f"HTTP/1.0 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def _same_origin(origin: str, port: int) -> bool:
    """Whether a browser's Origin is this server's own (http, this machine, this port)."""
    from ketsugo.sparql.backends import this_machine

    try:
        parts = urlsplit(origin)
        return (
            parts.scheme == "http" and this_machine(origin) and (parts.port or 80) == port and not parts.path
        )
    except ValueError:
        return False


def request_problem(headers: Message, port: int) -> tuple[int, str] | None:
    """Why a request must not reach Oxigraph (status, text), or None. See the module's docstring:
    one reading of each header that matters, and nothing from a web page of another site."""
    from ketsugo.sparql.backends import this_machine

    for name in ("Content-Type", "Host", "Origin", "Content-Length"):
        if len(headers.get_all(name) or []) > 1:
            return 400, f"more than one {name} header"
    host = headers.get("Host")
    if host is not None and not this_machine(f"http://{host.strip()}/"):
        return 403, f"ketsugo serve answers requests to 127.0.0.1 or localhost only, not to {host!r}"
    origin = headers.get("Origin")
    site = (headers.get("Sec-Fetch-Site") or "").strip().lower()
    if (origin is not None and not _same_origin(origin.strip(), port)) or site in ("cross-site", "same-site"):
        return 403, "requests from web pages of other sites are refused (ketsugo serve is for this machine)"
    return None


def sparql_texts(path_and_query: str, content_type: str, body: bytes) -> list[str]:
    """The query and update texts a SPARQL protocol request carries (URL, form or direct body)."""
    texts: list[str] = []
    params = parse_qs(urlsplit(path_and_query).query)
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        for key, values in parse_qs(body.decode("utf-8", "replace")).items():
            params.setdefault(key, []).extend(values)
    elif kind in ("application/sparql-query", "application/sparql-update"):
        texts.append(body.decode("utf-8", "replace"))
    for key in ("query", "update"):
        texts.extend(params.get(key, []))
    return texts


class _Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def do_PUT(self) -> None:
        self._forward()

    def do_DELETE(self) -> None:
        self._forward()

    def _forward(self) -> None:
        from ketsugo.sparql.text import SERVICE_REFUSED, nesting_problem, uses_service

        problem = request_problem(self.headers, self.server.server_address[1])
        if problem is not None:
            self.wfile.write(_plain(*problem))
            return
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.wfile.write(_plain(411, "send the request with a Content-Length"))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:  # -1 would read the body until the client closes, without limit
            self.wfile.write(_plain(400, "bad Content-Length"))
            return
        limit = MAX_WRITE_BYTES if self.server.backend.writable else MAX_REQUEST_BYTES
        if length > limit:
            self.wfile.write(_plain(413, f"request body over {limit} bytes"))
            return
        body = self.rfile.read(length) if length else b""
        if not self.server.allow_service and any(
            uses_service(t) for t in sparql_texts(self.path, self.headers.get("Content-Type", ""), body)
        ):
            self.wfile.write(
                _plain(403, SERVICE_REFUSED.replace("--allow-service", "ketsugo serve --allow-service"))
            )
            return
        for text in sparql_texts(self.path, self.headers.get("Content-Type", ""), body):
            deep = nesting_problem(text)  # would crash Oxigraph's parser (and restart it)
            if deep is not None:
                self.wfile.write(_plain(400, deep))
                return
        backend = self.server.backend
        if backend.writable and frontwrites.is_write(self.command, self.path):
            self._write(body)
            return
        with backend.reading():
            self._read(body)

    def _write(self, body: bytes) -> None:
        """Apply a write here (Oxigraph behind is read-only) and answer it."""
        method, path, kind = self.command, self.path, self.headers.get("Content-Type", "")
        base = server.base_url(self.server.server_address[1])
        answer = self.server.backend.write(
            lambda store: frontwrites.apply(store, method, path, kind, body, base)
        )
        if answer.status >= 400:
            self.wfile.write(_plain(answer.status, answer.text))
            return
        self.send_response_only(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def _read(self, body: bytes) -> None:
        """Forward a request to Oxigraph and send its answer back, within the limits."""
        backend = self.server.backend
        backend.reload_if_rebuilt()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        for attempt in (1, 2):
            generation = backend.generation
            try:
                response, data = self._ask_backend(body, headers)
                break
            except TimeoutError:
                backend.restart(generation)  # oxigraph may not stop the query by itself
                self.wfile.write(
                    _plain(503, f"the query did not finish within {backend.timeout:g} s and was stopped")
                )
                return
            except (ConnectionError, http.client.HTTPException, OSError):
                backend.restart(generation)  # it died (memory limit) or is being restarted: wait
                if attempt == 2:
                    self.wfile.write(
                        _plain(503, "the query was stopped (it needed more memory than --max-memory allows)")
                    )
                    return
        if len(data) > self.server.max_result_bytes:
            self.wfile.write(
                _plain(
                    507, f"the result is larger than {self.server.max_result_bytes} bytes: narrow the query"
                )
            )
            return
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in _HOP_HEADERS:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _ask_backend(self, body: bytes, headers: dict[str, str]) -> tuple[http.client.HTTPResponse, bytes]:
        backend = self.server.backend
        wait = backend.timeout + 2.0 if backend.timeout else None
        connection = http.client.HTTPConnection(server.HOST, backend.port, timeout=wait)
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response, response.read(self.server.max_result_bytes + 1)
        finally:
            connection.close()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _stop_requested(signum: int, frame: object) -> None:
    """SIGINT or SIGTERM: stop serving (see :func:`serve`). The default actions come back first,
    so a second signal ends the process at once, even while the first is being handled."""
    for each in STOP_SIGNALS:
        signal.signal(each, signal.SIG_DFL)
    raise KeyboardInterrupt


def handle_stop_signals() -> None:
    """From now on SIGINT and SIGTERM stop `ketsugo serve` (main thread only; call it before
    Oxigraph starts, so a signal during start-up stops it too).

    SIGINT is taken explicitly, not left to Python: a program started in the background by a
    script (``ketsugo serve &``, as test runners and CI jobs do) inherits SIGINT *ignored*, and
    Python then installs no KeyboardInterrupt for it: ``kill -INT`` was lost, and a server that
    promises to stop on Ctrl-C or SIGINT ran on (the hang of test_serve_stop_during_write[SIGINT]).
    A server's stop signals are part of what it offers, as for gunicorn or uvicorn."""
    for each in STOP_SIGNALS:
        signal.signal(each, _stop_requested)


def serve(front: Front) -> None:
    """Serve until interrupted (Ctrl-C, SIGINT or SIGTERM); then stop Oxigraph too.

    A SPARQL Update can run for ever inside pyoxigraph, which cannot cancel it (``--timeout``
    does not bound it). Its thread holds the store, so a stop that waited for it would never
    end. After CLOSE_WAIT_SECONDS the process ends at once instead (``os._exit``: a normal exit
    would tear down RocksDB under the running update). The store stays whole: RocksDB commits an
    update in one transaction, so the one cut short leaves nothing, and its client gets no answer.
    A second signal meanwhile ends the process at once (the default action)."""
    try:
        handle_stop_signals()
        front.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for each in STOP_SIGNALS:
            signal.signal(each, signal.SIG_DFL)
        front.server_close()
        if not front.backend.close(wait=CLOSE_WAIT_SECONDS):
            sys.stderr.write("ketsugo serve: stopped during a write, which was not applied\n")
            sys.stderr.flush()
            os._exit(0)
