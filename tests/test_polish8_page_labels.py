"""The words of a PDF page's labels (資料N, 別紙N, 参考資料, dates, page numbers) are data
(data/reference/page-labels.toml), not a regular expression written in read/sources/pdf.py.

What each case expects is read by hand from how meeting papers print their labels: 【資料３】 at a
page's top right, 別紙第２号, 参考資料, 令和5年6月1日現在, "- 3 -" at a page's foot.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from ketsugo.paths import REFERENCE_DIR
from ketsugo.read.sources import pdf

SOURCE = Path(pdf.__file__).read_text(encoding="utf-8")


@pytest.fixture
def fresh() -> Iterator[None]:
    """The patterns are built once: built again around a test that changes the words."""
    for cached in (pdf._page_labels, pdf._doc_label, pdf._page_number):
        cached.cache_clear()
    yield
    for cached in (pdf._page_labels, pdf._doc_label, pdf._page_number):
        cached.cache_clear()


def test_the_words_are_in_the_new_data_file() -> None:
    with (REFERENCE_DIR / "page-labels.toml").open("rb") as handle:
        words = tomllib.load(handle)
    assert words["document"]["kinds"] == ["資料", "別紙", "別添", "別表", "附属資料"]
    assert words["document"]["prefixes"] == ["参考", "添付", "配布"]
    assert words["dates"]["eras"] == ["令和", "平成", "R", "H"]
    assert words["page_numbers"]["after"] == ["ページ", "頁"]
    for word in ("附属資料", "配布", "平成", "頁"):  # none left in the reader's code
        assert word not in SOURCE


@pytest.mark.parametrize(
    "label",
    [
        "資料3",
        "資料十",
        "参考資料",
        "別紙第2号",
        "資料3-1",
        "資料3の2",
        "令和5年6月1日現在",
        "R5.6.1",
        "2023-06-01",
        "元年5月1日",
    ],
)
def test_a_document_label_is_recognised(label: str) -> None:
    assert pdf._doc_label().fullmatch(label)


@pytest.mark.parametrize("text", ["外部結合の状況", "資料の一覧", "令和5年度", "住民記録事務"])
def test_other_text_is_no_label(text: str) -> None:
    assert not pdf._doc_label().fullmatch(text)


@pytest.mark.parametrize("text", ["- 3 -", "3/12", "page 3 of 12", "P.3", "3ページ", "第3頁"])
def test_a_page_number(text: str) -> None:
    assert pdf._page_number().match(text)


def test_a_new_kind_of_paper_is_added_as_data(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not pdf._doc_label().fullmatch("参考資料集")
    words = pdf._page_labels()
    changed = {**words, "document": {**words["document"], "kinds": [*words["document"]["kinds"], "資料集"]}}
    pdf._doc_label.cache_clear()
    monkeypatch.setattr(pdf, "_page_labels", lambda: changed)
    assert pdf._doc_label().fullmatch("参考資料集")
