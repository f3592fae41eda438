"""Reading the vault's notes, and which of them need parsing.

Reading every note's bytes is the floor; parsing every note's YAML costs
several times that.  So each note gets a cheap text check first: only notes
whose front-matter names an OKR role under the type key are parsed now; notes
with ``aliases`` are parsed only if a link needs an alias; dated notes are
kept as text for the ``field:``, ``tag:`` and ``task:`` measurement sources,
which are known only once the key results have been read (and so are notes
without a date whose text has a done date, ``✅``, for ``task:``).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problem, Problems
from vaultokr.read.frontmatter import FrontMatterError, NoteCache, Pos, Split, fold_keys, split
from vaultokr.read.githistory import GitMemo
from vaultokr.read.links import LinkIndex
from vaultokr.read.listing import not_a_file_message
from vaultokr.read.ownership import GENERATED_KEY, is_generated_value
from vaultokr.read.regions import REGION_HINT
from vaultokr.syntax.dates import path_date
from vaultokr.syntax.names import PRECHECK, read_type
from vaultokr.syntax.values import show_value

MAX_NOTE_BYTES = 64 * 1024 * 1024
#: a task's done date, the Tasks plugin's ``✅ 2026-11-05`` or Dataview's
#: ``[completion:: 2026-11-05]``: an undated note with one is kept for the
#: ``task:`` source (a habit note of a recurring task's completions)
DONE_MARK = "✅"
_COMPLETION = re.compile(r"[\[(]completion\s*::", re.I)


def has_done_date(text: str) -> bool:
    """The cheap check: may the text hold a task's done date?"""
    return DONE_MARK in text or ("::" in text and "ompletion" in text
                                 and _COMPLETION.search(text) is not None)


@dataclass
class Note:
    """A parsed note: an OKR note, or a dated note read for fields and tags."""

    path: str  # vault-relative with "/" and ".md"
    id: str  # path without ".md"
    name: str  # file name without ".md"
    role: str | None
    meta: dict[str, Any]
    pos: Pos
    body: str
    body_line: int
    cache: NoteCache = field(default_factory=NoteCache, repr=False, compare=False)


@dataclass
class DatedText:
    """A dated note kept as text until the field names and tags are known."""

    path: str
    id: str
    name: str
    parts: Split
    name_date: dt.date | None
    cache: NoteCache = field(default_factory=NoteCache, repr=False, compare=False)
    #: False: a note without a date, kept only for its tasks' done dates (``✅``)
    dated: bool = True


@dataclass
class VaultFiles:
    root: Path
    config: Config
    ids: list[str] = field(default_factory=list)
    typed: list[Note] = field(default_factory=list)
    dated: list[DatedText] = field(default_factory=list)
    alias_texts: list[tuple[str, str, Split]] = field(default_factory=list)
    notes_read: int = 0
    broken: set[str] = field(default_factory=set)  # typed notes whose YAML is broken
    region_notes: list[str] = field(default_factory=list)  # notes with region markers
    links: LinkIndex | None = None
    link_problems: list[Problem] = field(default_factory=list)  # of notes read for aliases
    history: GitMemo = field(default_factory=GitMemo)  # followed notes' git history (v3)

    def link_index(self) -> LinkIndex:
        """Notes by path, name and alias. The notes that have aliases are read
        when a link first needs one; their problems go to ``link_problems``."""
        if self.links is None:
            self.links = LinkIndex(self.ids, self._aliases)
        return self.links

    def _aliases(self) -> dict[str, list[str]]:
        problems = Problems(self.link_problems)
        found: dict[str, list[str]] = {}

        def add(note_id: str, value: Any) -> None:
            names = [value] if isinstance(value, str) else value
            if isinstance(names, list):
                for name in names:
                    if isinstance(name, str) and name.strip():
                        found.setdefault(name.strip().lower(), []).append(note_id)

        for note in self.typed:
            add(note.id, note.meta.get("aliases", note.meta.get("alias")))
        for path, note_id, parts in self.alias_texts:
            meta = parse_meta(path, parts, problems)
            if meta is not None:
                add(note_id, meta[0].get("aliases", meta[0].get("alias")))
        return found


