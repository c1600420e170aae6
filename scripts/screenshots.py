"""Regenerate the README pictures: docs/img/flows-page.png and docs/img/overview.png.

Builds the bundled report into a temporary folder, writes the interactive page
(`ketsugo export graph --format html`) and takes its screenshot with headless Chromium (Debian
`chromium`, or $KETSUGO_CHROMIUM), 1,400 px wide; the overview is `ketsugo export overview
--format png` itself (rendered by resvg, no browser), so the README shows what users get.

    python scripts/screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from ketsugo.export import overview, visual
from ketsugo.pipeline import run_build
from ketsugo.read.metadata import bundled_reports
from ketsugo.store.disk import open_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.chromium import FLAGS, find_chromium  # noqa: E402  (one list of flags for both)


def chromium() -> str:
    found = find_chromium()
    if found is None:
        sys.exit("no Chromium found: apt-get install chromium (or set KETSUGO_CHROMIUM)")
    return found


def screenshot(page: Path, png: Path, width: int, height: int, workdir: Path) -> None:
    subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={workdir / 'profile'}",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run_build(bundled_reports(), work / "build")
        graph = visual.flow_graph(open_store(work / "build"))
        page = work / "flows.html"
        page.write_text(
            visual.to_html(graph, "ketsugo: 個人データの流れ personal-data flows"), encoding="utf-8"
        )
        screenshot(page, args.out / "flows-page.png", 1400, 1680, work)
        labels = sorted({d["report_label"] for d in graph.nodes.values() if d.get("report_label")})
        svg = overview.overview_svg(graph, "個人データの流れ Personal-data flows — " + "、".join(labels))
        (args.out / "overview.png").write_bytes(overview.overview_png(svg, zoom=1.0))
    for name in ("flows-page.png", "overview.png"):
        print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
