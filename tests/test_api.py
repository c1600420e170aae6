"""The library API (ketsugo.build / open_build and the KnowledgeGraph object): its documented
examples run as doctests, and each method agrees with what the report says."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import ketsugo
from ketsugo import api
from ketsugo.paths import CHECKOUT


def test_module_examples_run() -> None:
    failures, tried = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


@pytest.mark.skipif(CHECKOUT is None, reason="README.md is in the checkout only")
def test_readme_examples_run() -> None:
    assert CHECKOUT is not None
    result = doctest.testfile(
        str(CHECKOUT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted > 0 and result.failed == 0


def test_build_to_a_directory_then_open(tmp_path: Path, bundled_path: Path) -> None:
    out = tmp_path / "b"
    built = ketsugo.build([bundled_path], out)
    assert (out / "build.json").is_file()
    again = ketsugo.open_build(out)
    # No.11 of the bundled report: 保健予防課 → 厚生労働省, started R2.8.3
    rows = again.sparql("SELECT ?n ?d WHERE { ?c kg:connectionNumber ?n ; kg:startDate ?d }", n=11)
    assert [str(r["d"]) for r in rows] == ["2020-08-03"]
    assert built.reports == again.reports


def test_export_formats_are_text(bundled_path: Path, tmp_path: Path) -> None:
    kg = ketsugo.build([bundled_path])
    target = tmp_path / "flows.csv"
    csv_text = kg.export("csv", target)
    assert target.read_text(encoding="utf-8") == csv_text
    assert "SBプレイヤーズ株式会社" in csv_text  # No.21's counterparty
    assert kg.export("dot").lstrip().startswith(("digraph", "strict digraph"))
    with pytest.raises(ValueError, match="format must be one of"):
        kg.export("pdf")


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError):
        ketsugo.no_such_thing  # noqa: B018


def test_export_to_writes_the_flows_table_in_pieces(
    bundled_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export_to` gives the text `export` gives, written as it is made: many writes, not one."""
    import io

    from ketsugo.export import flowtable

    out = tmp_path / "b"
    kg = ketsugo.build([bundled_path], out)
    whole = kg.export("csv")
    monkeypatch.setattr(flowtable, "CHUNK_ROWS", 7)

    class Writes(io.StringIO):
        calls = 0

        def write(self, text: str) -> int:
            Writes.calls += 1
            return super().write(text)

    target = Writes()
    kg.export_to("csv", target)
    assert target.getvalue() == whole
    assert "SBプレイヤーズ株式会社" in whole  # No.21's counterparty
    assert Writes.calls > 10  # the bundled report's 22 connections give hundreds of rows, 7 at a time
    kg.export_to("nquads", tmp_path / "all.nq")
    assert (tmp_path / "all.nq").read_bytes() == (out / "graph.nq").read_bytes()
    with pytest.raises(ValueError, match="format must be one of"):
        kg.export_to("pdf", tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_build_takes_one_report_given_alone(tmp_path: Path) -> None:
    """`ketsugo.build("report.txt", …)`: a path given alone, not in a list, is that one report (a str
    is iterable: it was read one character at a time, "cannot read the file 't'")."""
    from ketsugo.read.metadata import bundled_reports

    report = bundled_reports()[0].path
    alone = ketsugo.build(str(report), municipality="131041")
    listed = ketsugo.build([report], municipality="131041")
    assert alone.reports == listed.reports
    assert len(alone.reports) == 1
