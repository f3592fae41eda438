"""The pipeline ``watch`` keeps between rebuilds. Beside a one-shot
:class:`~vaultokr.run.pipeline.Pipeline` it reads a note until two reads
agree (one being saved is not taken as final), re-reads only the paths a
save names (:meth:`KeptPipeline.refresh`) and knows what it wrote itself,
updates its last analysis after a save of measurement notes only
(:mod:`vaultokr.cache.incremental`), and re-renders only the reviews a save
can change (:mod:`vaultokr.cache.reuse`, with the last build's template data,
:class:`~vaultokr.reviews.memo.Carry`). Each of those is one method here; a
one-shot pipeline has none of them.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import TYPE_CHECKING

from vaultokr.cache import incremental
from vaultokr.compute.analysis import Analysis
from vaultokr.read.entries import read_note
from vaultokr.run.pipeline import Pipeline

if TYPE_CHECKING:
    from pathlib import Path

    from vaultokr.cache.incremental import State
    from vaultokr.reviews.memo import Carry
    from vaultokr.run.build import Builder
    from vaultokr.write.outputs import BuildResult


class KeptPipeline(Pipeline):
    """A pipeline that lives between builds (``watch``)."""

    kept = True

    def __init__(self, root: Path, *, cache: bool = True) -> None:
        super().__init__(root, cache=cache)
        self.last: State | None = None  # the last analysis, to update (incremental.py)
        self.incremental = 0  # how many analyses were updates (tests, benchmarks)
        self.carry: Carry | None = None  # what the last build made (memo.py)

    def read(self) -> set[str]:
        changed = super().read()
        if changed:  # a rescan that found a change: the next build is a full one
            self.last_build = None
        return changed

    def save_index(self) -> None:
        """Written once, when the watcher starts; the loaded entries can go."""
        super().save_index()
        self.kept_index.index = None

    def is_output(self, rel: str) -> bool:
        """Whether ``rel`` is a file vaultokr generated or wrote."""
        entry = self.entries.get(rel)
        return rel in self.written or (entry is not None and entry.generated)

    def _read_file(self, full: str, listed: bool) -> tuple[bytes | OSError | int,
                                                          os.stat_result | None]:
        return _settled(full)

    def analyse(self, as_of: dt.date) -> Analysis:
        """The last analysis updated when only measurement notes changed since
        (incremental.py); else a full one."""
        fixed = self.config_problems + self.scan_problems
        last, self.last = self.last, None  # an exception on the way: in full next time
        state = (None if last is None
                 else incremental.update(last, self.entries, self.config, fixed, as_of))
        if state is not None:
            self.incremental += 1
        else:
            state = incremental.remember(self._analyse(fixed, as_of), self.entries, fixed)
        self.last = state
        return state.analysis

    def _builder(self, analysis: Analysis, write: bool, force: bool) -> Builder:
        """The last build's template data for the results a save did not touch
        (memo.py); the reviews the last build's analysis shows as this one does
        are not rendered again (reuse.py)."""
        from vaultokr.reviews.memo import Carry

        builder = super()._builder(analysis, write, force)
        if self.carry is None:
            self.carry = Carry()
        builder.carry = self.carry
        return builder

    def _reviews_token(self) -> object | None:
        return self.renderer  # the compiled templates, kept until they change

    def _settings_token(self) -> object | None:
        return None  # the settings themselves (reloaded: a change)

    def _built(self, builder: Builder, result: BuildResult) -> None:
        super()._built(builder, result)
        if self.kept_index.index is None:  # else remembered already
            self._remember(result)


def _settled(full: str) -> tuple[bytes | OSError | int, os.stat_result | None]:
    """Read until two reads agree: a note read while it is being written is
    not taken as final. Two failures agree when they are the same error (an
    OSError never equals another instance); a note that is gone is gone."""
    data, st = read_note(full)
    for _ in range(20):
        if isinstance(data, FileNotFoundError | NotADirectoryError):
            return data, st
        again, st_again = read_note(full)
        if _same(again, data):
            return again, st_again
        data, st = again, st_again
        time.sleep(0.05)
    return data, st


def _same(one: bytes | OSError | int, other: bytes | OSError | int) -> bool:
    if isinstance(one, OSError) and isinstance(other, OSError):
        return type(one) is type(other) and one.errno == other.errno
    return one == other
