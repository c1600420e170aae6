"""The query catalogue: `#+` headers, parameters, `ketsugo query --list`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.catalogue import (
    CatalogueError,
    catalogue,
    get,
    load_query,
    parse_yaml_subset,
    select_projection,
)
from ketsugo.paths import QUERIES_DIR


@pytest.fixture(scope="module")
def cli():
    import ketsugo.cli

    ketsugo.cli._register_optional_commands()
    return ketsugo.cli.cli


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


def test_yaml_subset() -> None:
    text = """summary:
  ja: 日本語 # a comment
  en: "Quoted: with colon"
description: >
  folded
  lines

  new paragraph
literal: |
  keep
   this
tags: [a, "b c", 3]
empty: []
parameters:
  - name: x
    type: date
    default: 2020-04-01
  - name: y
    required: false
iri: https://w3id.org/ketsugo#Foo
"""
    data = parse_yaml_subset(text)
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


@pytest.mark.parametrize(
    "header, message",
    [
        ("#+ summary:\n#+   ja: x\n", "summary"),
        (
            "#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: z\n#+     type: nonsense\n",
            "unknown type",
        ),
        ("#+ summary:\n#+   ja: あ\n#+   en: a\n#+ parameters:\n#+   - name: notprojected\n", "projection"),
        ("#+ summary: [\n", "unterminated"),
        ("SELECT * {}\n", "no `#\\+` header"),
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
