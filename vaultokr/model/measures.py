"""One object per measure (SPEC §3-4): how a key result's measurements become
a series and a current value, what progress and expected mean for it, whether
it has a forecast and a trend, and how it is shown.

``keep`` (a threshold to hold) is not a measure of its own: it changes how a
numeric measure's progress is judged (held or not), see :class:`Numeric`.

To add a key-result type: a subclass here, its entry in ``RULES`` and a member
of :class:`vaultokr.core.vocab.Measure`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from vaultokr.core.formatting import number
from vaultokr.core.vocab import Measure
from vaultokr.model.okr import KeyResult, Measurement

EPS = 1e-9
Point = tuple[dt.date, float]


@dataclass
class State:
    """What a measure makes of its measurements as of a date."""

    baseline: float
    target: float | None
    current: float | None
    has_data: bool
    last_measured: dt.date | None
    progress_raw: float | None


class Numeric:
    """``last``: the latest value is the current value."""

    numeric = True  # a value series with a target: forecast, trend, target checks
    charted = True  # its measurements are a series over time: chart, trend, forecast
    cumulative = False  # a flow: this period's running total, from 0 at start
    counts_notes = False  # every dated note counts 1; needs a tag or a field
    reads_tasks = False  # the note's tasks are the measurements
    has_expected = True  # an expected path over the key result's dates
    wants_baseline = True  # without a baseline, progress runs from 0 (worth a warning)
    logged = True  # measured by check-ins or a log (a new note gets a Log section)

    def used(self, measurements: list[Measurement], as_of: dt.date) -> list[Measurement]:
        """Measurements dated up to as-of, one per date (the later source wins)."""
        by_date: dict[dt.date, Measurement] = {}
        for m in measurements:  # sorted by date, path, line: the later source overwrites
            if m.date <= as_of:
                by_date[m.date] = m
        return list(by_date.values())

    def series(self, ms: list[Measurement], baseline: float) -> list[Point]:
        """(date, value) per date."""
        return [(m.date, float(m.value)) for m in ms]

    def origin(self, baseline: float) -> float:
        """The value at start: a level's baseline (a flow's total starts at 0)."""
        return baseline

    def is_cap(self, kr: KeyResult, baseline: float, target: float | None) -> bool:
        """A limit on a flow's total (its target below last period's): never for a level."""
        return False

    def ceiling(self, target: float | None) -> float | None:
        """The most its value can reach (a forecast stops there); None: no limit."""
        return None

    def progress_of(self, value: float, baseline: float, target: float) -> float:
        """How far a value is along the way to the target (unclamped); never
        -0.0 (no way made toward a lower target is 0, not minus 0)."""
        return (value - baseline) / (target - baseline) + 0.0

    def state(self, kr: KeyResult, ms: list[Measurement], points: list[Point],
              baseline: float, target: float | None, as_of: dt.date) -> State:
        current = points[-1][1] if points else self.origin(baseline)
        has_data = bool(ms)
        progress_raw: float | None = None
        if kr.keep:
            if target is not None:
                progress_raw = 1.0 if has_data and kr.keep.holds(current, kr.target, EPS) else 0.0
        elif target is not None:
            progress_raw = self.progress_of(current, baseline, target)
        return State(baseline, target, current, has_data, ms[-1].date if ms else None,
                     progress_raw)

    # ------------------------------------------------------------- shown
    def terminal_values(self, kr: KeyResult, current: float | None, target: float | None,
                        baseline: float) -> str:
        """The terminal's words for where a key result stands."""
        if kr.keep:
            return (f"{number(current, kr.unit)} (keep {kr.keep.sign} "
                    f"{number(target, kr.unit)})")
        if target is None:
            return number(current, kr.unit)
        if target < baseline:
            return f"{number(current, kr.unit)}, down to {number(target)}"
        return f"{number(current)} of {number(target, kr.unit)}"

    def terminal_flow(self, kr: KeyResult, current: float | None, target: float | None,
                      projected: float | None) -> str | None:
        """A flow's own words (with last period, or a cap's pace); None: the usual ones."""
        return None

    def shown_now(self, kr: KeyResult, current: float | None, target: float | None) -> str:
        """The reviews' "now" cell."""
        return number(current, kr.unit)

    def shown_target(self, kr: KeyResult, target: float | None,
                     projected: float | None = None) -> str:
        """The reviews' "target" cell (a flow's adds last period, a cap's its pace)."""
        if kr.keep:
            return f"{kr.keep.sign} {number(target, kr.unit)}"
        if self.cumulative and kr.baseline and target is not None:
            if projected is not None:
                return f"at most {number(target, kr.unit)} (pace {number(projected)})"
            return f"{number(target, kr.unit)} ({last_period(kr)}: {number(kr.baseline)})"
        return number(target, kr.unit)

    def shown(self, kr: KeyResult, current: float | None, target: float | None,
              projected: float | None = None) -> str:
        """The reviews' one phrase for where it stands: "7 of 10 invitations (last
        quarter: 5)", "7 so far, at most 10 evenings (pace 12.22)"."""
        flow = self.terminal_flow(kr, current, target, projected)
        if flow is not None:
            return flow
        now = self.shown_now(kr, current, target)
        if target is None or not self.numeric:
            return now
        return f"{now} of {self.shown_target(kr, target, projected)}"


