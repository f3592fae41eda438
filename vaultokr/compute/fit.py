"""Least-squares lines through a key result's points (days since a start):
a forecast's value at a date, and a window's slope per day."""

from __future__ import annotations

import datetime as dt
import math

from vaultokr.model.measures import Point


def fit_at(points: list[Point], start: dt.date, at: dt.date, log: bool = False) -> float | None:
    """Least-squares line through the points (days since start), valued at ``at``;
    log-linear when asked and every value is positive.  None with fewer than
    two distinct dates."""
    if not points or all(d == points[0][0] for d, _ in points):
        return None  # fewer than two distinct dates
    use_log = log and all(v > 0 for _, v in points)
    origin = start.toordinal()  # (d - start).days, without a timedelta per point
    xs = [float(d.toordinal() - origin) for d, _ in points]
    ys = [math.log(v) for _, v in points] if use_log else [v for _, v in points]
    slope, intercept = least_squares(xs, ys)
    y = intercept + slope * (at - start).days
    if use_log:
        try:
            return math.exp(y)
        except OverflowError:
            return math.inf
    return y


def least_squares(xs: list[float], ys: list[float]) -> tuple[float, float]:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum([(x - mx) ** 2 for x in xs])  # the same sums, in the same order
    sxy = sum([(x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)])
    slope = sxy / sxx
    return slope, my - slope * mx


def window_slope(points: list[Point], lo: dt.date, hi: dt.date, closed: bool,
                 hold_end: bool = False) -> float | None:
    """Slope per day of the values within [lo, hi] (or [lo, hi)), starting
    from the value that stood at ``lo`` and, with ``hold_end``, ending with the
    value that stood at ``hi``."""
    inside = [(d, v) for d, v in points if lo <= d and (d <= hi if closed else d < hi)]
    standing = [v for d, v in points if d < lo]
    if standing and not any(d == lo for d, _ in inside):
        inside.insert(0, (lo, standing[-1]))
    if hold_end and inside and inside[-1][0] < hi:
        inside.append((hi, inside[-1][1]))
    if len({d for d, _ in inside}) < 2:
        return None
    xs = [float((d - lo).days) for d, _ in inside]
    return least_squares(xs, [v for _, v in inside])[0]
