"""New users' reports (tests/cases/user*/<case>/), read in every form their authors published.

Each case was written by someone trying ketsugo as a new user: the report in the forms a
municipality publishes (a text copy report.txt, and report.html / report.pdf / report.xlsx /
report.csv where the author made one), and expected.toml read BY HAND from it before ketsugo was
first run on it (NOTES.md in each folder says how). Every published form must build strictly and
match every expected field (scripts/score_variants.py compares them). A form known to fall short
is a strict xfail with the reason, so that mending it is noticed.

(tests/test_forms_variants.py publishes the hand-made variants in each form by itself; this file
takes the forms the users made, which come from other writers: their own Chromium prints, their
own openpyxl sheets, their browser's copy.)
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
FORMS = ("txt", "html", "pdf", "xlsx", "xls", "docx", "csv")

if "score_variants" not in sys.modules:
    _SPEC = importlib.util.spec_from_file_location("score_variants", ROOT / "scripts" / "score_variants.py")
    assert _SPEC is not None and _SPEC.loader is not None
    sys.modules["score_variants"] = importlib.util.module_from_spec(_SPEC)
    _SPEC.loader.exec_module(sys.modules["score_variants"])
score = sys.modules["score_variants"]

# (case, form) → why it is not read whole yet (each in the case's NOTES.md or the issue note).
KNOWN: dict[tuple[str, str], str] = {
    ("user13b/ranzan-2024", "txt"): (
        "Word's plain-text save: every table cell on a line of its own (a cell's line breaks too, a "
        "merged cell once), so no row has a fixed number of lines: refused on purpose with an error "
        "naming each table (read/cellperline.py; NOTES.md)"
    ),
    ("user13b/ranzan-2024", "pdf"): (
        "210/211: 「健康福⏎祉課」 (a wrap, the glyphs set left of the cell's padding) read as a typed "
        "break: two departments (the items' breaks after a full line, 基礎年金番号⏎氏名, are read: an "
        "item's name by itself ends it, read/itemnames.py)"
    ),
    # user14/nishiwaki-2024: read whole in every form (transposed tables, sheet names as headings)
    # its two fiscal years are read one at a time (fiscal_year_given: --fiscal-year, read/yearparts.py)
    ("user14b/hakone-2023/expected-2022", "pdf"): (
        "PDF cell bleed: FY2022 summary header 「実施機関 令」「和３年度末」 and rows 「町長 3」「8」 → no counts"
    ),
    # the eleventh session's new users (their NOTES.md: causes by number of wrong fields)
    # user15c/sabae-2023: read whole in every form (items as ○ columns: read/matrix.py; Excel's
    # trailing tabs: read/layout.py read_lines)
    # user15b/inuyama-2024: read whole in every form (prose blocks: read/proseblocks.py)
    # user15/kakegawa-2022: read whole in every form (per-connection forms: read/cards.py; a consultation
    # and its outcome, へ報告: read/legal.py)
    # user15d/gamagori-2019.html: read whole (layout table, 提供<br>受領 header: h/oldhtml)
    # the twelfth session's new users
    ("user16/okayama-2024", "pdf"): (
        "1128/1129: a typed line break after a line that fills the cell read as a wrap where the "
        "lines do not both end as items' names end (HDLコレステロール⏎LDLコレステロール, No.18: "
        "NOTES.md 2); the rows broken across pages are read whole (tests/test_pdf_page_break_rows.py)"
    ),
    ("user16/okayama-2024", "txt"): (
        "0/1128: PDF-viewer copy: header names apart by spaces, then every cell on lines of its own, "
        "so no row has a fixed number of lines: refused on purpose with one error naming each table "
        "(read/pdfcopy.py; NOTES.md 6)"
    ),
    # user15d/gamagori-2019: .txt and .pdf read whole too (run-together citations cut; item endings)
    # user16b/otofuke-2024: read whole in every form (a department line over a sheet's sections)
    # the fourteenth session's new user: a box-drawn text save (┌─┬─┐ │ ├─┼─┤, CP932; read/boxtables.py)
    # user17/minamiise-2024: read whole (box-drawn CP932 text tables: read/boxtables.py)
    # the fourteenth session's council member: two years of 多治見市 in two templates (user18/tajimi-*)
    # user18/tajimi-2023 and -2024: read whole in every form; their reports have no 対象者 (and FY2024 no
    # 特定個人情報) column, which is no Violation of each row (lead decision: shapes/completeness.ttl)
}


def _published() -> list[tuple[str, str]]:
    """(case, form) of every published form; a case whose file holds several fiscal years has an
    expected-<year>.toml per further year, scored as the case "<case>/expected-<year>"."""
    found = []
    for expected in sorted(CASES.glob("user*/*/expected*.toml")):
        case = f"{expected.parent.parent.name}/{expected.parent.name}"
        if expected.stem != "expected":
            case += f"/{expected.stem}"
        found += [(case, form) for form in FORMS if (expected.parent / f"report.{form}").exists()]
    return found


PUBLISHED = _published()


def _param(case: str, form: str):
    reason = KNOWN.get((case, form))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, form, id=f"{case}.{form}", marks=marks)


def test_every_user_case_has_a_text_form_and_expectations() -> None:
    cases = {case for case, _ in PUBLISHED if "/expected-" not in case}
    assert len(cases) >= 6, cases
    assert all((case, "txt") in PUBLISHED for case in cases)


@pytest.mark.parametrize(("case", "form"), [_param(c, f) for c, f in PUBLISHED])
def test_published_form_is_read_whole(
    case: str, form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, _, other_year = case.partition("/expected-")  # user14b/hakone-2023/expected-2022
    folder = CASES / case
    copy = tmp_path / folder.name
    copy.mkdir()
    expected = f"expected-{other_year}.toml" if other_year else "expected.toml"
    shutil.copy(folder / expected, copy / "expected.toml")
    # the scorer reads report.txt; ketsugo tells the form by the bytes, not by the name
    shutil.copy(folder / f"report.{form}", copy / "report.txt")
    monkeypatch.setattr(score, "CASES", tmp_path)
    result = score.check_case(folder.name, validate=True)
    wrong = [check.line() for check in result.wrong()]
    assert not wrong, f"{case} as .{form}: {result.right}/{result.total} right\n" + "\n".join(wrong)
