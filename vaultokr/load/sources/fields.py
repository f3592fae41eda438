"""Source 4: a property (front-matter, or a Dataview inline field) of dated
notes, for key results with ``field: NAME``; names compare as Dataview
compares them (``vaultokr.syntax.names.canonical``); with ``count``, a note
counts 1 when its value passes the key result's ``count_if`` (by default
``done``: not false, no, 0 or blank). A blank field (``mood::``, a template
left empty) is nothing; a field written twice in a note has the later value
(one value per note). Durations where the key result has no unit of time are
one problem per key result, not one per note."""

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
from vaultokr.syntax.measured import DONE, CountIf, DurationProblem
from vaultokr.syntax.values import ValueProblem, show_value

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
    durations: dict[str, tuple[DatedNote, int, DurationProblem, int]] = {}
    several = Several()  # key results with a list of fields (SPEC v3)
    for (note, path, line, raw), krs in zip(values, windows, strict=True):
        parsed: dict[tuple[str | None, CountIf | None], float | ValueProblem | None] = {}
        for kr in krs:
            count_if = (kr.count_if or DONE) if rule(kr).counts_notes else None
            key = (None if count_if else kr.unit, count_if)
            if key not in parsed:
                parsed[key] = (number_or_problem(raw, kr.unit) if count_if is None
                               else _counted(count_if, raw))
            found = parsed[key]
            if isinstance(found, DurationProblem):
                first = durations.get(kr.id)
                durations[kr.id] = ((note, line, found, 1) if first is None
                                    else (*first[:3], first[3] + 1))
            elif found is not None:
                before = len(kr.measurements)
                reading.add_parsed(kr, note.path, line, note.day, found, FIELD)
                several.added(kr, path, before)
    for kr_id, (note, line, problem, count) in durations.items():
        _duration_problem(reading, reading.model.key_results[kr_id], note, line, problem, count)
    several.combine()


def _counted(count_if: CountIf, raw: Any) -> float | ValueProblem | None:
    """1 when the value counts its note, None when it does not, or the problem
    that keeps a comparison from reading it."""
    try:
        return 1 if count_if.counts(raw) else None
    except ValueProblem as exc:
        return exc


def _duration_problem(reading: Reading, kr: KeyResult, note: DatedNote, line: int,
                      problem: DurationProblem, count: int) -> None:
    """One problem for a field written as durations in ``count`` notes, on the
    key result's unit (or its first) line: what to set there."""
    props = reading.kr_props.get(kr.id)
    more = f", and {count - 1} more note{'s' * (count > 2)}" if count > 1 else ""
    if kr.count_if is not None and kr.count_if.op is not None:  # a comparison with no unit
        key, unit, fix = "count_if", "its count_if has no unit of time", kr.count_if.timed_hint
    else:
        key, fix = "unit", "set unit: minutes (or hours, seconds, days) on this key result"
        unit = (f"its unit {show_value(kr.unit)} is not a unit of time" if kr.unit
                else "it has no unit")
    at = props.line(key) if props is not None and props.has(key) else kr.line
    reading.problems.error(
        kr.path, at, "duration-needs-unit",
        f"[[{kr.id}]] reads field {kr.field} written as a duration ({show_value(problem.value)} "
        f"in {note.path}:{line}{more}) but {unit}: {fix}; those values are read in it, until "
        "then they are skipped")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
