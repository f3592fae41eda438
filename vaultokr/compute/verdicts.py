"""Whether an initiative (a tactic) works: for each of its key results, the
least-squares slope of the real measurements during the initiative against
the slope over an equally long window just before it, each with its
standard error, and the difference of the two (the effect) with a 90%
interval.

The interval is effect ± t × √(se_before² + se_during²), with Student's t
at 95% one-sided for the smaller of the two windows' degrees of freedom
(points − 2): a conservative choice for few points, where a normal interval
would be far too narrow. The verdict is ``too_early`` while a window has
fewer than 3 measurement dates or the initiative has run less than 14 days;
then ``faster`` when the interval lies wholly on the target's side of 0,
``slower`` when it lies wholly on the other side, ``no_effect`` when it
spans 0.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from vaultokr.compute.fit import least_squares
from vaultokr.core.vocab import Verdict
from vaultokr.model.measures import Point

MIN_DATES = 3  # measurement dates each window needs
MIN_DAYS = 14  # days an initiative runs before it is judged
CADENCE = 7  # days between check-ins, to say when a window will have its dates
#: Student's t, 95% one-sided (a two-sided 90% interval), by degrees of freedom
T95 = {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860,
       9: 1.833, 10: 1.812, 12: 1.782, 15: 1.753, 20: 1.725, 30: 1.697, 60: 1.671,
       120: 1.658}


@dataclass(frozen=True)
class Slope:
    per_day: float
    se: float  # its standard error
    dates: int  # measurement dates it was fitted on


@dataclass(frozen=True)
class Judgement:
    before: Slope | None
    during: Slope | None
    effect: float | None  # during - before, per day
    low: float | None  # the effect's 90% interval
    high: float | None
    verdict: Verdict
    tell: dt.date | None  # too early: the date from which it can tell (None: not foreseeable)


def t95(df: int) -> float:
    """The t quantile for ``df`` degrees of freedom (the next smaller tabled
    one: never narrower than the exact interval)."""
    tabled = [d for d in T95 if d <= df]
    return T95[max(tabled)] if tabled else T95[1]


def slope(points: list[Point]) -> Slope | None:
    """The least-squares slope per day and its standard error, from 3 dates."""
    if len(points) < MIN_DATES:
        return None
    first = points[0][0]
    xs = [float((d - first).days) for d, _ in points]
    ys = [v for _, v in points]
    per_day, intercept = least_squares(xs, ys)
    residual = sum((y - intercept - per_day * x) ** 2 for x, y in zip(xs, ys, strict=True))
    mx = sum(xs) / len(xs)
    sxx = sum((x - mx) ** 2 for x in xs)
    se = math.sqrt(residual / (len(xs) - 2) / sxx)
    return Slope(per_day, se, len(points))


def judge(points: list[Point], start: dt.date, end: dt.date, sign: int,
          as_of: dt.date) -> Judgement:
    """``points``: one real measurement per date (a flow's running total),
    up to as-of; the initiative ran from ``start`` to ``end`` (≤ as-of);
    ``sign``: +1 when the target is above the baseline, -1 below."""
    length = (end - start).days
    before_pts = [p for p in points if start - dt.timedelta(days=length) <= p[0] < start]
    during_pts = [p for p in points if start <= p[0] <= end]
    before, during = slope(before_pts), slope(during_pts)
    if before is None or during is None or length < MIN_DAYS:
        tell = _tell(points, start, len(during_pts), as_of)
        return Judgement(before, during, None, None, None, Verdict.TOO_EARLY, tell)
    effect = during.per_day - before.per_day
    margin = t95(min(before.dates, during.dates) - 2) * math.hypot(before.se, during.se)
    low, high = effect - margin, effect + margin
    toward = (low * sign, high * sign)
    verdict = (Verdict.FASTER if min(toward) > 0 else Verdict.SLOWER if max(toward) < 0
               else Verdict.NO_EFFECT)
    return Judgement(before, during, effect, low, high, verdict, None)


def _tell(points: list[Point], start: dt.date, during_dates: int,
          as_of: dt.date) -> dt.date | None:
    """When it can tell: 14 days after the start, once the window during it
    has 3 measurement dates (at one check-in a week from as-of) and the
    window before it, as long as the one during, reaches back over 3; None
    when fewer than 3 measurements were made before it started."""
    earlier = sorted({d for d, _ in points if d < start}, reverse=True)
    if len(earlier) < MIN_DATES:
        return None
    reach = start + (start - earlier[MIN_DATES - 1])  # the before window holds 3 dates
    missing = max(MIN_DATES - during_dates, 0)
    dated = as_of + dt.timedelta(days=CADENCE * missing) if missing else start
    return max(start + dt.timedelta(days=MIN_DAYS), reach, dated)
