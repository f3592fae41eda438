"""Source 2: a key result's ``checkins:`` list of {date, value, confidence, comment}."""

from __future__ import annotations

from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.property_reader import Props
from vaultokr.load.sources.base import Reading
from vaultokr.model.okr import KeyResult


def read(reading: Reading) -> None:
    for kr_id, props in reading.kr_props.items():
        _checkins(reading, reading.model.key_results[kr_id], props)


def _checkins(reading: Reading, kr: KeyResult, props: Props) -> None:
    entries = props.get("checkins")
    if entries is None:
        return
    if not isinstance(entries, list):
        reading.problems.error(props.path, props.line("checkins"), "bad-checkins",
                               "checkins must be a list, e.g.\n  checkins:\n"
                               "    - {date: 2026-11-20, value: 6, confidence: 7}")
        return
    for i, entry in enumerate(entries):
        line = props.line("checkins", i)
        if not isinstance(entry, dict) or "date" not in entry or "value" not in entry:
            reading.problems.error(props.path, line, "bad-checkins",
                                   "each check-in needs a date and a value: "
                                   "- {date: 2026-11-20, value: 6}")
            continue
        reading.add(kr, props.path, line, entry["date"], entry["value"],
                    entry.get("confidence"), entry.get("comment"), MeasurementKind.CHECKINS)
