"""The watch differential: a real watcher (native file events, in a thread)
on a vault that is edited step by step; after each edit, once the watcher
has settled, a ``build --no-cache`` on a copy of its files (its outputs
included, caches left out; same date; the copy is in another folder: outputs
hold no absolute path) changes nothing: every file is as the watcher left
it, so a stale or a wrong output is seen. Edits are the differential's (differential_edits.py)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from support.differential import (
    Difference,
    Edit,
    Vault,
    compare,
    compiled_once,
    copy_user_files,
    run,
    tree,
)
from support.differential_edits import DATES, EDITS
from support.watching import Running
from vaultokr.run.watch import WatchOptions


class Watched(Running):
    """A watcher in a thread (support.watching), with what it printed, and
    the waits this differential needs."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, WatchOptions(debounce=0.05, as_of=DATES[0]))

    def noticed(self, before: int, deadline: float = 2.0) -> None:
        """Wait (at most ``deadline`` s: an edit may change nothing) until the
        watcher has a change pending or has rebuilt since ``before``."""
        end = time.monotonic() + deadline
        while time.monotonic() < end and self.error is None:
            if self.watcher.rebuilds != before or self.watcher.pending:
                return
            time.sleep(0.01)

    def settle(self, quiet: float = 0.3, deadline: float = 20.0) -> None:
        """Wait until nothing is pending and no rebuild happened for ``quiet`` s."""
        last = (self.watcher.rebuilds, time.monotonic())
        end = time.monotonic() + deadline
        while time.monotonic() < end and self.error is None:
            time.sleep(0.02)
            if self.watcher.rebuilds != last[0] or self.watcher.pending:
                last = (self.watcher.rebuilds, time.monotonic())
            elif time.monotonic() - last[1] >= quiet:
                return
        raise AssertionError(f"the watcher never settled ({self.error!r}):\n"
                             + "\n".join(self.lines))



def replay_watch(edits: Sequence[Edit], work: Path) -> None:
    """Run a watcher through ``edits``; raise :class:`Difference` at the first
    settled state whose files differ from a fresh build's."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    vault = Vault(work / "vault")
    with compiled_once():  # the watcher's builds too: the vault's path is the same each time
        running = Watched(vault.root)
        try:
            _steps(running, vault, edits, work)
        finally:
            running.stop()


def _steps(running: Watched, vault: Vault, edits: Sequence[Edit], work: Path) -> None:
    """Each edit, then the watcher settled and its files compared."""
    running.settle()
    for n in range(len(edits) + 1):
        if n:
            before = running.watcher.rebuilds
            EDITS[str(edits[n - 1][0])][0](vault, *[int(str(x)) for x in edits[n - 1][1:]])
            running.noticed(before)
            running.settle()
        fresh = work / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        copy_user_files(vault.root, fresh)  # the watcher's outputs too, as they are
        built = run(fresh, ("build", "--as-of", DATES[0].isoformat()), DATES[0], 80,
                    cached=False)
        found = compare(built, built, tree(vault.root), tree(fresh))
        if found or built.crash:
            raise Difference(
                f"after edit {n} of {len(edits)}, the watcher's files differ from a fresh "
                f"build's (-: watch, +: fresh):\n" + "".join(found) + built.crash
                + "\nwatch said:\n  " + "\n  ".join(running.lines)
                + f"\nreplay with:\n  from support.differential_watch import "
                f"replay_watch\n  replay_watch({list(edits[:n])!r}, Path('/tmp/w'))")

