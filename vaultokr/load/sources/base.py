"""What every measurement source gets: the model read so far, and one way to
add a measurement (parsed and checked here, so each source only finds them)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from vaultokr.core.errors import Problem, Problems
from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.property_reader import PropertyReader, Props
from vaultokr.load.resolve import Linker
from vaultokr.model.measures import rule
from vaultokr.model.okr import KeyResult, Measurement, Model, Task
from vaultokr.read import markdown, regions
from vaultokr.read.entries import DatedText, Note, VaultFiles, decode, parse_meta, read_note
from vaultokr.read.frontmatter import NoteCache, Pos, Split, split
from vaultokr.syntax import dates as notedates
from vaultokr.syntax import names as syntax
from vaultokr.syntax.measured import parse_measurement
from vaultokr.syntax.values import ValueProblem, parse_date, parse_number, show_value


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


@dataclass(frozen=True)
class LinkedNote:
    """A note named by a key result's ``note:`` (SPEC v3), whatever its role."""

    path: str
    meta: dict[str, Any]
    pos: Pos
    body: str
    body_line: int
    cache: NoteCache

    def parsed_body(self) -> markdown.Body:
        return parsed_body(self.cache, self.body, self.body_line)


@dataclass(frozen=True)
class NoteLimit:
    """Where a key result with ``note:`` may read: one note's lines
    ``first``..``last`` (the whole note, or a heading's section). An
    unresolved ``note:`` (path "") lets nothing through."""

    path: str
    first: int = 0
    last: int = 10**9

    def holds(self, path: str, line: int) -> bool:
        return path == self.path and self.first <= line <= self.last


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
    _limits: dict[str, NoteLimit | None] = field(default_factory=dict)
    _linked: dict[str, LinkedNote | None] = field(default_factory=dict)
    _reported: set[str] = field(default_factory=set)  # dated notes whose problems are told
    _days: dict[str, dt.date | None] = field(default_factory=dict)  # each note's date

    def limit(self, kr: KeyResult) -> NoteLimit | None:
        """Where ``note:`` limits the key result's field, tag, task or checklist
        (None: no ``note:``, it reads the whole vault, or its own note)."""
        if kr.note is None:
            return None
        if kr.id not in self._limits:
            self._limits[kr.id] = self._limit(kr, kr.note)
        return self._limits[kr.id]

    def allows(self, kr: KeyResult, path: str, line: int) -> bool:
        """Whether the key result may read what is at ``path``:``line``."""
        found = self.limit(kr)
        return found is None or found.holds(path, line)

    def _report_once(self, path: str, problems: list[Problem]) -> None:
        """A dated note's front-matter problems, told once however often it is read."""
        if path not in self._reported:
            self._reported.add(path)
            self.problems.items.extend(problems)

    def limited_tasks(self, kr: KeyResult) -> list[Task]:
        """The tasks of the note (or section) a key result's ``note:`` names."""
        found = self.limit(kr)
        note = self.linked(kr.note) if kr.note else None
        if found is None or note is None:
            return []
        return [t for t in markdown.tasks(note.parsed_body()) if found.holds(note.path, t.line)]

    def _limit(self, kr: KeyResult, note_id: str) -> NoteLimit:
        note = self.linked(note_id) if note_id else None
        if note is None:
            return NoteLimit("")
        if kr.note_heading is None:
            return NoteLimit(note.path)
        heading = kr.note_heading.rsplit("#", 1)[-1]
        section = markdown.log_section(note.parsed_body(), heading)
        if section is None:
            props = self.kr_props.get(kr.id)
            line = props.line("note") if props is not None else kr.line
            shown = ", ".join(h.text for h in note.parsed_body().headings) or "none"
            self.problems.error(
                kr.path, line, "link-missing",
                f"note: [[{note_id}#{kr.note_heading}]]: [[{note_id}]] has no heading "
                f"{kr.note_heading!r}: write one of its headings ({shown}), or the note alone")
            return NoteLimit("")
        return NoteLimit(note.path, *section)

    def linked(self, note_id: str) -> LinkedNote | None:
        """The note of this id as read this run, or read now (an ordinary note
        without a date is kept by no entry)."""
        if note_id not in self._linked:
            self._linked[note_id] = find_linked(self, note_id)
        return self._linked[note_id]


    def add(self, kr: KeyResult, path: str, line: int, when: Any, value: Any,
            confidence: Any = None, comment: Any = None,
            kind: MeasurementKind = MeasurementKind.CHECK_IN) -> None:
        """A measurement of a key result, or a problem on its line."""
        try:
            day = parse_date(when)
        except ValueProblem as exc:
            self.problems.error(path, line, "bad-date", f"measurement date: {exc}")
            return
        parsed = number_or_problem(value, kr.unit)
        if isinstance(parsed, ValueProblem):
            self.bad_value(kr, path, line, parsed)
            return
        number = parsed
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

    def add_parsed(self, kr: KeyResult, path: str, line: int, day: dt.date,
                   parsed: float | ValueProblem, kind: MeasurementKind) -> None:
        """``add`` for a value already parsed (by ``number_or_problem``), with
        no confidence or comment: one parse shared by the key results that
        read the same value."""
        if isinstance(parsed, ValueProblem):
            self.bad_value(kr, path, line, parsed)
        else:
            kr.measurements.append(Measurement(kr.id, day, parsed, None, None, path, line, kind))

    def bad_value(self, kr: KeyResult, path: str, line: int, problem: ValueProblem) -> None:
        self.problems.error(path, line, "bad-value", f"measurement of [[{kr.id}]]: {problem}")

    def by_field(self) -> dict[tuple[str, ...], list[KeyResult]]:
        """Key results read from a property of dated notes, by its canonical
        name (a tuple: a dotted name is a path into nested front-matter)."""
        found: dict[tuple[str, ...], list[KeyResult]] = defaultdict(list)
        for kr in self.model.key_results.values():
            if kr.note is not None:
                continue  # one note's property, followed over time (source followed.py)
            for name in kr.fields:
                found[syntax.canonical_path(name)].append(kr)
        return found

    def by_tag(self) -> dict[str, list[KeyResult]]:
        """Key results that read a tag of dated notes (count the notes, or
        read Tracker's tag values for last and sum), by the tag."""
        found: dict[str, list[KeyResult]] = defaultdict(list)
        for kr in self.model.key_results.values():
            if kr.tag and (rule(kr).counts_notes or rule(kr).numeric):
                found[kr.tag.lower()].append(kr)
        return found

    def by_task(self) -> dict[str, list[KeyResult]]:
        """Key results that count checked tasks (``task:``), by what a task
        must hold: a lower-cased text, or ``#tag``."""
        found: dict[str, list[KeyResult]] = defaultdict(list)
        for kr in self.model.key_results.values():
            if kr.task and rule(kr).counts_notes:
                found[kr.task.lower()].append(kr)
        return found

    def dated_notes(self) -> list[DatedNote]:
        """Dated notes that may hold a field or tag in use: typed notes as parsed,
        other dated notes parsed now (only those whose text may mention one, by
        the pre-checks of ``vaultokr.syntax.names``; the parse is kept with the note,
        for the next rebuild of a watch)."""
        if self._dated is None:
            self._dated = list(self._find_dated())
        return self._dated

    def _find_dated(self) -> Iterator[DatedNote]:
        names = {path[0] for path in self.by_field()}
        inline = {path[0] for path in self.by_field() if len(path) == 1}
        tags = list(self.by_tag())
        daily = self.files.config.daily

        def dated(path: str, meta: dict[str, Any], pos: Pos, body: str, body_line: int,
                  fallback: dt.date | None, cache: NoteCache) -> DatedNote | None:
            day = self.note_date(path, meta, pos, fallback)
            if day is None:
                return None
            needs = (syntax.PRECHECK.may_inline(body, inline)
                     or syntax.PRECHECK.may_tag(body.lower(), tags))
            return DatedNote(path, meta, pos, body, body_line, day, cache, needs)

        for note in self.files.typed:
            found = dated(note.path, note.meta, note.pos, note.body, note.body_line,
                          notedates.path_date(note.id, daily), note.cache)
            if found:
                yield found
        for text in self.files.dated:
            if not text.dated or not self._mentions(text.cache, text.parts, names, inline, tags):
                continue
            parsed = self.meta_of(text)
            if parsed is None:
                continue
            meta, pos = parsed
            found = dated(text.path, meta, pos, text.parts.body, text.parts.body_line,
                          text.name_date, text.cache)
            if found:
                yield found

    def meta_of(self, text: DatedText) -> tuple[dict[str, Any], Pos] | None:
        """A note's properties, parsed once (kept with the note); the problems
        of reading them are reported once per run, whichever source asks."""
        cache = text.cache
        if cache.meta is None:
            read = Problems()
            cache.meta = (parse_meta(text.path, text.parts, read), read.items)
        parsed, problems = cache.meta
        self._report_once(text.path, problems)
        return parsed

    @staticmethod
    def _mentions(cache: NoteCache, parts: Split, names: set[str], inline: set[str],
                  tags: list[str]) -> bool:
        """The pre-check: may the note's text hold a field or tag in use?"""
        precheck = syntax.PRECHECK
        if tags:
            if cache.lower is None:
                cache.lower = parts.text.lower()
            if precheck.may_tag(cache.lower, tags):
                return True
        if parts.fm_text and names and precheck.has_top_key(parts.fm_text, names):
            return True
        return bool(inline) and precheck.may_inline(parts.body, inline)

    def date_property(self, meta: dict[str, Any]) -> tuple[str, Any] | None:
        """The first date property the note has (its key as written, and its value)."""
        for name in self.files.config.date_keys:
            for *_, key, value in syntax.front_matter_values(meta, (name,)):
                if value is not None:
                    return str(key), value
        return None

    def note_date(self, path: str, meta: dict[str, Any], pos: Pos,
                  fallback: dt.date | None) -> dt.date | None:
        """A note's date: its first date property (a date, or a link to a daily
        note), else ``fallback`` (the date its path gives); worked out (and its
        problem told) once per note, whichever source asks."""
        if path not in self._days:
            self._days[path] = self._note_date(path, meta, pos, fallback)
        return self._days[path]

    def _note_date(self, path: str, meta: dict[str, Any], pos: Pos,
                   fallback: dt.date | None) -> dt.date | None:
        found = self.date_property(meta)
        if found is None:
            return fallback
        key, value = found
        day = notedates.date_of(value, self.files.config.daily)
        if day is None:
            self.problems.warning(
                path, pos.line_of(key), "bad-date",
                f"{key}: {show_value(value)} is not a date: write it as YYYY-MM-DD, e.g. "
                "2026-11-20, or as a link to a daily note; the note's date is taken from its "
                "name" + ("" if fallback else " (it has none)"))
            return fallback
        return day


