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

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from tests import sources_fixtures
from tests.test_forms_variants import (
    KNOWN,
    NAMES,
    USERS,
    _built,
    _case,
    _content,
    _findings,
    _text_build,
)

WRITERS = {"xls": sources_fixtures.write_xls, "docx": sources_fixtures.write_docx}
# the .xlsx and HTML forms' known differences are the table model's, which these forms share
_KNOWN = {(name, kind): why for (name, form), why in KNOWN.items() if form == "xlsx" for kind in WRITERS}


def _form_bytes(cache: Path, name: str, kind: str) -> bytes:
    text = (_case(name) / "report.txt").read_text(encoding="utf-8")
    writers = Path(sources_fixtures.__file__).read_bytes()
    key = hashlib.sha256(text.encode() + writers).hexdigest()[:20]
    path = cache / f"{key}.{kind}"
    if not path.exists():
        part = cache / f"{key}.{os.getpid()}.part.{kind}"
        WRITERS[kind](text, part)
        part.replace(path)  # whole or not at all (pytest-xdist workers share the directory)
    return path.read_bytes()


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
    cache = (
        Path(request.config.cache.mkdir("ketsugo-office-forms"))
        if hasattr(request.config, "cache")
        else tmp_path_factory.getbasetemp() / "ketsugo-office-forms"
    )
    cache.mkdir(parents=True, exist_ok=True)
    case = _case(name)
    t_columns, t_rows, t_issues = _text_build(name, tmp_path_factory)
    folder = tmp_path_factory.mktemp(kind)
    if (case / "report.toml").exists():
        shutil.copy(case / "report.toml", folder / "report.toml")
    report = folder / f"report.{kind}"
    report.write_bytes(_form_bytes(cache, name, kind))
    columns, rows, issues = _built(case, report, folder / "out")
    assert columns == t_columns
    assert len(rows) == len(t_rows) > 0
    for got, want in zip(rows, t_rows, strict=True):
        assert _content(got, cid=False) == _content(want, cid=False)
    assert _findings(issues, text=False) == _findings(t_issues, text=True)
