from __future__ import annotations

import atexit
import functools
import gc
import os
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import settings
from rdflib import BNode, Graph
from rdflib.compare import isomorphic as _rdflib_isomorphic
from rdflib.plugins.sparql import processor as _sparql_processor
from rdflib.plugins.sparql.parser import parseQuery as _parse_query

from ketsugo.paths import REPORTS_DIR, ROOT

BUNDLED = REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt"
EXPECTED = ROOT / "tests" / "expected" / "shinjuku-2020.toml"
CASES = ROOT / "tests" / "cases"

# Byte code is written even under PYTHONDONTWRITEBYTECODE: see tests/__init__.py, which sets it
# before this module's imports (hypothesis, rdflib, ketsugo) run.

# What the CLI prints follows the locale (ketsugo.cli.messages): tests expect English wherever they run,
# unless they ask for Japanese (--lang ja, or KETSUGO_LANG set in the test).
os.environ["KETSUGO_LANG"] = "en"


@pytest.fixture(autouse=True)
def _language_from_the_environment():  # type: ignore[no-untyped-def]
    """`--lang ja` given to the CLI in one test holds for the process: each test starts without it."""
    yield
    from ketsugo.cli.messages import set_language

    set_language(None)


# --- speed: temporary files on a RAM disk -------------------------------------------------------
# Hundreds of tests write a build (a RocksDB store) under tmp_path or a tempfile folder, and RocksDB
# syncs its files to disk: on an ordinary disk a small build waited ≈ 0.3 s for the syncs alone, on
# tmpfs none (the same files, bytes and errors). So when nobody chose a temporary folder (TMPDIR,
# --basetemp) and /dev/shm is a tmpfs with room to spare, the tests' temporary files (pytest's
# tmp_path, tempfile, and the subprocesses the tests start, which inherit TMPDIR) go there.
RAM_TMP_MIN_FREE = 4 * 2**30  # a container's default /dev/shm (64 MB) is far too small: left alone


def _ram_tmpdir() -> str | None:
    """/dev/shm when it is a writable tmpfs with at least RAM_TMP_MIN_FREE bytes free, else None."""
    shm = "/dev/shm"
    if os.environ.get("TMPDIR") or not os.path.isdir(shm) or not os.access(shm, os.W_OK | os.X_OK):
        return None
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            if not any(line.split()[1:3] == [shm, "tmpfs"] for line in mounts):
                return None
        stats = os.statvfs(shm)
    except OSError:
        return None
    return shm if stats.f_bavail * stats.f_frsize >= RAM_TMP_MIN_FREE else None


if (_RAM_TMP := _ram_tmpdir()) is not None:
    os.environ["TMPDIR"] = _RAM_TMP
    tempfile.tempdir = _RAM_TMP


# --- speed: Python's cyclic garbage collector in a test process -----------------------------------------
# A test process holds millions of objects (rdflib graphs, the builds and results shared per process,
# caches of reference data) and allocates many more (rdflib terms and triples): with the default
# thresholds (a young collection every 700 allocations) the collector ran ≈ 2,200 young and 17 full
# collections in the three validation modules, ≈ 10 % of their CPU, each full one walking the
# whole heap. Collecting young objects every 10,000 allocations, and freezing what exists once the
# tests are collected (modules, functions, the collected items: alive until the process ends), took
# a third to a half of that (measured side by side: 4.2 → 1.4 s, and 4.7 → 1.6–2.6 s in test_variants,
# test_check_caches and test_findings). Only the moment cyclic garbage is reclaimed changes: an object without cycles is
# still freed by reference counting the moment it is dropped (a store, a file, a temporary folder).
GC_YOUNG_THRESHOLD = 10_000
gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What exists once the tests are collected lives until the process ends: no collection walks it."""
    gc.freeze()


# --- hypothesis: how many examples a property test tries -------------------------------------------
# HYPOTHESIS_PROFILE picks the profile: "dev" (the default: an ordinary run, a quarter of each test's
# count), "ci" (what .ci/run uses: each test's full count) or "thorough" (ten times it, for a hunt).
# Tests give their full count through fuzz_examples(); KETSUGO_FUZZ_EXAMPLES still sets it outright
# where a module reads it.
_SCALE = {"dev": 0.25, "ci": 1.0, "thorough": 10.0}
for _name, _scale in _SCALE.items():
    settings.register_profile(_name, max_examples=max(5, int(100 * _scale)), deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(HYPOTHESIS_PROFILE)


def fuzz_examples(full: int) -> int:
    """A property test's number of examples under the loaded profile: ``full`` under "ci"."""
    return max(min(full, 5), int(full * _SCALE.get(HYPOTHESIS_PROFILE, 1.0)))


