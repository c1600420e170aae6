"""The query catalogue: `#+` headers, parameters, `ketsugo query --list`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.paths import QUERIES_DIR
from ketsugo.sparql.catalogue import (
    CatalogueError,
    catalogue,
    get,
    load_query,
    parse_header,
    select_projection,
)


@pytest.fixture(scope="module")
def cli():
    import ketsugo.cli.main

    ketsugo.cli.main._register_optional_commands()
    return ketsugo.cli.main.cli


def test_the_catalogue_has_at_least_15_queries_each_with_summaries() -> None:
    queries = catalogue()
    assert len(queries) >= 15
    for query in queries.values():
        assert query.summary_ja and query.summary_en, query.name
        assert any("\u3040" <= c <= "\u9fff" for c in query.summary_ja), f"{query.name}: ja summary"
        assert query.description, query.name
        assert query.tags, query.name


def test_every_parameter_is_projected_and_typed() -> None:
    for query in catalogue().values():
        projection = select_projection(query.text)
        for parameter in query.parameters:
            assert projection is not None and parameter.name in projection, (query.name, parameter.name)
            assert parameter.example, (query.name, parameter.name)


def test_the_two_original_queries_keep_their_shape() -> None:
    assert [p.name for p in catalogue()["recipients-of-category"].parameters] == ["category"]
    assert catalogue()["recipients-of-category"].parameters[0].type == "category"
    assert catalogue()["flows"].parameters == ()


def test_the_header_is_yaml() -> None:
    """Read by PyYAML's safe loader (the hand-written YAML subset parser is gone)."""
    text = """#+ summary:
#+   ja: 日本語 # a comment
#+   en: "Quoted: with colon"
#+ description: >
#+   folded
#+   lines
#+
#+   new paragraph
#+ literal: |
#+   keep
#+    this
#+ tags: [a, "b c", 3]
#+ empty: []
#+ parameters:
#+   - name: x
#+     type: date
#+     default: "2020-04-01"
#+   - name: y
#+     required: false
#+ iri: https://w3id.org/ketsugo#Foo
SELECT ?x ?y WHERE { ?x ?p ?y }
"""
    data = parse_header(text)
    assert data["summary"] == {"ja": "日本語", "en": "Quoted: with colon"}
    assert data["description"] == "folded lines\nnew paragraph\n"
    assert data["literal"] == "keep\n this\n"
    assert data["tags"] == ["a", "b c", 3]
    assert data["empty"] == []
    assert data["parameters"] == [
        {"name": "x", "type": "date", "default": "2020-04-01"},
        {"name": "y", "required": False},
    ]
    assert data["iri"] == "https://w3id.org/ketsugo#Foo"
    import ketsugo.sparql.catalogue

    assert not hasattr(ketsugo.sparql.catalogue, "parse_yaml_subset")


def test_an_unquoted_date_default_stays_the_date_written(tmp_path: Path) -> None:
    path = tmp_path / "dated.rq"
    path.write_text(
        "#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: d\n#+     type: date\n"
        "#+     default: 2020-04-01\n#+     example: 2021-03-31\nSELECT ?d WHERE { ?x ?p ?d }\n",
        encoding="utf-8",
    )
    parameter = load_query(path).parameters[0]
    assert (parameter.default, parameter.example, parameter.required) == ("2020-04-01", "2021-03-31", False)


