"""Build directories: never replace a user's files; a lock; a swap a kill cannot lose; disk full."""

from __future__ import annotations

import errno
import inspect
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.errors import InputError
from ketsugo.paths import ROOT
from ketsugo.store.builddir import OWNER, atomic_directory, open_store, recover

REPORT = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"
SRC = str(ROOT / "src")


def _leftovers(parent: Path, name: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def test_a_folder_with_a_users_file_and_a_fake_build_json_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "p"
    target.mkdir()
    (target / "build.json").write_text("{}\n")
    (target / "main.c").write_text("x\n")
    result = CliRunner().invoke(
        cli, ["build", str(REPORT), "--municipality", "131041", "--out", str(target), "-q"]
    )
    assert result.exit_code == 2, result.output
    assert "not a ketsugo build directory" in result.output
    assert (target / "main.c").read_text() == "x\n"
    assert _leftovers(tmp_path, "p") == []


def test_a_real_build_with_a_users_file_added_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "b"
    with atomic_directory(target) as work:
        (work / "build.json").write_text(json.dumps({"ketsugo": "0"}))
    (target / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"did not write \(notes.txt\)"), atomic_directory(target) as work:
        (work / "build.json").write_text("{}")
    assert (target / "notes.txt").read_text() == "mine"
    assert _leftovers(tmp_path, "b") == []


def test_ketsugos_own_build_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "b"
    for text in ("one", "two"):
        with atomic_directory(target) as work:
            (work / "build.json").write_text(text)
    assert (target / "build.json").read_text() == "two"
    assert sorted(json.loads((target / OWNER).read_text())["files"]) == ["build.json"]
    assert _leftovers(tmp_path, "b") == []


@pytest.mark.parametrize("where", ["/", "home", "cwd-parent", "cwd", "checkout"])
def test_dangerous_targets_are_refused_before_any_work(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    target = {
        "/": "/",
        "home": str(tmp_path / "home"),
        "cwd-parent": "..",
        "cwd": ".",
        "checkout": str(ROOT),
    }[where]
    result = CliRunner().invoke(cli, ["build", "--out", target, "-q"])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output
    assert not [p for p in Path("/").iterdir() if p.name.endswith(".tmp") and p.name.startswith("..")]
    assert not list(tmp_path.rglob("*.tmp"))


def _write_build(target: Path, label: str) -> None:
    """A build of one quad (its object ``label``) written with atomic_directory; the label
    "die-while-writing" ends the process while the new build is being written."""
    import os

    import pyoxigraph as ox

    from ketsugo.store.builddir import atomic_directory

    with atomic_directory(target) as work:
        store = ox.Store(str(work / "store"))
        store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal(label)))
        store.flush()
        del store
        (work / "build.json").write_text('{"ketsugo": "t"}')
        if label == "die-while-writing":
            os._exit(70)


# the same function run by a process of its own: one that is killed (_KETSUGO_SWAP_CRASH) or dies
_SWAP_SCRIPT = (
    "import sys\nfrom pathlib import Path\n\n"
    + inspect.getsource(_write_build)
    + "\n_write_build(Path(sys.argv[1]), sys.argv[2])\n"
)


