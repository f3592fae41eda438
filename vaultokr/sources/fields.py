"""Source 4: a property (front-matter, or an inline ``name:: value``) of dated
notes, for key results with ``field: NAME``; with ``count``, each note counts 1."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from vaultokr import markdown
from vaultokr.measures import rule
from vaultokr.sources.base import Reading, in_window
from vaultokr.vocab import MeasurementKind

FIELD = MeasurementKind.FIELD


def read(reading: Reading) -> None:
    fields = reading.by_field()
    if not fields:
        return
    for note in reading.dated_notes():
        found: dict[str, list[tuple[int, Any]]] = defaultdict(list)
        for name in fields:
            if name in note.meta:
                found[name].append((note.pos.line_of(name), note.meta[name]))
        if note.needs_body:
            for name, line, raw in markdown.inline_fields(note.parsed_body(), set(fields)):
                found[name].append((line, raw))
        for name, values in found.items():
            for kr in fields[name]:
                if not in_window(kr, note.day):
                    continue
                for line, raw in values:
                    if rule(kr).counts_notes:
                        reading.add(kr, note.path, line, note.day, 1, kind=FIELD)
                        break
                    reading.add(kr, note.path, line, note.day, raw, kind=FIELD)
