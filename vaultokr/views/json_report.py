"""SPEC §8: the machine-readable report, a stable contract (schema 1)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

from vaultokr.compute.analysis import Analysis
from vaultokr.compute.results import InitiativeKR, KRResult, ObjectiveResult
from vaultokr.model.okr import Measurement

SCHEMA = 1


def report(analysis: Analysis,
           measured: Callable[[KRResult], Any] | None = None) -> dict[str, Any]:
    """The report; ``measured``: what stands for a key result's measurements
    (their dicts by default)."""
    results = analysis.results
    return {
        "schema": SCHEMA,
        "as_of": results.as_of.isoformat(),
        "objectives": [_objective(o, measured) for o in results.objectives],
        "ambitions": [
            {
                "id": a.ambition.id,
                "title": a.ambition.title,
                "objectives": [o.objective.id for o in a.objectives],
                "path": a.ambition.path,
            }
            for a in results.ambitions
        ],
        "initiatives": [
            {
                "id": i.initiative.id,
                "title": i.initiative.title,
                "start": iso_date(i.initiative.start),
                "end": iso_date(i.initiative.end),
                "status": i.initiative.status,
                "key_results": [initiative_kr_dict(k) for k in i.key_results],
                "hypothesis": i.initiative.hypothesis,
                "path": i.initiative.path,
            }
            for i in results.initiatives
        ],
        "problems": [p.as_dict() for p in analysis.problems],
    }


def initiative_kr_dict(k: InitiativeKR) -> dict[str, Any]:
    """One key result of an initiative: the slopes (per day), their standard
    errors, the effect and its 90% interval, the verdict (SPEC v3 §4)."""
    j = k.judgement
    return {
        "id": k.id,
        "slope_before": _num(k.slope_before),
        "slope_during": _num(k.slope_during),
        "faster": k.faster,
        "se_before": _num(j.before.se) if j and j.before else None,
        "se_during": _num(j.during.se) if j and j.during else None,
        "dates_before": j.before.dates if j and j.before else None,
        "dates_during": j.during.dates if j and j.during else None,
        "effect": _num(j.effect) if j else None,
        "effect_low": _num(j.low) if j else None,
        "effect_high": _num(j.high) if j else None,
        "verdict": k.verdict,
        "tell_date": iso_date(j.tell) if j else None,
        "days": k.days,
    }


def _objective(o: ObjectiveResult, measured: Callable[[KRResult], Any] | None) -> dict[str, Any]:
    return objective_dict(o, [kr_dict(r, measured(r) if measured else None)
                              for r in o.key_results])


def objective_dict(o: ObjectiveResult, key_results: list[dict[str, Any]]) -> dict[str, Any]:
    """An objective as the report has it (reviews add to it), with its key
    results as given."""
    obj = o.objective
    return {
        "id": obj.id,
        "title": obj.title,
        "period": obj.period,
        "start": iso_date(obj.start),
        "due": iso_date(obj.due),
        "status": o.status,
        "progress": _num(o.progress),
        "expected": _num(o.expected),
        "grade": _num(o.grade),
        "commitment": obj.commitment,
        "weight": obj.weight,
        "ambitions": list(obj.ambitions),
        "parent": obj.parent,
        "key_results": key_results,
        "grade_band": o.grade_band,
        "success": o.success,
        "path": obj.path,
    }


def kr_dict(r: KRResult, measurements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A key result's report; ``measurements``: its measurements' dicts, when
    the caller has them already."""
    kr = r.kr
    return {
        "id": kr.id,
        "title": kr.title,
        "measure": kr.measure,
        "unit": kr.unit,
        "baseline": None if (kr.keep and kr.baseline is None) else _num(r.baseline),
        "target": _num(r.target),
        "current": _num(r.current),
        "progress": _num(r.progress),
        "progress_raw": _num(r.progress_raw),
        "expected": _num(r.expected),
        "status": r.status,
        "forecast": _num(r.forecast),
        "forecast_progress": _num(r.forecast_progress),
        "trend": r.trend,
        "confidence": _num(r.confidence),
        "stale": r.stale,
        "last_measured": iso_date(r.last_measured),
        "weight": kr.weight,
        "measurements": (measurements if measurements is not None
                         else [measurement_dict(m) for m in r.measurements]),
        "keep": kr.keep,
        "start": iso_date(kr.start),
        "due": iso_date(kr.due),
        "path": kr.path,
        "projected": _num(r.projected),  # a cap's total expected at due (SPEC v2)
    }


def measurement_dict(m: Measurement) -> dict[str, Any]:
    return {
        "date": m.date.isoformat(),
        "value": _num(m.value),
        "confidence": _num(m.confidence),
        "comment": m.comment,
        "source": m.source,
    }


def _num(value: float | None) -> float | None:
    """A number as the report prints it: null for none, infinite or NaN, and
    never ``-0.0`` (JSON readers would show "-0"): it is 0.0."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, float) and value == 0:
        return 0.0
    return value


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def to_json(analysis: Analysis) -> str:
    """One line of JSON (the C encoder; pretty-printing costs more than the whole
    computation on a large vault: pipe through ``python -m json.tool`` to read).
    No number is infinite, NaN or ``-0.0`` (a weight or a value written
    ``-0.0`` is printed 0.0): when the fast encoding shows one, the report is
    encoded again with every such number replaced."""
    data = report(analysis)
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # an infinite or NaN number slipped through: JSON has no such thing
        text = ""
    if not text or "-0.0" in text:
        text = json.dumps(json_safe(data), ensure_ascii=False, separators=(",", ":"))
    return text + "\n"


def json_safe(value: Any) -> Any:
    """``value`` with every infinite or NaN float replaced by null, and -0.0 by 0.0."""
    if isinstance(value, float):
        return (value + 0.0) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    return value
