"""What a kept result depends on, as one digest per part: a cache may skip
work only while every input of that work is the same (docs/performance.md,
"What a cache may skip").

- :func:`code`: vaultokr's version and every module of the package (every
  sub-folder), the Python version, and the installed libraries that shape a
  result (their files' sizes and times, the change time too: an edit that
  keeps a file's size and sets its time back still changes it);
- :func:`settings`: every setting (its repr: any field added later counts
  too);
- :func:`folders`: every file below the given folders (the templates, and
  the files they include), by name and content;
- :func:`environment`: what a command reads from its environment
  (``NO_COLOR``, ``COLUMNS``).
- :func:`git_head`: the commit the vault's git HEAD is at (a followed
  note's history depends on it).

Each part is a hex digest; :class:`Digest` joins labelled parts, so that two
different sets of inputs can never give the same bytes to hash.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from vaultokr import __version__

#: the libraries whose versions can change what vaultokr reads or writes
LIBRARIES = ("yaml", "frontmatter", "markdown_it", "mdurl", "jinja2", "markupsafe", "click")
#: the environment variables a command's output depends on
ENVIRONMENT = ("NO_COLOR", "COLUMNS")

PACKAGE = Path(__file__).resolve().parent.parent


class Digest:
    """A sha256 over labelled parts: ``add("code", ...)``, ``add("as_of", ...)``."""

    def __init__(self, kind: str) -> None:
        self._hash = hashlib.sha256(f"vaultokr {kind}\n".encode())

    def add(self, label: str, value: str | bytes) -> Digest:
        data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogateescape")
        self._hash.update(f"{label} {len(data)}\n".encode())
        self._hash.update(data)
        return self

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@cache
def code() -> str:
    """vaultokr's version and code, Python's version, the libraries' files."""
    digest = Digest("code").add("version", __version__).add("python", sys.version)
    for line in sorted(_modules(str(PACKAGE), "")):
        digest.add("module", line)
    for name in LIBRARIES:
        digest.add("library", f"{name} {_library(name)}")
    return digest.hexdigest()


def _modules(folder: str, prefix: str) -> list[str]:
    """``path size mtime_ns ctime_ns`` of every module below ``folder``."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                st = entry.stat()
                found.append(f"{prefix}{entry.name} {st.st_size} {st.st_mtime_ns} "
                             f"{st.st_ctime_ns}")
            elif entry.is_dir() and entry.name != "__pycache__":
                found.extend(_modules(entry.path, f"{prefix}{entry.name}/"))
    return found


def _library(name: str) -> str:
    """Where a library is and its main file's size and time ("absent")."""
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return "absent"
    return _stat_line(Path(spec.origin))


def _stat_line(path: Path) -> str:
    name = str(path)
    try:
        st = os.stat(path)
    except OSError:
        return f"{name} missing"
    return f"{name} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"


def settings(config: object) -> str:
    """Every setting."""
    return Digest("settings").add("repr", repr(config)).hexdigest()


def folders(roots: Iterable[Path]) -> str:
    """Every file below these folders, by path and content (a template's
    includes and imports live there too); a folder that is missing counts as
    missing."""
    digest = Digest("folders")
    for number, root in enumerate(roots):  # by place, not path: the same from any folder
        digest.add("folder", str(number))
        try:
            usable = root.is_dir() and os.access(root, os.R_OK | os.X_OK)
        except OSError:  # a folder above it may not be entered
            usable = False
        if not usable:
            digest.add("missing", str(number))
            continue
        for path in sorted(_files(root)):
            try:
                data = path.read_bytes()
            except OSError as exc:
                data = f"unreadable {exc.errno}".encode()
            digest.add("file", path.relative_to(root).as_posix())
            digest.add("content", hashlib.sha256(data).digest())
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        found.extend(Path(folder) / name for name in names)
    return found


def environment() -> str:
    """The environment variables an output depends on."""
    digest = Digest("environment")
    for name in ENVIRONMENT:
        value = os.environ.get(name)
        digest.add(name, "unset" if value is None else f"={value}")
    return digest.hexdigest()


def git_head(root: Path) -> str:
    """The commit the vault's git HEAD is at ("" outside a repository), read
    from ``.git`` without running git: a followed note's history (SPEC v3)
    depends on it, so a commit changes every answer's and build's stamp."""
    from vaultokr.read.githistory import head_stamp

    found = head_stamp(root.resolve())
    return f"|git {found}" if found else ""
