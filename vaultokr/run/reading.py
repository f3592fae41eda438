"""The first step of every command: the vault's settings, and its notes read
into one entry each, the unchanged ones from the index. A one-shot command
reads everything once; ``watch`` keeps the entries and re-reads only the
paths that changed (:meth:`VaultReading.refresh`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from vaultokr.cache import answers
from vaultokr.cache import index as persistent
from vaultokr.config.vault_config import Config, load_config
from vaultokr.core.collector import collector_paused
from vaultokr.core.errors import Problem, Problems
from vaultokr.read.entries import Entry, Reader, read_note
from vaultokr.read.listing import iter_note_paths

if TYPE_CHECKING:  # building imports the templates' machinery: only when a command builds
    pass

# what decides which files are notes: a change to one of these needs a full rescan
_READING_SETTINGS = ("type_key", "exclude", "templates_folder", "ignore_filters", "date_properties",
                     "daily")


class VaultReading:
    """A vault's settings and one entry per note file, with the key (size,
    times, inode) each was read at."""

    #: whether the entries live between builds (``watch``: run/kept.py)
    kept = False

    def __init__(self, root: Path, *, cache: bool = True) -> None:
        self.root = root
        self.cache = cache  # False (--no-cache): neither read nor write .vaultokr/'s caches
        self.config = Config()
        self.config_problems: list[Problem] = []
        self.scan_problems: list[Problem] = []
        self.entries: dict[str, Entry] = {}
        self.keys: dict[str, persistent.Key] = {}  # rel -> the key its entry was read at
        self.kept_index = persistent.IndexStep()  # the index the first read used
        self.read_once = False  # the index is used by the first read only
        self.written: dict[str, str] = {}  # rel -> hash of the bytes this pipeline wrote
        self.listing: list[tuple[str, str, persistent.Key | OSError | None]] | None = None
        self.listed_keys = False  # whether the last listing took every note's key
        self.links: dict[str, str] = {}  # a linked note, or folder ("rel/"): where it leads
        self.started_ns = 0  # when the vault was last listed

    def load_settings(self) -> bool:
        """(Re)load vaultokr.toml and Obsidian's settings; whether what decides
        which files are notes changed (then :meth:`read` must rescan)."""
        before = [getattr(self.config, name) for name in _READING_SETTINGS]
        problems = Problems()
        self.config = load_config(self.root, problems)
        self.config_problems = problems.items
        if before == [getattr(self.config, name) for name in _READING_SETTINGS]:
            return False
        self.entries.clear()  # every note is read again, under the new settings
        self.keys.clear()
        return True

    def scan(self) -> None:
        """List every note, and take its key (one ``stat``) when it is wanted
        (by the index, the answers, or a pipeline that keeps its entries)."""
        self.started_ns = time.time_ns()
        problems = Problems()
        stat = self.listed_keys = self._keys_wanted()
        listing: list[tuple[str, str, persistent.Key | OSError | None]] = []
        self.links = {}
        with collector_paused():
            for rel, full in iter_note_paths(self.root, self.config, problems, self.links):
                key: persistent.Key | OSError | None = None
                if stat:
                    try:
                        key = persistent.key_of(os.stat(full))
                    except OSError as exc:
                        key = exc
                listing.append((rel, full, key))
        self.listing = listing
        self.scan_problems = problems.items

    def _keys_wanted(self) -> bool:
        """Whether listing takes every note's key: to compare with the entries kept in
        memory, or with an index or answers kept in ``.vaultokr/``. A first run has none:
        reading takes each note's key from the file it opens (no second ``stat`` per note)."""
        if self.entries or self.kept:
            return True
        return not self.read_once and self.index_on() and _kept_anything(self.root)

    def read(self) -> set[str]:
        """List every note (unless :meth:`scan` just did); read the new and
        changed ones, drop the gone; the paths whose entry changed. The first
        read takes unchanged notes from the persistent index (index.py) when
        it is on. When a note changed, the next build is a full one."""
        reader = Reader(self.config)
        first = not self.entries and not self.read_once and self.index_on()
        index = self.kept_index.load(self.root, self.config) if first else None
        if self.listing is None:
            self.scan()
        assert self.listing is not None
        listing, self.listing = self.listing, None
        self.read_once = True
        seen: set[str] = set()
        changed: set[str] = set()
        lookup = index.stored if index is not None and index.entries else None
        for rel, full, listed in listing:
            seen.add(rel)
            entry = self.entries.get(rel)
            key = None
            if listed is not None:
                if isinstance(listed, OSError):
                    if index is None:
                        continue
                else:
                    if entry is not None and self.keys.get(rel) == listed:
                        continue  # the same size, times (ctime too) and inode
                    key = listed
                    kept = index.get(rel, key) if index is not None else None
                    if kept is not None:
                        self.entries[rel], self.keys[rel] = kept, key
                        changed.add(rel)
                        continue
            data, stamp, read_key = self._read(full, listed=True)
            entry = reader.entry_from(rel, data, stamp)
            if listed is None:  # the listing took no key: the one of the file read
                key = read_key if read_key is not None else persistent.key_at(full)
            stored = lookup(rel) if lookup is not None and key is not None else None
            if stored is not None and stored == (key, entry):
                entry = stored[1]  # a recent note read again, the same: keep its parses
                self.keys[rel] = stored[0]
                self.kept_index.reread.add(rel)
            else:
                self._keep_key(rel, key)
            self.entries[rel] = entry
            changed.add(rel)
        for rel in set(self.entries) - seen:
            del self.entries[rel]
            self.keys.pop(rel, None)
            changed.add(rel)
        if index is not None:  # a note read again: the index is written anyway (save_index)
            self.kept_index.read_done(self.entries)
        return changed

    # ------------------------------------------------------- the index
    def index_on(self) -> bool:
        return self.config.index and self.cache

    def _keep_key(self, rel: str, key: persistent.Key | None) -> None:
        self.kept_index.dirty = True
        if key is None:
            self.keys.pop(rel, None)
        else:
            self.keys[rel] = key

    def save_index(self) -> None:
        """Write the index when this run read a note again or parsed more of
        one (a body a source asked for) than the index held; watch writes it
        once, when it starts."""
        if self.index_on():
            self.kept_index.save(self.entries, self.keys)

    def refresh(self, paths: Iterable[str]) -> set[str]:
        """Read these vault-relative paths again; the ones whose content changed
        (a file that holds what this pipeline wrote did not)."""
        reader = Reader(self.config)
        changed = set()
        for rel in sorted(paths):
            full = self.root / rel
            key = persistent.key_at(full)
            data, stamp, _ = self._read(str(full))
            if isinstance(data, OSError) and not full.exists():
                self.keys.pop(rel, None)
                if self.entries.pop(rel, None) is not None:
                    changed.add(rel)
                continue
            if isinstance(data, bytes) and self.written.get(rel) == persistent.content_hash(data):
                kept = self.entries.get(rel)
                if kept is not None:
                    kept.stamp = stamp
                    self._keep_key(rel, key)
                continue  # our own write
            self.entries[rel] = reader.entry_from(rel, data, stamp)
            self._keep_key(rel, key)
            changed.add(rel)
        return changed

    def _read(self, full: str, listed: bool = False
              ) -> tuple[bytes | OSError | int, tuple[int, int], persistent.Key | None]:
        """The note's bytes (or what stopped reading them), its (mtime_ns, size) and its key,
        both from the ``fstat`` of the file read; ``listed``: the listing just saw a file there."""
        data, st = self._read_file(full, listed)
        if st is None:
            return data, (0, -1), None
        return data, (st.st_mtime_ns, st.st_size), persistent.key_of(st)

    def _read_file(self, full: str, listed: bool) -> tuple[bytes | OSError | int,
                                                          os.stat_result | None]:
        return read_note(full, listed)

    def notes(self) -> int:
        return sum(1 for e in self.entries.values() if not e.generated)


def _kept_anything(root: Path) -> bool:
    """Whether ``.vaultokr/`` holds an index or an answer (when it cannot be
    listed, it may: the keys are taken)."""
    try:
        with os.scandir(root / answers.ANSWERS_DIR) as found:
            return any(item.name == _INDEX_NAME or item.name.startswith(answers.PREFIX)
                       for item in found)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


_INDEX_NAME = persistent.INDEX_REL.rsplit("/", 1)[-1]
