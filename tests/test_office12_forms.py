"""Every hand-read variant (tests/cases/variants, tests/cases/user9*) published as a legacy Excel
workbook (.xls) and as a Word document (.docx) builds to the same flows and findings as its text
form, as tests/test_forms_variants.py checks for .xlsx, HTML and PDF (its comparison is reused:
what may differ by design — a finding's place, line numbers, white space in ``as_written`` — is
compared without it).

The forms are written from each case's report.txt by tests/sources_fixtures.py (write_xls: the
.xlsx layout saved by xlwt; write_docx: paragraphs and Word tables with merged cells), once per
text and writer version, into pytest's cache directory.
"""

from __future__ import annotations

import pytest

from tests import sources_fixtures
from tests.test_forms_variants import KNOWN, NAMES, USERS, builds_as_the_text

WRITERS = {"xls": sources_fixtures.write_xls, "docx": sources_fixtures.write_docx}
# the .xlsx and HTML forms' known differences are the table model's, which these forms share
_KNOWN = {(name, kind): why for (name, form), why in KNOWN.items() if form == "xlsx" for kind in WRITERS}


def _params() -> list:
    out = []
    for name in [*NAMES, *USERS]:
        for kind in WRITERS:
            marks = []
            if (name, kind) in _KNOWN:
                marks.append(pytest.mark.xfail(strict=True, reason=_KNOWN[(name, kind)]))
            out.append(pytest.param(name, kind, id=f"{name}-{kind}", marks=marks))
    return out


@pytest.mark.parametrize(("name", "kind"), _params())
def test_office_form_builds_as_the_text(
    name: str, kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> None:
    builds_as_the_text(
        name, kind, tmp_path_factory, request, cache_name="ketsugo-office-forms", writers_of=WRITERS
    )
