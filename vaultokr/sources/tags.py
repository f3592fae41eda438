"""Source 5: dated notes with a tag (front-matter ``tags`` or ``#tag`` in the
body, nested tags included), each counting 1 for key results with
``measure: count`` and ``tag: NAME``."""

from __future__ import annotations

import re
from typing import Any

from vaultokr import markdown
from vaultokr.sources.base import Reading, in_window
from vaultokr.vocab import MeasurementKind


def read(reading: Reading) -> None:
    tags = reading.by_tag()
    if not tags:
        return
    for note in reading.dated_notes():
        note_tags = _front_matter_tags(note.meta.get("tags"), note.pos.line_of("tags"))
        if note.needs_body:
            note_tags += markdown.body_tags(note.parsed_body())
        for tag, krs in tags.items():
            line = next((line for t, line in note_tags if t == tag or t.startswith(tag + "/")),
                        None)
            if line is None:
                continue
            for kr in krs:
                if in_window(kr, note.day):
                    reading.add(kr, note.path, line, note.day, 1, kind=MeasurementKind.TAG)


def _front_matter_tags(value: Any, line: int) -> list[tuple[str, int]]:
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
    return [(str(t).strip().lstrip("#").lower(), line) for t in items if str(t).strip()]
