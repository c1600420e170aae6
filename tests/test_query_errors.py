"""Findings of a new-user trial and a code review: clear errors instead of tracebacks, tables
that survive a pipe, parameters that say what they accept, `-o`, one runner, one error handler."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.sparql.catalogue import catalogue
from ketsugo.sparql.query import LocalBackend, QueryError, render_table, run, run_catalogue_query
from tests.test_query_support import built


@pytest.fixture(scope="module")
def cli():
    import ketsugo.cli.main

    ketsugo.cli.main._register_optional_commands()
    return ketsugo.cli.main.cli


def invoke(cli, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def copy_of_the_build(tmp_path: Path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(built(), copy)
    return copy


def assert_clean_error(result, *phrases: str) -> None:
    """Exit 2, `error: …` on stderr with every phrase, and no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith("error: "), result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output, result.output


# ---------------------------------------------------------------------- a damaged build directory


def test_a_corrupt_graph_nq_says_the_build_is_damaged(cli, tmp_path) -> None:
    build = copy_of_the_build(tmp_path)
    with (build / "graph.nq").open("a", encoding="utf-8") as handle:
        handle.write("garbage <<< not N-Quads\n")
    for mode in ("auto", "memory"):
        result = invoke(cli, "query", "summary-table", "--store", str(build), "--store-mode", mode)
        assert_clean_error(result, "build directory is damaged", "graph.nq", "ketsugo build --out")
        assert "SyntaxError" not in result.output


def test_graph_nq_missing_in_memory_mode_says_the_build_is_damaged(cli, tmp_path) -> None:
    build = copy_of_the_build(tmp_path)
    (build / "graph.nq").unlink()
    result = invoke(cli, "query", "summary-table", "--store", str(build), "--store-mode", "memory")
    assert_clean_error(result, "build directory is damaged", "graph.nq is missing", "rebuild")
    # auto mode reads the on-disk store instead
    assert invoke(cli, "query", "summary-table", "--store", str(build)).exit_code == 0


def test_a_corrupt_store_says_the_build_is_damaged(cli, tmp_path) -> None:
    build = copy_of_the_build(tmp_path)
    (build / "store" / "CURRENT").write_bytes(b"\x00\x01garbage")
    result = invoke(cli, "query", "summary-table", "--store", str(build), "--store-mode", "disk")
    assert_clean_error(result, "build directory is damaged", "store/", "rebuild")


def test_no_build_at_all_keeps_its_own_message(cli, tmp_path) -> None:
    for mode in ("auto", "disk", "memory"):
        result = invoke(
            cli, "query", "summary-table", "--store", str(tmp_path / "none"), "--store-mode", mode
        )
        assert_clean_error(result, "no ketsugo build here")


# ------------------------------------------------------------------------------ ketsugo sparql


@pytest.mark.parametrize("argument", ["nofile.rq", "queries/nofile.sparql", "some/dir/query.txt"])
def test_a_missing_query_file_is_named(cli, argument: str) -> None:
    result = invoke(cli, "sparql", argument, "--store", str(built()))
    assert_clean_error(result, f"query file not found: {argument}")
    assert "not a SPARQL query" not in result.output


def test_a_folder_is_not_a_query_file(cli, tmp_path) -> None:
    result = invoke(cli, "sparql", str(tmp_path), "--store", str(built()))
    assert_clean_error(result, "is a folder")


def test_query_text_with_slashes_is_still_a_query(cli) -> None:
    result = invoke(
        cli,
        "sparql",
        "ASK { <https://w3id.org/ketsugo/id/org/mhlw> a kg:Organisation }",
        "--store",
        str(built()),
    )
    assert result.exit_code == 0 and result.output.strip() == "true"
    result = invoke(cli, "sparql", "DESCRIBE<https://w3id.org/ketsugo/id/org/mhlw>", "--store", str(built()))
    assert result.exit_code == 0 and "厚生労働省" in result.output


def test_an_undeclared_prefix_names_it_and_the_predefined_ones(cli) -> None:
    result = invoke(cli, "sparql", "SELECT * WHERE { ?s foo:bar ?o }", "--store", str(built()))
    assert_clean_error(result, "the prefix foo: is not declared", "predefined: ", "kg:", "kgc:", "skos:")
    assert "\\u{" not in result.output and "['" not in result.output  # no raw character classes
    assert len(result.output.splitlines()) <= 3  # the message, the query line, a caret
    result = invoke(cli, "sparql", "SELECT * WHERE { ?s :bar ?o }", "--store", str(built()))
    assert_clean_error(result, "the prefix : is not declared")


