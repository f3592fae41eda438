"""Wikilinks in front-matter, resolved the way Obsidian resolves them.

Order: an exact vault path (``[[Folder/Note]]``), then a unique path suffix
or file name (case-insensitive), then ``aliases``.  A file name always wins
over an alias.  Nothing found, or more than one note, is a problem.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_LINK = re.compile(r"^\s*!?\[\[([^\[\]]+)\]\]\s*$")


@dataclass(frozen=True)
class Link:
    target: str  # "Folder/Note" (no .md)
    subpath: str  # after "#", "" if none
    raw: str


def parse_link(value: Any) -> Link | None:
    """``"[[Note]]"``, ``"[[Folder/Note#ID|alias]]"`` → a Link; else None."""
    if not isinstance(value, str):
        return None
    m = _LINK.match(value)
    if m is None:
        return None
    inner = m[1].split("|", 1)[0].strip()
    target, _, subpath = inner.partition("#")
    target = target.strip().lstrip("/")
    if target.lower().endswith(".md"):
        target = target[:-3]
    return Link(target, subpath.strip(), value.strip())


@dataclass(frozen=True)
class Resolved:
    id: str | None
    error: str | None = None  # "link-missing" or "link-ambiguous"
    message: str = ""
    candidates: tuple[str, ...] = ()  # of an ambiguous link, in path order


class LinkIndex:
    def __init__(self, ids: list[str], aliases: Callable[[], dict[str, list[str]]]) -> None:
        self._by_path: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = {}
        for note_id in ids:
            low = note_id.lower()
            self._by_path[low] = note_id
            self._by_name.setdefault(low.rsplit("/", 1)[-1], []).append(note_id)
        self._load_aliases = aliases
        self._aliases: dict[str, list[str]] | None = None
        self.alias_lookups = 0  # how often a link needed the aliases (incremental.py asks)

    def resolve(self, link: Link, source: str | None = None) -> Resolved:
        """``source``: the linking note's id, for relative links (``[[../Goal]]``)."""
        key = link.target.lower()
        if not key:  # "[[#ID]]" is a link into the note itself; callers handle it
            return Resolved(None, "link-missing", f"{link.raw} names no note")
        if key.startswith(("./", "../")):
            folder = source.rsplit("/", 1)[0] if source and "/" in source else ""
            key = posixpath.normpath(posixpath.join(folder, key)).lower()
            exact = None if key.startswith("../") else self._by_path.get(key)
            if exact is not None:
                return Resolved(exact)
            return Resolved(None, "link-missing",
                            f"{link.raw} links to no note from this note's folder: check the "
                            "spelling, or write the note's path, e.g. \"[[Folder/Note]]\"")
        exact = self._by_path.get(key)
        if exact is not None:
            return Resolved(exact)
        name = key.rsplit("/", 1)[-1]
        candidates = self._by_name.get(name, [])
        if "/" in key:
            candidates = [c for c in candidates if c.lower().endswith("/" + key)]
        if not candidates:
            candidates = self._alias_map().get(key, [])
        if len(candidates) == 1:
            return Resolved(candidates[0])
        if not candidates:
            return Resolved(
                None,
                "link-missing",
                f"{link.raw} links to no note in the vault: check the spelling, "
                "or write the note's path, e.g. \"[[Folder/Note]]\"",
            )
        shown = ", ".join(f"[[{c}]]" for c in sorted(candidates)[:4])
        return Resolved(
            None,
            "link-ambiguous",
            f"{link.raw} matches {len(candidates)} notes ({shown}): write the path to pick one",
            tuple(sorted(candidates)),
        )

    def alias_names(self) -> dict[str, list[str]]:
        """Every alias (lower case) and the notes that carry it."""
        return self._alias_map()

    def _alias_map(self) -> dict[str, list[str]]:
        self.alias_lookups += 1
        if self._aliases is None:
            self._aliases = self._load_aliases()
        return self._aliases
