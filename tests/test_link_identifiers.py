"""Check digits in SHACL (shapes/identifiers.ttl) and in Python (ketsugo.export.link.identifiers) agree."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph

from ketsugo.check.validate import validate_graph
from ketsugo.export.link.identifiers import is_corporate_number, is_local_government_code

from .conftest import CASES


def test_bad_check_digits_are_violations() -> None:
    data = Graph().parse(CASES / "link" / "bad-identifiers.ttl", format="turtle")
    findings, _ = validate_graph(data, Graph(), report_file="bad.ttl")
    ours = [f for f in findings if "CheckDigit" in f.shape]
    assert Counter((f.severity, f.shape) for f in ours) == Counter(
        {
            ("Violation", "kgsh:CorporateNumberCheckDigitShape"): 1,
            ("Violation", "kgsh:LocalGovernmentCodeCheckDigitShape"): 1,
        }
    )
    text = " ".join(f.message_en for f in ours)
    assert "3011001012345" in text and "132038" in text
    assert "2011001012345" not in text and "132039" not in text


def test_python_rules() -> None:
    assert is_corporate_number("2011001012345") and not is_corporate_number("3011001012345")
    assert is_local_government_code("132039") and not is_local_government_code("132038")
    assert is_local_government_code("012050") and is_local_government_code("012131")  # check digits 0 and 1
