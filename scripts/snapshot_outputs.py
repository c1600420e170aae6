"""Snapshot what reading and graph-building give for a set of reports, to compare two versions.

A speed change to the parser or the graph builder must not change a byte of output. Run this
before the change (``save``) and after it (``compare``): for every report it records the
N-Quads a build writes, the digest the build keeps (counts, unmapped items, findings) and,
for a report that is refused, the error messages, strictly and leniently; also the TriG and the
counts of the dataset description (a large graph spilled to files is read back from them).

Reports: every case under tests/cases (variants, reordered, malformed, encodings, diff, link) and
tests/graphs,
the bundled report, and any directories of reports given (e.g. a synthetic corpus made by
scripts/gen_corpus.py).

Usage:
  python scripts/snapshot_outputs.py save OUT.pickle [DIR...]
  python scripts/snapshot_outputs.py compare OUT.pickle [DIR...]
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def reports(extra: list[Path]) -> list[tuple[Path, str | None]]:
    """(report, municipality code when the report has no .toml) for every report to snapshot."""
    import tomllib

    found: list[tuple[Path, str | None]] = []
    cases = ROOT / "tests" / "cases"
    for path in sorted([*cases.rglob("*.txt"), *(ROOT / "tests" / "graphs").rglob("*.txt")]):
        code = None
        expected = path.parent / "expected.toml"
        if expected.is_file():
            code = (
                tomllib.loads(expected.read_text(encoding="utf-8")).get("report", {}).get("municipality_code")
            )
        found.append(
            (
                path,
                None
                if path.with_suffix(".toml").is_file() or (path.parent / "report.toml").is_file()
                else code or "131041",
            )
        )
    found.append((ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt", None))
    for folder in extra:
        found.extend(
            (path, None if path.with_suffix(".toml").is_file() else "131041")
            for path in sorted(folder.glob("*.txt"))
        )
    return found


def outcome(path: Path, code: str | None, lenient: bool) -> Any:
    from ketsugo.errors import InputError
    from ketsugo.pipeline import _build_one, resolve_metadata

    try:
        meta = resolve_metadata(path, code, None)
    except InputError as exc:
        return ("metadata", [str(i) for i in exc.issues])
    try:
        digest, problems, nquads, trig, stats = _build_one(meta, None, lenient, True)
        if not isinstance(nquads, bytes):  # a graph spilled to files (a large report): read, then removed
            spilled = nquads
            nquads, trig = b"".join(spilled.nquads_chunks()), b"".join(spilled.trig_chunks())
            spilled.remove()
    except Exception as exc:
        return ("crash", type(exc).__name__, str(exc))
    if digest is None:
        return ("refused", [(i.path, i.line, i.field, i.message, i.severity) for i in problems])
    kept = {k: v for k, v in digest.__dict__.items() if k != "meta"}
    kept["issues"] = [
        (i.path, i.line, i.field, i.message, i.as_written, i.severity, i.kind) for i in digest.issues
    ]
    counts = (
        None
        if stats is None
        else (stats.triples, stats.entities, sorted(stats.namespaces), stats.subject_hashes)
    )
    return (
        "built",
        hashlib.sha256(nquads).hexdigest(),
        len(nquads),
        hashlib.sha256(trig).hexdigest(),
        counts,
        kept,
    )


def snapshot(extra: list[Path]) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for path, code in reports(extra):
        for lenient in (False, True):
            made[f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} lenient={lenient}"] = (
                outcome(path, code, lenient)
            )
    return made


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("dirs", type=Path, nargs="*")
    args = parser.parse_args()
    now = snapshot(args.dirs)
    if args.action == "save":
        args.file.write_bytes(pickle.dumps(now))
        print(f"{len(now)} outcomes saved to {args.file}")
        return 0
    before = pickle.loads(args.file.read_bytes())
    differ = [key for key in sorted(before.keys() | now.keys()) if before.get(key) != now.get(key)]
    for key in differ:
        print(f"DIFFERS {key}\n  before: {str(before.get(key))[:600]}\n  now:    {str(now.get(key))[:600]}")
    print(f"{len(now)} outcomes, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
