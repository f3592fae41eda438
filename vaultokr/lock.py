"""One lock per vault, so ``watch`` and ``build`` never write at the same time.

The lock is ``.vaultokr/lock`` held with ``flock`` while a build writes: the
kernel releases it when the process dies, so a lock is never stale. The
file itself is created once and never written. Where
``flock`` does not exist (Windows), the file is created exclusively and holds
the owner's pid; a lock whose process is gone is stale and taken over.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from vaultokr.errors import VaultBusy

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_PATH = Path(".vaultokr") / "lock"
WAIT = 30.0  # seconds a build waits for the lock before giving up (VaultBusy)


@contextlib.contextmanager
def vault_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    path = root / LOCK_PATH
    timeout = WAIT if timeout is None else timeout
    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():  # a vault kept in git should not see the lock
        with contextlib.suppress(OSError):
            ignore.write_text("# written by vaultokr\nlock\n")
    if fcntl is not None:
        with _flock(path, timeout):
            yield
    else:  # pragma: no cover - Windows
        with _pidfile(path, timeout):
            yield


@contextlib.contextmanager
def _flock(path: Path, timeout: float) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(path, None) from None
                time.sleep(0.05)
        try:  # the file is never written: a second build changes nothing, not even it
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _pidfile(path: Path, timeout: float) -> Iterator[None]:  # pragma: no cover - Windows
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            owner = _owner(path)
            if owner is not None and not _alive(owner):
                path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            if time.monotonic() >= deadline:
                raise _busy(path, owner) from None
            time.sleep(0.05)
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
        yield
    finally:
        path.unlink(missing_ok=True)


def _owner(path: Path) -> int | None:
    try:
        return int(path.read_text().strip() or "0") or None
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:  # pragma: no cover - Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _busy(path: Path, owner: int | None) -> VaultBusy:
    who = f"process {owner}" if owner else "another vaultokr"
    return VaultBusy(
        f"the vault is locked by {who} (a build or watch is writing)",
        path=str(path), hint="wait for it to finish, or stop the other vaultokr",
    )
