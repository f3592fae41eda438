"""What the cyclic garbage collector walks. vaultokr makes many small
objects at once (the listing, the notes' entries, the index) and keeps most
of them to the end of a command; the collector's full walks over them cost
more than anything they could free.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while many small objects are made at
    once (reading the vault, the index): it would walk them all, often."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def long_lived() -> Iterator[Callable[[], None]]:
    """For a command that reads the vault once: what is alive when the block
    starts (the modules), and again when it calls the function it is given
    (after reading: the notes' entries), is left out of the cyclic
    collector's walks until the block ends (``gc.freeze``). Such a command
    keeps all of it to its end, and each full collection walked it again
    (~25 ms of a first run on the 10k personal vault, ~150 ms on the shared
    one). Reference counting frees as ever; a freeze made by someone else
    is left as it is."""
    if gc.get_freeze_count():
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
