"""A counterparty cell holding a party and its details (tests/cases/user9/takayama-2024: a new
user's report, its expectations written by hand before ketsugo was run on it).

The header 結合先（所在地・代表者） announces it: each cell is the party's name, then 所在地：… and
代表者：… on lines of their own. Those lines say where the party is and who represents it: details
of the party before them, never parties of their own — and a representative's name, written with
full-width spaces (代表取締役　森下　健一), is no list of parties. The same cell comes out of the
.txt (cells in double quotes over lines), the .xlsx (typed line breaks) and the .html (<br>).

And a company is shown as the report spells it: 飛騨印刷株式会社, not 株式会社飛騨印刷.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ketsugo.graph.partyrules import classify
from ketsugo.graph.reference import reference
from ketsugo.read.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "cases" / "user9" / "takayama-2024"
FORMS = ("txt", "xlsx", "html")

_SPEC = importlib.util.spec_from_file_location("score_variants", ROOT / "scripts" / "score_variants.py")
assert _SPEC is not None and _SPEC.loader is not None
score = sys.modules.get("score_variants") or importlib.util.module_from_spec(_SPEC)
if "score_variants" not in sys.modules:
    sys.modules["score_variants"] = score
    _SPEC.loader.exec_module(score)


@cache
def _checks(form: str) -> tuple[Any, ...]:
    """The counterparty checks of scripts/score_variants.py for the case built from one form,
    leniently (the case has day-less dates and ✕ marks the strict reader refuses)."""
    from rdflib import RDFS, Dataset

    from ketsugo.graph.quads import organisation_nquads
    from ketsugo.pipeline import build_report, resolve_metadata

    expected = tomllib.loads((CASE / "expected.toml").read_text(encoding="utf-8"))
    meta = resolve_metadata(CASE / f"report.{form}", "212032", None)
    one = build_report(meta, reference(), lenient=True)
    named = Dataset()
    named.parse(data=organisation_nquads(one.result.organisations).decode(), format="nquads")
    graph = score._reference_graph()
    own = [*one.result.graph, *((s, p, o) for s, p, o, _ in named.quads((None, None, None, None)))]
    added = [triple for triple in dict.fromkeys(own) if triple not in graph]
    for triple in added:
        graph.add(triple)
    built = score.Built(graph, "212032", one.result.fiscal_year, [], added=added)
    result = score.CaseResult(f"user9 {form}")
    try:
        score._connection_checks(result, expected, built)
        score._entity_checks(result, expected, built)
        labels = {str(o) for _, _, o, _ in named.quads((None, RDFS.label, None, None))}
    finally:
        built.release()
    wanted = [c for c in result.checks if c.field.startswith(("counterpart", "one node", "distinct"))]
    return tuple(wanted), frozenset(labels)


@pytest.mark.parametrize("form", FORMS)
def test_each_cell_is_one_party_with_its_details(form: str) -> None:
    """9 connections and the change of row 5 (変更), one party each, of the kind read by hand;
    株式会社飛騨ソフトウェア one node."""
    checks, _ = _checks(form)
    assert len(checks) == (9 + 1) * 2 + 2
    wrong = [c for c in checks if not c.ok]
    assert not wrong, "\n".join(c.line() for c in wrong)


@pytest.mark.parametrize("form", FORMS)
def test_companies_are_labelled_as_the_report_spells_them(form: str) -> None:
    _, labels = _checks(form)
    assert {
        "株式会社飛騨ソフトウェア",
        "株式会社ペイネクスト",
        "株式会社ひだネット",
        "飛騨印刷株式会社",
    } <= labels
    assert "株式会社飛騨印刷" not in labels


# --- the built store: the details kept, no person a party, the company as written ------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ketsugo.cli.main import _register_optional_commands, cli

    _register_optional_commands()
    out = tmp_path_factory.mktemp("takayama") / "build"
    args = ["build", str(CASE / "report.xlsx"), "--municipality", "212032", "--lenient", "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "-j", "1"])
    assert result.exit_code == 0, result.output
    _build_output[str(out)] = result.output
    return out


_build_output: dict[str, str] = {}


def _cli(*args: str) -> str:
    from ketsugo.cli.main import cli

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_details_are_kept_as_written_on_the_party(built: Path) -> None:
    """The address and the representative stay on the party they describe (kg:asWritten)."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(built / "store"))
    query = """PREFIX kg: <https://w3id.org/ketsugo#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?w WHERE { ?c kg:connectionNumber 4 ; <https://w3id.org/dpv#hasRecipient> ?p .
        ?p kg:asWritten ?w }"""
    written = {normalize(r[0].value) for r in store.query(query, use_default_graph_as_union=True)}
    assert any(
        "所在地:岐阜県高山市昭和町三丁目100番地" in w and "代表取締役 森下 健一" in w for w in written
    ), written


