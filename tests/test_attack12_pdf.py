"""A hostile PDF whose page tree loops back to itself (a Pages node among its own kids): refused as
damaged, naming what is wrong — not as a scan holding only images, which it is not."""

from __future__ import annotations

import pytest

from ketsugo.errors import InputError
from ketsugo.read.sources.pdf import read_pdf

LOOP = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Pages/Kids[2 0 R 3 0 R]/Parent 2 0 R/Count 1>>endobj
trailer<</Root 1 0 R>>
%%EOF
"""


def test_a_page_tree_looping_back_to_itself_is_a_damaged_pdf_not_a_scan() -> None:
    with pytest.raises(InputError) as caught:
        read_pdf(LOOP, "loop.pdf")
    (issue,) = caught.value.issues
    assert issue.path == "loop.pdf"
    assert "page tree holds no page" in issue.message
    assert "images" not in issue.message
