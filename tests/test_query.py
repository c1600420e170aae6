"""`ketsugo query` and `ketsugo sparql` on the embedded store: parameters, formats, errors."""

from __future__ import annotations

import csv
import io
import json
from functools import cache

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ketsugo.sparql.catalogue import catalogue
from ketsugo.sparql.query import (
    LocalBackend,
    QueryError,
    bind_by_values,
    query_form,
    run,
    run_catalogue_query,
    where_brace,
)
from tests.test_query_support import built


@pytest.fixture(scope="module")
def cli():
    import ketsugo.cli.main

    ketsugo.cli.main._register_optional_commands()
    return ketsugo.cli.main.cli


@pytest.fixture(scope="module")
def store_dir():
    return built()


@cache
def backend() -> LocalBackend:
    return LocalBackend.open(built())


def invoke(cli, *args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# -------------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    "spelling",
    [
        "生年月日",
        "Date of birth",
        "date of birth",
        "誕生日",
        "date-of-birth",
        "kgc:date-of-birth",
        "https://w3id.org/ketsugo/id/category/date-of-birth",
        "<https://w3id.org/ketsugo/id/category/date-of-birth>",
        "  生年月日  ",
        "ＤＡＴＥ－ＯＦ－ＢＩＲＴＨ",
    ],
)
def test_a_category_by_any_of_its_names(spelling: str) -> None:
    query = catalogue()["recipients-of-category"]
    reference = run_catalogue_query(backend(), query, {"category": "生年月日"})
    outcome = run_catalogue_query(backend(), query, {"category": spelling})
    assert outcome.rows == reference.rows
    assert len(outcome.rows) == 8


def test_an_unknown_category_exits_2_listing_close_matches(cli, store_dir) -> None:
    result = invoke(
        cli, "query", "recipients-of-category", "--store", str(store_dir), "-p", "category=生年月"
    )
    assert result.exit_code == 2
    assert "unknown category '生年月'" in result.output
    assert "生年月日 <https://w3id.org/ketsugo/id/category/date-of-birth>" in result.output


@pytest.mark.parametrize(
    "value",
    ['生年月日" } UNION { ?s ?p ?o } #', "} ; DROP ALL", "SELECT * WHERE { ?s ?p ?o }", "<urn:x> ?p ?o", "'"],
)
def test_hostile_category_values_are_unknown_names(cli, store_dir, value: str) -> None:
    result = invoke(
        cli, "query", "recipients-of-category", "--store", str(store_dir), "-p", f"category={value}"
    )
    assert result.exit_code == 2
    assert "unknown category" in result.output


@pytest.mark.parametrize(
    "value",
    ['") } UNION { ?s ?p ?o } #', "' } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o", '"""', "\\", "}}}{{{"],
)
def test_hostile_text_matches_nothing(value: str) -> None:
    outcome = run_catalogue_query(backend(), catalogue()["search-connections"], {"text": value})
    assert outcome.rows == []


def test_bound_terms_are_only_terms() -> None:
    """Bound directly as terms (no look-up), quotes and braces in a literal or IRI match nothing."""
    query = catalogue()["recipients-of-category"].text
    for term in (ox.Literal('生年月日" } UNION { ?s ?p ?o } #'), ox.NamedNode("urn:x:%7D%20UNION")):
        assert run(backend(), query, {"category": term}).rows == []
        assert "VALUES (?category)" in bind_by_values(query, {"category": term})


def test_a_counterparty_by_name_alias_kind_or_iri() -> None:
    query = catalogue()["categories-of-counterparty"]
    mhlw = run_catalogue_query(backend(), query, {"counterparty": "厚生労働省"}).rows
    for spelling in ("MHLW", "厚労省", "mhlw", "kid:org/mhlw", "https://w3id.org/ketsugo/id/org/mhlw"):
        assert run_catalogue_query(backend(), query, {"counterparty": spelling}).rows == mhlw
    lgwan = run_catalogue_query(backend(), query, {"counterparty": "LGWAN－ASPサービス事業者"})
    assert {row[0].value for row in lgwan.rows} == {"https://w3id.org/ketsugo#LGWANASPServiceProvider"}
    one = run_catalogue_query(
        backend(), query, {"counterparty": "https://w3id.org/ketsugo/id/131041/2020/connection/19/party/1"}
    )
    assert [row[2].value for row in one.rows] == ["内容不特定の項目"]


