"""Writing into the vault, by the safety rules of SPEC §7 (docs/safety.md).
Every byte vaultokr writes into notes and outputs goes through
:func:`replace_file`.

- Never outside the vault: no absolute paths, no ``..``, no NUL, no name over
  255 bytes; folders are opened from the vault down without following links,
  and the temporary file is checked to be in the folder opened before the
  rename, so a folder swapped for a link meanwhile is never written into.
- Compare before write: a file is replaced only when its bytes change.
- Compare and swap: the caller says which bytes it read; if the file holds
  anything else right before the rename (the user typed meanwhile), nothing
  is written and the caller is told. The old file is read once more after
  the rename: an edit saved in place into it in between is put back.
- Atomic: a temporary file in the same folder (its name shortened to fit),
  fsync, ``os.replace``, fsync of the folder; the mode, owner and group are
  kept (where permitted); the temporary file never outlives us.
- Hands off: a read-only note, a note with several hard links, or something
  that is not a regular file is never rewritten (WriteRefused).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from enum import StrEnum
from pathlib import Path, PurePosixPath

from vaultokr.write.lock import NOFOLLOW

BOM = b"\xef\xbb\xbf"
TEMP_SUFFIX = ".vaultokr-tmp"


class Outcome(StrEnum):
    CREATED = "created"
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # the file changed between our read and our write


class UnsafePath(Exception):
    """An output path that would write outside the vault or through a link."""


def resolve_output(root: Path, rel: str) -> Path:
    """The filesystem path of a vault-relative output path, or UnsafePath."""
    pure = PurePosixPath(rel.replace("\\", "/"))
    if not rel.strip() or pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", rel):
        raise UnsafePath(f"{rel!r} is not a path inside the vault: write a relative path such "
                         "as OKRs/Dashboard.md")
    if "\0" in rel:
        raise UnsafePath(f"{rel!r} holds a NUL character, which no file name can: remove it")
    long = [part for part in pure.parts if len(os.fsencode(part)) > _NAME_MAX]
    if long:
        raise UnsafePath(f"{long[0][:40]}… is longer than {_NAME_MAX} bytes, more than a file "
                         "name can be: shorten it")
    root_real = os.path.realpath(root)
    target = Path(root, *pure.parts)
    if target.is_symlink():
        raise UnsafePath(f"{rel} is a symbolic link; vaultokr does not write through links")
    parent = os.path.realpath(target.parent)
    if parent != root_real and not parent.startswith(root_real + os.sep):
        raise UnsafePath(f"{rel} is in a folder that leads outside the vault (a link)")
    return target


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def encode_like(text: str, old: bytes | None) -> bytes:
    """``text`` (with ``\\n`` line ends) as bytes in the old file's style:
    its line endings (CRLF when its first line ends so) and its BOM."""
    data = text.encode("utf-8")
    if old is None:
        return data
    first_end = old.find(b"\n")
    if first_end > 0 and old[first_end - 1 : first_end] == b"\r":
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if old.startswith(BOM):
        data = BOM + data
    return data


class WriteRefused(Exception):
    """A file vaultokr will not rewrite (read-only, hard-linked, not a regular
    file, or its folder moved meanwhile); ``code`` is the problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NAME_MAX = 255


def replace_file(path: Path, data: bytes, expected: bytes | None,
                 root: Path | None = None) -> Outcome:
    """Replace ``path`` with ``data`` if it still holds ``expected`` (None: if it
    still does not exist). With ``root``, the folders from the root down are
    opened without following links (made when missing), so a folder swapped
    for a link meanwhile is never written into. OSError for what the system
    refuses, WriteRefused for what vaultokr refuses; nothing is left behind."""
    folder = _open_folder(path.parent, root)
    try:
        return _replace_in(folder, path, data, expected, recheck=True)
    finally:
        os.close(folder)


def _open_folder(folder: Path, root: Path | None) -> int:
    if root is None:
        folder.mkdir(parents=True, exist_ok=True)
        return os.open(folder, _DIR_FLAGS)
    if not os.path.isdir(root):
        Path(root).mkdir(parents=True, exist_ok=True)  # a vault that `new` starts
    fd = os.open(root, _DIR_FLAGS)
    here = Path(root)
    try:
        for part in folder.relative_to(root).parts:
            here = here / part
            try:
                sub = _open_sub(part, fd)
            except FileNotFoundError:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(here)
                sub = _open_sub(part, fd)
            os.close(fd)
            fd = sub
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise WriteRefused("output-unsafe", f"{here.name} is a symbolic link or not a "
                               "folder; vaultokr does not write through links") from None
        raise
    return fd


