"""Source 5: dated notes with a tag (front-matter ``tags`` or ``#tag`` in the
body, by Obsidian's rules in ``vaultokr.syntax.names``; a nested tag counts for its
parent), each counting 1 for key results with ``measure: count`` and
``tag: NAME``."""

from __future__ import annotations

from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.sources.base import Reading, in_window
from vaultokr.read import markdown
from vaultokr.syntax import names as syntax


def read(reading: Reading) -> None:
    tags = reading.by_tag()
    if not tags:
        return
    for note in reading.dated_notes():
        line_of_tags = note.pos.line_of("tags")
        note_tags = [(t, line_of_tags) for t in syntax.front_matter_tags(note.meta.get("tags"))]
        if note.needs_body:
            note_tags += markdown.body_tags(note.parsed_body())
        for tag, krs in tags.items():
            lines = [line for t, line in note_tags if syntax.tag_matches(t, tag)]
            if not lines:
                continue
            for kr in krs:
                # with note: (SPEC v3), only a tag in that note or section
                line = next((n for n in lines if reading.allows(kr, note.path, n)), None)
                if line is not None and in_window(kr, note.day):
                    reading.add(kr, note.path, line, note.day, 1, kind=MeasurementKind.TAG)
