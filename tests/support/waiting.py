"""Waiting for something that happens in another thread or process (a
watcher's rebuild, a child's output): a deadline, never a timed assertion."""

from __future__ import annotations

import time
from collections.abc import Callable

POLL = 0.05  # seconds between two looks


def wait_for(predicate: Callable[[], object], timeout: float = 10.0,
             said: Callable[[], str] = lambda: "") -> None:
    """Return as soon as ``predicate()`` is true; fail once ``timeout`` seconds
    passed without it, with what ``said()`` tells (the watcher's output, say)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting; it said:\n{said()}")
        time.sleep(POLL)
