"""Source 5: dated notes with a tag (front-matter ``tags`` or ``#tag`` in the
body, by Obsidian's rules in ``vaultokr.syntax.names``; a nested tag counts for its
parent).

- ``measure: count`` with ``tag: NAME``: each note carrying the tag counts 1
  on its date; a tag that is only on unchecked tasks (``- [ ] Worked out
  #habit/exercise``, left by a template) does not count the note (SPEC v3).
- ``measure: last`` or ``sum`` with ``tag: NAME``: Tracker's tag values,
  ``#weight:72.5kg``, are the note's measurements (the unit after the number
  is the key result's unit, as for any value)."""

from __future__ import annotations

from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.sources.base import DatedNote, Reading, in_window, number_or_problem
from vaultokr.model.measures import rule
from vaultokr.model.okr import KeyResult
from vaultokr.read import markdown
from vaultokr.syntax import names as syntax


def read(reading: Reading) -> None:
    tags = reading.by_tag()
    if not tags:
        return
    counted = {t: [kr for kr in krs if rule(kr).counts_notes] for t, krs in tags.items()}
    valued = {t: [kr for kr in krs if not rule(kr).counts_notes] for t, krs in tags.items()}
    for note in reading.dated_notes():
        if any(counted.values()):
            _count(reading, note, {t: krs for t, krs in counted.items() if krs})
        if any(valued.values()) and note.needs_body:
            _values(reading, note, {t: krs for t, krs in valued.items() if krs})


def _count(reading: Reading, note: DatedNote, tags: dict[str, list[KeyResult]]) -> None:
    line_of_tags = note.pos.line_of("tags")
    note_tags = [(t, line_of_tags) for t in syntax.front_matter_tags(note.meta.get("tags"))]
    if note.needs_body:
        body = note.parsed_body()
        open_tasks = markdown.open_task_lines(body)
        note_tags += [(t, line) for t, line in markdown.body_tags(body) if line not in open_tasks]
    for tag, krs in tags.items():
        lines = [line for t, line in note_tags if syntax.tag_matches(t, tag)]
        if not lines:
            continue
        for kr in krs:
            # with note: (SPEC v3), only a tag in that note or section
            line = next((n for n in lines if reading.allows(kr, note.path, n)), None)
            if line is not None and in_window(kr, note.day):
                reading.add(kr, note.path, line, note.day, 1, kind=MeasurementKind.TAG)


def _values(reading: Reading, note: DatedNote, tags: dict[str, list[KeyResult]]) -> None:
    for tag, line, text in markdown.tag_values(note.parsed_body()):
        for wanted, krs in tags.items():
            if not syntax.tag_matches(tag, wanted):
                continue
            for kr in krs:
                if in_window(kr, note.day) and reading.allows(kr, note.path, line):
                    reading.add_parsed(kr, note.path, line, note.day,
                                       number_or_problem(text, kr.unit), MeasurementKind.TAG)
