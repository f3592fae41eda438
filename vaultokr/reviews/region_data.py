"""What a region in a user's note shows: the data its template gets, for the
note it is in or the one its marker names (``id=``, ``week=``)."""

from __future__ import annotations

import re
from typing import Any

from vaultokr.compute.analysis import Analysis
from vaultokr.compute.results import KRResult, Results
from vaultokr.read.links import parse_link
from vaultokr.read.regions import Region
from vaultokr.reviews import data as review
from vaultokr.reviews.memo import FRESH, Fresh
from vaultokr.reviews.retrospective import retrospective_context
from vaultokr.syntax.values import ValueProblem, show_value
from vaultokr.views.json_report import iso_date

_WEEK_NAME = re.compile(r"(\d{4})-W(\d{2})")
MAX_PREVIOUS = 8  # earlier periods a key result's region looks back over


class RegionTargetError(Exception):
    """What a region names is not there (the message says what to write)."""


def region_context(analysis: Analysis, rel: str, region: Region,
                   memo: Fresh = FRESH) -> dict[str, Any]:
    """What the region ``region`` of the note at ``rel`` shows (RegionTargetError:
    what it names is not there, and what to write instead)."""
    results, model, config, as_of = (analysis.results, analysis.model, analysis.config,
                                     analysis.results.as_of)
    found, context = review.region_base(model, results, config, memo=memo)
    note_id = rel[:-3]
    name = region.name
    if name == "week":
        label = region.params.get("week") or _week_in_name(note_id)
        if label is None:
            raise RegionTargetError("a week region needs a week: name the note like "
                                    "2026-W47, or write week=2026-W47 in the marker")
        context.update(review.week_context(model, config, label, as_of, memo=memo))
        return context
    if name == "retrospective":
        label = region.params.get("period")
        if label is None:
            raise RegionTargetError("a retrospective region needs a period: write "
                                    "period=2026-Q4 in the marker")
        try:
            context.update(retrospective_context(model, config, label, as_of, memo=memo))
        except ValueProblem as exc:
            raise RegionTargetError(f"period={label}: {exc}") from None
        return context
    target = _target(analysis, region.params.get("id"), note_id)
    if name == "objective":
        match = [o for o in results.objectives if o.objective.id == target]
        if not match:
            raise RegionTargetError(_target_hint(name, "an objective"))
        context["objective"] = review.objective_data(match[0], as_of, memo=memo)
    elif name == "kr":
        kr = results.key_results.get(target)
        if kr is None:
            raise RegionTargetError(_target_hint(name, "a key result"))
        context["kr"] = review.kr_data(kr, as_of, memo=memo)
        context["previous"] = previous_rows(kr, results)
    else:
        ambitions = [a for a in found["ambitions"] if a["id"] == target]
        if not ambitions:
            raise RegionTargetError(_target_hint(name, "an ambition"))
        context["ambition"] = ambitions[0]
    return context


def previous_rows(r: KRResult, results: Results) -> list[dict[str, Any]]:
    """The key results this one continues (``previous:``, as ``vaultokr plan``
    writes it), nearest first: how each earlier period finished."""
    rows: list[dict[str, Any]] = []
    seen = {r.kr.id}
    step = results.key_results.get(r.kr.previous) if r.kr.previous else None
    while step is not None and step.kr.id not in seen and len(rows) < MAX_PREVIOUS:
        seen.add(step.kr.id)
        kr = step.kr
        rows.append({"title": kr.title, "link": review.note_link(kr.path),
                     "start": iso_date(kr.start), "due": iso_date(kr.due),
                     "current": step.current, "target": step.target, "unit": kr.unit,
                     "progress": step.progress, "status": step.status})
        step = results.key_results.get(kr.previous) if kr.previous else None
    return rows


def _target(analysis: Analysis, param: str | None, note_id: str) -> str:
    if not param:
        return note_id
    link = parse_link(f"[[{param}]]")
    if link is None:
        raise RegionTargetError(f"id={show_value(param)} is not a note: write id=\"Note name\"")
    if not link.target:
        return f"{note_id}#{link.subpath}"
    resolved = analysis.files.link_index().resolve(link)
    if resolved.id is None:
        raise RegionTargetError(f"id={show_value(param)}: {resolved.message}")
    return f"{resolved.id}#{link.subpath}" if link.subpath else resolved.id


def _target_hint(name: str, what: str) -> str:
    return (f"a {name} region shows {what}: put it in {what}'s note, or name it with "
            f"id=\"Note name\" in the marker")


def _week_in_name(note_id: str) -> str | None:
    m = _WEEK_NAME.search(note_id.rsplit("/", 1)[-1])
    return f"{m[1]}-W{m[2]}" if m else None
