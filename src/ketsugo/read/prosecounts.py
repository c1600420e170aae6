"""Section (1)'s counts written as prose, one sentence per 実施機関, when a report has no summary
table: 「村長が行う外部結合は、令和４年度末で２７件（前年度末２０件、新規９件、廃止２件）、うち個人番号を
含むものは８件です。」 is the row 村長 | 20 | 9 | 2 | 27 | 8.

The wordings are data (headers.toml [summary_prose] patterns, searched in each sentence with its
digits made half-width); a sentence matching none is left as it was. Each row read gets an info
naming the sentence, so the reader can check it against the report.
"""

from __future__ import annotations

import re
from functools import cache

from ketsugo.paths import reference_toml
from ketsugo.read.layout import ParseState
from ketsugo.read.normalize import normalize
from ketsugo.read.records import SummaryRow
from ketsugo.read.summary import summary_row


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    data = reference_toml("headers.toml").get("summary_prose", {})
    return tuple(re.compile(p) for p in data.get("patterns", ()))


def prose_counts(lines: list[tuple[int, str]], state: ParseState) -> tuple[list[SummaryRow], set[int]]:
    """The summary rows the sentences of ``lines`` give, and the numbers of the lines read."""
    rows: list[SummaryRow] = []
    read: set[int] = set()
    for line_no, line in lines:
        if "\t" in line:
            continue
        for sentence in normalize(line).split("。"):
            for pattern in _patterns():
                found = pattern.search(sentence.strip())
                if found is None:
                    continue
                counts: dict[str, int | None] = {
                    k: int(v) for k, v in found.groupdict().items() if k != "agency" and v is not None
                }
                agency = found["agency"].strip()
                rows.append(summary_row(line_no, agency, counts))
                read.add(line_no)
                state.inform(line_no, "", f"summary counts of {agency} read from a sentence", sentence + "。")
                break
    return rows, read
