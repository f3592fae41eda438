"""Counters of the expensive steps a command runs, put in by monkeypatching:
one item per analysis, per build, per note read from disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from vaultokr.run import pipeline, reading


def count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per analysis a command runs (none when it is answered)."""
    ran: list[int] = []
    real = pipeline.analyse_files

    def counting(*args: object) -> object:
        ran.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "analyse_files", counting)
    return ran


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per build that renders (none when nothing changed)."""
    from vaultokr.run.build import Builder

    ran: list[int] = []
    real = Builder.run

    def run(self: Builder) -> object:
        ran.append(1)
        return real(self)

    monkeypatch.setattr(Builder, "run", run)
    return ran


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the notes a run reads from disk (not from the index)."""
    seen: list[str] = []
    real: Callable[[str], object] = reading.read_note

    def counting(full: str, *args: object) -> object:
        seen.append(Path(full).name)
        return real(full, *args)

    monkeypatch.setattr(reading, "read_note", counting)
    return seen
