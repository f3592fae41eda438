"""What ``vaultokr watch`` observes: the vault folder, through a watchdog
observer (native events, or polling), and the places outside it that the
vault's links lead to.

A note may be a symbolic link, and a folder of the vault may be a link to a
folder outside it (listing.py reads both). An edit of what such a link
leads to is an event on the target's path, not on the link's: :class:`Links`
maps it back to the vault path(s) it stands for, and the folders outside
the vault that hold such targets are watched too (the vault's own watch
never sees them). The links are those the last listing found; creating,
moving or deleting a link asks for a rescan, which lists them again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

from vaultokr.config.vault_config import Config
from vaultokr.run.changes import classify

# what the kernel is asked to report: not opens and reads (Obsidian reads
# constantly), which would cost the observer thread time for nothing
EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent, FileClosedEvent,
    DirCreatedEvent, DirMovedEvent, DirDeletedEvent,
]
WATCHED_EVENTS = {"created", "modified", "moved", "deleted", "closed"}
#: events that may add, remove or repoint a link: the links are listed again
STRUCTURAL = {"created", "moved", "deleted"}

Notice = Callable[[str, bool, str], None]


class Links:
    """The vault's linked notes and folders, by where they lead."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.notes: dict[str, list[str]] = {}  # the file a note links to -> the notes
        self.folders: list[tuple[str, str]] = []  # (the folder linked to, "rel/" of the link)
        self.known: frozenset[str] = frozenset()  # the links' own vault paths

    def update(self, links: dict[str, str]) -> None:
        """From the listing's links (rel, or "rel/" for a folder -> where it leads)."""
        notes: dict[str, list[str]] = {}
        folders = []
        for rel, target in sorted(links.items()):
            if rel.endswith("/"):
                folders.append((target, rel))
            else:
                notes.setdefault(target, []).append(rel)
        # replaced whole: the observer thread reads them meanwhile
        self.notes, self.folders = notes, folders
        self.known = frozenset(rel.rstrip("/") for rel in links)

    def rels(self, path: str) -> list[tuple[str, bool]]:
        """The vault paths an event on ``path`` concerns, each with whether
        it was reached through a link."""
        found = []
        if path.startswith(self.root + os.sep):
            found.append((path[len(self.root) + 1:].replace(os.sep, "/"), False))
        found.extend((rel, True) for rel in self.notes.get(path, ()))
        for target, rel in self.folders:
            if path == target:
                found.append((rel.rstrip("/"), True))
            elif path.startswith(target + os.sep):
                found.append((rel + path[len(target) + 1:].replace(os.sep, "/"), True))
        return found

    def changes(self, path: str, directory: bool, event_type: str,
                config: Config) -> list[tuple[str, str]]:
        """(what it means, vault path) of an event on ``path``: classify()'s
        answer, and a rescan when a link may have come, gone or changed."""
        found = []
        for rel, linked in self.rels(path):
            kind = classify(rel, directory, event_type, config)
            if kind is not None:
                found.append((kind, rel))
            if event_type in STRUCTURAL and kind != "full" and (
                    linked or rel in self.known or os.path.islink(path)):
                found.append(("full", rel))
        return found

    def outside(self) -> set[tuple[str, bool]]:
        """(folder, recursive) outside the vault that links lead into."""
        def inside(path: str, folder: str) -> bool:
            return path == folder or path.startswith(folder + os.sep)

        wanted = {(target, True) for target, _ in self.folders
                  if not inside(target, self.root)}
        for target in self.notes:
            folder = os.path.dirname(target)
            if not inside(folder, self.root) and not any(inside(folder, f) for f, _ in wanted):
                wanted.add((folder, False))
        return wanted


class Observing:
    """The observer of the vault and of the folders outside it that its links
    lead into; every event goes to ``notice`` (path, is a folder, event type)."""

    def __init__(self, root: Path, notice: Notice) -> None:
        self.root = root
        self.handler = _Handler(notice)
        self.links = Links(root)
        self.observer: Any = None
        self.kind = ""
        self.outside: dict[tuple[str, bool], Any] = {}  # (folder, recursive) -> its watch

    def start(self, poll: bool, report: Callable[[str], None]) -> bool:
        """Start observing, natively unless ``poll`` or that fails; whether natively."""
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        self.outside = {}
        if not poll:
            observer = Observer()
            try:
                observer.schedule(self.handler, str(self.root), recursive=True,
                                  event_filter=EVENT_FILTER)
                observer.start()
                self.observer, self.kind = observer, "native file events"
                self.follow()
                return True
            except OSError as exc:
                report(f"vaultokr watch: native file watching is not available "
                       f"({exc.strerror or exc}); polling instead. On Linux, "
                       "raise fs.inotify.max_user_watches to watch natively.")
                stop_observer(observer)
        observer = PollingObserver(timeout=1)
        observer.schedule(self.handler, str(self.root), recursive=True, event_filter=EVENT_FILTER)
        observer.start()
        self.observer, self.kind = observer, "polling every 1 s"
        self.follow()
        return False

    def follow(self, links: dict[str, str] | None = None) -> bool:
        """Watch where the links (the last listing's, when given) lead, and no
        longer where they no longer do; whether a folder was added."""
        if links is not None:
            self.links.update(links)
        observer = self.observer
        if observer is None:
            return False
        wanted = self.links.outside()
        for key in set(self.outside) - wanted:
            with contextlib.suppress(KeyError, OSError):
                observer.unschedule(self.outside.pop(key))
        added = False
        for folder, recursive in sorted(wanted - set(self.outside)):
            try:
                self.outside[folder, recursive] = observer.schedule(
                    self.handler, folder, recursive=recursive, event_filter=EVENT_FILTER)
                added = True
            except OSError:
                continue  # gone or unreadable: the timed rescan still reads it
        return added

    def alive(self) -> bool:
        return self.observer is None or self.observer.is_alive()

    def stop(self) -> None:
        if self.observer is not None:
            stop_observer(self.observer)
            self.observer = None


def stop_observer(observer: Any) -> None:
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=2)
    except (RuntimeError, OSError):
        pass  # it never started, or died already


class _Handler(FileSystemEventHandler):
    """Passes every relevant path on; runs in the observer thread."""

    def __init__(self, notice: Notice) -> None:
        super().__init__()
        self.notice = notice

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in WATCHED_EVENTS:
            return
        src = os.fsdecode(event.src_path)
        self.notice(src, event.is_directory, event.event_type)
        dest = os.fsdecode(event.dest_path) if getattr(event, "dest_path", "") else ""
        if event.event_type == "moved" and dest:
            self.notice(dest, event.is_directory, "moved")
