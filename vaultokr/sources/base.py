"""What every measurement source gets: the model read so far, and one way to
add a measurement (parsed and checked here, so each source only finds them)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from vaultokr import markdown, regions
from vaultokr.errors import Problems
from vaultokr.measures import rule
from vaultokr.model import KeyResult, Measurement, Model
from vaultokr.notes import NoteCache, Pos
from vaultokr.props import PropertyReader, Props
from vaultokr.resolve import Linker
from vaultokr.values import ValueProblem, date_in_name, parse_date, parse_number, show_value
from vaultokr.vault import Note, VaultFiles, parse_meta
from vaultokr.vocab import MeasurementKind


@dataclass(frozen=True)
class DatedNote:
    """A note with a date (its date: property, or a date in its name) that may
    hold a field or a tag in use."""

    path: str
    meta: dict[str, Any]
    pos: Pos
    body: str
    body_line: int
    day: dt.date
    cache: NoteCache
    needs_body: bool  # its body mentions a field or a tag in use

    def parsed_body(self) -> markdown.Body:
        return parsed_body(self.cache, self.body, self.body_line)


@dataclass
class Reading:
    files: VaultFiles
    model: Model
    problems: Problems
    read: PropertyReader
    linker: Linker
    kr_props: dict[str, Props] = field(default_factory=dict)  # every key result's properties
    kr_notes: dict[str, Note] = field(default_factory=dict)  # key results with a note
    _dated: list[DatedNote] | None = None

    def add(self, kr: KeyResult, path: str, line: int, when: Any, value: Any,
            confidence: Any = None, comment: Any = None,
            kind: MeasurementKind = MeasurementKind.CHECK_IN) -> None:
        """A measurement of a key result, or a problem on its line."""
        try:
            day = parse_date(when)
        except ValueProblem as exc:
            self.problems.error(path, line, "bad-date", f"measurement date: {exc}")
            return
        try:
            number = parse_number(value, kr.unit)
        except ValueProblem as exc:
            self.problems.error(path, line, "bad-value", f"measurement of [[{kr.id}]]: {exc}")
            return
        conf: float | None = None
        if confidence is not None and confidence != "":
            try:
                conf = parse_number(confidence)
                if not 0 <= conf <= 10:
                    raise ValueProblem("out of range")
            except ValueProblem:
                self.problems.warning(path, line, "bad-confidence",
                                      f"confidence {show_value(confidence)} is not a number "
                                      "from 0 to 10: write e.g. confidence: 7; it is left out")
                conf = None
        text = str(comment).strip() if comment not in (None, "") else None
        kr.measurements.append(Measurement(kr.id, day, number, conf, text or None,
                                           path, line, kind))

    def by_field(self) -> dict[str, list[KeyResult]]:
        """Key results read from a property of dated notes, by its name."""
        found: dict[str, list[KeyResult]] = defaultdict(list)
        for kr in self.model.key_results.values():
            if kr.field:
                found[kr.field].append(kr)
        return found

    def by_tag(self) -> dict[str, list[KeyResult]]:
        """Key results that count the dated notes with a tag, by the tag."""
        found: dict[str, list[KeyResult]] = defaultdict(list)
        for kr in self.model.key_results.values():
            if kr.tag and rule(kr).counts_notes:
                found[kr.tag.lower()].append(kr)
        return found

    def dated_notes(self) -> list[DatedNote]:
        """Dated notes that may hold a field or tag in use: typed notes as parsed,
        other dated notes parsed now (only those whose text mentions one; the
        parse is kept with the note, for the next rebuild of a watch)."""
        if self._dated is None:
            self._dated = list(self._find_dated())
        return self._dated

    def _find_dated(self) -> Iterator[DatedNote]:
        fields, tags = self.by_field(), self.by_tag()
        words = [w.lower() for kr in self.model.key_results.values()
                 for w in (kr.field, kr.tag) if w]

        def dated(path: str, meta: dict[str, Any], pos: Pos, body: str, body_line: int,
                  fallback: dt.date | None, cache: NoteCache) -> DatedNote | None:
            day = self._note_date(path, meta, pos, fallback)
            if day is None:
                return None
            lower = body.lower()
            needs = (any(f"{name.lower()}::" in lower for name in fields)
                     or any(f"#{tag}" in lower for tag in tags))
            return DatedNote(path, meta, pos, body, body_line, day, cache, needs)

        for note in self.files.typed:
            found = dated(note.path, note.meta, note.pos, note.body, note.body_line,
                          date_in_name(note.name), note.cache)
            if found:
                yield found
        for text in self.files.dated:
            cache = text.cache
            if cache.lower is None:
                cache.lower = text.parts.text.lower()
            if not any(w in cache.lower for w in words):
                continue
            if cache.meta is None:
                read = Problems()
                cache.meta = (parse_meta(text.path, text.parts, read), read.items)
            parsed, problems = cache.meta
            self.problems.items.extend(problems)
            if parsed is None:
                continue
            meta, pos = parsed
            found = dated(text.path, meta, pos, text.parts.body, text.parts.body_line,
                          text.name_date, cache)
            if found:
                yield found

    def _note_date(self, path: str, meta: dict[str, Any], pos: Pos,
                   fallback: dt.date | None) -> dt.date | None:
        if "date" not in meta or meta["date"] is None:
            return fallback
        try:
            return parse_date(meta["date"])
        except ValueProblem as exc:
            self.problems.warning(path, pos.line_of("date"), "bad-date", f"date: {exc}")
            return fallback


#: a measurement source (SPEC §3): finds measurements and adds them
Source = Callable[[Reading], None]


def parsed_body(cache: NoteCache, text: str, first_line: int) -> markdown.Body:
    """A note's body as Markdown (regions masked), parsed once per note read."""
    if cache.body is None:
        cache.body = markdown.parse_body(regions.mask(text), first_line)
    return cache.body


def in_window(kr: KeyResult, day: dt.date) -> bool:
    return (kr.start is None or day >= kr.start) and (kr.due is None or day <= kr.due)
