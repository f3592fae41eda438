"""The words vaultokr computes and reads, each with one home: a key result's
status (and how each one is shown), measure, declared statuses, commitment,
trend, measurement kinds and ``keep``.

Every one is a ``StrEnum`` whose values are the strings of the JSON report
and the templates, so a value compares, hashes and serialises as its string.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """A computed status (SPEC §4)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"
    MISSED = "missed"
    PENDING = "pending"
    PAUSED = "paused"
    DROPPED = "dropped"

    @property
    def info(self) -> StatusInfo:
        return STATUS_INFO[self]

    @property
    def is_behind(self) -> bool:
        """Not (yet) on its expected path: a review's focus warns about it."""
        return self in (Status.AT_RISK, Status.OFF_TRACK, Status.PENDING)

    @property
    def is_live(self) -> bool:
        """Still being chased: behind or ahead of its expected path."""
        return self in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.PENDING)


@dataclass(frozen=True)
class StatusInfo:
    label: str  # words, in the terminal and the reviews
    emoji: str  # the reviews' badge
    callout: str  # a GitHub alert, which Obsidian shows as a callout
    colour: str  # a terminal colour (click)


STATUS_INFO: dict[Status, StatusInfo] = {
    Status.ON_TRACK: StatusInfo("on track", "🟢", "NOTE", "green"),
    Status.ACHIEVED: StatusInfo("achieved", "✅", "TIP", "cyan"),
    Status.AT_RISK: StatusInfo("at risk", "🟡", "WARNING", "yellow"),
    Status.OFF_TRACK: StatusInfo("off track", "🔴", "WARNING", "red"),
    Status.MISSED: StatusInfo("missed", "❌", "CAUTION", "red"),
    Status.PENDING: StatusInfo("pending", "⚪", "NOTE", "bright_black"),
    Status.PAUSED: StatusInfo("paused", "⏸️", "NOTE", "bright_black"),
    Status.DROPPED: StatusInfo("dropped", "⛔", "NOTE", "bright_black"),
}
_BY_WORD: dict[str, StatusInfo] = {s.value: i for s, i in STATUS_INFO.items()}
_UNKNOWN = StatusInfo("", "•", "NOTE", "white")


def status_info(status: str) -> StatusInfo:
    """How a status is shown; any other word (an initiative's ``active``) is
    shown as itself."""
    info = _BY_WORD.get(status)
    if info is None:
        return StatusInfo(status, _UNKNOWN.emoji, _UNKNOWN.callout, _UNKNOWN.colour)
    return info


def status_label(status: str) -> str:
    return status_info(status).label


class Measure(StrEnum):
    """How measurements make a key result's value; the behaviour of each is
    in :mod:`vaultokr.model.measures`."""

    LAST = "last"
    SUM = "sum"
    COUNT = "count"
    CHECKLIST = "checklist"
    MILESTONE = "milestone"


#: other words a note may write for a measure
MEASURE_ALIASES = {"latest": Measure.LAST, "total": Measure.SUM, "tasks": Measure.CHECKLIST}


class Declared(StrEnum):
    """A status written in a note."""

    ACTIVE = "active"
    PAUSED = "paused"
    DROPPED = "dropped"
    DONE = "done"  # initiatives only

    @property
    def stops(self) -> bool:
        """Paused or dropped: the computed status is this one."""
        return self in (Declared.PAUSED, Declared.DROPPED)


#: what an objective or key result may declare (initiatives may also be done)
DECLARED = (Declared.ACTIVE, Declared.PAUSED, Declared.DROPPED)
INITIATIVE_DECLARED = (*DECLARED, Declared.DONE)


class Commitment(StrEnum):
    ASPIRATIONAL = "aspirational"
    COMMITTED = "committed"

    @property
    def success_grade(self) -> float:
        return 1.0 if self is Commitment.COMMITTED else 0.7


class Verdict(StrEnum):
    """Whether an initiative's key result moves faster since it started (SPEC v3 §4)."""

    TOO_EARLY = "too_early"
    FASTER = "faster"
    SLOWER = "slower"
    NO_EFFECT = "no_effect"


class Trend(StrEnum):
    IMPROVING = "improving"
    FLAT = "flat"
    WORSENING = "worsening"

    @property
    def arrow(self) -> str:
        return {"improving": "↗", "flat": "→", "worsening": "↘"}[self.value]


class Keep(StrEnum):
    """A threshold to stay at or above, or at or below."""

    ABOVE = "above"
    BELOW = "below"

    @property
    def sign(self) -> str:
        return "≥" if self is Keep.ABOVE else "≤"

    @property
    def direction(self) -> int:
        return 1 if self is Keep.ABOVE else -1

    def holds(self, value: float | None, target: float | None, eps: float) -> bool:
        if value is None or target is None:
            return False
        return value >= target - eps if self is Keep.ABOVE else value <= target + eps


class MeasurementKind(StrEnum):
    """Where a measurement was read (SPEC §3)."""

    CHECK_IN = "check-in"
    LOG = "log"
    CHECKINS = "checkins"
    FIELD = "field"
    TAG = "tag"
    TASK = "task"

    @property
    def explicit(self) -> bool:
        """Written as a measurement (sources 1-3), not read from dated notes."""
        return self in (MeasurementKind.CHECK_IN, MeasurementKind.LOG, MeasurementKind.CHECKINS)
