"""Source 4: a property (front-matter, or a Dataview inline field) of dated
notes, for key results with ``field: NAME``; names compare as Dataview
compares them (``vaultokr.syntax.names.canonical``); with ``count``, each note
counts 1. A blank field (``mood::``, a template left empty) is nothing; a
field written twice in a note has the later value (one value per note)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.sources.base import DatedNote, Reading, in_windows, number_or_problem
from vaultokr.load.sources.field_lists import Several
from vaultokr.model.measures import rule
from vaultokr.model.okr import KeyResult
from vaultokr.read import markdown
from vaultokr.syntax import names as syntax
from vaultokr.syntax.values import ValueProblem

FIELD = MeasurementKind.FIELD


def read(reading: Reading) -> None:
    fields = reading.by_field()
    if not fields:
        return
    inline = {path[0] for path in fields if len(path) == 1}
    values: list[tuple[DatedNote, tuple[str, ...], int, Any]] = []  # in the notes' order
    for note in reading.dated_notes():
        found: dict[tuple[str, ...], list[tuple[int, Any]]] = defaultdict(list)
        for path in fields:
            for *keys, value in syntax.front_matter_values(note.meta, path):
                found[path].append((note.pos.line_of(*keys), value))
        if note.needs_body and inline:
            for name, line, raw in markdown.inline_fields(note.parsed_body(), inline):
                found[(name,)].append((line, raw))
        for path, written in found.items():
            kept = [(line, raw) for line, raw in written if not _blank(raw)]
            if kept:  # written twice: the later one is the note's value
                values.append((note, path, *kept[-1]))
    _add(reading, fields, values)


def _add(reading: Reading, fields: dict[tuple[str, ...], list[KeyResult]],
         values: list[tuple[DatedNote, tuple[str, ...], int, Any]]) -> None:
    """Each value a measurement of the key results whose window holds its
    note's date, in the order of a check of every pair; a value is parsed
    once per unit, not once per key result (many may read one daily field)."""
    windows: list[list[KeyResult]] = [[] for _ in values]
    for path, krs in fields.items():
        mine = [i for i, value in enumerate(values) if value[1] == path]
        for i, held in zip(mine, in_windows([values[i][0].day for i in mine], krs), strict=True):
            windows[i] = held
    several = Several()  # key results with a list of fields (SPEC v3)
    for (note, path, line, raw), krs in zip(values, windows, strict=True):
        parsed: dict[tuple[str | None, bool], float | ValueProblem] = {}
        for kr in krs:
            counts = rule(kr).counts_notes
            key = (kr.unit, counts)
            if key not in parsed:
                parsed[key] = number_or_problem(1 if counts else raw, kr.unit)
            before = len(kr.measurements)
            reading.add_parsed(kr, note.path, line, note.day, parsed[key], FIELD)
            several.added(kr, path, before)
    several.combine()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
