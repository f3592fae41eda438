"""``vaultokr watch``: keep the reviews current while the user writes.

A watchdog observer (native, or polling with ``--poll`` or when the native
one cannot start) reports changed paths; the main loop waits for a quiet
period (the debounce, with a maximum wait so a constant stream of saves still
rebuilds), has the pipeline (pipeline.py) re-read only the changed notes and
rebuild. The parsed vault stays in memory between rebuilds.

A note an editor is still writing (modified, not yet closed: inflight.py)
is neither read as final nor replaced; the rebuild waits, or leaves that
file and tries again.

No loops: what vaultokr wrote is recognised by its content hash, not by a
time window, so an event for our own write is ignored while a real edit
right after it is not. An output rewritten again and again (another program
fighting over it) stops the watcher with a message rather than churn.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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

from vaultokr.cache.index import content_hash
from vaultokr.core.errors import Problem, Runaway, VaultokrError, debug_traceback
from vaultokr.read.entries import Entry
from vaultokr.run.changes import Change, classify
from vaultokr.run.pipeline import Pipeline
from vaultokr.views.printer import Level, Reporter
from vaultokr.write.inflight import InFlight
from vaultokr.write.outputs import BuildResult

# what the kernel is asked to report: not opens and reads (Obsidian reads
# constantly), which would cost the observer thread time for nothing
EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent, FileClosedEvent,
    DirCreatedEvent, DirMovedEvent, DirDeletedEvent,
]
WATCHED_EVENTS = {"created", "modified", "moved", "deleted", "closed"}
#: the default quiet period with native events: a note being written is known
#: by its unpaired modification (inflight.py), so the quiet period only gathers
#: a burst of saves into one rebuild
NATIVE_DEBOUNCE = 0.1
#: polling reports no close: the quiet period (with the file's age) is all that
#: keeps a note saved in several writes from being read or replaced half-way
POLL_DEBOUNCE = 0.3


@dataclass
class WatchOptions:
    # seconds of quiet before a rebuild; None: NATIVE_DEBOUNCE, or POLL_DEBOUNCE when polling
    debounce: float | None = None
    max_wait: float = 3.0  # rebuild at the latest this long after the first event
    poll: bool = False
    rescan: float = 300.0  # a full rescan every so often catches dropped events
    as_of: dt.date | None = None  # fixed date (tests, demos); default: today
    runaway_writes: int = 5  # rebuilds in a row caused only by others rewriting our outputs
    # a note modified and not yet closed is being written: wait (at most this long)
    open_write_grace: float = 10.0
    level: Level = Level.NORMAL  # quiet: problems and state only; verbose: every rebuild
    cache: bool = True  # --no-cache: neither read nor write the index


class Watcher:
    def __init__(self, root: Path, options: WatchOptions,
                 echo: Callable[[str], None] = print) -> None:
        self.root = root.resolve()
        self.options = options
        self.report = Reporter(echo, options.level)
        self.pipeline = Pipeline(self.root, kept=True, cache=options.cache)
        self.stop_event = threading.Event()
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.pending = Change()
        self.first_event = 0.0
        self.last_event = 0.0
        self.fights = 0  # rebuilds in a row triggered only by changes to our own outputs
        self.problems: set[Problem] = set()
        self.rebuilds = 0
        self.observer: Any = None
        self.observer_kind = ""
        self.last_as_of: dt.date | None = None
        self.last_rescan = time.monotonic()
        self.inflight = InFlight(self.root, options.open_write_grace,
                                 min(options.debounce if options.debounce is not None
                                     else NATIVE_DEBOUNCE, 0.1))
        self.deferred: set[str] = set()  # outputs left in the last build: being written

    @property
    def debounce(self) -> float:
        """The quiet period: as given, else by how changes are observed."""
        if self.options.debounce is not None:
            return self.options.debounce
        return NATIVE_DEBOUNCE if self.inflight.pairs_closes else POLL_DEBOUNCE

    @property
    def entries(self) -> dict[str, Entry]:
        return self.pipeline.entries

    # ---------------------------------------------------------------- setup
    def start(self) -> BuildResult:
        started = time.perf_counter()
        self.pipeline.load_settings()
        self._rescan()
        result = self._build()
        self.pipeline.save_index()
        self._start_observer()
        ms = (time.perf_counter() - started) * 1000
        outputs = len(result.outputs)
        self.report.essential(
            f"vaultokr watch: {self.root.name} · {self.pipeline.notes()} notes · "
            f"{outputs} output{'s' * (outputs != 1)} · ready in {ms:.0f} ms · "
            f"{self.observer_kind} (Ctrl-C to stop)")
        self._report_build(result, "start", ms, changed=False, start=True)
        return result

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
                self.inflight.pairs_closes = True
                return
            except OSError as exc:
                self.report.essential(f"vaultokr watch: native file watching is not available "
                                      f"({exc.strerror or exc}); polling instead. On Linux, "
                                      "raise fs.inotify.max_user_watches to watch natively.")
                self._stop_observer(observer)
        observer = PollingObserver(timeout=1)
        observer.schedule(handler, str(self.root), recursive=True, event_filter=EVENT_FILTER)
        observer.start()
        self.observer, self.observer_kind = observer, "polling every 1 s"
        self.inflight.polling()

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
        kind = classify(rel, directory, event_type, self.pipeline.config)
        if kind is None:
            return
        now = time.monotonic()
        with self.lock:
            if kind == "note":
                self.inflight.track(rel, event_type, now)
            if not self.pending:
                self.first_event = now
            self.last_event = now
            self.pending.add(kind, rel)
        self.wake.set()

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
                change.periodic = True  # catches dropped events; nothing found, nothing built
            if not change and today != self.last_as_of:
                change.full = True  # a new day: the reviews' "today" moved
            if change:
                self._rebuild_safely(change)
            self._check_observer()

    def _wait_for_quiet(self) -> None:
        """Until the debounce has passed (or the maximum wait) and no note is
        still being written (the maximum wait does not cut that short)."""
        while not self.stop_event.is_set():
            with self.lock:
                if not self.pending:
                    return
                now = time.monotonic()
                quiet_at = self.last_event + self.debounce
                latest = self.first_event + self.options.max_wait
                busy = self.inflight.busy(now)
            if not busy and (now >= quiet_at or now >= latest):
                return
            self.wake.clear()
            self.wake.wait(timeout=max(0.01, min(quiet_at, latest) - now) if not busy else 0.1)

    def _rebuild_safely(self, change: Change) -> None:
        started = time.perf_counter()
        try:
            changed = self._apply(change)
            if not (changed or change.full or change.settings or change.templates
                    or change.retry):
                return  # e.g. the timed rescan found every note as it was
            change.full |= change.periodic  # found a change the events missed
            if self._written_meanwhile(change):
                return
            outputs_only = bool(changed) and all(self.pipeline.is_output(rel) for rel in changed)
            ours = dict(self.pipeline.written)
            result = self._build()
            self._check_fight(outputs_only, changed, result, ours)
        except Runaway:
            raise
        except VaultokrError as exc:
            self.report.essential(f"vaultokr watch: {exc}")
            return
        except Exception as exc:  # the loop goes on; the next change retries
            self.report.essential(
                f"vaultokr watch: rebuild failed: {type(exc).__name__}: {exc} "
                "(the watcher keeps going; VAULTOKR_DEBUG=1 shows the traceback)")
            debug_traceback()
            return
        ms = (time.perf_counter() - started) * 1000
        what = ", ".join(sorted(changed)[:3]) + (f" and {len(changed) - 3} more"
                                                 if len(changed) > 3 else "")
        if change.settings:
            what = (what + ", " if what else "") + "settings"
        if change.templates:
            what = (what + ", " if what else "") + "templates"
        self._report_build(result, what or "rescan", ms, changed=bool(changed))

    def _apply(self, change: Change) -> set[str]:
        """Bring the pipeline's entries up to date; the notes whose content changed."""
        if change.settings and self.pipeline.load_settings():
            change.full = True
        if change.templates:
            self.pipeline.templates_changed()
        if change.full or change.periodic:
            return self._rescan()
        return self.pipeline.refresh(change.notes)

    def _being_written(self, rel: str) -> bool:
        """Asked right before a file is replaced (an editor writing it: leave it)."""
        with self.lock:
            busy = self.inflight.writing(rel)
        if busy:
            self.deferred.add(rel)
        return busy

    def _written_meanwhile(self, change: Change) -> bool:
        """A note began to be written while it was read: put the change back
        and wait again, rather than build (and write regions) from half a note."""
        with self.lock:
            if not self.inflight.busy():
                return False
            self.pending.notes |= change.notes
            self.pending.full |= change.full
            self.pending.settings |= change.settings
            self.pending.templates |= change.templates
            self.pending.retry |= change.retry
            self.first_event = self.last_event = time.monotonic()
        return True

    def _rescan(self) -> set[str]:
        self.last_rescan = time.monotonic()
        return self.pipeline.read()

    def _build(self) -> BuildResult:
        as_of = self.options.as_of or dt.date.today()
        self.deferred.clear()
        result = self.pipeline.build(self.pipeline.analyse(as_of),
                                     being_written=self._being_written)
        if self.deferred:  # left because they were being written: try again after
            now = time.monotonic()
            with self.lock:
                if not self.pending:
                    self.first_event = now
                self.last_event = now
                self.pending.notes |= self.deferred
                self.pending.retry = True
            self.wake.set()
        self.last_as_of = as_of
        self.rebuilds += 1
        return result

    def _check_fight(self, outputs_only: bool, changed: set[str], result: BuildResult,
                     ours: dict[str, str]) -> None:
        """Something else (another vaultokr, a sync tool, a plugin) rewriting our
        outputs, we rewriting them back, again and again: stop, do not churn.

        Rewriting back means writing the very bytes we had written before: a
        user's check-in into a note with a region changes what the region
        says, so it is an edit, never a fight."""
        rewrote = {o.path for o in result.outputs if o.changed and o.new is not None
                   and o.path in changed and ours.get(o.path) == content_hash(o.new)}
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
            self.report.essential(
                "vaultokr watch: the file observer stopped; restarting it and rescanning")
            self._stop_observer(observer)
            self._start_observer()
            with self.lock:
                self.pending.full = True
            self.wake.set()

    # ------------------------------------------------------------- reports
    def _report_build(self, result: BuildResult, what: str, ms: float, changed: bool,
                      start: bool = False) -> None:
        """A line per rebuild (one that wrote nothing for no changed note: only
        at the verbose level; at start: never), then the problems that came
        and went."""
        wrote = [o.path for o in result.outputs if o.changed]
        if wrote or not start:
            shown = ", ".join(wrote[:4]) + (f" and {len(wrote) - 4} more" if len(wrote) > 4
                                            else "")
            stamp = time.strftime("%H:%M:%S")
            self.report.say(
                f"{stamp}  {what} → {'wrote ' + shown if wrote else 'no output changed'}"
                f" ({ms:.0f} ms)", Level.NORMAL if wrote or changed else Level.VERBOSE)
        current = set(result.analysis.problems) | set(result.problems)
        for problem in sorted(current - self.problems):
            self.report.essential(f"  {problem.format()}")
        for problem in sorted(self.problems - current):
            self.report.essential(f"  fixed: {problem.path}:{problem.line}: {problem.message} "
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


def watch(root: Path, options: WatchOptions, echo: Callable[[str], None] = print) -> None:
    """Run until Ctrl-C or SIGTERM (or a :class:`Runaway`)."""
    watcher = Watcher(root, options, echo)

    def on_term(signum: int, frame: FrameType | None) -> None:
        watcher.stop()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        watcher.start()
        watcher.run()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.close()
        signal.signal(signal.SIGTERM, previous)
    watcher.report.essential("vaultokr watch: stopped")
