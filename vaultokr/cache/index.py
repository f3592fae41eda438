"""The persistent index: what reading each note produced, kept in
``.vaultokr/index`` so that the next run re-reads only the notes that changed.

Each note's :class:`~vaultokr.read.entries.Entry` (whatever the reader made of it:
role, properties and their lines, the text kept for fields and tags, the
problems, and the Markdown parse of its body once a source asked for it) is
stored under the note's key: (size, mtime_ns, inode, ctime_ns). A note whose
key differs is read again. The whole index is valid only for the vaultokr
version, the code of the package (its files' sizes and times, so an upgrade
or a changed reader never trusts an old index) and the settings that produced
it (all of them: a changed setting reads every note once more).

Trust: the file lives in the vault, so it is treated as input. It starts with
a header line; it is unpickled with only vaultokr's own classes and a few
plain standard types allowed; anything else (a corrupt, truncated, foreign or
unreadable index) is discarded with a notice on standard error and every note
is read. It never changes a result: the reader's output is cached, not
replaced.

Limits: a note rewritten with the same size, the same mtime, the same ctime
and the same inode is not noticed (ctime cannot be set back by a program, so
this takes a clock turned back or a filesystem without ctime). Notes whose
mtime falls within :data:`RACY_NS` of the index's own write are re-read on
every run until they are older (as git does with its index), which covers
filesystems with coarse timestamps.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from vaultokr import __version__
from vaultokr.core.collector import collector_paused
from vaultokr.write.lock import GITIGNORE, NOFOLLOW

INDEX_REL = ".vaultokr/index"
MAGIC = b"vaultokr-index 2 "  # 2: entries pickled as (class, fields), plain notes as their key
#: notes modified this close to the index's write are not trusted (FAT has 2 s times)
RACY_NS = 2_000_000_000
#: ``--no-cache`` sets this for the whole process
DISABLED = False

Key = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns

_ALLOWED = {
    "builtins": {"set", "frozenset", "complex", "bytearray", "slice", "range"},
    "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
    "collections": {"OrderedDict"},
    "copyreg": {"_reconstructor"},
}


def key_of(st: os.stat_result) -> Key:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def key_at(path: str | Path) -> Key | None:
    """The key of the file at ``path`` (None when it cannot be stat-ed),
    taken before it is read: a change in between makes the next run read it
    again, never trust an old key for new bytes."""
    try:
        return key_of(os.stat(path))
    except OSError:
        return None


def content_hash(data: bytes) -> str:
    """The hash by which vaultokr recognises bytes it wrote."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(settings: object) -> bytes:
    """What the index is valid for: vaultokr's version, its code, the Python
    version and every setting (its repr: any field added later counts too)."""
    digest = hashlib.sha256()
    line = f"{__version__} {sys.version_info[:2]} {settings!r}"
    digest.update(line.encode("utf-8", "surrogateescape"))
    package = Path(__file__).resolve().parent.parent
    hash_files(digest, sorted({p.parent for p in package.rglob("*.py")}), ".py")
    return digest.hexdigest().encode()


def hash_files(digest: Any, folders: Iterable[Path], suffix: str = "") -> None:
    """Add the name, size and mtime of each file of these folders to ``digest``."""
    for folder in folders:
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(suffix))
        except OSError:
            continue
        for name in names:
            try:
                st = os.stat(folder / name)
            except OSError:
                continue
            line = f"{folder}/{name} {st.st_size} {st.st_mtime_ns}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "vaultokr" or module.startswith("vaultokr."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        elif name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an index")