@pytest.mark.parametrize(
    "header, message",
    [
        ("#+ summary:\n#+   ja: x\n", "summary"),
        (
            "#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: z\n#+     type: nonsense\n",
            "unknown type",
        ),
        ("#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: notprojected\n", "projection"),
        ("#+ summary: [\n", "not valid YAML"),
        ("#+ summary:\n#+   ja: あ\n#+   ja: い\n#+   en: a\n", "duplicate key 'ja'"),
        ("#+ summary: a: b\n", "header line 1"),
        ("#+ - a list\n", "must be a mapping"),
        ("SELECT * {}\n", "no `#\\+` header"),
        (
            "#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: x\n#+     colum: false\n",
            "unknown key",
        ),
        (
            "#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: x\n#+     column: nope\n",
            "true or false",
        ),
        (
            "#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: x\n#+     type: date\n"
            "#+     not_before: p\n",
            "not_before",
        ),
    ],
)
def test_malformed_headers_are_rejected(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(header + "SELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        load_query(path)


def test_unknown_query_names_suggest_close_ones() -> None:
    with pytest.raises(CatalogueError, match="recipients-of-category"):
        get("recipients-of-categroy")
    with pytest.raises(CatalogueError):
        get("../pyproject")


def test_list_prints_names_summaries_and_parameters(cli) -> None:
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0, result.output
    for query in catalogue().values():
        assert query.name in result.output
        assert query.summary_ja in result.output
        assert query.summary_en in result.output
    assert "--param category (category), e.g. 生年月日" in result.output
    assert "--param from (date)" in result.output


def test_list_as_json(cli) -> None:
    result = CliRunner().invoke(cli, ["query", "--list", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {q["name"] for q in data} == set(catalogue())
    recipients = next(q for q in data if q["name"] == "recipients-of-category")
    assert recipients["parameters"][0]["example"] == "生年月日"


def test_every_file_in_queries_is_in_the_catalogue() -> None:
    assert sorted(p.stem for p in QUERIES_DIR.glob("*.rq")) == sorted(catalogue())


HEADER_X = "#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: x\n#+     type: string\n"


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "SELECT ?x ?s WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?q ?x } } }",
            r"\?x is used inside a sub-SELECT",
        ),
        (
            "SELECT ?x ?s WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?q ?o FILTER(?o = $x) } GROUP BY ?s } }",
            "inside a sub-SELECT",
        ),
        (
            "SELECT ?x ?s WHERE { { ?s ?p ?o FILTER(?o = ?x) } UNION { ?s ?q ?o } }",
            "in a FILTER inside a nested group",
        ),
        (
            "SELECT ?x ?s WHERE { { ?s ?p ?o FILTER CONTAINS(?o, ?x) } UNION { ?s ?q ?o } }",
            "in a FILTER inside a nested group",
        ),
        ("SELECT ?x ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?r ?v BIND(?x AS ?y) } }", "in a BIND"),
        ("SELECT ?x ?s WHERE { ?s ?p ?o MINUS { ?s ?r ?v FILTER(?v = ?x) } }", "nested group"),
    ],
)
def test_a_parameter_out_of_reach_of_a_values_block_is_rejected(
    tmp_path: Path, body: str, message: str
) -> None:
    """Remote endpoints bind by a top-level VALUES block: it does not reach into a sub-SELECT or
    into an expression of a nested group, so such a query could answer differently there."""
    path = tmp_path / "scoped.rq"
    path.write_text(HEADER_X + body + "\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        load_query(path)


@pytest.mark.parametrize(
    "body",
    [
        "SELECT ?x ?s WHERE { ?s ?p ?o FILTER(?o = ?x) }",  # top-level FILTER
        "SELECT ?x ?s WHERE { { ?s ?p ?x } UNION { ?s ?q ?x } }",  # triple patterns in branches: joined
        "SELECT ?x ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?r ?v FILTER(?v = ?x) } }",  # the left-join condition
        "SELECT ?x ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s ?r ?x } }",
        "SELECT ?x ?s WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?q ?xy } } FILTER(?o = ?x) }",
        "SELECT ?x ?s WHERE { ?s ?p ?o BIND(CONCAT(?o, ?x) AS ?y) }",
    ],
)
def test_a_parameter_where_both_bindings_agree_is_accepted(tmp_path: Path, body: str) -> None:
    path = tmp_path / "fine.rq"
    path.write_text(HEADER_X + body + "\n", encoding="utf-8")
    assert load_query(path).parameters[0].name == "x"


GROUPED = (
    "SELECT ?x ?s ?n WHERE { { SELECT ?x ?s (COUNT(?o) AS ?n) WHERE { ?s ?x ?o } GROUP BY ?x ?s } "
    "OPTIONAL { ?s <urn:label> ?l } }"
)


def test_a_parameter_used_only_in_a_projecting_sub_select_is_bound_there(tmp_path: Path) -> None:
    """Bound inside the sub-SELECT (before it groups), not at the top where it would only filter
    the finished groups; the answer is the one a top-level binding gives."""
    import pyoxigraph as ox

    from ketsugo.sparql.text import bind_by_values, binding_brace

    path = tmp_path / "grouped.rq"
    path.write_text(HEADER_X + GROUPED + "\n", encoding="utf-8")
    assert load_query(path).parameters[0].name == "x"
    assert binding_brace(GROUPED, ["x"]) == GROUPED.index("WHERE { ?s ?x ?o }") + len("WHERE ")
    p, q = ox.NamedNode("urn:p"), ox.NamedNode("urn:q")
    store = ox.Store()
    for subject, predicate, count in [("urn:a", p, 2), ("urn:a", q, 1), ("urn:b", q, 3)]:
        for i in range(count):
            store.add(ox.Quad(ox.NamedNode(subject), predicate, ox.Literal(str(i))))
    bound = bind_by_values(GROUPED, {"x": q})
    assert bound.index("VALUES") > bound.index("SELECT ?x ?s (COUNT")
    answer = sorted((r["s"].value, r["n"].value) for r in store.query(bound))
    assert answer == [("urn:a", "1"), ("urn:b", "3")]  # counted by hand from the quads above
    on_top = GROUPED.replace("WHERE { {", "WHERE { VALUES ?x { <urn:q> } {", 1)
    assert sorted((r["s"].value, r["n"].value) for r in store.query(on_top)) == answer


@pytest.mark.parametrize(
    "body, message",
    [
        # used in the sub-SELECT and at the top: bound at the top, out of the sub-SELECT's reach
        (
            "SELECT ?x ?s WHERE { { SELECT ?x ?s WHERE { ?s ?x ?o } } FILTER(?s != ?x) }",
            "inside a sub-SELECT",
        ),
        # bound in the sub-SELECT, used there in a FILTER of a nested group
        (
            "SELECT ?x ?s WHERE { { SELECT ?x ?s WHERE { ?s ?x ?o { ?o ?r ?v FILTER(?v = ?x) } UNION { ?o ?t ?v } } } }",
            "in a FILTER inside a nested group",
        ),
    ],
)
def test_a_sub_select_binding_keeps_the_rules(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "scoped.rq"
    path.write_text(HEADER_X + body + "\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        load_query(path)


def test_columns_of_given_values_are_not_repeated(cli) -> None:
    """from/to and a search text are projected only because the engine needs them there."""
    query = catalogue()["connections-started-between"]
    assert [(p.name, p.column) for p in query.parameters] == [("from", False), ("to", False)]
    assert query.parameter("to").not_before == "from"
    assert "drops those two columns" in query.description
    assert catalogue()["search-connections"].parameter("text").column is False
    assert catalogue()["recipients-of-category"].parameter("category").column is True


def test_pyyaml_is_a_declared_dependency() -> None:
    import tomllib

    with (QUERIES_DIR.parent / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    assert any(d.lower().replace(" ", "").startswith("pyyaml>=6") for d in dependencies)


def test_list_prints_summary_description_tags_and_parameters() -> None:
    from click.testing import CliRunner

    from ketsugo.cli.main import _register_optional_commands, cli

    _register_optional_commands()
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0, result.output
    block = result.output.split("recipients-of-category", 1)[1].split("\n\n")[0]
    assert (
        "ある種類の個人データを受け取る相手方" in block and "Recipients of a personal-data category" in block
    )
    assert "[recipients, categories]" in result.output.split("recipients-of-category", 1)[1].splitlines()[0]
    assert "appears once per connection, marked unnamed" in " ".join(block.split())
    assert "--param category" in block


# Queries about flows to outside parties: those naming a recipient, counterparty or company.
PARTY_COLUMNS = re.compile(r"^(recipient|recipients|recipient_list|counterparty|company|party)$")


def test_every_flow_query_says_since_when_and_of_which_kind() -> None:
    """Who receives data *and since when*: a start date (or the earliest, `since`) and the kind of
    counterparty beside every recipient, so no one has to write SPARQL for it."""
    flow_queries = []
    for query in catalogue().values():
        projection = select_projection(query.text) or set()
        given = {p.name for p in query.parameters}  # a party the user names is not an answer
        if not any(PARTY_COLUMNS.match(c) for c in projection - given):
            continue
        flow_queries.append(query.name)
        assert projection & {"start_date", "since", "periods"}, f"{query.name}: no start date"
        kinds = {c for c in projection if re.search(r"_kinds?$", c)}
        assert kinds, f"{query.name}: no counterparty kind"
        if "start_date" in projection:
            assert "end_date" in projection, f"{query.name}: a start date but no end date (ended connections)"
    assert {
        "recipients-of-category",
        "my-number-connections",
        "sensitive-flows",
        "private-company-flows",
    } <= set(flow_queries)
    assert {"data-subject-recipients", "flows", "vulnerable-subject-flows"} <= set(flow_queries)
