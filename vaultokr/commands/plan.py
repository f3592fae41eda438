"""``vaultokr plan PERIOD``: the next period's objectives proposed from the
previous one's. Each objective not dropped comes again with its unfinished
key results (achieved ones too with ``--all``), in new notes linked to the
same ambitions and to the notes they continue (``previous:``). Baselines are
what the old period ended with: a level's value at its due date, a flow's
total over the period; a ``change`` or ``growth`` target is recomputed from
them, an absolute ``target`` is kept and flagged when the baseline has
reached it. Everything is checked before anything is written, and a note is
never overwritten: a plan made already is found and left as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultokr.commands.authoring import link, note_text, safe_name
from vaultokr.compute.results import KRResult, ObjectiveResult, direction
from vaultokr.config.vault_config import load_config
from vaultokr.core.errors import Problems, UsageError
from vaultokr.core.formatting import number, percent
from vaultokr.core.vocab import Declared, Status, status_label
from vaultokr.model.measures import effective_target, rule
from vaultokr.read.links import parse_link
from vaultokr.run.oneshot import analyse
from vaultokr.syntax.values import Period, ValueProblem, iso_week_label, parse_period

Ask = Callable[[str], str | None]  # an answer; None at the end of the input
#: a key result's own properties a plan carries to the next period
_OPEN_TASK = re.compile(r"^\s*[-*+] \[ \] \S")
CARRIED = ("measure", "unit", "metric", "field", "tag", "keep", "weight")


@dataclass
class PlannedKR:
    old: KRResult
    title: str
    baseline: float | None
    target: float | None  # an absolute target (kept, or typed during the walk)
    flag: str = ""  # a target the baseline has reached
    skip: bool = False


@dataclass
class PlannedObjective:
    old: ObjectiveResult
    title: str
    krs: list[PlannedKR] = field(default_factory=list)
    skip: bool = False
    done: bool = False  # planned already (a note of this name continues it)


@dataclass
class Plan:
    period: Period
    previous: Period
    objectives: list[PlannedObjective]
    folder: str  # where the new notes go

    def note(self, title: str) -> str:
        return f"{self.folder}/{safe_name(f'{title} ({self.period.label})')}.md"


def previous_period(period: Period) -> Period:
    """The period of the same kind that ends the day before ``period`` starts."""
    day = period.start - dt.timedelta(days=1)
    label = period.label
    if "-Q" in label:
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if "-H" in label:
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    if "-W" in label:
        return parse_period(iso_week_label(day))
    if "-" in label:
        return parse_period(f"{day.year}-{day.month:02d}")
    return parse_period(str(day.year))


def make_plan(root: Path, label: str, source: str | None, today: dt.date, *,
              everything: bool = False, force: bool = False) -> Plan:
    """The proposal, checked against the vault; a UsageError says what stops it."""
    try:
        period = parse_period(label)
        previous = parse_period(source) if source else previous_period(period)
    except ValueProblem as exc:
        raise UsageError(str(exc), hint="write a period such as 2027-Q1") from None
    if previous.due >= period.start and source is None:
        raise UsageError(f"{previous.label} does not end before {period.label}")
    if today <= previous.due and not force:
        raise UsageError(f"{previous.label} has not ended yet (its last day is "
                         f"{previous.due})", hint=f"plan {period.label} after that day, or "
                         "now with --force (its numbers as of today)")
    analysis = analyse(root, min(previous.due, today))
    olds = [o for o in analysis.results.objectives
            if (o.objective.period == previous.label
                or (o.objective.due is not None
                    and previous.start <= o.objective.due <= previous.due))
            and o.objective.status is not Declared.DROPPED]
    if not olds:
        raise UsageError(f"no objective in {previous.label} to plan {period.label} from",
                         hint="give the period to start from: vaultokr plan "
                         f"{period.label} --from PERIOD")
    config = load_config(root, Problems())
    plan = Plan(period, previous, [], f"{config.notes_folder}/{period.label}")
    for o in olds:
        krs = [_planned_kr(r) for r in o.key_results
               if r.kr.status is not Declared.DROPPED
               and (everything or r.status is not Status.ACHIEVED)]
        plan.objectives.append(PlannedObjective(o, o.objective.title, krs))
    _check_names(root, plan, analysis.files.ids)
    return plan


def _planned_kr(r: KRResult) -> PlannedKR:
    """A level's value at the old due date, a flow's total over the old period."""
    kr = r.kr
    measure = rule(kr)
    if not measure.numeric or kr.keep:
        return PlannedKR(r, kr.title, None, kr.target)
    baseline = r.current if r.current is not None else r.baseline
    if kr.change is not None or kr.growth is not None:
        return PlannedKR(r, kr.title, baseline, None)
    target = kr.target
    flag = ""
    old_target = effective_target(kr)
    sign = direction(kr, float(kr.baseline or 0.0), old_target)
    if measure.cumulative:
        sign = 1 if sign >= 0 else -1
    if target is not None and baseline is not None and sign and \
            (target - baseline) * sign <= 0:
        flag = (f"the target {number(target, kr.unit)} is not beyond the new baseline "
                f"{number(baseline, kr.unit)}: give it a new target")
    return PlannedKR(r, kr.title, baseline, target, flag)


def _check_names(root: Path, plan: Plan, ids: list[str]) -> None:
    """Each new note's name is free, or names the note this plan wrote before
    (``previous:`` the same old note): then it is planned already."""
    taken = {i.rsplit("/", 1)[-1].lower(): i for i in ids}
    for o in plan.objectives:
        for title, old in [(o.title, o.old.objective.id)] + [(k.title, k.old.kr.id)
                                                             for k in o.krs]:
            rel = plan.note(title)
            name = rel.rsplit("/", 1)[-1][:-3]
            found = taken.get(name.lower())
            if found is None:
                continue
            if not _continues(root / f"{found}.md", old):
                raise UsageError(f"a note named {name!r} exists already ({found}.md) and "
                                 f"does not continue {old}", hint="rename that note, or plan "
                                 "into another folder")
            if title == o.title:
                o.done = True


def _continues(path: Path, old_id: str) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    for line in text.splitlines()[1:40]:
        if line.startswith("previous:"):
            parsed = parse_link(line.partition(":")[2].strip().strip("\"'"))
            if parsed is None or not parsed.target:
                return False
            target = parsed.target + (f"#{parsed.subpath}" if parsed.subpath else "")
            target, old = target.lower(), old_id.lower()
            return old == target or old.endswith("/" + target)
    return False


# ------------------------------------------------------------------ notes
def objective_text(plan: Plan, o: PlannedObjective, today: dt.date, created_key: str) -> str:
    old = o.old.objective
    props: list[tuple[str, Any]] = [
        ("type", "objective"), ("title", o.title), ("period", plan.period.label),
        ("ambition", [link(a.rsplit("/", 1)[-1]) for a in old.ambitions] or None),
        ("commitment", str(old.commitment) if old.commitment != "aspirational" else None),
        ("weight", _round(old.weight) if old.weight != 1 else None),
        ("previous", link(old.id.rsplit("/", 1)[-1])), (created_key, today)]
    body = (f"# {o.title}\n\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n")
    return note_text(props, body)


def kr_text(plan: Plan, o: PlannedObjective, k: PlannedKR, today: dt.date,
            created_key: str, root: Path) -> str:
    kr = k.old.kr
    objective_name = plan.note(o.title).rsplit("/", 1)[-1][:-3]
    props: list[tuple[str, Any]] = [("type", "key-result"), ("title", k.title),
                                    ("objective", link(objective_name))]
    props += [(key, _plain(getattr(kr, key))) for key in CARRIED]
    props = [(key, _round(value) if key == "weight" else value) for key, value in props]
    props = [(key, value) for key, value in props
             if not (key == "measure" and value == "last") and not (key == "weight"
                                                                   and value == 1)]
    if k.baseline is not None:
        props.append(("baseline", _round(k.baseline)))
    if k.target is not None:
        props.append(("target", _round(k.target)))
    elif kr.change is not None:
        props.append(("change", f"{kr.change * 100:+g}%"))
    elif kr.growth is not None:
        props.append(("growth", kr.growth.text))
    props += [("previous", link(kr.id.rsplit("/", 1)[-1])), (created_key, today)]
    log = "## Log\n" if rule(kr).logged and not kr.field else ""
    if rule(kr).reads_tasks and not kr.inline:
        log += "".join(f"{task}\n" for task in open_tasks(root / kr.path))
    region = "<!-- vaultokr:begin kr -->\n<!-- vaultokr:end -->\n"  # with its earlier periods
    return note_text(props, f"# {k.title}\n\n{region}\n{log}" if log else
                     f"# {k.title}\n\n{region}")


def open_tasks(path: Path) -> list[str]:
    """A checklist's tasks not done yet, as written (``- [ ] Book the venue``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    return [line.strip() for line in text.splitlines() if _OPEN_TASK.match(line)]


