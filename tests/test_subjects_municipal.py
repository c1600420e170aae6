"""Data-subject classes of 処理対象者 cells of many municipalities, against a hand-labelled fixture.

tests/expected/municipal-subjects.toml was written by hand, cell by cell, before the subject-class
registry (data/reference/subject-classes.ttl) was extended for it (see its header). Every cell
goes through the matcher the build uses (:meth:`ketsugo.graph.resolve.Registry.subject_classes`), and:

- at least 90 % of the cells get exactly the expected set of classes (a cell labelled ``[]`` is
  right when nothing matches: it is left for a curation note);
- every cell labelled vulnerable gets at least one class flagged kg:isVulnerable;
- every class the fixture names exists in the registry.

The misses are printed (``pytest -s``) so that the figure can be read and the registry improved.
"""

from __future__ import annotations

import tomllib
from functools import cache

import pytest
from rdflib import Literal, Namespace

from ketsugo.graph.reference import reference
from ketsugo.paths import ROOT

FIXTURE = ROOT / "tests" / "expected" / "municipal-subjects.toml"
KG = Namespace("https://w3id.org/ketsugo#")
SC = Namespace("https://w3id.org/ketsugo/id/subject-class/")
REQUIRED_SHARE = 0.90


@cache
def _subjects() -> list[tuple[str, str, frozenset[str], bool]]:
    """(business, text, expected slugs, vulnerable) for every fixture cell."""
    with FIXTURE.open("rb") as handle:
        data = tomllib.load(handle)
    return [
        (business["name"], item["text"], frozenset(item["classes"]), item.get("vulnerable", False))
        for business in data["business"]
        for item in business["subjects"]
    ]


def _slugs(text: str) -> frozenset[str]:
    return frozenset(str(c).removeprefix(str(SC)) for c in reference().registry.subject_classes(text))


@cache
def _vulnerable() -> frozenset[str]:
    graph = reference().graph
    return frozenset(str(c).removeprefix(str(SC)) for c in graph.subjects(KG.isVulnerable, Literal(True)))


def test_fixture_is_well_formed() -> None:
    subjects = _subjects()
    assert len(subjects) >= 120
    texts = [text for _, text, *_ in subjects]
    assert len(texts) == len(set(texts)), "a cell is listed twice"
    for _, _, expected, vulnerable in subjects:
        assert not vulnerable or expected


def test_fixture_names_known_classes() -> None:
    graph = reference().graph
    known = {str(c).removeprefix(str(SC)) for c in graph.subjects(None, KG.DataSubjectClass)}
    unknown = {slug for _, _, expected, _ in _subjects() for slug in expected} - known
    assert not unknown, f"fixture names classes the registry lacks: {sorted(unknown)}"


def test_subjects_mapped_exactly() -> None:
    subjects = _subjects()
    misses = [
        (business, text, sorted(expected), sorted(found))
        for business, text, expected, _ in subjects
        if (found := _slugs(text)) != expected
    ]
    share = 1 - len(misses) / len(subjects)
    report = "\n".join(f"  {b} {t}: expected {e}, got {f}" for b, t, e, f in misses)
    print(f"\n{share:.1%} of {len(subjects)} cells exactly right; misses:\n{report}")
    assert share >= REQUIRED_SHARE, f"{share:.1%} exactly right; misses:\n{report}"


@pytest.mark.parametrize(
    "text",
    [pytest.param(text, id=text) for _, text, _, vulnerable in _subjects() if vulnerable],
)
def test_vulnerable_subject_gets_a_vulnerable_class(text: str) -> None:
    found = _slugs(text)
    assert found & _vulnerable(), f"{text}: vulnerable, but its classes {sorted(found)} are not flagged"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("市民税・県民税の納税義務者", "registered-residents"),  # 市民 inside 市民税
        ("特別区民税の納税義務者", "registered-residents"),  # 区民 inside 特別区民税
        ("町民税の納税者", "registered-residents"),
        ("被保護者及び被保護者であった者", "guardians"),  # 保護者 inside 被保護者
        ("避難行動要支援者", "care-recipients"),  # 要支援者 of evacuation, not of long-term care
        ("国民年金第2号被保険者", "care-insured"),  # 第2号被保険者 of the pension, not of care
        ("中国残留邦人等", "foreign-residents"),  # 残留, not 在留
        ("介護保険事業者", "care-insured"),
        ("保育施設の利用者", "facility-users"),
    ],
)
def test_patterns_do_not_over_match(text: str, absent: str) -> None:
    assert absent not in _slugs(text)


@pytest.mark.parametrize("cell", ["住民", "市民", "区民", "町民", "村民", "住民全般", "全住民"])
def test_a_cell_that_is_only_the_residents_is_matched_whole(cell: str) -> None:
    """「住民」 alone (or 市民, 区民, …) means the municipality's residents; as a fragment it would also
    match 住民税 and 市民税, so it is matched only as the whole cell (kg:matchLabel)."""
    assert _slugs(cell) == {"registered-residents"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("市民税の納税義務者", {"taxpayers"}),
        ("住民税の納税義務者", {"taxpayers"}),
        ("市民活動団体の代表者", set()),
    ],
)
def test_the_whole_cell_labels_are_not_fragments(cell: str, expected: set[str]) -> None:
    assert _slugs(cell) == expected