def test_a_syntax_error_keeps_only_the_first_line_and_points_at_it(cli) -> None:
    result = invoke(cli, "sparql", "SELECT ?x WHERE { ?x", "--store", str(built()))
    assert_clean_error(result, "invalid SPARQL at line 1, column 21", "expected one of")
    lines = result.output.splitlines()
    assert lines[1].strip() == "SELECT ?x WHERE { ?x" and lines[2].strip() == "^"
    assert "\\u{" not in result.output


# --------------------------------------------------------------------------- tables and pipes


def test_a_table_is_not_wrapped_when_piped(cli) -> None:
    """CliRunner's stdout is not a terminal: every row stays on one line, IRIs and names whole."""
    result = invoke(
        cli, "query", "sensitive-flows", "-p", "sensitivity=特定個人情報", "--store", str(built())
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[-1] == "7 rows"
    rows = lines[2:-1]
    assert len(rows) == 7
    assert all(row.startswith("kg:SpecificPersonalInformation ") for row in rows)
    assert sum("kid:131041/2020/connection/4/party/1" in row for row in rows) == 1
    assert sum("公益社団法人国民健康保険中央会" in row for row in rows) == 3
    assert max(len(line) for line in lines) > 80


def test_wrapping_stays_for_a_terminal_and_alignment_for_wide_characters() -> None:
    from rich.cells import cell_len

    outcome = run_catalogue_query(LocalBackend.open(built()), catalogue()["departments-by-recipients"])
    folded = render_table(outcome, width=60).splitlines()
    assert max(cell_len(line) for line in folded) <= 60
    unwrapped = render_table(outcome).splitlines()
    rows = [line for line in unwrapped if line.startswith("kid:131041/department/")]
    assert len(rows) == 12
    # the second column starts at the same display column in every row, Japanese names or not
    starts = {cell_len(line[: line.index(line.split()[1], len(line.split()[0]))]) for line in rows}
    assert len(starts) == 1


# ------------------------------------------------------------------------------- parameters


def test_a_run_together_english_name_finds_its_category(cli) -> None:
    result = invoke(
        cli, "query", "recipients-of-category", "-p", "category=birthdate", "--store", str(built())
    )
    assert_clean_error(result, "unknown category 'birthdate'", "close matches: 生年月日")


@pytest.mark.parametrize(
    "name, param, expected",
    [
        (
            "sensitive-flows",
            "sensitivity=foo",
            ["valid values: ", "特定個人情報 (kg:SpecificPersonalInformation)"],
        ),
        (
            "connections-by-legal-basis",
            "decision_type=foo",
            ["了承 (kg:Acknowledgement)", "承認 (kg:Approval)"],
        ),
        (
            "data-subject-recipients",
            "subject_class=foo",
            # the data-subject classes are too many to list (subject-classes.ttl): how to list them
            ["are known", "ketsugo sparql", "kg:DataSubjectClass"],
        ),
    ],
)
def test_an_unknown_name_of_a_small_set_lists_the_valid_values(cli, name, param, expected) -> None:
    result = invoke(cli, "query", name, "-p", param, "--store", str(built()))
    assert_clean_error(result, *expected)


def test_an_unknown_name_of_a_large_set_says_how_to_list_them(cli) -> None:
    result = invoke(cli, "query", "recipients-of-category", "-p", "category=xyzzy", "--store", str(built()))
    # as many as ontology/categories.ttl defines (98 since kgc:my-number-card)
    from rdflib import RDF, Graph, Namespace

    from ketsugo.paths import ONTOLOGY_DIR

    scheme = Graph().parse(ONTOLOGY_DIR / "categories.ttl")
    known = len(set(scheme.subjects(RDF.type, Namespace("https://w3id.org/ketsugo#").DataItemCategory)))
    assert known >= 98
    assert_clean_error(result, f"{known} are known", "ketsugo sparql")


def test_a_period_ending_before_it_starts_exits_2(cli) -> None:
    result = invoke(
        cli, "query", "connections-started-between", "-p", "from=2021-01-01", "-p", "to=2020-01-01",
        "--store", str(built()),
    )  # fmt: skip
    assert_clean_error(result, "--param to=2020-01-01 is before --param from=2021-01-01")
    one_day = run_catalogue_query(
        LocalBackend.open(built()),
        catalogue()["connections-started-between"],
        {"from": "2020-04-01", "to": "2020-04-01"},
    )
    assert len(one_day.rows) == 7


def test_given_dates_and_texts_are_not_repeated_in_every_row() -> None:
    backend = LocalBackend.open(built())
    between = run_catalogue_query(
        backend, catalogue()["connections-started-between"], {"from": "2020-04-01", "to": "2021-03-31"}
    )
    assert between.variables[:2] == ["start_date", "municipality"]
    assert "from" not in between.variables and "to" not in between.variables
    found = run_catalogue_query(backend, catalogue()["search-connections"], {"text": "ワクチン"})
    assert "text" not in found.variables and found.rows


def test_the_my_number_flag_includes_the_reports_marks() -> None:
    """特定個人情報: ○ on No.4, 8, 9, 13, 16 (the report's column) and items on No.12 and 16 — the
    same six connections my-number-connections lists."""
    backend = LocalBackend.open(built())
    flows = run_catalogue_query(
        backend, catalogue()["sensitive-flows"], {"sensitivity": "特定個人情報"}
    ).records()
    assert sorted({row["connection_number"] for row in flows}) == [4, 8, 9, 12, 13, 16]
    marked = {row["connection_number"] for row in flows if row["flagged_by"] == "特定個人情報の有無"}
    by_item = {
        row["connection_number"]: row["as_written"] for row in flows if row["flagged_by"] == "項目区分"
    }
    assert marked == {4, 8, 9, 13, 16}
    assert by_item == {12: "マイナンバー", 16: "個人番号（マイナンバー）"}
    listed = run_catalogue_query(backend, catalogue()["my-number-connections"]).records()
    assert {row["connection_number"] for row in listed} == {row["connection_number"] for row in flows}
    everything = run_catalogue_query(backend, catalogue()["sensitive-flows"]).records()
    assert {r["connection_number"] for r in everything if r["flagged_by"] == "特定個人情報の有無"} == marked


def test_look_ups_bind_their_input_as_values_rows() -> None:
    """The look-up queries are fixed texts; what the user typed reaches them only as RDF terms."""
    from ketsugo.sparql import query as q

    calls: list[tuple[str, object, object]] = []

    class Recording(LocalBackend):
        def execute(self, text, bindings=None, rows=None):
            calls.append((text, bindings, rows))
            return super().execute(text, bindings, rows)

    backend = Recording(LocalBackend.open(built()).store)
    typed = '生年" } UNION { ?s ?p ?o'
    with pytest.raises(QueryError, match="unknown category"):
        q.resolve_named(backend, "category", typed)
    assert q.resolve_named(backend, "category", "誕生日").endswith("date-of-birth")
    assert calls
    for text, _, rows in calls:
        assert text in (q._THINGS_BY_IRI, q._THINGS_BY_LABEL, q._THINGS_OF_TYPE)
        assert typed not in text and "誕生日" not in text
        assert rows and all(isinstance(t, ox.NamedNode | ox.Literal) for row in rows for t in row.values())
    assert any(ox.Literal(typed, language="ja") in row.values() for _, _, rows in calls for row in rows)


def test_no_rows_bind_no_solution() -> None:
    outcome = run(LocalBackend.open(built()), "SELECT ?c WHERE { ?c a kg:Connection }", rows=[])
    assert outcome.rows == []


# ------------------------------------------------------------------------------------- -o FILE


def test_query_and_sparql_write_a_file_with_o(cli, tmp_path) -> None:
    out = tmp_path / "out" / "recipients.csv"
    result = invoke(
        cli, "query", "recipients-of-category", "-p", "category=生年月日", "--format", "csv", "-o", str(out),
        "--store", str(built()),
    )  # fmt: skip
    assert result.exit_code == 0 and result.stdout == ""
    assert f"wrote {out} (8 rows)" in result.stderr
    data = out.read_bytes()
    assert data.startswith(b"category,recipient,") and data.count(b"\r\n") == 9
    assert sorted(p.name for p in out.parent.iterdir()) == ["recipients.csv"]  # no temporary left

    table = tmp_path / "table.txt"
    result = invoke(
        cli, "sparql", "SELECT ?b WHERE { ?c kg:businessName ?b }", "-o", str(table), "--store", str(built())
    )
    assert result.exit_code == 0 and result.stdout == ""
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "22 rows" and "新型コロナウイルスワクチン接種事務運営業務" in table.read_text(
        encoding="utf-8"
    )

    graph = tmp_path / "mhlw.ttl"
    result = invoke(cli, "sparql", "DESCRIBE kid:org\\/mhlw", "-o", str(graph), "--store", str(built()))
    assert result.exit_code == 0
    assert any(
        "厚生労働省" in t.object.value
        for t in ox.parse(path=str(graph), format=ox.RdfFormat.TURTLE)
        if isinstance(t.object, ox.Literal)
    )


def test_o_into_a_file_that_is_not_a_folder_exits_2(cli, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = invoke(cli, "query", "summary-table", "-o", str(blocker / "out.csv"), "--store", str(built()))
    assert_clean_error(result, "is a file, not a folder")


def test_a_failed_query_leaves_no_output_file(cli, tmp_path) -> None:
    out = tmp_path / "out.csv"
    result = invoke(
        cli,
        "query",
        "recipients-of-category",
        "-p",
        "category=nothing-like-it",
        "-o",
        str(out),
        "--store",
        str(built()),
    )
    assert result.exit_code == 2 and not out.exists()


# --------------------------------------------------------------------------------- one of each


def test_one_runner_serves_the_sparql_shorthand() -> None:
    from ketsugo.sparql import query
    from ketsugo.sparql import select as sparql
    from ketsugo.store.disk import open_store

    table = sparql.select(
        open_store(built()),
        "SELECT ?n WHERE { ?c kg:connectionNumber ?n } ORDER BY ?n LIMIT 2",
    )
    assert isinstance(table, query.Outcome) and table.variables == ["n"]
    assert table.records() == [{"n": 1}, {"n": 2}]
    assert sparql.to_python is query.to_python
    with pytest.raises(QueryError, match="not a SELECT"):
        sparql.select(open_store(built()), "ASK { ?s ?p ?o }")
    assert not hasattr(query, "select") and not hasattr(query, "require_build")


def test_prefixes_are_declared_once() -> None:
    from ketsugo import prefixes
    from ketsugo.check import validate
    from ketsugo.sparql import query
    from ketsugo.sparql import select as sparql

    assert query.DEFAULT_PREFIXES is prefixes.PREFIXES
    assert sparql.DEFAULT_PREFIXES is prefixes.PREFIXES
    assert str(validate.KGSH) == prefixes.KGSH
    for module in (query, validate):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert '"https://w3id.org/ketsugo#"' not in source and '"https://w3id.org/dpv#"' not in source


def test_validate_converts_terms_with_the_stores_function() -> None:
    from ketsugo.check import validate
    from ketsugo.store import disk as store

    assert validate.to_oxigraph is getattr(store, "to_term", getattr(store, "_term", None))


@pytest.mark.parametrize(
    "error, status",
    [
        ("ketsugo.errors:InputError", 2),
        ("ketsugo.sparql.query:QueryError", 2),
        ("ketsugo.sparql.catalogue:CatalogueError", 2),
        ("ketsugo.sparql.server:PortInUseError", 2),
        ("ketsugo.sparql.query:EndpointError", 1),
        ("ketsugo.sparql.server:ServerError", 1),
    ],
)
def test_one_error_handler_for_every_command(error: str, status: int) -> None:
    import importlib

    import click

    from ketsugo.cli.common import handle_errors
    from ketsugo.errors import Issue

    module, name = error.split(":")
    kind = getattr(importlib.import_module(module), name)
    problem = kind(Issue("f.txt", 3, "項目", "bad")) if name == "InputError" else kind("bad")

    @click.command()
    @handle_errors
    def command() -> None:
        raise problem

    result = CliRunner().invoke(command, [])
    assert result.exit_code == status
    assert result.output.startswith("error: ") and "bad" in result.output and "Traceback" not in result.output


def test_query_and_validate_commands_share_the_handler_and_the_store_option() -> None:
    import ketsugo.cli.query
    import ketsugo.cli.validate

    for module in (ketsugo.cli.query, ketsugo.cli.validate):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "from ketsugo.cli.common import" in source
        assert "def query_errors" not in source and "input_errors" not in source
        assert '"--store",' not in source  # the one store_option


def test_a_long_one_line_query_is_text_not_a_file_name(cli) -> None:
    """Over 255 bytes a query cannot be a file name; the OS refuses to stat it — it is still a query."""
    text = "SELECT ?n WHERE { ?c kg:connectionNumber ?n FILTER(?n < 3) } ORDER BY ?n " + "#" * 300
    result = invoke(cli, "sparql", text, "--store", str(built()), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", "1", "2"]
