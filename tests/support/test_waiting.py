"""support.waiting: returns as soon as the predicate holds; fails after the deadline."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from support.waiting import wait_for


def test_it_returns_once_another_thread_made_it_true() -> None:
    done = threading.Event()
    threading.Timer(0.1, done.set).start()
    wait_for(done.is_set, timeout=10)
    assert done.is_set()


def test_it_fails_with_what_it_was_told_once_the_deadline_passed() -> None:
    told = r"(?s)timed out after 0.1 s.*the watcher said: nothing"
    with pytest.raises(AssertionError, match=told):
        wait_for(lambda: False, timeout=0.1, said=lambda: "the watcher said: nothing")


def test_restoring_puts_the_bytes_back_until_the_block_ends(tmp_path: Path) -> None:
    from support.watching import restoring

    note = tmp_path / "n.md"
    note.write_bytes(b"first")
    with restoring(note, b"first"):
        note.write_bytes(b"changed")
        wait_for(lambda: note.read_bytes() == b"first")
    note.write_bytes(b"changed")
    time.sleep(0.2)
    assert note.read_bytes() == b"changed"
