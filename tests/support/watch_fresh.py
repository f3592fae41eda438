"""A real watcher on a copy of the sample vault, and what a fresh build of the
same files writes, for the tests that hold ``vaultokr watch`` to it.

    with Watching(sample(tmp_path / "vault")) as w:
        ...edit the vault...
        w.catches_up(tmp_path / "fresh")   # the vault is what build --no-cache makes of it
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from support.watching import Running
from vaultokr.run.watch import WatchOptions

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "sample-vault"
AS_OF = "2026-11-20"
#: what vaultokr keeps in .vaultokr/ for itself (the rest there is the user's)
CACHES = ("index", "index.delta", "last-build", "last-reviews", "lock", ".gitignore")
LONG_AGO = 1_767_225_600  # 2026-01-01: no note within the index's racy window


def is_cache(rel: str) -> bool:
    parts = rel.split("/")
    return (len(parts) > 1 and parts[0] == ".vaultokr"
            and (parts[1] in CACHES or parts[1].startswith("answer-")
                 or parts[1].endswith(".tmp")))


def sample(dst: Path) -> Path:
    """A copy of the sample vault, without its caches, every file dated long ago."""
    shutil.copytree(SAMPLE, dst, symlinks=True, ignore=_ignoring_caches(SAMPLE))
    for folder, dirs, files in os.walk(dst):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), (LONG_AGO, LONG_AGO), follow_symlinks=False)
    return dst


def _ignoring_caches(root: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(root).as_posix()
        return {n for n in names if is_cache(n if rel == "." else f"{rel}/{n}")}
    return ignore


def snapshot(root: Path) -> dict[str, bytes | tuple[str, str]]:
    """Every file of the vault by its path (a link: where it leads), caches left out."""
    found: dict[str, bytes | tuple[str, str]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            full = Path(folder, name)
            rel = full.relative_to(root).as_posix()
            if is_cache(rel):
                continue
            if full.is_symlink():
                found[rel] = ("link", os.readlink(full))
            elif full.is_file():
                found[rel] = full.read_bytes()
    return found


def fresh_build(root: Path, scratch: Path) -> dict[str, bytes | tuple[str, str]]:
    """What ``vaultokr build --no-cache`` (a process of its own) leaves in a
    copy of the vault's files (links copied as links)."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(root, scratch, symlinks=True, ignore=_ignoring_caches(root))
    subprocess.run([sys.executable, "-m", "vaultokr", "build", "--as-of", AS_OF, "--no-cache"],
                   cwd=scratch, capture_output=True, timeout=120, check=False,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return snapshot(scratch)


def differing(one: dict[str, bytes | tuple[str, str]],
              other: dict[str, bytes | tuple[str, str]]) -> list[str]:
    return sorted(rel for rel in one.keys() | other.keys() if one.get(rel) != other.get(rel))


def write_keeping_times(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (of the same length) in place, then set the
    file's times back to what they were: the size and mtime say nothing changed."""
    assert len(old) == len(new)
    st = path.stat()
    data = path.read_bytes()
    assert old in data
    with open(path, "r+b") as handle:
        handle.write(data.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


class Watching(Running):
    """A :class:`Watcher` on ``root`` in a thread of its own, its lines kept,
    that leaves no thread behind when it stops."""

    def __init__(self, root: Path, **options: object) -> None:
        self.before = set(threading.enumerate())
        settings = {"debounce": 0.1, "as_of": dt.date.fromisoformat(AS_OF), **options}
        super().__init__(root, WatchOptions(**settings))  # type: ignore[arg-type]

    def catches_up(self, scratch: Path, timeout: float = 10.0) -> None:
        """Within ``timeout`` (far below the timed rescan), the vault's files are
        those a fresh build of a copy of it writes."""
        expected = fresh_build(self.root, scratch)
        deadline = time.monotonic() + timeout
        while (diff := differing(snapshot(self.root), expected)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not diff, f"stale after {timeout} s: {diff}; the watcher said:\n" + "\n".join(
            self.lines)
        assert self.error is None, self.error

    def stop(self) -> None:
        """Stop it; no thread it started is left running."""
        super().stop()
        deadline = time.monotonic() + 5
        while (left := [t for t in set(threading.enumerate()) - self.before if t.is_alive()]
               ) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not left, f"threads left running: {left}"

    def __enter__(self) -> Watching:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

