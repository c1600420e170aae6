"""Build directories that never cost a user a file: ownership, a lock, and a recoverable swap.

A build is written into ``.NAME.XXXX.tmp`` beside the target ``NAME``, then swapped in:

1. the finished ``.tmp`` gets an ownership record (:data:`OWNER`: the names ketsugo wrote) and
   is renamed ``.NAME.new``;
2. the old ``NAME`` (if any) is renamed ``.NAME.old``;
3. ``.NAME.new`` is renamed ``NAME``;
4. ``.NAME.old`` is removed.

A process killed between any two steps leaves a state :func:`recover` completes (a finished
``.new``) or rolls back (an ``.old`` with no ``.new``); the next build, query or validate calls
it. Builds to one target take a lock (:func:`lock_path`), so a second one waits; stale
``.tmp`` directories of killed builds are removed under that lock. The lock's file is removed
when its holder is done (:func:`_release`): the lock folder holds a file only while a build
(or a recovery) of that path runs.

Only a directory ketsugo wrote (its ownership record lists every name in it) or an empty one
is replaced; anything else — a folder with a user's files, ``/``, the home folder, a folder
holding the current directory or the checkout — is refused with exit 2 before any work.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ketsugo.errors import InputError, Issue, os_problem
from ketsugo.store.files import MANIFEST, OWNER, current_umask, is_build_directory, sigterm_unwinds

if TYPE_CHECKING:  # filelock is imported only when a build takes its lock
    from filelock import BaseFileLock

STORE = "store"
# MANIFEST "build.json"; OWNER ".ketsugo-build.json": {"ketsugo": VERSION, "files": [names ketsugo wrote]}
# What a build directory written before OWNER existed may hold (it then needs a build.json
# naming ketsugo): replaced only when it holds nothing else.
LEGACY_NAMES = frozenset({MANIFEST, "graph.nq", "graph.trig", STORE})
LOCK_WAIT_SECONDS = 600.0
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def _refuse(target: Path, why: str) -> InputError:
    return InputError(Issue(str(target), 0, "--out", why))


def _sidecar(target: Path, suffix: str) -> Path:
    return target.with_name(f".{target.name}.{suffix}")


def normal_target(target: Path) -> Path:
    """The absolute path of ``--out`` (a symbolic link to a folder stands for that folder)."""
    target = Path(os.path.abspath(target))
    return target.resolve() if target.is_symlink() and target.exists() else target


def check_target(target: Path) -> None:
    """Refuse, before any work, a target ketsugo must not replace."""
    target = normal_target(target)
    home = Path.home().resolve()
    cwd = Path.cwd().resolve()
    from ketsugo.paths import ROOT

    try:
        str(target).encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as surrogates
        raise _refuse(
            target,
            "its path is not UTF-8 text, and the store (RocksDB) is written only under UTF-8 paths: give another folder",
        ) from None
    if target == target.parent or not target.name:
        raise _refuse(target, "is the root of the file system: give a folder of its own, e.g. --out build")
    if target == home:
        raise _refuse(target, "is your home folder: give a folder of its own, e.g. --out build")
    if cwd == target or target in cwd.parents:
        raise _refuse(target, "holds the current directory: give a folder of its own, e.g. --out build")
    if target == ROOT.resolve() or target in ROOT.resolve().parents:
        raise _refuse(target, "holds ketsugo's own files: give a folder of its own, e.g. --out build")
    if target.is_symlink() and not target.exists():
        raise _refuse(target, "is a broken symbolic link: remove it or give another folder")
    if target.exists() and not target.is_dir():
        raise _refuse(target, "is a file, not a folder: not replaced")
    for folder in target.parents:
        if is_build_directory(folder):
            raise _refuse(
                target,
                f"is inside the ketsugo build directory {folder}, which the next build there "
                "replaces whole: give a folder of its own",
            )
    reason = foreign_content(target)
    if reason:
        raise _refuse(target, reason)


def foreign_content(target: Path) -> str | None:
    """Why ``target`` is not a directory ketsugo may replace (None: missing, empty, or ketsugo's own)."""
    if not target.is_dir():
        return None
    names = set(os.listdir(target))
    if not names:
        return None
    owner = _read_json(target / OWNER)
    if owner is not None and "ketsugo" in owner and isinstance(owner.get("files"), list):
        allowed = {str(n) for n in owner["files"]} | {OWNER}
    else:
        manifest = _read_json(target / MANIFEST)
        if manifest is None or "ketsugo" not in manifest:
            return "exists and is not a ketsugo build directory (no build record): not replaced"
        allowed = set(LEGACY_NAMES)
    foreign = sorted(names - allowed)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        return f"holds files ketsugo did not write ({shown}): not replaced; move them or give another --out"
    return None


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def lock_path(target: Path) -> Path:
    """The lock file of builds to ``target``: in this user's temporary folder, named by a hash of
    the path, so nothing is left beside the build (and a read-only parent needs no write)."""
    import hashlib

    folder = Path(tempfile.gettempdir()) / f"ketsugo-locks-{os.getuid() if hasattr(os, 'getuid') else 0}"
    folder.mkdir(mode=0o700, exist_ok=True)
    problem = _not_private(folder)
    if problem:
        # another user's folder (made first, in a shared /tmp) could hold every lock, or lead the
        # lock files elsewhere through a link
        raise _refuse(target, f"the lock folder {folder} {problem}: remove it and build again")
    digest = hashlib.sha256(os.fsencode(target)).hexdigest()[:32]
    return folder / f"{digest}.lock"


def _not_private(folder: Path) -> str | None:
    """Why ``folder`` is not this user's own folder, closed to others (None: it is)."""
    import stat

    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link, not a folder"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"may be written by others (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def _lock(target: Path, *, wait: bool) -> BaseFileLock | None:
    """The lock of builds to ``target``; with ``wait`` False, None when another process holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(target)))
    try:
        lock.acquire(timeout=0)
        return lock
    except Timeout:
        if not wait:
            return None
    print(
        f"waiting for another ketsugo build (or `ketsugo serve --writable`) to finish writing {target} …",
        file=sys.stderr,
    )
    try:
        lock.acquire(timeout=LOCK_WAIT_SECONDS)
    except Timeout:
        raise _refuse(
            target, f"another ketsugo build has been writing here for over {LOCK_WAIT_SECONDS:.0f} s"
        ) from None
    return lock


def hold_lock(target: Path) -> BaseFileLock | None:
    """The lock of builds to ``target`` (a build directory), taken without waiting; None while a
    build holds it. A program that writes a build's store in place (`ketsugo serve --writable`)
    holds it meanwhile, so that no build swaps the directory under a store open for writing
    (RocksDB writes by path: its files would land in the new build and break it). Give it back
    with :func:`release_lock`."""
    return _lock(normal_target(target), wait=False)


def release_lock(lock: BaseFileLock) -> None:
    """Give back a lock :func:`hold_lock` took."""
    _release(lock)


def _release(lock: BaseFileLock) -> None:
    """Let go of a build lock and remove its file, so that /tmp/ketsugo-locks-UID keeps no file per
    build path ever built.

    The file is unlinked while the lock is still held: only a holder ever removes it, so the name
    still names the held file. A process waiting on it then locks an unlinked file, which filelock
    sees (no link left) and drops, opening the name again: it creates a fresh file, and every
    process contends for that one. (filelock 4.3.1, the version tested, makes that check and 3.12 did not, hence pyproject's
    ``filelock>=4.3.1``: an older one would let two builds in at once.) Waiters are never let in twice, and nothing is left behind once
    the last holder is done."""
    try:
        Path(lock.lock_file).unlink(missing_ok=True)
    except OSError:  # a lock folder gone read-only: the file stays, the lock is still released
        pass
    finally:
        lock.release()


def _crash_point(step: int) -> None:
    """Test hook: die at swap step ``step`` (as a kill would) when _KETSUGO_SWAP_CRASH names it."""
    if os.environ.get("_KETSUGO_SWAP_CRASH") == str(step):
        os._exit(70)


def _complete(target: Path) -> None:
    """Finish or undo an interrupted swap (the caller holds the lock)."""
    new, old = _sidecar(target, "new"), _sidecar(target, "old")
    if new.is_dir():
        if target.exists():
            if old.exists():
                shutil.rmtree(old)
            target.rename(old)
        new.rename(target)
    elif old.is_dir() and not target.exists():
        old.rename(target)
    if old.exists() and target.exists():
        shutil.rmtree(old)


def _remove_stale(target: Path) -> None:
    """Temporary directories of builds that were killed (the caller holds the lock)."""
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def recover(target: Path) -> None:
    """Complete or roll back a build swap a killed process left half done (cheap when none was)."""
    target = target.absolute()
    new, old = _sidecar(target, "new"), _sidecar(target, "old")
    if not (new.exists() or old.exists()):
        return
    try:
        lock = _lock(target, wait=False)
    except OSError:  # a read-only place: leave it to a build
        return
    if lock is None:  # a live build is swapping right now
        return
    try:
        _complete(target)
    except OSError:
        pass
    finally:
        _release(lock)


def _no_space(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
        return True
    text = str(exc)
    return isinstance(exc, (OSError, RuntimeError)) and ("No space left" in text or "quota" in text.lower())


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh directory beside ``target``; on success it replaces ``target``, on failure it vanishes."""
    target = normal_target(target)
    check_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = _lock(target, wait=True)
    except OSError as exc:
        raise _refuse(target, f"cannot create the build directory: {os_problem(exc, target)}") from None
    assert lock is not None
    try:
        with sigterm_unwinds():  # a `kill` removes the half-written directory, as an error does
            _complete(target)
            _remove_stale(target)
            check_target(target)  # again: another build may have finished meanwhile
            yield from _write_and_swap(target)
    finally:
        _release(lock)


def _work_name(target: Path) -> Path:
    """A fresh name for the half-written directory beside ``target`` (not yet made)."""
    return target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"


def _write_and_swap(target: Path) -> Iterator[Path]:
    # The name is chosen before the directory is made, and the directory made inside the try below:
    # a SIGTERM (which unwinds) arriving just after mkdir, before this function knew the name, left
    # the directory behind (tempfile.mkdtemp makes and names it in one call).
    work = _work_name(target)
    ours = False  # whether ``work`` names the directory this build made (else nothing is removed)
    try:
        try:
            for _ in range(100):
                try:
                    ours = True  # set first: a signal right after mkdir must still find it ours
                    work.mkdir()
                    break
                except FileExistsError:
                    ours = False
                    work = _work_name(target)
            else:
                raise FileExistsError(errno.EEXIST, "no free name for a temporary directory")
        except OSError as exc:
            raise _refuse(target, f"cannot create the build directory: {os_problem(exc, target)}") from None
        work.chmod(0o777 & ~current_umask())  # a build is meant to be shared
        yield work
        names = sorted(os.listdir(work))
        (work / OWNER).write_text(
            json.dumps({"ketsugo": _version(), "files": names}, indent=2) + "\n", encoding="utf-8"
        )
    except BaseException as exc:
        if ours:
            _remove_work(work)
        if _no_space(exc):
            raise _refuse(
                target,
                "no space left on the device while writing the build: nothing was replaced "
                f"(free some space in {target.parent} and build again)",
            ) from None
        raise
    new, old = _sidecar(target, "new"), _sidecar(target, "old")
    work.rename(new)
    _crash_point(1)
    if target.exists():
        target.rename(old)
    _crash_point(2)
    new.rename(target)
    _crash_point(3)
    if old.exists():
        shutil.rmtree(old)


def _remove_work(work: Path) -> None:
    """Remove a half-written build directory. A writer that has not yet stopped (the store's
    background threads, a worker process finishing its piece) may add a file while it goes, so
    removal is tried again for a few seconds until nothing is left."""
    for _ in range(50):
        shutil.rmtree(work, ignore_errors=True)
        if not work.exists():
            return
        time.sleep(0.1)


def _version() -> str:
    from ketsugo import __version__

    return __version__


def open_store(build_dir: Path) -> ox.Store:
    """The read-only store of a build directory, with a clear error when there is none."""
    recover(build_dir)
    path = build_dir / STORE
    if not path.is_dir():
        raise InputError(
            Issue(
                str(build_dir.absolute()),
                0,
                "--store",
                "no ketsugo build here: run `ketsugo build --out DIR` first, or name a build with --store DIR",
            )
        )
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(
            Issue(
                str(build_dir),
                0,
                "--store",
                f"the build directory is damaged (store/: {exc}): rebuild it with `ketsugo build --out DIR`",
            )
        ) from None