def read_text(full: Any, rel: str, problems: Problems) -> str | None:
    """A note's text read now (None, with a problem, when it cannot be)."""
    return decode(read_note(str(full))[0], rel, problems)


def linked_from_text(rel: str, text: str | None, problems: Problems) -> LinkedNote | None:
    if text is None:
        return None
    parts = split(text)
    parsed = parse_meta(rel, parts, problems)
    if parsed is None:
        return None
    return LinkedNote(rel, parsed[0], parsed[1], parts.body, parts.body_line, NoteCache())


def note_headings(full: Any) -> list[str]:
    """The headings of the note at ``full`` (``new --note`` checks a heading)."""
    note = linked_from_text("", read_text(full, "", Problems()), Problems())
    return [] if note is None else [h.text for h in note.parsed_body().headings]


def find_linked(reading: Reading, note_id: str) -> LinkedNote | None:
    """The note of this id: a typed or dated note read this run, else read now."""
    for note in reading.files.typed:
        if note.id == note_id:
            return LinkedNote(note.path, note.meta, note.pos, note.body, note.body_line,
                              note.cache)
    for text in reading.files.dated:
        if text.id == note_id:
            parsed = reading.meta_of(text)
            if parsed is None:
                return None
            return LinkedNote(text.path, parsed[0], parsed[1], text.parts.body,
                              text.parts.body_line, text.cache)
    rel = f"{note_id}.md"  # a note its entry could not read was reported by it already
    return linked_from_text(rel, read_text(reading.files.root / rel, rel, Problems()),
                            reading.problems)