class Sum(Numeric):
    """``sum``: a flow, this period's total of the values, from 0 at start
    (SPEC v2). Its baseline is last period's total: what ``change`` compares
    with; a target below it is a cap on this period's total."""

    cumulative = True
    wants_baseline = False

    def used(self, measurements: list[Measurement], as_of: dt.date) -> list[Measurement]:
        """Every measurement up to as-of: two on one day are two events."""
        return [m for m in measurements if m.date <= as_of]

    def series(self, ms: list[Measurement], baseline: float) -> list[Point]:
        """The running total at the end of each measured date, from 0."""
        points: dict[dt.date, float] = {}
        total = 0.0
        for m in ms:
            total += m.value
            points[m.date] = total
        return list(points.items())

    def origin(self, baseline: float) -> float:
        return 0.0

    def is_cap(self, kr: KeyResult, baseline: float, target: float | None) -> bool:
        return not kr.keep and target is not None and target < baseline

    def progress_of(self, value: float, baseline: float, target: float) -> float:
        """value / target; for a cap, how far the total stays under the limit:
        (baseline - value) / (baseline - target)."""
        if target < baseline:
            return (baseline - value) / (baseline - target)
        if target == 0:
            return 1.0 if value >= 0 else 0.0
        return value / target

    def terminal_flow(self, kr: KeyResult, current: float | None, target: float | None,
                      projected: float | None) -> str | None:
        if kr.keep or target is None or kr.baseline is None:
            return None
        if projected is not None:  # a cap
            pace = f" (pace {number(projected)})"
            return f"{number(current)} so far, at most {number(target, kr.unit)}{pace}"
        return (f"{number(current)} of {number(target, kr.unit)} "
                f"({last_period(kr)}: {number(kr.baseline)})")


class Count(Sum):
    """``count``: dated notes with a tag or a field, each note counting 1."""

    counts_notes = True
    logged = False


class Checklist(Numeric):
    """``checklist``: the share of the note's tasks that are done. Its
    measurements (SPEC v3) are the number of tasks done by each done date
    (``✅ DATE``), toward all its tasks: a series like any other's."""

    numeric = False
    reads_tasks = True
    wants_baseline = False
    logged = False

    def state(self, kr: KeyResult, ms: list[Measurement], points: list[Point],
              baseline: float, target: float | None, as_of: dt.date) -> State:
        done = [t for t in kr.tasks if t.done and (t.done_on is None or t.done_on <= as_of)]
        dates = [t.done_on for t in done if t.done_on]
        total = float(len(kr.tasks))
        current = float(len(done))
        return State(0.0, total, current, bool(done), max(dates) if dates else None,
                     current / total if total else 0.0)

    def ceiling(self, target: float | None) -> float | None:
        """No more tasks can be done than the note has."""
        return target

    def terminal_values(self, kr: KeyResult, current: float | None, target: float | None,
                        baseline: float) -> str:
        return f"{number(current)}/{number(target)} tasks"

    def shown_now(self, kr: KeyResult, current: float | None, target: float | None) -> str:
        return f"{number(current)}/{number(target)} tasks"

    def shown_target(self, kr: KeyResult, target: float | None,
                     projected: float | None = None) -> str:
        return "–"