def test_an_unknown_counterparty_lists_close_matches() -> None:
    with pytest.raises(QueryError, match=r"unknown counterparty '国保'.*国民健康保険中央会"):
        run_catalogue_query(backend(), catalogue()["categories-of-counterparty"], {"counterparty": "国保"})


def test_missing_unknown_and_malformed_parameters_exit_2(cli, store_dir) -> None:
    base = ["--store", str(store_dir)]
    result = invoke(cli, "query", "connections-started-between", *base, "-p", "from=2020-04-01")
    assert result.exit_code == 2 and "--param to=" in result.output
    result = invoke(cli, "query", "summary-table", *base, "-p", "year=2020")
    assert result.exit_code == 2 and "no parameter year" in result.output
    result = invoke(
        cli, "query", "connections-started-between", *base, "-p", "from=R2.4.1", "-p", "to=2021-03-31"
    )
    assert result.exit_code == 2 and "not a date" in result.output
    result = invoke(cli, "query", "summary-table", *base, "-p", "nonsense")
    assert result.exit_code == 2
    result = invoke(cli, "query", "no-such-query", *base)
    assert result.exit_code == 2 and "no query named" in result.output
    result = invoke(cli, "query", "summary-table", "--store", str(store_dir / "nothing"))
    assert result.exit_code == 2 and "no ketsugo build" in result.output


def test_optional_parameters_may_be_left_out() -> None:
    query = catalogue()["sensitive-flows"]
    everything = run_catalogue_query(backend(), query, {})
    special = run_catalogue_query(backend(), query, {"sensitivity": "要配慮個人情報"})
    assert 0 < len(special.rows) < len(everything.rows)
    flags = {row[0].value.rsplit("#", 1)[1] for row in everything.rows}
    assert {
        "SpecialCarePersonalInformation",
        "ChildData",
        "WelfareInformation",
        "FinancialInformation",
    } <= flags


def test_disk_and_memory_modes_agree() -> None:
    disk = LocalBackend.open(built(), "disk")
    memory = LocalBackend.open(built(), "memory")
    for name, params in (("flows", {}), ("recipients-of-category", {"category": "氏名"})):
        query = catalogue()[name]
        assert (
            run_catalogue_query(disk, query, params).rows == run_catalogue_query(memory, query, params).rows
        )


# ---------------------------------------------------------------------------- query text


def test_where_brace_ignores_comments_strings_and_iris() -> None:
    text = '# { not here\nPREFIX x: <http://e/x#>\nSELECT ?where ("{" AS ?b) WHERE { ?a ?p "}" }'
    assert text[where_brace(text) :] == '{ ?a ?p "}" }'
    assert where_brace("SELECT * WHERE { { ?a ?b ?c } }") == 15
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert construct[where_brace(construct) :] == "{ ?s ?p ?o }"
    assert where_brace("ASK { ?s ?p ?o }") == 4


def test_query_forms() -> None:
    assert query_form("PREFIX a: <http://x/select#> ASK {}") == "ASK"
    assert query_form("# SELECT\nDESCRIBE <http://x>") == "DESCRIBE"
    with pytest.raises(QueryError, match="UPDATE"):
        query_form("INSERT DATA { <http://x> <http://y> <http://z> }")


# ----------------------------------------------------------------------------------- formats


def test_formats_follow_the_w3c_result_formats(cli, store_dir) -> None:
    args = ["query", "recipients-of-category", "--store", str(store_dir), "-p", "category=生年月日"]
    data = json.loads(invoke(cli, *args, "--format", "json").output)
    assert data["head"]["vars"][:3] == ["category", "recipient", "recipient_label"]
    first = data["results"]["bindings"][0]
    assert first["recipient"] == {"type": "uri", "value": "https://w3id.org/ketsugo/id/org/kokuho-chuokai"}
    assert first["recipient_label"] == {
        "type": "literal",
        "value": "公益社団法人国民健康保険中央会",
        "xml:lang": "ja",
    }
    assert first["connections"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"

    csv_bytes = invoke(cli, *args, "--format", "csv").stdout_bytes
    assert b"\r\n" in csv_bytes  # RFC 4180 line ends
    csv_text = csv_bytes.decode("utf-8")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][:3] == ["category", "recipient", "recipient_label"]
    assert rows[1][2] == "公益社団法人国民健康保険中央会" and len(rows) == 9

    tsv_text = invoke(cli, *args, "--format", "tsv").output
    lines = tsv_text.splitlines()
    assert lines[0].split("\t")[:2] == ["?category", "?recipient"]
    assert '"公益社団法人国民健康保険中央会"@ja' in lines[1]
    parsed = list(ox.parse_query_results(tsv_text, format=ox.QueryResultsFormat.TSV))
    assert len(parsed) == 8


