"""``vaultokr watch``: keep the reviews current while the user writes.

A watchdog observer (native, or polling with ``--poll`` or when the native
one cannot start; observer.py, which also watches where the vault's links
lead) reports changed paths; the main loop waits for a quiet period (the
debounce, with a maximum wait so a constant stream of saves still rebuilds),
has the pipeline (pipeline.py) re-read only the changed notes and rebuild.
The parsed vault stays in memory between rebuilds. A rescan (a folder
created, moved or deleted; the timed one) lists every note and reads those
whose size, times or inode changed, and the notes the events named anyway.

A note an editor is still writing (modified, not yet closed: inflight.py)
is neither read as final nor replaced; the rebuild waits, or leaves that
file and tries again. A note read empty, or without its front-matter, right
after a change is read again once it keeps still (midsave.py).

No loops: what vaultokr wrote is recognised by its content hash, not by a
time window, so an event for our own write is ignored while a real edit
right after it is not. An output rewritten again and again (another program
fighting over it) stops the watcher with a message rather than churn.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from vaultokr.core.errors import Problem, Runaway, VaultokrError, debug_traceback
from vaultokr.read.entries import Entry
from vaultokr.run.changes import Change
from vaultokr.run.kept import KeptPipeline
from vaultokr.run.midsave import settle
from vaultokr.run.observer import Observing
from vaultokr.run.rebuilds import Rebuilds
from vaultokr.views.printer import Level, Reporter
from vaultokr.write.inflight import InFlight
from vaultokr.write.outputs import BuildResult

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
        self.pipeline = KeptPipeline(self.root, cache=options.cache)
        self.stop_event = threading.Event()
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.pending = Change()
        self.first_event = 0.0
        self.last_event = 0.0
        self.told = Rebuilds(self.report, options.runaway_writes)
        self.rebuilds = 0
        self.observing = Observing(self.root, lambda *args: self.notice(*args))
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

    @property
    def problems(self) -> set[Problem]:
        """The problems the last rebuild printed (or found already printed)."""
        return self.told.problems

    @property
    def observer(self) -> Any:
        return self.observing.observer

    @property
    def observer_kind(self) -> str:
        return self.observing.kind

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
        self.told.tell(result, "start", ms, changed=False, start=True)
        return result

    def _start_observer(self) -> None:
        if self.observing.start(self.options.poll, self.report.essential):
            self.inflight.pairs_closes = True
        else:
            self.inflight.polling()

    # --------------------------------------------------------------- events
    def notice(self, path: str, directory: bool, event_type: str = "modified") -> None:
        """Called from the observer thread with each changed path."""
        found = self.observing.links.changes(path, directory, event_type, self.pipeline.config)
        if not found:
            return
        now = time.monotonic()
        with self.lock:
            if not self.pending:
                self.first_event = now
            self.last_event = now
            for kind, rel in found:
                if kind == "note":
                    self.inflight.track(rel, event_type, now)
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
            self.told.check_fight(outputs_only, changed, result, ours)
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
        self.told.tell(result, self.told.what(changed, change), ms, changed=bool(changed))

    def _apply(self, change: Change) -> set[str]:
        """Bring the pipeline's entries up to date; the notes whose content changed."""
        if change.settings and self.pipeline.load_settings():
            change.full = True
        if change.templates:
            self.pipeline.templates_changed()
        before = dict(self.entries)
        if change.full or change.periodic:
            changed = self._rescan()
            # a note an event named is read again even if its size and times say it is as it
            # was (a coarse clock, a filesystem without ctime): the event said otherwise
            changed |= self.pipeline.refresh((change.notes & self.entries.keys()) - changed)
        else:
            changed = self.pipeline.refresh(change.notes)
        left = settle(self.pipeline, changed, before, self.stop_event)
        if left:  # being saved over and over: read again after the next quiet period
            self._again(left)
        return changed - left

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
        """Every note listed, the changed ones read; the folders links lead to watched
        (listed again when one was added: what changed there before it was watched)."""
        self.last_rescan = time.monotonic()
        changed = self.pipeline.read()
        if self.observing.follow(self.pipeline.links):
            changed |= self.pipeline.read()
        return changed

    def _build(self) -> BuildResult:
        as_of = self.options.as_of or dt.date.today()
        self.deferred.clear()
        result = self.pipeline.build(self.pipeline.analyse(as_of),
                                     being_written=self._being_written)
        if self.deferred:  # left because they were being written: try again after
            self._again(self.deferred)
        self.last_as_of = as_of
        self.rebuilds += 1
        return result

    def _again(self, rels: set[str]) -> None:
        """Read these notes again after the next quiet period."""
        now = time.monotonic()
        with self.lock:
            if not self.pending:
                self.first_event = now
            self.last_event = now
            self.pending.notes |= rels
            self.pending.retry = True
        self.wake.set()

    def _check_observer(self) -> None:
        if not self.observing.alive() and not self.stop_event.is_set():
            self.report.essential(
                "vaultokr watch: the file observer stopped; restarting it and rescanning")
            self.observing.stop()
            self._start_observer()
            with self.lock:
                self.pending.full = True
            self.wake.set()

    # ----------------------------------------------------------------- stop
    def stop(self) -> None:
        self.stop_event.set()
        self.wake.set()

    def close(self) -> None:
        self.observing.stop()


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
