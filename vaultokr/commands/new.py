"""``vaultokr new``: a new ambition, objective, key result or initiative
note, everything checked before anything is written (the key-result rules
are ``vaultokr.load.keyresults``; the options come from ``vaultokr.model.properties``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from vaultokr.commands.authoring import create_note, link, note_text, safe_name
from vaultokr.commands.new_checks import NewNote, check_against_vault
from vaultokr.compute.smart import activity_message, activity_verb
from vaultokr.config.vault_config import load_config
from vaultokr.core.errors import Problems, UsageError
from vaultokr.core.vocab import Measure
from vaultokr.load.keyresults import TARGET_KEYS, Rule, broken_rules, task_needle
from vaultokr.model.measures import RULES, Numeric
from vaultokr.syntax.measured import parse_count_if
from vaultokr.syntax.values import (
    ValueProblem,
    parse_change,
    parse_date,
    parse_growth,
    parse_number,
    parse_period,
)


def new_note(root: Path, spec: NewNote, today: dt.date) -> tuple[str, list[str]]:
    """Validate everything first, then create the note; its vault path, and
    the warnings about what it says (a key result that is an activity)."""

    _validated(spec)  # what the options say on their own first, then the vault
    checked = check_against_vault(root, spec, today)
    spec = checked.spec
    props = _validated(spec)
    folder = spec.folder if spec.folder is not None else checked.beside \
        if checked.beside is not None else _default_folder(spec, today, checked.folder)
    rel = "/".join(p for p in (folder.strip("/"), safe_name(spec.title) + ".md") if p)
    body = f"# {spec.title}\n\n"
    if spec.kind == "objective":
        body += "<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
    elif spec.kind == "kr" and _measure(spec).logged and not spec.field:
        body += "## Log\n"
    elif spec.kind == "kr" and _measure(spec).reads_tasks:
        body += "- [ ] first step\n"
    title_prop = [("title", spec.title)] if safe_name(spec.title) != spec.title else []
    # when it was written: a due-only objective starts then, staleness counts from it
    config = load_config(root, Problems())
    created = [(config.created_key, today)]
    create_note(root, rel, note_text(title_prop + props + created, body))
    verb = (activity_verb(spec.title, config.activity_verbs)
            if spec.kind == "kr" and config.warn_activities else None)
    return rel, [activity_message(spec.title, verb)] if verb else []


def _measure(spec: NewNote) -> Numeric:
    return RULES[Measure(spec.measure or Measure.LAST)]


def _default_folder(spec: NewNote, today: dt.date, base: str = "OKRs") -> str:
    if spec.kind == "ambition":
        return base
    if spec.kind == "initiative":
        return f"{base}/Initiatives"
    period = spec.period or f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return f"{base}/{period}"


def fail(message: str, hint: str = "") -> UsageError:
    return UsageError(message, hint=hint)


def _validated(spec: NewNote) -> list[tuple[str, Any]]:
    role = {"kr": "key-result"}.get(spec.kind, spec.kind)
    props: list[tuple[str, Any]] = [("type", role)]
    try:
        if spec.period:
            props.append(("period", parse_period(spec.period).label))
        for key in ("start", "due", "end"):
            value = getattr(spec, key)
            if value:
                props.append((key, parse_date(value)))
        if spec.weight is not None:
            if spec.weight < 0:
                raise fail("--weight must be 0 or more")
            props.append(("weight", spec.weight))
        if spec.kind == "objective":
            if not (spec.period or (spec.start and spec.due)):
                raise fail("an objective needs --period (or --start and --due)",
                           hint="e.g. --period 2026-Q4")
            links = [link(a) for a in spec.ambition]
            if links:
                props.append(("ambition", links[0] if len(links) == 1 else links))
            if spec.parent:
                props.append(("parent", link(spec.parent)))
            if spec.commitment:
                props.append(("commitment", spec.commitment))
        elif spec.kind == "kr":
            props.extend(_kr_props(spec))
        elif spec.kind == "initiative":
            props.append(("key_results", [link(k) for k in spec.key_results]))
            if spec.hypothesis:
                props.append(("hypothesis", spec.hypothesis))
    except ValueProblem as exc:
        raise fail(str(exc)) from None
    return props


def _kr_props(spec: NewNote) -> list[tuple[str, Any]]:
    """A key result's properties after ``type``, each rule of ``broken_rules`` checked."""
    props: list[tuple[str, Any]] = []
    if not spec.objective:
        raise fail("a key result needs --objective NAME",
                   hint='e.g. --objective "Become a visible voice in my field"')
    props.append(("objective", link(spec.objective)))
    for key in ("metric", "unit", "measure"):
        if getattr(spec, key):
            props.append((key, getattr(spec, key)))
    given = [k for k in TARGET_KEYS if getattr(spec, k)]
    task = task_needle(spec.task) if spec.task is not None else None
    if spec.task is not None and task is None:
        raise fail("--task needs a text or a #tag", hint='e.g. --task Meditate or --task "#habit"')
    broken = broken_rules(Measure(spec.measure or Measure.LAST), given, bool(spec.keep),
                          bool(spec.baseline), bool(spec.tag or spec.field or task),
                          count_if=spec.count_if is not None, has_field=bool(spec.field),
                          task=bool(task), other_source=bool(spec.tag or spec.field))
    if Rule.TASK_NEEDS_COUNT in broken:
        raise fail("--task counts checked tasks: give --measure count")
    if Rule.TASK_ALONE in broken:
        raise fail("--task with --tag or --field would count twice: give one of them")
    if Rule.ONE_TARGET in broken:
        raise fail(f"give one of --target, --change and --growth, not "
                   f"{' and '.join('--' + g for g in given)}")
    if spec.baseline is not None:
        props.append(("baseline", parse_number(spec.baseline, spec.unit)))
    if spec.target is not None:
        props.append(("target", parse_number(spec.target, spec.unit)))
    if spec.change:
        parse_change(spec.change)
        props.append(("change", spec.change))
    if spec.growth:
        parse_growth(spec.growth)
        props.append(("growth", spec.growth))
    if Rule.GROWTH_ON_FLOW in broken:
        raise fail(f"--growth compounds a level; --measure {spec.measure} is a flow "
                   "(this period's total, from 0)",
                   hint="write --change \"+N%\" to compare with last period's total "
                   "(--baseline), or --measure last if the values are a level")
    if Rule.RELATIVE_NEEDS_BASELINE in broken:
        raise fail("--change and --growth are relative to --baseline: give one")
    if Rule.COUNT_NEEDS_SOURCE in broken:
        raise fail("--measure count counts dated notes or checked tasks: give --tag, --field "
                   "or --task")
    if spec.keep:
        if Rule.KEEP_NEEDS_TARGET in broken:
            raise fail("--keep needs --target (the threshold)")
        props.append(("keep", spec.keep))
    props += _source_props(spec, broken, task)
    if Rule.NEEDS_TARGET in broken:
        raise fail("a key result needs a target: --target N, --change +50% or "
                   "--growth 10%/month")
    return props


def _source_props(spec: NewNote, broken: list[Rule], task: str | None) -> list[tuple[str, Any]]:
    """Where a key result's measurements come from: field, note, tag, count_if, task."""
    props: list[tuple[str, Any]] = []
    if spec.field:
        props.append(("field", spec.field[0] if len(spec.field) == 1 else list(spec.field)))
    if spec.note:
        props.append(("note", link(spec.note)))
    if spec.tag:
        props.append(("tag", spec.tag.lstrip("#")))
    if spec.count_if is not None:
        if Rule.COUNT_IF_NEEDS_COUNTED_FIELD in broken:
            raise fail("--count-if chooses which values of a field count a note: it needs "
                       "--measure count and --field NAME")
        parse_count_if(spec.count_if)
        props.append(("count_if", spec.count_if.strip()))
    if task:
        props.append(("task", task))
    return props