def _open_sub(name: str, parent: int) -> int:
    return os.open(name, _DIR_FLAGS | NOFOLLOW, dir_fd=parent)


def _replace_in(folder: int, path: Path, data: bytes, expected: bytes | None,
                recheck: bool) -> Outcome:
    name = path.name
    old_fd = _open_old(folder, name)
    try:
        current = _read_fd(old_fd) if old_fd is not None else None
        if current != expected:
            return Outcome.CONFLICT
        if current == data:
            return Outcome.UNCHANGED
        old_stat = os.fstat(old_fd) if old_fd is not None else None
        if old_stat is not None:
            _may_rewrite(old_stat)
        mode = old_stat.st_mode & 0o7777 if old_stat is not None else _default_mode()
        tmp_name = _temp_name(name)
        tmp = str(path.parent / tmp_name)
        tfd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o600)
        try:
            try:
                _fill(tfd, data, mode, old_stat)
                if not _inside(folder, tmp_name, tfd):
                    raise WriteRefused("output-unsafe", "its folder was moved or replaced by a "
                                       "link while vaultokr wrote; nothing was written")
            finally:
                os.close(tfd)
            # the last compare, right before the rename
            if _still(folder, name, old_fd, old_stat) != expected:
                _discard(tmp)
                return Outcome.CONFLICT
            os.replace(tmp, path)
        except BaseException:
            _discard(tmp)
            raise
        _fsync_fd(folder)
        if recheck and old_fd is not None and _read_fd(old_fd) != expected:
            # saved in place into the old file between the last compare and the
            # rename: put the user's bytes back
            _replace_in(folder, path, _read_fd(old_fd), data, recheck=False)
            return Outcome.CONFLICT
        return Outcome.CREATED if expected is None else Outcome.WRITTEN
    finally:
        if old_fd is not None:
            os.close(old_fd)


def _open_old(folder: int, name: str) -> int | None:
    try:
        return os.open(name, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0),
                       dir_fd=folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WriteRefused("output-unsafe", "it is a symbolic link; vaultokr does not "
                               "write through links") from None
        raise


def _may_rewrite(st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused("write-failed", "it is not a regular file (a folder, a pipe or a "
                           "device): move it away")
    if not st.st_mode & stat.S_IWUSR:
        raise WriteRefused("note-read-only", "it is read-only, so vaultokr leaves it alone: "
                           "make it writable (chmod u+w) for vaultokr to update it")
    if st.st_nlink > 1:
        raise WriteRefused("note-hard-links", f"it has {st.st_nlink} hard links, which a "
                           "rewrite would break, so vaultokr leaves it alone: copy it to "
                           "a note of its own to have it updated")


def _read_fd(fd: int) -> bytes:
    chunks = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _fill(fd: int, data: bytes, mode: int, old: os.stat_result | None) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)
    os.fchmod(fd, mode)
    if old is not None and hasattr(os, "fchown"):
        with contextlib.suppress(PermissionError):  # keep owner and group where permitted
            os.fchown(fd, old.st_uid, old.st_gid)


def _inside(folder: int, name: str, fd: int) -> bool:
    """Whether the file open as ``fd`` is ``name`` in the folder open as ``folder``."""
    try:
        there = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino)


def _still(folder: int, name: str, old_fd: int | None,
           old_stat: os.stat_result | None) -> bytes | None:
    """What the note holds now (None: it is gone), from the file we compared."""
    try:
        now = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if old_fd is None or old_stat is None or (now.st_dev, now.st_ino) != (
            old_stat.st_dev, old_stat.st_ino):
        return b"\0replaced"  # a different file: never equal to what we read
    return _read_fd(old_fd)


def _temp_name(name: str) -> str:
    """A temporary name next to ``name`` that fits the file system's limit."""
    token = secrets.token_hex(4)
    room = _NAME_MAX - len(token) - len(TEMP_SUFFIX) - 2
    short = os.fsdecode(os.fsencode(name)[:room])
    return f".{short}.{token}{TEMP_SUFFIX}"


def _discard(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def _fsync_fd(fd: int) -> None:
    with contextlib.suppress(OSError):  # not possible on every platform
        os.fsync(fd)


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
