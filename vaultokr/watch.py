"""``vaultokr watch``: keep the reviews current while the user writes.

A watchdog observer (native, or polling with ``--poll`` or when the native
one cannot start) reports changed paths; the main loop waits for a quiet
period (the debounce, with a maximum wait so a constant stream of saves still
rebuilds), re-reads only the changed notes (until two reads agree), and
rebuilds. The parsed vault stays in memory between rebuilds.

No loops: what vaultokr wrote is recognised by its content hash, not by a
time window, so an event for our own write is ignored while a real edit
right after it is not. An output rewritten again and again (another program
fighting over it) stops the watcher with a message rather than churn.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
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

from vaultokr.build import Builder, BuildResult
from vaultokr.config import CONFIG_NAME, Config, load_config
from vaultokr.engine import analyse_files
from vaultokr.errors import Problem, Problems, VaultokrError
from vaultokr.lock import vault_lock
from vaultokr.render import Renderer, make_renderer
from vaultokr.vault import Entry, Reader, assemble, is_note_path, iter_note_paths, read_bytes
from vaultokr.writer import TEMP_SUFFIX

SETTINGS = {CONFIG_NAME, ".obsidian/app.json", ".obsidian/templates.json"}
# what the kernel is asked to report: not opens and reads (Obsidian reads
# constantly), which would cost the observer thread time for nothing
EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent, FileClosedEvent,
    DirCreatedEvent, DirMovedEvent, DirDeletedEvent,
]
WATCHED_EVENTS = {"created", "modified", "moved", "deleted", "closed"}


@dataclass
class WatchOptions:
    debounce: float = 0.3  # seconds of quiet before a rebuild
    max_wait: float = 3.0  # rebuild at the latest this long after the first event
    poll: bool = False
    rescan: float = 300.0  # a full rescan every so often catches dropped events
    as_of: dt.date | None = None  # fixed date (tests, demos); default: today
    runaway_writes: int = 5  # rebuilds in a row caused only by others rewriting our outputs
    verbose: bool = False  # report rebuilds that changed nothing too


@dataclass
class Change:
    """Paths changed since the last rebuild."""

    notes: set[str] = field(default_factory=set)
    settings: bool = False
    templates: bool = False
    full: bool = False

    def __bool__(self) -> bool:
        return bool(self.notes or self.settings or self.templates or self.full)


class Runaway(VaultokrError):
    pass


class Watcher:
    def __init__(self, root: Path, options: WatchOptions,
                 echo: Callable[[str], None] = print) -> None:
        self.root = root.resolve()
        self.options = options
        self.echo = echo
        self.stop_event = threading.Event()
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.pending = Change()
        self.first_event = 0.0
        self.last_event = 0.0
        self.entries: dict[str, Entry] = {}
        self.written: dict[str, str] = {}  # rel -> hash of the bytes vaultokr wrote
        self.fights = 0  # rebuilds in a row triggered only by changes to our own outputs
        self.problems: set[Problem] = set()
        self.rebuilds = 0
        self.observer: Any = None
        self.observer_kind = ""
        self.config: Config = Config()
        self.config_problems: list[Problem] = []
        self.last_as_of: dt.date | None = None
        self.last_rescan = time.monotonic()
        self.renderer: Renderer | None = None

    # ---------------------------------------------------------------- setup
    def start(self) -> BuildResult:
        started = time.perf_counter()
        self._load_settings()
        self._rescan_entries()
        result = self._build()
        self._start_observer()
        ms = (time.perf_counter() - started) * 1000
        outputs = len(result.outputs)
        notes = sum(1 for e in self.entries.values() if not e.generated)
        self.echo(f"vaultokr watch: {self.root.name} · {notes} notes · "
                  f"{outputs} output{'s' * (outputs != 1)} · ready in {ms:.0f} ms · "
                  f"{self.observer_kind} (Ctrl-C to stop)")
        self._report_build(result, "start", ms, quiet_if_nothing=True)
        return result

    def _load_settings(self) -> None:
        problems = Problems()
        self.config = load_config(self.root, problems)
        self.config_problems = problems.items

    def _start_observer(self) -> None:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        handler = _Handler(self)
        if not self.options.poll:
            observer = Observer()
            try:
                observer.schedule(handler, str(self.root), recursive=True,
                                  event_filter=EVENT_FILTER)
                observer.start()
                self.observer, self.observer_kind = observer, "native file events"
                return
            except OSError as exc:
                self.echo(f"vaultokr watch: native file watching is not available "
                          f"({exc.strerror or exc}); polling instead. On Linux, raise "
                          "fs.inotify.max_user_watches to watch natively.")
                self._stop_observer(observer)
        observer = PollingObserver(timeout=1)
        observer.schedule(handler, str(self.root), recursive=True, event_filter=EVENT_FILTER)
        observer.start()
        self.observer, self.observer_kind = observer, "polling every 1 s"

    def _stop_observer(self, observer: Any) -> None:
        try:
            observer.stop()
            if observer.is_alive():
                observer.join(timeout=2)
        except (RuntimeError, OSError):
            pass  # it never started, or died already

    # --------------------------------------------------------------- events
    def notice(self, path: str, directory: bool, event_type: str = "modified") -> None:
        """Called from the observer thread with each changed path."""
        try:
            rel = Path(path).resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return
        kind = self._classify(rel, directory, event_type)
        if kind is None:
            return
        now = time.monotonic()
        with self.lock:
            if not self.pending:
                self.first_event = now
            self.last_event = now
            if kind == "note":
                self.pending.notes.add(rel)
            elif kind == "settings":
                self.pending.settings = True
            elif kind == "templates":
                self.pending.templates = True
            else:
                self.pending.full = True
        self.wake.set()

    def _classify(self, rel: str, directory: bool, event_type: str) -> str | None:
        if rel in SETTINGS:
            return "settings"
        templates = self.config.templates_dir.strip("/") + "/"
        if rel.startswith(templates) and (directory or rel.endswith(".j2")):
            return "templates"
        if rel.endswith(TEMP_SUFFIX) or any(p.startswith(".") for p in rel.split("/")):
            return None
        if directory:
            # a folder created, moved or deleted may bring or take notes that no
            # event will name; a folder "modified" is only a file inside it changing
            return "full" if event_type in ("created", "moved", "deleted") else None
        if is_note_path(rel, self.config):
            return "note"
        return None

    # ----------------------------------------------------------------- loop
    def run(self) -> None:
        """Rebuild after each quiet period until stopped."""
        while not self.stop_event.is_set():
            self.wake.wait(timeout=1.0)
            if self.stop_event.is_set():
                break
            self._wait_for_quiet()
            if self.stop_event.is_set():
                break
            with self.lock:
                change, self.pending = self.pending, Change()
                self.wake.clear()
            today = self.options.as_of or dt.date.today()
            if not change and time.monotonic() - self.last_rescan > self.options.rescan:
                change.full = True
            if not change and today != self.last_as_of:
                change.full = True  # a new day: the reviews' "today" moved
            if change:
                self._rebuild_safely(change)
            self._check_observer()

    def _wait_for_quiet(self) -> None:
        while not self.stop_event.is_set():
            with self.lock:
                if not self.pending:
                    return
                now = time.monotonic()
                quiet_at = self.last_event + self.options.debounce
                latest = self.first_event + self.options.max_wait
            if now >= quiet_at or now >= latest:
                return
            self.stop_event.wait(timeout=min(quiet_at, latest) - now)

    def _rebuild_safely(self, change: Change) -> None:
        started = time.perf_counter()
        try:
            changed = self._apply(change)
            if not changed and not change.full and not change.settings and not change.templates:
                return
            outputs_only = bool(changed) and all(
                rel in self.written or (rel in self.entries and self.entries[rel].generated)
                for rel in changed)
            result = self._build()
            self._check_fight(outputs_only, changed, result)
        except Runaway:
            raise
        except VaultokrError as exc:
            self.echo(f"vaultokr watch: {exc}")
            return
        except Exception as exc:  # the loop goes on; the next change retries
            self.echo(f"vaultokr watch: rebuild failed: {type(exc).__name__}: {exc} "
                      "(the watcher keeps going; VAULTOKR_DEBUG=1 shows the traceback)")
            if os.environ.get("VAULTOKR_DEBUG"):
                import traceback

                traceback.print_exc()
            return
        ms = (time.perf_counter() - started) * 1000
        what = ", ".join(sorted(changed)[:3]) + (f" and {len(changed) - 3} more"
                                                 if len(changed) > 3 else "")
        if change.settings:
            what = (what + ", " if what else "") + "settings"
        if change.templates:
            what = (what + ", " if what else "") + "templates"
        self._report_build(result, what or "rescan", ms,
                           quiet_if_nothing=not changed and not self.options.verbose)

    def _apply(self, change: Change) -> set[str]:
        """Bring the kept entries up to date; the notes whose content changed."""
        if change.settings:
            old = (self.config.type_key, self.config.exclude, self.config.templates_folder,
                   self.config.ignore_filters)
            self._load_settings()
            new = (self.config.type_key, self.config.exclude, self.config.templates_folder,
                   self.config.ignore_filters)
            change.full = change.full or old != new
        if change.settings or change.templates:
            self.renderer = None
        if change.full:
            return self._rescan_entries()
        reader = Reader(self.config)
        changed = set()
        for rel in sorted(change.notes):
            full = self.root / rel
            data, stamp = _settled(str(full))
            if isinstance(data, OSError) and not full.exists():
                if self.entries.pop(rel, None) is not None:
                    changed.add(rel)
                continue
            if isinstance(data, bytes) and self.written.get(rel) == _hash(data):
                kept = self.entries.get(rel)
                if kept is not None:
                    kept.stamp = stamp
                continue  # our own write
            self.entries[rel] = reader.entry_from(rel, data, stamp)
            changed.add(rel)
        return changed

    def _rescan_entries(self) -> set[str]:
        """Stat every note; re-read the new and changed ones, drop the gone."""
        self.last_rescan = time.monotonic()
        reader = Reader(self.config)
        seen: set[str] = set()
        changed: set[str] = set()
        for rel, full in iter_note_paths(self.root, self.config, Problems()):
            seen.add(rel)
            try:
                st = os.stat(full)
            except OSError:
                continue
            entry = self.entries.get(rel)
            if entry is not None and entry.stamp == (st.st_mtime_ns, st.st_size):
                continue
            self.entries[rel] = reader.entry_from(rel, *_settled(full))
            changed.add(rel)
        for rel in set(self.entries) - seen:
            del self.entries[rel]
            changed.add(rel)
        return changed

    def _build(self) -> BuildResult:
        as_of = self.options.as_of or dt.date.today()
        problems = Problems()
        problems.items.extend(self.config_problems)
        files = assemble(self.root, self.config, self.entries, problems)
        analysis = analyse_files(files, as_of, problems)
        if self.renderer is None:  # compiled templates are kept until they change
            self.renderer = make_renderer(self.root, self.config.templates_dir, memoize=True)
        with vault_lock(self.root):
            result = Builder(analysis, write=True, force=False, renderer=self.renderer).run()
        self.last_as_of = as_of
        self.rebuilds += 1
        reader = Reader(self.config)
        for out in result.outputs:
            if out.changed and out.new is not None:
                self.written[out.path] = _hash(out.new)
                if out.path in self.entries or is_note_path(out.path, self.config):
                    # keep the entry current, so a rescan does not take it for a change
                    self.entries[out.path] = reader.entry(out.path, str(self.root / out.path))
        return result

    def _check_fight(self, outputs_only: bool, changed: set[str], result: BuildResult) -> None:
        """Something else (another vaultokr, a sync tool, a plugin) rewriting our
        outputs, we rewriting them back, again and again: stop, do not churn."""
        rewrote = {o.path for o in result.outputs if o.changed} & changed
        self.fights = self.fights + 1 if outputs_only and rewrote else 0
        if self.fights >= self.options.runaway_writes:
            shown = ", ".join(sorted(rewrote)[:3])
            raise Runaway(
                f"{shown} keeps being changed by something else and rewritten by vaultokr "
                f"({self.fights} times in a row): another vaultokr, a sync tool or a plugin "
                "is fighting over it; stopping rather than churning",
                hint="stop the other program, or set another output path in vaultokr.toml",
            )

    def _check_observer(self) -> None:
        observer = self.observer
        if observer is not None and not observer.is_alive() and not self.stop_event.is_set():
            self.echo("vaultokr watch: the file observer stopped; restarting it and rescanning")
            self._stop_observer(observer)
            self._start_observer()
            with self.lock:
                self.pending.full = True
            self.wake.set()

    # ------------------------------------------------------------- reports
    def _report_build(self, result: BuildResult, what: str, ms: float,
                      quiet_if_nothing: bool) -> None:
        wrote = [o.path for o in result.outputs if o.changed]
        if wrote or not quiet_if_nothing:
            shown = ", ".join(wrote[:4]) + (f" and {len(wrote) - 4} more" if len(wrote) > 4
                                            else "")
            stamp = time.strftime("%H:%M:%S")
            self.echo(f"{stamp}  {what} → {'wrote ' + shown if wrote else 'no output changed'}"
                      f" ({ms:.0f} ms)")
        current = set(result.analysis.problems) | set(result.problems)
        for problem in sorted(current - self.problems):
            self.echo(f"  {problem.format()}")
        for problem in sorted(self.problems - current):
            self.echo(f"  fixed: {problem.path}:{problem.line}: {problem.message} "
                      f"[{problem.code}]")
        self.problems = current

    # ----------------------------------------------------------------- stop
    def stop(self) -> None:
        self.stop_event.set()
        self.wake.set()

    def close(self) -> None:
        if self.observer is not None:
            self._stop_observer(self.observer)
            self.observer = None


class _Handler(FileSystemEventHandler):
    """Passes every relevant path to the watcher; runs in the observer thread."""

    def __init__(self, watcher: Watcher) -> None:
        super().__init__()
        self.watcher = watcher

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in WATCHED_EVENTS:
            return
        src = os.fsdecode(event.src_path)
        self.watcher.notice(src, event.is_directory, event.event_type)
        dest = os.fsdecode(event.dest_path) if getattr(event, "dest_path", "") else ""
        if event.event_type == "moved" and dest:
            self.watcher.notice(dest, event.is_directory, "moved")


def _settled(full: str) -> tuple[bytes | OSError | int, tuple[int, int]]:
    """Read until two reads agree: a note read while it is being written is
    not taken as final."""
    data, stamp = read_bytes(full)
    for _ in range(20):
        again, stamp_again = read_bytes(full)
        if again == data:
            return again, stamp_again
        data, stamp = again, stamp_again
        time.sleep(0.05)
    return data, stamp


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def watch(root: Path, options: WatchOptions, echo: Callable[[str], None] = print) -> int:
    """Run until Ctrl-C or SIGTERM; the exit code."""
    watcher = Watcher(root, options, echo)

    def on_term(signum: int, frame: FrameType | None) -> None:
        watcher.stop()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        watcher.start()
        watcher.run()
    except KeyboardInterrupt:
        pass
    except Runaway as exc:
        echo(str(exc))
        return 1
    finally:
        watcher.close()
        signal.signal(signal.SIGTERM, previous)
    echo("vaultokr watch: stopped")
    return 0
