"""The computed properties of each key-result and objective note (the keys
of ``vaultokr.model.computed_keys``), as the YAML text of their values:
the numbers of the JSON report, progress and forecast in percent to one
decimal, other numbers to six decimals, dates as YYYY-MM-DD, an unknown
value empty (``okr_forecast:``, which Obsidian shows as an empty property).
"""

from __future__ import annotations

from typing import Any

from vaultokr.compute.results import KRResult, ObjectiveResult, Results
from vaultokr.model.computed_keys import KEY_RESULT, OBJECTIVE, names
from vaultokr.views.json_report import kr_dict, objective_dict

#: a note's keys (as written, with the prefix) and their values as YAML text
NoteValues = dict[str, str]


def note_values(results: Results, prefix: str) -> dict[str, NoteValues]:
    """Every note's values, by the note's vault-relative path. A key result
    written inline in its objective's note has no note of its own: it gets none."""
    found: dict[str, NoteValues] = {}
    for o in results.objectives:
        found[o.objective.path] = objective_values(o, prefix)
        for r in o.key_results:
            if not r.kr.inline:
                found[r.kr.path] = kr_values(r, prefix)
    return found


def kr_values(r: KRResult, prefix: str) -> NoteValues:
    data = kr_dict(r, [])
    raw: dict[str, Any] = {
        "current": number(data["current"]),
        "target": number(data["target"]),
        "baseline": number(data["baseline"]),
        "progress": percent(data["progress"]),
        "status": str(data["status"]),
        "trend": "" if data["trend"] is None else str(data["trend"]),
        "forecast": percent(data["forecast_progress"]),
        "confidence": number(data["confidence"]),
        "last_measured": data["last_measured"] or "",
        "start": data["start"] or "",
        "due": data["due"] or "",
    }
    return {key: raw[key[len(prefix):]] for key in names(prefix, KEY_RESULT)}


def objective_values(o: ObjectiveResult, prefix: str) -> NoteValues:
    data = objective_dict(o, [])
    raw = {"progress": percent(data["progress"]), "status": str(data["status"]),
           "start": data["start"] or "", "due": data["due"] or ""}
    return {key: raw[key[len(prefix):]] for key in names(prefix, OBJECTIVE)}


def number(value: float | None, places: int = 6) -> str:
    """A number as YAML writes it plainly: ``3``, ``2.5``, ``-0.125``; never ``-0``."""
    if value is None:
        return ""
    rounded = round(float(value), places)
    if rounded == 0:
        return "0"
    if rounded.is_integer():
        return str(int(rounded))
    return repr(rounded)


def percent(share: float | None) -> str:
    """A share (0.429) as a percent to one decimal (42.9)."""
    return "" if share is None else number(share * 100, 1)
