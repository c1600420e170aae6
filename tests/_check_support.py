"""What the validation test modules share, made once per test process: builds they only read (the
bundled report alone; in two wards and two years; every hand-made variant), the validate cases'
graphs and pyshacl's findings on each case (tests/test_validate.py checks them against the case's
expectations, tests/test_validate_engines.py compares the SPARQL engine with them: one pyshacl run
per case and process, not one per module). A test that changes a build copies it first
(tests/test_validate_chunks.py).

Each build is the one the modules made for themselves before (same reports, same options); made
here, a module that runs after another one in the same process reads the same directory instead
of building it again."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import tomllib
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

from tests.conftest import CASES

VALIDATE_CASES = CASES / "validate"


@cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="ketsugo-check-builds-"))
    atexit.register(shutil.rmtree, root, True)
    return root


def _folder(name: str) -> Path:
    folder = _root() / name
    folder.mkdir()
    return folder


@cache
def bundled_alone() -> Path:
    """The bundled report built on its own as 新宿区 FY2020 (metadata given as options)."""
    from ketsugo.paths import REPORTS_DIR
    from ketsugo.pipeline import run_build
    from ketsugo.read.metadata import metadata_from_options

    out = _folder("bundled") / "out"
    run_build([metadata_from_options(REPORTS_DIR / "shinjuku-2020-gaibu-ketsugo.txt", "131041", 2020)], out)
    return out


@cache
def wards_build() -> Path:
    """tests.test_validate_parallel.build_wards: the bundled report in two wards, a later year of one
    (cross-report rows) and another ward."""
    from tests.test_validate_parallel import build_wards

    return build_wards(_folder("wards"))


@cache
def wards_validation(jobs: int) -> object:  # -> ketsugo.check.findings.Validation
    """``validate_store`` on the wards build with its store path (the chunked SPARQL engine) on
    ``jobs`` processes: made once per process (tests/test_validate_parallel.py and
    tests/test_validate_chunks.py compare the same two runs), only read."""
    from ketsugo.check.validate import validate_store
    from ketsugo.store.disk import STORE, open_store

    build = wards_build()
    return validate_store(open_store(build), store_path=build / STORE, jobs=jobs)


def variant_metadata() -> list:  # -> list[ketsugo.read.metadata.ReportMetadata]
    """Every hand-made variant of tests/cases/variants, with the municipality its expectations give."""
    from ketsugo.pipeline import resolve_metadata

    metas = []
    for case in sorted((CASES / "variants").iterdir()):
        if not (case / "report.txt").is_file():
            continue
        with (case / "expected.toml").open("rb") as handle:
            expected = tomllib.load(handle)
        metas.append(resolve_metadata(case / "report.txt", expected["report"].get("municipality_code"), None))
    return metas


@cache
def variants_build() -> Path:
    """Every hand-made variant, built leniently into one store."""
    from ketsugo.pipeline import run_build

    out = _folder("variants") / "out"
    run_build(variant_metadata(), out, lenient=True)
    return out


@cache
def _base_triples() -> tuple:
    return tuple(Graph().parse(VALIDATE_CASES / "base.ttl", format="turtle"))


def base_graph() -> Graph:
    """A new graph holding the triples of tests/cases/validate/base.ttl (parsed once), for a case to
    change."""
    return _graph_of(_base_triples())


def _graph_of(triples: tuple) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


UPDATE_PREFIXES = """
PREFIX kg: <https://w3id.org/ketsugo#>
PREFIX kgc: <https://w3id.org/ketsugo/id/category/>
PREFIX kid: <https://w3id.org/ketsugo/id/>
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@cache
def _case_triples(update: str) -> tuple:
    data = base_graph()
    if update.strip():
        data.update(UPDATE_PREFIXES + update)  # rdflib parses an update anew each time: once a case
    return tuple(data)


def case_graph(case: dict) -> Graph:
    """A new graph holding a validate case's data: base.ttl changed by the case's SPARQL update
    (applied once per process)."""
    return _graph_of(_case_triples(case["update"]))


@cache
def _reference_graph() -> Graph:
    from ketsugo.graph.reference import reference

    return reference().graph


@cache
def _case_by_pyshacl(update: str) -> tuple:  # -> tuple[Finding, ...]
    from ketsugo.check.validate import validate_graph

    findings, _ = validate_graph(_graph_of(_case_triples(update)), _reference_graph(), report_file="case.txt")
    return tuple(findings)


def case_by_pyshacl(case: dict) -> list:  # -> list[ketsugo.check.findings.Finding]
    """pyshacl's findings on a validate case (ketsugo.check.validate.validate_graph with the reference
    graph, as report "case.txt"): validated once per process and case, whichever module asks first;
    each caller gets its own list (a Finding is frozen)."""
    return list(_case_by_pyshacl(case["update"]))


_VALIDATIONS: dict[tuple, object] = {}  # (store, options) → ketsugo.check.findings.Validation


@pytest.fixture
def validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ketsugo validate` in a test that asks for this validates a store once per process for the same
    options: the command runs as ever (options, engine choice, formatting, --fail-on, exit code), but
    validate_store's answer for a store it was already asked about with the same options is the one
    it gave then (it is deterministic; the CLI cases that use this differ in what they do with it:
    --fail-on, --format, --output). Not for a test whose point is the validation itself, or that
    reads what validate_store logs (-v)."""
    import ketsugo.check.validate

    real = ketsugo.check.validate.validate_store

    def once(store: object, **options: object) -> object:
        key = tuple(sorted((k, str(v)) for k, v in options.items() if k not in ("log", "progress")))
        if key not in _VALIDATIONS:
            _VALIDATIONS[key] = real(store, **options)  # type: ignore[arg-type]
        return _VALIDATIONS[key]

    monkeypatch.setattr(ketsugo.check.validate, "validate_store", once)