def test_table_aligns_japanese(cli, store_dir) -> None:
    result = invoke(cli, "query", "departments-by-recipients", "--store", str(store_dir))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "医療保険年金課" in result.output and lines[-1] == "12 rows"
    from rich.cells import cell_len

    rows = [line for line in lines if line.startswith("kid:131041/department/")]
    assert len(rows) == 12
    # the second column (the department's name, after its IRI) starts at the same display column,
    # and so does the third, after the Japanese name
    starts = set()
    thirds = set()
    for line in rows:
        name = line.split()[0].rsplit("/", 1)[1]
        at = line.index(name, len(line.split()[0]))
        starts.add(cell_len(line[:at]))
        thirds.add(cell_len(line[: line.index("新宿区", at)]))
    assert len(starts) == 1 and len(thirds) == 1


def test_sparql_select_ask_construct_describe(cli, store_dir, tmp_path) -> None:
    base = ["--store", str(store_dir)]
    result = invoke(
        cli, "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Connection }", *base, "--format", "csv"
    )
    assert result.output.splitlines() == ["n", "22"]
    result = invoke(cli, "sparql", "ASK { kid:org\\/mhlw a kg:Organisation }", *base, "--format", "json")
    assert json.loads(result.output) == {"head": {}, "boolean": True}
    assert invoke(cli, "sparql", "ASK { kid:org\\/mhlw a kg:Nothing }", *base).output.strip() == "false"
    query_file = tmp_path / "q.rq"
    query_file.write_text(
        "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c kg:connectionNumber 12 ; rdfs:label ?l }", encoding="utf-8"
    )
    result = invoke(cli, "sparql", str(query_file), *base, "--format", "ntriples")
    assert result.exit_code == 0
    triples = list(ox.parse(result.output.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == 1 and "ワクチン" in triples[0].object.value
    result = invoke(cli, "sparql", "DESCRIBE <https://w3id.org/ketsugo/id/org/mhlw>", *base)
    assert result.exit_code == 0 and "厚生労働省" in result.output and "@prefix" in result.output
    result = invoke(cli, "sparql", "DELETE WHERE { ?s ?p ?o }", *base)
    assert result.exit_code == 2 and "UPDATE" in result.output
    result = invoke(cli, "sparql", "SELECT ?x WHERE { ?x", *base)
    assert result.exit_code == 2 and "invalid SPARQL" in result.output
    result = invoke(cli, "sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", *base, "--format", "turtle")
    assert result.exit_code == 2


def test_show_prints_the_query(cli) -> None:
    result = invoke(cli, "query", "flows", "--show")
    assert result.output == catalogue()["flows"].text


def test_default_prefixes_match_the_vocabulary() -> None:
    from ketsugo.graph.vocab import PREFIXES
    from ketsugo.sparql.select import DEFAULT_PREFIXES

    for name, namespace in PREFIXES.items():
        assert DEFAULT_PREFIXES[name] == str(namespace)


def test_sparql_select_for_export_still_works() -> None:
    from ketsugo.sparql.select import select
    from ketsugo.store.disk import open_store

    table = select(
        open_store(built()),
        catalogue()["recipients-of-category"].text,
        {"category": ox.NamedNode("https://w3id.org/ketsugo/id/category/date-of-birth")},
    )
    assert len(table.records()) == 8


def test_query_commands_do_not_import_rdflib() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ketsugo.cli.main; ketsugo.cli.main._register_optional_commands();"
        f"sys.argv=['ketsugo','query','summary-table','--store',{str(built())!r},'--format','json'];"
        "\ntry: ketsugo.cli.main.cli()\nexcept SystemExit: pass\n"
        "print('rdflib' in sys.modules, 'rich' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "False False"
    assert json.loads(result.stdout)["results"]["bindings"]