def _build(target: Path, label: str, crash: int | None = None) -> subprocess.CompletedProcess:
    """A build by a process of its own, which dies at swap step ``crash`` (or while writing)."""
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("_KETSUGO_SWAP_CRASH", None)
    if crash is not None:
        env["_KETSUGO_SWAP_CRASH"] = str(crash)
    return subprocess.run(
        [sys.executable, "-c", _SWAP_SCRIPT, str(target), label],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _label(target: Path) -> str:
    store = open_store(target)
    (row,) = list(store.query("SELECT ?o WHERE { ?s ?p ?o }"))
    return row["o"].value


@pytest.mark.parametrize("step", [1, 2, 3])
def test_a_build_killed_at_each_step_of_the_swap_is_completed_by_the_next_reader(
    step: int, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    _write_build(target, "old")  # in this process: only the build that is killed needs its own
    killed = _build(target, "new", crash=step)
    assert killed.returncode == 70, killed.stderr
    if step == 2:
        assert not target.exists()  # the window the issue describes: no --out at all
    assert _label(target) == "new"  # open_store (query, validate, export) completes the swap
    assert _leftovers(tmp_path, "out") == []


@pytest.mark.parametrize("step", [1, 2, 3])
def test_a_build_killed_during_the_swap_is_completed_by_the_next_build(step: int, tmp_path: Path) -> None:
    target = tmp_path / "out"
    _write_build(target, "old")
    assert _build(target, "new", crash=step).returncode == 70
    _write_build(target, "newer")
    assert _label(target) == "newer"
    assert _leftovers(tmp_path, "out") == []


def test_an_interrupted_swap_with_only_the_old_build_left_is_rolled_back(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _write_build(target, "old")
    target.rename(tmp_path / ".out.old")  # killed after step 2 of a build whose new copy is gone
    recover(target)
    assert _label(target) == "old"


def test_a_build_killed_while_writing_leaves_a_temporary_directory_the_next_build_removes(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out"
    _write_build(target, "old")
    assert _build(target, "die-while-writing").returncode == 70
    assert [n for n in _leftovers(tmp_path, "out") if n.endswith(".tmp")]
    assert _label(target) == "old"
    _write_build(target, "next")
    assert _leftovers(tmp_path, "out") == []
    assert _label(target) == "next"


def test_concurrent_builds_to_one_folder_all_succeed_one_after_another(tmp_path: Path) -> None:
    target = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": SRC}
    slow = _SWAP_SCRIPT.replace("store.flush()", "store.flush(); import time; time.sleep(0.5)")
    assert slow != _SWAP_SCRIPT
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", slow, str(target), f"b{i}"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], errors
    assert any("waiting for another ketsugo build" in e for e in errors)
    assert _label(target) in {"b0", "b1", "b2", "b3"}
    assert _leftovers(tmp_path, "out") == []


def test_no_space_left_is_an_input_error_and_the_old_build_stays(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with atomic_directory(target) as work:
        (work / "build.json").write_text("old")
    with pytest.raises(InputError, match="no space left"), atomic_directory(target) as work:
        (work / "graph.nq").write_text("partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert (target / "build.json").read_text() == "old"
    assert _leftovers(tmp_path, "out") == []


def test_rocksdb_no_space_message_is_recognised(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with pytest.raises(InputError, match="no space left"), atomic_directory(target):
        raise OSError("IO error: No space left on device: While appending to file: 000004.log")
    assert not target.exists()
    assert _leftovers(tmp_path, "out") == []


def test_a_full_disk_on_a_small_tmpfs(tmp_path: Path) -> None:
    """A real build on a tmpfs that holds one build but not a second one beside it."""
    mount = tmp_path / "small"
    mount.mkdir()
    ketsugo = [sys.executable, "-m", "ketsugo", "build", "-q"]
    script = textwrap.dedent(
        f"""
        set -e
        mount -t tmpfs -o size=12m tmpfs {mount}
        cd {mount}
        {" ".join(ketsugo)} --out b
        head -c $(( $(df --output=avail -B1 . | tail -1) - 400000 )) /dev/zero > filler
        set +e
        {" ".join(ketsugo)} --out b 2> err.txt
        echo "rc=$?"
        cat err.txt
        ls -a
        python -c "import json; json.load(open('b/build.json'))" && echo old-intact
        """
    )
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed: cannot mount a small tmpfs")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mounting a tmpfs is not allowed here (unshare -rm failed)")
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    if "mount:" in done.stderr and "rc=" not in done.stdout:
        pytest.skip(f"mounting a tmpfs is not allowed here: {done.stderr.strip()}")
    out = done.stdout
    assert "rc=2" in out, out + done.stderr
    assert "no space left" in out
    assert "Traceback" not in out
    assert "old-intact" in out
    names = out.split("rc=2", 1)[1].split()
    assert not [n for n in names if n.startswith(".b.")], out


def test_a_sigterm_just_after_the_work_directory_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM unwinds (SystemExit 143): arriving right after mkdir, before the build knew the new
    directory's name, it left the directory behind (seen once in CI, under load)."""
    real_mkdir = os.mkdir

    def mkdir_then_killed(path, mode=0o777, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_mkdir(path, mode, *args, **kwargs)
        if str(path).endswith(".tmp"):
            raise SystemExit(143)  # what ketsugo.store.files._unwind raises for SIGTERM

    monkeypatch.setattr(os, "mkdir", mkdir_then_killed)
    target = tmp_path / "out"
    with pytest.raises(SystemExit), atomic_directory(target):
        pass
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []
