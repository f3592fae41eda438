"""Notes read in the middle of a save, for ``vaultokr watch``.

An editor that saves in place truncates the note, then writes it: read in
between, the note is empty, and a key result read so would vanish from the
reviews for a rebuild (with every check-in that links to it reported as a
broken link). Reading until two reads agree (pipeline.py) does not help
when both fall in the same gap. So a note that, read after a change, shrank
to nothing or lost its front-matter is not believed at once: it is read
again once it has kept its size and times for :data:`STILL` seconds, and
what that read gives is believed (the user may have emptied it). A note
that does not keep still within :data:`LIMIT` seconds (something rewrites
it again and again) keeps what was read of it before, and is read again
after the next quiet period.
"""

from __future__ import annotations

import os
import threading
import time

from vaultokr.cache.index import Key, key_at
from vaultokr.read.entries import Entry
from vaultokr.run.kept import KeptPipeline

STILL = 0.2
LIMIT = 1.0
_TICK = 0.02


def fronted(entry: Entry) -> bool:
    """Whether the reader found front-matter that made the note something:
    a typed note, a generated one, aliases, or front-matter it could not read."""
    return entry.note is not None or entry.generated or entry.alias is not None or entry.broken


def doubtful(before: Entry | None, after: Entry | None) -> bool:
    """A note that shrank to nothing, or lost its front-matter."""
    if before is None or after is None:
        return False
    if after.stamp[1] == 0 and before.stamp[1] > 0:
        return True
    return fronted(before) and not fronted(after)


def unmoving(paths: list[str], stop: threading.Event) -> set[str]:
    """Wait until each file has kept its key (size, times, inode) for
    :data:`STILL` seconds, at most :data:`LIMIT`; the ones that did not."""
    start = time.monotonic()
    keys: dict[str, Key | None] = {path: key_at(path) for path in paths}
    since = dict.fromkeys(paths, start)
    moving = set(paths)
    while moving and not stop.is_set():
        now = time.monotonic()
        moving = {path for path in moving if now - since[path] < STILL}
        if not moving or now - start >= LIMIT:
            break
        stop.wait(_TICK)
        for path in moving:
            key = key_at(path)
            if key != keys[path]:
                keys[path], since[path] = key, time.monotonic()
    return moving


def settle(pipeline: KeptPipeline, changed: set[str], before: dict[str, Entry],
           stop: threading.Event) -> set[str]:
    """After ``changed`` were read: read the doubtful ones again once they are
    still; those never still get back the entry they had. The notes left so."""
    doubted = [rel for rel in sorted(changed) if doubtful(before.get(rel),
                                                         pipeline.entries.get(rel))]
    if not doubted:
        return set()
    full = {rel: os.path.join(pipeline.root, rel) for rel in doubted}
    moving = unmoving(list(full.values()), stop)
    left = {rel for rel in doubted if full[rel] in moving}
    pipeline.refresh(set(doubted) - left)  # still: what it holds now is believed
    for rel in left:
        pipeline.entries[rel] = before[rel]
        pipeline.keys.pop(rel, None)  # a rescan reads it again too
    return left