@dataclass
class Entry:
    """What one file contributes to the vault. ``watch`` keeps these between
    rebuilds and re-reads only the files that changed."""

    rel: str
    stamp: tuple[int, int]  # (mtime_ns, size) when read
    note: Note | None = None
    dated: DatedText | None = None
    alias: Split | None = None
    generated: bool = False
    region: bool = False
    broken: bool = False
    problems: list[Problem] = field(default_factory=list)


class Reader:
    """Reads one note into an :class:`Entry` (the cheap pre-checks decide how
    much of it is parsed)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        # one pass over the front-matter finds every key that decides a note's fate
        # (in any case, as property names are read: ``Type: objective`` is a role)
        self.type_key = config.type_key.lower()
        self.keys = re.compile(
            rf"^({re.escape(self.type_key)}|aliases|alias|{GENERATED_KEY})[ \t]*:(.*)$",
            re.M | re.I)
        self.date_keys = tuple(config.date_keys)

    def _keys(self, fm: str) -> dict[str, str]:
        """The deciding keys in lowercase and their raw values (the lowercase
        spelling wins, as :func:`parse_meta` reads it)."""
        found: dict[str, str] = {}
        for m in self.keys.finditer(fm):
            key = m[1]
            lower = key if key.islower() else key.lower()
            if lower not in found or key == lower:
                found[lower] = m[2]
        return found

    def entry(self, rel: str, full: str) -> Entry:
        return self.entry_from(rel, *read_bytes(full))

    def entry_from(self, rel: str, data: bytes | OSError | int, stamp: tuple[int, int]) -> Entry:
        entry = Entry(rel, stamp)
        problems = Problems(entry.problems)
        self._fill(entry, data, problems)
        return entry

    def _fill(self, entry: Entry, data: bytes | OSError | int, problems: Problems) -> None:
        rel = entry.rel
        note_id = rel[:-3]
        text = decode(data, rel, problems)
        if text is None:
            return
        name = note_id.rsplit("/", 1)[-1]
        entry.region = REGION_HINT in text
        if not text.startswith(("---", "\ufeff---")):  # most notes: no front-matter
            name_date = path_date(note_id, self.config.daily)
            if name_date is not None or has_done_date(text):
                entry.dated = DatedText(rel, note_id, name, split(text), name_date,
                                        dated=name_date is not None)
            return
        parts = split(text)
        if parts.unclosed:
            problems.warning(
                rel, 1, "frontmatter-unclosed",
                "front-matter starts with --- but has no closing --- line: add one after the "
                "properties",
            )
        fm = parts.fm_text
        keys = self._keys(fm) if fm else {}
        if is_generated_value(keys.get(GENERATED_KEY, "")):
            entry.generated = True
            return
        type_key = self.type_key
        if fm and type_key in keys and PRECHECK.may_be_role(keys[type_key]):
            parsed = parse_meta(rel, parts, problems)
            if parsed is None:
                entry.broken = True
                return
            meta, pos = parsed
            role, near = read_type(meta.get(type_key))
            if role is not None:
                entry.note = Note(rel, note_id, name, role, meta, pos, parts.body,
                                  parts.body_line)
                return
            if near is not None:
                problems.warning(
                    rel, pos.line_of(type_key), "type-unknown",
                    f"{type_key} {show_value(meta.get(type_key))} is no role vaultokr knows: "
                    f"did you mean {type_key}: {near}? The note is read as an ordinary note",
                )
        if fm and ("aliases" in keys or "alias" in keys):  # the body is not needed for aliases
            entry.alias = Split("", fm, parts.fm_line, "", 0)
        name_date = path_date(note_id, self.config.daily)
        if name_date is not None or (fm and PRECHECK.has_top_key(fm, self.date_keys)):
            entry.dated = DatedText(rel, note_id, name, parts, name_date)
        elif has_done_date(parts.body):
            entry.dated = DatedText(rel, note_id, name, parts, None, dated=False)


def assemble(root: Path, config: Config, entries: dict[str, Entry],
             problems: Problems) -> VaultFiles:
    """The vault's files from its entries, in path order."""
    files = VaultFiles(root, config)
    for rel in sorted(entries):
        entry = entries[rel]
        note_id = rel[:-3]
        files.notes_read += 1
        files.ids.append(note_id)
        problems.items.extend(entry.problems)
        if entry.region:
            files.region_notes.append(rel)
        if entry.broken:
            files.broken.add(note_id)
        if entry.note is not None:
            files.typed.append(entry.note)
        if entry.dated is not None:
            files.dated.append(entry.dated)
        if entry.alias is not None:
            files.alias_texts.append((rel, note_id, entry.alias))
    return files


