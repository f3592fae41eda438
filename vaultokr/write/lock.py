"""One lock per vault, so ``watch`` and ``build`` never write at the same time.

The lock is ``.vaultokr/lock`` held with ``flock`` while a build writes: the
kernel releases it when the process dies, so a lock is never stale. The
file itself is created once and never written. Where
``flock`` does not exist (Windows), the file is created exclusively and holds
the owner's pid; a lock whose process is gone is stale and taken over.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

from vaultokr.core.errors import CannotWrite, VaultBusy
from vaultokr.core.oserrors import os_reason

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_PATH = Path(".vaultokr") / "lock"
#: a vault kept in git should not see the lock, nor the index (index.py, lastbuild.py)
GITIGNORE = "# written by vaultokr\nlock\nindex\nindex.delta\nlast-build\nlast-reviews\nanswer-*\n"
WAIT = 30.0  # seconds a build waits for the lock before giving up (VaultBusy)


#: never open through a symbolic link (lock, index, answers and notes alike)
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@contextlib.contextmanager
def vault_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    path = root / LOCK_PATH
    timeout = WAIT if timeout is None else timeout
    _own_folder(path.parent)
    _gitignore(path.parent / ".gitignore")
    if fcntl is not None:
        with _flock(path, timeout):
            yield
    else:  # pragma: no cover - Windows
        with _pidfile(path, timeout):
            yield


def _own_folder(folder: Path) -> None:
    """``.vaultokr``, made when missing; never a link (its files would be
    written outside the vault)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise CannotWrite(f"{folder.name} is a symbolic link or not a folder; vaultokr keeps its "
                          "lock only in a folder of the vault", path=str(folder),
                          hint="remove it (vaultokr makes the folder again), then run again")
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except OSError as exc:
        raise _cannot(folder, exc) from None


def _gitignore(path: Path) -> None:
    """A vault kept in git should not see the lock: ``.vaultokr/.gitignore``,
    created once, never through a link."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
    except FileExistsError:
        if path.is_symlink():
            raise CannotWrite("a symbolic link is where vaultokr keeps its .gitignore",
                              path=str(path), hint="remove the link, then run again") from None
        return
    except OSError:
        return  # not needed to build; the lock below says what is wrong
    try:
        os.write(fd, GITIGNORE.encode())
    except OSError:
        pass
    finally:
        os.close(fd)


def _cannot(path: Path, exc: OSError) -> CannotWrite:
    return CannotWrite(f"cannot write vaultokr's lock: {os_reason(exc)}", path=str(path),
                       hint="nothing was written; fix this, then run vaultokr again")


@contextlib.contextmanager
def _flock(path: Path, timeout: float) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise CannotWrite("a symbolic link is where vaultokr keeps its lock", path=str(path),
                              hint="remove the link, then run again") from None
        raise _cannot(path, exc) from None
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
