"""Every catalogue query against hand-checked expected results on the bundled report.

Golden files (tests/golden/NAME/CASE.toml) were written by reading
data/reports/shinjuku-2020-gaibu-ketsugo.txt and the curated vocabularies (which label maps an
item to which category, which pattern a data-subject class has), not by copying ketsugo's output.
Rows are compared as multisets of the listed columns; list cells (GROUP_CONCAT) as sets; when
the query defines an order, the rows' order is checked too (`ordered`, or `order_by` keys).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketsugo.paths import ROOT
from ketsugo.sparql.catalogue import catalogue
from tests.conftest import fuzz_examples
from tests.test_query_support import GoldenCase, built, comparable, golden_cases, plain, sort_key

CASES = golden_cases()


@cache
def local_backend():
    from ketsugo.sparql.query import LocalBackend

    return LocalBackend.open(built())


def actual_rows(case: GoldenCase) -> list[dict]:
    from ketsugo.sparql.query import run_catalogue_query

    outcome = run_catalogue_query(local_backend(), catalogue()[case.query], case.params)
    assert outcome.variables is not None and outcome.rows is not None
    for column in case.columns:
        assert column in outcome.variables, f"{case.id}: the query has no column {column}"
    return [{v: plain(t) for v, t in zip(outcome.variables, row, strict=True)} for row in outcome.rows]


def test_every_catalogue_query_has_a_golden_case() -> None:
    covered = {case.query for case in CASES}
    missing = sorted(set(catalogue()) - covered)
    assert not missing, f"catalogue queries without a golden case: {missing}"
    unknown = sorted(covered - set(catalogue()))
    assert not unknown, f"golden cases of no catalogue query: {unknown}"


@pytest.mark.parametrize("case", [c for c in CASES if not c.derive], ids=lambda c: c.id)
def test_golden(case: GoldenCase) -> None:
    rows = actual_rows(case)
    expected = [comparable(row, case.columns, case.lists) for row in case.rows]
    got = [comparable(row, case.columns, case.lists) for row in rows]
    if case.ordered:
        assert got == expected
    else:
        missing = Counter(expected) - Counter(got)
        extra = Counter(got) - Counter(expected)
        assert not missing and not extra, (
            f"missing: {sorted(missing, key=str)}\nextra: {sorted(extra, key=str)}"
        )
    if case.order_by:
        assert rows == sorted(rows, key=lambda row: sort_key(row, case.order_by)), (
            "rows not in the query's order"
        )


# ------------------------------------------------------------------------------- flows
# The flows table has one row per connection × counterparty × item (408 rows): its expected rows
# come from tests/expected/shinjuku-2020.toml, whose items and counterparties were typed by hand
# from the report. Counterparty labels: the curated preferred label of a named organisation
# (data/reference/organizations.ttl), the segment as written for an unnamed party; kinds: the
# organisation's class, or the unnamed party's kind (hand-written maps in flows/all.toml).


@pytest.mark.parametrize("case", [c for c in CASES if c.derive == "expected"], ids=lambda c: c.id)
def test_flows_against_hand_typed_items(case: GoldenCase) -> None:
    with (ROOT / "tests" / "expected" / "shinjuku-2020.toml").open("rb") as handle:
        report = tomllib.load(handle)
    labels = case.data["organisation_labels"]
    expected = []
    for connection in report["connection"]:
        for party in connection["counterparties"]:
            counterparty = labels[party["org"]] if party["org"] else party["as_written"]
            if party["org"]:
                kind, kind_class = case.data["organisation_kinds"][party["org"]]
            else:
                kind, kind_class = case.data["party_kind_labels"][party["kind"]], "kg:UnnamedCounterparty"
            for position, item in enumerate(connection["items"], start=1):
                expected.append(
                    {
                        "report": case.data["report"],
                        "connection_number": connection["number"],
                        "status": "new",  # the bundled report has no ended connection
                        "counterparty": counterparty,
                        "counterparty_kind": kind,
                        "counterparty_kind_class": kind_class,
                        "unnamed": not party["org"],
                        "data_item": item["text"],
                        "item_position": position,
                        "start_date": connection["start_date"],
                        "end_date": None,
                        "specific_personal_information": connection["my_number"],
                        "council_decision": connection["legal_basis_as_written"].split("（")[0].split("(")[0],
                        "source_line": connection["line"],
                    }
                )
    assert len(expected) == case.data["row_count"]
    rows = actual_rows(case)
    got = Counter(comparable(row, case.columns, []) for row in rows)
    want = Counter(comparable(row, case.columns, []) for row in expected)
    assert got == want, (
        f"missing: {sorted(want - got, key=str)[:5]}\nextra: {sorted(got - want, key=str)[:5]}"
    )
    assert rows == sorted(rows, key=lambda row: sort_key(row, case.order_by))


# ----------------------------------------------------------------- since when, and of which kind
# The bundled report has no ended connection: the small reports of test_query_edge_cases do (its
# section (3) lists ended No.1 and No.2, both ending R3.3.31, to LGWAN-ASP providers and J-LIS).


@pytest.fixture(scope="module")
def edge_store(tmp_path_factory: pytest.TempPathFactory):
    from ketsugo.pipeline import run_build
    from ketsugo.read.metadata import metadata_from_options
    from ketsugo.store.disk import open_store
    from tests.test_query_edge_cases import FY2020, FY2021

    folder = tmp_path_factory.mktemp("since")
    reports = []
    for year, lines in ((2020, FY2020), (2021, FY2021)):
        path = folder / f"edge-{year}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        reports.append(metadata_from_options(path, "131041", year))
    run_build(reports, folder / "build")
    return open_store(folder / "build")


def edge_rows(store, name: str, **params: str) -> list[dict]:
    from ketsugo.sparql.query import LocalBackend, run_catalogue_query

    return run_catalogue_query(LocalBackend(store), catalogue()[name], params).records()


def test_flows_give_every_party_a_kind_and_ended_connections_their_end(edge_store) -> None:
    rows = edge_rows(edge_store, "flows")
    with_party = [r for r in rows if r["counterparty"] is not None]
    assert with_party and all(r["counterparty_kind"] and r["counterparty_kind_class"] for r in with_party)
    ended = [r for r in rows if r["status"] == "ended"]
    assert {r["connection_number"] for r in ended} == {1, 2}
    assert {r["end_date"].isoformat() for r in ended} == {"2021-03-31"}
    kinds = {(r["counterparty"], r["counterparty_kind"]) for r in ended}
    assert ("地方公共団体情報システム機構", "地方共同法人") in kinds
    assert ("LGWAN-ASPサービス提供者", "LGWAN-ASPサービス提供者") in kinds
    new = [r for r in rows if r["status"] == "new"]
    assert all(r["end_date"] is None for r in new)
    dnp = {r["counterparty_kind"] for r in rows if r["counterparty"] == "株式会社DNPアイディシステム"}
    assert dnp == {"民間事業者"}


def test_periods_say_since_when_and_until_when(edge_store) -> None:
    rows = edge_rows(edge_store, "recipients-of-category", category="氏名")
    periods = {p for r in rows for p in (r["periods"] or "").split(", ")}
    # new No.1 started R2.5.15; the ended section gives only the end date (R3.3.31)
    assert "新宿区2020年度 No.1 2020-05-15〜" in periods
    assert "新宿区2020年度 終了No.1 ?〜2021-03-31" in periods
    dnp = next(r for r in rows if r["recipient_label"] == "株式会社DNPアイディシステム")
    # DNP gets 氏名 only in FY2021 No.1 (R3.5.1): its FY2020 No.4 has only 謎の項目
    assert dnp["since"].isoformat() == "2021-05-01"
    assert dnp["recipient_kind"] == "民間事業者"


# ------------------------------------------------------------------ parameters by English label


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("My Number", "my-number"),
        ("my number", "my-number"),
        ("ＭＹ　ＮＵＭＢＥＲ", "my-number"),
        ("Individual Number", "my-number"),  # the part of "Individual Number (My Number)" before the bracket
        ("マイナンバー", "my-number"),  # an alt label
        ("date of birth", "date-of-birth"),
        ("Date Of Birth", "date-of-birth"),
        ("ＤＡＴＥ ＯＦ ＢＩＲＴＨ", "date-of-birth"),
        ("生年月日", "date-of-birth"),
    ],
)
def test_a_category_by_any_of_its_labels(value: str, slug: str) -> None:
    from ketsugo.sparql.query import parameter_term

    assert parameter_term("category", value, local_backend()).value.endswith("/category/" + slug)


def test_an_unknown_english_name_lists_close_matches() -> None:
    from ketsugo.sparql.query import QueryError, parameter_term

    with pytest.raises(QueryError, match=r"close matches: .*date-of-birth"):
        parameter_term("category", "birth date of", local_backend())


# --------------------------------------------------------------------------- terminal tables


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_table_fits_the_terminal(name: str, width: int) -> None:
    from rich.cells import cell_len

    from ketsugo.sparql.query import render_table, run_catalogue_query

    query = catalogue()[name]
    params = {p.name: p.example for p in query.parameters if p.required}
    outcome = run_catalogue_query(local_backend(), query, params)
    lines = render_table(outcome, width=width).splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert lines[-1].endswith(("row", "rows"))


def test_a_narrow_terminal_gets_records_a_wide_one_a_table_a_pipe_whole_rows() -> None:
    from ketsugo.sparql.query import render_table, run_catalogue_query

    outcome = run_catalogue_query(
        local_backend(), catalogue()["recipients-of-category"], {"category": "生年月日"}
    )
    columns = outcome.variables
    assert columns is not None
    narrow = render_table(outcome, width=80).splitlines()
    # eight records, each opening with its number and naming every column on its own line
    assert [line for line in narrow if line.startswith("[")] == [f"[{n}]" for n in range(1, 9)]
    first = narrow[1 : narrow.index("")]
    assert [line.split()[0] for line in first if not line.startswith(" ")] == columns
    assert "recipient_label       公益社団法人国民健康保険中央会" in narrow
    wide = render_table(outcome, width=200).splitlines()
    assert wide[0].split() == columns  # one header line: a table
    piped = render_table(outcome).splitlines()
    assert len(piped) == 2 + 8 + 1  # header, rule, one line per row, the count
    assert "新宿区2020年度 No.13 2021-03-01〜, 新宿区2020年度 No.16 2020-10-01〜" in piped[2]


def test_the_build_answers_since_when(tmp_path) -> None:
    """`ketsugo build` answers its first question with the start dates read from the report:
    内閣官房 No.12 R3. 2. 1; the unnamed LGWAN-ASP parties No.1 R2.5.15, No.3 R2. 8. 1, No.9 R2. 6. 1,
    No.15 R2.4.1 (the earliest)."""
    from click.testing import CliRunner

    import ketsugo.cli.main

    result = CliRunner().invoke(ketsugo.cli.main.cli, ["build", "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  内閣官房 — 1 connection(s): 新宿区2020年度 No.12 (since 2021-02-01)" in lines
    unnamed = next(line for line in lines if line.startswith("  LGWAN-ASPサービス提供者 (unnamed"))
    assert unnamed.endswith("(since 2020-04-01)")


# The records a narrow terminal gets are written directly, not laid out by rich one grid per row
# (ketsugo.sparql.render._plain_records): the text must be exactly rich's.


def _records_by_rich(variables: list[str], cells: list[list[str]], width: int) -> str:
    import io

    from ketsugo.sparql.render import _print_records

    buffer = io.StringIO()
    console = _plain_console(buffer, width)
    _print_records(console, variables, cells, color=False)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _records_written(variables: list[str], cells: list[list[str]], width: int) -> str | None:
    import io

    from ketsugo.sparql.render import _plain_records

    return _plain_records(_plain_console(io.StringIO(), width), variables, cells, width)


def _plain_console(file: Any, width: int) -> Any:
    """A console as a pipe gets it: no colour, no markup, this width."""
    from rich.console import Console

    return Console(
        file=file,
        force_terminal=False,
        no_color=True,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
    )


_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_氏名", min_size=1, max_size=24)
_VALUE = st.text(
    alphabet=st.sampled_from(
        [*"ab cdあい宇 　-,.（）", "\t", "\n", "\r", "\x07", "\u200b", "\u0301", "Ｎ", "😀"]
    ),
    max_size=120,
)


@settings(max_examples=fuzz_examples(200), deadline=None)
@given(
    st.lists(_NAME, min_size=1, max_size=5).flatmap(
        lambda names: st.tuples(
            st.just(names), st.lists(st.lists(_VALUE, min_size=len(names), max_size=len(names)), max_size=4)
        )
    ),
    st.integers(min_value=4, max_value=140),
)
def test_records_are_written_as_rich_lays_them_out(
    table: tuple[list[str], list[list[str]]], width: int
) -> None:
    variables, cells = table
    written = _records_written(variables, cells, width)
    if written is not None:
        assert written == _records_by_rich(variables, cells, width)


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize(
    "name", ["recipients-of-category", "my-number-connections", "unnamed-counterparties"]
)
def test_catalogue_records_are_written_as_rich_lays_them_out(name: str, width: int) -> None:
    from ketsugo.sparql.query import run_catalogue_query
    from ketsugo.sparql.render import display

    query = catalogue()[name]
    params = {p.name: p.example for p in query.parameters if p.required}
    outcome = run_catalogue_query(local_backend(), query, params)
    assert outcome.variables is not None and outcome.rows
    cells = [[display(term) for term in row] for row in outcome.rows]
    assert _records_written(outcome.variables, cells, width) == _records_by_rich(
        outcome.variables, cells, width
    )