# --- speed: rdflib parses a SPARQL text again at every Graph.query() call ----------------------
# pyshacl runs each SHACL-SPARQL constraint once per focus node, and the variant harness asks
# hundreds of queries per case, all given as text: parsing (pyparsing) was most of their time.
# Translating one text with the same namespaces and base always gives the same algebra, and
# rdflib evaluates a translated query without changing it (a prepared query is made to be run
# again), so the suite keeps one translation per (text, base, namespaces). Results are unchanged.
_translate = _sparql_processor.translateQuery


@functools.lru_cache(maxsize=4096)
def _translated(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]):
    return _translate(_parse_query(text), base, dict(namespaces))


def _query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
    if isinstance(strOrQuery, str):
        namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
        strOrQuery = _translated(strOrQuery, base, namespaces)
    return _sparql_processor.evalQuery(self.graph, strOrQuery, initBindings, base)


_sparql_processor.SPARQLProcessor.query = _query


def isomorphic(a: Graph, b: Graph) -> bool:
    """rdflib.compare.isomorphic; when neither graph holds a blank node the two graphs are
    isomorphic exactly when they hold the same triples, which a set comparison answers in a
    fraction of the time (a report graph has no blank node)."""
    mine, theirs = set(a), set(b)  # each graph read once (reading an rdflib graph is the slow part)
    if any(isinstance(term, BNode) for triple in (*mine, *theirs) for term in triple):
        return _rdflib_isomorphic(a, b)
    return len(mine) == len(theirs) and mine == theirs


@functools.cache
def turtle_graph(path: Path) -> Graph:
    """A Turtle file (an offline vocabulary such as DPV, read-only for the tests) as an rdflib graph,
    once per test process for every module that reads it. pyoxigraph parses it (rdflib's Turtle
    parser took 1.1 s for dpv.ttl; the graph made here is isomorphic to rdflib's own reading)."""
    import pyoxigraph as ox

    from ketsugo.graph.terms import to_rdflib

    graph = Graph()
    term = functools.cache(to_rdflib)
    quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in quads)
    return graph


@pytest.fixture(scope="session")
def expected() -> dict:
    """Hand-checked values of the bundled report (written by reading it, not by running ketsugo)."""
    with EXPECTED.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="session")
def bundled_path() -> Path:
    return BUNDLED


@functools.cache
def bundled_build_dir() -> Path:
    """The bundled report built once per test process (`ketsugo build --out DIR`), read-only for
    tests: the `bundled_build` fixture and helpers called outside fixtures share this one build.
    A test that changes a build directory builds its own."""
    from ketsugo.pipeline import run_build
    from ketsugo.read.metadata import bundled_reports

    work = Path(tempfile.mkdtemp(prefix="ketsugo-bundled-build-"))
    atexit.register(shutil.rmtree, work, True)
    out = work / "out"
    run_build(bundled_reports(), out)
    return out


@pytest.fixture(scope="session")
def bundled_build() -> Path:
    """The bundled report built once for the whole session (see :func:`bundled_build_dir`)."""
    return bundled_build_dir()


# --- the cross-municipality reports (tests/cases/cross/): one build for every module that asks


@pytest.fixture(scope="session")
def cross_expected() -> dict:
    from tests import cross_support

    return cross_support.expected()


@pytest.fixture(scope="session")
def cross_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests import cross_support

    return cross_support.build(tmp_path_factory.mktemp("cross-build") / "out")


