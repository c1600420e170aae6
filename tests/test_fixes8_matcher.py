"""`ketsugo diff` and a build's year links (kg:endsConnection, kg:continuesConnection) pair
connections with one matcher (ketsugo.graph.years.match_flow), so they cannot drift apart.
Read by hand (tests/test_diff.py): the hand-made 令和3年度 report's No.1 is the 令和2年度 No.12
(保健予防課) listed again, its ended No.1 is the earlier No.6 (文化観光課)."""

from __future__ import annotations

from ketsugo.export import diff
from ketsugo.graph import years
from ketsugo.graph.vocab import connection
from ketsugo.read.parser import parse_report
from tests.conftest import BUNDLED, CASES

LATER = CASES / "diff" / "shinjuku-2021.txt"


def test_diff_uses_the_builds_matcher() -> None:
    assert diff.match_flow is years.match_flow
    assert not hasattr(diff, "_match")


def test_diff_and_the_year_links_pair_the_same_connections() -> None:
    earlier = parse_report(BUNDLED.read_text(encoding="utf-8"), BUNDLED.name)
    later = parse_report(LATER.read_text(encoding="utf-8"), LATER.name)
    paired = {
        (c.change, c.later_number, c.earlier_number)
        for c in diff.diff_reports(earlier, later)
        if c.earlier_number is not None
    }
    assert paired == {("changed", 1, 12), ("ended", 1, 6)}
    links = years.year_links(
        [years.report_flows(earlier, "131041", 2020), years.report_flows(later, "131041", 2021)]
    )
    assert sorted(links) == sorted(
        [
            ("continues", str(connection("131041", 2021, 1)), str(connection("131041", 2020, 12))),
            ("ends", str(connection("131041", 2021, 1, "ended")), str(connection("131041", 2020, 6))),
        ]
    )
