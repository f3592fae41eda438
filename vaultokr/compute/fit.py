"""Least-squares lines through a key result's points (days since a start):
a forecast's value at a date."""

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
