"""What the cyclic garbage collector walks. vaultokr makes many small
objects at once (the listing, the notes' entries, the index) and keeps most
of them to the end of a command; the collector's full walks over them cost
more than anything they could free.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
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
def one_shot() -> Iterator[None]:
    """For a command that reads the vault once (``status``, ``check``,
    ``build``, ...): the cyclic collector off for the whole block. Such a
    command keeps nearly all it makes to its end, and vaultokr's own code
    makes no reference cycles while it reads, analyses and builds (no
    closure that calls itself, no object that points back at its owner), so
    reference counting frees what is dropped and the collector's walks over
    what is kept only cost time: ~25 ms of a first run on the 10k personal
    vault. ``tests/test_first_run.py`` runs the sample vault's commands with
    the collector saving what it would have freed, and finds nothing.
    ``watch`` runs for weeks and keeps the collector on.

    At the end, what the command made is still alive (its answer, its
    analysis) and all of it is young to the collector: turned on again, its
    next collection would walk every object once more (30-190 ms after a
    ``status`` of 10,000 notes) to free nothing. So it is frozen first: the
    collector leaves it out of its walks, and reference counting still frees
    it when it is dropped."""
    collecting = gc.isenabled()
    with collector_paused():
        try:
            yield
        finally:
            if collecting:
                gc.freeze()
