"""The layout by stage: imports run one way (read < graph < store < check, sparql < export < cli) and
never in a circle; scripts/relayout.py moves the flat modules there and is safe to run again.

The stages come from scripts/relayout.toml. Each module's stage is read from where it lives
(src/ketsugo/read/parser.py is in read) or, for a module still in the flat layout, from the mapping
(parser = "read.parser"), so these tests check the same rule before and after the relayout: a
flat tree whose imports would break the layout fails here before anything is moved.
"""

from __future__ import annotations

import ast
import functools
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "ketsugo"
CONFIG = ROOT / "scripts" / "relayout.toml"
RELAYOUT = ROOT / "scripts" / "relayout.py"


@dataclass(frozen=True)
class Import:
    source: str  # importing module (dotted, without "ketsugo.")
    target: str
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`: never run, no import cycle


def _config() -> dict:
    with CONFIG.open("rb") as handle:
        return tomllib.load(handle)


def _modules(src: Path) -> dict[str, Path]:
    """Dotted name (without "ketsugo.") → file, for every module of the package but its root."""
    found = {}
    for path in src.rglob("*.py"):
        parts = path.relative_to(src).with_suffix("").parts
        if "_data" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            found[".".join(parts)] = path
    return found


def _group(name: str, src: Path, config: dict) -> tuple[str, int]:
    """The stage (or top-level group) of a module and its level."""
    stages, top, mapping = config["stages"], config["top"], config["modules"]
    first = name.split(".")[0]
    if first in stages and (src / first / "__init__.py").exists():
        return first, stages[first]["level"]  # a stage package (not a flat module named like one)
    new = mapping.get(first)
    if new is None:
        raise AssertionError(f"src/ketsugo/{first}: not in scripts/relayout.toml [modules]")
    if new == first:
        return "top" if top[first] else "base", top[first]
    stage = new.split(".")[0]
    return stage, stages[stage]["level"]


@functools.cache
def _imports_of_checkout() -> tuple[Import, ...]:
    return tuple(_imports(SRC, _modules(SRC)))


def _imports(src: Path, modules: dict[str, Path], only: str | None = None) -> list[Import]:
    found = []
    for name, path in modules.items():
        if only is not None and name != only:
            continue
        package = name if src.joinpath(*name.split(".")).is_dir() else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, type_only in _statements(tree.body, False):
            for target in _targets(node, package, modules):
                if target != name:
                    found.append(Import(name, target, node.lineno, type_only))
    return found


def _statements(body: list[ast.stmt], type_only: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Every statement, at any depth (imports inside functions count), and whether it sits under
    `if TYPE_CHECKING:`. Only statements are walked: an import is never inside an expression."""
    for stmt in body:
        yield stmt, type_only
        guarded = type_only or (isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test))
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                yield from _statements(inner, guarded if field == "body" else type_only)
        for handler in getattr(stmt, "handlers", []):
            yield from _statements(handler.body, type_only)
        for case in getattr(stmt, "cases", []):
            yield from _statements(case.body, type_only)


def _targets(node: ast.AST, package: str, modules: dict[str, Path]) -> list[str]:
    """The ketsugo modules an import statement loads (the package root itself is none)."""
    dotted: list[str] = []
    if isinstance(node, ast.Import):
        dotted = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = ["ketsugo", *package.split(".")] if package else ["ketsugo"]
            base = base[: len(base) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        dotted = [f"{module}.{alias.name}" for alias in node.names] + [module]
    targets = []
    for full in dotted:
        if not full.startswith("ketsugo."):
            continue
        name = full.removeprefix("ketsugo.")
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name:
            targets.append(name)
    return sorted(set(targets))


def _upward(imports: Iterable[Import], src: Path = SRC) -> list[str]:
    """Imports from a stage to a stage of its own level or above."""
    config = _config()
    wrong = []
    for imp in imports:
        (stage, level), (target_stage, target_level) = (
            _group(imp.source, src, config),
            _group(imp.target, src, config),
        )
        if stage != target_stage and target_level >= level:
            wrong.append(f"{imp.source} ({stage}) imports {imp.target} ({target_stage}) at line {imp.line}")
    return wrong


def _cycles(imports: Iterable[Import]) -> list[list[str]]:
    """Modules that import each other at run time (imports for type checking only never run)."""
    graph = nx.DiGraph((i.source, i.target) for i in imports if not i.type_only)
    return [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]


def test_every_module_has_a_stage() -> None:
    config = _config()
    for name in _modules(SRC):
        _group(name, SRC, config)  # raises for a module missing from the mapping


def test_a_stage_imports_only_lower_stages() -> None:
    wrong = _upward(_imports_of_checkout())
    assert not wrong, "imports that run up or sideways between stages:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    cycles = _cycles(_imports_of_checkout())
    assert not cycles, f"modules that import each other (directly or around a circle): {cycles}"


def test_the_checks_see_an_import_that_runs_up_and_a_circle(tmp_path: Path) -> None:
    """The two checks are not vacuous: a module importing one of a higher stage (inside a function,
    as the CLI's lazy imports are written) is reported, and so is the circle it closes."""
    config = _config()
    modules = _modules(SRC)
    imports = _imports_of_checkout()
    graph = nx.DiGraph((i.source, i.target) for i in imports if not i.type_only)
    group = {n: _group(n, SRC, config) for n in modules}
    low, high = next(
        (low, high)
        for high in sorted(graph)
        for low in sorted(nx.descendants(graph, high))
        if group[high][1] > group[low][1] > 0
    )
    changed = tmp_path / modules[low].name
    changed.write_text(
        modules[low].read_text(encoding="utf-8") + f"\n\ndef _late() -> None:\n    import ketsugo.{high}\n",
        encoding="utf-8",
    )
    imports = [i for i in imports if i.source != low] + _imports(SRC, {**modules, low: changed}, only=low)
    assert any(
        f"{low} ({group[low][0]}) imports {high} ({group[high][0]})" in line for line in _upward(imports)
    )
    assert any(low in cycle and high in cycle for cycle in _cycles(imports))


# --- the script ------------------------------------------------------------------------------------
def _copy_checkout(tmp_path: Path) -> Path:
    """A git checkout holding what the script reads and rewrites (not the data)."""
    copy = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "_data", "*.pyc")
    for folder in ("src", "tests", "scripts", "docs"):
        # src keeps its byte code (the copies keep their sources' times, so Python uses it only
        # for a module the script left as it was): importing every module then compiles only
        # what was rewritten; __pycache__ is ignored by git, so the script never sees it
        keep = shutil.ignore_patterns("_data") if folder == "src" else ignore
        shutil.copytree(ROOT / folder, copy / folder, ignore=keep)
    for name in ("README.md", "pyproject.toml", ".gitignore"):
        shutil.copy2(ROOT / name, copy / name)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=copy, check=True)
    subprocess.run([*git, "add", "-A"], cwd=copy, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], cwd=copy, check=True)
    return copy


def _relayout(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(copy / "scripts" / "relayout.py"), *args],
        cwd=copy,
        capture_output=True,
        text=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_relayout_moves_rewrites_and_is_idempotent(tmp_path: Path) -> None:
    copy = _copy_checkout(tmp_path)
    src = copy / "src" / "ketsugo"
    config = _config()
    present = {
        old: new
        for old, new in config["modules"].items()
        if old != new and ((src / f"{old}.py").exists() or (src / old / "__init__.py").exists())
    }
    first = _relayout(copy)
    assert first.returncode == 0, first.stderr
    again = _relayout(copy, "--check")
    assert again.returncode == 0, f"a second run would change:\n{again.stdout}"

    for new in present.values():
        path = src.joinpath(*new.split("."))
        assert path.with_suffix(".py").exists() or (path / "__init__.py").exists(), new
    for stage in {new.split(".")[0] for new in config["modules"].values() if "." in new}:
        init = src / stage / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
    staying = {old for old, new in config["modules"].items() if old == new}
    assert {p.stem for p in src.glob("*.py")} <= staying | {"__init__"}
    # every module of the moved tree imports, with every reference rewritten, and the `ketsugo`
    # command's entry point names a function that exists
    with (copy / "pyproject.toml").open("rb") as handle:
        entry = tomllib.load(handle)["project"]["scripts"]["ketsugo"]
    module, function = entry.split(":")
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib, pkgutil, ketsugo\n"
            "for m in pkgutil.walk_packages(ketsugo.__path__, 'ketsugo.'):\n"
            "    if m.name != 'ketsugo.__main__':\n"
            "        importlib.import_module(m.name)\n"
            f"assert callable(importlib.import_module({module!r}).{function})\n",
        ],
        cwd=copy,
        env={"PYTHONPATH": str(copy / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_relayout_refuses_a_module_it_has_no_stage_for(tmp_path: Path) -> None:
    copy = _copy_checkout(tmp_path)
    (copy / "src" / "ketsugo" / "brand_new_module.py").write_text('"""New on another branch."""\n')
    before = subprocess.run(["git", "status", "--porcelain"], cwd=copy, capture_output=True, text=True).stdout
    result = _relayout(copy)
    assert result.returncode == 2
    assert "brand_new_module" in result.stderr
    after = subprocess.run(["git", "status", "--porcelain"], cwd=copy, capture_output=True, text=True).stdout
    assert after == before  # nothing moved or rewritten
