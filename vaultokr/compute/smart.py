"""SPEC §5, the SMART checks: warnings about goals, not broken notes.

``check_model`` runs on the model as read; ``check_results`` on the results
as of the run's date (stale key results). Both are called once by the engine,
so every command reports them and a review computed for another date does
not.  (A key result's missing target, ``smart-not-measurable``, is found
where its target is read, in ``vaultokr.load.keyresults``.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from vaultokr.compute.results import KRResult, Results
from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problems
from vaultokr.core.vocab import Declared
from vaultokr.model.okr import Model, Objective


def check_model(model: Model, config: Config, problems: Problems) -> None:
    check_activities(model, config, problems)
    by_period: dict[str, list[Objective]] = defaultdict(list)
    for obj in model.objectives.values():
        if obj.due is None:
            problems.warning(
                obj.path, obj.line, "smart-not-time-bound",
                "this objective is not time-bound: add period: 2026-Q4 (or start and due)",
            )
        elif obj.start is None:
            problems.warning(
                obj.path, obj.line, "smart-no-start",
                f"[[{obj.id}]] has a due date but no start: add start: DATE or a period: so "
                "vaultokr knows how far along you should be",
            )
        krs = [model.key_results[k] for k in obj.key_results]
        live = [kr for kr in krs if kr.status is not Declared.DROPPED]
        if not live:
            problems.warning(
                obj.path, obj.line, "smart-no-key-results",
                "this objective has no key result: add a key result note with objective: "
                f"\"[[{obj.id.rsplit('/', 1)[-1]}]]\" or key_results: in this note",
            )
        elif len(live) > config.max_key_results:
            problems.warning(
                obj.path, obj.line, "smart-too-many-key-results",
                f"this objective has {len(live)} key results; focus on at most "
                f"{config.max_key_results}: drop or pause the rest",
            )
        if obj.status is Declared.ACTIVE and obj.start and obj.due:
            by_period[obj.period or f"{obj.start}..{obj.due}"].append(obj)
    for period, objs in sorted(by_period.items()):
        if len(objs) > config.max_active_objectives:
            objs.sort(key=lambda o: o.id)
            extra = objs[config.max_active_objectives]
            problems.warning(
                extra.path, extra.line, "smart-too-many-objectives",
                f"{len(objs)} active objectives in {period}; focus on at most "
                f"{config.max_active_objectives}: pause or drop some (status: paused)",
            )


def activity_verb(title: str, verbs: list[str]) -> str | None:
    """The verb of one's own work that starts ``title`` ("Give 3 talks"), or None."""
    words = re.findall(r"[^\W\d_]+", title)
    if not words:
        return None
    first = words[0].casefold()
    return next((verb for verb in verbs if verb.casefold() == first), None)


def activity_message(title: str, verb: str) -> str:
    return (f"\"{title}\" measures your own work ({verb} ...): a key result measures what "
            "others do because of it (\"requests to write a guest post\", not \"write guest "
            "posts\"); reword it as an outcome, or set warn_activities = false")


def check_activities(model: Model, config: Config, problems: Problems) -> None:
    if not config.warn_activities:
        return
    for kr in model.key_results.values():
        verb = activity_verb(kr.title, config.activity_verbs)
        if verb and kr.status is not Declared.DROPPED:
            problems.warning(kr.path, kr.line, "smart-activity", activity_message(kr.title, verb))


def check_results(results: Results, problems: Problems) -> None:
    """Stale key results: active, not achieved, unmeasured for too long."""
    for r in results.key_results.values():
        check_stale(r, results.as_of, problems)


def check_stale(r: KRResult, as_of: dt.date, problems: Problems) -> None:
    """One key result's ``smart-stale`` warning, when it is stale."""
    if r.stale:
        since = r.since
        days = (as_of - since).days if since else 0
        problems.warning(
            r.kr.path, r.kr.line, "smart-stale",
            f"[[{r.kr.id}]] has had no measurement for {days} days (since {since}): "
            "check in, or set status: paused",
        )
