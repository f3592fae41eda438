"""SPEC §4: progress, expected, forecast, trend, stale and status, as of a date.

Pure functions over the model; nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from vaultokr.config import Config
from vaultokr.errors import Problems
from vaultokr.loader import effective_target
from vaultokr.model import Ambition, Initiative, KeyResult, Measurement, Model, Objective

EPS = 1e-9
TREND_DAYS = 28
Point = tuple[dt.date, float]


@dataclass
class KRResult:
    kr: KeyResult
    baseline: float
    target: float | None
    current: float | None
    progress: float | None
    progress_raw: float | None
    expected: float | None
    status: str
    forecast: float | None
    forecast_progress: float | None
    trend: str | None
    confidence: float | None
    stale: bool
    last_measured: dt.date | None
    measurements: list[Measurement]


@dataclass
class ObjectiveResult:
    objective: Objective
    progress: float | None
    expected: float | None
    status: str
    grade: float | None
    grade_band: str | None
    success: bool | None
    key_results: list[KRResult]


@dataclass
class InitiativeKR:
    id: str
    slope_before: float | None
    slope_during: float | None
    faster: bool | None


@dataclass
class InitiativeResult:
    initiative: Initiative
    key_results: list[InitiativeKR]


@dataclass
class AmbitionResult:
    ambition: Ambition
    objectives: list[ObjectiveResult]


@dataclass
class Results:
    as_of: dt.date
    objectives: list[ObjectiveResult] = field(default_factory=list)
    ambitions: list[AmbitionResult] = field(default_factory=list)
    initiatives: list[InitiativeResult] = field(default_factory=list)
    key_results: dict[str, KRResult] = field(default_factory=dict)


def compute(model: Model, as_of: dt.date, config: Config, problems: Problems,
            only: Callable[[Objective], bool] | None = None) -> Results:
    """Everything as of a date; with ``only``, just the objectives it accepts
    (a past week's review needs the objectives of that week)."""
    results = Results(as_of)
    for obj in model.objectives.values():
        if only is not None and not only(obj):
            continue
        krs = [compute_kr(model.key_results[k], obj, as_of, config)
               for k in sorted(obj.key_results)]
        for r in krs:
            results.key_results[r.kr.id] = r
            if r.stale:
                since = r.last_measured or r.kr.start
                days = (as_of - since).days if since else 0
                problems.warning(
                    r.kr.path, r.kr.line, "smart-stale",
                    f"[[{r.kr.id}]] has had no measurement for {days} days (since {since}): "
                    "check in, or set status: paused",
                )
        results.objectives.append(compute_objective(obj, krs, as_of, config))
    results.objectives.sort(key=lambda o: (o.objective.due or dt.date.max, o.objective.id))
    for amb in sorted(model.ambitions.values(), key=lambda a: a.id):
        aligned = [o for o in results.objectives if amb.id in o.objective.ambitions]
        results.ambitions.append(AmbitionResult(amb, aligned))
    for ini in sorted(model.initiatives.values(), key=lambda i: i.id):
        rows = [initiative_kr(model.key_results[k], ini, as_of) for k in ini.key_results
                if k in model.key_results]
        results.initiatives.append(InitiativeResult(ini, rows))
    return results


# ------------------------------------------------------------ key results
def used_measurements(kr: KeyResult, as_of: dt.date) -> list[Measurement]:
    """Measurements dated up to as-of; one per date (the later source wins),
    except for ``count``, where every dated note counts."""
    ms = [m for m in kr.measurements if m.date <= as_of]
    if kr.measure == "count":
        return ms
    by_date: dict[dt.date, Measurement] = {}
    for m in ms:  # sorted by date, path, line: the later source overwrites
        by_date[m.date] = m
    return list(by_date.values())


def series(kr: KeyResult, ms: list[Measurement], baseline: float) -> list[Point]:
    """(date, value) per date: the values for ``last``, the running total
    from the baseline for ``sum`` and ``count``."""
    if kr.measure in ("sum", "count"):
        points: dict[dt.date, float] = {}
        total = baseline
        for m in ms:
            total += m.value
            points[m.date] = total
        return list(points.items())
    return [(m.date, float(m.value)) for m in ms]


def compute_kr(kr: KeyResult, obj: Objective, as_of: dt.date, config: Config) -> KRResult:
    ms = used_measurements(kr, as_of)
    baseline = float(kr.baseline or 0.0)
    target = effective_target(kr)
    points = series(kr, ms, baseline)
    last_measured = ms[-1].date if ms else None
    has_data = bool(ms)
    current: float | None = points[-1][1] if points else baseline
    progress_raw: float | None = None
    expected: float | None = None

    if kr.measure == "checklist":
        done_tasks = [t for t in kr.tasks if t.done and (t.done_on is None or t.done_on <= as_of)]
        dates = [t.done_on for t in done_tasks if t.done_on]
        last_measured = max(dates) if dates else None
        baseline, target, current = 0.0, float(len(kr.tasks)), float(len(done_tasks))
        has_data = bool(done_tasks)
        progress_raw = current / target if target else 0.0
    elif kr.measure == "milestone":
        done_by_date = kr.done and (kr.done_on is None or kr.done_on <= as_of)
        done = done_by_date or bool(ms and ms[-1].value >= 1)
        if kr.done_on and kr.done_on <= as_of:
            last_measured = max(kr.done_on, last_measured or kr.done_on)
        baseline, target, current = 0.0, 1.0, 1.0 if done else 0.0
        has_data = done
        progress_raw = current
    elif kr.keep:
        if target is not None:
            holds = _holds(kr, current) if has_data else False
            progress_raw = 1.0 if holds else 0.0
    elif target is not None and current is not None:
        progress_raw = (current - baseline) / (target - baseline)

    progress = None if progress_raw is None else min(max(progress_raw, 0.0), 1.0)

    if progress is not None and kr.measure != "milestone" and not kr.keep:
        tau = time_fraction(kr.start, kr.due, as_of)
        if kr.growth is not None and target is not None and kr.start and kr.due:
            elapsed = tau * (kr.due - kr.start).days / kr.growth.unit_days
            value = baseline * (1 + kr.growth.rate) ** elapsed
            expected = (value - baseline) / (target - baseline)
        else:
            expected = tau

    forecast = forecast_progress = None
    if kr.measure in ("last", "sum", "count") and target is not None and kr.start and kr.due:
        anchor = [] if (kr.keep and kr.baseline is None) else [(kr.start, baseline)]
        pts = anchor + [p for p in points if p[0] >= kr.start]
        forecast = fit_at(pts, kr.start, kr.due, log=kr.growth is not None)
        if forecast is not None:
            if kr.keep:
                forecast_progress = 1.0 if _holds(kr, forecast) else 0.0
            else:
                forecast_progress = (forecast - baseline) / (target - baseline)

    trend = _trend(kr, ms, points, baseline, target, as_of)
    confidence = next((m.confidence for m in reversed(ms) if m.confidence is not None), None)

    status = _kr_status(kr, obj, as_of, progress, progress_raw, expected, has_data, current,
                        config)
    # "active": declared active and still running; a finished period is graded, not chased
    running = kr.due is None or as_of <= kr.due
    declared_active = kr.status == "active" and obj.status == "active" and running
    since = last_measured or kr.start
    stale = (
        declared_active
        and status != "achieved"
        and since is not None
        and (as_of - since).days > config.stale_days
    )
    return KRResult(kr, baseline, target, current, progress, progress_raw, expected, status,
                    forecast, forecast_progress, trend, confidence, stale, last_measured, ms)


def _holds(kr: KeyResult, value: float | None) -> bool:
    target = kr.target
    if value is None or target is None:
        return False
    return value >= target - EPS if kr.keep == "above" else value <= target + EPS


def time_fraction(start: dt.date | None, due: dt.date | None, as_of: dt.date) -> float:
    if start is None or due is None:
        return 0.0
    span = (due - start).days
    if span <= 0:
        return 1.0 if as_of >= due else 0.0
    return min(max((as_of - start).days / span, 0.0), 1.0)


def fit_at(points: list[Point], start: dt.date, at: dt.date, log: bool = False) -> float | None:
    """Least-squares line through the points (days since start), valued at ``at``;
    log-linear when asked and every value is positive.  None with fewer than
    two distinct dates."""
    if len({d for d, _ in points}) < 2:
        return None
    use_log = log and all(v > 0 for _, v in points)
    xs = [float((d - start).days) for d, _ in points]
    ys = [math.log(v) if use_log else v for _, v in points]
    slope, intercept = _least_squares(xs, ys)
    y = intercept + slope * (at - start).days
    if use_log:
        try:
            return math.exp(y)
        except OverflowError:
            return math.inf
    return y


def _least_squares(xs: list[float], ys: list[float]) -> tuple[float, float]:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return slope, my - slope * mx


def direction(kr: KeyResult, baseline: float, target: float | None) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when unknown."""
    if kr.keep:
        return 1 if kr.keep == "above" else -1
    if target is None or target == baseline:
        return 0
    return 1 if target > baseline else -1


def _trend(kr: KeyResult, ms: list[Measurement], points: list[Point], baseline: float,
           target: float | None, as_of: dt.date) -> str | None:
    if not ms or kr.measure in ("checklist", "milestone"):
        return None
    sign = direction(kr, baseline, target)
    if sign == 0:
        return None
    newest = points[-1][1]
    cutoff = as_of - dt.timedelta(days=TREND_DAYS)
    earlier = [v for d, v in points if d <= cutoff]
    if earlier:
        reference = earlier[-1]
    elif kr.keep and kr.baseline is None:
        reference = points[0][1]
    else:
        reference = baseline
    delta = (newest - reference) * sign
    if abs(delta) <= EPS * max(1.0, abs(reference)):
        return "flat"
    return "improving" if delta > 0 else "worsening"


def _kr_status(kr: KeyResult, obj: Objective, as_of: dt.date, progress: float | None,
               progress_raw: float | None, expected: float | None, has_data: bool,
               current: float | None, config: Config) -> str:
    for declared in ("dropped", "paused"):
        if declared in (kr.status, obj.status):
            return declared
    after_due = kr.due is not None and as_of > kr.due
    if progress_raw is not None and progress_raw >= 1 - EPS and (not kr.keep or after_due):
        return "achieved"
    if after_due:
        return "missed"
    if not has_data or progress is None:
        return "pending"
    if expected is None:
        return "on_track" if progress > EPS else "pending"
    return gap_status(progress, expected, config)


def gap_status(progress: float, expected: float, config: Config) -> str:
    gap = progress - expected
    if gap >= config.on_track - EPS:
        return "on_track"
    if gap >= config.at_risk - EPS:
        return "at_risk"
    return "off_track"


# ------------------------------------------------------------- objectives
def compute_objective(obj: Objective, krs: list[KRResult], as_of: dt.date,
                      config: Config) -> ObjectiveResult:
    live = [r for r in krs if r.kr.status != "dropped"]
    progress = _weighted([(r.kr.weight, r.progress) for r in live])
    expected = _weighted([(r.kr.weight, r.expected) for r in live])
    after_due = obj.due is not None and as_of > obj.due
    if obj.status in ("dropped", "paused"):
        status = obj.status
    elif live and all(r.status == "achieved" for r in live):
        status = "achieved"
    elif after_due:
        status = "missed"
    elif all(r.status == "pending" for r in live) or progress is None:
        status = "pending"
    elif expected is None:
        status = "on_track" if progress > EPS else "pending"
    else:
        status = gap_status(progress, expected, config)
    grade = band = success = None
    if after_due and progress is not None:
        grade = round_half_up(progress, 2)
        band = "red" if grade < 0.4 else "yellow" if grade < 0.7 else "green"
        success = grade >= (1.0 if obj.commitment == "committed" else 0.7)
    return ObjectiveResult(obj, progress, expected, status, grade, band, success, krs)


def _weighted(pairs: list[tuple[float, float | None]]) -> float | None:
    known = [(w, v) for w, v in pairs if v is not None]
    total = sum(w for w, _ in known)
    if not known or total <= 0:
        return None
    return sum(w * v for w, v in known) / total


def round_half_up(value: float, places: int) -> float:
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


# ------------------------------------------------------------ initiatives
def initiative_kr(kr: KeyResult, ini: Initiative, as_of: dt.date) -> InitiativeKR:
    if ini.start is None or ini.start > as_of:
        return InitiativeKR(kr.id, None, None, None)
    end = min(ini.end or as_of, as_of)
    length = (end - ini.start).days
    if length <= 0:
        return InitiativeKR(kr.id, None, None, None)
    ms = used_measurements(kr, as_of)
    baseline = float(kr.baseline or 0.0)
    points = series(kr, ms, baseline)
    if kr.start and not (kr.keep and kr.baseline is None):
        points = [(kr.start, baseline), *[p for p in points if p[0] != kr.start]]
    # a running total is known between measurements (it stays put); a last value is not
    hold = kr.measure in ("sum", "count")
    before = window_slope(points, ini.start - dt.timedelta(days=length), ini.start,
                          closed=False, hold_end=hold)
    during = window_slope(points, ini.start, end, closed=True, hold_end=hold)
    faster = None
    if before is not None and during is not None:
        sign = direction(kr, baseline, effective_target(kr)) or 1
        faster = (during - before) * sign > EPS
    return InitiativeKR(kr.id, before, during, faster)


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
    return _least_squares(xs, [v for _, v in inside])[0]
