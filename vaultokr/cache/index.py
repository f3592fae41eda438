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

import contextlib
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

from vaultokr.cache import store
from vaultokr.cache.fingerprint import Digest, code
from vaultokr.cache.fingerprint import settings as settings_stamp
from vaultokr.core.collector import collector_paused
from vaultokr.read.githistory import GitMemo

INDEX_REL = ".vaultokr/index"
#: the index's entry for what was read from git (not a note: no note path ends so)
HISTORY_KEY = ".git-history"
KIND = "index"
FORMAT = 4  # 4: (token, entries), and a delta beside it; 3: the store's header; 2: entries
#             pickled as (class, fields), plain notes as keys
DELTA_KIND = "index-delta"
DELTA_SUFFIX = ".delta"
#: a delta is written while it holds at most this many entries, or one in this many
DELTA_MIN, DELTA_SHARE = 64, 16
#: notes modified this close to the index's write are not trusted (FAT has 2 s times)
RACY_NS = 2_000_000_000

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


def fingerprint(settings: object) -> str:
    """What the index is valid for: the code (vaultokr, Python, the libraries)
    and every setting."""
    return Digest("index").add("code", code()).add("settings", settings_stamp(settings)).hexdigest()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "vaultokr" or module.startswith("vaultokr."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        elif name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an index")


def restricted_load(data: bytes) -> Any:
    """Unpickle what vaultokr wrote into ``.vaultokr/``: only its own classes
    and a few plain standard types (a planted file cannot run code)."""
    with collector_paused():  # unpickling makes many objects at once
        return _Unpickler(io.BytesIO(data)).load()


@dataclass
class Index:
    """The entries of the last run, by path, with their keys: the index file's,
    with its delta's (``index.delta``: the entries that changed since the
    index file was written in full) laid over them."""

    path: Path
    stamp: str
    entries: dict[str, tuple[Key, Any]] = field(default_factory=dict)
    written_ns: int = 0  # the index file's mtime when it was loaded
    notice: str | None = None
    token: bytes = b""  # names the index file: a delta applies to that one only
    base: dict[str, Any] = field(default_factory=dict)  # the index file's own entries
    delta_ns: int = 0  # the delta's mtime: its entries' racy window is the delta's
    in_delta: set[str] = field(default_factory=set)
    made: dict[str, Any] = field(default_factory=dict)  # plain notes' entries given out

    @property
    def delta_path(self) -> Path:
        return self.path.with_name(self.path.name + DELTA_SUFFIX)

    @classmethod
    def load(cls, root: Path, settings: object) -> Index:
        """The index of the vault at ``root`` (empty when there is none, or it
        cannot be trusted: then ``notice`` says why)."""
        index = cls(root / INDEX_REL, fingerprint(settings))
        kept = _read_kept(index.path, KIND, index.stamp)
        if kept is None or isinstance(kept, str):
            index.notice = kept
            return index
        payload, index.written_ns = kept
        if not (isinstance(payload, tuple) and len(payload) == 2
                and isinstance(payload[0], bytes) and isinstance(payload[1], dict)):
            index.notice = "the index is damaged (not a mapping)"
            return index
        index.token, index.base = payload
        index.entries = index.base
        delta = _read_kept(index.delta_path, DELTA_KIND, index.stamp)
        if isinstance(delta, tuple) and isinstance(delta[0], tuple) and len(delta[0]) == 3 \
                and delta[0][0] == index.token and isinstance(delta[0][1], dict):
            # any other delta (damaged, of another index file) is not used: the
            # index file alone is what a run left then, its keys tell the rest
            (_, changed, removed), index.delta_ns = delta
            index.entries = {**index.base, **changed}
            for rel in removed:
                index.entries.pop(rel, None)
            index.in_delta = set(changed)
        return index

    def stored(self, rel: str) -> tuple[Key, Any] | None:
        """The key and the entry the index holds for ``rel``."""
        kept = self.entries.get(rel)
        if kept is None or len(kept) == 2:
            return kept
        entry = self.made[rel] = _plain()[1](rel, kept)  # a plain note, kept as its key alone
        return kept, entry

    def get(self, rel: str, key: Key) -> Any | None:
        """The entry kept for ``rel`` if its key is unchanged and it was not
        modified too close to the write of the file that holds it."""
        if key[1] >= (self.delta_ns if rel in self.in_delta else self.written_ns) - RACY_NS:
            return None
        stored = self.stored(rel)
        if stored is None or stored[0] != key:
            return None
        return stored[1]

    def save(self, entries: Iterable[tuple[str, Key, Any]], refilled: Iterable[str] = ()) -> bool:
        """Write the index atomically (a temporary file renamed over it);
        whether it was written. When few entries differ from the index file's
        (``refilled``: entries of the index that hold more parses now), only
        they are written, as its delta. A vault that cannot be written, or whose
        ``.vaultokr`` leads outside it, keeps no index."""
        try:
            # pickling makes a tuple or two per object, held until the pickler
            # goes: gone before the collector is on again, it never walks them
            with collector_paused():
                listed = list(entries)
                delta = self._delta(listed, set(refilled))
                if delta is not None:
                    return store.write_atomic(self.delta_path, store.header(
                        DELTA_KIND, FORMAT, self.stamp) + _pickled(delta))
                plain = _plain()[0]
                kept = {rel: key if rel != HISTORY_KEY and plain(key, entry) else (key, entry)
                        for rel, key, entry in listed}
                token = os.urandom(16)
                payload = _pickled((token, kept))
        except (pickle.PicklingError, RecursionError, ValueError):
            return False  # e.g. a file name that is not UTF-8: no index for this vault
        if not store.write_atomic(self.path, store.header(KIND, FORMAT, self.stamp) + payload):
            return False
        self.token, self.base = token, kept
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            os.unlink(self.delta_path)  # names the index file replaced: never applied again
        return True

    def _delta(self, entries: list[tuple[str, Key, Any]], refilled: set[str]
               ) -> tuple[bytes, dict[str, Any], list[str]] | None:
        """What differs from the index file: (its token, the entries, the gone
        paths), or None when the index file is better written in full."""
        base, made = self.base, self.made
        if not self.token or not base:
            return None
        most = max(DELTA_MIN, len(entries) // DELTA_SHARE)
        plain = _plain()[0]
        changed = {}
        for rel, key, entry in entries:
            was = base.get(rel)
            if was is not None and rel not in refilled and (
                    was[1] is entry and was[0] == key if len(was) == 2
                    else made.get(rel) is entry and was == key):
                continue  # the index file's own entry (a plain note's made from its key)
            changed[rel] = key if rel != HISTORY_KEY and plain(key, entry) else (key, entry)
            if len(changed) > most:
                return None
        removed = []
        if len(base) != len(entries) - len(changed.keys() - base.keys()):  # some are gone
            listed = {rel for rel, _, _ in entries}
            removed = [rel for rel in base if rel not in listed]
        if len(changed) + len(removed) > most:
            return None
        return self.token, changed, removed


def _read_kept(path: Path, kind: str, stamp: str) -> tuple[Any, int] | str | None:
    """The unpickled content of a kept file with its mtime; or why it cannot
    be used (None: there is none, or it is for other code or settings)."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read the {kind} ({exc.strerror})"
    header_end = data.find(b"\n")
    checked = store.check(data[:header_end + 1], kind, FORMAT, stamp)
    if not checked.usable:
        return checked.notice  # None: other settings or code, read all silently
    try:
        return restricted_load(data[header_end + 1:]), st.st_mtime_ns
    except Exception as exc:
        return f"the {kind} is damaged ({type(exc).__name__})"


class IndexStep:
    """The index as one step of a pipeline's reading: loaded by the first
    read, asked for each note whose key is unchanged, and written again only
    when the run read a note anew or parsed more of one (a body a source
    asked for) than the index held."""

    def __init__(self) -> None:
        self.index: Index | None = None
        self.dirty = False  # a note was read anew: the index is written again
        #: followed notes' versions and texts read from git, by blob id (SPEC v3)
        self.history = GitMemo()
        self.fills: dict[str, int] = {}  # parses kept with each entry when the index was read
        #: notes read again (too recent to trust) and found as the index holds
        #: them: written again with the run's time, they are trusted when older
        self.reread: set[str] = set()

    def load(self, root: Path, settings: object) -> Index:
        self.index = Index.load(root, settings)
        if self.index.notice:
            print(f"vaultokr: {self.index.notice}; reading every note (it will be "
                  f"written again)", file=sys.stderr)
        kept = self.index.entries.pop(HISTORY_KEY, None)
        if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], GitMemo):
            self.history = kept[1]
            self.history.changed = False
        self.dirty = False
        self.reread = set()
        return self.index

    def read_done(self, entries: dict[str, Any]) -> None:
        self.fills = _fills(entries)

    def save(self, entries: dict[str, Any], keys: dict[str, Key]) -> None:
        index = self.index
        if index is None:
            return
        fills = _fills(entries)
        refilled = [rel for rel, count in fills.items() if count > self.fills.get(rel, 0)]
        if (not self.dirty and not self.history.changed and len(index.entries) == len(keys)
                and not refilled):
            return
        kept = [(rel, key, entries[rel]) for rel, key in sorted(keys.items()) if rel in entries]
        if self.history.followed:
            kept.append((HISTORY_KEY, (0, 0, 0, 0), self.history))
            if self.history.changed:  # changed in place: the delta must hold it again
                refilled.append(HISTORY_KEY)
        self.history.changed = False
        index.save(kept, [*refilled, *self.reread])
        self.dirty = False
        self.fills, self.reread = fills, set()


def _fills(entries: dict[str, Any]) -> dict[str, int]:
    """How many parses are kept with each note (bodies, lower-cased texts, dated
    notes' properties), for the notes that keep any: more than the index holds
    is worth writing."""
    counts = {}
    for rel, entry in entries.items():
        note, dated = entry.note, entry.dated
        if note is None and dated is None:
            continue  # most notes: nothing read from them
        count = 0
        for kept in (note.cache if note else None, dated.cache if dated else None):
            if kept is not None:
                count += (kept.body is not None) + (kept.lower is not None) + (
                    kept.meta is not None)
        if count:
            counts[rel] = count
    return counts


def _pickled(entries: object) -> bytes:
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
