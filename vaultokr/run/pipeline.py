"""The pipeline every command runs: read the vault, analyse it as of a date,
build the reviews. One :class:`Pipeline` holds what lives between those
steps (the settings, one entry per note file, the template renderer), so a
one-shot command reads everything once and ``watch`` keeps it and refreshes
only the files that changed.

    read() / refresh(paths)  the note files (listing.py) -> entries (vault.py)
    analyse(as_of)           entries -> files -> model -> results (engine.py)
    build(analysis)          results -> reviews and regions in the vault (build.py)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from vaultokr.cache import answers
from vaultokr.cache import index as persistent
from vaultokr.compute.analysis import Analysis, analyse_files
from vaultokr.config.vault_config import Config, load_config
from vaultokr.core.collector import collector_paused
from vaultokr.core.errors import Problem, Problems, UsageError
from vaultokr.read.entries import Entry, Reader, assemble, read_note
from vaultokr.read.listing import is_note_path, iter_note_paths

if TYPE_CHECKING:  # building imports the templates' machinery: only when a command builds
    from vaultokr.cache.answers import Again
    from vaultokr.cache.incremental import State
    from vaultokr.cache.reuse import Snapshot
    from vaultokr.reviews.memo import Carry
    from vaultokr.reviews.render import Renderer
    from vaultokr.write.outputs import BuildResult

# what decides which files are notes: a change to one of these needs a full rescan
_READING_SETTINGS = ("type_key", "exclude", "templates_folder", "ignore_filters", "date_properties",
                     "daily")


class Pipeline:
    """A vault read into entries, analysed and built.

    ``kept`` (``watch``): the pipeline lives between builds, so notes are read
    until two reads agree, the compiled templates are kept, and what it
    wrote is remembered so that reading it back is not taken for an edit.
    """

    def __init__(self, root: Path, *, kept: bool = False, cache: bool = True) -> None:
        self.root = root
        self.kept = kept
        self.cache = cache  # False (--no-cache): neither read nor write .vaultokr/'s caches
        self.config = Config()
        self.config_problems: list[Problem] = []
        self.scan_problems: list[Problem] = []
        self.entries: dict[str, Entry] = {}
        self.keys: dict[str, persistent.Key] = {}  # rel -> the key its entry was read at
        self.index: persistent.Index | None = None  # the index the first read used
        self.index_dirty = False
        self.read_once = False  # the index is used by the first read only
        self._filled = 0  # parses kept with the entries when the index was read
        self.written: dict[str, str] = {}  # rel -> hash of the bytes this pipeline wrote
        self.renderer: Renderer | None = None
        self.listing: list[tuple[str, str, persistent.Key | OSError | None]] | None = None
        self.listed_keys = False  # whether the last listing took every note's key
        self.links: dict[str, str] = {}  # a linked note, or folder ("rel/"): where it leads
        self.started_ns = 0  # when the vault was last listed
        self.last: State | None = None  # kept: the last analysis, to update (incremental.py)
        self.incremental = 0  # kept: how many analyses were updates (tests, benchmarks)
        self.last_build: Snapshot | None = None  # kept: what the last build read (reuse.py)
        self.carry: Carry | None = None  # kept: what the last build made (buildmemo.py)

    @classmethod
    def open(cls, root: Path, *, kept: bool = False, read: bool = True,
             cache: bool = True) -> Pipeline:
        """The settings loaded and every note read (or, without ``read``, only
        listed: :meth:`read` reads them)."""
        if not root.is_dir():
            raise UsageError(f"{root} is not a folder",
                             hint="give the path of your vault, e.g. vaultokr status .")
        pipeline = cls(root, kept=kept, cache=cache)
        pipeline.load_settings()
        if read:
            pipeline.read()
        else:
            pipeline.scan()
        return pipeline

    # ------------------------------------------------------------- reading
    def load_settings(self) -> bool:
        """(Re)load vaultokr.toml and Obsidian's settings; whether what decides
        which files are notes changed (then :meth:`read` must rescan)."""
        before = [getattr(self.config, name) for name in _READING_SETTINGS]
        problems = Problems()
        self.config = load_config(self.root, problems)
        self.config_problems = problems.items
        self.renderer = None
        if before == [getattr(self.config, name) for name in _READING_SETTINGS]:
            return False
        self.entries.clear()  # every note is read again, under the new settings
        self.keys.clear()
        return True

    def templates_changed(self) -> None:
        self.renderer = None

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

    def inputs(self) -> answers.Inputs | None:
        """What the listing found, for the answers (None when they are off).
        A listing that took no keys (nothing kept to compare them with) has
        None for every key until :meth:`keyed` gives it those reading took."""
        if self.kept or self.listing is None or not self.index_on():
            return None
        keys = {rel: key if isinstance(key, tuple) else None for rel, _, key in self.listing}
        return answers.Inputs(self.root, persistent.fingerprint(self.config), self.started_ns,
                              keys, [*self.config_problems, *self.scan_problems])

    def keyed(self, inputs: answers.Inputs) -> None:
        """After :meth:`read`: the keys of a listing that took none, from reading."""
        if not self.listed_keys:
            inputs.keys = {rel: self.keys.get(rel) for rel in inputs.keys}

    def read(self) -> set[str]:
        """List every note (unless :meth:`scan` just did); read the new and
        changed ones, drop the gone; the paths whose entry changed. The first
        read takes unchanged notes from the persistent index (index.py) when
        it is on. When a note changed, the next build is a full one."""
        reader = Reader(self.config)
        index = self._load_index() if not self.entries and not self.read_once else None
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
            else:
                self._keep_key(rel, key)
            self.entries[rel] = entry
            changed.add(rel)
        for rel in set(self.entries) - seen:
            del self.entries[rel]
            self.keys.pop(rel, None)
            changed.add(rel)
        if index is not None:  # a note read again: the index is written anyway (save_index)
            self._filled = -1 if self.index_dirty else _filled(self.entries)
        if changed:
            self.last_build = None
        return changed

    # ------------------------------------------------------- the index
    def index_on(self) -> bool:
        return self.config.index and self.cache

    def _load_index(self) -> persistent.Index | None:
        if not self.index_on():
            return None
        self.index = persistent.Index.load(self.root, self.config)
        if self.index.notice:
            print(f"vaultokr: {self.index.notice}; reading every note (it will be "
                  f"written again)", file=sys.stderr)
        self.index_dirty = False
        return self.index

    def _keep_key(self, rel: str, key: persistent.Key | None) -> None:
        self.index_dirty = True
        if key is None:
            self.keys.pop(rel, None)
        else:
            self.keys[rel] = key

    def save_index(self) -> None:
        """Write the index when this run read a note again or parsed more of
        one (a body a source asked for) than the index held."""
        index = self.index
        if self.kept:  # watch writes it once, when it starts; the loaded entries can go
            self.index = None
        if index is None or not self.index_on():
            return
        if (not self.index_dirty and len(index.entries) == len(self.keys)
                and _filled(self.entries) == self._filled):
            return
        index.save((rel, key, self.entries[rel]) for rel, key in sorted(self.keys.items())
                   if rel in self.entries)
        self.index_dirty = False
        # not counted again (3 ms at 10k): a one-shot command saves once, and watch
        # once, when it starts; a pipeline that saves again pickles again (the file
        # itself is compared before it is written)
        self._filled = -1

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
        data, st = _settled(full) if self.kept else read_note(full, listed)
        if st is None:
            return data, (0, -1), None
        return data, (st.st_mtime_ns, st.st_size), persistent.key_of(st)

    def is_output(self, rel: str) -> bool:
        """Whether ``rel`` is a file vaultokr generated or wrote."""
        entry = self.entries.get(rel)
        return rel in self.written or (entry is not None and entry.generated)

    def notes(self) -> int:
        return sum(1 for e in self.entries.values() if not e.generated)

    # ----------------------------------------------------------- analysing
    def analyse(self, as_of: dt.date) -> Analysis:
        """The analysis as of a date; a kept pipeline updates its last one when
        only measurement notes changed since (incremental.py)."""
        fixed = self.config_problems + self.scan_problems
        if self.kept:
            from vaultokr.cache import incremental

            last, self.last = self.last, None  # an exception on the way: in full next time
            state = (None if last is None
                     else incremental.update(last, self.entries, self.config, fixed, as_of))
            if state is not None:
                self.incremental += 1
            else:
                state = incremental.remember(self._analyse(fixed, as_of), self.entries, fixed)
            self.last = state
            return state.analysis
        return self._analyse(fixed, as_of)

    def _analyse(self, fixed: list[Problem], as_of: dt.date) -> Analysis:
        problems = Problems(list(fixed))
        files = assemble(self.root, self.config, self.entries, problems)
        return analyse_files(files, as_of, problems)

    # ------------------------------------------------------------ building
    def build(self, analysis: Analysis, *, write: bool = True, force: bool = False,
              being_written: Callable[[str], bool] | None = None) -> BuildResult:
        """The reviews and regions of ``analysis``, written when ``write``
        (under the vault lock); a file ``being_written`` says is busy is left.
        Kept (``watch``), the reviews the last build's analysis shows as this
        one does are not rendered again (reuse.py)."""
        from vaultokr.cache import reuse
        from vaultokr.reviews.memo import Carry
        from vaultokr.reviews.render import make_renderer
        from vaultokr.run.build import Builder
        from vaultokr.write.lock import vault_lock

        if self.renderer is None:  # compiled templates are kept until they change
            self.renderer = make_renderer(self.root, self.config.templates_dir)
        builder = Builder(analysis, write=write, force=force, renderer=self.renderer)
        builder.being_written = being_written
        if self.kept:
            if self.carry is None:
                self.carry = Carry()
            builder.carry = self.carry
        last, self.last_build = self.last_build, None
        if not write:
            return builder.run()
        if self.kept and not force:
            builder.planner = reuse.Planner(last, analysis, self.renderer)
        with vault_lock(self.root):
            result = builder.run()
        if builder.planner is not None:
            now = builder.planner.now
            now.built(result.outputs)
            self.last_build = now
        if self.kept or self.index is not None:
            self._remember(result)
        return result

    def _lastbuild_keys(self) -> dict[str, persistent.Key] | None:
        """Every note's key, when the index is on and every note has one."""
        if self.index is None or not self.index_on() or set(self.keys) != set(self.entries):
            return None
        return self.keys

    def replay_build(self, as_of: dt.date, analysis: Analysis) -> BuildResult | None:
        from vaultokr.cache import lastbuild

        keys = self._lastbuild_keys()
        if keys is None or self.index is None or self.index_dirty:
            return None  # a note read again differed from the index: build in full
        return lastbuild.replay(self.root, self.index.stamp, keys, as_of,
                                self.config.templates_dir, analysis)

    def remember_build(self, as_of: dt.date, result: BuildResult) -> None:
        from vaultokr.cache import lastbuild

        keys = self._lastbuild_keys()
        if keys is not None and self.index is not None:
            lastbuild.remember(self.root, self.index.stamp, keys, as_of,
                               self.config.templates_dir, result)

    def templates(self) -> list[Path]:
        from vaultokr.cache.lastbuild import template_folders

        return template_folders(self.root, self.config.templates_dir)

    def remember_answer(self, as_of: dt.date, result: BuildResult, again: Again | None) -> None:
        """Keep what the next build prints if nothing changes: listed again
        now, after this build wrote."""
        from vaultokr.cache import lastbuild

        if again is None:
            return
        next_time = lastbuild.again(result)
        if next_time is None:
            return
        self.read_once = True  # the keys are wanted, not the index
        self.scan()
        inputs = self.inputs()
        self.listing = None
        if inputs is None:
            return
        written = {o.path: o.new for o in result.outputs if o.changed and o.new is not None}
        answers.remember(inputs, (as_of, *again.request), again.show(next_time),
                         written=written, extra=[o.path for o in result.outputs],
                         templates=self.templates())

    def _remember(self, result: BuildResult) -> None:
        reader = Reader(self.config)
        for out in result.outputs:
            if out.changed and out.new is not None:
                self.written[out.path] = persistent.content_hash(out.new)
                if out.path in self.entries or is_note_path(out.path, self.config):
                    # keep the entry current, so a rescan does not take it for a change
                    full = str(self.root / out.path)
                    key = persistent.key_at(full)
                    self.entries[out.path] = reader.entry(out.path, full)
                    self._keep_key(out.path, key)


def _settled(full: str) -> tuple[bytes | OSError | int, os.stat_result | None]:
    """Read until two reads agree: a note read while it is being written is
    not taken as final. Two failures agree when they are the same error (an
    OSError never equals another instance); a note that is gone is gone."""
    data, st = read_note(full)
    for _ in range(20):
        if isinstance(data, FileNotFoundError | NotADirectoryError):
            return data, st
        again, st_again = read_note(full)
        if _same(again, data):
            return again, st_again
        data, st = again, st_again
        time.sleep(0.05)
    return data, st


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


def _same(one: bytes | OSError | int, other: bytes | OSError | int) -> bool:
    if isinstance(one, OSError) and isinstance(other, OSError):
        return type(one) is type(other) and one.errno == other.errno
    return one == other


def _filled(entries: dict[str, Entry]) -> int:
    """How many parses are kept with the notes (bodies, lower-cased texts, dated
    notes' properties): more than the index holds is worth writing."""
    count = 0
    for entry in entries.values():
        for cache in (entry.note.cache if entry.note else None,
                      entry.dated.cache if entry.dated else None):
            if cache is not None:
                count += (cache.body is not None) + (cache.lower is not None) + (
                    cache.meta is not None)
    return count

