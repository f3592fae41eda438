"""Source 4: a property (front-matter, or a Dataview inline field) of dated
notes, for key results with ``field: NAME``; names compare as Dataview
compares them (``vaultokr.syntax.canonical``); with ``count``, each note
counts 1. A blank field (``mood::``, a template left empty) is nothing; a
field written twice in a note has the later value (one value per note)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from vaultokr import markdown, syntax
from vaultokr.measures import rule
from vaultokr.sources.base import Reading, in_window
from vaultokr.vocab import MeasurementKind

FIELD = MeasurementKind.FIELD


def read(reading: Reading) -> None:
    fields = reading.by_field()
    if not fields:
        return
    inline = {path[0] for path in fields if len(path) == 1}
    for note in reading.dated_notes():
        found: dict[tuple[str, ...], list[tuple[int, Any]]] = defaultdict(list)
        for path in fields:
            for *keys, value in syntax.front_matter_values(note.meta, path):
                found[path].append((note.pos.line_of(*keys), value))
        if note.needs_body and inline:
            for name, line, raw in markdown.inline_fields(note.parsed_body(), inline):
                found[(name,)].append((line, raw))
        for path, values in found.items():
            written = [(line, raw) for line, raw in values if not _blank(raw)]
            if not written:
                continue
            line, raw = written[-1]  # written twice: the later one is the note's value
            for kr in fields[path]:
                if in_window(kr, note.day):
                    value = 1 if rule(kr).counts_notes else raw
                    reading.add(kr, note.path, line, note.day, value, kind=FIELD)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
