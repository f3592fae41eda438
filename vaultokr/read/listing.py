"""Which files of a vault are notes: every ``.md`` file below the vault
folder, except dot-folders, the excluded folders and globs (vaultokr.toml,
Obsidian's templates folder and "Excluded files"), sync tools' conflict
copies and links into the vault itself."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problems


def iter_note_paths(root: Path, config: Config, problems: Problems,
                    links: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """(vault-relative posix path, filesystem path) of every note, sorted.
    ``links`` gets the note that is a link and the folder followed through a
    link (``rel/``), each with where it leads (``watch`` watches there too)."""
    excluded = _Exclusions(config)
    try:
        top = os.stat(root)
    except OSError as exc:
        problems.error(".", 1, "read-error", f"cannot read the vault folder: {exc.strerror}")
        return
    seen = {(top.st_dev, top.st_ino)}
    root_real = os.path.realpath(root)
    stack: list[tuple[str, str]] = [(str(root), "")]
    found: list[tuple[str, str]] = []
    while stack:
        folder, rel_folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.warning(rel_folder or ".", 1, "read-error",
                             f"cannot list this folder ({exc.strerror}); skipped")
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = f"{rel_folder}{name}"
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                if excluded.folder(rel):
                    continue
                if entry.is_symlink() and not _follow_link(entry.path, root_real, seen, rel,
                                                           problems):
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    continue
                if (st.st_dev, st.st_ino) in seen:
                    continue
                seen.add((st.st_dev, st.st_ino))
                stack.append((entry.path, rel + "/"))
                _keep_link(links, rel + "/", entry)
            elif (is_file and name.lower().endswith(".md") and not excluded.file(rel)
                  and not is_sync_conflict(name)):
                found.append((rel, entry.path))
                _keep_link(links, rel, entry)
            elif not is_dir and not is_file and entry.is_symlink() and name.endswith(".md"):
                problems.warning(rel, 1, "read-error",
                                 "this link leads nowhere (or into a loop); skipped")
            elif not is_dir and not is_file and name.lower().endswith(".md"):
                problems.warning(rel, 1, "read-error", not_a_file_message(entry.path))
    found.sort()
    yield from found


def _keep_link(links: dict[str, str] | None, rel: str, entry: os.DirEntry[str]) -> None:
    if links is not None and entry.is_symlink():
        links[rel] = os.path.realpath(entry.path)


_CONFLICT = re.compile(r"\.sync-conflict-|\(conflicted copy|\(conflict\b|\.conflict\d*\.md$", re.I)


def is_sync_conflict(name: str) -> bool:
    """A sync tool's conflict copy (Syncthing ``.sync-conflict-``, Dropbox
    ``(conflicted copy``, ``(conflict``): not a note of the user's."""
    return "onflict" in name and bool(_CONFLICT.search(name))


def _follow_link(path: str, root_real: str, seen: set[tuple[int, int]], rel: str,
                 problems: Problems) -> bool:
    """Follow a symlinked folder only when it leads outside the vault.

    One inside the vault would list its notes twice (and may be a loop).
    """
    target = os.path.realpath(path)
    if target == root_real or target.startswith(root_real + os.sep):
        problems.warning(rel, 1, "symlink-inside-vault",
                         "this folder is a link to another folder of the vault; its notes are "
                         "read once, from where they are")
        return False
    return True


def is_note_path(rel: str, config: Config) -> bool:
    """Whether a vault-relative path is one the reader takes as a note."""
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts) or not rel.lower().endswith(".md"):
        return False
    return not is_sync_conflict(parts[-1]) and not _Exclusions(config).file(rel)


class _Exclusions:
    def __init__(self, config: Config) -> None:
        folder = config.templates_folder
        prefixes = [folder.rstrip("/") + "/"] if folder else []
        self.regexes: list[re.Pattern[str]] = []
        for item in config.ignore_filters:
            if len(item) > 2 and item.startswith("/") and item.endswith("/"):
                try:
                    self.regexes.append(re.compile(item[1:-1]))
                except re.error:
                    continue
            else:
                prefixes.append(item)
        # the templates folder and the "Excluded files" written as paths: one
        # startswith for them all (it runs on every file of the vault)
        self.prefixes = tuple(prefixes)
        self.globs = [glob_regex(g) for g in config.exclude]

    def folder(self, rel: str) -> bool:
        return self.file(rel + "/")

    def file(self, rel: str) -> bool:
        if rel.startswith(self.prefixes):
            return True
        if self.regexes and any(r.search(rel) for r in self.regexes):
            return True
        if not self.globs:
            return False
        base = rel.rstrip("/").rsplit("/", 1)[-1]
        return any(g.fullmatch(rel) or g.fullmatch(base) for g in self.globs)


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A vault glob: ``*`` within a name, ``**`` across folders; a pattern that
    ends with ``/`` means a folder and everything in it."""
    pattern = pattern.strip().lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def not_a_file_message(path: str) -> str:
    """What a problem says of a ``.md`` that is a named pipe, a device or a
    socket: never opened (opening a FIFO blocks until someone writes)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"this is {kind}, not a note; skipped (vaultokr never opens it)"
