"""Which notes another program is writing right now, for ``vaultokr watch``.

An editor that saves in place (truncate, write part 1, pause, write part 2)
holds the note open meanwhile. Replacing the note then (a region rewritten by
rename) would send the editor's later writes into the replaced file: lost.
So modifications are paired with the close that ends them (inotify's
close-write, watchdog's "closed" event), and a note modified and not yet
closed is *in flight*: not read as final, not replaced. A program that holds
a note open for writing longer than the grace is not waited for. The polling
observer reports no close; then only the quiet period and the file's age
protect a save in progress.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


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
