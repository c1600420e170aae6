"""Fuzz: cells holding backslashes, quotes and control characters are read or reported — and what
is read becomes RDF that serialises and parses back — never a crash.

Examples are few (KETSUGO_FUZZ_EXAMPLES raises them), so the module runs in seconds in CI.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketsugo.errors import InputError
from ketsugo.graph.quads import build_graph
from ketsugo.graph.reference import Reference, reference
from ketsugo.read.metadata import metadata_from_options
from ketsugo.read.parser import parse_report
from ketsugo.store.disk import to_quads
from tests.conftest import CASES, fuzz_examples

SMALL = (CASES / "malformed" / "valid.txt").read_text(encoding="utf-8")
EXAMPLES = max(10, int(os.environ.get("KETSUGO_FUZZ_EXAMPLES", "0")) // 8 or fuzz_examples(25))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NASTY = st.sampled_from(
    [
        "\\",
        "\\\\",
        "\\u0041",
        "\\U0001F600",
        "\\x01",
        "\\n",
        "\\t",
        "\\1",
        "$1",
        "\\g<0>",
        "C:\\user\\x01",
        '"',
        "'",
        '"""',
        "'''",
        "「",
        "」",
        "<",
        ">",
        "{",
        "}",
        "%s",
        "{0}",
        "\x01",
        "\x1f",
        "\x7f",
        "\x85",
        "\u2028",
        "\ufeff",
        "\ufffd",
    ]
)


@cache
def _reference() -> Reference:
    return reference()


@st.composite
def nasty_cells(draw: st.DrawFn) -> str:
    """SMALL with a few cells of its data rows holding backslashes, quotes or control characters."""
    lines = SMALL.split("\n")
    rows = [i for i, line in enumerate(lines) if "\t" in line and line[:1].isdigit()]
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.sampled_from(rows))
        cells = lines[row].split("\t")
        column = draw(st.integers(0, len(cells) - 1))
        snippet = "".join(draw(st.lists(NASTY, min_size=1, max_size=4)))
        at = draw(st.integers(0, len(cells[column])))
        cells[column] = cells[column][:at] + snippet + cells[column][at:]
        lines[row] = "\t".join(cells)
    return "\n".join(lines)


@FUZZ
@given(nasty_cells())
def test_nasty_cells_parse_or_are_reported_and_give_rdf_that_round_trips(text: str) -> None:
    try:
        parse_report(text, "fuzz.txt")
    except InputError as exc:
        assert all(str(issue).startswith("fuzz.txt") for issue in exc.issues)
    report = parse_report(text, "fuzz.txt", lenient=True)  # lenient: never an error for a cell
    meta = metadata_from_options(Path("fuzz.txt"), "131041", 2020)
    result = build_graph(report, meta, _reference())
    quads = to_quads([(result.graph_iri, result.graph)])
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert len(list(ox.parse(data, format=ox.RdfFormat.N_QUADS))) == len(quads)