def _plain(value: Any) -> Any:
    return None if value is None else str(value) if hasattr(value, "value") else value


def _round(value: float) -> float | int:
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


def summary(k: PlannedKR) -> str:
    """``7 of 10 invitations in 2026-Q4 → baseline 7, target 14 (+100%)``."""
    r, kr = k.old, k.old.kr
    was = (f"{number(r.current)} of {number(r.target, kr.unit)}" if r.target is not None
           else number(r.current, kr.unit))
    now = []
    if k.baseline is not None:
        now.append(f"baseline {number(k.baseline, kr.unit)}")
    target = (k.target if k.target is not None
              else _new_target(k) if k.baseline is not None else None)
    if target is not None:
        now.append(f"target {number(target, kr.unit)}")
    if kr.change is not None and k.target is None:
        now[-1] += f" ({kr.change * 100:+g}%)"
    if kr.growth is not None and k.target is None:
        now.append(f"growth {kr.growth.text}")
    status = status_label(r.status)
    return f"{was} ({percent(r.progress)}, {status}) → " + (", ".join(now) or "as it was")


def _new_target(k: PlannedKR) -> float | None:
    kr = k.old.kr
    if k.baseline is None:
        return None
    if kr.change is not None:
        return k.baseline * (1 + kr.change)
    return None
