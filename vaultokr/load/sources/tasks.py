"""Source 6 (SPEC v3): checked tasks, for key results with ``measure: count``
and ``task: TEXT`` or ``task: "#tag"``.

A checked task (``- [x]`` or ``- [X]``, in a list, a quote or a callout, never
in code; its line alone, as the Tasks plugin reads a task) whose description
holds the text (case-insensitive; the Tasks plugin's description: the text
before its emoji fields such as ``🔁`` and ``✅``), or which carries the tag
(a nested ``#tag/sub`` counts for ``tag``), counts 1 on its done date
(``✅ 2026-11-05``) when it has one, else on its note's date. Each such task
counts: two on one day are two. Unchecked tasks
never count; a checked task with no done date in a note without a date has
no date to count on and is skipped without a problem (a vault holds many
such tasks: project lists, notes kept for reference).

Which notes are read is decided in :func:`task_notes` alone (a later
``note:`` limits it there): the typed notes, the dated notes, and the notes
without a date whose text holds a done date; of those, only the ones whose
lower-cased text passes the pre-check ``may_task`` (a line with ``[x]`` and
the text or tag) are parsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.sources.base import Reading, in_window, parsed_body
from vaultokr.model.okr import KeyResult, Task
from vaultokr.read import markdown
from vaultokr.read.frontmatter import NoteCache
from vaultokr.syntax import dates as notedates
from vaultokr.syntax import names as syntax


@dataclass(frozen=True)
class TaskNote:
    """A note that may hold a counted task: its date (None: it has none)."""

    path: str
    day: dt.date | None
    cache: NoteCache
    body: str
    body_line: int

    def tasks(self) -> list[Task]:
        return markdown.tasks(parsed_body(self.cache, self.body, self.body_line))


def read(reading: Reading) -> None:
    wanted = reading.by_task()
    if not wanted:
        return
    for note in task_notes(reading, list(wanted)):
        for task in note.tasks():
            if not task.done:
                continue
            day = task.done_on or note.day
            if day is None:
                continue  # no date to count it on (see the module's docstring)
            for kr in counted_by(task, wanted):
                if in_window(kr, day) and reading.allows(kr, note.path, task.line):
                    reading.add(kr, note.path, task.line, day, 1, kind=MeasurementKind.TASK)


def counted_by(task: Task, wanted: dict[str, list[KeyResult]]) -> Iterator[KeyResult]:
    line = task.text.split("\n", 1)[0]  # a task is its line, as the Tasks plugin reads it
    description = markdown.description(task).lower()
    tags: list[str] | None = None
    for needle, krs in wanted.items():
        if needle.startswith("#"):
            tags = markdown.tags_of(line) if tags is None else tags
            hit = any(syntax.tag_matches(tag, needle[1:]) for tag in tags)
        else:
            hit = needle in description
        if hit:
            yield from krs


def task_notes(reading: Reading, needles: list[str]) -> Iterator[TaskNote]:
    """The notes whose checked tasks may count: every typed note, dated note
    and note kept for its done dates whose text passes the pre-check."""
    files = reading.files
    daily = files.config.daily
    precheck = syntax.PRECHECK
    for note in files.typed:
        if precheck.may_task(note.body.lower(), needles):
            day = reading.note_date(note.path, note.meta, note.pos,
                                    notedates.path_date(note.id, daily))
            yield TaskNote(note.path, day, note.cache, note.body, note.body_line)
    for text in files.dated:
        cache = text.cache
        if cache.lower is None:
            cache.lower = text.parts.text.lower()
        if not precheck.may_task(cache.lower, needles):
            continue
        parsed = reading.meta_of(text)
        if parsed is None:
            continue
        meta, pos = parsed
        day = reading.note_date(text.path, meta, pos, text.name_date) if text.dated else None
        yield TaskNote(text.path, day, cache, text.parts.body, text.parts.body_line)