@dataclass
class Index:
    """The entries of the last run, by path, with their keys."""

    path: Path
    stamp: bytes
    entries: dict[str, tuple[Key, Any]] = field(default_factory=dict)
    written_ns: int = 0  # the index file's mtime when it was loaded
    notice: str | None = None

    @classmethod
    def load(cls, root: Path, settings: object) -> Index:
        """The index of the vault at ``root`` (empty when there is none, or it
        cannot be trusted: then ``notice`` says why)."""
        index = cls(root / INDEX_REL, fingerprint(settings))
        try:
            with open(index.path, "rb") as handle:
                st = os.fstat(handle.fileno())
                data = handle.read()
        except FileNotFoundError:
            return index
        except OSError as exc:
            index.notice = f"cannot read the index ({exc.strerror})"
            return index
        header_end = data.find(b"\n")
        if not data.startswith(MAGIC) or header_end < 0:
            index.notice = "the index is not one this version of vaultokr wrote"
            return index
        header = data[len(MAGIC):header_end].split(b" ")
        if header[:1] != [__version__.encode()]:
            index.notice = "the index was written by another version of vaultokr"
            return index
        if header[1:] != [index.stamp]:
            return index  # other settings or code: read everything again, silently
        try:
            with collector_paused():  # unpickling makes many objects at once
                entries = _Unpickler(io.BytesIO(data[header_end + 1:])).load()
            if not isinstance(entries, dict):
                raise pickle.UnpicklingError("not a mapping")
        except Exception as exc:
            index.notice = f"the index is damaged ({type(exc).__name__})"
            return index
        index.entries = entries
        index.written_ns = st.st_mtime_ns
        return index

    def stored(self, rel: str) -> tuple[Key, Any] | None:
        """The key and the entry the index holds for ``rel``."""
        kept = self.entries.get(rel)
        if kept is None or len(kept) == 2:
            return kept
        return kept, _plain()[1](rel, kept)  # a plain note, kept as its key alone

    def get(self, rel: str, key: Key) -> Any | None:
        """The entry kept for ``rel`` if its key is unchanged and it was not
        modified too close to the index's write."""
        if key[1] >= self.written_ns - RACY_NS:
            return None
        stored = self.stored(rel)
        if stored is None or stored[0] != key:
            return None
        return stored[1]

    def save(self, entries: Iterable[tuple[str, Key, Any]]) -> bool:
        """Write the index atomically (a temporary file renamed over it);
        whether it was written. A vault that cannot be written, or whose
        ``.vaultokr`` leads outside it, keeps no index."""
        try:
            # pickling makes a tuple or two per object, held until the pickler
            # goes: gone before the collector is on again, it never walks them
            with collector_paused():
                plain = _plain()[0]
                payload = _pickled({rel: key if plain(key, entry) else (key, entry)
                                    for rel, key, entry in entries})
        except (pickle.PicklingError, RecursionError, ValueError):
            return False  # e.g. a file name that is not UTF-8: no index for this vault
        header = MAGIC + __version__.encode() + b" " + self.stamp + b"\n"
        return write_atomic(self.path, header + payload)


def _pickled(entries: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _reducers()
    pickler.dump(entries)
    return buffer.getvalue()


@cache
def _reducers() -> dict[type, Callable[[Any], Any]]:
    """How the index pickles the classes an entry is made of: as the class
    and its fields' values, unpickled by calling the class with them.
    Pickle's default (a new object, then a dict or the slots of its state)
    costs about twice as much each way for these many small objects."""
    import copyreg

    from vaultokr.core.errors import Problem
    from vaultokr.read.entries import DatedText, Entry, Note
    from vaultokr.read.frontmatter import NoteCache, Pos, Split
    from vaultokr.read.markdown import Block, Body, Heading, Table

    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    for cls in (Entry, Note, DatedText, Split, NoteCache, Body, Block, Table, Heading, Problem):
        fields = dataclasses.fields(cls)
        assert len(fields) > 1 and all(f.init and not f.kw_only for f in fields)
        table[cls] = _by_fields(cls, operator.attrgetter(*(f.name for f in fields)))
    table[Pos] = _pos
    return table


@cache
def _plain() -> tuple[Callable[[Key, Any], bool], Callable[[str, Key], Any]]:
    """Whether an entry is a plain note's (nothing read from it but its
    stamp, which is its key's): most notes of a vault. The index keeps such
    an entry as its key alone; and the entry made again from the key."""
    from vaultokr.read.entries import Entry

    names = [f.name for f in dataclasses.fields(Entry)]
    assert names[:2] == ["rel", "stamp"]
    rest = operator.attrgetter(*names[2:])
    nothing = rest(Entry("", (0, 0)))

    def plain(key: Key, entry: Any) -> bool:
        return bool(entry.stamp == (key[1], key[0]) and rest(entry) == nothing)

    def made(rel: str, key: Key) -> Any:
        return Entry(rel, (key[1], key[0]))

    return plain, made


def _by_fields(cls: type, values: Callable[[Any], tuple[Any, ...]]
               ) -> Callable[[Any], tuple[Any, ...]]:
    return lambda obj: (cls, values(obj))


def _pos(pos: Any) -> tuple[Any, ...]:
    return (type(pos), (pos.line, pos.children) if pos.children else (pos.line,))


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
