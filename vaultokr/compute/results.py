"""SPEC §4: progress, expected, forecast, trend, stale and status, as of a date.

Pure functions over the model; nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from vaultokr.compute.fit import fit_at
from vaultokr.compute.verdicts import Judgement, judge
from vaultokr.config.vault_config import Config
from vaultokr.core.vocab import Commitment, Declared, Status, Trend, Verdict
from vaultokr.model.measures import (
    EPS,
    Point,
    effective_target,
    expected_progress,
    rule,
    time_fraction,
)
from vaultokr.model.okr import Ambition, Initiative, KeyResult, Measurement, Model, Objective

TREND_DAYS = 28


@dataclass
class KRResult:
    kr: KeyResult
    baseline: float
    target: float | None
    current: float | None
    progress: float | None
    progress_raw: float | None
    expected: float | None
    status: Status
    forecast: float | None
    forecast_progress: float | None
    trend: Trend | None
    confidence: float | None
    stale: bool
    last_measured: dt.date | None
    measurements: list[Measurement]
    projected: float | None = None  # a cap's total expected at due (None: not a cap)
    since: dt.date | None = None  # what staleness counts from: the newest measurement,
    # else the later of start and the note's created date

    @property
    def is_cap(self) -> bool:
        """A limit on a flow's total (SPEC v2 §4), judged by its projected total."""
        return self.projected is not None

    @property
    def overachieved(self) -> bool:
        """Past its target (a threshold to keep is held, never overachieved)."""
        return bool(self.progress_raw is not None and self.progress_raw > 1 + EPS
                    and not self.kr.keep)


@dataclass
class ObjectiveResult:
    objective: Objective
    progress: float | None
    expected: float | None
    status: Status
    grade: float | None
    grade_band: str | None
    success: bool | None
    key_results: list[KRResult]


@dataclass
class InitiativeKR:
    id: str
    slope_before: float | None  # per day, fitted on the real measurements of the window
    slope_during: float | None
    faster: bool | None  # the verdict as a yes/no (None: too early)
    judgement: Judgement | None = None  # slopes' errors, the effect, the verdict
    days: int = 0  # how long the initiative has run, as of the date

    @property
    def verdict(self) -> Verdict:
        return self.judgement.verdict if self.judgement else Verdict.TOO_EARLY


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


def compute(model: Model, as_of: dt.date, config: Config,
            only: Callable[[Objective], bool] | None = None,
            known: dict[int, ObjectiveResult] | None = None) -> Results:
    """Everything as of a date; with ``only``, just the objectives it accepts
    (a past week's review needs the objectives of that week). Pure: the
    SMART warnings about the results are ``vaultokr.compute.smart``'s. ``known``:
    objectives' results as of the same date computed before, by id of the
    objective, for this model and config (an objective's results depend on
    nothing else); what is computed now is added to it."""
    results = Results(as_of)
    for obj in model.objectives.values():
        if only is not None and not only(obj):
            continue
        done = known.get(id(obj)) if known is not None else None
        if done is None:
            krs = [compute_kr(model.key_results[k], obj, as_of, config)
                   for k in sorted(obj.key_results)]
            done = compute_objective(obj, krs, as_of, config)
            if known is not None:
                known[id(obj)] = done
        for r in done.key_results:
            results.key_results[r.kr.id] = r
        results.objectives.append(done)
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
    """Measurements dated up to as-of, as the key result's measure uses them."""
    return rule(kr).used(kr.measurements, as_of)


def series(kr: KeyResult, ms: list[Measurement], baseline: float) -> list[Point]:
    """(date, value) per date, as the key result's measure makes them."""
    return rule(kr).series(ms, baseline)


