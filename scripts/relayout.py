"""Move the flat modules of src/ketsugo/ into one subpackage per stage, and rewrite every reference.

    python scripts/relayout.py            # move (git mv) and rewrite, in the checkout holding this script
    python scripts/relayout.py --check    # say what would change; exit 1 if anything would
    python scripts/relayout.py --root DIR # another checkout

The mapping (old module → new dotted path) and the stages are data: scripts/relayout.toml.
Why a script rather than a commit: other branches keep editing the flat modules while the layout
is prepared, so the moves are made by re-running this on the merged tree, not merged by hand.

What it does, in order (nothing is changed when a check fails):
1. refuses (exit 2, listing them) when a module or package in src/ketsugo/ is not in the mapping;
2. rewrites references in src/, tests/, scripts/, docs/, README.md, pyproject.toml and .ci/run:
   dotted names (`ketsugo.parser.x`, `import ketsugo.parser`, "ketsugo.parser.fn" in monkeypatch
   strings, `-m ketsugo.cli`, entry points `ketsugo.cli:main`), `from ketsugo import parser`
   (Python files, through their syntax tree) and file paths (`src/ketsugo/parser.py`);
3. `git mv`s each module to its stage (history follows), adding each stage's `__init__.py` with
   the docstring from the mapping;
4. sorts the imports and formats the Python files it changed (ruff), when ruff is installed.

It is idempotent: a module already in place is not moved again, and a rewritten name no longer
matches. A module whose old name is now the name of a stage (graph, store, sparql, export, cli)
is rewritten only where the reference cannot mean the stage package itself.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "ketsugo"
# Where references are rewritten (relative to the checkout). This script, its mapping and its test
# name the old modules on purpose and are never rewritten.
TEXT_GLOBS = (
    "src/**/*.py",
    "tests/**/*.py",
    "tests/**/*.md",
    "scripts/**/*.py",
    "scripts/**/*.sh",
    "docs/**/*.md",
    "README.md",
    "pyproject.toml",
    ".ci/run",
)
SELF = ("scripts/relayout.py", "scripts/relayout.toml", "tests/test_layout.py")
EXIT_INPUT = 2


class RelayoutError(Exception):
    """The checkout or the mapping does not allow a safe relayout: nothing was changed."""


@dataclass
class Plan:
    """What one run does: the moves still to make, and how each old name is rewritten."""

    root: Path
    mapping: dict[str, str]  # old top-level name → new dotted path (without "ketsugo.")
    stages: dict[str, str]  # stage → docstring of its __init__.py
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    pending: set[str] = field(default_factory=set)  # old names whose file still exists
    _names: dict[str, set[str]] = field(default_factory=dict)

    @property
    def src(self) -> Path:
        return self.root / "src" / PACKAGE

    def renamed(self) -> dict[str, str]:
        return {old: new for old, new in self.mapping.items() if old != new}

    def old_names(self, old: str) -> set[str]:
        """The top-level names of a flat module still in place (what `ketsugo.OLD.NAME` can mean)."""
        if old not in self._names:
            path = self.src / f"{old}.py"
            names: set[str] = set()
            if path.exists():
                for node in ast.parse(path.read_text(encoding="utf-8")).body:
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        names.add(node.name)
                    elif isinstance(node, (ast.Import, ast.ImportFrom)):
                        names.update((a.asname or a.name).split(".")[0] for a in node.names)
                    else:
                        names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
            self._names[old] = names
        return self._names[old]

    def children(self, stage: str) -> set[str]:
        """Names that will be (or are) modules of a stage package, by the mapping and on disk."""
        names = {new.split(".")[1] for new in self.mapping.values() if new.startswith(stage + ".")}
        folder = self.src / stage
        if folder.is_dir():
            names |= {p.stem for p in folder.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
        return names


def load_mapping(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    config_path = root / "scripts" / "relayout.toml"
    with config_path.open("rb") as handle:
        config = tomllib.load(handle)
    mapping = {str(k): str(v) for k, v in config["modules"].items()}
    stages = {str(name): str(spec["doc"]) for name, spec in config["stages"].items()}
    problems = []
    seen: dict[str, str] = {}
    for old, new in mapping.items():
        parts = new.split(".")
        if new != old and (len(parts) != 2 or parts[0] not in stages):
            problems.append(f"{old} = {new!r}: a module goes to STAGE.NAME (stages: {', '.join(stages)})")
        if new == old and old in stages:
            problems.append(f"{old} = {new!r}: a stage's name cannot stay a flat module")
        if new in seen:
            problems.append(f"{old} and {seen[new]} both map to {new!r}")
        seen[new] = old
    if problems:
        raise RelayoutError("scripts/relayout.toml:\n  " + "\n  ".join(problems))
    return mapping, stages


def flat_modules(src: Path, stages: dict[str, str]) -> set[str]:
    """The modules and packages directly in src/ketsugo/ that are not stages."""
    names = set()
    for path in src.iterdir():
        if path.suffix == ".py" and path.name != "__init__.py":
            names.add(path.stem)
        elif path.is_dir() and (path / "__init__.py").exists() and path.name not in stages:
            names.add(path.name)
    return names


def make_plan(root: Path) -> Plan:
    mapping, stages = load_mapping(root)
    plan = Plan(root, mapping, stages)
    if not plan.src.is_dir():
        raise RelayoutError(f"{plan.src} is not a folder: run this in a ketsugo checkout (or --root)")
    unmapped = sorted(flat_modules(plan.src, stages) - set(mapping))
    if unmapped:
        raise RelayoutError(
            "these modules of src/ketsugo/ are not in scripts/relayout.toml [modules]; add each with "
            'its stage (e.g. name = "export.name", or name = "name" to keep it at the top):\n  '
            + "\n  ".join(unmapped)
        )
    conflicts = []
    for old, new in plan.renamed().items():
        source = _existing(plan.src, old, stages)
        target_stem = plan.src.joinpath(*new.split("."))
        target = _existing_path(target_stem)
        if source is None:
            continue  # already moved, or a module another branch has not brought yet
        if target is not None:
            conflicts.append(f"{source.relative_to(root)} and {target.relative_to(root)} both exist")
            continue
        plan.pending.add(old)
        destination = target_stem.with_suffix(".py") if source.suffix == ".py" else target_stem
        plan.moves.append((source, destination))
    if conflicts:
        raise RelayoutError(
            "old and new places both exist (merge them by hand first):\n  " + "\n  ".join(conflicts)
        )
    return plan


def _existing(src: Path, name: str, stages: dict[str, str]) -> Path | None:
    """The flat module file or package folder of a name, if it is still there (a folder named
    after a stage is that stage's package, not an old module)."""
    module = src / f"{name}.py"
    if module.exists():
        return module
    package = src / name
    if name not in stages and (package / "__init__.py").exists():
        return package
    return None


def _existing_path(stem: Path) -> Path | None:
    if stem.with_suffix(".py").exists():
        return stem.with_suffix(".py")
    if (stem / "__init__.py").exists():
        return stem
    return None


# --- rewriting ------------------------------------------------------------------------------------
DOTTED = re.compile(rf"(?<![\w.]){PACKAGE}\.([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)?)")
PATHS = re.compile(rf"(?:(?<=src/)|(?<![\w./-])){PACKAGE}/([A-Za-z_]\w*)(\.py\b|/)")
# Every `from ketsugo import …` statement has this text (a backslash may continue a line between
# the words): a file without it is not parsed, which makes a run several times faster.
FROM_PACKAGE = re.compile(rf"\bfrom[\s\\]+{PACKAGE}[\s\\]+import\b")


def rewrite_dotted(text: str, plan: Plan) -> str:
    """`ketsugo.OLD[.NAME]` → `ketsugo.NEW[.NAME]` wherever it can only mean the old module."""
    renamed = plan.renamed()

    def replace(match: re.Match[str]) -> str:
        old, rest = match.group(1), match.group(2)
        new = renamed.get(old)
        if new is None:
            return match.group(0)
        if old in plan.stages and _means_stage(old, rest[1:], plan):
            return match.group(0)
        return f"{PACKAGE}.{new}{rest}"

    return DOTTED.sub(replace, text)


def _means_stage(old: str, child: str, plan: Plan) -> bool:
    """Whether `ketsugo.OLD[.CHILD]`, OLD being both an old module and a stage, names the stage.

    Once moved, bare `ketsugo.OLD` is the stage and `ketsugo.OLD.CHILD` is the stage's module
    CHILD, if it has one. Before the move, `ketsugo.OLD.CHILD` is already written the new way
    when CHILD is a module of the stage and no name of the old module (e.g. a doc naming
    `ketsugo.graph.quads`); everything else means the old module."""
    if old not in plan.pending:
        return not child or child in plan.children(old)
    return bool(child) and child in plan.children(old) and child not in plan.old_names(old)


def rewrite_paths(text: str, plan: Plan) -> str:
    """`src/ketsugo/OLD.py` and `ketsugo/PACKAGE/` → their new places."""
    renamed = plan.renamed()

    def replace(match: re.Match[str]) -> str:
        old, tail = match.group(1), match.group(2)
        new = renamed.get(old)
        if new is None:
            return match.group(0)
        if tail == "/" and (old in plan.stages or not _was_package(plan, old)):
            return match.group(0)
        return f"{PACKAGE}/{new.replace('.', '/')}{tail}"

    return PATHS.sub(replace, text)


def _was_package(plan: Plan, old: str) -> bool:
    new = plan.src.joinpath(*plan.renamed()[old].split("."))
    return (plan.src / old / "__init__.py").exists() or (new / "__init__.py").exists()


def rewrite_from_package(text: str, plan: Plan) -> str:
    """`from ketsugo import a, parser as p` → `from ketsugo import a` + `from ketsugo.read import parser as p`.

    Uses the syntax tree, so continuation lines and parentheses are handled; the local names the
    rest of the file uses are kept (an `as` is added where the module was renamed)."""
    if not FROM_PACKAGE.search(text):
        return text
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    renamed = plan.renamed()
    edits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module == PACKAGE and node.level == 0):
            continue
        kept, moved = [], []
        for alias in node.names:
            old = alias.name
            if old in renamed and (old not in plan.stages or old in plan.pending):
                moved.append(alias)
            else:
                kept.append(alias)
        if not moved:
            continue
        statements = []
        if kept:
            statements.append(f"from {PACKAGE} import " + ", ".join(_alias(a.name, a.asname) for a in kept))
        for alias in moved:
            stage, leaf = renamed[alias.name].split(".")
            local = alias.asname or alias.name
            statements.append(f"from {PACKAGE}.{stage} import {_alias(leaf, local)}")
        edits.append((node, statements))
    if not edits:
        return text
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    # Replace from the end so earlier offsets stay valid.
    for node, statements in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        begin = starts[node.lineno - 1] + _char_offset(lines[node.lineno - 1], node.col_offset)
        end_line = node.end_lineno or node.lineno
        end = starts[end_line - 1] + _char_offset(lines[end_line - 1], node.end_col_offset or 0)
        indent = " " * node.col_offset
        text = text[:begin] + ("\n" + indent).join(statements) + text[end:]
    return text


