"""What a command prints, by level: ``-q`` keeps only what must be seen
(problems, errors, the watcher's own state), ``-v`` adds what did not change.
Each line is given its level where it is made; nothing is filtered by text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from vaultokr.core.escape import printable


class Level(IntEnum):
    QUIET = 0
    NORMAL = 1
    VERBOSE = 2

    @classmethod
    def of(cls, quiet: bool, verbose: bool) -> Level:
        """-q wins over -v."""
        return cls.QUIET if quiet else cls.VERBOSE if verbose else cls.NORMAL


@dataclass
class Reporter:
    write: Callable[[str], None] = print
    level: Level = Level.NORMAL

    def say(self, line: str, level: Level) -> None:
        """Print ``line`` when the reporter's level reaches ``level``."""
        if self.level >= level:
            self.write(printable(line))

    def essential(self, line: str) -> None:
        """Problems, errors and state: printed even with -q."""
        self.say(line, Level.QUIET)

    def info(self, line: str) -> None:
        """What changed: hidden by -q."""
        self.say(line, Level.NORMAL)

    def detail(self, line: str) -> None:
        """What did not change: printed only with -v."""
        self.say(line, Level.VERBOSE)
