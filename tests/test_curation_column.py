"""A curation note names the column the words stand in.

tests/cases/user14b/hakone-2023/report.txt (FY2023 part), line 23: No.7 cites 学校教育法第19条 in its
根拠法令 column, beside a 審議会 column (read by hand). The registry lacks 学校教育法: the note must
name 根拠法令, where a reader finds it — it named the council's column (審議会).
"""

from __future__ import annotations

from pathlib import Path

import ketsugo

REPORT = Path(__file__).parent / "cases" / "user14b" / "hakone-2023" / "report.txt"


def test_a_law_missing_from_the_registry_is_noted_at_its_own_column() -> None:
    kg = ketsugo.build(REPORT, municipality="143821", fiscal_year=2023)
    notes = [i for i in kg.issues if "学校教育法" in i.message and "registry" in i.message]
    assert [(n.line, n.field) for n in notes] == [(23, "根拠法令")]
