"""Writing into the vault, by the safety rules of SPEC §7. Every byte vaultokr
writes goes through :func:`replace_file`.

- Never outside the vault: no absolute paths, no ``..``, no writing through a
  symbolic link, no folder that resolves outside the vault.
- Compare before write: a file is replaced only when its bytes change.
- Compare and swap: the caller says which bytes it read; if the file holds
  anything else right before the replace (the user typed meanwhile), nothing
  is written and the caller is told.
- Atomic: a temporary file in the same folder, fsync, ``os.replace``, fsync of
  the folder; the file's mode is kept; the temporary file never outlives us.
"""

from __future__ import annotations

import os
import re
import tempfile
from enum import StrEnum
from pathlib import Path, PurePosixPath

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


def replace_file(path: Path, data: bytes, expected: bytes | None) -> Outcome:
    """Replace ``path`` with ``data`` if it still holds ``expected`` (None: if it
    still does not exist)."""
    current = read_bytes(path)
    if current != expected:
        return Outcome.CONFLICT
    if current == data:
        return Outcome.UNCHANGED
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    mode = os.stat(path).st_mode & 0o7777 if current is not None else _default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if read_bytes(path) != expected:  # the user saved while we wrote
            os.unlink(tmp)
            return Outcome.CONFLICT
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)
    return Outcome.CREATED if expected is None else Outcome.WRITTEN


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the replace itself is atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
