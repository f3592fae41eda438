"""A ``Watcher`` run in a thread of this process, as ``vaultokr watch`` runs
it, with real filesystem events; and a wait until it has settled."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.waiting import POLL
from vaultokr.run.watch import Watcher, WatchOptions

LOG: list[str] = []  # the running watcher's output, shown when a wait times out


def said() -> str:
    """What the running watcher printed, for a wait's failure message."""
    return "the watcher said:\n" + "\n".join(LOG)


class Running:
    def __init__(self, root: Path, options: WatchOptions) -> None:
        self.root = root
        self.lines: list[str] = LOG
        LOG.clear()
        self.watcher = Watcher(root, options, self.lines.append)
        self.watcher.start()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.watcher.run()
        except BaseException as exc:
            self.error = exc

    def dashboard(self) -> str:
        return (self.root / "OKRs" / "Dashboard.md").read_text()

    def stop(self) -> None:
        self.watcher.stop()
        self.thread.join(timeout=10)
        self.watcher.close()


def settle(w: Running, quiet: float = 1.0) -> None:
    """Wait until the watcher has nothing pending and has not rebuilt for a while."""
    last = (w.watcher.rebuilds, time.monotonic())
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        time.sleep(POLL)
        if w.watcher.rebuilds != last[0] or w.watcher.pending:
            last = (w.watcher.rebuilds, time.monotonic())
        elif time.monotonic() - last[1] >= quiet:
            return
    raise AssertionError("the watcher never settled; " + said())


@contextmanager
def restoring(path: Path, first: bytes) -> Iterator[None]:
    """Another program (a sync tool) that puts ``first`` back into ``path``
    whenever it finds other bytes there, while the block runs."""
    stop = threading.Event()

    def restore() -> None:
        while not stop.is_set():
            if path.read_bytes() != first:
                path.write_bytes(first)
            time.sleep(0.05)

    fighter = threading.Thread(target=restore, daemon=True)
    fighter.start()
    try:
        yield
    finally:
        stop.set()
        fighter.join()
