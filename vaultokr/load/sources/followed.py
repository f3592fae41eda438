"""Source 6 (SPEC v3): one note's property followed over time, for key
results with ``note:`` and ``field:``. In a git work tree each committed
change of the value is a measurement dated by its commit (the committer's
local day), and a working-tree value that differs from the last commit's is
dated by the file's modification date; without git (or outside a work tree,
or when git fails: a warning) the current value is one measurement dated by
the modification date. The note's own date is not a measurement date.

With a heading (``note: "[[Goal#Progress]]"``) only the inline fields of
that section are read; with several fields, the value is their sum (every
field must have one). A committed version whose value cannot be read is
skipped without a problem (history cannot be edited); the current one is a
problem as any field's value is.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from vaultokr.core.errors import Problems
from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.sources.base import (
    LinkedNote,
    Reading,
    in_window,
    linked_from_text,
    number_or_problem,
)
from vaultokr.model.measures import rule
from vaultokr.model.okr import KeyResult
from vaultokr.read import markdown
from vaultokr.read.githistory import GitFailed, GitHistory
from vaultokr.syntax import names as syntax
from vaultokr.syntax.values import ValueProblem

FIELD = MeasurementKind.FIELD
Found = tuple[int, list[Any]]  # the line of the last field read, and each field's value


def read(reading: Reading) -> None:
    for kr in reading.model.key_results.values():
        reading.limit(kr)  # a heading the note lacks is a problem, read or not
        if kr.note and not _limited(kr):
            props = reading.kr_props.get(kr.id)
            reading.problems.warning(
                kr.path, props.line("note") if props is not None else kr.line, "note-unused",
                "note: limits what field, tag or task read, or the tasks of a checklist, and "
                "this key result has none of them: add field: NAME (the note's property "
                "over time), or remove note:")
    krs = [kr for kr in reading.model.key_results.values() if kr.note and kr.fields]
    if not krs:
        return
    paths = sorted({f"{kr.note}.md" for kr in krs})
    history = _history(reading, paths)
    for kr in krs:
        note = reading.linked(str(kr.note))
        if note is None:
            continue
        _follow(reading, kr, note, None if history is None else history.get(note.path))


def _history(reading: Reading, paths: list[str]) -> dict[str, list[tuple[Any, str]]] | None:
    git = GitHistory(reading.files.root, reading.files.history)
    try:
        return git.versions(paths)
    except FileNotFoundError:
        return None  # git uninstalled while it ran: the fallback, as without git
    except GitFailed as exc:
        reading.problems.warning(paths[0], 1, "git-failed",
                                 f"{exc}: the note's history is not read; its current value is "
                                 "dated by the file's modification date. Check `git status` in "
                                 "the vault")
        return None


def _follow(reading: Reading, kr: KeyResult, note: LinkedNote,
            versions: list[tuple[Any, str]] | None) -> None:
    last: Any = None
    for version, text in versions or []:
        old = linked_from_text(note.path, text, Problems()) if version.blob else None
        found = None if old is None else _value(kr, old)
        value = None if found is None else _number(kr, found)
        if value is not None and value != last and in_window(kr, version.day):
            reading.add(kr, note.path, found[0] if found else 1, version.day, value, kind=FIELD)
        last = value
    now = _value(kr, note)
    if now is None:
        return
    day = _modified(reading, note.path)
    parsed = [number_or_problem(raw, kr.unit) for raw in now[1]]
    bad = next((p for p in parsed if isinstance(p, ValueProblem)), None)
    if bad is not None:
        reading.bad_value(kr, note.path, now[0], bad)
        return
    value = sum(p for p in parsed if not isinstance(p, ValueProblem))
    if day is not None and value != last and in_window(kr, day):
        reading.add(kr, note.path, now[0], day, value, kind=FIELD)


def _limited(kr: KeyResult) -> bool:
    """Whether the key result reads something that note: limits (``task``:
    the task source's property, SPEC v3, on key results that have it)."""
    return bool(kr.fields or kr.tag or getattr(kr, "task", None) or rule(kr).reads_tasks)


def _number(kr: KeyResult, found: Found) -> float | None:
    parsed = [number_or_problem(raw, kr.unit) for raw in found[1]]
    if any(isinstance(p, ValueProblem) for p in parsed):
        return None
    return sum(p for p in parsed if not isinstance(p, ValueProblem))


def _value(kr: KeyResult, note: LinkedNote) -> Found | None:
    """Each field's value in the note (or the heading's section), the later
    one when written twice; None when one of them has none."""
    section: tuple[int, int] | None = None
    if kr.note_heading is not None:
        section = markdown.log_section(note.parsed_body(), kr.note_heading.rsplit("#", 1)[-1])
        if section is None:
            return None
    wanted = [syntax.canonical_path(name) for name in kr.fields]
    written: dict[tuple[str, ...], tuple[int, Any]] = {}
    if section is None:
        for path in wanted:
            for *keys, value in syntax.front_matter_values(note.meta, path):
                if not _blank(value):
                    written[path] = (note.pos.line_of(*keys), value)
    inline = {path[0] for path in wanted if len(path) == 1}
    for name, line, raw in markdown.inline_fields(note.parsed_body(), inline):
        if not _blank(raw) and (section is None or section[0] <= line <= section[1]):
            written[(name,)] = (line, raw)
    if any(path not in written for path in wanted):
        return None
    return max(line for line, _ in written.values()), [written[p][1] for p in wanted]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _modified(reading: Reading, path: str) -> dt.date | None:
    try:
        return dt.datetime.fromtimestamp(os.stat(reading.files.root / path).st_mtime).date()
    except OSError:
        return None