class Milestone(Checklist):
    """``milestone``: done (``done: true`` or a date, or a measurement of 1) or not."""

    reads_tasks = False
    has_expected = False
    charted = False

    def state(self, kr: KeyResult, ms: list[Measurement], points: list[Point],
              baseline: float, target: float | None, as_of: dt.date) -> State:
        last_measured = ms[-1].date if ms else None
        done_by_date = kr.done and (kr.done_on is None or kr.done_on <= as_of)
        done = done_by_date or bool(ms and ms[-1].value >= 1)
        if kr.done_on and kr.done_on <= as_of:
            last_measured = max(kr.done_on, last_measured or kr.done_on)
        current = 1.0 if done else 0.0
        return State(0.0, 1.0, current, done, last_measured, current)

    def terminal_values(self, kr: KeyResult, current: float | None, target: float | None,
                        baseline: float) -> str:
        return "done" if current else "not done"

    def shown_now(self, kr: KeyResult, current: float | None, target: float | None) -> str:
        return "done" if current else "not yet"


def last_period(kr: KeyResult) -> str:
    """How a flow's baseline is named: "last quarter", "previous 61 days"."""
    days = (kr.due - kr.start).days + 1 if kr.start and kr.due else None
    if days is None:
        return "last period"
    names = ((7, 7, "last week"), (28, 31, "last month"), (90, 92, "last quarter"),
             (181, 184, "last half-year"), (365, 366, "last year"))
    for low, high, name in names:
        if low <= days <= high and _calendar_aligned(kr.start, kr.due, name):
            return name
    return f"previous {days} days"


def _calendar_aligned(start: dt.date | None, due: dt.date | None, name: str) -> bool:
    """Whether start..due is a calendar week, month, quarter, half-year or year."""
    if start is None or due is None:
        return False
    if name == "last week":
        return start.isoweekday() == 1
    after = due + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    wanted = {"last month": 1, "last quarter": 3, "last half-year": 6, "last year": 12}[name]
    return start.day == 1 and after.day == 1 and months == wanted and (
        (start.month - 1) % wanted == 0)


def rule(kr: KeyResult) -> Numeric:
    """The object that owns a key result's measure."""
    return RULES[kr.measure]


RULES: dict[Measure, Numeric] = {
    Measure.LAST: Numeric(),
    Measure.SUM: Sum(),
    Measure.COUNT: Count(),
    Measure.CHECKLIST: Checklist(),
    Measure.MILESTONE: Milestone(),
}


# --------------------------------------------------------------- targets
def growth_value(kr: KeyResult, baseline: float, day: dt.date) -> float | None:
    """The compounding growth path's value on a day (None without growth or dates)."""
    if kr.growth is None or kr.start is None or kr.due is None:
        return None
    elapsed = time_fraction(kr.start, kr.due, day) * (kr.due - kr.start).days
    try:
        value = float(baseline * (1 + kr.growth.rate) ** (elapsed / kr.growth.unit_days))
    except (OverflowError, ZeroDivisionError):
        return None  # compounding beyond any float: no path (the target says why)
    return value if math.isfinite(value) else None


def effective_target(kr: KeyResult) -> float | None:
    """target, or baseline × (1 + change), or the compounding growth target."""
    base = kr.baseline or 0.0
    if kr.change is not None:
        return base * (1 + kr.change)
    if kr.growth is not None and kr.start and kr.due:
        return growth_value(kr, base, kr.due)
    return kr.target


def time_fraction(start: dt.date | None, due: dt.date | None, as_of: dt.date) -> float:
    if start is None or due is None:
        return 0.0
    span = (due - start).days
    if span <= 0:
        return 1.0 if as_of >= due else 0.0
    return min(max((as_of - start).days / span, 0.0), 1.0)


def expected_value(kr: KeyResult, baseline: float, target: float | None,
                   day: dt.date) -> float | None:
    """The value expected on a day: the threshold with keep, else the path
    from baseline to target (compounding with growth)."""
    if kr.keep:
        return target
    if target is None or kr.start is None or kr.due is None:
        return None
    grown = growth_value(kr, baseline, day)
    if grown is not None:
        return grown
    origin = rule(kr).origin(baseline)  # a flow's total (and a cap's pace) from 0
    return origin + time_fraction(kr.start, kr.due, day) * (target - origin)


def expected_progress(kr: KeyResult, baseline: float, target: float | None,
                      as_of: dt.date) -> float:
    """The share of the way expected by as-of."""
    tau = time_fraction(kr.start, kr.due, as_of)
    if target is not None:
        grown = growth_value(kr, baseline, as_of)
        if grown is not None:
            return (grown - baseline) / (target - baseline)
    return tau