def compute_kr(kr: KeyResult, obj: Objective, as_of: dt.date, config: Config) -> KRResult:
    measure = rule(kr)
    ms = measure.used(kr.measurements, as_of)
    baseline = float(kr.baseline or 0.0)
    points = measure.series(ms, baseline)
    state = measure.state(kr, ms, points, baseline, effective_target(kr), as_of)
    baseline, target, current = state.baseline, state.target, state.current
    progress_raw = state.progress_raw
    cap = measure.is_cap(kr, baseline, target)

    forecast = forecast_progress = None
    if measure.charted and target is not None and kr.start and kr.due:
        anchor = ([] if (kr.keep and kr.baseline is None)
                  else [(kr.start, measure.origin(baseline))])
        pts = anchor + [p for p in points if p[0] >= kr.start]
        forecast = fit_at(pts, kr.start, kr.due, log=kr.growth is not None)
        ceiling = measure.ceiling(target)
        if forecast is not None and ceiling is not None:
            forecast = min(forecast, ceiling)
        if forecast is not None:
            if kr.keep:
                forecast_progress = 1.0 if kr.keep.holds(forecast, kr.target, EPS) else 0.0
            else:
                forecast_progress = measure.progress_of(forecast, baseline, target)

    projected = None
    if cap and target is not None and current is not None:
        projected = _projected(kr, current, forecast, as_of)
        progress_raw = measure.progress_of(projected, baseline, target)
    progress = None if progress_raw is None else min(max(progress_raw, 0.0), 1.0)

    expected: float | None = None
    if (progress is not None and measure.has_expected and not kr.keep and not cap
            and kr.start is not None):
        expected = expected_progress(kr, baseline, target, as_of)

    trend = _trend(kr, ms, points, baseline, target, as_of)
    confidence = next((m.confidence for m in reversed(ms) if m.confidence is not None), None)

    status = _kr_status(kr, obj, as_of, progress, progress_raw, expected, state.has_data,
                        config, judged_at_due=cap or kr.keep is not None)
    # "active": declared active and still running; a finished period is graded, not chased
    running = kr.due is None or as_of <= kr.due
    declared_active = (kr.status is Declared.ACTIVE and obj.status is Declared.ACTIVE
                       and running)
    since = state.last_measured or _later(kr.start, kr.created)
    stale = (
        declared_active
        and status is not Status.ACHIEVED
        and since is not None
        and (as_of - since).days > config.stale_days
    )
    return KRResult(kr, baseline, target, current, progress, progress_raw, expected, status,
                    forecast, forecast_progress, trend, confidence, stale, state.last_measured,
                    ms, projected, since)


def _projected(kr: KeyResult, current: float, forecast: float | None,
               as_of: dt.date) -> float:
    """A cap's total at due: the final total once due has passed; before, the
    forecast (never below the total so far: a running total does not go down),
    or with no forecast the pace so far kept up (current / tau)."""
    if kr.due is not None and as_of > kr.due:
        return current
    if forecast is not None:
        return max(current, forecast)
    tau = time_fraction(kr.start, kr.due, as_of)
    return current / tau if tau > EPS else current


def _later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return max(a, b) if a and b else a or b


