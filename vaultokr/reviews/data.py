"""Plain data for the review templates: the SPEC §8 report's shape, plus what
a review shows (history against the expected path, changes since a week
before, focus, stale and overdue key results). Templates never see live
objects, only dicts, lists, strings and numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vaultokr.compute.results import InitiativeResult, KRResult, ObjectiveResult, Results, compute
from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problem
from vaultokr.core.formatting import number
from vaultokr.core.vocab import MeasurementKind, Status
from vaultokr.model.measures import rule
from vaultokr.model.okr import Model
from vaultokr.reviews.charts import chart_data, expected_places, precision, rounded
from vaultokr.reviews.memo import FRESH, Fresh
from vaultokr.syntax.values import Period, iso_week_label, parse_period
from vaultokr.views.json_report import iso_date, objective_dict
from vaultokr.views.json_report import kr_dict as kr_report
from vaultokr.views.verdict_words import verdict_words

FOCUS_SIZE = 3


def results_at(model: Model, config: Config, as_of: dt.date,
               window: tuple[dt.date, dt.date] | None = None, *,
               memo: Fresh = FRESH, krs: set[str] | None = None) -> Results:
    """The model computed as of another date; with a window, only the
    objectives whose dates overlap it; with ``krs``, only the objectives of
    these key results (an objective's results depend on nothing else)."""
    known = memo.objectives_at(as_of)
    if window is None and krs is None:
        return compute(model, as_of, config, known=known)
    lo, hi = window or (dt.date.min, dt.date.max)
    return compute(model, as_of, config,
                   only=lambda o: (o.start is None or o.start <= hi)
                   and (o.due is None or o.due >= lo)
                   and (krs is None or any(k in krs for k in o.key_results)), known=known)


def measured(results: Results, start: dt.date, end: dt.date) -> set[str]:
    """The key results with a measurement from start to end: the ones
    :func:`changes` shows, and looks up in the results before start."""
    return {kr_id for kr_id, r in results.key_results.items()
            if any(start <= m.date <= end for m in r.measurements)}


def note_link(path: str) -> str:
    return path[:-3] if path.endswith(".md") else path


def kr_data(r: KRResult, as_of: dt.date, *, memo: Fresh = FRESH) -> dict[str, Any]:
    """A key result for templates: its report, history, chart and what a
    review shows of it (made once in a build: nothing may be put into it)."""
    return memo.view(r, as_of, True, lambda: _kr_data(r, as_of, memo))


def _kr_data(r: KRResult, as_of: dt.date, memo: Fresh) -> dict[str, Any]:
    data = kr_report(r, memo.measurements(r))
    kr = r.kr
    data["link"] = note_link(kr.path)
    data["objective"] = kr.objective
    data["gap"] = (r.progress - r.expected
                   if r.progress is not None and r.expected is not None else None)
    data["overachieved"] = r.overachieved
    data["direction"] = ("down" if r.target is not None and r.target < r.baseline and not kr.keep
                         else "up")
    measure = rule(kr)
    points = measure.series(r.measurements, r.baseline) if measure.charted else []
    history = memo.history(r, points) if points else []
    places = precision(r)
    data["history"] = history
    data["history_count"] = len(history)
    data["chart"] = chart_data(r, as_of, points, places)
    data["places"] = places
    data["expected_places"] = expected_places(r, data["places"])
    since = r.last_measured or kr.start
    data["days_since"] = (as_of - since).days if since else None
    data["metric"] = kr.metric
    data["field"] = kr.field  # values read from daily notes' property, or tag
    data["tag"] = kr.tag
    data["task"] = kr.task  # checked tasks with this text or #tag
    data["numeric"] = measure.numeric  # a value against a target (not tasks, not done)
    data["cumulative"] = measure.cumulative  # its history is a running total
    # targets and expected values as precise as the measurements (53.19 → 53 people)
    target = rounded(r.target, data["places"]) if r.target is not None else None
    data["shown_now"] = measure.shown_now(kr, r.current, target)
    projected = rounded(r.projected, data["places"]) if r.projected is not None else None
    data["shown_target"] = measure.shown_target(kr, target, projected)
    data["shown"] = measure.shown(kr, r.current, target, projected)
    data["behind"] = behind(r)
    # a level's progress runs from a baseline the reader should see ("1,437 of
    # 1,584" from 1,320); a flow's baseline is last period's, in shown_target
    data["shown_baseline"] = (number(r.baseline, kr.unit) if measure.numeric and not kr.keep
                              and not measure.cumulative and r.target is not None
                              and abs(r.baseline) > 1e-9 else None)
    return data


def kr_summary(r: KRResult) -> dict[str, Any]:
    return {"id": r.kr.id, "title": r.kr.title, "link": note_link(r.kr.path),
            "status": r.status, "progress": r.progress, "expected": r.expected,
            "stale": r.stale}


def objective_data(o: ObjectiveResult, as_of: dt.date, detail: bool = True, *,
                   memo: Fresh = FRESH) -> dict[str, Any]:
    """An objective for templates; without ``detail`` its key results are a
    summary (status and progress), enough for tables and roll-ups (made once
    in a build: nothing may be put into it)."""
    return memo.view(o, as_of, detail, lambda: _objective_data(o, as_of, detail, memo))


def _objective_data(o: ObjectiveResult, as_of: dt.date, detail: bool,
                    memo: Fresh) -> dict[str, Any]:
    obj = o.objective
    krs = [kr_data(r, as_of, memo=memo) if detail else kr_summary(r) for r in o.key_results]
    return objective_dict(o, krs) | {
        "link": note_link(obj.path),
        "days_left": (obj.due - as_of).days if obj.due else None,
        "finished": bool(obj.due and as_of > obj.due),
        "counts": _counts(krs),
    }


def _counts(krs: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for k in krs:
        counts[k["status"]] = counts.get(k["status"], 0) + 1
    return counts


def initiative_data(i: InitiativeResult, krs: dict[str, KRResult]) -> dict[str, Any]:
    ini = i.initiative
    return {
        "id": ini.id, "title": ini.title, "link": note_link(ini.path), "start": iso_date(ini.start),
        "end": iso_date(ini.end), "status": ini.status, "hypothesis": ini.hypothesis,
        "key_results": [
            {"id": k.id, "title": krs[k.id].kr.title if k.id in krs else k.id,
             "link": note_link(krs[k.id].kr.path) if k.id in krs else k.id,
             "slope_before": k.slope_before,
             "slope_during": k.slope_during, "faster": k.faster, "verdict": k.verdict,
             "words": verdict_words(k, ini.start)}
            for k in i.key_results
        ],
    }


def behind(r: KRResult) -> float | None:
    """How far behind a running key result is (0 to 1; None: not behind): its
    progress short of expected, a cap's short of 1, a breached threshold 1.
    A key result that is merely new (nothing measured, not stale) is not behind."""
    if not r.status.is_live or (r.last_measured is None and not r.stale):
        return None
    if r.progress is None:
        return None
    if r.kr.keep or r.is_cap:
        shortfall = 1.0 - r.progress
    elif r.expected is not None:
        shortfall = r.expected - r.progress
    else:
        return None
    return shortfall if shortfall > 0 else None


def focus(objectives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The active key results furthest behind (SPEC v2: caps and breached
    thresholds too; new ones are not behind)."""
    late = [k for o in objectives for k in o["key_results"] if k.get("behind") is not None]
    return sorted(late, key=lambda k: (-k["behind"], k["id"]))[:FOCUS_SIZE]


def changes(now: Results, before: Results, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Key results measured between start and end: then and now."""
    rows = []
    for kr_id, r in sorted(now.key_results.items()):
        measured = [m for m in r.measurements if start <= m.date <= end]
        if not measured:
            continue
        old = before.key_results.get(kr_id)
        old_value = old.current if old else None
        old_conf = old.confidence if old else None
        rows.append({
            "id": kr_id, "title": r.kr.title, "link": note_link(r.kr.path), "unit": r.kr.unit,
            "cumulative": rule(r.kr).cumulative, "numeric": rule(r.kr).numeric,
            "before": old_value, "now": r.current,
            "delta": (r.current - old_value
                      if r.current is not None and old_value is not None else None),
            "confidence_before": old_conf, "confidence": r.confidence,
            "confidence_delta": (r.confidence - old_conf
                                 if r.confidence is not None and old_conf is not None else None),
            "status_before": old.status if old else None, "status": r.status,
            "progress_before": old.progress if old else None, "progress": r.progress,
            "measurements": [
                {"date": m.date.isoformat(), "value": m.value, "confidence": m.confidence,
                 "comment": m.comment, "source": m.source, "link": note_link(m.path),
                 "kind": m.kind, "explicit": m.explicit}
                for m in measured
            ],
        })
    return rows


def checkin_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Measurements written as such (check-ins, logs), by date."""
    found = [m | {"title": r["title"], "kr_link": r["link"], "unit": r["unit"]}
             for r in rows for m in r["measurements"]
             if m["explicit"]]
    return sorted(found, key=lambda m: (m["date"], m["title"], m["source"]))


def field_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per key result, the values read from dated notes (fields, tags,
    checked tasks); not a checklist's done tasks (its own note's)."""
    out = []
    for r in rows:
        read = [m for m in r["measurements"] if not m["explicit"]]
        if read and r["numeric"]:
            out.append({"title": r["title"], "link": r["link"], "unit": r["unit"],
                        "count": len(read), "latest": read[-1]["value"],
                        "total": sum(m["value"] for m in read), "cumulative": r["cumulative"],
                        "tag": read[-1]["kind"] is MeasurementKind.TAG,
                        "task": read[-1]["kind"] is MeasurementKind.TASK})
    return out


def is_running(o: ObjectiveResult, as_of: dt.date) -> bool:
    """Started, not over, not dropped."""
    obj = o.objective
    return (o.status is not Status.DROPPED and (obj.due is None or as_of <= obj.due)
            and (obj.start is None or obj.start <= as_of))


def base_context(model: Model, results: Results, config: Config,
                 detail_all: bool = True, *, memo: Fresh = FRESH) -> dict[str, Any]:
    """What every review gets. Objectives that are not running get full detail
    only with ``detail_all`` (reviews of one period or week, whose results
    hold just that window's objectives)."""
    as_of = results.as_of
    objectives = [objective_data(o, as_of, detail_all or is_running(o, as_of), memo=memo)
                  for o in results.objectives]
    running = [o for o, r in zip(objectives, results.objectives, strict=True)
               if is_running(r, as_of)]
    initiatives = [initiative_data(i, results.key_results) for i in results.initiatives]
    return {
        "as_of": as_of.isoformat(),
        "week": iso_week_label(as_of),
        "objectives": objectives,
        "running": running,
        "focus": focus(running),
        "stale": [k for o in running for k in o["key_results"] if k["stale"]],
        "overdue": [k for o in running for k in o["key_results"] if k["status"] is Status.MISSED],
        "initiatives": initiatives,
        "ambitions": [
            {"id": a.ambition.id, "title": a.ambition.title,
             "link": note_link(a.ambition.path),
             "objectives": [o for o in objectives if a.ambition.id in o["ambitions"]],
             "experiments": [i for i in initiatives
                             if a.ambition.id in _ambitions_of(i, model)]}
            for a in results.ambitions
        ],
        "thresholds": {"on_track": config.on_track, "at_risk": config.at_risk},
        "has_measurements": any(r.measurements for r in results.key_results.values()),
    }


def _ambitions_of(initiative: dict[str, Any], model: Model) -> set[str]:
    """The ambitions an initiative serves: those of its key results' objectives."""
    found: set[str] = set()
    for k in initiative["key_results"]:
        kr = model.key_results.get(k["id"])
        objective = model.objectives.get(kr.objective) if kr else None
        if objective is not None:
            found.update(objective.ambitions)
    return found


def region_base(model: Model, results: Results, config: Config, *,
                memo: Fresh = FRESH) -> tuple[dict[str, Any], dict[str, Any]]:
    """What every region of a build starts from (the same for all): as made,
    to find an ambition in, and a new context to add the region's own data
    to. In a build, both are made once: the context's values are escaped
    already (one_line does not walk them again for every region)."""
    memo.next_output()
    return memo.region_base(results, lambda: base_context(model, results, config,
                                                          detail_all=False, memo=memo))


def dashboard_context(model: Model, results: Results, config: Config,
                      problems: list[Problem], *, memo: Fresh = FRESH) -> dict[str, Any]:
    memo.next_output()
    context = base_context(model, results, config, detail_all=False, memo=memo)
    week_start, _ = week_bounds(results.as_of)
    before = results_at(model, config, week_start - dt.timedelta(days=1), memo=memo,
                        krs=measured(results, week_start, results.as_of))
    context["changes"] = changes(results, before, week_start, results.as_of)
    context["week_start"] = week_start.isoformat()
    context["problems"] = [p.as_dict() | {"link": note_link(p.path)} for p in problems]
    context["periods"] = sorted({o["period"] for o in context["running"] if o["period"]})
    return context


def period_context(model: Model, config: Config, label: str, as_of: dt.date, *,
                   memo: Fresh = FRESH) -> dict[str, Any]:
    """A period's review as of today, or once it is over, as of the day after
    its last day: graded, and the same however much later it is rebuilt
    (nothing dated after a key result's due counts)."""
    memo.next_output()
    return period_data(model, config, label, as_of, memo=memo)


def period_data(model: Model, config: Config, label: str, as_of: dt.date, *,
                memo: Fresh = FRESH) -> dict[str, Any]:
    """What a period's review shows (a retrospective's region shows it too)."""
    period = parse_period(label)
    at = period_at(label, as_of)
    results = results_at(model, config, at, (period.start, period.due), memo=memo)
    context = base_context(model, results, config, memo=memo)
    mine = [o for o in context["objectives"] if o["period"] == label]
    context.update(period=_period_data(period, at), objectives=mine,
                   focus=focus([o for o in mine if not o["finished"]]),
                   initiatives=[i for i in context["initiatives"]
                                if _overlaps(i, period)])
    return context


def period_at(label: str, as_of: dt.date) -> dt.date:
    """The date a period's review shows the vault as of: today, or once the
    period is over, the day after its last day. Nothing dated later is read."""
    return min(as_of, parse_period(label).due + dt.timedelta(days=1))


def week_at(label: str, as_of: dt.date) -> dt.date:
    """The date a week's review shows the vault as of: today, or its last day
    (and the day before it starts, for what changed). Nothing dated later is read."""
    return min(as_of, parse_period(label).due)


def week_context(model: Model, config: Config, label: str, as_of: dt.date, *,
                 memo: Fresh = FRESH) -> dict[str, Any]:
    memo.next_output()
    week = parse_period(label)
    at = week_at(label, as_of)
    results = results_at(model, config, at, (week.start, week.due), memo=memo)
    before = results_at(model, config, week.start - dt.timedelta(days=1),
                        (week.start, week.due), memo=memo, krs=measured(results, week.start, at))
    context = base_context(model, results, config, memo=memo)
    rows = changes(results, before, week.start, at)
    context.update(
        period=_period_data(week, at),
        initiatives=[i for i in context["initiatives"] if _overlaps(i, week)],
        changes=rows,
        checkins=checkin_rows(rows),
        from_notes=field_rows(rows),
    )
    return context


def weeks_with_checkins(model: Model, as_of: dt.date) -> list[str]:
    """The weeks with a measurement written as such (not read from dated notes)."""
    explicit = tuple(kind for kind in MeasurementKind if kind.explicit)
    days = {m.date for kr in model.key_results.values() for m in kr.measurements
            if m.kind in explicit and m.date <= as_of}
    return sorted({iso_week_label(day) for day in days})


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def _period_data(period: Period, at: dt.date) -> dict[str, Any]:
    days = (period.due - period.start).days + 1
    day = min(max((at - period.start).days + 1, 0), days)
    return {"label": period.label, "start": period.start.isoformat(),
            "due": period.due.isoformat(), "as_of": min(at, period.due).isoformat(),
            "day": day, "days": days, "finished": at > period.due}


def _overlaps(initiative: dict[str, Any], period: Period) -> bool:
    start = dt.date.fromisoformat(initiative["start"]) if initiative["start"] else None
    end = dt.date.fromisoformat(initiative["end"]) if initiative["end"] else None
    return (start is None or start <= period.due) and (end is None or end >= period.start)
