"""The unwrapped table (output piped or written to a file) is written directly, not laid out by
rich cell by cell (ketsugo.sparql.render._plain_table): the text must be exactly rich's, for any
names and values, and for the catalogue's answers on the bundled report."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketsugo.sparql import render
from ketsugo.sparql.catalogue import catalogue
from ketsugo.sparql.results import Outcome
from tests.conftest import fuzz_examples
from tests.test_query_golden import local_backend


def _by_rich(outcome: Outcome, monkeypatch: Any) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(render, "_plain_table", lambda variables, cells: None)
        return render.render_table(outcome)


def _literals(rows: list[list[str | None]]) -> list[list[Any]]:
    import pyoxigraph as ox

    return [[None if value is None else ox.Literal(value) for value in row] for row in rows]


_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_氏名", min_size=1, max_size=24)
_VALUE = st.none() | st.text(
    alphabet=st.sampled_from(
        [*"ab cdあい宇 　-,.（）〜", "\t", "\n", "\x07", "\u200b", "\u0301", "Ｎ", "😀", "─"]
    ),
    max_size=60,
)


@settings(max_examples=fuzz_examples(200), deadline=None)
@given(
    st.lists(_NAME, min_size=1, max_size=5).flatmap(
        lambda names: st.tuples(
            st.just(names), st.lists(st.lists(_VALUE, min_size=len(names), max_size=len(names)), max_size=5)
        )
    )
)
def test_any_table_is_written_as_rich_lays_it_out(table: tuple[list[str], list[list[str | None]]]) -> None:
    variables, rows = table
    outcome = Outcome("SELECT", variables=variables, rows=_literals(rows))
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert render.render_table(outcome) == _by_rich(outcome, monkeypatch)


def test_a_plain_table_is_written_directly() -> None:
    """The direct path is taken for one-line printable cells (else the property test above would
    only compare rich with itself), and not for a cell that breaks its line."""
    assert render._plain_table(["a", "bb"], [["xあ", ""]]) == "a     bb\n────────\nxあ     \n"
    assert render._plain_table(["a"], [["two\nlines"]]) is None


@pytest.mark.parametrize(
    "name", ["recipients-of-category", "my-number-connections", "unnamed-counterparties", "flows"]
)
def test_catalogue_tables_are_written_as_rich_lays_them_out(name: str, monkeypatch: Any) -> None:
    from ketsugo.sparql.query import run_catalogue_query

    query = catalogue()[name]
    params = {p.name: p.example for p in query.parameters if p.required}
    outcome = run_catalogue_query(local_backend(), query, params)
    assert outcome.rows
    assert render.render_table(outcome) == _by_rich(outcome, monkeypatch)


_LONG = st.text(
    alphabet=st.sampled_from(
        [*"aZ 0,.-", *"あ宇〜（）年度", "\u0301", "\u200b", "Ｎ", "😀", "\u200d", "\ufe0f"]
    ),
    min_size=500,
    max_size=2000,
)


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(_LONG)
def test_a_long_cell_is_measured_as_rich_measures_it(text: str) -> None:
    from rich.cells import cell_len

    assert render._cell_width(text) == cell_len(text)


def test_a_table_of_long_cells_is_written_as_rich_lays_it_out(monkeypatch: Any) -> None:
    """List cells of a national answer run to thousands of characters (measured by their
    distinct characters)."""
    long = ", ".join(f"新宿区{2000 + n}年度 No.{n}" for n in range(400))
    outcome = Outcome(
        "SELECT", variables=["who", "where"], rows=_literals([["国", long], ["株式会社Ａ", "x"]])
    )
    assert render.render_table(outcome) == _by_rich(outcome, monkeypatch)
