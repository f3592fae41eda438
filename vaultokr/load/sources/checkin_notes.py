"""Source 1: check-in notes (``type: check-in``) with ``kr`` and ``value``, or
``values`` mapping key results to numbers (or to value/confidence/comment)."""

from __future__ import annotations

from typing import Any

from vaultokr.load.property_reader import Props
from vaultokr.load.sources.base import Reading
from vaultokr.syntax.dates import date_of, path_date

_KR_ROLES = ("key-result",)


def read(reading: Reading) -> None:
    for note in reading.files.typed:
        if note.role == "check-in":
            _checkin(reading, Props(note.path, note.meta, note.pos), note.id)


def _checkin(reading: Reading, props: Props, note_id: str) -> None:
    problems, path = reading.problems, props.path
    type_line = props.line(reading.files.config.type_key.lower())
    daily = reading.files.config.daily
    found = reading.date_property(props.data)
    day: Any = None if found is None else found[1]
    if isinstance(day, str):  # a link to a daily note is its date
        day = date_of(day, daily) or day
    if day is None:
        day = path_date(note_id, daily)
    if day is None:
        problems.error(
            path, type_line, "checkin-no-date",
            "a check-in needs a date: add date: 2026-11-20, or put the date in the file name",
        )
        return
    if props.has("kr"):
        kr_id = reading.linker.resolve(path, props.line("kr"), "kr", props.get("kr"), _KR_ROLES)
        if kr_id is None or kr_id not in reading.model.key_results:
            return
        if not props.has("value"):
            problems.error(path, props.line("kr"), "checkin-no-value",
                           "a check-in with kr needs value: NUMBER")
            return
        reading.add(reading.model.key_results[kr_id], path, props.line("value"), day,
                    props.get("value"), props.get("confidence"), props.get("comment"))
    values = props.get("values")
    if values is None:
        if not props.has("kr"):
            problems.error(
                path, type_line, "checkin-no-values",
                "a check-in needs kr: \"[[Key result]]\" with value: NUMBER, or values: "
                "mapping links to numbers",
            )
        return
    if not isinstance(values, dict):
        problems.error(path, props.line("values"), "checkin-no-values",
                       "values must map key results to numbers, e.g.\n  values:\n"
                       "    \"[[Speaking invitations]]\": 3")
        return
    for key, item in values.items():
        line = props.line("values", key)
        kr_id = reading.linker.resolve(path, line, "values", key, _KR_ROLES)
        if kr_id is None or kr_id not in reading.model.key_results:
            continue
        kr = reading.model.key_results[kr_id]
        if isinstance(item, dict):
            reading.add(kr, path, line, day, item.get("value"), item.get("confidence"),
                        item.get("comment"))
        else:
            reading.add(kr, path, line, day, item)
