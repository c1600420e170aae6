"""The paths the national date-of-birth answer takes (issue 11): what makes them cheap must not
change what they give. No timings here: each test checks the text or the values."""

from __future__ import annotations

import io
from pathlib import Path

from ketsugo.sparql import render
from ketsugo.sparql.catalogue import catalogue
from ketsugo.sparql.results import Outcome, sort_list_cells
from ketsugo.sparql.text import strip_comments_and_strings
from tests.test_query_golden import local_backend


def _answer() -> Outcome:
    from ketsugo.sparql.query import run_catalogue_query

    return run_catalogue_query(
        local_backend(), catalogue()["recipients-of-category"], {"category": "生年月日"}
    )


def test_a_piped_table_is_sent_as_its_cells_and_written_as_the_table(tmp_path: Path) -> None:
    """`ketsugo query` gives a piped (or --output) table as its laid-out cells, not as its text
    (every cell padded to its column's widest: 220 MB for the national answer), and writes the
    very text render_table gives."""
    from ketsugo.cli.query import _emit, _render

    outcome = _answer()
    expected = render.render_table(outcome)
    assert expected.endswith(f"\n{len(outcome.rows or [])} rows\n")
    for to_file in (False, True):
        data, summary = _render(outcome, "table", to_file, None, False)
        assert isinstance(data, render.PlainTable)
        assert summary == f"({len(outcome.rows or [])} rows)"
        written = io.BytesIO()
        data.write(written)
        assert written.getvalue().decode("utf-8") == expected
    _emit(data, tmp_path / "table.txt")
    assert (tmp_path / "table.txt").read_text(encoding="utf-8") == expected


def test_a_terminal_table_is_still_folded_text() -> None:
    from ketsugo.cli.query import _render

    data, _ = _render(_answer(), "table", False, 80, False)
    assert isinstance(data, bytes)
    assert max(len(line) for line in data.decode("utf-8").splitlines()) <= 80


def test_list_items_sort_by_number_beside_a_digit_that_is_no_decimal() -> None:
    """A superscript ² is a digit to str.isdigit but not a decimal: "No.2²" is text after 2, and
    the cell still sorts (it used to fail on int("²"))."""
    import pyoxigraph as ox

    outcome = Outcome("SELECT", variables=["l"], rows=[[ox.Literal("No.10, No.2²")]])
    sort_list_cells(outcome, {"l": ", "})
    assert outcome.rows == [[ox.Literal("No.2², No.10")]]


def test_continuing_connections_are_marked_without_a_look_up_per_row() -> None:
    """継続No. comes from the continuing connections read once and joined, as 終了 and 変更 do:
    an EXISTS is one store look-up per row (thousands on the national build)."""
    text = strip_comments_and_strings(catalogue()["recipients-of-category"].text)
    assert "EXISTS" not in text.upper()


def test_recipients_are_sorted_by_keys_made_once_per_row() -> None:
    """The ORDER BY of recipients-of-category compares strings the query made (a label read from
    the store is read again at every comparison); the rows keep their order (the golden tests)."""
    text = strip_comments_and_strings(catalogue()["recipients-of-category"].text)
    order = text[text.upper().rindex("ORDER BY") :]
    assert "?label_key" in order
    assert "?recipient_label" not in order