def direction(kr: KeyResult, baseline: float, target: float | None) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when unknown."""
    if kr.keep:
        return kr.keep.direction
    if target is None or target == baseline:
        return 0
    return 1 if target > baseline else -1


def _trend(kr: KeyResult, ms: list[Measurement], points: list[Point], baseline: float,
           target: float | None, as_of: dt.date) -> Trend | None:
    if not ms or not rule(kr).charted:
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
        reference = rule(kr).origin(baseline)
    if rule(kr).is_cap(kr, baseline, target) and target is not None:
        return _cap_trend(kr, newest - reference, target, cutoff)
    delta = (newest - reference) * sign
    if abs(delta) <= EPS * max(1.0, abs(reference)):
        return Trend.FLAT
    return Trend.IMPROVING if delta > 0 else Trend.WORSENING


def _cap_trend(kr: KeyResult, increase: float, target: float, cutoff: dt.date) -> Trend:
    """A cap's running total only rises: it improves while the last 28 days
    (or the days since start) added less than the pace that ends at the cap."""
    days = TREND_DAYS
    if kr.start is not None and kr.start > cutoff:
        days -= (kr.start - cutoff).days
    span = (kr.due - kr.start).days if kr.start and kr.due else 0
    allowed = target * days / span if span > 0 else target
    if abs(increase - allowed) <= EPS * max(1.0, abs(allowed)):
        return Trend.FLAT
    return Trend.IMPROVING if increase < allowed else Trend.WORSENING


def _kr_status(kr: KeyResult, obj: Objective, as_of: dt.date, progress: float | None,
               progress_raw: float | None, expected: float | None, has_data: bool,
               config: Config, judged_at_due: bool = False) -> Status:
    """SPEC §4's rules; ``judged_at_due``: a threshold or a cap, achieved only
    once due has passed, and meanwhile held (or kept under) or not."""
    for declared in (Declared.DROPPED, Declared.PAUSED):
        if declared in (kr.status, obj.status):
            return Status(declared)
    after_due = kr.due is not None and as_of > kr.due
    if progress_raw is not None and progress_raw >= 1 - EPS and (not judged_at_due
                                                                or after_due):
        return Status.ACHIEVED
    if after_due:
        return Status.MISSED
    if not has_data or progress is None:
        return Status.PENDING
    if kr.keep:
        return Status.ON_TRACK if progress >= 1 - EPS else Status.OFF_TRACK
    if judged_at_due:  # a cap: its progress against 1, by the same gaps
        return gap_status(progress, 1.0, config)
    if expected is None:
        return Status.ON_TRACK if progress > EPS else Status.PENDING
    return gap_status(progress, expected, config)


def gap_status(progress: float, expected: float, config: Config) -> Status:
    gap = progress - expected
    if gap >= config.on_track - EPS:
        return Status.ON_TRACK
    if gap >= config.at_risk - EPS:
        return Status.AT_RISK
    return Status.OFF_TRACK


# ------------------------------------------------------------- objectives
def compute_objective(obj: Objective, krs: list[KRResult], as_of: dt.date,
                      config: Config) -> ObjectiveResult:
    live = [r for r in krs if r.kr.status is not Declared.DROPPED]
    progress = _weighted([(r.kr.weight, r.progress) for r in live])
    expected = _weighted([(r.kr.weight, r.expected) for r in live])
    after_due = obj.due is not None and as_of > obj.due
    status: Status
    if obj.status.stops:
        status = Status(obj.status)
    elif live and all(r.status is Status.ACHIEVED for r in live):
        status = Status.ACHIEVED
    elif after_due:
        status = Status.MISSED
    elif all(r.status is Status.PENDING for r in live) or progress is None:
        status = Status.PENDING
    elif expected is None:
        status = Status.ON_TRACK if progress > EPS else Status.PENDING
    else:
        status = gap_status(progress, expected, config)
    grade = band = success = None
    if after_due and progress is not None:
        grade = round_half_up(progress, 2)
        band = "red" if grade < 0.4 else "yellow" if grade < 0.7 else "green"
        success = grade >= Commitment(obj.commitment).success_grade
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
    if ini.start is None or ini.start > as_of or not rule(kr).numeric:
        return InitiativeKR(kr.id, None, None, None)
    end = min(ini.end or as_of, as_of)
    baseline = float(kr.baseline or 0.0)
    points = series(kr, used_measurements(kr, as_of), baseline)
    sign = direction(kr, baseline, effective_target(kr)) or 1
    found = judge(points, ini.start, end, sign, as_of)
    faster = None if found.verdict is Verdict.TOO_EARLY else found.verdict is Verdict.FASTER
    return InitiativeKR(kr.id, found.before.per_day if found.before else None,
                        found.during.per_day if found.during else None, faster, found,
                        (end - ini.start).days)
