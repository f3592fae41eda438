"""Which notes another program is writing right now: for ``vaultokr watch``
(:class:`InFlight`), and for a one-shot ``vaultokr build`` (:class:`Settle`).

An editor that saves in place (truncate, write part 1, pause, write part 2)
holds the note open meanwhile. Replacing the note then (a region rewritten by
rename) would send the editor's later writes into the replaced file: lost.
So modifications are paired with the close that ends them (inotify's
close-write, watchdog's "closed" event), and a note modified and not yet
closed is *in flight*: not read as final, not replaced. A program that holds
a note open for writing longer than the grace is not waited for. The polling
observer reports no close; then only the quiet period and the file's age
protect a save in progress.

A one-shot build sees no events at all: before it rewrites the region of a
note that changed within the last :data:`STILL` seconds, it waits until the
note has been still that long (as the index distrusts a note modified close
to its own write), for at most :data:`SETTLE_MAX` seconds in all; a note
still changing then is left, with a problem. The compare-and-swap that
follows sees what the editor wrote meanwhile, and leaves the note to it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from vaultokr.core.errors import Problem

if TYPE_CHECKING:
    from vaultokr.write.outputs import BuildResult

#: a note changed this recently (mtime or ctime, seconds) may be half-way
#: through an editor's save in several writes (the index does not trust a
#: note this young either)
STILL = 2.0
#: the longest a one-shot build waits, in all, for notes to be still (seconds)
SETTLE_MAX = 10.0


class InFlight:
    def __init__(self, root: Path, grace: float, young: float) -> None:
        self.root = root
        self.grace = grace  # seconds a modification without a close is waited for
        self.young = young  # a file modified this recently may be being written
        self.pairs_closes = False  # the observer reports closes (native events)
        self.since: dict[str, float] = {}  # rel -> the first unpaired modification

    def track(self, rel: str, event_type: str, now: float) -> None:
        if not self.pairs_closes:
            return
        if event_type == "modified":
            self.since.setdefault(rel, now)
        elif event_type != "created":  # closed after writing, moved into place, deleted
            self.since.pop(rel, None)

    def busy(self, now: float | None = None) -> set[str]:
        """Notes modified and not yet closed (within the grace)."""
        now = time.monotonic() if now is None else now
        return {rel for rel, since in self.since.items() if now - since < self.grace}

    def writing(self, rel: str) -> bool:
        """Right before ``rel`` is replaced: is it in flight, or modified a moment ago?"""
        if rel in self.busy():
            return True
        try:
            age = time.time() - os.stat(self.root / rel).st_mtime
        except OSError:
            return False
        return age < self.young

    def polling(self) -> None:
        self.pairs_closes = False
        self.since.clear()


class Settle:
    """``being_written`` for a one-shot build: waits for a region note that
    changed a moment ago to be still; True (left alone) only when it is still
    changing after the build has waited :data:`SETTLE_MAX` seconds."""

    def __init__(self, root: Path, notes: list[str]) -> None:
        self.root = root
        self.notes = set(notes)  # only the user's notes: vaultokr's reviews are its own
        self.deadline: float | None = None  # set by the first wait, for the whole build
        self.left: list[str] = []

    def __call__(self, rel: str) -> bool:
        if rel not in self.notes:
            return False
        while (quiet := _quiet(self.root / rel)) < STILL:
            if self.deadline is None:
                self.deadline = time.monotonic() + SETTLE_MAX
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.left.append(rel)
                return True
            time.sleep(min(STILL - quiet, left) + 0.01)
        return False

    def report(self, result: BuildResult) -> None:
        """A warning for each note left because it kept changing."""
        if not self.left:
            return
        result.problems = sorted({*result.problems, *(Problem(
            rel, 1, "warning", "write-conflict",
            f"another program kept writing this note for {SETTLE_MAX:g} s, so vaultokr left "
            "it as it is: run vaultokr build again once it is saved") for rel in self.left)})


def _quiet(path: Path) -> float:
    """Seconds since the file last changed (its content or its inode); a file
    that is gone is quiet."""
    try:
        st = os.stat(path)
    except OSError:
        return float("inf")
    return time.time() - max(st.st_mtime_ns, st.st_ctime_ns) / 1e9