def _alias(name: str, local: str | None) -> str:
    return name if local in (None, name) else f"{name} as {local}"


def _char_offset(line: str, byte_offset: int) -> int:
    """ast gives UTF-8 byte columns; strings are indexed by character."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def rewrite(text: str, path: Path, plan: Plan) -> str:
    text = rewrite_dotted(text, plan)
    text = rewrite_paths(text, plan)
    if path.suffix == ".py":
        text = rewrite_from_package(text, plan)
    return text


def text_files(root: Path) -> list[Path]:
    found: set[Path] = set()
    for pattern in TEXT_GLOBS:
        found.update(p for p in root.glob(pattern) if p.is_file())
    skip = {root / s for s in SELF}
    return sorted(p for p in found if p not in skip and ".venv" not in p.parts and "_data" not in p.parts)


# --- moving ------------------------------------------------------------------------------------
def stage_inits(plan: Plan) -> list[tuple[Path, str]]:
    """The stage `__init__.py` files still to write: stages some module is (or will be) in."""
    used = {new.split(".")[0] for new in plan.renamed().values()}
    wanted = []
    for stage in sorted(used):
        init = plan.src / stage / "__init__.py"
        has_modules = any(
            new.startswith(stage + ".")
            and (old in plan.pending or _existing_path(plan.src.joinpath(*new.split("."))))
            for old, new in plan.renamed().items()
        )
        if has_modules and not init.exists():
            wanted.append((init, f'"""{plan.stages[stage].strip()}\n"""\n'))
    return wanted


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True)


def format_python(root: Path, changed: list[Path]) -> None:
    """Sort the rewritten imports and format, as `ruff check` and `ruff format --check` expect."""
    ruff = shutil.which("ruff")
    files = [str(p) for p in changed if p.suffix == ".py" and p.exists()]
    if not ruff or not files:
        if files:
            print(
                "ruff not found: run `ruff check --select I --fix . && ruff format .` yourself",
                file=sys.stderr,
            )
        return
    subprocess.run([ruff, "check", "--select", "I", "--fix", "--quiet", *files], cwd=root, check=False)
    subprocess.run([ruff, "format", "--quiet", *files], cwd=root, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument(
        "--check", action="store_true", help="only say what would change (exit 1 if anything)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        plan = make_plan(root)
    except RelayoutError as error:
        print(f"relayout: {error}", file=sys.stderr)
        return EXIT_INPUT

    rewrites: list[tuple[Path, str]] = []
    for path in text_files(root):
        before = path.read_text(encoding="utf-8")
        after = rewrite(before, path, plan)
        if after != before:
            rewrites.append((path, after))
    inits = stage_inits(plan)

    for source, destination in plan.moves:
        print(f"move    {source.relative_to(root)} → {destination.relative_to(root)}")
    for path, _ in rewrites:
        print(f"rewrite {path.relative_to(root)}")
    for init, _ in inits:
        print(f"add     {init.relative_to(root)}")
    if args.check:
        return 1 if (plan.moves or rewrites or inits) else 0
    if not (plan.moves or rewrites or inits):
        print("relayout: nothing to do, the layout is in place")
        return 0

    for path, text in rewrites:
        path.write_text(text, encoding="utf-8")
    for init, text in inits:
        init.parent.mkdir(parents=True, exist_ok=True)
        init.write_text(text, encoding="utf-8")
        git(root, "add", str(init.relative_to(root)))
    moved = []
    for source, destination in plan.moves:
        destination.parent.mkdir(parents=True, exist_ok=True)
        git(root, "mv", str(source.relative_to(root)), str(destination.relative_to(root)))
        moved.append(destination)
    changed = [_moved_path(path, plan) for path, _ in rewrites] + [i for i, _ in inits]
    format_python(root, changed)
    print(
        f"relayout: moved {len(plan.moves)}, rewrote {len(rewrites)} files, added {len(inits)} stage packages"
    )
    return 0


def _moved_path(path: Path, plan: Plan) -> Path:
    """Where a rewritten file is after the moves (it may have been one of the moved modules)."""
    for source, destination in plan.moves:
        if path == source:
            return destination
        if source.is_dir() or destination.is_dir():
            try:
                return destination / path.relative_to(source)
            except ValueError:
                continue
    return path


if __name__ == "__main__":
    sys.exit(main())