def test_no_person_is_a_recipient(built: Path) -> None:
    """Eight organisations read by hand (飛騨ソフトウェア twice): the build counts them, and the
    briefing lists no representative and no 所在地 line as a recipient (the cell as written may
    show them)."""
    assert "8 recipients (8 named organisations, 0 unnamed)" in _build_output[str(built)]
    out = built.parent / "briefing.md"
    _cli("export", "briefing", "--store", str(built), "--format", "md", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    listed, under = [], False  # the bold names under each connection's 結合の相手方 / Recipients
    for line in text.splitlines():
        under = "Recipients**:" in line or (under and line.startswith("  "))
        found = re.match(r"  - \*\*(.+?)\*\* — ", line) if under else None
        listed += [found[1]] if found else []
    assert len(set(listed)) == 8, listed
    for fragment in ("森下", "健一", "山口", "英樹", "美和", "野村", "代表者", "所在地"):
        assert not any(fragment in name for name in listed), fragment
    assert "飛騨印刷株式会社" in listed
    assert "株式会社飛騨印刷" not in text


def test_flows_name_the_company_as_written(built: Path) -> None:
    out = built.parent / "flows.csv"
    _cli("export", "flows", "--store", str(built), "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    text = out.read_text(encoding="utf-8-sig")
    assert "飛騨印刷株式会社" in text and "株式会社飛騨印刷" not in text
    assert not any(v and ("森下" in v or "所在地" in v) for row in rows for v in row.values())


# --- the rules, cell by cell ----------------------------------------------------------------------


def _parties(cell: str) -> list[str]:
    found, _ = reference().registry.counterparties(cell)
    return [normalize(p.as_written) for p in found]


@pytest.mark.parametrize(
    ("cell", "parties"),
    [
        # lines joined by a space (a typed line break in Excel or HTML)
        ("株式会社Ａ商事 所在地：東京都千代田区一番町1-1 代表者：代表取締役　山田　太郎", 1),
        # lines joined by 、 (a quoted cell of a text copied out of a spreadsheet)
        ("株式会社Ａ商事、所在地：東京都千代田区一番町1-1、代表者：代表取締役　山田　太郎", 1),
        # an address with spaces in it, local governments among its pieces
        ("地方公共団体情報システム機構 住所：東京都 千代田区 一番町25番地", 1),
        ("株式会社Ａ商事（法人番号：1234567890123）", 1),
        ("株式会社Ａ商事 電話番号：03-1234-5678 担当：情報システム課 鈴木", 1),
        ("委託先：株式会社Ａ商事 所在地：東京都千代田区一番町1-1", 1),
        # two parties, each with its details
        (
            "株式会社Ａ商事、所在地：東京都千代田区一番町1-1、代表者：代表取締役　山田　太郎、Ｂ物産株式会社、所在地：大阪市北区1-1",
            2,
        ),
        (
            "株式会社Ａ商事 所在地：東京都千代田区一番町1-1 代表者：代表取締役 山田 太郎 Ｂ物産株式会社 代表者：代表取締役 佐藤 花子",
            2,
        ),
        ("岐阜県国民健康保険団体連合会 代表者：理事長 野村 一郎 デジタル庁 代表者：デジタル大臣", 2),
        # a label before a name with a legal form names a party (a consortium's 代表)
        ("株式会社Ａ商事 所在地：東京都千代田区一番町1-1 代表：Ｂ物産株式会社", 2),
    ],
)
def test_details_join_the_party_before_them(cell: str, parties: int) -> None:
    found = _parties(cell)
    assert len(found) == parties, found
    assert found[0].startswith(
        ("株式会社A商事", "委託先", "地方公共団体情報システム機構", "岐阜県国民健康保険団体連合会")
    )


def test_a_detail_ending_with_hoka_is_no_open_ended_party() -> None:
    found, _ = reference().registry.counterparties("株式会社Ａ商事 担当：情報システム課ほか")
    assert len(found) == 1 and not found[0].open_ended


def test_details_do_not_change_who_the_party_is() -> None:
    found, _ = reference().registry.counterparties(
        "Ｂ物産株式会社 所在地：大阪市北区1-1 代表者：代表取締役 佐藤 花子"
    )
    plain, _ = reference().registry.counterparties("Ｂ物産株式会社")
    assert [p.organisation for p in found] == [p.organisation for p in plain]
    assert found[0].organisation is not None


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("飛騨印刷株式会社", "飛騨印刷株式会社"),
        ("株式会社飛騨印刷", "株式会社飛騨印刷"),
        ("ＡＢＣ（株）", "ABC(株)"),
    ],
)
def test_label_is_the_spelling_as_written(written: str, label: str) -> None:
    found = classify(written)
    assert found is not None
    assert found.label == label


def test_one_node_for_every_spelling_still() -> None:
    keys = {classify(s).key for s in ("㈱ABC", "（株）ＡＢＣ", "ABC株式会社")}  # type: ignore[union-attr]
    assert len(keys) == 1


@pytest.mark.parametrize(
    ("spellings", "label"),
    [
        # two reports, one company (tests/cases/cross): the one written in full
        ({"(株)ミライ計算センター": 1, "株式会社ミライ計算センター": 1}, "株式会社ミライ計算センター"),
        # tests/cases/variants/kurashiki-2021: ㈱ABC, （株）ＡＢＣ and ABC株式会社
        ({"(株)ABC": 3, "ABC株式会社": 2}, "ABC株式会社"),
        # all abbreviated: the most frequent, then the first met
        ({"ABC(株)": 1, "(株)ABC": 2}, "(株)ABC"),
        ({"ABC(株)": 1, "(株)ABC": 1}, "ABC(株)"),
    ],
)
def test_label_is_one_of_the_spellings(spellings: dict[str, int], label: str) -> None:
    from ketsugo.graph.orgnames import label_among

    assert label_among(spellings) == label
