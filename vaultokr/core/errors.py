"""Problems found in a vault, and the exceptions that stop a command.

A :class:`Problem` is data: it is collected, sorted and reported, and never
stops the run.  A :class:`VaultokrError` stops a command; there is one
subclass per outcome (a usage error, a busy vault, a note that kept changing,
…) and the CLI maps each to its exit code in one place (``boundary.py``).
Both format themselves like a compiler message: ``path:line: severity: …``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class Problems:
    """A collector of problems, de-duplicated and sorted on the way out."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, severity: Severity, code: str, message: str) -> None:
        self.items.append(Problem(path, max(1, line), severity, code, message))

    def error(self, path: str, line: int, code: str, message: str) -> None:
        self.add(path, line, "error", code, message)

    def warning(self, path: str, line: int, code: str, message: str) -> None:
        self.add(path, line, "warning", code, message)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class VaultokrError(Exception):
    """An error that stops a command, with the place it is about and a hint."""

    def __init__(
        self, message: str, path: str | None = None, line: int | None = None, hint: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class UsageError(VaultokrError):
    """Bad input from the command line: an option, a vault folder, a date, a
    note name that matches nothing, a note that exists already."""


class ProblemsFound(VaultokrError):
    """``check`` found problems that fail it, or ``build`` could not write an
    output (or, with --check, outputs are out of date). The problems are
    printed already, so the message is empty."""

    def __init__(self) -> None:
        super().__init__("")


class Runaway(VaultokrError):
    """``watch`` stopped: something else keeps rewriting its outputs."""


class VaultBusy(VaultokrError):
    """The vault's lock is held by another vaultokr (a build or a watch)."""


class CannotWrite(VaultokrError):
    """A note or the vault's own folder (``.vaultokr``: the lock) cannot be
    written: a read-only vault, no permission, disk full, a read-only or
    hard-linked note, or a link leading outside the vault. Nothing was
    written."""


class NoteChanged(VaultokrError):
    """A note kept changing while vaultokr wrote it (compare-and-swap gave up);
    nothing was written: try again."""


def debug_traceback() -> None:
    """Print the traceback being handled when VAULTOKR_DEBUG is set."""
    if os.environ.get("VAULTOKR_DEBUG"):
        import traceback  # only then: every command imports this module

        traceback.print_exc()
