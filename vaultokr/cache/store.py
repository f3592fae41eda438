"""The one store of vaultokr's kept files in ``.vaultokr/``: the index, the
answers and the last build. Each file starts with one header line::

    vaultokr-cache KIND FORMAT VERSION STAMP

KIND says what the file holds, FORMAT the layout of what follows (a change
of layout is a new number), VERSION vaultokr's, and STAMP the digest of every
input the content depends on (:mod:`vaultokr.cache.fingerprint`). A file is
used only when all four are what the reader expects: :func:`check` is the one
place that rejects a stale or foreign file. Files are written atomically, only
inside the vault, and only when their bytes change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vaultokr import __version__
from vaultokr.write.lock import GITIGNORE, NOFOLLOW

MAGIC = b"vaultokr-cache"


def header(kind: str, fmt: int, stamp: str) -> bytes:
    """The first line of a kept file, its newline included."""
    return f"vaultokr-cache {kind} {fmt} {__version__} {stamp}\n".encode()


@dataclass
class Checked:
    """What the header line of a kept file says: usable, or why not
    (``notice`` is worth telling the user: the file is not one of ours)."""

    usable: bool
    notice: str | None = None


def check(line: bytes, kind: str, fmt: int, stamp: str) -> Checked:
    """Whether a kept file whose first line is ``line`` may be used."""
    words = line.rstrip(b"\n").split(b" ")
    if len(words) != 5 or words[0] != MAGIC or words[1] != kind.encode():
        if line.startswith(b"vaultokr-"):  # an older vaultokr's own header
            return Checked(False, f"the {kind} was written by another version of vaultokr")
        return Checked(False, f"the {kind} is not one vaultokr wrote")
    if words[2] != str(fmt).encode() or words[3] != __version__.encode():
        return Checked(False, f"the {kind} was written by another version of vaultokr")
    return Checked(words[4] == stamp.encode())  # other inputs: silently not used


def write_atomic(path: Path, data: bytes) -> bool:
    """Write one of vaultokr's own files in ``.vaultokr/`` (a temporary file
    renamed over it); whether it was written. Nothing is written when the
    folder leads outside the vault or cannot be written."""
    folder = path.parent
    try:
        folder.mkdir(exist_ok=True)
        if folder.is_symlink() or (
                os.path.dirname(os.path.realpath(folder)) != os.path.realpath(folder.parent)):
            return False  # vaultokr's own files are kept only in a folder of the vault
        _ignore(folder / ".gitignore")
        if _holds(path, data):
            return True  # compare before write: the same bytes are not written again
        # a name of its own (as tempfile.mkstemp makes, without importing it: 2 ms of
        # a first run); O_EXCL never opens a file that is there already
        tmp = folder / f".{path.name}.{os.urandom(4).hex()}.vaultokr-tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link, FIFO or device) that
    holds exactly ``data``."""
    import stat

    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _ignore(path: Path) -> None:
    """The vault's ``.vaultokr/.gitignore`` names vaultokr's own files (a
    vault kept in git should not see them)."""
    if path.is_symlink():
        return  # never written through a link
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        path.write_text(GITIGNORE, encoding="utf-8")
        return
    lines = text.split("\n")
    missing = [line for line in GITIGNORE.split("\n")[1:] if line and line not in lines]
    if missing:
        path.write_text(text + ("" if text.endswith("\n") or not text else "\n")
                        + "".join(f"{line}\n" for line in missing), encoding="utf-8")