@pytest.fixture(scope="session")
def cross_backend(cross_build: Path):  # -> ketsugo.sparql.query.LocalBackend
    from ketsugo.sparql.query import LocalBackend
    from ketsugo.store.disk import open_store

    return LocalBackend(open_store(cross_build))


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that counts the connections it gets (a test that nothing may
    reach it expects none): the stand-in for an outside server."""

    def __init__(self, timeout: float = 0.2) -> None:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(timeout)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                return count
            conn.close()
            count += 1


def pytest_unconfigure(config: pytest.Config) -> None:
    """A test process ends now: its objects are frozen (gc.freeze) so that the cyclic collector does
    not walk its heap again while Python shuts down. A worker holds millions of objects (rdflib
    graphs, caches of reference data): those passes took ≈ 2 s of every process's exit (and the
    xdist run waits for its last worker to exit). Memory is still freed by reference counting;
    only cycles are left to the operating system, which takes the whole process back anyway."""
    gc.freeze()


# --- speed: how `-n auto --dist loadscope` hands the modules to the workers ---------------------------
# xdist's loadscope sends a whole module to one worker, the modules with the most tests first. The
# number of tests says little about their cost (test_categories: 142 tests, 2 s; test_validate_chunks:
# 13 tests, 19 s), and a slow module handed out last kept one worker busy while the other sat idle.
# Here the scopes are handed out by their CPU seconds, measured on an idle machine (the README's
# command at de7319d, tests' own CPU plus their subprocesses'), the slowest first, so both workers end
# together. A module not listed counts 0.02 s a test (most take less). Only the order changes, and
# which modules share a worker: every test runs, in its own module's order.
#
# Modules that read the same builds and results made once per process (tests/_check_support.py: the
# wards build and its validations, the variants build, pyshacl's findings on each validate case; the
# registries' pyshacl run with their SPARQL constraints parsed once) run in one worker as one scope:
# split across both workers, each made them again.
SCOPE_GROUPS = {
    "checks (tests/_check_support.py)": [
        "tests/test_validate.py",
        "tests/test_validate_engines.py",
        "tests/test_validate_chunks.py",
        "tests/test_validate_parallel.py",
        "tests/test_validate_reading.py",
    ],
    "registries (pyshacl with their shapes)": [
        "tests/test_registries_shapes.py",
        "tests/test_fixes8_registries.py",
    ],
}
SCOPE_SECONDS = {
    "tests/test_validate_engines.py": 20.4,
    "tests/test_validate_chunks.py": 18.8,
    "tests/test_variants.py": 11.5,
    "tests/test_check_caches.py": 11.0,
    "tests/test_validate.py": 10.5,
    "tests/test_findings.py": 8.3,
    "tests/test_validate_reading.py": 6.2,
    "tests/test_sources_roundtrip.py": 5.7,
    "tests/test_fixes8_registries.py": 5.0,
    "tests/test_scale.py": 5.0,
    "tests/test_sources_published.py": 4.7,
    "tests/test_query_endpoint.py": 4.6,
    "tests/test_harden_builddir.py": 4.5,
    "tests/test_layout.py": 4.4,
    "tests/test_build.py": 4.3,
    "tests/test_query.py": 4.1,
    "tests/test_query_golden.py": 3.9,
    "tests/test_export_reportwise.py": 3.8,
    "tests/test_input_fuzz.py": 3.5,
    "tests/test_harden_queries.py": 3.5,
    "tests/test_sources_published_forms.py": 3.3,
    "tests/test_harden_cli.py": 3.3,
    "tests/test_sources_units.py": 3.3,
    "tests/test_harden_attack.py": 3.2,
    "tests/test_large_report.py": 3.1,
    "tests/test_query_errors.py": 3.0,
    "tests/test_export_formats.py": 3.0,
    "tests/test_visual_overview.py": 3.0,
    "tests/test_harden_messages.py": 2.9,
    "tests/test_link_corporate.py": 2.9,
    "tests/test_sources_errors.py": 2.7,
    "tests/test_user_report.py": 2.6,
    "tests/test_fixes8_locks.py": 2.6,
    "tests/test_query_load.py": 2.5,
    "tests/test_validate_parallel.py": 2.3,
    "tests/test_export_graph_streamed.py": 2.3,
    "tests/test_registries_shapes.py": 2.2,
}
_GROUP_OF = {module: group for group, modules in SCOPE_GROUPS.items() for module in modules}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # type: ignore[no-untyped-def]
    """`--dist loadscope` with the scopes grouped and ordered as said above; other modes as xdist makes them."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class CostOrderedScopes(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            return _GROUP_OF.get(nodeid.split("::", 1)[0]) or super()._split_scope(nodeid)

        def _assign_work_unit(self, node):  # type: ignore[no-untyped-def]
            if not self.ordered:  # once, before the first scope is handed out: the slowest first
                self.ordered = True

                def seconds(scope: str) -> float:
                    modules = SCOPE_GROUPS.get(scope, [scope.split("::", 1)[0]])
                    listed = [SCOPE_SECONDS[m] for m in modules if m in SCOPE_SECONDS]
                    return sum(listed) if listed else 0.02 * len(self.workqueue[scope])

                order = sorted(self.workqueue, key=seconds, reverse=True)  # stable: ties keep xdist's order
                self.workqueue = type(self.workqueue)((scope, self.workqueue[scope]) for scope in order)
            super()._assign_work_unit(node)

    return CostOrderedScopes(config, log)


@functools.cache
def loopback_works() -> bool:
    """Whether this machine can talk to itself over TCP on 127.0.0.1: a sandbox cut off from every
    network (a namespace without its loopback interface up) cannot, and a test of the local SPARQL
    server or of a headless browser can then only fail. ketsugo itself needs no network at all."""
    import socket

    try:
        with socket.socket() as listening:
            listening.bind(("127.0.0.1", 0))
            listening.listen(1)
            with socket.create_connection(listening.getsockname(), timeout=1.0):
                return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``loopback`` (a server or browser this test starts on 127.0.0.1) are skipped,
    with the reason, where the machine has no loopback network."""
    if loopback_works():
        return
    skip = pytest.mark.skip(
        reason="no loopback network (127.0.0.1) here: the test talks to a server it starts on this "
        "machine; ketsugo itself needs no network"
    )
    for item in items:
        if item.get_closest_marker("loopback") is not None:
            item.add_marker(skip)
