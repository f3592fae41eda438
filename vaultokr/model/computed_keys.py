"""The computed properties vaultokr writes into key-result and objective
notes when ``properties = true``: one table, shared by the values written
(``vaultokr.views.note_properties``), the front-matter writer, the types
registered in ``.obsidian/types.json`` and the generated base.

Only values that change when a note's numbers or status change are here:
nothing that moves merely because a day passed (expected progress, days
left); the base computes those live.
"""

from __future__ import annotations

from dataclasses import dataclass

OBJECTIVE, KEY_RESULT = "objective", "key-result"


@dataclass(frozen=True)
class ComputedKey:
    name: str  # without the prefix
    type: str  # its type in Obsidian's Properties panel: number, date or text
    doc: str  # what it holds (docs/properties.md)
    roles: tuple[str, ...] = (KEY_RESULT,)


KEYS: tuple[ComputedKey, ...] = (
    ComputedKey("current", "number", "the current value (a flow's total so far)"),
    ComputedKey("target", "number", "the target (a threshold's line)"),
    ComputedKey("baseline", "number", "the value at the start (a flow's: last period's total)"),
    ComputedKey("progress", "number", "progress in percent, to one decimal",
                (KEY_RESULT, OBJECTIVE)),
    ComputedKey("status", "text",
                "on_track, at_risk, off_track, achieved, missed, pending, paused or dropped",
                (KEY_RESULT, OBJECTIVE)),
    ComputedKey("trend", "text", "improving, flat or worsening (empty with too few points)"),
    ComputedKey("forecast", "number", "the progress forecast at the due date, in percent"),
    ComputedKey("confidence", "number", "the latest confidence, 0 to 10"),
    ComputedKey("last_measured", "date", "the date of the newest measurement"),
    ComputedKey("start", "date", "the first day", (KEY_RESULT, OBJECTIVE)),
    ComputedKey("due", "date", "the last day", (KEY_RESULT, OBJECTIVE)),
)


def names(prefix: str, role: str | None = None) -> list[str]:
    """The keys as written (``okr_progress``), in table order; of one role."""
    return [prefix + k.name for k in KEYS if role is None or role in k.roles]


def obsidian_types(prefix: str) -> dict[str, str]:
    """Each key's type, as ``.obsidian/types.json`` registers it."""
    return {prefix + k.name: k.type for k in KEYS}
