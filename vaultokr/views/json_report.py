"""SPEC §8: the machine-readable report, a stable contract (schema 1)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

from vaultokr.compute.analysis import Analysis
from vaultokr.compute.results import KRResult, ObjectiveResult
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
                "key_results": [
                    {
                        "id": k.id,
                        "slope_before": _num(k.slope_before),
                        "slope_during": _num(k.slope_during),
                        "faster": k.faster,
                    }
                    for k in i.key_results
                ],
                "hypothesis": i.initiative.hypothesis,
                "path": i.initiative.path,
            }
            for i in results.initiatives
        ],
        "problems": [p.as_dict() for p in analysis.problems],
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
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def to_json(analysis: Analysis) -> str:
    """One line of JSON (the C encoder; pretty-printing costs more than the whole
    computation on a large vault: pipe through ``python -m json.tool`` to read)."""
    data = report(analysis)
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    except ValueError:  # an infinite or NaN number slipped through: JSON has no such thing
        return json.dumps(_finite(data), ensure_ascii=False, separators=(",", ":")) + "\n"


def _finite(value: Any) -> Any:
    """``value`` with every infinite or NaN float replaced by null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