def parse_meta(rel: str, parts: Split, problems: Problems) -> tuple[dict[str, Any], Pos] | None:
    """The note's properties, or None (with a problem) when they are broken."""
    if parts.fm_text is None:
        return {}, Pos(1)
    from vaultokr.read.yaml_values import load_yaml  # PyYAML: only once a note needs it

    try:
        meta, pos = load_yaml(parts.fm_text, parts.fm_line)
    except FrontMatterError as exc:
        problems.error(rel, exc.line, exc.code, exc.message + "; the note is skipped")
        return None
    if meta is None or meta == "":
        return {}, pos
    if not isinstance(meta, dict):
        problems.error(
            rel, parts.fm_line, "frontmatter-not-mapping",
            "front-matter must be properties (key: value lines), not a single value or a "
            "list; the note is skipped",
        )
        return None
    folded, pos, respelt = fold_keys({str(k): v for k, v in meta.items()}, pos)
    for twice in respelt:
        problems.warning(rel, twice.line, "property-two-spellings", twice.message())
    return folded, pos


def read_bytes(full: str) -> tuple[bytes | OSError | int, tuple[int, int]]:
    """The file's bytes (or the error, or its size when it is too large to
    read) and its (mtime_ns, size)."""
    data, st = read_note(full)
    return data, ((0, -1) if st is None else (st.st_mtime_ns, st.st_size))


def read_note(full: str, listed: bool = False
              ) -> tuple[bytes | OSError | int, os.stat_result | None]:
    """The file's bytes (or the error, or its size when it is too large to
    read) and the ``fstat`` of the file it read, taken before reading (None
    when no file was read). ``read(limit)`` would allocate ``limit`` bytes
    for every note, so the size is checked with fstat; a file that grew
    since is still read to its end.

    A FIFO, a device or a socket is never opened: a ``stat`` says what the
    path is first, unless ``listed`` (the vault's listing has just seen a
    regular file there: its type came with the folder's entries). A file
    swapped for a FIFO or a device after that is opened with O_NONBLOCK,
    so the open never blocks, and the fstat refuses it unread."""
    try:
        if not listed and not stat.S_ISREG(os.stat(full).st_mode):  # a FIFO blocks an open
            return NotAFile(errno.EINVAL, not_a_file_message(full)), None
        # O_NONBLOCK: a file swapped for a FIFO after the stat still never blocks
        fd = os.open(full, _OPEN_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return NotAFile(errno.EINVAL, not_a_file_message(full)), None
            if st.st_size > MAX_NOTE_BYTES:
                return st.st_size, st
            return _read_to_end(fd, st.st_size), st
        finally:
            os.close(fd)
    except OSError as exc:
        return exc, None


_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def _read_to_end(fd: int, size: int) -> bytes:
    """Every byte from the start of ``fd`` to its end, without a file object:
    one read of a byte more than the size fstat gave, which returns exactly
    that size when the file holds it all; else (it grew, or a filesystem
    returned less) reads until a read finds the end."""
    data = os.read(fd, size + 1)
    if len(data) == size:
        return data
    parts = [data]
    while chunk := os.read(fd, 1 << 20):
        parts.append(chunk)
    return b"".join(parts)


class NotAFile(OSError):
    """A note path that is a FIFO, a device or a socket."""


def decode(data: bytes | OSError | int, rel: str, problems: Problems) -> str | None:
    if isinstance(data, NotAFile):
        problems.warning(rel, 1, "read-error", str(data.strerror))
        return None
    if isinstance(data, OSError):
        problems.error(rel, 1, "read-error", f"cannot read this note ({data.strerror}); skipped")
        return None
    if isinstance(data, int):
        problems.warning(rel, 1, "note-too-large",
                         f"note is larger than {MAX_NOTE_BYTES // 2**20} MiB; skipped")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.error(
            rel, line, "not-utf8",
            f"byte 0x{data[exc.start]:02x} is not UTF-8: save the note as UTF-8; "
            "the note is skipped",
        )
        return None