#: a measurement source (SPEC §3): finds measurements and adds them
Source = Callable[[Reading], None]


def parsed_body(cache: NoteCache, text: str, first_line: int) -> markdown.Body:
    """A note's body as Markdown (regions masked), parsed once per note read."""
    if cache.body is None:
        cache.body = markdown.parse_body(regions.mask(text), first_line)
    return cache.body


def number_or_problem(value: Any, unit: str | None) -> float | ValueProblem:
    """``parse_measurement`` (a number, a boolean, a duration in the unit of
    time), with its problem returned (so that it can be kept)."""
    try:
        return parse_measurement(value, unit)
    except ValueProblem as exc:
        return exc


def in_windows(days: list[dt.date], krs: list[KeyResult]) -> list[list[KeyResult]]:
    """For each of ``days``, the key results (of ``krs``, in their order) whose
    window holds it: ``in_window`` for every pair, by bisection over the days
    sorted, so the work is the matches, not days x key results."""
    order = sorted(range(len(days)), key=days.__getitem__)
    ordered = [days[i] for i in order]
    found: list[list[KeyResult]] = [[] for _ in days]
    for kr in krs:
        lo = 0 if kr.start is None else bisect_left(ordered, kr.start)
        hi = len(ordered) if kr.due is None else bisect_right(ordered, kr.due)
        for i in order[lo:hi]:
            found[i].append(kr)
    return found


def in_window(kr: KeyResult, day: dt.date) -> bool:
    return (kr.start is None or day >= kr.start) and (kr.due is None or day <= kr.due)
